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

import { AMOUNT_LIMIT } from "../core/amount.ts";
import type { Finding } from "../core/errors.ts";

/** The header line of `leaves.csv`. */
export const LEAVES_HEADER = "account_key,base,haircut";

/** The header line of `bankrupt.csv`, the deficit tree's leaves (format v1.1). */
export const BANKRUPT_HEADER = "account_key,loss";

/**
 * A leaves file's layout: its header, and the amount columns after the
 * account key. A row of `bankrupt.csv` has one amount, the loss, which is
 * the leaf's base; its haircut is 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BANKRUPT_CSV, LEAVES_CSV } from "./leaves.ts";
 * assert.deepEqual(LEAVES_CSV.amounts, ["base", "haircut"]);
 * assert.equal(BANKRUPT_CSV.header, "account_key,loss");
 * ```
 */
export interface LeavesFormat {
  /** The file's name. */
  readonly file: string;
  /** The exact header line. */
  readonly header: string;
  /** The amount columns: `base, haircut`, or `loss` alone (the base; the haircut is 0). */
  readonly amounts: readonly ["base", "haircut"] | readonly ["loss"];
}

/** `leaves.csv`: `account_key,base,haircut`. */
export const LEAVES_CSV: LeavesFormat = { file: "leaves.csv", header: LEAVES_HEADER, amounts: ["base", "haircut"] };

/** `bankrupt.csv` (format v1.1): `account_key,loss`. */
export const BANKRUPT_CSV: LeavesFormat = { file: "bankrupt.csv", header: BANKRUPT_HEADER, amounts: ["loss"] };

/** The longest line accepted, in bytes, without its LF. A valid row has at most 144. */
export const MAX_LINE_BYTES = 256;

/**
 * One row of `leaves.csv`.
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

/** Options for {@linkcode LeavesParser}. */
export interface LeavesParserOptions {
  /**
   * The line number of the first line pushed. The default, 1, is the start of
   * the file, whose first line is the header. A larger number parses a slice
   * of the file that starts at that line: rows only, numbered as in the whole
   * file (leaf index = line - 2). The parallel verifier parses its batches so.
   */
  startLine?: number;
  /**
   * When true, `row.key` is a view of one buffer that the parser overwrites
   * with the next row's key: copy it to keep it. This saves an allocation per
   * row on hot paths (a fresh 32-byte array is the default).
   */
  reuseKey?: boolean;
  /** The file's layout: {@linkcode LEAVES_CSV} (the default) or {@linkcode BANKRUPT_CSV}. */
  format?: LeavesFormat;
}

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[0x61 + i] = 10 + i;

/**
 * Cuts a byte stream, pushed in chunks of any size, into LF-terminated
 * lines. It holds at most one partial line of `maxLineBytes`: a longer one
 * is dropped as it streams and delivered empty with `overlong` set, so
 * hostile input never grows memory.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #line: (bytes: Uint8Array, start: number, end: number, overlong: boolean) => void;
  #carry: Uint8Array = new Uint8Array(0);
  #overlong = false;

  /** Creates a splitter that hands each complete line, `bytes[start:end)` without its LF, to `line`. */
  constructor(
    maxLineBytes: number,
    line: (bytes: Uint8Array, start: number, end: number, overlong: boolean) => void,
  ) {
    this.#maxLineBytes = maxLineBytes;
    this.#line = line;
  }

  /** What is left after the last LF: the unterminated tail, and whether it was too long to keep. */
  get rest(): { bytes: Uint8Array; overlong: boolean } {
    return { bytes: this.#carry, overlong: this.#overlong };
  }

  /** Feeds the next chunk. */
  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      const overlong = this.#overlong;
      this.#overlong = false;
      if (this.#carry.length > 0) {
        const joined = new Uint8Array(this.#carry.length + nl - start);
        joined.set(this.#carry);
        joined.set(chunk.subarray(start, nl), this.#carry.length);
        this.#carry = new Uint8Array(0);
        this.#line(joined, 0, joined.length, overlong);
      } else {
        this.#line(chunk, start, nl, overlong);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (this.#carry.length + chunk.length - start > this.#maxLineBytes) {
        this.#overlong = true;
        this.#carry = new Uint8Array(0);
        return;
      }
      const joined = new Uint8Array(this.#carry.length + chunk.length - start);
      joined.set(this.#carry);
      joined.set(chunk.subarray(start), this.#carry.length);
      this.#carry = joined;
    }
  }
}

/**
 * Parses `leaves.csv` pushed in chunks.
 */
export class LeavesParser {
  readonly #handlers: LeavesParserHandlers;
  readonly #splitter = new LineSplitter(MAX_LINE_BYTES, (bytes, start, end, overlong) => {
    this.#lineDone(bytes, start, end, overlong);
  });
  #line: number;
  #rows = 0;
  readonly #key: Uint8Array | undefined;
  readonly #format: LeavesFormat;

  /**
   * Creates a parser that reports to `handlers`.
   *
   * @throws {RangeError} When `options.startLine` is not a positive safe integer.
   */
  constructor(handlers: LeavesParserHandlers, options: LeavesParserOptions = {}) {
    const startLine = options.startLine ?? 1;
    if (!Number.isSafeInteger(startLine) || startLine < 1) {
      throw new RangeError(`startLine must be a positive integer, got ${startLine}`);
    }
    this.#handlers = handlers;
    this.#line = startLine - 1;
    this.#key = options.reuseKey ? new Uint8Array(32) : undefined;
    this.#format = options.format ?? LEAVES_CSV;
  }

  /** The number of rows seen so far, valid or not (the header excluded). */
  get rows(): number {
    return this.#rows;
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array): void {
    this.#splitter.push(chunk);
  }

  /** Signals the end of the file (or of the slice). */
  end(): void {
    const rest = this.#splitter.rest;
    if (rest.overlong) {
      this.#line++;
      this.#invalid(`line ${this.#line}: longer than ${MAX_LINE_BYTES} bytes (and no final newline)`, this.#line > 1);
    } else if (rest.bytes.length > 0) {
      this.#line++;
      this.#invalid(`line ${this.#line}: the file does not end with a newline (truncated?)`, this.#line > 1);
    } else if (this.#line === 0) {
      this.#invalid(`line 1: the file is empty; expected the header ${this.#format.header}`, false);
    }
  }

  #invalid(message: string, isRow: boolean): void {
    const index = this.#line - 2;
    this.#handlers.invalid(isRow ? { code: "LEAF_INVALID", message, leaf: index } : { code: "LEAF_INVALID", message });
  }

  /** One line: `bytes[start:end)`, without its LF. */
  #lineDone(bytes: Uint8Array, start: number, end: number, overlong: boolean): void {
    this.#line++;
    const line = this.#line;
    if (overlong || end - start > MAX_LINE_BYTES) {
      if (line > 1) this.#rows++;
      this.#invalid(`line ${line}: longer than ${MAX_LINE_BYTES} bytes`, line > 1);
      return;
    }
    if (line === 1) {
      const header = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(start, end));
      if (header !== this.#format.header) {
        const hint = header.startsWith("\ufeff")
          ? " (remove the byte order mark)"
          : header.endsWith("\r")
          ? " (use LF line endings, not CRLF)"
          : "";
        this.#invalid(`line 1: header must be exactly ${this.#format.header}${hint}`, false);
      }
      return;
    }
    this.#rows++;
    const problem = parseRow(bytes, start, end, line, this.#key ?? new Uint8Array(32), this.#format, this.#handlers);
    if (problem) this.#invalid(`line ${line}: ${problem}`, true);
  }
}

/**
 * Parses the row `bytes[start:end)` on `line` of a file of `format`,
 * decoding its account key into `key`, and hands it to `handlers.row`. The
 * hot path of every verify: positional arguments and no allocation per row
 * (messages are built only for a malformed row).
 *
 * @returns The problem, or `undefined` when the row was delivered.
 */
function parseRow(
  bytes: Uint8Array,
  start: number,
  end: number,
  line: number,
  key: Uint8Array,
  format: LeavesFormat,
  handlers: LeavesParserHandlers,
): string | undefined {
  if (end === start) return "empty line";
  if (bytes[end - 1] === CR) return "CR before LF (use LF line endings, not CRLF)";
  const c1 = start + 64;
  if (c1 >= end || bytes[c1] !== COMMA) {
    // The first comma is not where it belongs: find out whether there is one at all.
    let c = start;
    while (c < end && bytes[c] !== COMMA) c++;
    return c === end ? columnsProblem(format) : "account_key must be 64 lowercase hex digits";
  }
  for (let i = 0, j = start; i < 32; i++, j += 2) {
    // A comma among the 64 digits fails here too, with the same message.
    const hi = HEX_VALUE[bytes[j]];
    const lo = HEX_VALUE[bytes[j + 1]];
    if (hi < 0 || lo < 0) return "account_key must be 64 lowercase hex digits";
    key[i] = (hi << 4) | lo;
  }
  let c2 = c1 + 1;
  while (c2 < end && bytes[c2] !== COMMA) c2++;
  const amounts = format.amounts;
  if (amounts.length === 1) {
    // One amount (bankrupt.csv): the loss is the leaf's base, its haircut 0.
    if (c2 !== end) return `expected 2 columns, found more`;
    const loss = parseDecimal(bytes, c1 + 1, end);
    if (loss === undefined) return `${amounts[0]} is not a canonical decimal below 2^128`;
    handlers.row({ index: line - 2, line, key, base: loss, haircut: 0n });
    return undefined;
  }
  if (c2 === end) return columnsProblem(format);
  for (let i = c2 + 1; i < end; i++) if (bytes[i] === COMMA) return "expected 3 columns, found more";
  const base = parseDecimal(bytes, c1 + 1, c2);
  if (base === undefined) return "base is not a canonical decimal below 2^128";
  const haircut = parseDecimal(bytes, c2 + 1, end);
  if (haircut === undefined) return "haircut is not a canonical decimal below 2^128";
  handlers.row({ index: line - 2, line, key, base, haircut });
  return undefined;
}

/** "expected 3 columns: account_key,base,haircut", or the same for `bankrupt.csv`. */
function columnsProblem(format: LeavesFormat): string {
  return `expected ${format.amounts.length + 1} columns: ${format.header}`;
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
 * One row of `leaves.csv`: `account_key,base,haircut` and its LF.
 */
export function leavesCsvLine(row: { key: string; base: bigint; haircut: bigint }): string {
  return `${row.key},${row.base},${row.haircut}\n`;
}
