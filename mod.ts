/**
 * haircut: verify socialized-loss haircuts on derivatives venues.
 *
 * A venue publishes a signed statement (a DSSE envelope) and a Merkle sum
 * tree over every account's haircut base and haircut. Each trader checks
 * their own proof and their exact pro-rata charge; auditors re-derive the
 * whole publication. The format is docs/SPEC.md.
 *
 * - {@linkcode verifyPublication}: the full check of a publication directory
 *   (signatures, statement, every leaf, the rounding, the totals and the root).
 * - {@linkcode verifyProof}: one trader's check of their own proof.
 * - {@linkcode checkChain}: the `previous` links between statements.
 * - `render*`: text, JSON, JUnit and markdown views of those reports.
 *
 * Every check returns a structured report: `ok`, the list of `checks` and the
 * `errors`, each with a stable code from {@linkcode ERROR_CODES}. Amounts are
 * `bigint` minor units. The venue's side (building, signing and writing a
 * publication) is the `./publish` entry point (`publish.ts`); the tree and
 * sum-tree primitives are `./tree` (`tree.ts`).
 *
 * @example Verify a whole publication
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyPublication } from "./mod.ts";
 *
 * const dir = "fixtures/example";
 * const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 *   leaves: await Deno.readFile(`${dir}/leaves.csv`),
 * }, keys);
 * assert.equal(report.ok, true);
 * assert.equal(report.summary.leaves, 8);
 * assert.equal(report.summary.collected, 1300000n);
 * assert.deepEqual(report.errors, []);
 * ```
 *
 * @example Verify a trader's proof
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyProof } from "./mod.ts";
 *
 * const dir = "fixtures/example";
 * const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
 * const name = "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(`${dir}/proofs/${name}`),
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 * }, keys);
 * assert.equal(report.ok, true);
 * assert.equal(report.proof?.account, "alice");
 * assert.equal(report.proof?.haircut, 87015n);
 * ```
 *
 * @module
 */

// Verification: the whole publication, one trader's proof, a chain of statements.
export { fileChunks, verifyPublication } from "./src/verify/publication.ts";
export type {
  LeafTally,
  PublicationInput,
  PublicationReport,
  PublicationSummary,
  VerifyPublicationOptions,
} from "./src/verify/publication.ts";
export { verifyProof } from "./src/verify/proof.ts";
export type { ProofInput, ProofReport, RateCharge } from "./src/verify/proof.ts";
export type { LogProofResult, WitnessResult } from "./src/verify/log_proof.ts";
export type { SumNode } from "./src/core/sum_tree.ts";
export { checkChain } from "./src/verify/chain.ts";
export type { ChainInput, ChainLink, ChainReport, CheckChainOptions } from "./src/verify/chain.ts";
export type { CheckResult, CheckStatus } from "./src/verify/_statement.ts";

// Files: proofs, trusted keys, the signed envelope and the statement.
export { parseDeficitProof, parseProof } from "./src/format/proof.ts";
export type { DeficitProof, Proof } from "./src/format/proof.ts";
export { parseKeysFile } from "./src/format/keys.ts";
export type { KeysFile, TrustedKey } from "./src/format/keys.ts";
export type { Algorithm } from "./src/format/signature.ts";
export { checkSignatures, pae, parseEnvelope, PAYLOAD_TYPE } from "./src/format/dsse.ts";
export type { Envelope, SignatureCheck, SignerResult } from "./src/format/dsse.ts";
export { checkArithmetic, parseStatementPayload, payloadDigest, STATEMENT_TYPE } from "./src/format/statement.ts";
export type {
  BaseKind,
  DeficitTreeHead,
  Policy,
  ProRataPolicy,
  RatePolicy,
  Statement,
  TreeHead,
} from "./src/format/statement.ts";

// The allocation rule and amounts.
export { allocate, computeTarget, share } from "./src/rules/allocation.ts";
export type { AllocateOptions, Cap, Rounding } from "./src/rules/allocation.ts";
export { rateHaircut } from "./src/rules/rate.ts";
export type { Rate, RateRounding } from "./src/rules/rate.ts";

export { formatAmount, parseAmount } from "./src/core/amount.ts";
export type { FormatAmountOptions } from "./src/core/amount.ts";

// Reports.
export {
  renderChainJson,
  renderChainText,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderProofText,
  renderPublicationText,
  renderStatementText,
} from "./src/report/report.ts";
export type { ProofTextOptions, Report, TextOptions } from "./src/report/report.ts";

// Errors.
export { ERROR_CODES, FormatError, InputError } from "./src/core/errors.ts";
export type { ErrorCode, Finding } from "./src/core/errors.ts";
