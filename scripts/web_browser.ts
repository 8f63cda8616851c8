/**
 * What the browser tests and the browser benchmark share: Debian's
 * Chromium driven by playwright-core, the built page opened from `file://`
 * with every request recorded, and synthetic publications made with the
 * library's own streaming publisher (`bench/_synthetic.ts`).
 *
 * @module
 */

/// <reference lib="dom" />

import type { Browser, Page } from "npm:playwright-core@1.65.1";

export { ensurePublication } from "../bench/_synthetic.ts";

/** The repository root, as a directory path ending in `/`. */
export const ROOT: string = new URL("../", import.meta.url).pathname;
/** The built page. */
export const PAGE_FILE: string = `${ROOT}web/haircut.html`;
/** Where screenshots go (git-ignored). */
export const SCREENSHOTS: string = `${ROOT}.tmp/screenshots`;

/** The Chromium binary: `$CHROMIUM`, else Debian's `/usr/bin/chromium`, if it exists. */
export function chromiumPath(): string | undefined {
  const path = Deno.env.get("CHROMIUM") || "/usr/bin/chromium";
  try {
    return Deno.statSync(path).isFile ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The page open in a browser, with every request it made. */
export interface OpenPage {
  /** The browser. */
  browser: Browser;
  /** The page. */
  page: Page;
  /** The page's URL. */
  url: string;
  /** Every request the page or its workers made, by URL, the page itself included. */
  requests: string[];
  /** Milliseconds from the start of navigation to the page's "interactive" mark, as the page measured it. */
  interactiveMs: number;
  /** Milliseconds from asking the browser to open the page to the page saying it is ready, as this process saw it. */
  loadMs: number;
  /** The requests that were not the page itself (a `file://` load of the page, or the page's own `blob:` worker). */
  foreignRequests(): string[];
  /** Saves a full-page screenshot as `.tmp/screenshots/<name>.png`. */
  screenshot(name: string): Promise<void>;
  /** Closes the browser. */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with no network (every host resolves to
 * nothing and the context is offline), and opens the page from `file://`.
 */
export async function openPage(executablePath: string): Promise<OpenPage> {
  // Loaded here, not at the top: playwright reads /proc/sys as it loads, which Deno allows only with -A.
  const { chromium } = await import("npm:playwright-core@1.65.1");
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-proxy-server"],
  });
  try {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const requests: string[] = [];
    context.on("request", (r) => void requests.push(r.url()));
    page.on("worker", (w) => void requests.push(`worker:${w.url()}`));
    const url = new URL(`file://${PAGE_FILE}`).href;
    const started = performance.now();
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
    const loadMs = performance.now() - started;
    const interactiveMs = await page.evaluate(() => performance.getEntriesByName("haircut-interactive")[0].startTime);
    return {
      browser,
      page,
      url,
      requests,
      interactiveMs,
      loadMs,
      foreignRequests: () =>
        requests.filter((r) => r !== url && !r.startsWith("worker:blob:") && !r.startsWith("blob:")),
      screenshot: async (name) => {
        await Deno.mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
      },
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Chooses `path` in the file input labelled `label`. */
export async function choose(page: Page, label: string, path: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).setInputFiles(path);
}

/** The text of the element with `id`. */
export async function textOf(page: Page, id: string): Promise<string> {
  return (await page.locator(`#${id}`).innerText()).replace(/\s+/g, " ").trim();
}

/** A publication's three files, as auditor mode takes them. */
export interface PublicationFiles {
  /** `statement.dsse.json`. */
  statement: string;
  /** The keys file. */
  keys: string;
  /** `leaves.csv`. */
  leaves: string;
}

/** Chooses the files, runs auditor mode and waits for its verdict; returns the verdict, leaves/s and seconds. */
export async function runAuditor(
  page: Page,
  files: PublicationFiles,
  options: { timeoutMs?: number } = {},
): Promise<{ verdict: string; leavesPerSecond: number; seconds: number }> {
  await choose(page, "Statement file", files.statement);
  await choose(page, "Keys file", files.keys);
  await choose(page, "Leaves file", files.leaves);
  await page.getByRole("button", { name: "Verify the whole publication" }).click();
  await page.waitForSelector("#audit-status[data-verdict]", { timeout: options.timeoutMs ?? 120_000 });
  const verdict = await page.locator("#audit-status").getAttribute("data-verdict") ?? "";
  const rate = page.locator("#audit-rate");
  return {
    verdict,
    leavesPerSecond: Number(await rate.getAttribute("data-leaves-per-second")),
    seconds: Number(await rate.getAttribute("data-seconds")),
  };
}
