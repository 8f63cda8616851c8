/**
 * The explanation model (src/report/explain.ts): the facts every renderer
 * shows, on the example, the tamper corpus and a publication built here
 * with one account overcharged and another undercharged.
 */

import assert from "node:assert/strict";
import { parseKeysFile, type ProofReport, verifyProof } from "../mod.ts";
import { explainProof } from "../src/report/explain.ts";
import { MOVED_KEYS, movedCharge } from "./_moved_charge.ts";

const ROOT = new URL("../", import.meta.url);
const EXAMPLE = new URL("fixtures/example/", ROOT);
const TAMPERED = new URL("fixtures/tampered/", ROOT);
const ALICE = "proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
const CAROL = "proofs/0d4ff3b8bf826b4e2c74152dbd93fe3335240b80b5ac35bf09c92d3fa2146a79.json";
const DAVE = "proofs/3ebef0896dbb61fcacf90ef8153715729eac0d89f9c246f8f299b0255c725d38.json";

function read(url: URL | string): string {
  return Deno.readTextFileSync(url);
}

function example(proofFile: string): ProofReport {
  return verifyProof(
    { proof: read(new URL(proofFile, EXAMPLE)), envelope: read(new URL("statement.dsse.json", EXAMPLE)) },
    parseKeysFile(read(new URL("keys.json", EXAMPLE))),
  );
}

function tampered(name: string): ProofReport {
  return verifyProof(
    {
      proof: read(new URL(`${name}/proof.json`, TAMPERED)),
      envelope: read(new URL(`${name}/statement.dsse.json`, TAMPERED)),
    },
    parseKeysFile(read(new URL("base/keys.json", TAMPERED))),
  );
}

Deno.test("explainProof: alice's valid proof, every fact of the explanation", () => {
  const e = explainProof(example(ALICE));
  assert.equal(e.ok, true);
  assert.deepEqual(e.reason, { code: "valid" });
  assert.deepEqual(e.asset, { symbol: "USDT", decimals: 2 });
  assert.deepEqual(e.statement, {
    digest: "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a",
    venue: "Example Exchange",
    event: "2026-11-03/ETH-PERP",
    snapshotTime: "2026-11-03T08:00:00Z",
    previous: null,
  });
  assert.deepEqual(e.waterfall, {
    deficit: 2500000n,
    insuranceFund: 1200000n,
    insuranceUsed: 1200000n,
    shortfall: 1300000n,
    cap: null,
    capLimit: null,
    target: 1300000n,
    collected: 1300000n,
    uncovered: 0n,
  });
  assert.deepEqual(e.rate, {
    target: 1300000n,
    totalBase: 11205005n,
    baseKind: "profit",
    accounts: 8,
    rounding: "largest-remainder",
    capped: false,
  });
  assert.deepEqual(e.charge, {
    account: "alice",
    index: 7,
    leafCount: 8,
    base: 750000n,
    haircut: 87015n,
    kept: 662985n,
    inTree: true,
    exact: { q: 87014n, r: 7694930n, den: 11205005n },
    allowed: { min: 87014n, max: 87015n },
    verdict: { status: "allowed" },
    roundingAdded: 1n,
  });
  assert.deepEqual(e.base, { kind: "profit", snapshotTime: "2026-11-03T08:00:00Z" });
  assert.deepEqual(e.guarantees.holds, ["signed", "arithmetic", "in-tree", "exact-share"]);
  assert.deepEqual(e.guarantees.doesNotHold, [
    "base-is-yours",
    "deficit-real",
    "rounding-ranking",
    "same-for-everyone",
    "keys-are-the-venue's",
  ]);
  assert.equal(e.evidence, undefined);
  assert.equal(e.checks.length, 9);
});

Deno.test("explainProof: rounded down, and a zero base", () => {
  const carol = explainProof(example(CAROL)).charge!;
  assert.equal(carol.haircut, 14323n);
  assert.equal(carol.roundingAdded, 0n);
  assert.deepEqual(carol.allowed, { min: 14323n, max: 14324n });
  const dave = explainProof(example(DAVE)).charge!;
  assert.deepEqual(dave.exact, { q: 0n, r: 0n, den: 11205005n });
  assert.deepEqual(dave.allowed, { min: 0n, max: 0n });
  assert.equal(dave.roundingAdded, 0n);
});

Deno.test("explainProof: an overcharge comes first, in minor units with the allowed maximum", () => {
  const e = explainProof(tampered("proof-overcharged"));
  assert.equal(e.ok, false);
  assert.equal(e.reason.code, "overcharged");
  if (e.reason.code !== "overcharged") return;
  assert.equal(e.reason.by, 50n);
  assert.equal(e.reason.allowedMax, 12346n);
  assert.equal(e.reason.finding.code, "HAIRCUT_MISMATCH");
  assert.deepEqual(e.charge?.verdict, { status: "overcharged", by: 50n });
  assert.equal(e.charge?.roundingAdded, undefined, "no rounding for a charge the rule does not allow");
  assert.deepEqual(e.guarantees.holds, ["signed", "arithmetic", "in-tree"], "the venue signed this charge");
  assert.ok(!e.guarantees.doesNotHold.includes("exact-share"), "a failed check is in neither list");
  assert.equal(e.evidence?.statementDigest, "98fe7f5f986d9e72061e35e9f2b5b45e1ad39982327d7a49da5e9f1ecf2db6ee");
  assert.deepEqual(e.evidence?.venue, { name: "Tamper Test Exchange", verified: true });
  assert.deepEqual(e.evidence?.files, ["proof", "statement", "keys"]);
});

Deno.test("explainProof: an undercharge in the signed tree", () => {
  const { envelope, proofs } = movedCharge({ from: "frank", to: "bob", units: 50n });
  const keys = parseKeysFile(read(MOVED_KEYS));
  const frank = explainProof(verifyProof({ proof: proofs.get("frank")!, envelope }, keys));
  assert.equal(frank.reason.code, "undercharged");
  if (frank.reason.code !== "undercharged") return;
  assert.equal(frank.reason.by, 50n);
  assert.equal(frank.reason.allowedMin, 25000n);
  const bob = explainProof(verifyProof({ proof: proofs.get("bob")!, envelope }, keys));
  assert.equal(bob.reason.code, "overcharged");
});

Deno.test("explainProof: a proof of another statement is never combined with this one", () => {
  const report = tampered("proof-wrong-statement");
  assert.deepEqual(report.errors.map((e) => e.code), ["STATEMENT_DIGEST_MISMATCH"], "no false HAIRCUT_MISMATCH");
  const e = explainProof(report);
  assert.deepEqual(
    { ...e.reason, finding: undefined },
    {
      code: "other-statement",
      proofStatement: "906d0e2fcd779cd1118873aa4c5faa036adca29e2c896f81273d48938ad2d19a",
      statementDigest: "2b94de55d2c74e8d322010c4cb3d7a4c13b23f11676ac6d5717983e216f80d5d",
      finding: undefined,
    },
  );
  assert.equal(e.charge, undefined);
  assert.equal(e.waterfall, undefined);
  assert.equal(e.rate, undefined);
  assert.equal(e.statement?.venue, "Tamper Test Exchange");
  assert.deepEqual(e.checks.map((c) => c.status), [
    "pass",
    "pass",
    "pass",
    "pass",
    "pass",
    "fail",
    "skip",
    "skip",
    "skip",
  ]);
});

Deno.test("explainProof: no trusted signature names the venue only as an unverified hint", () => {
  const report = verifyProof(
    { proof: read(new URL(ALICE, EXAMPLE)), envelope: read(new URL("statement.dsse.json", EXAMPLE)) },
    parseKeysFile(read(new URL("base/keys.json", TAMPERED))),
  );
  const e = explainProof(report);
  assert.deepEqual({ ...e.reason, finding: undefined }, {
    code: "no-trusted-signature",
    unverifiedVenue: "Example Exchange",
    finding: undefined,
  });
  assert.equal(e.statement, undefined);
  assert.equal(e.charge, undefined);
  assert.deepEqual(e.evidence?.venue, { name: "Example Exchange", verified: false });
  assert.deepEqual(e.guarantees.holds, []);
});

Deno.test("explainProof: each failing stage gives its reason", () => {
  const codes = (name: string): string => explainProof(tampered(name)).reason.code;
  assert.equal(codes("proof-haircut-edited"), "not-in-tree");
  assert.equal(codes("proof-path-too-long"), "not-in-tree");
  assert.equal(codes("proof-salt-uppercase"), "proof-invalid");
  const removed = explainProof(verifyProof({
    proof: read(new URL(ALICE, EXAMPLE)),
    envelope: (() => {
      const env = JSON.parse(read(new URL("statement.dsse.json", EXAMPLE)));
      env.signatures = [env.signatures[0]];
      return JSON.stringify(env);
    })(),
  }, parseKeysFile(read(new URL("keys.json", EXAMPLE)))));
  assert.equal(removed.reason.code, "too-few-signatures");
  if (removed.reason.code === "too-few-signatures") assert.equal(removed.reason.validKeys, 1);
});
