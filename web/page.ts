/**
 * The page's entry point: draws the file inputs, runs the trader's check
 * whenever the three files are chosen (or on "Check my proof"), and runs
 * auditor mode on request. Built into `web/haircut.html` by
 * `scripts/build_web.ts`, which defines `AUDITOR_WORKER_SOURCE` as the
 * bundled code of `auditor_worker.ts`.
 *
 * @module
 */

/// <reference lib="dom" />

import { InputError } from "../src/core/errors.ts";
import { Auditor } from "./_auditor.ts";
import { append, byId } from "./_dom.ts";
import {
  AUDITOR_INPUTS,
  chosenFile,
  fileField,
  type FileInputSpec,
  inputSpec,
  OPTIONAL_INPUTS,
  readInputs,
  readJsonFile,
  TRADER_INPUTS,
} from "./_inputs.ts";
import { showMessage, showVerdict } from "./_report_view.ts";
import { checkTrader, showTrader } from "./_trader.ts";

declare const AUDITOR_WORKER_SOURCE: string;

const status = byId("verdict", HTMLElement);
const explanation = byId("explanation", HTMLElement);
const [proofInput, statementInput, keysInput] = ["proof-file", "statement-file", "keys-file"].map(inputSpec);

/** The labels of the inputs in `specs` that have no file chosen. */
function missing(specs: readonly FileInputSpec[]): string[] {
  return specs.filter((s) => !chosenFile(s.id)).map((s) => s.label);
}

let checking = 0;

/** Runs the trader's check; `explicit` when the user asked for it (else only once all three files are chosen). */
async function checkProof(explicit: boolean): Promise<void> {
  const absent = missing(TRADER_INPUTS);
  if (absent.length > 0) {
    if (explicit) showMessage(status, `Choose the ${absent.join(", ")} first.`);
    return;
  }
  const run = ++checking;
  showMessage(status, "Checking…");
  try {
    // The statement first, as the CLI reads it: when the proof and the statement are swapped, the hint names both.
    const texts = await readInputs([statementInput, proofInput, keysInput, ...OPTIONAL_INPUTS]);
    if (run !== checking) return;
    const [proof, statement, keys] = [proofInput, statementInput, keysInput].map((s) => chosenFile(s.id)?.name);
    showTrader(checkTrader(texts, { proof, statement, keys }), status, explanation);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (run !== checking) return;
    showVerdict(status, "unchecked", e.message);
    explanation.replaceChildren();
  }
}

const auditor = new Auditor({
  progress: byId("audit-progress", HTMLProgressElement),
  rate: byId("audit-rate", HTMLElement),
  status: byId("audit-status", HTMLElement),
  report: byId("audit-report", HTMLElement),
  start: byId("audit-start", HTMLButtonElement),
  cancel: byId("audit-cancel", HTMLButtonElement),
}, AUDITOR_WORKER_SOURCE);

/** Starts auditor mode with the statement, keys and leaves files. */
async function startAudit(): Promise<void> {
  const auditStatus = auditor.view.status;
  const absent = missing([statementInput, keysInput, ...AUDITOR_INPUTS]);
  if (absent.length > 0) {
    showMessage(auditStatus, `Choose the ${absent.join(", ")} first.`);
    return;
  }
  showMessage(auditStatus, "Reading the files…");
  try {
    const envelope = await readJsonFile(statementInput, chosenFile(statementInput.id)!);
    const keys = await readJsonFile(keysInput, chosenFile(keysInput.id)!);
    auditor.start({ envelope, keys, leaves: chosenFile("leaves-file")! });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    showVerdict(auditStatus, "unchecked", e.message);
  }
}

function main(): void {
  append(byId("trader-inputs", HTMLElement), TRADER_INPUTS.map(fileField));
  const optional = byId("optional-inputs", HTMLElement);
  append(optional, OPTIONAL_INPUTS.map(fileField));
  optional.hidden = OPTIONAL_INPUTS.length === 0;
  append(byId("auditor-inputs", HTMLElement), AUDITOR_INPUTS.map(fileField));

  const traderForm = byId("trader-form", HTMLFormElement);
  traderForm.addEventListener("change", () => void checkProof(false));
  traderForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void checkProof(true);
  });
  byId("auditor-form", HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    void startAudit();
  });
  auditor.view.cancel.addEventListener("click", () => auditor.cancel());
  performance.mark("haircut-interactive");
  document.documentElement.dataset.ready = "true";
}

main();
