/**
 * `deno task build:web [-- --out PATH]`
 *
 * Builds `web/haircut.html` and writes its SHA-256 into README.md (with
 * `--out`, only the page, at PATH): one self-contained page from the same
 * modules as the CLI, bundled by esbuild (pinned below). The auditor's Worker is
 * bundled first and handed to the page as a string (it starts from a
 * `blob:` URL); the page's script and style are inlined, and a
 * Content-Security-Policy meta tag allows exactly those two by their SHA-256
 * and nothing else (`default-src 'none'`), so the page works from `file://`
 * and can reach no network.
 *
 * The build is reproducible: the same sources and the same lockfile give the
 * same bytes on any machine (no absolute paths, no dates), which
 * `tests/web_build_test.ts` checks by rebuilding and comparing.
 *
 * npm packages are read from Deno's own npm cache, at the exact versions the
 * lockfile resolved (from `deno info --json`), under a virtual namespace so
 * that no machine's cache path reaches the output.
 *
 * @module
 */

import * as esbuild from "npm:esbuild@0.28.2";
import { bytesToBase64, bytesToHex } from "../src/core/encoding.ts";

/** The repository root. */
const ROOT = new URL("../", import.meta.url);
/** The page's main-thread entry point. */
const PAGE_ENTRY = "web/page.ts";
/** The auditor Worker's entry point. */
const WORKER_ENTRY = "web/auditor_worker.ts";
/** Where `deno task build:web` writes the page. */
export const PAGE_PATH = "web/haircut.html";

/** One npm package as `deno info --json` lists it. */
interface NpmPackage {
  name: string;
  version: string;
  dependencies: string[];
  localPath: string;
}

/** The npm packages an entry point reaches, by `name@version`, as Deno resolved them (and cached them). */
async function npmPackages(entries: readonly string[]): Promise<Map<string, NpmPackage>> {
  const out = new Map<string, NpmPackage>();
  for (const entry of entries) {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: ROOT.pathname,
      env: { NO_COLOR: "1" },
      stderr: "inherit",
    }).output();
    if (r.code !== 0) throw new Error(`deno info ${entry} exited ${r.code}`);
    const info = JSON.parse(new TextDecoder().decode(r.stdout)) as { npmPackages?: Record<string, NpmPackage> };
    for (const [id, pkg] of Object.entries(info.npmPackages ?? {})) out.set(id, pkg);
  }
  return out;
}

/** Splits `@scope/name@1.2.3/sub/path.js` (or `name@1.2.3`) into the package id and the subpath. */
function splitNpmSpecifier(spec: string): { id: string; subpath: string } {
  const m = /^((?:@[^/@]+\/)?[^/@]+@[^/]+)(?:\/(.*))?$/.exec(spec);
  if (!m) throw new Error(`not a pinned npm specifier: npm:${spec}`);
  return { id: m[1], subpath: m[2] ?? "" };
}

/** Splits a bare import `@scope/name/sub.js` into the package name and the subpath. */
function splitBare(spec: string): { name: string; subpath: string } {
  const m = /^((?:@[^/]+\/)?[^/]+)(?:\/(.*))?$/.exec(spec);
  if (!m) throw new Error(`cannot resolve ${spec}`);
  return { name: m[1], subpath: m[2] ?? "" };
}

/** The file a package's `exports` map gives for `subpath` (string targets only: all these packages use). */
function exportTarget(pkg: NpmPackage, subpath: string): string {
  const manifest = JSON.parse(Deno.readTextFileSync(`${pkg.localPath}/package.json`)) as { exports?: unknown };
  const key = subpath === "" ? "." : `./${subpath}`;
  const exports = manifest.exports;
  const target = typeof exports === "object" && exports !== null
    ? (exports as Record<string, unknown>)[key]
    : undefined;
  if (typeof target !== "string" || !target.startsWith("./")) {
    throw new Error(`${pkg.name}@${pkg.version} does not export ${key} as a plain file`);
  }
  return target.slice(2);
}

/**
 * The esbuild plugin that resolves `npm:name@version/sub` specifiers (and
 * the bare imports inside those packages) to files in Deno's npm cache,
 * under the namespace `npm` with paths `name@version/file`.
 */
function npmPlugin(packages: Map<string, NpmPackage>): esbuild.Plugin {
  const virtual = (id: string, file: string): esbuild.OnResolveResult => ({ namespace: "npm", path: `${id}/${file}` });
  return {
    name: "deno-npm",
    setup(build) {
      build.onResolve({ filter: /^npm:/ }, (args) => {
        const { id, subpath } = splitNpmSpecifier(args.path.slice(4));
        const pkg = packages.get(id);
        if (!pkg) throw new Error(`${args.path} is not in Deno's module graph`);
        return virtual(id, exportTarget(pkg, subpath));
      });
      build.onResolve({ filter: /.*/, namespace: "npm" }, (args) => {
        const { id, subpath: importerFile } = splitNpmSpecifier(args.importer);
        if (args.path.startsWith("./") || args.path.startsWith("../")) {
          const dir = importerFile.split("/").slice(0, -1).join("/");
          const file = new URL(args.path, `file:///${dir}${dir ? "/" : ""}`).pathname.slice(1);
          return virtual(id, file);
        }
        const { name, subpath } = splitBare(args.path);
        const dep = packages.get(id)?.dependencies.find((d) => d.startsWith(`${name}@`));
        const pkg = dep ? packages.get(dep) : undefined;
        if (!dep || !pkg) throw new Error(`${id} imports ${args.path}, which is not among its dependencies`);
        return virtual(dep, exportTarget(pkg, subpath));
      });
      build.onLoad({ filter: /.*/, namespace: "npm" }, async (args) => {
        const { id, subpath } = splitNpmSpecifier(args.path);
        const pkg = packages.get(id)!;
        return { contents: await Deno.readTextFile(`${pkg.localPath}/${subpath}`), loader: "js" };
      });
    },
  };
}

/** Bundles one entry point into one script's text: an ES module, or a classic script (`iife`) for the Worker. */
async function bundle(
  entry: string,
  plugin: esbuild.Plugin,
  options: { format: "esm" | "iife"; define?: Record<string, string> },
): Promise<string> {
  const result = await esbuild.build({
    absWorkingDir: ROOT.pathname,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: options.format,
    platform: "browser",
    target: "es2022",
    charset: "utf8",
    legalComments: "inline",
    logLevel: "warning",
    // verifyPublication's parallel pool locates its worker module by import.meta.url; the page runs the serial pass
    // (no `workers` option), so that code never runs in the page's classic Worker script.
    logOverride: options.format === "iife" ? { "empty-import-meta": "silent" } : {},
    define: options.define ?? {},
    plugins: [plugin],
  });
  const files = result.outputFiles ?? [];
  if (files.length !== 1) throw new Error(`esbuild gave ${files.length} files for ${entry}`);
  return files[0].text;
}

/** The CSP source expression of an inline element's exact text. */
async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${bytesToBase64(new Uint8Array(digest))}'`;
}

/** Replaces the one occurrence of `marker` in `template`, or throws. */
function fill(template: string, marker: string, value: string): string {
  const at = template.indexOf(marker);
  if (at === -1 || template.indexOf(marker, at + 1) !== -1) throw new Error(`the template must hold ${marker} once`);
  return template.slice(0, at) + value + template.slice(at + marker.length);
}

/** The Content-Security-Policy of the page: nothing but its own inline script, its style and the blob: Worker. */
export function contentSecurityPolicy(hashes: { script: string; style: string }): string {
  return [
    "default-src 'none'",
    `script-src ${hashes.script}`,
    `style-src ${hashes.style}`,
    "worker-src blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/**
 * Builds the page and returns its bytes.
 *
 * @example
 * ```ts ignore
 * import { buildWeb } from "./build_web.ts";
 * const html = await buildWeb();
 * ```
 */
export async function buildWeb(): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const packages = await npmPackages([PAGE_ENTRY, WORKER_ENTRY]);
    const plugin = npmPlugin(packages);
    // A classic script: a module Worker from a blob: URL cannot start in a file:// page (its origin is opaque).
    const worker = await bundle(WORKER_ENTRY, plugin, { format: "iife" });
    const define = { AUDITOR_WORKER_SOURCE: JSON.stringify(worker) };
    const script = await bundle(PAGE_ENTRY, plugin, { format: "esm", define });
    if (/<\/script|<!--/i.test(script)) throw new Error("the bundled script holds </script or <!--");
    const style = await Deno.readTextFile(new URL("web/page.css", ROOT));
    const template = await Deno.readTextFile(new URL("web/page.html", ROOT));
    const csp = contentSecurityPolicy({ script: await cspHash(script), style: await cspHash(style) });
    let html = fill(template, `content="{{CSP}}"`, `content="${csp}"`);
    html = fill(html, "<style></style>", `<style>${style}</style>`);
    html = fill(html, `<script type="module"></script>`, `<script type="module">${script}</script>`);
    return new TextEncoder().encode(html);
  } finally {
    await esbuild.stop();
  }
}

/** The README line that gives the page's SHA-256, as `sha256sum` prints it. */
const README_HASH_LINE = /^(\s*)[0-9a-f]{64} {2}web\/haircut\.html$/m;

if (import.meta.main) {
  const args = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const out = args[0] === "--out" && args[1] ? args[1] : undefined;
  const bytes = await buildWeb();
  await Deno.writeFile(out ?? new URL(PAGE_PATH, ROOT).pathname, bytes);
  const hex = bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
  console.log(`${out ?? PAGE_PATH}: ${bytes.length} bytes, SHA-256 ${hex}`);
  if (!out) {
    // The committed page and the README's hash of it change together.
    const readme = new URL("README.md", ROOT);
    const text = await Deno.readTextFile(readme);
    if (!README_HASH_LINE.test(text)) throw new Error("README.md has no line `<sha256>  web/haircut.html`");
    await Deno.writeTextFile(readme, text.replace(README_HASH_LINE, `$1${hex}  ${PAGE_PATH}`));
  }
}
