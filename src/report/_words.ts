/**
 * The plain words of an explanation: every sentence a trader reads, built
 * once from the {@linkcode Explanation} model, with amounts formatted in the
 * asset's units. The CLI text, the markdown and the web page lay these
 * words out; none of them writes its own.
 *
 * @module
 */

import { formatAmount } from "../core/amount.ts";
import type { SignerResult } from "../format/dsse.ts";
import type { BaseKind } from "../format/statement.ts";
import { everyAccount, formatRate, formatRatio, fraction } from "./format.ts";
import type { ExplainedAsset, Explanation, GuaranteeCode, LogFacts, Reason } from "./explain.ts";

/** The names of the files the user gave, for hints and the evidence list. */
export interface WordsOptions {
  /** The files as the user named them; generic words stand in for a missing name. */
  files?: { proof?: string; statement?: string; keys?: string };
}

/** One figure: its label, the value, and the plain words beside it. */
export interface Row {
  /** What the figure is. */
  label: string;
  /** The figure, formatted. */
  value: string;
  /** Plain words next to it, if any. */
  note?: string;
}

/** Every sentence of an explanation, formatted. */
export interface ExplanationWords {
  /** `"VALID: …"` or `"NOT VALID: …"`: the verdict and its reason on one line. */
  headline: string;
  /** What to do next, when there is something to do. */
  next?: string;
  /** The verified statement: venue, event, asset and snapshot. */
  statement?: string;
  /** The verified statement's digest. */
  digest?: string;
  /** Who signed, one entry per signature. */
  signatures: string;
  /** The trader's charge, figure by figure. */
  charge: Row[];
  /** How the loss was covered, figure by figure. */
  waterfall: Row[];
  /** The log proof, when one was checked: the log, the entry, each pinned witness. */
  log: Row[];
  /** What the passed checks establish. */
  holds: string[];
  /** What they do not: for the trader to check. */
  doesNotHold: string[];
  /** After NOT VALID: what to keep and whom to ask. */
  evidence: string[];
}

/** `value` in the asset's units with its symbol: `"1,234.56 USDT"`. */
export function money(asset: ExplainedAsset, value: bigint): string {
  return formatAmount(value, asset.decimals, { asset: asset.symbol });
}

/** The exact ratio `num / den` of minor units in the asset's units with its symbol; `…` marks a truncated value. */
function exactMoney(asset: ExplainedAsset, ratio: { num: bigint; den: bigint }): string {
  return `${formatRatio(ratio.num, ratio.den, { decimals: asset.decimals, digits: 6 })} ${asset.symbol}`;
}

/** `num / den` as a percentage rounded half up to one decimal, without `.0` when exact: `"11.6%"`, `"10%"`. */
export function roughPercent(num: bigint, den: bigint): string {
  if (den === 0n) return "0%";
  const tenths = (num * 2000n / den + 1n) / 2n;
  const exact = (num * 1000n) % den === 0n && tenths % 10n === 0n;
  return exact ? `${tenths / 10n}%` : `${tenths / 10n}.${tenths % 10n}%`;
}

/** An RFC 3339 UTC time in words: `"2026-11-03 at 08:00 UTC"` (seconds only when not zero). */
export function timeInWords(time: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):(\d{2}(?:\.\d+)?)Z$/.exec(time);
  if (!m) return time;
  return `${m[1]} at ${m[2]}${m[3] === "00" ? "" : `:${m[3]}`} UTC`;
}

/** One line for the signatures: who signed, and whether each signature is valid and trusted. */
export function signerLine(signers: readonly SignerResult[]): string {
  if (signers.length === 0) return "no signatures checked";
  return signers.map((x) => {
    const who = x.name ? `${x.name} ` : "";
    const id = (x.trustedKeyid ?? x.keyid).slice(0, 16);
    if (x.status === "valid") return `${who}${id}… trusted, valid`;
    if (x.status === "invalid") return `${who}${id}… trusted, INVALID signature`;
    return `${id}… not a trusted key (ignored)`;
  }).join("; ");
}

function baseWords(kind: BaseKind): string {
  return kind === "profit" ? "profit" : "balance";
}

/** The file names to use in sentences. */
function fileNames(options: WordsOptions): { proof: string; statement: string; keys: string } {
  const f = options.files ?? {};
  return {
    proof: f.proof ?? "your proof",
    statement: f.statement ?? "the statement you gave",
    keys: f.keys ?? "your keys file",
  };
}

/**
 * Builds every sentence of `e`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explanationWords } from "./_words.ts";
 * import { parseKeysFile, verifyProof } from "../../mod.ts";
 * import { explainProof } from "./explain.ts";
 * const dir = "fixtures/example";
 * const e = explainProof(verifyProof({
 *   proof: Deno.readTextFileSync(`${dir}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`),
 *   envelope: Deno.readTextFileSync(`${dir}/statement.dsse.json`),
 * }, parseKeysFile(Deno.readTextFileSync(`${dir}/keys.json`))));
 * assert.equal(explanationWords(e).charge[2].note, "you paid 11.6% of your profit at the snapshot");
 * ```
 */
export function explanationWords(e: Explanation, options: WordsOptions = {}): ExplanationWords {
  const files = fileNames(options);
  const a = e.asset;
  const s = e.statement;
  return {
    headline: headline(e, files),
    ...nextStep(e.reason, files),
    ...(s && a ? { statement: `${s.venue} · ${s.event} · ${a.symbol} · snapshot ${s.snapshotTime}` } : {}),
    ...(s ? { digest: s.digest } : {}),
    signatures: signerLine(e.signers),
    charge: chargeRows(e),
    waterfall: waterfallRows(e),
    log: e.log ? logRows(e.log) : [],
    holds: e.guarantees.holds.map((g) => guaranteeWords(g, e, files)),
    doesNotHold: e.guarantees.doesNotHold.map((g) => guaranteeWords(g, e, files)),
    evidence: evidenceWords(e, files),
  };
}

function headline(e: Explanation, files: { keys: string; statement: string }): string {
  const r = e.reason;
  const a = e.asset;
  const c = e.charge;
  switch (r.code) {
    case "valid":
      if (e.deficit && a) {
        return `VALID: account ${JSON.stringify(e.deficit.account)} is in the signed deficit tree: its loss of ` +
          `${money(a, e.deficit.loss)} is part of the ${money(a, e.deficit.deficit)} deficit this event covered.`;
      }
      return `VALID: account ${
        JSON.stringify(c?.account ?? "")
      } is in the statement the venue signed, and its charge ` +
        `of ${a && c ? money(a, c.haircut) : "?"} is exactly the share the published rule gives.`;
    case "overcharged":
      return `NOT VALID: overcharged by ${money(a!, r.by)}: the rule allows at most ${money(a!, r.allowedMax)}, ` +
        `and the venue charged ${money(a!, c!.haircut)}.`;
    case "undercharged":
      return `NOT VALID: undercharged by ${money(a!, r.by)}: the rule allows at least ${money(a!, r.allowedMin)}, ` +
        `and the venue charged ${money(a!, c!.haircut)}, so the charges do not follow the rule.`;
    case "other-statement":
      return `NOT VALID: this proof belongs to another statement: it names statement ${r.proofStatement}, ` +
        `but ${files.statement} is statement ${r.statementDigest}` +
        (e.statement ? ` (${e.statement.venue} · ${e.statement.event}).` : ".");
    case "no-trusted-signature": {
      const venue = r.unverifiedVenue === undefined
        ? "this venue"
        : `${JSON.stringify(r.unverifiedVenue)} (the name the unverified statement gives; not checked)`;
      return `NOT VALID: none of the keys in ${files.keys} signed this statement: ` +
        `is it the keys file you pinned for ${venue}?`;
    }
    case "too-few-signatures":
      return `NOT VALID: only ${r.validKeys} of the keys in ${files.keys} signed this statement, fewer than the ` +
        "file requires.";
    case "bad-signature":
      return `NOT VALID: a signature on this statement names a key in ${files.keys} but does not verify: the ` +
        "statement was changed after it was signed, or the signature is forged.";
    case "statement-unreadable":
      return r.finding.code === "PAYLOAD_TYPE"
        ? `NOT VALID: ${files.statement} is signed as another kind of document, not a haircut statement ` +
          "(PAYLOAD_TYPE, details below)."
        : `NOT VALID: ${files.statement} is not a readable signed statement (${r.finding.code}, details below).`;
    case "statement-invalid":
      return "NOT VALID: the signed statement breaks the format's rules, so none of its figures can be relied on " +
        `(${r.finding.code}, details below).`;
    case "arithmetic":
      return "NOT VALID: the statement's own figures do not add up (details below).";
    case "proof-invalid":
      return `NOT VALID: the proof file is not a valid proof (${r.finding.message}).`;
    case "not-in-tree":
      return "NOT VALID: your account with the figures in the proof is not in the tree the statement commits to: " +
        "the proof was changed, or it is not the one the venue published.";
    case "log":
      return logHeadline(r.finding, e.log);
    case "finding":
      return `NOT VALID: ${r.finding.code}: ${r.finding.message}`;
    case "incomplete":
      return "NOT VALID: verification did not complete.";
  }
}

function nextStep(r: Reason, files: { keys: string }): { next?: string } {
  switch (r.code) {
    case "other-statement":
      return {
        next:
          `Nothing in the proof was checked against this statement. Ask the venue for statement ${r.proofStatement} ` +
          "and check the proof against that one.",
      };
    case "no-trusted-signature":
    case "too-few-signatures":
      return {
        next: `Check where ${files.keys} came from: it must hold the keys the venue announced (its website, ` +
          "an announcement, an auditor), never keys taken only from the publication itself.",
      };
    default:
      return {};
  }
}

/** A deficit proof's rows (v1.1): the bankrupt account's loss, as part of the signed deficit. */
function deficitRows(e: Explanation): Row[] {
  const d = e.deficit!;
  const a = e.asset!;
  return [
    {
      label: "Account",
      value: d.account,
      note: `position ${
        d.index + 1
      } of the ${d.accounts} bankrupt accounts in the deficit tree (leaf index ${d.index})`,
    },
    {
      label: "Your loss",
      value: money(a, d.loss),
      note: d.inTree
        ? `your account's loss of ${money(a, d.loss)} is part of the ${money(a, d.deficit)} deficit this event covered`
        : "as the proof says; this loss is not in the signed deficit tree",
    },
  ];
}

function chargeRows(e: Explanation): Row[] {
  const c = e.charge;
  const a = e.asset;
  const kind = baseWords(e.base?.kind ?? "profit");
  if (e.deficit && a) return deficitRows(e);
  if (!c || !a) return [];
  const rows: Row[] = [
    {
      label: "Account",
      value: c.account,
      note: c.leafCount === 1
        ? `the only account in the tree (leaf index ${c.index})`
        : `position ${c.index + 1} of the ${c.leafCount} accounts in the tree (leaf index ${c.index})`,
    },
    { label: "Your base", value: money(a, c.base), note: `your ${kind} at the snapshot, as the venue recorded it` },
  ];
  const v = c.verdict;
  const chargedNote = !c.inTree
    ? "as the proof says; these figures are not in the signed tree"
    : v.status === "overcharged"
    ? `${money(a, v.by)} more than the rule allows`
    : v.status === "undercharged"
    ? `${money(a, v.by)} less than the rule asks`
    : c.base === 0n
    ? `your base is zero, so nothing is taken`
    : `you paid ${roughPercent(c.haircut, c.base)} of your ${kind} at the snapshot`;
  rows.push({ label: "Charged", value: money(a, c.haircut), note: chargedNote });
  if (c.haircut <= c.base) rows.push({ label: "You keep", value: money(a, c.kept) });
  if (!c.inTree) return rows;
  const unit = money(a, 1n);
  const policyRate = e.rate?.policyRate;
  if (c.exact) {
    const { q, r, den } = c.exact;
    rows.push({
      label: "Exact share",
      value: exactMoney(a, { num: q * den + r, den }),
      note: `${
        policyRate
          ? `your base × the signed rate ${fraction(policyRate.num, policyRate.den)}`
          : "target × your base ÷ total base"
      }; in minor units of ${unit}: ${r === 0n ? `exactly ${q}` : `${q} + ${fraction(r, den)}`}`,
    });
  } else {
    rows.push({ label: "Exact share", value: money(a, 0n), note: "the total base is zero, so nobody pays" });
  }
  if (c.allowed && policyRate) {
    rows.push({
      label: "Allowed charge",
      value: money(a, c.allowed.min),
      note: `the one charge ${e.rate!.rounding} gives: your exact share ${roundedWords(c.rounded)}`,
    });
  } else if (c.allowed) {
    const { min, max } = c.allowed;
    rows.push(
      min === max
        ? {
          label: "Allowed charge",
          value: money(a, min),
          note: c.exact && c.exact.r > 0n
            ? "your exact share rounded down (the floor rule)"
            : "your exact share: a whole number of minor units",
        }
        : {
          label: "Allowed charges",
          value: `${formatAmount(min, a.decimals)} or ${money(a, max)}`,
          note: `your exact share rounded down, or ${unit} more`,
        },
    );
  }
  if (c.roundingAdded !== undefined && c.exact) rows.push(roundingRow(e));
  return rows;
}

function roundedWords(rounded: "exact" | "down" | "up" | undefined): string {
  return rounded === "up" ? "rounded up" : rounded === "down" ? "rounded down" : "(a whole number of minor units)";
}

/**
 * A rate as a percentage with four decimals: `11.6000%`, or `5.8479…%` when
 * it has more (truncated, never rounded up).
 */
function percent4(rate: { num: bigint; den: bigint }): string {
  const scaled = rate.num * 1_000_000n / rate.den;
  const exact = rate.num * 1_000_000n % rate.den === 0n;
  return `${scaled / 10_000n}.${String(scaled % 10_000n).padStart(4, "0")}${exact ? "" : "…"}%`;
}

/**
 * Under a rate policy (v1.1): "11.6000% of 7,500.00 USDT is 870.00 USDT,
 * rounded down", with what the rounding moved in money.
 */
function rateRoundingRow(e: Explanation, rate: { num: bigint; den: bigint }): Row {
  const a = e.asset!;
  const c = e.charge!;
  const { q, r, den } = c.exact!;
  const how = c.rounded === "exact" ? "exactly" : c.rounded === "up" ? "rounded up" : "rounded down";
  const value = `${percent4(rate)} of ${money(a, c.base)} is ${money(a, c.haircut)}, ${how}`;
  if (c.rounded === "exact") return { label: "Rounding", value, note: "your share is a whole number of minor units" };
  const moved = c.rounded === "up" ? exactMoney(a, { num: den - r, den }) : exactMoney(a, { num: r, den });
  const rule = e.rate!.rounding === "rate-half-up"
    ? "the venue's rule rounds each share to the nearest minor unit, a half up"
    : e.rate!.rounding === "rate-ceil"
    ? "the venue's rule rounds each share up"
    : "the venue's rule rounds each share down";
  return {
    label: "Rounding",
    value,
    note: `${c.rounded === "up" ? "rounding added" : "rounding left out"} ${moved} to the exact ` +
      `${exactMoney(a, { num: q * den + r, den })}: ${rule}`,
  };
}

/** The rounding in money: how the rule turned the exact share into the charge. */
function roundingRow(e: Explanation): Row {
  const a = e.asset!;
  const c = e.charge!;
  if (e.rate?.policyRate) return rateRoundingRow(e, e.rate.policyRate);
  const { q, r, den } = c.exact!;
  if (c.roundingAdded! > 0n) {
    return {
      label: "Rounding",
      value: `rounding added ${money(a, c.roundingAdded!)}`,
      note: `to your share rounded down, ${money(a, q)}: the largest remainder rule rounds every share down, then ` +
        "gives the minor units left over, one each, to the accounts with the largest fractions " +
        "(`haircut verify` checks who got them)",
    };
  }
  if (r === 0n) return { label: "Rounding", value: "none", note: "your share is a whole number of minor units" };
  const dropped = exactMoney(a, { num: r, den });
  return e.rate?.rounding === "floor"
    ? {
      label: "Rounding",
      value: `rounded down by ${dropped}`,
      note: "the floor rule rounds every share down; what that leaves over stays uncovered",
    }
    : {
      label: "Rounding",
      value: `rounded down by ${dropped}`,
      note: "the largest remainder rule gave the minor units left over to accounts with larger fractions",
    };
}

/**
 * The event's figures. With a deficit proof the deficit row says "your account's loss of X is part of the Y deficit
 * this event covered"; with a deficit tree, that the deficit is committed; otherwise "as the venue states it".
 */
function waterfallRows(e: Explanation): Row[] {
  const w = e.waterfall;
  const rate = e.rate;
  const a = e.asset;
  if (!w || !rate || !a) return [];
  const kind = baseWords(rate.baseKind);
  const cap = w.cap
    ? {
      label: "Cap",
      value: `${fraction(w.cap.num, w.cap.den)} of each base (${roughPercent(w.cap.num, w.cap.den)})`,
      note: `nobody pays more than this share of their ${kind}: at most ${money(a, w.capLimit!)} in all`,
    }
    : { label: "Cap", value: "none", note: `no limit on the share of anyone's ${kind} that may be taken` };
  return [
    {
      label: "Deficit",
      value: money(a, w.deficit),
      note: e.deficit?.inTree
        ? `your account's loss of ${money(a, e.deficit.loss)} is part of the ${money(a, w.deficit)} deficit this ` +
          "event covered"
        : w.bankruptAccounts !== undefined
        ? `what the ${w.bankruptAccounts} bankrupt accounts lost, committed in the signed deficit tree`
        : "what the bankrupt accounts lost, as the venue states it",
    },
    { label: "Insurance fund", value: money(a, w.insuranceFund), note: "the fund before the event" },
    { label: "Insurance used", value: money(a, w.insuranceUsed), note: "the fund pays first" },
    { label: "Shortfall", value: money(a, w.shortfall), note: "what the fund did not cover" },
    cap,
    {
      label: "Target",
      value: money(a, w.target),
      note: rate.capped
        ? "what the venue set out to collect from the accounts: the cap limits it below the shortfall"
        : "what the venue set out to collect from the accounts",
    },
    {
      label: "Total base",
      value: money(a, rate.totalBase),
      note: `the ${kind} of ${everyAccount(rate.accounts)} at the snapshot`,
    },
    rate.policyRate
      ? {
        label: "Rate",
        value: `${percent4(rate.policyRate)} (${fraction(rate.policyRate.num, rate.policyRate.den)})`,
        note: `the venue's signed rate: each account pays this share of its ${kind}, ${
          rate.rounding === "rate-half-up"
            ? "rounded to the nearest minor unit"
            : rate.rounding === "rate-ceil"
            ? "rounded up"
            : "rounded down"
        }, and the total may not exceed the target`,
      }
      : {
        label: "Rate",
        value: formatRate(rate.target, rate.totalBase),
        note: `target ÷ total base: each account pays this share of its ${kind}, rounded to the minor unit`,
      },
    { label: "Collected", value: money(a, w.collected), note: "what the accounts were charged in all" },
    {
      label: "Uncovered",
      value: money(a, w.uncovered),
      note: "what nobody was charged: the venue absorbs it or it stays bad debt",
    },
  ];
}

function logHeadline(finding: { code: string; message: string }, log: LogFacts | undefined): string {
  const cosigned = log ? log.witnesses.filter((w) => w.cosigned).length : 0;
  switch (finding.code) {
    case "LOG_INCLUSION_MISMATCH":
      return "NOT VALID: the log proof does not show this statement in the venue's log, so other traders may " +
        "have been shown another statement (LOG_INCLUSION_MISMATCH, details below).";
    case "WITNESS_QUORUM":
      return log && cosigned < log.quorum
        ? `NOT VALID: only ${cosigned} of the ${log.witnesses.length} witnesses your log policy pins cosigned ` +
          `the log's checkpoint, fewer than its quorum of ${log.quorum} (WITNESS_QUORUM).`
        : `NOT VALID: a witness your log policy pins did not validly cosign the log's checkpoint (${finding.message}).`;
    case "LOG_SIGNATURE_INVALID":
      return "NOT VALID: the log proof's checkpoint is not signed by the log key your log policy pins " +
        "(LOG_SIGNATURE_INVALID, details below).";
    default:
      return `NOT VALID: the log proof is not a valid .tlog-proof for the log your policy pins (${finding.message}).`;
  }
}

/**
 * A log proof's facts as rows: the log, the entry and the quorum, then one
 * row per pinned witness with its cosignature time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logRows } from "./_words.ts";
 * const rows = logRows({
 *   ok: true, origin: "example.com/log", index: 1, size: 2, root: "ab".repeat(32), quorum: 1,
 *   witnesses: [{ name: "w.example", keyId: "0000abcd", cosigned: true, timestamp: 1700000000, time: "2023-11-14T22:13:20Z" }],
 * });
 * assert.deepEqual(rows[3], { label: "w.example", value: "2023-11-14T22:13:20Z", note: "cosigned (POSIX time 1700000000)" });
 * ```
 */
export function logRows(log: LogFacts): Row[] {
  const cosigned = log.witnesses.filter((w) => w.cosigned).length;
  return [
    { label: "Log", value: log.origin },
    log.index !== undefined && log.size !== undefined
      ? { label: "Entry", value: `${log.index} of ${log.size}`, note: `root ${log.root}` }
      : { label: "Entry", value: "not established" },
    {
      label: "Witnesses",
      value: `${cosigned} of ${log.witnesses.length}`,
      note: `cosigned; your policy requires ${log.quorum}`,
    },
    ...log.witnesses.map((w): Row =>
      w.cosigned
        ? { label: w.name, value: w.time ?? `${w.timestamp}`, note: `cosigned (POSIX time ${w.timestamp})` }
        : { label: w.name, value: "-", note: "no valid cosignature" }
    ),
  ];
}

function guaranteeWords(g: GuaranteeCode, e: Explanation, files: { keys: string }): string {
  const a = e.asset;
  const kind = baseWords(e.base?.kind ?? "profit");
  switch (g) {
    case "signed": {
      const names = e.signers.filter((x) => x.status === "valid" && x.name).map((x) => x.name);
      return `the statement is signed by enough of the keys in ${files.keys}` +
        (names.length > 0 ? ` (${names.join(", ")})` : "");
    }
    case "arithmetic":
      return "the event's figures add up: the insurance fund paid first, and the target and the uncovered rest " +
        "follow from the deficit";
    case "in-tree":
      return "your account, base and charge are in the tree the statement commits to, with the signed totals";
    case "exact-share":
      return e.rate?.policyRate
        ? "your charge is exactly the signed rate of your base, rounded as the venue's rule says"
        : "your charge is exactly your share under the published rule, rounded as the rule allows";
    case "loss-in-deficit":
      return a && e.deficit
        ? `your account's loss of ${money(a, e.deficit.loss)} is part of the ${
          money(a, e.deficit.deficit)
        } deficit this event covered: it is in the deficit tree the statement commits to, whose losses add up to ` +
          "the signed deficit"
        : "your account's loss is in the deficit tree the statement commits to";
    case "base-is-yours":
      return a && e.charge && e.base
        ? `check that your base, ${money(a, e.charge.base)}, is your ${kind} on ${
          timeInWords(e.base.snapshotTime)
        }: haircut cannot know it`
        : `check that the base in your proof is your ${kind} at the snapshot: haircut cannot know it`;
    case "deficit-real":
      if (e.waterfall?.bankruptAccounts !== undefined) {
        return "that every bankrupt account in the deficit tree is real and lost what it shows: each owner can " +
          "check only their own loss";
      }
      return a && e.waterfall
        ? `the deficit, ${money(a, e.waterfall.deficit)}, is the venue's own figure: haircut cannot check ` +
          "that the bankrupt accounts really lost it"
        : "the deficit is the venue's own figure: haircut cannot check that the bankrupt accounts really lost it";
    case "rounding-ranking":
      return "who got the rounding units: `haircut verify` on the full leaves.csv checks the ranking";
    case "logged": {
      const log = e.log!;
      const cosigned = log.witnesses.filter((w) => w.cosigned).map((w) => w.name);
      return `the statement is entry ${log.index} of the log ${log.origin}, whose checkpoint ${cosigned.length} ` +
        `of the witnesses you pinned cosigned (${cosigned.join(", ") || "none needed"}): every trader who requires ` +
        "the same witnesses is shown this statement there";
    }
    case "same-for-everyone":
      return e.guarantees.holds.includes("logged")
        ? "that no winning account was left out of the tree: the log shows that traders who require it see this " +
          "same statement, not that the tree is complete"
        : "that no winning account was left out, and that every trader sees this same statement: compare the " +
          "statement digest with other traders'";
    case "keys-are-the-venue's":
      return `that ${files.keys} holds the venue's real keys: take it from the venue's own site or an auditor, ` +
        "never only from the publication";
  }
}

function evidenceWords(e: Explanation, files: { proof: string; statement: string; keys: string }): string[] {
  const ev = e.evidence;
  if (!ev) return [];
  const lines = [
    `Keep these three files unchanged: ${files.proof}, ${files.statement} and ${files.keys}.`,
  ];
  if (ev.statementDigest) lines.push(`Note the statement digest: ${ev.statementDigest}.`);
  if (ev.proofStatement && ev.proofStatement !== ev.statementDigest) {
    lines.push(`Your proof names statement ${ev.proofStatement}.`);
  }
  const venue = ev.venue
    ? ev.venue.verified
      ? ev.venue.name
      : `the venue (the statement calls it ${JSON.stringify(ev.venue.name)}, unverified)`
    : "the venue";
  const r = e.reason.code;
  if (r === "no-trusted-signature" || r === "too-few-signatures") {
    lines.push(
      `Ask whoever gave you ${files.keys} for the venue's current keys, and ask ${venue} whether it published ` +
        "this statement.",
    );
  } else if (r === "other-statement") {
    lines.push(`Ask ${venue} for the statement your proof names, quoting both digests.`);
  } else if (r === "proof-invalid") {
    lines.push(`Ask ${venue} to send your proof again.`);
  } else {
    lines.push(
      `Ask ${venue} to explain, quoting the statement digest` +
        (ev.signedBy.length > 0 ? `; the co-signers (${ev.signedBy.join(", ")}) signed it too and can be asked.` : "."),
    );
  }
  return lines;
}
