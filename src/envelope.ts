/**
 * The DSSE envelope, its pre-authentication encoding, Ed25519 (strict) and
 * secp256k1 (compact, low-S) signatures, the keys file and the threshold.
 *
 * @module
 */

import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes, utf8 } from "./encoding.ts";
import { type Finding, FormatError, InputError } from "./errors.ts";
import { asObject, type JsonValue, objectShapeProblem, parseJson } from "./json.ts";

/** The DSSE `payloadType` of a statement. */
export const PAYLOAD_TYPE = "application/vnd.socialized-loss.statement.v1+json";

/** A signature algorithm. */
export type Algorithm = "ed25519" | "secp256k1";

/**
 * A parsed DSSE envelope.
 *
 * @example
 * ```ts
 * import type { Envelope } from "./envelope.ts";
 * const e: Envelope = { payloadType: "x", payload: new Uint8Array(), signatures: [] };
 * ```
 */
export interface Envelope {
  /** The payload's media type. */
  payloadType: string;
  /** The payload bytes (base64-decoded). */
  payload: Uint8Array;
  /** The signatures, as written. */
  signatures: { keyid: string; sig: Uint8Array }[];
}

/**
 * A public key the user trusts.
 *
 * @example
 * ```ts
 * import type { TrustedKey } from "./envelope.ts";
 * declare const k: TrustedKey;
 * k.keyid; // hex SHA-256 of k.publicKey, recomputed
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
 * import type { KeysFile } from "./envelope.ts";
 * declare const keys: KeysFile;
 * keys.threshold <= keys.keys.length; // always
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
 * import type { SigningKey } from "./envelope.ts";
 * declare const k: SigningKey;
 * k.secretKey.length; // 32
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
 * One signature's outcome, for reports.
 *
 * @example
 * ```ts
 * import type { SignerResult } from "./envelope.ts";
 * const unknown: SignerResult = { keyid: "ab12", status: "unknown" };
 * ```
 */
export interface SignerResult {
  /** The keyid written in the envelope (not trusted). */
  keyid: string;
  /** `valid`: by a trusted key; `invalid`: names a trusted key but does not verify; `unknown`: no trusted key. */
  status: "valid" | "invalid" | "unknown";
  /** The trusted key that verified it, when valid. */
  trustedKeyid?: string;
  /** The trusted key's display name, if any. */
  name?: string;
}

/**
 * The DSSE v1 pre-authentication encoding:
 * `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`.
 *
 * @example
 * ```ts
 * import { pae } from "./envelope.ts";
 * new TextDecoder().decode(pae("t", new TextEncoder().encode("hi"))); // "DSSEv1 1 t 2 hi"
 * ```
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  const head = utf8(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

/**
 * The keyid of a raw public key: lowercase hex SHA-256 of its bytes.
 *
 * @example
 * ```ts
 * import { keyidOf } from "./envelope.ts";
 * keyidOf(new Uint8Array(32)).length; // 64
 * ```
 */
export function keyidOf(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey));
}

/**
 * Checks a raw public key's encoding for the algorithm.
 *
 * @returns A one-line problem, or `undefined` when well formed.
 *
 * @example
 * ```ts
 * import { publicKeyProblem } from "./envelope.ts";
 * publicKeyProblem("secp256k1", new Uint8Array(65)); // "secp256k1 public key must be 33 bytes ..."
 * ```
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
 *
 * @example
 * ```ts
 * import { verifySignature } from "./envelope.ts";
 * verifySignature({ algorithm: "ed25519", publicKey: new Uint8Array(32) }, { message: new Uint8Array(), signature: new Uint8Array(64) }); // false
 * ```
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
 *
 * @example
 * ```ts
 * import { generateSigningKey, signMessage, verifySignature } from "./envelope.ts";
 * const k = generateSigningKey("ed25519");
 * const sig = signMessage(k, new Uint8Array([1]));
 * verifySignature({ algorithm: "ed25519", publicKey: k.publicKey }, { message: new Uint8Array([1]), signature: sig }); // true
 * ```
 */
export function signMessage(key: SigningKey, message: Uint8Array): Uint8Array {
  if (key.algorithm === "ed25519") return ed25519.sign(message, key.secretKey);
  return secp256k1.sign(message, key.secretKey, { prehash: true, lowS: true, format: "compact" });
}

/**
 * The public key of a 32-byte secret key.
 *
 * @example
 * ```ts
 * import { publicKeyOf } from "./envelope.ts";
 * publicKeyOf("secp256k1", new Uint8Array(32).fill(2)).length; // 33
 * ```
 */
export function publicKeyOf(algorithm: Algorithm, secretKey: Uint8Array): Uint8Array {
  return algorithm === "ed25519" ? ed25519.getPublicKey(secretKey) : secp256k1.getPublicKey(secretKey, true);
}

/**
 * Builds a signing key from a 32-byte secret key.
 *
 * @example
 * ```ts
 * import { signingKeyFromSecret } from "./envelope.ts";
 * signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)).keyid; // "34750f98..."
 * ```
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
 * import { generateSigningKey } from "./envelope.ts";
 * generateSigningKey("secp256k1").publicKey.length; // 33
 * ```
 */
export function generateSigningKey(algorithm: Algorithm): SigningKey {
  const secret = algorithm === "ed25519" ? ed25519.utils.randomSecretKey() : secp256k1.utils.randomSecretKey();
  return signingKeyFromSecret(algorithm, secret);
}

/**
 * Signs a payload into a DSSE envelope, one signature per key, in order.
 *
 * @example
 * ```ts
 * import { generateSigningKey, signEnvelope } from "./envelope.ts";
 * const env = signEnvelope(new Uint8Array([123, 125]), [generateSigningKey("ed25519")]);
 * env.signatures.length; // 1
 * ```
 */
export function signEnvelope(payload: Uint8Array, keys: readonly SigningKey[]): Envelope {
  const message = pae(PAYLOAD_TYPE, payload);
  return {
    payloadType: PAYLOAD_TYPE,
    payload,
    signatures: keys.map((k) => ({ keyid: k.keyid, sig: signMessage(k, message) })),
  };
}

/**
 * The envelope as JSON text, two-space indented, with a final newline.
 *
 * @example
 * ```ts
 * import { envelopeToJson, type Envelope } from "./envelope.ts";
 * declare const env: Envelope;
 * JSON.parse(envelopeToJson(env)).payloadType;
 * ```
 */
export function envelopeToJson(envelope: Envelope): string {
  return JSON.stringify(
    {
      payload: bytesToBase64(envelope.payload),
      payloadType: envelope.payloadType,
      signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: bytesToBase64(s.sig) })),
    },
    null,
    2,
  ) + "\n";
}

function envelopeInvalid(message: string): never {
  throw new FormatError("ENVELOPE_INVALID", `envelope: ${message}`);
}

/**
 * Parses a DSSE envelope strictly: exactly the three DSSE fields, canonical
 * base64, at most 16 signatures, each `{ keyid, sig }`.
 *
 * @throws {FormatError} With `ENVELOPE_INVALID`.
 *
 * @example
 * ```ts
 * import { parseEnvelope } from "./envelope.ts";
 * parseEnvelope('{"payload":"e30=","payloadType":"t","signatures":[]}').payload; // Uint8Array [123, 125]
 * ```
 */
export function parseEnvelope(text: string): Envelope {
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    return envelopeInvalid((e as Error).message);
  }
  const shape = objectShapeProblem(value, { required: ["payload", "payloadType", "signatures"] });
  if (shape) envelopeInvalid(shape);
  const obj = asObject(value);
  if (typeof obj.payloadType !== "string") envelopeInvalid("payloadType must be a string");
  if (typeof obj.payload !== "string") envelopeInvalid("payload must be a base64 string");
  let payload: Uint8Array;
  try {
    payload = base64ToBytes(obj.payload);
  } catch (e) {
    return envelopeInvalid(`payload: ${(e as Error).message}`);
  }
  const sigs = obj.signatures;
  if (!Array.isArray(sigs) || sigs.length > 16) envelopeInvalid("signatures must be an array of at most 16");
  const signatures = sigs.map((s, i) => {
    const problem = objectShapeProblem(s, { required: ["keyid", "sig"] });
    if (problem) envelopeInvalid(`signatures[${i}]: ${problem}`);
    const { keyid, sig } = asObject(s);
    if (typeof keyid !== "string" || keyid.length > 128) {
      envelopeInvalid(`signatures[${i}].keyid must be a short string`);
    }
    if (typeof sig !== "string") envelopeInvalid(`signatures[${i}].sig must be a base64 string`);
    try {
      return { keyid, sig: base64ToBytes(sig) };
    } catch (e) {
      return envelopeInvalid(`signatures[${i}].sig: ${(e as Error).message}`);
    }
  });
  return { payloadType: obj.payloadType, payload, signatures };
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
 * import { parseKeysFile } from "./envelope.ts";
 * const keys = parseKeysFile(Deno.readTextFileSync("fixtures/example/keys.json"));
 * keys.threshold; // 2
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
 * import { generateSigningKey, keysFileJson } from "./envelope.ts";
 * JSON.parse(keysFileJson([generateSigningKey("ed25519")])).threshold; // 1
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
 * The outcome of checking an envelope's signatures.
 *
 * @example
 * ```ts
 * import { checkSignatures, type Envelope, type KeysFile, type SignatureCheck } from "./envelope.ts";
 * declare const env: Envelope, keys: KeysFile;
 * const check: SignatureCheck = checkSignatures(env, keys);
 * check.validKeys >= keys.threshold; // when no finding is SIGNATURE_THRESHOLD
 * ```
 */
export interface SignatureCheck {
  /** `SIGNATURE_INVALID`, `SIGNATURE_THRESHOLD` and `PAYLOAD_TYPE` findings. */
  findings: Finding[];
  /** One entry per signature in the envelope. */
  signers: SignerResult[];
  /** The number of distinct trusted keys with a valid signature. */
  validKeys: number;
}

/**
 * Checks an envelope's signatures against the trusted keys. Each signature
 * is tried against every trusted key: the keyid written in the envelope is
 * never trusted. A signature that names a trusted keyid but verifies under
 * no trusted key is `SIGNATURE_INVALID`; one naming an unknown key is
 * reported and ignored. At least `threshold` distinct trusted keys must sign.
 *
 * @example
 * ```ts
 * import { checkSignatures, type Envelope, type KeysFile } from "./envelope.ts";
 * declare const env: Envelope, keys: KeysFile;
 * checkSignatures(env, keys).findings.length === 0; // when valid
 * ```
 */
export function checkSignatures(envelope: Envelope, keys: KeysFile): SignatureCheck {
  const findings: Finding[] = [];
  const signers: SignerResult[] = [];
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    findings.push({
      code: "PAYLOAD_TYPE",
      message: `payloadType ${JSON.stringify(envelope.payloadType)} is not ${JSON.stringify(PAYLOAD_TYPE)}`,
    });
    return { findings, signers, validKeys: 0 };
  }
  const message = pae(envelope.payloadType, envelope.payload);
  const valid = new Set<string>();
  envelope.signatures.forEach((s, i) => {
    const key = keys.keys.find((k) =>
      verifySignature({ algorithm: k.algorithm, publicKey: k.publicKey }, { message: message, signature: s.sig })
    );
    if (key) {
      valid.add(key.keyid);
      signers.push({
        keyid: s.keyid,
        status: "valid",
        trustedKeyid: key.keyid,
        ...(key.name ? { name: key.name } : {}),
      });
      return;
    }
    const named = keys.keys.find((k) => k.keyid === s.keyid);
    if (named) {
      signers.push({ keyid: s.keyid, status: "invalid", ...(named.name ? { name: named.name } : {}) });
      findings.push({
        code: "SIGNATURE_INVALID",
        message: `signature ${i} names trusted key ${s.keyid.slice(0, 16)}… but does not verify`,
      });
    } else {
      signers.push({ keyid: s.keyid, status: "unknown" });
    }
  });
  if (!Number.isSafeInteger(keys.threshold) || keys.threshold < 1) {
    // A KeysFile built by hand rather than by parseKeysFile: never let a threshold of 0 trust an unsigned statement.
    findings.push({
      code: "SIGNATURE_THRESHOLD",
      message: `threshold ${keys.threshold} is not a positive integer, so no statement can be trusted`,
    });
  } else if (valid.size < keys.threshold) {
    findings.push({
      code: "SIGNATURE_THRESHOLD",
      message: `${valid.size} distinct trusted keys signed, threshold is ${keys.threshold}`,
    });
  }
  return { findings, signers, validKeys: valid.size };
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
 * import { parseSigningKey } from "./envelope.ts";
 * parseSigningKey(Deno.readTextFileSync("fixtures/example/input/venue.key.json")).algorithm; // "ed25519"
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
 * import { generateSigningKey, signingKeyJson } from "./envelope.ts";
 * JSON.parse(signingKeyJson(generateSigningKey("ed25519"))).algorithm; // "ed25519"
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
