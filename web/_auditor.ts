/**
 * Auditor mode on the page: the whole publication verified in a Worker
 * started from a `blob:` URL of the bundled worker code, with progress,
 * leaves per second and a cancel button; the full report at the end.
 *
 * @module
 */

/// <reference lib="dom" />

import { money } from "../src/report/_words.ts";
import type { PublicationReport } from "../src/verify/publication.ts";
import { h, replace } from "./_dom.ts";
import { waterfallPicture } from "./_pictures.ts";
import type { AuditMessage, AuditRequest } from "./_protocol.ts";
import { checksTable, figures, findingsList, showMessage, showVerdict } from "./_report_view.ts";

/** The elements auditor mode drives. */
export interface AuditorView {
  /** The progress bar. */
  progress: HTMLProgressElement;
  /** Where leaves per second are shown. */
  rate: HTMLElement;
  /** The `role="status"` box. */
  status: HTMLElement;
  /** Where the full report goes. */
  report: HTMLElement;
  /** The start button. */
  start: HTMLButtonElement;
  /** The cancel button. */
  cancel: HTMLButtonElement;
}

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** One run of auditor mode at a time, in its own Worker. */
export class Auditor {
  #worker: Worker | undefined;
  #url: string | undefined;

  constructor(readonly view: AuditorView, readonly workerSource: string) {}

  /** Starts verifying; a run already going is cancelled first. */
  start(request: AuditRequest): void {
    this.#stop();
    const v = this.view;
    this.#url = URL.createObjectURL(new Blob([this.workerSource], { type: "text/javascript" }));
    const worker = new Worker(this.#url);
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent<AuditMessage>): void => this.#receive(event.data);
    worker.onerror = (event: ErrorEvent): void => {
      event.preventDefault();
      this.#stop();
      showVerdict(v.status, "unchecked", `the verifier stopped: ${event.message}`);
    };
    v.progress.value = 0;
    v.rate.textContent = "";
    v.rate.removeAttribute("data-leaves-per-second");
    replace(v.report);
    showMessage(v.status, "Verifying every leaf…");
    v.start.disabled = true;
    v.cancel.disabled = false;
    worker.postMessage(request);
  }

  /** Stops the run, if one is going, and says so. */
  cancel(): void {
    if (!this.#worker) return;
    this.#stop();
    showVerdict(this.view.status, "unchecked", "Cancelled: the publication was not fully checked.");
    this.view.start.focus();
  }

  #stop(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = undefined;
    this.view.start.disabled = false;
    this.view.cancel.disabled = true;
  }

  #receive(m: AuditMessage): void {
    const v = this.view;
    if (m.kind === "progress") {
      v.progress.value = m.total === 0 ? 1 : m.bytes / m.total;
      const rows = Math.max(0, m.lines - 1);
      v.rate.textContent = `${count.format(rows)} leaves read, ${count.format(rows / m.seconds)} leaves/s`;
      return;
    }
    this.#stop();
    if (m.kind === "failed") {
      showVerdict(v.status, "unchecked", m.input ? m.message : `the verifier failed: ${m.message}`);
      return;
    }
    const leavesPerSecond = m.report.summary.leaves / m.seconds;
    v.progress.value = 1;
    v.rate.dataset.leavesPerSecond = leavesPerSecond.toFixed(0);
    v.rate.dataset.seconds = m.seconds.toFixed(3);
    v.rate.textContent = `${count.format(m.report.summary.leaves)} leaves in ${m.seconds.toFixed(2)} s, ` +
      `${count.format(leavesPerSecond)} leaves/s`;
    showPublication(m.report, v);
  }
}

/** The verdict and the full report of a publication check. */
function showPublication(r: PublicationReport, v: AuditorView): void {
  const s = r.statement;
  const format = (x: bigint): string => s ? money({ symbol: s.asset, decimals: s.decimals }, x) : `${x}`;
  if (r.ok && s) {
    showVerdict(v.status, "valid", `All ${count.format(r.summary.leaves)} leaves match the signed statement.`);
  } else {
    const first = r.errors[0];
    showVerdict(v.status, "invalid", first ? `${first.code}: ${first.message}` : "the check did not complete");
  }
  replace(
    v.report,
    s && figures([
      ["Venue", s.venue],
      ["Event", s.event],
      ["Snapshot", s.snapshotTime],
      ["Statement digest", h("span", { class: "mono" }, r.digest ?? "")],
    ]),
    s && waterfallPicture({
      deficit: s.deficit,
      insuranceUsed: s.insuranceUsed,
      shortfall: s.shortfall,
      collected: s.tree.totalHaircut,
      uncovered: s.uncovered,
    }, format),
    h("h3", {}, "What the leaves showed"),
    figures([
      ["Leaves", count.format(r.summary.leaves)],
      ["Charged accounts", count.format(r.summary.charged)],
      ["Sum of bases", format(r.summary.totalBase)],
      ["Sum of haircuts", format(r.summary.collected)],
      ["Rounding units handed out", count.format(r.summary.roundingUnits)],
    ]),
    h("h3", {}, "Checks"),
    checksTable(r.checks),
    findingsList(r.errors, r.errorCount),
  );
}
