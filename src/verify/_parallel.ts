/**
 * The parallel pass over `leaves.csv`: the main thread reads the file in
 * chunks, cuts it at line boundaries into batches of exactly `batchSize`
 * rows (a power of two, so each batch is a perfect, aligned subtree of the
 * RFC 9162 tree; only the last batch may be shorter), and hands each batch
 * to a worker (`verify_worker.ts`). Results are merged strictly in batch
 * order: the order check across batch boundaries, the subtrees pushed on one
 * `RootBuilder`, the rounding checkers' states, the sums and the findings,
 * so that the report is exactly the serial pass's.
 *
 * Memory stays bounded: at most two batches per worker are in flight, the
 * batch being filled holds at most `batchSize` lines of at most
 * `MAX_LINE_BYTES + 1` bytes each (the rest of an over-long line is dropped:
 * it is reported the same either way), each result is a few subtree roots,
 * and the workers give each batch's buffer back for reuse, so that no
 * thread accumulates garbage buffers between collections.
 *
 * @module
 */

import { RoundingChecker } from "../rules/allocation.ts";
import type { Finding } from "../core/errors.ts";
import { LeavesParser, MAX_LINE_BYTES } from "../format/leaves.ts";
import { sumHasher, type SumNode } from "../core/sum_tree.ts";
import { RootBuilder } from "../core/tree.ts";
import {
  checkLeafBatch,
  compareKeys,
  type FindingCollector,
  type LeafBatchParams,
  type LeafBatchResult,
  leafOrderFinding,
  sumOverflowFinding,
} from "./_leaf_batch.ts";
import type { WorkerRequest, WorkerResponse } from "./_worker.ts";

/** Rows per batch unless told otherwise: 2^15, about 3 MB of a typical `leaves.csv`. */
export const DEFAULT_BATCH_SIZE: number = 1 << 15;

/**
 * What a pass over the leaves found, serial or parallel, before the final
 * checks (rounding, count, totals, root).
 */
export interface LeavesOutcome {
  /** Well-formed rows. */
  leaves: number;
  /** Well-formed rows with a non-zero haircut. */
  charged: number;
  /** The sum of their bases. */
  totalBase: bigint;
  /** The sum of their haircuts. */
  collected: bigint;
  /** True when every line was well-formed. */
  formatOk: boolean;
  /** True when a tree sum reached 2^128 (hashing stopped there). */
  overflow: boolean;
  /** The tree of the hashed leaves. */
  builder: RootBuilder<SumNode>;
  /** The allocation check, when the allocation is checked. */
  rounding?: RoundingChecker;
}

/**
 * Options for {@linkcode checkLeavesParallel}.
 *
 * @example
 * ```ts
 * import type { ParallelOptions } from "./_parallel.ts";
 * const o: ParallelOptions = { workers: 2, batchSize: 1 << 15 };
 * ```
 */
export interface ParallelOptions {
  /** How many workers to start (at least 1). */
  workers: number;
  /** Rows per batch: a power of two. */
  batchSize: number;
  /** Called with the number of bytes consumed, after each chunk. */
  progress?: (bytes: number) => void;
}

const LF = 0x0a;
/** The most bytes of one line a batch carries: enough to tell that a line is too long. */
const KEEP = MAX_LINE_BYTES + 1;

/**
 * The outcome before any leaf: zero sums, an empty tree and, when the
 * allocation is checked, a fresh rounding checker.
 *
 * @example
 * ```ts
 * import { emptyOutcome } from "./_parallel.ts";
 * emptyOutcome({ target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 }).leaves; // 0
 * ```
 */
export function emptyOutcome(params: LeafBatchParams): LeavesOutcome {
  return {
    leaves: 0,
    charged: 0,
    totalBase: 0n,
    collected: 0n,
    formatOk: true,
    overflow: false,
    builder: new RootBuilder<SumNode>(sumHasher),
    ...(params.rounding === undefined ? {} : {
      rounding: new RoundingChecker({
        target: params.target,
        totalBase: params.totalBase,
        rounding: params.rounding,
      }),
    }),
  };
}

/** Merges batch results, in batch order, into one outcome. */
class Merger {
  readonly outcome: LeavesOutcome;
  #lastKey: Uint8Array | undefined;

  constructor(readonly params: LeafBatchParams, readonly findings: FindingCollector) {
    this.outcome = emptyOutcome(params);
  }

  /** Takes the next batch's result. */
  add(r: LeafBatchResult): void {
    const o = this.outcome;
    const hashing = o.formatOk && !o.overflow;
    // Findings the batch could not decide alone, with their place among its own.
    const inserts: { at: number; finding: Finding }[] = [];
    if (r.first && this.#lastKey) {
      const order = compareKeys(this.#lastKey, r.first.key);
      if (order >= 0) {
        inserts.push({ at: r.firstRowAt, finding: leafOrderFinding(r.first.line, r.first.index, order === 0) });
      }
    }
    if (r.overflow && hashing) inserts.push(r.overflow);
    let next = 0;
    for (let i = 0; i < r.findings.length; i++) {
      while (next < inserts.length && inserts[next].at <= i) this.findings.add(inserts[next++].finding);
      this.findings.add(r.findings[i]);
    }
    while (next < inserts.length) this.findings.add(inserts[next++].finding);
    // The findings the batch counted but did not return are past the limit: count them only.
    this.findings.count += r.findingCount - r.findings.length;
    for (const code of r.codes) this.findings.codes.add(code);

    o.leaves += r.leaves;
    o.charged += r.charged;
    o.totalBase += r.totalBase;
    o.collected += r.collected;
    if (r.lastKey) this.#lastKey = r.lastKey;
    if (o.rounding && r.rounding) o.rounding.merge(r.rounding);
    if (!r.formatOk) o.formatOk = false;
    if (!hashing) return;
    if (r.overflow) o.overflow = true;
    if (!o.formatOk || o.overflow || !r.subtrees) return;
    try {
      for (const { node, size } of r.subtrees) o.builder.pushSubtree(node, size);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // The serial pass meets this sum when it pushes the batch's last row.
      o.overflow = true;
      this.findings.add(sumOverflowFinding(r.lastLine, r.lastLine - 2));
    }
  }
}

/** A pool of workers that answer batches in the order each receives them. */
class Pool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, { resolve(r: LeafBatchResult): void; reject(e: Error): void }>();
  /** Batch buffers the workers gave back, for reuse. */
  readonly #free: ArrayBuffer[] = [];
  readonly #maxFree: number;
  #next = 0;
  #failure: Error | undefined;

  constructor(size: number, params: LeafBatchParams, maxFree: number) {
    this.#maxFree = maxFree;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (event: MessageEvent<WorkerResponse>): void => this.#answer(event.data);
      worker.onerror = (event: ErrorEvent): void => {
        event.preventDefault();
        this.#fail(new Error(`verify worker failed: ${event.message}`));
      };
      worker.postMessage({ kind: "params", params } satisfies WorkerRequest);
      this.#workers.push(worker);
    }
  }

  /** Sends a batch to the next worker, round robin; the bytes are transferred. */
  run(id: number, bytes: Uint8Array<ArrayBuffer>, startLine: number): Promise<LeafBatchResult> {
    if (this.#failure) return Promise.reject(this.#failure);
    const promise = new Promise<LeafBatchResult>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    const worker = this.#workers[this.#next++ % this.#workers.length];
    worker.postMessage({ kind: "batch", id, bytes, startLine } satisfies WorkerRequest, [bytes.buffer]);
    return promise;
  }

  /** A buffer of at least `length` bytes: a returned one, or a new one with some room to spare. */
  buffer(length: number): ArrayBuffer {
    const i = this.#free.findIndex((b) => b.byteLength >= length);
    if (i !== -1) return this.#free.splice(i, 1)[0];
    return new ArrayBuffer(Math.ceil(length * 1.25));
  }

  /** Stops every worker. */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#fail(new Error("verify workers stopped"));
  }

  #answer(response: WorkerResponse): void {
    const waiting = this.#pending.get(response.id);
    if (!waiting) return;
    this.#pending.delete(response.id);
    if (this.#free.length < this.#maxFree) this.#free.push(response.buffer);
    if (response.kind === "result") waiting.resolve(response.result);
    else waiting.reject(new Error(`verify worker failed on batch ${response.id}: ${response.message}`));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/**
 * The chunks of a byte source: the array itself, or what the iterable yields.
 *
 * @example
 * ```ts
 * import { chunksOf } from "./_parallel.ts";
 * for await (const chunk of chunksOf(new Uint8Array(3))) chunk.length; // 3
 * ```
 */
export async function* chunksOf(source: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  yield* source;
}

/**
 * Runs the per-leaf checks of a publication over `leaves.csv` with
 * `options.workers` workers, adding findings to `findings` in exactly the
 * order the serial pass would. A file of less than one batch is checked in
 * this thread without starting any worker.
 *
 * @example
 * ```ts
 * import { checkLeavesParallel } from "./_parallel.ts";
 * import { FindingCollector } from "./_leaf_batch.ts";
 * const findings = new FindingCollector(100);
 * const outcome = await checkLeavesParallel(
 *   await Deno.readFile("fixtures/example/leaves.csv"),
 *   { target: 1300000n, totalBase: 11205005n, rounding: "largest-remainder", maxFindings: 100 },
 *   findings,
 *   { workers: 2, batchSize: 2 },
 * );
 * outcome.leaves; // 8
 * ```
 */
export async function checkLeavesParallel(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  params: LeafBatchParams,
  findings: FindingCollector,
  options: ParallelOptions,
): Promise<LeavesOutcome> {
  const { workers, batchSize } = options;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`workers must be at least 1, got ${workers}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || (batchSize & (batchSize - 1)) !== 0 || batchSize > 2 ** 30) {
    throw new RangeError(`batchSize must be a power of two, got ${batchSize}`);
  }
  const merger = new Merger(params, findings);
  const header = new LeavesParser({
    row: () => {},
    invalid: (f) => {
      merger.outcome.formatOk = false;
      findings.add(f);
    },
  });
  let inHeader = true;
  let pool: Pool | undefined;
  const inFlight: Promise<LeafBatchResult>[] = [];
  const maxInFlight = 2 * workers;
  let pieces: Uint8Array[] = [];
  let rows = 0;
  let lineLength = 0;
  let startLine = 2;
  let batches = 0;

  const take = (): { bytes: Uint8Array<ArrayBuffer>; startLine: number } => {
    const length = pieces.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(pool ? pool.buffer(length) : new ArrayBuffer(length), 0, length);
    let at = 0;
    for (const p of pieces) {
      bytes.set(p, at);
      at += p.length;
    }
    const batch = { bytes, startLine };
    pieces = [];
    startLine += rows;
    rows = 0;
    return batch;
  };
  const dispatch = async (): Promise<void> => {
    pool ??= new Pool(workers, params, maxInFlight + 1);
    const batch = take();
    while (inFlight.length >= maxInFlight) merger.add(await inFlight.shift()!);
    const result = pool.run(batches++, batch.bytes, batch.startLine);
    result.catch(() => {}); // Awaited in order below; this only marks a failure as handled meanwhile.
    inFlight.push(result);
  };

  try {
    let consumed = 0;
    for await (const chunk of chunksOf(source)) {
      consumed += chunk.length;
      let pos = 0;
      if (inHeader) {
        const nl = chunk.indexOf(LF);
        header.push(nl === -1 ? chunk : chunk.subarray(0, nl + 1));
        if (nl === -1) {
          options.progress?.(consumed);
          continue;
        }
        inHeader = false;
        pos = nl + 1;
      }
      let from = pos;
      while (pos < chunk.length) {
        const nl = chunk.indexOf(LF, pos);
        const end = nl === -1 ? chunk.length : nl;
        if (lineLength + end - pos > KEEP) {
          // Keep the first KEEP bytes of an over-long line and drop the rest up to its LF.
          const keep = pos + Math.max(0, KEEP - lineLength);
          if (keep > from) pieces.push(chunk.subarray(from, keep));
          from = end;
          lineLength = KEEP;
        } else {
          lineLength += end - pos;
        }
        if (nl === -1) break;
        lineLength = 0;
        pos = nl + 1;
        if (++rows === batchSize) {
          pieces.push(chunk.subarray(from, pos));
          from = pos;
          await dispatch();
        }
      }
      if (from < chunk.length) pieces.push(chunk.subarray(from));
      options.progress?.(consumed);
    }
    if (inHeader) header.end();
    if (pieces.length > 0) {
      if (pool) {
        await dispatch();
      } else {
        const batch = take();
        merger.add(checkLeafBatch(batch.bytes, batch.startLine, params));
      }
    }
    while (inFlight.length > 0) merger.add(await inFlight.shift()!);
  } finally {
    pool?.close();
  }
  return merger.outcome;
}
