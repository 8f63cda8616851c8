import assert from "node:assert/strict";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { signingKeyJson } from "../publish.ts";
import {
  addCheckpointRequest,
  appendStatement,
  cosignatureSigner,
  ed25519NoteSigner,
  initLog,
  type LogState,
  mergeCosignatures,
  type NoteSigner,
  openNote,
  parseCosignatureVkey,
  witnessConfig,
  witnessConfigJson,
} from "../tlog.ts";
import { TLOG_SIZE_TYPE } from "../src/tlog/witness.ts";
import { serveWitness } from "../src/tlog/_serve.ts";
import { WitnessStore } from "../src/tlog/_witness_store.ts";

const ORIGIN = "example.com/haircut-log";
const key = (n: number) => signingKeyFromSecret("ed25519", new Uint8Array(32).fill(n));
const LOG_KEY = key(1);
const WITNESS_KEY = key(2);
const logSigner = ed25519NoteSigner(ORIGIN, LOG_KEY);

function digest(i: number, tag = "a"): string {
  return Array.from({ length: 32 }, (_, j) => ((i * 7 + j + tag.charCodeAt(0)) & 0xff).toString(16).padStart(2, "0"))
    .join("");
}

/** A log of `n` entries of one venue, chained through `previous`. */
function logOf(n: number, signer: NoteSigner = logSigner, tag = "a"): LogState {
  let state = initLog(ORIGIN, signer);
  for (let i = 0; i < n; i++) {
    state = appendStatement(state, {
      digest: digest(i, tag),
      venue: "V",
      previous: i === 0 ? null : digest(i - 1, tag),
    }, signer);
  }
  return state;
}

async function witnessDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "haircut-witness-" });
  const config = witnessConfig("witness.example", WITNESS_KEY, [{ origin: ORIGIN, vkey: logSigner.vkey }]);
  await Deno.writeTextFile(`${dir}/witness.json`, witnessConfigJson(config));
  return dir;
}

async function startWitness(dir: string) {
  const controller = new AbortController();
  const store = await WitnessStore.open(dir, WITNESS_KEY);
  const server = await serveWitness(store, { port: 0, signal: controller.signal, now: () => 1700000000 });
  const url = `http://127.0.0.1:${server.port}/add-checkpoint`;
  const post = async (body: string) => {
    const r = await fetch(url, { method: "POST", body });
    return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
  };
  return {
    url,
    post,
    async stop() {
      controller.abort();
      await server.finished;
    },
  };
}

Deno.test("witness over HTTP: every tlog-witness status, a fork refused, state kept across a restart", async () => {
  const dir = await witnessDir();
  let w = await startWitness(dir);
  try {
    assert.equal(w.url.startsWith("http://127.0.0.1:"), true);
    const log3 = logOf(3);
    // 200 from an empty witness with old 0: the cosignature line verifies under the witness's vkey.
    const first = await w.post(addCheckpointRequest(log3, 0));
    assert.equal(first.status, 200, first.body);
    assert.match(first.body, /^— witness\.example [A-Za-z0-9+/=]+\n$/);
    const wvkey = cosignatureSigner("witness.example", WITNESS_KEY, 0).vkey;
    const merged = mergeCosignatures(log3, [first.body], { witnesses: [parseCosignatureVkey(wvkey)] });
    assert.equal(openNote(merged.checkpoint, [parseCosignatureVkey(wvkey)]).verified[0].timestamp, 1700000000);

    // 409 with text/x.tlog.size when old is not the stored size.
    const stale = await w.post(addCheckpointRequest(logOf(5), 0));
    assert.deepEqual([stale.status, stale.type, stale.body], [409, TLOG_SIZE_TYPE, "3\n"]);
    // 400: old size above the new size (the log's own request builder refuses it, so write it out).
    const above = addCheckpointRequest(log3, 3).replace(/^old 3\n/, "old 4\n");
    assert.equal((await w.post(above)).status, 400);
    // 400: malformed body.
    assert.equal((await w.post("old x\n\n")).status, 400);
    // 404: unknown origin.
    const otherSigner = ed25519NoteSigner("other.example/log", LOG_KEY);
    const other = appendStatement(initLog("other.example/log", otherSigner), {
      digest: digest(0),
      venue: "V",
      previous: null,
    }, otherSigner);
    assert.equal((await w.post(addCheckpointRequest(other, 0))).status, 404);
    // 403: the right origin signed by another key.
    const impostor = logOf(4, ed25519NoteSigner(ORIGIN, key(9)));
    assert.equal((await w.post(addCheckpointRequest(impostor, 3))).status, 403);
    // 422: a wrong consistency proof (a proof for another old size).
    const log5 = logOf(5);
    const wrongProof = addCheckpointRequest(log5, 2).replace(/^old 2\n/, "old 3\n");
    const bad = await w.post(wrongProof);
    assert.equal(bad.status, 422, bad.body);

    // A fork: the venue shows a different history of the same sizes. Same size, other root: 409.
    const fork3 = logOf(3, logSigner, "b");
    const sameSize = await w.post(addCheckpointRequest(fork3, 3));
    assert.equal(sameSize.status, 409, sameSize.body);
    assert.match(sameSize.body, /size 3 was cosigned with root/);
    // A larger forked tree: its consistency proof from 3 cannot match the stored root: 422.
    const fork6 = logOf(6, logSigner, "b");
    const grow = await w.post(addCheckpointRequest(fork6, 3));
    assert.equal(grow.status, 422, grow.body);

    // The honest log grows: 200, then the restart keeps size 5.
    assert.equal((await w.post(addCheckpointRequest(log5, 3))).status, 200);
    await w.stop();
    w = await startWitness(dir);
    const again = await w.post(addCheckpointRequest(log5, 3));
    assert.deepEqual([again.status, again.type, again.body], [409, TLOG_SIZE_TYPE, "5\n"]);
    // Never a smaller size than cosigned: the 3-entry checkpoint with old 5 is a 400, with old 3 a 409.
    assert.equal((await w.post(addCheckpointRequest(log3, 3).replace(/^old 3\n/, "old 5\n"))).status, 400);
    assert.equal((await w.post(addCheckpointRequest(log3, 3))).status, 409);
    // Re-submitting the stored checkpoint with old = its size is cosigned again.
    assert.equal((await w.post(addCheckpointRequest(log5, 5))).status, 200);
    // Anything but POST /add-checkpoint.
    assert.equal(
      await fetch(w.url.replace("/add-checkpoint", "/"), { method: "POST", body: "" }).then(async (
        r,
      ) => (await r.text(), r.status)),
      404,
    );
    assert.equal(await fetch(w.url).then(async (r) => (await r.text(), r.status)), 405);
  } finally {
    await w.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("witness over HTTP: two concurrent requests for one log, one cosigned and one told the new size", async () => {
  const dir = await witnessDir();
  const w = await startWitness(dir);
  try {
    const a = logOf(4);
    const b = logOf(7);
    const [ra, rb] = await Promise.all([w.post(addCheckpointRequest(a, 0)), w.post(addCheckpointRequest(b, 0))]);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 409], `${ra.status} ${ra.body} / ${rb.status} ${rb.body}`);
    const winner = ra.status === 200 ? 4 : 7;
    const loser = ra.status === 200 ? rb : ra;
    assert.deepEqual([loser.type, loser.body], [TLOG_SIZE_TYPE, `${winner}\n`]);
    // The stored size is the winner's: from there the 7-entry checkpoint is accepted.
    const next = await w.post(addCheckpointRequest(b, winner));
    assert.equal(next.status, 200, next.body);
    // Many concurrent identical requests from the stored size: all cosigned (same root), none rolls back.
    const many = await Promise.all(Array.from({ length: 8 }, () => w.post(addCheckpointRequest(b, 7))));
    assert.deepEqual(many.map((r) => r.status), Array(8).fill(200));
    const smaller = await w.post(addCheckpointRequest(a, 4));
    assert.equal(smaller.status, 409);
  } finally {
    await w.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("haircut witness serve as a process: listens on 127.0.0.1, answers, stops on SIGTERM", async () => {
  const dir = await witnessDir();
  const keyFile = `${dir}/w.key.json`;
  await Deno.writeTextFile(keyFile, signingKeyJson(WITNESS_KEY), { mode: 0o600 });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-read",
      "--allow-write",
      "--allow-net=127.0.0.1",
      "src/cli/main.ts",
      "witness",
      "serve",
      dir,
      "--signing-key",
      keyFile,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const m = /listening on (http:\/\/127\.0\.0\.1:(\d+)\/add-checkpoint)/.exec(out);
    assert.ok(m, out);
    const r = await fetch(m[1], { method: "POST", body: addCheckpointRequest(logOf(2), 0) });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /^— witness\.example /);
    child.kill("SIGTERM");
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    const status = await child.status;
    assert.equal(status.code, 0);
    const err = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    assert.match(err, /POST \/add-checkpoint -> 200/);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already stopped */ }
    await Deno.remove(dir, { recursive: true });
  }
});
