/**
 * Writes the scenario library, `fixtures/scenarios/`: for each scenario its
 * inputs (`input/accounts.csv`, `input/event.json`, fixed signing keys and a
 * fixed salt secret), `publish.json` (how to regenerate it), the publication
 * that `haircut publish` makes from them, and `expected.json` with every
 * account's haircut.
 *
 * The expected haircuts are NOT computed with `src/rules/allocation.ts`. Small
 * scenarios carry hand-derived values (each README shows the arithmetic);
 * the script re-derives every scenario with its own exact-rational
 * largest-remainder (a greedy formulation, different from the ranking in
 * `src/rules/allocation.ts`) and refuses to write a scenario where the two
 * disagree. Run it with:
 *
 * ```sh
 * deno run --allow-read --allow-write scripts/make_scenarios.ts
 * ```
 *
 * @module
 */

import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { runCli } from "../src/cli/main.ts";
import { hexToBytes } from "../src/core/encoding.ts";
import { sumHasher, sumLeaf } from "../src/core/sum_tree.ts";
import { inclusionPath, treeLevels } from "../src/core/tree.ts";
import { envelopeToJson, signEnvelope } from "../src/format/dsse.ts";
import { keysFileJson } from "../src/format/keys.ts";
import { payloadDigest, statementBytes, statementFromJson } from "../src/format/statement.ts";
import {
  fixedKey,
  fixedKeyFile,
  fixedKeyJson,
  type FixedKeySpec,
  prettyJson,
  removeIfExists,
  ROOT,
  trustJson,
  writeBytes,
  writeText,
  XorShift32,
} from "./fixture_common.ts";

type Role = FixedKeySpec["role"];

/** The policy of an event, as in `event.json`. */
export interface PolicyJson {
  /** `profit` or `equity`. */
  base: "profit" | "equity";
  /** `largest-remainder` or `floor`, or a rate rounding (format v1.1). */
  rounding: "largest-remainder" | "floor" | RateRoundingJson;
  /** The cap as decimal strings, or `null`. */
  cap: { num: string; den: string } | null;
  /** A rate policy's rate: exact, or the automatic rate at `decimals` (format v1.1). */
  rate?: { num: string; den: string } | { decimals: number };
}

/** A rate rounding (format v1.1). */
export type RateRoundingJson = "rate-floor" | "rate-half-up" | "rate-ceil";

/** What a venue chooses for an event (the `event.json` fields), with bigint amounts. */
export interface EventInput {
  /** The venue. */
  venue: string;
  /** The event id. */
  event: string;
  /** The asset. */
  asset: string;
  /** The asset's decimals. */
  decimals: number;
  /** RFC 3339 UTC snapshot time. */
  snapshotTime: string;
  /** The policy. */
  policy: PolicyJson;
  /** The deficit; left out when the bankrupt accounts give it (publish --bankrupt). */
  deficit?: bigint;
  /** The insurance fund. */
  insuranceFund: bigint;
  /** The previous statement's digest; `{ from }` names another scenario whose digest to use. */
  previous?: string | { from: string };
}

/** One publication of the library. */
export interface ScenarioSpec {
  /** Its directory under `fixtures/scenarios/`. */
  dir: string;
  /** The accounts, in `accounts.csv` order. */
  accounts: readonly (readonly [string, bigint])[];
  /** The event. */
  event: EventInput;
  /** Who signs, in order. */
  signers: readonly Role[];
  /** A trust file other than the `keys.json` publish writes. */
  trust?: { file: string; roles: readonly Role[]; threshold: number };
  /** Which proofs to keep: all, or those of the named accounts. */
  proofs: "all" | readonly string[];
  /** Hand-derived haircuts (see the scenario's README), by account. */
  hand?: Readonly<Record<string, bigint>>;
  /** The bankrupt accounts and their losses, for a deficit tree (`publish --bankrupt`, format v1.1). */
  bankrupt?: readonly (readonly [string, bigint])[];
  /**
   * Why `publish` cannot make this publication (it never signs what verify rejects), when the scenario is a venue's
   * own invalid publication: the script builds and signs it itself, and `verify` must reject it with this code.
   */
  rejected?: { code: "ARITHMETIC"; reason: string };
}

/** The salt secret of a scenario: ASCII text, at least 16 bytes. */
export function saltSecretOf(dir: string): Uint8Array {
  return new TextEncoder().encode(`haircut scenario salt secret: ${dir}`);
}

const USDT = { asset: "USDT", decimals: 2 } as const;
const LR: PolicyJson = { base: "profit", rounding: "largest-remainder", cap: null };
const VENUE_AND_AUDITOR: readonly Role[] = ["venue", "auditor-1"];

function okexAccounts(count = 2000, seed = 0x0e4e2017): [string, bigint][] {
  // Heavy-tailed profits: a Pareto tail with alpha = 1, from an integer-only
  // generator: 0.02 BTC * 2^32 / u with u uniform in [1, 2^32), at most 2,500 BTC.
  const rng = new XorShift32(seed);
  const ids = new Set<string>();
  const out: [string, bigint][] = [];
  while (out.length < count) {
    const id = `okex-uid-${String(10_000_000 + rng.below(90_000_000))}`;
    if (ids.has(id)) continue;
    ids.add(id);
    const u = BigInt(rng.next());
    let profit = 2_000_000n * (1n << 32n) / u;
    if (profit > 250_000_000_000n) profit = 250_000_000_000n;
    out.push([id, profit]);
  }
  return out;
}

function okexEvent(accounts: readonly (readonly [string, bigint])[]): EventInput {
  const total = accounts.reduce((s, [, b]) => s + b, 0n);
  const fund = 1_000_000_000n; // 10 BTC
  return {
    venue: "OKEx-style Futures",
    event: "2017-W24/BTC-WEEKLY",
    asset: "BTC",
    decimals: 8,
    snapshotTime: "2017-06-16T08:00:00Z",
    policy: LR,
    // The shortfall is 18.03% of the winners' profit, truncated to a satoshi.
    deficit: fund + total * 1803n / 10000n,
    insuranceFund: fund,
  };
}

/** Crypto.com's own six-winner example (help centre, "Insurance Fund and Socialised Loss Mechanism"), in cents. */
const CRYPTO_COM_WINNERS: readonly (readonly [string, bigint])[] = [
  ["trader-a", 5_000_000n],
  ["trader-b", 4_500_000n],
  ["trader-c", 3_000_000n],
  ["trader-f", 3_000_000n],
  ["trader-g", 1_500_000n],
  ["trader-e", 100_000n],
];

function cryptoComEvent(rounding: RateRoundingJson): EventInput {
  return {
    venue: "Crypto.com-style Exchange",
    event: `session-socialization-example/${rounding}`,
    asset: "USD",
    decimals: 2,
    snapshotTime: "2026-03-10T08:00:00Z",
    // "Let's assume the insurance fund is down 10,000 USD": nothing is left in it, 10,000 USD to socialize.
    policy: { base: "profit", rounding, cap: null, rate: { num: "10000", den: "171000" } },
    deficit: 1_000_000n,
    insuranceFund: 0n,
  };
}

/** Mango-style depositors of one token (USDC, 6 decimals): every deposit is cut by the same index. */
const MANGO_DEPOSITORS: readonly (readonly [string, bigint])[] = [
  ["mango-acct-01", 4_812_337_120_001n],
  ["mango-acct-02", 2_250_000_000_000n],
  ["mango-acct-03", 987_654_321_987n],
  ["mango-acct-04", 501_234_567_891n],
  ["mango-acct-05", 120_000_000_003n],
  ["mango-acct-06", 77_777_777_777n],
  ["mango-acct-07", 12_345_678_901n],
  ["mango-acct-08", 1_000_000_001n],
  ["mango-acct-09", 999_999n],
  ["mango-acct-10", 1n],
  ["mango-acct-11", 0n],
];

/** The two liquidated accounts whose negative equity the depositors cover, in micro-USDC. */
const MANGO_BANKRUPT: readonly (readonly [string, bigint])[] = [
  ["mango-liqee-perp", 1_034_567_891_234n],
  ["mango-liqee-spot", 200_000_000_001n],
];

/**
 * The largest `num` over `2^48` (the fraction bits of Mango's I80F48 index) whose `rate-ceil` total over `bases`
 * stays within `target`: this script's own search, written out from SPEC §8.4 (a cut index `1 - num/2^48` leaves
 * each deposit `floor(b * (1 - num/2^48))`, so the haircut is `ceil(b * num / 2^48)`).
 */
function mangoIndexCut(bases: readonly bigint[], target: bigint): bigint {
  const den = 1n << 48n;
  const total = (num: bigint): bigint => bases.reduce((sum, b) => sum + (b * num + den - 1n) / den, 0n);
  let lo = 0n;
  let hi = den + 1n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (mid <= den && total(mid) <= target) lo = mid;
    else hi = mid;
  }
  return lo;
}

function mangoEvent(): EventInput {
  const deficit = MANGO_BANKRUPT.reduce((sum, [, loss]) => sum + loss, 0n);
  const fund = 250_000_000_000n; // 250,000 USDC
  const deposits = MANGO_DEPOSITORS.map(([, b]) => b);
  const num = mangoIndexCut(deposits, deficit - fund);
  return {
    venue: "Mango-style Margin DEX",
    event: "2026-04-12/USDC-deposit-index-cut",
    asset: "USDC",
    decimals: 6,
    snapshotTime: "2026-04-12T16:00:00Z",
    policy: { base: "equity", rounding: "rate-ceil", cap: null, rate: { num: `${num}`, den: `${1n << 48n}` } },
    insuranceFund: fund,
  };
}

function bitfinexAccounts(): [string, bigint][] {
  // Balances (equity, in US cents) of every account: a Pareto tail from $1,000,
  // at most $20M, plus three empty accounts. The first (largest) balance is
  // topped up so that the total is a multiple of $1,000.00, which makes
  // T/P exactly 36,067/100,000.
  const rng = new XorShift32(0xb17f1e20);
  const out: [string, bigint][] = [];
  for (let i = 0; out.length < 250; i++) {
    const u = BigInt(rng.next());
    let balance = 100_000n * (1n << 32n) / u;
    if (balance > 2_000_000_000n) balance = 2_000_000_000n;
    out.push([`bfx-${String(100_000 + rng.below(900_000))}-${i}`, balance]);
  }
  out.sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
  const total = out.reduce((s, [, b]) => s + b, 0n);
  const topUp = (100_000n - total % 100_000n) % 100_000n;
  out[0] = [out[0][0], out[0][1] + topUp];
  out.push(["bfx-empty-1", 0n], ["bfx-empty-2", 0n], ["bfx-empty-3", 0n]);
  return out;
}

function bitfinexEvent(accounts: readonly (readonly [string, bigint])[]): EventInput {
  const total = accounts.reduce((s, [, b]) => s + b, 0n);
  if (total % 100_000n !== 0n) throw new Error("bitfinex total must be a multiple of 100000");
  return {
    venue: "Bitfinex-style Exchange",
    event: "2016-08-02/generalized-loss",
    asset: "USD",
    decimals: 2,
    snapshotTime: "2016-08-02T22:00:00Z",
    policy: { base: "equity", rounding: "largest-remainder", cap: null },
    deficit: total * 36_067n / 100_000n,
    insuranceFund: 0n,
  };
}

const P127 = 1n << 127n;
const P126 = 1n << 126n;
const P125 = 1n << 125n;
const ETHER = 10n ** 18n;

/** Every scenario of the library, in generation order (a chain's links in order). */
export function scenarioSpecs(): ScenarioSpec[] {
  return [...v10ScenarioSpecs(), ...v11ScenarioSpecs()];
}

/** The format v1.0 scenarios (pro-rata rules). */
function v10ScenarioSpecs(): ScenarioSpec[] {
  const okex = okexAccounts();
  const bitfinex = bitfinexAccounts();
  const byBase = (list: [string, bigint][]): string[] => {
    const sorted = [...list].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : a[0] < b[0] ? -1 : 1));
    return [sorted[0][0], sorted[1][0], sorted[Math.floor(sorted.length / 2)][0], sorted[sorted.length - 1][0]];
  };
  const chainEvent = (n: number, deficit: bigint, fund: bigint): EventInput => ({
    venue: "Chain Exchange",
    event: `2026-W0${n}/BTC-USDT-PERP`,
    ...USDT,
    snapshotTime: `2026-01-${String(2 + 7 * (n - 1)).padStart(2, "0")}T08:00:00Z`,
    policy: LR,
    deficit,
    insuranceFund: fund,
    ...(n > 1 ? { previous: { from: `chain-of-three/event-${n - 1}` } } : {}),
  });
  return [
    {
      dir: "bitmex-dpe",
      accounts: [["winner", 1_000_000_000n], ["loser", 0n]],
      event: {
        venue: "BitMEX-style Exchange",
        event: "dynamic-profit-equalisation-example",
        asset: "XBT",
        decimals: 8,
        snapshotTime: "2015-06-01T12:00:00Z",
        policy: LR,
        deficit: 600_000_000n,
        insuranceFund: 0n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { winner: 600_000_000n, loser: 0n },
    },
    {
      dir: "okex-weekly-clawback",
      accounts: okex,
      event: okexEvent(okex),
      signers: VENUE_AND_AUDITOR,
      proofs: byBase(okex),
    },
    {
      dir: "huobi-bitvc",
      accounts: [
        ["bitvc-01", 312_500_000n],
        ["bitvc-02", 87_654_321n],
        ["bitvc-03", 150_000_000n],
        ["bitvc-04", 42_424_242n],
        ["bitvc-05", 9_999_999n],
        ["bitvc-06", 1_234_567n],
        ["bitvc-07", 500_000_000n],
        ["bitvc-08", 76_543_210n],
        ["bitvc-09", 33_333_333n],
        ["bitvc-10", 86_310_328n],
      ],
      event: {
        venue: "Huobi BitVC-style Futures",
        event: "BTC-WEEKLY/clawback-46.1",
        asset: "BTC",
        decimals: 8,
        snapshotTime: "2015-03-13T08:00:00Z",
        policy: LR,
        deficit: 749_300_000n,
        insuranceFund: 150_000_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: {
        "bitvc-01": 144_062_500n,
        "bitvc-02": 40_408_642n,
        "bitvc-03": 69_150_000n,
        "bitvc-04": 19_557_576n,
        "bitvc-05": 4_610_000n,
        "bitvc-06": 569_135n,
        "bitvc-07": 230_500_000n,
        "bitvc-08": 35_286_420n,
        "bitvc-09": 15_366_666n,
        "bitvc-10": 39_789_061n,
      },
    },
    {
      dir: "bitfinex-generalized-loss",
      accounts: bitfinex,
      event: bitfinexEvent(bitfinex),
      signers: VENUE_AND_AUDITOR,
      proofs: byBase(bitfinex),
    },
    {
      dir: "insurance-covers-all",
      accounts: [["ana", 250_000n], ["ben", 125_000n], ["cai", 99_999n], ["dov", 1n], ["eli", 0n]],
      event: {
        venue: "Example Exchange",
        event: "2026-03-01/SOL-PERP",
        ...USDT,
        snapshotTime: "2026-03-01T08:00:00Z",
        policy: LR,
        deficit: 800_000n,
        insuranceFund: 1_200_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { ana: 0n, ben: 0n, cai: 0n, dov: 0n, eli: 0n },
    },
    {
      dir: "shortfall-exceeds-profit",
      accounts: [["ana", 40_000n], ["ben", 35_000n], ["cai", 25_000n], ["dov", 0n]],
      event: {
        venue: "Example Exchange",
        event: "2026-03-02/DOGE-PERP",
        ...USDT,
        snapshotTime: "2026-03-02T08:00:00Z",
        policy: LR,
        deficit: 500_000n,
        insuranceFund: 150_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { ana: 40_000n, ben: 35_000n, cai: 25_000n, dov: 0n },
    },
    {
      dir: "cap-40",
      accounts: [["ana", 25_000n], ["ben", 33_333n], ["cai", 33_333n], ["dov", 8_334n], ["eli", 0n]],
      event: {
        venue: "Example Exchange",
        event: "2026-03-03/XRP-PERP",
        ...USDT,
        snapshotTime: "2026-03-03T08:00:00Z",
        policy: { base: "profit", rounding: "largest-remainder", cap: { num: "2", den: "5" } },
        deficit: 90_000n,
        insuranceFund: 20_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { ana: 10_000n, ben: 13_333n, cai: 13_333n, dov: 3_334n, eli: 0n },
    },
    {
      dir: "floor-rounding",
      accounts: [
        ["w1", 1_234_567n],
        ["w2", 2_345_678n],
        ["w3", 3_456_789n],
        ["w4", 4_567_890n],
        ["w5", 5_678_901n],
        ["w6", 6_789_012n],
      ],
      event: {
        venue: "Example Exchange",
        event: "2026-03-04/six-winners",
        asset: "USD",
        decimals: 2,
        snapshotTime: "2026-03-04T08:00:00Z",
        policy: { base: "profit", rounding: "floor", cap: null },
        deficit: 1_000_000n,
        insuranceFund: 0n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { w1: 51_284n, w2: 97_440n, w3: 143_597n, w4: 189_752n, w5: 235_904n, w6: 282_019n },
    },
    {
      dir: "ties",
      accounts: Array.from({ length: 10 }, (_, i) => [`trader-${String(i).padStart(2, "0")}`, 250_000n] as const),
      event: {
        venue: "Example Exchange",
        event: "2026-03-05/ten-equal-winners",
        ...USDT,
        snapshotTime: "2026-03-05T08:00:00Z",
        policy: LR,
        deficit: 1_000_003n,
        insuranceFund: 0n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      // The three +1 units go to the first three accounts in tree order (ascending account
      // key): trader-08, trader-00 and trader-07. The README lists the order.
      hand: Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => `trader-${String(i).padStart(2, "0")}`)
          .map((a) => [a, ["trader-08", "trader-00", "trader-07"].includes(a) ? 100_001n : 100_000n]),
      ),
    },
    {
      dir: "single-winner",
      accounts: [["solo", 500_000n]],
      event: {
        venue: "Example Exchange",
        event: "2026-03-06/one-winner",
        ...USDT,
        snapshotTime: "2026-03-06T08:00:00Z",
        policy: LR,
        deficit: 200_000n,
        insuranceFund: 50_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { solo: 150_000n },
    },
    {
      dir: "zero-winners",
      accounts: [["flat-1", 0n], ["flat-2", 0n], ["flat-3", 0n]],
      event: {
        venue: "Example Exchange",
        event: "2026-03-07/no-winners",
        ...USDT,
        snapshotTime: "2026-03-07T08:00:00Z",
        policy: LR,
        deficit: 300_000n,
        insuranceFund: 100_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { "flat-1": 0n, "flat-2": 0n, "flat-3": 0n },
    },
    {
      dir: "wei-scale",
      accounts: [["whale-a", P127 - 1n], ["whale-b", P126 + 1n], ["whale-c", P125], ["minnow", 0n]],
      event: {
        venue: "Example DEX",
        event: "2026-03-08/ETH-PERP",
        asset: "ETH",
        decimals: 18,
        snapshotTime: "2026-03-08T08:00:00Z",
        policy: LR,
        deficit: P125 + 5n * ETHER,
        insuranceFund: 5n * ETHER,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: {
        "whale-a": (P127 - 2n) / 7n,
        "whale-b": (P126 - 1n) / 7n,
        "whale-c": (P125 + 3n) / 7n,
        minnow: 0n,
      },
    },
    {
      dir: "unicode-ids",
      accounts: [
        ["ünïcødé", 10_000n],
        ["交易员-7", 20_000n],
        ["🦊🚀", 30_000n],
        ["e\u0301", 40_000n],
        ["\u00e9", 50_000n],
        ["€".repeat(85) + "a", 50_000n],
        ["A".repeat(256), 0n],
        ["👩‍💻 حساب", 0n],
      ],
      event: {
        venue: "Example Exchange",
        event: "2026-03-09/ÜNICODE-PERP",
        ...USDT,
        snapshotTime: "2026-03-09T08:00:00Z",
        policy: LR,
        deficit: 53_333n,
        insuranceFund: 20_000n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: {
        "ünïcødé": 1_667n,
        "交易员-7": 3_333n,
        "🦊🚀": 5_000n,
        "e\u0301": 6_667n,
        "\u00e9": 8_333n,
        ["€".repeat(85) + "a"]: 8_333n,
        ["A".repeat(256)]: 0n,
        "👩‍💻 حساب": 0n,
      },
    },
    {
      dir: "chain-of-three/event-1",
      accounts: [["alice", 6_000n], ["bob", 3_000n], ["carol", 1_000n]],
      event: chainEvent(1, 2_500n, 1_000n),
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { alice: 900n, bob: 450n, carol: 150n },
    },
    {
      dir: "chain-of-three/event-2",
      accounts: [["alice", 2_000n], ["bob", 5_000n], ["dave", 3_000n]],
      event: chainEvent(2, 1_000n, 0n),
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { alice: 200n, bob: 500n, dave: 300n },
    },
    {
      dir: "chain-of-three/event-3",
      accounts: [["bob", 7_000n], ["carol", 2_000n], ["erin", 1_000n]],
      event: chainEvent(3, 700n, 500n),
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: { bob: 140n, carol: 40n, erin: 20n },
    },
    {
      dir: "threshold-2-of-3",
      accounts: [["alice", 750_000n], ["bob", 250_001n], ["carol", 123_456n], ["dave", 0n], ["erin", 33_333n]],
      event: {
        venue: "Example Exchange",
        event: "2026-11-03/ETH-PERP",
        ...USDT,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: LR,
        deficit: 200_000n,
        insuranceFund: 120_000n,
      },
      signers: ["venue", "auditor-1"],
      trust: { file: "trust-2-of-3.json", roles: ["venue", "auditor-1", "auditor-2"], threshold: 2 },
      proofs: "all",
      hand: { alice: 51_868n, bob: 17_289n, carol: 8_538n, dave: 0n, erin: 2_305n },
    },
  ];
}

/** The format v1.1 scenarios: the venues' own rate rules, and deficit trees. */
function v11ScenarioSpecs(): ScenarioSpec[] {
  const okex = okexAccounts(400, 0x0e4e2018);
  const okexTotal = okex.reduce((s, [, b]) => s + b, 0n);
  const okexFund = 1_000_000_000n; // 10 BTC
  // The shortfall is 18.03% of the winners' profit (truncated to a satoshi) plus 0.001 BTC, so that the weekly
  // rate, searched at 4 decimals, is 18.03% and leaves a little uncovered.
  const okexShortfall = okexTotal * 1803n / 10000n + 100_000n;
  const okexLosses = okexFund + okexShortfall;
  const okexBankrupt: [string, bigint][] = [
    ["okex-liquidated-1", okexLosses * 55n / 100n],
    ["okex-liquidated-2", okexLosses * 30n / 100n],
  ];
  okexBankrupt.push(["okex-liquidated-3", okexLosses - okexBankrupt[0][1] - okexBankrupt[1][1]]);
  const largestFirst = [...okex].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : a[0] < b[0] ? -1 : 1));
  return [
    {
      dir: "okex-weekly-clawback-rate",
      accounts: okex,
      event: {
        venue: "OKEx-style Futures",
        event: "2018-W31/BTC-QUARTERLY",
        asset: "BTC",
        decimals: 8,
        snapshotTime: "2018-08-03T08:00:00Z",
        policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { decimals: 4 } },
        insuranceFund: okexFund,
      },
      bankrupt: okexBankrupt,
      signers: VENUE_AND_AUDITOR,
      proofs: [
        largestFirst[0][0],
        largestFirst[1][0],
        largestFirst[200][0],
        largestFirst[399][0],
        ...okexBankrupt.map(([a]) => a),
      ],
    },
    {
      dir: "cryptocom-six-winners-half-up",
      accounts: CRYPTO_COM_WINNERS,
      event: cryptoComEvent("rate-half-up"),
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: {
        "trader-a": 292_398n,
        "trader-b": 263_158n,
        "trader-c": 175_439n,
        "trader-f": 175_439n,
        "trader-g": 87_719n,
        "trader-e": 5_848n,
      },
      rejected: {
        code: "ARITHMETIC",
        reason: "every share rounded half up collects 10,000.01 USD for a 10,000.00 USD shortfall",
      },
    },
    {
      dir: "cryptocom-six-winners-floor",
      accounts: CRYPTO_COM_WINNERS,
      event: cryptoComEvent("rate-floor"),
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
      hand: {
        "trader-a": 292_397n,
        "trader-b": 263_157n,
        "trader-c": 175_438n,
        "trader-f": 175_438n,
        "trader-g": 87_719n,
        "trader-e": 5_847n,
      },
    },
    {
      dir: "mango-deposit-index-cut",
      accounts: MANGO_DEPOSITORS,
      event: mangoEvent(),
      bankrupt: MANGO_BANKRUPT,
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
    },
    {
      dir: "rate-with-cap",
      accounts: [["ana", 1_000_001n], ["ben", 333_333n], ["cai", 250_002n], ["dov", 99_999n], ["eli", 7n], ["fay", 0n]],
      event: {
        venue: "Example Exchange",
        event: "2026-03-11/AVAX-PERP",
        ...USDT,
        snapshotTime: "2026-03-11T08:00:00Z",
        // The shortfall would need 40% of all profit; the cap is 25%, and the rate is searched at 4 decimals.
        policy: { base: "profit", rounding: "rate-half-up", cap: { num: "1", den: "4" }, rate: { decimals: 4 } },
        deficit: 800_000n,
        insuranceFund: 126_863n,
      },
      signers: VENUE_AND_AUDITOR,
      proofs: "all",
    },
  ];
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The account key of an account, computed here from the format's
 * definition with the hash primitives directly (not with `src/`):
 * `SHA256(0x02 || HMAC-SHA256(secret, event || 0x00 || id) || id)`.
 */
export function independentAccountKey(secret: Uint8Array, event: string, account: string): Uint8Array {
  const enc = new TextEncoder();
  const salt = hmac(sha256, secret, new Uint8Array([...enc.encode(event), 0, ...enc.encode(account)]));
  return sha256(new Uint8Array([2, ...salt, ...enc.encode(account)]));
}

/** The accounts in tree order (ascending account key), with their keys. */
export function treeOrder(
  secret: Uint8Array,
  event: string,
  accounts: readonly (readonly [string, bigint])[],
): { account: string; base: bigint; key: string }[] {
  return accounts
    .map(([account, base]) => ({ account, base, keyBytes: independentAccountKey(secret, event, account) }))
    .sort((a, b) => compareBytes(a.keyBytes, b.keyBytes))
    .map(({ account, base, keyBytes }) => ({ account, base, key: bytesToHex(keyBytes) }));
}

/** `target = min(shortfall, cap ? floor(P * num / den) : P)`, written out from SPEC §7. */
export function independentTarget(shortfall: bigint, totalBase: bigint, cap: PolicyJson["cap"]): bigint {
  const limit = cap === null ? totalBase : totalBase * BigInt(cap.num) / BigInt(cap.den);
  return shortfall < limit ? shortfall : limit;
}

/**
 * The haircuts of bases given in tree order, by a formulation different
 * from `src/rules/allocation.ts`: start every account at floor(T * base / P);
 * under largest-remainder, hand out the T - sum units one at a time, each to
 * the account whose exact share is furthest above what it pays so far
 * (T * base - paid * P, an exact integer), the lowest index on a tie, and
 * never to an account already paying its exact share.
 */
export function greedyHaircuts(bases: readonly bigint[], target: bigint, rounding: PolicyJson["rounding"]): bigint[] {
  const total = bases.reduce((s, b) => s + b, 0n);
  if (total === 0n) {
    if (target !== 0n) throw new Error("P = 0 needs T = 0");
    return bases.map(() => 0n);
  }
  const paid = bases.map((b) => target * b / total);
  if (rounding === "floor") return paid;
  let left = target - paid.reduce((s, x) => s + x, 0n);
  const owed = bases.map((b, i) => target * b - paid[i] * total);
  while (left > 0n) {
    let best = -1;
    for (let i = 0; i < owed.length; i++) if (owed[i] > 0n && (best === -1 || owed[i] > owed[best])) best = i;
    if (best === -1) throw new Error("no account left to take a rounding unit");
    paid[best] += 1n;
    owed[best] -= total;
    left -= 1n;
  }
  return paid;
}

/** The statement-level numbers of an event, derived from SPEC §7 directly. */
export interface ExpectedTotals {
  /** `min(deficit, insuranceFund)`. */
  insuranceUsed: bigint;
  /** `deficit - insuranceUsed`. */
  shortfall: bigint;
  /** P. */
  totalBase: bigint;
  /** T. */
  target: bigint;
  /** The sum of haircuts. */
  collected: bigint;
  /** `shortfall - collected`. */
  uncovered: bigint;
}

/** The rate T/P as a percentage with six decimals, truncated ("n/a" when P = 0). */
export function ratePercent(target: bigint, totalBase: bigint): string {
  if (totalBase === 0n) return "n/a (P = 0)";
  const scaled = target * 100_000_000n / totalBase;
  return `${scaled / 1_000_000n}.${String(scaled % 1_000_000n).padStart(6, "0")}%`;
}

/**
 * A rate rounding written out from SPEC §8.4 as exact division with a remainder (a formulation different from
 * `src/rules/rate.ts`): `b * num = q * den + r`; floor pays `q`, ceiling `q + 1` when `r > 0`, half up `q + 1` when
 * `2r >= den`.
 */
export function independentRateHaircut(base: bigint, rate: { num: bigint; den: bigint }, rounding: string): bigint {
  const q = base * rate.num / rate.den;
  const r = base * rate.num - q * rate.den;
  if (rounding === "rate-floor") return q;
  if (rounding === "rate-ceil") return r > 0n ? q + 1n : q;
  if (rounding === "rate-half-up") return 2n * r >= rate.den ? q + 1n : q;
  throw new Error(`not a rate rounding: ${rounding}`);
}

/**
 * The automatic rate of `{ decimals }`, by this script's own search: every numerator from the cap (or 10^d) down,
 * the first whose total fits. Slow but obviously right for the small precisions the scenarios use.
 */
export function independentAutomaticRate(
  bases: readonly bigint[],
  target: bigint,
  policy: { decimals: number; rounding: string; cap: PolicyJson["cap"] },
): { num: bigint; den: bigint } {
  const den = 10n ** BigInt(policy.decimals);
  let num = policy.cap ? den * BigInt(policy.cap.num) / BigInt(policy.cap.den) : den;
  for (; num > 0n; num--) {
    const total = bases.reduce((sum, b) => sum + independentRateHaircut(b, { num, den }, policy.rounding), 0n);
    if (total <= target) break;
  }
  return { num, den };
}

/** The deficit of an event: as given, or the sum of the bankrupt accounts' losses. */
export function deficitOf(spec: ScenarioSpec): bigint {
  if (spec.event.deficit !== undefined) return spec.event.deficit;
  if (!spec.bankrupt) throw new Error(`${spec.dir}: no deficit and no bankrupt accounts`);
  return spec.bankrupt.reduce((sum, [, loss]) => sum + loss, 0n);
}

/** The rate a rate scenario's statement carries, derived without `src/`. */
export function expectedRate(spec: ScenarioSpec, target: bigint): { num: bigint; den: bigint } | undefined {
  const { rate, rounding, cap } = spec.event.policy;
  if (!rate) return undefined;
  if ("num" in rate) return { num: BigInt(rate.num), den: BigInt(rate.den) };
  const bases = spec.accounts.map(([, b]) => b);
  return independentAutomaticRate(bases, target, { decimals: rate.decimals, rounding, cap });
}

/** Derives the expected haircuts and totals of a scenario, independently of `src/rules/`. */
export function deriveExpected(
  spec: ScenarioSpec,
): { totals: ExpectedTotals; haircuts: Map<string, bigint>; rate?: { num: bigint; den: bigint } } {
  const e = spec.event;
  const deficit = deficitOf(spec);
  const insuranceUsed = deficit < e.insuranceFund ? deficit : e.insuranceFund;
  const shortfall = deficit - insuranceUsed;
  const totalBase = spec.accounts.reduce((s, [, b]) => s + b, 0n);
  const target = independentTarget(shortfall, totalBase, e.policy.cap);
  const order = treeOrder(saltSecretOf(spec.dir), e.event, spec.accounts);
  const rate = expectedRate(spec, target);
  const cuts = rate
    ? order.map((o) => independentRateHaircut(o.base, rate, e.policy.rounding))
    : greedyHaircuts(order.map((o) => o.base), target, e.policy.rounding as "largest-remainder" | "floor");
  const byAccount = new Map(order.map((o, i) => [o.account, cuts[i]]));
  const haircuts = new Map(spec.accounts.map(([a]) => [a, byAccount.get(a) as bigint]));
  const collected = cuts.reduce((s, x) => s + x, 0n);
  if (spec.hand) {
    for (const [a] of spec.accounts) {
      if (spec.hand[a] !== haircuts.get(a)) {
        throw new Error(`${spec.dir}: ${a}: hand-derived ${spec.hand[a]} != re-derived ${haircuts.get(a)}`);
      }
    }
  }
  return {
    totals: { insuranceUsed, shortfall, totalBase, target, collected, uncovered: shortfall - collected },
    haircuts,
    ...(rate ? { rate } : {}),
  };
}

/** The `publish` arguments of a scenario, relative to its directory (no `--out`). */
export function publishArgs(spec: ScenarioSpec): string[] {
  const args = ["--accounts", "input/accounts.csv", "--event", "input/event.json"];
  if (spec.bankrupt) args.push("--bankrupt", "input/bankrupt.csv");
  for (const role of spec.signers) args.push("--signing-key", `input/${fixedKeyFile(role)}`);
  args.push("--salt-secret", "input/salt-secret");
  return args;
}

function eventJson(event: EventInput, previous: string | null): string {
  return prettyJson({
    venue: event.venue,
    event: event.event,
    asset: event.asset,
    decimals: event.decimals,
    snapshotTime: event.snapshotTime,
    policy: event.policy,
    ...(event.deficit === undefined ? {} : { deficit: `${event.deficit}` }),
    insuranceFund: `${event.insuranceFund}`,
    ...(previous === null ? {} : { previous }),
  });
}

async function statementDigest(dir: string): Promise<string> {
  const envelope = JSON.parse(await Deno.readTextFile(`${dir}/statement.dsse.json`));
  const payload = Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0));
  return bytesToHex(sha256(payload));
}

/** Writes one scenario into `base/<spec.dir>` and returns its expected numbers. */
async function writeScenario(base: string, spec: ScenarioSpec, digests: Map<string, string>): Promise<ExpectedTotals> {
  const dir = `${base}/${spec.dir}`;
  for (
    const name of ["input", "proofs", "statement.dsse.json", "leaves.csv", "bankrupt.csv", "keys.json", "expected.json"]
  ) {
    await removeIfExists(`${dir}/${name}`);
  }
  const csv = "account,base\n" + spec.accounts.map(([a, b]) => `${a},${b}\n`).join("");
  await writeText(`${dir}/input/accounts.csv`, csv);
  if (spec.bankrupt) {
    await writeText(
      `${dir}/input/bankrupt.csv`,
      "account,loss\n" + spec.bankrupt.map(([a, l]) => `${a},${l}\n`).join(""),
    );
  }
  let previous: string | null = null;
  if (typeof spec.event.previous === "string") previous = spec.event.previous;
  if (typeof spec.event.previous === "object") {
    previous = digests.get(spec.event.previous.from) ?? null;
    if (previous === null) throw new Error(`${spec.dir}: ${spec.event.previous.from} is not generated yet`);
  }
  await writeText(`${dir}/input/event.json`, eventJson(spec.event, previous));
  for (const role of spec.signers) await writeText(`${dir}/input/${fixedKeyFile(role)}`, fixedKeyJson(role));
  await writeBytes(`${dir}/input/salt-secret`, saltSecretOf(spec.dir));
  if (spec.trust) await writeText(`${dir}/${spec.trust.file}`, trustJson(spec.trust.roles, spec.trust.threshold));
  await writeText(
    `${dir}/publish.json`,
    prettyJson({
      args: publishArgs(spec),
      trustedKeys: spec.trust ? spec.trust.file : "keys.json",
      proofs: spec.proofs,
      ...(spec.rejected ? { rejected: spec.rejected } : {}),
    }),
  );
  const args = publishArgs(spec).map((a) => (a.startsWith("input/") ? `${dir}/${a}` : a));
  const r = await runCli(["publish", ...args, "--out", dir]);
  if (spec.rejected) {
    // publish never signs what verify rejects: the venue's invalid publication is built and signed here.
    if (r.code !== 2) throw new Error(`${spec.dir}: publish should refuse this event: ${r.code} ${r.stdout}`);
    await forgeRejected(spec, dir, previous);
  } else if (r.code !== 0) {
    throw new Error(`${spec.dir}: publish failed: ${r.stderr}`);
  }
  if (spec.proofs !== "all") {
    const keep = new Set(spec.proofs);
    for await (const entry of Deno.readDir(`${dir}/proofs`)) {
      const proof = JSON.parse(await Deno.readTextFile(`${dir}/proofs/${entry.name}`));
      if (!keep.has(proof.account)) await Deno.remove(`${dir}/proofs/${entry.name}`);
    }
  }
  digests.set(spec.dir, await statementDigest(dir));
  const { totals, haircuts, rate } = deriveExpected(spec);
  const t = totals;
  const derivation = rate
    ? spec.hand
      ? "by hand (see README.md), re-derived by scripts/make_scenarios.ts without src/rules/"
      : "exact rate formula (and the automatic rate, by scanning every numerator) in scripts/make_scenarios.ts, " +
        "without src/rules/"
    : spec.hand
    ? "by hand (see README.md), re-derived by scripts/make_scenarios.ts without src/allocation.ts"
    : "exact rational largest remainder in scripts/make_scenarios.ts, without src/allocation.ts";
  await writeText(
    `${dir}/expected.json`,
    prettyJson({
      derivation,
      ...(spec.rejected ? { verify: { valid: false, code: spec.rejected.code, reason: spec.rejected.reason } } : {}),
      deficit: `${deficitOf(spec)}`,
      insuranceFund: `${spec.event.insuranceFund}`,
      insuranceUsed: `${t.insuranceUsed}`,
      shortfall: `${t.shortfall}`,
      totalBase: `${t.totalBase}`,
      target: `${t.target}`,
      collected: `${t.collected}`,
      // A statement cannot say a negative uncovered: the venue's over-collection is stated apart.
      uncovered: `${t.uncovered < 0n ? 0n : t.uncovered}`,
      ...(t.uncovered < 0n ? { overCollected: `${-t.uncovered}` } : {}),
      rate: ratePercent(t.target, t.totalBase),
      ...(rate ? { policyRate: { num: `${rate.num}`, den: `${rate.den}` } } : {}),
      haircuts: Object.fromEntries([...haircuts].map(([a, h]) => [a, `${h}`])),
      ...(spec.bankrupt ? { losses: Object.fromEntries(spec.bankrupt.map(([a, l]) => [a, `${l}`])) } : {}),
    }),
  );
  return totals;
}

/** The salt of SPEC §3, written out here with HMAC directly. */
function independentSalt(secret: Uint8Array, event: string, account: string): Uint8Array {
  const enc = new TextEncoder();
  return hmac(sha256, secret, new Uint8Array([...enc.encode(event), 0, ...enc.encode(account)]));
}

/**
 * Builds and signs a venue's publication that `verify` must reject (`spec.rejected`), in exactly the layout
 * `publish` writes: the leaves sorted by account key, the statement with the arithmetic `publish` would compute,
 * signed by the scenario's keys, `keys.json` and one proof per account.
 */
async function forgeRejected(spec: ScenarioSpec, dir: string, previous: string | null): Promise<void> {
  const { totals: t, rate } = deriveExpected(spec);
  if (!rate) throw new Error(`${spec.dir}: only rate scenarios are forged`);
  const secret = saltSecretOf(spec.dir);
  const e = spec.event;
  const rows = treeOrder(secret, e.event, spec.accounts).map((o) => ({
    ...o,
    salt: independentSalt(secret, e.event, o.account),
    haircut: independentRateHaircut(o.base, rate, e.policy.rounding),
  }));
  const levels = treeLevels(rows.map((r) => sumLeaf(hexToBytes(r.key, 32), r.base, r.haircut)), sumHasher);
  const root = levels[levels.length - 1][0];
  const statement = statementFromJson({
    type: "socialized-loss/statement/v1",
    venue: e.venue,
    event: e.event,
    asset: e.asset,
    decimals: e.decimals,
    snapshotTime: e.snapshotTime,
    policy: { ...e.policy, rate: { num: `${rate.num}`, den: `${rate.den}` } },
    deficit: `${deficitOf(spec)}`,
    insuranceFund: `${e.insuranceFund}`,
    insuranceUsed: `${t.insuranceUsed}`,
    shortfall: `${t.shortfall}`,
    target: `${t.target}`,
    uncovered: `${t.shortfall > root.haircut ? t.shortfall - root.haircut : 0n}`,
    tree: {
      root: bytesToHex(root.hash),
      leafCount: rows.length,
      totalBase: `${root.base}`,
      totalHaircut: `${root.haircut}`,
    },
    previous,
  });
  const payload = statementBytes(statement);
  const digest = payloadDigest(payload);
  const signers = spec.signers.map(fixedKey);
  await writeText(`${dir}/statement.dsse.json`, envelopeToJson(signEnvelope(payload, signers)));
  await writeText(`${dir}/keys.json`, keysFileJson(signers));
  await writeText(
    `${dir}/leaves.csv`,
    "account_key,base,haircut\n" + rows.map((r) => `${r.key},${r.base},${r.haircut}\n`).join(""),
  );
  for (const [i, r] of rows.entries()) {
    const proof = {
      type: "socialized-loss/proof/v1",
      statement: digest,
      account: r.account,
      salt: bytesToHex(r.salt),
      index: i,
      base: `${r.base}`,
      haircut: `${r.haircut}`,
      path: inclusionPath(levels, i).map((n) => ({
        hash: bytesToHex(n.hash),
        base: `${n.base}`,
        haircut: `${n.haircut}`,
      })),
    };
    await writeText(`${dir}/proofs/${r.key}.json`, JSON.stringify(proof, null, 2) + "\n");
  }
}

/** Writes every scenario under `base` (default `fixtures/scenarios`). */
export async function makeScenarios(base = `${ROOT}fixtures/scenarios`): Promise<void> {
  const digests = new Map<string, string>();
  for (const spec of scenarioSpecs()) {
    const t = await writeScenario(base, spec, digests);
    console.log(
      `${spec.dir.padEnd(32)} n=${String(spec.accounts.length).padStart(4)} rate ${
        ratePercent(t.target, t.totalBase).padStart(12)
      } T=${t.target} collected=${t.collected} uncovered=${t.uncovered}`,
    );
  }
}

if (import.meta.main) await makeScenarios();
