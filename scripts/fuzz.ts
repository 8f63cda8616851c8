/**
 * `deno task fuzz [--runs N] [--seed S] [--target T]`: mutation fuzzing of
 * the verifier (see fuzz_lib.ts). Runs N mutated inputs in all (default
 * 12,000, so that over 10,000 of them actually change the input), split
 * evenly over the targets, and prints the mutations run, the crashes, the
 * false accepts and the time. Exits 1 if there was any crash or false
 * accept, printing each with the seed and the case to replay it.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  DIFFERENTIAL_TARGETS,
  emptyStats,
  type FuzzStats,
  fuzzTarget,
  loadCorpus,
  type Target,
  TARGETS,
} from "./fuzz_lib.ts";

const ALL: readonly string[] = [...TARGETS, ...DIFFERENTIAL_TARGETS];

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string" },
    parallel: { type: "string" },
    seed: { type: "string" },
    target: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(
    "Usage: deno task fuzz [--runs N] [--parallel M] [--seed S] [--target " + ALL.join("|") + "]\n" +
      "  --runs N       mutated inputs in all, split over " + TARGETS.join(", ") + " (default 12000)\n" +
      "  --parallel M   mutated leaves.csv files checked serial vs parallel (default 200; 0 to skip)\n" +
      "  --seed S       fast-check seed (default: FUZZ_SEED, or the current time)\n" +
      "  --target T     fuzz one target only",
  );
  Deno.exit(0);
}

const runs = Number(values.runs ?? 12_000);
const parallelRuns = Number(values.parallel ?? 200);
const seed = Number(values.seed ?? Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31);
if (![runs, parallelRuns, seed].every(Number.isSafeInteger) || runs < 1 || parallelRuns < 0) {
  console.error("fuzz: --runs, --parallel and --seed must be whole numbers");
  Deno.exit(2);
}
if (values.target !== undefined && !ALL.includes(values.target)) {
  console.error(`fuzz: --target must be one of ${ALL.join(", ")}`);
  Deno.exit(2);
}
const plan: [Target, number][] = values.target
  ? [[values.target as Target, values.target === "parallel" ? parallelRuns || runs : runs]]
  : [
    ...TARGETS.map((t): [Target, number] => [t, Math.ceil(runs / TARGETS.length)]),
    ...(parallelRuns > 0 ? DIFFERENTIAL_TARGETS.map((t): [Target, number] => [t, parallelRuns]) : []),
  ];

const corpus = await loadCorpus();
const total = emptyStats();
const started = performance.now();
console.log(
  `fuzz: seed ${seed}, ${plan.reduce((n, [, r]) => n + r, 0)} mutated inputs over ${plan.map(([t]) => t).join(", ")}`,
);
for (const [target, count] of plan) {
  const t0 = performance.now();
  const s: FuzzStats = await fuzzTarget(corpus, target, { runs: count, seed });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `  ${target.padEnd(9)} ${String(s.runs).padStart(6)} runs: ${s.rejected} rejected, ${s.harmless} accepted ` +
      `harmless, ${s.legitimate} accepted legitimate, ${s.unchanged} no-op; ${s.crashes} crashes, ` +
      `${s.falseAccepts} false accepts` + (target === "parallel" ? `, ${s.divergences} divergences` : "") +
      `; slowest ${s.slowestMs.toFixed(1)} ms; ${seconds} s`,
  );
  const keys = ["runs", "rejected", "unchanged", "harmless", "legitimate", "crashes", "falseAccepts", "divergences"];
  for (const k of keys as (keyof FuzzStats & keyof typeof total)[]) (total[k] as number) += s[k] as number;
  total.slowestMs = Math.max(total.slowestMs, s.slowestMs);
  total.failures.push(...s.failures);
}
const elapsed = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `fuzz: ${total.runs} mutations (${total.runs - total.unchanged} changed the input), ${total.crashes} crashes, ` +
    `${total.falseAccepts} false accepts, ${total.divergences} divergences; ${total.rejected} rejected, ` +
    `${total.harmless} accepted harmless, ${total.legitimate} accepted legitimate; slowest case ` +
    `${total.slowestMs.toFixed(1)} ms; ${elapsed} s (seed ${seed})`,
);
for (const f of total.failures) {
  console.log(`\n${f.outcome.kind} in target ${f.target} (seed ${seed}):`);
  console.log(`  case: ${JSON.stringify(f.fuzzCase)}`);
  if ("detail" in f.outcome) console.log(`  ${f.outcome.detail}`);
}
Deno.exit(total.crashes + total.falseAccepts + total.divergences === 0 ? 0 : 1);
