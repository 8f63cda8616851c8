/**
 * A streaming reader of `leaves.csv`: UTF-8, LF line endings, the header
 * `account_key,base,haircut`, then one row per leaf in tree order. It takes
 * the file in chunks of any size and holds at most one partial line.
 *
 * Anything else is rejected with its line number: a BOM, CR, empty lines,
 * spaces, extra or missing columns, uppercase hex, non-canonical amounts,
 * lines longer than {@linkcode MAX_LINE_BYTES} and a missing final newline.
 *
 * @module
 */

import { AMOUNT_LIMIT } from "./amount.ts";
import type { Finding } from "./errors.ts";

/** The header line of `leaves.csv`. */
export const LEAVES_HEADER = "account_key,base,haircut";

/** The longest line accepted, in bytes, without its LF. A valid row has at most 144. */
export const MAX_LINE_BYTES = 256;

/**
 * One row of `leaves.csv`.
 *
 * @example
 * ```ts
 * import type { LeafRow } from "./leaves.ts";
 * declare const row: LeafRow;
 * row.line === row.index + 2; // the header is line 1
 * ```
 */
export interface LeafRow {
  /** The zero-based leaf index. */
  index: number;
  /** The one-based line number in the file. */
  line: number;
  /** The 32-byte account key (a fresh copy). */
  key: Uint8Array;
  /** The base. */
  base: bigint;
  /** The haircut. */
  haircut: bigint;
}

/** Callbacks for {@linkcode LeavesParser}. */
export interface LeavesParserHandlers {
  /** Receives each well-formed row, in order. */
  row(row: LeafRow): void;
  /** Receives a `LEAF_INVALID` finding for each malformed line. */
  invalid(finding: Finding): void;
}

const LF = 0x0a;
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[0x61 + i] = 10 + i;

/**
 * Parses `leaves.csv` pushed in chunks.
 *
 * @example
 * ```ts
 * import { LeavesParser } from "./leaves.ts";
 * const rows: bigint[] = [];
 * const p = new LeavesParser({ row: (r) => rows.push(r.base), invalid: (f) => console.log(f.message) });
 * p.push(new TextEncoder().encode("account_key,base,haircut\n" + "ab".repeat(32) + ",5,1\n"));
 * p.end();
 * rows; // [5n]
 * ```
 */
export class LeavesParser {
  readonly #handlers: LeavesParserHandlers;
  #carry: Uint8Array = new Uint8Array(0);
  #line = 0;
  #rows = 0;
  #overlong = false;

  /** Creates a parser that reports to `handlers`. */
  constructor(handlers: LeavesParserHandlers) {
    this.#handlers = handlers;
  }

  /** The number of rows seen so far, valid or not (the header excluded). */
  get rows(): number {
    return this.#rows;
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      if (this.#carry.length > 0) {
        const piece = chunk.subarray(start, nl);
        const joined = new Uint8Array(this.#carry.length + piece.length);
        joined.set(this.#carry);
        joined.set(piece, this.#carry.length);
        this.#carry = new Uint8Array(0);
        this.#lineDone(joined);
      } else {
        this.#lineDone(chunk.subarray(start, nl));
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (this.#carry.length + chunk.length - start > MAX_LINE_BYTES) {
        this.#overlong = true;
        this.#carry = this.#carry.subarray(0, 0);
        return;
      }
      const joined = new Uint8Array(this.#carry.length + chunk.length - start);
      joined.set(this.#carry);
      joined.set(chunk.subarray(start), this.#carry.length);
      this.#carry = joined;
    }
  }

  /** Signals the end of the file. */
  end(): void {
    if (this.#carry.length > 0 || this.#overlong) {
      this.#line++;
      this.#invalid(`line ${this.#line}: the file does not end with a newline (truncated?)`, this.#line > 1);
    } else if (this.#line === 0) {
      this.#invalid(`line 1: the file is empty; expected the header ${LEAVES_HEADER}`, false);
    }
  }

  #invalid(message: string, isRow: boolean): void {
    const index = this.#line - 2;
    this.#handlers.invalid(isRow ? { code: "LEAF_INVALID", message, leaf: index } : { code: "LEAF_INVALID", message });
  }

  #lineDone(bytes: Uint8Array): void {
    this.#line++;
    const line = this.#line;
    if (this.#overlong || bytes.length > MAX_LINE_BYTES) {
      this.#overlong = false;
      if (line > 1) this.#rows++;
      this.#invalid(`line ${line}: longer than ${MAX_LINE_BYTES} bytes`, line > 1);
      return;
    }
    if (line === 1) {
      const header = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
      if (header !== LEAVES_HEADER) {
        const hint = header.startsWith("\ufeff")
          ? " (remove the byte order mark)"
          : header.endsWith("\r")
          ? " (use LF line endings, not CRLF)"
          : "";
        this.#invalid(`line 1: header must be exactly ${LEAVES_HEADER}${hint}`, false);
      }
      return;
    }
    const index = this.#rows++;
    const problem = parseRow(bytes, index, line, this.#handlers);
    if (problem) this.#invalid(`line ${line}: ${problem}`, true);
  }
}

function parseRow(bytes: Uint8Array, index: number, line: number, handlers: LeavesParserHandlers): string | undefined {
  if (bytes.length === 0) return "empty line";
  if (bytes[bytes.length - 1] === 0x0d) return "CR before LF (use LF line endings, not CRLF)";
  const c1 = bytes.indexOf(0x2c);
  if (c1 !== 64) {
    return c1 === -1 ? "expected 3 columns: account_key,base,haircut" : "account_key must be 64 lowercase hex digits";
  }
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = HEX_VALUE[bytes[2 * i]];
    const lo = HEX_VALUE[bytes[2 * i + 1]];
    if (hi < 0 || lo < 0) return "account_key must be 64 lowercase hex digits";
    key[i] = (hi << 4) | lo;
  }
  const c2 = bytes.indexOf(0x2c, 65);
  if (c2 === -1) return "expected 3 columns: account_key,base,haircut";
  if (bytes.indexOf(0x2c, c2 + 1) !== -1) return "expected 3 columns, found more";
  const base = parseDecimal(bytes, 65, c2);
  if (base === undefined) return "base is not a canonical decimal below 2^128";
  const haircut = parseDecimal(bytes, c2 + 1, bytes.length);
  if (haircut === undefined) return "haircut is not a canonical decimal below 2^128";
  handlers.row({ index, line, key, base, haircut });
  return undefined;
}

/** Parses `^(0|[1-9][0-9]*)$` below 2^128 from `bytes[start:end)`. */
function parseDecimal(bytes: Uint8Array, start: number, end: number): bigint | undefined {
  const length = end - start;
  if (length < 1 || length > 39) return undefined;
  if (bytes[start] === 0x30 && length > 1) return undefined;
  let small = 0;
  for (let i = start; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return undefined;
    if (length <= 15) small = small * 10 + d;
  }
  if (length <= 15) return BigInt(small);
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  const value = BigInt(text);
  return value < AMOUNT_LIMIT ? value : undefined;
}

/**
 * Writes leaf rows as `leaves.csv` text, header first, each line LF-terminated.
 *
 * @example
 * ```ts
 * import { leavesCsvLine } from "./leaves.ts";
 * leavesCsvLine("ab".repeat(32), 5n, 1n); // "abab…ab,5,1\n"
 * ```
 */
export function leavesCsvLine(keyHex: string, base: bigint, haircut: bigint): string {
  return `${keyHex},${base},${haircut}\n`;
}
