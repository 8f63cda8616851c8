/**
 * derToCompact: strict DER ECDSA-Sig-Value only. Minimal lengths, minimal
 * positive integers, 1 <= r, s < n, nothing extra; it never throws.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { derToCompact, SECP256K1_ORDER } from "../src/format/_der.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { verifySignature } from "../src/format/signature.ts";

const N = SECP256K1_ORDER;

/** The minimal DER INTEGER body of a positive value. */
function intBody(v: bigint): number[] {
  const out: number[] = [];
  for (; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  if (out.length === 0 || out[0] & 0x80) out.unshift(0);
  return out;
}

/** A reference DER encoder for (r, s), short-form lengths only (always enough here). */
function encode(r: bigint, s: bigint): Uint8Array {
  const rb = intBody(r);
  const sb = intBody(s);
  const body = [0x02, rb.length, ...rb, 0x02, sb.length, ...sb];
  return new Uint8Array([0x30, body.length, ...body]);
}

function scalar(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

Deno.test("SECP256K1_ORDER is the secp256k1 group order", () => {
  assert.equal(SECP256K1_ORDER, secp256k1.Point.Fn.ORDER);
});

Deno.test("derToCompact: minimal encodings of small and large values", () => {
  const small = derToCompact(new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]));
  assert.ok(small);
  assert.equal(scalar(small.subarray(0, 32)), 1n);
  assert.equal(scalar(small.subarray(32)), 2n);
  const big = derToCompact(encode(N - 1n, 0x80n));
  assert.ok(big);
  assert.equal(scalar(big.subarray(0, 32)), N - 1n);
  assert.equal(scalar(big.subarray(32)), 0x80n);
});

Deno.test("derToCompact: rejects every BER or range deviation", () => {
  const cases: [string, number[]][] = [
    ["empty", []],
    ["wrong outer tag", [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]],
    ["indefinite length", [0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00]],
    ["long-form length below 128", [0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]],
    ["integer long-form length below 128", [0x30, 0x07, 0x02, 0x81, 0x01, 0x01, 0x02, 0x01, 0x02]],
    ["sequence length too long", [0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]],
    ["sequence length too short", [0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]],
    ["trailing byte", [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00]],
    ["trailing element inside", [0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x03]],
    ["one integer", [0x30, 0x03, 0x02, 0x01, 0x01]],
    ["wrong integer tag", [0x30, 0x06, 0x03, 0x01, 0x01, 0x02, 0x01, 0x02]],
    ["empty integer", [0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x02]],
    ["zero r", [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02]],
    ["zero s", [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00]],
    ["negative r", [0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x02]],
    ["superfluous leading zero", [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02]],
  ];
  for (const [name, bytes] of cases) assert.equal(derToCompact(new Uint8Array(bytes)), undefined, name);
  assert.equal(derToCompact(encode(N, 1n)), undefined, "r = n");
  assert.equal(derToCompact(encode(1n, N)), undefined, "s = n");
  assert.equal(derToCompact(encode(1n, N + 1n)), undefined, "s = n + 1");
  assert.equal(derToCompact(encode(1n << 256n, 1n)), undefined, "r of 33 significant bytes");
});

Deno.test("derToCompact: a high-S signature converts unchanged (low-S is the signature policy's rule)", () => {
  const out = derToCompact(encode(5n, N - 1n));
  assert.ok(out);
  assert.equal(scalar(out.subarray(0, 32)), 5n);
  assert.equal(scalar(out.subarray(32)), N - 1n);
  // Two-byte long-form lengths are DER only from 256 on; a 0x82 length below that is BER.
  assert.equal(derToCompact(new Uint8Array([0x30, 0x82, 0x00, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02])), undefined);
  assert.equal(derToCompact(new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x81, 0x01, 0x02])), undefined);
});

Deno.test("derToCompact: round-trips noble's DER signatures into ones verifySignature accepts", () => {
  const key = signingKeyFromSecret("secp256k1", new Uint8Array(32).fill(7));
  for (let i = 0; i < 20; i++) {
    const msg = new TextEncoder().encode(`message ${i}`);
    const der = secp256k1.sign(msg, key.secretKey, { prehash: true, lowS: true, format: "der" });
    const compact = derToCompact(der);
    assert.ok(compact, `signature ${i}`);
    assert.ok(
      verifySignature({ algorithm: "secp256k1", publicKey: key.publicKey }, { message: msg, signature: compact }),
    );
  }
});

Deno.test("derToCompact: property: encode(r, s) round-trips for every 1 <= r, s < n", () => {
  const inRange = fc.bigInt({ min: 1n, max: N - 1n });
  fc.assert(
    fc.property(inRange, inRange, (r, s) => {
      const out = derToCompact(encode(r, s));
      assert.ok(out);
      assert.equal(scalar(out.subarray(0, 32)), r);
      assert.equal(scalar(out.subarray(32)), s);
    }),
    { seed: 1139, numRuns: 300 },
  );
});

/** A valid encoding with one byte changed, inserted or deleted. */
const mutatedValid = fc.tuple(
  fc.bigInt({ min: 1n, max: N - 1n }),
  fc.bigInt({ min: 1n, max: N - 1n }),
  fc.nat(),
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom("set", "insert", "delete"),
).map(([r, s, at, byte, op]) => {
  const bytes = [...encode(r, s)];
  const i = at % bytes.length;
  if (op === "set") bytes[i] = byte;
  else if (op === "insert") bytes.splice(i, 0, byte);
  else bytes.splice(i, 1);
  return new Uint8Array(bytes);
});

Deno.test("derToCompact: property: arbitrary bytes never throw, and anything accepted re-encodes identically", () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutatedValid), (bytes) => {
      const out = derToCompact(bytes);
      if (out) assert.deepEqual(encode(scalar(out.subarray(0, 32)), scalar(out.subarray(32))), bytes);
    }),
    { seed: 2459, numRuns: 2000 },
  );
});
