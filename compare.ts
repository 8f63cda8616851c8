/**
 * Comparing the rules (`haircut compare`): the same event re-allocated under
 * each rule haircut knows (largest remainder, floor, the three rate roundings,
 * with and without the cap), with per rule the total collected, the uncovered
 * rest, the highest and lowest effective rate any account paid, and how many
 * accounts pay differently from the published allocation (docs/SPEC.md
 * section 8).
 *
 * @example Compare the example publication's rule with the others
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication } from "./compare.ts";
 *
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * });
 * assert.equal(report.leaves, 8);
 * ```
 *
 * @module
 */

export { comparePublication } from "./src/verify/compare.ts";
export type { CompareReport, CompareSource } from "./src/verify/compare.ts";
export type { CompareRule, EffectiveRate, RuleOutcome } from "./src/rules/compare.ts";
export { renderCompareJson, renderCompareMarkdown, renderCompareText } from "./src/report/compare.ts";
