import assert from "node:assert/strict";
import { RoundingChecker } from "../src/rules/allocation.ts";
import { FindingCollector } from "../src/verify/_findings.ts";
import { checkLeafBatch, RowChecks } from "../src/verify/_leaf_pass.ts";

function key(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0").repeat(32);
}

Deno.test("RowChecks: sums, strict order, haircut above base reported once, allocation mismatch", () => {
  const findings = new FindingCollector(10);
  const rounding = new RoundingChecker({ target: 3n, totalBase: 10n, rounding: "floor" });
  const checks = new RowChecks([rounding], findings);
  checks.check({ index: 0, line: 2, key: key(2), base: 5n, haircut: 1n });
  checks.check({ index: 1, line: 3, key: key(2), base: 3n, haircut: 0n });
  checks.check({ index: 2, line: 4, key: key(1), base: 2n, haircut: 9n });
  assert.equal(checks.tally.leaves, 3);
  assert.equal(checks.tally.charged, 2);
  assert.equal(checks.tally.totalBase, 10n);
  assert.equal(checks.tally.collected, 10n);
  assert.deepEqual(checks.lastKey, key(1));
  assert.deepEqual(findings.kept.map((f) => [f.code, f.leaf]), [
    ["LEAF_ORDER", 1],
    ["LEAF_ORDER", 2],
    ["HAIRCUT_EXCEEDS_BASE", 2],
  ]);
  assert.match(findings.kept[0].message, /line 3: account key repeats the previous one \(duplicate account\)/);
  assert.match(findings.kept[2].message, /line 4: haircut 9 exceeds base 2/);
  // floor: 3 * 5 / 10 = 1 for row 0 is right; row 1 (3 * 3 / 10 = 0) too. Nothing else is reported.
});

Deno.test("RowChecks: the caller may reuse the key buffer; the previous key is kept as a copy", () => {
  const findings = new FindingCollector(10);
  const checks = new RowChecks([], findings);
  const buffer = key(5);
  checks.check({ index: 0, line: 2, key: buffer, base: 1n, haircut: 0n });
  buffer.fill(4); // lower than the previous row: must be reported
  checks.check({ index: 1, line: 3, key: buffer, base: 1n, haircut: 0n });
  assert.deepEqual(findings.kept.map((f) => f.code), ["LEAF_ORDER"]);
  assert.equal(checks.lastKey?.[0], 4);
});

Deno.test("checkLeafBatch: first row, last key, subtrees, findings with global lines and indices", () => {
  const rows = [hex(1), hex(2), hex(3)].map((k, i) => `${k},${i + 1},0\n`).join("");
  const r = checkLeafBatch(new TextEncoder().encode(rows), 10, {
    target: 0n,
    totalBase: 6n,
    rounding: "largest-remainder",
    maxFindings: 10,
  });
  assert.equal(r.tally.leaves, 3);
  assert.equal(r.tally.totalBase, 6n);
  assert.equal(r.first?.line, 10);
  assert.equal(r.first?.index, 8);
  assert.deepEqual(r.lastKey, key(3));
  assert.equal(r.findingCount, 0);
  assert.deepEqual(r.subtrees?.map((t) => t.size), [2, 1]);
  assert.equal(r.lastLine, 12);

  const bad = checkLeafBatch(new TextEncoder().encode(`${hex(2)},1,0\n${hex(1)},1,5\n`), 10, {
    target: 0n,
    totalBase: 2n,
    rounding: "floor",
    maxFindings: 10,
  });
  assert.deepEqual(bad.findings.map((f) => [f.code, f.leaf]), [["LEAF_ORDER", 9], ["HAIRCUT_EXCEEDS_BASE", 9]]);
  assert.match(bad.findings[0].message, /^line 11: account key is below the previous one/);
});
