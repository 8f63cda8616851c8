/**
 * The parallel verifier must produce exactly the serial verifier's report:
 * the same findings in the same order, with the same codes, leaf indices and
 * messages, the same summary and check statuses. Every case here runs the
 * serial pass (workers 0) and the parallel pass with tiny batches, so that
 * errors land on batch boundaries, and with several ways of chunking the
 * input. Also: the mergeable pieces (RootBuilder.subtrees, RoundingChecker
 * state and merge) and the CLI's read-only workers.
 */

import assert from "node:assert/strict";
import { allocate, parseKeysFile, type PublicationReport, verifyPublication } from "../mod.ts";
import { buildPublication } from "../publish.ts";
import { sumHasher, sumLeaf, sumNode, treeRoot } from "../tree.ts";
import { SumNodeSlab } from "../src/core/sum_tree.ts";
import { RootBuilder } from "../src/core/tree.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import type { EventSpec } from "../src/publish/event.ts";
import { RoundingChecker } from "../src/rules/allocation.ts";
import { BATCH_LINE_BYTES, checkLeavesParallel, type LeafBatch, LeafBatcher } from "../src/verify/_parallel.ts";
import { FindingCollector } from "../src/verify/_findings.ts";

const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const FIXTURES = new URL("../fixtures/", import.meta.url);
const CLI = new URL("../src/cli/main.ts", import.meta.url).pathname;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Publication {
  envelope: string;
  leaves: Uint8Array;
  keys: string;
}

function read(base: URL, name: string): string {
  return Deno.readTextFileSync(new URL(name, base));
}

function load(base: URL, keys?: URL): Publication {
  return {
    envelope: read(base, "statement.dsse.json"),
    leaves: Deno.readFileSync(new URL("leaves.csv", base)),
    keys: Deno.readTextFileSync(keys ?? new URL("keys.json", base)),
  };
}

/** Feeds `bytes` as chunks of `size` bytes, each a fresh copy. */
async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

/**
 * Verifies serially, then in parallel with every batch size and chunking
 * given, and asserts that every report equals the serial one. Returns it.
 */
async function sameReports(
  pub: Publication,
  options: { batchSizes?: number[]; chunks?: number[]; maxErrors?: number; workers?: number[] } = {},
): Promise<PublicationReport> {
  const keys = parseKeysFile(pub.keys);
  const maxErrors = options.maxErrors ?? 1000;
  const serial = await verifyPublication({ envelope: pub.envelope, leaves: pub.leaves }, keys, { maxErrors });
  const chunkedSerial = await verifyPublication(
    { envelope: pub.envelope, leaves: chunked(pub.leaves, 7) },
    keys,
    { maxErrors, workers: 1 },
  );
  assert.deepEqual(chunkedSerial, serial, "the serial pass does not depend on chunking");
  for (const workers of options.workers ?? [2]) {
    for (const batchSize of options.batchSizes ?? [1, 2, 4, 8]) {
      for (const chunk of options.chunks ?? [0, 5, 64]) {
        const leaves = chunk === 0 ? pub.leaves : chunked(pub.leaves, chunk);
        const parallel = await verifyPublication({ envelope: pub.envelope, leaves }, keys, {
          maxErrors,
          workers,
          batchSize,
        });
        assert.deepEqual(
          parallel,
          serial,
          `workers ${workers}, batch size ${batchSize}, chunks of ${chunk || "the whole file"} differ from serial`,
        );
      }
    }
  }
  return serial;
}

function errorsOf(report: PublicationReport): [string, number | undefined, string][] {
  return report.errors.map((f) => [f.code, f.leaf, f.message]);
}

// ---------------------------------------------------------------------------
// A larger signed publication to tamper with: 100 accounts, some zero bases.

const EVENT: EventSpec = {
  venue: "Parallel Exchange",
  event: "2026-11-03/PARALLEL",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-11-03T08:00:00Z",
  policy: { base: "profit", rounding: "largest-remainder", cap: null },
  deficit: 2_000_000n,
  insuranceFund: 500_000n,
  previous: null,
};
const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7));

function accounts(n: number): { account: string; base: bigint }[] {
  let x = 99991;
  return Array.from({ length: n }, (_, i) => {
    x = (x * 48271) % 2147483647;
    return { account: `trader-${i}`, base: i % 9 === 0 ? 0n : BigInt(x % 1_000_000) };
  });
}

const BIG = buildPublication({ accounts: accounts(100), event: EVENT }, [SIGNER], {
  saltSecret: enc.encode("parallel-test-secret"),
});
const BIG_PUB: Publication = {
  envelope: envelopeToJson(BIG.envelope),
  leaves: enc.encode(BIG.leavesCsv),
  keys: BIG.keysJson,
};
const HEADER = BIG.leavesCsv.split("\n")[0];
const ROWS = BIG.leavesCsv.split("\n").slice(1, -1);

/** The big publication with its rows replaced by `rows` (and `tail` appended after the last LF). */
function withRows(rows: string[], tail = ""): Publication {
  return { ...BIG_PUB, leaves: enc.encode([HEADER, ...rows].join("\n") + "\n" + tail) };
}

function row(key: string, base: bigint, haircut: bigint): string {
  return `${key},${base},${haircut}`;
}

function fields(line: string): [string, bigint, bigint] {
  const [k, b, h] = line.split(",");
  return [k, BigInt(b), BigInt(h)];
}

// ---------------------------------------------------------------------------
// Valid publications

Deno.test("parallel = serial: the example fixture, every batch size and chunking", async () => {
  const report = await sameReports(load(EXAMPLE), { batchSizes: [1, 2, 4, 8, 16], chunks: [0, 1, 13, 100] });
  assert.equal(report.ok, true);
  assert.equal(report.summary.leaves, 8);
});

Deno.test("parallel = serial: the golden vectors, with 2 and 3 workers", async () => {
  const report = await sameReports(load(GOLDEN), { workers: [2, 3] });
  assert.equal(report.ok, true);
  assert.equal(report.summary.leaves, 5);
});

Deno.test("parallel = serial: 100 accounts in batches of 1 to 128", async () => {
  const report = await sameReports(BIG_PUB, { batchSizes: [1, 4, 16, 32, 64, 128], chunks: [0, 3, 1000] });
  assert.equal(report.ok, true, JSON.stringify(report.errors));
  assert.equal(report.summary.leaves, 100);
});

Deno.test("parallel = serial: every scenario and tamper fixture", async () => {
  let cases = 0;
  for (const group of ["scenarios", "tampered"]) {
    const base = new URL(`${group}/`, FIXTURES);
    const names = [...Deno.readDirSync(base)].filter((e) => e.isDirectory).map((e) => e.name).sort();
    for (const name of names) {
      const dir = new URL(`${name}/`, base);
      const has = (f: string): boolean => {
        try {
          return Deno.statSync(new URL(f, dir)).isFile;
        } catch {
          return false;
        }
      };
      if (!has("statement.dsse.json") || !has("leaves.csv")) continue;
      const keys = has("keys.json") ? new URL("keys.json", dir) : new URL("base/keys.json", base);
      await sameReports(load(dir, keys), { batchSizes: [1, 2], chunks: [0] });
      cases++;
    }
  }
  assert.ok(cases >= 10, `only ${cases} fixture directories found`);
});

// ---------------------------------------------------------------------------
// Errors on batch boundaries (batch size 16: rows 15 and 16 straddle the first boundary)

Deno.test("boundary: rows swapped across a batch boundary give the same LEAF_ORDER", async () => {
  const rows = ROWS.slice();
  [rows[15], rows[16]] = [rows[16], rows[15]];
  const report = await sameReports(withRows(rows), { batchSizes: [4, 8, 16] });
  assert.ok(report.errors.some((f) => f.code === "LEAF_ORDER" && f.leaf === 16), JSON.stringify(errorsOf(report)));
});

Deno.test("boundary: a duplicated account across a boundary is reported as repeating", async () => {
  const rows = ROWS.slice();
  rows[16] = rows[15];
  const report = await sameReports(withRows(rows), { batchSizes: [8, 16] });
  assert.ok(report.errors.some((f) => f.code === "LEAF_ORDER" && f.leaf === 16 && /repeats/.test(f.message)));
});

Deno.test("boundary: a rounding unit moved across a boundary (ROUNDING_ORDER, HAIRCUT_MISMATCH)", async () => {
  const rows = ROWS.slice();
  // Find a +1 leaf before the boundary and a leaf without one after it, then move the unit.
  const checker = (i: number): [string, bigint, bigint] => fields(rows[i]);
  const P = BIG.statement.tree.totalBase;
  const T = BIG.statement.target;
  const up = [...Array(16).keys()].reverse().find((i) => {
    const [, b, h] = checker(i);
    return h === (T * b) / P + 1n;
  });
  const down = [...Array(84).keys()].map((i) => i + 16).find((i) => {
    const [, b, h] = checker(i);
    return (T * b) % P > 0n && h === (T * b) / P;
  });
  assert.ok(up !== undefined && down !== undefined);
  const [ku, bu, hu] = checker(up);
  const [kd, bd, hd] = checker(down);
  rows[up] = row(ku, bu, hu - 1n);
  rows[down] = row(kd, bd, hd + 1n);
  const report = await sameReports(withRows(rows), { batchSizes: [1, 16, 32] });
  assert.equal(report.ok, false);
  // Moving a unit breaks the ranking or the per-leaf rule; either way the report is the serial one.
  assert.ok(report.errors.length > 0);
});

Deno.test("boundary: a haircut above its base at the first row of a batch", async () => {
  const rows = ROWS.slice();
  const [k, b] = fields(rows.find((r) => fields(r)[1] > 0n)!);
  const i = rows.findIndex((r) => r.startsWith(k));
  rows[16] = rows[i];
  rows[i] = ROWS[16];
  const sorted = rows.slice().sort();
  const j = sorted.findIndex((r) => r.startsWith(k));
  sorted[j] = row(k, b, b + 1n);
  const report = await sameReports(withRows(sorted), { batchSizes: [2, 16] });
  assert.ok(report.errors.some((f) => f.code === "HAIRCUT_EXCEEDS_BASE"));
});

Deno.test("boundary: malformed lines open a batch; the first good row is checked against the last batch", async () => {
  const rows = ROWS.slice();
  rows[16] = "not a row";
  rows[17] = ROWS[14]; // below row 15: a LEAF_ORDER after the malformed line, across the boundary
  const report = await sameReports(withRows(rows), { batchSizes: [2, 4, 16] });
  const codes = errorsOf(report).map(([c, leaf]) => `${c}@${leaf}`);
  assert.ok(codes.includes("LEAF_INVALID@16"), codes.join(" "));
  assert.ok(codes.includes("LEAF_ORDER@17"), codes.join(" "));
  assert.equal(report.checks.find((c) => c.name === "root")?.status, "skip");
});

Deno.test("boundary: a whole batch of malformed lines carries the previous key over it", async () => {
  const rows = ROWS.slice();
  rows[16] = "";
  rows[17] = "x".repeat(300); // over MAX_LINE_BYTES
  rows[18] = ROWS[15]; // repeats row 15, across the two bad lines
  const report = await sameReports(withRows(rows), { batchSizes: [1, 2, 16] });
  const codes = errorsOf(report).map(([c, leaf]) => `${c}@${leaf}`);
  assert.ok(codes.includes("LEAF_INVALID@16") && codes.includes("LEAF_INVALID@17"), codes.join(" "));
  assert.ok(codes.includes("LEAF_ORDER@18"), codes.join(" "));
});

Deno.test("boundary: truncated files, CRLF, long and empty lines, at and between boundaries", async () => {
  const text = BIG.leavesCsv;
  const cuts = [text.length - 1, text.length - 30, HEADER.length + 1 + 16 * (ROWS[0].length + 1)];
  for (const cut of cuts) {
    await sameReports({ ...BIG_PUB, leaves: enc.encode(text.slice(0, cut)) }, { batchSizes: [4, 16], chunks: [0, 9] });
  }
  await sameReports(withRows(ROWS, "z".repeat(1000)), { batchSizes: [16, 128], chunks: [0, 100] });
  await sameReports(withRows(ROWS.map((r, i) => (i === 31 ? r + "\r" : r))), { batchSizes: [16] });
  await sameReports(withRows([...ROWS.slice(0, 32), "y".repeat(5000), ...ROWS.slice(32)]), {
    batchSizes: [16, 32],
    chunks: [0, 100, 257],
  });
});

Deno.test("boundary: header problems, an empty file, a header-only file", async () => {
  for (
    const leaves of [
      "",
      HEADER,
      HEADER + "\n",
      "\ufeff" + BIG.leavesCsv,
      BIG.leavesCsv.replaceAll("\n", "\r\n"),
      "wrong,header\n" + ROWS.join("\n") + "\n",
      "h".repeat(600) + "\n" + ROWS.join("\n") + "\n",
    ]
  ) {
    await sameReports({ ...BIG_PUB, leaves: enc.encode(leaves) }, { batchSizes: [1, 16], chunks: [0, 11, 300] });
  }
});

Deno.test("boundary: a tree sum reaching 2^128 inside a batch and across batches", async () => {
  const key = (i: number): string => i.toString(16).padStart(64, "0");
  const half = 1n << 126n;
  // Four leaves of 2^126: [0,1] and [2,3] are 2^127 each, their parent 2^128.
  const four = withRows([0, 1, 2, 3].map((i) => row(key(i + 1), half, 0n)));
  for (const batchSizes of [[1], [2], [4], [8]]) {
    const report = await sameReports(four, { batchSizes });
    const overflow = report.errors.filter((f) => /reaches 2\^128/.test(f.message));
    assert.deepEqual(overflow.map((f) => f.leaf), [3], JSON.stringify(errorsOf(report)));
  }
  // The overflow after a malformed line is not reported, as in the serial pass.
  const afterBad = withRows(["bad", ...[0, 1, 2, 3].map((i) => row(key(i + 1), half, 0n))]);
  await sameReports(afterBad, { batchSizes: [1, 2, 4] });
  // Three leaves: the overflow is only in the root's fold.
  const three = withRows([row(key(1), half, 0n), row(key(2), half, 0n), row(key(3), 2n * half, 0n)]);
  const r3 = await sameReports(three, { batchSizes: [1, 2, 4] });
  assert.ok(r3.errors.some((f) => f.code === "TOTAL_MISMATCH"));
});

Deno.test("boundary: maxErrors keeps the same first findings and counts the same total", async () => {
  const rows = ROWS.map((r) => {
    const [k, b, h] = fields(r);
    return row(k, b, h + 1n);
  });
  for (const maxErrors of [0, 1, 3, 17]) {
    const report = await sameReports(withRows(rows), { batchSizes: [2, 16], maxErrors, chunks: [0] });
    assert.equal(report.errors.length, Math.min(maxErrors, report.errorCount));
    assert.ok(report.errorCount > 50);
  }
});

// ---------------------------------------------------------------------------
// The mergeable pieces

Deno.test("RootBuilder.subtrees() rebuilt with pushSubtree gives the same root", () => {
  const hasher = { children: (l: string, r: string): string => `(${l}${r})` };
  for (let n = 1; n <= 40; n++) {
    const leaves = Array.from({ length: n }, (_, i) => `${i},`);
    for (const batch of [1, 2, 4, 8]) {
      const whole = new RootBuilder(hasher);
      for (let i = 0; i < n; i += batch) {
        const part = new RootBuilder(hasher);
        for (const x of leaves.slice(i, i + batch)) part.push(x);
        for (const { node, size } of part.subtrees()) whole.pushSubtree(node, size);
      }
      assert.equal(whole.root(), treeRoot(leaves, hasher), `n ${n}, batch ${batch}`);
      assert.equal(whole.count, n);
    }
  }
  const b = new RootBuilder(sumHasher);
  b.push(sumLeaf(new Uint8Array(32), 1n, 0n));
  assert.deepEqual(b.subtrees().map((s) => s.size), [1]);
});

Deno.test("SumNodeSlab under RootBuilder gives treeRoot's root, sums and overflows, with carries near 2^128", () => {
  let x = 424242;
  const random = (m: number): number => (x = (x * 48271) % 2147483647) % m;
  const amounts = [0n, 1n, 0xffffffffn, 1n << 32n, (1n << 64n) - 1n, 1n << 64n, (1n << 96n) - 1n, (1n << 120n) - 1n];
  for (let trial = 0; trial < 60; trial++) {
    const n = 1 + random(70);
    const leaves = Array.from({ length: n }, (_, i) => {
      const key = new Uint8Array(32).map(() => random(256));
      const base = amounts[random(amounts.length)] + BigInt(i);
      return { key, base, haircut: base / BigInt(1 + random(5)) };
    });
    const slab = new SumNodeSlab();
    const builder = new RootBuilder<number>(slab);
    for (const l of leaves) builder.push(slab.leaf(l.key, l.base, l.haircut));
    const top = new RootBuilder(sumHasher);
    for (const { node, size } of builder.subtrees()) top.pushSubtree(slab.node(node), size);
    assert.deepEqual(top.root(), treeRoot(leaves.map((l) => sumLeaf(l.key, l.base, l.haircut)), sumHasher));
  }
  // A carry through all four 32-bit words: (2^127 - 1) + 1 = 2^127, and (2^128 - 1) + 0 stays below 2^128.
  for (const [a, b] of [[(1n << 127n) - 1n, 1n], [(1n << 128n) - 1n, 0n], [(1n << 96n) - 1n, (1n << 96n) + 1n]]) {
    const slab = new SumNodeSlab();
    const builder = new RootBuilder<number>(slab);
    const k1 = new Uint8Array(32).fill(1);
    const k2 = new Uint8Array(32).fill(2);
    builder.push(slab.leaf(k1, a, b));
    builder.push(slab.leaf(k2, b, a));
    const [{ node }] = builder.subtrees();
    assert.deepEqual(slab.node(node), sumNode(sumLeaf(k1, a, b), sumLeaf(k2, b, a)));
  }
  // Two leaves of 2^127: the slab refuses their parent as sumNode does.
  const slab = new SumNodeSlab();
  const builder = new RootBuilder<number>(slab);
  builder.push(slab.leaf(new Uint8Array(32), 1n << 127n, 0n));
  assert.throws(() => builder.push(slab.leaf(new Uint8Array(32).fill(1), 1n << 127n, 0n)), RangeError);
  assert.throws(
    () => sumHasher.children(sumLeaf(new Uint8Array(32), 1n << 127n, 0n), sumLeaf(new Uint8Array(32), 1n << 127n, 0n)),
    RangeError,
  );
});

Deno.test("RoundingChecker.merge of split states equals one checker, for any split", () => {
  let x = 12345;
  const random = (m: number): number => (x = (x * 48271) % 2147483647) % m;
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + random(30);
    const bases = Array.from({ length: n }, () => BigInt(random(4) === 0 ? 0 : 1 + random(50)));
    const P = bases.reduce((a, b) => a + b, 0n);
    if (P === 0n) continue;
    const T = BigInt(random(Number(P) + 1));
    const rounding = random(2) === 0 ? "largest-remainder" as const : "floor" as const;
    const haircuts = allocate(bases, T, { rounding });
    // Tamper sometimes: move one unit, or add one.
    if (random(3) === 0) haircuts[random(n)] += 1n;
    if (random(3) === 0) {
      const i = random(n);
      if (haircuts[i] > 0n) haircuts[i] -= 1n;
    }
    const one = new RoundingChecker({ target: T, totalBase: P, rounding: rounding });
    const perLeaf = bases.map((b, i) => one.add(i, b, haircuts[i]));
    const expected = { findings: one.finish(), units: one.roundingUnits, perLeaf };
    const cuts = [0, ...Array.from({ length: random(4) }, () => random(n + 1)), n].sort((a, b) => a - b);
    const merged = new RoundingChecker({ target: T, totalBase: P, rounding: rounding });
    const mergedPerLeaf = [];
    for (let c = 0; c + 1 < cuts.length; c++) {
      const part = new RoundingChecker({ target: T, totalBase: P, rounding: rounding });
      for (let i = cuts[c]; i < cuts[c + 1]; i++) mergedPerLeaf.push(part.add(i, bases[i], haircuts[i]));
      merged.merge(part.state());
    }
    assert.deepEqual({ findings: merged.finish(), units: merged.roundingUnits, perLeaf: mergedPerLeaf }, expected);
  }
});

// ---------------------------------------------------------------------------
// The CLI: workers under --allow-read only

Deno.test("subprocess: verify --workers 2 with --allow-read only matches --workers 0", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_parallel_" });
  try {
    // Large enough for the default batch of 2^15 rows: the workers really start.
    const { publishToDirectory } = await import("../publish.ts");
    let text = "account,base\n";
    for (let i = 0; i < 40_000; i++) text += `acct${i},${(i * 7919) % 100_000}\n`;
    await publishToDirectory({ accounts: enc.encode(text), event: EVENT, out: dir }, [SIGNER], {
      proofs: "none",
      saltSecret: new Uint8Array(32),
    });
    const run = async (workers: string, publication: string): Promise<{ code: number; json: unknown }> => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          "--allow-read",
          CLI,
          "verify",
          publication,
          "--keys",
          `${dir}/keys.json`,
          "--format",
          "json",
          "--workers",
          workers,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(dec.decode(out.stderr), "");
      return { code: out.code, json: JSON.parse(dec.decode(out.stdout)) };
    };
    const serial = await run("0", dir);
    const parallel = await run("2", dir);
    assert.equal(serial.code, 0);
    assert.deepEqual(parallel, serial);
    // A tampered copy: a haircut edited in the second batch.
    const bad = `${dir}/bad`;
    await Deno.mkdir(bad);
    for (const f of ["statement.dsse.json", "keys.json"]) await Deno.copyFile(`${dir}/${f}`, `${bad}/${f}`);
    const lines = (await Deno.readTextFile(`${dir}/leaves.csv`)).split("\n");
    const [k, b, h] = lines[1 + 32_770].split(",");
    lines[1 + 32_770] = `${k},${b},${BigInt(h) + 1n}`;
    await Deno.writeTextFile(`${bad}/leaves.csv`, lines.join("\n"));
    const serialBad = await run("0", bad);
    const parallelBad = await run("2", bad);
    assert.equal(serialBad.code, 1);
    assert.deepEqual(parallelBad, serialBad);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// The batcher: batches are copies, bounded by rows, whatever the lines' length

/** `text` with each line cut to BATCH_LINE_BYTES bytes, as a batch carries it. */
function cutLines(text: string): string {
  return text.split("\n").map((line) => line.slice(0, BATCH_LINE_BYTES)).join("\n");
}

Deno.test("LeafBatcher: batches of exactly batchSize lines, numbered, over any chunking", () => {
  const lines = Array.from({ length: 11 }, (_, i) => (i % 3 === 0 ? "x".repeat(300 + i) : `row ${i}`) + "\n");
  const text = lines.join("") + "tail without LF";
  for (const size of [1, 2, 4, 16]) {
    for (const chunk of [1, 7, 64, 1 << 20]) {
      const batcher = new LeafBatcher(size, { startLine: 5 });
      const batches: LeafBatch[] = [];
      const bytes = enc.encode(text);
      for (let i = 0; i < bytes.length; i += chunk) batches.push(...batcher.push(bytes.slice(i, i + chunk), 0));
      const last = batcher.end();
      if (last) batches.push(last);
      assert.equal(batches.map((b) => dec.decode(b.bytes)).join(""), cutLines(text), `size ${size}, chunk ${chunk}`);
      assert.deepEqual(
        batches.map((b) => b.startLine),
        Array.from({ length: Math.ceil(12 / size) }, (_, i) => 5 + i * size),
      );
      for (const b of batches.slice(0, -1)) assert.equal(dec.decode(b.bytes).split("\n").length - 1, size);
    }
  }
  const offset = new LeafBatcher(2);
  assert.deepEqual(offset.push(enc.encode("header\na\nb\n"), 7).map((b) => dec.decode(b.bytes)), ["a\nb\n"]);
  assert.equal(offset.end(), undefined);
});

Deno.test("LeafBatcher: a batch never holds a view of a read buffer: its bytes are copies", () => {
  const chunks: Uint8Array[] = [];
  const batcher = new LeafBatcher(4);
  const batches: LeafBatch[] = [];
  for (let i = 0; i < 5; i++) {
    const chunk = enc.encode(`line ${i}\n${"y".repeat(1000)}\n`);
    chunks.push(chunk);
    batches.push(...batcher.push(chunk, 0));
  }
  batches.push(batcher.end()!);
  const before = batches.map((b) => dec.decode(b.bytes));
  for (const chunk of chunks) chunk.fill(0x7a); // the reader reuses or frees its buffers
  assert.deepEqual(batches.map((b) => dec.decode(b.bytes)), before);
  for (const b of batches) for (const c of chunks) assert.notEqual(b.bytes.buffer, c.buffer);
});

Deno.test("LeafBatcher: 200 lines of 1 MiB hold 200 cut lines, never more than the batch bound", () => {
  const batchSize = 1 << 15;
  const bound = batchSize * (BATCH_LINE_BYTES + 1);
  const allocated: number[] = [];
  const batcher = new LeafBatcher(batchSize, {
    allocate: (length) => {
      allocated.push(length);
      return new ArrayBuffer(length);
    },
  });
  const line = new Uint8Array(1 << 20).fill(0x61);
  line[line.length - 1] = 0x0a;
  let peak = 0;
  for (let i = 0; i < 200; i++) {
    // A fresh 1 MiB read buffer per line, as fileChunks gives them.
    assert.deepEqual(batcher.push(line.slice(), 0), []);
    peak = Math.max(peak, batcher.heldBytes);
  }
  const batch = batcher.end()!;
  assert.equal(batch.bytes.length, 200 * (BATCH_LINE_BYTES + 1));
  assert.ok(peak <= 2 * 200 * (BATCH_LINE_BYTES + 1), `held ${peak} bytes for 200 cut lines`);
  assert.ok(allocated.every((n) => n <= bound), `allocations ${allocated}`);
  assert.equal(batcher.heldBytes, 0);
  // A full batch of over-long lines stays within the bound too.
  const small = new LeafBatcher(4);
  const full = small.push(new Uint8Array(4 << 20).map((_, i) => (i % (1 << 20) === (1 << 20) - 1 ? 0x0a : 0x62)), 0);
  assert.equal(full.length, 1);
  assert.equal(full[0].bytes.length, 4 * (BATCH_LINE_BYTES + 1));
  assert.ok(full[0].bytes.buffer.byteLength <= 4 * (BATCH_LINE_BYTES + 1));
});

Deno.test("checkLeavesParallel: workers at least 1 and a power-of-two batch size up to 2^30, checked before any work", async () => {
  const context = () => ({
    params: { target: 0n, totalBase: 0n, rounding: "floor" as const, maxFindings: 10 },
    findings: new FindingCollector(10),
  });
  const source: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      throw new Error("the source must not be read");
    },
  };
  for (const batchSize of [0, -2, 3, 6, 1.5, Number.NaN, 2 ** 31]) {
    await assert.rejects(
      () => checkLeavesParallel(source, context(), { workers: 2, batchSize }),
      (e: Error) => e instanceof RangeError && e.message === `batchSize must be a power of two, got ${batchSize}`,
      String(batchSize),
    );
  }
  for (const workers of [0, -1, 1.5]) {
    await assert.rejects(
      () => checkLeavesParallel(source, context(), { workers, batchSize: 2 }),
      (e: Error) => e instanceof RangeError && e.message === `workers must be at least 1, got ${workers}`,
      String(workers),
    );
  }
});
