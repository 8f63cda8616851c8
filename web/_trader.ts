/**
 * The trader's check on the page: the chosen proof, statement and keys go
 * through `verifyProof`, the same check as `haircut proof`, and the report
 * is shown.
 *
 * @module
 */

/// <reference lib="dom" />

import { formatAmount } from "../src/core/amount.ts";
import { InputError } from "../src/core/errors.ts";
import { parseKeysFile } from "../src/format/keys.ts";
import { type ProofReport, verifyProof } from "../src/verify/proof.ts";
import { h, replace } from "./_dom.ts";
import type { InputTexts } from "./_inputs.ts";
import { baseSplitPicture, waterfallPicture } from "./_pictures.ts";
import { checksTable, figures, findingsList, showVerdict } from "./_report_view.ts";

/** What the trader's check came to: a report, or why it could not run. */
export type TraderOutcome =
  | { kind: "report"; report: ProofReport }
  | { kind: "input"; message: string };

/** Runs the trader's check on the chosen files' texts (all three present). */
export function checkTrader(texts: InputTexts): TraderOutcome {
  const proof = texts["proof-file"] ?? "";
  const envelope = texts["statement-file"] ?? "";
  try {
    const keys = parseKeysFile(texts["keys-file"] ?? "");
    return { kind: "report", report: verifyProof({ proof, envelope }, keys) };
  } catch (e) {
    if (e instanceof InputError) return { kind: "input", message: e.message };
    throw e;
  }
}

/** Shows the outcome: the verdict in `status`, the explanation in `details`. */
export function showTrader(outcome: TraderOutcome, status: HTMLElement, details: HTMLElement): void {
  if (outcome.kind === "input") {
    showVerdict(status, "unchecked", outcome.message);
    replace(details);
    return;
  }
  const r = outcome.report;
  const s = r.statement;
  const p = r.proof;
  const money = (v: bigint): string => formatAmount(v, s?.decimals ?? 0, { asset: s?.asset ?? "" });
  if (r.ok && s && p) {
    showVerdict(status, "valid", `Your charge of ${money(p.haircut)} is exactly your share.`);
  } else {
    const first = r.errors[0];
    showVerdict(status, "invalid", first ? `${first.code}: ${first.message}` : "the check did not complete");
  }
  replace(
    details,
    s && h("h3", {}, "How the loss was covered"),
    s && waterfallPicture({
      deficit: s.deficit,
      insuranceUsed: s.insuranceUsed,
      shortfall: s.shortfall,
      socialized: s.tree.totalHaircut,
      uncovered: s.uncovered,
    }, money),
    s && p && h("h3", {}, "Your charge"),
    s && p && baseSplitPicture({ base: p.base, kept: p.base - p.haircut, haircut: p.haircut }, money),
    s && p && figures([["Account", p.account], ["Your base", money(p.base)], ["Charged", money(p.haircut)]]),
    h("h3", {}, "Checks"),
    checksTable(r.checks),
    findingsList(r.errors, r.errorCount),
  );
}
