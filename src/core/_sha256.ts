/**
 * The SHA-256 hot path: an allocation-free FIPS 180-4 SHA-256 for the short
 * messages of the sum tree (65-byte leaves, 129-byte nodes, account keys).
 *
 * Each function hashes a byte range into a caller's buffer using
 * preallocated `Int32Array` state, so hashing a leaf or a node allocates
 * nothing. {@linkcode sha256PrefixedInto} hashes `prefix || input[...]`
 * without copying, which is exactly the shape of a sum-tree leaf
 * (`0x00 || 64 bytes`) and node (`0x01 || 128 bytes`); for these lengths the
 * padding block carries one message byte only, so its message schedule is
 * precomputed for all 256 values of that byte.
 *
 * `@noble/hashes` stays the reference: `tests/sha256_test.ts` hashes random
 * inputs of every shape both ways and requires equality. BENCHMARKS.md
 * records why this was chosen over noble, hash-wasm and `node:crypto`.
 *
 * @module
 */

const K = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

const IV = new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);

/** The message schedule, reused by every block. */
const W = new Int32Array(64);
/** The chaining state, reused by every message. */
const H = new Int32Array(8);

/** Expands `W[0:16)` into the full message schedule `W[0:64)`. */
function expand(): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
  }
}

/** One block: expands `W[0:16)`, runs the 64 rounds and adds the result into `H`. */
function compress(): void {
  expand();
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  // Eight rounds per iteration, renaming the working variables instead of moving them.
  for (let i = 0; i < 64; i += 8) {
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) +
      K[i + 0] + W[i + 0]) | 0;
    d = (d + h) | 0;
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
      ((a & b) | (c & (a | b)))) | 0;
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) +
      K[i + 1] + W[i + 1]) | 0;
    c = (c + g) | 0;
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
      ((h & a) | (b & (h | a)))) | 0;
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) +
      K[i + 2] + W[i + 2]) | 0;
    b = (b + f) | 0;
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
      ((g & h) | (a & (g | h)))) | 0;
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) +
      K[i + 3] + W[i + 3]) | 0;
    a = (a + e) | 0;
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
      ((f & g) | (h & (f | g)))) | 0;
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) +
      K[i + 4] + W[i + 4]) | 0;
    h = (h + d) | 0;
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
      ((e & f) | (g & (e | f)))) | 0;
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) +
      K[i + 5] + W[i + 5]) | 0;
    g = (g + c) | 0;
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
      ((d & e) | (f & (d | e)))) | 0;
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) +
      K[i + 6] + W[i + 6]) | 0;
    f = (f + b) | 0;
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
      ((c & d) | (e & (c | d)))) | 0;
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) +
      K[i + 7] + W[i + 7]) | 0;
    e = (e + a) | 0;
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
      ((b & c) | (d & (b | c)))) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** One block whose `K[i] + W[i]` are precomputed in `kw[offset:offset+64)`. */
function compressPrecomputed(kw: Int32Array, offset: number): void {
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let j = offset; j < offset + 64; j += 8) {
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) +
      kw[j + 0]) | 0;
    d = (d + h) | 0;
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
      ((a & b) | (c & (a | b)))) | 0;
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) +
      kw[j + 1]) | 0;
    c = (c + g) | 0;
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
      ((h & a) | (b & (h | a)))) | 0;
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) +
      kw[j + 2]) | 0;
    b = (b + f) | 0;
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
      ((g & h) | (a & (g | h)))) | 0;
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) +
      kw[j + 3]) | 0;
    a = (a + e) | 0;
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
      ((f & g) | (h & (f | g)))) | 0;
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) +
      kw[j + 4]) | 0;
    h = (h + d) | 0;
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
      ((e & f) | (g & (e | f)))) | 0;
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) +
      kw[j + 5]) | 0;
    g = (g + c) | 0;
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
      ((d & e) | (f & (d | e)))) | 0;
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) +
      kw[j + 6]) | 0;
    f = (f + b) | 0;
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
      ((c & d) | (e & (c | d)))) | 0;
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) +
      kw[j + 7]) | 0;
    e = (e + a) | 0;
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
      ((b & c) | (d & (b | c)))) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** Loads the 16 big-endian words of `bytes[offset:offset+64)` into `W[0:16)`. */
function load(bytes: Uint8Array, offset: number): void {
  for (let i = 0, j = offset; i < 16; i++, j += 4) {
    W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
}

/** Writes `H` big-endian into `out[offset:offset+32)`. */
function store(out: Uint8Array, offset: number): void {
  for (let i = 0, o = offset; i < 8; i++, o += 4) {
    const v = H[i];
    out[o] = v >>> 24;
    out[o + 1] = v >>> 16;
    out[o + 2] = v >>> 8;
    out[o + 3] = v;
  }
}

/**
 * Hashes `input[offset:offset+length)` from the chaining state `initial`,
 * after `absorbed` bytes (a multiple of 64) already went into that state, and
 * writes the digest into `out[outOffset:outOffset+32)`.
 */
function digestFrom(
  initial: Int32Array,
  absorbed: number,
  input: Uint8Array,
  offset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  H.set(initial);
  const end = offset + length;
  let p = offset;
  for (; p + 64 <= end; p += 64) {
    load(input, p);
    compress();
  }
  // The final block or two: the tail, 0x80, zeros, and the bit length in the last 8 bytes.
  const tail = end - p;
  W.fill(0, 0, 16);
  for (let i = 0; i < tail; i++) W[i >> 2] |= input[p + i] << (24 - 8 * (i & 3));
  W[tail >> 2] |= 0x80 << (24 - 8 * (tail & 3));
  if (tail >= 56) {
    compress();
    W.fill(0, 0, 16);
  }
  const total = absorbed + length;
  W[14] = Math.floor(total / 0x20000000);
  W[15] = (total * 8) | 0;
  compress();
  store(out, outOffset);
}

/**
 * Writes SHA-256 of `input[offset:offset+length)` into `out[outOffset:outOffset+32)`.
 * Allocates nothing. `out` may overlap the input.
 *
 * Preconditions: both ranges lie inside their arrays; `length < 2^32`.
 */
export function sha256Into(
  input: Uint8Array,
  offset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  digestFrom(IV, 0, input, offset, length, out, outOffset);
}

/**
 * HMAC-SHA256 (RFC 2104) with one key and many messages: the key's inner and
 * outer blocks are hashed once, so each message costs its own blocks plus
 * one. The publisher derives millions of salts with it.
 */
export class HmacSha256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #digest = new Uint8Array(32);

  /** Prepares the key (hashed first when longer than 64 bytes). */
  constructor(key: Uint8Array) {
    const block = new Uint8Array(64);
    if (key.length > 64) sha256Into(key, 0, key.length, block, 0);
    else block.set(key);
    for (const [state, pad] of [[this.#inner, 0x36], [this.#outer, 0x5c]] as const) {
      const padded = block.map((b) => b ^ pad);
      H.set(IV);
      load(padded, 0);
      compress();
      state.set(H);
    }
  }

  /** Writes HMAC(key, `input[offset:offset+length)`) into `out[outOffset:outOffset+32)`. */
  digestInto(input: Uint8Array, offset: number, length: number, out: Uint8Array, outOffset: number): void {
    digestFrom(this.#inner, 64, input, offset, length, this.#digest, 0);
    digestFrom(this.#outer, 64, this.#digest, 0, 32, out, outOffset);
  }
}

/** Precomputed `K + W` of the padding block of `(64k + 1)`-byte messages, per `k` then per last byte. */
const PADDING_SCHEDULES = new Map<number, Int32Array>();

/**
 * The padding block of a message of `64k + 1` bytes holds its last byte, then
 * 0x80, zeros and the bit length: only 256 blocks are possible, and this
 * returns their `K + W` schedules, 64 words each, built on first use.
 */
function paddingSchedules(blocks: number): Int32Array {
  let table = PADDING_SCHEDULES.get(blocks);
  if (table) return table;
  table = new Int32Array(256 * 64);
  const bits = (64 * blocks + 1) * 8;
  for (let byte = 0; byte < 256; byte++) {
    W.fill(0, 0, 16);
    W[0] = (byte << 24) | 0x00800000;
    W[14] = Math.floor(bits / 0x100000000);
    W[15] = bits | 0;
    expand();
    for (let i = 0; i < 64; i++) table[byte * 64 + i] = (K[i] + W[i]) | 0;
  }
  PADDING_SCHEDULES.set(blocks, table);
  return table;
}

/**
 * Writes SHA-256 of `prefix || input[offset:offset+length)` into
 * `out[outOffset:outOffset+32)` without copying the input: with `length` 64
 * this hashes a sum-tree leaf, with 128 a node. Allocates nothing after the
 * first call for a given length. `out` may overlap the input.
 *
 * Preconditions: `prefix` is a byte; `length` is a positive multiple of 64;
 * both ranges lie inside their arrays.
 */
export function sha256PrefixedInto(
  prefix: number,
  input: Uint8Array,
  offset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  if (length <= 0 || length % 64 !== 0) throw new RangeError(`length ${length} is not a positive multiple of 64`);
  const table = paddingSchedules(length / 64);
  H.set(IV);
  // Block k holds message bytes [64k, 64k + 64), which are input bytes [64k - 1, 64k + 63).
  W[0] = (prefix << 24) | (input[offset] << 16) | (input[offset + 1] << 8) | input[offset + 2];
  for (let i = 1, j = offset + 3; i < 16; i++, j += 4) {
    W[i] = (input[j] << 24) | (input[j + 1] << 16) | (input[j + 2] << 8) | input[j + 3];
  }
  compress();
  for (let p = offset + 63; p < offset + length - 1; p += 64) {
    load(input, p);
    compress();
  }
  compressPrecomputed(table, input[offset + length - 1] * 64);
  store(out, outOffset);
}

/**
 * SHA-256 of `input`, as a new 32-byte array.
 */
export function sha256(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(input, 0, input.length, out, 0);
  return out;
}
