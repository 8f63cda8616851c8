/**
 * The one pass over the rows of `leaves.csv`: it reads the rows
 * ({@linkcode LeavesParser}), checks each (strict order, haircut <= base,
 * every allocation rule), tallies them, hashes them into the sum tree until
 * a malformed line or a sum overflow stops the hashing, and reports what it
 * finds. Everything a row can produce is built here, so that no two paths
 * can drift apart.
 *
 * Two drivers run it. {@linkcode checkLeavesSerial} runs it over the whole
 * file in this thread: the reference, which hashes with the plain object API
 * (a fresh `SumNode` per node) where the workers use a slab, so that every
 * test comparing the two drivers also compares the two hashings. The
 * parallel pass (`_parallel.ts`) cuts the file into batches of whole lines,
 * each worker (`_worker.ts`) runs {@linkcode checkLeafBatch} on a batch, and
 * the main thread merges the results in batch order into exactly the serial
 * pass's outcome.
 *
 * A further allocation rule (say, each haircut equal to a function of its
 * base) is a {@linkcode LeafRule} that {@linkcode leafRules} adds beside the
 * rounding rule, from data in {@linkcode LeafPassParams}; both drivers then
 * run it.
 *
 * @module
 */

import { type ByteSource, chunksOf } from "../core/chunks.ts";
import { type Finding, SumOverflowError } from "../core/errors.ts";
import { sumHasher, sumLeaf, type SumNode, SumNodeSlab } from "../core/sum_tree.ts";
import { RootBuilder } from "../core/tree.ts";
import { type LeafRow, type LeavesFormat, LeavesParser } from "../format/leaves.ts";
import { type Rounding, RoundingChecker } from "../rules/allocation.ts";
import { isRateRounding, type Rate, RateChecker, type RateRounding } from "../rules/rate.ts";
import { FindingCollector } from "./_findings.ts";

/**
 * What every part of the pass over one publication shares: the signed
 * allocation inputs and the finding limit. It crosses the worker boundary,
 * so it is plain data.
 *
 * @example
 * ```ts
 * import type { LeafPassParams } from "./_leaf_pass.ts";
 * const p: LeafPassParams = { target: 80000n, totalBase: 1156790n, rounding: "largest-remainder", maxFindings: 1000 };
 * ```
 */
export interface LeafPassParams {
  /** The statement's `target`. */
  target: bigint;
  /** The statement's `tree.totalBase`. */
  totalBase: bigint;
  /**
   * The rounding rule, or `undefined` when the allocation cannot be checked
   * (P = 0 < T under a pro-rata rule, or a tree with no allocation, such as
   * the deficit tree).
   */
  rounding: Rounding | RateRounding | undefined;
  /** The signed rate, under a rate rounding (format v1.1). */
  rate?: Rate;
  /** How many findings a batch returns at most (it counts them all). */
  maxFindings: number;
}

/**
 * The running sums over the well-formed rows of `leaves.csv`: what a
 * publication report's summary shows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LeafTally, parseKeysFile, verifyPublication } from "../../mod.ts";
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const tally: LeafTally = report.summary;
 * assert.equal(tally.leaves, 8);
 * assert.equal(tally.totalBase, 11205005n);
 * assert.equal(tally.collected, 1300000n);
 * ```
 */
export interface LeafTally {
  /** Well-formed rows. */
  leaves: number;
  /** Well-formed rows with a non-zero haircut. */
  charged: number;
  /** The sum of their bases. */
  totalBase: bigint;
  /** The sum of their haircuts. */
  collected: bigint;
}

/**
 * The tally before any row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyTally } from "./_leaf_pass.ts";
 * assert.deepEqual(emptyTally(), { leaves: 0, charged: 0, totalBase: 0n, collected: 0n });
 * ```
 */
export function emptyTally(): LeafTally {
  return { leaves: 0, charged: 0, totalBase: 0n, collected: 0n };
}

/**
 * Adds the tally `from` of later rows into `into`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addTally } from "./_leaf_pass.ts";
 * const t = { leaves: 1, charged: 0, totalBase: 4n, collected: 0n };
 * addTally(t, { leaves: 1, charged: 1, totalBase: 6n, collected: 2n });
 * assert.deepEqual(t, { leaves: 2, charged: 1, totalBase: 10n, collected: 2n });
 * ```
 */
export function addTally(into: LeafTally, from: LeafTally): void {
  into.leaves += from.leaves;
  into.charged += from.charged;
  into.totalBase += from.totalBase;
  into.collected += from.collected;
}

/**
 * A rule every leaf's allocation must satisfy, checked in one streaming
 * pass: {@linkcode RoundingChecker} is one. A rule sees the leaves in index
 * order; in the parallel pass each batch has its own instance, and the
 * states of later batches are merged, in order, into the first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LeafRule } from "./_leaf_pass.ts";
 * import { RoundingChecker } from "../rules/allocation.ts";
 * const rule: LeafRule = new RoundingChecker({ target: 1n, totalBase: 2n, rounding: "floor" });
 * assert.equal(rule.add(0, 1n, 0n), undefined);
 * assert.equal(rule.add(1, 1n, 1n)?.code, "HAIRCUT_MISMATCH");
 * ```
 */
export interface LeafRule<State = unknown> {
  /**
   * Checks leaf `index` (given in ascending order).
   *
   * @returns The finding when its haircut breaks the rule (the pass drops it when the haircut exceeds its base).
   */
  add(index: number, base: bigint, haircut: bigint): Finding | undefined;
  /** The state over the leaves added so far, as plain data that crosses a worker boundary. */
  state(): State;
  /** Takes the state of the leaves that follow those added so far, as if they had been added here. */
  merge(next: State): void;
  /** The findings that only the whole file decides, once every leaf was added. */
  finish(): Finding[];
}

/**
 * The allocation rules a publication's leaves must satisfy: the rounding
 * rule (under a rate policy, the exact rate of every leaf), unless the
 * allocation cannot be checked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leafRules } from "./_leaf_pass.ts";
 * import { RateChecker } from "../rules/rate.ts";
 * assert.equal(leafRules({ target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 }).length, 1);
 * assert.equal(leafRules({ target: 1n, totalBase: 0n, rounding: undefined, maxFindings: 10 }).length, 0);
 * const [rate] = leafRules({ target: 1n, totalBase: 5n, rounding: "rate-ceil", rate: { num: 1n, den: 5n }, maxFindings: 10 });
 * assert.ok(rate instanceof RateChecker);
 * ```
 */
export function leafRules(params: LeafPassParams): LeafRule[] {
  const { target, totalBase, rounding, rate } = params;
  if (rounding === undefined) return [];
  if (isRateRounding(rounding)) {
    if (!rate) throw new RangeError(`${rounding} needs a rate`);
    return [new RateChecker({ rate, rounding })];
  }
  return [new RoundingChecker({ target, totalBase, rounding })];
}

/**
 * `LEAF_ORDER` for the row on `line`: its key repeats (`same`) or is below the previous row's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leafOrderFinding } from "./_leaf_pass.ts";
 * assert.equal(leafOrderFinding(7, 5, true).message, "line 7: account key repeats the previous one (duplicate account)");
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
 * import assert from "node:assert/strict";
 * import { haircutExceedsFinding } from "./_leaf_pass.ts";
 * assert.equal(haircutExceedsFinding(3, 1, 5n, 6n).message, "line 3: haircut 6 exceeds base 5");
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
 * import assert from "node:assert/strict";
 * import { sumOverflowFinding } from "./_leaf_pass.ts";
 * assert.deepEqual(sumOverflowFinding(9, 7), {
 *   code: "TOTAL_MISMATCH",
 *   message: "line 9: a tree sum reaches 2^128",
 *   leaf: 7,
 * });
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
 * import assert from "node:assert/strict";
 * import { compareKeys } from "./_leaf_pass.ts";
 * assert.ok(compareKeys(new Uint8Array(32), new Uint8Array(32).fill(1)) < 0);
 * assert.equal(compareKeys(new Uint8Array(32), new Uint8Array(32)), 0);
 * ```
 */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The checks every well-formed row gets, in the serial pass and in each
 * batch alike: the tally, strict order against the previous row,
 * haircut <= base, and every allocation rule (a haircut above its base is
 * reported as that, not also as a rule's mismatch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RowChecks } from "./_leaf_pass.ts";
 * import { FindingCollector } from "./_findings.ts";
 * const findings = new FindingCollector(10);
 * const checks = new RowChecks([], findings);
 * checks.check({ index: 0, line: 2, key: new Uint8Array(32).fill(2), base: 5n, haircut: 1n });
 * checks.check({ index: 1, line: 3, key: new Uint8Array(32).fill(1), base: 5n, haircut: 9n });
 * assert.deepEqual(findings.kept.map((f) => f.code), ["LEAF_ORDER", "HAIRCUT_EXCEEDS_BASE"]);
 * assert.equal(checks.tally.collected, 10n);
 * ```
 */
export class RowChecks {
  /** The sums over the rows checked. */
  readonly tally: LeafTally = emptyTally();
  readonly #previous = new Uint8Array(32);
  #started = false;

  /** Checks rows against `rules` (the allocation rules), reporting to `findings`. */
  constructor(readonly rules: readonly LeafRule[], readonly findings: { add(finding: Finding): void }) {}

  /** The last row's key (a copy the caller may keep), once a row was checked. */
  get lastKey(): Uint8Array | undefined {
    return this.#started ? this.#previous : undefined;
  }

  /** Checks one row; the caller may reuse `row.key` afterwards. */
  check(row: LeafRow): void {
    const tally = this.tally;
    tally.leaves++;
    tally.totalBase += row.base;
    tally.collected += row.haircut;
    if (row.haircut > 0n) tally.charged++;
    if (this.#started) {
      const order = compareKeys(this.#previous, row.key);
      if (order >= 0) this.findings.add(leafOrderFinding(row.line, row.index, order === 0));
    }
    this.#previous.set(row.key);
    this.#started = true;
    const exceeds = row.haircut > row.base;
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const mismatch = rules[i].add(row.index, row.base, row.haircut);
      if (mismatch && !exceeds) this.findings.add(mismatch);
    }
    if (exceeds) this.findings.add(haircutExceedsFinding(row.line, row.index, row.base, row.haircut));
  }
}

/**
 * The hashed leaves of a pass: how many, and their root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LeafTree } from "./_leaf_pass.ts";
 * import { sumHasher, sumLeaf, type SumNode } from "../core/sum_tree.ts";
 * import { RootBuilder } from "../core/tree.ts";
 * const builder = new RootBuilder<SumNode>(sumHasher);
 * builder.push(sumLeaf(new Uint8Array(32), 5n, 1n));
 * const tree: LeafTree = builder;
 * assert.equal(tree.count, 1);
 * assert.equal(tree.root().haircut, 1n);
 * ```
 */
export interface LeafTree {
  /** How many leaves were hashed. */
  readonly count: number;
  /**
   * The root of the hashed leaves.
   *
   * @throws {SumOverflowError} When a sum reaches 2^128 on the way to the root.
   */
  root(): SumNode;
}

/**
 * What a pass over the leaves found, serial or parallel, before the checks
 * that need the whole file (the rules' `finish`, the count, the totals and
 * the root).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLeavesSerial, type LeavesOutcome } from "./_leaf_pass.ts";
 * import { FindingCollector } from "./_findings.ts";
 * const o: LeavesOutcome = await checkLeavesSerial(new TextEncoder().encode("account_key,base,haircut\n"), {
 *   params: { target: 0n, totalBase: 0n, rounding: "floor", maxFindings: 10 },
 *   findings: new FindingCollector(10),
 * });
 * assert.equal(o.formatOk && !o.overflow, true);
 * assert.equal(o.tree.count, 0); // a header without rows: no tree, no root
 * ```
 */
export interface LeavesOutcome {
  /** The sums over the well-formed rows. */
  tally: LeafTally;
  /** True when every line was well-formed. */
  formatOk: boolean;
  /** True when a tree sum reached 2^128 (hashing stopped there). */
  overflow: boolean;
  /** The tree of the hashed leaves. */
  tree: LeafTree;
  /** The allocation rules, every leaf added (from {@linkcode leafRules}). */
  rules: readonly LeafRule[];
}

/**
 * Where the pass reports: the publication's parameters and the findings,
 * and a progress callback for the drivers that read a stream.
 *
 * @example
 * ```ts
 * import type { LeafPassContext } from "./_leaf_pass.ts";
 * import { FindingCollector } from "./_findings.ts";
 * const context: LeafPassContext = {
 *   params: { target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 },
 *   findings: new FindingCollector(10),
 * };
 * ```
 */
export interface LeafPassContext {
  /** The publication's parameters. */
  params: LeafPassParams;
  /** Where findings go, in the order the serial pass finds them. */
  findings: FindingCollector;
  /** Called with the number of bytes consumed, after each chunk. */
  progress?: (bytes: number) => void;
}

/** The tree a pass hashes its rows into. */
interface RowTree {
  /** How many leaves were pushed. */
  readonly count: number;
  /** Hashes the leaf `(key, base, haircut)` and pushes it; throws `SumOverflowError`. */
  push(key: Uint8Array, base: bigint, haircut: bigint): void;
  /** The perfect subtrees pushed so far, leftmost first. */
  subtrees(): { node: SumNode; size: number }[];
  /** The root; throws `SumOverflowError`. */
  root(): SumNode;
}

/** The plain object API: a fresh {@linkcode SumNode} per leaf and node. */
function objectTree(): RowTree {
  const builder = new RootBuilder<SumNode>(sumHasher);
  return {
    get count(): number {
      return builder.count;
    },
    push: (key, base, haircut) => builder.push(sumLeaf(key, base, haircut)),
    subtrees: () => builder.subtrees(),
    root: () => builder.root(),
  };
}

/** Nodes as records in one fixed-size slab: no allocation per row. Its root consumes the slab. */
function slabTree(): RowTree {
  const slab = new SumNodeSlab();
  const builder = new RootBuilder<number>(slab);
  return {
    get count(): number {
      return builder.count;
    },
    push: (key, base, haircut) => builder.push(slab.leaf(key, base, haircut)),
    subtrees: () => builder.subtrees().map(({ node, size }) => ({ node: slab.node(node), size })),
    root: () => slab.node(builder.root()),
  };
}

/** Options for {@linkcode LeafPass}. */
export interface LeafPassOptions {
  /** The line number of the first line pushed: 1 (the default) for a whole file with its header. */
  startLine?: number;
  /**
   * How rows are hashed: `"object"` (the default), the plain object API with
   * a fresh key per row, as the reference serial pass does; or `"slab"`, the
   * allocation-free slab the workers use. The two give the same tree, and
   * comparing the passes compares them.
   */
  hashing?: "object" | "slab";
  /**
   * When true, a sum overflow is kept in {@linkcode LeafPass.overflow} and not
   * reported: in a batch, it counts only if no earlier batch stopped the hashing.
   */
  deferOverflow?: boolean;
  /** The file's layout: `leaves.csv` (the default), or `bankrupt.csv` for the deficit tree (v1.1). */
  format?: LeavesFormat;
}

/**
 * The pass itself over lines of `leaves.csv` pushed in chunks: each row is
 * parsed, checked by {@linkcode RowChecks} and hashed into perfect subtrees
 * until a malformed line or a sum overflow stops the hashing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LeafPass } from "./_leaf_pass.ts";
 * import { FindingCollector } from "./_findings.ts";
 * const findings = new FindingCollector(10);
 * const pass = new LeafPass({ target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 }, findings);
 * pass.push(new TextEncoder().encode("account_key,base,haircut\n" + "ab".repeat(32) + ",5,1\n"));
 * pass.end();
 * const outcome = pass.outcome();
 * assert.equal(outcome.tally.leaves, 1);
 * assert.equal(outcome.tree.root().base, 5n);
 * assert.equal(findings.count, 0);
 * ```
 */
export class LeafPass {
  /** The row checks, with the tally and the last key. */
  readonly checks: RowChecks;
  /** True while every line was well-formed. */
  formatOk = true;
  /** The sum overflow that stopped the hashing, and how many findings preceded it. */
  overflow: { at: number; finding: Finding } | undefined;
  /** The first well-formed row, and how many findings preceded its own. */
  first: { key: Uint8Array; line: number; index: number; at: number } | undefined;
  readonly #findings: FindingCollector;
  readonly #deferOverflow: boolean;
  readonly #tree: RowTree;
  readonly #parser: LeavesParser;

  /** Starts a pass that reports to `findings`. */
  constructor(params: LeafPassParams, findings: FindingCollector, options: LeafPassOptions = {}) {
    this.#findings = findings;
    this.#deferOverflow = options.deferOverflow ?? false;
    this.checks = new RowChecks(leafRules(params), findings);
    const slab = options.hashing === "slab";
    this.#tree = slab ? slabTree() : objectTree();
    this.#parser = new LeavesParser({
      row: (row) => this.#row(row),
      invalid: (f) => {
        this.formatOk = false;
        findings.add(f);
      },
    }, { startLine: options.startLine ?? 1, reuseKey: slab, ...(options.format ? { format: options.format } : {}) });
  }

  /** The number of lines seen so far, valid or not (a header excluded). */
  get rows(): number {
    return this.#parser.rows;
  }

  /** The number of leaves hashed so far. */
  get hashed(): number {
    return this.#tree.count;
  }

  /** Feeds the next chunk. */
  push(chunk: Uint8Array): void {
    this.#parser.push(chunk);
  }

  /** Signals the end of the lines. */
  end(): void {
    this.#parser.end();
  }

  /** The perfect subtrees hashed so far, leftmost first, as nodes. */
  subtrees(): { node: SumNode; size: number }[] {
    return this.#tree.subtrees();
  }

  /** The outcome once {@linkcode LeafPass.end} was called. With `"slab"` hashing, the tree's root consumes it. */
  outcome(): LeavesOutcome {
    return {
      tally: this.checks.tally,
      formatOk: this.formatOk,
      overflow: this.overflow !== undefined,
      tree: this.#tree,
      rules: this.checks.rules,
    };
  }

  #row(row: LeafRow): void {
    const findings = this.#findings;
    // In a batch, the order against the previous batch is decided when batches merge; its finding goes here.
    this.first ??= { key: row.key.slice(), line: row.line, index: row.index, at: findings.count };
    this.checks.check(row);
    if (!this.formatOk || this.overflow) return;
    try {
      this.#tree.push(row.key, row.base, row.haircut);
    } catch (e) {
      if (!(e instanceof SumOverflowError)) throw e;
      const finding = sumOverflowFinding(row.line, row.index);
      this.overflow = { at: findings.count, finding };
      if (!this.#deferOverflow) findings.add(finding);
    }
  }
}

/**
 * The serial pass over `leaves.csv`, in this thread: the reference that the
 * parallel pass (`_parallel.ts`) must match finding for finding.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLeavesSerial } from "./_leaf_pass.ts";
 * import { FindingCollector } from "./_findings.ts";
 * const findings = new FindingCollector(100);
 * const outcome = await checkLeavesSerial(await Deno.readFile("fixtures/example/leaves.csv"), {
 *   params: { target: 1300000n, totalBase: 11205005n, rounding: "largest-remainder", maxFindings: 100 },
 *   findings,
 * });
 * assert.equal(outcome.tally.leaves, 8);
 * assert.equal(findings.count, 0);
 * ```
 */
export async function checkLeavesSerial(
  source: ByteSource,
  context: LeafPassContext,
  options: { format?: LeavesFormat } = {},
): Promise<LeavesOutcome> {
  const pass = new LeafPass(context.params, context.findings, options);
  let bytes = 0;
  for await (const chunk of chunksOf(source)) {
    pass.push(chunk);
    bytes += chunk.length;
    context.progress?.(bytes);
  }
  pass.end();
  return pass.outcome();
}

/**
 * The outcome of one batch, in a form that crosses a worker boundary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLeafBatch, type LeafBatchResult } from "./_leaf_pass.ts";
 * const rows = new TextEncoder().encode(`${"ab".repeat(32)},5,1\n${"aa".repeat(32)},5,9\n`);
 * const r: LeafBatchResult = checkLeafBatch(rows, 2, { target: 2n, totalBase: 10n, rounding: "floor", maxFindings: 1 });
 * assert.equal(r.findingCount, 2); // LEAF_ORDER and HAIRCUT_EXCEEDS_BASE on line 3
 * assert.deepEqual(r.findings.map((f) => f.code), ["LEAF_ORDER"]);
 * assert.deepEqual(r.subtrees?.map((t) => t.size), [2]);
 * ```
 */
export interface LeafBatchResult {
  /** The sums over the batch's well-formed rows. */
  tally: LeafTally;
  /** The first well-formed row, for the order check across the batch boundary. */
  first?: { key: Uint8Array; line: number; index: number };
  /** The last well-formed row's key. */
  lastKey?: Uint8Array;
  /** The first `maxFindings` findings, in the order the serial pass finds them. */
  findings: Finding[];
  /** How many findings there were. */
  findingCount: number;
  /** The codes of all of them. */
  codes: Finding["code"][];
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
  /** Each allocation rule's state over the batch, in {@linkcode leafRules} order. */
  ruleStates: unknown[];
  /** The batch's perfect subtrees, leftmost first, when it hashed every row. */
  subtrees?: { node: SumNode; size: number }[];
  /** The last line of the batch that ended with LF. */
  lastLine: number;
}

/**
 * Checks and hashes one batch: the bytes of whole lines of `leaves.csv`
 * starting at line `startLine` (and, for the last batch, a final line
 * without LF), with a {@linkcode LeafPass} that hashes in a slab and defers
 * a sum overflow.
 *
 * Precondition: a batch that does not end the file holds a whole number of
 * lines, and its row count is a multiple of its subtrees' sizes in the tree
 * (a power of two, aligned), which `_parallel.ts` guarantees.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLeafBatch } from "./_leaf_pass.ts";
 * const rows = new TextEncoder().encode("ab".repeat(32) + ",5,1\n");
 * const r = checkLeafBatch(rows, 2, { target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 });
 * assert.equal(r.tally.leaves, 1);
 * assert.equal(r.findingCount, 0); // floor allows exactly 1 * 5 / 5 = 1
 * ```
 */
export function checkLeafBatch(bytes: Uint8Array, startLine: number, params: LeafPassParams): LeafBatchResult {
  const findings = new FindingCollector(params.maxFindings);
  const pass = new LeafPass(params, findings, { startLine, deferOverflow: true, hashing: "slab" });
  pass.push(bytes);
  pass.end();
  const { first, overflow, formatOk, checks } = pass;
  return {
    tally: checks.tally,
    ...(first ? { first: { key: first.key, line: first.line, index: first.index }, lastKey: checks.lastKey } : {}),
    findings: findings.kept,
    findingCount: findings.count,
    codes: [...findings.codes],
    firstRowAt: first ? first.at : findings.count,
    ...(overflow ? { overflow } : {}),
    formatOk,
    ruleStates: checks.rules.map((rule) => rule.state()),
    ...(formatOk && !overflow && pass.hashed > 0 ? { subtrees: pass.subtrees() } : {}),
    lastLine: startLine - 1 + pass.rows,
  };
}
