/**
 * Amounts: non-negative integers in an asset's minor units, below 2^128.
 * Decimal strings in JSON and CSV, `u128be` in hashes. Never floats.
 *
 * @module
 */

/** The exclusive upper bound of an amount: 2^128. */
export const AMOUNT_LIMIT: bigint = 1n << 128n;

const AMOUNT_RE = /^(0|[1-9][0-9]*)$/;

/**
 * Parses a decimal amount string strictly: `^(0|[1-9][0-9]*)$`, below 2^128.
 * Rejects `""`, `"01"`, `"+1"`, `"-0"`, `"1e3"`, `" 1"` and `"1.0"`.
 *
 * @param text The decimal string.
 * @returns The amount.
 * @throws {RangeError} With a message naming the problem.
 *
 * @example
 * ```ts
 * import { parseAmount } from "./amount.ts";
 * parseAmount("80000"); // 80000n
 * ```
 */
export function parseAmount(text: string): bigint {
  if (typeof text !== "string") throw new RangeError(`amount must be a decimal string, got ${typeof text}`);
  if (text.length > 39 || !AMOUNT_RE.test(text)) {
    throw new RangeError(`amount ${JSON.stringify(clip(text))} is not a canonical decimal below 2^128`);
  }
  const value = BigInt(text);
  if (value >= AMOUNT_LIMIT) throw new RangeError(`amount ${text} is not below 2^128`);
  return value;
}

/**
 * Writes `value` as 16 big-endian bytes into `out` at `offset`.
 *
 * Precondition: `0 <= value < 2^128` and `offset + 16 <= out.length`.
 *
 * @example
 * ```ts
 * import { writeU128 } from "./amount.ts";
 * const out = new Uint8Array(16);
 * writeU128(out, 0, 258n); // out ends with 0x01 0x02
 * ```
 */
export function writeU128(out: Uint8Array, offset: number, value: bigint): void {
  if (value < 0n || value >= AMOUNT_LIMIT) throw new RangeError(`amount ${value} is outside [0, 2^128)`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setBigUint64(offset, value >> 64n);
  view.setBigUint64(offset + 8, value & 0xffffffffffffffffn);
}

/**
 * Reads the 16 big-endian bytes at `offset` of `bytes`: the inverse of
 * {@linkcode writeU128}.
 *
 * Precondition: `offset + 16 <= bytes.length`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readU128, u128be } from "../../mod.ts";
 * assert.equal(readU128(u128be(258n), 0), 258n);
 * ```
 */
export function readU128(bytes: Uint8Array, offset: number): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (view.getBigUint64(offset) << 64n) | view.getBigUint64(offset + 8);
}

/**
 * Encodes an amount as `u128be`: 16 bytes, big-endian.
 *
 * @example
 * ```ts
 * import { u128be } from "./amount.ts";
 * u128be(1n); // Uint8Array(16) [0, ..., 0, 1]
 * ```
 */
export function u128be(value: bigint): Uint8Array {
  const out = new Uint8Array(16);
  writeU128(out, 0, value);
  return out;
}

/** Options for {@linkcode formatAmount}. */
export interface FormatAmountOptions {
  /** The asset symbol appended after a space, if any. */
  asset?: string;
}

/**
 * Formats minor units for humans with the asset's decimals and thousands
 * separators: `formatAmount(123456n, 2, { asset: "USDT" })` is `"1,234.56 USDT"`.
 *
 * @example
 * ```ts
 * import { formatAmount } from "./amount.ts";
 * formatAmount(123456n, 2, { asset: "USDT" }); // "1,234.56 USDT"
 * ```
 */
export function formatAmount(value: bigint, decimals: number, options: FormatAmountOptions = {}): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = (negative ? "-" : "") + grouped + (decimals > 0 ? "." + frac : "");
  return options.asset ? `${text} ${options.asset}` : text;
}

function clip(text: string): string {
  return text.length > 48 ? text.slice(0, 45) + "..." : text;
}
