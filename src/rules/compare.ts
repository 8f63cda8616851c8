/**
 * Re-allocates one event under every rule haircut knows, so that a trader
 * or a journalist can see whether the published rule was the fair one:
 * largest remainder and floor on `T/P`, and the three rate roundings at the
 * statement's rate (or at `T/P` itself, each haircut rounded to the minor
 * unit, for a v1.0 statement), with the cap as signed and, when there is
 * one, without it.
 *
 * @module
 */

import { allocate, type Cap, computeTarget, type Rounding } from "./allocation.ts";
import { type Rate, RATE_ROUNDINGS, rateHaircut, type RateRounding, rateWithinCap } from "./rate.ts";

/**
 * A rule {@linkcode compareRules} re-allocates with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, type CompareRule } from "../../mod.ts";
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * });
 * const rules: CompareRule[] = report.rules.map((row) => row.rule);
 * assert.deepEqual(rules, ["largest-remainder", "floor", "rate-floor", "rate-half-up", "rate-ceil"]);
 * ```
 */
export type CompareRule = Rounding | RateRounding;

/**
 * One event as signed, and its leaves in tree order.
 *
 * @example
 * ```ts
 * import type { CompareInput } from "./compare.ts";
 * const input: CompareInput = {
 *   bases: [3n, 1n], published: [2n, 1n], shortfall: 3n, cap: null, rule: "largest-remainder",
 * };
 * ```
 */
export interface CompareInput {
  /** Every leaf's base, in tree order. */
  bases: readonly bigint[];
  /** Every leaf's published haircut, in the same order. */
  published: readonly bigint[];
  /** The signed shortfall. */
  shortfall: bigint;
  /** The signed cap, or `null`. */
  cap: Cap | null;
  /** The signed rule. */
  rule: CompareRule;
  /** The signed rate, under a rate policy. */
  rate?: Rate;
}

/**
 * The account that paid the largest or the smallest fraction of its base.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, type EffectiveRate } from "../../mod.ts";
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/scenarios/cryptocom-six-winners-floor/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/scenarios/cryptocom-six-winners-floor/leaves.csv"),
 * });
 * const most: EffectiveRate = report.rules[0].highest!; // largest remainder: 58.48 of 1,000.00 USD
 * assert.deepEqual([most.haircut, most.base], [5848n, 100000n]);
 * ```
 */
export interface EffectiveRate {
  /** Its leaf index. */
  index: number;
  /** What it pays. */
  haircut: bigint;
  /** Its base (above zero). */
  base: bigint;
}

/**
 * What one rule collects and from whom.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareRules } from "./compare.ts";
 * import { type RuleOutcome } from "../../mod.ts";
 * const [o]: RuleOutcome[] = compareRules({ bases: [3n, 1n], published: [2n, 1n], shortfall: 3n, cap: null, rule: "floor" });
 * assert.equal(o.collected + o.uncovered, 3n); // the shortfall
 * ```
 */
export interface RuleOutcome {
  /** The rule. */
  rule: CompareRule;
  /** True when the signed cap applies (always true without a cap). */
  capped: boolean;
  /** The target under this row's cap. */
  target: bigint;
  /** The rate a rate rule applied. */
  rate?: Rate;
  /** Where that rate comes from: the statement's, or `T/P` of this row. */
  rateSource?: "statement" | "target";
  /** The total collected. */
  collected: bigint;
  /** `shortfall - collected`; negative when the rule collects more than the shortfall. */
  uncovered: bigint;
  /** `collected - target` when positive: what the rule over-collects. */
  overTarget: bigint;
  /** True when this allocation would pass the arithmetic of its own rule (total, and rate within the cap). */
  admissible: boolean;
  /** The account paying the largest fraction of its base, if any base is above zero. */
  highest?: EffectiveRate;
  /** The account paying the smallest fraction of its base, if any base is above zero. */
  lowest?: EffectiveRate;
  /** How many accounts pay differently from the published allocation. */
  differing: number;
  /** True for the row of the published rule: its rounding, its cap, its rate. */
  published: boolean;
}

/** `a.haircut / a.base` compared with `b.haircut / b.base`, exactly. */
function compareRates(a: EffectiveRate, b: EffectiveRate): number {
  const x = a.haircut * b.base;
  const y = b.haircut * a.base;
  return x < y ? -1 : x > y ? 1 : 0;
}

function outcome(
  input: CompareInput,
  row: { rule: CompareRule; capped: boolean; target: bigint; rate?: Rate; rateSource?: "statement" | "target" },
  haircuts: readonly bigint[],
): RuleOutcome {
  const { bases, published, shortfall, cap } = input;
  let collected = 0n;
  let differing = 0;
  let highest: EffectiveRate | undefined;
  let lowest: EffectiveRate | undefined;
  for (let i = 0; i < bases.length; i++) {
    const haircut = haircuts[i];
    collected += haircut;
    if (haircut !== published[i]) differing++;
    if (bases[i] === 0n) continue;
    const e = { index: i, haircut, base: bases[i] };
    if (!highest || compareRates(e, highest) > 0) highest = e;
    if (!lowest || compareRates(e, lowest) < 0) lowest = e;
  }
  const overTarget = collected > row.target ? collected - row.target : 0n;
  const rateOk = !row.rate || !row.capped || !cap || rateWithinCap(row.rate, cap);
  const isRate = row.rate !== undefined;
  const sameRate = !isRate || (input.rate !== undefined && row.rateSource === "statement");
  return {
    ...row,
    collected,
    uncovered: shortfall - collected,
    overTarget,
    admissible: rateOk && (isRate ? overTarget === 0n : true),
    ...(highest ? { highest } : {}),
    ...(lowest ? { lowest } : {}),
    differing,
    published: row.rule === input.rule && row.capped && sameRate,
  };
}

/**
 * Re-allocates the event under each rule: largest remainder, floor, and the
 * three rate roundings, first with the signed cap and then, if there is a
 * cap, without it. The rate rules use the statement's rate when the
 * statement has one and its cap applies, else `T/P` of the row itself.
 *
 * Preconditions: `bases` and `published` have the same length, at least one.
 *
 * @returns Five rows per cap variant, in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareRules } from "./compare.ts";
 * // Crypto.com's six winners (cents) under its published rate, rounded half up per account.
 * const bases = [5000000n, 4500000n, 3000000n, 3000000n, 1500000n, 100000n];
 * const published = [292398n, 263158n, 175439n, 175439n, 87719n, 5848n];
 * const rows = compareRules({
 *   bases, published, shortfall: 1000000n, cap: null,
 *   rule: "rate-half-up", rate: { num: 10000n, den: 171000n },
 * });
 * assert.deepEqual(rows.map((r) => r.collected), [1000000n, 999996n, 999996n, 1000001n, 1000002n]);
 * assert.equal(rows[3].published, true);
 * assert.equal(rows[3].overTarget, 1n);
 * ```
 */
export function compareRules(input: CompareInput): RuleOutcome[] {
  const { bases, published, shortfall, cap } = input;
  if (bases.length === 0 || bases.length !== published.length) {
    throw new RangeError(
      `bases (${bases.length}) and published haircuts (${published.length}) must match, at least one`,
    );
  }
  const totalBase = bases.reduce((sum, b) => sum + b, 0n);
  const rows: RuleOutcome[] = [];
  for (const capped of cap ? [true, false] : [true]) {
    const target = computeTarget(shortfall, { totalBase, cap: capped ? cap : null });
    for (const rule of ["largest-remainder", "floor"] as const) {
      rows.push(outcome(input, { rule, capped, target }, allocate(bases, target, { rounding: rule })));
    }
    const own = input.rate !== undefined && capped;
    const rate = own ? input.rate! : totalBase === 0n ? { num: 0n, den: 1n } : { num: target, den: totalBase };
    for (const rule of RATE_ROUNDINGS) {
      const haircuts = bases.map((b) => rateHaircut(b, rate, rule));
      rows.push(outcome(input, { rule, capped, target, rate, rateSource: own ? "statement" : "target" }, haircuts));
    }
  }
  return rows;
}
