/**
 * The findings of one verification, kept up to a limit and counted in full.
 *
 * @module
 */

import type { ErrorCode, Finding } from "../core/errors.ts";

/**
 * Collects findings up to a limit while counting all of them and the codes seen.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FindingCollector } from "./_findings.ts";
 * const c = new FindingCollector(1);
 * c.add({ code: "LEAF_ORDER", message: "a" });
 * c.add({ code: "ROOT_MISMATCH", message: "b" });
 * assert.equal(c.kept.length, 1);
 * assert.equal(c.count, 2);
 * assert.deepEqual([...c.codes], ["LEAF_ORDER", "ROOT_MISMATCH"]);
 * ```
 */
export class FindingCollector {
  /** The first `limit` findings. */
  readonly kept: Finding[] = [];
  /** Every code seen. */
  readonly codes: Set<ErrorCode> = new Set<ErrorCode>();
  /** How many findings were added. */
  count = 0;

  /** Creates a collector that keeps at most `limit` findings. */
  constructor(readonly limit: number) {}

  /** Adds one finding. */
  add(finding: Finding): void {
    this.count++;
    this.codes.add(finding.code);
    if (this.kept.length < this.limit) this.kept.push(finding);
  }

  /** Adds findings in order. */
  addAll(findings: Iterable<Finding>): void {
    for (const f of findings) this.add(f);
  }
}
