/** The mutation runner's operator search: which operators it mutates, and which text it leaves alone. */

import assert from "node:assert/strict";
import { applyMutant, codeMask, mutantsOf, sampleMutants } from "../scripts/mutate.ts";

const mutations = (source: string) => mutantsOf(source).map((m) => `${m.original}->${m.replacement}`);

Deno.test("mutantsOf: flips comparisons and boolean operators, and + 1n", () => {
  assert.deepEqual(
    mutations("if (a < b && c >= d || e === f) x = y + 1n;\nif (g !== h && i > j && k <= l) z = 1;\n"),
    ["<->>", "&&->||", ">=-><=", "||->&&", "===->!==", "+ 1n->+ 0n", "!==->===", "&&->||", ">-><", "&&->||", "<=->>="],
  );
});

Deno.test("mutantsOf: leaves type arguments, arrows, shifts, strings, comments and regular expressions alone", () => {
  const source = [
    "const m = new Map<string, Array<bigint>>();",
    "const f = (a: number) => a >> 1;",
    'const s = "a < b && c" + `x > y ${"a || b"}`;',
    "// a < b",
    "/* c > d || e */",
    "const r = /a < b|c > d/g;",
    "return x.replace(/ || /, '');",
  ].join("\n");
  assert.deepEqual(mutations(source), []);
});

Deno.test("mutantsOf: code inside a template substitution is mutated", () => {
  assert.deepEqual(mutations("const t = `${a < b ? 1 : 2} < ${c}`;"), ["<->>"]);
});

Deno.test("mutantsOf: line numbers, and applyMutant changes exactly the operator", () => {
  const source = "const a = 1;\nif (a < 2) f();\n";
  const [m] = mutantsOf(source);
  assert.equal(m.line, 2);
  assert.equal(applyMutant(source, m), "const a = 1;\nif (a > 2) f();\n");
});

Deno.test("codeMask: keeps the length and the newlines", () => {
  const source = 'a /* x\ny */ "s" // c\nb';
  const mask = codeMask(source);
  assert.equal(mask.length, source.length);
  assert.equal(mask, `a     \n${" ".repeat(13)}\nb`);
});

Deno.test("sampleMutants: evenly spaced, deterministic, all of them when n is large enough", () => {
  const source = Array.from({ length: 10 }, (_, i) => `if (a${i} < b) f();`).join("\n");
  const all = mutantsOf(source);
  assert.equal(all.length, 10);
  assert.deepEqual(sampleMutants(all, 4).map((m) => m.line), [1, 3, 6, 8]);
  assert.deepEqual(sampleMutants(all, 4), sampleMutants(all, 4));
  assert.deepEqual(sampleMutants(all, 1).map((m) => m.line), [1]);
  assert.deepEqual(sampleMutants(all, 10), all);
  assert.deepEqual(sampleMutants(all, 50), all);
  for (const n of [0, -1, 1.5, Number.NaN]) assert.throws(() => sampleMutants(all, n), RangeError, String(n));
});
