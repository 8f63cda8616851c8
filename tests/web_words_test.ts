/**
 * The page's words (`web/_words.ts`) for explanations of real reports:
 * the sentences a trader reads, with amounts in money, for a valid proof,
 * an overcharge, a proof of another statement and the wrong keys file.
 */

import assert from "node:assert/strict";
import { explainProof, parseKeysFile, verifyProof } from "../mod.ts";
import {
  baseCheckSentence,
  chargeLines,
  evidenceSentences,
  guaranteeSentences,
  moneyOf,
  reasonSentence,
  waterfallLines,
} from "../web/_words.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXAMPLE = `${ROOT}fixtures/example`;
const TAMPERED = `${ROOT}fixtures/tampered`;

function explain(proof: string, statement: string, keys: string): ReturnType<typeof explainProof> {
  const report = verifyProof(
    { proof: Deno.readTextFileSync(proof), envelope: Deno.readTextFileSync(statement) },
    parseKeysFile(Deno.readTextFileSync(keys)),
  );
  return explainProof(report);
}

const alice = (): ReturnType<typeof explainProof> =>
  explain(
    `${EXAMPLE}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`,
    `${EXAMPLE}/statement.dsse.json`,
    `${EXAMPLE}/keys.json`,
  );

Deno.test("web words: a valid proof, its charge in money and the base to check", () => {
  const e = alice();
  const money = moneyOf(e.asset);
  assert.equal(
    reasonSentence(e.reason, money),
    "Your account is in the list the venue signed, and your charge is exactly your share of the loss.",
  );
  assert.deepEqual(Object.fromEntries(chargeLines(e, money)), {
    "Account": "alice (number 8 of the 8 accounts in the list)",
    "Your base": "7,500.00 USDT",
    "Charged": "870.15 USDT",
    "You keep": "6,629.85 USDT",
    "The rate": "11.60195…%: the 13,000.00 USDT to collect, divided by the 112,050.05 USDT of every account's profit",
    "Your exact share": "870.14686740… USDT, before rounding to whole 0.01 USDT units",
    "The rule allows": "870.14 USDT or 870.15 USDT, depending on how the rounding units fall",
    "Rounding": "added 0.01 USDT to your exact share rounded down",
    "How the rule rounds": "each share is rounded down to a whole 0.01 USDT, then the 0.01 USDT units left over go " +
      "one each to the accounts with the largest remainders (largest-remainder rounding)",
  });
  assert.equal(
    baseCheckSentence(e, money),
    "Check that your base, 7,500.00 USDT, is your profit on 2026-11-03 at 08:00 UTC: haircut cannot know it.",
  );
  assert.deepEqual(waterfallLines(e, money).map(([, v]) => v), [
    "25,000.00 USDT",
    "12,000.00 USDT",
    "12,000.00 USDT",
    "13,000.00 USDT",
    "none",
    "13,000.00 USDT",
    "13,000.00 USDT",
    "0.00 USDT",
  ]);
  const g = guaranteeSentences(e);
  assert.equal(g.holds.length, 4);
  assert.match(g.doesNotHold.join(" "), /your base is really yours/);
  assert.deepEqual(evidenceSentences(e), []);
});

Deno.test("web words: an overcharge is said first, in money", () => {
  const dir = `${TAMPERED}/proof-overcharged`;
  const e = explain(`${dir}/proof.json`, `${dir}/statement.dsse.json`, `${TAMPERED}/base/keys.json`);
  const money = moneyOf(e.asset);
  assert.equal(
    reasonSentence(e.reason, money),
    "You were overcharged by 0.50 USDT: the rule allows at most 123.46 USDT.",
  );
  assert.deepEqual(chargeLines(e, money).find(([k]) => k === "Overcharged"), ["Overcharged", "by 0.50 USDT"]);
  assert.equal(chargeLines(e, money).find(([k]) => k === "Rounding"), undefined, "no rounding for a wrong charge");
  const evidence = evidenceSentences(e);
  assert.equal(
    evidence[0],
    "Keep the three files exactly as they are: your proof file, the statement file and the keys file.",
  );
  assert.match(evidence[1], /^Note the statement's digest: [0-9a-f]{64}\.$/);
  assert.equal(evidence[2], "Ask Tamper Test Exchange to explain, and show them these files.");
});

Deno.test("web words: a proof of another statement gives no figure of either", () => {
  const dir = `${TAMPERED}/proof-wrong-statement`;
  const e = explain(`${dir}/proof.json`, `${dir}/statement.dsse.json`, `${TAMPERED}/base/keys.json`);
  const money = moneyOf(e.asset);
  assert.match(
    reasonSentence(e.reason, money),
    /^This proof belongs to another statement \([0-9a-f]{16}…\), not to the statement file you chose \([0-9a-f]{16}…\)\. Choose the statement of the same event\.$/,
  );
  assert.deepEqual(chargeLines(e, money), []);
  assert.deepEqual(waterfallLines(e, money), []);
  assert.equal(baseCheckSentence(e, money), undefined);
});

Deno.test("web words: the wrong keys file asks whether it is the one pinned for the venue", () => {
  const e = explain(
    `${EXAMPLE}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`,
    `${EXAMPLE}/statement.dsse.json`,
    `${TAMPERED}/base/keys.json`,
  );
  assert.equal(
    reasonSentence(e.reason, moneyOf(e.asset)),
    "None of the keys in your keys file signed this statement: is it the keys file you saved for Example Exchange " +
      "(the name the unverified statement gives)?",
  );
  assert.match(evidenceSentences(e).join(" "), /the unverified statement names it Example Exchange/);
});
