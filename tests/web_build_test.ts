/**
 * The committed page is exactly what `deno task build:web` builds, the
 * README gives its SHA-256, and its Content-Security-Policy allows nothing
 * but its own inline script and style (by hash) and the blob: Worker: no
 * network, no external font, image or script.
 */

import assert from "node:assert/strict";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { bytesToBase64, bytesToHex } from "../src/core/encoding.ts";
import { contentSecurityPolicy } from "../scripts/build_web.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const PAGE = `${ROOT}web/haircut.html`;

/** The one element `<tag ...>...</tag>` of the page: its opening tag and its text. */
function only(html: string, tag: string): { open: string; text: string } {
  const all = [...html.matchAll(new RegExp(`(<${tag}\\b[^>]*>)([\\s\\S]*?)</${tag}>`, "g"))];
  assert.equal(all.length, 1, `one <${tag}>`);
  return { open: all[0][1], text: all[0][2] };
}

function cspHash(text: string): string {
  return `'sha256-${bytesToBase64(sha256(new TextEncoder().encode(text)))}'`;
}

Deno.test("web: the committed page is rebuilt byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut-web-build-" });
  try {
    const out = `${dir}/haircut.html`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-run",
        "scripts/build_web.ts",
      ]
        .concat(["--out", out]),
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).output();
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    const built = await Deno.readFile(out);
    const committed = await Deno.readFile(PAGE);
    assert.equal(bytesToHex(sha256(built)), bytesToHex(sha256(committed)), "run `deno task build:web` and commit");
    assert.deepEqual(built, committed);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("web: README gives the page's SHA-256 and how to check it", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const digest = bytesToHex(sha256(await Deno.readFile(PAGE)));
  const section = readme.slice(readme.indexOf("## For traders without a terminal"));
  assert.ok(section.length < readme.length, "README has the section");
  assert.match(section, new RegExp(`\\b${digest} {2}web/haircut\\.html\\b`));
  assert.match(section, /sha256sum web\/haircut\.html/);
});

Deno.test("web: the CSP allows only the inline script and style, by hash, and the blob: Worker", async () => {
  const html = await Deno.readTextFile(PAGE);
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1);
  const policy = metas[0][1];
  const script = only(html, "script");
  const style = only(html, "style");
  assert.equal(script.open, `<script type="module">`);
  assert.equal(style.open, "<style>");
  assert.equal(policy, contentSecurityPolicy({ script: cspHash(script.text), style: cspHash(style.text) }));
  assert.match(policy, /^default-src 'none'; /);
  // The hashes are of this exact text: changing one byte must leave the script or the style unallowed.
  assert.notEqual(cspHash(script.text + " "), cspHash(script.text));
  assert.equal(policy.split(";").filter((d) => d.includes("'unsafe")).length, 0);
  assert.deepEqual(policy.split("; ").map((d) => d.split(" ")[0]), [
    "default-src",
    "script-src",
    "style-src",
    "worker-src",
    "base-uri",
    "form-action",
  ]);
});

Deno.test("web: the page names no external resource", async () => {
  const html = await Deno.readTextFile(PAGE);
  const script = only(html, "script").text;
  const markup = html.replace(script, "");
  assert.doesNotMatch(markup, /<(link|img|iframe|object|embed|audio|video|source|base)\b/i);
  assert.doesNotMatch(markup, /\s(src|href|srcset|action)=/i);
  const style = only(html, "style").text;
  assert.doesNotMatch(style, /url\(|@import|@font-face/i);
  // The script loads nothing either: no fetch, no XMLHttpRequest, no dynamic import, no WebSocket.
  assert.doesNotMatch(script, /\bfetch\(|XMLHttpRequest|\bimport\(|WebSocket|EventSource|sendBeacon/);
  // Nor does it turn text into code or markup: no eval, no Function constructor, no HTML parsing of strings.
  assert.doesNotMatch(script, /\beval\(|new Function|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
});
