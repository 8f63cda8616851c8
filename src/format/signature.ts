/**
 * The two signature algorithms: Ed25519 (RFC 8032, strict) and secp256k1
 * (ECDSA over SHA-256, 64-byte compact r || s, low S), with key ids.
 *
 * @module
 */

import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { bytesToHex } from "../core/encoding.ts";
import type { SigningKey } from "./keys.ts";

/**
 * A signature algorithm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Algorithm, parseKeysFile } from "../../mod.ts";
 *
 * const algorithms: Algorithm[] = parseKeysFile(await Deno.readTextFile("fixtures/golden/keys.json"))
 *   .keys.map((k) => k.algorithm);
 * assert.deepEqual(algorithms, ["ed25519", "secp256k1"]);
 * ```
 */
export type Algorithm = "ed25519" | "secp256k1";

/**
 * The keyid of a raw public key: lowercase hex SHA-256 of its bytes.
 */
export function keyidOf(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey));
}

/**
 * Checks a raw public key's encoding for the algorithm.
 *
 * @returns A one-line problem, or `undefined` when well formed.
 */
export function publicKeyProblem(algorithm: Algorithm, publicKey: Uint8Array): string | undefined {
  try {
    if (algorithm === "ed25519") {
      if (publicKey.length !== 32) return `ed25519 public key must be 32 bytes, got ${publicKey.length}`;
      ed25519.Point.fromBytes(publicKey, false);
      return undefined;
    }
    if (publicKey.length !== 33 || (publicKey[0] !== 2 && publicKey[0] !== 3)) {
      return `secp256k1 public key must be 33 bytes compressed SEC1, got ${publicKey.length} bytes`;
    }
    secp256k1.Point.fromBytes(publicKey).assertValidity();
    return undefined;
  } catch {
    return `${algorithm} public key is not a valid curve point`;
  }
}

/**
 * Verifies one signature under the project's policy: Ed25519 per RFC 8032
 * with canonical encodings only (no ZIP-215), or secp256k1 ECDSA over
 * SHA-256(message) as 64-byte r||s with low S and a compressed key.
 * Never throws: malformed input is simply not a valid signature.
 */
export function verifySignature(
  key: { algorithm: Algorithm; publicKey: Uint8Array },
  signed: { message: Uint8Array; signature: Uint8Array },
): boolean {
  const { algorithm, publicKey } = key;
  const { message, signature } = signed;
  if (signature.length !== 64) return false;
  try {
    if (algorithm === "ed25519") {
      if (publicKey.length !== 32) return false;
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    }
    if (publicKey.length !== 33) return false;
    return secp256k1.verify(signature, message, publicKey, { prehash: true, lowS: true, format: "compact" });
  } catch {
    return false;
  }
}

/**
 * Signs a message with a signing key: Ed25519, or secp256k1 ECDSA over
 * SHA-256 with RFC 6979 nonces and low S.
 */
export function signMessage(key: SigningKey, message: Uint8Array): Uint8Array {
  if (key.algorithm === "ed25519") return ed25519.sign(message, key.secretKey);
  return secp256k1.sign(message, key.secretKey, { prehash: true, lowS: true, format: "compact" });
}

/**
 * The public key of a 32-byte secret key.
 */
export function publicKeyOf(algorithm: Algorithm, secretKey: Uint8Array): Uint8Array {
  return algorithm === "ed25519" ? ed25519.getPublicKey(secretKey) : secp256k1.getPublicKey(secretKey, true);
}

/**
 * Puts a 64-byte secp256k1 `r || s` signature in the low-S form envelopes
 * require: an `s` above n/2 becomes `n - s`. `(r, s)` and `(r, n - s)` are
 * the same ECDSA signature (both verify, or neither), so this never turns an
 * invalid signature into a valid one; it only picks the canonical twin.
 * Ed25519 signatures are returned as they are (they have no such twin).
 *
 * @returns The low-S signature and whether `s` was changed.
 */
export function normalizeSignature(
  algorithm: Algorithm,
  signature: Uint8Array,
): { signature: Uint8Array; normalized: boolean } {
  if (signature.length !== 64) throw new RangeError(`a signature is 64 bytes, got ${signature.length}`);
  if (algorithm === "ed25519") return { signature, normalized: false };
  const n = secp256k1.Point.CURVE().n;
  const r = bigintOf(signature.subarray(0, 32));
  const s = bigintOf(signature.subarray(32));
  if (r < 1n || r >= n || s < 1n || s >= n) throw new RangeError("secp256k1 r and s must be in [1, n - 1]");
  if (s <= n >> 1n) return { signature, normalized: false };
  const out = signature.slice();
  let low = n - s;
  for (let i = 63; i >= 32; i--) {
    out[i] = Number(low & 0xffn);
    low >>= 8n;
  }
  return { signature: out, normalized: true };
}

function bigintOf(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}
