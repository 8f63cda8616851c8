import assert from "node:assert/strict";
import {
  base64ToBytes,
  bytesToBase64,
  bytesToHex,
  compareBytes,
  equalBytes,
  hexToBytes,
  utf8,
} from "../src/core/encoding.ts";

/** A deterministic byte generator (xorshift32), so failures reproduce. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

Deno.test("hexToBytes decodes lowercase hex", () => {
  assert.deepEqual(hexToBytes(""), new Uint8Array(0));
  assert.deepEqual(hexToBytes("00ff"), Uint8Array.from([0, 255]));
  assert.deepEqual(hexToBytes("0123456789abcdef"), Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]));
  assert.deepEqual(hexToBytes("00ff", 2), Uint8Array.from([0, 255]));
  assert.deepEqual(hexToBytes("", 0), new Uint8Array(0));
});

Deno.test("hexToBytes rejects uppercase, odd length, non-hex and wrong length", () => {
  const bad = [
    "00FF",
    "00fF",
    "ABCD",
    "0",
    "abc",
    "0g",
    "zz",
    " 00",
    "00 ",
    "0x00",
    "00\n",
    "-1",
    "+1",
    "\u0660\u0660",
  ];
  for (const text of bad) {
    assert.throws(() => hexToBytes(text), SyntaxError, `hexToBytes(${JSON.stringify(text)}) should throw`);
  }
  assert.throws(() => hexToBytes("00ff", 3), SyntaxError);
  assert.throws(() => hexToBytes("00ff", 1), SyntaxError);
  assert.throws(() => hexToBytes("", 1), SyntaxError);
  assert.throws(() => hexToBytes("ab".repeat(31), 32), (e: Error) => e instanceof SyntaxError && /64/.test(e.message));
  assert.throws(() => hexToBytes("ab".repeat(33), 32), SyntaxError);
  assert.equal(hexToBytes("ab".repeat(32), 32).length, 32);
  assert.throws(() => hexToBytes(42 as unknown as string), SyntaxError);
});

Deno.test("bytesToHex encodes every byte value and round-trips", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const hex = bytesToHex(all);
  assert.equal(hex.length, 512);
  assert.match(hex, /^[0-9a-f]+$/);
  for (let i = 0; i < 256; i++) assert.equal(hex.slice(2 * i, 2 * i + 2), i.toString(16).padStart(2, "0"));
  assert.deepEqual(hexToBytes(hex), all);
  assert.equal(bytesToHex(new Uint8Array(0)), "");
  for (let n = 0; n < 40; n++) {
    const bytes = pseudoRandomBytes(n, 1000 + n);
    assert.deepEqual(hexToBytes(bytesToHex(bytes), n), bytes);
  }
});

Deno.test("base64ToBytes decodes standard padded base64", () => {
  assert.deepEqual(base64ToBytes(""), new Uint8Array(0));
  assert.deepEqual(base64ToBytes("AA=="), Uint8Array.from([0]));
  assert.deepEqual(base64ToBytes("AAA="), Uint8Array.from([0, 0]));
  assert.deepEqual(base64ToBytes("AAAA"), Uint8Array.from([0, 0, 0]));
  assert.deepEqual(base64ToBytes("AP8="), Uint8Array.from([0, 255]));
  assert.deepEqual(base64ToBytes("+/8="), Uint8Array.from([0xfb, 0xff]));
  assert.deepEqual(base64ToBytes("aGVsbG8gd29ybGQ="), utf8("hello world"));
  assert.deepEqual(base64ToBytes("/w=="), Uint8Array.from([0xff]));
});

Deno.test("base64ToBytes rejects non-zero padding bits", () => {
  // "AA==" is the only encoding of [0]; "AB==" .. "AP==" decode to the same byte with stray bits.
  for (const c of "BCDEFGHIJKLMNOP") {
    assert.throws(() => base64ToBytes(`A${c}==`), SyntaxError, `A${c}== should be rejected`);
  }
  assert.deepEqual(base64ToBytes("AQ=="), Uint8Array.from([1])); // 'Q' puts bits only in the data
  assert.throws(() => base64ToBytes("AAB="), SyntaxError);
  assert.throws(() => base64ToBytes("AAD="), SyntaxError);
  assert.deepEqual(base64ToBytes("AAE="), Uint8Array.from([0, 1]));
  assert.throws(() => base64ToBytes("/x=="), SyntaxError);
  assert.throws(() => base64ToBytes("AP9="), SyntaxError);
});

Deno.test("base64ToBytes rejects missing padding, whitespace, URL-safe and other deviations", () => {
  const bad = [
    "AA",
    "AA=",
    "AAA",
    "A",
    "A=",
    "A==",
    "A===",
    "====",
    "AA===",
    "AAAA=",
    "AA==AA==", // padding in the middle
    " AA==",
    "AA== ",
    "AA ==",
    "AA==\n",
    "AAAA\nAAAA",
    "\tAAAA",
    "-_8=", // URL-safe alphabet
    "AP8_",
    "AP8-",
    "AP8*",
    "é===",
  ];
  for (const text of bad) {
    assert.throws(() => base64ToBytes(text), SyntaxError, `base64ToBytes(${JSON.stringify(text)}) should throw`);
  }
  assert.throws(() => base64ToBytes(null as unknown as string), SyntaxError);
});

Deno.test("bytesToBase64 matches known encodings and round-trips every length", () => {
  assert.equal(bytesToBase64(new Uint8Array(0)), "");
  assert.equal(bytesToBase64(Uint8Array.from([0, 255])), "AP8=");
  assert.equal(bytesToBase64(utf8("hello world")), "aGVsbG8gd29ybGQ=");
  // RFC 4648 §10 test vectors.
  const rfc4648: [string, string][] = [
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg=="],
    ["fooba", "Zm9vYmE="],
    ["foobar", "Zm9vYmFy"],
  ];
  for (const [plain, encoded] of rfc4648) {
    assert.equal(bytesToBase64(utf8(plain)), encoded);
    assert.deepEqual(base64ToBytes(encoded), utf8(plain));
  }
  for (let n = 0; n < 70; n++) {
    const bytes = pseudoRandomBytes(n, 7 + n);
    const text = bytesToBase64(bytes);
    assert.equal(text.length, 4 * Math.ceil(n / 3));
    assert.deepEqual(base64ToBytes(text), bytes);
  }
});

Deno.test("bytesToBase64 handles inputs larger than its internal chunk", () => {
  for (const n of [0x8000 - 1, 0x8000, 0x8000 + 1, 3 * 0x8000 + 2, 100_000]) {
    const bytes = pseudoRandomBytes(n, n);
    const text = bytesToBase64(bytes);
    assert.equal(text.length, 4 * Math.ceil(n / 3));
    assert.deepEqual(base64ToBytes(text), bytes);
  }
});

Deno.test("compareBytes orders bytewise, unsigned, shorter prefix first", () => {
  const b = (...xs: number[]) => Uint8Array.from(xs);
  assert.equal(compareBytes(b(1), b(2)), -1);
  assert.equal(compareBytes(b(2), b(1)), 1);
  assert.equal(compareBytes(b(1, 2, 3), b(1, 2, 3)), 0);
  assert.equal(compareBytes(b(), b()), 0);
  assert.equal(compareBytes(b(), b(0)), -1);
  assert.equal(compareBytes(b(0), b()), 1);
  assert.equal(compareBytes(b(1, 2), b(1, 2, 0)), -1);
  assert.equal(compareBytes(b(1, 2, 0), b(1, 2)), 1);
  assert.equal(compareBytes(b(2), b(1, 0xff)), 1); // the first byte decides, not the length
  assert.equal(compareBytes(b(0xff), b(0x00)), 1); // unsigned
  assert.equal(compareBytes(b(0x7f), b(0x80)), -1);
  assert.equal(compareBytes(b(0, 0, 1), b(0, 0, 0)), 1);
});

Deno.test("compareBytes agrees with comparing lowercase hex strings", () => {
  for (let i = 0; i < 300; i++) {
    const a = pseudoRandomBytes(i % 5, i * 2 + 1);
    const c = i % 3 === 0 ? a.slice() : pseudoRandomBytes((i * 7) % 5, i * 2 + 2);
    if (i % 4 === 0 && c.length > 0) c[0] = a[0] ?? 0; // force shared prefixes sometimes
    const ha = bytesToHex(a);
    const hc = bytesToHex(c);
    const expected = ha < hc ? -1 : ha > hc ? 1 : 0;
    assert.equal(sign(compareBytes(a, c)), expected, `${ha} vs ${hc}`);
    assert.equal(sign(compareBytes(c, a)), expected === 0 ? 0 : -expected);
  }
});

Deno.test("equalBytes compares content and length", () => {
  const b = (...xs: number[]) => Uint8Array.from(xs);
  assert.equal(equalBytes(b(), b()), true);
  assert.equal(equalBytes(b(1, 2, 3), b(1, 2, 3)), true);
  assert.equal(equalBytes(b(1, 2, 3), b(1, 2, 4)), false);
  assert.equal(equalBytes(b(0, 2, 3), b(1, 2, 3)), false);
  assert.equal(equalBytes(b(1, 2), b(1, 2, 0)), false);
  assert.equal(equalBytes(b(1, 2, 0), b(1, 2)), false);
  assert.equal(equalBytes(b(0x80), b(0x00)), false);
  const x = pseudoRandomBytes(32, 99);
  assert.equal(equalBytes(x, x.slice()), true);
  for (let i = 0; i < 32; i++) {
    for (const bit of [1, 0x80]) {
      const y = x.slice();
      y[i] ^= bit;
      assert.equal(equalBytes(x, y), false, `byte ${i} bit ${bit}`);
    }
  }
});

Deno.test("equalBytes works on subarrays with a byteOffset", () => {
  const backing = Uint8Array.from([9, 1, 2, 3, 9]);
  assert.equal(equalBytes(backing.subarray(1, 4), Uint8Array.from([1, 2, 3])), true);
  assert.equal(compareBytes(backing.subarray(1, 4), Uint8Array.from([1, 2, 3])), 0);
});

Deno.test("utf8 encodes multi-byte characters", () => {
  assert.deepEqual(utf8("é"), Uint8Array.from([0xc3, 0xa9]));
  assert.deepEqual(utf8("€"), Uint8Array.from([0xe2, 0x82, 0xac]));
  assert.deepEqual(utf8("😀"), Uint8Array.from([0xf0, 0x9f, 0x98, 0x80]));
  assert.deepEqual(utf8(""), new Uint8Array(0));
});
