/**
 * The venue side at scale: {@linkcode publishToDirectory} reads
 * `accounts.csv` as a stream of bytes and writes a publication for millions
 * of accounts without ever building one giant string. Accounts live in typed
 * arrays (ids in one byte arena, salts and account keys as 32-byte records,
 * bases as numbers with a side table for the rare ones above 2^53); the sort
 * by account key is a native sort of 64-bit integers (key prefix, then the
 * index), with ties settled on the whole key; `leaves.csv` and the proofs are
 * written incrementally.
 *
 * It produces exactly what {@linkcode buildPublication} produces for the same
 * accounts and salt secret (`tests/publish_stream_test.ts` checks it), and
 * `haircut publish` uses it. Without a salt secret it draws a random one for
 * the run, so salts stay unpredictable and per account.
 *
 * @module
 */

import { allocate } from "../rules/allocation.ts";
import { AMOUNT_LIMIT, parseAmount } from "../core/amount.ts";
import { bytesToHex, utf8 } from "../core/encoding.ts";
import { type Envelope, envelopeToJson } from "../format/dsse.ts";
import { keysFileJson, type SigningKey } from "../format/keys.ts";
import { InputError } from "../core/errors.ts";
import { LEAVES_HEADER, LineSplitter } from "../format/leaves.ts";
import { csvAccountIdProblem, eventAmounts, type EventSpec, signStatement } from "./build.ts";
import { HmacSha256, sha256Into, sha256PrefixedInto } from "../core/_sha256.ts";
import type { Statement } from "../format/statement.ts";
import {
  ACCOUNT_KEY_PREFIX,
  LEAF_PREFIX,
  NODE_PREFIX,
  sumHasher,
  type SumNode,
  SumNodeSlab,
} from "../core/sum_tree.ts";
import { inclusionPath, type NodeHasher, RootBuilder, treeLevels } from "../core/tree.ts";
import { MAX_ACCOUNT_ID_BYTES, PROOF_TYPE } from "../format/proof.ts";
import { chunksOf } from "../verify/_parallel.ts";

/**
 * How proofs are written: `files` (one `proofs/<account key>.json` per
 * account), `ndjson` (one compact proof per line in `proofs.ndjson`, for the
 * venue to deliver), or `none`.
 *
 * @example
 * ```ts
 * import type { ProofsMode } from "./directory.ts";
 * const mode: ProofsMode = "ndjson";
 * ```
 */
export type ProofsMode = "files" | "ndjson" | "none";

/** The proof modes, for argument checking. */
export const PROOFS_MODES: readonly ProofsMode[] = ["files", "ndjson", "none"];

/**
 * Options for {@linkcode publishToDirectory}.
 *
 * @example
 * ```ts
 * import type { PublishToDirectoryOptions } from "./directory.ts";
 * const o: PublishToDirectoryOptions = { proofs: "ndjson" };
 * ```
 */
export interface PublishToDirectoryOptions {
  /** Makes salts deterministic: `HMAC-SHA256(saltSecret, event || 0x00 || account)`. */
  saltSecret?: Uint8Array;
  /** How to write proofs. Default `files`. */
  proofs?: ProofsMode;
  /** Writes proofs only for the leaves (by tree index) it accepts; default all. */
  proofFor?: (index: number) => boolean;
  /** The threshold written in the convenience `keys.json`; default: every signer. */
  threshold?: number;
  /** Publishes with no signature (`signers` must be empty) and no `keys.json`, for `haircut sign` or `attach`. */
  unsigned?: boolean;
}

/**
 * What {@linkcode publishToDirectory} wrote.
 *
 * @example
 * ```ts
 * import type { PublishedDirectory } from "./directory.ts";
 * declare const p: PublishedDirectory;
 * p.statement.tree.leafCount === p.accounts;
 * ```
 */
export interface PublishedDirectory {
  /** The signed statement. */
  statement: Statement;
  /** Its digest. */
  digest: string;
  /** How many accounts. */
  accounts: number;
  /** How many proofs were written. */
  proofs: number;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const RECORD = 64;
/** The longest `accounts.csv` line read: an id of 256 bytes, a comma and a 39-digit base fit with room to spare. */
const MAX_ACCOUNT_LINE = 1 << 16;

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

/** The accounts read so far, in file order. */
/** Decodes stored ids exactly as they were hashed: a leading U+FEFF is part of the id. */
const ID_DECODER = new TextDecoder("utf-8", { ignoreBOM: true });

class Accounts {
  /** UTF-8 ids, one after another. */
  readonly ids = new Bytes(1 << 16);
  /** `idEnd[i]`: where id i ends in `ids` (it starts where i - 1 ends). */
  readonly idEnd = new Numbers(new Float64Array(1024), (n) => new Float64Array(n));
  /** Bases below 2^53; NaN where the base is in `bigBases`. */
  readonly bases = new Numbers(new Float64Array(1024), (n) => new Float64Array(n));
  readonly bigBases = new Map<number, bigint>();
  /** 32-byte salts. */
  readonly salts = new Bytes(1 << 15);
  /** 32-byte account keys. */
  readonly keys = new Bytes(1 << 15);
  /** The 1-based line of each account. */
  readonly lines = new Numbers(new Uint32Array(1024), (n) => new Uint32Array(n));

  get count(): number {
    return this.bases.length;
  }

  base(i: number): bigint {
    const v = this.bases.data[i];
    return v === v ? BigInt(v) : this.bigBases.get(i)!;
  }

  idStart(i: number): number {
    return i === 0 ? 0 : this.idEnd.data[i - 1];
  }

  id(i: number): string {
    return ID_DECODER.decode(this.ids.data.subarray(this.idStart(i), this.idEnd.data[i]));
  }
}

/** Derives salts and account keys for ids as they are read. */
class KeyDeriver {
  readonly #mac: HmacSha256;
  readonly #message: Uint8Array;
  readonly #prefix: number;
  readonly #keyInput = new Uint8Array(1 + 32 + MAX_ACCOUNT_ID_BYTES);

  constructor(secret: Uint8Array, event: string) {
    this.#mac = new HmacSha256(secret);
    const e = utf8(event);
    this.#message = new Uint8Array(e.length + 1 + MAX_ACCOUNT_ID_BYTES);
    this.#message.set(e);
    this.#prefix = e.length + 1;
    this.#keyInput[0] = ACCOUNT_KEY_PREFIX;
  }

  /** Writes the salt and the account key of the id `id[start:end)` into the accounts' arrays. */
  derive(accounts: Accounts, id: Uint8Array, start: number, end: number): void {
    const { salts, keys } = accounts;
    const length = end - start;
    const message = this.#message;
    const input = this.#keyInput;
    for (let i = 0; i < length; i++) {
      message[this.#prefix + i] = id[start + i];
      input[33 + i] = id[start + i];
    }
    salts.reserve(32);
    this.#mac.digestInto(message, 0, this.#prefix + length, salts.data, salts.length);
    input.set(salts.data.subarray(salts.length, salts.length + 32), 1);
    salts.length += 32;
    keys.reserve(32);
    sha256Into(input, 0, 33 + length, keys.data, keys.length);
    keys.length += 32;
  }
}

/** Reads `accounts.csv` with the rules and messages of `parseAccountsCsv`. */
class AccountsReader {
  readonly accounts = new Accounts();
  /** The first problem on a row (a duplicate found later may still come first). */
  problem: { line: number; message: string } | undefined;
  #line = 0;
  readonly #splitter = new LineSplitter(MAX_ACCOUNT_LINE, (bytes, start, end, overlong) => {
    this.#lineDone(bytes, start, end, overlong);
  });
  readonly #deriver: KeyDeriver;
  /** Decodes as `Deno.readTextFile` decodes the whole file: a BOM counts only at its start. */
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  constructor(deriver: KeyDeriver) {
    this.#deriver = deriver;
  }

  push(chunk: Uint8Array): void {
    this.#splitter.push(chunk);
  }

  /** Ends the file; throws what `parseAccountsCsv` throws first, except duplicates (see {@linkcode findDuplicate}). */
  end(): void {
    const { bytes, overlong } = this.#splitter.rest;
    if (this.#line === 0 && bytes.length === 0 && !overlong) {
      throw new InputError("accounts.csv line 1: header must be exactly account,base");
    }
    if (bytes.length > 0 || overlong) {
      if (this.#line === 0) this.#header(bytes, 0, bytes.length, overlong);
      throw new InputError(`accounts.csv line ${this.#line + 1}: missing final newline`);
    }
  }

  #header(bytes: Uint8Array, start: number, end: number, overlong: boolean): void {
    if (overlong || new TextDecoder().decode(bytes.subarray(start, end)) !== "account,base") {
      throw new InputError("accounts.csv line 1: header must be exactly account,base");
    }
  }

  #lineDone(bytes: Uint8Array, start: number, end: number, overlong: boolean): void {
    const line = ++this.#line;
    if (line === 1) {
      this.#header(bytes, start, end, overlong);
      return;
    }
    if (overlong) {
      this.problem ??= { line, message: `accounts.csv line ${line}: longer than ${MAX_ACCOUNT_LINE} bytes` };
      return;
    }
    if (this.problem) return;
    const problem = this.#row(bytes, start, end, line);
    if (problem) this.problem = { line, message: `accounts.csv line ${line}: ${problem}` };
  }

  /** Reads one row; returns its problem, or stores the account. */
  #row(bytes: Uint8Array, start: number, end: number, line: number): string | undefined {
    let comma = -1;
    let ascii = true;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b === COMMA) {
        if (comma !== -1) return "expected 2 columns: account,base";
        comma = i;
      } else if (b < 0x20 || b >= 0x7f || b === QUOTE) {
        ascii = false;
      }
    }
    if (comma === -1) return "expected 2 columns: account,base";
    const { accounts } = this;
    let idStart = start;
    let idEnd = comma;
    let idBytes = bytes;
    if (!ascii || comma - start === 0 || comma - start > MAX_ACCOUNT_ID_BYTES) {
      // Anything but a plain printable-ASCII id takes the reference path, on the decoded text.
      const id = this.#decoder.decode(bytes.subarray(start, comma));
      const problem = csvAccountIdProblem(id);
      if (problem) return problem;
      idBytes = utf8(id);
      idStart = 0;
      idEnd = idBytes.length;
    }
    let base = 0;
    let big: bigint | undefined;
    const digits = end - comma - 1;
    let canonical = digits >= 1 && digits <= 15 && (bytes[comma + 1] !== 0x30 || digits === 1);
    for (let i = comma + 1; canonical && i < end; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) canonical = false;
      else base = base * 10 + d;
    }
    if (!canonical) {
      try {
        big = parseAmount(this.#decoder.decode(bytes.subarray(comma + 1, end)));
      } catch (e) {
        return `base ${(e as Error).message}`;
      }
    }
    const i = accounts.count;
    const length = idEnd - idStart;
    accounts.ids.reserve(length);
    accounts.ids.data.set(idBytes.subarray(idStart, idEnd), accounts.ids.length);
    accounts.ids.length += length;
    accounts.idEnd.push(accounts.ids.length);
    if (big !== undefined && big > BigInt(Number.MAX_SAFE_INTEGER)) {
      accounts.bases.push(NaN);
      accounts.bigBases.set(i, big);
    } else {
      accounts.bases.push(big !== undefined ? Number(big) : base);
    }
    accounts.lines.push(line);
    this.#deriver.derive(accounts, idBytes, idStart, idEnd);
    return undefined;
  }
}

/**
 * Sorts account indices by their 32-byte keys: a native sort of 64-bit
 * integers that hold the key's leading bits above the index, then a bytewise
 * sort of any run whose leading bits tie.
 *
 * @returns The indices in ascending key order.
 */
function sortByKey(keys: Uint8Array, n: number): Uint32Array {
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const shift = BigInt(indexBits);
  const view = new DataView(keys.buffer, keys.byteOffset, keys.byteLength);
  const packed = new BigUint64Array(n);
  for (let i = 0; i < n; i++) packed[i] = ((view.getBigUint64(32 * i) >> shift) << shift) | BigInt(i);
  packed.sort();
  const order = new Uint32Array(n);
  const mask = (1n << shift) - 1n;
  for (let i = 0; i < n; i++) order[i] = Number(packed[i] & mask);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && packed[j] >> shift === packed[i] >> shift) j++;
    if (j - i > 1) {
      const run = Array.from(order.subarray(i, j)).sort((a, b) => compareKeyAt(keys, a, b) || a - b);
      order.set(run, i);
    }
    i = j;
  }
  return order;
}

function compareKeyAt(keys: Uint8Array, a: number, b: number): number {
  const x = 32 * a;
  const y = 32 * b;
  for (let i = 0; i < 32; i++) if (keys[x + i] !== keys[y + i]) return keys[x + i] - keys[y + i];
  return 0;
}

/**
 * The first line (in file order) that repeats an earlier account, as
 * `parseAccountsCsv` reports it: equal ids have equal salts and keys, so
 * they sit side by side in key order.
 */
function findDuplicate(accounts: Accounts, order: Uint32Array): { line: number; message: string } | undefined {
  let best: { line: number; index: number } | undefined;
  const n = order.length;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && compareKeyAt(accounts.keys.data, order[i], order[j]) === 0) j++;
    if (j - i > 1) {
      const lines = Array.from(order.subarray(i, j), (k) => accounts.lines.data[k]).sort((a, b) => a - b);
      const index = order.subarray(i, j).find((k) => accounts.lines.data[k] === lines[1])!;
      if (!best || lines[1] < best.line) best = { line: lines[1], index };
    }
    i = j;
  }
  if (!best) return undefined;
  return {
    line: best.line,
    message: `accounts.csv line ${best.line}: duplicate account ${JSON.stringify(accounts.id(best.index))}`,
  };
}

/**
 * Sum-tree nodes as 64-byte records in one arena (leaves first, then each
 * level), for {@linkcode treeLevels} over a whole publication: its nodes are
 * record numbers.
 */
class RecordArena implements NodeHasher<number> {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  readonly #pair = new Uint8Array(2 * RECORD);
  #next = 0;

  constructor(records: number) {
    this.bytes = new Uint8Array(records * RECORD);
    this.#view = new DataView(this.bytes.buffer);
  }

  leaf(key: Uint8Array, keyOffset: number, base: bigint, haircut: bigint): number {
    const at = this.#next * RECORD;
    this.bytes.set(key.subarray(keyOffset, keyOffset + 32), at);
    writeU128(this.#view, at + 32, base);
    writeU128(this.#view, at + 48, haircut);
    sha256PrefixedInto(LEAF_PREFIX, this.bytes, at, RECORD, this.bytes, at);
    return this.#next++;
  }

  children(left: number, right: number): number {
    const pair = this.#pair;
    pair.set(this.bytes.subarray(left * RECORD, left * RECORD + RECORD), 0);
    pair.set(this.bytes.subarray(right * RECORD, right * RECORD + RECORD), RECORD);
    const at = this.#next * RECORD;
    const node = this.node(left);
    const other = this.node(right);
    const base = node.base + other.base;
    const haircut = node.haircut + other.haircut;
    if (base >= AMOUNT_LIMIT || haircut >= AMOUNT_LIMIT) throw new RangeError(`node sum reaches 2^128`);
    sha256PrefixedInto(NODE_PREFIX, pair, 0, 2 * RECORD, this.bytes, at);
    writeU128(this.#view, at + 32, base);
    writeU128(this.#view, at + 48, haircut);
    return this.#next++;
  }

  node(record: number): SumNode {
    const at = record * RECORD;
    const v = this.#view;
    return {
      hash: this.bytes.subarray(at, at + 32),
      base: (v.getBigUint64(at + 32) << 64n) | v.getBigUint64(at + 40),
      haircut: (v.getBigUint64(at + 48) << 64n) | v.getBigUint64(at + 56),
    };
  }
}

function writeU128(view: DataView, offset: number, value: bigint): void {
  view.setBigUint64(offset, value >> 64n);
  view.setBigUint64(offset + 8, value & 0xffffffffffffffffn);
}

/** Writes bytes to a file through a large buffer. */
class BufferedFile {
  readonly #file: Deno.FsFile;
  readonly #buffer = new Uint8Array(1 << 20);
  #length = 0;
  readonly #encoder = new TextEncoder();

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  async text(text: string): Promise<void> {
    if (this.#length + 3 * text.length > this.#buffer.length) await this.flush();
    if (3 * text.length > this.#buffer.length) {
      await writeAll(this.#file, this.#encoder.encode(text));
      return;
    }
    this.#length += this.#encoder.encodeInto(text, this.#buffer.subarray(this.#length)).written;
  }

  async flush(): Promise<void> {
    await writeAll(this.#file, this.#buffer.subarray(0, this.#length));
    this.#length = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#file.close();
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}

/**
 * Publishes the accounts of an `accounts.csv` (header `account,base`) into
 * `dir`: `statement.dsse.json`, `leaves.csv`, `keys.json` and the proofs as
 * `options.proofs` says. It reads the accounts as a stream and keeps them in
 * typed arrays, so ten million accounts fit in a few GB; with `proofs: "none"`
 * no tree level is kept. Nothing is written unless every account is valid.
 * Write into a new or empty directory: files there are overwritten, and
 * `haircut publish` refuses a directory that holds a publication.
 *
 * @throws {InputError} With the line of the first problem in `accounts.csv`,
 * an invalid event, or a file that cannot be written.
 *
 * @example
 * ```ts
 * import { parseEventFile, parseSigningKey, publishToDirectory } from "../../mod.ts";
 * const input = "fixtures/example/input";
 * const result = await publishToDirectory({
 *   accounts: await Deno.readFile(`${input}/accounts.csv`),
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 *   out: await Deno.makeTempDir(),
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))], { proofs: "ndjson" });
 * result.accounts; // 8
 * ```
 */
export async function publishToDirectory(
  input: { accounts: AsyncIterable<Uint8Array> | Uint8Array; event: EventSpec; out: string },
  signers: readonly SigningKey[],
  options: PublishToDirectoryOptions = {},
): Promise<PublishedDirectory> {
  const { accounts: accountsCsv, event, out: dir } = input;
  const mode = options.proofs ?? "files";
  if (!PROOFS_MODES.includes(mode)) throw new InputError(`proofs must be one of ${PROOFS_MODES.join(", ")}`);
  if (options.unsigned ? signers.length > 0 : signers.length === 0) {
    throw new InputError(
      options.unsigned ? "an unsigned publication takes no signing key" : "at least one signing key is needed",
    );
  }
  const keysJson = options.unsigned ? undefined : keysFileJson(signers, { threshold: options.threshold });
  const secret = options.saltSecret ?? crypto.getRandomValues(new Uint8Array(32));
  const reader = new AccountsReader(new KeyDeriver(secret, event.event));
  for await (const chunk of chunksOf(accountsCsv)) reader.push(chunk);
  reader.end();
  const { accounts } = reader;
  const n = accounts.count;
  const order = sortByKey(accounts.keys.data, n);
  const duplicate = findDuplicate(accounts, order);
  const problem = duplicate && (!reader.problem || duplicate.line <= reader.problem.line) ? duplicate : reader.problem;
  if (problem) throw new InputError(problem.message);
  if (n === 0) throw new InputError("accounts.csv has no accounts: the empty tree is invalid");

  // Allocation, in tree order.
  const bases = Array.from(order, (i) => accounts.base(i));
  let totalBase = 0n;
  for (const b of bases) totalBase += b;
  if (totalBase >= AMOUNT_LIMIT) throw new InputError(`the bases add up to ${totalBase}, which reaches 2^128`);
  const { target } = eventAmounts(event, totalBase);
  const haircuts = allocate(bases, target, { rounding: event.policy.rounding });

  // The tree: every level when proofs are written, else only the RFC 9162 stack.
  const keys = accounts.keys.data;
  let root: SumNode;
  let levels: number[][] | undefined;
  let arena: RecordArena | undefined;
  if (mode !== "none") {
    arena = new RecordArena(2 * n);
    const leaves = Array.from(order, (k, j) => arena!.leaf(keys, 32 * k, bases[j], haircuts[j]));
    levels = treeLevels(leaves, arena);
    root = arena.node(levels[levels.length - 1][0]);
  } else {
    const slab = new SumNodeSlab();
    const builder = new RootBuilder<number>(slab);
    for (let j = 0; j < n; j++) builder.push(slab.leaf(keys, bases[j], haircuts[j], 32 * order[j]));
    const parts = builder.subtrees().map(({ node, size }) => ({ node: slab.node(node), size }));
    const top = new RootBuilder(sumHasher);
    for (const p of parts) top.pushSubtree(p.node, p.size);
    root = top.root();
  }
  const signed = signStatement({ event, root, leafCount: n }, signers);

  try {
    return await write(dir, mode, options.proofFor, accounts, order, bases, haircuts, signed, keysJson, levels, arena);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot write to ${dir}: ${(e as Error).message}`);
  }
}

/** The writing half of {@linkcode publishToDirectory}. */
async function write(
  dir: string,
  mode: ProofsMode,
  proofFor: ((index: number) => boolean) | undefined,
  accounts: Accounts,
  order: Uint32Array,
  bases: readonly bigint[],
  haircuts: readonly bigint[],
  signed: { statement: Statement; digest: string; envelope: Envelope },
  keysJson: string | undefined,
  levels: number[][] | undefined,
  arena: RecordArena | undefined,
): Promise<PublishedDirectory> {
  const n = order.length;
  const keys = accounts.keys.data;
  const wantProof = proofFor ?? ((): boolean => true);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/statement.dsse.json`, envelopeToJson(signed.envelope));
  if (keysJson !== undefined) await Deno.writeTextFile(`${dir}/keys.json`, keysJson);
  const csv = new BufferedFile(await Deno.open(`${dir}/leaves.csv`, { write: true, create: true, truncate: true }));
  await csv.text(LEAVES_HEADER + "\n");
  for (let j = 0; j < n; j++) {
    await csv.text(`${bytesToHex(keys.subarray(32 * order[j], 32 * order[j] + 32))},${bases[j]},${haircuts[j]}\n`);
  }
  await csv.close();
  let written = 0;
  if (mode !== "none") {
    if (mode === "files") await Deno.mkdir(`${dir}/proofs`, { recursive: true });
    const ndjson = mode === "ndjson"
      ? new BufferedFile(await Deno.open(`${dir}/proofs.ndjson`, { write: true, create: true, truncate: true }))
      : undefined;
    const fragments = new PathFragments(arena!);
    for (let j = 0; j < n; j++) {
      if (!wantProof(j)) continue;
      const k = order[j];
      const head = {
        type: PROOF_TYPE,
        statement: signed.digest,
        account: accounts.id(k),
        salt: bytesToHex(accounts.salts.data.subarray(32 * k, 32 * k + 32)),
        index: j,
        base: `${bases[j]}`,
        haircut: `${haircuts[j]}`,
      };
      const path = inclusionPath(levels!, j);
      if (ndjson) {
        const json = JSON.stringify(head);
        await ndjson.text(
          `${json.slice(0, -1)},"path":[${path.map((r, level) => fragments.get(r, level)).join(",")}]}\n`,
        );
      } else {
        const proof = { ...head, path: path.map((r) => nodeJson(arena!.node(r))) };
        const keyHex = bytesToHex(keys.subarray(32 * k, 32 * k + 32));
        await Deno.writeTextFile(`${dir}/proofs/${keyHex}.json`, JSON.stringify(proof, null, 2) + "\n");
      }
      written++;
    }
    await ndjson?.close();
  }
  return { statement: signed.statement, digest: signed.digest, accounts: n, proofs: written };
}

function nodeJson(node: SumNode): { hash: string; base: string; haircut: string } {
  return { hash: bytesToHex(node.hash), base: `${node.base}`, haircut: `${node.haircut}` };
}

/** Caches each level's last path node as JSON: consecutive proofs share all but their lowest siblings. */
class PathFragments {
  readonly #records: number[] = [];
  readonly #json: string[] = [];
  constructor(readonly arena: RecordArena) {}
  get(record: number, level: number): string {
    if (this.#records[level] !== record) {
      this.#records[level] = record;
      this.#json[level] = JSON.stringify(nodeJson(this.arena.node(record)));
    }
    return this.#json[level];
  }
}
