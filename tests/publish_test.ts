/**
 * The venue side: golden reproduction, fixture regeneration through the CLI,
 * input parsing errors, proof file names, and random salts.
 */

import assert from "node:assert/strict";
import { InputError, pae, parseKeysFile, PAYLOAD_TYPE, verifyProof, verifyPublication } from "../mod.ts";
import {
  type AccountInput,
  buildPublication,
  type EventSpec,
  parseAccountsCsv,
  parseEventFile,
  parseSigningKey,
} from "../publish.ts";
import { accountKey, sumHasher, sumLeaf, treeRoot } from "../tree.ts";
import { base64ToBytes, bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { verifySignature } from "../src/format/signature.ts";
import { deriveSalt } from "../src/publish/build.ts";
import { runCli } from "../src/cli/main.ts";

const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const GOLDEN_DIGEST = "03fb5e716ab8ce182ca0d45c6a0172fb1894fe77fee14285bae5d3d39f064b62";
const GOLDEN_ROOT = "7325b16fdcbaa634dc938eaff0a8bc74a1c41c671b5b8b9c0ce8083d591763c8";

function read(base: URL, name: string): string {
  return Deno.readTextFileSync(new URL(name, base));
}

function pathOf(url: URL): string {
  return decodeURIComponent(url.pathname);
}

const encoder = new TextEncoder();

const GOLDEN_ACCOUNTS: AccountInput[] = [
  { account: "alice", base: 750000n },
  { account: "bob", base: 250001n },
  { account: "carol", base: 123456n },
  { account: "dave", base: 0n },
  { account: "erin", base: 33333n },
];

const GOLDEN_EVENT: EventSpec = {
  venue: "Example Exchange",
  event: "2026-11-03/ETH-PERP",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-11-03T08:00:00Z",
  policy: { base: "profit", rounding: "largest-remainder", cap: null },
  deficit: 200000n,
  insuranceFund: 120000n,
  previous: null,
};

const GOLDEN_SIGNERS = [
  signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)),
  signingKeyFromSecret("secp256k1", new Uint8Array(32).fill(2)),
];

function goldenPublication() {
  return buildPublication({ accounts: GOLDEN_ACCOUNTS, event: GOLDEN_EVENT }, GOLDEN_SIGNERS, {
    saltSecret: encoder.encode("golden-salt-secret"),
  });
}

/** Every file under `dir`, as relative paths, sorted. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

function throwsInput(fn: () => unknown, ...includes: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`);
    for (const s of includes) assert.ok(e.message.includes(s), `${JSON.stringify(e.message)} lacks ${s}`);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

// ---------------------------------------------------------------------------
// (1) Golden reproduction

Deno.test("golden: buildPublication reproduces the statement payload, digest and root bit for bit", () => {
  const pub = goldenPublication();
  const goldenEnvelope = JSON.parse(read(GOLDEN, "statement.dsse.json"));
  assert.deepEqual(pub.payload, base64ToBytes(goldenEnvelope.payload));
  assert.equal(pub.digest, GOLDEN_DIGEST);
  assert.equal(bytesToHex(pub.statement.tree.root), GOLDEN_ROOT);
  assert.equal(pub.envelope.payloadType, goldenEnvelope.payloadType);
  // The pretty statement.json describes the same statement.
  const pretty = JSON.parse(read(GOLDEN, "statement.json"));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(pub.payload)), pretty);
  assert.equal(pub.statement.target, 80000n);
  assert.equal(pub.statement.tree.totalBase, 1156790n);
  assert.equal(pub.statement.tree.totalHaircut, 80000n);
  assert.equal(pub.statement.uncovered, 0n);
});

Deno.test("golden: leaves.csv bytes, keys.json content and every proof match", () => {
  const pub = goldenPublication();
  assert.deepEqual(encoder.encode(pub.leavesCsv), Deno.readFileSync(new URL("leaves.csv", GOLDEN)));
  assert.deepEqual(JSON.parse(pub.keysJson), JSON.parse(read(GOLDEN, "keys.json")));

  const proofs = JSON.parse(read(GOLDEN, "proofs.json")) as Record<string, unknown>;
  assert.deepEqual(pub.proofs.map((p) => p.account).sort(), Object.keys(proofs).sort());
  for (const p of pub.proofs) assert.deepEqual(JSON.parse(p.json), proofs[p.account], p.account);
  // Tree order is by account key: dave, carol, alice, bob, erin.
  assert.deepEqual(pub.proofs.map((p) => p.account), ["dave", "carol", "alice", "bob", "erin"]);
});

Deno.test("golden: the ed25519 signature is identical; the secp256k1 one differs in nonce but verifies", () => {
  const pub = goldenPublication();
  const goldenEnvelope = JSON.parse(read(GOLDEN, "statement.dsse.json"));
  const [ed, ecdsa] = pub.envelope.signatures;
  assert.equal(pub.envelope.signatures.length, 2);
  assert.equal(ed.keyid, goldenEnvelope.signatures[0].keyid);
  assert.equal(ecdsa.keyid, goldenEnvelope.signatures[1].keyid);
  assert.deepEqual(ed.sig, base64ToBytes(goldenEnvelope.signatures[0].sig));

  const message = pae(PAYLOAD_TYPE, pub.payload);
  const keys = parseKeysFile(read(GOLDEN, "keys.json"));
  const secp = keys.keys.find((k) => k.algorithm === "secp256k1")!;
  assert.equal(
    verifySignature({ algorithm: "secp256k1", publicKey: secp.publicKey }, { message: message, signature: ecdsa.sig }),
    true,
  );
  assert.equal(
    verifySignature({ algorithm: "secp256k1", publicKey: secp.publicKey }, {
      message: message,
      signature: base64ToBytes(goldenEnvelope.signatures[1].sig),
    }),
    true,
  );
  // RFC 6979: re-signing is deterministic within this implementation.
  assert.deepEqual(goldenPublication().envelope.signatures[1].sig, ecdsa.sig);
});

Deno.test("golden: our envelope verifies against the golden keys and leaves", async () => {
  const pub = goldenPublication();
  const keys = parseKeysFile(read(GOLDEN, "keys.json"));
  const r = await verifyPublication(
    { envelope: envelopeToJson(pub.envelope), leaves: encoder.encode(pub.leavesCsv) },
    keys,
  );
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.equal(r.digest, GOLDEN_DIGEST);
});

Deno.test("golden: SPEC §13.1 spot values and the salt derivation", () => {
  const salt = Uint8Array.from({ length: 32 }, (_, i) => i);
  const key = accountKey(salt, "alice");
  assert.equal(bytesToHex(key), "9085744fb5557ea784360cbe100fff86090ec6b53c5ef4341c2f426e758ead6e");
  const leaf = sumLeaf(key, 1000n, 58n);
  assert.equal(bytesToHex(leaf.hash), "054d80c51cc06fa56f0555d5295aede0d520fa9e9043aba21def6e5b8bbcc86c");
  const node = treeRoot([leaf, sumLeaf(new Uint8Array(32).fill(0xff), 0n, 0n)], sumHasher);
  assert.equal(bytesToHex(node.hash), "278e917f922c97c3705eadbe48d8d6251d85747a07e99d272078b70c6373bb80");

  const proofs = JSON.parse(read(GOLDEN, "proofs.json")) as Record<string, { salt: string }>;
  for (const account of Object.keys(proofs)) {
    const derived = deriveSalt(encoder.encode("golden-salt-secret"), { event: GOLDEN_EVENT.event, account });
    assert.equal(bytesToHex(derived), proofs[account].salt, account);
  }
});

Deno.test("determinism: the same input and salt secret give a byte-identical publication", () => {
  const a = goldenPublication();
  const b = goldenPublication();
  assert.equal(envelopeToJson(a.envelope), envelopeToJson(b.envelope));
  assert.equal(a.leavesCsv, b.leavesCsv);
  assert.deepEqual(a.proofs, b.proofs);
  // Account order in the input does not matter.
  const c = buildPublication({ accounts: [...GOLDEN_ACCOUNTS].reverse(), event: GOLDEN_EVENT }, GOLDEN_SIGNERS, {
    saltSecret: encoder.encode("golden-salt-secret"),
  });
  assert.equal(envelopeToJson(c.envelope), envelopeToJson(a.envelope));
  assert.equal(c.leavesCsv, a.leavesCsv);
});

// ---------------------------------------------------------------------------
// (2) Fixture regeneration through the CLI

Deno.test("fixture: haircut publish regenerates fixtures/example byte for byte, with no extra files", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "haircut_publish_" });
  try {
    const input = (name: string) => pathOf(new URL(`input/${name}`, EXAMPLE));
    const out = `${tmp}/out`;
    const r = await runCli([
      "publish",
      "--accounts",
      input("accounts.csv"),
      "--event",
      input("event.json"),
      "--signing-key",
      input("venue.key.json"),
      "--signing-key",
      input("auditor.key.json"),
      "--salt-secret",
      input("salt-secret"),
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.ok(r.stdout.includes("ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a"), r.stdout);
    assert.ok(r.stdout.includes("8"), r.stdout);
    // No secret appears in the output.
    for (const name of ["venue.key.json", "auditor.key.json"]) {
      const secret = JSON.parse(read(EXAMPLE, `input/${name}`)).secretKey;
      assert.ok(!r.stdout.includes(secret));
    }
    assert.ok(!r.stdout.includes(read(EXAMPLE, "input/salt-secret").trim()));

    const fixture = (await listFiles(pathOf(EXAMPLE))).filter((f) => !f.startsWith("input/"));
    const produced = await listFiles(out);
    assert.deepEqual(produced, fixture);
    assert.equal(produced.filter((f) => f.startsWith("proofs/")).length, 8);
    assert.ok(produced.includes("statement.dsse.json"));
    assert.ok(produced.includes("leaves.csv"));
    assert.ok(produced.includes("keys.json"));
    for (const f of produced) {
      assert.deepEqual(await Deno.readFile(`${out}/${f}`), await Deno.readFile(new URL(f, EXAMPLE)), f);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// (3) Input parsing

Deno.test("parseAccountsCsv: a valid file", () => {
  assert.deepEqual(parseAccountsCsv("account,base\nalice,750000\nbob,0\n"), [
    { account: "alice", base: 750000n },
    { account: "bob", base: 0n },
  ]);
  const fixture = parseAccountsCsv(read(EXAMPLE, "input/accounts.csv"));
  assert.equal(fixture.length, 8);
  assert.deepEqual(fixture[5], { account: "frank", base: 9999999n });
  // 256 bytes is the limit, counted in UTF-8.
  assert.equal(parseAccountsCsv(`account,base\n${"a".repeat(256)},1\n`)[0].account.length, 256);
  assert.equal(parseAccountsCsv(`account,base\n${"é".repeat(128)},1\n`)[0].account, "é".repeat(128));
});

Deno.test("parseAccountsCsv: errors carry the line number", () => {
  throwsInput(() => parseAccountsCsv("account,amount\nalice,1\n"), "line 1", "header");
  throwsInput(() => parseAccountsCsv("account,base\r\nalice,1\r\n"), "line 1");
  throwsInput(() => parseAccountsCsv("alice,1\n"), "line 1");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1\nbob,2\nalice,3\n"), "line 4", "duplicate", '"alice"');
  throwsInput(() => parseAccountsCsv("account,base\nalice,01\n"), "line 2", "01");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1\nbob,-5\n"), "line 3", "-5");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1.5\n"), "line 2");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1e3\n"), "line 2");
  throwsInput(() => parseAccountsCsv("account,base\nalice, 5\n"), "line 2");
  throwsInput(() => parseAccountsCsv("account,base\nalice,\n"), "line 2");
  throwsInput(() => parseAccountsCsv(`account,base\nalice,${2n ** 128n}\n`), "line 2", "2^128");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1\r\n"), "line 2");
  throwsInput(() => parseAccountsCsv('account,base\n"a,b",5\n'), "line 2");
  throwsInput(() => parseAccountsCsv("account,base\nok,1\na,b,5\n"), "line 3", "column");
  throwsInput(() => parseAccountsCsv('account,base\nal"ice,5\n'), "line 2");
  throwsInput(() => parseAccountsCsv("account,base\nal\tice,5\n"), "line 2", "control");
  throwsInput(() => parseAccountsCsv("account,base\nal\u007fice,5\n"), "line 2", "control");
  throwsInput(() => parseAccountsCsv("account,base\nal\u0000ice,5\n"), "line 2", "control");
  throwsInput(() => parseAccountsCsv(`account,base\n${"a".repeat(257)},1\n`), "line 2", "257");
  throwsInput(() => parseAccountsCsv(`account,base\nok,1\n${"é".repeat(129)},1\n`), "line 3", "258");
  throwsInput(() => parseAccountsCsv("account,base\n,1\n"), "line 2", "got 0");
  throwsInput(() => parseAccountsCsv("account,base\nbad\ud800,1\n"), "line 2");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1\nbob,2"), "line 3", "final newline");
  throwsInput(() => parseAccountsCsv("account,base\nalice,1\n\nbob,2\n"), "line 3");
  throwsInput(() => parseAccountsCsv("account,base\n"), "no accounts");
  throwsInput(() => parseAccountsCsv(""), "line 1");
});

const EVENT_FIELDS = [
  `"venue": "Example Exchange"`,
  `"event": "2026-11-03/ETH-PERP"`,
  `"asset": "USDT"`,
  `"decimals": 2`,
  `"snapshotTime": "2026-11-03T08:00:00Z"`,
  `"policy": { "base": "profit", "rounding": "largest-remainder", "cap": null }`,
  `"deficit": "200000"`,
  `"insuranceFund": "120000"`,
];

function eventText(replace: Record<number, string> = {}, extra: string[] = []): string {
  const fields = EVENT_FIELDS.map((f, i) => replace[i] ?? f).filter((f) => f !== "");
  return `{\n  ${[...fields, ...extra].join(",\n  ")}\n}\n`;
}

Deno.test("parseEventFile: the fixture and a golden event", () => {
  assert.deepEqual(parseEventFile(eventText()), GOLDEN_EVENT);
  assert.deepEqual(parseEventFile(eventText({}, [`"previous": "${GOLDEN_DIGEST}"`])), {
    ...GOLDEN_EVENT,
    previous: GOLDEN_DIGEST,
  });
  assert.deepEqual(
    parseEventFile(
      eventText({ 5: `"policy": { "base": "equity", "rounding": "floor", "cap": { "num": "2", "den": "5" } }` }),
    ).policy,
    {
      base: "equity",
      rounding: "floor",
      cap: { num: 2n, den: 5n },
    },
  );
  const fixture = parseEventFile(read(EXAMPLE, "input/event.json"));
  assert.equal(fixture.deficit, 2500000n);
  assert.equal(fixture.insuranceFund, 1200000n);
  assert.equal(fixture.previous, null);
});

Deno.test("parseEventFile: errors name the problem", () => {
  throwsInput(() => parseEventFile(eventText({}, [`"venue": "Other"`])), "duplicate key", '"venue"');
  throwsInput(() => parseEventFile(eventText({}, [`"target": "1"`])), "event file", '"target"');
  // v1.1: the deficit may be left out of event.json when --bankrupt gives it; without bankrupt accounts, publish
  // refuses the event, naming the deficit.
  assert.equal(parseEventFile(eventText({ 6: "" })).deficit, undefined);
  throwsInput(
    () =>
      buildPublication({ accounts: [{ account: "a", base: 1n }], event: parseEventFile(eventText({ 6: "" })) }, [
        signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)),
      ]),
    "deficit is required",
  );
  throwsInput(() => parseEventFile(eventText({ 4: `"snapshotTime": "2026-11-03 08:00:00"` })), "snapshotTime");
  throwsInput(() => parseEventFile(eventText({ 4: `"snapshotTime": "2026-02-30T08:00:00Z"` })), "snapshotTime");
  throwsInput(() => parseEventFile(eventText({ 4: `"snapshotTime": "2026-11-03T08:00:00+01:00"` })), "snapshotTime");
  throwsInput(
    () =>
      parseEventFile(
        eventText({ 5: `"policy": { "base": "profit", "rounding": "floor", "cap": { "num": "3", "den": "2" } }` }),
      ),
    "3/2",
  );
  throwsInput(
    () =>
      parseEventFile(
        eventText({ 5: `"policy": { "base": "profit", "rounding": "floor", "cap": { "num": "0", "den": "2" } }` }),
      ),
    "0/2",
  );
  throwsInput(
    () => parseEventFile(eventText({ 5: `"policy": { "base": "loss", "rounding": "floor", "cap": null }` })),
    "policy.base",
  );
  throwsInput(() => parseEventFile(eventText({ 6: `"deficit": 200000` })), "deficit");
  throwsInput(() => parseEventFile(eventText({ 7: `"insuranceFund": "-1"` })), "insuranceFund");
  throwsInput(() => parseEventFile(eventText({}, [`"previous": "${GOLDEN_DIGEST.toUpperCase()}"`])), "previous");
  throwsInput(() => parseEventFile(eventText({ 0: `"venue": 7` })), "venue");
  throwsInput(() => parseEventFile("[]"), "event file");
  throwsInput(() => parseEventFile("{"), "event file");
});

Deno.test("buildPublication: preconditions and invalid events are InputErrors", () => {
  throwsInput(() => buildPublication({ accounts: [], event: GOLDEN_EVENT }, GOLDEN_SIGNERS), "no accounts");
  throwsInput(() => buildPublication({ accounts: GOLDEN_ACCOUNTS, event: GOLDEN_EVENT }, []), "signing key");
  throwsInput(
    () => buildPublication({ accounts: GOLDEN_ACCOUNTS, event: { ...GOLDEN_EVENT, venue: "" } }, GOLDEN_SIGNERS),
    "venue",
  );
  throwsInput(
    () => buildPublication({ accounts: GOLDEN_ACCOUNTS, event: { ...GOLDEN_EVENT, decimals: 39 } }, GOLDEN_SIGNERS),
    "decimals",
  );
});

// ---------------------------------------------------------------------------
// (4) Proof file names

Deno.test("proof files are named by the account key and reveal no account id", async () => {
  const pub = goldenPublication();
  const leafKeys = pub.leavesCsv.split("\n").slice(1, -1).map((line) => line.split(",")[0]);
  const accounts = pub.proofs.map((p) => p.account);
  pub.proofs.forEach((p, i) => {
    const proof = JSON.parse(p.json);
    assert.equal(proof.account, p.account);
    assert.equal(proof.index, i);
    const key = bytesToHex(accountKey(hexToBytes(proof.salt, 32), proof.account));
    assert.equal(p.fileName, `${key}.json`);
    assert.match(p.fileName, /^[0-9a-f]{64}\.json$/);
    assert.equal(leafKeys[proof.index], key);
    for (const a of accounts) assert.ok(!p.fileName.includes(a), `${p.fileName} reveals ${a}`);
  });

  // The example fixture on disk follows the same rule.
  const accountsCsv = parseAccountsCsv(read(EXAMPLE, "input/accounts.csv")).map((a) => a.account);
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL("proofs/", EXAMPLE))) names.push(entry.name);
  assert.equal(names.length, accountsCsv.length);
  const seen: string[] = [];
  for (const name of names) {
    assert.match(name, /^[0-9a-f]{64}\.json$/);
    for (const a of accountsCsv) assert.ok(!name.includes(a));
    const proof = JSON.parse(read(EXAMPLE, `proofs/${name}`));
    assert.equal(`${bytesToHex(accountKey(hexToBytes(proof.salt, 32), proof.account))}.json`, name);
    seen.push(proof.account);
  }
  assert.deepEqual(seen.sort(), [...accountsCsv].sort());
});

// ---------------------------------------------------------------------------
// (5) Random salts

Deno.test("without a salt secret, salts are random per run and the publication still verifies", async () => {
  const a = buildPublication({ accounts: GOLDEN_ACCOUNTS, event: GOLDEN_EVENT }, GOLDEN_SIGNERS);
  const b = buildPublication({ accounts: GOLDEN_ACCOUNTS, event: GOLDEN_EVENT }, GOLDEN_SIGNERS);
  const salts = (pub: typeof a) => new Map(pub.proofs.map((p) => [p.account, JSON.parse(p.json).salt as string]));
  const sa = salts(a);
  const sb = salts(b);
  assert.equal(sa.size, 5);
  for (const [account, salt] of sa) {
    assert.match(salt, /^[0-9a-f]{64}$/);
    assert.notEqual(salt, sb.get(account), account);
    const derived = bytesToHex(
      deriveSalt(encoder.encode("golden-salt-secret"), { event: GOLDEN_EVENT.event, account }),
    );
    assert.notEqual(salt, derived);
  }
  assert.equal(new Set(sa.values()).size, 5, "every account gets its own salt");
  assert.notEqual(a.digest, b.digest);
  assert.notEqual(bytesToHex(a.statement.tree.root), bytesToHex(b.statement.tree.root));
  // The amounts are the same; only the keys differ.
  assert.equal(a.statement.tree.totalHaircut, 80000n);
  assert.equal(b.statement.tree.totalHaircut, 80000n);

  for (const pub of [a, b]) {
    const keys = parseKeysFile(pub.keysJson);
    assert.equal(keys.threshold, 2);
    const envelope = envelopeToJson(pub.envelope);
    const r = await verifyPublication({ envelope, leaves: encoder.encode(pub.leavesCsv) }, keys);
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.summary.leaves, 5);
    for (const p of pub.proofs) {
      const pr = verifyProof({ proof: p.json, envelope }, keys);
      assert.equal(pr.ok, true, `${p.account}: ${JSON.stringify(pr.errors)}`);
    }
  }
});

Deno.test("a capped, floor-rounded publication verifies and charges nobody beyond the cap", async () => {
  const key = parseSigningKey(read(EXAMPLE, "input/venue.key.json"));
  const event: EventSpec = {
    ...GOLDEN_EVENT,
    policy: { base: "equity", rounding: "floor", cap: { num: 1n, den: 20n } },
  };
  const pub = buildPublication({ accounts: GOLDEN_ACCOUNTS, event }, [key], {
    saltSecret: encoder.encode("cap-secret-0123456789"),
  });
  // floor(1156790 / 20) = 57839 < shortfall 80000.
  assert.equal(pub.statement.target, 57839n);
  assert.ok(pub.statement.tree.totalHaircut <= 57839n && pub.statement.tree.totalHaircut >= 57839n - 4n);
  assert.equal(pub.statement.uncovered, 80000n - pub.statement.tree.totalHaircut);
  for (const p of pub.proofs) {
    const proof = JSON.parse(p.json);
    assert.ok(BigInt(proof.haircut) * 20n <= BigInt(proof.base), `${p.account} pays over the cap`);
  }
  const keys = parseKeysFile(pub.keysJson);
  assert.equal(keys.threshold, 1);
  const r = await verifyPublication(
    { envelope: envelopeToJson(pub.envelope), leaves: encoder.encode(pub.leavesCsv) },
    keys,
  );
  assert.equal(r.ok, true, JSON.stringify(r.errors));
});
