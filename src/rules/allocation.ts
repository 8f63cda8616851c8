/**
 * The pro-rata allocation rule of SPEC §8 and its streaming checker.
 *
 * With `P = totalBase` and `T = target`, leaf i has `q_i = floor(T * base_i / P)`
 * and `r_i = (T * base_i) mod P`. Under `floor` it pays `q_i`. Under
 * `largest-remainder` (Hamilton) the `R = T - sum(q_i)` leaves with the largest
 * `r_i` pay `q_i + 1`, equal remainders going to the lower index; a zero
 * remainder never gets +1.
 *
 * @module
 */

import type { Finding } from "../core/errors.ts";

/**
 * The rounding rule named by `policy.rounding`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allocate, type Rounding } from "../../mod.ts";
 *
 * const totals = (["largest-remainder", "floor"] as Rounding[])
 *   .map((rounding) => allocate([1n, 1n, 1n], 2n, { rounding }).reduce((a, b) => a + b));
 * assert.deepEqual(totals, [2n, 0n]);
 * ```
 */
export type Rounding = "largest-remainder" | "floor";

/**
 * The cap: at most `num/den` of anyone's base may be taken, `0 < num <= den`.
 *
 * @example A cap of 40% of each base
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Cap, computeTarget } from "../../mod.ts";
 *
 * const fortyPercent: Cap = { num: 2n, den: 5n };
 * assert.equal(computeTarget(80000n, { totalBase: 100000n, cap: fortyPercent }), 40000n);
 * ```
 */
export interface Cap {
  /** Numerator. */
  num: bigint;
  /** Denominator. */
  den: bigint;
}

/**
 * `target = min(shortfall, cap ? floor(totalBase * num / den) : totalBase)`.
 *
 * @example The target of docs/SPEC.md section 13.3, and with a cap
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeTarget } from "../../mod.ts";
 *
 * assert.equal(computeTarget(80000n, { totalBase: 1156790n, cap: null }), 80000n);
 * assert.equal(computeTarget(80000n, { totalBase: 50000n, cap: null }), 50000n);
 * assert.equal(computeTarget(80000n, { totalBase: 100000n, cap: { num: 2n, den: 5n } }), 40000n);
 * ```
 */
export function computeTarget(shortfall: bigint, pool: { totalBase: bigint; cap: Cap | null }): bigint {
  const { totalBase, cap } = pool;
  const limit = cap ? totalBase * cap.num / cap.den : totalBase;
  return shortfall < limit ? shortfall : limit;
}

/**
 * The exact pro-rata share of one base: quotient and remainder of `T * base / P`.
 *
 * Precondition: `P > 0`, or `P = 0` and `T = 0` (then the share is zero).
 *
 * @example Alice's share in docs/SPEC.md section 13.3
 * ```ts
 * import assert from "node:assert/strict";
 * import { share } from "../../mod.ts";
 *
 * assert.deepEqual(share(750000n, { target: 80000n, totalBase: 1156790n }), { q: 51867n, r: 773070n });
 * assert.deepEqual(share(0n, { target: 0n, totalBase: 0n }), { q: 0n, r: 0n });
 * ```
 */
export function share(base: bigint, pool: { target: bigint; totalBase: bigint }): { q: bigint; r: bigint } {
  const { target, totalBase } = pool;
  if (totalBase === 0n) {
    if (target !== 0n) throw new RangeError(`target ${target} must be 0 when the total base is 0`);
    return { q: 0n, r: 0n };
  }
  const product = target * base;
  return { q: product / totalBase, r: product % totalBase };
}

/**
 * The charges the rule allows for one share, as the inclusive range
 * `[min, max]`: exactly `q` under `floor` or when `r = 0`, and `q` or
 * `q + 1` under `largest-remainder` when `r > 0`. Whether this account is
 * one of the `q + 1` ones depends on every other account's remainder, which
 * only the full verifier sees.
 *
 * @example
 * ```ts
 * import { allowedHaircuts } from "./allocation.ts";
 * allowedHaircuts({ q: 12345n, r: 700000n }, "largest-remainder"); // { min: 12345n, max: 12346n }
 * allowedHaircuts({ q: 12345n, r: 700000n }, "floor"); // { min: 12345n, max: 12345n }
 * ```
 */
export function allowedHaircuts(exact: { q: bigint; r: bigint }, rounding: Rounding): { min: bigint; max: bigint } {
  const up = rounding === "largest-remainder" && exact.r > 0n;
  return { min: exact.q, max: up ? exact.q + 1n : exact.q };
}

/**
 * Options for {@linkcode allocate}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allocate, type AllocateOptions } from "../../mod.ts";
 *
 * const options: AllocateOptions = { rounding: "floor" };
 * assert.deepEqual(allocate([2n, 1n], 2n, options), [1n, 0n]);
 * ```
 */
export interface AllocateOptions {
  /** The rounding rule. */
  rounding: Rounding;
}

/**
 * Allocates `target` over `bases` pro rata, in the given order.
 *
 * Preconditions: every base is non-negative; `target <= sum(bases)`.
 *
 * @returns One haircut per base, in the same order.
 *
 * @example The allocation of docs/SPEC.md section 13.3
 * ```ts
 * import assert from "node:assert/strict";
 * import { allocate } from "../../mod.ts";
 *
 * // dave, carol, alice, bob, erin in tree order; T = 80000.
 * const bases = [0n, 123456n, 750000n, 250001n, 33333n];
 * assert.deepEqual(allocate(bases, 80000n, { rounding: "largest-remainder" }), [0n, 8538n, 51868n, 17289n, 2305n]);
 * assert.deepEqual(allocate(bases, 80000n, { rounding: "floor" }), [0n, 8537n, 51867n, 17289n, 2305n]);
 * // Equal remainders: the lower index gets the unit.
 * assert.deepEqual(allocate([1n, 1n, 1n], 2n, { rounding: "largest-remainder" }), [1n, 1n, 0n]);
 * ```
 */
export function allocate(bases: readonly bigint[], target: bigint, options: AllocateOptions): bigint[] {
  let total = 0n;
  for (const b of bases) {
    if (b < 0n) throw new RangeError(`base ${b} is negative`);
    total += b;
  }
  if (target < 0n || target > total) throw new RangeError(`target ${target} is outside [0, ${total}]`);
  const haircuts = new Array<bigint>(bases.length);
  const remainders = new Array<bigint>(bases.length);
  let sumQ = 0n;
  for (let i = 0; i < bases.length; i++) {
    const { q, r } = share(bases[i], { target: target, totalBase: total });
    haircuts[i] = q;
    remainders[i] = r;
    sumQ += q;
  }
  if (options.rounding === "floor") return haircuts;
  const units = Number(target - sumQ);
  if (units === 0) return haircuts;
  const ranked: number[] = [];
  for (let i = 0; i < bases.length; i++) if (remainders[i] > 0n) ranked.push(i);
  ranked.sort(byRemainderThenIndex(remainders));
  for (let k = 0; k < units; k++) haircuts[ranked[k]] += 1n;
  return haircuts;
}

function byRemainderThenIndex(remainders: readonly bigint[]): (a: number, b: number) => number {
  return (a, b) => remainders[a] === remainders[b] ? a - b : remainders[a] > remainders[b] ? -1 : 1;
}

/**
 * A leaf's position in the Hamilton ranking: remainder descending, index ascending.
 */
export interface RankedLeaf {
  /** The leaf index. */
  index: number;
  /** Its remainder `(T * base) mod P`. */
  r: bigint;
}

/**
 * The whole state of a {@linkcode RoundingChecker}: the streaming check of a
 * slice of the leaves. States of consecutive slices merge in order with
 * {@linkcode RoundingChecker.merge}; the parallel verifier's workers each
 * check one batch and the main thread merges them.
 */
export interface RoundingState {
  /** The sum of `q` over the leaves added. */
  sumQ: bigint;
  /** How many leaves got a rounding unit. */
  ups: number;
  /** The +1 leaf ranked last: smallest remainder, then largest index. */
  weakestUp?: RankedLeaf;
  /** The leaf without +1 (and `r > 0`) ranked first: largest remainder, then smallest index. */
  strongestOther?: RankedLeaf;
}

/** `a` ranks strictly ahead of `b`. */
function ranksAhead(a: RankedLeaf, b: RankedLeaf): boolean {
  return a.r > b.r || (a.r === b.r && a.index < b.index);
}

/**
 * Checks an allocation in one streaming pass with O(1) state: each haircut is
 * `q` (or `q + 1` with `r > 0` under largest-remainder), the number of +1s is
 * exactly `T - sum(q)`, and no leaf without +1 outranks one with it.
 */
export class RoundingChecker {
  readonly #target: bigint;
  readonly #totalBase: bigint;
  readonly #rounding: Rounding;
  #sumQ = 0n;
  #ups = 0;
  #weakestUp: RankedLeaf | undefined;
  #strongestOther: RankedLeaf | undefined;

  /**
   * Starts a check of an allocation of `target` over a total base of `totalBase`.
   *
   * Precondition: `totalBase > 0`, or both are 0.
   */
  constructor(allocation: { target: bigint; totalBase: bigint; rounding: Rounding }) {
    const { target, totalBase, rounding } = allocation;
    if (totalBase === 0n && target !== 0n) {
      throw new RangeError(`target ${target} must be 0 when the total base is 0`);
    }
    this.#target = target;
    this.#totalBase = totalBase;
    this.#rounding = rounding;
  }

  /** The number of leaves that received a rounding unit so far. */
  get roundingUnits(): number {
    return this.#ups;
  }

  /**
   * Checks leaf `index` (given in ascending order).
   *
   * @returns A `HAIRCUT_MISMATCH` finding, or `undefined` when the haircut is one the rule allows.
   */
  add(index: number, base: bigint, haircut: bigint): Finding | undefined {
    const { q, r } = share(base, { target: this.#target, totalBase: this.#totalBase });
    this.#sumQ += q;
    if (haircut === q) {
      if (r > 0n && (this.#strongestOther === undefined || r > this.#strongestOther.r)) {
        this.#strongestOther = { index, r };
      }
      return undefined;
    }
    const { max } = allowedHaircuts({ q, r }, this.#rounding);
    if (haircut === max) {
      this.#ups++;
      if (this.#weakestUp === undefined || r <= this.#weakestUp.r) this.#weakestUp = { index, r };
      return undefined;
    }
    const allowed = max === q ? `${q}` : `${q} or ${max}`;
    return {
      code: "HAIRCUT_MISMATCH",
      message: `leaf ${index}: haircut ${haircut} on base ${base}, but ${this.#rounding} allows ${allowed} ` +
        `(T*base/P = ${q} remainder ${r}/${this.#totalBase})`,
      leaf: index,
    };
  }

  /**
   * The checker's state, to merge into the checker of the preceding leaves.
   */
  state(): RoundingState {
    return {
      sumQ: this.#sumQ,
      ups: this.#ups,
      ...(this.#weakestUp ? { weakestUp: { ...this.#weakestUp } } : {}),
      ...(this.#strongestOther ? { strongestOther: { ...this.#strongestOther } } : {}),
    };
  }

  /**
   * Merges the state of the leaves that follow those added so far, as if
   * they had been added here one by one: the same key order picks the
   * weakest +1 and the strongest other.
   *
   * Precondition: every index in `next` is above every index added so far,
   * and `next` comes from a checker with the same target, total and rounding.
   */
  merge(next: RoundingState): void {
    this.#sumQ += next.sumQ;
    this.#ups += next.ups;
    const up = next.weakestUp;
    if (up && (this.#weakestUp === undefined || up.r <= this.#weakestUp.r)) this.#weakestUp = { ...up };
    const other = next.strongestOther;
    if (other && (this.#strongestOther === undefined || other.r > this.#strongestOther.r)) {
      this.#strongestOther = { ...other };
    }
  }

  /**
   * Checks the whole assignment once every leaf was added.
   *
   * @returns The findings: a wrong number of rounding units, or a `ROUNDING_ORDER` violation.
   */
  finish(): Finding[] {
    const findings: Finding[] = [];
    if (this.#rounding === "floor") return findings;
    const units = this.#target - this.#sumQ;
    if (BigInt(this.#ups) !== units) {
      findings.push({
        code: "HAIRCUT_MISMATCH",
        message: `${this.#ups} leaves got a rounding unit, but T - sum(q) = ${this.#target} - ${this.#sumQ} = ${units}`,
      });
    }
    const up = this.#weakestUp;
    const other = this.#strongestOther;
    if (up && other && ranksAhead(other, up)) {
      findings.push({
        code: "ROUNDING_ORDER",
        message: `leaf ${other.index} (remainder ${other.r}) got no rounding unit, ` +
          `but leaf ${up.index} (remainder ${up.r}) did`,
        leaf: other.index,
      });
    }
    return findings;
  }
}
