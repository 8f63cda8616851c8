import assert from "node:assert/strict";
import { parseKeysFile, verifyProof } from "../mod.ts";
import { bytesToBase64 } from "../src/core/encoding.ts";
import { explainProof } from "../src/report/explain.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import {
  appendStatement,
  cosignatureSigner,
  ed25519NoteSigner,
  initLog,
  type LogState,
  mergeCosignatures,
  parseLogPolicy,
  parseNote,
  proveStatement,
  signNote,
  verifyLogProof,
  withLogProof,
} from "../tlog.ts";

const ORIGIN = "example.com/haircut-log";
const key = (n: number) => signingKeyFromSecret("ed25519", new Uint8Array(32).fill(n));
const log = ed25519NoteSigner(ORIGIN, key(1));
const witnesses = [1, 2, 3].map((i) => cosignatureSigner(`w${i}.example`, key(10 + i), 1700000000 + i));
const digests = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(64));

function logWith(cosigners: number): LogState {
  let state = initLog(ORIGIN, log);
  digests.forEach((digest, i) => {
    state = appendStatement(state, { digest, venue: "V", previous: i === 0 ? null : digests[i - 1] }, log);
  });
  const text = parseNote(state.checkpoint).text;
  const lines = witnesses.slice(0, cosigners).map((w) => signNote(text, [w]).slice(text.length + 1));
  return mergeCosignatures(state, lines);
}

function policy(quorum: number, logVkey = log.vkey, origin = ORIGIN) {
  return parseLogPolicy(JSON.stringify({ origin, log: logVkey, witnesses: witnesses.map((w) => w.vkey), quorum }));
}

const codes = (r: { errors: { code: string }[] }) => r.errors.map((e) => e.code);
const statuses = (r: { checks: { status: string }[] }) => r.checks.map((c) => c.status);

Deno.test("verifyLogProof: every entry of a cosigned log verifies, with each witness's time", () => {
  const state = logWith(2);
  for (const [i, digest] of digests.entries()) {
    const r = verifyLogProof(digest, proveStatement(state, digest), policy(2));
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual([r.index, r.size], [i, 5]);
    assert.deepEqual(statuses(r), ["pass", "pass", "pass"]);
    assert.deepEqual(r.witnesses.map((w) => [w.name, w.cosigned, w.timestamp]), [
      ["w1.example", true, 1700000001],
      ["w2.example", true, 1700000002],
      ["w3.example", false, undefined],
    ]);
    assert.equal(r.witnesses[0].time, "2023-11-14T22:13:21Z");
  }
});

Deno.test("verifyLogProof: quorum, wrong entry, wrong log key, wrong origin, malformed file", () => {
  const state = logWith(2);
  const proof = proveStatement(state, digests[3]);
  const quorum = verifyLogProof(digests[3], proof, policy(3));
  assert.deepEqual(codes(quorum), ["WITNESS_QUORUM"]);
  assert.deepEqual(statuses(quorum), ["pass", "fail", "pass"]);

  const other = verifyLogProof(digests[2], proof, policy(2));
  assert.deepEqual(codes(other), ["LOG_INCLUSION_MISMATCH"]);
  assert.match(other.errors[0].message, /hashes to [0-9a-f]{64}, the root is/);

  const stranger = ed25519NoteSigner(ORIGIN, key(99)).vkey;
  const unsigned = verifyLogProof(digests[3], proof, policy(2, stranger));
  assert.deepEqual(codes(unsigned), ["LOG_SIGNATURE_INVALID"]);
  assert.deepEqual(statuses(unsigned), ["fail", "skip", "skip"]);

  const elsewhere = verifyLogProof(
    digests[3],
    proof,
    policy(2, ed25519NoteSigner("other.example", key(1)).vkey, "other.example"),
  );
  assert.deepEqual(codes(elsewhere), ["LOG_SIGNATURE_INVALID"]);
  const mislabelled = verifyLogProof(digests[3], proof, policy(2, log.vkey, "example.com/another-log"));
  assert.deepEqual(codes(mislabelled), ["LOG_PROOF_INVALID"]);

  for (
    const bad of [
      "",
      "c2sp.org/tlog-proof@v1\n",
      proof.replace("index 3", "index 03"),
      proof.replace(/\n\n— /, "\n\n- "),
    ]
  ) {
    assert.deepEqual(
      codes(verifyLogProof(digests[3], bad, policy(2))),
      ["LOG_PROOF_INVALID"],
      JSON.stringify(bad.slice(0, 50)),
    );
  }
  const outside = verifyLogProof(digests[3], proof.replace("index 3", "index 5"), policy(2));
  assert.deepEqual(codes(outside), ["LOG_INCLUSION_MISMATCH"]);
  assert.match(outside.errors[0].message, /index 5 is outside the checkpoint's tree of 5/);
  const shortPath = verifyLogProof(digests[3], proof.replace(/\nindex 3\n[^\n]+\n/, "\nindex 3\n"), policy(2));
  assert.deepEqual(codes(shortPath), ["LOG_INCLUSION_MISMATCH"]);
});

Deno.test("verifyLogProof: a pinned witness's bad cosignature refuses the checkpoint; a tampered root breaks the log signature", () => {
  const state = logWith(2);
  const proof = proveStatement(state, digests[0]);
  const lines = proof.split("\n");
  const at = lines.findIndex((l) => l.startsWith("— w2.example "));
  const sig = Uint8Array.from(atob(lines[at].split(" ")[2]), (c) => c.charCodeAt(0));
  sig[20] ^= 0x40;
  lines[at] = `— w2.example ${bytesToBase64(sig)}`;
  const r = verifyLogProof(digests[0], lines.join("\n"), policy(1));
  assert.deepEqual(codes(r), ["WITNESS_QUORUM"]);
  assert.match(r.errors[0].message, /w2\.example .* does not verify.*refused/);

  const root = lines.findIndex((_l, i) => i > 0 && lines[i - 1] === "5");
  const tampered = [...lines.slice(0, root), bytesToBase64(new Uint8Array(32)), ...lines.slice(root + 1)].join("\n");
  assert.deepEqual(codes(verifyLogProof(digests[0], tampered, policy(0))), ["LOG_SIGNATURE_INVALID"]);
});

Deno.test("verifyLogProof: quorum 0 needs only the log; a checkpoint signed only by witnesses is refused", () => {
  const state = logWith(0);
  const proof = proveStatement(state, digests[4]);
  assert.equal(verifyLogProof(digests[4], proof, policy(0)).ok, true);
  const text = parseNote(state.checkpoint).text;
  const witnessOnly = proof.replace(state.checkpoint, signNote(text, [witnesses[0]]));
  assert.deepEqual(codes(verifyLogProof(digests[4], witnessOnly, policy(1))), ["LOG_SIGNATURE_INVALID"]);
});

Deno.test("the explanation: a passed log check is the 'logged' guarantee; each log code is a 'log' reason", () => {
  const corpus = new URL("../fixtures/tampered/", import.meta.url);
  const read = (name: string, file: string) => Deno.readTextFileSync(new URL(`${name}/${file}`, corpus));
  const keys = parseKeysFile(Deno.readTextFileSync(new URL("base/keys.json", corpus)));
  const explain = (name: string, policyText = read(name, "log-policy.json")) =>
    explainProof(withLogProof(
      verifyProof({ proof: read(name, "proof.json"), envelope: read(name, "statement.dsse.json") }, keys),
      { proof: read(name, "statement.tlog-proof"), policy: parseLogPolicy(policyText) },
    ));
  // The quorum case's proof is valid at quorum 1.
  const passing = explain(
    "log-quorum-not-met",
    read("log-quorum-not-met", "log-policy.json").replace('"quorum": 2', '"quorum": 1'),
  );
  assert.equal(passing.reason.code, "valid");
  assert.ok(passing.guarantees.holds.includes("logged"));
  assert.deepEqual(passing.log?.witnesses.map((w) => w.cosigned), [true, false]);
  for (
    const [name, code] of [
      ["log-proof-garbled", "LOG_PROOF_INVALID"],
      ["log-signed-by-another-key", "LOG_SIGNATURE_INVALID"],
      ["log-quorum-not-met", "WITNESS_QUORUM"],
      ["log-other-statement", "LOG_INCLUSION_MISMATCH"],
    ]
  ) {
    const e = explain(name);
    assert.equal(e.reason.code, "log", name);
    assert.equal(e.reason.code === "log" && e.reason.finding.code, code, name);
    assert.ok(!e.guarantees.holds.includes("logged"), name);
  }
});
