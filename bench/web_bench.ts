/**
 * `deno task bench:web [-- --leaves N] [--runs R] [--loads L]`
 *
 * The offline page's performance in headless Chromium (Debian's
 * `chromium`, through playwright-core): auditor mode verifying a synthetic
 * publication of N leaves (1,000,000 by default; generated once with the
 * library's publisher and cached under bench/.cache/, shared with
 * `bench:scale`), R times, from choosing the files to the verdict; and page
 * load to interactive, L times, each in a fresh browser. Prints every run,
 * the medians, and the load average before and after (the machine may be
 * shared). Goals: N = 1,000,000 in at most 15 s; load under 1 s.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { chromiumPath, ensurePublication, openPage, ROOT, runAuditor } from "../scripts/web_browser.ts";

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function loadAverage(): string {
  return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
}

async function main(): Promise<void> {
  const args = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const { values } = parseArgs({
    args,
    options: {
      leaves: { type: "string", default: "1000000" },
      runs: { type: "string", default: "5" },
      loads: { type: "string", default: "10" },
    },
  });
  const [leaves, runs, loads] = [values.leaves, values.runs, values.loads].map(Number);
  for (const [name, n] of [["--leaves", leaves], ["--runs", runs], ["--loads", loads]] as const) {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  }
  const executable = chromiumPath();
  if (!executable) throw new Error("no Chromium: apt-get install chromium, or set CHROMIUM");
  const dir = `${ROOT}bench/.cache/pub-${leaves}`;
  await Deno.mkdir(`${ROOT}bench/.cache`, { recursive: true });
  await ensurePublication(leaves, dir);
  console.log(`Chromium ${executable}, ${navigator.hardwareConcurrency} cores, load average ${loadAverage()}`);

  const loadTimes: number[] = [];
  const interactive: number[] = [];
  for (let i = 0; i < loads; i++) {
    const opened = await openPage(executable);
    loadTimes.push(opened.loadMs);
    interactive.push(opened.interactiveMs);
    await opened.close();
  }
  console.log(`page load to interactive, ${loads} fresh browsers:`);
  console.log(
    `  page's own mark (navigation start to ready): median ${median(interactive).toFixed(0)} ms ` +
      `(${interactive.map((x) => x.toFixed(0)).join(", ")})`,
  );
  console.log(
    `  seen from the driver (goto to ready):        median ${median(loadTimes).toFixed(0)} ms ` +
      `(${loadTimes.map((x) => x.toFixed(0)).join(", ")})`,
  );

  const opened = await openPage(executable);
  try {
    const worker: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < runs; i++) {
      const files = { statement: `${dir}/statement.dsse.json`, keys: `${dir}/keys.json`, leaves: `${dir}/leaves.csv` };
      const started = performance.now();
      const run = await runAuditor(opened.page, files, { timeoutMs: 300_000 });
      const seconds = (performance.now() - started) / 1000;
      if (run.verdict !== "valid") throw new Error(`auditor mode said ${run.verdict}`);
      worker.push(run.seconds);
      wall.push(seconds);
      console.log(
        `  run ${i + 1}: ${run.seconds.toFixed(2)} s in the worker, ${
          seconds.toFixed(2)
        } s from choosing the files to the verdict, ` +
          `${(leaves / run.seconds / 1e6).toFixed(2)} M leaves/s`,
      );
    }
    const m = median(wall);
    console.log(
      `auditor mode, ${leaves} leaves, ${runs} runs: median ${m.toFixed(2)} s from choosing the files to the verdict ` +
        `(${median(worker).toFixed(2)} s in the worker), ${(leaves / m / 1e6).toFixed(2)} M leaves/s` +
        `${leaves === 1_000_000 ? `; goal <= 15 s: ${m <= 15 ? "met" : "NOT met"}` : ""}`,
    );
    if (opened.foreignRequests().length > 0) throw new Error(`requests: ${opened.foreignRequests().join(", ")}`);
  } finally {
    await opened.close();
  }
  console.log(`load average after: ${loadAverage()}`);
}

await main();
