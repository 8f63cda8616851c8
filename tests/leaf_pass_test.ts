import assert from "node:assert/strict";
import { RoundingChecker } from "../src/rules/allocation.ts";
import { FindingCollector } from "../src/verify/_findings.ts";
import type { Finding } from "../src/core/errors.ts";
import {
  addTally,
  checkLeafBatch,
  checkLeavesSerial,
  emptyTally,
  LeafPass,
  type LeafRule,
  leafRules,
  RowChecks,
} from "../src/verify/_leaf_pass.ts";

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

/** A second allocation rule, as a policy would add one: each haircut must be a tenth of its base. */
class TenthRule implements LeafRule<{ seen: number }> {
  seen = 0;
  add(index: number, base: bigint, haircut: bigint): Finding | undefined {
    this.seen++;
    return haircut === base / 10n ? undefined : { code: "HAIRCUT_MISMATCH", message: `tenth ${index}`, leaf: index };
  }
  state(): { seen: number } {
    return { seen: this.seen };
  }
  merge(next: { seen: number }): void {
    this.seen += next.seen;
  }
  finish(): Finding[] {
    return [{ code: "HAIRCUT_MISMATCH", message: `tenth rule saw ${this.seen}` }];
  }
}

Deno.test("RowChecks: a second rule runs beside the rounding rule, in order; both are silent above the base", () => {
  const findings = new FindingCollector(10);
  const rounding = new RoundingChecker({ target: 3n, totalBase: 10n, rounding: "floor" });
  const tenth = new TenthRule();
  const checks = new RowChecks([rounding, tenth], findings);
  checks.check({ index: 0, line: 2, key: key(1), base: 5n, haircut: 2n }); // floor allows 1, a tenth is 0
  checks.check({ index: 1, line: 3, key: key(2), base: 3n, haircut: 0n }); // both allow 0
  checks.check({ index: 2, line: 4, key: key(3), base: 2n, haircut: 3n }); // above the base: that only
  assert.deepEqual(findings.kept.map((f) => [f.code, f.leaf, f.message.slice(0, 12)]), [
    ["HAIRCUT_MISMATCH", 0, "leaf 0: hair"],
    ["HAIRCUT_MISMATCH", 0, "tenth 0"],
    ["HAIRCUT_EXCEEDS_BASE", 2, "line 4: hair"],
  ]);
  assert.equal(tenth.seen, 3, "every rule sees every row");
  assert.deepEqual(checks.tally, { leaves: 3, charged: 2, totalBase: 10n, collected: 5n });
});

Deno.test("leafRules: the rounding rule with the signed inputs, none when P = 0 < T", () => {
  const [rule, ...rest] = leafRules({ target: 2n, totalBase: 3n, rounding: "largest-remainder", maxFindings: 1 });
  assert.ok(rule instanceof RoundingChecker);
  assert.equal(rest.length, 0);
  assert.equal(rule.add(0, 1n, 1n), undefined); // 2 * 1 / 3 = 0 remainder 2: 1 is allowed
  assert.equal(rule.add(1, 1n, 2n)?.code, "HAIRCUT_MISMATCH");
  assert.deepEqual(leafRules({ target: 2n, totalBase: 0n, rounding: undefined, maxFindings: 1 }), []);
});

Deno.test("tally: emptyTally is zero, addTally adds every field", () => {
  const t = emptyTally();
  assert.deepEqual(t, { leaves: 0, charged: 0, totalBase: 0n, collected: 0n });
  addTally(t, { leaves: 3, charged: 2, totalBase: 7n, collected: 4n });
  addTally(t, { leaves: 1, charged: 1, totalBase: 1n, collected: 1n });
  assert.deepEqual(t, { leaves: 4, charged: 3, totalBase: 8n, collected: 5n });
  assert.notEqual(emptyTally(), emptyTally(), "a fresh object each time");
});

const HALF = 1n << 127n;
const overflowRows = `${hex(1)},${HALF},0\n${hex(2)},${HALF},0\n${hex(3)},1,0\n`;

Deno.test("LeafPass: a sum overflow is reported at once, or deferred with its place, and stops the hashing", () => {
  const params = { target: 0n, totalBase: 0n, rounding: "floor" as const, maxFindings: 10 };
  const reported = new FindingCollector(10);
  const serial = new LeafPass(params, reported);
  serial.push(new TextEncoder().encode("account_key,base,haircut\n" + overflowRows));
  serial.end();
  assert.deepEqual(reported.kept.map((f) => [f.code, f.message, f.leaf]), [
    ["TOTAL_MISMATCH", "line 3: a tree sum reaches 2^128", 1],
  ]);
  assert.equal(serial.hashed, 1, "the leaf that overflowed and those after it are not hashed");
  assert.equal(serial.outcome().overflow, true);
  assert.equal(serial.outcome().tally.leaves, 3);

  const deferred = new FindingCollector(10);
  const batch = new LeafPass(params, deferred, { startLine: 2, deferOverflow: true });
  batch.push(new TextEncoder().encode("bad\n" + overflowRows));
  batch.end();
  assert.deepEqual(deferred.kept.map((f) => f.code), ["LEAF_INVALID"]);
  assert.equal(batch.overflow, undefined, "after a malformed line nothing is hashed, so nothing overflows");
  assert.equal(batch.first?.line, 3);
  assert.equal(batch.first?.at, 1);

  const clean = new LeafPass(params, new FindingCollector(10), { startLine: 2, deferOverflow: true });
  clean.push(new TextEncoder().encode(overflowRows));
  clean.end();
  assert.deepEqual(clean.overflow, {
    at: 0,
    finding: { code: "TOTAL_MISMATCH", message: "line 3: a tree sum reaches 2^128", leaf: 1 },
  });
});

Deno.test("checkLeavesSerial: any chunking gives the same outcome, findings and progress", async () => {
  const text = "account_key,base,haircut\n" + `${hex(2)},5,1\n${hex(1)},5,0\n${hex(3)},4,0\n`;
  const bytes = new TextEncoder().encode(text);
  const results: unknown[] = [];
  for (const size of [1, 3, 50, bytes.length]) {
    const findings = new FindingCollector(10);
    const progress: number[] = [];
    const chunks = async function* (): AsyncIterable<Uint8Array> {
      for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
    };
    const outcome = await checkLeavesSerial(chunks(), {
      params: { target: 1n, totalBase: 14n, rounding: "largest-remainder", maxFindings: 10 },
      findings,
      progress: (n) => progress.push(n),
    });
    assert.equal(progress.at(-1), bytes.length);
    assert.equal(progress.length, Math.ceil(bytes.length / size));
    for (const rule of outcome.rules) findings.addAll(rule.finish());
    results.push({
      tally: outcome.tally,
      root: outcome.tree.root(),
      findings: findings.kept,
      count: outcome.tree.count,
    });
  }
  for (const r of results) assert.deepEqual(r, results[0]);
  const first = results[0] as { tally: unknown; findings: Finding[]; count: number };
  assert.deepEqual(first.tally, { leaves: 3, charged: 1, totalBase: 14n, collected: 1n });
  assert.equal(first.count, 3);
  assert.deepEqual(first.findings.map((f) => [f.code, f.leaf]), [["LEAF_ORDER", 1]]);
});

Deno.test("checkLeafBatch: subtrees only when every row of the batch was hashed", () => {
  const params = { target: 0n, totalBase: 3n, rounding: "floor" as const, maxFindings: 10 };
  const good = checkLeafBatch(new TextEncoder().encode(`${hex(1)},1,0\n${hex(2)},2,0\n`), 2, params);
  assert.equal(good.formatOk, true);
  assert.deepEqual(good.subtrees?.map((t) => [t.size, t.node.base]), [[2, 3n]]);

  // One good row, then a malformed one: the batch's tree is incomplete, so it has none.
  const malformed = checkLeafBatch(new TextEncoder().encode(`${hex(1)},1,0\n${hex(2)},x,0\n`), 2, params);
  assert.equal(malformed.formatOk, false);
  assert.deepEqual(malformed.codes, ["LEAF_INVALID"]);
  assert.equal(malformed.tally.leaves, 1);
  assert.equal(Object.hasOwn(malformed, "subtrees"), false);

  const empty = checkLeafBatch(new Uint8Array(0), 2, params);
  assert.equal(empty.formatOk, true);
  assert.equal(Object.hasOwn(empty, "subtrees"), false);
});
