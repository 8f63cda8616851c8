/**
 * `deno task build:npm`: builds the npm package in `dist/npm/` from the same
 * sources as the Deno module.
 *
 * - `lib/`: an ESM bundle for Node 20+ made by esbuild: one file per entry
 *   point of `deno.json`'s `exports` (`index.js` for `mod.ts`, `publish.js`,
 *   `tree.js`), `cli.js` (the command line), `worker.js` (the parallel
 *   verifier's worker thread) and the chunks they share. The
 *   `npm:@noble/...@x.y.z/path` specifiers of the sources become
 *   `@noble/.../path` imports of real npm dependencies, which are not
 *   bundled: npm installs them with their own integrity and audit records.
 *   The platform layer is Node's (`src/platform/node.ts` in place of
 *   `deno.ts`), and the build fails if anything from Deno reaches the bundle.
 * - `types/`: the declarations of those entry points, emitted by `tsc` from a copy of
 *   the sources whose imports are rewritten the way the bundle's are.
 * - `bin/haircut.js`, `package.json`, `README.md` and `LICENSE`.
 *
 * @module
 */

import * as esbuild from "npm:esbuild@0.28.2";
import ts from "npm:typescript@5.9.3";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = `${ROOT}dist/npm`;
/** The staged copy of the sources that `tsc` reads. */
const STAGE = `${ROOT}dist/.stage`;
/** The module's entry points (`deno.json` `exports`): subpath, source file and bundle name. */
interface EntryPoint {
  subpath: string;
  source: string;
  name: string;
}

function entryPoints(): EntryPoint[] {
  const deno = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)) as { exports: Record<string, string> };
  return Object.entries(deno.exports).map(([subpath, file]) => {
    const source = file.replace(/^\.\//, "");
    if (!/^[a-z_]+\.ts$/.test(source)) throw new Error(`entry point ${file}: expected a .ts file at the root`);
    return { subpath, source, name: subpath === "." ? "index" : source.slice(0, -3) };
  });
}

/** The oldest Node the package supports. */
const NODE_TARGET = "node20";

/** `npm:<name>@<version>[/<path>]`, with `name` possibly scoped. */
const NPM_SPECIFIER = /^npm:((?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*)@([0-9][^/]*)(\/.*)?$/;

/** What Node 20 does not have, outside comments (esbuild keeps some comments). */
const DENO_ONLY = /\b(Deno|navigator)\.|\bPromise\.withResolvers\b/;

/** An npm package the sources import, by name and exact version. */
type Dependencies = Map<string, string>;

/**
 * The bare specifier an `npm:` specifier becomes, recording the package's
 * version in `dependencies`. Throws on a malformed specifier or on two
 * versions of one package.
 */
export function npmImport(specifier: string, dependencies: Dependencies): string {
  const m = NPM_SPECIFIER.exec(specifier);
  if (!m) throw new Error(`cannot map ${specifier} to an npm import: expected npm:<name>@<version>[/<path>]`);
  const [, name, version, path = ""] = m;
  const seen = dependencies.get(name);
  if (seen !== undefined && seen !== version) throw new Error(`${name} is imported at both ${seen} and ${version}`);
  dependencies.set(name, version);
  return name + path;
}

/** The esbuild plugin that maps `npm:` specifiers to external packages and picks Node's platform. */
function haircutPlugin(dependencies: Dependencies): esbuild.Plugin {
  return {
    name: "haircut-npm",
    setup(build) {
      build.onResolve({ filter: /^npm:/ }, (args) => ({ path: npmImport(args.path, dependencies), external: true }));
      build.onResolve({ filter: /^\.\/deno\.ts$/ }, (args) => {
        if (!args.importer.endsWith("/src/platform/runtime.ts")) return undefined;
        return { path: `${ROOT}src/platform/node.ts` };
      });
    },
  };
}

/** Bundles the library, the CLI and the worker into `dist/npm/lib/`; returns the npm dependencies. */
async function bundle(entries: EntryPoint[]): Promise<Dependencies> {
  const dependencies: Dependencies = new Map();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: {
      ...Object.fromEntries(entries.map((e) => [e.name, e.source])),
      cli: "src/cli/main.ts",
      worker: "src/verify/_worker.ts",
    },
    outdir: `${OUT}/lib`,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: NODE_TARGET,
    chunkNames: "chunk-[hash]",
    metafile: true,
    logLevel: "warning",
    plugins: [haircutPlugin(dependencies)],
  }).finally(() => esbuild.stop());
  const inputs = Object.keys(result.metafile.inputs);
  if (inputs.some((p) => p.endsWith("src/platform/deno.ts"))) {
    throw new Error("src/platform/deno.ts reached the bundle");
  }
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const lines = (await Deno.readTextFile(`${ROOT}${path}`)).split("\n");
    const at = lines.findIndex((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && DENO_ONLY.test(line));
    if (at !== -1) throw new Error(`${path}:${at + 1} uses what Node 20 lacks: ${lines[at].trim()}`);
    for (const i of output.imports) {
      if (i.external && !i.path.startsWith("node:") && !dependencies.has(packageName(i.path))) {
        throw new Error(`${path} imports ${i.path}, which is not a dependency`);
      }
    }
  }
  return dependencies;
}

/** The package an import path names: `@scope/name` or `name`. */
function packageName(path: string): string {
  const parts = path.split("/");
  return path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Every `.ts` file under `dir`, relative to it. */
async function* tsFiles(dir: string, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) yield* tsFiles(dir, path);
    else if (entry.isFile && path.endsWith(".ts")) yield path;
  }
}

/**
 * A source file as `tsc` sees it for Node: relative `.ts` imports become
 * `.js` (what the emitted declarations must name) and `npm:` specifiers
 * become bare package imports.
 */
export function stageSource(text: string, dependencies: Dependencies): string {
  // TypeScript's own scanner finds the specifiers of imports, exports and import() calls, not strings or comments.
  const { importedFiles } = ts.preProcessFile(text, true, true);
  let out = text;
  for (const { fileName, pos } of [...importedFiles].sort((a, b) => b.pos - a.pos)) {
    // `pos` is at the specifier's opening quote or at its first character, depending on the TypeScript version.
    const at = text.indexOf(fileName, pos);
    if (at < 0 || at > pos + 1) throw new Error(`cannot find the specifier ${fileName} at offset ${pos}`);
    let specifier = fileName;
    if (fileName.startsWith("npm:")) specifier = npmImport(fileName, dependencies);
    else if (/^\.\.?\//.test(fileName) && fileName.endsWith(".ts")) specifier = `${fileName.slice(0, -3)}.js`;
    out = out.slice(0, at) + specifier + out.slice(at + fileName.length);
  }
  return out;
}

/**
 * The staged platform choice: only its type. The declarations are the same
 * whichever platform is picked (no public type names it), and both
 * implementations are type-checked by `deno task check`.
 */
const STAGED_RUNTIME = `import type { Platform } from "./_types.js";
export declare const platform: Platform;
export type * from "./_types.js";
`;

/** Where Deno keeps each npm package the library imports, from `deno info --json mod.ts`. */
async function npmPackagePaths(): Promise<Map<string, string>> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", "mod.ts"], cwd: ROOT }).output();
  if (!out.success) throw new Error(`deno info failed: ${new TextDecoder().decode(out.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    npmPackages: Record<string, { name: string; localPath: string }>;
  };
  return new Map(Object.values(info.npmPackages).map((p) => [p.name, p.localPath]));
}

/** Emits the declarations of the entry points into `dist/npm/types/` with `tsc`. */
async function declarations(entries: EntryPoint[], dependencies: Dependencies): Promise<void> {
  await Deno.remove(STAGE, { recursive: true }).catch(() => {});
  const staged: Dependencies = new Map();
  const sources = [
    ...entries.map((e) => e.source),
    ...(await Array.fromAsync(tsFiles(`${ROOT}src`))).map((p) => `src/${p}`),
  ];
  for (const path of sources) {
    const text = path === "src/platform/runtime.ts" ? STAGED_RUNTIME : await Deno.readTextFile(`${ROOT}${path}`);
    const target = `${STAGE}/${path}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(target, stageSource(text, staged));
  }
  for (const [name, version] of staged) {
    if (dependencies.get(name) !== version) throw new Error(`declarations import ${name}@${version}; bundle has not`);
  }
  // Node's resolution finds the packages in node_modules/; links keep the paths there (preserveSymlinks).
  const local = await npmPackagePaths();
  for (const name of dependencies.keys()) {
    const path = local.get(name);
    if (!path) throw new Error(`deno info does not list ${name}`);
    const link = `${STAGE}/node_modules/${name}`;
    await Deno.mkdir(link.slice(0, link.lastIndexOf("/")), { recursive: true });
    await Deno.symlink(path, link);
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2024.d.ts", "lib.dom.d.ts"],
    types: [],
    strict: true,
    exactOptionalPropertyTypes: false,
    declaration: true,
    emitDeclarationOnly: true,
    preserveSymlinks: true,
    skipLibCheck: true,
    rootDir: STAGE,
    outDir: `${OUT}/types`,
    newLine: ts.NewLineKind.LineFeed,
  };
  await Deno.writeTextFile(`${STAGE}/package.json`, JSON.stringify({ type: "module" }));
  const program = ts.createProgram(entries.map((e) => `${STAGE}/${e.source}`), options);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0) {
    const host: ts.FormatDiagnosticsHost = {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => STAGE,
      getNewLine: () => "\n",
    };
    throw new Error(`tsc reported:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
  await Deno.remove(STAGE, { recursive: true });
}

/** The package.json of the npm package. */
function packageJson(entries: EntryPoint[], dependencies: Dependencies): Record<string, unknown> {
  const deno = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)) as { name: string; version: string };
  return {
    name: deno.name,
    version: deno.version,
    description: "Verify socialized-loss haircuts on derivatives venues: signed statements and Merkle sum trees.",
    license: "Apache-2.0",
    type: "module",
    exports: Object.fromEntries(
      entries.map((
        e,
      ) => [e.subpath, { types: `./types/${e.source.slice(0, -3)}.d.ts`, default: `./lib/${e.name}.js` }]),
    ),
    types: "./types/mod.d.ts",
    bin: { haircut: "bin/haircut.js" },
    engines: { node: ">=20" },
    dependencies: Object.fromEntries([...dependencies].sort()),
  };
}

/** The bin: runs the CLI bundle's `main`. */
const BIN = `#!/usr/bin/env node
import { main } from "../lib/cli.js";
await main();
`;

async function build(): Promise<void> {
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${OUT}/bin`, { recursive: true });
  const entries = entryPoints();
  const dependencies = await bundle(entries);
  await declarations(entries, dependencies);
  await Deno.writeTextFile(`${OUT}/bin/haircut.js`, BIN, { mode: 0o755 });
  await Deno.writeTextFile(`${OUT}/package.json`, JSON.stringify(packageJson(entries, dependencies), null, 2) + "\n");
  await Deno.copyFile(`${ROOT}README.md`, `${OUT}/README.md`);
  await Deno.copyFile(`${ROOT}LICENSE`, `${OUT}/LICENSE`);
}

if (import.meta.main) {
  await build();
  console.log(`built ${OUT}`);
}
