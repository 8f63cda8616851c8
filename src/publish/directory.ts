/**
 * The venue side at scale: {@linkcode publishToDirectory} streams
 * `accounts.csv` through the publisher engine (the same one
 * `buildPublication` collects in memory) and writes `leaves.csv` and the
 * proofs one row and one proof at a time, so millions of accounts cost a few
 * hundred bytes each and no giant string is ever built. `haircut publish`
 * uses it. Without a salt secret it draws a random one for the run, so salts
 * stay unpredictable and per account.
 *
 * @module
 */

import { envelopeToJson } from "../format/dsse.ts";
import { keysFileJson, type SigningKey } from "../format/keys.ts";
import { InputError } from "../core/errors.ts";
import type { Statement } from "../format/statement.ts";
import { chunksOf } from "../core/chunks.ts";
import { ACCOUNTS_CSV, BANKRUPT_ACCOUNTS_CSV, readAccounts } from "./_accounts.ts";
import type { EventSpec } from "./event.ts";
import { DEFICIT_TREE, preparePublication, type PublishedTree, saltDeriverFor, SUM_TREE } from "./_engine.ts";

/**
 * How proofs are written: `files` (one `proofs/<account key>.json` per
 * account), `ndjson` (one compact proof per line in `proofs.ndjson`, for the
 * venue to deliver), or `none`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile, parseSigningKey, type ProofsMode, publishToDirectory } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const out = await Deno.makeTempDir();
 * const proofs: ProofsMode = "ndjson";
 * await publishToDirectory({
 *   accounts: await Deno.readFile(`${input}/accounts.csv`),
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 *   out,
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))], { proofs });
 * const lines = (await Deno.readTextFile(`${out}/proofs.ndjson`)).trimEnd().split("\n");
 * assert.equal(lines.length, 8);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export type ProofsMode = "files" | "ndjson" | "none";

/** The proof modes, for argument checking. */
export const PROOFS_MODES: readonly ProofsMode[] = ["files", "ndjson", "none"];

/**
 * Options for {@linkcode publishToDirectory}.
 *
 * @example Only the proofs of some leaves
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile, parseSigningKey, publishToDirectory, type PublishToDirectoryOptions } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const out = await Deno.makeTempDir();
 * const options: PublishToDirectoryOptions = { proofs: "files", proofFor: (index) => index < 2 };
 * const result = await publishToDirectory({
 *   accounts: await Deno.readFile(`${input}/accounts.csv`),
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 *   out,
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))], options);
 * assert.equal(result.proofs, 2);
 * assert.equal([...Deno.readDirSync(`${out}/proofs`)].length, 2);
 * await Deno.remove(out, { recursive: true });
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
 * import assert from "node:assert/strict";
 * import { parseEventFile, type PublishedDirectory, publishToDirectory } from "../../publish.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * const p: PublishedDirectory = await publishToDirectory({
 *   accounts: new TextEncoder().encode("account,base\nalice,5\nbob,7\n"),
 *   event: parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json")),
 *   out: await Deno.makeTempDir(),
 * }, [signingKeyFromSecret("ed25519", new Uint8Array(32))], { proofs: "none" });
 * assert.equal(p.statement.tree.leafCount, p.accounts);
 * assert.equal(p.proofs, 0);
 * ```
 */
export interface PublishedDirectory {
  /** The signed statement. */
  statement: Statement;
  /** Its digest. */
  digest: string;
  /** How many accounts. */
  accounts: number;
  /** How many proofs were written, deficit proofs included. */
  proofs: number;
  /** How many bankrupt accounts the deficit tree holds, when there is one (v1.1). */
  bankrupt?: number;
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
 * import assert from "node:assert/strict";
 * import { parseEventFile, parseSigningKey, publishToDirectory } from "../../publish.ts";
 * const input = "fixtures/example/input";
 * const result = await publishToDirectory({
 *   accounts: await Deno.readFile(`${input}/accounts.csv`),
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 *   out: await Deno.makeTempDir(),
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))], { proofs: "ndjson" });
 * assert.equal(result.accounts, 8);
 * assert.equal(result.proofs, 8);
 * ```
 */
export async function publishToDirectory(
  input: {
    accounts: AsyncIterable<Uint8Array> | Uint8Array;
    event: EventSpec;
    out: string;
    bankrupt?: AsyncIterable<Uint8Array> | Uint8Array;
  },
  signers: readonly SigningKey[],
  options: PublishToDirectoryOptions = {},
): Promise<PublishedDirectory> {
  const { event, out: dir } = input;
  const mode = options.proofs ?? "files";
  if (!PROOFS_MODES.includes(mode)) throw new InputError(`proofs must be one of ${PROOFS_MODES.join(", ")}`);
  if (options.unsigned ? signers.length > 0 : signers.length === 0) {
    throw new InputError(
      options.unsigned ? "an unsigned publication takes no signing key" : "at least one signing key is needed",
    );
  }
  const keysJson = options.unsigned ? undefined : keysFileJson(signers, { threshold: options.threshold });
  const secret = options.saltSecret ?? crypto.getRandomValues(new Uint8Array(32));
  const deriver = saltDeriverFor(SUM_TREE, { secret, event: event.event });
  const accounts = await readAccounts(chunksOf(input.accounts), ACCOUNTS_CSV, deriver);
  const bankrupt = input.bankrupt === undefined ? undefined : await readAccounts(
    chunksOf(input.bankrupt),
    BANKRUPT_ACCOUNTS_CSV,
    saltDeriverFor(DEFICIT_TREE, { secret, event: event.event }),
  );
  const { tree, deficitTree, signed } = preparePublication(
    { accounts, event, ...(bankrupt ? { bankrupt } : {}) },
    signers,
    { keepLevels: mode !== "none" },
  );
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, envelopeToJson(signed.envelope));
    if (keysJson !== undefined) await Deno.writeTextFile(`${dir}/keys.json`, keysJson);
    await writeLeaves(`${dir}/leaves.csv`, tree);
    if (deficitTree) await writeLeaves(`${dir}/bankrupt.csv`, deficitTree);
    const proofs = mode === "none" ? 0 : await writeProofs(dir, [tree, deficitTree], {
      digest: signed.digest,
      mode,
      ...options,
    });
    return {
      statement: signed.statement,
      digest: signed.digest,
      accounts: tree.size,
      proofs,
      ...(deficitTree ? { bankrupt: deficitTree.size } : {}),
    };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot write to ${dir}: ${(e as Error).message}`);
  }
}

async function writeLeaves(path: string, tree: PublishedTree): Promise<void> {
  const csv = new BufferedFile(await Deno.open(path, { write: true, create: true, truncate: true }));
  await csv.text(tree.spec.leaves.header + "\n");
  for (const row of tree.rows()) await csv.text(row);
  await csv.close();
}

/**
 * Writes the proofs of the main tree that `options.proofFor` selects, then
 * every deficit proof, as files (`proofs/<key>.json`,
 * `proofs/deficit-<key>.json`) or as lines of `proofs.ndjson`; returns how many.
 */
async function writeProofs(
  dir: string,
  trees: readonly [PublishedTree, PublishedTree | undefined],
  options: { digest: string; mode: "files" | "ndjson"; proofFor?: (index: number) => boolean },
): Promise<number> {
  const style = options.mode === "files" ? "pretty" : "compact";
  const [main, deficit] = trees;
  const all = [
    { tree: main, prefix: "", proofs: main.proofs(options.digest, { style, proofFor: options.proofFor }) },
    ...(deficit ? [{ tree: deficit, prefix: "deficit-", proofs: deficit.proofs(options.digest, { style }) }] : []),
  ];
  let written = 0;
  if (options.mode === "files") {
    await Deno.mkdir(`${dir}/proofs`, { recursive: true });
    for (const { tree, prefix, proofs } of all) {
      for (const p of proofs) {
        await Deno.writeTextFile(`${dir}/proofs/${prefix}${tree.key(p.index)}.json`, p.json);
        written++;
      }
    }
    return written;
  }
  const ndjson = new BufferedFile(
    await Deno.open(`${dir}/proofs.ndjson`, { write: true, create: true, truncate: true }),
  );
  for (const { proofs } of all) {
    for (const p of proofs) {
      await ndjson.text(p.json);
      written++;
    }
  }
  await ndjson.close();
  return written;
}
