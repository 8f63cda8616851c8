/**
 * The explanation model and its words under format v1.1: how a rate was
 * applied ("11.6000% of 7,500.00 USDT is 870.00 USDT, rounded down") and
 * what a deficit proof shows ("your account's loss of … is part of the …
 * deficit this event covered").
 */

import assert from "node:assert/strict";
import { parseKeysFile, verifyProof } from "../mod.ts";
import { buildPublication, keysFileJson } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { explainProof } from "../src/report/explain.ts";
import { explanationWords } from "../src/report/_words.ts";
import { renderProofText } from "../src/report/report.ts";

const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7));
const KEYS = parseKeysFile(keysFileJson([SIGNER]));

function publication(rounding: "rate-floor" | "rate-ceil") {
  return buildPublication(
    {
      accounts: [{ account: "alice", base: 750_000n }, { account: "bob", base: 750_001n }, {
        account: "carol",
        base: 9n,
      }],
      bankrupt: [{ account: "mallory", loss: 123_456n }, { account: "oscar", loss: 2_376_544n }],
      event: {
        venue: "Example Exchange",
        event: "2026-11-03/ETH-PERP",
        asset: "USDT",
        decimals: 2,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: { base: "profit", rounding, cap: null, rate: { num: 116n, den: 1000n } },
        insuranceFund: 2_000_000n,
        previous: null,
      },
    },
    [SIGNER],
    { saltSecret: new TextEncoder().encode("explain v1.1 salt secret") },
  );
}

function explained(rounding: "rate-floor" | "rate-ceil", account: string) {
  const pub = publication(rounding);
  const file = [...pub.proofs, ...pub.deficitProofs!].find((p) => p.account === account)!;
  const report = verifyProof({ proof: file.json, envelope: envelopeToJson(pub.envelope) }, KEYS);
  assert.deepEqual(report.errors, []);
  return { report, e: explainProof(report) };
}

Deno.test("explain v1.1: how the rate was applied, exactly, rounded down and rounded up", () => {
  const exact = explained("rate-floor", "alice");
  assert.deepEqual(exact.e.rate?.policyRate, { num: 116n, den: 1000n });
  assert.equal(exact.e.charge?.rounded, "exact");
  const rows = (e: typeof exact.e) => Object.fromEntries(explanationWords(e).charge.map((r) => [r.label, r]));
  assert.equal(rows(exact.e).Rounding.value, "11.6000% of 7,500.00 USDT is 870.00 USDT, exactly");
  const down = explained("rate-floor", "bob");
  assert.deepEqual(down.e.charge?.allowed, { min: 87000n, max: 87000n });
  assert.equal(rows(down.e).Rounding.value, "11.6000% of 7,500.01 USDT is 870.00 USDT, rounded down");
  assert.equal(
    rows(down.e).Rounding.note,
    "rounding left out 0.00116 USDT to the exact 870.00116 USDT: the venue's rule rounds each share down",
  );
  const up = explained("rate-ceil", "carol");
  assert.equal(up.e.charge?.haircut, 2n);
  assert.equal(rows(up.e).Rounding.value, "11.6000% of 0.09 USDT is 0.02 USDT, rounded up");
  assert.equal(rows(up.e)["Allowed charge"].note, "the one charge rate-ceil gives: your exact share rounded up");
  // A rate policy has no ranking: nobody needs `haircut verify` to know who got a rounding unit.
  assert.ok(!up.e.guarantees.doesNotHold.includes("rounding-ranking"));
  assert.ok(up.e.guarantees.holds.includes("exact-share"));
  assert.match(
    renderProofText(down.report),
    /\n {2}Rounding {16}11\.6000% of 7,500\.01 USDT is 870\.00 USDT, rounded down/,
  );
});

Deno.test("explain v1.1: a deficit proof says the loss is part of the deficit this event covered", () => {
  const { report, e } = explained("rate-floor", "mallory");
  assert.equal(report.proof, undefined);
  assert.equal(report.deficitProof?.loss, 123456n);
  assert.deepEqual(e.deficit, {
    account: "mallory",
    index: e.deficit!.index,
    loss: 123456n,
    deficit: 2500000n,
    accounts: 2,
    inTree: true,
  });
  assert.equal(e.charge, undefined);
  assert.ok(e.guarantees.holds.includes("loss-in-deficit"));
  const words = explanationWords(e);
  assert.equal(
    words.headline,
    'VALID: account "mallory" is in the signed deficit tree: its loss of 1,234.56 USDT is part of the 25,000.00 USDT ' +
      "deficit this event covered.",
  );
  assert.equal(
    words.charge.find((r) => r.label === "Your loss")?.note,
    "your account's loss of 1,234.56 USDT is part of the 25,000.00 USDT deficit this event covered",
  );
  assert.match(renderProofText(report), /\nYour loss:\n/);
});

Deno.test("explain v1.1: a deficit proof against a statement without a deficit tree is not valid", () => {
  const pub = publication("rate-floor");
  const other = buildPublication({
    accounts: [{ account: "alice", base: 750_000n }],
    event: {
      venue: "Example Exchange",
      event: "2026-11-03/ETH-PERP",
      asset: "USDT",
      decimals: 2,
      snapshotTime: "2026-11-03T08:00:00Z",
      policy: { base: "profit", rounding: "floor", cap: null },
      deficit: 1n,
      insuranceFund: 1n,
      previous: null,
    },
  }, [SIGNER]);
  const proof = JSON.parse(pub.deficitProofs![0].json);
  proof.statement = other.digest;
  const r = verifyProof({ proof: JSON.stringify(proof), envelope: envelopeToJson(other.envelope) }, KEYS);
  assert.deepEqual(r.errors.map((f) => f.code), ["PROOF_INVALID"]);
  assert.match(r.errors[0].message, /the statement commits to no deficit tree/);
});
