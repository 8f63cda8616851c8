/**
 * The hot-path SHA-256 (src/core/_sha256.ts) against the reference, @noble/hashes:
 * random inputs of every length and offset, the prefixed leaf and node
 * shapes with every prefix and last byte, HMAC with keys of every size, and
 * the FIPS 180-4 / RFC 4231 vectors.
 */

import assert from "node:assert/strict";
import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 as nobleSha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { HmacSha256, sha256, sha256Into, sha256PrefixedInto } from "../src/core/_sha256.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function random(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
}

Deno.test("sha256: FIPS 180-4 vectors", () => {
  const enc = new TextEncoder();
  assert.equal(hex(sha256(new Uint8Array(0))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(hex(sha256(enc.encode("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(
    hex(sha256(enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  assert.equal(
    hex(sha256(new Uint8Array(1_000_000).fill(0x61))),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});

Deno.test("sha256Into equals noble for random inputs of every length 0..300 at odd offsets", () => {
  for (let length = 0; length <= 300; length++) {
    for (let trial = 0; trial < 4; trial++) {
      const offset = trial * 3;
      const buffer = random(offset + length + 5);
      const out = new Uint8Array(40);
      sha256Into(buffer, offset, length, out, 7);
      assert.equal(
        hex(out.subarray(7, 39)),
        hex(nobleSha256(buffer.subarray(offset, offset + length))),
        `length ${length}`,
      );
    }
  }
  for (const length of [1000, 4096, 65536 + 13]) {
    const data = random(length);
    assert.equal(hex(sha256(data)), hex(nobleSha256(data)));
  }
});

Deno.test("sha256PrefixedInto equals noble on prefix || input for leaves (64) and nodes (128), every last byte", () => {
  for (const length of [64, 128, 192, 256]) {
    for (let last = 0; last < 256; last++) {
      const prefix = (last * 37) & 0xff;
      const offset = last % 5;
      const buffer = random(offset + length);
      buffer[offset + length - 1] = last;
      const message = new Uint8Array(1 + length);
      message[0] = prefix;
      message.set(buffer.subarray(offset), 1);
      const out = new Uint8Array(32);
      sha256PrefixedInto(prefix, buffer, offset, length, out, 0);
      assert.equal(hex(out), hex(nobleSha256(message)), `length ${length}, last byte ${last}`);
    }
  }
  assert.throws(() => sha256PrefixedInto(0, new Uint8Array(65), 0, 65, new Uint8Array(32), 0), RangeError);
});

Deno.test("sha256PrefixedInto may write its digest over its own input", () => {
  const record = random(128);
  const message = Uint8Array.of(1, ...record);
  sha256PrefixedInto(1, record, 0, 128, record, 0);
  assert.equal(hex(record.subarray(0, 32)), hex(nobleSha256(message)));
});

Deno.test("HmacSha256 equals noble's hmac for keys of 0..150 bytes and messages of 0..200", () => {
  for (let k = 0; k <= 150; k += 3) {
    const key = random(k);
    const mac = new HmacSha256(key);
    for (let m = 0; m <= 200; m += 17) {
      const message = random(m + 2);
      const out = new Uint8Array(32);
      mac.digestInto(message, 2, m, out, 0);
      assert.equal(hex(out), hex(hmac(nobleSha256, key, message.subarray(2))), `key ${k}, message ${m}`);
    }
  }
});

Deno.test("HmacSha256: RFC 4231 test case 2", () => {
  const enc = new TextEncoder();
  const out = new Uint8Array(32);
  const message = enc.encode("what do ya want for nothing?");
  new HmacSha256(enc.encode("Jefe")).digestInto(message, 0, message.length, out, 0);
  assert.equal(hex(out), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
});
