/**
 * Writing a whole buffer through a writer that may take only part of it.
 *
 * @module
 */

/**
 * Writes all of `bytes` to `file`, calling `write` until every byte is taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAll } from "./write.ts";
 * const taken: number[] = [];
 * const file = { write: (b: Uint8Array) => Promise.resolve(taken.push(Math.min(b.length, 2)) && Math.min(b.length, 2)) };
 * await writeAll(file, new Uint8Array(5));
 * assert.deepEqual(taken, [2, 2, 1]);
 * ```
 */
export async function writeAll(file: { write(bytes: Uint8Array): Promise<number> }, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}
