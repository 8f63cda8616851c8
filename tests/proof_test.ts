import assert from "node:assert/strict";
import fc from "fast-check";
import { FormatError, parseKeysFile, parseProof, verifyProof } from "../mod.ts";
import { buildPublication, keysFileJson, parseAccountsCsv } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { accountIdProblem, MAX_ACCOUNT_ID_BYTES, PROOF_TYPE } from "../src/format/proof.ts";
import { csvAccountIdProblem } from "../src/publish/build.ts";

const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(5));
const KEYS = parseKeysFile(keysFileJson([SIGNER]));
const EVENT = {
  venue: "V",
  event: "E",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-11-03T08:00:00Z",
  policy: { base: "profit" as const, rounding: "largest-remainder" as const, cap: null },
  deficit: 1000n,
  insuranceFund: 100n,
  previous: null,
};

Deno.test("accountIdProblem: the length, Unicode and control-character rule", () => {
  assert.equal(accountIdProblem("alice"), undefined);
  assert.equal(accountIdProblem("交易员-7 ✓"), undefined);
  assert.equal(accountIdProblem("a".repeat(MAX_ACCOUNT_ID_BYTES)), undefined);
  assert.equal(accountIdProblem("a".repeat(257)), "account id must be 1 to 256 bytes, got 257");
  assert.equal(accountIdProblem(""), "account id must be 1 to 256 bytes, got 0");
  assert.equal(accountIdProblem("\ud800x"), "account id must be well-formed Unicode");
  for (const c of ["\u0000", "\t", "\u001b", "\u007f", "\u0085", "\u009b"]) {
    assert.equal(accountIdProblem(`bo${c}b`), "account id must not contain control characters", JSON.stringify(c));
  }
  // Commas and quotes are fine in an id; only accounts.csv cannot carry them.
  assert.equal(accountIdProblem('a,"b'), undefined);
  assert.equal(csvAccountIdProblem('a,"b'), "account id must not contain commas or quotes in accounts.csv");
});

Deno.test("publish and proof apply the same id rule: what publish accepts, a trader's proof accepts", () => {
  assert.throws(() => parseAccountsCsv("account,base\nbo\u0085b,5\n"), /control characters/);
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (id) => {
      if (csvAccountIdProblem(id) !== undefined) return;
      const pub = buildPublication({
        accounts: [{ account: id, base: 500n }, { account: "other", base: 300n }],
        event: EVENT,
      }, [SIGNER]);
      const envelope = envelopeToJson(pub.envelope);
      for (const p of pub.proofs) {
        const report = verifyProof({ proof: p.json, envelope }, KEYS);
        assert.equal(report.ok, true, `${JSON.stringify(p.account)}: ${JSON.stringify(report.errors)}`);
      }
    }),
    { seed: 20261126, numRuns: 150 },
  );
});

Deno.test("parseProof: exact fields, strict values, PROOF_INVALID with the field named", () => {
  const pub = buildPublication({
    accounts: [{ account: "alice", base: 500n }, { account: "bob", base: 300n }],
    event: EVENT,
  }, [SIGNER]);
  const text = pub.proofs[0].json;
  const proof = parseProof(text);
  assert.equal(proof.path.length, 1);
  assert.equal(proof.salt.length, 32);
  const json = JSON.parse(text);
  assert.equal(json.type, PROOF_TYPE);
  function problem(edit: (p: Record<string, unknown>) => void): string {
    const p = JSON.parse(text);
    edit(p);
    try {
      parseProof(JSON.stringify(p));
    } catch (e) {
      assert.ok(e instanceof FormatError);
      assert.equal(e.finding.code, "PROOF_INVALID");
      return e.message;
    }
    throw new Error("accepted");
  }
  assert.match(problem((p) => void (p.extra = 1)), /unexpected field "extra"/);
  assert.match(problem((p) => void (p.type = "other")), /type must be "socialized-loss\/proof\/v1"/);
  assert.match(problem((p) => void (p.salt = (p.salt as string).toUpperCase())), /salt must be 64 lowercase hex/);
  assert.match(problem((p) => void (p.index = -1)), /index must be a non-negative integer/);
  assert.match(problem((p) => void (p.index = 1.5)), /"index": 1\.5 is not written as integer digits/);
  assert.match(problem((p) => void (p.base = "01")), /base: amount "01" is not a canonical decimal/);
  assert.match(problem((p) => void (p.base = 5)), /base: amount must be a decimal string/);
  assert.match(problem((p) => void (p.path = {})), /path must be an array of at most 64 nodes/);
  assert.match(problem((p) => void ((p.path as { hash: string }[])[0].hash = "00")), /path\[0\]\.hash must be 64/);
  assert.throws(() => parseProof(text.replace(/"index": 0/, '"index": -0')), /index must be a non-negative integer/);
});
