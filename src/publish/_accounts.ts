/**
 * The publisher's input: the accounts of one tree and their salts. One
 * reader serves both publishers and every tree: {@linkcode AccountsReader}
 * streams an accounts CSV (`accounts.csv`, header `account,base`) into an
 * {@linkcode AccountTable}, which derives each account's salt and account key
 * as it stores it, and {@linkcode sortAccounts} puts the table in tree order
 * and finds duplicates. The {@linkcode AccountsFormat} names the file, its
 * header and its salt context, so a second tree over another file reuses all
 * of it.
 *
 * The table keeps accounts in typed arrays (ids in one byte arena, salts and
 * keys as 32-byte records, bases as numbers with a side table for the rare
 * ones above 2^53), and the sort by account key is a native sort of 64-bit
 * integers, so millions of accounts cost a few hundred bytes each.
 *
 * @module
 */

import { parseAmount } from "../core/amount.ts";
import { utf8 } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import { HmacSha256, sha256Into } from "../core/_sha256.ts";
import { ACCOUNT_KEY_PREFIX } from "../core/sum_tree.ts";
import { LineSplitter } from "../format/leaves.ts";
import { accountIdProblem, MAX_ACCOUNT_ID_BYTES } from "../format/proof.ts";

/**
 * What tells one tree's accounts file from another's: its name in messages,
 * its exact header, the name of its amount column, and the salt domain.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV } from "./_accounts.ts";
 * assert.equal(ACCOUNTS_CSV.header, "account,base");
 * ```
 */
export interface AccountsFormat {
  /** The file's name in messages, e.g. `accounts.csv`. */
  readonly file: string;
  /** The exact first line, `account,<amount>`. */
  readonly header: string;
  /** The amount column's name in messages, e.g. `base`. */
  readonly amount: string;
  /** The amounts' name in the total's message, e.g. `bases`. */
  readonly amounts: string;
  /**
   * The salt domain: `undefined` for `HMAC(secret, event || 0x00 || id)`, or a
   * label for `HMAC(secret, label || 0x00 || event || 0x00 || id)`.
   */
  readonly saltDomain?: string;
}

/**
 * The main tree's input: `accounts.csv` with the header `account,base`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV } from "./_accounts.ts";
 * assert.equal(ACCOUNTS_CSV.saltDomain, undefined); // salts are HMAC(secret, event || 0x00 || id)
 * ```
 */
export const ACCOUNTS_CSV: AccountsFormat = {
  file: "accounts.csv",
  header: "account,base",
  amount: "base",
  amounts: "bases",
};

/**
 * The deficit tree's input (format v1.1): the bankrupt accounts file with the
 * header `account,loss`, salted in the `deficit` domain, so that a bankrupt
 * leaf cannot be linked to the same account's leaf in the main tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BANKRUPT_ACCOUNTS_CSV } from "./_accounts.ts";
 * assert.equal(BANKRUPT_ACCOUNTS_CSV.saltDomain, "deficit"); // HMAC(secret, "deficit" || 0x00 || event || 0x00 || id)
 * ```
 */
export const BANKRUPT_ACCOUNTS_CSV: AccountsFormat = {
  file: "bankrupt-accounts.csv",
  header: "account,loss",
  amount: "loss",
  amounts: "losses",
  saltDomain: "deficit",
};

/**
 * The bytes a salt's HMAC message starts with, before the account id:
 * `UTF8(event) || 0x00`, or `UTF8(domain) || 0x00 || UTF8(event) || 0x00`
 * with a domain.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { saltMessagePrefix } from "./_accounts.ts";
 * assert.deepEqual(saltMessagePrefix("e1"), Uint8Array.of(101, 49, 0));
 * assert.equal(saltMessagePrefix("e1", "deficit").length, 11);
 * ```
 */
export function saltMessagePrefix(event: string, domain?: string): Uint8Array {
  const parts = domain === undefined ? [utf8(event)] : [utf8(domain), utf8(event)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1;
  }
  return out;
}

/**
 * Derives salts, `HMAC-SHA256(secret, prefix || id)`, and account keys,
 * `SHA256(0x02 || salt || id)`, without allocating per account: the one salt
 * derivation of the publisher.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accountKey } from "../../tree.ts";
 * import { saltMessagePrefix, SaltDeriver } from "./_accounts.ts";
 * const deriver = new SaltDeriver(new TextEncoder().encode("secret"), saltMessagePrefix("e1"));
 * const out = new Uint8Array(64);
 * const id = new TextEncoder().encode("alice");
 * deriver.deriveInto(id, 0, id.length, out, 0); // salt in out[0:32), account key in out[32:64)
 * assert.deepEqual(out.subarray(32), accountKey(out.subarray(0, 32), "alice"));
 * ```
 */
export class SaltDeriver {
  readonly #mac: HmacSha256;
  readonly #prefix: Uint8Array;
  #message: Uint8Array;
  #keyInput: Uint8Array;

  /** Creates a deriver for one secret and one {@linkcode saltMessagePrefix}. */
  constructor(secret: Uint8Array, prefix: Uint8Array) {
    this.#mac = new HmacSha256(secret);
    this.#prefix = prefix.slice();
    this.#message = new Uint8Array(0);
    this.#keyInput = new Uint8Array(0);
    this.#reserve(MAX_ACCOUNT_ID_BYTES);
  }

  #reserve(idBytes: number): void {
    if (this.#keyInput.length >= 33 + idBytes) return;
    this.#message = new Uint8Array(this.#prefix.length + idBytes);
    this.#message.set(this.#prefix);
    this.#keyInput = new Uint8Array(33 + idBytes);
    this.#keyInput[0] = ACCOUNT_KEY_PREFIX;
  }

  /**
   * Writes the salt of the id `id[start:end)` to `out[at:at+32)` and its
   * account key to `out[at+32:at+64)`. Ids of any length are hashed; only
   * those above 256 bytes allocate.
   */
  deriveInto(id: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void {
    const length = end - start;
    this.#reserve(length);
    const message = this.#message;
    const input = this.#keyInput;
    const prefix = this.#prefix.length;
    for (let i = 0; i < length; i++) {
      message[prefix + i] = id[start + i];
      input[33 + i] = id[start + i];
    }
    this.#mac.digestInto(message, 0, prefix + length, out, at);
    for (let i = 0; i < 32; i++) input[1 + i] = out[at + i];
    sha256Into(input, 0, 33 + length, out, at + 32);
  }
}

/** A growable byte array. */
class Bytes {
  data: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint8Array(capacity);
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Uint8Array(Math.max(2 * this.data.length, this.length + extra));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** A growable array of numbers. */
class Numbers<A extends Float64Array | Uint32Array> {
  length = 0;
  constructor(public data: A, readonly make: (n: number) => A) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(2 * this.data.length);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/** Decodes stored ids exactly as they were hashed: a leading U+FEFF is part of the id. */
const ID_DECODER = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Accounts in the order they were added, each with its salt and account key:
 * ids in one byte arena, bases below 2^53 as numbers (the rest in a map),
 * and an origin per account (its line, or its index) for messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccountTable, saltMessagePrefix, SaltDeriver } from "./_accounts.ts";
 * const table = new AccountTable(new SaltDeriver(new Uint8Array(32), saltMessagePrefix("e1")));
 * table.add(new TextEncoder().encode("alice"), 0, 5, { base: 7n, origin: 2 });
 * assert.equal(table.id(0), "alice");
 * assert.equal(table.base(0), 7n);
 * ```
 */
export class AccountTable {
  readonly #deriver: SaltDeriver;
  /** UTF-8 ids, one after another. */
  readonly #ids = new Bytes(1 << 16);
  /** `#idEnd[i]`: where id i ends in `#ids` (it starts where i - 1 ends). */
  readonly #idEnd = new Numbers(new Float64Array(1024), (n) => new Float64Array(n));
  /** Bases below 2^53; NaN where the base is in `#bigBases`. */
  readonly #bases = new Numbers(new Float64Array(1024), (n) => new Float64Array(n));
  readonly #bigBases = new Map<number, bigint>();
  /** Per account 64 bytes: the salt, then the account key. */
  readonly #secrets = new Bytes(1 << 16);
  readonly #origins = new Numbers(new Uint32Array(1024), (n) => new Uint32Array(n));

  /** Creates an empty table whose salts come from `deriver`. */
  constructor(deriver: SaltDeriver) {
    this.#deriver = deriver;
  }

  /** How many accounts. */
  get count(): number {
    return this.#bases.length;
  }

  /** The account keys, 32 bytes each at `64 * i + 32`: see {@linkcode AccountTable.keyOffset}. */
  get records(): Uint8Array {
    return this.#secrets.data;
  }

  /**
   * Stores the account with id `id[start:end)`, derives its salt and key.
   *
   * Preconditions: the id is valid ({@linkcode csvAccountIdProblem}); `base`
   * is in [0, 2^128); `origin` is a non-negative integer below 2^32.
   */
  add(id: Uint8Array, start: number, end: number, row: { base: bigint | number; origin: number }): void {
    const i = this.count;
    const ids = this.#ids;
    ids.reserve(end - start);
    ids.data.set(id.subarray(start, end), ids.length);
    ids.length += end - start;
    this.#idEnd.push(ids.length);
    if (typeof row.base === "number") {
      this.#bases.push(row.base);
    } else if (row.base > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.#bases.push(NaN);
      this.#bigBases.set(i, row.base);
    } else {
      this.#bases.push(Number(row.base));
    }
    this.#origins.push(row.origin);
    const secrets = this.#secrets;
    secrets.reserve(64);
    this.#deriver.deriveInto(id, start, end, secrets.data, secrets.length);
    secrets.length += 64;
  }

  /** The base of account `i`. */
  base(i: number): bigint {
    const v = this.#bases.data[i];
    return v === v ? BigInt(v) : this.#bigBases.get(i)!;
  }

  /** The id of account `i`. */
  id(i: number): string {
    const start = i === 0 ? 0 : this.#idEnd.data[i - 1];
    return ID_DECODER.decode(this.#ids.data.subarray(start, this.#idEnd.data[i]));
  }

  /** The origin (line or index) of account `i`. */
  origin(i: number): number {
    return this.#origins.data[i];
  }

  /** The salt of account `i`, a view into the table. */
  salt(i: number): Uint8Array {
    return this.#secrets.data.subarray(64 * i, 64 * i + 32);
  }

  /** Where the account key of account `i` starts in {@linkcode AccountTable.records}. */
  keyOffset(i: number): number {
    return 64 * i + 32;
  }
}

/**
 * Checks an id read from an accounts CSV: {@linkcode accountIdProblem}'s
 * rule, and no comma or quote, which the CSV format cannot carry.
 *
 * @returns A one-line problem, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvAccountIdProblem } from "./_accounts.ts";
 * assert.equal(csvAccountIdProblem("alice"), undefined);
 * assert.equal(csvAccountIdProblem('a"b'), "account id must not contain commas or quotes in accounts.csv");
 * ```
 */
export function csvAccountIdProblem(id: string, file = "accounts.csv"): string | undefined {
  return accountIdProblem(id) ??
    (/[",]/.test(id) ? `account id must not contain commas or quotes in ${file}` : undefined);
}

const COMMA = 0x2c;
const QUOTE = 0x22;
/** The longest accounts line read: an id of 256 bytes, a comma and a 39-digit amount fit with room to spare. */
const MAX_ACCOUNT_LINE = 1 << 16;

/**
 * A problem found in an accounts file, by line.
 *
 * @example
 * ```ts
 * import type { AccountsProblem } from "./_accounts.ts";
 * const p: AccountsProblem = { line: 3, message: "accounts.csv line 3: duplicate account \"alice\"" };
 * ```
 */
export interface AccountsProblem {
  /** The 1-based line. */
  line: number;
  /** The whole message, starting with the file and line. */
  message: string;
}

/**
 * Streams an accounts CSV into an {@linkcode AccountTable}: the header, then
 * one `id,amount` row per account, LF line endings. Chunks may split lines
 * anywhere. Row problems are kept, not thrown, so that the first one by line
 * can be weighed against a duplicate found later (see
 * {@linkcode sortAccounts}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, AccountsReader, AccountTable, saltMessagePrefix, SaltDeriver } from "./_accounts.ts";
 * const table = new AccountTable(new SaltDeriver(new Uint8Array(32), saltMessagePrefix("e1")));
 * const reader = new AccountsReader(ACCOUNTS_CSV, table);
 * reader.push(new TextEncoder().encode("account,base\nalice,7\nbob,x\n"));
 * reader.end();
 * assert.equal(reader.problem?.message, 'accounts.csv line 3: base amount "x" is not a canonical decimal below 2^128');
 * ```
 */
export class AccountsReader {
  /** The first problem on a row, if any. */
  problem: AccountsProblem | undefined;
  readonly #format: AccountsFormat;
  readonly #table: AccountTable;
  #line = 0;
  readonly #splitter = new LineSplitter(MAX_ACCOUNT_LINE, (bytes, start, end, overlong) => {
    this.#lineDone(bytes, start, end, overlong);
  });
  /** Decodes as `Deno.readTextFile` decodes the whole file: a BOM counts only at its start. */
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  /** Creates a reader of `format` that stores into `table`. */
  constructor(format: AccountsFormat, table: AccountTable) {
    this.#format = format;
    this.#table = table;
  }

  /** Feeds the next chunk. */
  push(chunk: Uint8Array): void {
    this.#splitter.push(chunk);
  }

  /**
   * Ends the file.
   *
   * @throws {InputError} When the header is wrong or the last line has no LF:
   * those come before any row problem.
   */
  end(): void {
    const { bytes, overlong } = this.#splitter.rest;
    if (this.#line === 0 && bytes.length === 0 && !overlong) this.#badHeader();
    if (bytes.length > 0 || overlong) {
      if (this.#line === 0) this.#header(bytes, 0, bytes.length, overlong);
      throw new InputError(`${this.#format.file} line ${this.#line + 1}: missing final newline`);
    }
  }

  #badHeader(): never {
    throw new InputError(`${this.#format.file} line 1: header must be exactly ${this.#format.header}`);
  }

  #header(bytes: Uint8Array, start: number, end: number, overlong: boolean): void {
    if (overlong || new TextDecoder().decode(bytes.subarray(start, end)) !== this.#format.header) this.#badHeader();
  }

  #lineDone(bytes: Uint8Array, start: number, end: number, overlong: boolean): void {
    const line = ++this.#line;
    if (line === 1) {
      this.#header(bytes, start, end, overlong);
      return;
    }
    if (this.problem) return;
    const problem = overlong ? `longer than ${MAX_ACCOUNT_LINE} bytes` : this.#row(bytes, start, end, line);
    if (problem) this.problem = { line, message: `${this.#format.file} line ${line}: ${problem}` };
  }

  /** Reads one row; returns its problem, or stores the account. */
  #row(bytes: Uint8Array, start: number, end: number, line: number): string | undefined {
    const columns = `expected 2 columns: ${this.#format.header}`;
    let comma = -1;
    let ascii = true;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b === COMMA) {
        if (comma !== -1) return columns;
        comma = i;
      } else if (b < 0x20 || b >= 0x7f || b === QUOTE) {
        ascii = false;
      }
    }
    if (comma === -1) return columns;
    let idStart = start;
    let idEnd = comma;
    let idBytes = bytes;
    if (!ascii || comma - start === 0 || comma - start > MAX_ACCOUNT_ID_BYTES) {
      // Anything but a plain printable-ASCII id takes the reference path, on the decoded text.
      const id = this.#decoder.decode(bytes.subarray(start, comma));
      const problem = csvAccountIdProblem(id, this.#format.file);
      if (problem) return problem;
      idBytes = utf8(id);
      idStart = 0;
      idEnd = idBytes.length;
    }
    let base: bigint | number = 0;
    const digits = end - comma - 1;
    let canonical = digits >= 1 && digits <= 15 && (bytes[comma + 1] !== 0x30 || digits === 1);
    for (let i = comma + 1; canonical && i < end; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) canonical = false;
      else base = base * 10 + d;
    }
    if (!canonical) {
      try {
        base = parseAmount(this.#decoder.decode(bytes.subarray(comma + 1, end)));
      } catch (e) {
        return `${this.#format.amount} ${(e as Error).message}`;
      }
    }
    this.#table.add(idBytes, idStart, idEnd, { base, origin: line });
    return undefined;
  }
}

/**
 * A table in tree order: `order[j]` is the table index of leaf `j`, and
 * `bases[j]` its base; `total` is their sum (which the engine checks is
 * below 2^128).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, readAccountsSync, saltMessagePrefix, SaltDeriver, type SortedAccounts } from "./_accounts.ts";
 * const deriver = new SaltDeriver(new Uint8Array(32), saltMessagePrefix("e1"));
 * const s: SortedAccounts = readAccountsSync(new TextEncoder().encode("account,base\na,1\nb,2\n"), ACCOUNTS_CSV, deriver);
 * assert.deepEqual(s.bases, Array.from(s.order, (i) => s.table.base(i)));
 * ```
 */
export interface SortedAccounts {
  /** The accounts. */
  readonly table: AccountTable;
  /** Table indices in ascending account-key order. */
  readonly order: Uint32Array;
  /** The bases in tree order. */
  readonly bases: readonly bigint[];
  /** The sum of the bases. */
  readonly total: bigint;
}

/**
 * Sorts a table by account key and checks it: the first problem by line
 * wins, between the reader's (`problem`, which wins a tie, as a row's own
 * checks come first) and a duplicate account (equal ids have equal keys, so
 * they sit side by side in key order).
 *
 * @throws {InputError} With that problem, or when there is no account.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, AccountTable, saltMessagePrefix, SaltDeriver, sortAccounts } from "./_accounts.ts";
 * const table = new AccountTable(new SaltDeriver(new Uint8Array(32), saltMessagePrefix("e1")));
 * const id = new TextEncoder().encode("alice");
 * table.add(id, 0, 5, { base: 7n, origin: 2 });
 * assert.equal(sortAccounts(table, { format: ACCOUNTS_CSV, where: (line) => `accounts.csv line ${line}` }).total, 7n);
 * ```
 */
export function sortAccounts(
  table: AccountTable,
  context: { format: AccountsFormat; where: (origin: number) => string; problem?: AccountsProblem },
): SortedAccounts {
  const n = table.count;
  const order = sortByKey(table, n);
  const duplicate = findDuplicate(table, order, context.where);
  const { problem } = context;
  const first = duplicate && (!problem || duplicate.line < problem.line) ? duplicate : problem;
  if (first) throw new InputError(first.message);
  if (n === 0) throw new InputError(`${context.format.file} has no accounts: the empty tree is invalid`);
  const bases = Array.from(order, (i) => table.base(i));
  let total = 0n;
  for (const b of bases) total += b;
  return { table, order, bases, total };
}

/**
 * Sorts account indices by their 32-byte keys: a native sort of 64-bit
 * integers that hold the key's leading bits above the index, then a bytewise
 * sort of any run whose leading bits tie.
 */
function sortByKey(table: AccountTable, n: number): Uint32Array {
  const keys = table.records;
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const shift = BigInt(indexBits);
  const view = new DataView(keys.buffer, keys.byteOffset, keys.byteLength);
  const packed = new BigUint64Array(n);
  for (let i = 0; i < n; i++) packed[i] = ((view.getBigUint64(table.keyOffset(i)) >> shift) << shift) | BigInt(i);
  packed.sort();
  const order = new Uint32Array(n);
  const mask = (1n << shift) - 1n;
  for (let i = 0; i < n; i++) order[i] = Number(packed[i] & mask);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && packed[j] >> shift === packed[i] >> shift) j++;
    if (j - i > 1) {
      const run = Array.from(order.subarray(i, j)).sort((a, b) => compareKeys(table, a, b) || a - b);
      order.set(run, i);
    }
    i = j;
  }
  return order;
}

function compareKeys(table: AccountTable, a: number, b: number): number {
  const keys = table.records;
  const x = table.keyOffset(a);
  const y = table.keyOffset(b);
  for (let i = 0; i < 32; i++) if (keys[x + i] !== keys[y + i]) return keys[x + i] - keys[y + i];
  return 0;
}

/** The first origin that repeats an earlier account's id, as a problem. */
function findDuplicate(
  table: AccountTable,
  order: Uint32Array,
  where: (origin: number) => string,
): AccountsProblem | undefined {
  let best: { line: number; index: number } | undefined;
  const n = order.length;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && compareKeys(table, order[i], order[j]) === 0) j++;
    if (j - i > 1) {
      const origins = Array.from(order.subarray(i, j), (k) => table.origin(k)).sort((a, b) => a - b);
      const index = order.subarray(i, j).find((k) => table.origin(k) === origins[1])!;
      if (!best || origins[1] < best.line) best = { line: origins[1], index };
    }
    i = j;
  }
  if (!best) return undefined;
  return { line: best.line, message: `${where(best.line)}: duplicate account ${JSON.stringify(table.id(best.index))}` };
}

/**
 * Reads a whole accounts CSV from chunks into a sorted table: the one path
 * from bytes to accounts, for both publishers.
 *
 * @throws {InputError} With the first problem, as {@linkcode sortAccounts}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, readAccounts, saltMessagePrefix, SaltDeriver } from "./_accounts.ts";
 * const deriver = new SaltDeriver(new Uint8Array(32), saltMessagePrefix("e1"));
 * const sorted = await readAccounts([new TextEncoder().encode("account,base\nalice,7\n")], ACCOUNTS_CSV, deriver);
 * assert.equal(sorted.total, 7n);
 * ```
 */
export async function readAccounts(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  format: AccountsFormat,
  deriver: SaltDeriver,
): Promise<SortedAccounts> {
  const table = new AccountTable(deriver);
  const reader = new AccountsReader(format, table);
  for await (const chunk of chunks) reader.push(chunk);
  return finishReading(reader, table, format);
}

/**
 * {@linkcode readAccounts} for bytes at hand, synchronously.
 *
 * @throws {InputError} With the first problem, as {@linkcode sortAccounts}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, readAccountsSync, saltMessagePrefix, SaltDeriver } from "./_accounts.ts";
 * const deriver = new SaltDeriver(new Uint8Array(32), saltMessagePrefix("e1"));
 * assert.equal(readAccountsSync(new TextEncoder().encode("account,base\nalice,7\n"), ACCOUNTS_CSV, deriver).total, 7n);
 * ```
 */
export function readAccountsSync(bytes: Uint8Array, format: AccountsFormat, deriver: SaltDeriver): SortedAccounts {
  const table = new AccountTable(deriver);
  const reader = new AccountsReader(format, table);
  reader.push(bytes);
  return finishReading(reader, table, format);
}

function finishReading(reader: AccountsReader, table: AccountTable, format: AccountsFormat): SortedAccounts {
  reader.end();
  return sortAccounts(table, { format, where: (line) => `${format.file} line ${line}`, problem: reader.problem });
}
