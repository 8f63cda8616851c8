/**
 * `deno run -A scripts/mutate.ts [options] [file ...]`: a small mutation
 * runner. For each source file (default: every `.ts` file under `src/`) it
 * applies one single-operator mutant at a time, runs the test modules that
 * import the file, and counts the mutant killed when they fail (or time out)
 * and survived when they pass. The file is restored after every mutant, in a
 * `finally`, and on Ctrl-C.
 *
 * Mutants (operators outside strings, comments and regular expressions,
 * written with a space on each side as `deno fmt` writes binary operators,
 * so type arguments such as `Array<bigint>` are never touched):
 *
 * - comparisons flipped: `<` and `>` swapped, `<=` and `>=` swapped,
 *   `===` and `!==` swapped, `==` and `!=` swapped;
 * - boolean operators flipped: `&&` and `||` swapped;
 * - `+ 1n` becomes `+ 0n`.
 *
 * Options:
 *
 * - `--tests a_test.ts,b_test.ts`: run these test modules instead of the
 *   ones found by import;
 * - `--transitive`: select every test module whose module graph contains the
 *   file (default: the modules that import it directly, or the transitive
 *   ones when none does);
 * - `--timeout S`: seconds before a test run counts as killed (default: four
 *   times the unmutated run, at least 30);
 * - `--json`: print one JSON object per file instead of text;
 * - `--sample N`: try at most N mutants per file, evenly spaced in source
 *   order (mutant `floor(i * total / N)` for `i` below N), so a rerun tries
 *   the same ones;
 * - `--list`: only list each file's mutant count and test modules.
 *
 * Prints, per file, the mutants, the killed and survived counts, the score
 * and every survivor with its line. Exits 1 when the unmutated tests fail.
 *
 * @module
 */

import { parseArgs } from "node:util";

const ROOT = new URL("../", import.meta.url);
const rootPath = decodeURIComponent(ROOT.pathname);

/** One mutant: replace `length` characters at `offset` by `replacement`. */
export interface Mutant {
  /** Offset in the source text. */
  offset: number;
  /** The operator replaced. */
  original: string;
  /** Its replacement. */
  replacement: string;
  /** One-based line number. */
  line: number;
}

const FLIPS: Record<string, string> = {
  "<": ">",
  ">": "<",
  "<=": ">=",
  ">=": "<=",
  "===": "!==",
  "!==": "===",
  "==": "!=",
  "!=": "==",
  "&&": "||",
  "||": "&&",
};

/**
 * The source with every string, template text, comment and regular
 * expression literal replaced by spaces (newlines kept), so that operator
 * search sees only code. Template substitutions `${...}` stay code.
 */
export function codeMask(source: string): string {
  const out = source.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  // Stack of template-literal brace depths: when a `}` closes a substitution, the template text resumes.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  let lastSignificant = "";
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      blank(i, j + 1);
      i = j + 1;
      lastSignificant = "a";
      continue;
    }
    if (c === "`" || (c === "}" && templates.length > 0 && templates[templates.length - 1] === braces)) {
      if (c === "}") templates.pop();
      let j = i + 1;
      while (j < source.length && source[j] !== "`" && !(source[j] === "$" && source[j + 1] === "{")) {
        j += source[j] === "\\" ? 2 : 1;
      }
      blank(i, j < source.length && source[j] === "`" ? j + 1 : j);
      if (source[j] === "$") {
        templates.push(braces);
        i = j + 2;
        lastSignificant = "(";
      } else {
        i = j + 1;
        lastSignificant = "a";
      }
      continue;
    }
    if (c === "/" && /^$|[(,=:[!&|?{};+\-*%<>~^]$/.test(lastSignificant)) {
      // A regular expression literal: it starts where an operand is expected.
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== "\n") {
        if (source[j] === "\\") j++;
        else if (source[j] === "[") inClass = true;
        else if (source[j] === "]") inClass = false;
        else if (source[j] === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < source.length && /[a-z]/.test(source[j])) j++;
      blank(i, j);
      i = j;
      lastSignificant = "a";
      continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_$]/.test(source[j])) j++;
      // After `return` or `typeof` an operand is expected, as after an operator.
      lastSignificant = /^(return|typeof|case|in|of|yield|await)$/.test(source.slice(i, j)) ? "(" : "a";
      i = j;
      continue;
    }
    if (c === "{") braces++;
    if (c === "}") braces--;
    if (!/\s/.test(c)) lastSignificant = c;
    i++;
  }
  return out.join("");
}

/** Every mutant of `source`, in source order. */
export function mutantsOf(source: string): Mutant[] {
  const code = codeMask(source);
  const mutants: Mutant[] = [];
  const lineAt = (offset: number) => source.slice(0, offset).split("\n").length;
  for (const m of code.matchAll(/ (===|!==|==|!=|<=|>=|<|>|&&|\|\|) /g)) {
    const offset = m.index + 1;
    mutants.push({ offset, original: m[1], replacement: FLIPS[m[1]], line: lineAt(offset) });
  }
  for (const m of code.matchAll(/\+ 1n\b/g)) {
    mutants.push({ offset: m.index, original: "+ 1n", replacement: "+ 0n", line: lineAt(m.index) });
  }
  return mutants.sort((a, b) => a.offset - b.offset);
}

/**
 * At most `n` of `mutants`, evenly spaced: the one at `floor(i * length / n)`
 * for each `i` below `n`; all of them when `n` is at least their number.
 */
export function sampleMutants(mutants: readonly Mutant[], n: number): Mutant[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`--sample must be a positive integer, got ${n}`);
  if (n >= mutants.length) return [...mutants];
  return Array.from({ length: n }, (_, i) => mutants[Math.floor(i * mutants.length / n)]);
}

/** `source` with `mutant` applied. */
export function applyMutant(source: string, mutant: Mutant): string {
  return source.slice(0, mutant.offset) + mutant.replacement + source.slice(mutant.offset + mutant.original.length);
}

/** The local modules of `entry`'s module graph, as absolute paths. */
async function moduleGraph(entry: string): Promise<{ all: Set<string>; direct: Set<string> }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", entry], cwd: rootPath }).output();
  if (out.code !== 0) throw new Error(`deno info ${entry}: ${new TextDecoder().decode(out.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: { code?: { specifier: string } }[] }[];
  };
  const toPath = (s: string) => s.startsWith("file://") ? decodeURIComponent(new URL(s).pathname) : undefined;
  const all = new Set(info.modules.map((m) => toPath(m.specifier)).filter((p): p is string => p !== undefined));
  const self = info.modules.find((m) => toPath(m.specifier) === entry);
  const direct = new Set(
    (self?.dependencies ?? []).map((d) => d.code?.specifier && toPath(d.code.specifier))
      .filter((p): p is string => typeof p === "string"),
  );
  return { all, direct };
}

/** The test run in progress, to stop on Ctrl-C. */
let running: Deno.ChildProcess | undefined;

/** Runs `tests`; true when they pass within `timeoutMs`. */
async function testsPass(tests: readonly string[], timeoutMs: number): Promise<boolean> {
  const child = running = new Deno.Command(Deno.execPath(), {
    args: ["test", "--no-check", "--no-prompt", "--fail-fast", "-A", "--quiet", ...tests],
    cwd: rootPath,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
    stdin: "null",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
  }, timeoutMs);
  try {
    const status = await child.status;
    return status.success;
  } finally {
    clearTimeout(timer);
    running = undefined;
  }
}

/** The outcome of one file. */
export interface FileScore {
  /** The file, relative to the repository. */
  file: string;
  /** The test modules run. */
  tests: string[];
  /** Mutants in the file. */
  total: number;
  /** Mutants tried (fewer than `total` with `--sample`). */
  mutants: number;
  /** Mutants the tests caught. */
  killed: number;
  /** Mutants the tests did not catch. */
  survivors: { line: number; mutation: string; text: string }[];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      tests: { type: "string" },
      transitive: { type: "boolean", default: false },
      timeout: { type: "string" },
      json: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      sample: { type: "string" },
    },
    allowPositionals: true,
  });
  const files = positionals.length > 0 ? positionals.map((p) => new URL(p, `file://${Deno.cwd()}/`).pathname) : [
    ...listTs(`${rootPath}src`),
  ];
  const testModules = [...Deno.readDirSync(`${rootPath}tests`)]
    .filter((e) => e.isFile && e.name.endsWith("_test.ts")).map((e) => `${rootPath}tests/${e.name}`).sort();
  const graphs = values.tests ? new Map() : new Map(
    await Promise.all(
      testModules.map(async (t) => [t, await moduleGraph(t)] as const),
    ),
  );

  let status = 0;
  const restoreOnSignal: { file?: string; source?: string } = {};
  Deno.addSignalListener("SIGINT", () => {
    try {
      running?.kill("SIGKILL");
    } catch { /* already exited */ }
    if (restoreOnSignal.file && restoreOnSignal.source !== undefined) {
      Deno.writeTextFileSync(restoreOnSignal.file, restoreOnSignal.source);
    }
    Deno.exit(130);
  });

  for (const file of files) {
    const rel = file.slice(rootPath.length);
    const tests = values.tests
      ? values.tests.split(",").map((t) => new URL(t, `file://${Deno.cwd()}/`).pathname)
      : selectTests(file, graphs, values.transitive);
    const source = Deno.readTextFileSync(file);
    const all = mutantsOf(source);
    const mutants = values.sample === undefined ? all : sampleMutants(all, Number(values.sample));
    const score: FileScore = {
      file: rel,
      tests: tests.map((t) => t.slice(rootPath.length)),
      total: all.length,
      mutants: 0,
      killed: 0,
      survivors: [],
    };
    if (values.list) {
      console.log(
        `${rel}: ${all.length} mutants${mutants.length < all.length ? ` (${mutants.length} sampled)` : ""}; tests: ${
          score.tests.join(", ") || "(none)"
        }`,
      );
      continue;
    }
    if (tests.length === 0) {
      report(score, values.json, "no test module imports it");
      continue;
    }
    const started = performance.now();
    if (!(await testsPass(tests, 30 * 60_000))) {
      report(score, values.json, "the unmutated tests fail");
      status = 1;
      continue;
    }
    const baseline = performance.now() - started;
    const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : Math.max(30_000, 4 * baseline);
    for (const mutant of mutants) {
      restoreOnSignal.file = file;
      restoreOnSignal.source = source;
      try {
        Deno.writeTextFileSync(file, applyMutant(source, mutant));
        score.mutants++;
        if (await testsPass(tests, timeoutMs)) {
          const text = source.split("\n")[mutant.line - 1].trim();
          score.survivors.push({ line: mutant.line, mutation: `${mutant.original} -> ${mutant.replacement}`, text });
        } else {
          score.killed++;
        }
      } finally {
        Deno.writeTextFileSync(file, source);
        restoreOnSignal.file = undefined;
      }
    }
    report(score, values.json);
  }
  return status;
}

function* listTs(dir: string): Iterable<string> {
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* listTs(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

function selectTests(
  file: string,
  graphs: Map<string, { all: Set<string>; direct: Set<string> }>,
  transitive: boolean,
): string[] {
  const direct = [...graphs].filter(([, g]) => g.direct.has(file)).map(([t]) => t);
  if (direct.length > 0 && !transitive) return direct;
  return [...graphs].filter(([, g]) => g.all.has(file)).map(([t]) => t);
}

function report(score: FileScore, json: boolean, note?: string): void {
  if (json) {
    console.log(JSON.stringify({ ...score, ...(note ? { note } : {}) }));
    return;
  }
  if (note) {
    console.log(`${score.file}: ${note}`);
    return;
  }
  const pct = score.mutants === 0 ? 100 : (100 * score.killed / score.mutants);
  console.log(
    `${score.file}: ${score.killed}/${score.mutants} killed (${pct.toFixed(1)}%)${
      score.mutants < score.total ? ` of ${score.total} mutants, sampled` : ""
    } by ${score.tests.join(", ")}`,
  );
  for (const s of score.survivors) console.log(`  survived line ${s.line}: ${s.mutation}   ${s.text}`);
}

if (import.meta.main) Deno.exit(await main());
