/**
 * Number formatting shared by every renderer: exact ratios and rates in the
 * asset's units, and text made safe to print.
 *
 * @module
 */

import { formatAmount } from "../core/amount.ts";

/**
 * Formats the exact ratio `num / den` (in minor units) in the asset's units
 * with `digits` extra decimals; a trailing `…` marks a truncated value.
 *
 * @example
 * ```ts
 * import { formatRatio } from "./format.ts";
 * formatRatio(2n, 3n, { decimals: 2, digits: 4 }); // "0.006666…" (2/3 of a cent)
 * ```
 */
export function formatRatio(num: bigint, den: bigint, options: { decimals: number; digits: number }): string {
  const places = options.decimals + options.digits;
  const product = num * 10n ** BigInt(options.digits);
  const text = formatAmount(product / den, places);
  if (product % den !== 0n) return text + "…";
  let end = text.length;
  while (end > text.length - options.digits && text[end - 1] === "0") end--;
  return text.endsWith(".", end) ? text.slice(0, end - 1) : text.slice(0, end);
}

/**
 * The rate T/P as a percentage with `digits` decimals (truncated, marked `…`).
 *
 * @example
 * ```ts
 * import { formatRate } from "./format.ts";
 * formatRate(80000n, 1156790n); // "6.91568…%" (truncated, never rounded up)
 * ```
 */
export function formatRate(target: bigint, totalBase: bigint, digits = 5): string {
  if (totalBase === 0n) return "0%";
  const scale = 10n ** BigInt(digits);
  const scaled = target * 100n * scale / totalBase;
  const exact = (target * 100n * scale) % totalBase === 0n;
  const whole = scaled / scale;
  let text = `${whole}`;
  if (digits > 0) {
    let frac = (scaled % scale).toString().padStart(digits, "0");
    if (exact) frac = frac.replace(/0+$/, "");
    if (frac) text += `.${frac}`;
  }
  return exact ? `${text}%` : `${text}…%`;
}

/**
 * Makes text from untrusted input safe to print: every control character
 * except LF (C0, DEL, C1) and every bidirectional override is shown as a
 * `\u{…}` escape, so a crafted account id or venue name cannot move the
 * cursor, recolour the terminal or reorder what a reader sees.
 *
 * @example
 * ```ts
 * import { terminalSafe } from "./format.ts";
 * terminalSafe("alice\u001b[2K"); // "alice\\u{1b}[2K"
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, escapeCharacter);
}

// deno-lint-ignore no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeCharacter(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
