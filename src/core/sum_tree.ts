/**
 * The Merkle sum tree of SPEC §4: account keys, leaves and nodes that carry
 * a base sum and a haircut sum, with both children's sums inside the parent
 * hash (closing the Maxwell flaw, eprint 2018/1139).
 *
 * @module
 */

import { AMOUNT_LIMIT, getU128, putU128 } from "./amount.ts";
import { utf8 } from "./encoding.ts";
import { SumOverflowError } from "./errors.ts";
import { sha256, sha256PrefixedInto } from "./_sha256.ts";
import type { NodeHasher } from "./tree.ts";

/**
 * A node of the sum tree: its hash and the sums of base and haircut below it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type SumNode, sumLeaf, sumNode } from "../../tree.ts";
 *
 * const parent: SumNode = sumNode(sumLeaf(new Uint8Array(32), 5n, 1n), sumLeaf(new Uint8Array(32).fill(1), 7n, 2n));
 * assert.equal(parent.hash.length, 32);
 * assert.deepEqual([parent.base, parent.haircut], [12n, 3n]);
 * ```
 */
export interface SumNode {
  /** SHA-256 of the domain-separated encoding. */
  hash: Uint8Array;
  /** The sum of bases below this node. */
  base: bigint;
  /** The sum of haircuts below this node. */
  haircut: bigint;
}

/** Leaf domain prefix. */
export const LEAF_PREFIX = 0x00;
/** Interior node domain prefix. */
export const NODE_PREFIX = 0x01;
/** Account key domain prefix. */
export const ACCOUNT_KEY_PREFIX = 0x02;

/**
 * `accountKey = SHA256(0x02 || salt || UTF8(accountId))`.
 *
 * @example The spot value of docs/SPEC.md section 13.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { accountKey } from "../../tree.ts";
 *
 * const salt = Uint8Array.from({ length: 32 }, (_, i) => i); // 00 01 .. 1f
 * assert.equal(
 *   accountKey(salt, "alice").toHex(),
 *   "9085744fb5557ea784360cbe100fff86090ec6b53c5ef4341c2f426e758ead6e",
 * );
 * ```
 */
export function accountKey(salt: Uint8Array, accountId: string): Uint8Array {
  if (salt.length !== 32) throw new RangeError(`salt must be 32 bytes, got ${salt.length}`);
  const id = utf8(accountId);
  const input = new Uint8Array(1 + 32 + id.length);
  input[0] = ACCOUNT_KEY_PREFIX;
  input.set(salt, 1);
  input.set(id, 33);
  return sha256(input);
}

/** One node as hashed: hash or account key (32 bytes), u128be base, u128be haircut. */
const RECORD = 64;
/**
 * Adds the u128be at `a` and the one at `b` into `out` (all offsets into
 * `view`; `out` may be `a`).
 *
 * @returns False when the sum reaches 2^128 (then `out` is garbage).
 */
function addU128(view: DataView, out: number, a: number, b: number): boolean {
  let carry = 0;
  for (let i = 12; i >= 0; i -= 4) {
    const sum = view.getUint32(a + i) + view.getUint32(b + i) + carry;
    carry = sum > 0xffffffff ? 1 : 0;
    view.setUint32(out + i, sum >>> 0);
  }
  return carry === 0;
}

/** Scratch record for the object API: key or hash, base, haircut. */
const scratch = new Uint8Array(2 * RECORD);
const scratchView = new DataView(scratch.buffer);

/**
 * `leaf = (SHA256(0x00 || accountKey || u128be(base) || u128be(haircut)), base, haircut)`.
 *
 * Preconditions: `key` is 32 bytes; both amounts are in [0, 2^128).
 *
 * @example The spot value of docs/SPEC.md section 13.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { sumLeaf } from "../../tree.ts";
 *
 * const key = Uint8Array.fromHex("9085744fb5557ea784360cbe100fff86090ec6b53c5ef4341c2f426e758ead6e");
 * const leaf = sumLeaf(key, 1000n, 58n);
 * assert.equal(leaf.hash.toHex(), "054d80c51cc06fa56f0555d5295aede0d520fa9e9043aba21def6e5b8bbcc86c");
 * assert.deepEqual([leaf.base, leaf.haircut], [1000n, 58n]);
 * ```
 */
export function sumLeaf(key: Uint8Array, base: bigint, haircut: bigint): SumNode {
  if (key.length !== 32) throw new RangeError(`account key must be 32 bytes, got ${key.length}`);
  scratch.set(key, 0);
  putU128(scratchView, 32, base);
  putU128(scratchView, 48, haircut);
  const hash = new Uint8Array(32);
  sha256PrefixedInto(LEAF_PREFIX, scratch, 0, RECORD, hash, 0);
  return { hash, base, haircut };
}

/**
 * `node(L, R)`: the hash covers both children's hashes and sums; the sums add.
 *
 * @throws {SumOverflowError} When a sum reaches 2^128.
 *
 * @example The spot value of docs/SPEC.md section 13.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { sumLeaf, sumNode } from "../../tree.ts";
 *
 * const key = Uint8Array.fromHex("9085744fb5557ea784360cbe100fff86090ec6b53c5ef4341c2f426e758ead6e");
 * const node = sumNode(sumLeaf(key, 1000n, 58n), sumLeaf(new Uint8Array(32).fill(0xff), 0n, 0n));
 * assert.equal(node.hash.toHex(), "278e917f922c97c3705eadbe48d8d6251d85747a07e99d272078b70c6373bb80");
 * assert.deepEqual([node.base, node.haircut], [1000n, 58n]);
 * ```
 */
export function sumNode(left: SumNode, right: SumNode): SumNode {
  const base = left.base + right.base;
  const haircut = left.haircut + right.haircut;
  if (base >= AMOUNT_LIMIT || haircut >= AMOUNT_LIMIT) {
    throw new SumOverflowError(base, haircut);
  }
  scratch.set(left.hash, 0);
  putU128(scratchView, 32, left.base);
  putU128(scratchView, 48, left.haircut);
  scratch.set(right.hash, RECORD);
  putU128(scratchView, RECORD + 32, right.base);
  putU128(scratchView, RECORD + 48, right.haircut);
  const hash = new Uint8Array(32);
  sha256PrefixedInto(NODE_PREFIX, scratch, 0, 2 * RECORD, hash, 0);
  return { hash, base, haircut };
}

/**
 * The sum-tree instance of the generic RFC 9162 tree.
 *
 * @example The root of the golden tree, docs/SPEC.md section 13.4
 * ```ts
 * import assert from "node:assert/strict";
 * import { sumHasher, sumLeaf, treeRoot } from "../../tree.ts";
 *
 * const csv = await Deno.readTextFile("fixtures/golden/leaves.csv");
 * const leaves = csv.trimEnd().split("\n").slice(1).map((line) => {
 *   const [key, base, haircut] = line.split(",");
 *   return sumLeaf(Uint8Array.fromHex(key), BigInt(base), BigInt(haircut));
 * });
 * const root = treeRoot(leaves, sumHasher);
 * assert.equal(root.hash.toHex(), "7325b16fdcbaa634dc938eaff0a8bc74a1c41c671b5b8b9c0ce8083d591763c8");
 * assert.deepEqual([root.base, root.haircut], [1156790n, 80000n]);
 * ```
 */
export const sumHasher: NodeHasher<SumNode> = { children: sumNode };

/**
 * Sum-tree nodes kept as 64-byte records (hash, u128be base, u128be haircut)
 * in one preallocated array, for hashing millions of leaves without
 * allocating. Its nodes are slot numbers, and it is the {@linkcode NodeHasher}
 * of a `RootBuilder<number>`, which runs the one RFC 9162 algorithm of
 * `tree.ts` over them.
 *
 * The slots form a stack that mirrors the builder's: {@linkcode SumNodeSlab.leaf}
 * hashes a leaf into the next free slot, and `children(l, r)` hashes the two
 * topmost slots into `l` and frees `r`. So one slab serves one builder that
 * only pushes leaves; read the result with `subtrees()` and
 * {@linkcode SumNodeSlab.node} (calling the builder's `root()` consumes the
 * stack).
 */
export class SumNodeSlab implements NodeHasher<number> {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #live = 0;

  /** Creates a slab for a builder of at most `2^(depth - 1)` leaves (the default holds any tree). */
  constructor(depth = 65) {
    this.#bytes = new Uint8Array(depth * RECORD);
    this.#view = new DataView(this.#bytes.buffer);
  }

  /**
   * Hashes the leaf `(key, base, haircut)` into the next free slot.
   *
   * Preconditions: `key` has 32 bytes from `keyOffset`; both amounts are in [0, 2^128).
   *
   * @returns The slot, to push on the builder.
   */
  leaf(key: Uint8Array, base: bigint, haircut: bigint, keyOffset = 0): number {
    const slot = this.#live++;
    const at = slot * RECORD;
    if (at + 2 * RECORD > this.#bytes.length) {
      throw new RangeError(`the slab holds ${this.#bytes.length / RECORD} slots`);
    }
    const bytes = this.#bytes;
    for (let i = 0; i < 32; i++) bytes[at + i] = key[keyOffset + i];
    putU128(this.#view, at + 32, base);
    putU128(this.#view, at + 48, haircut);
    sha256PrefixedInto(LEAF_PREFIX, bytes, at, RECORD, bytes, at);
    return slot;
  }

  /**
   * Hashes `node(left, right)` into slot `left` and frees `right`.
   *
   * @throws {SumOverflowError} When a sum reaches 2^128 (the slab is then unusable).
   * @throws {Error} When `left` and `right` are not the two topmost slots.
   */
  children(left: number, right: number): number {
    if (right !== this.#live - 1 || left !== right - 1) {
      throw new Error(`slots ${left} and ${right} are not the top of a stack of ${this.#live}`);
    }
    const at = left * RECORD;
    const bytes = this.#bytes;
    const view = this.#view;
    // The hash reads both children's records, then the sums replace the left child's.
    sha256PrefixedInto(NODE_PREFIX, bytes, at, 2 * RECORD, bytes, at);
    if (!addU128(view, at + 32, at + 32, at + RECORD + 32)) {
      // The base's low 128 bits are in place, the haircuts not yet added.
      const haircut = getU128(view, at + 48) + getU128(view, at + RECORD + 48);
      throw new SumOverflowError(AMOUNT_LIMIT + getU128(view, at + 32), haircut);
    }
    if (!addU128(view, at + 48, at + 48, at + RECORD + 48)) {
      throw new SumOverflowError(getU128(view, at + 32), AMOUNT_LIMIT + getU128(view, at + 48));
    }
    this.#live--;
    return left;
  }

  /** Reads slot `slot` as a {@linkcode SumNode}. */
  node(slot: number): SumNode {
    const at = slot * RECORD;
    return {
      hash: this.#bytes.slice(at, at + 32),
      base: getU128(this.#view, at + 32),
      haircut: getU128(this.#view, at + 48),
    };
  }
}
