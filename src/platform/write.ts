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
 * // A writer that takes at most two bytes per call.
 * const file = {
 *   write: (bytes: Uint8Array): Promise<number> => {
 *     taken.push(Math.min(bytes.length, 2));
 *     return Promise.resolve(taken.at(-1)!);
 *   },
 * };
 * await writeAll(file, new Uint8Array(5));
 * assert.deepEqual(taken, [2, 2, 1]);
 * ```
 */
export async function writeAll(file: { write(bytes: Uint8Array): Promise<number> }, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}
