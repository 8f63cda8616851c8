/**
 * The tamper corpus, fixtures/tampered/: every case runs through the CLI and
 * must exit 1 with its expected error code; the corpus covers every error
 * code; and the generator reproduces it byte for byte.
 */

import assert from "node:assert/strict";
import { runCli } from "../src/cli/main.ts";
import { ERROR_CODES } from "../src/core/errors.ts";
import { listFiles } from "../scripts/fixture_common.ts";
import { CORPUS, makeTampered, type TamperCase } from "../scripts/make_tampered.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DIR = `${ROOT}${CORPUS}`;

/** The valid base publications: format v1.0, and v1.1 (a rate policy with a deficit tree). */
const BASES = ["base", "base-v1.1"];

const CASES: [string, TamperCase][] = [...Deno.readDirSync(DIR)]
  .filter((e) => e.isDirectory && !BASES.includes(e.name))
  .map((e) => e.name)
  .sort()
  .map((name) => [name, JSON.parse(Deno.readTextFileSync(`${DIR}/${name}/case.json`)) as TamperCase]);

/** The command with its repository-relative paths made absolute, so the test runs from any directory. */
function absolute(args: readonly string[]): string[] {
  return args.map((a) => (a.startsWith("fixtures/") ? `${ROOT}${a}` : a));
}

for (const base of BASES) {
  Deno.test(`tampered: the ${base} publication and its proofs are valid`, async () => {
    const v = await runCli(absolute(["verify", `${CORPUS}/${base}`, "--keys", `${CORPUS}/${base}/keys.json`]));
    assert.equal(v.code, 0, v.stdout + v.stderr);
    for (const name of Deno.readDirSync(`${DIR}/${base}/proofs`)) {
      const p = await runCli(absolute([
        "proof",
        `${CORPUS}/${base}/proofs/${name.name}`,
        "--statement",
        `${CORPUS}/${base}/statement.dsse.json`,
        "--keys",
        `${CORPUS}/${base}/keys.json`,
      ]));
      assert.equal(p.code, 0, p.stdout + p.stderr);
    }
  });
}

Deno.test("tampered: the corpus covers every error code and the listed attacks", () => {
  const covered = new Set(CASES.map(([, c]) => c.expect));
  assert.deepEqual(ERROR_CODES.filter((code) => !covered.has(code)), [], "codes without a case");
  for (
    const name of [
      "rounding-unit-moved",
      "over-collection-by-one",
      "proof-sibling-sum-edited",
      "internal-node-as-leaf",
      "leaf-as-internal-node",
      "duplicated-account",
      "insurance-not-used-first",
      "untrusted-key",
      "non-canonical-whitespace",
      "duplicate-key",
      "ecdsa-high-s",
      "leaves-truncated",
      "previous-points-elsewhere",
      // Format v1.1 (issue 12).
      "rate-over-collection-by-one",
      "rate-leaf-rounded-up",
      "rate-above-cap",
      "deficit-tree-total-not-deficit",
      "bankrupt-leaf-moved",
      "deficit-proof-loss-edited",
    ]
  ) {
    assert.ok(CASES.some(([n]) => n === name), `missing case ${name}`);
  }
  for (const [name, c] of CASES) {
    assert.ok(c.description.length > 0 && !c.description.includes("\n"), `${name}: one-line description`);
    assert.ok((ERROR_CODES as readonly string[]).includes(c.expect), `${name}: ${c.expect} is a known code`);
  }
});

for (const [name, c] of CASES) {
  Deno.test(`tampered: ${name} fails with ${c.expect}`, async () => {
    const r = await runCli(absolute(c.command));
    assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { ok: boolean; errors: { code: string }[] };
    assert.equal(report.ok, false);
    const codes = report.errors.map((e) => e.code);
    assert.ok(codes.includes(c.expect), `expected ${c.expect}, got ${codes.join(", ")}`);
  });
}

Deno.test("tampered: the generator reproduces the corpus byte for byte", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "haircut-tampered-" });
  try {
    await makeTampered(tmp);
    const fresh = await listFiles(`${tmp}/${CORPUS}`);
    assert.deepEqual(fresh, await listFiles(DIR), "the same files");
    for (const file of fresh) {
      assert.deepEqual(
        Deno.readFileSync(`${tmp}/${CORPUS}/${file}`),
        Deno.readFileSync(`${DIR}/${file}`),
        file,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
