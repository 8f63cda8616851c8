/**
 * Rendering of verification reports: text for people (amounts with the
 * asset's decimals), JSON for machines (exact integer strings) and JUnit XML
 * for CI.
 *
 * @module
 */

import { formatAmount } from "../core/amount.ts";
import { bytesToHex } from "../core/encoding.ts";
import type { ChainReport } from "../verify/chain.ts";
import type { SignerResult } from "../format/dsse.ts";
import type { Finding } from "../core/errors.ts";
import { type Statement, statementToJson } from "../format/statement.ts";
import type { CheckResult } from "../verify/_statement.ts";
import type { LogProofResult } from "../verify/log_proof.ts";
import type { ProofReport } from "../verify/proof.ts";
import type { PublicationReport } from "../verify/publication.ts";

/** A report of either kind. */
export type Report = PublicationReport | ProofReport;

/** Options for the text renderers. */
export interface TextOptions {
  /** How many errors to list. Default 20. */
  maxErrors?: number;
}

/**
 * Formats the exact ratio `num / den` (in minor units) in the asset's units
 * with `digits` extra decimals; a trailing `…` marks a truncated value.
 *
 * @example
 * ```ts
 * import { formatRatio } from "./report.ts";
 * formatRatio(2n, 3n, { decimals: 2, digits: 4 }); // "0.006666…" (2/3 of a cent)
 * ```
 */
export function formatRatio(num: bigint, den: bigint, options: { decimals: number; digits: number }): string {
  const places = options.decimals + options.digits;
  const product = num * 10n ** BigInt(options.digits);
  const text = formatAmount(product / den, places);
  if (product % den !== 0n) return text + "…";
  let end = text.length;
  while (end > text.length - options.digits && text[end - 1] === "0") end--;
  return text.endsWith(".", end) ? text.slice(0, end - 1) : text.slice(0, end);
}

/**
 * The rate T/P as a percentage with `digits` decimals (truncated, marked `…`).
 *
 * @example
 * ```ts
 * import { formatRate } from "./report.ts";
 * formatRate(80000n, 1156790n); // "6.91568…%" (truncated, never rounded up)
 * ```
 */
export function formatRate(target: bigint, totalBase: bigint, digits = 5): string {
  if (totalBase === 0n) return "0%";
  const scale = 10n ** BigInt(digits);
  const scaled = target * 100n * scale / totalBase;
  const exact = (target * 100n * scale) % totalBase === 0n;
  const whole = scaled / scale;
  let text = `${whole}`;
  if (digits > 0) {
    let frac = (scaled % scale).toString().padStart(digits, "0");
    if (exact) frac = frac.replace(/0+$/, "");
    if (frac) text += `.${frac}`;
  }
  return exact ? `${text}%` : `${text}…%`;
}

/**
 * Makes text from untrusted input safe to print: every control character
 * except LF (C0, DEL, C1) and every bidirectional override is shown as a
 * `\u{…}` escape, so a crafted account id or venue name cannot move the
 * cursor, recolour the terminal or reorder what a reader sees.
 *
 * @example
 * ```ts
 * import { terminalSafe } from "./report.ts";
 * terminalSafe("alice\u001b[2K"); // "alice\\u{1b}[2K"
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, escapeCharacter);
}

// deno-lint-ignore no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeCharacter(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

function money(s: Statement, value: bigint): string {
  return formatAmount(value, s.decimals, { asset: s.asset });
}

function signerLine(signers: readonly SignerResult[]): string {
  if (signers.length === 0) return "no signatures checked";
  return signers.map((x) => {
    const who = x.name ? `${x.name} ` : "";
    const id = (x.trustedKeyid ?? x.keyid).slice(0, 16);
    if (x.status === "valid") return `${who}${id}… trusted, valid`;
    if (x.status === "invalid") return `${who}${id}… trusted, INVALID signature`;
    return `${id}… not a trusted key (ignored)`;
  }).join("; ");
}

function logBlock(log: LogProofResult | undefined): string[] {
  if (!log) return [];
  const cosigned = log.witnesses.filter((w) => w.cosigned).length;
  const width = Math.max(22, ...log.witnesses.map((w) => w.name.length));
  return [
    "",
    `Transparency log: ${log.origin}`,
    log.index !== undefined && log.size !== undefined
      ? `  Entry                   ${log.index} of a tree of ${log.size}, root ${log.root}`
      : "  Entry                   not established",
    `  Witnesses               ${cosigned} of ${log.witnesses.length} pinned cosigned, quorum ${log.quorum}`,
    ...log.witnesses.map((w) =>
      `    ${w.name.padEnd(width)}  ${
        w.cosigned ? `cosigned at ${w.time ?? "?"} (${w.timestamp})` : "no valid cosignature"
      }`
    ),
  ];
}

function checksBlock(checks: readonly CheckResult[]): string[] {
  return checks.map((c) => `  ${c.status.padEnd(4)}  ${c.name}`);
}

function errorsBlock(errors: readonly Finding[], total: number, max: number): string[] {
  if (total === 0) return [];
  const shown = errors.slice(0, max);
  const lines = [`Errors (${shown.length} of ${total} shown):`];
  for (const e of shown) lines.push(`  ${e.code}${e.leaf !== undefined ? ` [leaf ${e.leaf}]` : ""}: ${e.message}`);
  return lines;
}

function coverageBlock(s: Statement): string[] {
  const cap = s.policy.cap ? `${s.policy.cap.num}/${s.policy.cap.den} of each base` : "none";
  return [
    `  Deficit                 ${money(s, s.deficit)}`,
    `  Insurance fund          ${money(s, s.insuranceFund)}`,
    `  Insurance used          ${money(s, s.insuranceUsed)}`,
    `  Shortfall               ${money(s, s.shortfall)}`,
    `  Cap                     ${cap}`,
    `  Socialized target T     ${money(s, s.target)}`,
    `  Total base P            ${money(s, s.tree.totalBase)} (${s.policy.base}, ${s.tree.leafCount} accounts)`,
    `  Rate T/P                ${formatRate(s.target, s.tree.totalBase)}`,
    `  Collected               ${money(s, s.tree.totalHaircut)}`,
    `  Uncovered               ${money(s, s.uncovered)}`,
  ];
}

/**
 * Renders a proof report for a trader: the verdict first, then the charge
 * explained with the trader's own numbers.
 *
 * @example
 * ```ts
 * import { renderProofText } from "./report.ts";
 * import type { ProofReport } from "../../mod.ts";
 * declare const r: ProofReport;
 * console.log(renderProofText(r));
 * ```
 */
export function renderProofText(r: ProofReport, options: TextOptions = {}): string {
  const s = r.statement;
  const p = r.proof;
  const lines: string[] = [];
  if (r.ok && s && p) {
    lines.push(
      `VALID: account ${JSON.stringify(p.account)} is in the signed tree and its haircut of ` +
        `${money(s, p.haircut)} is exactly the pro-rata share.`,
    );
  } else {
    const first = r.errors[0];
    lines.push(`NOT VALID: ${first ? `${first.code}: ${first.message}` : "verification did not complete"}`);
  }
  if (s) {
    lines.push("", `Statement: ${s.venue} · ${s.event} · ${s.asset} · snapshot ${s.snapshotTime}`);
    lines.push(`  digest ${r.digest}`);
  }
  lines.push(`Signatures: ${signerLine(r.signers)}`);
  if (s) lines.push("", "How the loss was covered:", ...coverageBlock(s));
  if (s && p && r.share) {
    const P = s.tree.totalBase;
    const { q, r: rem } = r.share;
    const up = p.haircut === q + 1n;
    lines.push(
      "",
      "Your charge:",
      `  Account                 ${p.account} (leaf ${p.index} of ${s.tree.leafCount})`,
      `  Your base               ${money(s, p.base)}`,
      P === 0n
        ? `  Exact share             0 (the total base is zero, so nobody pays)`
        : `  Exact share T×base/P    ${
          formatRatio(s.target * p.base, P, { decimals: s.decimals, digits: 6 })
        } ${s.asset}` +
          ` (= ${q} + ${rem}/${P} minor units)`,
      `  Charged                 ${money(s, p.haircut)}`,
      `  Rounding                ${roundingSentence(s, rem, up)}`,
    );
  }
  lines.push(...logBlock(r.log));
  lines.push("", "Checks:", ...checksBlock(r.checks));
  const errs = errorsBlock(r.errors, r.errorCount, options.maxErrors ?? 20);
  if (errs.length > 0) lines.push("", ...errs);
  return terminalSafe(lines.join("\n")) + "\n";
}

function roundingSentence(s: Statement, remainder: bigint, up: boolean): string {
  if (s.policy.rounding === "floor") {
    return "none: the floor rule charges the exact share rounded down.";
  }
  if (up) {
    return "+1 minor unit. Largest-remainder hands the units that flooring leaves over " +
      "to the accounts with the largest remainders; yours is above zero, so one may go to you " +
      "(the full ranking is checked by `haircut verify`).";
  }
  return remainder === 0n
    ? "none: your share is a whole number of minor units."
    : "none: your share was rounded down; the leftover units went to accounts with larger remainders.";
}

/**
 * Renders a publication report for an auditor or CI log.
 *
 * @example
 * ```ts
 * import { renderPublicationText } from "./report.ts";
 * import type { PublicationReport } from "../../mod.ts";
 * declare const r: PublicationReport;
 * console.log(renderPublicationText(r, { maxErrors: 5 }));
 * ```
 */
export function renderPublicationText(r: PublicationReport, options: TextOptions = {}): string {
  const s = r.statement;
  const lines: string[] = [];
  if (r.ok && s) {
    lines.push(
      `VALID: publication ${s.venue} · ${s.event} re-derived from ${r.summary.leaves} leaves; every check passed.`,
    );
  } else {
    lines.push(`NOT VALID: ${r.errorCount} problem${r.errorCount === 1 ? "" : "s"} found.`);
  }
  if (s) {
    lines.push("", `Statement: ${s.venue} · ${s.event} · ${s.asset} · snapshot ${s.snapshotTime}`);
    lines.push(`  digest ${r.digest}`);
  }
  lines.push(`Signatures: ${signerLine(r.signers)}`);
  if (s) {
    lines.push("", "Summary:", ...coverageBlock(s));
    if (r.summary.collected !== s.tree.totalHaircut || r.summary.totalBase !== s.tree.totalBase) {
      lines.push(
        `  Leaves add up to        base ${money(s, r.summary.totalBase)}, haircut ${money(s, r.summary.collected)}` +
          " (differs from the signed totals)",
      );
    }
    lines.push(
      `  Accounts                ${r.summary.leaves} read, ${r.summary.charged} charged`,
      `  Rounding                ${s.policy.rounding}, ${r.summary.roundingUnits} unit(s) distributed`,
    );
  }
  lines.push(...logBlock(r.log));
  lines.push("", "Checks:", ...checksBlock(r.checks));
  const errs = errorsBlock(r.errors, r.errorCount, options.maxErrors ?? 20);
  if (errs.length > 0) lines.push("", ...errs);
  return terminalSafe(lines.join("\n")) + "\n";
}

/**
 * The report as JSON with exact integer strings:
 * `{ ok, kind, statement: { digest, ... }, summary, checks, signers, errors, errorCount }`, plus
 * `log: { ok, origin, index, size, root, quorum, witnesses }` when a log proof was checked.
 *
 * @example
 * ```ts
 * import { renderJson } from "./report.ts";
 * import type { PublicationReport } from "../../mod.ts";
 * declare const r: PublicationReport;
 * JSON.parse(renderJson(r)).ok;
 * ```
 */
export function renderJson(r: Report): string {
  const statement = r.statement ? { digest: r.digest, ...statementToJson(r.statement) } : null;
  const base = {
    ok: r.ok,
    kind: r.kind,
    statement,
    signers: r.signers,
    checks: r.checks,
    ...(r.log ? { log: logJson(r.log) } : {}),
  };
  const errors = { errors: r.errors, errorCount: r.errorCount };
  if (r.kind === "publication") {
    const sm = r.summary;
    return JSON.stringify(
      {
        ...base,
        summary: {
          leaves: sm.leaves,
          charged: sm.charged,
          totalBase: `${sm.totalBase}`,
          collected: `${sm.collected}`,
          roundingUnits: sm.roundingUnits,
        },
        ...errors,
      },
      null,
      2,
    ) + "\n";
  }
  const p = r.proof;
  return JSON.stringify(
    {
      ...base,
      summary: p
        ? {
          account: p.account,
          index: p.index,
          base: `${p.base}`,
          haircut: `${p.haircut}`,
          ...(r.share ? { q: `${r.share.q}`, r: `${r.share.r}`, roundedUp: p.haircut === r.share.q + 1n } : {}),
        }
        : null,
      ...errors,
    },
    null,
    2,
  ) + "\n";
}

/** The log proof's own numbers; its checks and findings are already in the report's. */
function logJson(log: LogProofResult): Omit<LogProofResult, "checks" | "errors"> {
  const { checks: _checks, errors: _errors, ...rest } = log;
  return rest;
}

function xml(text: string): string {
  return terminalSafe(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JUnit XML with one testcase per check; failed checks carry their findings.
 *
 * @example
 * ```ts
 * import { renderJunit } from "./report.ts";
 * import type { PublicationReport } from "../../mod.ts";
 * declare const r: PublicationReport;
 * await Deno.writeTextFile("haircut.xml", renderJunit(r));
 * ```
 */
export function renderJunit(r: Report): string {
  const suite = r.statement ? `haircut ${r.kind} ${r.statement.venue} ${r.statement.event}` : `haircut ${r.kind}`;
  const failures = r.checks.filter((c) => c.status === "fail").length;
  const skipped = r.checks.filter((c) => c.status === "skip").length;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="haircut" tests="${r.checks.length}" failures="${failures}">`,
    `  <testsuite name="${xml(suite)}" tests="${r.checks.length}" failures="${failures}" skipped="${skipped}">`,
  ];
  for (const c of r.checks) {
    const open = `    <testcase classname="haircut.${r.kind}" name="${xml(c.name)}"`;
    if (c.status === "pass") {
      lines.push(`${open}/>`);
    } else if (c.status === "skip") {
      lines.push(`${open}>`, `      <skipped message="not reached: an earlier check failed"/>`, `    </testcase>`);
    } else {
      const owned = r.errors.filter((e) => c.codes.includes(e.code));
      const first = owned[0]?.message ?? "failed";
      const body = owned.map((e) => `${e.code}${e.leaf !== undefined ? ` [leaf ${e.leaf}]` : ""}: ${e.message}`).join(
        "\n",
      );
      lines.push(
        `${open}>`,
        `      <failure message="${xml(first)}" type="${xml(owned[0]?.code ?? "FAILED")}">${xml(body)}</failure>`,
        `    </testcase>`,
      );
    }
  }
  lines.push(`  </testsuite>`, `</testsuites>`);
  return terminalSafe(lines.join("\n")) + "\n";
}

/**
 * A Unicode bar chart of how the deficit was covered: the insurance fund
 * used, the socialized amount collected and what stays uncovered.
 *
 * @example
 * ```ts
 * import { coverageChart, type Statement } from "../../mod.ts";
 * declare const s: Statement;
 * console.log(coverageChart(s));
 * ```
 */
export function coverageChart(s: Statement, options: { width?: number } = {}): string {
  const width = options.width ?? 40;
  const parts: [string, bigint][] = [
    ["Insurance fund", s.insuranceUsed],
    ["Socialized", s.tree.totalHaircut],
    ["Uncovered", s.uncovered],
  ];
  const total = s.deficit;
  const amounts = parts.map(([, v]) => money(s, v));
  const pad = Math.max(...amounts.map((a) => a.length));
  return parts.map(([label, value], i) => {
    // A hostile statement may claim parts larger than the deficit: the bar never exceeds the width.
    const scaled = total === 0n ? 0n : value * BigInt(width * 8) / total;
    const cells = Number(scaled < BigInt(width * 8) ? scaled : BigInt(width * 8));
    const bar = "█".repeat(Math.floor(cells / 8)) + (cells % 8 ? " ▏▎▍▌▋▊▉"[cells % 8] : "");
    const pct = total === 0n ? "0%" : formatRate(value, total, 1).replace("…", "");
    return `${label.padEnd(15)} ${bar.padEnd(width + 1)} ${amounts[i].padStart(pad)}  ${pct}`;
  }).join("\n");
}

function mdEscape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
}

function markdownHeader(r: Report, what: string): string[] {
  const s = r.statement;
  const lines = [`## ${r.ok ? "✅" : "❌"} haircut ${what}: ${r.ok ? "VALID" : "NOT VALID"}`, ""];
  if (s) {
    lines.push(
      `**${mdEscape(s.venue)}** · ${mdEscape(s.event)} · ${mdEscape(s.asset)} · snapshot ${s.snapshotTime}  `,
      `Statement digest \`${r.digest}\``,
      "",
      "### How the deficit was covered",
      "",
      "```text",
      coverageChart(s),
      "```",
      "",
      "| Figure | Amount |",
      "| --- | ---: |",
      `| Deficit | ${money(s, s.deficit)} |`,
      `| Insurance used | ${money(s, s.insuranceUsed)} of ${money(s, s.insuranceFund)} |`,
      `| Shortfall | ${money(s, s.shortfall)} |`,
      `| Cap | ${s.policy.cap ? `${s.policy.cap.num}/${s.policy.cap.den} of each base` : "none"} |`,
      `| Target T | ${money(s, s.target)} |`,
      `| Total base P | ${money(s, s.tree.totalBase)} (${s.policy.base}, ${s.tree.leafCount} accounts) |`,
      `| Rate T/P | ${formatRate(s.target, s.tree.totalBase)} |`,
      `| Collected | ${money(s, s.tree.totalHaircut)} |`,
      `| Uncovered | ${money(s, s.uncovered)} |`,
      "",
    );
  }
  return lines;
}

function markdownTail(r: Report, max: number): string[] {
  const lines = ["### Checks", "", "| Check | Result |", "| --- | --- |"];
  const icon = { pass: "✅ pass", fail: "❌ fail", skip: "⏭️ skipped" } as const;
  for (const c of r.checks) lines.push(`| ${mdEscape(c.name)} | ${icon[c.status]} |`);
  if (r.errorCount > 0) {
    lines.push("", `### Errors (${Math.min(max, r.errors.length)} of ${r.errorCount} shown)`, "");
    for (const e of r.errors.slice(0, max)) {
      lines.push(`- \`${e.code}\`${e.leaf !== undefined ? ` leaf ${e.leaf}` : ""}: ${mdEscape(e.message)}`);
    }
  }
  return lines;
}

/**
 * Markdown for a GitHub Actions step summary: the verdict, a chart of how
 * the deficit was covered, the figures, the checks and the first errors.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./report.ts";
 * import type { PublicationReport } from "../../mod.ts";
 * declare const r: PublicationReport;
 * await Deno.writeTextFile(Deno.env.get("GITHUB_STEP_SUMMARY")!, renderMarkdown(r), { append: true });
 * ```
 */
export function renderMarkdown(r: Report, options: TextOptions = {}): string {
  const lines = markdownHeader(r, r.kind === "publication" ? "publication" : "proof");
  const s = r.statement;
  if (r.kind === "publication" && s) {
    if (r.summary.collected !== s.tree.totalHaircut || r.summary.totalBase !== s.tree.totalBase) {
      lines.push(
        `⚠️ The leaves add up to base ${money(s, r.summary.totalBase)} and haircut ${money(s, r.summary.collected)}, ` +
          "not the signed totals above.",
        "",
      );
    }
    lines.push(
      `${r.summary.leaves} accounts read, ${r.summary.charged} charged; ${s.policy.rounding} rounding distributed ` +
        `${r.summary.roundingUnits} unit(s).`,
      "",
    );
  }
  if (r.kind === "proof" && s && r.proof) {
    lines.push(
      `Account ${mdEscape(r.proof.account)} (leaf ${r.proof.index}): base ${money(s, r.proof.base)}, ` +
        `charged ${money(s, r.proof.haircut)}.`,
      "",
    );
  }
  lines.push(...markdownTail(r, options.maxErrors ?? 20));
  return terminalSafe(lines.join("\n")) + "\n";
}

/**
 * Renders a statement for a human, marked UNVERIFIED unless `verified`.
 *
 * @example
 * ```ts
 * import { renderStatementText, type Statement } from "../../mod.ts";
 * declare const s: Statement;
 * console.log(renderStatementText(s, { digest: "…", verdict: "unchecked" }));
 * ```
 */
export function renderStatementText(
  s: Statement,
  options: { digest: string; verdict: "verified" | "rejected" | "unchecked"; signers?: readonly SignerResult[] },
): string {
  const headline = {
    verified: "VERIFIED statement: signed by enough trusted keys, fields and arithmetic valid.",
    rejected:
      "NOT VALID statement: the signatures or the arithmetic failed (errors below). Do not rely on these numbers.",
    unchecked:
      "UNVERIFIED statement: signatures were NOT checked (give --keys to check them). Do not rely on these numbers.",
  }[options.verdict];
  const lines = [
    headline,
    "",
    `Statement: ${s.venue} · ${s.event} · ${s.asset} (decimals ${s.decimals}) · snapshot ${s.snapshotTime}`,
    `  digest   ${options.digest}`,
    `  previous ${s.previous ?? "none (first statement)"}`,
    `  policy   base ${s.policy.base}, rounding ${s.policy.rounding}, cap ${
      s.policy.cap ? `${s.policy.cap.num}/${s.policy.cap.den}` : "none"
    }`,
    `  tree     root ${bytesToHex(s.tree.root)}, ${s.tree.leafCount} leaves`,
  ];
  if (options.signers) lines.push(`Signatures: ${signerLine(options.signers)}`);
  lines.push("", "How the loss was covered:", ...coverageBlock(s), "", coverageChart(s));
  return terminalSafe(lines.join("\n")) + "\n";
}

/**
 * Renders a chain report: one line per statement, then the findings.
 *
 * @example
 * ```ts
 * import { checkChain, renderChainText } from "../../mod.ts";
 * console.log(renderChainText(checkChain([])));
 * ```
 */
export function renderChainText(r: ChainReport): string {
  const lines = [
    r.ok
      ? `VALID chain: ${r.links.length} statement(s) link through previous in order.`
      : `NOT VALID chain: ${r.errorCount} problem(s).`,
  ];
  if (!r.signaturesChecked) lines.push("UNVERIFIED signatures: give --keys to check who signed each statement.");
  lines.push("");
  r.links.forEach((l, i) => {
    const s = l.statement;
    const what = s ? `${s.event} · ${s.snapshotTime}` : "unreadable";
    lines.push(
      `${String(i + 1).padStart(3)}. ${l.name}: ${what}`,
      `     digest ${l.digest ?? "-"}  previous ${l.previous === undefined ? "-" : l.previous ?? "none"}`,
    );
  });
  if (r.errorCount > 0) {
    lines.push("", "Errors:");
    for (const e of r.errors) lines.push(`  ${e.code}: ${e.message}`);
  }
  return terminalSafe(lines.join("\n")) + "\n";
}

/**
 * A chain report as JSON with exact strings.
 *
 * @example
 * ```ts
 * import { checkChain, renderChainJson } from "../../mod.ts";
 * JSON.parse(renderChainJson(checkChain([]))).kind; // "chain"
 * ```
 */
export function renderChainJson(r: ChainReport): string {
  return JSON.stringify(
    {
      ok: r.ok,
      kind: r.kind,
      signaturesChecked: r.signaturesChecked,
      links: r.links.map((l) => ({
        name: l.name,
        digest: l.digest ?? null,
        previous: l.previous ?? null,
        statement: l.statement ? statementToJson(l.statement) : null,
        signers: l.signers,
      })),
      errors: r.errors,
      errorCount: r.errorCount,
    },
    null,
    2,
  ) + "\n";
}
