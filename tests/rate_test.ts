/**
 * The rate policies of SPEC §8.4 (src/rules/rate.ts): each rounding checked
 * against its defining inequalities, the automatic rate against a brute
 * force search, and the per-leaf checker. Property tests use fixed seeds.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  automaticRate,
  isRateRounding,
  type Rate,
  RATE_ROUNDINGS,
  RateChecker,
  rateHaircut,
  rateProblem,
  type RateRounding,
  rateTotal,
  rateWithinCap,
} from "../src/rules/rate.ts";

const SEED = 20261201;
const RUNS = { seed: SEED, numRuns: 400 };

const baseArb = fc.oneof(fc.bigInt(0n, 20n), fc.bigInt(0n, 1n << 40n), fc.bigInt(0n, 1n << 100n));
const rateArb: fc.Arbitrary<Rate> = fc.oneof(
  fc.bigInt(1n, 1000n),
  fc.bigInt(1n, 1n << 64n),
).chain((den) => fc.bigInt(0n, den).map((num) => ({ num, den })));
const roundingArb = fc.constantFrom(...RATE_ROUNDINGS);

/** The rounding's defining inequality on `h * den` against the exact product `b * num` (SPEC §8.4). */
function satisfiesDefinition(base: bigint, rate: Rate, rounding: RateRounding, h: bigint): boolean {
  const exact = base * rate.num;
  const { den } = rate;
  if (rounding === "rate-floor") return h * den <= exact && exact < (h + 1n) * den;
  if (rounding === "rate-ceil") return (h - 1n) * den < exact && exact <= h * den;
  return 2n * h * den - den <= 2n * exact && 2n * exact < 2n * h * den + den; // nearest, a tie rounds up
}

Deno.test("rateHaircut: the Crypto.com six-winner example, by hand", () => {
  // Profits 50,000, 45,000, 30,000, 30,000, 15,000 and 1,000 USD (in cents); 10,000 USD to share: 10,000/171,000.
  const bases = [5000000n, 4500000n, 3000000n, 3000000n, 1500000n, 100000n];
  const rate = { num: 10000n, den: 171000n };
  assert.deepEqual(bases.map((b) => rateHaircut(b, rate, "rate-half-up")), [
    292398n, // 2,923.98 (292,397.66…)
    263158n, // 2,631.58 (263,157.89…)
    175439n, // 1,754.39 (175,438.59…)
    175439n,
    87719n, // 877.19 (87,719.29…)
    5848n, // 58.48 (5,847.95…)
  ]);
  assert.equal(rateTotal(bases, { rate, rounding: "rate-half-up" }), 1000001n); // 10,000.01 USD
  assert.equal(rateTotal(bases, { rate, rounding: "rate-floor" }), 999996n); // 9,999.96 USD
  assert.equal(rateTotal(bases, { rate, rounding: "rate-ceil" }), 1000002n); // 10,000.02 USD
});

Deno.test("rateHaircut: exact products are never rounded, and half-up rounds a half up", () => {
  const rate = { num: 116n, den: 1000n }; // 11.6%
  for (const rounding of RATE_ROUNDINGS) assert.equal(rateHaircut(750000n, rate, rounding), 87000n);
  const half = { num: 1n, den: 2n };
  assert.equal(rateHaircut(3n, half, "rate-floor"), 1n);
  assert.equal(rateHaircut(3n, half, "rate-half-up"), 2n);
  assert.equal(rateHaircut(3n, half, "rate-ceil"), 2n);
  const third = { num: 1n, den: 3n };
  assert.equal(rateHaircut(4n, third, "rate-half-up"), 1n); // 1.33… rounds down
  assert.equal(rateHaircut(5n, third, "rate-half-up"), 2n); // 1.66… rounds up
  assert.equal(rateHaircut(0n, { num: 1n, den: 1n }, "rate-ceil"), 0n);
  assert.equal(rateHaircut(7n, { num: 0n, den: 1n }, "rate-ceil"), 0n);
});

Deno.test("rateProblem, rateWithinCap and isRateRounding", () => {
  assert.equal(rateProblem({ num: 0n, den: 1n }), undefined);
  assert.equal(rateProblem({ num: 5n, den: 5n }), undefined);
  assert.equal(rateProblem({ num: 0n, den: 0n }), "must have 0 <= num <= den and den > 0, got 0/0");
  assert.equal(rateProblem({ num: 6n, den: 5n }), "must have 0 <= num <= den and den > 0, got 6/5");
  assert.equal(rateWithinCap({ num: 40n, den: 100n }, { num: 2n, den: 5n }), true);
  assert.equal(rateWithinCap({ num: 400001n, den: 1000000n }, { num: 2n, den: 5n }), false);
  assert.deepEqual(RATE_ROUNDINGS.map(isRateRounding), [true, true, true]);
  assert.equal(isRateRounding("floor"), false);
  assert.equal(isRateRounding("rate-round"), false);
});

Deno.test("property: under every rate rounding each haircut is exactly the formula, and 0 <= haircut <= base", () => {
  fc.assert(
    fc.property(baseArb, rateArb, roundingArb, (base, rate, rounding) => {
      const h = rateHaircut(base, rate, rounding);
      assert.ok(satisfiesDefinition(base, rate, rounding, h), `${rounding} ${base} * ${rate.num}/${rate.den} = ${h}`);
      assert.ok(h >= 0n && h <= base);
    }),
    RUNS,
  );
});

Deno.test("property: monotonicity in the base, and floor <= half-up <= ceil <= floor + 1", () => {
  fc.assert(
    fc.property(baseArb, baseArb, rateArb, roundingArb, (a, b, rate, rounding) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      assert.ok(rateHaircut(lo, rate, rounding) <= rateHaircut(hi, rate, rounding));
      const floor = rateHaircut(a, rate, "rate-floor");
      const half = rateHaircut(a, rate, "rate-half-up");
      const ceil = rateHaircut(a, rate, "rate-ceil");
      assert.ok(floor <= half && half <= ceil && ceil <= floor + 1n);
    }),
    RUNS,
  );
});

/** The largest num/10^d within the cap whose total fits, by scanning every numerator. */
function bruteForceRate(bases: bigint[], target: bigint, d: number, rounding: RateRounding, cap: Rate | null): Rate {
  const den = 10n ** BigInt(d);
  let best = 0n;
  for (let num = 0n; num <= den; num++) {
    if (cap && !rateWithinCap({ num, den }, cap)) break;
    if (rateTotal(bases, { rate: { num, den }, rounding }) <= target) best = num;
  }
  return { num: best, den };
}

const poolArb = fc.array(fc.bigInt(0n, 100000n), { minLength: 1, maxLength: 12 }).chain((bases) => {
  const total = bases.reduce((s, b) => s + b, 0n);
  return fc.record({
    bases: fc.constant(bases),
    target: fc.bigInt(0n, total),
    decimals: fc.integer({ min: 0, max: 3 }),
    rounding: roundingArb,
    cap: fc.option(fc.bigInt(1n, 100n).map((num) => ({ num, den: 100n })), { nil: null }),
  });
});

Deno.test("property: the automatic rate is the largest rate at its precision whose total fits (brute force)", () => {
  fc.assert(
    fc.property(poolArb, ({ bases, target, decimals, rounding, cap }) => {
      const rate = automaticRate(bases, target, { decimals, rounding, cap });
      assert.deepEqual(rate, bruteForceRate(bases, target, decimals, rounding, cap));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

Deno.test("property: at the automatic rate, totalHaircut <= target, and one more unit of rate overshoots or breaks the cap", () => {
  const wide = fc.array(fc.bigInt(0n, 1n << 60n), { minLength: 1, maxLength: 40 }).chain((bases) => {
    const total = bases.reduce((s, b) => s + b, 0n);
    return fc.record({
      bases: fc.constant(bases),
      target: fc.bigInt(0n, total),
      decimals: fc.integer({ min: 0, max: 18 }),
      rounding: roundingArb,
      cap: fc.option(fc.bigInt(1n, 1000n).map((num) => ({ num, den: 1000n })), { nil: null }),
    });
  });
  fc.assert(
    fc.property(wide, ({ bases, target, decimals, rounding, cap }) => {
      const rate = automaticRate(bases, target, { decimals, rounding, cap });
      assert.equal(rate.den, 10n ** BigInt(decimals));
      assert.equal(rateProblem(rate), undefined);
      assert.ok(rateTotal(bases, { rate, rounding }) <= target);
      if (cap) assert.ok(rateWithinCap(rate, cap));
      const next = { num: rate.num + 1n, den: rate.den };
      const blocked = next.num > next.den || (cap !== null && !rateWithinCap(next, cap)) ||
        rateTotal(bases, { rate: next, rounding }) > target;
      assert.ok(blocked, `${rate.num + 1n}/${rate.den} still fits`);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

Deno.test("automaticRate: the Crypto.com example at 6 decimals, a total base of zero, and bad input", () => {
  const bases = [5000000n, 4500000n, 3000000n, 3000000n, 1500000n, 100000n];
  const floor = automaticRate(bases, 1000000n, { decimals: 6, rounding: "rate-floor", cap: null });
  assert.deepEqual(floor, { num: 58479n, den: 1000000n });
  assert.equal(rateTotal(bases, { rate: floor, rounding: "rate-floor" }), 999989n);
  assert.equal(rateTotal(bases, { rate: { num: 58480n, den: 1000000n }, rounding: "rate-floor" }), 1000008n);
  const capped = automaticRate(bases, 1000000n, { decimals: 2, rounding: "rate-ceil", cap: { num: 1n, den: 25n } });
  assert.deepEqual(capped, { num: 4n, den: 100n });
  assert.deepEqual(automaticRate([0n, 0n], 0n, { decimals: 3, rounding: "rate-floor", cap: null }), {
    num: 1000n,
    den: 1000n,
  });
  assert.throws(() => automaticRate([1n], 0n, { decimals: 19, rounding: "rate-floor", cap: null }), RangeError);
  assert.throws(() => automaticRate([1n], 2n, { decimals: 2, rounding: "rate-floor", cap: null }), RangeError);
  assert.throws(() => automaticRate([-1n], 0n, { decimals: 2, rounding: "rate-floor", cap: null }), RangeError);
});

Deno.test("RateChecker: exact haircuts pass, anything else is HAIRCUT_MISMATCH naming the exact amount", () => {
  const checker = new RateChecker({ rate: { num: 10000n, den: 171000n }, rounding: "rate-half-up" });
  assert.equal(checker.add(0, 5000000n, 292398n), undefined);
  const down = checker.add(1, 5000000n, 292397n);
  assert.deepEqual(down, {
    code: "HAIRCUT_MISMATCH",
    message: "leaf 1: haircut 292397 on base 5000000, but rate-half-up at 10000/171000 gives exactly 292398",
    leaf: 1,
  });
  assert.equal(checker.add(2, 100000n, 5849n)?.leaf, 2);
  assert.deepEqual(checker.finish(), []);
});
