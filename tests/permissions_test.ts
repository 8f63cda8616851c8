/**
 * Least privilege, tested on the real CLI in a subprocess: `verify`,
 * `proof`, `inspect` and `chain` run with read permission only and no
 * network; a file the process may not read gives exit 2 and a clear
 * message; `keygen` writes its key with mode 0600; and no command prints a
 * secret (signing key or salt secret), nor writes one into a publication.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const EXAMPLE = `${ROOT}fixtures/example`;
const PROOF = `${EXAMPLE}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`;
const CLI = `${ROOT}src/cli/main.ts`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with exactly `permissions` (and --no-prompt, so anything else is denied). */
async function cli(permissions: string[], args: string[]): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--quiet", ...permissions, CLI, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    clearEnv: true,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const READ_ONLY = ["--allow-read", "--deny-net", "--deny-write", "--deny-env", "--deny-run", "--deny-ffi"];

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haircut-perm-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("permissions: verify runs with --allow-read only (no write, env, run or network)", async () => {
  const r = await cli(READ_ONLY, ["verify", "fixtures/example", "--keys", "fixtures/example/keys.json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /VALID/);
  assert.equal(r.stderr, "");
});

Deno.test("permissions: proof runs with --allow-read only (no write, env, run or network)", async () => {
  const r = await cli(READ_ONLY, [
    "proof",
    PROOF,
    "--statement",
    "fixtures/example/statement.dsse.json",
    "--keys",
    "fixtures/example/keys.json",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^VALID: account "alice"/);
});

Deno.test("permissions: inspect and chain run with --allow-read only", async () => {
  const inspect = await cli(READ_ONLY, [
    "inspect",
    "fixtures/example/statement.dsse.json",
    "--keys",
    "fixtures/example/keys.json",
  ]);
  assert.equal(inspect.code, 0, inspect.stderr);
  // A chain of one statement repeated is not a valid chain, but it must run to a verdict (exit 1), not exit 2.
  const chain = await cli(READ_ONLY, [
    "chain",
    "fixtures/example/statement.dsse.json",
    "fixtures/example/statement.dsse.json",
  ]);
  assert.ok(chain.code === 0 || chain.code === 1, chain.stderr);
  assert.doesNotMatch(chain.stderr, /permission|NotCapable|Requires/i);
});

Deno.test("permissions: a file without read permission gives exit 2 and a clear message", async () => {
  // Running as root, chmod 000 does not stop reads; scope --allow-read to every file but one instead.
  const allow = (paths: string[]): string[] => [`--allow-read=${paths.join(",")}`, "--deny-net"];
  const statement = `${EXAMPLE}/statement.dsse.json`;
  const leaves = `${EXAMPLE}/leaves.csv`;
  const keys = `${EXAMPLE}/keys.json`;

  const noKeys = await cli(allow([statement, leaves]), ["verify", EXAMPLE, "--keys", keys]);
  assert.equal(noKeys.code, 2);
  assert.equal(noKeys.stdout, "");
  assert.equal(noKeys.stderr, `haircut verify: keys file ${keys} cannot be read: permission denied\n`);

  const noLeaves = await cli(allow([statement, keys]), ["verify", EXAMPLE, "--keys", keys]);
  assert.equal(noLeaves.code, 2);
  assert.match(noLeaves.stderr, /^haircut verify: leaves file .*leaves\.csv cannot be read: permission denied\n$/);

  const noProof = await cli(allow([statement, keys]), ["proof", PROOF, "--statement", statement, "--keys", keys]);
  assert.equal(noProof.code, 2);
  assert.equal(noProof.stderr, `haircut proof: proof file ${PROOF} cannot be read: permission denied\n`);

  const noStatement = await cli(allow([PROOF, keys]), ["proof", PROOF, "--statement", statement, "--keys", keys]);
  assert.equal(noStatement.code, 2);
  assert.equal(noStatement.stderr, `haircut proof: statement file ${statement} cannot be read: permission denied\n`);
});

Deno.test("permissions: keygen writes mode 0600 with write access to its output only, and never prints the secret", async () => {
  await withTempDir(async (dir) => {
    for (const algorithm of ["ed25519", "secp256k1"]) {
      const out = `${dir}/${algorithm}.key.json`;
      const r = await cli([`--allow-write=${dir}`, `--allow-read=${dir}`, "--deny-net"], [
        "keygen",
        "--algorithm",
        algorithm,
        "--out",
        out,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await Deno.stat(out)).mode! & 0o777, 0o600);
      const key = JSON.parse(await Deno.readTextFile(out));
      assert.match(key.secretKey, /^[0-9a-f]{64}$/);
      assert.ok(!r.stdout.includes(key.secretKey) && !r.stderr.includes(key.secretKey), "secret printed");
      assert.ok(r.stdout.includes(key.keyid), "the keyid is shown");
      // Refusing to overwrite must not print the secret either.
      const again = await cli([`--allow-write=${dir}`, `--allow-read=${dir}`], ["keygen", "--out", out]);
      assert.equal(again.code, 2);
      assert.ok(!again.stderr.includes(key.secretKey));
    }
  });
});

Deno.test("permissions: publish needs no network, and prints or publishes no signing secret or salt secret", async () => {
  await withTempDir(async (dir) => {
    const input = `${EXAMPLE}/input`;
    const out = `${dir}/pub`;
    const r = await cli([`--allow-read=${input},${dir}`, `--allow-write=${dir}`, "--deny-net"], [
      "publish",
      "--accounts",
      `${input}/accounts.csv`,
      "--event",
      `${input}/event.json`,
      "--signing-key",
      `${input}/venue.key.json`,
      "--signing-key",
      `${input}/auditor.key.json`,
      "--salt-secret",
      `${input}/salt-secret`,
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const secrets = [
      JSON.parse(await Deno.readTextFile(`${input}/venue.key.json`)).secretKey,
      JSON.parse(await Deno.readTextFile(`${input}/auditor.key.json`)).secretKey,
    ];
    const saltSecret = await Deno.readFile(`${input}/salt-secret`);
    const saltText = new TextDecoder().decode(saltSecret).trim();
    const saltHex = Array.from(saltSecret, (b) => b.toString(16).padStart(2, "0")).join("");
    const saltB64 = btoa(String.fromCharCode(...saltSecret));
    const forbidden = [...secrets, saltHex, saltB64, ...(saltText.length >= 8 ? [saltText] : [])];
    const published: string[] = [r.stdout, r.stderr];
    for await (const e of Deno.readDir(out)) if (e.isFile) published.push(await Deno.readTextFile(`${out}/${e.name}`));
    for await (const e of Deno.readDir(`${out}/proofs`)) {
      published.push(await Deno.readTextFile(`${out}/proofs/${e.name}`));
    }
    for (const text of published) {
      for (const secret of forbidden) assert.ok(!text.includes(secret), "a secret appears in the output");
    }
    // A broken signing key is reported without echoing its secret.
    const broken = JSON.parse(await Deno.readTextFile(`${input}/venue.key.json`));
    broken.publicKey = "00" + broken.publicKey.slice(2);
    await Deno.writeTextFile(`${dir}/broken.key.json`, JSON.stringify(broken));
    const bad = await cli([`--allow-read=${input},${dir}`, `--allow-write=${dir}`], [
      "publish",
      "--accounts",
      `${input}/accounts.csv`,
      "--event",
      `${input}/event.json`,
      "--signing-key",
      `${dir}/broken.key.json`,
      "--out",
      `${dir}/pub2`,
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /publicKey does not match secretKey/);
    assert.ok(!bad.stderr.includes(broken.secretKey));
  });
});

Deno.test("permissions: the source never opens a network connection or reads the environment", async () => {
  // A static check to back the runtime ones: no fetch, sockets, HTTP servers or env reads in src/.
  for await (const e of Deno.readDir(`${ROOT}src`)) {
    if (!e.name.endsWith(".ts")) continue;
    // Code only: JSDoc examples and comments may show how a caller uses these APIs.
    const text = (await Deno.readTextFile(`${ROOT}src/${e.name}`)).split("\n")
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join("\n");
    for (
      const api of ["fetch(", "Deno.connect", "Deno.listen", "Deno.serve", "WebSocket", "Deno.env", "Deno.Command"]
    ) {
      assert.ok(!text.includes(api), `src/${e.name} uses ${api}`);
    }
  }
});
