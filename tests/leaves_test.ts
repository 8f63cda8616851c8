import assert from "node:assert/strict";
import type { Finding } from "../src/core/errors.ts";
import {
  type LeafRow,
  LEAVES_HEADER,
  leavesCsvLine,
  LeavesParser,
  LineSplitter,
  MAX_LINE_BYTES,
} from "../src/format/leaves.ts";

const GOLDEN_LEAVES = new URL("../fixtures/golden/leaves.csv", import.meta.url);
const enc = new TextEncoder();

interface PlainRow {
  index: number;
  line: number;
  key: string;
  base: bigint;
  haircut: bigint;
}

interface Outcome {
  rows: PlainRow[];
  findings: Finding[];
  counted: number;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function plainRow(r: LeafRow): PlainRow {
  return { index: r.index, line: r.line, key: hex(r.key), base: r.base, haircut: r.haircut };
}

/** Feeds `bytes` in chunks of `chunk` bytes (the whole file when 0). */
function parse(bytes: Uint8Array, chunk = 0): Outcome {
  const rows: PlainRow[] = [];
  const findings: Finding[] = [];
  const parser = new LeavesParser({ row: (r) => rows.push(plainRow(r)), invalid: (f) => findings.push(f) });
  const step = chunk > 0 ? chunk : Math.max(bytes.length, 1);
  for (let i = 0; i < bytes.length; i += step) {
    // A fresh copy per chunk, then scribbled over, so that nothing may keep a view of it.
    const piece = bytes.slice(i, i + step);
    parser.push(piece);
    piece.fill(0x21);
  }
  parser.end();
  return { rows, findings, counted: parser.rows };
}

/** Parses with every chunk size from 1 to 40 and the whole file, checks they agree, and returns the outcome. */
function parseEveryWay(bytes: Uint8Array): Outcome {
  const whole = parse(bytes);
  for (let chunk = 1; chunk <= 40; chunk++) {
    assert.deepEqual(parse(bytes, chunk), whole, `chunk size ${chunk} differs from the whole file`);
  }
  for (const chunk of [MAX_LINE_BYTES - 1, MAX_LINE_BYTES, MAX_LINE_BYTES + 1, 1000]) {
    assert.deepEqual(parse(bytes, chunk), whole, `chunk size ${chunk} differs from the whole file`);
  }
  return whole;
}

const goldenText = Deno.readTextFileSync(GOLDEN_LEAVES);
const goldenLines = goldenText.split("\n").slice(0, -1); // header + 5 rows
const [HEADER, ...ROWS] = goldenLines;
const KEY = ROWS[0].split(",")[0];

function csv(lines: string[]): Uint8Array {
  return enc.encode(lines.join("\n") + "\n");
}

/** The golden file with row `index` (0-based) replaced. */
function withRow(index: number, line: string): Uint8Array {
  const rows = ROWS.slice();
  rows[index] = line;
  return csv([HEADER, ...rows]);
}

/** Asserts exactly one LEAF_INVALID finding, for `line`, with the leaf index for row lines. */
function expectOneFinding(outcome: Outcome, line: number, pattern?: RegExp): Finding {
  assert.equal(outcome.findings.length, 1, `findings: ${JSON.stringify(outcome.findings)}`);
  const [f] = outcome.findings;
  assert.equal(f.code, "LEAF_INVALID");
  assert.ok(f.message.startsWith(`line ${line}: `), `message ${JSON.stringify(f.message)} names line ${line}`);
  if (line === 1) assert.equal(f.leaf, undefined, "the header is not a leaf");
  else assert.equal(f.leaf, line - 2, "leaf index = line - 2");
  if (pattern) assert.match(f.message, pattern);
  assert.ok(!f.message.includes("\n"), "one-line message");
  return f;
}

Deno.test("the golden leaves.csv parses identically in chunks of every size from 1 to 40", () => {
  assert.equal(HEADER, LEAVES_HEADER);
  assert.equal(LEAVES_HEADER, "account_key,base,haircut");
  const expected: PlainRow[] = ROWS.map((line, i) => {
    const [key, base, haircut] = line.split(",");
    return { index: i, line: i + 2, key, base: BigInt(base), haircut: BigInt(haircut) };
  });
  const outcome = parseEveryWay(enc.encode(goldenText));
  assert.deepEqual(outcome.findings, []);
  assert.deepEqual(outcome.rows, expected);
  assert.equal(outcome.counted, 5);
  assert.equal(outcome.rows.reduce((s, r) => s + r.base, 0n), 1156790n);
  assert.equal(outcome.rows.reduce((s, r) => s + r.haircut, 0n), 80000n);
});

Deno.test("row keys are fresh copies, not views of the pushed chunk", () => {
  const bytes = enc.encode(goldenText);
  const rows: LeafRow[] = [];
  const parser = new LeavesParser({ row: (r) => rows.push(r), invalid: () => assert.fail("no finding expected") });
  parser.push(bytes);
  bytes.fill(0);
  parser.end();
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.map((r) => hex(r.key)), ROWS.map((l) => l.split(",")[0]));
});

Deno.test("a header-only file has no rows and no findings", () => {
  const outcome = parseEveryWay(enc.encode(LEAVES_HEADER + "\n"));
  assert.deepEqual(outcome, { rows: [], findings: [], counted: 0 });
});

Deno.test("largest amount 2^128 - 1 is accepted exactly; 2^128 is not", () => {
  const max = "340282366920938463463374607431768211455";
  const over = "340282366920938463463374607431768211456";
  const ok = parseEveryWay(withRow(1, `${ROWS[1].split(",")[0]},${max},${max}`));
  assert.deepEqual(ok.findings, []);
  assert.equal(ok.rows[1].base, (1n << 128n) - 1n);
  assert.equal(ok.rows[1].haircut, (1n << 128n) - 1n);
  expectOneFinding(parseEveryWay(withRow(1, `${KEY},${over},0`)), 3, /base/);
  expectOneFinding(parseEveryWay(withRow(1, `${KEY},0,${over}`)), 3, /haircut/);
  expectOneFinding(parseEveryWay(withRow(1, `${KEY},${"9".repeat(40)},0`)), 3, /base/);
  // 15- and 16-digit values cross an internal fast path: both must be exact.
  const r = parseEveryWay(withRow(0, `${KEY},999999999999999,9007199254740993`));
  assert.deepEqual(r.findings, []);
  assert.equal(r.rows[0].base, 999999999999999n);
  assert.equal(r.rows[0].haircut, 9007199254740993n);
});

Deno.test("a byte order mark is rejected on line 1", () => {
  const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...enc.encode(goldenText)]);
  const outcome = parseEveryWay(bytes);
  expectOneFinding(outcome, 1);
});

Deno.test("CRLF line endings are rejected with the right line numbers", () => {
  const all = parseEveryWay(enc.encode(goldenLines.join("\r\n") + "\r\n"));
  assert.equal(all.findings.length, 6);
  assert.deepEqual(all.findings.map((f) => f.code), new Array(6).fill("LEAF_INVALID"));
  assert.deepEqual(all.findings.map((f) => f.leaf), [undefined, 0, 1, 2, 3, 4]);
  all.findings.forEach((f, i) => assert.ok(f.message.startsWith(`line ${i + 1}: `), f.message));
  assert.deepEqual(all.rows, []);
  const one = parseEveryWay(withRow(1, ROWS[1] + "\r"));
  expectOneFinding(one, 3, /CR/);
  assert.equal(one.rows.length, 4);
  assert.deepEqual(one.rows.map((r) => r.line), [2, 4, 5, 6]);
});

Deno.test("empty lines are rejected", () => {
  const middle = parseEveryWay(csv([HEADER, ROWS[0], ROWS[1], "", ROWS[2], ROWS[3], ROWS[4]]));
  expectOneFinding(middle, 4, /empty line/);
  assert.equal(middle.rows.length, 5);
  assert.deepEqual(middle.rows.map((r) => r.line), [2, 3, 5, 6, 7]);
  assert.equal(middle.counted, 6);
  const atEnd = parseEveryWay(enc.encode(goldenText + "\n"));
  expectOneFinding(atEnd, 7, /empty line/);
  const afterHeader = parseEveryWay(csv([HEADER, "", ...ROWS]));
  expectOneFinding(afterHeader, 2, /empty line/);
});

Deno.test("spaces, extra or missing columns and uppercase hex are rejected", () => {
  const key = ROWS[2].split(",")[0];
  const cases: [string, string][] = [
    ["trailing space", ROWS[2] + " "],
    ["leading space", " " + ROWS[2]],
    ["space after a comma", ROWS[2].replace(",", ", ")],
    ["space before a comma", ROWS[2].replace(",", " ,")],
    ["tab", ROWS[2] + "\t"],
    ["extra column", ROWS[2] + ",0"],
    ["extra empty column", ROWS[2] + ","],
    ["missing column", `${key},750000`],
    ["only the key", key],
    ["empty base", `${key},,1`],
    ["empty haircut", `${key},1,`],
    ["uppercase hex", ROWS[2].toUpperCase()],
    ["one uppercase hex digit", "A" + ROWS[2].slice(1)],
    ["short key", ROWS[2].slice(2)],
    ["long key", "00" + ROWS[2]],
    ["0x key", "0x" + ROWS[2].slice(2)],
    ["quoted field", `"${key}",750000,51868`],
    ["non-hex key character", "g" + ROWS[2].slice(1)],
    ["NUL byte", ROWS[2] + "\u0000"],
    ["non-ASCII digit", `${key},\u0661,0`],
  ];
  for (const [label, line] of cases) {
    const outcome = parseEveryWay(withRow(2, line));
    expectOneFinding(outcome, 4);
    assert.equal(outcome.rows.length, 4, label);
    assert.equal(outcome.counted, 5, label);
  }
});

Deno.test("non-canonical amounts are rejected", () => {
  for (
    const [base, haircut] of [
      ["01", "0"],
      ["0", "01"],
      ["00", "0"],
      ["+1", "0"],
      ["-1", "0"],
      ["1.0", "0"],
      [
        "1e3",
        "0",
      ],
      ["0", "-0"],
      ["1_000", "0"],
      ["0x10", "0"],
    ]
  ) {
    const outcome = parseEveryWay(withRow(4, `${KEY},${base},${haircut}`));
    expectOneFinding(outcome, 6, base === "0" ? /haircut/ : /base/);
  }
});

Deno.test("a line over MAX_LINE_BYTES is rejected with its line number and leaf index", () => {
  assert.equal(MAX_LINE_BYTES, 256);
  for (const length of [MAX_LINE_BYTES + 1, MAX_LINE_BYTES + 2, 3 * MAX_LINE_BYTES, 10_000]) {
    const long = `${KEY},${"1".repeat(length - KEY.length - 3)},0`;
    assert.equal(enc.encode(long).length, length);
    const outcome = parseEveryWay(withRow(1, long));
    const f = expectOneFinding(outcome, 3, new RegExp(`longer than ${MAX_LINE_BYTES} bytes`));
    assert.equal(f.leaf, 1);
    // The following lines keep their own numbers.
    assert.deepEqual(outcome.rows.map((r) => r.line), [2, 4, 5, 6]);
    assert.deepEqual(outcome.rows.map((r) => r.index), [0, 2, 3, 4]);
    assert.equal(outcome.counted, 5);
  }
  // Exactly MAX_LINE_BYTES is not "too long" (it fails for another reason here).
  const limit = `${KEY},${"1".repeat(MAX_LINE_BYTES - KEY.length - 3)},0`;
  assert.equal(limit.length, MAX_LINE_BYTES);
  const atLimit = parseEveryWay(withRow(1, limit));
  const f = expectOneFinding(atLimit, 3);
  assert.doesNotMatch(f.message, /longer than/);
  // An over-long header.
  const longHeader = parseEveryWay(csv([HEADER + ",x".repeat(200), ...ROWS]));
  expectOneFinding(longHeader, 1, /longer than/);
  // Two over-long lines in a row are reported separately.
  const two = parseEveryWay(csv([HEADER, "x".repeat(300), "y".repeat(300), ...ROWS]));
  assert.deepEqual(two.findings.map((x) => [x.leaf, x.message.split(":")[0]]), [[0, "line 2"], [1, "line 3"]]);
  assert.equal(two.rows.length, 5);
});

Deno.test("a missing final newline (truncated file) is rejected on the last line", () => {
  const truncated = parseEveryWay(enc.encode(goldenText.slice(0, -1)));
  expectOneFinding(truncated, 6, /newline/);
  assert.equal(truncated.rows.length, 4, "the unterminated row is not delivered");
  const mid = parseEveryWay(enc.encode(goldenText.slice(0, -30)));
  expectOneFinding(mid, 6, /truncated/);
  const headerOnly = parseEveryWay(enc.encode(LEAVES_HEADER));
  expectOneFinding(headerOnly, 1, /newline/);
  const longTail = parseEveryWay(enc.encode(goldenText + "z".repeat(1000)));
  expectOneFinding(longTail, 7, /newline/);
});

Deno.test("an empty file is rejected", () => {
  const outcome = parseEveryWay(new Uint8Array(0));
  expectOneFinding(outcome, 1, /empty/);
  assert.equal(outcome.counted, 0);
});

Deno.test("a wrong header is rejected on line 1 and the rows are still read", () => {
  for (
    const header of [
      "account,base,haircut",
      "ACCOUNT_KEY,BASE,HAIRCUT",
      "account_key,base,haircut ",
      " account_key,base,haircut",
      "account_key,haircut,base",
      "account_key,base",
      "account_key,base,haircut,extra",
      "",
      ROWS[0],
    ]
  ) {
    const outcome = parseEveryWay(csv([header, ...ROWS]));
    expectOneFinding(outcome, 1, /header/);
    assert.equal(outcome.rows.length, 5, JSON.stringify(header));
  }
});

Deno.test("leavesCsvLine writes one LF-terminated row that parses back", () => {
  const line = leavesCsvLine({ key: KEY, base: 750000n, haircut: 51868n });
  assert.equal(line, `${KEY},750000,51868\n`);
  const outcome = parseEveryWay(enc.encode(LEAVES_HEADER + "\n" + line));
  assert.deepEqual(outcome.findings, []);
  assert.deepEqual(outcome.rows, [{ index: 0, line: 2, key: KEY, base: 750000n, haircut: 51868n }]);
});

Deno.test("LineSplitter: any chunking gives the same lines; an overlong line is dropped and flagged", () => {
  const text = new TextEncoder().encode("ab\n\nabcdefgh\nabcdefghi\nxy\nz");
  function split(size: number): { lines: string[]; rest: string; restOverlong: boolean } {
    const lines: string[] = [];
    const s = new LineSplitter(8, (bytes, start, end, overlong) => {
      lines.push(overlong ? "<overlong>" : new TextDecoder().decode(bytes.subarray(start, end)));
    });
    for (let i = 0; i < text.length; i += size) s.push(text.subarray(i, i + size));
    return { lines, rest: new TextDecoder().decode(s.rest.bytes), restOverlong: s.rest.overlong };
  }
  // A 9-byte line is never held whole; a line handed over in one chunk arrives as is, and the consumer checks its length.
  const whole = split(text.length);
  assert.deepEqual(whole.lines, ["ab", "", "abcdefgh", "abcdefghi", "xy"]);
  for (let size = 1; size < text.length; size++) {
    const r = split(size);
    assert.equal(r.rest, "z", `chunk size ${size}`);
    assert.equal(r.restOverlong, false);
    assert.deepEqual(r.lines.map((l) => l === "<overlong>" || l.length > 8 ? "long" : l), [
      "ab",
      "",
      "abcdefgh",
      "long",
      "xy",
    ], `chunk size ${size}`);
  }
  const tail = new LineSplitter(4, () => {});
  tail.push(new TextEncoder().encode("0123456789"));
  assert.deepEqual(tail.rest, { bytes: new Uint8Array(0), overlong: true });
});

Deno.test("LeavesParser: startLine must be a positive safe integer", () => {
  const handlers = { row: () => assert.fail("no row expected"), invalid: () => assert.fail("no finding expected") };
  for (const startLine of [0, -1, 1.5, Number.NaN, 2 ** 53]) {
    assert.throws(
      () => new LeavesParser(handlers, { startLine }),
      (e: Error) => e instanceof RangeError && e.message === `startLine must be a positive integer, got ${startLine}`,
      String(startLine),
    );
  }
  for (const startLine of [1, 2, 2 ** 53 - 1]) assert.equal(new LeavesParser(handlers, { startLine }).rows, 0);
});
