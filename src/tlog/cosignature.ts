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

/**
 * The signature type byte of a `cosignature/v1` Ed25519 cosignature, the
 * type of a witness's key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COSIGNATURE_TYPE, parseVkey } from "../../tlog.ts";
 *
 * const key = parseVkey("w2.tampered.example+7f4b8e79+BArbMN59nWKWc1eJa3az2djF+flUdLaL+71dT2K3BqR1");
 * assert.equal(key.type, COSIGNATURE_TYPE);
 * ```
 */
export const COSIGNATURE_TYPE = 0x04;

/** The largest timestamp a cosignature may carry here: `Number.MAX_SAFE_INTEGER` (the spec's bound is 2^63 - 1). */
const MAX_COSIGNATURE_TIME: number = Number.MAX_SAFE_INTEGER;

/**
 * The message a cosignature signs: `cosignature/v1`, `time <timestamp>`,
 * then the whole checkpoint text.
 *
 * Precondition: `timestamp` is a safe integer `>= 0`.
 */
function cosignatureMessage(text: string, timestamp: number): string {
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
 * import { NoteError, openNote, parseCosignatureVkey, parseTlogProof } from "../../tlog.ts";
 *
 * const w1 = parseCosignatureVkey("w1.tampered.example+80dea459+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN");
 * const proof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * assert.equal(openNote(proof.checkpoint, [w1]).verified[0].timestamp, 1767225600);
 * // A log's Ed25519 key is not a witness key.
 * assert.throws(
 *   () => parseCosignatureVkey("tampered.example/haircut-log+4f1e95fd+AbNNCCLysL5PKP6SvWRy3BkrKNy6F46jufMxqgSXtbmZ"),
 *   (e) => e instanceof NoteError && e.problem === "malformed",
 * );
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
 * import { cosignatureSigner, openNote, parseCosignatureVkey, signNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const w = cosignatureSigner("witness.example", generateSigningKey("ed25519"), 1700000000);
 * assert.equal(w.sign("x\n").length, 72); // u64 timestamp, then the Ed25519 signature
 * const note = signNote("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", [w]);
 * assert.equal(openNote(note, [parseCosignatureVkey(w.vkey)]).verified[0].timestamp, 1700000000);
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
 * import { cosignatureSigner, cosignCheckpoint, openNote, parseCosignatureVkey } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const witness = { name: "w.example", key: generateSigningKey("ed25519") };
 * const text = "o.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
 * const line = cosignCheckpoint(text, witness, 5);
 * assert.match(line, /^— w\.example \S+\n$/);
 * const vkey = parseCosignatureVkey(cosignatureSigner(witness.name, witness.key, 0).vkey);
 * assert.equal(openNote(`${text}\n${line}`, [vkey]).verified[0].timestamp, 5);
 * ```
 */
export function cosignCheckpoint(text: string, witness: { name: string; key: SigningKey }, timestamp: number): string {
  const signer = cosignatureSigner(witness.name, witness.key, timestamp);
  return signatureLine(signer.name, signer.keyId, signer.sign(text));
}
