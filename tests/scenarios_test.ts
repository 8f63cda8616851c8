/**
 * The scenario library, fixtures/scenarios/: each publication regenerates
 * byte for byte from its inputs, verifies, and charges every account exactly
 * the haircut in its expected.json. The expected haircuts are checked here
 * once more with a largest-remainder written from scratch (exact fractions,
 * sorted), independent of src/rules/allocation.ts and of the generator's own
 * derivation.
 */

import assert from "node:assert/strict";
import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { runCli } from "../src/cli/main.ts";

const SCENARIOS = new URL("../fixtures/scenarios/", import.meta.url).pathname;

interface PublishJson {
  args: string[];
  trustedKeys: string;
  proofs: "all" | string[];
  /** The venue's own invalid publication: publish refuses it, and verify must reject it with this code. */
  rejected?: { code: string; reason: string };
}

interface ExpectedJson {
  deficit: string;
  insuranceFund: string;
  insuranceUsed: string;
  shortfall: string;
  totalBase: string;
  target: string;
  collected: string;
  uncovered: string;
  rate: string;
  haircuts: Record<string, string>;
  /** A rate policy's exact rate (format v1.1). */
  policyRate?: { num: string; den: string };
  /** The bankrupt accounts' losses, with a deficit tree (format v1.1). */
  losses?: Record<string, string>;
  /** What a rejected scenario collects beyond the shortfall. */
  overCollected?: string;
}

interface EventJson {
  event: string;
  policy: {
    base: string;
    rounding: "largest-remainder" | "floor" | "rate-floor" | "rate-half-up" | "rate-ceil";
    cap: { num: string; den: string } | null;
    rate?: { num: string; den: string } | { decimals: number };
  };
  deficit?: string;
  insuranceFund: string;
  previous?: string;
}

/** Every publication directory (one holding publish.json), relative to fixtures/scenarios. */
function publicationDirs(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const entries = [...Deno.readDirSync(`${SCENARIOS}${rel}`)];
    if (entries.some((e) => e.isFile && e.name === "publish.json")) out.push(rel.replace(/\/$/, ""));
    for (const e of entries) if (e.isDirectory && e.name !== "input" && e.name !== "proofs") walk(`${rel}${e.name}/`);
  };
  walk("");
  return out.sort();
}

const DIRS = publicationDirs();

function readJson<T>(path: string): T {
  return JSON.parse(Deno.readTextFileSync(path)) as T;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** SPEC §3, written out here: salt = HMAC(secret, event || 0x00 || id), key = SHA256(0x02 || salt || id). */
function accountKeyHex(secret: Uint8Array, event: string, account: string): string {
  const enc = new TextEncoder();
  const salt = hmac(sha256, secret, concat(enc.encode(event), new Uint8Array([0]), enc.encode(account)));
  return hex(sha256(concat(new Uint8Array([2]), salt, enc.encode(account))));
}

/** The deficit tree's key, SPEC §3: salt = HMAC(secret, "deficit" || 0x00 || event || 0x00 || id). */
function deficitKeyHex(secret: Uint8Array, event: string, account: string): string {
  const enc = new TextEncoder();
  const message = concat(
    enc.encode("deficit"),
    new Uint8Array([0]),
    enc.encode(event),
    new Uint8Array([0]),
    enc.encode(account),
  );
  return hex(sha256(concat(new Uint8Array([2]), hmac(sha256, secret, message), enc.encode(account))));
}

/** A rate rounding from scratch: the nearest units below and above the exact share, and which one each rule takes. */
function rateFromScratch(base: bigint, rate: { num: bigint; den: bigint }, rounding: string): bigint {
  const below = base * rate.num / rate.den;
  const exact = below * rate.den === base * rate.num;
  const above = exact ? below : below + 1n;
  if (rounding === "rate-floor") return below;
  if (rounding === "rate-ceil") return above;
  // Half up: the unit above when the share is at least halfway there.
  return 2n * (base * rate.num - below * rate.den) >= rate.den ? above : below;
}

function parseAccounts(text: string): [string, bigint][] {
  const lines = text.split("\n");
  assert.equal(lines[0], "account,base");
  return lines.slice(1, -1).map((line): [string, bigint] => {
    const [account, base] = line.split(",");
    return [account, BigInt(base)];
  });
}

function parseLeaves(text: string): { key: string; base: bigint; haircut: bigint }[] {
  const lines = text.split("\n");
  assert.equal(lines[0], "account_key,base,haircut");
  return lines.slice(1, -1).map((line) => {
    const [key, base, haircut] = line.split(",");
    return { key, base: BigInt(base), haircut: BigInt(haircut) };
  });
}

function statementOf(dir: string): Record<string, unknown> & { tree: Record<string, unknown> } {
  const envelope = readJson<{ payload: string }>(`${dir}/statement.dsse.json`);
  const payload = Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(payload));
}

function digestOf(dir: string): string {
  const envelope = readJson<{ payload: string }>(`${dir}/statement.dsse.json`);
  return hex(sha256(Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0))));
}

/** Publish arguments with the input paths made absolute. */
function absoluteArgs(dir: string, args: readonly string[]): string[] {
  return args.map((a) => (a.startsWith("input/") ? `${dir}/${a}` : a));
}

function listProofs(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    for (const e of Deno.readDirSync(`${dir}/proofs`)) {
      out.set(e.name, Deno.readTextFileSync(`${dir}/proofs/${e.name}`));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

/**
 * Largest remainder from scratch: each exact share T * base / P is a
 * fraction; everyone pays its whole part; the leftover units go to the
 * largest fractional parts, the lower tree index first on a tie, never to a
 * zero fractional part.
 */
function fromScratch(bases: readonly bigint[], target: bigint, rounding: "largest-remainder" | "floor"): bigint[] {
  const total = bases.reduce((s, b) => s + b, 0n);
  if (total === 0n) return bases.map(() => 0n);
  const shares = bases.map((b, index) => {
    const numerator = target * b; // the share is numerator / total
    return { index, whole: numerator / total, fraction: numerator - (numerator / total) * total };
  });
  const pays = shares.map((s) => s.whole);
  if (rounding === "floor") return pays;
  const leftover = Number(target - pays.reduce((s, x) => s + x, 0n));
  const ranked = shares.filter((s) => s.fraction > 0n).sort((a, b) =>
    a.fraction === b.fraction ? a.index - b.index : a.fraction > b.fraction ? -1 : 1
  );
  assert.ok(leftover <= ranked.length, "more leftover units than fractional shares");
  for (const s of ranked.slice(0, leftover)) pays[s.index] += 1n;
  return pays;
}

Deno.test("scenarios: the library has every scenario the issue lists", () => {
  assert.deepEqual(DIRS, [
    "bitfinex-generalized-loss",
    "bitmex-dpe",
    "cap-40",
    "chain-of-three/event-1",
    "chain-of-three/event-2",
    "chain-of-three/event-3",
    "cryptocom-six-winners-floor",
    "cryptocom-six-winners-half-up",
    "floor-rounding",
    "huobi-bitvc",
    "insurance-covers-all",
    "mango-deposit-index-cut",
    "okex-weekly-clawback",
    "okex-weekly-clawback-rate",
    "rate-with-cap",
    "shortfall-exceeds-profit",
    "single-winner",
    "threshold-2-of-3",
    "ties",
    "unicode-ids",
    "wei-scale",
    "zero-winners",
  ]);
  for (const rel of DIRS) {
    const top = rel.split("/")[0];
    assert.ok(Deno.statSync(`${SCENARIOS}${top}/README.md`).isFile, `${top} has a README`);
  }
});

for (const rel of DIRS) {
  const dir = `${SCENARIOS}${rel}`;

  Deno.test(`scenarios: ${rel}: publish regenerates it byte for byte and verify accepts it`, async () => {
    const spec = readJson<PublishJson>(`${dir}/publish.json`);
    if (spec.rejected) {
      await checkRejected(dir, { ...spec, rejected: spec.rejected });
      return;
    }
    const out = await Deno.makeTempDir({ prefix: "haircut-scenario-" });
    try {
      const r = await runCli(["publish", ...absoluteArgs(dir, spec.args), "--out", out]);
      assert.equal(r.code, 0, r.stderr);
      const files = ["statement.dsse.json", "leaves.csv", "keys.json"];
      if (spec.args.includes("--bankrupt")) files.push("bankrupt.csv");
      for (const name of files) {
        assert.equal(Deno.readTextFileSync(`${out}/${name}`), Deno.readTextFileSync(`${dir}/${name}`), name);
      }
      const fresh = listProofs(out);
      const kept = listProofs(dir);
      const wanted = spec.proofs === "all"
        ? [...fresh.keys()]
        : [...fresh].filter(([, text]) => (spec.proofs as string[]).includes(JSON.parse(text).account)).map(([n]) => n);
      if (spec.proofs !== "all") assert.equal(wanted.length, spec.proofs.length, "every kept proof is regenerated");
      assert.deepEqual([...kept.keys()].sort(), wanted.sort(), "the proof files kept");
      for (const name of wanted) assert.equal(kept.get(name), fresh.get(name), `proofs/${name}`);
    } finally {
      await Deno.remove(out, { recursive: true });
    }

    const keys = `${dir}/${spec.trustedKeys}`;
    const v = await runCli(["verify", dir, "--keys", keys, "--format", "json"]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(JSON.parse(v.stdout).ok, true);
    for (const name of listProofs(dir).keys()) {
      const p = await runCli([
        "proof",
        `${dir}/proofs/${name}`,
        "--statement",
        `${dir}/statement.dsse.json`,
        "--keys",
        keys,
        "--format",
        "json",
      ]);
      assert.equal(p.code, 0, `proofs/${name}: ${p.stdout}${p.stderr}`);
    }
  });

  Deno.test(`scenarios: ${rel}: every account's haircut is the one in expected.json`, () => {
    const expected = readJson<ExpectedJson>(`${dir}/expected.json`);
    const event = readJson<EventJson>(`${dir}/input/event.json`);
    const accounts = parseAccounts(Deno.readTextFileSync(`${dir}/input/accounts.csv`));
    const secret = Deno.readFileSync(`${dir}/input/salt-secret`);
    const leaves = new Map(parseLeaves(Deno.readTextFileSync(`${dir}/leaves.csv`)).map((l) => [l.key, l]));
    assert.equal(leaves.size, accounts.length, "one leaf per account");
    assert.deepEqual(Object.keys(expected.haircuts), accounts.map(([a]) => a), "expected.json lists every account");
    for (const [account, base] of accounts) {
      const leaf = leaves.get(accountKeyHex(secret, event.event, account));
      assert.ok(leaf, `${account} has a leaf`);
      assert.equal(leaf.base, base, `${account}: base`);
      assert.equal(leaf.haircut, BigInt(expected.haircuts[account]), `${account}: haircut`);
    }
    for (const text of listProofs(dir).values()) {
      const proof = JSON.parse(text);
      if (proof.type === "socialized-loss/deficit-proof/v1") {
        assert.equal(proof.loss, expected.losses?.[proof.account], `deficit proof of ${proof.account}`);
      } else {
        assert.equal(proof.haircut, expected.haircuts[proof.account], `proof of ${proof.account}`);
      }
    }
    const s = statementOf(dir);
    assert.equal(s.deficit, expected.deficit);
    assert.equal(s.insuranceFund, expected.insuranceFund);
    assert.equal(s.insuranceUsed, expected.insuranceUsed);
    assert.equal(s.shortfall, expected.shortfall);
    assert.equal(s.target, expected.target);
    assert.equal(s.uncovered, expected.uncovered);
    assert.equal(s.tree.totalBase, expected.totalBase);
    assert.equal(s.tree.totalHaircut, expected.collected);
    assert.equal(s.tree.leafCount, accounts.length);
  });

  Deno.test(`scenarios: ${rel}: the rule written from scratch gives expected.json`, () => {
    const expected = readJson<ExpectedJson>(`${dir}/expected.json`);
    const event = readJson<EventJson>(`${dir}/input/event.json`);
    const accounts = parseAccounts(Deno.readTextFileSync(`${dir}/input/accounts.csv`));
    const secret = Deno.readFileSync(`${dir}/input/salt-secret`);
    const losses = expected.losses ? Object.values(expected.losses).reduce((s, l) => s + BigInt(l), 0n) : undefined;
    const deficit = event.deficit === undefined ? losses! : BigInt(event.deficit);
    assert.equal(`${deficit}`, expected.deficit);
    const fund = BigInt(event.insuranceFund);
    const shortfall = deficit - (deficit < fund ? deficit : fund);
    const total = accounts.reduce((s, [, b]) => s + b, 0n);
    const cap = event.policy.cap;
    const limit = cap ? total * BigInt(cap.num) / BigInt(cap.den) : total;
    const target = shortfall < limit ? shortfall : limit;
    assert.equal(`${target}`, expected.target);
    const ordered = accounts
      .map(([account, base]) => ({ account, base, key: accountKeyHex(secret, event.event, account) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const rounding = event.policy.rounding;
    let pays: bigint[];
    if (rounding === "largest-remainder" || rounding === "floor") {
      pays = fromScratch(ordered.map((o) => o.base), target, rounding);
    } else {
      const signed = statementOf(dir).policy as { rate: { num: string; den: string } };
      const rate = { num: BigInt(signed.rate.num), den: BigInt(signed.rate.den) };
      assert.deepEqual(expected.policyRate, signed.rate, "the signed rate is the expected one");
      if (event.policy.rate && "num" in event.policy.rate) assert.deepEqual(signed.rate, event.policy.rate);
      pays = ordered.map((o) => rateFromScratch(o.base, rate, rounding));
    }
    const collected = pays.reduce((s, x) => s + x, 0n);
    assert.equal(`${collected}`, expected.collected);
    if (collected > shortfall) {
      // The venue's own over-collection (a rejected scenario): the statement can only say 0 uncovered.
      assert.equal(expected.uncovered, "0");
      assert.equal(expected.overCollected, `${collected - shortfall}`);
    } else {
      assert.equal(`${shortfall - collected}`, expected.uncovered);
    }
    ordered.forEach((o, i) => assert.equal(`${pays[i]}`, expected.haircuts[o.account], o.account));
  });
}

/** The venue's own invalid publication: publish refuses it, verify rejects it with the code, every proof too. */
async function checkRejected(dir: string, spec: PublishJson & { rejected: { code: string } }): Promise<void> {
  const out = await Deno.makeTempDir({ prefix: "haircut-scenario-" });
  try {
    const r = await runCli(["publish", ...absoluteArgs(dir, spec.args), "--out", out]);
    assert.equal(r.code, 2, "publish never signs what verify rejects");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
  const keys = `${dir}/${spec.trustedKeys}`;
  const v = await runCli(["verify", dir, "--keys", keys, "--format", "json"]);
  assert.equal(v.code, 1, v.stdout);
  const report = JSON.parse(v.stdout);
  assert.deepEqual([...new Set(report.errors.map((e: { code: string }) => e.code))], [spec.rejected.code]);
  for (const name of listProofs(dir).keys()) {
    const p = await runCli([
      "proof",
      `${dir}/proofs/${name}`,
      "--statement",
      `${dir}/statement.dsse.json`,
      "--keys",
      keys,
    ]);
    assert.equal(p.code, 1, `proofs/${name}: a trader's check rejects it too`);
  }
}

Deno.test("scenarios: Crypto.com's six winners: half up over-collects 0.01 USD and says so in money; floor leaves 0.04", async () => {
  const base = `${SCENARIOS}cryptocom-six-winners`;
  const halfUp = await runCli(["verify", `${base}-half-up`, "--keys", `${base}-half-up/keys.json`]);
  assert.equal(halfUp.code, 1);
  assert.match(
    halfUp.stdout,
    /rate-half-up at 10000\/171000 collected 10,000\.01 USD, 0\.01 USD more than the target 10,000\.00 USD/,
  );
  const floor = await runCli(["verify", `${base}-floor`, "--keys", `${base}-floor/keys.json`, "--format", "json"]);
  assert.equal(floor.code, 0, floor.stdout);
  const s = JSON.parse(floor.stdout).statement;
  assert.equal(s.tree.totalHaircut, "999996");
  assert.equal(s.uncovered, "4");
});

Deno.test("scenarios: the v1.1 deficit trees hold every bankrupt account, and verify re-derives bankrupt.csv", async () => {
  for (const rel of ["okex-weekly-clawback-rate", "mango-deposit-index-cut"]) {
    const dir = `${SCENARIOS}${rel}`;
    const expected = readJson<ExpectedJson>(`${dir}/expected.json`);
    const event = readJson<EventJson>(`${dir}/input/event.json`);
    const secret = Deno.readFileSync(`${dir}/input/salt-secret`);
    const rows = Deno.readTextFileSync(`${dir}/bankrupt.csv`).split("\n").slice(1, -1).map((l) => l.split(","));
    const byKey = new Map(rows.map(([key, loss]) => [key, loss]));
    for (const [account, loss] of Object.entries(expected.losses!)) {
      assert.equal(byKey.get(deficitKeyHex(secret, event.event, account)), loss, `${rel}: ${account}`);
    }
    assert.deepEqual(rows.map(([key]) => key), [...rows.map(([key]) => key)].sort(), "strictly ascending keys");
    const s = statementOf(dir) as unknown as { deficitTree: { total: string; leafCount: number } };
    assert.equal(s.deficitTree.total, expected.deficit);
    assert.equal(s.deficitTree.leafCount, rows.length);
    const deficitProofs = [...listProofs(dir)].filter(([name]) => name.startsWith("deficit-"));
    assert.equal(deficitProofs.length, rows.length, "one deficit proof per bankrupt account");
    // Without its bankrupt.csv the publication is incomplete: the finding names the file.
    const copy = await Deno.makeTempDir({ prefix: "haircut-no-bankrupt-" });
    try {
      for (const name of ["statement.dsse.json", "leaves.csv", "keys.json"]) {
        await Deno.copyFile(`${dir}/${name}`, `${copy}/${name}`);
      }
      const r = await runCli(["verify", copy, "--keys", `${copy}/keys.json`, "--format", "json"]);
      assert.equal(r.code, 1);
      const errors = JSON.parse(r.stdout).errors as { code: string; file?: string; message: string }[];
      assert.deepEqual(errors.map((e) => [e.code, e.file]), [["LEAF_COUNT_MISMATCH", "bankrupt.csv"]]);
      assert.match(errors[0].message, /^bankrupt\.csv is missing: the statement commits to a deficit tree of \d+ /);
    } finally {
      await Deno.remove(copy, { recursive: true });
    }
  }
});

Deno.test("scenarios: the rates are the historical ones the scenarios model", () => {
  const rate = (rel: string): { t: bigint; p: bigint } => {
    const e = readJson<ExpectedJson>(`${SCENARIOS}${rel}/expected.json`);
    return { t: BigInt(e.target), p: BigInt(e.totalBase) };
  };
  const exactly = (rel: string, num: bigint, den: bigint): void => {
    const { t, p } = rate(rel);
    assert.equal(t * den, p * num, `${rel}: T/P = ${t}/${p}, not ${num}/${den}`);
  };
  exactly("bitmex-dpe", 60n, 100n);
  exactly("huobi-bitvc", 461n, 1000n);
  exactly("bitfinex-generalized-loss", 36_067n, 100_000n);
  exactly("cap-40", 40n, 100n);
  exactly("shortfall-exceeds-profit", 1n, 1n);
  exactly("wei-scale", 1n, 7n);
  const okex = rate("okex-weekly-clawback");
  assert.ok(okex.t * 1000n > okex.p * 175n && okex.t * 1000n < okex.p * 185n, "OKEx clawback is about 18%");
});

Deno.test("scenarios: the OKEx winners are about 2,000 with heavy-tailed profits", () => {
  const dir = `${SCENARIOS}okex-weekly-clawback`;
  const bases = parseAccounts(Deno.readTextFileSync(`${dir}/input/accounts.csv`)).map(([, b]) => b);
  assert.equal(bases.length, 2000);
  assert.ok(bases.every((b) => b > 0n), "every account is a winner");
  const sorted = [...bases].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const total = sorted.reduce((s, b) => s + b, 0n);
  const top1 = sorted.slice(0, 20).reduce((s, b) => s + b, 0n);
  const median = sorted[1000];
  assert.ok(top1 * 5n > total, "the top 1% of winners hold more than 20% of the profit");
  assert.ok(sorted[0] > median * 1000n, "the largest profit is over 1000 times the median");
});

Deno.test("scenarios: chain-of-three links through previous and checks as a chain", async () => {
  const dirs = [1, 2, 3].map((n) => `${SCENARIOS}chain-of-three/event-${n}`);
  const events = dirs.map((d) => readJson<EventJson>(`${d}/input/event.json`));
  assert.equal(events[0].previous, undefined);
  assert.equal(events[1].previous, digestOf(dirs[0]));
  assert.equal(events[2].previous, digestOf(dirs[1]));
  const keys = `${dirs[0]}/keys.json`;
  const chain = await runCli([
    "chain",
    ...dirs.map((d) => `${d}/statement.dsse.json`),
    "--keys",
    keys,
    "--format",
    "json",
  ]);
  assert.equal(chain.code, 0, chain.stdout + chain.stderr);
  for (const i of [1, 2]) {
    const r = await runCli(["verify", dirs[i], "--keys", keys, "--previous", `${dirs[i - 1]}/statement.dsse.json`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  }
});

Deno.test("scenarios: threshold-2-of-3 is signed by two of the three pinned keys", async () => {
  const dir = `${SCENARIOS}threshold-2-of-3`;
  const trust = readJson<{ keys: { keyid: string }[]; threshold: number }>(`${dir}/trust-2-of-3.json`);
  assert.equal(trust.keys.length, 3);
  assert.equal(trust.threshold, 2);
  const r = await runCli(["verify", dir, "--keys", `${dir}/trust-2-of-3.json`, "--format", "json"]);
  assert.equal(r.code, 0, r.stdout);
  const signers = JSON.parse(r.stdout).signers as { status: string; trustedKeyid?: string }[];
  assert.equal(signers.length, 2);
  assert.ok(signers.every((s) => s.status === "valid"));
  assert.deepEqual(signers.map((s) => s.trustedKeyid), trust.keys.slice(0, 2).map((k) => k.keyid));
});
