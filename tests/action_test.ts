/**
 * The GitHub action: `action.yml` passes every input to
 * `scripts/action_verify.sh`, and the script, run here as the action runs
 * it (a fake `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT`), writes the JUnit
 * report and the step summary from one `verify`, and fails a tampered
 * publication (exit 1) and one it cannot read (exit 2) with distinct
 * annotations.
 */

import assert from "node:assert/strict";
import { runCli } from "../src/cli/main.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SCRIPT = `${ROOT}scripts/action_verify.sh`;
const EX = `${ROOT}fixtures/example`;
const TAMPERED = `${ROOT}fixtures/tampered`;

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: string;
  summary: string | undefined;
  junit: string | undefined;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Runs the action's script in a fresh directory with the inputs as the action passes them. */
async function action(inputs: Record<string, string>): Promise<ActionRun> {
  const tmp = await Deno.makeTempDir({ prefix: "haircut-action-" });
  try {
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? tmp,
      NO_COLOR: "1",
      GITHUB_STEP_SUMMARY: `${tmp}/summary.md`,
      GITHUB_OUTPUT: `${tmp}/output`,
      ...inputs,
    };
    for (const v of ["DENO_DIR", "XDG_CACHE_HOME"]) {
      const value = Deno.env.get(v);
      if (value) env[v] = value;
    }
    const out = await new Deno.Command("bash", { args: [SCRIPT], cwd: tmp, env, clearEnv: true, stdin: "null" })
      .output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      outputs: (await readOrUndefined(`${tmp}/output`)) ?? "",
      summary: await readOrUndefined(`${tmp}/summary.md`),
      junit: await readOrUndefined(`${tmp}/${inputs.HAIRCUT_JUNIT ?? "haircut-junit.xml"}`),
    };
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("action: action.yml is a composite action that hands every input to the script", async () => {
  const yml = await Deno.readTextFile(`${ROOT}action.yml`);
  assert.match(yml, /^runs:\n {2}using: composite\n/m);
  assert.match(yml, /run: '"\$GITHUB_ACTION_PATH\/scripts\/action_verify\.sh"'/);
  const inputs = [...yml.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1]);
  assert.deepEqual(inputs.slice(0, 7), [
    "publication",
    "keys",
    "previous",
    "max-errors",
    "log-proof",
    "log-policy",
    "junit",
  ]);
  assert.match(yml, /^ {2}publication:\n {4}description: .*\n {4}required: true$/m);
  assert.match(yml, /^ {2}keys:\n {4}description: .*\n {4}required: true$/m);
  const script = await Deno.readTextFile(SCRIPT);
  for (const input of ["publication", "keys", "previous", "max-errors", "log-proof", "log-policy", "junit"]) {
    const env = `HAIRCUT_${input.toUpperCase().replace("-", "_")}`;
    assert.ok(yml.includes(`${env}: \${{ inputs.${input} }}`), `action.yml passes ${input} as ${env}`);
    assert.ok(script.includes(env), `the script reads ${env}`);
  }
  assert.match(script, /npm install -g --allow-scripts=deno "deno@\$DENO_VERSION"/);
  assert.match(script, /^DENO_VERSION=2\.9\.6$/m);
});

Deno.test("action: a valid publication passes, with the JUnit report and the step summary of one verify", async () => {
  const r = await action({ HAIRCUT_PUBLICATION: EX, HAIRCUT_KEYS: `${EX}/keys.json`, HAIRCUT_JUNIT: "out.xml" });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs, "exit-code=0\n");
  assert.doesNotMatch(r.stdout, /::error/);
  const base = ["verify", EX, "--keys", `${EX}/keys.json`, "--max-errors", "20"];
  assert.equal(r.junit, (await runCli([...base, "--format", "junit"])).stdout);
  assert.equal(r.summary, (await runCli([...base, "--format", "markdown"])).stdout);
  assert.ok(r.stdout.startsWith((await runCli(base)).stdout), "the text report is in the log");
});

Deno.test("action: a tampered publication fails with exit 1 and the not-valid annotation", async () => {
  const dir = `${TAMPERED}/overcharge-one-account`;
  const r = await action({
    HAIRCUT_PUBLICATION: dir,
    HAIRCUT_KEYS: `${TAMPERED}/base/keys.json`,
    HAIRCUT_MAX_ERRORS: "5",
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.outputs, "exit-code=1\n");
  assert.match(r.stdout, /^::error title=haircut: publication NOT valid::.*overcharge-one-account/m);
  assert.doesNotMatch(r.stdout, /could not run/);
  const base = ["verify", dir, "--keys", `${TAMPERED}/base/keys.json`, "--max-errors", "5"];
  assert.equal(r.junit, (await runCli([...base, "--format", "junit"])).stdout);
  assert.match(r.junit ?? "", /<failure /);
  assert.equal(r.summary, (await runCli([...base, "--format", "markdown"])).stdout);
});

Deno.test("action: a publication that cannot be read fails with exit 2 and the could-not-run annotation", async () => {
  const r = await action({ HAIRCUT_PUBLICATION: `${ROOT}fixtures/missing`, HAIRCUT_KEYS: `${EX}/keys.json` });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.outputs, "exit-code=2\n");
  assert.match(r.stdout, /^::error title=haircut could not run::.*publication directory .*missing does not exist$/m);
  assert.doesNotMatch(r.stdout, /NOT valid/);
  assert.equal(r.junit, undefined);
  assert.equal(r.summary, undefined);
});

Deno.test("action: missing inputs, and a log proof without its policy, exit 2", async () => {
  const noKeys = await action({ HAIRCUT_PUBLICATION: EX });
  assert.equal(noKeys.code, 2);
  assert.match(noKeys.stdout, /^::error title=haircut could not run::the keys input is required$/m);
  const noPolicy = await action({ HAIRCUT_PUBLICATION: EX, HAIRCUT_KEYS: `${EX}/keys.json`, HAIRCUT_LOG_PROOF: "x" });
  assert.equal(noPolicy.code, 2);
  assert.match(noPolicy.stdout, /log-proof needs log-policy/);
});

Deno.test("action: --previous is passed through and checked", async () => {
  const chain = `${ROOT}fixtures/scenarios/chain-of-three`;
  const ok = await action({
    HAIRCUT_PUBLICATION: `${chain}/event-2`,
    HAIRCUT_KEYS: `${chain}/event-2/keys.json`,
    HAIRCUT_PREVIOUS: `${chain}/event-1/statement.dsse.json`,
  });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const wrong = await action({
    HAIRCUT_PUBLICATION: `${chain}/event-2`,
    HAIRCUT_KEYS: `${chain}/event-2/keys.json`,
    HAIRCUT_PREVIOUS: `${chain}/event-2/statement.dsse.json`,
  });
  assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
  assert.match(wrong.summary ?? "", /PREVIOUS_MISMATCH|previous/i);
});
