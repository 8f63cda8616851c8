/**
 * Format v1.1 in the statement (SPEC §6.5, §7): `policy.rate` with the rate
 * roundings, the optional `deficitTree`, their canonical form, and the
 * arithmetic they add. A v1.0 statement keeps its exact bytes.
 */

import assert from "node:assert/strict";
import { FormatError } from "../src/core/errors.ts";
import { canonicalJson, type JsonValue } from "../src/core/_json.ts";
import {
  checkArithmetic,
  parseStatementPayload,
  type Statement,
  statementBytes,
  statementFromJson,
} from "../src/format/statement.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const envelopeJson = JSON.parse(Deno.readTextFileSync(new URL("statement.dsse.json", GOLDEN)));
const GOLDEN_PAYLOAD = Uint8Array.from(atob(envelopeJson.payload), (c) => c.charCodeAt(0));

// deno-lint-ignore no-explicit-any
type Json = any;

/** The Crypto.com six-winner event in cents under a rate policy: P = 171,000.00 USD, T = 10,000.00 USD. */
function rateStatementJson(overrides: (o: Json) => void = () => {}): Json {
  const o: Json = {
    type: "socialized-loss/statement/v1",
    venue: "Crypto.com-style Exchange",
    event: "session-example/six-winners",
    asset: "USD",
    decimals: 2,
    snapshotTime: "2026-03-10T08:00:00Z",
    policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { num: "10000", den: "171000" } },
    deficit: "1000000",
    insuranceFund: "0",
    insuranceUsed: "0",
    shortfall: "1000000",
    target: "1000000",
    uncovered: "4",
    tree: { root: "ab".repeat(32), leafCount: 6, totalBase: "17100000", totalHaircut: "999996" },
    previous: null,
  };
  overrides(o);
  return o;
}

function bytesOf(o: Json): Uint8Array {
  return enc.encode(canonicalJson(o as JsonValue));
}

function parse(o: Json): Statement {
  return parseStatementPayload(bytesOf(o));
}

function expectCode(o: Json, code: "NON_CANONICAL" | "STATEMENT_INVALID"): string {
  let message = "";
  assert.throws(() => parse(o), (e: unknown) => {
    assert.ok(e instanceof FormatError);
    assert.equal(e.finding.code, code, e.message);
    message = e.message;
    return true;
  });
  return message;
}

Deno.test("v1.1: a rate policy parses, and its canonical bytes round-trip", () => {
  for (const rounding of ["rate-floor", "rate-half-up", "rate-ceil"]) {
    const o = rateStatementJson((s) => s.policy.rounding = rounding);
    const s = parse(o);
    assert.deepEqual(s.policy, { base: "profit", rounding, cap: null, rate: { num: 10000n, den: 171000n } });
    assert.equal(dec.decode(statementBytes(s)), dec.decode(bytesOf(o)));
  }
  const text = dec.decode(bytesOf(rateStatementJson()));
  assert.ok(text.includes(`"policy":{"base":"profit","cap":null,"rate":{"den":"171000","num":"10000"},"rounding":`));
});

Deno.test("v1.1: a v1.0 statement keeps its exact bytes (no rate, no deficitTree)", () => {
  const s = parseStatementPayload(GOLDEN_PAYLOAD);
  assert.equal(s.policy.rate, undefined);
  assert.equal("deficitTree" in s, false);
  assert.deepEqual(statementBytes(s), GOLDEN_PAYLOAD);
});

Deno.test("v1.1: policy.rate is required exactly with the rate roundings, with 0 <= num <= den and den > 0", () => {
  assert.equal(
    expectCode(rateStatementJson((s) => delete s.policy.rate), "STATEMENT_INVALID"),
    `statement policy is missing field "rate", which "rate-floor" requires`,
  );
  assert.equal(
    expectCode(
      rateStatementJson((s) => s.policy.rounding = "floor"),
      "STATEMENT_INVALID",
    ),
    `statement policy.rate is allowed only with the rate roundings, not with "floor"`,
  );
  assert.equal(
    expectCode(rateStatementJson((s) => s.policy.rate = { num: "3", den: "2" }), "STATEMENT_INVALID"),
    "statement policy.rate must have 0 <= num <= den and den > 0, got 3/2",
  );
  assert.equal(
    expectCode(rateStatementJson((s) => s.policy.rate = { num: "0", den: "0" }), "STATEMENT_INVALID"),
    "statement policy.rate must have 0 <= num <= den and den > 0, got 0/0",
  );
  const zero = parse(rateStatementJson((s) => s.policy.rate = { num: "0", den: "1" }));
  assert.deepEqual(zero.policy.rate, { num: 0n, den: 1n });
  assert.match(
    expectCode(rateStatementJson((s) => s.policy.rate = { num: "01", den: "2" }), "STATEMENT_INVALID"),
    /policy\.rate\.num/,
  );
  assert.match(
    expectCode(rateStatementJson((s) => s.policy.rate = { num: 1, den: "2" }), "STATEMENT_INVALID"),
    /policy\.rate\.num must be a decimal string/,
  );
  expectCode(rateStatementJson((s) => s.policy.rate = null), "STATEMENT_INVALID");
  expectCode(rateStatementJson((s) => s.policy.rate = { num: "1" }), "STATEMENT_INVALID");
  expectCode(rateStatementJson((s) => s.policy.rounding = "rate-round"), "STATEMENT_INVALID");
});

Deno.test("v1.1: unknown fields inside policy.rate and deficitTree fail closed (NON_CANONICAL)", () => {
  assert.equal(
    expectCode(rateStatementJson((s) => s.policy.rate.decimals = 4), "NON_CANONICAL"),
    `statement.policy.rate has unknown field "decimals"`,
  );
  assert.equal(
    expectCode(
      rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), leafCount: 1, total: "1000000", extra: 1 }),
      "NON_CANONICAL",
    ),
    `statement.deficitTree has unknown field "extra"`,
  );
  assert.equal(
    expectCode(rateStatementJson((s) => s.policy.step = "1"), "NON_CANONICAL"),
    `statement.policy has unknown field "step"`,
  );
});

Deno.test("v1.1: deficitTree parses, round-trips canonically, and is validated", () => {
  const o = rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), leafCount: 3, total: "1000000" });
  const s = parse(o);
  assert.deepEqual(s.deficitTree, { root: new Uint8Array(32).fill(0xcd), leafCount: 3, total: 1000000n });
  const text = dec.decode(statementBytes(s));
  assert.equal(text, dec.decode(bytesOf(o)));
  assert.ok(text.indexOf(`"deficit":`) < text.indexOf(`"deficitTree":`));
  assert.ok(text.indexOf(`"deficitTree":`) < text.indexOf(`"event":`));
  assert.equal(
    expectCode(
      rateStatementJson((s) => s.deficitTree = { root: "CD".repeat(32), leafCount: 3, total: "1" }),
      "STATEMENT_INVALID",
    ),
    "statement deficitTree.root must be 64 lowercase hex digits",
  );
  expectCode(
    rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), leafCount: 0, total: "1" }),
    "STATEMENT_INVALID",
  );
  expectCode(
    rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), leafCount: 1, total: "-1" }),
    "STATEMENT_INVALID",
  );
  expectCode(rateStatementJson((s) => s.deficitTree = null), "STATEMENT_INVALID");
  expectCode(rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), total: "1" }), "STATEMENT_INVALID");
});

Deno.test("v1.1 arithmetic: a rate policy may collect less than the target, never more (the excess in money)", () => {
  assert.deepEqual(checkArithmetic(parse(rateStatementJson())), []);
  const halfUp = rateStatementJson((s) => {
    s.policy.rounding = "rate-half-up";
    s.tree.totalHaircut = "1000001";
    s.uncovered = "0";
  });
  // uncovered = shortfall - totalHaircut cannot hold either: the total is above the shortfall.
  assert.deepEqual(checkArithmetic(statementFromJson(halfUp)).map((f) => f.message), [
    "rate-half-up at 10000/171000 collected 10,000.01 USD, 0.01 USD more than the target 10,000.00 USD " +
    "(totalHaircut 1000001 > target 1000000): a rate policy may never collect more than the target",
    "uncovered 0 != shortfall 1000000 - totalHaircut 1000001",
  ]);
  const nothing = rateStatementJson((s) => {
    s.policy.rate = { num: "0", den: "1" };
    s.tree.totalHaircut = "0";
    s.uncovered = "1000000";
  });
  assert.deepEqual(checkArithmetic(parse(nothing)), []);
});

Deno.test("v1.1 arithmetic: the rate may not exceed the cap", () => {
  const capped = (num: string): Json =>
    rateStatementJson((s) => {
      s.policy.cap = { num: "2", den: "5" };
      s.policy.rate = { num, den: "1000" };
    });
  assert.deepEqual(checkArithmetic(parse(capped("400"))), []);
  const over = checkArithmetic(parse(capped("401")));
  assert.deepEqual(over, [{
    code: "ARITHMETIC",
    message: "the rate 401/1000 exceeds the cap 2/5 (401 * 5 > 2 * 1000): nobody may pay more than the cap fraction",
  }]);
});

Deno.test("v1.1 arithmetic: deficitTree.total must equal the deficit", () => {
  const o = rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), leafCount: 2, total: "999999" });
  assert.deepEqual(checkArithmetic(parse(o)), [{
    code: "ARITHMETIC",
    message: "the bankrupt accounts' losses add up to 9,999.99 USD (deficitTree.total 999999), but the deficit is " +
      "10,000.00 USD (1000000): deficitTree.total must equal the deficit",
  }]);
  const ok = rateStatementJson((s) => s.deficitTree = { root: "cd".repeat(32), leafCount: 2, total: "1000000" });
  assert.deepEqual(checkArithmetic(parse(ok)), []);
});
