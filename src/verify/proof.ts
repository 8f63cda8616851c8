/**
 * The trader's check of one proof against the signed statement.
 *
 * @module
 */

import type { LogProofResult } from "./log_proof.ts";
import { bytesToHex, equalBytes } from "../core/encoding.ts";
import { type ErrorCode, type Finding, FormatError, SumOverflowError } from "../core/errors.ts";
import { accountKey, sumHasher, sumLeaf, type SumNode } from "../core/sum_tree.ts";
import { ProofShapeError, rootFromInclusionProof } from "../core/tree.ts";
import type { SignerResult } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { type AnyProof, type DeficitProof, parseAnyProof, type Proof } from "../format/proof.ts";
import type { Statement } from "../format/statement.ts";
import { RoundingChecker, share } from "../rules/allocation.ts";
import { type Rate, rateHaircut, rateMismatchFinding, type RateRounding } from "../rules/rate.ts";
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
 * How a rate policy applied to the trader's base (format v1.1): the exact
 * product `base * num / den = q + r/den` and the haircut its rounding gives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type RateCharge, verifyProof } from "../../mod.ts";
 * const dir = "fixtures/scenarios/cryptocom-six-winners-floor";
 * const [file] = [...Deno.readDirSync(`${dir}/proofs`)];
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(`${dir}/proofs/${file.name}`),
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 * }, parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`)));
 * const charge: RateCharge = report.rateCharge!;
 * assert.equal(charge.haircut, report.proof?.haircut); // the one charge rate-floor allows
 * assert.equal(charge.rounded, "down");
 * ```
 */
export interface RateCharge {
  /** The signed rate. */
  rate: Rate;
  /** The signed rounding. */
  rounding: RateRounding;
  /** The trader's base. */
  base: bigint;
  /** `base * rate.num = q * rate.den + r`. */
  exact: { q: bigint; r: bigint };
  /** The haircut the rule gives: the only one it allows. */
  haircut: bigint;
  /** Which way the exact product was rounded: `exact` when `r = 0`. */
  rounded: "exact" | "down" | "up";
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
  /** The haircut proof, once it parsed. */
  proof?: Proof;
  /** The deficit proof (v1.1), once it parsed, when that is what the trader gave. */
  deficitProof?: DeficitProof;
  /** The exact pro-rata share under a v1.0 policy: `T * base = q * P + r`, once computable. */
  share?: { q: bigint; r: bigint };
  /** How the rate applied, under a rate policy (v1.1). */
  rateCharge?: RateCharge;
  /** Every check with its outcome, in order. */
  checks: CheckResult[];
  /** The findings. */
  errors: Finding[];
  /** How many findings there were in all. */
  errorCount: number;
  /** The log proof's result, when one was checked (SPEC §17). */
  log?: LogProofResult;
}

type CheckTable = readonly (readonly [string, readonly ErrorCode[]])[];

const OPENING_CHECKS: CheckTable = [
  ["envelope", ["ENVELOPE_INVALID", "PAYLOAD_TYPE"]],
  ["signatures", ["SIGNATURE_INVALID", "SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]],
  ["statement", ["NON_CANONICAL", "STATEMENT_INVALID"]],
  ["arithmetic", ["ARITHMETIC"]],
  ["proof format", ["PROOF_INVALID"]],
  ["statement digest", ["STATEMENT_DIGEST_MISMATCH"]],
];

const PROOF_CHECKS: CheckTable = [
  ...OPENING_CHECKS,
  ["inclusion", ["PROOF_ROOT_MISMATCH", "TOTAL_MISMATCH"]],
  ["haircut <= base", ["HAIRCUT_EXCEEDS_BASE"]],
  ["pro-rata charge", ["HAIRCUT_MISMATCH"]],
];

const RATE_PROOF_CHECKS: CheckTable = [
  ...PROOF_CHECKS.slice(0, -1),
  ["exact rate charge", ["HAIRCUT_MISMATCH"]],
];

const DEFICIT_PROOF_CHECKS: CheckTable = [
  ...OPENING_CHECKS,
  ["deficit tree inclusion", ["PROOF_ROOT_MISMATCH", "TOTAL_MISMATCH"]],
];

/**
 * The trader's check: the envelope is signed by enough trusted keys, the
 * statement is valid, the proof names this statement, the leaf recomputed
 * from the salt, account, base and haircut is in the signed tree with the
 * signed totals, and the haircut is exactly what the policy gives: `q`, or
 * `q + 1` when `r > 0` under largest-remainder; under a rate policy exactly
 * the rate's haircut, with no ranking to trust. A proof that names another
 * statement is checked no further (`STATEMENT_DIGEST_MISMATCH` only): its
 * figures belong to that other statement.
 *
 * A deficit proof (v1.1) is checked against the statement's deficit tree
 * instead: the leaf `(accountKey, loss, 0)` with its path hashes to the
 * signed `deficitTree.root`, whose sum is the signed total.
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
  let parsed: AnyProof | undefined;
  let shareValue: { q: bigint; r: bigint } | undefined;
  let rateCharge: RateCharge | undefined;
  const report = (): ProofReport => {
    const table = parsed?.kind === "deficit"
      ? DEFICIT_PROOF_CHECKS
      : opened.statement?.policy.rate
      ? RATE_PROOF_CHECKS
      : PROOF_CHECKS;
    return {
      ok: findings.count === 0,
      kind: "proof",
      ...(opened.digest ? { digest: opened.digest } : {}),
      ...(opened.statement ? { statement: opened.statement } : {}),
      signers: opened.signers,
      ...(opened.unverifiedVenue !== undefined ? { unverifiedVenue: opened.unverifiedVenue } : {}),
      ...(parsed?.kind === "haircut" ? { proof: parsed.proof } : {}),
      ...(parsed?.kind === "deficit" ? { deficitProof: parsed.proof } : {}),
      ...(shareValue ? { share: shareValue } : {}),
      ...(rateCharge ? { rateCharge } : {}),
      checks: checkList(table, findings.codes, reached),
      errors: findings.kept,
      errorCount: findings.count,
    };
  };
  try {
    parsed = parseAnyProof(proofText);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    findings.add(e.finding);
    return report();
  }
  reached.add("proof format");
  const s = opened.statement;
  if (!s) return report();
  if (parsed.proof.statement !== opened.digest) {
    // The proof belongs to another statement: nothing in it can be checked against this one.
    findings.add({
      code: "STATEMENT_DIGEST_MISMATCH",
      message: `the proof is for statement ${parsed.proof.statement}, the envelope's digest is ${opened.digest}`,
    });
    return report();
  }
  reached.add("statement digest");
  if (parsed.kind === "deficit") {
    checkDeficitInclusion(parsed.proof, s, findings, reached);
    return report();
  }
  const proof = parsed.proof;
  const leaf = sumLeaf(accountKey(proof.salt, proof.account), proof.base, proof.haircut);
  const root = rootFromPath({ index: proof.index, size: s.tree.leafCount, leaf, path: proof.path }, findings);
  if (root) {
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
  }
  if (proof.haircut > proof.base) {
    findings.add({
      code: "HAIRCUT_EXCEEDS_BASE",
      message: `haircut ${proof.haircut} exceeds base ${proof.base}`,
      leaf: proof.index,
    });
  }
  reached.add("haircut <= base");
  const policy = s.policy;
  if (policy.rate) {
    rateCharge = rateChargeOf(proof.base, policy);
    if (proof.haircut !== rateCharge.haircut && proof.haircut <= proof.base) {
      findings.add(
        rateMismatchFinding({
          index: proof.index,
          base: proof.base,
          haircut: proof.haircut,
          expected: rateCharge.haircut,
        }, policy),
      );
    }
    reached.add("exact rate charge");
  } else if (s.tree.totalBase !== 0n || s.target === 0n) {
    shareValue = share(proof.base, { target: s.target, totalBase: s.tree.totalBase });
    const checker = new RoundingChecker({ target: s.target, totalBase: s.tree.totalBase, rounding: policy.rounding });
    const mismatch = checker.add(proof.index, proof.base, proof.haircut);
    if (mismatch && proof.haircut <= proof.base) findings.add(mismatch);
    reached.add("pro-rata charge");
  }
  return report();
}

/**
 * How `policy` applies to `base`: the exact product, the haircut and the
 * rounding direction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateChargeOf } from "./proof.ts";
 * const c = rateChargeOf(750000n, { rate: { num: 116n, den: 1000n }, rounding: "rate-half-up" });
 * assert.equal(c.haircut, 87000n);
 * assert.equal(c.rounded, "exact");
 * ```
 */
export function rateChargeOf(base: bigint, policy: { rate: Rate; rounding: RateRounding }): RateCharge {
  const { rate, rounding } = policy;
  const product = base * rate.num;
  const exact = { q: product / rate.den, r: product % rate.den };
  const haircut = rateHaircut(base, rate, rounding);
  const rounded = exact.r === 0n ? "exact" : haircut > exact.q ? "up" : "down";
  return { rate: { ...rate }, rounding, base, exact, haircut, rounded };
}

/** The root a leaf and its path give, or `undefined` after a `PROOF_INVALID` finding (wrong shape or a 2^128 sum). */
function rootFromPath(
  p: { index: number; size: number; leaf: SumNode; path: SumNode[] },
  findings: FindingCollector,
): SumNode | undefined {
  try {
    return rootFromInclusionProof({ index: p.index, size: p.size, leaf: p.leaf, proof: p.path }, sumHasher);
  } catch (e) {
    // A wrong shape, or a path whose sums reach 2^128 (SumOverflowError from sumNode).
    if (!(e instanceof ProofShapeError || e instanceof SumOverflowError)) throw e;
    findings.add({ code: "PROOF_INVALID", message: `proof: ${e.message}`, leaf: p.index });
    return undefined;
  }
}

/** A deficit proof against the signed deficit tree: the root, and its sum equal to the signed total. */
function checkDeficitInclusion(
  proof: DeficitProof,
  s: Statement,
  findings: FindingCollector,
  reached: Set<string>,
): void {
  const head = s.deficitTree;
  if (!head) {
    findings.add({
      code: "PROOF_INVALID",
      message: "this is a deficit proof, but the statement commits to no deficit tree (it has no deficitTree)",
    });
    return;
  }
  const leaf = sumLeaf(accountKey(proof.salt, proof.account), proof.loss, 0n);
  const root = rootFromPath({ index: proof.index, size: head.leafCount, leaf, path: proof.path }, findings);
  if (!root) return;
  if (!equalBytes(root.hash, head.root)) {
    findings.add({
      code: "PROOF_ROOT_MISMATCH",
      message: `bankrupt leaf ${proof.index} with this path hashes to ${bytesToHex(root.hash)}, ` +
        `the signed deficitTree.root is ${bytesToHex(head.root)}`,
      leaf: proof.index,
    });
  } else if (root.base !== head.total) {
    findings.add({
      code: "TOTAL_MISMATCH",
      message: `the deficit tree's root sums the losses to ${root.base}, the signed deficitTree.total is ${head.total}`,
    });
  }
  reached.add("deficit tree inclusion");
}
