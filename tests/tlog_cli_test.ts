import assert from "node:assert/strict";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { parseSigningKey, signingKeyJson } from "../publish.ts";
import { runCli } from "../src/cli/main.ts";
import { serveWitness } from "../src/tlog/_serve.ts";
import { WitnessStore } from "../src/tlog/_witness_store.ts";

const CHAIN = "fixtures/scenarios/chain-of-three";
const ORIGIN = "example.com/haircut-log";

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** `haircut log add <dir>/log <event's statement> --signing-key <dir>/<key>.key.json`. */
function logAdd(dir: string, event: number, key = "log") {
  return runCli([
    "log",
    "add",
    `${dir}/log`,
    `${CHAIN}/event-${event}/statement.dsse.json`,
    "--signing-key",
    `${dir}/${key}.key.json`,
  ]);
}

/** Keys, a log with the three chained statements, and three witnesses (two serving over HTTP). */
async function setUp() {
  const dir = await Deno.makeTempDir({ prefix: "haircut-tlog-cli-" });
  for (const [name, n] of [["log", 11], ["w1", 12], ["w2", 13], ["w3", 14]] as const) {
    await Deno.writeTextFile(
      `${dir}/${name}.key.json`,
      signingKeyJson(signingKeyFromSecret("ed25519", new Uint8Array(32).fill(n))),
    );
  }
  const logVkey = (await ok(["log", "init", `${dir}/log`, "--origin", ORIGIN, "--signing-key", `${dir}/log.key.json`]))
    .trim();
  for (const e of [1, 2, 3]) assert.equal((await logAdd(dir, e)).code, 0);
  const witness: Record<string, string> = {};
  for (const w of ["w1", "w2", "w3"]) {
    witness[w] = (await ok([
      "witness",
      "init",
      `${dir}/${w}`,
      "--name",
      `${w}.example`,
      "--signing-key",
      `${dir}/${w}.key.json`,
      "--origin",
      ORIGIN,
      "--log-key",
      logVkey,
    ])).trim();
  }
  const policy = (quorum: number, names = ["w1", "w2", "w3"]) =>
    JSON.stringify({ origin: ORIGIN, log: logVkey, witnesses: names.map((n) => witness[n]), quorum });
  return { dir, logVkey, witness, policy };
}

async function serve(dir: string, w: string, signal: AbortSignal) {
  const key = parseSigningKey(await Deno.readTextFile(`${dir}/${w}.key.json`));
  const server = await serveWitness(await WitnessStore.open(`${dir}/${w}`, key), { port: 0, signal });
  return { url: `http://127.0.0.1:${server.port}/add-checkpoint`, finished: server.finished };
}

Deno.test("the whole flow: log add, two witnesses over HTTP, a trader's proof at quorum 2 passes and at 3 fails", async () => {
  const { dir, witness, policy } = await setUp();
  const stop = new AbortController();
  const w1 = await serve(dir, "w1", stop.signal);
  const w2 = await serve(dir, "w2", stop.signal);
  try {
    await ok(["log", "request", `${dir}/log`, "--old", "0", "--out", `${dir}/req0`]);
    const request = await Deno.readTextFile(`${dir}/req0`);
    assert.match(request, /^old 0\n\nexample\.com\/haircut-log\n3\n/);
    for (const [w, url] of [["w1", w1.url], ["w2", w2.url]]) {
      const r = await fetch(url, { method: "POST", body: request });
      assert.equal(r.status, 200);
      await Deno.writeTextFile(`${dir}/${w}.resp`, await r.text());
    }
    const cosigned = await ok([
      "log",
      "cosigned",
      `${dir}/log`,
      `${dir}/w1.resp`,
      `${dir}/w2.resp`,
      "--witness",
      witness.w1,
      "--witness",
      witness.w2,
    ]);
    assert.equal(cosigned.split("\n").filter((l) => l.startsWith("— ")).length, 3);
    await ok(["log", "prove", `${dir}/log`, `${CHAIN}/event-2/statement.dsse.json`, "--out", `${dir}/e2.tlog-proof`]);
    assert.match(await Deno.readTextFile(`${dir}/e2.tlog-proof`), /^c2sp\.org\/tlog-proof@v1\nindex 1\n/);

    const [proofFile] = [...Deno.readDirSync(`${CHAIN}/event-2/proofs`)].map((e) => e.name).sort();
    const trader = [
      "proof",
      `${CHAIN}/event-2/proofs/${proofFile}`,
      "--statement",
      `${CHAIN}/event-2/statement.dsse.json`,
      "--keys",
      `${CHAIN}/event-2/keys.json`,
      "--log-proof",
      `${dir}/e2.tlog-proof`,
      "--log-policy",
      `${dir}/policy.json`,
    ];
    await Deno.writeTextFile(`${dir}/policy.json`, policy(2));
    const pass = await runCli(trader);
    assert.equal(pass.code, 0, pass.stdout);
    assert.match(pass.stdout, /\n {2}w1\.example +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +cosigned \(POSIX time \d+\)\n/);
    assert.match(pass.stdout, /\n {2}w3\.example +- +no valid cosignature\n/);
    assert.match(pass.stdout, /\n {2}Witnesses +2 of 3 +cosigned; your policy requires 2\n/);
    assert.match(
      pass.stdout,
      /the statement is entry 1 of the log example\.com\/haircut-log, whose checkpoint 2 of the/,
    );
    assert.match(pass.stdout, /pass {2}witness quorum/);
    const json = JSON.parse((await runCli([...trader, "--format", "json"])).stdout);
    assert.deepEqual(json.log.witnesses.map((w: { name: string; cosigned: boolean }) => [w.name, w.cosigned]), [
      ["w1.example", true],
      ["w2.example", true],
      ["w3.example", false],
    ]);
    assert.equal(typeof json.log.witnesses[0].timestamp, "number");
    assert.deepEqual(json.checks.slice(-3).map((c: { name: string; status: string }) => [c.name, c.status]), [
      ["log signature", "pass"],
      ["witness quorum", "pass"],
      ["log inclusion", "pass"],
    ]);

    await Deno.writeTextFile(`${dir}/policy.json`, policy(3));
    const fail = await runCli([...trader, "--format", "json"]);
    assert.equal(fail.code, 1);
    const report = JSON.parse(fail.stdout);
    assert.deepEqual(report.errors.map((e: { code: string }) => e.code), ["WITNESS_QUORUM"]);
    assert.match(report.errors[0].message, /2 of the 3 pinned witnesses cosigned the checkpoint, the policy needs 3/);
    assert.equal(
      report.explanation.headline,
      "NOT VALID: only 2 of the 3 witnesses your log policy pins cosigned the log's checkpoint, fewer than its " +
        "quorum of 3 (WITNESS_QUORUM).",
    );
    assert.equal(report.explanation.log, undefined, "the log facts are in report.log, not repeated");
    assert.equal(report.log.quorum, 3);

    // The auditor's verify of the whole publication takes the same two flags.
    await Deno.writeTextFile(`${dir}/policy.json`, policy(2));
    const verifyEvent = (event: number, ...more: string[]) =>
      runCli([
        "verify",
        `${CHAIN}/event-${event}`,
        "--keys",
        `${CHAIN}/event-${event}/keys.json`,
        "--log-proof",
        `${dir}/e2.tlog-proof`,
        "--log-policy",
        `${dir}/policy.json`,
        "--quiet",
        ...more,
      ]);
    const verify = await verifyEvent(2);
    assert.equal(verify.code, 0, verify.stdout);
    assert.match(verify.stdout, /\nTransparency log:\n {2}Log +example\.com\/haircut-log\n/);
    // The proof of event 2 is not a proof of event 3.
    const wrong = await verifyEvent(3, "--format", "json");
    assert.equal(wrong.code, 1);
    assert.deepEqual(JSON.parse(wrong.stdout).errors.map((e: { code: string }) => e.code), ["LOG_INCLUSION_MISMATCH"]);
  } finally {
    stop.abort();
    await Promise.all([w1.finished, w2.finished]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("witness cosign from stdin, refusals with their status, and log refusals", async () => {
  const { dir } = await setUp();
  try {
    await ok(["log", "request", `${dir}/log`, "--old", "0", "--out", `${dir}/req0`]);
    const cosign = async (file: string) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          "--allow-read",
          "--allow-write",
          "src/cli/main.ts",
          "witness",
          "cosign",
          `${dir}/w1`,
          "--signing-key",
          `${dir}/w1.key.json`,
        ],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(await Deno.readFile(file));
      await writer.close();
      const out = await child.output();
      return {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
      };
    };
    const first = await cosign(`${dir}/req0`);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^— w1\.example /);
    const second = await cosign(`${dir}/req0`);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /409: the witness holds size 3; request again with --old 3/);

    // log add refuses a duplicate and a broken chain; request refuses an old size above the log's.
    const dup = await logAdd(dir, 1);
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /already entry 0 of the log/);
    const wrongKey = await logAdd(dir, 1, "w1");
    assert.match(wrongKey.stderr, /not the log's key/);
    assert.match(
      (await runCli(["log", "request", `${dir}/log`, "--old", "4"])).stderr,
      /old size 4 must be from 0 to the log's size 3/,
    );
    assert.match(
      (await runCli(["log", "prove", `${dir}/log`, "00".repeat(32), "--out", `${dir}/x`])).stderr,
      /is not in the log/,
    );
    assert.match(
      (await runCli(["log", "init", `${dir}/log`, "--origin", ORIGIN, "--signing-key", `${dir}/log.key.json`])).stderr,
      /already exists/,
    );
    // A response from a key not given with --witness is refused.
    await Deno.writeTextFile(`${dir}/w1.resp`, first.stdout);
    const other = await runCli([
      "log",
      "cosigned",
      `${dir}/log`,
      `${dir}/w1.resp`,
      "--witness",
      (await ok([
        "witness",
        "init",
        `${dir}/w9`,
        "--name",
        "w9.example",
        "--signing-key",
        `${dir}/w3.key.json`,
        "--origin",
        ORIGIN,
        "--log-key",
        JSON.parse(await Deno.readTextFile(`${dir}/log/log.json`)).vkey,
      ])).trim(),
    ]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /w1\.example is not one of the given witnesses/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log add refuses a statement whose previous is not the venue's last entry", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut-tlog-cli-" });
  try {
    await Deno.writeTextFile(
      `${dir}/log.key.json`,
      signingKeyJson(signingKeyFromSecret("ed25519", new Uint8Array(32).fill(3))),
    );
    await ok(["log", "init", `${dir}/log`, "--origin", ORIGIN, "--signing-key", `${dir}/log.key.json`]);
    const skip = await logAdd(dir, 2);
    assert.equal(skip.code, 2);
    assert.match(skip.stderr, /the log has no statement of "Chain Exchange", so previous must be null/);
    await logAdd(dir, 1).then((r) => assert.equal(r.code, 0, r.stderr));
    const gap = await logAdd(dir, 3);
    assert.match(gap.stderr, /but the last logged statement of "Chain Exchange" is /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
