/**
 * verifyPublication and verifyProof: the golden publication and the example
 * fixture verify cleanly, and a tamper test for every error code.
 *
 * The tamper tests record each code they assert in `observed`; the last test
 * checks that every code in ERROR_CODES was produced (Deno runs the tests of
 * a file in order).
 */

import assert from "node:assert/strict";
import {
  checkChain,
  type CheckResult,
  ERROR_CODES,
  type ErrorCode,
  type Finding,
  type KeysFile,
  parseKeysFile,
  payloadDigest,
  type ProofReport,
  type PublicationReport,
  verifyProof,
  verifyPublication,
  type VerifyPublicationOptions,
} from "../mod.ts";
import { parseLogPolicy, withLogProof } from "../tlog.ts";
import { buildPublication, parseSigningKey, signEnvelope, type SigningKey } from "../publish.ts";
import { inclusionPath, sumHasher, sumLeaf } from "../tree.ts";
import { canonicalJson, type JsonValue } from "../src/core/_json.ts";
import { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { treeLevels } from "../src/core/tree.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";

// ---------------------------------------------------------------------------
// Inputs

const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const EXAMPLE = new URL("../fixtures/example/", import.meta.url);

const GOLDEN_DIGEST = "03fb5e716ab8ce182ca0d45c6a0172fb1894fe77fee14285bae5d3d39f064b62";
const GOLDEN_ROOT = "7325b16fdcbaa634dc938eaff0a8bc74a1c41c671b5b8b9c0ce8083d591763c8";
const EXAMPLE_DIGEST = "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a";
const EXAMPLE_ROOT = "ba33aacffef59302a49fe592c5c9f968d459780c15310ea1ce6728e77d49dd17";
const GOLDEN_ED25519_KEYID = "34750f98bd59fcfc946da45aaabe933be154a4b5094e1c4abf42866505f3c97e";
const GOLDEN_SECP256K1_KEYID = "80a9f99957b29af20338037cf06360bc55422e5bba0032bb4136498c278a7db1";

const PUBLICATION_CHECKS = [
  "envelope",
  "signatures",
  "statement",
  "arithmetic",
  "leaf format",
  "leaf order",
  "haircut <= base",
  "allocation",
  "rounding order",
  "leaf count",
  "totals",
  "root",
];
const PROOF_CHECKS = [
  "envelope",
  "signatures",
  "statement",
  "arithmetic",
  "proof format",
  "statement digest",
  "inclusion",
  "haircut <= base",
  "pro-rata charge",
];

interface ProofNodeJson {
  hash: string;
  base: string;
  haircut: string;
}

interface ProofJson {
  type: string;
  statement: string;
  account: string;
  salt: string;
  index: number;
  base: string;
  haircut: string;
  path: ProofNodeJson[];
}

interface StatementJson {
  [key: string]: unknown;
  venue: string;
  decimals: number;
  deficit: string;
  insuranceFund: string;
  insuranceUsed: string;
  shortfall: string;
  target: string;
  uncovered: string;
  policy: { base: string; rounding: string; cap: { num: string; den: string } | null };
  tree: { root: string; leafCount: number; totalBase: string; totalHaircut: string };
  previous: string | null;
}

interface Row {
  key: string;
  base: bigint;
  haircut: bigint;
}

function read(base: URL, name: string): string {
  return Deno.readTextFileSync(new URL(name, base));
}

const golden = {
  envelope: read(GOLDEN, "statement.dsse.json"),
  leaves: read(GOLDEN, "leaves.csv"),
  keys: parseKeysFile(read(GOLDEN, "keys.json")),
  proofs: JSON.parse(read(GOLDEN, "proofs.json")) as Record<string, ProofJson>,
  signers: [
    signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)),
    signingKeyFromSecret("secp256k1", new Uint8Array(32).fill(2)),
  ],
};

const exampleProofs = new Map<string, string>();
for (const entry of [...Deno.readDirSync(new URL("proofs/", EXAMPLE))].sort((a, b) => a.name < b.name ? -1 : 1)) {
  exampleProofs.set(entry.name, read(EXAMPLE, `proofs/${entry.name}`));
}

const example = {
  envelope: read(EXAMPLE, "statement.dsse.json"),
  leaves: read(EXAMPLE, "leaves.csv"),
  keys: parseKeysFile(read(EXAMPLE, "keys.json")),
  signers: [
    parseSigningKey(read(EXAMPLE, "input/venue.key.json")),
    parseSigningKey(read(EXAMPLE, "input/auditor.key.json")),
  ],
};

// ---------------------------------------------------------------------------
// Helpers

const encoder = new TextEncoder();

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function parseRows(csv: string): Row[] {
  const lines = csv.split("\n");
  assert.equal(lines[0], "account_key,base,haircut");
  assert.equal(lines[lines.length - 1], "");
  return lines.slice(1, -1).map((line) => {
    const [key, base, haircut] = line.split(",");
    return { key, base: BigInt(base), haircut: BigInt(haircut) };
  });
}

function rowsCsv(rows: readonly Row[]): string {
  return "account_key,base,haircut\n" + rows.map((r) => `${r.key},${r.base},${r.haircut}\n`).join("");
}

function levelsOf(rows: readonly Row[]) {
  return treeLevels(rows.map((r) => sumLeaf(hexToBytes(r.key, 32), r.base, r.haircut)), sumHasher);
}

function rootHexOf(rows: readonly Row[]): string {
  const levels = levelsOf(rows);
  return bytesToHex(levels[levels.length - 1][0].hash);
}

function payloadOf(envelopeText: string): Uint8Array {
  return base64ToBytes(JSON.parse(envelopeText).payload);
}

function statementOf(envelopeText: string): StatementJson {
  return JSON.parse(new TextDecoder().decode(payloadOf(envelopeText)));
}

function signBytes(payload: Uint8Array, signers: readonly SigningKey[]): string {
  return envelopeToJson(signEnvelope(payload, signers));
}

function signStatement(statement: StatementJson, signers: readonly SigningKey[] = golden.signers): string {
  return signBytes(bytes(canonicalJson(statement as unknown as JsonValue)), signers);
}

/** The golden publication with its leaves edited, the root recomputed and the statement re-signed. */
function resignedGolden(
  editRows: (rows: Row[]) => void,
  editStatement: (s: StatementJson) => void = () => {},
): { envelope: string; leaves: string; rows: Row[] } {
  const rows = parseRows(golden.leaves);
  editRows(rows);
  const s = statementOf(golden.envelope);
  s.tree.root = rootHexOf(rows);
  editStatement(s);
  return { envelope: signStatement(s), leaves: rowsCsv(rows), rows };
}

function verifyGolden(
  input: { envelope?: string; leaves?: string | Uint8Array } = {},
  options: VerifyPublicationOptions = {},
  keys: KeysFile = golden.keys,
): Promise<PublicationReport> {
  const leaves = input.leaves ?? golden.leaves;
  return verifyPublication(
    { envelope: input.envelope ?? golden.envelope, leaves: typeof leaves === "string" ? bytes(leaves) : leaves },
    keys,
    options,
  );
}

function proofText(proof: ProofJson): string {
  return JSON.stringify(proof, null, 2) + "\n";
}

function goldenProof(account: string): ProofJson {
  return structuredClone(golden.proofs[account]);
}

/** A proof for leaf `index` of `rows`, built from a golden proof's salt and account. */
function proofFor(account: string, rows: readonly Row[], envelopeText: string): ProofJson {
  const p = goldenProof(account);
  const levels = levelsOf(rows);
  const row = rows[p.index];
  return {
    ...p,
    statement: payloadDigest(payloadOf(envelopeText)),
    base: `${row.base}`,
    haircut: `${row.haircut}`,
    path: inclusionPath(levels, p.index).map((n) => ({
      hash: bytesToHex(n.hash),
      base: `${n.base}`,
      haircut: `${n.haircut}`,
    })),
  };
}

/** What every report kind has in common (chain reports have no checks list). */
interface AnyReport {
  ok: boolean;
  errors: Finding[];
  errorCount: number;
  checks?: readonly CheckResult[];
}

const observed = new Set<ErrorCode>();

/**
 * Asserts the report failed with `code` (at `leaf`, or with no leaf when
 * `leaf` is null), that the message names every string in `includes`, and
 * that the check owning the code failed. Records the code as observed.
 */
function expectFinding(
  report: AnyReport,
  code: ErrorCode,
  leaf: number | null,
  includes: readonly string[],
): Finding {
  assert.equal(report.ok, false, `expected ${code}, but the report is ok`);
  assert.ok(report.errorCount >= report.errors.length);
  const withCode = report.errors.filter((e) => e.code === code);
  assert.ok(withCode.length > 0, `expected ${code}, got ${JSON.stringify(report.errors)}`);
  const found = withCode.find((e) =>
    (leaf === null ? e.leaf === undefined : e.leaf === leaf) && includes.every((s) => e.message.includes(s))
  );
  assert.ok(
    found,
    `no ${code} finding with leaf ${leaf} and message containing ${JSON.stringify(includes)}: ` +
      JSON.stringify(withCode),
  );
  assert.ok(!found.message.includes("\n"), "messages are one line");
  if (report.checks) {
    const owner = report.checks.find((c) => c.codes.includes(code));
    assert.ok(owner, `no check owns ${code}`);
    assert.equal(owner.status, "fail", `check ${owner.name} should fail for ${code}`);
  }
  observed.add(code);
  return found;
}

function codesOf(report: AnyReport): ErrorCode[] {
  return report.errors.map((e) => e.code);
}

function checkStatus(report: PublicationReport | ProofReport, name: string): string | undefined {
  return report.checks.find((c) => c.name === name)?.status;
}

// ---------------------------------------------------------------------------
// Valid publications and proofs

Deno.test("golden publication verifies: every check passes, exact summary", async () => {
  const r = await verifyGolden();
  assert.equal(r.ok, true);
  assert.equal(r.kind, "publication");
  assert.deepEqual(r.errors, []);
  assert.equal(r.errorCount, 0);
  assert.equal(r.digest, GOLDEN_DIGEST);
  assert.deepEqual(r.checks.map((c) => c.name), PUBLICATION_CHECKS);
  for (const c of r.checks) assert.equal(c.status, "pass", c.name);
  assert.deepEqual(r.summary, { leaves: 5, charged: 4, totalBase: 1156790n, collected: 80000n, roundingUnits: 2 });
  assert.deepEqual(r.signers.map((s) => [s.keyid, s.status, s.trustedKeyid]), [
    [GOLDEN_ED25519_KEYID, "valid", GOLDEN_ED25519_KEYID],
    [GOLDEN_SECP256K1_KEYID, "valid", GOLDEN_SECP256K1_KEYID],
  ]);
  const s = r.statement;
  assert.ok(s);
  assert.equal(bytesToHex(s.tree.root), GOLDEN_ROOT);
  assert.equal(s.tree.leafCount, 5);
  assert.equal(s.tree.totalBase, 1156790n);
  assert.equal(s.tree.totalHaircut, 80000n);
  assert.equal(s.target, 80000n);
  assert.equal(s.shortfall, 80000n);
  assert.equal(s.insuranceUsed, 120000n);
  assert.equal(s.uncovered, 0n);
});

Deno.test("example fixture publication verifies: every check passes, exact summary", async () => {
  const r = await verifyPublication(
    { envelope: example.envelope, leaves: bytes(example.leaves) },
    example.keys,
  );
  assert.equal(r.ok, true);
  assert.deepEqual(r.errors, []);
  assert.equal(r.errorCount, 0);
  assert.equal(r.digest, EXAMPLE_DIGEST);
  assert.deepEqual(r.checks.map((c) => c.name), PUBLICATION_CHECKS);
  for (const c of r.checks) assert.equal(c.status, "pass", c.name);
  assert.deepEqual(r.summary, {
    leaves: 8,
    charged: 6,
    totalBase: 11205005n,
    collected: 1300000n,
    roundingUnits: 3,
  });
  assert.deepEqual(r.signers.map((s) => s.status), ["valid", "valid"]);
  assert.equal(bytesToHex(r.statement!.tree.root), EXAMPLE_ROOT);
  assert.equal(r.statement!.target, 1300000n);
});

Deno.test("example fixture: the leaves streamed from the file in small chunks give the same result", async () => {
  const data = bytes(example.leaves);
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < data.length; i += 7) yield data.slice(i, i + 7);
  }
  const seen: number[] = [];
  const r = await verifyPublication({ envelope: example.envelope, leaves: chunks() }, example.keys, {
    progress: (n) => seen.push(n),
  });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.equal(r.summary.leaves, 8);
  assert.equal(seen[seen.length - 1], data.length);
  assert.equal(seen.length, Math.ceil(data.length / 7));

  const file = await Deno.open(new URL("leaves.csv", EXAMPLE));
  const fromFile = await verifyPublication({ envelope: example.envelope, leaves: file.readable }, example.keys);
  assert.equal(fromFile.ok, true);
  assert.deepEqual(fromFile.summary, r.summary);
});

Deno.test("every golden proof verifies, with the exact share", async (t) => {
  const T = 80000n;
  const P = 1156790n;
  for (const [account, proof] of Object.entries(golden.proofs)) {
    await t.step(account, () => {
      const r = verifyProof({ proof: proofText(proof), envelope: golden.envelope }, golden.keys);
      assert.equal(r.ok, true, JSON.stringify(r.errors));
      assert.equal(r.kind, "proof");
      assert.deepEqual(r.errors, []);
      assert.equal(r.errorCount, 0);
      assert.equal(r.digest, GOLDEN_DIGEST);
      assert.deepEqual(r.checks.map((c) => c.name), PROOF_CHECKS);
      for (const c of r.checks) assert.equal(c.status, "pass", c.name);
      assert.equal(r.proof?.account, account);
      assert.equal(r.proof?.index, proof.index);
      const base = BigInt(proof.base);
      assert.deepEqual(r.share, { q: T * base / P, r: T * base % P });
    });
  }
  assert.deepEqual(Object.keys(golden.proofs).sort(), ["alice", "bob", "carol", "dave", "erin"]);
  const alice = verifyProof({ proof: proofText(golden.proofs.alice), envelope: golden.envelope }, golden.keys);
  assert.deepEqual(alice.share, { q: 51867n, r: 773070n });
  assert.equal(alice.proof?.haircut, 51868n);
});

Deno.test("every example fixture proof verifies", () => {
  assert.equal(exampleProofs.size, 8);
  const accounts: string[] = [];
  for (const [name, text] of exampleProofs) {
    const r = verifyProof({ proof: text, envelope: example.envelope }, example.keys);
    assert.equal(r.ok, true, `${name}: ${JSON.stringify(r.errors)}`);
    assert.equal(r.errorCount, 0);
    for (const c of r.checks) assert.equal(c.status, "pass", `${name}: ${c.name}`);
    accounts.push(r.proof!.account);
  }
  assert.deepEqual(accounts.sort(), ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]);
  const alice = verifyProof({
    proof: exampleProofs.get("ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json")!,
    envelope: example.envelope,
  }, example.keys);
  assert.equal(alice.proof?.account, "alice");
  assert.equal(alice.proof?.haircut, 87015n);
  assert.deepEqual(alice.share, { q: 87014n, r: 7694930n });
});

Deno.test("chain: a previous that names the given predecessor's digest passes", async () => {
  const next = resignedGolden(() => {}, (s) => {
    s.previous = GOLDEN_DIGEST;
  });
  const r = await verifyGolden(next, { previous: golden.envelope });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.equal(checkStatus(r, "chain"), "pass");
  assert.equal(r.statement?.previous, GOLDEN_DIGEST);
  // Without a predecessor, the chain check is not listed at all.
  const alone = await verifyGolden(next);
  assert.equal(alone.ok, true);
  assert.equal(checkStatus(alone, "chain"), undefined);
});

// ---------------------------------------------------------------------------
// Tamper tests: envelope and signatures

Deno.test("ENVELOPE_INVALID: the envelope is not JSON", async () => {
  const r = await verifyGolden({ envelope: golden.envelope.slice(0, -10) });
  expectFinding(r, "ENVELOPE_INVALID", null, ["envelope:"]);
  assert.equal(r.errorCount, 1);
  assert.equal(r.digest, undefined);
  assert.equal(r.statement, undefined);
  assert.equal(checkStatus(r, "signatures"), "skip");
  assert.equal(checkStatus(r, "root"), "skip");
  assert.deepEqual(r.summary.leaves, 0);
});

Deno.test("ENVELOPE_INVALID: an extra field, a non-canonical base64 payload, a signature without keyid", async () => {
  const env = JSON.parse(golden.envelope);
  const extra = await verifyGolden({ envelope: JSON.stringify({ ...env, note: "x" }) });
  expectFinding(extra, "ENVELOPE_INVALID", null, ["note"]);

  // "==" padding whose last data character carries non-zero padding bits.
  const payload: string = env.payload;
  assert.ok(payload.endsWith("fQ=="));
  const bad = await verifyGolden({ envelope: JSON.stringify({ ...env, payload: payload.slice(0, -3) + "R==" }) });
  expectFinding(bad, "ENVELOPE_INVALID", null, ["payload"]);

  const noKeyid = await verifyGolden({
    envelope: JSON.stringify({ ...env, signatures: [{ sig: env.signatures[0].sig }] }),
  });
  expectFinding(noKeyid, "ENVELOPE_INVALID", null, ["signatures[0]", "keyid"]);

  const proof = verifyProof({ proof: proofText(golden.proofs.alice), envelope: "{}" }, golden.keys);
  expectFinding(proof, "ENVELOPE_INVALID", null, ["envelope:"]);
});

Deno.test("PAYLOAD_TYPE: a different payloadType is rejected before any signature is trusted", async () => {
  const env = JSON.parse(golden.envelope);
  const r = await verifyGolden({ envelope: JSON.stringify({ ...env, payloadType: "application/json" }) });
  expectFinding(r, "PAYLOAD_TYPE", null, [
    '"application/json"',
    '"application/vnd.socialized-loss.statement.v1+json"',
  ]);
  assert.equal(r.statement, undefined);
  assert.equal(checkStatus(r, "statement"), "skip");
});

Deno.test("SIGNATURE_INVALID: one flipped bit in the ed25519 signature", async () => {
  const env = JSON.parse(golden.envelope);
  const sig = base64ToBytes(env.signatures[0].sig);
  sig[10] ^= 0x01;
  env.signatures[0].sig = bytesToBase64(sig);
  const r = await verifyGolden({ envelope: JSON.stringify(env) });
  expectFinding(r, "SIGNATURE_INVALID", null, ["signature 0", GOLDEN_ED25519_KEYID.slice(0, 16)]);
  expectFinding(r, "SIGNATURE_THRESHOLD", null, ["1 distinct", "threshold is 2"]);
  assert.deepEqual(codesOf(r), ["SIGNATURE_INVALID", "SIGNATURE_THRESHOLD"]);
  assert.deepEqual(r.signers.map((s) => s.status), ["invalid", "valid"]);
  assert.equal(r.statement, undefined, "nothing unsigned is trusted");
  assert.equal(checkStatus(r, "statement"), "skip");
  assert.equal(r.summary.leaves, 0, "leaves are not read under an untrusted statement");
});

Deno.test("SIGNATURE_INVALID: one changed payload byte invalidates both signatures", async () => {
  const env = JSON.parse(golden.envelope);
  const payload = base64ToBytes(env.payload);
  const text = new TextDecoder().decode(payload);
  const at = text.indexOf('"target":"80000"') + '"target":"8'.length;
  payload[at] = "1".charCodeAt(0); // target 80000 -> 81000
  env.payload = bytesToBase64(payload);
  const r = await verifyGolden({ envelope: JSON.stringify(env) });
  expectFinding(r, "SIGNATURE_INVALID", null, ["signature 0", GOLDEN_ED25519_KEYID.slice(0, 16)]);
  expectFinding(r, "SIGNATURE_INVALID", null, ["signature 1", GOLDEN_SECP256K1_KEYID.slice(0, 16)]);
  expectFinding(r, "SIGNATURE_THRESHOLD", null, ["0 distinct", "threshold is 2"]);
  assert.equal(r.errorCount, 3);
  assert.deepEqual(r.signers.map((s) => s.status), ["invalid", "invalid"]);
});

Deno.test("SIGNATURE_INVALID: an untrusted key's signature under a trusted keyid is not trusted", async () => {
  const mallory = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7));
  const forged = signEnvelope(payloadOf(golden.envelope), [mallory, golden.signers[1]]);
  forged.signatures[0].keyid = GOLDEN_ED25519_KEYID;
  const r = await verifyGolden({ envelope: envelopeToJson(forged) });
  expectFinding(r, "SIGNATURE_INVALID", null, ["signature 0"]);
  expectFinding(r, "SIGNATURE_THRESHOLD", null, ["1 distinct", "threshold is 2"]);
});

Deno.test("SIGNATURE_THRESHOLD: signed by an untrusted key only; the signer is reported as unknown", async () => {
  const mallory = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(3));
  const r = await verifyGolden({ envelope: signBytes(payloadOf(golden.envelope), [mallory]) });
  expectFinding(r, "SIGNATURE_THRESHOLD", null, ["0 distinct", "threshold is 2"]);
  assert.deepEqual(codesOf(r), ["SIGNATURE_THRESHOLD"], "an unknown signer is ignored, not an error");
  assert.equal(r.signers.length, 1);
  assert.equal(r.signers[0].status, "unknown");
  assert.equal(r.signers[0].keyid, mallory.keyid);
  assert.equal(r.signers[0].trustedKeyid, undefined);
  assert.equal(r.statement, undefined);

  const proof = verifyProof({
    proof: proofText(golden.proofs.bob),
    envelope: signBytes(payloadOf(golden.envelope), [mallory]),
  }, golden.keys);
  expectFinding(proof, "SIGNATURE_THRESHOLD", null, ["0 distinct", "threshold is 2"]);
  assert.equal(proof.signers[0].status, "unknown");
});

Deno.test("SIGNATURE_THRESHOLD: the same trusted key signing twice counts once", async () => {
  const twice = signBytes(payloadOf(golden.envelope), [golden.signers[0], golden.signers[0]]);
  const r = await verifyGolden({ envelope: twice });
  expectFinding(r, "SIGNATURE_THRESHOLD", null, ["1 distinct", "threshold is 2"]);
  assert.deepEqual(r.signers.map((s) => s.status), ["valid", "valid"]);

  // With a threshold of 1 the same envelope is enough.
  const one = parseKeysFile(JSON.stringify({ keys: JSON.parse(read(GOLDEN, "keys.json")).keys, threshold: 1 }));
  const ok = await verifyGolden({ envelope: twice }, {}, one);
  assert.equal(ok.ok, true, JSON.stringify(ok.errors));
});

Deno.test("SIGNATURE_REQUIRED: the threshold is met, but a required key did not sign", async () => {
  const keys = JSON.parse(read(GOLDEN, "keys.json")).keys;
  const policy = parseKeysFile(JSON.stringify({ keys, threshold: 1, required: [GOLDEN_SECP256K1_KEYID] }));
  const venueOnly = signBytes(payloadOf(golden.envelope), [golden.signers[0]]);
  const r = await verifyGolden({ envelope: venueOnly }, {}, policy);
  expectFinding(r, "SIGNATURE_REQUIRED", null, [`required key ${GOLDEN_SECP256K1_KEYID} has no valid signature`]);
  assert.deepEqual(codesOf(r), ["SIGNATURE_REQUIRED"]);
  assert.equal(checkStatus(r, "signatures"), "fail");
  assert.equal(r.statement, undefined, "nothing is trusted without the required key");
  const proof = verifyProof({ proof: proofText(golden.proofs.bob), envelope: venueOnly }, policy);
  expectFinding(proof, "SIGNATURE_REQUIRED", null, [GOLDEN_SECP256K1_KEYID]);
  // Both golden signatures: the threshold and the required key are met.
  const ok = await verifyGolden({}, {}, policy);
  assert.equal(ok.ok, true, JSON.stringify(ok.errors));
});

// ---------------------------------------------------------------------------
// Tamper tests: the signed statement

Deno.test("NON_CANONICAL: a pretty-printed payload, validly signed", async () => {
  const s = statementOf(golden.envelope);
  const r = await verifyGolden({ envelope: signBytes(bytes(JSON.stringify(s, null, 2)), golden.signers) });
  expectFinding(r, "NON_CANONICAL", null, ["RFC 8785"]);
  assert.equal(r.statement, undefined);
  assert.equal(checkStatus(r, "signatures"), "pass");
  assert.equal(checkStatus(r, "arithmetic"), "skip");
});

Deno.test("NON_CANONICAL: unsorted keys, a duplicate key and an unknown field, validly signed", async () => {
  // statement.json lists "type" first: compact but not sorted.
  const unsorted = JSON.stringify(JSON.parse(read(GOLDEN, "statement.json")));
  const r1 = await verifyGolden({ envelope: signBytes(bytes(unsorted), golden.signers) });
  expectFinding(r1, "NON_CANONICAL", null, ["RFC 8785"]);

  const canonical = new TextDecoder().decode(payloadOf(golden.envelope));
  assert.ok(canonical.startsWith('{"asset":"USDT",'));
  const dup = canonical.replace('{"asset":"USDT",', '{"asset":"USDT","asset":"USDT",');
  const r2 = await verifyGolden({ envelope: signBytes(bytes(dup), golden.signers) });
  expectFinding(r2, "NON_CANONICAL", null, ['duplicate key "asset"']);

  const s = statementOf(golden.envelope);
  s.extra = "1";
  const r3 = await verifyGolden({ envelope: signStatement(s) });
  expectFinding(r3, "NON_CANONICAL", null, ['"extra"']);

  const s4 = statementOf(golden.envelope);
  (s4.tree as Record<string, unknown>).depth = 3;
  const r4 = await verifyGolden({ envelope: signStatement(s4) });
  expectFinding(r4, "NON_CANONICAL", null, ['"depth"']);
});

Deno.test("STATEMENT_INVALID: bad field values, validly signed", async () => {
  const s = statementOf(golden.envelope);
  s.decimals = 39;
  const r = await verifyGolden({ envelope: signStatement(s) });
  expectFinding(r, "STATEMENT_INVALID", null, ["decimals", "0 to 38", "39"]);
  assert.equal(r.statement, undefined);

  const s2 = statementOf(golden.envelope);
  s2.target = "080000";
  const r2 = await verifyGolden({ envelope: signStatement(s2) });
  expectFinding(r2, "STATEMENT_INVALID", null, ["target", "080000"]);

  const s3 = statementOf(golden.envelope);
  s3.snapshotTime = "2026-02-30T08:00:00Z";
  const r3 = await verifyGolden({ envelope: signStatement(s3) });
  expectFinding(r3, "STATEMENT_INVALID", null, ["snapshotTime"]);

  const s4 = statementOf(golden.envelope);
  s4.policy.cap = { num: "3", den: "2" };
  const r4 = await verifyGolden({ envelope: signStatement(s4) });
  expectFinding(r4, "STATEMENT_INVALID", null, ["3/2"]);

  const s5 = statementOf(golden.envelope);
  s5.tree.leafCount = 0;
  const r5 = await verifyGolden({ envelope: signStatement(s5) });
  expectFinding(r5, "STATEMENT_INVALID", null, ["leafCount", "0"]);

  const notUtf8 = await verifyGolden({ envelope: signBytes(new Uint8Array([0x7b, 0xff, 0x7d]), golden.signers) });
  expectFinding(notUtf8, "STATEMENT_INVALID", null, ["UTF-8"]);
});

Deno.test("ARITHMETIC: the insurance fund is not used first", async () => {
  const s = statementOf(golden.envelope);
  s.insuranceUsed = "100000";
  s.shortfall = "100000";
  s.uncovered = "20000";
  const r = await verifyGolden({ envelope: signStatement(s) });
  expectFinding(r, "ARITHMETIC", null, ["insuranceUsed 100000", "deficit 200000", "insuranceFund 120000", "120000"]);
  expectFinding(r, "ARITHMETIC", null, ["target 80000", "shortfall 100000", "100000"]);
  assert.deepEqual(codesOf(r), ["ARITHMETIC", "ARITHMETIC"]);
  assert.ok(r.statement, "a signed, well-formed statement is reported even when its arithmetic fails");
});

Deno.test("ARITHMETIC: over-collection by one unit, tree and statement re-signed to match", async () => {
  const t = resignedGolden((rows) => {
    rows[4].haircut += 1n; // erin 2305 -> 2306
  }, (s) => {
    s.tree.totalHaircut = "80001";
  });
  const r = await verifyGolden(t);
  expectFinding(r, "ARITHMETIC", null, ["uncovered 0", "shortfall 80000", "totalHaircut 80001"]);
  expectFinding(r, "ARITHMETIC", null, ["target 80000", "80001"]);
  // The leaves show three rounding units where T - sum(q) allows two.
  expectFinding(r, "HAIRCUT_MISMATCH", null, ["3 leaves", "80000 - 79998 = 2"]);
  assert.ok(!codesOf(r).includes("ROOT_MISMATCH"), "the root was recomputed");
  assert.ok(!codesOf(r).includes("TOTAL_MISMATCH"), "the totals were re-signed");
  assert.equal(r.summary.collected, 80001n);
});

Deno.test("ARITHMETIC: floor collecting less than target - (leafCount - 1)", async () => {
  const t = resignedGolden((rows) => {
    rows[1].haircut = 8537n;
    rows[2].haircut = 51867n;
    rows[3].haircut = 17289n - 3n;
  }, (s) => {
    s.policy.rounding = "floor";
    s.tree.totalHaircut = "79995";
    s.uncovered = "5";
  });
  const r = await verifyGolden(t);
  expectFinding(r, "ARITHMETIC", null, ["79996", "80000", "79995"]);
});

// ---------------------------------------------------------------------------
// Tamper tests: the leaves

Deno.test("LEAF_INVALID: a truncated leaves.csv", async () => {
  const r = await verifyGolden({ leaves: golden.leaves.slice(0, -3) });
  expectFinding(r, "LEAF_INVALID", 4, ["line 6", "truncated"]);
  expectFinding(r, "LEAF_COUNT_MISMATCH", null, ["4 well-formed rows", "leafCount 5"]);
  assert.equal(checkStatus(r, "root"), "skip", "no root is computed from malformed leaves");

  const headerOnly = await verifyGolden({ leaves: "account_key,base,haircut\n" });
  expectFinding(headerOnly, "LEAF_COUNT_MISMATCH", null, ["0 rows", "leafCount 5"]);

  const empty = await verifyGolden({ leaves: "" });
  expectFinding(empty, "LEAF_INVALID", null, ["line 1", "empty"]);
});

Deno.test("LEAF_INVALID: bad header, CRLF, uppercase key, non-canonical amount", async () => {
  const crlf = await verifyGolden({ leaves: golden.leaves.replaceAll("\n", "\r\n") });
  expectFinding(crlf, "LEAF_INVALID", null, ["line 1", "CRLF"]);

  const header = await verifyGolden({ leaves: golden.leaves.replace("account_key", "key") });
  expectFinding(header, "LEAF_INVALID", null, ["line 1", "header"]);

  const rows = golden.leaves.split("\n");
  const upper = [...rows];
  upper[3] = upper[3].toUpperCase();
  const r = await verifyGolden({ leaves: upper.join("\n") });
  expectFinding(r, "LEAF_INVALID", 2, ["line 4", "account_key"]);

  const leading = [...rows];
  leading[2] = leading[2].replace(",123456,", ",0123456,");
  const r2 = await verifyGolden({ leaves: leading.join("\n") });
  expectFinding(r2, "LEAF_INVALID", 1, ["line 3", "base"]);

  const fourCols = [...rows];
  fourCols[5] += ",0";
  const r3 = await verifyGolden({ leaves: fourCols.join("\n") });
  expectFinding(r3, "LEAF_INVALID", 4, ["line 6", "columns"]);
});

Deno.test("multiple problems are all reported: two bad leaves give two findings", async () => {
  const rows = golden.leaves.split("\n");
  rows[2] = rows[2].replace(",123456,", ",12x456,"); // line 3, leaf 1
  rows[5] = rows[5].replace(",2305", ",-2305"); // line 6, leaf 4
  const r = await verifyGolden({ leaves: rows.join("\n") });
  const invalid = r.errors.filter((e) => e.code === "LEAF_INVALID");
  assert.deepEqual(invalid.map((e) => e.leaf), [1, 4]);
  expectFinding(r, "LEAF_INVALID", 1, ["line 3", "base"]);
  expectFinding(r, "LEAF_INVALID", 4, ["line 6", "haircut"]);
});

Deno.test("maxErrors limits the kept list while errorCount counts all", async () => {
  const rows = golden.leaves.split("\n");
  for (const i of [1, 2, 3, 4, 5]) rows[i] = rows[i].toUpperCase(); // five bad rows
  const all = await verifyGolden({ leaves: rows.join("\n") });
  assert.equal(all.errors.filter((e) => e.code === "LEAF_INVALID").length, 5);
  const total = all.errorCount;
  assert.equal(all.errors.length, total);
  assert.ok(total >= 6, `five bad rows plus the count and totals: ${total}`);

  const limited = await verifyGolden({ leaves: rows.join("\n") }, { maxErrors: 2 });
  assert.equal(limited.ok, false);
  assert.equal(limited.errors.length, 2);
  assert.equal(limited.errorCount, total);
  assert.deepEqual(limited.errors, all.errors.slice(0, 2));
  assert.equal(checkStatus(limited, "leaf count"), "fail", "checks reflect every finding, not just the kept ones");
  assert.equal(checkStatus(limited, "totals"), "fail");
});

Deno.test("LEAF_ORDER: a duplicated account row", async () => {
  const rows = golden.leaves.split("\n");
  rows.splice(3, 0, rows[2]); // carol's row (leaf 1) again as leaf 2
  const r = await verifyGolden({ leaves: rows.join("\n") });
  expectFinding(r, "LEAF_ORDER", 2, ["line 4", "duplicate"]);
  expectFinding(r, "LEAF_COUNT_MISMATCH", null, ["6 rows", "leafCount 5"]);
  expectFinding(r, "TOTAL_MISMATCH", null, [`${1156790 + 123456}`, "1156790"]);
});

Deno.test("LEAF_ORDER: two rows swapped, even with the root re-signed", async () => {
  const t = resignedGolden((rows) => {
    [rows[2], rows[3]] = [rows[3], rows[2]];
  });
  const r = await verifyGolden(t);
  expectFinding(r, "LEAF_ORDER", 3, ["line 5", "below"]);
  assert.equal(r.errors.filter((e) => e.code === "LEAF_ORDER").length, 1);
  assert.ok(!codesOf(r).includes("ROOT_MISMATCH"));
});

Deno.test("LEAF_COUNT_MISMATCH: the statement claims one more leaf, re-signed", async () => {
  const s = statementOf(golden.envelope);
  s.tree.leafCount = 6;
  const env = signStatement(s);
  const r = await verifyGolden({ envelope: env });
  expectFinding(r, "LEAF_COUNT_MISMATCH", null, ["5 rows", "leafCount 6"]);
  assert.deepEqual(codesOf(r), ["LEAF_COUNT_MISMATCH"]);

  // The trader's proof length no longer fits the claimed tree size.
  const proof = verifyProof({ proof: proofText(golden.proofs.erin), envelope: env }, golden.keys);
  expectFinding(proof, "STATEMENT_DIGEST_MISMATCH", null, [GOLDEN_DIGEST]);
  const p = { ...goldenProof("erin"), statement: payloadDigest(payloadOf(env)) };
  const onlyShape = verifyProof({ proof: proofText(p), envelope: env }, golden.keys);
  expectFinding(onlyShape, "PROOF_INVALID", 4, ["of 6"]);
});

Deno.test("ROOT_MISMATCH: the statement names another root, re-signed", async () => {
  const s = statementOf(golden.envelope);
  const wrong = GOLDEN_ROOT.slice(0, -1) + "9";
  s.tree.root = wrong;
  const r = await verifyGolden({ envelope: signStatement(s) });
  expectFinding(r, "ROOT_MISMATCH", null, [GOLDEN_ROOT, wrong]);
  assert.deepEqual(codesOf(r), ["ROOT_MISMATCH"]);
});

Deno.test("ROOT_MISMATCH: one account key edited in leaves.csv (order kept)", async () => {
  const rows = parseRows(golden.leaves);
  rows[4].key = rows[4].key.slice(0, -1) + "9"; // ...048 -> ...049, still the largest
  const r = await verifyGolden({ leaves: rowsCsv(rows) });
  const f = expectFinding(r, "ROOT_MISMATCH", null, [GOLDEN_ROOT, rootHexOf(rows)]);
  assert.ok(f.message.indexOf(rootHexOf(rows)) < f.message.indexOf(GOLDEN_ROOT));
  assert.deepEqual(codesOf(r), ["ROOT_MISMATCH"]);
});

Deno.test("TOTAL_MISMATCH: the statement's totalBase is one more than the leaves', re-signed", async () => {
  const t = resignedGolden(() => {}, (s) => {
    s.tree.totalBase = "1156791";
  });
  const r = await verifyGolden(t);
  expectFinding(r, "TOTAL_MISMATCH", null, ["1156790", "totalBase 1156791"]);
  assert.ok(!codesOf(r).includes("ROOT_MISMATCH"));

  // The trader's proof reaches the signed root hash, but its sums differ from the signed totals.
  const p = proofFor("alice", t.rows, t.envelope);
  const proof = verifyProof({ proof: proofText(p), envelope: t.envelope }, golden.keys);
  expectFinding(proof, "TOTAL_MISMATCH", null, ["1156790", "80000", "1156791"]);
});

Deno.test("TOTAL_MISMATCH: one base raised in leaves.csv without re-signing", async () => {
  const rows = parseRows(golden.leaves);
  rows[2].base += 10n; // alice 750000 -> 750010
  const r = await verifyGolden({ leaves: rowsCsv(rows) });
  expectFinding(r, "TOTAL_MISMATCH", null, ["1156800", "totalBase 1156790"]);
  expectFinding(r, "ROOT_MISMATCH", null, [GOLDEN_ROOT]);
});

Deno.test("HAIRCUT_EXCEEDS_BASE: a zero base charged one unit", async () => {
  const rows = parseRows(golden.leaves);
  assert.equal(rows[0].base, 0n);
  rows[0].haircut = 1n;
  const r = await verifyGolden({ leaves: rowsCsv(rows) });
  expectFinding(r, "HAIRCUT_EXCEEDS_BASE", 0, ["line 2", "haircut 1", "base 0"]);
  assert.ok(!r.errors.some((e) => e.code === "HAIRCUT_MISMATCH" && e.leaf === 0), "reported once, as the worse code");

  const p = goldenProof("dave");
  p.haircut = "1";
  const proof = verifyProof({ proof: proofText(p), envelope: golden.envelope }, golden.keys);
  expectFinding(proof, "HAIRCUT_EXCEEDS_BASE", 0, ["haircut 1", "base 0"]);
  expectFinding(proof, "PROOF_ROOT_MISMATCH", 0, [GOLDEN_ROOT]);
});

Deno.test("HAIRCUT_MISMATCH: two units moved from one account to another, tree and statement re-signed", async () => {
  const t = resignedGolden((rows) => {
    rows[2].haircut -= 2n; // alice 51868 -> 51866
    rows[3].haircut += 2n; // bob 17289 -> 17291
  });
  const r = await verifyGolden(t);
  expectFinding(r, "HAIRCUT_MISMATCH", 2, ["haircut 51866", "base 750000", "51867 or 51868", "773070/1156790"]);
  expectFinding(r, "HAIRCUT_MISMATCH", 3, ["haircut 17291", "base 250001", "17289 or 17290", "337690/1156790"]);
  expectFinding(r, "HAIRCUT_MISMATCH", null, ["1 leaves", "80000 - 79998 = 2"]);
  assert.deepEqual(codesOf(r), ["HAIRCUT_MISMATCH", "HAIRCUT_MISMATCH", "HAIRCUT_MISMATCH"]);

  // The trader sees it in their own proof too.
  const alice = verifyProof(
    { proof: proofText(proofFor("alice", t.rows, t.envelope)), envelope: t.envelope },
    golden.keys,
  );
  expectFinding(alice, "HAIRCUT_MISMATCH", 2, ["haircut 51866", "51867 or 51868"]);
  assert.equal(checkStatus(alice, "inclusion"), "pass");
  assert.deepEqual(codesOf(alice), ["HAIRCUT_MISMATCH"]);
});

Deno.test("HAIRCUT_MISMATCH: largest-remainder leaves under a re-signed floor policy", async () => {
  const t = resignedGolden(() => {}, (s) => {
    s.policy.rounding = "floor";
  });
  const r = await verifyGolden(t);
  expectFinding(r, "HAIRCUT_MISMATCH", 1, ["haircut 8538", "floor allows 8537"]);
  expectFinding(r, "HAIRCUT_MISMATCH", 2, ["haircut 51868", "floor allows 51867"]);
  assert.equal(r.errorCount, 2);
});

Deno.test("ROUNDING_ORDER: a rounding unit moved between two accounts, tree and statement re-signed", async () => {
  const t = resignedGolden((rows) => {
    rows[2].haircut -= 1n; // alice (remainder 773070) loses her unit
    rows[3].haircut += 1n; // bob (remainder 337690) gets it
  });
  const r = await verifyGolden(t);
  expectFinding(r, "ROUNDING_ORDER", 2, ["leaf 2", "773070", "leaf 3", "337690"]);
  assert.deepEqual(codesOf(r), ["ROUNDING_ORDER"], "counts, totals and root all still match");
  assert.equal(r.summary.roundingUnits, 2);

  // Each trader's local check passes: only the full verifier sees the ranking.
  for (const account of ["alice", "bob"]) {
    const p = verifyProof(
      { proof: proofText(proofFor(account, t.rows, t.envelope)), envelope: t.envelope },
      golden.keys,
    );
    assert.equal(p.ok, true, `${account}: ${JSON.stringify(p.errors)}`);
  }
});

Deno.test("ROUNDING_ORDER: equal remainders go to the lower index", async () => {
  const pub = buildPublication(
    {
      accounts: [{ account: "a", base: 1n }, { account: "b", base: 1n }, { account: "c", base: 1n }],
      event: {
        venue: "Tie Exchange",
        event: "tie",
        asset: "USDT",
        decimals: 2,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: { base: "profit", rounding: "largest-remainder", cap: null },
        deficit: 2n,
        insuranceFund: 0n,
        previous: null,
      },
    },
    golden.signers,
    { saltSecret: bytes("tie-salt-secret-0123456789") },
  );
  const keys = parseKeysFile(pub.keysJson);
  const rows = parseRows(pub.leavesCsv);
  assert.deepEqual(rows.map((x) => x.haircut), [1n, 1n, 0n]);
  const honest = await verifyPublication(
    { envelope: envelopeToJson(pub.envelope), leaves: bytes(pub.leavesCsv) },
    keys,
  );
  assert.equal(honest.ok, true, JSON.stringify(honest.errors));

  rows[1].haircut = 0n;
  rows[2].haircut = 1n;
  const s = statementOf(envelopeToJson(pub.envelope));
  s.tree.root = rootHexOf(rows);
  const r = await verifyPublication({ envelope: signStatement(s), leaves: bytes(rowsCsv(rows)) }, keys);
  expectFinding(r, "ROUNDING_ORDER", 1, ["leaf 1 (remainder 2)", "leaf 2 (remainder 2)"]);
  assert.deepEqual(codesOf(r), ["ROUNDING_ORDER"]);
});

// ---------------------------------------------------------------------------
// Tamper tests: the trader's proof

Deno.test("PROOF_INVALID: a proof path one node short", () => {
  const p = goldenProof("dave");
  assert.equal(p.path.length, 3);
  p.path.pop();
  const r = verifyProof({ proof: proofText(p), envelope: golden.envelope }, golden.keys);
  expectFinding(r, "PROOF_INVALID", 0, ["2 nodes", "leaf 0 of 5", "needs 3"]);
  assert.equal(checkStatus(r, "inclusion"), "skip");
});

Deno.test("PROOF_INVALID: one node too many, an index outside the tree, malformed fields", () => {
  const long = goldenProof("erin");
  long.path.push(long.path[0]);
  expectFinding(verifyProof({ proof: proofText(long), envelope: golden.envelope }, golden.keys), "PROOF_INVALID", 4, [
    "2 nodes",
    "leaf 4 of 5",
    "needs 1",
  ]);

  const outside = goldenProof("erin");
  outside.index = 5;
  expectFinding(
    verifyProof({ proof: proofText(outside), envelope: golden.envelope }, golden.keys),
    "PROOF_INVALID",
    5,
    [
      "leaf index 5",
      "tree of 5",
    ],
  );

  const upperSalt = goldenProof("alice");
  upperSalt.salt = upperSalt.salt.toUpperCase();
  const r = verifyProof({ proof: proofText(upperSalt), envelope: golden.envelope }, golden.keys);
  expectFinding(r, "PROOF_INVALID", null, ["salt"]);
  assert.equal(r.proof, undefined);

  const extra = { ...goldenProof("alice"), note: "hi" };
  expectFinding(
    verifyProof({ proof: JSON.stringify(extra), envelope: golden.envelope }, golden.keys),
    "PROOF_INVALID",
    null,
    ["note"],
  );

  const badAmount = goldenProof("alice");
  badAmount.path[1].haircut = "1e3";
  expectFinding(
    verifyProof({ proof: proofText(badAmount), envelope: golden.envelope }, golden.keys),
    "PROOF_INVALID",
    null,
    [
      "path[1].haircut",
    ],
  );

  expectFinding(verifyProof({ proof: "not json", envelope: golden.envelope }, golden.keys), "PROOF_INVALID", null, [
    "proof:",
  ]);
});

Deno.test("PROOF_ROOT_MISMATCH: a sibling sum edited in a proof", () => {
  const p = goldenProof("carol");
  assert.equal(p.path[1].base, "1000001");
  p.path[1].base = "1000002";
  const r = verifyProof({ proof: proofText(p), envelope: golden.envelope }, golden.keys);
  expectFinding(r, "PROOF_ROOT_MISMATCH", 1, ["leaf 1", GOLDEN_ROOT]);
  assert.deepEqual(codesOf(r), ["PROOF_ROOT_MISMATCH"]);

  const h = goldenProof("carol");
  h.path[0].haircut = "1";
  expectFinding(
    verifyProof({ proof: proofText(h), envelope: golden.envelope }, golden.keys),
    "PROOF_ROOT_MISMATCH",
    1,
    [GOLDEN_ROOT],
  );
});

Deno.test("PROOF_ROOT_MISMATCH: another account name, salt or index with a valid path", () => {
  const name = goldenProof("alice");
  name.account = "alicf";
  expectFinding(
    verifyProof({ proof: proofText(name), envelope: golden.envelope }, golden.keys),
    "PROOF_ROOT_MISMATCH",
    2,
    [
      "leaf 2",
      GOLDEN_ROOT,
    ],
  );

  const salt = goldenProof("alice");
  salt.salt = golden.proofs.bob.salt;
  expectFinding(
    verifyProof({ proof: proofText(salt), envelope: golden.envelope }, golden.keys),
    "PROOF_ROOT_MISMATCH",
    2,
    [GOLDEN_ROOT],
  );

  // Claiming a smaller haircut that the rule would also allow: still not in the tree.
  const cheaper = goldenProof("alice");
  cheaper.haircut = "51867";
  const r = verifyProof({ proof: proofText(cheaper), envelope: golden.envelope }, golden.keys);
  expectFinding(r, "PROOF_ROOT_MISMATCH", 2, [GOLDEN_ROOT]);
  assert.ok(!codesOf(r).includes("HAIRCUT_MISMATCH"));
});

Deno.test("STATEMENT_DIGEST_MISMATCH: a proof for a different statement digest", () => {
  // The venue re-signs a statement with the same tree but another digest.
  const s = statementOf(golden.envelope);
  s.previous = EXAMPLE_DIGEST;
  const other = signStatement(s);
  const otherDigest = payloadDigest(payloadOf(other));
  const r = verifyProof({ proof: proofText(golden.proofs.bob), envelope: other }, golden.keys);
  expectFinding(r, "STATEMENT_DIGEST_MISMATCH", null, [GOLDEN_DIGEST, otherDigest]);
  assert.deepEqual(codesOf(r), ["STATEMENT_DIGEST_MISMATCH"]);
  // The proof belongs to another statement: nothing of it is checked against this one.
  assert.equal(checkStatus(r, "inclusion"), "skip");
  assert.equal(checkStatus(r, "pro-rata charge"), "skip");
  assert.equal(r.share, undefined);

  const p = goldenProof("bob");
  p.statement = EXAMPLE_DIGEST;
  const r2 = verifyProof({ proof: proofText(p), envelope: golden.envelope }, golden.keys);
  expectFinding(r2, "STATEMENT_DIGEST_MISMATCH", null, [EXAMPLE_DIGEST, GOLDEN_DIGEST]);
});

Deno.test("a proof from the example fixture does not verify against the golden statement", () => {
  const text = exampleProofs.get("ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json")!;
  const r = verifyProof({ proof: text, envelope: golden.envelope }, golden.keys);
  expectFinding(r, "STATEMENT_DIGEST_MISMATCH", null, [EXAMPLE_DIGEST, GOLDEN_DIGEST]);
  // Checked no further: the leaf index 7 of an 8-leaf tree is not compared with the golden tree of 5.
  assert.deepEqual(codesOf(r), ["STATEMENT_DIGEST_MISMATCH"]);
});

// ---------------------------------------------------------------------------
// Tamper tests: the chain

Deno.test("CHAIN_BROKEN: a previous that points elsewhere", async () => {
  const next = resignedGolden(() => {}, (s) => {
    s.previous = EXAMPLE_DIGEST;
  });
  const r = await verifyGolden(next, { previous: golden.envelope });
  expectFinding(r, "CHAIN_BROKEN", null, [EXAMPLE_DIGEST, GOLDEN_DIGEST]);
  assert.deepEqual(codesOf(r), ["CHAIN_BROKEN"]);
  assert.equal(checkStatus(r, "chain"), "fail");
});

Deno.test("CHAIN_BROKEN: previous is null, the predecessor is another venue's, or unreadable", async () => {
  const r = await verifyGolden({}, { previous: example.envelope });
  expectFinding(r, "CHAIN_BROKEN", null, ["null", EXAMPLE_DIGEST]);

  const s = statementOf(golden.envelope);
  s.venue = "Other Exchange";
  const otherVenue = signStatement(s);
  const next = resignedGolden(() => {}, (n) => {
    n.previous = payloadDigest(payloadOf(otherVenue));
  });
  const r2 = await verifyGolden(next, { previous: otherVenue });
  expectFinding(r2, "CHAIN_BROKEN", null, ['"Other Exchange"', '"Example Exchange"']);

  const r3 = await verifyGolden(next, { previous: "not an envelope" });
  expectFinding(r3, "CHAIN_BROKEN", null, ["previous statement"]);
});

Deno.test("statement chains: a gap, a fork and a reordering each have their own code", () => {
  const d1 = GOLDEN_DIGEST;
  const s2 = statementOf(golden.envelope);
  s2.event = "2026-11-10/ETH-PERP";
  s2.snapshotTime = "2026-11-10T08:00:00Z";
  s2.previous = d1;
  const e2 = signStatement(s2);
  const d2 = payloadDigest(payloadOf(e2));
  const s3 = statementOf(golden.envelope);
  s3.event = "2026-11-17/ETH-PERP";
  s3.snapshotTime = "2026-11-17T08:00:00Z";
  s3.previous = d2;
  const e3 = signStatement(s3);
  const fork = statementOf(e2);
  fork.event = "2026-11-10/BTC-PERP";
  const e2b = signStatement(fork);

  const links = { s1: golden.envelope, s2: e2, s3: e3, s2b: e2b };
  const chain = (...names: (keyof typeof links)[]) =>
    checkChain(names.map((name) => ({ name, envelope: links[name] })), { keys: golden.keys });

  const good = chain("s1", "s2", "s3");
  assert.equal(good.ok, true, JSON.stringify(good.errors));
  assert.deepEqual(good.links.map((l) => l.previous), [null, d1, d2]);

  const gap = chain("s1", "s3");
  expectFinding(gap, "CHAIN_GAP", null, ["s3", "s1", d2.slice(0, 16)]);
  assert.deepEqual(codesOf(gap), ["CHAIN_GAP"]);

  const forked = chain("s1", "s2", "s2b");
  expectFinding(forked, "CHAIN_FORK", null, ["s2b", "s2", d1.slice(0, 16)]);

  const reordered = chain("s1", "s3", "s2");
  expectFinding(reordered, "CHAIN_REORDERED", null, ["s3", "s2"]);

  const otherVenue = statementOf(e2);
  otherVenue.venue = "Other Exchange";
  const broken = checkChain([{ name: "s1", envelope: golden.envelope }, {
    name: "x2",
    envelope: signStatement(otherVenue),
  }]);
  expectFinding(broken, "CHAIN_BROKEN", null, ['"Other Exchange"', '"Example Exchange"']);
});

// ---------------------------------------------------------------------------

Deno.test("log proof: each of the four log codes fails its own check (tamper corpus log cases)", () => {
  const corpus = new URL("../fixtures/tampered/", import.meta.url);
  const cases: [string, ErrorCode, string[]][] = [
    ["log-proof-garbled", "LOG_PROOF_INVALID", ["index", "leading zeros"]],
    ["log-signed-by-another-key", "LOG_SIGNATURE_INVALID", ["not signed by the pinned log key"]],
    ["log-quorum-not-met", "WITNESS_QUORUM", ["1 of the 2 pinned witnesses", "needs 2"]],
    ["log-other-statement", "LOG_INCLUSION_MISMATCH", ["is not proven in the log"]],
  ];
  const keys = parseKeysFile(read(corpus, "base/keys.json"));
  for (const [name, code, includes] of cases) {
    const dir = new URL(`${name}/`, corpus);
    const checked = verifyProof({ proof: read(dir, "proof.json"), envelope: read(dir, "statement.dsse.json") }, keys);
    assert.equal(checked.ok, true, name);
    const report = withLogProof(checked, {
      proof: read(dir, "statement.tlog-proof"),
      policy: parseLogPolicy(read(dir, "log-policy.json")),
    });
    expectFinding(report, code, null, includes);
    assert.equal(report.log?.origin, "tampered.example/haircut-log");
  }
});

Deno.test("every error code in ERROR_CODES is produced by at least one test in this file", () => {
  const missing = ERROR_CODES.filter((c) => !observed.has(c));
  assert.deepEqual(missing, [], `codes never produced: ${missing.join(", ")}`);
  assert.equal(observed.size, ERROR_CODES.length);
});

/** An endless leaves.csv: the header, then the same row forever. */
async function* endlessLeaves(): AsyncIterable<Uint8Array> {
  yield bytes("account_key,base,haircut\n");
  const row = bytes(`${"ab".repeat(32)},1,0\n`);
  for (;;) yield row;
}

Deno.test("an endless leaves stream stops after what leafCount allows: LEAF_COUNT_MISMATCH, no hang", async () => {
  const keys = parseKeysFile(read(EXAMPLE, "keys.json"));
  for (const workers of [0, 2]) {
    const report = await verifyPublication(
      { envelope: read(EXAMPLE, "statement.dsse.json"), leaves: endlessLeaves() },
      keys,
      {
        workers,
        batchSize: 4,
      },
    );
    assert.equal(report.ok, false);
    const limit = 25 + (8 + 1) * 257;
    const found = report.errors.find((e) => e.code === "LEAF_COUNT_MISMATCH");
    assert.ok(found, JSON.stringify(report.errors));
    assert.equal(
      found.message,
      `leaves.csv is longer than ${limit} bytes, more than leafCount 8 rows can take; stopped reading`,
    );
  }
});

Deno.test("LEAF_COUNT_MISMATCH says 'well-formed rows' when some rows were malformed", async () => {
  const keys = parseKeysFile(read(EXAMPLE, "keys.json"));
  const leaves = read(EXAMPLE, "leaves.csv").replace(",123456,", ",+123456,");
  const report = await verifyPublication(
    { envelope: read(EXAMPLE, "statement.dsse.json"), leaves: bytes(leaves) },
    keys,
  );
  const found = report.errors.find((e) => e.code === "LEAF_COUNT_MISMATCH");
  assert.equal(found?.message, "leaves.csv has 7 well-formed rows, the statement says leafCount 8");
  assert.ok(report.errors.some((e) => e.code === "LEAF_INVALID" && e.leaf === 0));
});
