/**
 * The publisher's sum tree over sorted accounts: every level in one
 * {@linkcode NodeArena} when proofs are wanted, else only the RFC 9162
 * stack of `SumNodeSlab` (O(log n) memory). Both run the one tree algorithm
 * of `core/tree.ts`.
 *
 * @module
 */

import { getU128, putU128 } from "../core/amount.ts";
import { LEAF_PREFIX, NODE_PREFIX, type SumNode, SumNodeSlab } from "../core/sum_tree.ts";
import { sha256PrefixedInto } from "../core/_sha256.ts";
import { inclusionPath, type NodeHasher, RootBuilder, treeLevels } from "../core/tree.ts";

/** One node: its hash (an account key before hashing, for a leaf), u128be base, u128be haircut. */
const RECORD = 64;

/**
 * Sum-tree nodes as 64-byte records in one preallocated array, leaves first,
 * then each level: the node store of the publisher. Its nodes are record
 * numbers, so {@linkcode treeLevels} over it keeps a whole tree in
 * `64 * (2n - 1)` bytes plus the levels' number arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NodeArena } from "./_tree.ts";
 * const arena = new NodeArena(3);
 * const a = arena.leaf(new Uint8Array(32), 0, { base: 5n, haircut: 1n });
 * const b = arena.leaf(new Uint8Array(32), 0, { base: 7n, haircut: 0n });
 * assert.equal(arena.node(arena.children(a, b)).base, 12n);
 * ```
 */
export class NodeArena implements NodeHasher<number> {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #pair = new Uint8Array(2 * RECORD);
  #next = 0;

  /** Creates an arena for `records` nodes: `2n - 1` hold a tree of n leaves. */
  constructor(records: number) {
    this.#bytes = new Uint8Array(records * RECORD);
    this.#view = new DataView(this.#bytes.buffer);
  }

  /**
   * Hashes the leaf of the account key `key[keyOffset:keyOffset+32)` into the next record.
   *
   * Preconditions: both amounts are in [0, 2^128); a record is free.
   *
   * @returns The record.
   */
  leaf(key: Uint8Array, keyOffset: number, amounts: { base: bigint; haircut: bigint }): number {
    const at = this.#next * RECORD;
    const bytes = this.#bytes;
    bytes.set(key.subarray(keyOffset, keyOffset + 32), at);
    putU128(this.#view, at + 32, amounts.base);
    putU128(this.#view, at + 48, amounts.haircut);
    sha256PrefixedInto(LEAF_PREFIX, bytes, at, RECORD, bytes, at);
    return this.#next++;
  }

  /**
   * Hashes `node(left, right)` into the next record.
   *
   * @throws {RangeError} When a sum reaches 2^128 (the publisher checks the total first, so it never does).
   */
  children(left: number, right: number): number {
    const bytes = this.#bytes;
    const view = this.#view;
    const pair = this.#pair;
    const l = left * RECORD;
    const r = right * RECORD;
    pair.set(bytes.subarray(l, l + RECORD), 0);
    pair.set(bytes.subarray(r, r + RECORD), RECORD);
    const at = this.#next * RECORD;
    sha256PrefixedInto(NODE_PREFIX, pair, 0, 2 * RECORD, bytes, at);
    putU128(view, at + 32, getU128(view, l + 32) + getU128(view, r + 32));
    putU128(view, at + 48, getU128(view, l + 48) + getU128(view, r + 48));
    return this.#next++;
  }

  /** Reads record `record` as a {@linkcode SumNode} (its hash a view into the arena). */
  node(record: number): SumNode {
    const at = record * RECORD;
    return {
      hash: this.#bytes.subarray(at, at + 32),
      base: getU128(this.#view, at + 32),
      haircut: getU128(this.#view, at + 48),
    };
  }
}

/**
 * The leaves of a tree in order: account keys (32 bytes at `keyOffset(j)` of
 * `keys`) and amounts.
 *
 * @example
 * ```ts
 * import type { TreeLeaves } from "./_tree.ts";
 * const leaves: TreeLeaves = { keys: new Uint8Array(32), keyOffset: () => 0, bases: [5n], haircuts: [1n] };
 * ```
 */
export interface TreeLeaves {
  /** The bytes that hold the account keys. */
  readonly keys: Uint8Array;
  /** Where leaf `j`'s key starts in `keys`. */
  readonly keyOffset: (j: number) => number;
  /** The bases in tree order. */
  readonly bases: readonly bigint[];
  /** The haircuts in tree order. */
  readonly haircuts: readonly bigint[];
}

/**
 * A built sum tree: its root, and when kept, every level for inclusion paths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildSumTree } from "./_tree.ts";
 * const tree = buildSumTree({ keys: new Uint8Array(32), keyOffset: () => 0, bases: [5n, 7n], haircuts: [1n, 0n] }, {
 *   keepLevels: true,
 * });
 * assert.equal(tree.root.base, 12n);
 * assert.deepEqual(tree.path(0).map((n) => n.base), [7n]);
 * ```
 */
export interface SumTree {
  /** The root. */
  readonly root: SumNode;
  /** The leaf count. */
  readonly size: number;
  /** Whether {@linkcode SumTree.path} and {@linkcode SumTree.pathRecords} are available. */
  readonly hasLevels: boolean;
  /** The inclusion path of leaf `index`, bottom-up. */
  path(index: number): SumNode[];
  /** The same path as record numbers, which repeat between neighbouring leaves (for caching). */
  pathRecords(index: number): number[];
  /** The node of a record from {@linkcode SumTree.pathRecords}. */
  node(record: number): SumNode;
}

/**
 * Builds the sum tree of `leaves`, keeping every level when asked.
 *
 * Preconditions: at least one leaf; the bases add up to less than 2^128;
 * each haircut is at most its base.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildSumTree } from "./_tree.ts";
 * const tree = buildSumTree({ keys: new Uint8Array(32), keyOffset: () => 0, bases: [5n], haircuts: [1n] }, {
 *   keepLevels: false,
 * });
 * assert.equal(tree.root.haircut, 1n);
 * ```
 */
export function buildSumTree(leaves: TreeLeaves, options: { keepLevels: boolean }): SumTree {
  const { keys, keyOffset, bases, haircuts } = leaves;
  const n = bases.length;
  if (!options.keepLevels) {
    const slab = new SumNodeSlab();
    const builder = new RootBuilder<number>(slab);
    for (let j = 0; j < n; j++) builder.push(slab.leaf(keys, bases[j], haircuts[j], keyOffset(j)));
    const root = slab.node(builder.root());
    const none = (): never => {
      throw new Error("the tree was built without its levels");
    };
    return { root, size: n, hasLevels: false, path: none, pathRecords: none, node: none };
  }
  const arena = new NodeArena(2 * n - 1);
  const records = new Array<number>(n);
  for (let j = 0; j < n; j++) records[j] = arena.leaf(keys, keyOffset(j), { base: bases[j], haircut: haircuts[j] });
  const levels = treeLevels(records, arena);
  return {
    root: arena.node(levels[levels.length - 1][0]),
    size: n,
    hasLevels: true,
    path: (index) => inclusionPath(levels, index).map((r) => arena.node(r)),
    pathRecords: (index) => inclusionPath(levels, index),
    node: (record) => arena.node(record),
  };
}
