/**
 * `deno task bench:scale -- --leaves N [--runs R] [--workers 2,1] [--no-floor] [--publish none,ndjson]`
 *
 * Generates (once, cached under bench/.cache/) a signed publication of N
 * accounts with the library's streaming publisher, then times the full
 * `haircut verify` of it R times per worker count as a separate process under
 * /usr/bin/time -v (wall time, leaves/s, peak RSS; medians printed), times a
 * trader's `haircut proof` (Deno start included), and measures the native
 * SHA-256 floor with `openssl speed -evp sha256 -bytes 65` and `-bytes 129`
 * for the same hash count: N leaf hashes and N - 1 node hashes.
 *
 * With `--publish`, it also times `haircut publish` of the same N synthetic
 * accounts (an accounts.csv cached beside the publication) once per proofs
 * mode listed, and deletes each output after measuring its size.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { signingKeyJson } from "../publish.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { ensurePublication, eventJson, syntheticAccounts } from "./_synthetic.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = `${ROOT}src/cli/main.ts`;

/** The arguments of one run of the script. */
interface Options {
  leaves: number;
  runs: number;
  workers: number[];
  floor: boolean;
  publish: string[];
}

function options(): Options {
  const args = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const { values } = parseArgs({
    args,
    options: {
      leaves: { type: "string", default: "1000000" },
      runs: { type: "string", default: "3" },
      workers: { type: "string" },
      "no-floor": { type: "boolean", default: false },
      publish: { type: "string", default: "" },
    },
  });
  const leaves = Number(values.leaves);
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(leaves) || leaves < 1) throw new Error("--leaves must be a positive integer");
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
  const workers = (values.workers ?? String(navigator.hardwareConcurrency)).split(",").map(Number);
  return {
    leaves,
    runs,
    workers,
    floor: !values["no-floor"],
    publish: values.publish ? values.publish.split(",") : [],
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function directorySize(path: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(path)) {
    const p = `${path}/${e.name}`;
    total += e.isDirectory ? await directorySize(p) : (await Deno.stat(p)).size;
  }
  return total;
}

/** Times `haircut publish` of `n` synthetic accounts for each proofs mode. */
async function timePublish(n: number, modes: string[]): Promise<void> {
  const cache = `${ROOT}bench/.cache`;
  const accounts = `${cache}/accounts-${n}.csv`;
  if (!(await exists(accounts))) {
    const file = await Deno.open(`${accounts}.tmp`, { write: true, create: true, truncate: true });
    for await (const chunk of syntheticAccounts(n)) {
      for (let at = 0; at < chunk.length;) at += await file.write(chunk.subarray(at));
    }
    file.close();
    await Deno.rename(`${accounts}.tmp`, accounts);
  }
  await Deno.writeTextFile(`${cache}/event-${n}.json`, eventJson(n));
  const key = `${cache}/bench.key.json`;
  await Deno.writeTextFile(key, signingKeyJson(signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1))));
  for (const mode of modes) {
    const out = `${cache}/publish-${n}-${mode}`;
    await Deno.remove(out, { recursive: true }).catch(() => {});
    const m = await measure([
      "deno",
      "run",
      "--no-prompt",
      "--allow-read",
      "--allow-write",
      CLI,
      "publish",
      "--accounts",
      accounts,
      "--event",
      `${cache}/event-${n}.json`,
      "--signing-key",
      key,
      "--out",
      out,
      "--proofs",
      mode,
    ]);
    if (m.code !== 0) throw new Error(`publish exited ${m.code}:\n${m.stdout}`);
    const size = await directorySize(out);
    console.log(
      `publish --proofs ${mode}: ${n} accounts in ${m.seconds.toFixed(1)} s, peak RSS ${
        (m.maxRssKb / 1024).toFixed(0)
      } MB, ` +
        `output ${(size / 1e9).toFixed(2)} GB`,
    );
    await Deno.remove(out, { recursive: true });
  }
}

/** Wall time and peak RSS of one command, from /usr/bin/time -v. */
interface Measured {
  seconds: number;
  maxRssKb: number;
  code: number;
  stdout: string;
}

async function measure(args: string[]): Promise<Measured> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", { args: ["-v", ...args], stdout: "piped", stderr: "piped" })
    .output();
  const seconds = (performance.now() - started) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!rss) throw new Error(`no RSS in /usr/bin/time output:\n${stderr}`);
  return { seconds, maxRssKb: Number(rss[1]), code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Hashes per second of `openssl speed -evp sha256` on `bytes`-byte inputs, one core. */
async function opensslRate(bytes: number): Promise<number> {
  const out = await new Deno.Command("openssl", {
    args: ["speed", "-evp", "sha256", "-bytes", String(bytes), "-seconds", "3"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const m = /^sha256\s+([\d.]+)k/m.exec(text);
  if (!m) throw new Error(`unexpected openssl output:\n${text}`);
  return (Number(m[1]) * 1000) / bytes;
}

function loadAverage(): string {
  try {
    return Deno.loadavg().map((l) => l.toFixed(2)).join(" ");
  } catch {
    return "unknown (needs --allow-sys=loadavg)";
  }
}

async function main(): Promise<void> {
  const o = options();
  const dir = `${ROOT}bench/.cache/pub-${o.leaves}`;
  await Deno.mkdir(`${ROOT}bench/.cache`, { recursive: true });
  await ensurePublication(o.leaves, dir);
  const size = (await Deno.stat(`${dir}/leaves.csv`)).size;
  console.log(
    `\n${o.leaves} leaves, leaves.csv ${(size / 1e6).toFixed(0)} MB, ${navigator.hardwareConcurrency} cores, ` +
      `load average ${loadAverage()}`,
  );

  const medians = new Map<number, number>();
  for (const workers of o.workers) {
    const walls: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < o.runs; run++) {
      const m = await measure([
        "deno",
        "run",
        "--no-prompt",
        "--allow-read",
        CLI,
        "verify",
        dir,
        "--keys",
        `${dir}/keys.json`,
        "--workers",
        String(workers),
        "--quiet",
        "--format",
        "json",
      ]);
      if (m.code !== 0) throw new Error(`verify exited ${m.code}:\n${m.stdout.slice(0, 2000)}`);
      const report = JSON.parse(m.stdout);
      if (report.ok !== true) throw new Error("the publication did not verify");
      walls.push(m.seconds);
      rss.push(m.maxRssKb);
      console.log(
        `  verify --workers ${workers} run ${run + 1}: ${m.seconds.toFixed(2)} s, ` +
          `${(o.leaves / m.seconds / 1e6).toFixed(2)} M leaves/s, peak RSS ${(m.maxRssKb / 1024).toFixed(0)} MB`,
      );
    }
    const wall = median(walls);
    medians.set(workers, wall);
    console.log(
      `verify --workers ${workers}: median ${wall.toFixed(2)} s, ${(o.leaves / wall / 1e6).toFixed(2)} M leaves/s, ` +
        `median peak RSS ${(median(rss) / 1024).toFixed(0)} MB, max ${(Math.max(...rss) / 1024).toFixed(0)} MB ` +
        `(${o.runs} runs)`,
    );
  }

  const proof = [];
  for (let run = 0; run < Math.max(5, o.runs); run++) {
    const m = await measure([
      "deno",
      "run",
      "--no-prompt",
      "--allow-read",
      CLI,
      "proof",
      `${dir}/proof.json`,
      "--statement",
      `${dir}/statement.dsse.json`,
      "--keys",
      `${dir}/keys.json`,
    ]);
    if (m.code !== 0) throw new Error(`proof exited ${m.code}:\n${m.stdout}`);
    proof.push(m.seconds);
  }
  console.log(
    `proof (one trader, Deno start included): median ${(median(proof) * 1000).toFixed(0)} ms ` +
      `over ${proof.length} runs`,
  );

  if (o.floor) {
    const leafRate = await opensslRate(65);
    const nodeRate = await opensslRate(129);
    const floor = o.leaves / leafRate + (o.leaves - 1) / nodeRate;
    const cores = navigator.hardwareConcurrency;
    console.log(
      `native SHA-256 floor (openssl speed -evp sha256, one core): ${(leafRate / 1e6).toFixed(2)} M/s at 65 bytes, ` +
        `${(nodeRate / 1e6).toFixed(2)} M/s at 129 bytes; ${o.leaves} + ${o.leaves - 1} hashes take ` +
        `${floor.toFixed(2)} s on one core, ${(floor / cores).toFixed(2)} s on ${cores}`,
    );
    for (const [workers, wall] of medians) {
      console.log(
        `verify --workers ${workers} is ${(wall / floor).toFixed(1)}x the one-core floor, ` +
          `${(wall / (floor / cores)).toFixed(1)}x the ${cores}-core floor`,
      );
    }
  }
  if (o.publish.length > 0) await timePublish(o.leaves, o.publish);
  console.log(`load average at the end ${loadAverage()}`);
}

if (import.meta.main) await main();
