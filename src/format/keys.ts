/**
 * Keys: the trusted keys file a user pins, and the secret signing key file
 * `haircut keygen` writes.
 *
 * @module
 */

import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { asObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import { bytesToHex, hexToBytes } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import { type Algorithm, keyidOf, publicKeyOf, publicKeyProblem } from "./signature.ts";

/**
 * A public key the user trusts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type TrustedKey } from "../../mod.ts";
 *
 * const [first]: TrustedKey[] = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")).keys;
 * assert.equal(first.algorithm, "ed25519");
 * assert.equal(first.publicKey.length, 32);
 * assert.equal(first.keyid, "a419543129c4e3354f6a537031a4e9f79ecc3c9e64401bb35f9119c90379c996");
 * ```
 */
export interface TrustedKey {
  /** The keyid, recomputed from the public key. */
  keyid: string;
  /** The algorithm. */
  algorithm: Algorithm;
  /** The raw public key: 32 bytes (Ed25519) or 33 bytes compressed SEC1 (secp256k1). */
  publicKey: Uint8Array;
  /** A display name, if given. */
  name?: string;
}

/**
 * The keys file: the keys a user trusts, how many must sign, and which of
 * them must be among the signers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type KeysFile, parseKeysFile } from "../../mod.ts";
 *
 * const keys: KeysFile = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * assert.equal(keys.threshold, 2);
 * assert.deepEqual(keys.keys.map((k) => k.algorithm), ["ed25519", "secp256k1"]);
 * assert.equal(keys.required, undefined);
 * ```
 */
export interface KeysFile {
  /** The trusted keys, with distinct keyids. */
  keys: TrustedKey[];
  /** How many distinct trusted keys must have signed. */
  threshold: number;
  /**
   * Keyids (of `keys`, distinct) that must each have signed validly, on top
   * of the threshold. Absent or empty: any `threshold` of the keys will do.
   */
  required?: readonly string[];
}

/**
 * A signing key as `haircut keygen` writes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSigningKey, type SigningKey } from "../../publish.ts";
 *
 * const key: SigningKey = parseSigningKey(await Deno.readTextFile("fixtures/example/input/venue.key.json"));
 * assert.equal(key.secretKey.length, 32);
 * assert.equal(key.keyid, "a419543129c4e3354f6a537031a4e9f79ecc3c9e64401bb35f9119c90379c996");
 * ```
 */
export interface SigningKey {
  /** The algorithm. */
  algorithm: Algorithm;
  /** The 32-byte secret key (Ed25519 seed or secp256k1 scalar). */
  secretKey: Uint8Array;
  /** The raw public key. */
  publicKey: Uint8Array;
  /** The keyid: hex SHA-256 of the public key. */
  keyid: string;
}

/**
 * Builds a signing key from a 32-byte secret key.
 */
export function signingKeyFromSecret(algorithm: Algorithm, secretKey: Uint8Array): SigningKey {
  const publicKey = publicKeyOf(algorithm, secretKey);
  return { algorithm, secretKey, publicKey, keyid: keyidOf(publicKey) };
}

/**
 * Generates a fresh signing key from the platform's CSPRNG.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const a = generateSigningKey("secp256k1");
 * assert.equal(a.publicKey.length, 33);
 * assert.notEqual(generateSigningKey("secp256k1").keyid, a.keyid);
 * assert.equal(generateSigningKey("ed25519").publicKey.length, 32);
 * ```
 */
export function generateSigningKey(algorithm: Algorithm): SigningKey {
  const secret = algorithm === "ed25519" ? ed25519.utils.randomSecretKey() : secp256k1.utils.randomSecretKey();
  return signingKeyFromSecret(algorithm, secret);
}

/**
 * Parses one public keys-file entry `{ keyid, algorithm, publicKey, name? }`;
 * `bad` throws with the problem, named by the entry's place `at` (such as
 * `keys[0]`; empty for a lone entry).
 */
function trustedKeyFrom(value: JsonValue, at: string, bad: (message: string) => never): TrustedKey {
  const field = (name: string): string => (at ? `${at}.${name}` : name);
  const whole = (message: string): string => (at ? `${at}: ${message}` : message);
  const problem = objectShapeProblem(value, { required: ["keyid", "algorithm", "publicKey"], optional: ["name"] });
  if (problem) bad(whole(problem));
  const { keyid, algorithm, publicKey, name } = asObject(value);
  if (algorithm !== "ed25519" && algorithm !== "secp256k1") {
    bad(`${field("algorithm")} must be "ed25519" or "secp256k1"`);
  }
  const alg = algorithm as Algorithm;
  let pub: Uint8Array;
  try {
    pub = hexToBytes(publicKey as string, alg === "ed25519" ? 32 : 33);
  } catch (e) {
    return bad(`${field("publicKey")}: ${(e as Error).message}`);
  }
  const problemKey = publicKeyProblem(alg, pub);
  if (problemKey) bad(whole(problemKey));
  const actual = keyidOf(pub);
  if (keyid !== actual) bad(`${field("keyid")} ${JSON.stringify(keyid)} != SHA-256(publicKey) = ${actual}`);
  if (name !== undefined && (typeof name !== "string" || name.length > 256)) {
    bad(`${field("name")} must be a short string`);
  }
  return name === undefined
    ? { keyid: actual, algorithm: alg, publicKey: pub }
    : { keyid: actual, algorithm: alg, publicKey: pub, name: name as string };
}

/** A thrower of the `InputError` of one kind of user file: the message is prefixed with `what`. */
function badInput(what: string): (message: string) => never {
  return (message) => {
    throw new InputError(`${what}: ${message}`);
  };
}

/** Strict JSON, or `bad` with the parser's message. */
function parseJsonOr(text: string, bad: (message: string) => never): JsonValue {
  try {
    return parseJson(text);
  } catch (e) {
    return bad((e as Error).message);
  }
}

/** The most keys a keys file holds. */
export const MAX_TRUSTED_KEYS = 64;

/**
 * Reads a keys file:
 * `{ "keys": [ { keyid, algorithm, publicKey, name? } ], "threshold", "required"? }`.
 * Each keyid must equal the hex SHA-256 of its public key, keyids are
 * distinct, `1 <= threshold <= keys.length`, and `required` (optional) lists
 * distinct keyids of `keys`. A secret signing key file is refused by name.
 *
 * @throws {InputError} Naming the problem: the keys file is the user's own input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError, parseKeysFile } from "../../mod.ts";
 *
 * const text = await Deno.readTextFile("fixtures/example/keys.json");
 * const keys = parseKeysFile(text);
 * assert.equal(keys.threshold, 2);
 * assert.equal(keys.keys.length, 2);
 * assert.throws(() => parseKeysFile('{"keys":[],"threshold":1}'), InputError);
 * // The venue's key required, and any one of the two enough otherwise.
 * const venue = keys.keys[0].keyid;
 * const policy = parseKeysFile(JSON.stringify({ ...JSON.parse(text), threshold: 1, required: [venue] }));
 * assert.deepEqual(policy.required, [venue]);
 * ```
 */
export function parseKeysFile(text: string): KeysFile {
  const bad = badInput("keys file");
  const value = parseJsonOr(text, bad);
  if (isSigningKeyValue(value)) {
    bad("this is a secret signing key, not a keys file (build one with 'haircut keys --add <pub.json> ...')");
  }
  const shape = objectShapeProblem(value, { required: ["keys", "threshold"], optional: ["required"] });
  if (shape) bad(shape);
  const obj = asObject(value);
  if (!Array.isArray(obj.keys) || obj.keys.length === 0 || obj.keys.length > MAX_TRUSTED_KEYS) {
    bad(`keys must be an array of 1 to ${MAX_TRUSTED_KEYS} keys`);
  }
  const keys = (obj.keys as JsonValue[]).map((k, i) => trustedKeyFrom(k, `keys[${i}]`, bad));
  const threshold = obj.threshold;
  if (typeof threshold !== "number") bad(`threshold must be an integer from 1 to ${keys.length}`);
  let required: string[] | undefined;
  if (obj.required !== undefined) {
    const list = obj.required;
    if (!Array.isArray(list) || list.some((id) => typeof id !== "string")) bad("required must be an array of keyids");
    required = list as string[];
  }
  const policy = required ? { threshold: threshold as number, required } : { threshold: threshold as number };
  const problem = keysPolicyProblem(keys, policy);
  if (problem) bad(problem);
  return { keys, ...policy };
}

/**
 * What is wrong with a trust policy over `keys`, if anything: duplicate
 * keyids, a threshold outside `1..keys.length`, or a `required` entry that
 * repeats or names no key of `keys`.
 *
 * @returns A one-line problem, or `undefined` when the policy is sound.
 */
export function keysPolicyProblem(
  keys: readonly { keyid: string }[],
  policy: { threshold: number; required?: readonly string[] },
): string | undefined {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.keyid)) return `keys must be distinct: ${k.keyid} is given twice`;
    seen.add(k.keyid);
  }
  const { threshold, required = [] } = policy;
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > keys.length) {
    return `threshold must be an integer from 1 to ${keys.length}`;
  }
  const named = new Set<string>();
  for (const id of required) {
    if (!seen.has(id)) return `required key ${JSON.stringify(id)} is not one of the keys`;
    if (named.has(id)) return `required key ${id} is listed twice`;
    named.add(id);
  }
  return undefined;
}

/**
 * Reads one public key: a keys-file entry `{ keyid, algorithm, publicKey,
 * name? }` as `haircut pubkey` prints it, or a signing key file, of which
 * only the public part is kept (the secret is dropped here and goes no
 * further).
 *
 * @throws {InputError} Naming the problem (never the secret).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePublicKey } from "../../publish.ts";
 *
 * const k = parsePublicKey(await Deno.readTextFile("fixtures/example/input/venue.key.json"));
 * assert.equal(k.algorithm, "ed25519");
 * assert.equal(k.keyid, "a419543129c4e3354f6a537031a4e9f79ecc3c9e64401bb35f9119c90379c996");
 * assert.equal("secretKey" in k, false);
 * ```
 */
export function parsePublicKey(text: string): TrustedKey {
  const bad = badInput("public key");
  const value = parseJsonOr(text, bad);
  if (!isSigningKeyValue(value)) return trustedKeyFrom(value, "", bad);
  const { keyid, algorithm, publicKey } = parseSigningKey(text);
  return { keyid, algorithm, publicKey };
}

/** Whether a JSON value is shaped like a secret signing key file (an object with a `secretKey` member). */
function isSigningKeyValue(value: JsonValue): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "secretKey" in value;
}

/**
 * A public keys-file entry as JSON text: `{ keyid, algorithm, publicKey,
 * name? }`, what `haircut pubkey` prints. Only these public fields are ever
 * written, whatever else the key object holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSigningKey, publicKeyJson } from "../../publish.ts";
 *
 * const key = parseSigningKey(await Deno.readTextFile("fixtures/example/input/venue.key.json"));
 * const entry = JSON.parse(publicKeyJson(key, { name: "venue" }));
 * assert.deepEqual(Object.keys(entry), ["keyid", "algorithm", "publicKey", "name"]);
 * assert.equal(entry.keyid, "a419543129c4e3354f6a537031a4e9f79ecc3c9e64401bb35f9119c90379c996");
 * ```
 */
export function publicKeyJson(key: TrustedKey, options: { name?: string } = {}): string {
  return JSON.stringify(publicEntry(key, options.name ?? key.name), null, 2) + "\n";
}

/** The public fields of a key, and nothing else. */
function publicEntry(key: TrustedKey, name: string | undefined): Record<string, string> {
  const entry: Record<string, string> = {
    keyid: key.keyid,
    algorithm: key.algorithm,
    publicKey: bytesToHex(key.publicKey),
  };
  if (name !== undefined) entry.name = name;
  return entry;
}

/**
 * The keys file JSON for a set of keys (signing keys or trusted keys: only
 * the public fields are written). The threshold defaults to all of them;
 * `required` is written only when not empty.
 *
 * @throws {InputError} When the policy is unsound ({@linkcode keysPolicyProblem}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile } from "../../mod.ts";
 * import { generateSigningKey, keysFileJson } from "../../publish.ts";
 *
 * const [venue, auditor] = [generateSigningKey("ed25519"), generateSigningKey("secp256k1")];
 * const keys = parseKeysFile(keysFileJson([venue, auditor]));
 * assert.equal(keys.threshold, 2);
 * assert.deepEqual(keys.keys.map((k) => k.keyid), [venue.keyid, auditor.keyid]);
 * const policy = parseKeysFile(keysFileJson([venue, auditor], { threshold: 1, required: [venue.keyid] }));
 * assert.deepEqual(policy.required, [venue.keyid]);
 * ```
 */
export function keysFileJson(
  keys: readonly TrustedKey[],
  policy: { threshold?: number; required?: readonly string[] } = {},
): string {
  const threshold = policy.threshold ?? keys.length;
  const required = policy.required ?? [];
  const problem = keysPolicyProblem(keys, { threshold, required });
  if (problem) throw new InputError(`keys file: ${problem}`);
  const file: Record<string, unknown> = { keys: keys.map((k) => publicEntry(k, k.name)), threshold };
  if (required.length > 0) file.required = [...required];
  return JSON.stringify(file, null, 2) + "\n";
}

/**
 * Reads a signing key file as `haircut keygen` writes it:
 * `{ "algorithm", "secretKey", "publicKey", "keyid" }`. The public key and
 * keyid must match the secret key.
 *
 * @throws {InputError} Naming the problem (never the secret).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError } from "../../mod.ts";
 * import { parseSigningKey } from "../../publish.ts";
 *
 * const key = parseSigningKey(await Deno.readTextFile("fixtures/example/input/auditor.key.json"));
 * assert.equal(key.algorithm, "secp256k1");
 * assert.equal(key.keyid, "db49e2f39070bfd963e2e3a024b69438ec4c0122ef0f2cdb6a1d1b58b4110f66");
 * assert.throws(() => parseSigningKey('{"algorithm":"rsa"}'), InputError);
 * ```
 */
export function parseSigningKey(text: string): SigningKey {
  const bad = badInput("signing key");
  const value = parseJsonOr(text, bad);
  const shape = objectShapeProblem(value, { required: ["algorithm", "secretKey", "publicKey", "keyid"] });
  if (shape) bad(shape);
  const { algorithm, secretKey, publicKey, keyid } = asObject(value);
  if (algorithm !== "ed25519" && algorithm !== "secp256k1") bad(`algorithm must be "ed25519" or "secp256k1"`);
  let secret: Uint8Array;
  try {
    secret = hexToBytes(secretKey as string, 32);
  } catch {
    return bad("secretKey must be 64 lowercase hex digits");
  }
  let key: SigningKey;
  try {
    key = signingKeyFromSecret(algorithm as Algorithm, secret);
  } catch {
    return bad("secretKey is not a valid secret key");
  }
  if (publicKey !== bytesToHex(key.publicKey)) bad("publicKey does not match secretKey");
  if (keyid !== key.keyid) bad("keyid does not match publicKey");
  return key;
}

/**
 * The signing key file JSON (contains the secret: write it with mode 0600).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSigningKey, parseSigningKey, signingKeyJson } from "../../publish.ts";
 *
 * const key = generateSigningKey("ed25519");
 * assert.deepEqual(parseSigningKey(signingKeyJson(key)), key);
 * ```
 */
export function signingKeyJson(key: SigningKey): string {
  return JSON.stringify(
    {
      algorithm: key.algorithm,
      secretKey: bytesToHex(key.secretKey),
      publicKey: bytesToHex(key.publicKey),
      keyid: key.keyid,
    },
    null,
    2,
  ) + "\n";
}
