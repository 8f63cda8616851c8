/**
 * The DSSE envelope that carries a signed statement: its pre-authentication
 * encoding, signing, strict parsing, and the threshold check against a keys
 * file.
 *
 * @module
 */

import { asObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import { base64ToBytes, bytesToBase64, utf8 } from "../core/encoding.ts";
import { type Finding, FormatError, InputError } from "../core/errors.ts";
import type { KeysFile, SigningKey, TrustedKey } from "./keys.ts";
import { keyidOf, signMessage, verifySignature } from "./signature.ts";

/**
 * The DSSE `payloadType` of a statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, PAYLOAD_TYPE } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * assert.equal(envelope.payloadType, PAYLOAD_TYPE);
 * ```
 */
export const PAYLOAD_TYPE = "application/vnd.socialized-loss.statement.v1+json";

/** The most signatures an envelope may carry (SPEC §9.1). */
export const MAX_SIGNATURES = 16;

/**
 * A parsed DSSE envelope.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Envelope, parseEnvelope } from "../../mod.ts";
 *
 * const envelope: Envelope = parseEnvelope(await Deno.readTextFile("fixtures/golden/statement.dsse.json"));
 * assert.equal(envelope.payload.length, 511);
 * assert.deepEqual(envelope.signatures.map((s) => s.keyid), [
 *   "34750f98bd59fcfc946da45aaabe933be154a4b5094e1c4abf42866505f3c97e",
 *   "80a9f99957b29af20338037cf06360bc55422e5bba0032bb4136498c278a7db1",
 * ]);
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
 * One signature's outcome, for reports.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSignatures, parseEnvelope, parseKeysFile, type SignerResult } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/golden/keys.json")); // not the example's keys
 * const signers: SignerResult[] = checkSignatures(envelope, keys).signers;
 * assert.deepEqual(signers.map((s) => s.status), ["unknown", "unknown"]);
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
 * @example The signed message of docs/SPEC.md section 13.7
 * ```ts
 * import assert from "node:assert/strict";
 * import { pae, parseEnvelope, PAYLOAD_TYPE } from "../../mod.ts";
 *
 * assert.equal(new TextDecoder().decode(pae("t", new TextEncoder().encode("hi"))), "DSSEv1 1 t 2 hi");
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/golden/statement.dsse.json"));
 * const message = pae(PAYLOAD_TYPE, envelope.payload);
 * assert.equal(message.length, 575);
 * assert.equal(new TextDecoder().decode(message.subarray(0, 64)), `DSSEv1 49 ${PAYLOAD_TYPE} 511 `);
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
 * Signs a payload into a DSSE envelope, one signature per key, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSignatures, parseKeysFile } from "../../mod.ts";
 * import { generateSigningKey, keysFileJson, signEnvelope } from "../../publish.ts";
 *
 * const key = generateSigningKey("ed25519");
 * const envelope = signEnvelope(new TextEncoder().encode("{}"), [key]);
 * assert.equal(envelope.signatures.length, 1);
 * assert.equal(envelope.signatures[0].keyid, key.keyid);
 * const check = checkSignatures(envelope, parseKeysFile(keysFileJson([key])));
 * assert.equal(check.validKeys, 1);
 * assert.deepEqual(check.findings, []);
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
 * import assert from "node:assert/strict";
 * import { FormatError, parseEnvelope } from "../../mod.ts";
 *
 * const envelope = parseEnvelope('{"payload":"e30=","payloadType":"t","signatures":[]}');
 * assert.deepEqual(envelope.payload, new Uint8Array([123, 125]));
 * assert.throws(
 *   () => parseEnvelope('{"payload":"e30","payloadType":"t","signatures":[]}'), // base64 without its padding
 *   (e) => e instanceof FormatError && e.finding.code === "ENVELOPE_INVALID",
 * );
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
  if (!Array.isArray(sigs) || sigs.length > MAX_SIGNATURES) {
    envelopeInvalid(`signatures must be an array of at most ${MAX_SIGNATURES}`);
  }
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
 * The outcome of checking an envelope's signatures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSignatures, parseEnvelope, parseKeysFile, type SignatureCheck } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const check: SignatureCheck = checkSignatures(envelope, keys);
 * assert.equal(check.validKeys, 2);
 * assert.ok(check.validKeys >= keys.threshold);
 * ```
 */
export interface SignatureCheck {
  /** `SIGNATURE_INVALID`, `SIGNATURE_THRESHOLD`, `SIGNATURE_REQUIRED` and `PAYLOAD_TYPE` findings. */
  findings: Finding[];
  /** One entry per signature in the envelope. */
  signers: SignerResult[];
  /** The number of distinct trusted keys with a valid signature. */
  validKeys: number;
  /** The keyids of `keys.required` without a valid signature, in the keys file's order. */
  missingRequired: string[];
}

/**
 * Checks an envelope's signatures against the trusted keys. Each signature
 * is tried against every trusted key: the keyid written in the envelope is
 * never trusted. A signature that names a trusted keyid but verifies under
 * no trusted key is `SIGNATURE_INVALID`; one naming an unknown key is
 * reported and ignored. At least `threshold` distinct trusted keys must sign,
 * and each key of `keys.required` among them (`SIGNATURE_REQUIRED` names
 * every one that did not).
 *
 * @example Every trusted key signed, and the threshold fails without them
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSignatures, parseEnvelope, parseKeysFile } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const ok = checkSignatures(envelope, keys);
 * assert.deepEqual(ok.findings, []);
 * assert.deepEqual(ok.signers.map((s) => s.status), ["valid", "valid"]);
 *
 * const one = checkSignatures({ ...envelope, signatures: envelope.signatures.slice(0, 1) }, keys);
 * assert.deepEqual(one.findings.map((f) => f.code), ["SIGNATURE_THRESHOLD"]);
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
    return { findings, signers, validKeys: 0, missingRequired: [...(keys.required ?? [])] };
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
  const missingRequired = (keys.required ?? []).filter((id) => !valid.has(id));
  for (const id of missingRequired) {
    const name = keys.keys.find((k) => k.keyid === id)?.name;
    findings.push({
      code: "SIGNATURE_REQUIRED",
      message: `required key ${id}${name ? ` (${name})` : ""} has no valid signature`,
    });
  }
  return { findings, signers, validKeys: valid.size, missingRequired };
}

/**
 * Appends a signature made elsewhere (an HSM, a cloud KMS, another
 * machine) to an envelope, after checking it. The signature must verify
 * over the envelope's PAE under `key` in the form envelopes carry (64 bytes;
 * secp256k1 low S, as `decodeSignature` returns); its keyid is
 * recomputed from the public key.
 *
 * @throws {FormatError} `PAYLOAD_TYPE` when the envelope is not a statement's;
 * `SIGNATURE_INVALID` when the signature does not verify under `key`, or
 * when the envelope already holds a signature that names this key but does
 * not verify (everyone trusting the key would reject the envelope).
 * @throws {InputError} When `key` already signed the envelope, or it holds
 * the maximum of 16 signatures already.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
 * import { FormatError, pae, parseEnvelope } from "../../mod.ts";
 * import { addSignature, generateSigningKey } from "../../publish.ts";
 *
 * // The example statement, signed by the venue and the auditor; a third signer's HSM signs its PAE.
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const hsm = generateSigningKey("ed25519");
 * const sig = ed25519.sign(pae(envelope.payloadType, envelope.payload), hsm.secretKey);
 * const signed = addSignature(envelope, hsm, sig);
 * assert.deepEqual(signed.signatures.map((s) => s.keyid).slice(2), [hsm.keyid]);
 * assert.equal(envelope.signatures.length, 2, "the input is not changed");
 * // The same signature under another key does not verify: nothing is added.
 * assert.throws(() => addSignature(envelope, generateSigningKey("ed25519"), sig), FormatError);
 * ```
 */
export function addSignature(envelope: Envelope, key: TrustedKey, signature: Uint8Array): Envelope {
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    throw new FormatError("PAYLOAD_TYPE", `payloadType ${JSON.stringify(envelope.payloadType)} is not a statement's`);
  }
  const message = pae(envelope.payloadType, envelope.payload);
  const keyid = keyidOf(key.publicKey);
  const signed = { algorithm: key.algorithm, publicKey: key.publicKey };
  const existing = envelope.signatures.findIndex((s) => verifySignature(signed, { message, signature: s.sig }));
  if (existing >= 0) throw new InputError(`key ${keyid} already signed this statement (signature ${existing})`);
  const clash = envelope.signatures.findIndex((s) => s.keyid === keyid);
  if (clash >= 0) {
    throw new FormatError(
      "SIGNATURE_INVALID",
      `signature ${clash} names key ${keyid} but does not verify under it: ` +
        `everyone trusting that key would reject this envelope; remove it first`,
    );
  }
  if (!verifySignature(signed, { message, signature })) {
    throw new FormatError(
      "SIGNATURE_INVALID",
      `the ${key.algorithm} signature does not verify over this statement's PAE under key ${keyid}`,
    );
  }
  if (envelope.signatures.length >= MAX_SIGNATURES) {
    throw new InputError(`the envelope already holds the maximum of ${MAX_SIGNATURES} signatures`);
  }
  return { ...envelope, signatures: [...envelope.signatures, { keyid, sig: signature }] };
}

/**
 * Co-signs an envelope: signs its PAE with `key` and appends the signature
 * ({@linkcode addSignature}'s checks apply). The payload is unchanged, so
 * its digest and every proof of it stay valid. Check the statement first:
 * a co-signature asserts that the signer verified it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError, parseEnvelope, payloadDigest } from "../../mod.ts";
 * import { cosignEnvelope, generateSigningKey } from "../../publish.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const auditor = generateSigningKey("secp256k1");
 * const cosigned = cosignEnvelope(envelope, auditor);
 * assert.equal(cosigned.signatures.length, 3);
 * assert.equal(payloadDigest(cosigned.payload), payloadDigest(envelope.payload));
 * assert.throws(() => cosignEnvelope(cosigned, auditor), InputError); // already signed
 * ```
 */
export function cosignEnvelope(envelope: Envelope, key: SigningKey): Envelope {
  return addSignature(envelope, key, signMessage(key, pae(envelope.payloadType, envelope.payload)));
}
