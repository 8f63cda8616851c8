/**
 * Strict hex and base64: lowercase hex of exact length, and standard padded
 * base64 that must be canonical (it re-encodes to the same text).
 *
 * @module
 */

const HEX_RE = /^(?:[0-9a-f]{2})*$/;

/**
 * Decodes lowercase hex. With `length`, the result must have exactly that
 * many bytes.
 *
 * @throws {SyntaxError} On uppercase, odd length, non-hex or a wrong length.
 */
export function hexToBytes(hex: string, length?: number): Uint8Array {
  if (typeof hex !== "string" || !HEX_RE.test(hex)) {
    throw new SyntaxError("expected lowercase hex with an even number of digits");
  }
  if (length !== undefined && hex.length !== length * 2) {
    throw new SyntaxError(`expected ${length * 2} hex digits, got ${hex.length}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Encodes bytes as lowercase hex.
 */
export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX_DIGITS[bytes[i]];
  return out;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard padded base64 strictly: the alphabet, the padding and
 * zero padding bits are all required, so each byte string has one encoding.
 *
 * @throws {SyntaxError} On any deviation.
 */
export function base64ToBytes(text: string): Uint8Array {
  if (typeof text !== "string" || !BASE64_RE.test(text)) {
    throw new SyntaxError("expected standard padded base64");
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  if (bytesToBase64(out) !== text) throw new SyntaxError("base64 is not canonical (non-zero padding bits)");
  return out;
}

/**
 * Encodes bytes as standard padded base64.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/**
 * Compares two byte strings lexicographically.
 *
 * @returns A negative number, zero or a positive number.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Compares two byte strings in constant time for equal lengths.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Encodes a string as UTF-8.
 */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
