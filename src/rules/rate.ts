/**
 * The rate policies of SPEC §8.4: the venue publishes a rate `num/den` and
 * charges every account `base * num / den`, rounded to a minor unit its own
 * way. There is no ranking: each haircut is a function of its own base, so a
 * trader's local check is exact and the full check keeps no state.
 *
 * - `rate-floor`: `floor(b * num / den)`
 * - `rate-ceil`: `ceil(b * num / den)`
 * - `rate-half-up`: `floor((2 * b * num + den) / (2 * den))`
 *
 * @module
 */

import type { Finding } from "../core/errors.ts";

/**
 * The rounding of a rate policy, named by `policy.rounding`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateHaircut, type RateRounding } from "../../mod.ts";
 * const roundings: RateRounding[] = ["rate-floor", "rate-half-up", "rate-ceil"];
 * assert.deepEqual(roundings.map((r) => rateHaircut(5n, { num: 1n, den: 3n }, r)), [1n, 2n, 2n]); // 1.66…
 * ```
 */
export type RateRounding = "rate-floor" | "rate-half-up" | "rate-ceil";

/** The rate roundings, in the order SPEC §8.4 lists them. */
export const RATE_ROUNDINGS: readonly RateRounding[] = ["rate-floor", "rate-half-up", "rate-ceil"];

/**
 * A rate `num/den` with `0 <= num <= den` and `den > 0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Rate, rateHaircut } from "../../mod.ts";
 * const okex: Rate = { num: 1803n, den: 10000n }; // 18.03%
 * assert.equal(rateHaircut(100_000_000n, okex, "rate-floor"), 18_030_000n); // of 1 BTC
 * ```
 */
export interface Rate {
  /** Numerator. */
  num: bigint;
  /** Denominator, above zero. */
  den: bigint;
}

/**
 * Whether `rounding` names a rate policy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRateRounding } from "./rate.ts";
 * assert.equal(isRateRounding("rate-half-up"), true);
 * assert.equal(isRateRounding("largest-remainder"), false);
 * ```
 */
export function isRateRounding(rounding: string): rounding is RateRounding {
  return (RATE_ROUNDINGS as readonly string[]).includes(rounding);
}

/**
 * Why `rate` is not a valid rate, or `undefined` when `0 <= num <= den` and `den > 0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateProblem } from "./rate.ts";
 * assert.equal(rateProblem({ num: 1n, den: 3n }), undefined);
 * assert.equal(rateProblem({ num: 4n, den: 3n }), "must have 0 <= num <= den and den > 0, got 4/3");
 * ```
 */
export function rateProblem(rate: Rate): string | undefined {
  const { num, den } = rate;
  return den > 0n && num >= 0n && num <= den ? undefined : `must have 0 <= num <= den and den > 0, got ${num}/${den}`;
}

/**
 * The haircut of one base under a rate policy.
 *
 * Preconditions: `base >= 0` and `rate` is valid ({@linkcode rateProblem}).
 * The result is then between 0 and `base`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateHaircut } from "../../mod.ts";
 * const rate = { num: 10n, den: 171n }; // 10,000 of 171,000 USD
 * assert.equal(rateHaircut(5000000n, rate, "rate-floor"), 292397n); // 292,397.66… cents
 * assert.equal(rateHaircut(5000000n, rate, "rate-half-up"), 292398n);
 * assert.equal(rateHaircut(5000000n, rate, "rate-ceil"), 292398n);
 * ```
 */
export function rateHaircut(base: bigint, rate: Rate, rounding: RateRounding): bigint {
  const { num, den } = rate;
  if (rounding === "rate-floor") return base * num / den;
  if (rounding === "rate-ceil") return (base * num + den - 1n) / den;
  return (2n * base * num + den) / (2n * den);
}

/**
 * The total a rate policy collects from `bases`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateTotal } from "./rate.ts";
 * const bases = [5000000n, 4500000n, 3000000n, 3000000n, 1500000n, 100000n];
 * assert.equal(rateTotal(bases, { rate: { num: 10n, den: 171n }, rounding: "rate-half-up" }), 1000001n);
 * ```
 */
export function rateTotal(bases: Iterable<bigint>, policy: { rate: Rate; rounding: RateRounding }): bigint {
  let total = 0n;
  for (const b of bases) total += rateHaircut(b, policy.rate, policy.rounding);
  return total;
}

/**
 * Whether `rate` is within `cap`: `num * cap.den <= cap.num * den`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateWithinCap } from "./rate.ts";
 * assert.equal(rateWithinCap({ num: 2n, den: 5n }, { num: 40n, den: 100n }), true);
 * assert.equal(rateWithinCap({ num: 41n, den: 100n }, { num: 2n, den: 5n }), false);
 * ```
 */
export function rateWithinCap(rate: Rate, cap: Rate): boolean {
  return rate.num * cap.den <= cap.num * rate.den;
}

/**
 * The automatic rate of `{ "decimals": d }`: the largest `num / 10^d` whose
 * total over `bases` does not exceed `target`, and not above `cap` when
 * there is one. The total is monotone in `num`, and it differs from
 * `num * P / 10^d` by less than the number of bases, so the binary search
 * runs over that narrow window only.
 *
 * Preconditions: every base is non-negative, `target <= sum(bases)`, and
 * `0 <= decimals <= 18`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { automaticRate } from "../../publish.ts";
 * const bases = [5000000n, 4500000n, 3000000n, 3000000n, 1500000n, 100000n];
 * const rate = automaticRate(bases, 1000000n, { decimals: 6, rounding: "rate-half-up", cap: null });
 * assert.deepEqual(rate, { num: 58479n, den: 1000000n }); // 5.8479%, collecting 9,999.92 USD
 * ```
 */
export function automaticRate(
  bases: readonly bigint[],
  target: bigint,
  options: { decimals: number; rounding: RateRounding; cap: Rate | null },
): Rate {
  const { decimals, rounding, cap } = options;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new RangeError(`rate decimals must be an integer from 0 to 18, got ${decimals}`);
  }
  const den = 10n ** BigInt(decimals);
  let total = 0n;
  for (const b of bases) {
    if (b < 0n) throw new RangeError(`base ${b} is negative`);
    total += b;
  }
  if (target < 0n || target > total) throw new RangeError(`target ${target} is outside [0, ${total}]`);
  let top = cap ? cap.num * den / cap.den : den;
  if (top > den) top = den;
  const collects = (num: bigint): bigint => rateTotal(bases, { rate: { num, den }, rounding });
  if (total === 0n) return { num: top, den };
  // |total(num) - num * P / den| < n: search (target - n) * den / P .. (target + n) * den / P only.
  const n = BigInt(bases.length);
  let lo = target > n ? (target - n) * den / total : 0n; // total(lo) <= target
  let hi = (target + n) * den / total + 1n; // total(hi) > target, unless hi > top
  if (lo > top) lo = top;
  if (collects(lo) > target) lo = 0n;
  if (hi > top) {
    if (collects(top) <= target) return { num: top, den };
    hi = top;
  }
  // Invariant: total(lo) <= target < total(hi).
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (collects(mid) <= target) lo = mid;
    else hi = mid;
  }
  return { num: lo, den };
}

/**
 * The per-leaf check of a rate policy: every haircut must be exactly
 * {@linkcode rateHaircut} of its base. It keeps no state, so any slice of
 * the leaves is checked on its own and nothing is merged; there is no
 * `ROUNDING_ORDER` under a rate policy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateChecker } from "./rate.ts";
 * const checker = new RateChecker({ rate: { num: 10n, den: 171n }, rounding: "rate-floor" });
 * assert.equal(checker.add(0, 5000000n, 292397n), undefined);
 * assert.equal(checker.add(1, 5000000n, 292398n)?.code, "HAIRCUT_MISMATCH");
 * assert.equal(checker.state(), null); // nothing carries over between leaves
 * assert.deepEqual(checker.finish(), []);
 * ```
 */
export class RateChecker {
  readonly #rate: Rate;
  readonly #rounding: RateRounding;

  /** Starts a check of the haircuts `rounding` gives at `rate`. Precondition: the rate is valid. */
  constructor(policy: { rate: Rate; rounding: RateRounding }) {
    this.#rate = { ...policy.rate };
    this.#rounding = policy.rounding;
  }

  /**
   * Checks leaf `index`.
   *
   * @returns A `HAIRCUT_MISMATCH` finding naming the exact haircut, or `undefined`.
   */
  add(index: number, base: bigint, haircut: bigint): Finding | undefined {
    const expected = rateHaircut(base, this.#rate, this.#rounding);
    if (haircut === expected) return undefined;
    return rateMismatchFinding({ index, base, haircut, expected }, { rate: this.#rate, rounding: this.#rounding });
  }

  /** The state to merge: none, since each leaf is checked on its own. */
  state(): null {
    return null;
  }

  /** Merges the (empty) state of later leaves: nothing to do. */
  merge(_next: null): void {}

  /** Nothing is left to check once every leaf was added: each was checked exactly. */
  finish(): Finding[] {
    return [];
  }
}

/**
 * The `HAIRCUT_MISMATCH` of a leaf whose haircut is not the one its rate gives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateMismatchFinding } from "./rate.ts";
 * const f = rateMismatchFinding(
 *   { index: 2, base: 750000n, haircut: 87001n, expected: 87000n },
 *   { rate: { num: 116n, den: 1000n }, rounding: "rate-floor" },
 * );
 * assert.equal(f.message, "leaf 2: haircut 87001 on base 750000, but rate-floor at 116/1000 gives exactly 87000");
 * ```
 */
export function rateMismatchFinding(
  leaf: { index: number; base: bigint; haircut: bigint; expected: bigint },
  policy: { rate: Rate; rounding: RateRounding },
): Finding {
  const { index, base, haircut, expected } = leaf;
  return {
    code: "HAIRCUT_MISMATCH",
    message: `leaf ${index}: haircut ${haircut} on base ${base}, but ${policy.rounding} at ` +
      `${policy.rate.num}/${policy.rate.den} gives exactly ${expected}`,
    leaf: index,
  };
}
