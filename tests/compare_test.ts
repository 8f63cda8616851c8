/**
 * `haircut compare` (src/rules/compare.ts, src/verify/compare.ts,
 * src/report/compare.ts, src/cli/_compare.ts): every rule re-allocated,
 * figures checked by hand on Crypto.com's six-winner example.
 */

import assert from "node:assert/strict";
import { compareRules, type RuleOutcome } from "../src/rules/compare.ts";
import { runCli } from "../src/cli/main.ts";

/** Crypto.com's example in cents, under its rate rounded half up (what its page shows). */
const BASES = [5000000n, 4500000n, 3000000n, 3000000n, 1500000n, 100000n];
const HALF_UP = [292398n, 263158n, 175439n, 175439n, 87719n, 5848n];
const RATE = { num: 10000n, den: 171000n };

function summary(rows: RuleOutcome[]): string[] {
  return rows.map((r) =>
    `${r.rule}${r.capped ? "" : " nocap"} ${r.collected} ${r.uncovered} ${r.overTarget} ${r.differing}` +
    `${r.published ? " published" : ""}${r.admissible ? "" : " inadmissible"}`
  );
}

Deno.test("compareRules: Crypto.com's six winners, by hand", () => {
  const rows = compareRules({
    bases: BASES,
    published: HALF_UP,
    shortfall: 1000000n,
    cap: null,
    rule: "rate-half-up",
    rate: RATE,
  });
  // Floors 292397, 263157, 175438, 175438, 87719, 5847 = 999,996; remainders (x 171,000) .66 .89 .59 .59 .29 .95:
  // largest remainder gives the four units to the .95, .89, .66 and the first .59.
  assert.deepEqual(summary(rows), [
    "largest-remainder 1000000 0 0 1",
    "floor 999996 4 0 5",
    "rate-floor 999996 4 0 5",
    "rate-half-up 1000001 -1 1 0 published inadmissible",
    "rate-ceil 1000002 -2 2 1 inadmissible",
  ]);
  const lr = rows[0];
  // Under largest remainder the smallest account (1,000 USD) pays 58.48: 5.848%, the most. The second 30,000 USD
  // account pays 1,754.38, exactly the fraction 877.19 of 15,000 pays (5.84793…%): the first of the two is reported.
  assert.deepEqual(lr.highest, { index: 5, haircut: 5848n, base: 100000n });
  assert.deepEqual(lr.lowest, { index: 3, haircut: 175438n, base: 3000000n });
  assert.deepEqual(rows[3].rate, RATE);
  assert.equal(rows[3].rateSource, "statement");
});

Deno.test("compareRules: with a cap, every rule again without it, and a rate above the cap is inadmissible", () => {
  const bases = [25000n, 33333n, 33333n, 8334n, 0n];
  const published = [10000n, 13333n, 13333n, 3334n, 0n];
  const rows = compareRules({
    bases,
    published,
    shortfall: 70000n,
    cap: { num: 2n, den: 5n },
    rule: "largest-remainder",
  });
  assert.equal(rows.length, 10);
  assert.deepEqual(rows.map((r) => r.target), [...Array(5).fill(40000n), ...Array(5).fill(70000n)]);
  assert.deepEqual(rows[2].rate, { num: 40000n, den: 100000n });
  assert.equal(rows[0].published, true);
  assert.equal(rows.filter((r) => r.published).length, 1);
  const over = compareRules({
    bases,
    published,
    shortfall: 70000n,
    cap: { num: 2n, den: 5n },
    rule: "rate-floor",
    rate: { num: 41n, den: 100n },
  });
  assert.equal(over[2].admissible, false); // 41% > the 40% cap, even though it collects only 40,998
  assert.equal(over[2].collected, 40998n);
  assert.equal(over[7].rateSource, "target"); // without the cap: T/P = 70%
});

Deno.test("compareRules: a total base of zero and bad input", () => {
  const rows = compareRules({ bases: [0n, 0n], published: [0n, 0n], shortfall: 5n, cap: null, rule: "floor" });
  assert.ok(rows.every((r) => r.collected === 0n && r.uncovered === 5n && r.highest === undefined));
  assert.throws(() => compareRules({ bases: [], published: [], shortfall: 0n, cap: null, rule: "floor" }), RangeError);
  assert.throws(
    () => compareRules({ bases: [1n], published: [], shortfall: 0n, cap: null, rule: "floor" }),
    RangeError,
  );
});

Deno.test("haircut compare: the example publication, verified, in text, JSON and markdown", async () => {
  const args = ["compare", "fixtures/example", "--keys", "fixtures/example/keys.json"];
  const text = await runCli(args);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^The publication verifies against your keys \(VALID\)\./);
  assert.match(text.stdout, /\*\s+largest-remainder\s+T\/P\s+13,000\.00 USDT\s+0\.00 USDT\s+-\s/);
  const json = JSON.parse((await runCli([...args, "--format", "json"])).stdout);
  assert.equal(json.kind, "compare");
  assert.equal(json.verified, "valid");
  assert.deepEqual(json.rules.map((r: { collected: string }) => r.collected), [
    "1300000",
    "1299997",
    "1299997",
    "1300000",
    "1300004",
  ]);
  assert.equal(json.rules[0].differing, 0);
  const md = await runCli([...args, "--format", "markdown"]);
  assert.match(md.stdout, /\| largest-remainder \(published\) \| T\/P \| 13,000\.00 USDT \|/);
});

Deno.test("haircut compare: without keys it says UNVERIFIED; with the wrong keys it exits 1 and still compares", async () => {
  const plain = await runCli(["compare", "fixtures/example"]);
  assert.equal(plain.code, 0);
  assert.match(plain.stdout, /^UNVERIFIED: no --keys given/);
  const wrong = await runCli(["compare", "fixtures/example", "--keys", "fixtures/golden/keys.json"]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /^The publication does NOT verify against your keys: SIGNATURE_THRESHOLD/);
  const usage = await runCli(["compare"]);
  assert.equal(usage.code, 2);
  const missing = await runCli(["compare", "fixtures/does-not-exist"]);
  assert.equal(missing.code, 2);
  assert.match((await runCli(["compare", "--help"])).stdout, /^Usage: haircut compare/);
});

Deno.test("haircut compare: a publication with a deficit tree verifies with its bankrupt.csv", async () => {
  const dir = "fixtures/scenarios/okex-weekly-clawback-rate";
  const r = await runCli(["compare", dir, "--keys", `${dir}/keys.json`, "--format", "json"]);
  assert.equal(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout);
  assert.equal(json.verified, "valid");
  const published = json.rules.find((row: { published: boolean }) => row.published);
  assert.deepEqual([published.rule, published.collected, published.differing], ["rate-floor", "1202722499", 0]);
});
