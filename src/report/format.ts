/**
 * Number formatting shared by every renderer: exact ratios and rates in the
 * asset's units, and text made safe to print.
 *
 * @module
 */

import { formatAmount } from "../core/amount.ts";
import type { Finding } from "../core/errors.ts";

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
 * `n` and `noun`, in the plural unless `n` is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { count } from "./format.ts";
 * assert.equal(count(1, "account"), "1 account");
 * assert.equal(count(3n, "minor unit"), "3 minor units");
 * assert.equal(count(0, "statement"), "0 statements");
 * ```
 */
export function count(n: number | bigint, noun: string): string {
  return `${n} ${n === 1 || n === 1n ? noun : `${noun}s`}`;
}

/**
 * "the … of" words for every one of `n` accounts: `"both accounts"`, never
 * `"all 2 accounts"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { everyAccount } from "./format.ts";
 * assert.equal(everyAccount(1), "the only account");
 * assert.equal(everyAccount(2), "both accounts");
 * assert.equal(everyAccount(8), "all 8 accounts");
 * ```
 */
export function everyAccount(n: number): string {
  return n === 0 ? "no account" : n === 1 ? "the only account" : n === 2 ? "both accounts" : `all ${n} accounts`;
}

/**
 * The fraction `num / den` in lowest terms; a whole number without its
 * denominator. Precondition: `den > 0n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fraction } from "./format.ts";
 * assert.equal(fraction(700000n, 1000000n), "7/10");
 * assert.equal(fraction(0n, 5n), "0");
 * assert.equal(fraction(10n, 5n), "2");
 * ```
 */
export function fraction(num: bigint, den: bigint): string {
  let [a, b] = [num < 0n ? -num : num, den];
  while (b !== 0n) [a, b] = [b, a % b];
  const g = a === 0n ? den : a;
  return den / g === 1n ? `${num / g}` : `${num / g}/${den / g}`;
}

/**
 * A finding's message without a leading `"leaf N: "` that repeats its
 * `leaf`, for renderers that show the leaf beside the code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findingMessage } from "./format.ts";
 * assert.equal(findingMessage({ code: "HAIRCUT_MISMATCH", leaf: 2, message: "leaf 2: haircut 5 on base 9" }), "haircut 5 on base 9");
 * assert.equal(findingMessage({ code: "HAIRCUT_MISMATCH", leaf: 2, message: "leaf 3 got no unit" }), "leaf 3 got no unit");
 * ```
 */
export function findingMessage(e: Finding): string {
  const repeated = `leaf ${e.leaf}: `;
  return e.leaf !== undefined && e.message.startsWith(repeated) ? e.message.slice(repeated.length) : e.message;
}

/**
 * Makes text from untrusted input safe to print: every control character
 * except LF (C0, DEL, C1), every bidirectional override, and every invisible
 * format character (zero-width space and joiners, word joiner, byte order
 * mark, soft hyphen, tag characters: Unicode's `Cf`, but for the few that
 * print a visible sign) is shown as a `\u{…}` escape, so a crafted account
 * id or venue name cannot move the cursor, recolour the terminal, reorder
 * what a reader sees, or pass for another (`"alice\u200b"` for `"alice"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { terminalSafe } from "./format.ts";
 * assert.equal(terminalSafe("alice\u001b[2K"), "alice\\u{1b}[2K");
 * assert.equal(terminalSafe("alice\u200b"), "alice\\u{200b}");
 * assert.equal(terminalSafe("Zoë · 2026\n"), "Zoë · 2026\n");
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, escapeCharacter);
}

/**
 * C0 but LF, DEL, C1, and the format characters (`Cf`, bidirectional controls among them) but the prepended
 * concatenation marks (Arabic number signs and the like), which print as a visible sign; the line and paragraph
 * separators too, which break a line where a reader sees none.
 */
const UNSAFE_CHARACTERS =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|(?![\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u{110bd}\u{110cd}])\p{Cf}/gu;

function escapeCharacter(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
