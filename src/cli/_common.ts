/**
 * What every command shares: its result type, usage errors, and reading the
 * small files a user hands in.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { type KeysFile, parseKeysFile } from "../format/keys.ts";
import { platform } from "../platform/runtime.ts";
import {
  documentProblem,
  encodingProblem,
  type Expected,
  type Roles,
  sniffDocument,
  withoutBom,
} from "../format/_sniff.ts";
import { type LogPolicy, parseLogPolicy } from "../tlog/policy.ts";

/** What a command produced: text for stdout and stderr, and the exit code. */
export interface CliResult {
  /** The exit code: 0, 1 or 2. */
  code: 0 | 1 | 2;
  /** Text for stdout. */
  stdout: string;
  /** Bytes for stdout, written after `stdout`, for a command whose output is binary (`haircut pae`). */
  stdoutBytes?: Uint8Array;
  /** Text for stderr. */
  stderr: string;
}

/** What `runCli` hands a command besides its arguments. */
export interface CommandContext {
  /**
   * Gives up write permission for the rest of the process where the runtime
   * can (a no-op when embedded); a read-only command calls it before it
   * reads any input, once the files it writes are open.
   */
  readOnly(): Promise<void>;
}

/**
 * The largest JSON file the CLI reads (statement, previous statement, proof,
 * keys, event and signing key), in bytes: 1 MiB. The size is checked before
 * the file is read, and at most this many bytes (plus one) are ever loaded.
 */
export const MAX_JSON_FILE: number = 1 << 20;

/** Throws the usage error of `command`, pointing at its help. */
export function usage(command: string, message: string): never {
  throw new InputError(`${message} (see 'haircut ${command} --help')`);
}

/** Reads a regular file of at most `MAX_JSON_FILE` bytes; the size is checked before and while reading. */
export async function readSmallFile(path: string, what: string): Promise<Uint8Array> {
  const tooLarge = (): InputError =>
    new InputError(`${what} ${path} is larger than the limit of ${MAX_JSON_FILE} bytes (MAX_JSON_FILE)`);
  try {
    // A FIFO or device could block or never end: only a regular file is read, and at most one byte past the limit.
    const info = await platform.stat(path);
    if (!info.isFile) throw new InputError(`${what} ${path} is not a file`);
    if (info.size > MAX_JSON_FILE) throw tooLarge();
    const file = await platform.openRead(path);
    const buffer = new Uint8Array(MAX_JSON_FILE + 1);
    let filled = 0;
    try {
      while (filled < buffer.length) {
        const n = await file.read(buffer.subarray(filled));
        if (n === null) break;
        filled += n;
      }
    } finally {
      file.close();
    }
    if (filled > MAX_JSON_FILE) throw tooLarge();
    return buffer.slice(0, filled);
  } catch (e) {
    throw fileError(e, path, what);
  }
}

/**
 * {@linkcode readSmallFile} as text. A byte order mark at the start of the
 * file is dropped, the same for every JSON file a user hands in; one inside
 * a signed payload is never touched (the statement's reader rejects it).
 */
export async function readSmallText(path: string, what: string): Promise<string> {
  return withoutBom(await readRawText(path, what));
}

/**
 * {@linkcode readSmallFile} as text, a byte order mark kept. A file saved as
 * UTF-16 or UTF-32, or that is not valid UTF-8, is the user's mistake, not
 * the venue's: exit 2 with a hint (see {@linkcode encodingProblem}).
 */
async function readRawText(path: string, what: string): Promise<string> {
  const bytes = await readSmallFile(path, what);
  const problem = encodingProblem(bytes);
  if (problem) throw new InputError(`${what} ${path} ${problem}`);
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/**
 * Reads a JSON file a user hands in: {@linkcode readSmallText}, then exit 2
 * (an `InputError` with a one-line hint) when it is not the kind of document
 * expected (see {@linkcode documentProblem}).
 */
export async function readDocument(path: string, expected: Expected): Promise<string> {
  const text = await readRawText(path, expected.what);
  // The raw text: a cut-off file's size counts its byte order mark.
  const problem = documentProblem(text, path, expected);
  if (problem) throw new InputError(problem);
  return withoutBom(text);
}

export function fileError(e: unknown, path: string, what: string): Error {
  if (e instanceof InputError) return e;
  const kind = platform.fileErrorKind(e);
  if (kind === "not-found") return new InputError(`${what} ${path} does not exist`);
  if (kind === "denied") return new InputError(`${what} ${path} cannot be read: permission denied`);
  return new InputError(`${what} ${path} cannot be read: ${(e as Error).message}`);
}

export function format(command: string, value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? "text";
  if (!allowed.includes(f)) usage(command, `--format must be one of ${allowed.join(", ")}`);
  return f;
}

/**
 * Reads and parses the `--keys` file; `roles` names the command's other inputs for "did you swap" hints. A secret
 * signing key given there is refused, and when other users can read it the refusal warns about that too.
 */
export async function loadKeys(path: string | undefined, command: string, roles: Roles = {}): Promise<KeysFile> {
  if (!path) usage(command, "--keys <keys.json> is required");
  const expected = { kinds: ["keys"], what: "keys file", roles: { ...roles, keys: "--keys" } } as const;
  const text = await readDocument(path, { ...expected, kinds: ["keys", "signing-key"] });
  if (sniffDocument(text).kind === "signing-key") {
    const mode = (await platform.stat(path)).mode;
    const exposed = mode !== null && (mode & 0o077) !== 0;
    throw new InputError(
      documentProblem(text, path, expected) +
        (exposed
          ? `; warning: this secret key file is readable by other users (mode ` +
            `${(mode & 0o777).toString(8).padStart(4, "0")}): run 'chmod 600 ${path}' and treat the key as exposed`
          : ""),
    );
  }
  return parseKeysFile(text);
}

/** The Levenshtein distance between `a` and `b`: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * The known word nearest to `word` by edit distance, when it is close
 * enough to be a typo (at most 2 edits, and fewer than half its length).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nearest } from "./_common.ts";
 * assert.equal(nearest("--key", ["--keys", "--statement", "--format"]), "--keys");
 * assert.equal(nearest("--frob", ["--keys", "--statement", "--format"]), undefined);
 * ```
 */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  const bare = word.replace(/^-+/, "");
  return bestDistance <= 2 && bestDistance * 2 < bare.length ? best : undefined;
}

/**
 * Writes a new file and never overwrites one.
 *
 * @throws {InputError} When `path` exists (`what` names it in the message), or cannot be written.
 */
export async function writeNewFile(
  path: string,
  data: string | Uint8Array,
  options: { mode?: number; what?: string } = {},
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    await platform.writeFile(path, bytes, {
      createNew: true,
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
    });
    if (options.mode !== undefined) await platform.chmod(path, options.mode);
  } catch (e) {
    if (platform.fileErrorKind(e) === "exists") {
      throw new InputError(`${path} already exists; not overwriting ${options.what ?? "it"}`);
    }
    throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads `--log-proof` and `--log-policy`, which go together: both or
 * neither. Returns what {@linkcode withLogProof} takes, or `undefined`.
 */
export async function loadLogProof(
  values: { "log-proof"?: string; "log-policy"?: string },
  command: string,
): Promise<{ proof: string; policy: LogPolicy } | undefined> {
  const proofPath = values["log-proof"];
  const policyPath = values["log-policy"];
  if (proofPath === undefined && policyPath === undefined) return undefined;
  if (!proofPath || !policyPath) usage(command, "--log-proof and --log-policy go together");
  const policy = parseLogPolicy(await readSmallText(policyPath, "log policy"));
  return { proof: await readSmallText(proofPath, "log proof"), policy };
}
