/**
 * Writes `fixtures/vectors/v1.1.json`, the machine-readable test vectors of
 * what format v1.1 adds (docs/SPEC.md, "Test vectors"): the rate roundings,
 * rate allocations and their arithmetic verdicts, automatic rates, deficit
 * salts, deficit trees with every deficit proof path, and statements with a
 * rate policy and a deficit tree. `fixtures/vectors/v1.json` is untouched.
 *
 * The haircuts of the hand cases are written out here (the script refuses
 * to write them if `src/rules/rate.ts` disagrees); `tests/vectors_v11_test.ts`
 * recomputes every hash from the byte layouts with SHA-256 and HMAC
 * directly, every haircut from the defining inequalities, and every
 * automatic rate by brute force. Run:
 *
 * ```sh
 * deno run --allow-read --allow-write scripts/make_vectors_v11.ts
 * ```
 *
 * @module
 */

import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { bytesToBase64, bytesToHex, compareBytes } from "../src/core/encoding.ts";
import { accountKey, sumHasher, sumLeaf, type SumNode } from "../src/core/sum_tree.ts";
import { inclusionPath, treeLevels } from "../src/core/tree.ts";
import { pae, PAYLOAD_TYPE, signEnvelope } from "../src/format/dsse.ts";
import { checkArithmetic, payloadDigest, type Statement, statementBytes } from "../src/format/statement.ts";
import type { Cap } from "../src/rules/allocation.ts";
import { computeTarget } from "../src/rules/allocation.ts";
import {
  automaticRate,
  type Rate,
  RATE_ROUNDINGS,
  rateHaircut,
  type RateRounding,
  rateTotal,
} from "../src/rules/rate.ts";
import { fixedKey, ROOT, writeText } from "./fixture_common.ts";

/** Where the vectors live. */
export const VECTORS_V11_PATH = "fixtures/vectors/v1.1.json";

const enc = new TextEncoder();
const VECTOR_SECRET = enc.encode("haircut-v1.1-vectors");
const MAX = (1n << 128n) - 1n;
const P127 = 1n << 127n;

const fraction = (r: Rate): { num: string; den: string } => ({ num: `${r.num}`, den: `${r.den}` });

/** Single haircuts: each rounding on exact products, halves, thirds, 0, the whole base and amounts near 2^127. */
function rateHaircuts(): unknown[] {
  const cases: [string, bigint, Rate][] = [
    ["an exact product (11.6% of 7,500.00)", 750_000n, { num: 116n, den: 1000n }],
    ["a half (3 * 1/2)", 3n, { num: 1n, den: 2n }],
    ["a third below a half (4 * 1/3)", 4n, { num: 1n, den: 3n }],
    ["a third above a half (5 * 1/3)", 5n, { num: 1n, den: 3n }],
    ["Crypto.com trader A (50,000 USD of 171,000)", 5_000_000n, { num: 10_000n, den: 171_000n }],
    ["Crypto.com trader E (1,000 USD of 171,000)", 100_000n, { num: 10_000n, den: 171_000n }],
    ["a zero base", 0n, { num: 1n, den: 1n }],
    ["a zero rate", 123_456n, { num: 0n, den: 7n }],
    ["the whole base (rate 1/1)", MAX, { num: 1n, den: 1n }],
    ["2^128 - 1 at (2^127 - 1) / 2^127", MAX, { num: P127 - 1n, den: P127 }],
    ["2^128 - 1 at 1 / 3", MAX, { num: 1n, den: 3n }],
    ["a Mango-style binary rate (n / 2^48)", 4_812_337_120_001n, { num: 7_396_191_372_239n, den: 1n << 48n }],
  ];
  return cases.flatMap(([name, base, rate]) =>
    RATE_ROUNDINGS.map((rounding) => {
      const product = base * rate.num;
      return {
        name,
        rounding,
        rate: fraction(rate),
        base: `${base}`,
        product: { q: `${product / rate.den}`, r: `${product % rate.den}` },
        haircut: `${rateHaircut(base, rate, rounding)}`,
      };
    })
  );
}

interface RateCase {
  name: string;
  description: string;
  rounding: RateRounding;
  rate: Rate;
  cap: Cap | null;
  shortfall: bigint;
  bases: bigint[];
  /** Hand-derived haircuts, in the order of `bases`. */
  haircuts: bigint[];
}

const CRYPTO_COM = [5_000_000n, 4_500_000n, 3_000_000n, 3_000_000n, 1_500_000n, 100_000n];

function rateCases(): RateCase[] {
  return [
    {
      name: "crypto-com-half-up",
      description: "Crypto.com's six winners, every share rounded half up: 10,000.01 USD for 10,000.00 (ARITHMETIC)",
      rounding: "rate-half-up",
      rate: { num: 10_000n, den: 171_000n },
      cap: null,
      shortfall: 1_000_000n,
      bases: CRYPTO_COM,
      haircuts: [292_398n, 263_158n, 175_439n, 175_439n, 87_719n, 5_848n],
    },
    {
      name: "crypto-com-floor",
      description: "the same under rate-floor: 9,999.96 USD collected, 0.04 uncovered (valid)",
      rounding: "rate-floor",
      rate: { num: 10_000n, den: 171_000n },
      cap: null,
      shortfall: 1_000_000n,
      bases: CRYPTO_COM,
      haircuts: [292_397n, 263_157n, 175_438n, 175_438n, 87_719n, 5_847n],
    },
    {
      name: "crypto-com-ceil",
      description: "the same under rate-ceil: 10,000.02 USD (ARITHMETIC)",
      rounding: "rate-ceil",
      rate: { num: 10_000n, den: 171_000n },
      cap: null,
      shortfall: 1_000_000n,
      bases: CRYPTO_COM,
      haircuts: [292_398n, 263_158n, 175_439n, 175_439n, 87_720n, 5_848n],
    },
    {
      name: "rate-above-cap",
      description:
        "41% under a 2/5 cap: collects less than the capped target, but the rate exceeds the cap (ARITHMETIC)",
      rounding: "rate-floor",
      rate: { num: 41n, den: 100n },
      cap: { num: 2n, den: 5n },
      shortfall: 70_000n,
      bases: [25_000n, 33_333n, 33_333n, 8_334n, 0n],
      haircuts: [10_250n, 13_666n, 13_666n, 3_416n, 0n],
    },
    {
      name: "rate-at-cap",
      description: "exactly the 2/5 cap as 40/100, rounded up per account, still within the target",
      rounding: "rate-ceil",
      rate: { num: 40n, den: 100n },
      cap: { num: 2n, den: 5n },
      shortfall: 70_000n,
      bases: [25_000n, 33_335n, 33_330n, 8_335n, 0n],
      haircuts: [10_000n, 13_334n, 13_332n, 3_334n, 0n],
    },
    {
      name: "zero-rate",
      description: "a rate of 0: nothing collected, the whole shortfall uncovered (valid)",
      rounding: "rate-half-up",
      rate: { num: 0n, den: 1n },
      cap: null,
      shortfall: 5_000n,
      bases: [10_000n, 1n],
      haircuts: [0n, 0n],
    },
  ];
}

/** The statement-level numbers of a rate case: target, totals and the arithmetic verdict. */
function rateAllocations(): unknown[] {
  return rateCases().map((c) => {
    const computed = c.bases.map((b) => rateHaircut(b, c.rate, c.rounding));
    if (computed.some((h, i) => h !== c.haircuts[i])) {
      throw new Error(`${c.name}: hand-derived [${c.haircuts}] != src/rules/rate.ts [${computed}]`);
    }
    const totalBase = c.bases.reduce((s, b) => s + b, 0n);
    const target = computeTarget(c.shortfall, { totalBase, cap: c.cap });
    const collected = c.haircuts.reduce((s, h) => s + h, 0n);
    const statement = caseStatement(c, { totalBase, target, collected });
    return {
      name: c.name,
      description: c.description,
      policy: { rounding: c.rounding, cap: c.cap ? fraction(c.cap) : null, rate: fraction(c.rate) },
      shortfall: `${c.shortfall}`,
      bases: c.bases.map(String),
      totalBase: `${totalBase}`,
      target: `${target}`,
      haircuts: c.haircuts.map(String),
      collected: `${collected}`,
      arithmetic: checkArithmetic(statement).map((f) => f.code),
    };
  });
}

/** A statement carrying a rate case's figures (with a placeholder root), to run the arithmetic on. */
function caseStatement(c: RateCase, t: { totalBase: bigint; target: bigint; collected: bigint }): Statement {
  return {
    type: "socialized-loss/statement/v1",
    venue: "Vector Exchange",
    event: c.name,
    asset: "USD",
    decimals: 2,
    snapshotTime: "2026-03-10T08:00:00Z",
    policy: { base: "profit", rounding: c.rounding, cap: c.cap, rate: c.rate },
    deficit: c.shortfall,
    insuranceFund: 0n,
    insuranceUsed: 0n,
    shortfall: c.shortfall,
    target: t.target,
    uncovered: t.collected > c.shortfall ? 0n : c.shortfall - t.collected,
    tree: { root: new Uint8Array(32), leafCount: c.bases.length, totalBase: t.totalBase, totalHaircut: t.collected },
    previous: null,
  };
}

/** Automatic rates at several precisions, with the total one more unit of rate would collect. */
function automaticRates(): unknown[] {
  const cases: [string, bigint[], bigint, number, RateRounding, Cap | null][] = [
    ["crypto-com floor at 4 decimals", CRYPTO_COM, 1_000_000n, 4, "rate-floor", null],
    ["crypto-com floor at 6 decimals", CRYPTO_COM, 1_000_000n, 6, "rate-floor", null],
    ["crypto-com half-up at 6 decimals", CRYPTO_COM, 1_000_000n, 6, "rate-half-up", null],
    ["crypto-com ceil at 8 decimals", CRYPTO_COM, 1_000_000n, 8, "rate-ceil", null],
    ["crypto-com floor at 18 decimals", CRYPTO_COM, 1_000_000n, 18, "rate-floor", null],
    ["the cap binds (1/25 at 2 decimals)", CRYPTO_COM, 1_000_000n, 2, "rate-ceil", { num: 1n, den: 25n }],
    [
      "half-up at the cap would over-collect by one unit",
      [1_000_001n, 333_333n, 250_002n, 99_999n, 7n, 0n],
      420_835n,
      4,
      "rate-half-up",
      { num: 1n, den: 4n },
    ],
    ["decimals 0: the rate is 0 or 1", [3n, 5n], 7n, 0, "rate-floor", null],
    ["the whole base", [3n, 5n], 8n, 3, "rate-ceil", null],
  ];
  return cases.map(([name, bases, target, decimals, rounding, cap]) => {
    const rate = automaticRate(bases, target, { decimals, rounding, cap });
    return {
      name,
      rounding,
      decimals,
      cap: cap ? fraction(cap) : null,
      bases: bases.map(String),
      target: `${target}`,
      rate: fraction(rate),
      collected: `${rateTotal(bases, { rate, rounding })}`,
      nextCollected: rate.num < rate.den
        ? `${rateTotal(bases, { rate: { num: rate.num + 1n, den: rate.den }, rounding })}`
        : null,
    };
  });
}

/** SPEC §3: `HMAC-SHA256(secret, "deficit" || 0x00 || event || 0x00 || account)`. */
function deficitSaltMessage(event: string, account: string): Uint8Array {
  return new Uint8Array([...enc.encode("deficit"), 0, ...enc.encode(event), 0, ...enc.encode(account)]);
}

function deficitSalt(secret: Uint8Array, event: string, account: string): Uint8Array {
  return hmac(sha256, secret, deficitSaltMessage(event, account));
}

function deficitSalts(): unknown[] {
  const cases: [Uint8Array, string, string][] = [
    [VECTOR_SECRET, "2026-03-10/BTC-PERP", "bankrupt-1"],
    [VECTOR_SECRET, "2026-03-10/BTC-PERP", "alice"],
    [VECTOR_SECRET, "2026-04-12/USDC-deposit-index-cut", "mango-liqee-perp"],
    [enc.encode("golden-salt-secret"), "2026-11-03/ETH-PERP", "alice"],
  ];
  return cases.map(([secret, event, account]) => ({
    secret: bytesToHex(secret),
    event,
    account,
    message: bytesToHex(deficitSaltMessage(event, account)),
    salt: bytesToHex(deficitSalt(secret, event, account)),
    // The same account's salt in the main tree differs: the leaves cannot be linked.
    mainTreeSalt: bytesToHex(hmac(sha256, secret, new Uint8Array([...enc.encode(event), 0, ...enc.encode(account)]))),
  }));
}

const DEFICIT_EVENT = "2026-03-10/BTC-PERP";

function deficitNode(n: SumNode): { hash: string; loss: string } {
  return { hash: bytesToHex(n.hash), loss: `${n.base}` };
}

/** Deficit trees of 1 to 6 bankrupt accounts, in tree order, with every proof path. */
function deficitTrees(): unknown[] {
  const pool = Array.from({ length: 6 }, (_, i) => {
    const account = `bankrupt-${i + 1}`;
    const salt = deficitSalt(VECTOR_SECRET, DEFICIT_EVENT, account);
    return { account, salt, key: accountKey(salt, account), loss: [250_000n, 1n, 0n, 123_456_789n, MAX >> 3n, 77n][i] };
  });
  const out: unknown[] = [];
  for (let size = 1; size <= pool.length; size++) {
    const rows = pool.slice(0, size).sort((a, b) => compareBytes(a.key, b.key));
    const leaves = rows.map((r) => sumLeaf(r.key, r.loss, 0n));
    const levels = treeLevels(leaves, sumHasher);
    const root = levels[levels.length - 1][0];
    out.push({
      size,
      event: DEFICIT_EVENT,
      leaves: rows.map((r, i) => ({
        account: r.account,
        salt: bytesToHex(r.salt),
        accountKey: bytesToHex(r.key),
        loss: `${r.loss}`,
        hash: bytesToHex(leaves[i].hash),
      })),
      root: { ...deficitNode(root), haircut: `${root.haircut}` },
      bankruptCsv: "account_key,loss\n" + rows.map((r) => `${bytesToHex(r.key)},${r.loss}\n`).join(""),
      proofs: rows.map((_, index) => ({ index, path: inclusionPath(levels, index).map(deficitNode) })),
    });
  }
  return out;
}

const PUBLICATION_EVENT = "2026-03-10/session-socialization";

/**
 * A complete small publication under a rate policy with a deficit tree: Crypto.com's six winners under
 * `rate-floor` at 10000/171000, two bankrupt accounts losing 7,500.00 and 2,500.00 USD, salts from the vector
 * secret (main tree: SPEC §3; deficit tree: the "deficit" context), signed by the venue's Ed25519 key. It has the
 * statement's canonical text, digest and PAE, `leaves.csv`, `bankrupt.csv`, every proof and every deficit proof.
 */
function publication(): unknown {
  const venue = fixedKey("venue");
  const winners = CRYPTO_COM.map((base, i) => ({ account: `trader-${"abcfge"[i]}`, base }));
  const rate = { num: 10_000n, den: 171_000n };
  const main = winners.map((w) => {
    const salt = hmac(
      sha256,
      VECTOR_SECRET,
      new Uint8Array([...enc.encode(PUBLICATION_EVENT), 0, ...enc.encode(w.account)]),
    );
    return { ...w, salt, key: accountKey(salt, w.account), haircut: rateHaircut(w.base, rate, "rate-floor") };
  }).sort((a, b) => compareBytes(a.key, b.key));
  const bankrupt = [{ account: "bankrupt-x", loss: 750_000n }, { account: "bankrupt-y", loss: 250_000n }].map((b) => {
    const salt = deficitSalt(VECTOR_SECRET, PUBLICATION_EVENT, b.account);
    return { ...b, salt, key: accountKey(salt, b.account) };
  }).sort((a, b) => compareBytes(a.key, b.key));
  const mainLevels = treeLevels(main.map((r) => sumLeaf(r.key, r.base, r.haircut)), sumHasher);
  const deficitLevels = treeLevels(bankrupt.map((r) => sumLeaf(r.key, r.loss, 0n)), sumHasher);
  const root = mainLevels[mainLevels.length - 1][0];
  const deficitRoot = deficitLevels[deficitLevels.length - 1][0];
  const deficit = deficitRoot.base;
  const statement: Statement = {
    type: "socialized-loss/statement/v1",
    venue: "Vector Exchange",
    event: PUBLICATION_EVENT,
    asset: "USD",
    decimals: 2,
    snapshotTime: "2026-03-10T08:00:00Z",
    policy: { base: "profit", rounding: "rate-floor", cap: null, rate },
    deficit,
    insuranceFund: 0n,
    insuranceUsed: 0n,
    shortfall: deficit,
    target: computeTarget(deficit, { totalBase: root.base, cap: null }),
    uncovered: deficit - root.haircut,
    tree: { root: root.hash, leafCount: main.length, totalBase: root.base, totalHaircut: root.haircut },
    deficitTree: { root: deficitRoot.hash, leafCount: bankrupt.length, total: deficitRoot.base },
    previous: null,
  };
  const arithmetic = checkArithmetic(statement);
  if (arithmetic.length > 0) throw new Error(`publication vector: ${arithmetic[0].message}`);
  const payload = statementBytes(statement);
  const digest = payloadDigest(payload);
  const envelope = signEnvelope(payload, [venue]);
  return {
    secret: bytesToHex(VECTOR_SECRET),
    accounts: winners.map((w) => ({ account: w.account, base: `${w.base}` })),
    bankruptAccounts: bankrupt.map((b) => ({ account: b.account, loss: `${b.loss}` })),
    payloadType: PAYLOAD_TYPE,
    payloadText: new TextDecoder().decode(payload),
    payload: bytesToBase64(payload),
    digest,
    pae: bytesToHex(pae(PAYLOAD_TYPE, payload)),
    publicKey: bytesToHex(venue.publicKey),
    envelope: {
      payload: bytesToBase64(envelope.payload),
      payloadType: envelope.payloadType,
      signatures: envelope.signatures.map((x) => ({ keyid: x.keyid, sig: bytesToBase64(x.sig) })),
    },
    leavesCsv: "account_key,base,haircut\n" + main.map((r) => `${bytesToHex(r.key)},${r.base},${r.haircut}\n`).join(""),
    bankruptCsv: "account_key,loss\n" + bankrupt.map((r) => `${bytesToHex(r.key)},${r.loss}\n`).join(""),
    proofs: main.map((r, index) => ({
      type: "socialized-loss/proof/v1",
      statement: digest,
      account: r.account,
      salt: bytesToHex(r.salt),
      index,
      base: `${r.base}`,
      haircut: `${r.haircut}`,
      path: inclusionPath(mainLevels, index).map((n) => ({
        hash: bytesToHex(n.hash),
        base: `${n.base}`,
        haircut: `${n.haircut}`,
      })),
    })),
    deficitProofs: bankrupt.map((r, index) => ({
      type: "socialized-loss/deficit-proof/v1",
      statement: digest,
      account: r.account,
      salt: bytesToHex(r.salt),
      index,
      loss: `${r.loss}`,
      path: inclusionPath(deficitLevels, index).map(deficitNode),
    })),
  };
}

/** Builds the v1.1 vectors file text. */
export function buildVectorsV11(): string {
  const vectors = {
    name: "haircut format v1.1 test vectors",
    version: "1.1",
    spec: 'docs/SPEC.md, sections "Rate policies", "The deficit tree" and "Test vectors"',
    generator: "scripts/make_vectors_v11.ts",
    conventions:
      "hex is lowercase; base64 is standard and padded; amounts are decimal strings below 2^128; rates are { num, den } decimal strings; leaves and proofs are in tree order; a deficit-tree node is { hash, loss } (its haircut sum is 0)",
    rateHaircuts: rateHaircuts(),
    rateAllocations: rateAllocations(),
    automaticRates: automaticRates(),
    deficitSalts: deficitSalts(),
    deficitTrees: deficitTrees(),
    publication: publication(),
  };
  return JSON.stringify(vectors, null, 2) + "\n";
}

if (import.meta.main) {
  await writeText(`${ROOT}${VECTORS_V11_PATH}`, buildVectorsV11());
  console.log(`wrote ${VECTORS_V11_PATH}`);
}
