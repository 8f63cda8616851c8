/**
 * Regression tests for problems an adversarial review found: each builds the
 * hostile input and asserts the structured outcome.
 */

import assert from "node:assert/strict";
import {
  checkChain,
  InputError,
  parseKeysFile,
  type Statement,
  STATEMENT_TYPE,
  verifyProof,
  verifyPublication,
} from "../mod.ts";
import { buildPublication, type EventSpec, keysFileJson, signEnvelope } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { compareUtcTimestamps, statementBytes } from "../src/format/statement.ts";
import { runCli } from "../src/cli/main.ts";

const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1));
const KEYS_JSON = keysFileJson([SIGNER]);
const KEYS = parseKeysFile(KEYS_JSON);
const EXAMPLE = new URL("../fixtures/example/", import.meta.url);

function statement(over: Partial<Statement>): Statement {
  return {
    type: STATEMENT_TYPE,
    venue: "V",
    event: "E",
    asset: "USDT",
    decimals: 2,
    snapshotTime: "2026-11-03T08:00:00Z",
    policy: { base: "profit", rounding: "largest-remainder", cap: null },
    deficit: 0n,
    insuranceFund: 0n,
    insuranceUsed: 0n,
    shortfall: 0n,
    target: 0n,
    uncovered: 0n,
    tree: { root: new Uint8Array(32), leafCount: 1, totalBase: 0n, totalHaircut: 0n },
    previous: null,
    ...over,
  };
}

function signed(s: Statement): string {
  return envelopeToJson(signEnvelope(statementBytes(s), [SIGNER]));
}

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haircut-hostile-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("an account id starting with U+FEFF is published as hashed, and its proof verifies", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/accounts.csv`, "account,base\nalice,100\n\ufeffbob,50\n");
    const r = await runCli([
      "publish",
      "--accounts",
      `${dir}/accounts.csv`,
      "--event",
      new URL("input/event.json", EXAMPLE).pathname,
      "--signing-key",
      new URL("input/venue.key.json", EXAMPLE).pathname,
      "--out",
      `${dir}/out`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const keys = `${dir}/out/keys.json`;
    let checked = 0;
    for (const f of Deno.readDirSync(`${dir}/out/proofs`)) {
      const proof = await runCli([
        "proof",
        `${dir}/out/proofs/${f.name}`,
        "--statement",
        `${dir}/out/statement.dsse.json`,
        "--keys",
        keys,
      ]);
      assert.equal(proof.code, 0, proof.stdout);
      checked++;
    }
    assert.equal(checked, 2);
    const bob = [...Deno.readDirSync(`${dir}/out/proofs`)].map((f) =>
      Deno.readTextFileSync(`${dir}/out/proofs/${f.name}`)
    )
      .map((t) => JSON.parse(t).account).sort();
    assert.deepEqual(bob, ["alice", "\ufeffbob"]);
  });
});

Deno.test("a statement claiming parts far larger than the deficit renders (inspect, markdown) instead of crashing", async () => {
  const text = signed(statement({ deficit: 1n, shortfall: 1n, uncovered: 1n << 127n }));
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, text);
    await Deno.writeTextFile(`${dir}/keys.json`, KEYS_JSON);
    await Deno.writeTextFile(`${dir}/leaves.csv`, "account_key,base,haircut\n");
    const unchecked = await runCli(["inspect", `${dir}/statement.dsse.json`]);
    assert.equal(unchecked.code, 0, unchecked.stderr);
    assert.match(unchecked.stdout, /^UNVERIFIED statement/);
    assert.match(unchecked.stdout, /Uncovered +█{40} /);
    const rejected = await runCli(["inspect", `${dir}/statement.dsse.json`, "--keys", `${dir}/keys.json`]);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stdout, /^NOT VALID statement: the signatures or the arithmetic failed/);
    assert.match(rejected.stdout, /ARITHMETIC: uncovered 170141183460469231731687303715884105728 != shortfall 1/);
    const md = await runCli(["verify", dir, "--keys", `${dir}/keys.json`, "--format", "markdown"]);
    assert.equal(md.code, 1, md.stderr);
    assert.match(md.stdout, /^## ❌ haircut publication: NOT VALID/);
  });
});

Deno.test("serial and parallel agree on 'well-formed rows' when a malformed line follows a sum overflow", async () => {
  const k = (i: number): string => i.toString(16).padStart(64, "0");
  const csv = `account_key,base,haircut\n${k(1)},1,0\n${k(2)},1,0\n${k(3)},${1n << 127n},0\n${k(4)},${1n << 127n},0\n` +
    `${k(5)},5,9\nbad\n`;
  const envelope = signed(
    statement({ tree: { root: new Uint8Array(32), leafCount: 6, totalBase: 10n, totalHaircut: 0n } }),
  );
  const leaves = new TextEncoder().encode(csv);
  const serial = await verifyPublication({ envelope, leaves }, KEYS);
  const count = serial.errors.find((e) => e.code === "LEAF_COUNT_MISMATCH");
  assert.equal(count?.message, "leaves.csv has 5 well-formed rows, the statement says leafCount 6");
  for (const batchSize of [1, 2, 4]) {
    const parallel = await verifyPublication({ envelope, leaves }, KEYS, { workers: 2, batchSize });
    assert.deepEqual(parallel.errors, serial.errors, `batchSize ${batchSize}`);
  }
});

Deno.test("compareUtcTimestamps orders leap seconds and fractions exactly", () => {
  assert.ok(compareUtcTimestamps("2026-12-31T23:59:60Z", "2026-12-31T23:59:59.999999999Z") > 0);
  assert.ok(compareUtcTimestamps("2026-12-31T23:59:60Z", "2027-01-01T00:00:00Z") < 0);
  assert.ok(compareUtcTimestamps("2026-11-03T08:00:00.0001Z", "2026-11-03T08:00:00.00009Z") > 0);
  assert.ok(compareUtcTimestamps("2026-11-03T08:00:00.5Z", "2026-11-03T08:00:00Z") > 0);
  assert.equal(compareUtcTimestamps("2026-11-03T08:00:00.50Z", "2026-11-03T08:00:00.5Z"), 0);
  assert.ok(compareUtcTimestamps("2020-01-01T00:00:00Z", "2026-12-31T23:59:60Z") < 0);
});

Deno.test("chain: a successor dated before a leap-second predecessor is CHAIN_REORDERED", () => {
  const event: EventSpec = {
    venue: "V",
    event: "E1",
    asset: "USDT",
    decimals: 2,
    snapshotTime: "2026-12-31T23:59:60Z",
    policy: { base: "profit", rounding: "largest-remainder", cap: null },
    deficit: 10n,
    insuranceFund: 0n,
    previous: null,
  };
  const a = buildPublication({ accounts: [{ account: "x", base: 100n }], event }, [SIGNER]);
  const b = buildPublication({
    accounts: [{ account: "x", base: 100n }],
    event: {
      ...event,
      event: "E2",
      snapshotTime: "2020-01-01T00:00:00Z",
      previous: a.digest,
    },
  }, [SIGNER]);
  const r = checkChain([{ name: "a", envelope: envelopeToJson(a.envelope) }, {
    name: "b",
    envelope: envelopeToJson(b.envelope),
  }], { keys: KEYS });
  assert.deepEqual(r.errors.map((e) => e.code), ["CHAIN_REORDERED"]);
});

Deno.test("buildPublication: bases adding up to 2^128 and ill-formed or control-character venues are InputErrors", () => {
  const event: EventSpec = {
    venue: "V",
    event: "E",
    asset: "USDT",
    decimals: 0,
    snapshotTime: "2026-11-03T08:00:00Z",
    policy: { base: "profit", rounding: "floor", cap: null },
    deficit: 5n,
    insuranceFund: 0n,
    previous: null,
  };
  const big = [{ account: "a", base: 1n << 127n }, { account: "b", base: 1n << 127n }];
  assert.throws(
    () => buildPublication({ accounts: big, event }, [SIGNER]),
    (e) => e instanceof InputError && /reaches 2\^128/.test(e.message),
  );
  const one = [{ account: "a", base: 5n }];
  assert.throws(
    () => buildPublication({ accounts: one, event: { ...event, venue: "\ud800" } }, [SIGNER]),
    (e) => e instanceof InputError && /venue must be well-formed Unicode/.test(e.message),
  );
  assert.throws(
    () => buildPublication({ accounts: one, event: { ...event, venue: "V\u009b2J" } }, [SIGNER]),
    (e) => e instanceof InputError && /venue must not contain control characters/.test(e.message),
  );
  // What publish signs, verify accepts.
  const pub = buildPublication({ accounts: one, event: { ...event, venue: "Vénue ✓" } }, [SIGNER]);
  assert.equal(verifyProof({ proof: pub.proofs[0].json, envelope: envelopeToJson(pub.envelope) }, KEYS).ok, true);
});

Deno.test("the CLI reads only regular files: a device as --salt-secret is exit 2, never a hang", async () => {
  const r = await runCli([
    "publish",
    "--accounts",
    new URL("input/accounts.csv", EXAMPLE).pathname,
    "--event",
    new URL("input/event.json", EXAMPLE).pathname,
    "--signing-key",
    new URL("input/venue.key.json", EXAMPLE).pathname,
    "--salt-secret",
    "/dev/zero",
    "--out",
    "/nonexistent-haircut-out",
  ]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "haircut publish: salt secret /dev/zero is not a file\n");
});

// The rule changed deliberately (issue 10): a byte order mark at the start of any JSON file the user hands in was
// ENVELOPE_INVALID (exit 1) or an invisible character in an exit-2 message; the CLI now drops it for every such file
// alike. The library's readers stay strict, and a BOM inside a signed payload is still rejected.
Deno.test("a byte order mark at the start of every JSON file the user hands in is ignored by the CLI", async () => {
  const bom = async (from: URL | string, to: string): Promise<string> => {
    await Deno.writeTextFile(to, "\ufeff" + await Deno.readTextFile(from));
    return to;
  };
  await withDir(async (dir) => {
    // verify: the publication's statement file and the keys file.
    await Deno.mkdir(`${dir}/pub`);
    await Deno.copyFile(new URL("leaves.csv", EXAMPLE), `${dir}/pub/leaves.csv`);
    await bom(new URL("statement.dsse.json", EXAMPLE), `${dir}/pub/statement.dsse.json`);
    const keys = await bom(new URL("keys.json", EXAMPLE), `${dir}/keys.json`);
    const v = await runCli(["verify", `${dir}/pub`, "--keys", keys, "--format", "json"]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    // --previous, and chain and inspect.
    const chain = new URL("../fixtures/scenarios/chain-of-three/", import.meta.url);
    const previous = await bom(new URL("event-1/statement.dsse.json", chain), `${dir}/previous.dsse.json`);
    const chainKeys = new URL("event-2/keys.json", chain).pathname;
    const linked = await runCli([
      "verify",
      new URL("event-2", chain).pathname,
      "--keys",
      chainKeys,
      "--previous",
      previous,
    ]);
    assert.equal(linked.code, 0, linked.stdout + linked.stderr);
    const second = await bom(new URL("event-2/statement.dsse.json", chain), `${dir}/second.dsse.json`);
    assert.equal((await runCli(["chain", previous, second, "--keys", chainKeys])).code, 0);
    assert.equal((await runCli(["inspect", previous, "--keys", chainKeys])).code, 0);
    // publish: the event file and the signing keys; the output is byte-identical to the example.
    const input = new URL("input/", EXAMPLE);
    const p = await runCli([
      "publish",
      "--accounts",
      new URL("accounts.csv", input).pathname,
      "--event",
      await bom(new URL("event.json", input), `${dir}/event.json`),
      "--signing-key",
      await bom(new URL("venue.key.json", input), `${dir}/venue.key.json`),
      "--signing-key",
      await bom(new URL("auditor.key.json", input), `${dir}/auditor.key.json`),
      "--salt-secret",
      new URL("salt-secret", input).pathname,
      "--out",
      `${dir}/out`,
    ]);
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(
      await Deno.readFile(`${dir}/out/statement.dsse.json`),
      await Deno.readFile(new URL("statement.dsse.json", EXAMPLE)),
    );
  });
});

Deno.test("a byte order mark stays an error in the library's readers and inside a signed payload", async () => {
  const text = "\ufeff" + Deno.readTextFileSync(new URL("statement.dsse.json", EXAMPLE));
  const r = await verifyPublication(
    { envelope: text, leaves: Deno.readFileSync(new URL("leaves.csv", EXAMPLE)) },
    KEYS,
  );
  assert.deepEqual(r.errors.map((e) => e.code), ["ENVELOPE_INVALID"], "the library is strict: the CLI strips");
  await withDir(async (dir) => {
    const payload = new TextEncoder().encode("\ufeff" + new TextDecoder().decode(statementBytes(statement({}))));
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, envelopeToJson(signEnvelope(payload, [SIGNER])));
    await Deno.writeTextFile(`${dir}/keys.json`, KEYS_JSON);
    await Deno.writeTextFile(`${dir}/leaves.csv`, "account_key,base,haircut\n" + "00".repeat(32) + ",0,0\n");
    const v = await runCli(["verify", dir, "--keys", `${dir}/keys.json`, "--format", "json"]);
    assert.equal(v.code, 1, v.stderr);
    assert.deepEqual(JSON.parse(v.stdout).errors.map((e: { code: string }) => e.code), ["NON_CANONICAL"]);
  });
});
