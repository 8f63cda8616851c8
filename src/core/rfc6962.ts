/**
 * The plain RFC 6962 Merkle tree of a transparency log (SPEC §17): leaf
 * `SHA-256(0x00 || data)`, node `SHA-256(0x01 || left || right)`, on the
 * generic RFC 9162 tree, with byte-level checks of inclusion and
 * consistency proofs.
 *
 * @module
 */

import { sha256 } from "./_sha256.ts";
import { bytesToHex, equalBytes } from "./encoding.ts";
import { type NodeHasher, ProofShapeError, rootFromInclusionProof, rootsFromConsistencyProof } from "./tree.ts";

/** The size of every RFC 6962 hash: 32 bytes (internal: the log formats check their hashes against it). */
export const HASH_SIZE = 32;

/**
 * The RFC 6962 interior hasher: `SHA-256(0x01 || left || right)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHash } from "node:crypto";
 * import { rfc6962Hasher, rfc6962LeafHash, treeRoot } from "../../tree.ts";
 *
 * const [a, b] = [rfc6962LeafHash(Uint8Array.of(1)), rfc6962LeafHash(Uint8Array.of(2))];
 * const node = createHash("sha256").update(Uint8Array.of(0x01)).update(a).update(b).digest();
 * assert.deepEqual(treeRoot([a, b], rfc6962Hasher), new Uint8Array(node));
 * ```
 */
export const rfc6962Hasher: NodeHasher<Uint8Array> = {
  children(left: Uint8Array, right: Uint8Array): Uint8Array {
    const input = new Uint8Array(1 + left.length + right.length);
    input[0] = 0x01;
    input.set(left, 1);
    input.set(right, 1 + left.length);
    return sha256(input);
  },
};

/**
 * The RFC 6962 leaf hash of an entry: `SHA-256(0x00 || data)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Buffer } from "node:buffer";
 * import { rfc6962LeafHash } from "../../tree.ts";
 *
 * // The RFC 6962 hash of the empty entry, as Certificate Transparency's test vectors give it.
 * const leaf = rfc6962LeafHash(new Uint8Array());
 * assert.equal(Buffer.from(leaf).toString("hex"), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
 * ```
 */
export function rfc6962LeafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input.set(data, 1);
  return sha256(input);
}

function badNode(proof: readonly Uint8Array[]): string | undefined {
  const i = proof.findIndex((p) => p.length !== HASH_SIZE);
  return i < 0 ? undefined : `proof node ${i} is ${proof[i].length} bytes, not ${HASH_SIZE}`;
}

/**
 * Checks an RFC 6962 inclusion proof of the leaf hash `leafHash` at `index`
 * in the tree of `size` leaves with root `root`.
 *
 * @returns A one-line problem with the values involved, or `undefined` when the proof holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inclusionProblem, rfc6962Hasher, rfc6962LeafHash } from "../../tree.ts";
 * const [a, b] = [rfc6962LeafHash(new Uint8Array([1])), rfc6962LeafHash(new Uint8Array([2]))];
 * const root = rfc6962Hasher.children(a, b);
 * assert.equal(inclusionProblem({ index: 1, size: 2, leafHash: b, proof: [a], root }), undefined);
 * assert.match(inclusionProblem({ index: 0, size: 2, leafHash: b, proof: [a], root })!, /hashes to/);
 * ```
 */
export function inclusionProblem(
  claim: { index: number; size: number; leafHash: Uint8Array; proof: readonly Uint8Array[]; root: Uint8Array },
): string | undefined {
  const { index, size, leafHash, proof, root } = claim;
  const node = badNode(proof);
  if (node) return node;
  if (leafHash.length !== HASH_SIZE) return `leaf hash is ${leafHash.length} bytes, not ${HASH_SIZE}`;
  let computed: Uint8Array;
  try {
    computed = rootFromInclusionProof({ index, size, leaf: leafHash, proof }, rfc6962Hasher);
  } catch (e) {
    if (e instanceof ProofShapeError) return e.message;
    throw e;
  }
  return equalBytes(computed, root)
    ? undefined
    : `leaf ${index} of ${size} with this path hashes to ${bytesToHex(computed)}, the root is ${bytesToHex(root)}`;
}

/**
 * Checks an RFC 6962 consistency proof that the tree of `size1` leaves with
 * root `root1` is a prefix of the tree of `size2` leaves with root `root2`
 * (RFC 9162 §2.1.4.2). With equal sizes the proof must be empty and the
 * roots equal. A proof from size 0 is refused: it proves nothing, and a
 * witness handles a log it has not seen before calling this.
 *
 * @returns A one-line problem with the values involved, or `undefined` when the proof holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consistencyProblem, rfc6962Hasher, rfc6962LeafHash } from "../../tree.ts";
 * const [a, b] = [rfc6962LeafHash(new Uint8Array([1])), rfc6962LeafHash(new Uint8Array([2]))];
 * const root2 = rfc6962Hasher.children(a, b);
 * assert.equal(consistencyProblem({ size1: 1, size2: 2, root1: a, root2, proof: [b] }), undefined);
 * assert.match(consistencyProblem({ size1: 0, size2: 2, root1: a, root2, proof: [] })!, /0 < size1/);
 * ```
 */
export function consistencyProblem(
  claim: { size1: number; size2: number; root1: Uint8Array; root2: Uint8Array; proof: readonly Uint8Array[] },
): string | undefined {
  const { size1, size2, root1, root2, proof } = claim;
  const node = badNode(proof);
  if (node) return node;
  let roots: { root1: Uint8Array; root2: Uint8Array };
  try {
    roots = rootsFromConsistencyProof({ size1, size2, root1, proof }, rfc6962Hasher);
  } catch (e) {
    if (e instanceof ProofShapeError) return e.message;
    throw e;
  }
  if (!equalBytes(roots.root1, root1)) {
    return `the proof gives ${bytesToHex(roots.root1)} for size ${size1}, the old root is ${bytesToHex(root1)}`;
  }
  if (!equalBytes(roots.root2, root2)) {
    return `the proof gives ${bytesToHex(roots.root2)} for size ${size2}, the new root is ${bytesToHex(root2)}`;
  }
  return undefined;
}
