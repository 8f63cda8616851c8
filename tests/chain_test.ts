import assert from "node:assert/strict";
import { checkChain, parseKeysFile } from "../mod.ts";
import { buildPublication, type EventSpec, keysFileJson } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { runCli } from "../src/cli/main.ts";

const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7));
const OTHER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(8));
const KEYS = parseKeysFile(keysFileJson([SIGNER]));

function event(n: number, previous: string | null, venue = "Example Exchange"): EventSpec {
  return {
    venue,
    event: `2026-11-0${n}/ETH-PERP`,
    asset: "USDT",
    decimals: 2,
    snapshotTime: `2026-11-0${n}T08:00:00Z`,
    policy: { base: "profit", rounding: "largest-remainder", cap: null },
    deficit: 5000n * BigInt(n),
    insuranceFund: 1000n,
    previous,
  };
}

/** A chain of `count` statements, each linked to the one before. */
function chain(count: number): { name: string; envelope: string; digest: string }[] {
  const out: { name: string; envelope: string; digest: string }[] = [];
  let previous: string | null = null;
  for (let n = 1; n <= count; n++) {
    const pub = buildPublication({
      accounts: [{ account: "a", base: 100000n }, { account: "b", base: 5n }],
      event: event(n, previous),
    }, [
      SIGNER,
    ], { saltSecret: new Uint8Array(16) });
    out.push({ name: `e${n}`, envelope: envelopeToJson(pub.envelope), digest: pub.digest });
    previous = pub.digest;
  }
  return out;
}

function codes(report: { errors: { code: string }[] }): string[] {
  return report.errors.map((e) => e.code);
}

Deno.test("chain: three linked statements in order are valid, with and without keys", () => {
  const links = chain(3);
  const unsigned = checkChain(links);
  assert.equal(unsigned.ok, true, JSON.stringify(unsigned.errors));
  assert.equal(unsigned.signaturesChecked, false);
  assert.deepEqual(unsigned.links.map((l) => l.digest), links.map((l) => l.digest));
  assert.equal(unsigned.links[0].previous, null);
  assert.equal(unsigned.links[2].previous, links[1].digest);
  const signed = checkChain(links, { keys: KEYS });
  assert.equal(signed.ok, true);
  assert.equal(signed.links[1].signers[0].status, "valid");
});

Deno.test("chain: a missing middle statement is CHAIN_GAP", () => {
  const [a, , c] = chain(3);
  const r = checkChain([a, c]);
  assert.deepEqual(codes(r), ["CHAIN_GAP"]);
  assert.match(r.errors[0].message, /e3 names .* not e1/);
});

Deno.test("chain: a later statement with previous null is CHAIN_GAP", () => {
  const [a] = chain(1);
  const pub = buildPublication({ accounts: [{ account: "z", base: 1n }], event: event(2, null) }, [SIGNER]);
  const r = checkChain([a, { name: "restart", envelope: envelopeToJson(pub.envelope) }]);
  assert.deepEqual(codes(r), ["CHAIN_GAP"]);
  assert.match(r.errors[0].message, /restart has previous null/);
});

Deno.test("chain: two statements naming the same predecessor are CHAIN_FORK", () => {
  const [a, b] = chain(2);
  const fork = buildPublication({ accounts: [{ account: "x", base: 9n }], event: event(3, a.digest) }, [SIGNER]);
  const r = checkChain([a, b, { name: "fork", envelope: envelopeToJson(fork.envelope) }]);
  assert.ok(codes(r).includes("CHAIN_FORK"), JSON.stringify(r.errors));
  assert.match(r.errors.find((e) => e.code === "CHAIN_FORK")!.message, /fork and e2 both name/);
});

Deno.test("chain: statements given out of order are CHAIN_REORDERED", () => {
  const [a, b, c] = chain(3);
  const r = checkChain([a, c, b]);
  assert.ok(codes(r).includes("CHAIN_REORDERED"), JSON.stringify(r.errors));
  assert.match(
    r.errors.find((e) => e.code === "CHAIN_REORDERED")!.message,
    /e3 \(position 2\) names e2 \(position 3\)/,
  );
});

Deno.test("chain: snapshot times going backwards are CHAIN_REORDERED even when linked", () => {
  const [a] = chain(1);
  const back = buildPublication({
    accounts: [{ account: "x", base: 9n }],
    event: {
      ...event(1, a.digest),
      snapshotTime: "2026-10-01T00:00:00Z",
    },
  }, [
    SIGNER,
  ]);
  const r = checkChain([a, { name: "back", envelope: envelopeToJson(back.envelope) }]);
  assert.deepEqual(codes(r), ["CHAIN_REORDERED"]);
  assert.match(r.errors[0].message, /2026-10-01T00:00:00Z\) is earlier than e1 \(2026-11-01T08:00:00Z\)/);
});

Deno.test("chain: a different venue or the same statement twice is CHAIN_BROKEN", () => {
  const [a] = chain(1);
  const other = buildPublication({ accounts: [{ account: "x", base: 9n }], event: event(2, a.digest, "Other Venue") }, [
    SIGNER,
  ]);
  const r = checkChain([a, { name: "other", envelope: envelopeToJson(other.envelope) }]);
  assert.deepEqual(codes(r), ["CHAIN_BROKEN"]);
  const twice = checkChain([a, { ...a, name: "again" }]);
  assert.ok(codes(twice).includes("CHAIN_BROKEN"));
});

Deno.test("chain: with keys, a statement signed by an untrusted key fails its link", () => {
  const [a] = chain(1);
  const rogue = buildPublication({ accounts: [{ account: "x", base: 9n }], event: event(2, a.digest) }, [OTHER]);
  const r = checkChain([a, { name: "rogue", envelope: envelopeToJson(rogue.envelope) }], { keys: KEYS });
  assert.deepEqual(codes(r), ["SIGNATURE_THRESHOLD"]);
  assert.match(r.errors[0].message, /^rogue: 0 distinct trusted keys signed, threshold is 1$/);
});

Deno.test("cli chain and inspect: exit codes, UNVERIFIED marking and codes in the output", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const links = chain(3);
    for (const l of links) await Deno.writeTextFile(`${dir}/${l.name}.json`, l.envelope);
    await Deno.writeTextFile(`${dir}/keys.json`, keysFileJson([SIGNER]));
    const ok = await runCli([
      "chain",
      `${dir}/e1.json`,
      `${dir}/e2.json`,
      `${dir}/e3.json`,
      "--keys",
      `${dir}/keys.json`,
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^VALID chain: 3 statements link through previous in order\.\n/);
    const gap = await runCli(["chain", `${dir}/e1.json`, `${dir}/e3.json`, "--format", "json"]);
    assert.equal(gap.code, 1);
    const json = JSON.parse(gap.stdout);
    assert.equal(json.signaturesChecked, false);
    assert.deepEqual(json.errors.map((e: { code: string }) => e.code), ["CHAIN_GAP"]);
    const one = await runCli(["chain", `${dir}/e1.json`]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /at least two statement files/);

    const unverified = await runCli(["inspect", `${dir}/e2.json`]);
    assert.equal(unverified.code, 0);
    assert.match(unverified.stdout, /^UNVERIFIED statement: signatures were NOT checked/);
    assert.match(unverified.stdout, /Deficit\s+100\.00 USDT/);
    const verified = await runCli(["inspect", `${dir}/e2.json`, "--keys", `${dir}/keys.json`, "--format", "json"]);
    assert.equal(verified.code, 0);
    const v = JSON.parse(verified.stdout);
    assert.equal(v.verified, true);
    assert.equal(v.statement.digest, links[1].digest);
    assert.equal(v.statement.previous, links[0].digest);
    const otherKeys = `${dir}/other.json`;
    await Deno.writeTextFile(otherKeys, keysFileJson([OTHER]));
    const rejected = await runCli(["inspect", `${dir}/e2.json`, "--keys", otherKeys]);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stdout, /SIGNATURE_THRESHOLD/);
    assert.doesNotMatch(rejected.stdout, /^VERIFIED/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
