/**
 * The Merkle tree primitives of haircut: the RFC 9162 tree shape over any
 * node type with its inclusion and consistency proofs, the sum tree whose
 * nodes carry the base and haircut sums (docs/SPEC.md sections 3 to 5), and
 * the plain RFC 6962 hash tree of the statement log (docs/SPEC.md section
 * 17) with byte-level checks of its proofs.
 *
 * @example Prove that a log of three entries extends its first two
 * ```ts
 * import assert from "node:assert/strict";
 * import { consistencyProblem, consistencyProof, rfc6962Hasher, rfc6962LeafHash, treeLevels, treeRoot } from "./tree.ts";
 *
 * const leaves = ["a", "b", "c"].map((s) => rfc6962LeafHash(new TextEncoder().encode(s)));
 * const root1 = treeRoot(leaves.slice(0, 2), rfc6962Hasher);
 * const root2 = treeRoot(leaves, rfc6962Hasher);
 * const proof = consistencyProof(treeLevels(leaves, rfc6962Hasher), 2);
 * assert.equal(proof.length, 1);
 * assert.equal(consistencyProblem({ size1: 2, size2: 3, root1, root2, proof }), undefined);
 * assert.match(consistencyProblem({ size1: 2, size2: 3, root1, root2: root1, proof })!, /the new root is/);
 * ```
 *
 * @module
 */

export {
  consistencyProof,
  consistencyProofLength,
  inclusionPath,
  ProofShapeError,
  rootFromInclusionProof,
  rootsFromConsistencyProof,
  treeLevels,
  treeRoot,
} from "./src/core/tree.ts";
export type { NodeHasher } from "./src/core/tree.ts";
export { accountKey, sumHasher, sumLeaf, sumNode } from "./src/core/sum_tree.ts";
export type { SumNode } from "./src/core/sum_tree.ts";
export { SumOverflowError } from "./src/core/errors.ts";
export { consistencyProblem, inclusionProblem, rfc6962Hasher, rfc6962LeafHash } from "./src/core/rfc6962.ts";
