/**
 * The offline page in headless Chromium (Debian's `chromium`, driven by
 * playwright-core): opened from `file://` with no network, it must give the
 * same verdicts as the CLI, run auditor mode in its Worker, work from the
 * keyboard, pass axe-core with no violation, and make no request at all
 * except loading itself. Screenshots go to `.tmp/screenshots/` (git-ignored);
 * every assertion is on the page's text.
 *
 * Run by `tests/web_browser_test.ts` as its own `deno test -A`: playwright
 * reads `/proc/sys` when it loads, which Deno grants only with all
 * permissions, and the suite's own permissions stay as they are.
 */

/// <reference lib="dom" />

import assert from "node:assert/strict";
import axe from "npm:axe-core@4.14.1";
import type { Page } from "npm:playwright-core@1.65.1";
import { parseKeysFile, verifyProof } from "../mod.ts";
import { explainProof } from "../src/report/explain.ts";
import { explanationWords } from "../src/report/_words.ts";
import {
  choose,
  chromiumPath,
  ensurePublication,
  type OpenPage,
  openPage,
  ROOT,
  runAuditor,
  textOf,
} from "../scripts/web_browser.ts";

const EXAMPLE = `${ROOT}fixtures/example`;
/** The example's proof of the account that pays 870.15 USDT (it got one rounding unit). */
const EXAMPLE_PROOF = `${EXAMPLE}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`;
const TAMPERED = `${ROOT}fixtures/tampered`;
const executable = chromiumPath();

/** Chooses the trader's three files and waits for the verdict; returns the verdict box's text. */
async function checkProof(page: Page, files: { proof: string; statement: string; keys: string }): Promise<string> {
  await choose(page, "Proof file", files.proof);
  await choose(page, "Statement file", files.statement);
  await choose(page, "Keys file", files.keys);
  await page.waitForSelector("#verdict[data-verdict]");
  return await textOf(page, "verdict");
}

/**
 * The verdict box's text for these files: the CLI's own headline for them
 * (`explanationWords`, with the files' names), its verdict word set apart.
 */
function cliVerdict(files: { proof: string; statement: string; keys: string }): string {
  const report = verifyProof(
    { proof: Deno.readTextFileSync(files.proof), envelope: Deno.readTextFileSync(files.statement) },
    parseKeysFile(Deno.readTextFileSync(files.keys)),
  );
  const name = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
  const { headline } = explanationWords(explainProof(report), {
    files: { proof: name(files.proof), statement: name(files.statement), keys: name(files.keys) },
  });
  return headline.replace(/^(NOT VALID|VALID): /, "$1 ");
}

/** Runs axe-core on the page as it is now and returns the violations' ids with their targets. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern: the page itself loads nothing.
  await page.evaluate((source: string) => (0, eval)(source), (axe as unknown as { source: string }).source);
  return await page.evaluate(async () => {
    const runner = (globalThis as unknown as {
      axe: {
        run(
          context: Document,
          options: object,
        ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
      };
    }).axe;
    const result = await runner.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** Lists the proof-* cases of the tamper corpus with the code each must report. */
function tamperedProofCases(): { name: string; expect: string; proof: string; statement: string; keys: string }[] {
  const cases = [];
  for (const entry of Deno.readDirSync(TAMPERED)) {
    if (!entry.isDirectory || !entry.name.startsWith("proof-")) continue;
    const c = JSON.parse(Deno.readTextFileSync(`${TAMPERED}/${entry.name}/case.json`)) as {
      command: string[];
      expect: string;
    };
    const arg = (flag: string): string => `${ROOT}${c.command[c.command.indexOf(flag) + 1]}`;
    cases.push({
      name: entry.name,
      expect: c.expect,
      proof: `${ROOT}${c.command[1]}`,
      statement: arg("--statement"),
      keys: arg("--keys"),
    });
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

Deno.test({
  name: "web page: trader, auditor, keyboard, axe and no network, in headless Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    if (!executable) throw new Error("no Chromium: tests/web_browser_test.ts runs these checks only when it is there");
    const opened: OpenPage = await openPage(executable);
    const { page } = opened;
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => void pageErrors.push(e.message));
    try {
      console.log(`page load to interactive: ${opened.interactiveMs.toFixed(0)} ms`);

      await t.step("before any file: labelled inputs, a status box, no violation", async () => {
        for (const label of ["Proof file", "Statement file", "Keys file", "Leaves file"]) {
          assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
        }
        assert.equal(await page.locator("#verdict[role=status]").count(), 1);
        assert.equal(await page.locator("#audit-status[role=status]").count(), 1);
        assert.match(await textOf(page, "verdict"), /Choose your proof, the statement and the keys file/);
        assert.deepEqual(await axeViolations(page), []);
        await opened.screenshot("01-empty");
      });

      await t.step("the example proof: VALID, with the charge and the rate", async () => {
        const files = {
          proof: EXAMPLE_PROOF,
          statement: `${EXAMPLE}/statement.dsse.json`,
          keys: `${EXAMPLE}/keys.json`,
        };
        const verdict = await checkProof(page, files);
        assert.equal(verdict, cliVerdict(files));
        assert.match(verdict, /^VALID .*"alice".* 870\.15 USDT /);
        const text = await textOf(page, "explanation");
        assert.match(text, /Charged 870\.15 USDT you paid 11\.6% of your profit at the snapshot/);
        assert.match(text, /Rate 11\.60195…% target ÷ total base/);
        assert.match(text, /Allowed charges 870\.14 or 870\.15 USDT/);
        assert.match(text, /Rounding rounding added 0\.01 USDT/);
        assert.match(text, /Deficit 25,000\.00 USDT/);
        assert.match(text, /check that your base, 7,500\.00 USDT, is your profit on 2026-11-03 at 08:00 UTC/);
        assert.ok(await page.locator("#explanation svg[role=img]").count() >= 2, "two pictures");
        assert.match(
          await page.locator("#explanation svg title").first().textContent() ?? "",
          /you keep .* and the haircut takes 870\.15 USDT/,
        );
        assert.deepEqual(await axeViolations(page), []);
        await opened.screenshot("02-valid");
      });

      await t.step("an overcharged proof: NOT VALID, overcharged by 0.50 USDT", async () => {
        const dir = `${TAMPERED}/proof-overcharged`;
        const files = {
          proof: `${dir}/proof.json`,
          statement: `${dir}/statement.dsse.json`,
          keys: `${TAMPERED}/base/keys.json`,
        };
        const verdict = await checkProof(page, files);
        assert.equal(verdict, cliVerdict(files));
        assert.match(verdict, /^NOT VALID overcharged by 0\.50 USDT: the rule allows at most 123\.46 USDT/);
        assert.match(
          await textOf(page, "explanation"),
          /Keep these three files unchanged: proof\.json, statement\.dsse\.json and keys\.json\. Note the statement digest: [0-9a-f]{64}\./,
        );
        assert.deepEqual(await axeViolations(page), []);
        await opened.screenshot("03-overcharged");
      });

      await t.step("every tampered proof: NOT VALID, with the code the CLI reports", async () => {
        const cases = tamperedProofCases();
        assert.ok(cases.length >= 8, `${cases.length} proof cases`);
        for (const c of cases) {
          const verdict = await checkProof(page, c);
          assert.match(verdict, /^NOT VALID /, c.name);
          assert.equal(verdict, cliVerdict(c), c.name);
          assert.match(await textOf(page, "explanation"), new RegExp(`\\b${c.expect}\\b`), c.name);
        }
      });

      await t.step("the wrong keys file: NOT VALID, and which keys to check", async () => {
        const files = {
          proof: EXAMPLE_PROOF,
          statement: `${EXAMPLE}/statement.dsse.json`,
          keys: `${TAMPERED}/base/keys.json`,
        };
        const verdict = await checkProof(page, files);
        assert.equal(verdict, cliVerdict(files));
        assert.match(verdict, /^NOT VALID none of the keys in keys\.json signed this statement: .*"Example Exchange"/);
        await opened.screenshot("04-wrong-keys");
      });

      await t.step("proof and statement swapped: NOT CHECKED, and the hint says so", async () => {
        const verdict = await checkProof(page, {
          proof: `${EXAMPLE}/statement.dsse.json`,
          statement: EXAMPLE_PROOF,
          keys: `${EXAMPLE}/keys.json`,
        });
        assert.equal(
          verdict,
          "NOT CHECKED ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json looks like a proof, " +
            "not a statement: did you swap the Statement file and the Proof file?",
        );
        assert.equal(await textOf(page, "explanation"), "", "no explanation of a check that did not run");
        await opened.screenshot("05-swapped");
      });

      await t.step("an empty, a cut-off and a BOM-prefixed proof: hints, then VALID", async () => {
        const dir = await Deno.makeTempDir({ prefix: "haircut-web-files-" });
        try {
          const proof = await Deno.readTextFile(EXAMPLE_PROOF);
          const files = { statement: `${EXAMPLE}/statement.dsse.json`, keys: `${EXAMPLE}/keys.json` };
          await Deno.writeTextFile(`${dir}/empty.json`, "");
          await Deno.writeTextFile(`${dir}/cut.json`, proof.slice(0, 300));
          await Deno.writeTextFile(`${dir}/bom.json`, `\ufeff${proof}`);
          assert.equal(
            await checkProof(page, { ...files, proof: `${dir}/empty.json` }),
            "NOT CHECKED empty.json: the proof file is empty",
          );
          assert.equal(
            await checkProof(page, { ...files, proof: `${dir}/cut.json` }),
            "NOT CHECKED cut.json: the proof file is not complete JSON (cut off at byte 300?)",
          );
          assert.match(await checkProof(page, { ...files, proof: `${dir}/bom.json` }), /^VALID account "alice"/);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });

      await t.step("a keys file that is not one: NOT CHECKED, with the keys file's problem", async () => {
        const verdict = await checkProof(page, {
          proof: EXAMPLE_PROOF,
          statement: `${EXAMPLE}/statement.dsse.json`,
          keys: EXAMPLE_PROOF,
        });
        assert.equal(
          verdict,
          "NOT CHECKED ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json looks like a proof, " +
            "not a keys file: did you swap the Keys file and the Proof file?",
        );
      });

      await t.step("a log proof and its policy: both or neither; the quorum checked witness by witness", async () => {
        const dir = `${TAMPERED}/log-quorum-not-met`;
        const verdictMatches = (pattern: RegExp) =>
          page.waitForFunction(
            (source) => new RegExp(source).test(document.getElementById("verdict")?.textContent ?? ""),
            pattern.source,
          );
        await choose(page, "Proof file", `${dir}/proof.json`);
        await choose(page, "Statement file", `${dir}/statement.dsse.json`);
        await choose(page, "Keys file", `${TAMPERED}/base/keys.json`);
        await choose(page, "Log proof file (optional)", `${dir}/statement.tlog-proof`);
        await verdictMatches(/go together: choose both, or neither/);
        await choose(page, "Log policy file (optional)", `${dir}/log-policy.json`);
        await verdictMatches(/WITNESS_QUORUM/);
        assert.equal(
          await textOf(page, "verdict"),
          "NOT VALID only 1 of the 2 witnesses your log policy pins cosigned the log's checkpoint, fewer than its " +
            "quorum of 2 (WITNESS_QUORUM).",
        );
        const policy = JSON.parse(Deno.readTextFileSync(`${dir}/log-policy.json`));
        const quorum1 = await Deno.makeTempFile({ prefix: "haircut-log-policy-", suffix: ".json" });
        try {
          Deno.writeTextFileSync(quorum1, JSON.stringify({ ...policy, quorum: 1 }));
          await choose(page, "Log policy file (optional)", quorum1);
          await verdictMatches(/^VALID/);
          const explanation = await textOf(page, "explanation");
          assert.match(explanation, /Transparency log/);
          assert.match(explanation, /tampered\.example\/haircut-log/);
          assert.match(explanation, /w1\.tampered\.example/);
          assert.deepEqual(await axeViolations(page), []);
          await opened.screenshot("08-log-proof");
          // Cleared before the file goes: the page reads every chosen file again on each change.
          for (const label of ["Log proof file (optional)", "Log policy file (optional)"]) {
            await page.getByLabel(label, { exact: true }).setInputFiles([]);
          }
          await verdictMatches(/^VALID/);
        } finally {
          Deno.removeSync(quorum1);
        }
      });

      await t.step("keyboard only: Tab reaches every control in order, Enter checks the proof", async () => {
        await checkProof(page, {
          proof: EXAMPLE_PROOF,
          statement: `${EXAMPLE}/statement.dsse.json`,
          keys: `${EXAMPLE}/keys.json`,
        });
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        const order: string[] = [];
        for (let i = 0; i < 10; i++) {
          await page.keyboard.press("Tab");
          order.push(await page.evaluate(() => document.activeElement?.id ?? ""));
        }
        assert.deepEqual(order.slice(0, 8), [
          "proof-file",
          "statement-file",
          "keys-file",
          "log-proof-file",
          "log-policy-file",
          "check-proof",
          "leaves-file",
          "audit-start",
        ]);
        await page.locator("#check-proof").focus();
        await page.evaluate(() => document.getElementById("verdict")!.replaceChildren());
        await page.keyboard.press("Enter");
        await page.waitForSelector("#verdict[data-verdict=valid]");
        assert.match(await textOf(page, "verdict"), /^VALID /);
        const focusVisible = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
        assert.equal(focusVisible, "solid", "the focused control shows its focus ring");
      });

      await t.step("auditor mode on the example: VALID, every check passed", async () => {
        const run = await runAuditor(page, {
          statement: `${EXAMPLE}/statement.dsse.json`,
          keys: `${EXAMPLE}/keys.json`,
          leaves: `${EXAMPLE}/leaves.csv`,
        });
        assert.equal(run.verdict, "valid");
        assert.equal(await textOf(page, "audit-status"), "VALID All 8 leaves match the signed statement.");
        const statuses = await page.locator("#audit-report tr[data-status]").evaluateAll((rows) =>
          rows.map((r) => (r as HTMLElement).dataset.status)
        );
        assert.equal(statuses.length, 12);
        assert.ok(statuses.every((s) => s === "pass"), statuses.join(","));
        assert.match(await textOf(page, "audit-report"), /Sum of haircuts 13,000\.00 USDT/);
        assert.deepEqual(await axeViolations(page), []);
        await opened.screenshot("06-auditor-example");
      });

      await t.step("auditor mode on swapped rows: NOT VALID, LEAF_ORDER", async () => {
        const dir = `${TAMPERED}/leaves-rows-swapped`;
        const run = await runAuditor(page, {
          statement: `${dir}/statement.dsse.json`,
          keys: `${TAMPERED}/base/keys.json`,
          leaves: `${dir}/leaves.csv`,
        });
        assert.equal(run.verdict, "invalid");
        assert.match(await textOf(page, "audit-status"), /^NOT VALID LEAF_ORDER: /);
      });

      const big = await Deno.makeTempDir({ prefix: "haircut-web-" });
      try {
        const dir = `${big}/pub`;
        await ensurePublication(100_000, dir);
        await t.step("the 100,000-leaf proof checks too", async () => {
          const verdict = await checkProof(page, {
            proof: `${dir}/proof.json`,
            statement: `${dir}/statement.dsse.json`,
            keys: `${dir}/keys.json`,
          });
          assert.match(verdict, /^VALID /);
          assert.match(await textOf(page, "explanation"), /of the 100000 accounts in the tree/);
        });

        await t.step("auditor mode on 100,000 leaves: VALID, leaves per second recorded", async () => {
          const run = await runAuditor(page, {
            statement: `${dir}/statement.dsse.json`,
            keys: `${dir}/keys.json`,
            leaves: `${dir}/leaves.csv`,
          });
          assert.equal(run.verdict, "valid");
          assert.equal(await textOf(page, "audit-status"), "VALID All 100,000 leaves match the signed statement.");
          assert.ok(run.leavesPerSecond > 0);
          console.log(
            `auditor mode, 100,000 leaves: ${run.seconds.toFixed(2)} s, ${run.leavesPerSecond.toFixed(0)} leaves/s`,
          );
          await opened.screenshot("07-auditor-100k");
        });

        await t.step("cancel stops auditor mode and says so", async () => {
          await page.getByRole("button", { name: "Verify the whole publication" }).click();
          await page.waitForSelector("#audit-cancel:not([disabled])");
          await page.getByRole("button", { name: "Cancel" }).click();
          await page.waitForSelector("#audit-status[data-verdict]");
          assert.equal(
            await textOf(page, "audit-status"),
            "NOT CHECKED Cancelled: the publication was not fully checked.",
          );
          assert.equal(await page.locator("#audit-cancel").isDisabled(), true);
          assert.equal(await page.locator("#audit-start").isDisabled(), false);
        });
      } finally {
        await Deno.remove(big, { recursive: true });
      }

      await t.step("the axe check does catch a problem: an input without its label", async () => {
        await page.evaluate(() => document.querySelector("label[for=proof-file]")!.remove());
        const violations = await axeViolations(page);
        assert.ok(violations.some((v) => v.startsWith("label: #proof-file")), violations.join("; "));
      });

      await t.step("no request but the page itself, and no script error", () => {
        assert.deepEqual(opened.foreignRequests(), []);
        assert.ok(opened.requests.includes(opened.url), opened.requests.join(", "));
        assert.deepEqual(pageErrors, []);
      });
    } finally {
      await opened.close();
    }
  },
});
