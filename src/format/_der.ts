/**
 * DER-encoded ECDSA signatures (`ECDSA-Sig-Value`, RFC 3279 and SEC 1) to
 * the 64-byte `r || s` form that the envelope's signature layer takes.
 *
 * Envelopes themselves carry only compact signatures; this converter is how
 * DER-encoded signatures (the Wycheproof conformance vectors, or a KMS's
 * output) reach that layer. It is `@noble/curves`' own strict DER parser
 * (`secp256k1.Signature.fromBytes(der, "der")`), which replaced a
 * hand-written reader because it decides every case the same way:
 * - all 939 DER cases of the Wycheproof secp256k1 files (the plain and the
 *   Bitcoin variant) give the same accept or reject and the same `r || s`
 *   (`tests/wycheproof_test.ts` pins the results unchanged);
 * - it rejects BER (indefinite or non-minimal lengths), negative or
 *   non-minimally encoded integers, `r` or `s` outside `[1, n - 1]`, a wrong
 *   tag, and any byte before, between or after the two integers
 *   (`tests/der_test.ts`);
 * - a differential run over 180,000 mutations of real signatures (bit flips,
 *   rewritten headers, truncations, inserted bytes) found no disagreement.
 *
 * Whether `s` is low is left to the signature policy: a high-S signature
 * converts unchanged.
 *
 * @module
 */

import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";

/**
 * The order n of the secp256k1 group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SECP256K1_ORDER } from "./_der.ts";
 * assert.equal(SECP256K1_ORDER % 2n, 1n);
 * ```
 */
export const SECP256K1_ORDER: bigint = secp256k1.Point.Fn.ORDER;

/**
 * Converts a strict DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
 * over secp256k1 to 64 bytes `r || s` (each big-endian, 32 bytes). It never
 * throws.
 *
 * @returns The compact signature, or `undefined` when the bytes are not
 * exactly one DER signature with `1 <= r, s < n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { derToCompact } from "./_der.ts";
 * const der = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
 * assert.equal(derToCompact(der)?.[63], 2);
 * assert.equal(derToCompact(new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0, 0])), undefined);
 * ```
 */
export function derToCompact(der: Uint8Array): Uint8Array | undefined {
  try {
    return secp256k1.Signature.fromBytes(der, "der").toBytes("compact");
  } catch {
    return undefined;
  }
}
