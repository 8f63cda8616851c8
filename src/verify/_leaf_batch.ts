/**
 * One batch of the parallel verifier: the rows of `leaves.csv` from a given
 * line on, checked and hashed in isolation. A worker runs
 * {@linkcode checkLeafBatch} on each batch it receives; the main thread
 * merges the results in order (see `verify_parallel.ts`) and so rebuilds
 * exactly what the serial pass in `verify.ts` finds.
 *
 * The findings a row can produce are built here, by functions both paths
 * share, so their messages cannot drift apart.
 *
 * @module
 */

import { RoundingChecker, type RoundingState } from "../rules/allocation.ts";
import type { Rounding } from "../rules/allocation.ts";
import type { ErrorCode, Finding } from "../core/errors.ts";
import { type LeafRow, LeavesParser } from "../format/leaves.ts";
import { type SumNode, SumNodeSlab } from "../core/sum_tree.ts";
import { RootBuilder } from "../core/tree.ts";

/**
 * Collects findings up to a limit while counting all of them and the codes seen.
 *
 * @example
 * ```ts
 * import { FindingCollector } from "./_leaf_batch.ts";
 * const c = new FindingCollector(1);
 * c.add({ code: "LEAF_ORDER", message: "a" });
 * c.add({ code: "ROOT_MISMATCH", message: "b" });
 * c.kept.length; // 1, and c.count is 2
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

/**
 * `LEAF_ORDER` for the row on `line`: its key repeats (`same`) or is below the previous row's.
 *
 * @example
 * ```ts
 * import { leafOrderFinding } from "./_leaf_batch.ts";
 * leafOrderFinding(7, 5, true).message; // "line 7: account key repeats the previous one (duplicate account)"
 * ```
 */
export function leafOrderFinding(line: number, index: number, same: boolean): Finding {
  return {
    code: "LEAF_ORDER",
    message: `line ${line}: account key ${same ? "repeats" : "is below"} the previous one` +
      (same ? " (duplicate account)" : " (leaves must be strictly ascending by account key)"),
    leaf: index,
  };
}

/**
 * `HAIRCUT_EXCEEDS_BASE` for the row on `line`.
 *
 * @example
 * ```ts
 * import { haircutExceedsFinding } from "./_leaf_batch.ts";
 * haircutExceedsFinding(3, 1, 5n, 6n).message; // "line 3: haircut 6 exceeds base 5"
 * ```
 */
export function haircutExceedsFinding(line: number, index: number, base: bigint, haircut: bigint): Finding {
  return {
    code: "HAIRCUT_EXCEEDS_BASE",
    message: `line ${line}: haircut ${haircut} exceeds base ${base}`,
    leaf: index,
  };
}

/**
 * `TOTAL_MISMATCH` for the row whose leaf made a tree sum reach 2^128.
 *
 * @example
 * ```ts
 * import { sumOverflowFinding } from "./_leaf_batch.ts";
 * sumOverflowFinding(9, 7).message; // "line 9: a tree sum reaches 2^128"
 * ```
 */
export function sumOverflowFinding(line: number, index: number): Finding {
  return { code: "TOTAL_MISMATCH", message: `line ${line}: a tree sum reaches 2^128`, leaf: index };
}

/**
 * Compares two 32-byte account keys bytewise.
 *
 * @example
 * ```ts
 * import { compareKeys } from "./_leaf_batch.ts";
 * compareKeys(new Uint8Array(32), new Uint8Array(32).fill(1)) < 0; // true
 * ```
 */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * What every batch of one publication shares: the signed allocation inputs
 * and the finding limit.
 *
 * @example
 * ```ts
 * import type { LeafBatchParams } from "./_leaf_batch.ts";
 * const p: LeafBatchParams = { target: 80000n, totalBase: 1156790n, rounding: "largest-remainder", maxFindings: 1000 };
 * ```
 */
export interface LeafBatchParams {
  /** The statement's `target`. */
  target: bigint;
  /** The statement's `tree.totalBase`. */
  totalBase: bigint;
  /** The rounding rule, or `undefined` when the allocation cannot be checked (P = 0 < T). */
  rounding: Rounding | undefined;
  /** How many findings a batch returns at most (it counts them all). */
  maxFindings: number;
}

/**
 * The outcome of one batch, in a form that crosses a worker boundary.
 */
export interface LeafBatchResult {
  /** Well-formed rows. */
  leaves: number;
  /** Well-formed rows with a non-zero haircut. */
  charged: number;
  /** The sum of their bases. */
  totalBase: bigint;
  /** The sum of their haircuts. */
  collected: bigint;
  /** The first well-formed row, for the order check across the batch boundary. */
  first?: { key: Uint8Array; line: number; index: number };
  /** The last well-formed row's key. */
  lastKey?: Uint8Array;
  /** The first `maxFindings` findings, in the order the serial pass finds them. */
  findings: Finding[];
  /** How many findings there were. */
  findingCount: number;
  /** The codes of all of them. */
  codes: ErrorCode[];
  /** How many findings precede those of the first well-formed row: where a boundary `LEAF_ORDER` goes. */
  firstRowAt: number;
  /**
   * A sum that reached 2^128 inside the batch, before any malformed line, and
   * where its finding goes. It counts only if nothing before the batch stopped
   * the hashing, so it is not among `findings`.
   */
  overflow?: { at: number; finding: Finding };
  /** True when every line was well-formed. */
  formatOk: boolean;
  /** The rounding checker's state over the batch, when the allocation is checked. */
  rounding?: RoundingState;
  /** The batch's perfect subtrees, leftmost first, when it hashed every row. */
  subtrees?: { node: SumNode; size: number }[];
  /** The last line of the batch that ended with LF. */
  lastLine: number;
}

/**
 * The checks every well-formed row gets, in the serial pass and in each
 * batch alike: the running sums, strict order against the previous row,
 * haircut <= base, and the allocation (a haircut above its base is reported
 * as that, not also as an allocation mismatch).
 *
 * @example
 * ```ts
 * import { FindingCollector, RowChecks } from "./_leaf_batch.ts";
 * const findings = new FindingCollector(10);
 * const checks = new RowChecks(undefined, findings);
 * checks.check({ index: 0, line: 2, key: new Uint8Array(32).fill(2), base: 5n, haircut: 1n });
 * checks.check({ index: 1, line: 3, key: new Uint8Array(32).fill(1), base: 5n, haircut: 9n });
 * findings.kept.map((f) => f.code); // ["LEAF_ORDER", "HAIRCUT_EXCEEDS_BASE"]
 * ```
 */
export class RowChecks {
  /** Rows checked. */
  leaves = 0;
  /** Rows with a non-zero haircut. */
  charged = 0;
  /** The sum of their bases. */
  totalBase = 0n;
  /** The sum of their haircuts. */
  collected = 0n;
  readonly #previous = new Uint8Array(32);
  #started = false;

  /** Checks rows against `rounding` (when the allocation is checked), reporting to `findings`. */
  constructor(readonly rounding: RoundingChecker | undefined, readonly findings: { add(finding: Finding): void }) {}

  /** The last row's key (a copy the caller may keep), once a row was checked. */
  get lastKey(): Uint8Array | undefined {
    return this.#started ? this.#previous : undefined;
  }

  /** Checks one row; the caller may reuse `row.key` afterwards. */
  check(row: LeafRow): void {
    this.leaves++;
    this.totalBase += row.base;
    this.collected += row.haircut;
    if (row.haircut > 0n) this.charged++;
    if (this.#started) {
      const order = compareKeys(this.#previous, row.key);
      if (order >= 0) this.findings.add(leafOrderFinding(row.line, row.index, order === 0));
    }
    this.#previous.set(row.key);
    this.#started = true;
    const mismatch = this.rounding?.add(row.index, row.base, row.haircut);
    if (row.haircut > row.base) this.findings.add(haircutExceedsFinding(row.line, row.index, row.base, row.haircut));
    else if (mismatch) this.findings.add(mismatch);
  }
}

/**
 * Checks and hashes one batch: the bytes of whole lines of `leaves.csv`
 * starting at line `startLine` (and, for the last batch, a final line
 * without LF). It runs every per-row check of the serial pass (format, order
 * inside the batch, haircut <= base, the allocation) and hashes the rows
 * into perfect subtrees until a malformed line or a sum overflow stops the
 * hashing, as the serial pass does.
 *
 * Precondition: a batch that does not end the file holds a whole number of
 * lines, and its row count is a multiple of its subtrees' sizes in the tree
 * (a power of two, aligned), which `verify_parallel.ts` guarantees.
 *
 * @example
 * ```ts
 * import { checkLeafBatch } from "./_leaf_batch.ts";
 * const rows = new TextEncoder().encode("ab".repeat(32) + ",5,1\n");
 * const r = checkLeafBatch(rows, 2, { target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 });
 * r.leaves; // 1, and no finding: floor allows exactly 1 * 5 / 5 = 1
 * ```
 */
export function checkLeafBatch(bytes: Uint8Array, startLine: number, params: LeafBatchParams): LeafBatchResult {
  const findings = new FindingCollector(params.maxFindings);
  const rounding = params.rounding === undefined
    ? undefined
    : new RoundingChecker({ target: params.target, totalBase: params.totalBase, rounding: params.rounding });
  const slab = new SumNodeSlab();
  const builder = new RootBuilder<number>(slab);
  const checks = new RowChecks(rounding, findings);
  let first: LeafBatchResult["first"];
  let firstRowAt = -1;
  let formatOk = true;
  let overflow: LeafBatchResult["overflow"];

  const onRow = (row: LeafRow): void => {
    if (first === undefined) {
      // The order against the previous batch is decided when batches merge; its finding goes here.
      firstRowAt = findings.count;
      first = { key: row.key.slice(), line: row.line, index: row.index };
    }
    checks.check(row);
    if (!formatOk || overflow) return;
    try {
      builder.push(slab.leaf(row.key, row.base, row.haircut));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      overflow = { at: findings.count, finding: sumOverflowFinding(row.line, row.index) };
    }
  };
  const parser = new LeavesParser({
    row: onRow,
    invalid: (f) => {
      formatOk = false;
      findings.add(f);
    },
  }, { startLine, reuseKey: true });
  parser.push(bytes);
  parser.end();
  return {
    leaves: checks.leaves,
    charged: checks.charged,
    totalBase: checks.totalBase,
    collected: checks.collected,
    ...(first ? { first, lastKey: checks.lastKey } : {}),
    findings: findings.kept,
    findingCount: findings.count,
    codes: [...findings.codes],
    firstRowAt: firstRowAt === -1 ? findings.count : firstRowAt,
    ...(overflow ? { overflow } : {}),
    formatOk,
    ...(rounding ? { rounding: rounding.state() } : {}),
    ...(formatOk && !overflow && builder.count > 0
      ? { subtrees: builder.subtrees().map(({ node, size }) => ({ node: slab.node(node), size })) }
      : {}),
    lastLine: startLine - 1 + parser.rows,
  };
}
