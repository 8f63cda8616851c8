/**
 * C2SP `cosignature/v1` (`c2sp.org/tlog-cosignature`): a witness's
 * timestamped Ed25519 note signature on a checkpoint. Signature type `0x04`,
 * key ID `SHA-256(name || 0x0A || 0x04 || key)[:4]`, signature
 * `u64be(timestamp) || Ed25519(key, "cosignature/v1\ntime <timestamp>\n" || note text)`.
 *
 * @module
 */

import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { utf8 } from "../core/encoding.ts";
import type { SigningKey } from "../format/keys.ts";
import { verifySignature } from "../format/signature.ts";
import {
  formatVkey,
  NoteError,
  noteKeyId,
  type NoteSignatureCheck,
  type NoteSigner,
  type NoteVerifier,
  parseVkey,
  signatureLine,
} from "./note.ts";

/** The signature type byte of a `cosignature/v1` Ed25519 cosignature. */
export const COSIGNATURE_TYPE = 0x04;

/** The largest timestamp a cosignature may carry here: `Number.MAX_SAFE_INTEGER` (the spec's bound is 2^63 - 1). */
export const MAX_COSIGNATURE_TIME: number = Number.MAX_SAFE_INTEGER;

/**
 * The message a cosignature signs: `cosignature/v1`, `time <timestamp>`,
 * then the whole checkpoint text.
 *
 * Precondition: `timestamp` is a safe integer `>= 0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignatureMessage } from "../../tlog.ts";
 * assert.equal(cosignatureMessage("o\n1\nAA==\n", 7), "cosignature/v1\ntime 7\no\n1\nAA==\n");
 * ```
 */
export function cosignatureMessage(text: string, timestamp: number): string {
  return `cosignature/v1\ntime ${timestamp}\n${text}`;
}

/**
 * The verifier of a witness's `0x04` vkey. A valid signature yields its
 * timestamp.
 *
 * @throws {NoteError} When the vkey is malformed or of another type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignatureSigner, openNote, parseCosignatureVkey, signNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const w = cosignatureSigner("witness.example", generateSigningKey("ed25519"), 1700000000);
 * const note = signNote("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", [w]);
 * assert.equal(openNote(note, [parseCosignatureVkey(w.vkey)]).verified[0].timestamp, 1700000000);
 * ```
 */
export function parseCosignatureVkey(vkey: string): NoteVerifier {
  const key = parseVkey(vkey);
  if (key.type !== COSIGNATURE_TYPE) {
    throw new NoteError(
      `vkey of ${key.name}: type 0x${key.type.toString(16)} is not a cosignature/v1 key (0x04)`,
      "malformed",
    );
  }
  return {
    ...key,
    verify(text: string, signature: Uint8Array): NoteSignatureCheck {
      if (signature.length !== 72) {
        return { valid: false, reason: `a cosignature is 72 bytes after the key ID, got ${signature.length}` };
      }
      const time = new DataView(signature.buffer, signature.byteOffset).getBigUint64(0);
      if (time > BigInt(MAX_COSIGNATURE_TIME)) {
        return { valid: false, reason: `timestamp ${time} is beyond ${MAX_COSIGNATURE_TIME}` };
      }
      const timestamp = Number(time);
      const message = utf8(cosignatureMessage(text, timestamp));
      return verifySignature({ algorithm: "ed25519", publicKey: key.publicKey }, {
          message,
          signature: signature.subarray(8),
        })
        ? { valid: true, timestamp }
        : { valid: false, reason: `cosignature at time ${timestamp} does not verify` };
    },
  };
}

/**
 * A witness's cosigner: signs note texts with `cosignature/v1` at the given
 * timestamp.
 *
 * @throws {RangeError} When the name is invalid, the key is not Ed25519 or the timestamp is out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignatureSigner } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const w = cosignatureSigner("witness.example", generateSigningKey("ed25519"), 0);
 * assert.equal(w.sign("x\n").length, 72);
 * ```
 */
export function cosignatureSigner(name: string, key: SigningKey, timestamp: number): NoteSigner {
  if (key.algorithm !== "ed25519") throw new RangeError(`a witness key must be Ed25519, not ${key.algorithm}`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp ${timestamp} must be a whole number of seconds from 0`);
  }
  return {
    name,
    keyId: noteKeyId(name, COSIGNATURE_TYPE, key.publicKey),
    vkey: formatVkey({ name, type: COSIGNATURE_TYPE, publicKey: key.publicKey }),
    sign(text: string): Uint8Array {
      const out = new Uint8Array(72);
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
      out.set(ed25519.sign(utf8(cosignatureMessage(text, timestamp)), key.secretKey), 8);
      return out;
    },
  };
}

/**
 * The cosignature line a witness returns for a checkpoint text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignCheckpoint } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * assert.match(cosignCheckpoint("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", { name: "w", key: generateSigningKey("ed25519") }, 5), /^— w /);
 * ```
 */
export function cosignCheckpoint(text: string, witness: { name: string; key: SigningKey }, timestamp: number): string {
  const signer = cosignatureSigner(witness.name, witness.key, timestamp);
  return signatureLine(signer.name, signer.keyId, signer.sign(text));
}
