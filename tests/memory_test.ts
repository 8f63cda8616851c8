/**
 * Bounded memory, measured: `haircut verify` of a signed publication whose
 * `leaves.csv` has 200 over-long (1 MiB) lines, run as a subprocess serially
 * and with `--workers 2`, must peak within 40 MB of resident memory of each
 * other. The lines are holes of a sparse file, so the test costs no disk.
 *
 * Peak RSS is the kernel's `VmHWM` of the subprocess, read from
 * `/proc/<pid>/status` while it runs (it only grows). Deno reads `/proc` only
 * with `--allow-all`, so the test asks `cat` (with `--allow-run`, as the test
 * task grants). Off Linux the test says so and checks nothing; on Linux it
 * cannot skip.
 */

import assert from "node:assert/strict";
import { keysFileJson } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { parseEventFile, signStatement } from "../src/publish/event.ts";

const CLI = new URL("../src/cli/main.ts", import.meta.url).pathname;
const EVENT = new URL("../fixtures/example/input/event.json", import.meta.url);
const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(3));
const LINES = 200;
const LINE_BYTES = 1 << 20;
/** What the kernel's peak-RSS figure may differ by between the two runs. */
const TOLERANCE_BYTES = 40 * 1000 * 1000;

/** Writes the signed statement, whose leafCount, 2^20, lets `leaves.csv` be far longer than 200 MiB. */
async function writeStatement(dir: string): Promise<void> {
  const event = parseEventFile(await Deno.readTextFile(EVENT));
  const root = { hash: new Uint8Array(32), base: 0n, haircut: 0n };
  const { envelope } = signStatement({ event, root, leafCount: 1 << 20 }, [SIGNER]);
  await Deno.writeTextFile(`${dir}/keys.json`, keysFileJson([SIGNER]));
  await Deno.writeTextFile(`${dir}/statement.dsse.json`, envelopeToJson(envelope));
}

/**
 * Writes `leaves.csv`: the header, `shortLines` malformed lines of 1 byte,
 * then `LINES` lines of `LINE_BYTES` NUL bytes (holes) and LF.
 */
async function writeLeaves(dir: string, shortLines: number): Promise<void> {
  using file = await Deno.open(`${dir}/leaves.csv`, { write: true, create: true, truncate: true });
  await file.write(new TextEncoder().encode("account_key,base,haircut\n" + "x\n".repeat(shortLines)));
  const lf = new Uint8Array([0x0a]);
  for (let i = 0; i < LINES; i++) {
    await file.seek(LINE_BYTES, Deno.SeekMode.Current);
    await file.write(lf);
  }
}

/** `VmHWM` of process `pid` in bytes, or undefined once it is gone. */
async function peakRss(pid: number): Promise<number | undefined> {
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/status`], stdout: "piped", stderr: "null" })
    .output();
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(new TextDecoder().decode(out.stdout));
  return kb ? Number(kb[1]) * 1024 : undefined;
}

/** Runs `haircut verify` on `dir` with `workers`, sampling its peak RSS until it exits. */
async function verifyMeasured(dir: string, workers: string): Promise<{ code: number; json: string; peak: number }> {
  const run = ["run", "--no-prompt", "--allow-read", CLI];
  const child = new Deno.Command(Deno.execPath(), {
    args: [...run, "verify", dir, `--keys=${dir}/keys.json`, "--format=json", `--workers=${workers}`],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let done = false;
  const output = child.output().finally(() => done = true);
  let peak = 0;
  while (!done) {
    peak = Math.max(peak, (await peakRss(child.pid)) ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const out = await output;
  assert.equal(new TextDecoder().decode(out.stderr), "");
  return { code: out.code, json: new TextDecoder().decode(out.stdout), peak };
}

Deno.test("memory: 200 over-long lines: peak RSS with --workers 2 is within 40 MB of the serial pass", async (t) => {
  if (Deno.build.os !== "linux") {
    console.log(`skipped: peak RSS is read from /proc/<pid>/status, which ${Deno.build.os} does not have`);
    return;
  }
  assert.ok((await peakRss(Deno.pid))! > 0, "the test process's own VmHWM is readable");
  const dir = await Deno.makeTempDir({ prefix: "haircut_memory_" });
  try {
    await writeStatement(dir);
    // Alone, the long lines stay in the batch the main thread fills; after 2^15 short lines, the workers start.
    for (const shortLines of [0, 1 << 15]) {
      await t.step(`after ${shortLines} short lines`, async () => {
        await writeLeaves(dir, shortLines);
        const serial = await verifyMeasured(dir, "0");
        const parallel = await verifyMeasured(dir, "2");
        const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
        console.log(`peak RSS: serial ${mb(serial.peak)}, --workers 2 ${mb(parallel.peak)}`);
        // The verifier read every line: each is LEAF_INVALID, and the two passes agree.
        assert.equal(serial.code, 1);
        const report = JSON.parse(serial.json);
        assert.equal(report.errorCount, shortLines + LINES + 1); // the lines, and the leaf count (0 well-formed rows)
        assert.equal(
          report.errors[0].message,
          shortLines ? "line 2: expected 3 columns: account_key,base,haircut" : "line 2: longer than 256 bytes",
        );
        assert.equal(parallel.code, serial.code);
        assert.equal(parallel.json, serial.json);
        assert.ok(serial.peak > 0 && parallel.peak > 0, "the peaks were measured");
        assert.ok(
          parallel.peak <= serial.peak + TOLERANCE_BYTES,
          `--workers 2 peaks at ${mb(parallel.peak)}, more than 40 MB above the serial ${mb(serial.peak)}`,
        );
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
