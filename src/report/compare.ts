/**
 * Renders a {@linkcode CompareReport}: text with a small table, JSON and
 * markdown. Every figure comes from the report; nothing is recomputed.
 *
 * @module
 */

import { formatAmount } from "../core/amount.ts";
import { statementToJson } from "../format/statement.ts";
import type { Statement } from "../format/statement.ts";
import type { EffectiveRate, RuleOutcome } from "../rules/compare.ts";
import type { CompareReport } from "../verify/compare.ts";
import { formatRate, terminalSafe } from "./report.ts";

function money(s: Statement, value: bigint): string {
  return formatAmount(value, s.decimals, { asset: s.asset });
}

function effective(e: EffectiveRate | undefined): string {
  return e ? formatRate(e.haircut, e.base, 4) : "n/a";
}

function ruleName(row: RuleOutcome): string {
  return row.capped ? row.rule : `${row.rule}, no cap`;
}

function rateText(row: RuleOutcome): string {
  if (!row.rate) return "T/P";
  const where = row.rateSource === "statement" ? "signed" : "T/P";
  return `${formatRate(row.rate.num, row.rate.den, 4)} (${where})`;
}

function uncoveredText(s: Statement, row: RuleOutcome): string {
  return row.uncovered < 0n ? `-${money(s, -row.uncovered)}` : money(s, row.uncovered);
}

function verdictLine(r: CompareReport): string {
  if (r.verified === "unverified") {
    return "UNVERIFIED: no --keys given, so the statement's signatures were not checked.";
  }
  if (r.verified === "valid") return "The publication verifies against your keys (VALID).";
  const first = r.errors[0];
  return `The publication does NOT verify against your keys: ${
    first ? `${first.code}: ${first.message}` : "see haircut verify"
  }`;
}

function policyLine(s: Statement): string {
  const p = s.policy;
  const cap = p.cap ? `cap ${p.cap.num}/${p.cap.den} (${formatRate(p.cap.num, p.cap.den, 4)})` : "no cap";
  const rate = p.rate ? ` at ${p.rate.num}/${p.rate.den} (${formatRate(p.rate.num, p.rate.den, 4)})` : "";
  return `${p.rounding}${rate}, ${cap}, on ${p.base}`;
}

/** The table rows as cells, a header first. */
function tableCells(r: CompareReport, s: Statement): string[][] {
  const rows = [["", "rule", "rate", "collected", "uncovered", "over target", "highest paid", "lowest paid", "differ"]];
  for (const row of r.rules) {
    rows.push([
      `${row.published ? "*" : ""}${row.admissible ? "" : "!"}`,
      ruleName(row),
      rateText(row),
      money(s, row.collected),
      uncoveredText(s, row),
      row.overTarget > 0n ? money(s, row.overTarget) : "-",
      effective(row.highest),
      effective(row.lowest),
      `${row.differing}`,
    ]);
  }
  return rows;
}

/**
 * The comparison as text: the verdict, the event, then one table row per
 * rule (`*` marks the published rule, `!` a rule that collects more than
 * its target or takes a rate above the cap).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, renderCompareText } from "../../mod.ts";
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * });
 * assert.match(renderCompareText(report), /^UNVERIFIED/);
 * ```
 */
export function renderCompareText(r: CompareReport): string {
  const s = r.statement;
  const lines = [verdictLine(r)];
  if (!s) return terminalSafe(lines.join("\n")) + "\n";
  lines.push(
    "",
    `Statement: ${s.venue} · ${s.event} · ${s.asset} · snapshot ${s.snapshotTime}`,
    `  digest ${r.digest}`,
    `  published rule: ${policyLine(s)}`,
    `  shortfall ${money(s, s.shortfall)}, total base P ${money(s, s.tree.totalBase)}, target T ` +
      `${money(s, s.target)} (T/P ${formatRate(s.target, s.tree.totalBase, 4)}), ${r.leaves} accounts`,
  );
  if (r.rules.length === 0) {
    lines.push("", "The leaves could not be read, so no rule was compared:");
    for (const e of r.errors) lines.push(`  ${e.code}: ${e.message}`);
    return terminalSafe(lines.join("\n")) + "\n";
  }
  const cells = tableCells(r, s);
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const numeric = new Set([3, 4, 5, 8]);
  lines.push("");
  for (const row of cells) {
    lines.push(
      row.map((cell, c) => numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])).join("  ").trimEnd(),
    );
  }
  lines.push(
    "",
    "* the published rule   ! collects more than its target, or a rate above the cap",
    "highest/lowest paid: the largest and smallest fraction of its base any account pays;",
    "differ: accounts that would pay a different amount than published.",
  );
  return terminalSafe(lines.join("\n")) + "\n";
}

function rowJson(row: RuleOutcome): Record<string, unknown> {
  const eff = (e: EffectiveRate | undefined) =>
    e ? { index: e.index, haircut: `${e.haircut}`, base: `${e.base}` } : null;
  return {
    rule: row.rule,
    capped: row.capped,
    target: `${row.target}`,
    rate: row.rate ? { num: `${row.rate.num}`, den: `${row.rate.den}`, source: row.rateSource } : null,
    collected: `${row.collected}`,
    uncovered: `${row.uncovered}`,
    overTarget: `${row.overTarget}`,
    admissible: row.admissible,
    highest: eff(row.highest),
    lowest: eff(row.lowest),
    differing: row.differing,
    published: row.published,
  };
}

/**
 * The comparison as JSON, amounts as exact integer strings:
 * `{ ok, kind, verified, statement, leaves, rules: [...], errors, errorCount }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, renderCompareJson } from "../../mod.ts";
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * });
 * const json = JSON.parse(renderCompareJson(report));
 * assert.equal(json.rules.length, 5);
 * assert.equal(json.rules[0].collected, "1300000");
 * ```
 */
export function renderCompareJson(r: CompareReport): string {
  return JSON.stringify(
    {
      ok: r.ok,
      kind: r.kind,
      verified: r.verified,
      statement: r.statement ? { digest: r.digest, ...statementToJson(r.statement) } : null,
      leaves: r.leaves,
      rules: r.rules.map(rowJson),
      errors: r.errors,
      errorCount: r.errorCount,
    },
    null,
    2,
  ) + "\n";
}

function mdCell(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

/**
 * The comparison as a markdown table, for a CI step summary or an article.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, renderCompareMarkdown } from "../../mod.ts";
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * });
 * assert.match(renderCompareMarkdown(report), /\| rule \|/);
 * ```
 */
export function renderCompareMarkdown(r: CompareReport): string {
  const s = r.statement;
  const lines = [
    `### haircut compare: ${s ? mdCell(`${s.venue} · ${s.event}`) : "publication"}`,
    "",
    mdCell(verdictLine(r)),
  ];
  if (s) {
    lines.push(
      "",
      `Published rule: ${mdCell(policyLine(s))}. Shortfall ${money(s, s.shortfall)}, target ${money(s, s.target)}, ` +
        `${r.leaves} accounts.`,
    );
  }
  if (s && r.rules.length > 0) {
    const [header, ...rows] = tableCells(r, s);
    lines.push("", `| ${header.slice(1).join(" | ")} |`, `|${header.slice(1).map(() => " --- |").join("")}`);
    for (const row of rows) {
      const mark = `${row[0].includes("*") ? " (published)" : ""}${row[0].includes("!") ? " ⚠️" : ""}`;
      lines.push(`| ${[mdCell(row[1]) + mark, ...row.slice(2).map(mdCell)].join(" | ")} |`);
    }
    lines.push("", "⚠️ collects more than its target, or takes a rate above the cap.");
  }
  return terminalSafe(lines.join("\n")) + "\n";
}
