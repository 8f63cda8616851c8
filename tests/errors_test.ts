import assert from "node:assert/strict";
import { ERROR_CODES, FormatError, InputError, SumOverflowError } from "../src/core/errors.ts";
import { sumHasher, sumLeaf, sumNode, SumNodeSlab } from "../src/core/sum_tree.ts";
import { RootBuilder } from "../src/core/tree.ts";
import { parseKeysFile } from "../src/format/keys.ts";
import { verifyProof } from "../src/verify/proof.ts";
import { verifyPublication } from "../src/verify/publication.ts";

Deno.test("ERROR_CODES: the SPEC §12 codes are all present, never renamed, and unique", () => {
  const design = [
    "SIGNATURE_INVALID",
    "SIGNATURE_THRESHOLD",
    "PAYLOAD_TYPE",
    "NON_CANONICAL",
    "STATEMENT_INVALID",
    "ARITHMETIC",
    "LEAF_INVALID",
    "LEAF_ORDER",
    "LEAF_COUNT_MISMATCH",
    "ROOT_MISMATCH",
    "TOTAL_MISMATCH",
    "HAIRCUT_EXCEEDS_BASE",
    "HAIRCUT_MISMATCH",
    "ROUNDING_ORDER",
    "PROOF_INVALID",
    "PROOF_ROOT_MISMATCH",
    "STATEMENT_DIGEST_MISMATCH",
    "CHAIN_BROKEN",
  ];
  for (const code of design) assert.ok((ERROR_CODES as readonly string[]).includes(code), code);
  assert.deepEqual(ERROR_CODES.slice(0, design.length), design);
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
});

Deno.test("FormatError carries its finding, with the leaf only when given; InputError is separate", () => {
  const withLeaf = new FormatError("LEAF_ORDER", "line 4: account key repeats", 2);
  assert.deepEqual(withLeaf.finding, { code: "LEAF_ORDER", message: "line 4: account key repeats", leaf: 2 });
  assert.equal(withLeaf.name, "FormatError");
  const without = new FormatError("ARITHMETIC", "shortfall 1 != 2");
  assert.equal("leaf" in without.finding, false);
  const input = new InputError("keys file: threshold must be an integer from 1 to 2");
  assert.equal(input.name, "InputError");
  assert.ok(!(input instanceof FormatError));
});

// ---------------------------------------------------------------------------
// SumOverflowError: the one error the verifier turns into a sum-overflow finding

const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const example = {
  envelope: Deno.readTextFileSync(new URL("statement.dsse.json", EXAMPLE)),
  leaves: Deno.readFileSync(new URL("leaves.csv", EXAMPLE)),
  keys: parseKeysFile(Deno.readTextFileSync(new URL("keys.json", EXAMPLE))),
  proof: Deno.readTextFileSync(
    new URL(`proofs/${[...Deno.readDirSync(new URL("proofs/", EXAMPLE))][0].name}`, EXAMPLE),
  ),
};

/** Runs `body` with `target[name]` replaced by `replacement`, restoring it afterwards. */
async function patched<T extends object, K extends keyof T>(
  target: T,
  name: K,
  replacement: T[K],
  body: () => Promise<void>,
): Promise<void> {
  const original = target[name];
  target[name] = replacement;
  try {
    await body();
  } finally {
    target[name] = original;
  }
}

Deno.test("SumOverflowError carries both sums, is a RangeError, and says which node", () => {
  const e = new SumOverflowError(1n << 128n, 5n);
  assert.equal(e.base, 1n << 128n);
  assert.equal(e.haircut, 5n);
  assert.equal(e.name, "SumOverflowError");
  assert.equal(e.message, "node sum (340282366920938463463374607431768211456, 5) reaches 2^128");
  assert.ok(e instanceof RangeError);
  assert.ok(!(new RangeError("x") instanceof SumOverflowError));
});

Deno.test("SumOverflowError: sumNode and the slab throw it with the true sums, base or haircut", () => {
  const key = new Uint8Array(32);
  const limit = 1n << 128n;
  assert.throws(() => sumNode(sumLeaf(key, limit - 1n, 2n), sumLeaf(key, 1n, 3n)), (e) => {
    return e instanceof SumOverflowError && e.base === limit && e.haircut === 5n;
  });
  const slabSums = (a: [bigint, bigint], b: [bigint, bigint]): unknown => {
    const slab = new SumNodeSlab();
    const builder = new RootBuilder<number>(slab);
    builder.push(slab.leaf(key, ...a));
    try {
      builder.push(slab.leaf(key, ...b));
    } catch (e) {
      return e instanceof SumOverflowError ? [e.base, e.haircut] : e;
    }
    return "no error";
  };
  assert.deepEqual(slabSums([limit - 1n, 7n], [5n, 9n]), [limit + 4n, 16n]);
  assert.deepEqual(slabSums([3n, limit - 2n], [4n, limit - 1n]), [7n, 2n * limit - 3n]);
  assert.deepEqual(slabSums([limit - 1n, 0n], [0n, 1n]), "no error");
});

Deno.test("SumOverflowError: a RangeError from elsewhere in the leaf pass propagates, not a TOTAL_MISMATCH", async () => {
  const bug = (): never => {
    throw new RangeError("an internal bug");
  };
  // The serial pass hashes with sumHasher; a batch (here one, in this thread) in a slab; the main thread
  // folds the workers' batches with sumHasher; the root of the serial pass is sumHasher's too.
  const passes = [
    [sumHasher, "children", {}],
    [SumNodeSlab.prototype, "leaf", { workers: 2 }],
    [SumNodeSlab.prototype, "children", { workers: 2 }],
    [sumHasher, "children", { workers: 2, batchSize: 2 }],
  ] as const;
  for (const [target, name, options] of passes) {
    await patched(target as unknown as Record<string, unknown>, name, bug, async () => {
      await assert.rejects(verifyPublication(example, example.keys, options), /an internal bug/, name);
    });
  }
  await patched(sumHasher, "children", bug, () => {
    assert.throws(() => verifyProof(example, example.keys), /an internal bug/);
    return Promise.resolve();
  });
});

Deno.test("SumOverflowError: the same throw from the same places is the overflow finding", async () => {
  const overflow = (): never => {
    throw new SumOverflowError(1n << 128n, 0n);
  };
  const errors = async (options: { workers?: number; batchSize?: number }): Promise<unknown[]> => {
    const r = await verifyPublication(example, example.keys, options);
    return r.errors.map((f) => [f.code, f.message, f.leaf]);
  };
  const atLine3 = [["TOTAL_MISMATCH", "line 3: a tree sum reaches 2^128", 1]];
  await patched(SumNodeSlab.prototype, "children", overflow, async () => {
    assert.deepEqual(await errors({ workers: 2 }), atLine3);
  });
  await patched(sumHasher, "children", overflow, async () => {
    assert.deepEqual(await errors({}), atLine3);
    // The merge meets it when it folds the second batch: the serial pass would at that batch's last row.
    assert.deepEqual(await errors({ workers: 2, batchSize: 2 }), [
      ["TOTAL_MISMATCH", "line 5: a tree sum reaches 2^128", 3],
    ]);
    const p = verifyProof(example, example.keys);
    assert.deepEqual(p.errors.map((f) => f.code), ["PROOF_INVALID"]);
    assert.match(
      p.errors[0].message,
      /^proof: node sum \(340282366920938463463374607431768211456, 0\) reaches 2\^128$/,
    );
  });
});
