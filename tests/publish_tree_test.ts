/**
 * The publisher's node store and tree (src/publish/_tree.ts) against the
 * reference sum tree: NodeArena's leaves and nodes are sumLeaf and sumNode,
 * and buildSumTree gives treeRoot's root and inclusionPath's paths, with
 * and without its levels.
 */

import assert from "node:assert/strict";
import { buildSumTree, NodeArena } from "../src/publish/_tree.ts";
import { inclusionPath, sumHasher, sumLeaf, type SumNode, sumNode, treeLevels, treeRoot } from "../tree.ts";
import { bytesToHex } from "../src/core/encoding.ts";

function key(i: number): Uint8Array {
  return new Uint8Array(32).map((_, j) => (i * 31 + j * 7) & 0xff);
}

function same(actual: SumNode, expected: SumNode, what: string): void {
  assert.equal(bytesToHex(actual.hash), bytesToHex(expected.hash), what);
  assert.equal(actual.base, expected.base, what);
  assert.equal(actual.haircut, expected.haircut, what);
}

Deno.test("NodeArena: leaves and nodes hash exactly as sumLeaf and sumNode, amounts on both sides of 2^64", () => {
  const arena = new NodeArena(3);
  const keys = new Uint8Array(96);
  keys.set(key(1), 10);
  keys.set(key(2), 50);
  const a = arena.leaf(keys, 10, { base: (1n << 100n) + 3n, haircut: 1n << 64n });
  const b = arena.leaf(keys, 50, { base: 5n, haircut: 0n });
  assert.deepEqual([a, b], [0, 1]);
  const la = sumLeaf(key(1), (1n << 100n) + 3n, 1n << 64n);
  const lb = sumLeaf(key(2), 5n, 0n);
  same(arena.node(a), la, "leaf a");
  same(arena.node(b), lb, "leaf b");
  const parent = arena.children(a, b);
  assert.equal(parent, 2);
  same(arena.node(parent), sumNode(la, lb), "node");
});

Deno.test("NodeArena: a sum that reaches 2^128 throws", () => {
  const arena = new NodeArena(3);
  const a = arena.leaf(key(1), 0, { base: (1n << 128n) - 1n, haircut: 0n });
  const b = arena.leaf(key(2), 0, { base: 1n, haircut: 0n });
  assert.throws(() => arena.children(a, b), RangeError);
});

Deno.test("buildSumTree: the reference root and every inclusion path, for 1 to 40 leaves", () => {
  for (let n = 1; n <= 40; n++) {
    const keys = new Uint8Array(32 * n);
    const bases: bigint[] = [];
    const haircuts: bigint[] = [];
    for (let i = 0; i < n; i++) {
      keys.set(key(i), 32 * i);
      bases.push(BigInt(i * i + 1));
      haircuts.push(BigInt(i % 3));
    }
    const reference = Array.from({ length: n }, (_, i) => sumLeaf(key(i), bases[i], haircuts[i]));
    const expectedRoot = treeRoot(reference, sumHasher);
    const levels = treeLevels(reference, sumHasher);
    const leaves = { keys, keyOffset: (j: number) => 32 * j, bases, haircuts };
    const full = buildSumTree(leaves, { keepLevels: true });
    const rootOnly = buildSumTree(leaves, { keepLevels: false });
    same(full.root, expectedRoot, `root of ${n}`);
    same(rootOnly.root, expectedRoot, `root-only root of ${n}`);
    assert.equal(full.size, n);
    assert.equal(full.hasLevels, true);
    assert.equal(rootOnly.hasLevels, false);
    for (let i = 0; i < n; i++) {
      const expected = inclusionPath(levels, i);
      const path = full.path(i);
      assert.equal(path.length, expected.length, `path ${i} of ${n}`);
      path.forEach((node, k) => same(node, expected[k], `path ${i} of ${n}, node ${k}`));
      assert.deepEqual(
        full.pathRecords(i).map((r) => bytesToHex(full.node(r).hash)),
        path.map((p) => bytesToHex(p.hash)),
      );
    }
    assert.throws(() => rootOnly.path(0), /without its levels/);
  }
});

Deno.test("buildSumTree: leaves come from keyOffset, not from the key bytes' order", () => {
  const keys = new Uint8Array(64);
  keys.set(key(7), 0);
  keys.set(key(8), 32);
  const swapped = buildSumTree({ keys, keyOffset: (j) => 32 * (1 - j), bases: [1n, 2n], haircuts: [0n, 1n] }, {
    keepLevels: false,
  });
  same(swapped.root, sumNode(sumLeaf(key(8), 1n, 0n), sumLeaf(key(7), 2n, 1n)), "root");
});
