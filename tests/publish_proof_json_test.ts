/**
 * The publisher's proof serializer (src/publish/_proof_json.ts): pretty and
 * compact text are exactly JSON.stringify of the proof object, whatever the
 * path length and however the per-level cache is hit, and another layout
 * writes its own fields.
 */

import assert from "node:assert/strict";
import { type ProofLayout, ProofWriter, SUM_PROOF } from "../src/publish/_proof_json.ts";
import { parseProof } from "../mod.ts";
import type { SumNode } from "../tree.ts";
import { bytesToHex } from "../src/core/encoding.ts";

const DIGEST = "ab".repeat(32);
const NODES: SumNode[] = Array.from({ length: 8 }, (_, i) => ({
  hash: new Uint8Array(32).fill(i + 1),
  base: BigInt(i) * 1000n + 7n,
  haircut: BigInt(i),
}));
const node = (record: number): SumNode => NODES[record];

function leaf(index: number) {
  return { account: `acc "${index}" é`, salt: new Uint8Array(32).fill(index), index, base: 99n, haircut: 3n };
}

function reference(l: ReturnType<typeof leaf>, path: number[], layout: ProofLayout) {
  return {
    type: layout.type,
    statement: DIGEST,
    account: l.account,
    salt: bytesToHex(l.salt),
    index: l.index,
    ...layout.amounts(l.base, l.haircut),
    path: path.map((r) => ({ hash: bytesToHex(NODES[r].hash), ...layout.amounts(NODES[r].base, NODES[r].haircut) })),
  };
}

/** Paths that share, change and drop levels between consecutive proofs, as the cache sees them. */
const PATHS = [[], [1], [1, 2], [3, 2], [3, 2, 4, 5, 6], [0, 2, 4, 5, 6], [0], [7, 7, 7], []];

Deno.test("ProofWriter: pretty is JSON.stringify(proof, null, 2) and compact is JSON.stringify(proof), each with LF", () => {
  for (const style of ["pretty", "compact"] as const) {
    const writer = new ProofWriter({ layout: SUM_PROOF, statement: DIGEST, style, node });
    PATHS.forEach((path, i) => {
      const expected = reference(leaf(i), path, SUM_PROOF);
      const text = writer.json(leaf(i), path);
      assert.equal(text, (style === "pretty" ? JSON.stringify(expected, null, 2) : JSON.stringify(expected)) + "\n");
    });
  }
});

Deno.test("ProofWriter: the main layout's proofs parse as trader proofs", () => {
  const writer = new ProofWriter({ layout: SUM_PROOF, statement: DIGEST, style: "compact", node });
  const proof = parseProof(writer.json(leaf(2), [1, 2]));
  assert.equal(proof.account, 'acc "2" é');
  assert.equal(proof.base, 99n);
  assert.deepEqual(proof.path.map((p) => p.base), [1007n, 2007n]);
});

Deno.test("ProofWriter: another layout writes its own type and amount fields", () => {
  const loss: ProofLayout = { type: "socialized-loss/deficit-proof/v1", amounts: (base) => ({ loss: `${base}` }) };
  const writer = new ProofWriter({ layout: loss, statement: DIGEST, style: "compact", node });
  const parsed = JSON.parse(writer.json(leaf(1), [4]));
  assert.deepEqual(Object.keys(parsed), ["type", "statement", "account", "salt", "index", "loss", "path"]);
  assert.deepEqual(parsed.path, [{ hash: bytesToHex(NODES[4].hash), loss: "4007" }]);
  assert.equal(parsed.type, "socialized-loss/deficit-proof/v1");
});
