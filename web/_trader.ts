/**
 * The trader's check on the page: the chosen proof, statement and keys go
 * through `verifyProof`, the same check as `haircut proof`; the page lays
 * out the explanation model of its report (`explainProof`) in the same
 * words the CLI prints (`explanationWords`). Nothing here computes a figure
 * or writes a sentence of its own about the verdict.
 *
 * @module
 */

/// <reference lib="dom" />

import { InputError } from "../src/core/errors.ts";
import { parseKeysFile } from "../src/format/keys.ts";
import { type ExplanationWords, explanationWords, money, type Row } from "../src/report/_words.ts";
import { explainProof, type Explanation } from "../src/report/explain.ts";
import { verifyProof } from "../src/verify/proof.ts";
import { withLogProof } from "../src/verify/log_proof.ts";
import { parseLogPolicy } from "../src/tlog/policy.ts";
import { h, replace } from "./_dom.ts";
import type { InputTexts } from "./_inputs.ts";
import { baseSplitPicture, waterfallPicture } from "./_pictures.ts";
import { checksTable, figures, findingsList, showVerdict } from "./_report_view.ts";

/** What the trader's check came to: an explanation in words, or why it could not run. */
export type TraderOutcome =
  | { kind: "explained"; explanation: Explanation; words: ExplanationWords }
  | { kind: "input"; message: string };

/** The names of the chosen files, for the sentences that name them. */
export interface ChosenNames {
  /** The proof file's name. */
  proof?: string;
  /** The statement file's name. */
  statement?: string;
  /** The keys file's name. */
  keys?: string;
}

/** Runs the trader's check on the chosen files' texts (all three present). */
export function checkTrader(texts: InputTexts, names: ChosenNames = {}): TraderOutcome {
  const proof = texts["proof-file"] ?? "";
  const envelope = texts["statement-file"] ?? "";
  try {
    const keys = parseKeysFile(texts["keys-file"] ?? "");
    const logProof = texts["log-proof-file"];
    const logPolicy = texts["log-policy-file"];
    if ((logProof === undefined) !== (logPolicy === undefined)) {
      return {
        kind: "input",
        message: "the Log proof file and the Log policy file go together: choose both, or neither",
      };
    }
    const checked = verifyProof({ proof, envelope }, keys);
    const report = logProof !== undefined && logPolicy !== undefined
      ? withLogProof(checked, { proof: logProof, policy: parseLogPolicy(logPolicy) })
      : checked;
    const explanation = explainProof(report);
    return { kind: "explained", explanation, words: explanationWords(explanation, { files: names }) };
  } catch (e) {
    if (e instanceof InputError) return { kind: "input", message: e.message };
    throw e;
  }
}

function list(items: readonly string[]): HTMLUListElement {
  return h("ul", {}, ...items.map((t) => h("li", {}, t)));
}

/** Figures with their plain words: the value, then the note in a quieter line. */
function rows(items: readonly Row[]): HTMLDListElement {
  return figures(items.map((r) => [r.label, h("span", {}, r.value, r.note && h("span", { class: "note" }, r.note))]));
}

/** The headline without its verdict word, which the status box shows on its own. */
function reasonOf(headline: string): string {
  const m = /^(?:NOT )?VALID: /.exec(headline);
  return m ? headline.slice(m[0].length) : headline;
}

/** Shows the outcome: the verdict and its reason in `status`, the explanation in `details`. */
export function showTrader(outcome: TraderOutcome, status: HTMLElement, details: HTMLElement): void {
  if (outcome.kind === "input") {
    showVerdict(status, "unchecked", outcome.message);
    replace(details);
    return;
  }
  const { explanation: e, words: w } = outcome;
  const a = e.asset;
  const format = (value: bigint): string => a ? money(a, value) : `${value}`;
  showVerdict(status, e.ok ? "valid" : "invalid", reasonOf(w.headline));
  replace(
    details,
    w.next && h("p", { class: "next" }, w.next),
    w.evidence.length > 0 && h("h3", {}, "What to keep, and whom to ask"),
    w.evidence.length > 0 && list(w.evidence),
    e.charge && h("h3", {}, "Your charge"),
    e.charge && baseSplitPicture(e.charge, format),
    w.charge.length > 0 && rows(w.charge),
    e.waterfall && h("h3", {}, "How the loss was covered"),
    e.waterfall && waterfallPicture(e.waterfall, format),
    w.waterfall.length > 0 && rows(w.waterfall),
    w.log.length > 0 && h("h3", {}, "Transparency log"),
    w.log.length > 0 && rows(w.log),
    w.statement && h("h3", {}, "The statement"),
    w.statement && figures([
      ["Statement", w.statement],
      ["Digest", h("span", { class: "mono" }, w.digest ?? "")],
      ["Signatures", w.signatures],
    ]),
    h("h3", {}, "What this proves"),
    w.holds.length > 0 ? list(w.holds) : h("p", {}, "Nothing yet: the checks stopped early."),
    h("h3", {}, "What it does not prove"),
    list(w.doesNotHold),
    h("h3", {}, "Checks"),
    checksTable(e.checks),
    findingsList(e.errors, e.errorCount),
  );
}
