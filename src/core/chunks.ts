/**
 * Byte streams as the verifier and the publisher read them: a whole array or
 * an async iterable of chunks, a file read in large fresh chunks, and a
 * stream cut off after a byte budget.
 *
 * @module
 */

/**
 * The bytes of a file: all at once, or a stream of chunks of any size.
 *
 * @example
 * ```ts
 * import type { ByteSource } from "./chunks.ts";
 * const whole: ByteSource = new Uint8Array([0x61, 0x0a]);
 * ```
 */
export type ByteSource = AsyncIterable<Uint8Array> | Uint8Array;

/**
 * The chunks of a byte source: the array itself, or what the iterable yields.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chunksOf } from "./chunks.ts";
 * const lengths: number[] = [];
 * for await (const chunk of chunksOf(new Uint8Array(3))) lengths.push(chunk.length);
 * assert.deepEqual(lengths, [3]);
 * ```
 */
export async function* chunksOf(source: ByteSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  yield* source;
}

/**
 * Reads a file in chunks of `chunkSize` bytes (1 MiB by default), each a
 * fresh array, and closes it at the end. For a large `leaves.csv` this costs
 * the main thread about a fifth of what `file.readable`'s 64 KiB chunks do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileChunks, parseKeysFile, verifyPublication } from "../../mod.ts";
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: fileChunks(await Deno.open("fixtures/example/leaves.csv")),
 * }, keys, { workers: navigator.hardwareConcurrency });
 * assert.equal(report.ok, true);
 * ```
 */
export async function* fileChunks(
  file: { read(buffer: Uint8Array): Promise<number | null>; close(): void },
  chunkSize: number = 1 << 20,
): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      const buffer = new Uint8Array(chunkSize);
      let filled = 0;
      while (filled < chunkSize) {
        const n = await file.read(buffer.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      if (filled > 0) yield filled === chunkSize ? buffer : buffer.subarray(0, filled);
      if (filled < chunkSize) return;
    }
  } finally {
    file.close();
  }
}

/**
 * A byte stream cut off after `limit` bytes, and whether the source went on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type BoundedChunks, boundedChunks } from "./chunks.ts";
 * const b: BoundedChunks = boundedChunks(new Uint8Array(4), 4);
 * for await (const chunk of b.chunks) assert.equal(chunk.length, 4);
 * assert.equal(b.exceeded, false);
 * ```
 */
export interface BoundedChunks {
  /** The first `limit` bytes of the source, in its chunks (the last one cut). */
  chunks: AsyncIterable<Uint8Array>;
  /** True once the chunks stopped because the source had more than `limit` bytes. */
  readonly exceeded: boolean;
}

/**
 * Yields the chunks of `source` until `limit` bytes have passed, then stops
 * reading and records that the source went on. An endless stream so costs
 * at most `limit` bytes.
 *
 * Precondition: `limit` is a non-negative safe integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { boundedChunks } from "./chunks.ts";
 * const bounded = boundedChunks(new Uint8Array(10), 4);
 * const lengths: number[] = [];
 * for await (const chunk of bounded.chunks) lengths.push(chunk.length);
 * assert.deepEqual(lengths, [4]);
 * assert.equal(bounded.exceeded, true);
 * ```
 */
export function boundedChunks(source: ByteSource, limit: number): BoundedChunks {
  const state = { exceeded: false };
  async function* chunks(): AsyncIterable<Uint8Array> {
    let seen = 0;
    for await (const chunk of chunksOf(source)) {
      if (seen + chunk.length > limit) {
        state.exceeded = true;
        yield chunk.subarray(0, limit - seen);
        return;
      }
      seen += chunk.length;
      yield chunk;
    }
  }
  return {
    chunks: chunks(),
    get exceeded(): boolean {
      return state.exceeded;
    },
  };
}
