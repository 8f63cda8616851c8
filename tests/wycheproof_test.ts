/**
 * Full Wycheproof conformance of the signature layer: every case of the
 * Ed25519 and ECDSA secp256k1/SHA-256 files in $WYCHEPROOF_DIR runs through
 * `verifySignature`, DER signatures after `derToCompact`. Every disagreement
 * with Wycheproof's expected result is listed with the policy that causes it,
 * and the exact set of disagreeing tcIds is pinned per file, so any new
 * disagreement (and any false accept) fails. SECURITY.md lists the same set.
 */

import assert from "node:assert/strict";
import { derToCompact, SECP256K1_ORDER } from "../src/format/_der.ts";
import { verifySignature } from "../src/format/signature.ts";

const DIR = Deno.env.get("WYCHEPROOF_DIR");
if (!DIR) {
  console.log(
    "wycheproof_test.ts: WYCHEPROOF_DIR is not set, so the Wycheproof conformance tests are skipped " +
      "(set it to a directory holding Project Wycheproof's testvectors_v1 files to run them)",
  );
}

interface WycheproofCase {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: "valid" | "invalid" | "acceptable";
}

interface WycheproofFile {
  numberOfTests: number;
  testGroups: { publicKey: Record<string, string>; tests: WycheproofCase[] }[];
}

/** The policy reason for a disagreement; anything else fails the test. */
const LOW_S = "low-S policy: s > n/2 is rejected, and the low-S form (r, n - s) of the same signature verifies";

/** One file: its algorithm, signature encoding, case count and the tcIds where we (by policy) disagree. */
interface FileSpec {
  name: string;
  algorithm: "ed25519" | "secp256k1";
  encoding: "raw" | "der";
  cases: number;
  disagreements: readonly number[];
}

/** Wycheproof "valid" high-S signatures: rejected by the low-S rule. The same in both secp256k1 files. */
const P1363_HIGH_S = [
  1,
  62,
  63,
  64,
  66,
  67,
  68,
  70,
  72,
  74,
  75,
  76,
  78,
  81,
  83,
  85,
  87,
  88,
  89,
  90,
  95,
  96,
  97,
  100,
  102,
  112,
  113,
  115,
  117,
  134,
  135,
  136,
  167,
  168,
  171,
  172,
  173,
  174,
  176,
  177,
  181,
  187,
  188,
  192,
  196,
  198,
  200,
  202,
  206,
  207,
  212,
  213,
  221,
  222,
  226,
  227,
  228,
  229,
  231,
  232,
  233,
  234,
  235,
  237,
  238,
  239,
  240,
  241,
  242,
  243,
  247,
  252,
];
const DER_HIGH_S = [
  1,
  2,
  5,
  297,
  298,
  299,
  301,
  302,
  303,
  305,
  307,
  309,
  310,
  311,
  313,
  316,
  318,
  320,
  322,
  323,
  324,
  325,
  330,
  331,
  332,
  335,
  337,
  347,
  348,
  350,
  352,
  363,
  364,
  365,
  392,
  393,
  396,
  397,
  398,
  399,
  401,
  402,
  406,
  412,
  413,
  417,
  421,
  423,
  425,
  427,
  431,
  432,
  437,
  438,
  447,
  448,
  449,
  450,
  452,
  453,
  454,
  455,
  456,
  458,
  459,
  460,
  461,
  462,
  463,
  467,
  471,
  476,
];

const FILES: readonly FileSpec[] = [
  { name: "ed25519_test.json", algorithm: "ed25519", encoding: "raw", cases: 151, disagreements: [] },
  {
    name: "ecdsa_secp256k1_sha256_p1363_test.json",
    algorithm: "secp256k1",
    encoding: "raw",
    cases: 252,
    disagreements: P1363_HIGH_S,
  },
  {
    name: "ecdsa_secp256k1_sha256_test.json",
    algorithm: "secp256k1",
    encoding: "der",
    cases: 476,
    disagreements: DER_HIGH_S,
  },
  {
    name: "ecdsa_secp256k1_sha256_bitcoin_test.json",
    algorithm: "secp256k1",
    encoding: "der",
    cases: 463,
    disagreements: [],
  },
];

function unhex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function scalarBytes(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** SEC1 compression of a 65-byte uncompressed point: 0x02/0x03 by the parity of y, then x. */
function compress(uncompressed: Uint8Array): Uint8Array {
  assert.equal(uncompressed.length, 65);
  assert.equal(uncompressed[0], 0x04);
  const out = new Uint8Array(33);
  out[0] = (uncompressed[64] & 1) === 0 ? 0x02 : 0x03;
  out.set(uncompressed.subarray(1, 33), 1);
  return out;
}

/** Why a secp256k1 compact signature the vectors call valid is rejected, if the low-S rule explains it. */
function explainRejectedValid(publicKey: Uint8Array, msg: Uint8Array, compact: Uint8Array): string {
  const s = toBigInt(compact.subarray(32));
  if (s <= SECP256K1_ORDER / 2n) return "UNEXPLAINED: s is already low";
  const lowS = new Uint8Array(64);
  lowS.set(compact.subarray(0, 32));
  lowS.set(scalarBytes(SECP256K1_ORDER - s), 32);
  return verifySignature({ algorithm: "secp256k1", publicKey: publicKey }, { message: msg, signature: lowS })
    ? LOW_S
    : "UNEXPLAINED: the low-S form does not verify";
}

interface Disagreement {
  tcId: number;
  flags: string[];
  expected: string;
  ours: "valid" | "invalid";
  reason: string;
}

interface FileResult {
  cases: number;
  agreements: number;
  disagreements: Disagreement[];
  acceptable: number;
}

function runFile(spec: FileSpec): FileResult {
  const file: WycheproofFile = JSON.parse(Deno.readTextFileSync(`${DIR}/${spec.name}`));
  const result: FileResult = { cases: 0, agreements: 0, disagreements: [], acceptable: 0 };
  for (const group of file.testGroups) {
    const publicKey = spec.algorithm === "ed25519"
      ? unhex(group.publicKey.pk)
      : compress(unhex(group.publicKey.uncompressed));
    for (const t of group.tests) {
      result.cases++;
      const msg = unhex(t.msg);
      const raw = unhex(t.sig);
      const sig = spec.encoding === "der" ? derToCompact(raw) : raw;
      const ok = sig !== undefined &&
        verifySignature({ algorithm: spec.algorithm, publicKey: publicKey }, { message: msg, signature: sig });
      if (t.result === "acceptable") {
        result.acceptable++; // Wycheproof allows either answer; none occur in these files.
        continue;
      }
      if (ok === (t.result === "valid")) {
        result.agreements++;
        continue;
      }
      let reason: string;
      if (ok) reason = "FALSE ACCEPT: never allowed";
      else if (sig === undefined) reason = "UNEXPLAINED: strict DER rejected a signature Wycheproof calls valid";
      else if (spec.algorithm === "secp256k1") reason = explainRejectedValid(publicKey, msg, sig);
      else reason = "UNEXPLAINED: Ed25519 rejected a valid signature";
      result.disagreements.push({
        tcId: t.tcId,
        flags: t.flags,
        expected: t.result,
        ours: ok ? "valid" : "invalid",
        reason,
      });
    }
  }
  assert.equal(result.cases, file.numberOfTests, `${spec.name}: numberOfTests`);
  return result;
}

for (const spec of FILES) {
  Deno.test({
    name: `Wycheproof ${spec.name}: ${spec.disagreements.length} disagreements, all by policy`,
    ignore: !DIR,
    fn() {
      const r = runFile(spec);
      const lines = r.disagreements.map((d) =>
        `  tcId ${d.tcId} [${d.flags.join(", ")}] expected ${d.expected}, ours ${d.ours}: ${d.reason}`
      );
      console.log(
        `Wycheproof ${spec.name}: ${r.cases} cases, ${r.agreements} agree, ${r.disagreements.length} disagree` +
          (r.acceptable ? `, ${r.acceptable} acceptable` : "") + (lines.length ? `:\n${lines.join("\n")}` : ""),
      );
      assert.equal(r.cases, spec.cases);
      assert.equal(r.agreements + r.disagreements.length + r.acceptable, r.cases);
      assert.deepEqual(r.disagreements.filter((d) => d.reason !== LOW_S), [], "every disagreement is the low-S rule");
      assert.deepEqual(r.disagreements.map((d) => d.tcId), [...spec.disagreements], "the pinned disagreement set");
      for (const d of r.disagreements) {
        assert.equal(d.expected, "valid", `tcId ${d.tcId}: we never accept an invalid case`);
      }
    },
  });
}

Deno.test({
  name: "Wycheproof DER files: every BER-encoded signature is rejected by the strict DER reader",
  ignore: !DIR,
  fn() {
    let ber = 0;
    for (const name of ["ecdsa_secp256k1_sha256_test.json", "ecdsa_secp256k1_sha256_bitcoin_test.json"]) {
      const file: WycheproofFile = JSON.parse(Deno.readTextFileSync(`${DIR}/${name}`));
      for (const group of file.testGroups) {
        for (const t of group.tests) {
          if (!t.flags.includes("BerEncodedSignature")) continue;
          ber++;
          assert.equal(derToCompact(unhex(t.sig)), undefined, `${name} tcId ${t.tcId}: ${t.comment}`);
        }
      }
    }
    assert.ok(ber > 0, "the files have BER-encoded cases");
  },
});

Deno.test({
  name: "Wycheproof: the pinned disagreements are exactly the valid high-S cases in the data",
  ignore: !DIR,
  fn() {
    // Computed from the vectors alone, without the signature layer: the
    // "valid" cases whose s exceeds n/2 are the ones the low-S rule rejects.
    for (const spec of FILES.filter((f) => f.algorithm === "secp256k1")) {
      const file: WycheproofFile = JSON.parse(Deno.readTextFileSync(`${DIR}/${spec.name}`));
      const highS: number[] = [];
      for (const group of file.testGroups) {
        for (const t of group.tests) {
          const sig = spec.encoding === "der" ? derToCompact(unhex(t.sig)) : unhex(t.sig);
          if (t.result !== "valid" || sig?.length !== 64) continue;
          if (toBigInt(sig.subarray(32)) > SECP256K1_ORDER / 2n) highS.push(t.tcId);
        }
      }
      assert.deepEqual(highS, [...spec.disagreements], spec.name);
    }
  },
});
