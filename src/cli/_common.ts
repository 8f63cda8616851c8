/**
 * What every command shares: its result type, usage errors, and reading the
 * small files a user hands in.
 *
 * @module
 */

import { InputError } from "../core/errors.ts";
import { type KeysFile, parseKeysFile } from "../format/keys.ts";
import { type LogPolicy, parseLogPolicy } from "../tlog/policy.ts";

/** What a command produced: text for stdout and stderr, and the exit code. */
export interface CliResult {
  /** The exit code: 0, 1 or 2. */
  code: 0 | 1 | 2;
  /** Text for stdout. */
  stdout: string;
  /** Text for stderr. */
  stderr: string;
}

/**
 * The largest JSON file the CLI reads (statement, previous statement, proof,
 * keys, event and signing key), in bytes: 1 MiB. The size is checked before
 * the file is read, and at most this many bytes (plus one) are ever loaded.
 *
 * @example
 * ```ts
 * import { MAX_JSON_FILE } from "./main.ts";
 * MAX_JSON_FILE; // 1048576
 * ```
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
    const info = await Deno.stat(path);
    if (!info.isFile) throw new InputError(`${what} ${path} is not a file`);
    if (info.size > MAX_JSON_FILE) throw tooLarge();
    using file = await Deno.open(path);
    const buffer = new Uint8Array(MAX_JSON_FILE + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    if (filled > MAX_JSON_FILE) throw tooLarge();
    return buffer.slice(0, filled);
  } catch (e) {
    throw fileError(e, path, what);
  }
}

/** {@linkcode readSmallFile} as text; a byte order mark is kept, so the strict JSON reader rejects it. */
export async function readSmallText(path: string, what: string): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await readSmallFile(path, what));
}

export function fileError(e: unknown, path: string, what: string): Error {
  if (e instanceof InputError) return e;
  if (e instanceof Deno.errors.NotFound) return new InputError(`${what} ${path} does not exist`);
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return new InputError(`${what} ${path} cannot be read: permission denied`);
  }
  return new InputError(`${what} ${path} cannot be read: ${(e as Error).message}`);
}

export function format(command: string, value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? "text";
  if (!allowed.includes(f)) usage(command, `--format must be one of ${allowed.join(", ")}`);
  return f;
}

export async function loadKeys(path: string | undefined, command: string): Promise<KeysFile> {
  if (!path) usage(command, "--keys <keys.json> is required");
  return parseKeysFile(await readSmallText(path, "keys file"));
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
