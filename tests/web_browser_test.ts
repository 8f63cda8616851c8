/**
 * Runs the page's browser checks (`tests/_web_page_checks.ts`) in headless
 * Chromium, as a child `deno test` with all permissions: playwright reads
 * `/proc/sys` as it loads, which Deno grants only to `-A`, and the rest of
 * the suite keeps its narrower permissions. The child's report is shown
 * indented under this test.
 *
 * Skips with a message when Chromium is missing, except under CI (`CI` set),
 * where `.ci/run` installs it and a missing browser is a failure.
 */

import assert from "node:assert/strict";
import { chromiumPath } from "../scripts/web_browser.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const executable = chromiumPath();

if (!executable) {
  const message = "web_browser_test: no Chromium (set CHROMIUM, or apt-get install chromium): browser tests skipped";
  if (Deno.env.get("CI")) throw new Error(`${message}; CI must install it (.ci/run does)`);
  console.warn(message);
}

Deno.test({
  name: "web page in headless Chromium: trader, tampered, wrong keys, swapped, auditor 100,000, keyboard, axe, offline",
  ignore: !executable,
  async fn() {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-prompt", "--allow-all", "tests/_web_page_checks.ts"],
      cwd: ROOT,
      env: { NO_COLOR: "1", CHROMIUM: executable! },
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
    // Indented, so that the child's summary line is not read as one of the suite's own.
    console.log(text.trimEnd().split("\n").map((line) => `  │ ${line}`).join("\n"));
    assert.equal(r.code, 0, "the browser checks failed (their report is above)");
    assert.match(text, /^ok \| 1 passed \(\d+ steps\) \| 0 failed/m);
  },
});
