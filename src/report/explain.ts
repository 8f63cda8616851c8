/**
 * The explanation model: one pure function turns a proof report into the
 * facts a trader reads (the verdict and its reason, the event's waterfall,
 * the rate, the trader's base, exact share, charge and rounding, what is and
 * is not guaranteed, and what to keep as evidence). Amounts stay `bigint` in
 * minor units with the asset's decimals beside them; the CLI text, markdown,
 * JSON and the web page only render this model and never recompute it.
 *
 * A rate policy (format v1.1) is carried by {@linkcode RateFacts.policyRate}
 * and its one allowed charge; a deficit proof by {@linkcode Explanation.deficit}.
 * The log checks (`--log-proof`) arrive as extra entries in
 * {@linkcode Explanation.checks}, their facts in {@linkcode Explanation.log},
 * their findings as a `"log"` reason, and a passed log check as the
 * `"logged"` guarantee.
 *
 * @module
 */

import type { ErrorCode, Finding } from "../core/errors.ts";
import type { SignerResult } from "../format/dsse.ts";
import type { BaseKind, Statement } from "../format/statement.ts";
import { allowedHaircuts, type Cap, type Rounding } from "../rules/allocation.ts";
import type { Rate, RateRounding } from "../rules/rate.ts";
import type { CheckResult } from "../verify/_statement.ts";
import type { LogProofResult } from "../verify/log_proof.ts";
import type { ProofReport } from "../verify/proof.ts";

/** The asset amounts are counted in: its symbol and its decimals (minor units per unit = 10^decimals). */
export interface ExplainedAsset {
  /** The asset's symbol, e.g. `"USDT"`. */
  symbol: string;
  /** How many decimals a minor unit has: 2 means 1 minor unit = 0.01. */
  decimals: number;
}

/** Which signed statement the explanation is about. */
export interface ExplainedStatement {
  /** The hex SHA-256 of the signed payload. */
  digest: string;
  /** The venue's name. */
  venue: string;
  /** The event's identifier. */
  event: string;
  /** The snapshot time, RFC 3339 UTC. */
  snapshotTime: string;
  /** The digest of the venue's previous statement, or `null`. */
  previous: string | null;
}

/**
 * How the event's loss was covered, from the signed statement: the deficit,
 * the insurance fund and what of it was used, the shortfall, the cap, the
 * target, what was collected and what stays uncovered.
 */
export interface Waterfall {
  /** The bankrupt accounts' negative equity. */
  deficit: bigint;
  /** The insurance fund before the event. */
  insuranceFund: bigint;
  /** What the fund paid: `min(deficit, insuranceFund)`. */
  insuranceUsed: bigint;
  /** What was left after the fund: `deficit - insuranceUsed`. */
  shortfall: bigint;
  /** The largest fraction of any base that may be taken, or `null`. */
  cap: Cap | null;
  /** The most the cap lets the venue collect, `floor(totalBase * num / den)`, or `null` without a cap. */
  capLimit: bigint | null;
  /** What the venue set out to collect from the accounts (T). */
  target: bigint;
  /** What the accounts were charged in all. */
  collected: bigint;
  /** What nobody covers: `shortfall - collected`. */
  uncovered: bigint;
  /** How many bankrupt accounts the signed deficit tree holds, when the statement commits to its deficit (v1.1). */
  bankruptAccounts?: number;
}

/** The rate and how the rule applies it to each account. */
export interface RateFacts {
  /** T: the amount socialized. */
  target: bigint;
  /** P: the sum of every account's base. */
  totalBase: bigint;
  /** What a base is: profit, or every balance (equity). */
  baseKind: BaseKind;
  /** How many accounts share the charge. */
  accounts: number;
  /** The rounding rule. */
  rounding: Rounding | RateRounding;
  /** True when the cap, not the shortfall, set the target. */
  capped: boolean;
  /**
   * A published rate `num/den` applied to each base (the `rate-*` roundings
   * of format v1.1), when the statement has one: the words then say
   * "11.6000% of 7,500.00 USDT is 870.00 USDT, rounded down".
   */
  policyRate?: Rate;
}

/** Whether the charge is one the rule allows, and by how much it is off when it is not. */
export type ChargeVerdict =
  | { status: "allowed" }
  | { status: "overcharged"; by: bigint }
  | { status: "undercharged"; by: bigint }
  | { status: "unchecked" };

/** The trader's own figures, from the proof, with the share the signed statement gives them. */
export interface ChargeFacts {
  /** The account id. */
  account: string;
  /** The zero-based position of the account in the tree. */
  index: number;
  /** How many accounts the tree holds. */
  leafCount: number;
  /** The account's base: its profit (or equity) at the snapshot. */
  base: bigint;
  /** What the haircut was charged. */
  haircut: bigint;
  /** `base - haircut`, or 0 when the haircut exceeds the base. */
  kept: bigint;
  /** True when the proof's leaf, with these figures, is in the signed tree with the signed totals. */
  inTree: boolean;
  /**
   * The exact share `T * base / P = q + r/den` minor units (`den = P`), or
   * under a rate policy `base * num / den = q + r/den` (`den` the rate's);
   * `undefined` when the total base is zero (nobody pays).
   */
  exact?: { q: bigint; r: bigint; den: bigint };
  /** Under a rate policy, which way the exact product was rounded to the one allowed charge. */
  rounded?: "exact" | "down" | "up";
  /** The charges the rule allows, `[min, max]`: `q`, or `q` and `q + 1`. */
  allowed?: { min: bigint; max: bigint };
  /** The charge against the allowed range; `"unchecked"` when the leaf is not in the signed tree. */
  verdict: ChargeVerdict;
  /** What rounding added to the exact share rounded down (`haircut - q`), when the charge is allowed. */
  roundingAdded?: bigint;
}

/** A log proof's facts: the log, the entry, and each pinned witness with its cosignature time. */
export type LogFacts = Omit<LogProofResult, "checks" | "errors">;

/** A deficit proof's facts (format v1.1): a bankrupt account's loss as part of the signed deficit. */
export interface DeficitFacts {
  /** The bankrupt account's id. */
  account: string;
  /** Its position in the deficit tree. */
  index: number;
  /** The bankrupt account's loss. */
  loss: bigint;
  /** The signed deficit it is part of. */
  deficit: bigint;
  /** How many bankrupt accounts the deficit tree holds. */
  accounts: number;
  /** True when the loss, with its path, is in the signed deficit tree with the signed total. */
  inTree: boolean;
}

/**
 * Why the verdict is what it is: the most important finding in plain terms.
 * An overcharge or undercharge of a leaf that is in the signed tree comes
 * first; otherwise the first finding, in check order.
 */
export type Reason =
  | { code: "valid" }
  | { code: "overcharged"; by: bigint; allowedMax: bigint; finding: Finding }
  | { code: "undercharged"; by: bigint; allowedMin: bigint; finding: Finding }
  | { code: "other-statement"; proofStatement: string; statementDigest: string; finding: Finding }
  | { code: "no-trusted-signature"; unverifiedVenue?: string; finding: Finding }
  | { code: "too-few-signatures"; validKeys: number; finding: Finding }
  | { code: "bad-signature"; finding: Finding }
  | { code: "statement-unreadable"; finding: Finding }
  | { code: "statement-invalid"; finding: Finding }
  | { code: "arithmetic"; finding: Finding }
  | { code: "proof-invalid"; finding: Finding }
  | { code: "not-in-tree"; finding: Finding }
  | { code: "log"; finding: Finding }
  | { code: "finding"; finding: Finding }
  | { code: "incomplete" };

/**
 * One statement of what a verdict does or does not establish:
 * - `signed`: the statement is signed by enough of the keys you pinned;
 * - `arithmetic`: the event's figures add up (insurance first, target, uncovered);
 * - `in-tree`: your account, base and charge are in the tree the statement commits to;
 * - `exact-share`: your charge is your exact pro-rata share (or the signed rate of your base), rounded as the rule says;
 * - `loss-in-deficit`: your account's loss is part of the signed deficit, in the deficit tree (a deficit proof);
 * - `base-is-yours`: your base is really your profit (or equity) at the snapshot;
 * - `deficit-real`: the deficit is real (without a deficit proof it is the venue's word);
 * - `rounding-ranking`: the right accounts got the rounding units (`haircut verify` checks it);
 * - `logged`: the statement is in the venue's log, cosigned by a quorum of the witnesses you pinned;
 * - `same-for-everyone`: every account is in the tree and everyone sees this same statement;
 * - `keys-are-the-venue's`: the keys file really holds the venue's keys.
 */
export type GuaranteeCode =
  | "signed"
  | "arithmetic"
  | "in-tree"
  | "exact-share"
  | "loss-in-deficit"
  | "logged"
  | "base-is-yours"
  | "deficit-real"
  | "rounding-ranking"
  | "same-for-everyone"
  | "keys-are-the-venue's";

/** What the checks established, and what no proof check can. */
export interface Guarantees {
  /** What the passed checks establish, in order. */
  holds: GuaranteeCode[];
  /**
   * What no proof check establishes: for the trader or an auditor to check.
   * (A check that failed is in neither list: the reason and the checks say so.)
   */
  doesNotHold: GuaranteeCode[];
}

/** What to keep after NOT VALID, and whom to ask. */
export interface Evidence {
  /** The three files to keep unchanged. */
  files: readonly ["proof", "statement", "keys"];
  /** The digest of the statement file's payload, once the envelope parsed. */
  statementDigest?: string;
  /** The statement digest the proof names, once the proof parsed. */
  proofStatement?: string;
  /** The venue to ask, and whether its name comes from a verified statement. */
  venue?: { name: string; verified: boolean };
  /** The names of the trusted keys whose signatures verified (auditors to ask). */
  signedBy: string[];
}

/** The facts of one proof check, for every renderer. */
export interface Explanation {
  /** True when every check passed. */
  ok: boolean;
  /** The most important reason for the verdict. */
  reason: Reason;
  /** The asset, from the verified statement. */
  asset?: ExplainedAsset;
  /** The verified statement's identity. */
  statement?: ExplainedStatement;
  /** How the loss was covered (absent when the proof names another statement). */
  waterfall?: Waterfall;
  /** The rate and rule (absent when the proof names another statement). */
  rate?: RateFacts;
  /** The trader's charge (absent when the proof did not parse or names another statement). */
  charge?: ChargeFacts;
  /** The snapshot time and what a base is, for the sentence the trader must check themselves. */
  base?: { kind: BaseKind; snapshotTime: string };
  /** A deficit proof's facts (v1.1), when the proof is a deficit proof. */
  deficit?: DeficitFacts;
  /** The log proof's facts, when one was checked. */
  log?: LogFacts;
  /** One entry per signature. */
  signers: SignerResult[];
  /** Every check with its outcome, in order (log and witness checks included when they run). */
  checks: CheckResult[];
  /** What the verdict establishes and what it does not. */
  guarantees: Guarantees;
  /** After NOT VALID: what to keep and whom to ask. */
  evidence?: Evidence;
  /** Every finding, as the report has them. */
  errors: Finding[];
  /** How many findings there were. */
  errorCount: number;
}

/**
 * Turns a proof report into its explanation. Pure: it reads only the report.
 * No figure from a proof that names another statement is combined with the
 * given statement's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyProof } from "../../mod.ts";
 * import { explainProof } from "./explain.ts";
 * const dir = "fixtures/example";
 * const report = verifyProof({
 *   proof: Deno.readTextFileSync(`${dir}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`),
 *   envelope: Deno.readTextFileSync(`${dir}/statement.dsse.json`),
 * }, parseKeysFile(Deno.readTextFileSync(`${dir}/keys.json`)));
 * const e = explainProof(report);
 * assert.equal(e.reason.code, "valid");
 * assert.equal(e.charge?.haircut, 87015n);
 * assert.equal(e.charge?.roundingAdded, 1n);
 * ```
 */
export function explainProof(report: ProofReport): Explanation {
  const s = report.statement;
  const otherStatement = report.errors.some((e) => e.code === "STATEMENT_DIGEST_MISMATCH");
  const charge = s && report.proof && !otherStatement ? chargeFacts(report, s) : undefined;
  const reason = reasonOf(report, charge);
  const explanation: Explanation = {
    ok: report.ok,
    reason,
    ...(s ? { asset: { symbol: s.asset, decimals: s.decimals } } : {}),
    ...(s && report.digest ? { statement: statementFacts(s, report.digest) } : {}),
    ...(s && !otherStatement ? { waterfall: waterfallOf(s), rate: rateOf(s) } : {}),
    ...(charge ? { charge } : {}),
    ...(s && !otherStatement && !report.deficitProof
      ? { base: { kind: s.policy.base, snapshotTime: s.snapshotTime } }
      : {}),
    ...(s && report.deficitProof && !otherStatement ? { deficit: deficitFacts(report, s) } : {}),
    ...(report.log ? { log: logFacts(report.log) } : {}),
    signers: report.signers,
    checks: report.checks,
    guarantees: guaranteesOf(report.checks, { rate: s?.policy.rate !== undefined, deficit: !!report.deficitProof }),
    ...(report.ok ? {} : { evidence: evidenceOf(report) }),
    errors: report.errors,
    errorCount: report.errorCount,
  };
  return explanation;
}

/**
 * A log proof's facts without its checks and findings, which a report
 * already lists.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logFacts } from "./explain.ts";
 * const facts = logFacts({ ok: true, origin: "o.example", witnesses: [], quorum: 0, checks: [], errors: [] });
 * assert.deepEqual(facts, { ok: true, origin: "o.example", witnesses: [], quorum: 0 });
 * ```
 */
export function logFacts(log: LogProofResult): LogFacts {
  const { checks: _checks, errors: _errors, ...facts } = log;
  return facts;
}

function statementFacts(s: Statement, digest: string): ExplainedStatement {
  return { digest, venue: s.venue, event: s.event, snapshotTime: s.snapshotTime, previous: s.previous };
}

function waterfallOf(s: Statement): Waterfall {
  const cap = s.policy.cap;
  return {
    deficit: s.deficit,
    insuranceFund: s.insuranceFund,
    insuranceUsed: s.insuranceUsed,
    shortfall: s.shortfall,
    cap,
    capLimit: cap ? s.tree.totalBase * cap.num / cap.den : null,
    target: s.target,
    collected: s.tree.totalHaircut,
    uncovered: s.uncovered,
    ...(s.deficitTree ? { bankruptAccounts: s.deficitTree.leafCount } : {}),
  };
}

function deficitFacts(report: ProofReport, s: Statement): DeficitFacts {
  const p = report.deficitProof!;
  return {
    account: p.account,
    index: p.index,
    loss: p.loss,
    deficit: s.deficit,
    accounts: s.deficitTree?.leafCount ?? 0,
    inTree: passed(report.checks, "deficit tree inclusion"),
  };
}

function rateOf(s: Statement): RateFacts {
  return {
    target: s.target,
    totalBase: s.tree.totalBase,
    baseKind: s.policy.base,
    accounts: s.tree.leafCount,
    rounding: s.policy.rounding,
    capped: s.target < s.shortfall && s.policy.cap !== null,
    ...(s.policy.rate ? { policyRate: { ...s.policy.rate } } : {}),
  };
}

/** Whether a check of `name` ran and passed. */
function passed(checks: readonly CheckResult[], name: string): boolean {
  return checks.some((c) => c.name === name && c.status === "pass");
}

function chargeFacts(report: ProofReport, s: Statement): ChargeFacts {
  const p = report.proof!;
  const inTree = passed(report.checks, "inclusion");
  const facts: ChargeFacts = {
    account: p.account,
    index: p.index,
    leafCount: s.tree.leafCount,
    base: p.base,
    haircut: p.haircut,
    kept: p.haircut <= p.base ? p.base - p.haircut : 0n,
    inTree,
    verdict: { status: "unchecked" },
  };
  const rate = report.rateCharge;
  const share = rate ? rate.exact : report.share;
  if (!share) return facts;
  // Under a rate policy the one allowed charge is base × rate rounded as the policy says; otherwise q or q + 1.
  const allowed = rate
    ? { min: rate.haircut, max: rate.haircut }
    : allowedHaircuts(share, s.policy.rounding as Rounding);
  if (rate) {
    facts.exact = { q: share.q, r: share.r, den: rate.rate.den };
    facts.rounded = rate.rounded;
  } else if (s.tree.totalBase > 0n) {
    facts.exact = { q: share.q, r: share.r, den: s.tree.totalBase };
  }
  facts.allowed = allowed;
  if (!inTree) return facts;
  if (p.haircut > allowed.max) {
    facts.verdict = { status: "overcharged", by: p.haircut - allowed.max };
  } else if (p.haircut < allowed.min) {
    facts.verdict = { status: "undercharged", by: allowed.min - p.haircut };
  } else {
    facts.verdict = { status: "allowed" };
    facts.roundingAdded = p.haircut - share.q;
  }
  return facts;
}

const CHARGE_CODES: readonly ErrorCode[] = ["HAIRCUT_MISMATCH", "HAIRCUT_EXCEEDS_BASE"];

function reasonOf(report: ProofReport, charge: ChargeFacts | undefined): Reason {
  if (report.ok) return { code: "valid" };
  const verdict = charge?.verdict;
  const chargeFinding = report.errors.find((e) => CHARGE_CODES.includes(e.code));
  if (verdict?.status === "overcharged" && chargeFinding) {
    return { code: "overcharged", by: verdict.by, allowedMax: charge!.allowed!.max, finding: chargeFinding };
  }
  if (verdict?.status === "undercharged" && chargeFinding) {
    return { code: "undercharged", by: verdict.by, allowedMin: charge!.allowed!.min, finding: chargeFinding };
  }
  const finding = report.errors[0];
  if (!finding) return { code: "incomplete" };
  switch (finding.code) {
    case "STATEMENT_DIGEST_MISMATCH":
      return {
        code: "other-statement",
        proofStatement: (report.proof ?? report.deficitProof)?.statement ?? "",
        statementDigest: report.digest ?? "",
        finding,
      };
    case "SIGNATURE_THRESHOLD": {
      const validKeys = new Set(report.signers.filter((x) => x.status === "valid").map((x) => x.trustedKeyid)).size;
      if (validKeys > 0) return { code: "too-few-signatures", validKeys, finding };
      return report.unverifiedVenue === undefined
        ? { code: "no-trusted-signature", finding }
        : { code: "no-trusted-signature", unverifiedVenue: report.unverifiedVenue, finding };
    }
    case "SIGNATURE_INVALID":
      return { code: "bad-signature", finding };
    case "ENVELOPE_INVALID":
    case "PAYLOAD_TYPE":
      return { code: "statement-unreadable", finding };
    case "NON_CANONICAL":
    case "STATEMENT_INVALID":
      return { code: "statement-invalid", finding };
    case "ARITHMETIC":
      return { code: "arithmetic", finding };
    case "PROOF_INVALID":
      return report.proof || report.deficitProof
        ? { code: "not-in-tree", finding }
        : { code: "proof-invalid", finding };
    case "PROOF_ROOT_MISMATCH":
    case "TOTAL_MISMATCH":
      return { code: "not-in-tree", finding };
    case "LOG_PROOF_INVALID":
    case "LOG_SIGNATURE_INVALID":
    case "WITNESS_QUORUM":
    case "LOG_INCLUSION_MISMATCH":
      return { code: "log", finding };
    default:
      return { code: "finding", finding };
  }
}

/**
 * What each passed check establishes, in order. A later check (a deficit
 * proof, a log inclusion with a witness quorum) adds its row here, and its
 * guarantee moves from `doesNotHold` to `holds` when it passes.
 */
const GUARANTEED_BY: readonly (readonly [GuaranteeCode, readonly string[]])[] = [
  ["signed", ["signatures"]],
  ["arithmetic", ["arithmetic"]],
  ["in-tree", ["inclusion"]],
  ["exact-share", ["inclusion", "haircut <= base", "pro-rata charge"]],
  ["exact-share", ["inclusion", "haircut <= base", "exact rate charge"]],
  ["loss-in-deficit", ["deficit tree inclusion"]],
  ["logged", ["log signature", "witness quorum", "log inclusion"]],
];

/** What no proof check establishes today. */
const NEVER_BY_A_PROOF: readonly GuaranteeCode[] = [
  "base-is-yours",
  "deficit-real",
  "rounding-ranking",
  "same-for-everyone",
  "keys-are-the-venue's",
];

/**
 * Under a rate policy there is no ranking to check (each charge is exact); a
 * deficit proof has no base and no rounding.
 */
function guaranteesOf(checks: readonly CheckResult[], kind: { rate: boolean; deficit: boolean }): Guarantees {
  const holds = GUARANTEED_BY.filter(([, needs]) => needs.every((name) => passed(checks, name))).map(([code]) => code);
  const notApplicable: GuaranteeCode[] = kind.deficit
    ? ["base-is-yours", "rounding-ranking"]
    : kind.rate
    ? ["rounding-ranking"]
    : [];
  return { holds, doesNotHold: NEVER_BY_A_PROOF.filter((g) => !notApplicable.includes(g)) };
}

function evidenceOf(report: ProofReport): Evidence {
  const s = report.statement;
  const venue = s
    ? { name: s.venue, verified: true }
    : report.unverifiedVenue !== undefined
    ? { name: report.unverifiedVenue, verified: false }
    : undefined;
  const signedBy = report.signers.filter((x) => x.status === "valid" && x.name).map((x) => x.name!);
  return {
    files: ["proof", "statement", "keys"],
    ...(report.digest ? { statementDigest: report.digest } : {}),
    ...(report.proof || report.deficitProof
      ? { proofStatement: (report.proof ?? report.deficitProof)!.statement }
      : {}),
    ...(venue ? { venue } : {}),
    signedBy,
  };
}
