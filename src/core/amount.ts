/**
 * Amounts: non-negative integers in an asset's minor units, below 2^128.
 * Decimal strings in JSON and CSV, `u128be` in hashes. Never floats.
 *
 * @module
 */

/**
 * The exclusive upper bound of an amount: 2^128.
 */
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
 * @example Strict decimal strings below 2^128
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAmount } from "../../mod.ts";
 *
 * assert.equal(parseAmount("80000"), 80000n);
 * assert.equal(parseAmount("340282366920938463463374607431768211455"), (1n << 128n) - 1n);
 * assert.throws(() => parseAmount("01"), RangeError);
 * assert.throws(() => parseAmount("1e3"), RangeError);
 * assert.throws(() => parseAmount("340282366920938463463374607431768211456"), RangeError);
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
 * Writes `value` as 16 big-endian bytes (`u128be`) at `offset` through
 * `view`: the one u128 encoder, which the sum tree's node stores call
 * millions of times with a view they keep.
 *
 * Precondition: `offset + 16 <= view.byteLength`.
 *
 * @throws {RangeError} When `value` is outside [0, 2^128).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getU128, putU128 } from "./amount.ts";
 * const view = new DataView(new ArrayBuffer(16));
 * putU128(view, 0, 258n);
 * assert.equal(view.getUint16(14), 258);
 * assert.equal(getU128(view, 0), 258n);
 * ```
 */
export function putU128(view: DataView, offset: number, value: bigint): void {
  if (value < 0n || value >= AMOUNT_LIMIT) throw new RangeError(`amount ${value} is outside [0, 2^128)`);
  if (value <= 0xffffffffn) {
    view.setUint32(offset, 0);
    view.setUint32(offset + 4, 0);
    view.setUint32(offset + 8, 0);
    view.setUint32(offset + 12, Number(value));
    return;
  }
  view.setBigUint64(offset, value >> 64n);
  view.setBigUint64(offset + 8, value & U64_MASK);
}

/**
 * Reads the `u128be` at `offset` through `view`: the inverse of {@linkcode putU128}.
 *
 * Precondition: `offset + 16 <= view.byteLength`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getU128, u128be } from "./amount.ts";
 * const bytes = u128be((1n << 100n) + 1n);
 * assert.equal(getU128(new DataView(bytes.buffer), 0), (1n << 100n) + 1n);
 * ```
 */
export function getU128(view: DataView, offset: number): bigint {
  if (view.getUint32(offset) === 0 && view.getUint32(offset + 4) === 0 && view.getUint32(offset + 8) === 0) {
    return BigInt(view.getUint32(offset + 12));
  }
  return (view.getBigUint64(offset) << 64n) | view.getBigUint64(offset + 8);
}

const U64_MASK = 0xffffffffffffffffn;

/**
 * Writes `value` as 16 big-endian bytes into `out` at `offset`.
 *
 * Precondition: `0 <= value < 2^128` and `offset + 16 <= out.length`.
 */
export function writeU128(out: Uint8Array, offset: number, value: bigint): void {
  putU128(new DataView(out.buffer, out.byteOffset, out.byteLength), offset, value);
}

/**
 * Encodes an amount as `u128be`: 16 bytes, big-endian.
 */
export function u128be(value: bigint): Uint8Array {
  const out = new Uint8Array(16);
  writeU128(out, 0, value);
  return out;
}

/**
 * Options for {@linkcode formatAmount}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAmount, type FormatAmountOptions } from "../../mod.ts";
 *
 * const options: FormatAmountOptions = { asset: "USDT" };
 * assert.equal(formatAmount(1300000n, 2, options), "13,000.00 USDT");
 * ```
 */
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
 * import assert from "node:assert/strict";
 * import { formatAmount } from "../../mod.ts";
 *
 * assert.equal(formatAmount(123456n, 2, { asset: "USDT" }), "1,234.56 USDT");
 * assert.equal(formatAmount(5n, 2), "0.05");
 * assert.equal(formatAmount(1234567n, 0), "1,234,567");
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
