/**
 * The parallel driver of the leaf pass (`_leaf_pass.ts`): the main thread
 * reads `leaves.csv` in chunks, a {@linkcode LeafBatcher} cuts it at line
 * boundaries into batches of exactly `batchSize` rows (a power of two, so
 * each batch is a perfect, aligned subtree of the RFC 9162 tree; only the
 * last batch may be shorter), and each batch goes to a worker (`_worker.ts`)
 * that runs `checkLeafBatch` on it. Results are merged strictly in batch
 * order: the order check across batch boundaries, the subtrees pushed on one
 * `RootBuilder`, the allocation rules' states, the tallies and the findings,
 * so that the report is exactly the serial pass's.
 *
 * Memory stays bounded whatever the lines' length or count: at most two
 * batches per worker are in flight; the batch being filled is a copy of at
 * most `batchSize` lines of at most `MAX_LINE_BYTES + 1` bytes each (the rest
 * of an over-long line is dropped: it is reported the same either way), and
 * never a view of a read buffer; each result is a few subtree roots; and the
 * workers give each batch's buffer back for reuse, so that no thread
 * accumulates garbage buffers between collections.
 *
 * @module
 */

import { type ByteSource, chunksOf } from "../core/chunks.ts";
import type { Finding } from "../core/errors.ts";
import { SumOverflowError } from "../core/errors.ts";
import { sumHasher, type SumNode } from "../core/sum_tree.ts";
import { RootBuilder } from "../core/tree.ts";
import { LeavesParser, MAX_LINE_BYTES } from "../format/leaves.ts";
import type { FindingCollector } from "./_findings.ts";
import {
  addTally,
  checkLeafBatch,
  compareKeys,
  emptyTally,
  type LeafBatchResult,
  leafOrderFinding,
  type LeafPassContext,
  type LeafPassParams,
  leafRules,
  type LeavesOutcome,
  sumOverflowFinding,
} from "./_leaf_pass.ts";
import type { WorkerRequest, WorkerResponse } from "./_worker.ts";

/** Rows per batch unless told otherwise: 2^15, about 3 MB of a typical `leaves.csv`. */
export const DEFAULT_BATCH_SIZE: number = 1 << 15;

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
}

const LF = 0x0a;
/** The most bytes of one line a batch carries, its LF excluded: enough to tell that a line is too long. */
export const BATCH_LINE_BYTES: number = MAX_LINE_BYTES + 1;

/**
 * One batch: the bytes of whole lines (the last batch may end without LF),
 * in a buffer of their own, and the line number of the first.
 *
 * @example
 * ```ts
 * import type { LeafBatch } from "./_parallel.ts";
 * const b: LeafBatch = { bytes: new Uint8Array(0), startLine: 2 };
 * ```
 */
export interface LeafBatch {
  /** The lines, each cut to {@linkcode BATCH_LINE_BYTES} bytes and its LF. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The line number of the first line. */
  startLine: number;
}

/** Options for {@linkcode LeafBatcher}. */
export interface LeafBatcherOptions {
  /** The line number of the first line pushed. Default 2: the first row after the header. */
  startLine?: number;
  /** Gives a buffer of at least `length` bytes for the next batch. Default: a new one. */
  allocate?: (length: number) => ArrayBuffer;
}

/**
 * Cuts the rows of `leaves.csv` (the bytes after the header, pushed in
 * chunks of any size) into batches of exactly `batchSize` lines. It copies
 * the bytes a batch keeps into a buffer of its own as they arrive, keeping
 * at most {@linkcode BATCH_LINE_BYTES} bytes of each line: it never holds a
 * view of a chunk it was given, so what it holds is at most
 * `batchSize * (BATCH_LINE_BYTES + 1)` bytes, whatever the lines' length.
 *
 * Precondition: `batchSize` is a positive integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LeafBatcher } from "./_parallel.ts";
 * const batcher = new LeafBatcher(2);
 * const chunk = new TextEncoder().encode("a\nb\nc\n");
 * const [full] = batcher.push(chunk, 0);
 * chunk.fill(0); // the batches are copies
 * assert.equal(new TextDecoder().decode(full.bytes), "a\nb\n");
 * assert.equal(full.startLine, 2);
 * const last = batcher.end();
 * assert.equal(new TextDecoder().decode(last?.bytes), "c\n");
 * assert.equal(last?.startLine, 4);
 * ```
 */
export class LeafBatcher {
  readonly #batchSize: number;
  readonly #allocate: (length: number) => ArrayBuffer;
  readonly #maxBytes: number;
  #buffer: Uint8Array<ArrayBuffer> | undefined;
  #length = 0;
  #lastLength = 0;
  #rows = 0;
  #lineLength = 0;
  #startLine: number;

  /** Creates a batcher of `batchSize` lines per batch. */
  constructor(batchSize: number, options: LeafBatcherOptions = {}) {
    this.#batchSize = batchSize;
    this.#allocate = options.allocate ?? ((length) => new ArrayBuffer(length));
    this.#maxBytes = batchSize * (BATCH_LINE_BYTES + 1);
    this.#startLine = options.startLine ?? 2;
  }

  /** The size of the buffer the batch being filled occupies (0 when none is held). */
  get heldBytes(): number {
    return this.#buffer?.byteLength ?? 0;
  }

  /** Takes `chunk` from offset `from` on, and returns the batches it completed. */
  push(chunk: Uint8Array, from: number): LeafBatch[] {
    const full: LeafBatch[] = [];
    let pos = from;
    let start = from;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(LF, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (this.#lineLength + end - pos > BATCH_LINE_BYTES) {
        // Keep the first BATCH_LINE_BYTES bytes of an over-long line and drop the rest up to its LF.
        const keep = pos + Math.max(0, BATCH_LINE_BYTES - this.#lineLength);
        if (keep > start) this.#append(chunk, start, keep);
        start = end;
        this.#lineLength = BATCH_LINE_BYTES;
      } else {
        this.#lineLength += end - pos;
      }
      if (nl === -1) break;
      this.#lineLength = 0;
      pos = nl + 1;
      if (++this.#rows === this.#batchSize) {
        this.#append(chunk, start, pos);
        start = pos;
        full.push(this.#take());
      }
    }
    if (start < chunk.length) this.#append(chunk, start, chunk.length);
    return full;
  }

  /** The last, partial batch, if any bytes are left. */
  end(): LeafBatch | undefined {
    return this.#length > 0 ? this.#take() : undefined;
  }

  /** Copies `chunk[start:end)` onto the batch, growing its buffer within the batch's bound. */
  #append(chunk: Uint8Array, start: number, end: number): void {
    const needed = this.#length + end - start;
    let buffer = this.#buffer;
    if (buffer === undefined || needed > buffer.length) {
      const hint = Math.min(this.#maxBytes, Math.max(needed, 2 * (buffer?.length ?? 0), this.#lastLength, 1 << 16));
      const grown = new Uint8Array(this.#allocate(hint));
      if (buffer) grown.set(buffer.subarray(0, this.#length));
      this.#buffer = buffer = grown;
    }
    buffer.set(chunk.subarray(start, end), this.#length);
    this.#length = needed;
  }

  #take(): LeafBatch {
    const batch = { bytes: this.#buffer!.subarray(0, this.#length), startLine: this.#startLine };
    this.#startLine += this.#rows;
    this.#rows = 0;
    this.#lastLength = this.#length;
    this.#length = 0;
    this.#buffer = undefined;
    return batch;
  }
}

/** Merges batch results, in batch order, into one outcome. */
class Merger {
  readonly outcome: LeavesOutcome;
  readonly #builder = new RootBuilder<SumNode>(sumHasher);
  #lastKey: Uint8Array | undefined;

  constructor(params: LeafPassParams, readonly findings: FindingCollector) {
    this.outcome = {
      tally: emptyTally(),
      formatOk: true,
      overflow: false,
      tree: this.#builder,
      rules: leafRules(params),
    };
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

    addTally(o.tally, r.tally);
    if (r.lastKey) this.#lastKey = r.lastKey;
    for (let i = 0; i < o.rules.length; i++) o.rules[i].merge(r.ruleStates[i]);
    if (!r.formatOk) o.formatOk = false;
    if (!hashing) return;
    if (r.overflow) o.overflow = true;
    if (!o.formatOk || o.overflow || !r.subtrees) return;
    try {
      for (const { node, size } of r.subtrees) this.#builder.pushSubtree(node, size);
    } catch (e) {
      if (!(e instanceof SumOverflowError)) throw e;
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

  constructor(size: number, params: LeafPassParams, maxFree: number) {
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
 * The parallel pass over `leaves.csv` with `options.workers` workers: the
 * same outcome, and the same findings added to `context.findings` in the
 * same order, as the serial pass (`checkLeavesSerial` in `_leaf_pass.ts`). A file of less than one
 * batch is checked in this thread without starting any worker.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLeavesParallel } from "./_parallel.ts";
 * import { FindingCollector } from "./_findings.ts";
 * const findings = new FindingCollector(100);
 * const outcome = await checkLeavesParallel(await Deno.readFile("fixtures/example/leaves.csv"), {
 *   params: { target: 1300000n, totalBase: 11205005n, rounding: "largest-remainder", maxFindings: 100 },
 *   findings,
 * }, { workers: 2, batchSize: 2 });
 * assert.equal(outcome.tally.leaves, 8);
 * assert.equal(findings.count, 0);
 * ```
 */
export async function checkLeavesParallel(
  source: ByteSource,
  context: LeafPassContext,
  options: ParallelOptions,
): Promise<LeavesOutcome> {
  const { workers, batchSize } = options;
  const { params, findings, progress } = context;
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
  const batcher = new LeafBatcher(batchSize, {
    allocate: (length) => pool ? pool.buffer(length) : new ArrayBuffer(length),
  });
  let batches = 0;

  const dispatch = async (batch: LeafBatch): Promise<void> => {
    pool ??= new Pool(workers, params, maxInFlight + 1);
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
          progress?.(consumed);
          continue;
        }
        inHeader = false;
        pos = nl + 1;
      }
      for (const batch of batcher.push(chunk, pos)) await dispatch(batch);
      progress?.(consumed);
    }
    if (inHeader) header.end();
    const last = batcher.end();
    if (last && pool) await dispatch(last);
    else if (last) merger.add(checkLeafBatch(last.bytes, last.startLine, params));
    while (inFlight.length > 0) merger.add(await inFlight.shift()!);
  } finally {
    pool?.close();
  }
  return merger.outcome;
}
