/**
 * The RFC 9162 §2.1 Merkle tree, generic over the node type: the root from
 * leaves streamed in order, inclusion paths, the root from an inclusion
 * proof (§2.1.3.2), and consistency proofs and the roots they prove
 * (§2.1.4), all with exact length checks. The sum tree (`sum_tree.ts`) and
 * the statement log's RFC 6962 tree (`rfc6962.ts`) are its two hashers.
 *
 * The shape is Certificate Transparency's: for n > 1 leaves, with k the
 * largest power of two below n, `MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n]))`.
 * No padding, no duplicated nodes; the empty tree is not allowed here.
 *
 * @module
 */

/**
 * Combines two child nodes into their parent.
 *
 * @example A hasher over strings shows the RFC 9162 shape
 * ```ts
 * import assert from "node:assert/strict";
 * import { type NodeHasher, treeRoot } from "../../tree.ts";
 *
 * const concat: NodeHasher<string> = { children: (l, r) => `(${l}${r})` };
 * assert.equal(treeRoot(["a", "b", "c", "d", "e"], concat), "(((ab)(cd))e)");
 * ```
 */
export interface NodeHasher<N> {
  /** Returns the parent of `left` and `right`. */
  children(left: N, right: N): N;
}

/**
 * A proof that does not fit the tree it claims to belong to. It carries the
 * index and size, and the expected and actual path lengths when known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProofShapeError, rootFromInclusionProof } from "../../tree.ts";
 *
 * const concat = { children: (l: string, r: string) => `(${l}${r})` };
 * assert.throws(
 *   () => rootFromInclusionProof({ index: 0, size: 4, leaf: "a", proof: ["b"] }, concat),
 *   (e) => e instanceof ProofShapeError && e.expected === 2 && e.actual === 1,
 * );
 * ```
 */
export class ProofShapeError extends Error {
  /** Creates the error. */
  constructor(
    message: string,
    /** The leaf index the proof claims (for a consistency proof, the old size). */
    readonly index: number,
    /** The tree size the proof is checked against (for a consistency proof, the new size). */
    readonly size: number,
    /** The number of path nodes the shape requires, when the index fits. */
    readonly expected?: number,
    /** The number of path nodes given. */
    readonly actual?: number,
  ) {
    super(message);
    this.name = "ProofShapeError";
  }
}

/**
 * Streams leaves in order and yields the RFC 9162 root, holding only one
 * perfect subtree per set bit of the count: O(log n) state.
 */
export class RootBuilder<N> {
  readonly #hasher: NodeHasher<N>;
  readonly #nodes: N[] = [];
  readonly #sizes: number[] = [];
  #count = 0;

  /** Creates an empty builder. */
  constructor(hasher: NodeHasher<N>) {
    this.#hasher = hasher;
  }

  /** The number of leaves pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends the next leaf. */
  push(leaf: N): void {
    this.pushSubtree(leaf, 1);
  }

  /**
   * Appends the root of a perfect subtree of `size` leaves.
   *
   * Precondition: `size` is a power of two and the leaves pushed so far are a
   * multiple of `size`, so the subtree is aligned as RFC 9162 lays it out.
   */
  pushSubtree(node: N, size: number): void {
    if (size < 1 || !Number.isInteger(Math.log2(size)) || this.#count % size !== 0) {
      throw new RangeError(`subtree of size ${size} is not aligned at leaf ${this.#count}`);
    }
    let n = node;
    let s = size;
    while (this.#sizes.length > 0 && this.#sizes[this.#sizes.length - 1] === s) {
      this.#sizes.pop();
      n = this.#hasher.children(this.#nodes.pop() as N, n);
      s *= 2;
    }
    this.#nodes.push(n);
    this.#sizes.push(s);
    this.#count += size;
  }

  /**
   * The perfect subtrees held so far, leftmost first: one per set bit of
   * {@linkcode RootBuilder.count}, largest first. Pushing them in this order
   * with {@linkcode RootBuilder.pushSubtree} into a builder that holds a
   * multiple of the first size rebuilds the same tree; the parallel verifier
   * combines the batches its workers hashed so.
   *
   * @example
   * ```ts
   * import { RootBuilder } from "./tree.ts";
   * const b = new RootBuilder({ children: (l: string, r: string) => `(${l}${r})` });
   * for (const x of ["a", "b", "c"]) b.push(x);
   * b.subtrees(); // [{ node: "(ab)", size: 2 }, { node: "c", size: 1 }]
   * ```
   */
  subtrees(): { node: N; size: number }[] {
    return this.#nodes.map((node, i) => ({ node, size: this.#sizes[i] }));
  }

  /**
   * Returns the root of the leaves pushed so far.
   *
   * @throws {RangeError} When no leaf was pushed: the empty tree is invalid.
   */
  root(): N {
    if (this.#nodes.length === 0) throw new RangeError("the empty tree has no root");
    let r = this.#nodes[this.#nodes.length - 1];
    for (let i = this.#nodes.length - 2; i >= 0; i--) r = this.#hasher.children(this.#nodes[i], r);
    return r;
  }
}

/**
 * Computes the RFC 9162 root of `leaves`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { treeRoot } from "../../tree.ts";
 *
 * assert.equal(treeRoot(["a", "b", "c"], { children: (l, r) => `(${l}${r})` }), "((ab)c)");
 * assert.throws(() => treeRoot([], { children: (l: string, r: string) => l + r }), RangeError);
 * ```
 */
export function treeRoot<N>(leaves: Iterable<N>, hasher: NodeHasher<N>): N {
  const builder = new RootBuilder(hasher);
  for (const leaf of leaves) builder.push(leaf);
  return builder.root();
}

/**
 * Every level of the tree, bottom-up: `levels[0]` is the leaves and the last
 * level holds only the root. A level's unpaired last node moves up
 * unchanged, which gives exactly the RFC 9162 shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { treeLevels } from "../../tree.ts";
 *
 * const levels = treeLevels(["a", "b", "c"], { children: (l, r) => `(${l}${r})` });
 * assert.deepEqual(levels, [["a", "b", "c"], ["(ab)", "c"], ["((ab)c)"]]);
 * ```
 */
export function treeLevels<N>(leaves: readonly N[], hasher: NodeHasher<N>): N[][] {
  if (leaves.length === 0) throw new RangeError("the empty tree has no levels");
  const levels: N[][] = [leaves.slice()];
  while (levels[levels.length - 1].length > 1) {
    const below = levels[levels.length - 1];
    const above: N[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(hasher.children(below[i], below[i + 1]));
    if (below.length % 2 === 1) above.push(below[below.length - 1]);
    levels.push(above);
  }
  return levels;
}

/**
 * Returns the inclusion path of leaf `index`, bottom-up, exactly as RFC 9162
 * §2.1.3.1 lists it, from the levels {@linkcode treeLevels} built.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inclusionPath, treeLevels } from "../../tree.ts";
 *
 * const levels = treeLevels(["a", "b", "c", "d", "e"], { children: (l, r) => `(${l}${r})` });
 * assert.deepEqual(inclusionPath(levels, 1), ["a", "(cd)", "e"]);
 * assert.deepEqual(inclusionPath(levels, 4), ["((ab)(cd))"]);
 * ```
 */
export function inclusionPath<N>(levels: readonly (readonly N[])[], index: number): N[] {
  const size = levels[0].length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${size}`);
  }
  const path: N[] = [];
  let i = index;
  for (let level = 0; level < levels.length - 1; level++) {
    const nodes = levels[level];
    const sibling = i % 2 === 1 ? i - 1 : i + 1;
    if (sibling < nodes.length) path.push(nodes[sibling]);
    i = Math.floor(i / 2);
  }
  return path;
}

/**
 * The number of path nodes an inclusion proof for leaf `index` in a tree of
 * `size` leaves must have.
 *
 * Precondition: `0 <= index < size`.
 */
export function inclusionProofLength(index: number, size: number): number {
  // As in transparency-dev/merkle: `inner` levels below the point where the
  // paths to the leaf and to the last leaf meet each contribute a sibling,
  // and above it the leaf's path has a left sibling at each set bit.
  let inner = 0;
  let fn = index;
  let sn = size - 1;
  while (fn !== sn) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    inner++;
  }
  let border = 0;
  for (; fn > 0; fn = Math.floor(fn / 2)) border += fn % 2;
  return inner + border;
}

/**
 * Recomputes the root from a leaf and its inclusion proof, following RFC 9162
 * §2.1.3.2. The caller compares the result with the trusted root.
 *
 * Preconditions checked here: `index` and `size` are safe integers with
 * `0 <= index < size`, and `proof` has exactly
 * {@linkcode inclusionProofLength} nodes.
 *
 * @throws {ProofShapeError} Carrying the index, size and lengths involved.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inclusionPath, rootFromInclusionProof, treeLevels, treeRoot } from "../../tree.ts";
 *
 * const hasher = { children: (l: string, r: string) => `(${l}${r})` };
 * const leaves = ["a", "b", "c", "d", "e"];
 * const proof = inclusionPath(treeLevels(leaves, hasher), 1);
 * assert.equal(rootFromInclusionProof({ index: 1, size: 5, leaf: "b", proof }, hasher), treeRoot(leaves, hasher));
 * ```
 */
export function rootFromInclusionProof<N>(
  claim: { index: number; size: number; leaf: N; proof: readonly N[] },
  hasher: NodeHasher<N>,
): N {
  const { index, size, leaf, proof } = claim;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new ProofShapeError(`tree size ${size} must be a positive integer`, index, size);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new ProofShapeError(`leaf index ${index} is outside a tree of ${size}`, index, size);
  }
  const expected = inclusionProofLength(index, size);
  if (proof.length !== expected) {
    throw new ProofShapeError(
      `proof has ${proof.length} nodes, but leaf ${index} of ${size} needs ${expected}`,
      index,
      size,
      expected,
      proof.length,
    );
  }
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new ProofShapeError("proof is longer than the path to the root", index, size);
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.children(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hasher.children(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new ProofShapeError("proof is shorter than the path to the root", index, size);
  return r;
}

/** Whether the positive safe integer `n` is a power of two, exactly (no floating-point logarithm). */
function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m % 2 === 0) m /= 2;
  return m === 1;
}

/** The largest power of two strictly below `n`. Precondition: `n > 1`. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The node of `levels` that is the root of the leaves `[start, end)`: a
 * perfect subtree aligned at `start`, or the tree's right edge.
 */
function rangeNode<N>(levels: readonly (readonly N[])[], start: number, end: number): N {
  let height = 0;
  while (2 ** height < end - start) height++;
  const width = 2 ** height;
  if (start % width !== 0 || (end - start !== width && end !== levels[0].length)) {
    throw new RangeError(`leaves [${start}, ${end}) are not one node of the tree`);
  }
  return levels[height][start / width];
}

/**
 * The number of nodes an RFC 9162 consistency proof from `size1` to `size2`
 * leaves must have.
 *
 * Precondition: `0 < size1 <= size2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consistencyProofLength } from "../../tree.ts";
 * assert.equal(consistencyProofLength(3, 7), 4);
 * assert.equal(consistencyProofLength(4, 4), 0);
 * ```
 */
export function consistencyProofLength(size1: number, size2: number): number {
  // SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1, counted instead of built.
  let m = size1;
  let n = size2;
  let complete = true;
  let length = 0;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      n = k;
    } else {
      m -= k;
      n -= k;
      complete = false;
    }
    length++;
  }
  return complete ? length : length + 1;
}

/**
 * Returns the RFC 9162 §2.1.4.1 consistency proof `PROOF(size1, D[n])` from
 * the first `size1` leaves to the whole tree whose levels
 * {@linkcode treeLevels} built: empty when `size1` is the tree's size.
 *
 * Precondition: `0 < size1 <= n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consistencyProof, treeLevels } from "../../tree.ts";
 * const levels = treeLevels(["a", "b", "c"], { children: (l, r) => `(${l}${r})` });
 * assert.deepEqual(consistencyProof(levels, 2), ["c"]);
 * assert.deepEqual(consistencyProof(levels, 1), ["b", "c"]);
 * ```
 */
export function consistencyProof<N>(levels: readonly (readonly N[])[], size1: number): N[] {
  const size2 = levels[0].length;
  if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2) {
    throw new RangeError(`old size ${size1} must be from 1 to the tree size ${size2}`);
  }
  const proof: N[] = [];
  // SUBPROOF(m, D[start:start+n], complete), walked top-down; the nodes it appends come out deepest first.
  const subproof = (m: number, start: number, n: number, complete: boolean): void => {
    if (m === n) {
      if (!complete) proof.push(rangeNode(levels, start, start + n));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, k, complete);
      proof.push(rangeNode(levels, start + k, start + n));
    } else {
      subproof(m - k, start + k, n - k, false);
      proof.push(rangeNode(levels, start, start + k));
    }
  };
  subproof(size1, 0, size2, true);
  return proof;
}

/**
 * Recomputes both roots from an RFC 9162 consistency proof, following
 * §2.1.4.2: the root of the first `size1` leaves and the root of all
 * `size2`. The caller compares them with the trusted roots; when `size1` is
 * a power of two (or equals `size2`) the first is `root1` itself.
 *
 * Preconditions checked here: `size1` and `size2` are safe integers with
 * `0 < size1 <= size2` (a proof from the empty tree proves nothing), and
 * `proof` has exactly {@linkcode consistencyProofLength} nodes.
 *
 * @throws {ProofShapeError} With `index` = `size1`, `size` = `size2`, and the
 * expected and actual lengths when the sizes are valid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rootsFromConsistencyProof } from "../../tree.ts";
 * const h = { children: (l: string, r: string) => `(${l}${r})` };
 * const roots = rootsFromConsistencyProof({ size1: 2, size2: 3, root1: "(ab)", proof: ["c"] }, h);
 * assert.deepEqual(roots, { root1: "(ab)", root2: "((ab)c)" });
 * ```
 */
export function rootsFromConsistencyProof<N>(
  claim: { size1: number; size2: number; root1: N; proof: readonly N[] },
  hasher: NodeHasher<N>,
): { root1: N; root2: N } {
  const { size1, size2, root1, proof } = claim;
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 1 || size1 > size2) {
    throw new ProofShapeError(
      `a consistency proof needs sizes 0 < size1 <= size2, got ${size1} and ${size2}`,
      size1,
      size2,
    );
  }
  const expected = consistencyProofLength(size1, size2);
  if (proof.length !== expected) {
    throw new ProofShapeError(
      `consistency proof has ${proof.length} nodes, but ${size1} to ${size2} needs ${expected}`,
      size1,
      size2,
      expected,
      proof.length,
    );
  }
  if (size1 === size2) return { root1, root2: root1 };
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProofShapeError("consistency proof is longer than the path to the root", size1, size2);
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.children(c, fr);
      sr = hasher.children(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hasher.children(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new ProofShapeError("consistency proof is shorter than the path to the root", size1, size2);
  return { root1: fr, root2: sr };
}
