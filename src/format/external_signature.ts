/**
 * Signatures made outside haircut (an HSM, a cloud KMS, OpenSSL), read from
 * the encodings those tools write and turned into the form envelopes carry:
 * 64 bytes, and for secp256k1 `r || s` with low S.
 *
 * @module
 */

import { base64ToBytes, hexToBytes } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import { derToCompact } from "./_der.ts";
import { type Algorithm, normalizeSignature } from "./signature.ts";

/**
 * How a signature file is encoded: `raw` (the 64 bytes themselves),
 * `base64` or `hex` (text of those 64 bytes, surrounding whitespace
 * ignored), or `der` (a DER `ECDSA-Sig-Value`, secp256k1 only: what
 * `openssl dgst -sign` and KMS services return; binary, or as hex or base64
 * text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSignature, type SignatureEncoding } from "../../publish.ts";
 *
 * const compact = new Uint8Array(64).fill(1);
 * const hex: SignatureEncoding = "hex";
 * const text = new TextEncoder().encode("01".repeat(64) + "\n");
 * assert.deepEqual(decodeSignature(text, { algorithm: "ed25519", encoding: hex }).signature, compact);
 * ```
 */
export type SignatureEncoding = "raw" | "base64" | "hex" | "der";

/** Hex text, either case, with surrounding whitespace. */
const HEX_TEXT = /^\s*[0-9a-fA-F]+\s*$/;

/** The signature file encodings, for argument checking. */
export const SIGNATURE_ENCODINGS: readonly SignatureEncoding[] = ["raw", "base64", "hex", "der"];

/**
 * A signature in the envelope's form, and whether its high S was replaced by `n - S`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type DecodedSignature, decodeSignature } from "../../publish.ts";
 *
 * // r = 1, s = n - 1: a high S, which becomes 1.
 * const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
 * const high = new Uint8Array(64);
 * high[31] = 1;
 * for (let i = 63, s = n - 1n; i >= 32; i--, s >>= 8n) high[i] = Number(s & 0xffn);
 * const decoded: DecodedSignature = decodeSignature(high, { algorithm: "secp256k1", encoding: "raw" });
 * assert.equal(decoded.normalized, true);
 * assert.equal(decoded.signature[63], 1);
 * ```
 */
export interface DecodedSignature {
  /** 64 bytes: Ed25519 `R || S`, or secp256k1 `r || s` with `s <= n/2`. */
  signature: Uint8Array;
  /** True when a secp256k1 `s` above n/2 was normalized to `n - s`. */
  normalized: boolean;
}

/**
 * Decodes a signature file for `algorithm`. DER is converted by the strict
 * DER reader (no BER), and a secp256k1 signature's high S, in any encoding,
 * is normalized to `n - S`. Whether the signature verifies is not decided
 * here ({@linkcode addSignature} does that).
 *
 * @throws {InputError} Naming the problem: a malformed encoding, the wrong
 * length, DER for Ed25519, or `r`, `s` out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSignature } from "../../publish.ts";
 *
 * const der = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
 * const { signature, normalized } = decodeSignature(der, { algorithm: "secp256k1", encoding: "der" });
 * assert.equal(signature.length, 64);
 * assert.equal(signature[63], 2);
 * assert.equal(normalized, false);
 * assert.throws(() => decodeSignature(der, { algorithm: "ed25519", encoding: "der" }), /secp256k1 only/);
 * ```
 */
export function decodeSignature(
  bytes: Uint8Array,
  options: { algorithm: Algorithm; encoding: SignatureEncoding },
): DecodedSignature {
  const { algorithm, encoding } = options;
  const bad = (message: string): never => {
    throw new InputError(`signature (${encoding}): ${message}`);
  };
  const fromText = (as: "hex" | "base64"): Uint8Array => {
    try {
      const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes).trim();
      return as === "hex" ? hexToBytes(text.toLowerCase()) : base64ToBytes(text);
    } catch (e) {
      return bad(e instanceof TypeError ? "the file is not text" : (e as Error).message);
    }
  };
  let compact: Uint8Array;
  if (encoding === "der") {
    if (algorithm !== "secp256k1") bad("DER is for secp256k1 only; an ed25519 signature is 64 raw bytes");
    // Binary DER starts with the SEQUENCE tag 0x30; anything else is read as hex or base64 text of DER.
    const der = bytes[0] === 0x30 ? bytes : fromText(HEX_TEXT.test(new TextDecoder().decode(bytes)) ? "hex" : "base64");
    compact = derToCompact(der) ?? bad("not one strict DER ECDSA-Sig-Value with 1 <= r, s < n");
  } else if (encoding === "raw") {
    compact = bytes;
  } else {
    compact = fromText(encoding);
  }
  if (compact.length !== 64) {
    bad(
      `a ${algorithm} signature is 64 bytes, got ${compact.length}` +
        (algorithm === "secp256k1" && compact[0] === 0x30 ? " (DER? use --encoding der)" : ""),
    );
  }
  try {
    return normalizeSignature(algorithm, compact);
  } catch (e) {
    return bad((e as Error).message);
  }
}
