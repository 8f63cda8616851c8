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
import type { ProofReport } from "../verify/proof.ts";
import { explainProof, type Explanation, logFacts } from "./explain.ts";
import { count, findingMessage, formatRate, fraction, terminalSafe } from "./format.ts";
import { explanationWords, logRows, type Row, signerLine } from "./_words.ts";

export { formatRate, formatRatio, terminalSafe } from "./format.ts";
import type { PublicationReport } from "../verify/publication.ts";

/**
 * A report of either kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type Report, verifyPublication } from "../../mod.ts";
 *
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const report: Report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, keys);
 * assert.equal(report.kind, "publication");
 * ```
 */
export type Report = PublicationReport | ProofReport;

/**
 * Options for the text renderers.
 *
 * @example At most one error listed
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, renderPublicationText, type TextOptions, verifyPublication } from "../../mod.ts";
 *
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/golden/keys.json")); // not the example's keys
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, keys);
 * const options: TextOptions = { maxErrors: 1 };
 * const text = renderPublicationText(report, options);
 * assert.match(text, /^NOT VALID/);
 * assert.match(text, /SIGNATURE_THRESHOLD/);
 * ```
 */
export interface TextOptions {
  /** How many errors to list. Default 20. */
  maxErrors?: number;
}

function money(s: Statement, value: bigint): string {
  return formatAmount(value, s.decimals, { asset: s.asset });
}

function checksBlock(checks: readonly CheckResult[]): string[] {
  return checks.map((c) => `  ${c.status.padEnd(4)}  ${c.name}`);
}

function errorsBlock(errors: readonly Finding[], total: number, max: number, title = "Errors"): string[] {
  if (total === 0) return [];
  const shown = errors.slice(0, max);
  const lines = [`${title} (${shown.length} of ${total} shown):`];
  for (const e of shown) {
    lines.push(`  ${e.code}${e.leaf !== undefined ? ` [leaf ${e.leaf}]` : ""}: ${findingMessage(e)}`);
  }
  return lines;
}

/** The cap in words: `"7/10 of each base"` or `"none"`. */
function capWords(s: Statement): string {
  return s.policy.cap ? `${fraction(s.policy.cap.num, s.policy.cap.den)} of each base` : "none";
}

/** What the total base is made of: `"profit of 8 accounts"`. */
function baseOf(s: Statement): string {
  return `${s.policy.base} of ${count(s.tree.leafCount, "account")}`;
}

/** The rounding units a publication's leaves received, in words: `"3 minor units (0.03 USDT)"`. */
function unitsWords(s: Statement, units: bigint | number): string {
  return `${count(units, "minor unit")} (${money(s, BigInt(units))})`;
}

function coverageBlock(s: Statement): string[] {
  return [
    `  Deficit                 ${money(s, s.deficit)}` +
    (s.deficitTree ? ` (committed: ${s.deficitTree.leafCount} bankrupt accounts in the deficit tree)` : ""),
    `  Insurance fund          ${money(s, s.insuranceFund)}`,
    `  Insurance used          ${money(s, s.insuranceUsed)}`,
    `  Shortfall               ${money(s, s.shortfall)}`,
    `  Cap                     ${capWords(s)}`,
    `  Target to collect (T)   ${money(s, s.target)}`,
    `  Total base (P)          ${money(s, s.tree.totalBase)} (${baseOf(s)})`,
    s.policy.rate
      ? `  Signed rate             ${formatRate(s.policy.rate.num, s.policy.rate.den)} (${
        fraction(s.policy.rate.num, s.policy.rate.den)
      }, ` +
        `${s.policy.rounding})`
      : `  Rate (T ÷ P)            ${formatRate(s.target, s.tree.totalBase)}`,
    `  Collected               ${money(s, s.tree.totalHaircut)}`,
    `  Uncovered               ${money(s, s.uncovered)}`,
  ];
}

/**
 * Options for {@linkcode renderProofText} and the proof report's markdown.
 *
 * @example The files as the trader named them appear in the text
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type ProofTextOptions, renderProofText, verifyProof } from "../../mod.ts";
 *
 * const files = {
 *   proof: "fixtures/example/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json",
 *   statement: "fixtures/example/statement.dsse.json",
 *   keys: "fixtures/example/keys.json",
 * };
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(files.proof),
 *   envelope: await Deno.readTextFile(files.statement),
 * }, parseKeysFile(await Deno.readTextFile(files.keys)));
 * const options: ProofTextOptions = { files };
 * assert.match(renderProofText(report, options), /signed by enough of the keys in fixtures\/example\/keys\.json/);
 * ```
 */
export interface ProofTextOptions extends TextOptions {
  /** The files as the user named them, for the hints and the evidence to keep. */
  files?: { proof?: string; statement?: string; keys?: string };
}

/**
 * Renders a proof report for a trader: the verdict and its reason first,
 * then the charge explained with the trader's own numbers, the event's
 * figures, what the verdict proves and does not, and after NOT VALID what to
 * keep as evidence. Every sentence comes from {@linkcode explainProof}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, renderProofText, verifyProof } from "../../mod.ts";
 *
 * const name = "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(`fixtures/example/proofs/${name}`),
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const text = renderProofText(report);
 * assert.match(text, /^VALID: account "alice" is in the statement the venue signed/);
 * assert.match(text, /\n  Charged +870\.15 USDT /);
 * assert.match(text, /\n  Allowed charges +870\.14 or 870\.15 USDT /);
 * ```
 */
export function renderProofText(r: ProofReport, options: ProofTextOptions = {}): string {
  const e = explainProof(r);
  const w = explanationWords(e, options);
  const lines: string[] = [w.headline];
  if (w.next) lines.push(w.next);
  if (w.statement) {
    lines.push("", `${e.waterfall ? "Statement" : "Statement you gave"}: ${w.statement}`, `  digest ${w.digest}`);
  }
  lines.push(`Signatures: ${w.signatures}`);
  if (w.charge.length > 0) lines.push("", e.deficit ? "Your loss:" : "Your charge:", ...rowLines(w.charge));
  if (w.waterfall.length > 0) lines.push("", "How the loss was covered:", ...rowLines(w.waterfall));
  if (w.log.length > 0) lines.push("", "Transparency log:", ...rowLines(w.log));
  if (w.holds.length > 0) lines.push("", "What this proves:", ...w.holds.map((x) => `  - ${x}`));
  if (e.charge || e.deficit) lines.push("", "What it does not prove:", ...w.doesNotHold.map((x) => `  - ${x}`));
  if (w.evidence.length > 0) lines.push("", "Keep as evidence:", ...w.evidence.map((x) => `  ${x}`));
  lines.push("", "Checks:", ...checksBlock(r.checks));
  const errs = errorsBlock(r.errors, r.errorCount, options.maxErrors ?? 20, "Error codes, for the venue or an auditor");
  if (errs.length > 0) lines.push("", ...errs);
  return terminalSafe(lines.join("\n")) + "\n";
}

/** Rows as aligned lines: label, value, then the plain words. */
function rowLines(rows: readonly Row[]): string[] {
  const width = Math.max(...rows.map((x) => x.value.length));
  return rows.map((x) =>
    `  ${x.label.padEnd(22)}  ${x.note ? `${x.value.padEnd(width)}  ${x.note}` : x.value}`.trimEnd()
  );
}

/**
 * Renders a publication report for an auditor or CI log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, renderPublicationText, verifyPublication } from "../../mod.ts";
 *
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const [headline] = renderPublicationText(report).split("\n");
 * assert.equal(headline, "VALID: publication Example Exchange · 2026-11-03/ETH-PERP re-derived from 8 leaves; every check passed.");
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
      s.policy.rate
        ? `  Rounding                ${s.policy.rounding}: each haircut exactly its base × the signed rate`
        : `  Rounding                ${s.policy.rounding}, ${unitsWords(s, r.summary.roundingUnits)} distributed`,
    );
  }
  if (r.log) lines.push("", "Transparency log:", ...rowLines(logRows(r.log)));
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
 * @example Amounts as exact decimal strings
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, renderJson, verifyPublication } from "../../mod.ts";
 *
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const json = JSON.parse(renderJson(report));
 * assert.equal(json.ok, true);
 * assert.equal(json.kind, "publication");
 * assert.equal(json.statement.target, "1300000");
 * assert.deepEqual(json.errors, []);
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
    ...(r.log ? { log: logFacts(r.log) } : {}),
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
  const d = r.deficitProof;
  const rc = r.rateCharge;
  return JSON.stringify(
    {
      ...base,
      explanation: explanationJson(explainProof(r)),
      summary: p
        ? {
          account: p.account,
          index: p.index,
          base: `${p.base}`,
          haircut: `${p.haircut}`,
          ...(r.share ? { q: `${r.share.q}`, r: `${r.share.r}`, roundedUp: p.haircut === r.share.q + 1n } : {}),
          ...(rc ? { q: `${rc.exact.q}`, r: `${rc.exact.r}`, rateHaircut: `${rc.haircut}`, rounded: rc.rounded } : {}),
        }
        : d
        ? { kind: "deficit", account: d.account, index: d.index, loss: `${d.loss}` }
        : null,
      ...errors,
    },
    null,
    2,
  ) + "\n";
}

/**
 * The explanation as JSON values: amounts as exact integer strings. The
 * report's own `signers`, `checks`, `errors` and `log` are not repeated.
 */
function explanationJson(e: Explanation): Record<string, unknown> {
  const { signers: _signers, checks: _checks, errors: _errors, errorCount: _count, log: _log, ...facts } = e;
  return jsonValue({ ...facts, headline: explanationWords(e).headline }) as Record<string, unknown>;
}

/** `value` with every bigint as its decimal string. */
function jsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}`;
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

function xml(text: string): string {
  return terminalSafe(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JUnit XML with one testcase per check; failed checks carry their findings.
 *
 * @example One test case per check
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, renderJunit, verifyPublication } from "../../mod.ts";
 *
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const xml = renderJunit(report);
 * assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
 * assert.equal(xml.match(/<testcase /g)?.length, report.checks.length);
 * assert.match(xml, /failures="0"/);
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
      `| Cap | ${capWords(s)} |`,
      `| Target to collect (T) | ${money(s, s.target)} |`,
      `| Total base (P) | ${money(s, s.tree.totalBase)} (${baseOf(s)}) |`,
      s.policy.rate
        ? `| Signed rate | ${formatRate(s.policy.rate.num, s.policy.rate.den)} (${s.policy.rounding}) |`
        : `| Rate (T ÷ P) | ${formatRate(s.target, s.tree.totalBase)} |`,
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
      lines.push(`- \`${e.code}\`${e.leaf !== undefined ? ` leaf ${e.leaf}` : ""}: ${mdEscape(findingMessage(e))}`);
    }
  }
  return lines;
}

/**
 * Markdown for a GitHub Actions step summary: the verdict, a chart of how
 * the deficit was covered, the figures, the checks and the first errors.
 *
 * @example For a GitHub job summary
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, renderMarkdown, verifyPublication } from "../../mod.ts";
 *
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const markdown = renderMarkdown(report);
 * assert.ok(markdown.startsWith("## ✅ haircut publication: VALID\n"));
 * ```
 */
export function renderMarkdown(r: Report, options: ProofTextOptions = {}): string {
  if (r.kind === "proof") return renderProofMarkdown(r, options);
  const lines = markdownHeader(r, "publication");
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
      `${count(r.summary.leaves, "account")} read, ${r.summary.charged} charged; ` +
        (s.policy.rate
          ? `${s.policy.rounding}: each haircut exactly its base × the signed rate.`
          : `${s.policy.rounding} rounding distributed ${unitsWords(s, r.summary.roundingUnits)}.`),
      "",
    );
  }
  lines.push(...markdownTail(r, options.maxErrors ?? 20));
  return terminalSafe(lines.join("\n")) + "\n";
}

/** A proof report as markdown: the same words as {@linkcode renderProofText}, in tables. */
function renderProofMarkdown(r: ProofReport, options: ProofTextOptions): string {
  const e = explainProof(r);
  const w = explanationWords(e, options);
  const lines = [`## ${r.ok ? "✅" : "❌"} haircut proof: ${r.ok ? "VALID" : "NOT VALID"}`, "", mdEscape(w.headline)];
  if (w.next) lines.push("", mdEscape(w.next));
  lines.push("");
  if (w.statement) lines.push(`${mdEscape(w.statement)}  `, `Statement digest \`${w.digest}\``, "");
  const table = (title: string, rows: readonly Row[]): void => {
    if (rows.length === 0) return;
    lines.push(`### ${title}`, "", "| Figure | Amount | In plain words |", "| --- | ---: | --- |");
    for (const x of rows) lines.push(`| ${x.label} | ${mdEscape(x.value)} | ${mdEscape(x.note ?? "")} |`);
    lines.push("");
  };
  const list = (title: string, items: readonly string[]): void => {
    if (items.length > 0) lines.push(`### ${title}`, "", ...items.map((x) => `- ${mdEscape(x)}`), "");
  };
  table(e.deficit ? "Your loss" : "Your charge", w.charge);
  if (e.waterfall && r.statement) {
    lines.push("### How the deficit was covered", "", "```text", coverageChart(r.statement), "```", "");
  }
  table(e.waterfall ? "The event's figures" : "", w.waterfall);
  table("Transparency log", w.log);
  list("What this proves", w.holds);
  if (e.charge || e.deficit) list("What it does not prove", w.doesNotHold);
  list("Keep as evidence", w.evidence);
  lines.push(...markdownTail(r, options.maxErrors ?? 20));
  return terminalSafe(lines.join("\n")) + "\n";
}

/**
 * Renders a statement for a human, marked UNVERIFIED unless `verified`.
 *
 * @example `haircut inspect`'s view, before any signature is checked
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, payloadDigest, renderStatementText } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const text = renderStatementText(parseStatementPayload(envelope.payload), {
 *   digest: payloadDigest(envelope.payload),
 *   verdict: "unchecked",
 * });
 * assert.match(text, /ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a/);
 * assert.match(text, /Example Exchange/);
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
      s.policy.cap ? fraction(s.policy.cap.num, s.policy.cap.den) : "none"
    }${s.policy.rate ? `, rate ${fraction(s.policy.rate.num, s.policy.rate.den)}` : ""}`,
    `  tree     root ${bytesToHex(s.tree.root)}, ${s.tree.leafCount} leaves`,
    ...(s.deficitTree
      ? [
        `  deficit  tree root ${bytesToHex(s.deficitTree.root)}, ${s.deficitTree.leafCount} bankrupt accounts, ` +
        `losses ${s.deficitTree.total}`,
      ]
      : []),
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
 * import assert from "node:assert/strict";
 * import { checkChain, renderChainText } from "../../mod.ts";
 *
 * const dir = "fixtures/scenarios/chain-of-three";
 * const report = checkChain(await Promise.all([1, 2, 3].map(async (i) => ({
 *   name: `event-${i}`,
 *   envelope: await Deno.readTextFile(`${dir}/event-${i}/statement.dsse.json`),
 * }))));
 * const [headline] = renderChainText(report).split("\n");
 * assert.equal(headline, "VALID chain: 3 statements link through previous in order.");
 * ```
 */
export function renderChainText(r: ChainReport): string {
  const lines = [
    r.ok
      ? `VALID chain: ${count(r.links.length, "statement")} link through previous in order.`
      : `NOT VALID chain: ${count(r.errorCount, "problem")}.`,
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
 * import assert from "node:assert/strict";
 * import { checkChain, renderChainJson } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/chain-gap";
 * const report = checkChain([
 *   { name: "event-1", envelope: await Deno.readTextFile(`${dir}/event-1.dsse.json`) },
 *   { name: "event-3", envelope: await Deno.readTextFile(`${dir}/event-3.dsse.json`) },
 * ]);
 * const json = JSON.parse(renderChainJson(report));
 * assert.equal(json.kind, "chain");
 * assert.equal(json.ok, false);
 * assert.deepEqual(json.errors.map((e: { code: string }) => e.code), ["CHAIN_GAP"]);
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
