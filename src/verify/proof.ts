/**
 * The trader's check of one proof against the signed statement.
 *
 * @module
 */

import type { LogProofResult } from "./log_proof.ts";
import { bytesToHex, equalBytes } from "../core/encoding.ts";
import { type ErrorCode, type Finding, FormatError, SumOverflowError } from "../core/errors.ts";
import { accountKey, sumHasher, sumLeaf } from "../core/sum_tree.ts";
import { ProofShapeError, rootFromInclusionProof } from "../core/tree.ts";
import type { SignerResult } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { parseProof, type Proof } from "../format/proof.ts";
import type { Statement } from "../format/statement.ts";
import { RoundingChecker, share } from "../rules/allocation.ts";
import { FindingCollector } from "./_findings.ts";
import { checkList, type CheckResult, openStatement } from "./_statement.ts";
/**
 * What a trader holds: the proof file's text and the venue's envelope text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type ProofInput, verifyProof } from "../../mod.ts";
 *
 * const name = "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
 * const input: ProofInput = {
 *   proof: await Deno.readTextFile(`fixtures/example/proofs/${name}`),
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 * };
 * assert.equal(verifyProof(input, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"))).ok, true);
 * ```
 */
export interface ProofInput {
  /** The text of the trader's proof file. */
  proof: string;
  /** The text of `statement.dsse.json`. */
  envelope: string;
}

/**
 * The outcome of {@linkcode verifyProof}, with the trader's own numbers.
 *
 * @example A proof that charges 50 units over the pro-rata share
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type ProofReport, verifyProof } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/proof-overcharged";
 * const report: ProofReport = verifyProof({
 *   proof: await Deno.readTextFile(`${dir}/proof.json`),
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/tampered/base/keys.json")));
 * assert.equal(report.ok, false);
 * assert.deepEqual(report.share, { q: 12345n, r: 700000n });
 * assert.equal(report.proof?.haircut, 12396n);
 * assert.deepEqual(report.errors.map((e) => e.code), ["HAIRCUT_MISMATCH"]);
 * ```
 */
export interface ProofReport {
  /** True when every check passed. */
  ok: boolean;
  /** Always `"proof"`. */
  kind: "proof";
  /** The digest of the signed payload, once the envelope parsed. */
  digest?: string;
  /** The statement, once signatures and parsing succeeded. */
  statement?: Statement;
  /** One entry per signature in the envelope. */
  signers: SignerResult[];
  /**
   * The venue the unverified payload names, when the signatures did not
   * check out: a hint for the reader only, never a verified fact.
   */
  unverifiedVenue?: string;
  /** The proof, once it parsed. */
  proof?: Proof;
  /** The exact share: `T * base = q * P + r`, once computable. */
  share?: { q: bigint; r: bigint };
  /** Every check with its outcome, in order. */
  checks: CheckResult[];
  /** The findings. */
  errors: Finding[];
  /** How many findings there were in all. */
  errorCount: number;
  /** The log proof's result, when one was checked (SPEC §17). */
  log?: LogProofResult;
}

const PROOF_CHECKS: readonly (readonly [string, readonly ErrorCode[]])[] = [
  ["envelope", ["ENVELOPE_INVALID", "PAYLOAD_TYPE"]],
  ["signatures", ["SIGNATURE_INVALID", "SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]],
  ["statement", ["NON_CANONICAL", "STATEMENT_INVALID"]],
  ["arithmetic", ["ARITHMETIC"]],
  ["proof format", ["PROOF_INVALID"]],
  ["statement digest", ["STATEMENT_DIGEST_MISMATCH"]],
  ["inclusion", ["PROOF_ROOT_MISMATCH", "TOTAL_MISMATCH"]],
  ["haircut <= base", ["HAIRCUT_EXCEEDS_BASE"]],
  ["pro-rata charge", ["HAIRCUT_MISMATCH"]],
];

/**
 * The trader's check: the envelope is signed by enough trusted keys, the
 * statement is valid, the proof names this statement, the leaf recomputed
 * from the salt, account, base and haircut is in the signed tree with the
 * signed totals, and the haircut is exactly the pro-rata share the policy
 * gives (`q`, or `q + 1` when `r > 0` under largest-remainder). A proof that
 * names another statement is checked no further (`STATEMENT_DIGEST_MISMATCH`
 * only): its figures belong to that other statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyProof } from "../../mod.ts";
 *
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const name = "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(`fixtures/example/proofs/${name}`),
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 * }, keys);
 * assert.equal(report.ok, true);
 * assert.equal(report.proof?.account, "alice");
 * assert.equal(report.proof?.haircut, 87015n);
 * assert.equal(report.share?.q, 87014n); // plus one rounding unit
 * ```
 */
export function verifyProof(input: ProofInput, keys: KeysFile): ProofReport {
  const { proof: proofText, envelope: envelopeText } = input;
  const findings = new FindingCollector(1000);
  const reached = new Set<string>();
  const opened = openStatement(envelopeText, keys, findings, reached);
  let proof: Proof | undefined;
  let shareValue: { q: bigint; r: bigint } | undefined;
  const report = (): ProofReport => ({
    ok: findings.count === 0,
    kind: "proof",
    ...(opened.digest ? { digest: opened.digest } : {}),
    ...(opened.statement ? { statement: opened.statement } : {}),
    signers: opened.signers,
    ...(opened.unverifiedVenue !== undefined ? { unverifiedVenue: opened.unverifiedVenue } : {}),
    ...(proof ? { proof } : {}),
    ...(shareValue ? { share: shareValue } : {}),
    checks: checkList(PROOF_CHECKS, findings.codes, reached),
    errors: findings.kept,
    errorCount: findings.count,
  });
  try {
    proof = parseProof(proofText);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    findings.add(e.finding);
    return report();
  }
  reached.add("proof format");
  const s = opened.statement;
  if (!s) return report();
  if (proof.statement !== opened.digest) {
    // The proof belongs to another statement: nothing in it can be checked against this one.
    findings.add({
      code: "STATEMENT_DIGEST_MISMATCH",
      message: `the proof is for statement ${proof.statement}, the envelope's digest is ${opened.digest}`,
    });
    return report();
  }
  reached.add("statement digest");
  const leaf = sumLeaf(accountKey(proof.salt, proof.account), proof.base, proof.haircut);
  try {
    const root = rootFromInclusionProof(
      { index: proof.index, size: s.tree.leafCount, leaf: leaf, proof: proof.path },
      sumHasher,
    );
    if (!equalBytes(root.hash, s.tree.root)) {
      findings.add({
        code: "PROOF_ROOT_MISMATCH",
        message: `leaf ${proof.index} with this path hashes to ${bytesToHex(root.hash)}, the signed root is ${
          bytesToHex(s.tree.root)
        }`,
        leaf: proof.index,
      });
    } else if (root.base !== s.tree.totalBase || root.haircut !== s.tree.totalHaircut) {
      findings.add({
        code: "TOTAL_MISMATCH",
        message: `the root's sums (${root.base}, ${root.haircut}) differ from the signed totals ` +
          `(${s.tree.totalBase}, ${s.tree.totalHaircut})`,
      });
    }
    reached.add("inclusion");
  } catch (e) {
    // A wrong shape, or a path whose sums reach 2^128 (SumOverflowError from sumNode).
    if (!(e instanceof ProofShapeError || e instanceof SumOverflowError)) throw e;
    findings.add({ code: "PROOF_INVALID", message: `proof: ${e.message}`, leaf: proof.index });
  }
  if (proof.haircut > proof.base) {
    findings.add({
      code: "HAIRCUT_EXCEEDS_BASE",
      message: `haircut ${proof.haircut} exceeds base ${proof.base}`,
      leaf: proof.index,
    });
  }
  reached.add("haircut <= base");
  if (s.tree.totalBase !== 0n || s.target === 0n) {
    shareValue = share(proof.base, { target: s.target, totalBase: s.tree.totalBase });
    const checker = new RoundingChecker({ target: s.target, totalBase: s.tree.totalBase, rounding: s.policy.rounding });
    const mismatch = checker.add(proof.index, proof.base, proof.haircut);
    if (mismatch && proof.haircut <= proof.base) findings.add(mismatch);
    reached.add("pro-rata charge");
  }
  return report();
}
