/**
 * The page's words for the explanation model: each fact of an
 * {@linkcode Explanation} as a sentence a trader reads, with amounts in
 * money. Pure functions of the model (no DOM), so they are tested without a
 * browser; nothing here computes a figure the model does not hold.
 *
 * @module
 */

import { formatAmount } from "../src/core/amount.ts";
import type { Rounding } from "../src/rules/allocation.ts";
import type { BaseKind } from "../src/format/statement.ts";
import type { ExplainedAsset, Explanation, GuaranteeCode, Reason } from "../src/report/explain.ts";
import { formatRate, formatRatio } from "../src/report/report.ts";

/** Formats minor units as money in the explanation's asset. */
export type Money = (value: bigint) => string;

/** The money formatter of `asset` (plain numbers when the statement never opened). */
export function moneyOf(asset: ExplainedAsset | undefined): Money {
  return (value) => asset ? formatAmount(value, asset.decimals, { asset: asset.symbol }) : formatAmount(value, 0, {});
}

/** The first 16 hex digits of a digest, for a sentence (the full digest is shown beside it). */
export function shortDigest(digest: string): string {
  return digest.length > 16 ? `${digest.slice(0, 16)}…` : digest;
}

/** What a base is, in words. */
export function baseWords(kind: BaseKind): string {
  return kind === "profit" ? "profit" : "equity (your whole balance)";
}

/** The verdict's reason in one or two sentences. */
export function reasonSentence(reason: Reason, money: Money): string {
  switch (reason.code) {
    case "valid":
      return "Your account is in the list the venue signed, and your charge is exactly your share of the loss.";
    case "overcharged":
      return `You were overcharged by ${money(reason.by)}: the rule allows at most ${money(reason.allowedMax)}.`;
    case "undercharged":
      return `You were undercharged by ${money(reason.by)}: the rule requires at least ${money(reason.allowedMin)}. ` +
        "Someone else may pay your part.";
    case "other-statement":
      return `This proof belongs to another statement (${shortDigest(reason.proofStatement)}), not to the ` +
        `statement file you chose (${shortDigest(reason.statementDigest)}). Choose the statement of the same event.`;
    case "no-trusted-signature": {
      const venue = reason.unverifiedVenue === undefined
        ? "this venue"
        : `${reason.unverifiedVenue} (the name the unverified statement gives)`;
      return `None of the keys in your keys file signed this statement: is it the keys file you saved for ${venue}?`;
    }
    case "too-few-signatures":
      return `Only ${reason.validKeys} of the keys you pinned signed this statement, fewer than your keys file ` +
        `requires: ${reason.finding.message}.`;
    case "bad-signature":
      return "A signature on the statement does not verify: the statement was changed after it was signed, " +
        `or the signature is forged (${reason.finding.message}).`;
    case "statement-unreadable":
      return `The statement file is not a readable signed statement: ${reason.finding.message}.`;
    case "statement-invalid":
      return `The signed statement does not follow the format: ${reason.finding.message}.`;
    case "arithmetic":
      return `The event's figures in the signed statement do not add up: ${reason.finding.message}.`;
    case "proof-invalid":
      return `The proof file is not a valid proof: ${reason.finding.message}.`;
    case "not-in-tree":
      return "Your account with these figures is not in the list the venue signed: the proof does not lead to " +
        `the signed total (${reason.finding.message}).`;
    case "finding":
      return `${reason.finding.code}: ${reason.finding.message}.`;
    case "incomplete":
      return "The check did not complete.";
  }
}

/** The rounding rule in words, with the smallest unit in money. */
export function roundingWords(rounding: Rounding, unit: string): string {
  return rounding === "floor"
    ? `each share is rounded down to a whole ${unit}`
    : `each share is rounded down to a whole ${unit}, then the ${unit} units left over go one each to the ` +
      "accounts with the largest remainders (largest-remainder rounding)";
}

/** `[term, sentence]` pairs of the trader's charge, in reading order; empty without a charge. */
export function chargeLines(e: Explanation, money: Money): [string, string][] {
  const c = e.charge;
  if (!c) return [];
  const unit = money(1n);
  const lines: [string, string][] = [
    ["Account", `${c.account} (number ${c.index + 1} of the ${c.leafCount} accounts in the list)`],
    ["Your base", money(c.base)],
    ["Charged", money(c.haircut)],
    ["You keep", money(c.kept)],
  ];
  if (e.rate) {
    lines.push([
      "The rate",
      `${formatRate(e.rate.target, e.rate.totalBase)}: the ${money(e.rate.target)} to collect, divided by ` +
      `the ${money(e.rate.totalBase)} of every account's ${baseWords(e.rate.baseKind)}`,
    ]);
  }
  if (c.exact && e.asset) {
    const exact = formatRatio(c.exact.q * c.exact.den + c.exact.r, c.exact.den, {
      decimals: e.asset.decimals,
      digits: 6,
    });
    lines.push(["Your exact share", `${exact} ${e.asset.symbol}, before rounding to whole ${unit} units`]);
  } else if (e.rate && e.rate.totalBase === 0n) {
    lines.push(["Your exact share", "nothing: the total base is zero, so nobody pays"]);
  }
  if (c.allowed) {
    lines.push([
      "The rule allows",
      c.allowed.min === c.allowed.max
        ? `exactly ${money(c.allowed.min)}`
        : `${money(c.allowed.min)} or ${money(c.allowed.max)}, depending on how the rounding units fall`,
    ]);
  }
  if (c.verdict.status === "overcharged") lines.push(["Overcharged", `by ${money(c.verdict.by)}`]);
  if (c.verdict.status === "undercharged") lines.push(["Undercharged", `by ${money(c.verdict.by)}`]);
  if (c.roundingAdded !== undefined) {
    lines.push([
      "Rounding",
      c.roundingAdded === 0n
        ? "added nothing: you pay your exact share rounded down"
        : `added ${money(c.roundingAdded)} to your exact share rounded down`,
    ]);
  }
  if (e.rate) lines.push(["How the rule rounds", roundingWords(e.rate.rounding, unit)]);
  return lines;
}

/** The sentence the trader must check themselves: their base is what the venue says. */
export function baseCheckSentence(e: Explanation, money: Money): string | undefined {
  if (!e.charge || !e.base) return undefined;
  const when = e.base.snapshotTime.replace("T", " at ").replace(/:00Z$/, " UTC").replace(/Z$/, " UTC");
  return `Check that your base, ${money(e.charge.base)}, is your ${baseWords(e.base.kind)} on ${when}: ` +
    "haircut cannot know it.";
}

/** `[term, amount]` pairs of how the loss was covered; empty without a waterfall. */
export function waterfallLines(e: Explanation, money: Money): [string, string][] {
  const w = e.waterfall;
  if (!w) return [];
  return [
    ["Deficit (the bankrupt accounts' loss)", money(w.deficit)],
    ["Insurance fund before the event", money(w.insuranceFund)],
    ["Insurance fund used", money(w.insuranceUsed)],
    ["Left after the fund", money(w.shortfall)],
    [
      "Cap",
      w.cap && w.capLimit !== null
        ? `at most ${w.cap.num}/${w.cap.den} of each base: ${money(w.capLimit)} in all`
        : "none",
    ],
    ["To collect from traders", money(w.target)],
    ["Collected from traders", money(w.collected)],
    ["Uncovered", money(w.uncovered)],
  ];
}

const GUARANTEE_WORDS: Record<GuaranteeCode, { holds: string; not: string }> = {
  signed: {
    holds: "The statement is signed by enough of the keys you pinned.",
    not: "That the statement is signed by the keys you pinned.",
  },
  arithmetic: {
    holds: "The event's figures add up: the insurance fund was used first, and the amount to collect follows.",
    not: "That the event's figures add up.",
  },
  "in-tree": {
    holds: "Your account, your base and your charge are in the list the statement signs.",
    not: "That your account, base and charge are in the signed list.",
  },
  "exact-share": {
    holds: "Your charge is exactly your share of the loss, rounded as the rule allows.",
    not: "That your charge is exactly your share.",
  },
  "base-is-yours": {
    holds: "Your base is your own profit or equity at the snapshot.",
    not: "That your base is really yours at the snapshot: compare it with your own records.",
  },
  "deficit-real": {
    holds: "The deficit is real.",
    not: "That the deficit is real: it is the venue's word.",
  },
  "rounding-ranking": {
    holds: "The rounding units went to the right accounts.",
    not: "That the rounding units went to the right accounts: auditor mode below checks every account.",
  },
  "same-for-everyone": {
    holds: "Every account is in the list, and everyone sees this same statement.",
    not: "That every account is in the list and everyone sees this same statement: auditor mode checks the list.",
  },
  "keys-are-the-venue's": {
    holds: "Your keys file holds the venue's real keys.",
    not: "That your keys file holds the venue's real keys: compare it with the copy you saved before the event.",
  },
};

/** What the verdict establishes, and what it does not, as sentences. */
export function guaranteeSentences(e: Explanation): { holds: string[]; doesNotHold: string[] } {
  return {
    holds: e.guarantees.holds.map((g) => GUARANTEE_WORDS[g].holds),
    doesNotHold: e.guarantees.doesNotHold.map((g) => GUARANTEE_WORDS[g].not),
  };
}

/** After NOT VALID: what to keep and whom to ask, as sentences; empty when valid. */
export function evidenceSentences(e: Explanation): string[] {
  const ev = e.evidence;
  if (!ev) return [];
  const out = ["Keep the three files exactly as they are: your proof file, the statement file and the keys file."];
  if (ev.statementDigest) out.push(`Note the statement's digest: ${ev.statementDigest}.`);
  if (ev.proofStatement && ev.proofStatement !== ev.statementDigest) {
    out.push(`Your proof names the statement ${ev.proofStatement}.`);
  }
  if (ev.venue) {
    out.push(
      ev.venue.verified
        ? `Ask ${ev.venue.name} to explain, and show them these files.`
        : `Ask the venue (the unverified statement names it ${ev.venue.name}) to explain, and show them these files.`,
    );
  } else {
    out.push("Ask your venue to explain, and show them these files.");
  }
  if (ev.signedBy.length > 0) out.push(`The statement was signed by: ${ev.signedBy.join(", ")}.`);
  return out;
}
