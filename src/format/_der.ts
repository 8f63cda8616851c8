/**
 * A strict DER reader for ECDSA signatures (`ECDSA-Sig-Value`, RFC 3279 and
 * SEC 1), converting them to the 64-byte `r || s` form that the envelope's
 * signature layer takes.
 *
 * Envelopes themselves carry only compact signatures; this converter is how
 * DER-encoded signatures (for example the Wycheproof conformance vectors)
 * reach that layer. It accepts DER only, never BER: minimal lengths, no
 * indefinite length, minimal positive integers, `r` and `s` in `[1, n - 1]`,
 * and nothing before, between or after the two integers. Whether `s` is low
 * is left to the signature policy.
 *
 * @module
 */

/** The order n of the secp256k1 group. */
export const SECP256K1_ORDER: bigint = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A reader over one DER value's bytes that fails with `undefined` on any deviation. */
class DerReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** Reads a definite, minimally encoded length. */
  length(): number | undefined {
    const first = this.bytes[this.pos++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length; more than two length bytes never fits a signature.
    if (count === 0 || count > 2 || this.pos + count > this.bytes.length) return undefined;
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 256 + this.bytes[this.pos++];
    // Minimal: long form only from 128, and no leading zero length byte.
    if (value < 0x80 || (count === 2 && value < 0x100)) return undefined;
    return value;
  }

  /** Reads an INTEGER that is positive and minimally encoded, and returns its value. */
  positiveInteger(): bigint | undefined {
    if (this.bytes[this.pos++] !== 0x02) return undefined;
    const length = this.length();
    if (length === undefined || length === 0 || this.pos + length > this.bytes.length) return undefined;
    const body = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    if (body[0] & 0x80) return undefined; // negative
    if (length > 1 && body[0] === 0 && !(body[1] & 0x80)) return undefined; // a superfluous leading zero
    let value = 0n;
    for (const b of body) value = (value << 8n) | BigInt(b);
    return value;
  }
}

/**
 * Converts a strict DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
 * over secp256k1 to 64 bytes `r || s` (each big-endian, 32 bytes).
 *
 * @returns The compact signature, or `undefined` when the bytes are not
 * exactly one DER signature with `1 <= r, s < n`.
 */
export function derToCompact(der: Uint8Array): Uint8Array | undefined {
  const reader = new DerReader(der);
  if (der[reader.pos++] !== 0x30) return undefined;
  const length = reader.length();
  if (length === undefined || reader.pos + length !== der.length) return undefined;
  const r = reader.positiveInteger();
  if (r === undefined) return undefined;
  const s = reader.positiveInteger();
  if (s === undefined || reader.pos !== der.length) return undefined;
  if (r < 1n || r >= SECP256K1_ORDER || s < 1n || s >= SECP256K1_ORDER) return undefined;
  const out = new Uint8Array(64);
  writeScalar(out, 0, r);
  writeScalar(out, 32, s);
  return out;
}

function writeScalar(out: Uint8Array, offset: number, value: bigint): void {
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(value & 0xffn);
    value >>= 8n;
  }
}
