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
 * The keys file: the keys a user trusts and how many must sign.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type KeysFile, parseKeysFile } from "../../mod.ts";
 *
 * const keys: KeysFile = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * assert.equal(keys.threshold, 2);
 * assert.deepEqual(keys.keys.map((k) => k.algorithm), ["ed25519", "secp256k1"]);
 * ```
 */
export interface KeysFile {
  /** The trusted keys, with distinct keyids. */
  keys: TrustedKey[];
  /** How many distinct trusted keys must have signed. */
  threshold: number;
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
 * Reads a keys file: `{ "keys": [ { keyid, algorithm, publicKey, name? } ], "threshold" }`.
 * Each keyid must equal the hex SHA-256 of its public key, keyids are
 * distinct, and `1 <= threshold <= keys.length`.
 *
 * @throws {InputError} Naming the problem: the keys file is the user's own input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError, parseKeysFile } from "../../mod.ts";
 *
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * assert.equal(keys.threshold, 2);
 * assert.equal(keys.keys.length, 2);
 * assert.throws(() => parseKeysFile('{"keys":[],"threshold":1}'), InputError);
 * ```
 */
export function parseKeysFile(text: string): KeysFile {
  const bad = (message: string): never => {
    throw new InputError(`keys file: ${message}`);
  };
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    return bad((e as Error).message);
  }
  const shape = objectShapeProblem(value, { required: ["keys", "threshold"] });
  if (shape) bad(shape);
  const obj = asObject(value);
  if (!Array.isArray(obj.keys) || obj.keys.length === 0 || obj.keys.length > 64) {
    bad("keys must be an array of 1 to 64 keys");
  }
  const keys = (obj.keys as JsonValue[]).map((k, i): TrustedKey => {
    const problem = objectShapeProblem(k, { required: ["keyid", "algorithm", "publicKey"], optional: ["name"] });
    if (problem) bad(`keys[${i}]: ${problem}`);
    const { keyid, algorithm, publicKey, name } = asObject(k);
    if (algorithm !== "ed25519" && algorithm !== "secp256k1") {
      bad(`keys[${i}].algorithm must be "ed25519" or "secp256k1"`);
    }
    const alg = algorithm as Algorithm;
    let pub: Uint8Array;
    try {
      pub = hexToBytes(publicKey as string, alg === "ed25519" ? 32 : 33);
    } catch (e) {
      return bad(`keys[${i}].publicKey: ${(e as Error).message}`);
    }
    const problemKey = publicKeyProblem(alg, pub);
    if (problemKey) bad(`keys[${i}]: ${problemKey}`);
    const actual = keyidOf(pub);
    if (keyid !== actual) bad(`keys[${i}].keyid ${JSON.stringify(keyid)} != SHA-256(publicKey) = ${actual}`);
    if (name !== undefined && (typeof name !== "string" || name.length > 256)) {
      bad(`keys[${i}].name must be a short string`);
    }
    return name === undefined
      ? { keyid: actual, algorithm: alg, publicKey: pub }
      : { keyid: actual, algorithm: alg, publicKey: pub, name: name as string };
  });
  const ids = new Set(keys.map((k) => k.keyid));
  if (ids.size !== keys.length) bad("keys must be distinct");
  const threshold = obj.threshold;
  if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 1 || threshold > keys.length) {
    bad(`threshold must be an integer from 1 to ${keys.length}`);
  }
  return { keys, threshold: threshold as number };
}

/**
 * The keys file JSON for a set of signing keys, with threshold = all of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile } from "../../mod.ts";
 * import { generateSigningKey, keysFileJson } from "../../publish.ts";
 *
 * const signers = [generateSigningKey("ed25519"), generateSigningKey("secp256k1")];
 * const keys = parseKeysFile(keysFileJson(signers));
 * assert.equal(keys.threshold, 2);
 * assert.deepEqual(keys.keys.map((k) => k.keyid), signers.map((k) => k.keyid));
 * ```
 */
export function keysFileJson(keys: readonly SigningKey[]): string {
  return JSON.stringify(
    {
      keys: keys.map((k) => ({ keyid: k.keyid, algorithm: k.algorithm, publicKey: bytesToHex(k.publicKey) })),
      threshold: keys.length,
    },
    null,
    2,
  ) + "\n";
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
  const bad = (message: string): never => {
    throw new InputError(`signing key: ${message}`);
  };
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    return bad((e as Error).message);
  }
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
