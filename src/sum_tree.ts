/**
 * The Merkle sum tree of DESIGN §2: account keys, leaves and nodes that carry
 * a base sum and a haircut sum, with both children's sums inside the parent
 * hash (closing the Maxwell flaw, eprint 2018/1139).
 *
 * @module
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { AMOUNT_LIMIT, writeU128 } from "./amount.ts";
import { utf8 } from "./encoding.ts";
import type { NodeHasher } from "./tree.ts";

/**
 * A node of the sum tree: its hash and the sums of base and haircut below it.
 *
 * @example
 * ```ts
 * import type { SumNode } from "./sum_tree.ts";
 * const n: SumNode = { hash: new Uint8Array(32), base: 0n, haircut: 0n };
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
 * @example
 * ```ts
 * import { accountKey } from "./sum_tree.ts";
 * accountKey(new Uint8Array(32), "alice"); // 32 bytes
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

const leafInput = new Uint8Array(1 + 32 + 16 + 16);
const nodeInput = new Uint8Array(1 + 2 * (32 + 16 + 16));

/**
 * `leaf = (SHA256(0x00 || accountKey || u128be(base) || u128be(haircut)), base, haircut)`.
 *
 * Preconditions: `key` is 32 bytes; both amounts are in [0, 2^128).
 *
 * @example
 * ```ts
 * import { sumLeaf } from "./sum_tree.ts";
 * sumLeaf(new Uint8Array(32), 1000n, 58n).base; // 1000n
 * ```
 */
export function sumLeaf(key: Uint8Array, base: bigint, haircut: bigint): SumNode {
  if (key.length !== 32) throw new RangeError(`account key must be 32 bytes, got ${key.length}`);
  leafInput[0] = LEAF_PREFIX;
  leafInput.set(key, 1);
  writeU128(leafInput, 33, base);
  writeU128(leafInput, 49, haircut);
  return { hash: sha256(leafInput), base, haircut };
}

/**
 * `node(L, R)`: the hash covers both children's hashes and sums; the sums add.
 *
 * @throws {RangeError} When a sum reaches 2^128.
 *
 * @example
 * ```ts
 * import { sumLeaf, sumNode } from "./sum_tree.ts";
 * const a = sumLeaf(new Uint8Array(32), 1n, 0n);
 * sumNode(a, a).base; // 2n
 * ```
 */
export function sumNode(left: SumNode, right: SumNode): SumNode {
  const base = left.base + right.base;
  const haircut = left.haircut + right.haircut;
  if (base >= AMOUNT_LIMIT || haircut >= AMOUNT_LIMIT) {
    throw new RangeError(`node sum (${base}, ${haircut}) reaches 2^128`);
  }
  nodeInput[0] = NODE_PREFIX;
  nodeInput.set(left.hash, 1);
  writeU128(nodeInput, 33, left.base);
  writeU128(nodeInput, 49, left.haircut);
  nodeInput.set(right.hash, 65);
  writeU128(nodeInput, 97, right.base);
  writeU128(nodeInput, 113, right.haircut);
  return { hash: sha256(nodeInput), base, haircut };
}

/**
 * The sum-tree instance of the generic RFC 9162 tree.
 *
 * @example
 * ```ts
 * import { sumHasher, sumLeaf } from "./sum_tree.ts";
 * import { treeRoot } from "./tree.ts";
 * treeRoot([sumLeaf(new Uint8Array(32), 5n, 1n)], sumHasher).haircut; // 1n
 * ```
 */
export const sumHasher: NodeHasher<SumNode> = { children: sumNode };
