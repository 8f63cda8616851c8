/**
 * Shared pieces of the fixture generators: the fixed signing keys, the
 * repository paths, and small file helpers. Everything here is
 * deterministic, so the generators write byte-identical fixtures each run.
 *
 * @module
 */

import { type SigningKey, signingKeyFromSecret, signingKeyJson } from "../src/format/keys.ts";
import type { Algorithm } from "../src/format/signature.ts";

/** The repository root, as a directory path with a trailing slash. */
export const ROOT: string = new URL("../", import.meta.url).pathname;

/** A fixed key: its role, file name, algorithm and secret byte (the secret is that byte 32 times). */
export interface FixedKeySpec {
  /** The role the key plays in the fixtures. */
  role: "venue" | "auditor-1" | "auditor-2" | "attacker";
  /** Its file name in a scenario's `input/`. */
  file: string;
  /** The algorithm. */
  algorithm: Algorithm;
  /** The secret key is this byte repeated 32 times. */
  fill: number;
}

/** The four fixed keys: the venue (Ed25519), two auditors (secp256k1) and an attacker nobody trusts. */
export const FIXED_KEYS: readonly FixedKeySpec[] = [
  { role: "venue", file: "venue.key.json", algorithm: "ed25519", fill: 0x11 },
  { role: "auditor-1", file: "auditor-1.key.json", algorithm: "secp256k1", fill: 0x22 },
  { role: "auditor-2", file: "auditor-2.key.json", algorithm: "secp256k1", fill: 0x33 },
  { role: "attacker", file: "attacker.key.json", algorithm: "ed25519", fill: 0x44 },
];

/** Returns the fixed signing key of a role. */
export function fixedKey(role: FixedKeySpec["role"]): SigningKey {
  const spec = FIXED_KEYS.find((k) => k.role === role);
  if (!spec) throw new Error(`no fixed key ${role}`);
  return signingKeyFromSecret(spec.algorithm, new Uint8Array(32).fill(spec.fill));
}

/** The file name of a role's key. */
export function fixedKeyFile(role: FixedKeySpec["role"]): string {
  const spec = FIXED_KEYS.find((k) => k.role === role);
  if (!spec) throw new Error(`no fixed key ${role}`);
  return spec.file;
}

/** The signing key file text of a role, as `haircut keygen` writes it. */
export function fixedKeyJson(role: FixedKeySpec["role"]): string {
  return signingKeyJson(fixedKey(role));
}

/** A trust (keys) file over the given roles, with names, as a user would pin it; `required` roles must sign. */
export function trustJson(
  roles: readonly FixedKeySpec["role"][],
  threshold: number,
  required: readonly FixedKeySpec["role"][] = [],
): string {
  const keys = roles.map((role) => {
    const k = fixedKey(role);
    return {
      keyid: k.keyid,
      algorithm: k.algorithm,
      publicKey: Array.from(k.publicKey, (b) => b.toString(16).padStart(2, "0")).join(""),
      name: role,
    };
  });
  if (required.length === 0) return JSON.stringify({ keys, threshold }, null, 2) + "\n";
  return JSON.stringify({ keys, threshold, required: required.map((role) => fixedKey(role).keyid) }, null, 2) + "\n";
}

/** Writes a text file, creating its directory. */
export async function writeText(path: string, text: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
}

/** Writes a binary file, creating its directory. */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(path, bytes);
}

/** Removes a path if it exists. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** JSON text with two-space indentation and a final newline (stable under `deno fmt`). */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * A small deterministic integer PRNG (xorshift32). Integer-only, so the
 * sequence is the same on every platform and JavaScript engine.
 */
export class XorShift32 {
  #state: number;

  /** Seeds the generator; the seed must not be 0. */
  constructor(seed: number) {
    if ((seed >>> 0) === 0) throw new RangeError("seed must not be 0");
    this.#state = seed >>> 0;
  }

  /** The next value in [1, 2^32). */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.#state = x;
    return x;
  }

  /** A value in [0, n) for n <= 2^32 (slightly biased, which does not matter here). */
  below(n: number): number {
    return this.next() % n;
  }
}

/** Recursively lists the files under `dir`, as sorted paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    for await (const entry of Deno.readDir(`${dir}/${sub}`)) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory) await walk(rel);
      else out.push(rel);
    }
  };
  await walk("");
  return out.sort();
}
