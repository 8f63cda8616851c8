/**
 * Views shared by both modes: the verdict box, the list of checks, the
 * findings, and a definition list of figures.
 *
 * @module
 */

/// <reference lib="dom" />

import type { Finding } from "../src/core/errors.ts";
import { findingMessage } from "../src/report/format.ts";
import type { CheckResult } from "../src/verify/_statement.ts";
import { type Child, h, replace } from "./_dom.ts";

/** How a verdict box looks: passed, failed, or could not run. */
export type VerdictKind = "valid" | "invalid" | "unchecked";

const WORDS: Record<VerdictKind, string> = { valid: "VALID", invalid: "NOT VALID", unchecked: "NOT CHECKED" };

/** Shows the verdict's word and its reason in the `role="status"` box. */
export function showVerdict(box: HTMLElement, kind: VerdictKind, reason: string): void {
  box.className = `verdict ${kind}`;
  box.dataset.verdict = kind;
  replace(box, h("span", { class: "word" }, WORDS[kind]), h("span", { class: "reason" }, reason));
}

/** Shows a plain message (no verdict yet) in a status box. */
export function showMessage(box: HTMLElement, message: string): void {
  box.className = "verdict";
  delete box.dataset.verdict;
  replace(box, message);
}

const STATUS_WORDS = { pass: "passed", fail: "FAILED", skip: "not reached" } as const;

/** The table of checks, in the order they ran. */
export function checksTable(checks: readonly CheckResult[]): HTMLElement {
  return h(
    "table",
    { class: "checks" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Check"), h("th", { scope: "col" }, "Result"))),
    h(
      "tbody",
      {},
      ...checks.map((c) =>
        h(
          "tr",
          { "data-check": c.name, "data-status": c.status },
          h("td", {}, c.name),
          h("td", { class: `status-${c.status}` }, STATUS_WORDS[c.status]),
        )
      ),
    ),
  );
}

/** The findings: code, leaf and message, with how many there were in all. */
export function findingsList(errors: readonly Finding[], total: number, max = 20): Child {
  if (total === 0) return null;
  const shown = errors.slice(0, max);
  return h(
    "div",
    { class: "findings" },
    h("h3", {}, `What failed (${shown.length} of ${total} shown)`),
    h(
      "ul",
      {},
      ...shown.map((e) =>
        h("li", {}, h("code", {}, e.code), e.leaf !== undefined ? ` (leaf ${e.leaf})` : "", `: ${findingMessage(e)}`)
      ),
    ),
  );
}

/** A definition list of `[term, value]` pairs. */
export function figures(rows: readonly (readonly [string, Child])[]): HTMLDListElement {
  return h("dl", {}, ...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}
