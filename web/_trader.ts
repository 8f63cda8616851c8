/**
 * The trader's check on the page: the chosen proof, statement and keys go
 * through `verifyProof`, the same check as `haircut proof`, and the page
 * shows the explanation model of its report (`explainProof`), the same
 * model the CLI renders. Nothing here computes a figure.
 *
 * @module
 */

/// <reference lib="dom" />

import { InputError } from "../src/core/errors.ts";
import { parseKeysFile } from "../src/format/keys.ts";
import { explainProof, type Explanation } from "../src/report/explain.ts";
import { verifyProof } from "../src/verify/proof.ts";
import { h, replace } from "./_dom.ts";
import type { InputTexts } from "./_inputs.ts";
import { baseSplitPicture, waterfallPicture } from "./_pictures.ts";
import { checksTable, figures, findingsList, showVerdict } from "./_report_view.ts";
import {
  baseCheckSentence,
  chargeLines,
  evidenceSentences,
  guaranteeSentences,
  moneyOf,
  reasonSentence,
  waterfallLines,
} from "./_words.ts";

/** What the trader's check came to: an explanation, or why it could not run. */
export type TraderOutcome =
  | { kind: "explained"; explanation: Explanation }
  | { kind: "input"; message: string };

/** Runs the trader's check on the chosen files' texts (all three present). */
export function checkTrader(texts: InputTexts): TraderOutcome {
  const proof = texts["proof-file"] ?? "";
  const envelope = texts["statement-file"] ?? "";
  try {
    const keys = parseKeysFile(texts["keys-file"] ?? "");
    return { kind: "explained", explanation: explainProof(verifyProof({ proof, envelope }, keys)) };
  } catch (e) {
    if (e instanceof InputError) return { kind: "input", message: e.message };
    throw e;
  }
}

function list(items: readonly string[]): HTMLUListElement {
  return h("ul", {}, ...items.map((t) => h("li", {}, t)));
}

/** Shows the outcome: the verdict and its reason in `status`, the explanation in `details`. */
export function showTrader(outcome: TraderOutcome, status: HTMLElement, details: HTMLElement): void {
  if (outcome.kind === "input") {
    showVerdict(status, "unchecked", outcome.message);
    replace(details);
    return;
  }
  const e = outcome.explanation;
  const money = moneyOf(e.asset);
  showVerdict(status, e.ok ? "valid" : "invalid", reasonSentence(e.reason, money));
  const guarantees = guaranteeSentences(e);
  const evidence = evidenceSentences(e);
  const baseCheck = baseCheckSentence(e, money);
  replace(
    details,
    evidence.length > 0 && h("h3", {}, "What to do now"),
    evidence.length > 0 && list(evidence),
    e.charge && h("h3", {}, "Your charge"),
    e.charge && baseSplitPicture(e.charge, money),
    e.charge && figures(chargeLines(e, money)),
    baseCheck && h("p", { class: "base-check" }, baseCheck),
    e.waterfall && h("h3", {}, "How the loss was covered"),
    e.waterfall && waterfallPicture(e.waterfall, money),
    e.waterfall && figures(waterfallLines(e, money)),
    e.statement && h("h3", {}, "The statement"),
    e.statement && figures([
      ["Venue", e.statement.venue],
      ["Event", e.statement.event],
      ["Snapshot", e.statement.snapshotTime],
      ["Digest", h("span", { class: "mono" }, e.statement.digest)],
    ]),
    h("h3", {}, "What this proves"),
    guarantees.holds.length > 0 ? list(guarantees.holds) : h("p", {}, "Nothing yet: the checks stopped early."),
    h("h3", {}, "What it does not prove"),
    list(guarantees.doesNotHold),
    h("h3", {}, "Checks"),
    checksTable(e.checks),
    findingsList(e.errors, e.errorCount),
  );
}
