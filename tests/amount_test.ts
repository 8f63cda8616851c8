import assert from "node:assert/strict";
import { AMOUNT_LIMIT, formatAmount, getU128, parseAmount, putU128, u128be, writeU128 } from "../src/core/amount.ts";

const MAX = "340282366920938463463374607431768211455"; // 2^128 - 1
const LIMIT = "340282366920938463463374607431768211456"; // 2^128

Deno.test("AMOUNT_LIMIT is 2^128", () => {
  assert.equal(AMOUNT_LIMIT, 2n ** 128n);
  assert.equal(AMOUNT_LIMIT.toString(), LIMIT);
});

Deno.test("parseAmount accepts canonical decimals below 2^128", () => {
  assert.equal(parseAmount("0"), 0n);
  assert.equal(parseAmount("1"), 1n);
  assert.equal(parseAmount("9"), 9n);
  assert.equal(parseAmount("10"), 10n);
  assert.equal(parseAmount("80000"), 80000n);
  assert.equal(parseAmount("9007199254740993"), 9007199254740993n); // above 2^53: no float rounding
  assert.equal(parseAmount("18446744073709551616"), 1n << 64n);
  assert.equal(parseAmount(MAX), (1n << 128n) - 1n);
  assert.equal(parseAmount(MAX), AMOUNT_LIMIT - 1n);
});

Deno.test("parseAmount rejects every non-canonical or out-of-range form", () => {
  const bad = [
    "",
    "01",
    "00",
    "007",
    "+1",
    "-0",
    "-1",
    "1e3",
    "1E3",
    " 1",
    "1 ",
    "1.0",
    "1.",
    ".5",
    "0x10",
    "1_000",
    "1,000",
    "\uff11", // fullwidth digit one
    "\u0661", // Arabic-Indic digit one
    "1\n",
    "\t1",
    "Infinity",
    "NaN",
    LIMIT,
    "340282366920938463463374607431768211457",
    "999999999999999999999999999999999999999", // 39 digits, above 2^128
    "1000000000000000000000000000000000000000", // 40 digits
    "0" + MAX, // 40 characters with a leading zero
  ];
  for (const text of bad) {
    assert.throws(() => parseAmount(text), RangeError, `parseAmount(${JSON.stringify(text)}) should throw`);
  }
});

Deno.test("parseAmount rejects non-strings with a RangeError", () => {
  for (const value of [1, 1n, null, undefined, ["1"]]) {
    assert.throws(() => parseAmount(value as unknown as string), RangeError);
  }
});

Deno.test("parseAmount error messages name the value and clip long input", () => {
  assert.throws(() => parseAmount("01"), (e: Error) => e.message.includes('"01"'));
  assert.throws(() => parseAmount(LIMIT), (e: Error) => e.message.includes(LIMIT) && e.message.includes("2^128"));
  const long = "1".repeat(1000);
  assert.throws(() => parseAmount(long), (e: Error) => e.message.length < 200);
});

Deno.test("u128be writes 16 big-endian bytes", () => {
  assert.deepEqual(u128be(0n), new Uint8Array(16));
  assert.deepEqual(u128be(1n), Uint8Array.from([...new Array(15).fill(0), 1]));
  assert.deepEqual(u128be(258n), Uint8Array.from([...new Array(14).fill(0), 1, 2]));
  assert.deepEqual(u128be(AMOUNT_LIMIT - 1n), new Uint8Array(16).fill(0xff));
  const twoTo64 = new Uint8Array(16);
  twoTo64[7] = 1;
  assert.deepEqual(u128be(1n << 64n), twoTo64);
  const below64 = new Uint8Array(16);
  below64.fill(0xff, 8);
  assert.deepEqual(u128be((1n << 64n) - 1n), below64);
  assert.deepEqual(
    u128be(0x0102030405060708090a0b0c0d0e0f10n),
    Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
  );
  assert.equal(u128be(5n).length, 16);
});

Deno.test("u128be agrees with an independent encoding for many values", () => {
  let x = 1n;
  for (let i = 0; i < 200; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % AMOUNT_LIMIT;
    const expected = new Uint8Array(16);
    let v = x;
    for (let j = 15; j >= 0; j--) {
      expected[j] = Number(v & 0xffn);
      v >>= 8n;
    }
    assert.deepEqual(u128be(x), expected);
  }
});

Deno.test("u128be and writeU128 reject values outside [0, 2^128)", () => {
  assert.throws(() => u128be(-1n), RangeError);
  assert.throws(() => u128be(AMOUNT_LIMIT), RangeError);
  assert.throws(() => writeU128(new Uint8Array(16), 0, AMOUNT_LIMIT), RangeError);
  assert.throws(() => writeU128(new Uint8Array(16), 0, -1n), RangeError);
});

Deno.test("writeU128 writes at an offset and respects a subarray's byteOffset", () => {
  const backing = new Uint8Array(40).fill(0xaa);
  const view = backing.subarray(4, 36);
  writeU128(view, 3, 0x0102n);
  // view[3..19) is backing[7..23)
  for (let i = 0; i < 7; i++) assert.equal(backing[i], 0xaa, `byte ${i} untouched`);
  for (let i = 7; i < 21; i++) assert.equal(backing[i], 0, `byte ${i} zero`);
  assert.equal(backing[21], 0x01);
  assert.equal(backing[22], 0x02);
  for (let i = 23; i < 40; i++) assert.equal(backing[i], 0xaa, `byte ${i} untouched`);
});

Deno.test("writeU128 refuses to write past the end", () => {
  assert.throws(() => writeU128(new Uint8Array(16), 1, 1n), RangeError);
  assert.throws(() => writeU128(new Uint8Array(15), 0, 1n), RangeError);
});

Deno.test("formatAmount uses decimals and thousands separators", () => {
  assert.equal(formatAmount(123456n, 2, { asset: "USDT" }), "1,234.56 USDT");
  assert.equal(formatAmount(123456n, 2), "1,234.56");
  assert.equal(formatAmount(80000n, 2, { asset: "USDT" }), "800.00 USDT");
  assert.equal(formatAmount(0n, 2), "0.00");
  assert.equal(formatAmount(5n, 2), "0.05");
  assert.equal(formatAmount(50n, 2), "0.50");
  assert.equal(formatAmount(100n, 2), "1.00");
  assert.equal(formatAmount(99999n, 2), "999.99");
  assert.equal(formatAmount(100000n, 2), "1,000.00");
  assert.equal(formatAmount(1n, 18, { asset: "ETH" }), "0.000000000000000001 ETH");
  assert.equal(formatAmount(1234567n, 3), "1,234.567");
});

Deno.test("formatAmount with zero decimals has no decimal point", () => {
  assert.equal(formatAmount(0n, 0), "0");
  assert.equal(formatAmount(7n, 0, { asset: "JPY" }), "7 JPY");
  assert.equal(formatAmount(999n, 0), "999");
  assert.equal(formatAmount(1000n, 0), "1,000");
  assert.equal(formatAmount(1234567n, 0), "1,234,567");
  assert.equal(formatAmount(100000000n, 0), "100,000,000");
});

Deno.test("formatAmount handles values up to 2^128 - 1 exactly", () => {
  assert.equal(formatAmount(AMOUNT_LIMIT - 1n, 0), "340,282,366,920,938,463,463,374,607,431,768,211,455");
  assert.equal(
    formatAmount(AMOUNT_LIMIT - 1n, 2, { asset: "USDT" }),
    "3,402,823,669,209,384,634,633,746,074,317,682,114.55 USDT",
  );
  assert.equal(formatAmount(AMOUNT_LIMIT - 1n, 38), "3.40282366920938463463374607431768211455");
  assert.equal(formatAmount(9007199254740993n, 0), "9,007,199,254,740,993");
});

Deno.test("formatAmount with an empty asset appends nothing", () => {
  assert.equal(formatAmount(123456n, 2, { asset: "" }), "1,234.56");
  assert.equal(formatAmount(123456n, 2, {}), "1,234.56");
});

Deno.test("putU128 and getU128: every 32-bit word round-trips, at an offset, on both the short and the long path", () => {
  const view = new DataView(new ArrayBuffer(24));
  const values = [0n, 1n, 0xffffffffn, 1n << 32n, 1n << 64n, 1n << 96n, (1n << 64n) + 5n, (1n << 128n) - 1n];
  for (const value of values) {
    putU128(view, 4, value);
    assert.equal(getU128(view, 4), value, `${value}`);
    assert.deepEqual(new Uint8Array(view.buffer, 4, 16), u128be(value), `${value} as u128be`);
  }
  // A value with only one high word set is read in full, not as its low word.
  for (const word of [0, 4, 8]) {
    const bytes = new Uint8Array(16);
    bytes[word + 3] = 7;
    assert.equal(getU128(new DataView(bytes.buffer), 0), 7n << BigInt(96 - 8 * word), `word at byte ${word}`);
  }
  assert.throws(() => putU128(view, 0, -1n), RangeError);
  assert.throws(() => putU128(view, 0, 1n << 128n), RangeError);
});
