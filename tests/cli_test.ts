/**
 * The command line: exit codes 0 / 1 / 2, one-line error messages without
 * stack traces, keygen, and the real program run as a subprocess with
 * exactly the permissions the tasks grant.
 */

import assert from "node:assert/strict";
import { type CliResult, runCli } from "../src/cli/main.ts";
import { parseKeysFile } from "../mod.ts";
import { parseSigningKey, signEnvelope } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";

const ROOT_URL = new URL("../", import.meta.url);
const EXAMPLE_URL = new URL("fixtures/example/", ROOT_URL);

function pathOf(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

const ROOT = pathOf(ROOT_URL);
const EX = pathOf(EXAMPLE_URL);
const KEYS = `${EX}/keys.json`;
const STATEMENT = `${EX}/statement.dsse.json`;
const ALICE = `${EX}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`;
const GOLDEN = pathOf(new URL("fixtures/golden/", ROOT_URL));
const EXAMPLE_DIGEST = "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a";
const INPUT = `${EX}/input`;

const PUBLISH_ARGS = [
  "publish",
  "--accounts",
  `${INPUT}/accounts.csv`,
  "--event",
  `${INPUT}/event.json`,
  "--signing-key",
  `${INPUT}/venue.key.json`,
  "--signing-key",
  `${INPUT}/auditor.key.json`,
  "--salt-secret",
  `${INPUT}/salt-secret`,
];

function firstLine(text: string): string {
  return text.split("\n")[0];
}

/** A stack frame as V8 prints it. */
const STACK_FRAME = /^\s+at\s/m;

/** Exit 2 with nothing on stdout and exactly one line on stderr, and never a stack trace. */
function assertUsageError(r: CliResult, ...includes: string[]): void {
  assert.equal(r.code, 2, `expected exit 2: ${JSON.stringify(r)}`);
  assert.equal(r.stdout, "");
  assert.ok(r.stderr.endsWith("\n"), JSON.stringify(r.stderr));
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, `one line: ${JSON.stringify(r.stderr)}`);
  assert.ok(r.stderr.startsWith("haircut"), r.stderr);
  assert.ok(!STACK_FRAME.test(r.stderr), r.stderr);
  for (const s of includes) assert.ok(r.stderr.includes(s), `${JSON.stringify(r.stderr)} lacks ${JSON.stringify(s)}`);
}

/** A copy of the example publication in a fresh temp dir. */
async function copyExample(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  for (const f of ["statement.dsse.json", "leaves.csv", "keys.json"]) await Deno.copyFile(`${EX}/${f}`, `${dir}/${f}`);
  return dir;
}

/** The example leaves with frank's row (leaf 1) repeated as leaf 2. */
async function duplicateRow(dir: string): Promise<void> {
  const rows = (await Deno.readTextFile(`${dir}/leaves.csv`)).split("\n");
  rows.splice(3, 0, rows[2]);
  await Deno.writeTextFile(`${dir}/leaves.csv`, rows.join("\n"));
}

// ---------------------------------------------------------------------------
// Exit 0

Deno.test("exit 0: verify the example in text, json and junit", async () => {
  const text = await runCli(["verify", EX, "--keys", KEYS]);
  assert.equal(text.code, 0, text.stderr + text.stdout);
  assert.equal(text.stderr, "");
  assert.ok(firstLine(text.stdout).startsWith("VALID"), firstLine(text.stdout));
  assert.ok(text.stdout.includes(EXAMPLE_DIGEST));
  assert.ok(text.stdout.includes("13,000.00 USDT"));

  const json = await runCli(["verify", EX, "--keys", KEYS, "--format", "json"]);
  assert.equal(json.code, 0);
  const report = JSON.parse(json.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.kind, "publication");
  assert.equal(report.statement.digest, EXAMPLE_DIGEST);
  assert.equal(report.summary.collected, "1300000");
  assert.deepEqual(report.errors, []);

  const junit = await runCli(["verify", EX, "--keys", KEYS, "--format", "junit"]);
  assert.equal(junit.code, 0);
  assert.ok(junit.stdout.startsWith("<?xml"));
  assert.ok(junit.stdout.includes("<testsuites"));
  assert.equal(junit.stdout.match(/<testcase /g)?.length, 12);
  assert.ok(!junit.stdout.includes("<failure"));
});

Deno.test("exit 0: verify the golden publication", async () => {
  const r = await runCli(["verify", GOLDEN, "--keys", `${GOLDEN}/keys.json`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(firstLine(r.stdout).startsWith("VALID"));
  assert.ok(r.stdout.includes("03fb5e716ab8ce182ca0d45c6a0172fb1894fe77fee14285bae5d3d39f064b62"));
  assert.ok(r.stdout.includes("800.00 USDT"), "the target, 80000 minor units");
});

Deno.test("exit 0: proof in text and json", async () => {
  const text = await runCli(["proof", ALICE, "--statement", STATEMENT, "--keys", KEYS]);
  assert.equal(text.code, 0, text.stderr + text.stdout);
  assert.equal(text.stderr, "");
  assert.ok(firstLine(text.stdout).startsWith("VALID"));
  assert.ok(firstLine(text.stdout).includes("870.15 USDT"));
  assert.ok(text.stdout.includes("rounding added 0.01 USDT"));

  const json = await runCli(["proof", ALICE, "--statement", STATEMENT, "--keys", KEYS, "--format", "json"]);
  assert.equal(json.code, 0);
  const report = JSON.parse(json.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.kind, "proof");
  assert.equal(report.summary.account, "alice");
  assert.equal(report.summary.haircut, "87015");
});

Deno.test("exit 0: --help for each command", async () => {
  for (const command of ["verify", "proof", "publish", "keygen"]) {
    const r = await runCli([command, "--help"]);
    assert.equal(r.code, 0, command);
    assert.ok(r.stdout.includes(command), command);
    assert.equal(r.stderr, "");
  }
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  assert.ok(top.stdout.includes("verify") && top.stdout.includes("proof"));
});

// ---------------------------------------------------------------------------
// Exit 1

Deno.test("exit 1: a tampered publication copied to a temp dir, in every format", async () => {
  const dir = await copyExample();
  try {
    const clean = await runCli(["verify", dir, "--keys", KEYS]);
    assert.equal(clean.code, 0, "the untouched copy is valid");
    await duplicateRow(dir);

    const text = await runCli(["verify", dir, "--keys", KEYS]);
    assert.equal(text.code, 1, text.stderr + text.stdout);
    assert.equal(text.stderr, "");
    assert.ok(firstLine(text.stdout).startsWith("NOT VALID"), firstLine(text.stdout));
    assert.ok(text.stdout.includes("LEAF_ORDER"));
    assert.ok(text.stdout.includes("LEAF_COUNT_MISMATCH"));

    const json = await runCli(["verify", dir, "--keys", KEYS, "--format", "json"]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.ok, false);
    const order = report.errors.find((e: { code: string }) => e.code === "LEAF_ORDER");
    assert.equal(order.leaf, 2);

    const junit = await runCli(["verify", dir, "--keys", KEYS, "--format", "junit"]);
    assert.equal(junit.code, 1);
    assert.ok(junit.stdout.includes("<failure"));
    assert.ok(junit.stdout.includes("LEAF_ORDER"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exit 1: a malformed or re-signed-by-nobody envelope is content, not usage", async () => {
  const dir = await copyExample();
  try {
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, "{ not json");
    const r = await runCli(["verify", dir, "--keys", KEYS]);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.ok((r.stdout + r.stderr).includes("ENVELOPE_INVALID"));
    assert.ok(!STACK_FRAME.test(r.stdout + r.stderr));

    const env = JSON.parse(await Deno.readTextFile(STATEMENT));
    env.signatures = [env.signatures[0]];
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, JSON.stringify(env));
    const r2 = await runCli(["verify", dir, "--keys", KEYS, "--format", "json"]);
    assert.equal(r2.code, 1);
    assert.deepEqual(JSON.parse(r2.stdout).errors.map((e: { code: string }) => e.code), ["SIGNATURE_THRESHOLD"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exit 1: a tampered proof and a broken chain", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const proof = JSON.parse(await Deno.readTextFile(ALICE));
    proof.haircut = "87014";
    await Deno.writeTextFile(`${dir}/proof.json`, JSON.stringify(proof));
    const r = await runCli(["proof", `${dir}/proof.json`, "--statement", STATEMENT, "--keys", KEYS]);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.ok(firstLine(r.stdout).startsWith("NOT VALID"));
    assert.ok(r.stdout.includes("PROOF_ROOT_MISMATCH"));

    const chain = await runCli(["verify", EX, "--keys", KEYS, "--previous", STATEMENT, "--format", "json"]);
    assert.equal(chain.code, 1);
    const report = JSON.parse(chain.stdout);
    assert.deepEqual(report.errors.map((e: { code: string }) => e.code), ["CHAIN_BROKEN"]);
    assert.ok(report.errors[0].message.includes(EXAMPLE_DIGEST));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// Exit 2

Deno.test("exit 2: unknown command, unknown flag, bad option values", async () => {
  assertUsageError(await runCli(["frobnicate"]), "frobnicate");
  assertUsageError(await runCli(["verify", EX, "--keys", KEYS, "--bogus"]), "bogus");
  assertUsageError(await runCli(["proof", ALICE, "--statement", STATEMENT, "--keys", KEYS, "--frob=1"]), "frob");
  assertUsageError(await runCli(["verify", EX, "--keys", KEYS, "--format", "xml"]), "--format");
  assertUsageError(await runCli(["proof", ALICE, "--statement", STATEMENT, "--keys", KEYS, "--format", "junit2"]));
  assertUsageError(await runCli(["verify", EX, EX, "--keys", KEYS]));
  assertUsageError(await runCli(["verify", "--keys", KEYS]));
  assertUsageError(await runCli(["keygen", "--algorithm", "rsa", "--out", "/tmp/never-written.json"]), "algorithm");
});

Deno.test("exit 2: missing required options", async () => {
  assertUsageError(await runCli(["verify", EX]), "--keys");
  assertUsageError(await runCli(["proof", ALICE, "--statement", STATEMENT]), "--keys");
  assertUsageError(await runCli(["proof", ALICE, "--keys", KEYS]), "--statement");
  assertUsageError(await runCli(["publish", "--accounts", `${INPUT}/accounts.csv`]));
  assertUsageError(await runCli(PUBLISH_ARGS), "--out");
  assertUsageError(await runCli(["keygen"]), "--out");
});

Deno.test("exit 2: missing files and a directory with no leaves.csv", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    assertUsageError(await runCli(["verify", `${dir}/nowhere`, "--keys", KEYS]), `${dir}/nowhere`);
    assertUsageError(await runCli(["verify", EX, "--keys", `${dir}/keys.json`]), `${dir}/keys.json`);
    assertUsageError(
      await runCli(["proof", `${dir}/proof.json`, "--statement", STATEMENT, "--keys", KEYS]),
      `${dir}/proof.json`,
    );
    assertUsageError(await runCli(["proof", ALICE, "--statement", `${dir}/s.json`, "--keys", KEYS]), `${dir}/s.json`);
    assertUsageError(
      await runCli(["verify", EX, "--keys", KEYS, "--previous", `${dir}/prev.json`]),
      `${dir}/prev.json`,
    );
    assertUsageError(await runCli(["proof", EX, "--statement", STATEMENT, "--keys", KEYS]), EX);

    await Deno.copyFile(STATEMENT, `${dir}/statement.dsse.json`);
    assertUsageError(await runCli(["verify", dir, "--keys", KEYS]), "leaves.csv");
    await Deno.mkdir(`${dir}/leaves.csv`);
    assertUsageError(await runCli(["verify", dir, "--keys", KEYS]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exit 2: malformed keys files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const good = JSON.parse(await Deno.readTextFile(KEYS));
    const cases: [string, string][] = [
      ["not json", "{ keys"],
      ["empty", ""],
      ["keyid mismatch", JSON.stringify({ ...good, keys: [{ ...good.keys[0], keyid: "00".repeat(32) }] })],
      ["threshold too high", JSON.stringify({ ...good, threshold: 3 })],
      ["threshold zero", JSON.stringify({ ...good, threshold: 0 })],
      ["extra field", JSON.stringify({ ...good, trustAll: true })],
      ["duplicate key", JSON.stringify({ keys: [good.keys[0], good.keys[0]], threshold: 1 })],
      ["a signing key instead", await Deno.readTextFile(`${INPUT}/venue.key.json`)],
    ];
    for (const [name, text] of cases) {
      await Deno.writeTextFile(`${dir}/keys.json`, text);
      const r = await runCli(["verify", EX, "--keys", `${dir}/keys.json`]);
      assertUsageError(r, "keys");
      const p = await runCli(["proof", ALICE, "--statement", STATEMENT, "--keys", `${dir}/keys.json`]);
      assert.equal(p.code, 2, name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exit 2: publish with malformed inputs names the file and line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    await Deno.writeTextFile(`${dir}/accounts.csv`, "account,base\nalice,1\nalice,2\n");
    const args = [
      "publish",
      "--accounts",
      `${dir}/accounts.csv`,
      "--event",
      `${INPUT}/event.json`,
      "--signing-key",
      `${INPUT}/venue.key.json`,
      "--out",
      `${dir}/out`,
    ];
    assertUsageError(await runCli(args), "line 3");
    await assert.rejects(Deno.stat(`${dir}/out`), Deno.errors.NotFound, "nothing is written on failure");

    await Deno.writeTextFile(`${dir}/accounts.csv`, "account,base\nalice,1\n");
    await Deno.writeTextFile(`${dir}/key.json`, "{}");
    const badKey = args.map((a) => a === `${INPUT}/venue.key.json` ? `${dir}/key.json` : a);
    assertUsageError(await runCli(badKey), "signing key");

    await Deno.writeTextFile(`${dir}/short-secret`, "short");
    assertUsageError(await runCli([...args, "--salt-secret", `${dir}/short-secret`]), "salt secret");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// keygen

Deno.test("keygen: writes mode 0600, refuses to overwrite, never prints the secret", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    for (const algorithm of ["ed25519", "secp256k1"] as const) {
      const out = `${dir}/${algorithm}.key.json`;
      const r = await runCli(["keygen", "--algorithm", algorithm, "--out", out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await Deno.stat(out)).mode! & 0o777, 0o600);
      const text = await Deno.readTextFile(out);
      const key = parseSigningKey(text);
      assert.equal(key.algorithm, algorithm);
      const secret = JSON.parse(text).secretKey;
      assert.match(secret, /^[0-9a-f]{64}$/);
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), "the secret is never printed");
      assert.ok(r.stdout.includes(key.keyid), "the keyid is shown");

      const again = await runCli(["keygen", "--algorithm", algorithm, "--out", out]);
      assertUsageError(again, out);
      assert.equal(await Deno.readTextFile(out), text, "the existing key is untouched");
      assert.ok(!again.stderr.includes(secret));
    }
    const def = await runCli(["keygen", "--out", `${dir}/default.key.json`]);
    assert.equal(def.code, 0);
    assert.equal(parseSigningKey(await Deno.readTextFile(`${dir}/default.key.json`)).algorithm, "ed25519");

    assertUsageError(await runCli(["keygen", "--out", `${dir}/missing/sub/key.json`]), `${dir}/missing/sub/key.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("publish into a directory holding an older publication leaves no stale proofs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const first = await runCli([...PUBLISH_ARGS, "--out", dir]);
    assert.equal(first.code, 0, first.stderr);
    // The second run uses random salts, so its proof files have other names.
    const random = PUBLISH_ARGS.slice(0, -2);
    const second = await runCli([...random, "--out", dir]);
    if (second.code === 2) {
      assertUsageError(second, dir); // refusing is fine
      return;
    }
    assert.equal(second.code, 0, second.stderr);
    const names = [...Deno.readDirSync(`${dir}/proofs`)].map((e) => e.name);
    assert.equal(names.length, 8, `proofs/ holds ${names.length} files for 8 accounts`);
    const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
    for (const name of names) {
      const r = await runCli([
        "proof",
        `${dir}/proofs/${name}`,
        "--statement",
        `${dir}/statement.dsse.json`,
        "--keys",
        `${dir}/keys.json`,
      ]);
      assert.equal(r.code, 0, `${name}: ${r.stdout}`);
    }
    assert.equal(keys.threshold, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// Subprocess: the real program with the tasks' permissions

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function deno(args: string[]): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The `haircut` task's command line from deno.json, minus the leading `deno`. */
async function haircutTask(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const task: string = config.tasks.haircut;
  const words = task.split(/\s+/);
  assert.equal(words[0], "deno");
  return words.slice(1);
}

const READ_ONLY = ["run", "--no-prompt", "--allow-read", "src/cli/main.ts"];

Deno.test("subprocess: the haircut task grants read and write only", async () => {
  const task = await haircutTask();
  assert.deepEqual(task, ["run", "--no-prompt", "--allow-read", "--allow-write", "src/cli/main.ts"]);
});

Deno.test("subprocess: read-only verify and proof exit 0 with the verdict", async () => {
  const v = await deno([...READ_ONLY, "verify", "fixtures/example", "--keys", "fixtures/example/keys.json"]);
  assert.equal(v.code, 0, v.stderr);
  assert.ok(firstLine(v.stdout).startsWith("VALID"), v.stdout);
  assert.ok(!v.stdout.includes("\x1b["), "NO_COLOR: no escape sequences");

  const j = await deno([...READ_ONLY, "verify", EX, "--keys", KEYS, "--format", "junit"]);
  assert.equal(j.code, 0, j.stderr);
  assert.ok(j.stdout.includes("<testsuites"));

  const p = await deno([...READ_ONLY, "proof", ALICE, "--statement", STATEMENT, "--keys", KEYS, "--format", "json"]);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(JSON.parse(p.stdout).summary.haircut, "87015");
});

Deno.test("subprocess: read-only verify of a tampered copy exits 1; usage errors exit 2", async () => {
  const dir = await copyExample();
  try {
    await duplicateRow(dir);
    const r = await deno([...READ_ONLY, "verify", dir, "--keys", KEYS]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(firstLine(r.stdout).startsWith("NOT VALID"));
    assert.ok(r.stdout.includes("LEAF_ORDER"));

    const u = await deno([...READ_ONLY, "verify", dir]);
    assert.equal(u.code, 2);
    assert.equal(u.stdout, "");
    assert.ok(u.stderr.includes("--keys"));
    assert.ok(!STACK_FRAME.test(u.stderr), u.stderr);

    const m = await deno([...READ_ONLY, "verify", `${dir}/nowhere`, "--keys", KEYS]);
    assert.equal(m.code, 2);
    assert.equal(m.stderr.trimEnd().split("\n").length, 1, m.stderr);
    assert.ok(!STACK_FRAME.test(m.stderr), m.stderr);

    const c = await deno([...READ_ONLY, "frobnicate"]);
    assert.equal(c.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("subprocess: publish and keygen with the haircut task's permissions", async () => {
  const task = await haircutTask();
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const r = await deno([...task, ...PUBLISH_ARGS, "--out", `${dir}/pub`]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(EXAMPLE_DIGEST));
    for (const f of ["statement.dsse.json", "leaves.csv", "keys.json"]) {
      assert.deepEqual(await Deno.readFile(`${dir}/pub/${f}`), await Deno.readFile(`${EX}/${f}`), f);
    }
    assert.equal([...Deno.readDirSync(`${dir}/pub/proofs`)].length, 8);

    const k = await deno([...task, "keygen", "--algorithm", "secp256k1", "--out", `${dir}/k.json`]);
    assert.equal(k.code, 0, k.stderr);
    assert.equal((await Deno.stat(`${dir}/k.json`)).mode! & 0o777, 0o600);
    const secret = JSON.parse(await Deno.readTextFile(`${dir}/k.json`)).secretKey;
    assert.ok(!k.stdout.includes(secret) && !k.stderr.includes(secret));
    const again = await deno([...task, "keygen", "--out", `${dir}/k.json`]);
    assert.equal(again.code, 2);
    assert.ok(!STACK_FRAME.test(again.stderr), again.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("subprocess: publish without write permission exits 2 with a one-line message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const r = await deno([...READ_ONLY, ...PUBLISH_ARGS, "--out", `${dir}/pub`]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.ok(!STACK_FRAME.test(r.stderr), r.stderr);
    assert.ok(r.stderr.includes(`${dir}/pub`), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("subprocess: a proof the process may not read gives exit 2 and 'permission denied'", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const proof = `${dir}/proof.json`;
    await Deno.copyFile(ALICE, proof);
    // Read access to the keys and the statement only: reading the proof is denied.
    const limited = ["run", "--no-prompt", `--allow-read=${KEYS},${STATEMENT}`, "src/cli/main.ts"];
    const r = await deno([...limited, "proof", proof, "--statement", STATEMENT, "--keys", KEYS]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, "");
    assert.ok(r.stderr.includes("permission denied"), r.stderr);
    assert.ok(r.stderr.includes(proof), r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.ok(!STACK_FRAME.test(r.stderr), r.stderr);

    // The same with the keys file out of reach.
    const noKeys = ["run", "--no-prompt", `--allow-read=${proof},${STATEMENT}`, "src/cli/main.ts"];
    const k = await deno([...noKeys, "proof", proof, "--statement", STATEMENT, "--keys", KEYS]);
    assert.equal(k.code, 2, k.stdout + k.stderr);
    assert.ok(k.stderr.includes("permission denied"), k.stderr);

    // And with everything readable, the copy verifies.
    const all = ["run", "--no-prompt", `--allow-read=${proof},${STATEMENT},${KEYS}`, "src/cli/main.ts"];
    const ok = await deno([...all, "proof", proof, "--statement", STATEMENT, "--keys", KEYS]);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Runs verify with stderr on a pseudo-terminal (via `script`) and stdout in a file. */
async function underTerminal(dir: string, extra: string): Promise<{ terminal: string; stdout: string }> {
  // `script` gives the command a pseudo-terminal; stdout goes to a file, stderr stays on the terminal.
  const cli = new URL("../src/cli/main.ts", import.meta.url).pathname;
  const example = new URL("../fixtures/example", import.meta.url).pathname;
  const command = `${Deno.execPath()} run --no-prompt --allow-read ${cli} verify ${example} ` +
    `--keys ${example}/keys.json ${extra} > ${dir}/out.txt`;
  const r = await new Deno.Command("script", { args: ["-qec", command, "/dev/null"], env: { NO_COLOR: "1" } })
    .output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  return { terminal: new TextDecoder().decode(r.stdout), stdout: await Deno.readTextFile(`${dir}/out.txt`) };
}

Deno.test({
  name: "progress: drawn on a terminal stderr only, never on stdout, and --quiet turns it off",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const cli = new URL("../src/cli/main.ts", import.meta.url).pathname;
      const example = new URL("../fixtures/example", import.meta.url).pathname;
      const shown = await underTerminal(dir, "");
      assert.match(shown.terminal, /100\.0% {2}[\d,]+ leaves\/s {2}ETA 0 s/);
      assert.match(shown.stdout, /^VALID: publication/);
      assert.doesNotMatch(shown.stdout, /leaves\/s|\r/);
      const quiet = await underTerminal(dir, "--quiet");
      assert.doesNotMatch(quiet.terminal, /leaves\/s/);
      assert.match(quiet.stdout, /^VALID: publication/);
      // Not a terminal: no progress at all.
      const piped = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", "--allow-read", cli, "verify", example, "--keys", `${example}/keys.json`],
        env: { NO_COLOR: "1" },
      }).output();
      assert.equal(piped.code, 0);
      assert.equal(new TextDecoder().decode(piped.stderr), "");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("inspect: unchecked without --keys, verified with the right keys, rejected (exit 1) with others", async () => {
  const statement = `${EX}/statement.dsse.json`;
  const unchecked = await runCli(["inspect", statement]);
  assert.equal(unchecked.code, 0);
  assert.match(unchecked.stdout, /^UNVERIFIED statement: signatures were NOT checked/);
  assert.ok(!unchecked.stdout.includes("Errors:"));
  const uncheckedJson = JSON.parse((await runCli(["inspect", statement, "--format", "json"])).stdout);
  assert.equal(uncheckedJson.ok, null);
  assert.equal(uncheckedJson.verified, false);
  assert.deepEqual(uncheckedJson.signers, []);

  const verified = await runCli(["inspect", statement, "--keys", KEYS]);
  assert.equal(verified.code, 0);
  assert.match(verified.stdout, /^VERIFIED statement: signed by enough trusted keys/);
  assert.ok(!verified.stdout.includes("Errors:"));
  const verifiedJson = JSON.parse((await runCli(["inspect", statement, "--keys", KEYS, "--format", "json"])).stdout);
  assert.equal(verifiedJson.ok, true);
  assert.equal(verifiedJson.verified, true);
  assert.equal(verifiedJson.statement.digest, "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a");
  assert.deepEqual(verifiedJson.errors, []);

  const other = `${GOLDEN}/keys.json`;
  const rejected = await runCli(["inspect", statement, "--keys", other]);
  assert.equal(rejected.code, 1);
  assert.match(rejected.stdout, /^NOT VALID statement: the signatures or the arithmetic failed/);
  assert.ok(
    rejected.stdout.endsWith("\nErrors:\n  SIGNATURE_THRESHOLD: 0 distinct trusted keys signed, threshold is 2\n"),
  );
  const rejectedJson = await runCli(["inspect", statement, "--keys", other, "--format", "json"]);
  assert.equal(rejectedJson.code, 1);
  const parsed = JSON.parse(rejectedJson.stdout);
  assert.equal(parsed.ok, false);
  assert.equal(parsed.verified, false);
  assert.deepEqual(parsed.errors.map((e: { code: string }) => e.code), ["SIGNATURE_THRESHOLD"]);
});

/** Asserts exit 2 and exactly `stderr`, nothing on stdout. */
function assertUsage(r: CliResult, stderr: string): void {
  assert.deepEqual(r, { code: 2, stdout: "", stderr });
}

Deno.test("cli: a hint names only the flags that were given", async () => {
  assertUsage(
    await runCli(["verify", EX, "--keys", STATEMENT]),
    `haircut verify: ${STATEMENT} looks like a statement, not a keys file\n`,
  );
  assertUsage(
    await runCli(["verify", EX, "--keys", STATEMENT, "--previous", KEYS]),
    `haircut verify: ${STATEMENT} looks like a statement, not a keys file: did you swap --keys and --previous?\n`,
  );
});

Deno.test("cli: verify takes the publication directory, not a file in it", async () => {
  assertUsage(
    await runCli(["verify", STATEMENT, "--keys", KEYS]),
    `haircut verify: ${STATEMENT} is not a directory: verify takes the publication directory, which holds ` +
      "statement.dsse.json and leaves.csv\n",
  );
  assertUsage(
    await runCli(["sign", STATEMENT, "--keys", KEYS, "--signing-key", `${INPUT}/venue.key.json`]),
    `haircut sign: ${STATEMENT} is not a directory: sign takes the publication directory, which holds ` +
      "statement.dsse.json and leaves.csv\n",
  );
  assertUsage(
    await runCli(["verify", `${EX}/nowhere`, "--keys", KEYS]),
    `haircut verify: publication directory ${EX}/nowhere does not exist\n`,
  );
});

/** `text` in UTF-16, little- or big-endian, with or without a byte order mark. */
function utf16(text: string, options: { bigEndian: boolean; bom: boolean }): Uint8Array {
  const units = [...(options.bom ? "\ufeff" : ""), ...text].flatMap((c) => {
    const u = c.charCodeAt(0);
    return options.bigEndian ? [u >> 8, u & 0xff] : [u & 0xff, u >> 8];
  });
  return Uint8Array.from(units);
}

Deno.test("cli: a file saved as UTF-16, UTF-32 or not UTF-8 is the user's mistake: exit 2 and how to fix it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const proof = await Deno.readTextFile(ALICE);
    const cases: [string, Uint8Array, string][] = [
      ["le-bom", utf16(proof, { bigEndian: false, bom: true }), "is saved as UTF-16; save it as UTF-8"],
      ["be-bom", utf16(proof, { bigEndian: true, bom: true }), "is saved as UTF-16; save it as UTF-8"],
      ["le", utf16(proof, { bigEndian: false, bom: false }), "is saved as UTF-16; save it as UTF-8"],
      ["be", utf16(proof, { bigEndian: true, bom: false }), "is saved as UTF-16; save it as UTF-8"],
      [
        "utf32",
        Uint8Array.from([0xff, 0xfe, 0, 0, ...[...proof].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])]),
        "is saved as UTF-32; save it as UTF-8",
      ],
      [
        "latin1",
        new TextEncoder().encode(proof.replace('"alice"', '"al\u0000ce"')).map((b) => b === 0 ? 0xe9 : b),
        `is not UTF-8 text (invalid byte at offset ${proof.indexOf('"alice"') + 3}); save it as UTF-8`,
      ],
    ];
    for (const [name, bytes, problem] of cases) {
      const path = `${dir}/${name}.json`;
      await Deno.writeFile(path, bytes);
      assertUsage(
        await runCli(["proof", path, "--statement", STATEMENT, "--keys", KEYS]),
        `haircut proof: proof file ${path} ${problem}\n`,
      );
    }
    // Invalid UTF-8 inside the signed payload is the venue's content, not the user's file: a verdict, exit 1.
    const venue = parseSigningKey(await Deno.readTextFile(`${INPUT}/venue.key.json`));
    const envelope = envelopeToJson(signEnvelope(Uint8Array.from([0x7b, 0xff, 0x7d]), [venue]));
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, envelope);
    const signed = await runCli(["inspect", `${dir}/statement.dsse.json`, "--keys", KEYS]);
    assert.equal(signed.code, 1, signed.stderr);
    assert.match(signed.stdout + signed.stderr, /STATEMENT_INVALID: .*UTF-8/);
    // The keys file too: every JSON file a user hands in.
    await Deno.writeFile(`${dir}/keys.json`, utf16(await Deno.readTextFile(KEYS), { bigEndian: false, bom: true }));
    assertUsage(
      await runCli(["verify", EX, "--keys", `${dir}/keys.json`]),
      `haircut verify: keys file ${dir}/keys.json is saved as UTF-16; save it as UTF-8\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: an option that takes one value may be given once, in every command", async () => {
  const twice: [string, string, string[]][] = [
    ["verify", "--keys", ["verify", EX, "--keys", KEYS, "--keys", KEYS]],
    ["proof", "--statement", ["proof", ALICE, "--statement", STATEMENT, "--statement", STATEMENT, "--keys", KEYS]],
    ["inspect", "--format", ["inspect", STATEMENT, "--format", "json", "--format", "text"]],
    ["chain", "--keys", ["chain", STATEMENT, "--keys", KEYS, "--keys", KEYS]],
    ["publish", "--out", [...PUBLISH_ARGS, "--out", "/nonexistent/a", "--out", "/nonexistent/b"]],
    ["keygen", "--out", ["keygen", "--out", "/nonexistent/a", "--out", "/nonexistent/b"]],
    ["log", "--origin", ["log", "init", "/nonexistent", "--origin", "a", "--origin", "b"]],
    ["witness", "--name", ["witness", "init", "/nonexistent", "--name", "a", "--name", "b"]],
    ["sign", "--keys", ["sign", EX, "--keys", KEYS, "--keys", KEYS]],
    ["pae", "--out", ["pae", STATEMENT, "--out", "/nonexistent/a", "--out", "/nonexistent/b"]],
    ["attach", "--signature", ["attach", STATEMENT, "--signature", "a", "--signature", "b"]],
    ["pubkey", "--name", ["pubkey", KEYS, "--name", "a", "--name", "b"]],
    ["keys", "--threshold", ["keys", "--threshold", "1", "--threshold", "2"]],
  ];
  for (const [command, flag, args] of twice) {
    assertUsage(await runCli(args), `haircut ${command}: ${flag} given twice (see 'haircut ${command} --help')\n`);
  }
  assertUsage(
    await runCli(["verify", EX, "--keys", KEYS, "-q", "--quiet"]),
    "haircut verify: --quiet given twice (see 'haircut verify --help')\n",
  );
  // An option marked multiple is not affected: PUBLISH_ARGS gives --signing-key twice.
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const r = await runCli([...PUBLISH_ARGS, "--out", `${dir}/out`]);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: a negative number reaches the option's own range check", async () => {
  for (const args of [["--max-errors", "-1"], ["--max-errors=-1"]]) {
    assertUsage(
      await runCli(["verify", EX, "--keys", KEYS, ...args]),
      "haircut verify: --max-errors must be a whole number, 0 or more (see 'haircut verify --help')\n",
    );
  }
  assertUsage(
    await runCli(["verify", EX, "--keys", KEYS, "--workers", "-2"]),
    "haircut verify: --workers must be 0 to 256 (see 'haircut verify --help')\n",
  );
  assertUsage(
    await runCli(["witness", "serve", "/nonexistent", "--port", "-5"]),
    "haircut witness: --port must be 0 to 65535 (see 'haircut witness --help')\n",
  );
});

Deno.test("cli: a reader that closes stdout early (| head -c 10) ends the program quietly", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-read",
      `${ROOT}/src/cli/main.ts`,
      "verify",
      EX,
      "--keys",
      KEYS,
      "--format",
      "json",
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  // Closed before the program writes a byte: its write fails with EPIPE.
  await child.stdout.cancel();
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  assert.equal(stderr, "");
  assert.equal(status.code, 0);
});

Deno.test("cli: a proof index written as 7.0, 7e0 or 0.7e1 is not a valid proof", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut_cli_" });
  try {
    const proof = await Deno.readTextFile(ALICE);
    assert.ok(proof.includes('"index": 7,'));
    for (const written of ["7.0", "7e0", "0.7e1"]) {
      const path = `${dir}/proof.json`;
      await Deno.writeTextFile(path, proof.replace('"index": 7,', `"index": ${written},`));
      const r = await runCli(["proof", path, "--statement", STATEMENT, "--keys", KEYS]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stdout.split("\n")[0],
        `NOT VALID: the proof file is not a valid proof (proof: "index": ${written} is not written as integer ` +
          `digits (no fraction or exponent allowed) at offset ${proof.indexOf('"index": 7,') + 9}).`,
      );
      assert.match(r.stdout, /\n {2}PROOF_INVALID: /);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
