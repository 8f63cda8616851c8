/**
 * The Merkle tree primitives of haircut: the RFC 9162 tree shape over any
 * node type, and the sum tree whose nodes carry the base and haircut sums
 * (docs/SPEC.md sections 3 to 5).
 *
 * @module
 */

export { inclusionPath, ProofShapeError, rootFromInclusionProof, treeLevels, treeRoot } from "./src/core/tree.ts";
export type { NodeHasher } from "./src/core/tree.ts";
export { accountKey, sumHasher, sumLeaf, sumNode } from "./src/core/sum_tree.ts";
export type { SumNode } from "./src/core/sum_tree.ts";
export { SumOverflowError } from "./src/core/errors.ts";
