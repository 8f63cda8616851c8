/**
 * The streaming publisher (src/publish/directory.ts) against the in-memory
 * reference, buildPublication: the same bytes in files mode (the example
 * fixture included), the same proofs one per line in ndjson mode, the same
 * statement without proofs, the same error messages as parseAccountsCsv, and
 * independence from how the input is chunked.
 */

import assert from "node:assert/strict";
import { InputError, parseKeysFile, verifyProof, verifyPublication } from "../mod.ts";
import {
  buildPublication,
  type EventSpec,
  parseAccountsCsv,
  parseEventFile,
  parseSigningKey,
  publishToDirectory,
} from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";

const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const enc = new TextEncoder();

const INPUT = {
  accounts: Deno.readFileSync(new URL("input/accounts.csv", EXAMPLE)),
  event: parseEventFile(Deno.readTextFileSync(new URL("input/event.json", EXAMPLE))),
  signers: ["venue", "auditor"].map((n) =>
    parseSigningKey(Deno.readTextFileSync(new URL(`input/${n}.key.json`, EXAMPLE)))
  ),
  saltSecret: Deno.readFileSync(new URL("input/salt-secret", EXAMPLE)),
};

async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function tree(dir: string, prefix = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) { for (const [k, v] of await tree(`${dir}/${e.name}`, `${prefix}${e.name}/`)) out.set(k, v); }
    else out.set(prefix + e.name, await Deno.readTextFile(`${dir}/${e.name}`));
  }
  return out;
}

async function withTemp<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "haircut_stream_" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("files mode reproduces fixtures/example byte for byte, whatever the chunking", async () => {
  const expected = await tree(EXAMPLE.pathname);
  for (const key of [...expected.keys()]) if (key.startsWith("input/")) expected.delete(key);
  for (const chunk of [0, 1, 7, 100]) {
    await withTemp(async (dir) => {
      const source = chunk === 0 ? INPUT.accounts : chunked(INPUT.accounts, chunk);
      const r = await publishToDirectory({ accounts: source, event: INPUT.event, out: dir }, INPUT.signers, {
        saltSecret: INPUT.saltSecret,
      });
      assert.equal(r.accounts, 8);
      assert.equal(r.proofs, 8);
      assert.equal(r.digest, "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a");
      assert.deepEqual(await tree(dir), expected, `chunks of ${chunk || "the whole file"}`);
    });
  }
});

Deno.test("ndjson mode writes buildPublication's proofs, one compact JSON per line in tree order", async () => {
  const accounts = parseAccountsCsv(new TextDecoder().decode(INPUT.accounts));
  const reference = buildPublication({ accounts, event: INPUT.event }, INPUT.signers, {
    saltSecret: INPUT.saltSecret,
  });
  await withTemp(async (dir) => {
    const r = await publishToDirectory({ accounts: INPUT.accounts, event: INPUT.event, out: dir }, INPUT.signers, {
      saltSecret: INPUT.saltSecret,
      proofs: "ndjson",
    });
    assert.equal(r.proofs, 8);
    const lines = (await Deno.readTextFile(`${dir}/proofs.ndjson`)).split("\n");
    assert.equal(lines.pop(), "");
    assert.deepEqual(lines, reference.proofs.map((p) => JSON.stringify(JSON.parse(p.json))));
    assert.equal(await Deno.readTextFile(`${dir}/leaves.csv`), reference.leavesCsv);
    assert.equal(await Deno.readTextFile(`${dir}/statement.dsse.json`), envelopeToJson(reference.envelope));
    const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
    for (const line of lines) {
      assert.equal(
        verifyProof({ proof: line, envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`) }, keys).ok,
        true,
      );
    }
    await assert.rejects(Deno.stat(`${dir}/proofs`), Deno.errors.NotFound);
  });
});

Deno.test("none mode writes no proofs and the same statement; proofFor selects proofs", async () => {
  await withTemp(async (dir) => {
    const r = await publishToDirectory({ accounts: INPUT.accounts, event: INPUT.event, out: dir }, INPUT.signers, {
      saltSecret: INPUT.saltSecret,
      proofs: "none",
    });
    assert.equal(r.proofs, 0);
    assert.equal(r.digest, "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "keys.json",
      "leaves.csv",
      "statement.dsse.json",
    ]);
  });
  await withTemp(async (dir) => {
    const r = await publishToDirectory({ accounts: INPUT.accounts, event: INPUT.event, out: dir }, INPUT.signers, {
      saltSecret: INPUT.saltSecret,
      proofs: "ndjson",
      proofFor: (i) => i % 3 === 0,
    });
    assert.equal(r.proofs, 3);
    const indices = (await Deno.readTextFile(`${dir}/proofs.ndjson`)).trim().split("\n").map((l) =>
      JSON.parse(l).index
    );
    assert.deepEqual(indices, [0, 3, 6]);
  });
});

Deno.test("large and unusual accounts: bases above 2^53, Unicode and replaced ids, many accounts", async () => {
  const event: EventSpec = {
    ...INPUT.event,
    deficit: 10n ** 30n,
    insuranceFund: 10n ** 20n,
    policy: { base: "equity", rounding: "largest-remainder", cap: { num: 1n, den: 3n } },
  };
  const lines = ["account,base"];
  for (let i = 0; i < 700; i++) lines.push(`user-${i},${(BigInt(i) * 7919n) ** 3n % 10n ** 25n}`);
  lines.push("ünïcødé-😀,9007199254740993", "zero,0", "max,340282366920938463463374607431768211455");
  const bytes = new Uint8Array([
    ...enc.encode(lines.join("\n") + "\n"),
    ...enc.encode("bad-"),
    0xff,
    ...enc.encode(",5\n"),
  ]);
  const accounts = parseAccountsCsv(new TextDecoder().decode(bytes).replace("bad-\ufffd,5\n", ""))
    .concat([{ account: "bad-\ufffd", base: 5n }]);
  // The maximum base alone makes the total overflow: drop it for the reference and the stream alike.
  const withoutMax = accounts.filter((a) => a.account !== "max");
  const text = new TextDecoder().decode(bytes).replace("max,340282366920938463463374607431768211455\n", "");
  const source = enc.encode(text);
  const reference = buildPublication({ accounts: withoutMax, event }, INPUT.signers, {
    saltSecret: INPUT.saltSecret,
  });
  await withTemp(async (dir) => {
    await publishToDirectory({ accounts: chunked(source, 33), event, out: dir }, INPUT.signers, {
      saltSecret: INPUT.saltSecret,
    });
    assert.equal(await Deno.readTextFile(`${dir}/leaves.csv`), reference.leavesCsv);
    for (const p of reference.proofs) assert.equal(await Deno.readTextFile(`${dir}/proofs/${p.fileName}`), p.json);
    const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
    const envelope = await Deno.readTextFile(`${dir}/statement.dsse.json`);
    for (const workers of [0, 2]) {
      const report = await verifyPublication(
        { envelope, leaves: await Deno.readFile(`${dir}/leaves.csv`) },
        keys,
        { workers, batchSize: 64 },
      );
      assert.equal(report.ok, true, JSON.stringify(report.errors));
    }
  });
  await withTemp(async (dir) => {
    await assert.rejects(
      publishToDirectory({ accounts: bytes, event, out: `${dir}/out` }, INPUT.signers),
      (e: unknown) => e instanceof InputError && /reaches 2\^128/.test(e.message),
    );
    await assert.rejects(Deno.stat(`${dir}/out`), Deno.errors.NotFound, "nothing is written on failure");
  });
});

Deno.test("without a salt secret, salts are random per run and the publication verifies", async () => {
  const digests = new Set<string>();
  for (let run = 0; run < 2; run++) {
    await withTemp(async (dir) => {
      const r = await publishToDirectory({ accounts: INPUT.accounts, event: INPUT.event, out: dir }, INPUT.signers, {
        proofs: "ndjson",
      });
      digests.add(r.digest);
      const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
      const envelope = await Deno.readTextFile(`${dir}/statement.dsse.json`);
      const report = await verifyPublication({ envelope, leaves: await Deno.readFile(`${dir}/leaves.csv`) }, keys);
      assert.equal(report.ok, true);
      for (const line of (await Deno.readTextFile(`${dir}/proofs.ndjson`)).trim().split("\n")) {
        assert.equal(verifyProof({ proof: line, envelope }, keys).ok, true);
      }
    });
  }
  assert.equal(digests.size, 2);
});

Deno.test("malformed accounts.csv: the same InputError message as parseAccountsCsv, and nothing written", async () => {
  const q = String.fromCharCode(0x22);
  const cases = [
    "",
    "account,base",
    "account,base\n",
    "account,base\r\nalice,1\r\n",
    "\ufeffaccount,base\nalice,1\n",
    "Account,Base\nalice,1\n",
    "account,base\nalice,1\nalice,2\n",
    "account,base\nalice,1\nbob,x\nalice,2\n",
    "account,base\nalice,1\nalice,2\nbob,x\n",
    "account,base\nalice,1\nbob,2",
    "account,base\nalice,1\nbob,x",
    "account,base\nalice,01\n",
    "account,base\nalice,-1\n",
    "account,base\nalice,1.0\n",
    "account,base\nalice, 1\n",
    "account,base\nalice,1\r\n",
    "account,base\nalice,340282366920938463463374607431768211456\n",
    "account,base\nalice,1" + "0".repeat(40) + "\n",
    "account,base\nalice\n",
    "account,base\nal,ice,1\n",
    "account,base\n,1\n",
    "account,base\n" + "x".repeat(257) + ",1\n",
    "account,base\n" + "é".repeat(129) + ",1\n",
    "account,base\n" + "x".repeat(256) + ",1\nx,1\n",
    `account,base\nal${q}ice,1\n`,
    "account,base\nal\tice,1\n",
    "account,base\nal\u007fice,1\n",
    "account,base\n\n",
    "account,base\nbob,2\n\nalice,1\n",
  ];
  for (const text of cases) {
    const bytes = enc.encode(text);
    let expected: string | undefined;
    try {
      parseAccountsCsv(new TextDecoder().decode(bytes)); // as the CLI read it: Deno.readTextFile strips a BOM
    } catch (e) {
      assert.ok(e instanceof InputError);
      expected = e.message;
    }
    await withTemp(async (dir) => {
      for (const chunk of [0, 1, 5]) {
        const source = chunk === 0 ? bytes : chunked(bytes, chunk);
        const out = `${dir}/out${chunk}`;
        if (expected === undefined) {
          await publishToDirectory({ accounts: source, event: INPUT.event, out: out }, INPUT.signers, {
            proofs: "none",
          });
          continue;
        }
        await assert.rejects(
          publishToDirectory({ accounts: source, event: INPUT.event, out: out }, INPUT.signers, { proofs: "none" }),
          (e: unknown) => e instanceof InputError && e.message === expected,
          `${JSON.stringify(text)}: expected ${expected}`,
        );
        await assert.rejects(Deno.stat(out), Deno.errors.NotFound, "nothing is written on failure");
      }
    });
  }
});

Deno.test("an invalid event or no signer is an InputError before anything is written", async () => {
  await withTemp(async (dir) => {
    await assert.rejects(
      publishToDirectory(
        { accounts: INPUT.accounts, event: { ...INPUT.event, venue: "" }, out: `${dir}/a` },
        INPUT.signers,
      ),
      InputError,
    );
    await assert.rejects(
      publishToDirectory({ accounts: INPUT.accounts, event: INPUT.event, out: `${dir}/b` }, []),
      InputError,
    );
    await assert.rejects(
      publishToDirectory({ accounts: INPUT.accounts, event: INPUT.event, out: `${dir}/c` }, [
        signingKeyFromSecret("ed25519", new Uint8Array(32)),
      ], {
        proofs: "zip" as "none",
      }),
      InputError,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});
