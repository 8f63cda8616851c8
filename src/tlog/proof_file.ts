/**
 * C2SP `tlog-proof` files (`c2sp.org/tlog-proof@v1`, extension
 * `.tlog-proof`): the entry's index, its RFC 6962 inclusion path, and the
 * (cosigned) checkpoint it is proven against.
 *
 * ```
 * c2sp.org/tlog-proof@v1
 * [extra <base64>]
 * index <N>
 * <base64 hash>        (zero or more, the leaf's sibling first)
 *
 * <checkpoint note, verbatim>
 * ```
 *
 * @module
 */

import { base64ToBytes, bytesToBase64 } from "../core/encoding.ts";
import { HASH_SIZE } from "../core/rfc6962.ts";
import { MAX_PROOF_LINES, parseDecimal, parseHash } from "./_text.ts";

/** The first line of a tlog-proof file. */
const TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1";

/**
 * A parsed tlog-proof. The checkpoint is still an unverified note.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTlogProof, type TlogProof } from "../../tlog.ts";
 *
 * const proof: TlogProof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * assert.equal(proof.extra, undefined);
 * assert.equal(proof.index, 1);
 * assert.equal(proof.path.length, 1); // the sibling of leaf 1 in a tree of 2
 * assert.match(proof.checkpoint, /^tampered\.example\/haircut-log\n2\n/);
 * ```
 */
export interface TlogProof {
  /** Opaque extra data, when the file has an `extra` line (not authenticated). */
  extra?: Uint8Array;
  /** The zero-based index of the entry. */
  index: number;
  /** The inclusion path, the leaf's sibling first. */
  path: Uint8Array[];
  /** The checkpoint note (text, blank line, signatures), verbatim. */
  checkpoint: string;
}

/**
 * Reads a tlog-proof strictly: the header, an optional `extra` line, the
 * `index` line, at most 63 hash lines of 32 bytes, an empty line, and the
 * checkpoint note, which must end in a newline (its own format is checked
 * when it is opened).
 *
 * @throws {SyntaxError} Naming the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTlogProof } from "../../tlog.ts";
 *
 * const p = parseTlogProof("c2sp.org/tlog-proof@v1\nindex 0\n\no\n1\nAA==\n\n— k AAAAAQk=\n");
 * assert.equal(p.index, 0);
 * assert.deepEqual(p.path, []);
 * assert.equal(p.checkpoint, "o\n1\nAA==\n\n— k AAAAAQk=\n");
 * // The garbled fixture writes its index with a leading zero.
 * const garbled = await Deno.readTextFile("fixtures/tampered/log-proof-garbled/statement.tlog-proof");
 * assert.throws(() => parseTlogProof(garbled), /index "01" is not a decimal without leading zeros/);
 * ```
 */
export function parseTlogProof(text: string): TlogProof {
  const bad = (message: string): never => {
    throw new SyntaxError(`tlog-proof: ${message}`);
  };
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string => {
    const end = text.indexOf("\n", pos);
    if (end < 0) bad(`line ${lineNo + 1} does not end in a newline`);
    const line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER) bad(`the first line must be ${TLOG_PROOF_HEADER}`);
  let line = nextLine();
  let extra: Uint8Array | undefined;
  if (line.startsWith("extra ")) {
    try {
      extra = base64ToBytes(line.slice(6));
    } catch (e) {
      bad(`extra: ${(e as Error).message}`);
    }
    line = nextLine();
  }
  if (!line.startsWith("index ")) bad(`line ${lineNo} must be "index <N>"`);
  let index: number;
  try {
    index = parseDecimal(line.slice(6), "index");
  } catch (e) {
    return bad((e as Error).message);
  }
  const path: Uint8Array[] = [];
  for (line = nextLine(); line !== ""; line = nextLine()) {
    if (path.length === MAX_PROOF_LINES) bad(`more than ${MAX_PROOF_LINES} proof lines`);
    try {
      path.push(parseHash(line, `proof line ${path.length + 1}`));
    } catch (e) {
      bad((e as Error).message);
    }
  }
  const checkpoint = text.slice(pos);
  if (checkpoint.length === 0) bad("no checkpoint after the empty line");
  if (!checkpoint.endsWith("\n")) bad("the checkpoint does not end in a newline");
  return { ...(extra ? { extra } : {}), index, path, checkpoint };
}

/**
 * Writes a tlog-proof file.
 *
 * Preconditions: `index` is a safe integer `>= 0`, each path node is 32
 * bytes (at most 63), and `checkpoint` is a whole signed note.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTlogProof, parseTlogProof } from "../../tlog.ts";
 * const proof = { index: 3, path: [new Uint8Array(32)], checkpoint: "o\n4\nAA==\n\n— k AAAAAQk=\n" };
 * const text = formatTlogProof(proof);
 * assert.equal(text, `c2sp.org/tlog-proof@v1\nindex 3\n${"A".repeat(43)}=\n\no\n4\nAA==\n\n— k AAAAAQk=\n`);
 * assert.deepEqual(parseTlogProof(text), proof);
 * ```
 */
export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) throw new RangeError(`index ${proof.index}`);
  if (proof.path.length > MAX_PROOF_LINES || proof.path.some((p) => p.length !== HASH_SIZE)) {
    throw new RangeError(`the path must be at most ${MAX_PROOF_LINES} hashes of ${HASH_SIZE} bytes`);
  }
  const extra = proof.extra ? `extra ${bytesToBase64(proof.extra)}\n` : "";
  const path = proof.path.map((p) => `${bytesToBase64(p)}\n`).join("");
  return `${TLOG_PROOF_HEADER}\n${extra}index ${proof.index}\n${path}\n${proof.checkpoint}`;
}
