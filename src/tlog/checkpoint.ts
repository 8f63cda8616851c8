/**
 * C2SP checkpoints (`c2sp.org/tlog-checkpoint`): the signed note text
 * `<origin>\n<tree size>\n<base64 root>\n`, then optional extension lines.
 *
 * @module
 */

import { bytesToBase64 } from "../core/encoding.ts";
import { HASH_SIZE } from "../core/rfc6962.ts";
import { parseDecimal, parseHash } from "./_text.ts";

/**
 * A log's tree head as a checkpoint states it.
 *
 * @example The checkpoint a log proof is proven against
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Checkpoint, parseCheckpoint, parseNote, parseTlogProof } from "../../tlog.ts";
 *
 * const proof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * const checkpoint: Checkpoint = parseCheckpoint(parseNote(proof.checkpoint).text);
 * assert.equal(checkpoint.origin, "tampered.example/haircut-log");
 * assert.equal(checkpoint.size, 2);
 * assert.equal(checkpoint.root.length, 32);
 * assert.deepEqual(checkpoint.extensions, []);
 * ```
 */
export interface Checkpoint {
  /** The log's origin line. */
  origin: string;
  /** The number of leaves. */
  size: number;
  /** The RFC 6962 root of those leaves (32 bytes). */
  root: Uint8Array;
  /** Extension lines, each non-empty (opaque; not recommended). */
  extensions: string[];
}

/**
 * Reads a checkpoint's note text strictly: at least three lines, each
 * ending in a newline and non-empty; the size a decimal without leading
 * zeros; the root canonical base64 of 32 bytes.
 *
 * @throws {SyntaxError} Naming the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHash } from "node:crypto";
 * import { parseCheckpoint } from "../../tlog.ts";
 *
 * // The empty tree's root is SHA-256 of nothing.
 * const c = parseCheckpoint("example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
 * assert.equal(c.origin, "example.com/log");
 * assert.equal(c.size, 0);
 * assert.deepEqual(c.root, new Uint8Array(createHash("sha256").digest()));
 * assert.throws(() => parseCheckpoint("example.com/log\n00\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"), SyntaxError);
 * ```
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new SyntaxError("checkpoint: the text must end in a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw new SyntaxError(`checkpoint: ${lines.length} lines, need origin, size and root`);
  const empty = lines.findIndex((l) => l.length === 0);
  if (empty >= 0) throw new SyntaxError(`checkpoint: line ${empty + 1} is empty`);
  const [origin, size, root, ...extensions] = lines;
  return {
    origin,
    size: parseDecimal(size, "checkpoint: tree size"),
    root: parseHash(root, "checkpoint: root hash"),
    extensions,
  };
}

/**
 * Writes a checkpoint's note text.
 *
 * Preconditions: the origin and extensions are non-empty lines, the size is
 * a safe integer `>= 0`, the root is 32 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCheckpoint, parseCheckpoint } from "../../tlog.ts";
 *
 * const text = formatCheckpoint({ origin: "o.example", size: 1, root: new Uint8Array(32), extensions: [] });
 * assert.equal(text, `o.example\n1\n${"A".repeat(43)}=\n`);
 * assert.equal(parseCheckpoint(text).size, 1);
 * ```
 */
export function formatCheckpoint(c: Checkpoint): string {
  for (const line of [c.origin, ...c.extensions]) {
    if (line.length === 0 || line.includes("\n")) {
      throw new RangeError("checkpoint lines must be non-empty single lines");
    }
  }
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new RangeError(`tree size ${c.size} is not a whole number`);
  if (c.root.length !== HASH_SIZE) throw new RangeError(`root is ${c.root.length} bytes, not ${HASH_SIZE}`);
  return [c.origin, `${c.size}`, bytesToBase64(c.root), ...c.extensions].map((l) => `${l}\n`).join("");
}
