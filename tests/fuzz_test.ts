/**
 * Mutation fuzzing with a small budget and a fixed seed (`deno task fuzz`
 * runs the full budget). For each target: no crash (only structured results
 * or FormatError/InputError) and no false accept (nothing semantically
 * changed is reported valid). A failure message names the seed; set
 * FUZZ_SEED and FUZZ_RUNS to replay or widen a run.
 *
 * The oracles are tested first: each must tell a semantic change from a
 * harmless one, or the fuzzing below would prove nothing.
 */

import assert from "node:assert/strict";
import {
  applyMutations,
  envelopeCanon,
  fuzzTarget,
  keysReference,
  leavesCanon,
  loadCorpus,
  proofCanon,
  runCase,
  statementProblem,
  TARGETS,
} from "../scripts/fuzz_lib.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20181139);
const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 800);
const corpus = await loadCorpus();
const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("fuzz oracle: leavesCanon ignores layout but sees every row change", () => {
  const text = dec.decode(corpus.leaves);
  const lines = text.split("\n");
  const same = (t: string): boolean => leavesCanon(enc.encode(t)) === leavesCanon(corpus.leaves);
  assert.ok(same(text.replaceAll("\n", "\r\n")), "CRLF");
  assert.ok(same("\ufeff" + text + "\n\n"), "BOM and blank lines");
  assert.ok(same(text.toUpperCase().replace("ACCOUNT_KEY,BASE,HAIRCUT", "account_key,base,haircut")), "hex case");
  assert.ok(!same([lines[0], lines[2], lines[1], ...lines.slice(3)].join("\n")), "two rows swapped");
  assert.ok(!same(text.replace(/,(\d+)\n/, (_, h) => `,${Number(h) + 1}\n`)), "a haircut changed");
  assert.ok(!same(lines.slice(0, -2).join("\n") + "\n"), "a row dropped");
});

Deno.test("fuzz oracle: proofCanon and envelopeCanon see semantic changes only", () => {
  const proof = corpus.proofs[0];
  const p = JSON.parse(proof);
  assert.equal(proofCanon(JSON.stringify(p)), proofCanon(proof), "reformatted");
  assert.equal(proofCanon(proof.replace(`"index": ${p.index}`, `"index": ${p.index}.0`)), proofCanon(proof));
  assert.notEqual(proofCanon(JSON.stringify({ ...p, index: p.index + 1 })), proofCanon(proof), "index");
  assert.notEqual(proofCanon(JSON.stringify({ ...p, haircut: "1" })), proofCanon(proof), "haircut");
  assert.notEqual(proofCanon(JSON.stringify({ ...p, path: p.path.slice(1) })), proofCanon(proof), "path");
  assert.notEqual(proofCanon(JSON.stringify({ ...p, extra: 1 })), proofCanon(proof), "unknown field");

  const e = JSON.parse(corpus.envelope);
  const canon = envelopeCanon(corpus.envelope);
  assert.equal(envelopeCanon(JSON.stringify(e)), canon, "reformatted");
  const keyidChanged = { ...e, signatures: e.signatures.map((s: { sig: string }) => ({ keyid: "00", sig: s.sig })) };
  assert.equal(envelopeCanon(JSON.stringify(keyidChanged)), canon, "keyids are untrusted hints");
  assert.notEqual(envelopeCanon(JSON.stringify({ ...e, signatures: e.signatures.slice(1) })), canon, "signature gone");
  assert.notEqual(envelopeCanon(JSON.stringify({ ...e, payloadType: "x" })), canon, "payloadType");
  assert.notEqual(envelopeCanon(JSON.stringify({ ...e, payload: "e30=" })), canon, "payload");
});

Deno.test("fuzz oracle: statementProblem accepts the original and legitimate edits, and flags the rest", () => {
  const s = JSON.parse(corpus.payload);
  const jcs = (v: unknown): string => JSON.stringify(sortKeys(v));
  assert.equal(statementProblem(corpus.payload, corpus.payload), undefined);
  assert.equal(statementProblem(jcs({ ...s, venue: "Other" }), corpus.payload), undefined, "venue is free");
  assert.equal(statementProblem(JSON.stringify(s, null, 1), corpus.payload), "not canonical JCS");
  assert.equal(
    statementProblem(corpus.payload.replace('{"asset"', '{"asset":"X","asset"'), corpus.payload),
    "not canonical JCS",
  );
  assert.equal(statementProblem(jcs({ ...s, insuranceUsed: "0" }), corpus.payload), "insurance not used first");
  assert.equal(
    statementProblem(jcs({ ...s, tree: { ...s.tree, root: "00".repeat(32) } }), corpus.payload),
    "tree head",
  );
  assert.equal(statementProblem(jcs({ ...s, extra: 1 }), corpus.payload), "fields");
  assert.equal(statementProblem(jcs({ ...s, snapshotTime: "2026-02-30T00:00:00Z" }), corpus.payload), "snapshotTime");
});

Deno.test("fuzz oracle: keysReference reads the keys file independently", () => {
  const k = JSON.parse(corpus.keysText);
  const ref = keysReference(corpus.keysText);
  assert.ok("canon" in ref);
  assert.deepEqual(keysReference(JSON.stringify({ ...k, keys: [...k.keys].reverse() })), ref, "key order");
  assert.ok("problem" in keysReference(JSON.stringify({ ...k, threshold: 3 })));
  assert.ok("problem" in keysReference(JSON.stringify({ ...k, keys: [{ ...k.keys[0], keyid: "00" }] })));
  assert.ok("problem" in keysReference(JSON.stringify({ ...k, keys: [{ ...k.keys[0], extra: 1 }] })));
  const upper = { ...k.keys[0], publicKey: k.keys[0].publicKey.toUpperCase() };
  assert.ok("problem" in keysReference(JSON.stringify({ ...k, keys: [upper], threshold: 1 })));
});

Deno.test("fuzz: the mutations change inputs and a hand-made false accept would be caught", async () => {
  const flipped = applyMutations(corpus.leaves, [{ op: "flip", at: 100, mask: 1 }], []);
  assert.notDeepEqual(flipped, corpus.leaves);
  const swapped = dec.decode(
    applyMutations(enc.encode(corpus.proofs[0]), [{ op: "fromSibling", which: 2, sibling: 1 }], corpus.proofs),
  );
  assert.notEqual(proofCanon(swapped), proofCanon(corpus.proofs[0]));
  // The unmutated corpus is accepted, so the oracles start from "valid".
  for (const target of TARGETS) {
    const outcome = await runCase(corpus, target, { mutations: [], pick: 0, chunk: 17 });
    assert.deepEqual(outcome, { kind: "accepted", change: "none" }, target);
  }
});

for (const target of TARGETS) {
  Deno.test(`fuzz ${target}: ${RUNS} mutations (seed ${SEED}), no crash and no false accept`, async () => {
    const stats = await fuzzTarget(corpus, target, { runs: RUNS, seed: SEED, failFast: true });
    console.log(
      `fuzz ${target} (seed ${SEED}): ${stats.runs} runs, ${stats.rejected} rejected, ${stats.harmless} harmless, ` +
        `${stats.legitimate} legitimate, ${stats.unchanged} no-op, ${stats.crashes} crashes, ` +
        `${stats.falseAccepts} false accepts, slowest ${stats.slowestMs.toFixed(1)} ms`,
    );
    assert.equal(stats.crashes, 0, `seed ${SEED}`);
    assert.equal(stats.falseAccepts, 0, `seed ${SEED}`);
    assert.ok(stats.rejected > stats.runs / 2, "most mutations are rejected");
  });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
