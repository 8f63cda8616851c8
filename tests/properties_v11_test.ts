/**
 * Property tests (fast-check, fixed seeds) of the guarantees format v1.1
 * adds, on whole publications: under every rate rounding `publish` charges
 * each account exactly the formula and never more than the target, its
 * automatic rate is the largest that fits, verify accepts what it publishes
 * (serially and with workers), the deficit tree adds up to the deficit, and
 * any change to bankrupt.csv or a deficit proof is caught. The per-haircut
 * properties (formula, <= base, monotonicity) are in tests/rate_test.ts.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { parseKeysFile, rateHaircut, type RateRounding, verifyProof, verifyPublication } from "../mod.ts";
import { buildPublication, type EventSpec, keysFileJson } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { RATE_ROUNDINGS, rateTotal } from "../src/rules/rate.ts";

const SEED = 20261202;
const SIGNERS = [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1))];
const KEYS = parseKeysFile(keysFileJson(SIGNERS));
const SALT_SECRET = new TextEncoder().encode("properties-v1.1-salt-secret");
const enc = new TextEncoder();

interface Drawn {
  bases: bigint[];
  losses: bigint[];
  insuranceFund: bigint;
  rounding: RateRounding;
  decimals: number;
  cap: { num: bigint; den: bigint } | null;
}

const drawnArb: fc.Arbitrary<Drawn> = fc.record({
  bases: fc.array(fc.oneof(fc.bigInt(0n, 50n), fc.bigInt(0n, 1n << 40n)), { minLength: 1, maxLength: 24 }),
  losses: fc.array(fc.bigInt(0n, 1n << 42n), { minLength: 1, maxLength: 6 }),
  insuranceFund: fc.bigInt(0n, 1n << 41n),
  rounding: fc.constantFrom(...RATE_ROUNDINGS),
  decimals: fc.integer({ min: 0, max: 18 }),
  cap: fc.option(fc.bigInt(1n, 100n).map((num) => ({ num, den: 100n })), { nil: null }),
});

function eventOf(d: Drawn): EventSpec {
  return {
    venue: "Property Exchange",
    event: "property/v1.1",
    asset: "USDT",
    decimals: 2,
    snapshotTime: "2026-11-03T08:00:00Z",
    policy: { base: "profit", rounding: d.rounding, cap: d.cap, rate: { decimals: d.decimals } },
    insuranceFund: d.insuranceFund,
    previous: null,
  };
}

function publish(d: Drawn) {
  return buildPublication(
    {
      accounts: d.bases.map((base, i) => ({ account: `acct-${i}`, base })),
      bankrupt: d.losses.map((loss, i) => ({ account: `bankrupt-${i}`, loss })),
      event: eventOf(d),
    },
    SIGNERS,
    { saltSecret: SALT_SECRET },
  );
}

Deno.test("property v1.1: every published haircut is exactly the rate's formula, and the total never exceeds the target", () => {
  fc.assert(
    fc.property(drawnArb, (d) => {
      const pub = publish(d);
      const s = pub.statement;
      const rate = s.policy.rate!;
      assert.equal(s.policy.rounding, d.rounding);
      const rows = pub.leavesCsv.split("\n").slice(1, -1).map((line) =>
        line.split(",").map((x, i) => i ? BigInt(x) : x)
      );
      for (const [, base, haircut] of rows as [string, bigint, bigint][]) {
        assert.equal(haircut, rateHaircut(base, rate, d.rounding));
        assert.ok(haircut <= base);
      }
      assert.ok(s.tree.totalHaircut <= s.target, `${s.tree.totalHaircut} > ${s.target}`);
      assert.equal(s.uncovered, s.shortfall - s.tree.totalHaircut);
      if (d.cap) assert.ok(rate.num * d.cap.den <= d.cap.num * rate.den);
    }),
    { seed: SEED, numRuns: 120 },
  );
});

Deno.test("property v1.1: the automatic rate is the largest at its precision whose total fits", () => {
  fc.assert(
    fc.property(drawnArb, (d) => {
      const { statement: s } = publish(d);
      const rate = s.policy.rate!;
      assert.equal(rate.den, 10n ** BigInt(d.decimals));
      const next = { num: rate.num + 1n, den: rate.den };
      const blocked = next.num > next.den || (d.cap !== null && next.num * d.cap.den > d.cap.num * next.den) ||
        rateTotal(d.bases, { rate: next, rounding: d.rounding }) > s.target;
      assert.ok(blocked, `${next.num}/${next.den} would still fit`);
    }),
    { seed: SEED, numRuns: 120 },
  );
});

Deno.test("property v1.1: the deficit tree's total equals the deficit, and verify accepts the publication", async () => {
  await fc.assert(
    fc.asyncProperty(drawnArb, fc.constantFrom(0, 2), async (d, workers) => {
      const pub = publish(d);
      const s = pub.statement;
      const losses = d.losses.reduce((t, l) => t + l, 0n);
      assert.equal(s.deficit, losses);
      assert.equal(s.deficitTree?.total, losses);
      assert.equal(s.deficitTree?.leafCount, d.losses.length);
      const report = await verifyPublication(
        {
          envelope: envelopeToJson(pub.envelope),
          leaves: enc.encode(pub.leavesCsv),
          bankrupt: enc.encode(pub.bankruptCsv!),
        },
        KEYS,
        { workers, batchSize: 4 },
      );
      assert.deepEqual(report.errors, []);
      for (const p of [...pub.proofs, ...pub.deficitProofs!]) {
        const r = verifyProof({ proof: p.json, envelope: envelopeToJson(pub.envelope) }, KEYS);
        assert.deepEqual(r.errors, [], p.account);
      }
    }),
    { seed: SEED, numRuns: 40 },
  );
});

Deno.test("property v1.1: changing any byte of bankrupt.csv or of a deficit proof is caught", async () => {
  const d: Drawn = {
    bases: [300_000n, 123_457n, 98_765n, 0n, 55_555n],
    losses: [90_000n, 45_000n, 15_000n, 7n],
    insuranceFund: 50_000n,
    rounding: "rate-floor",
    decimals: 4,
    cap: null,
  };
  const pub = publish(d);
  const envelope = envelopeToJson(pub.envelope);
  const csv = enc.encode(pub.bankruptCsv!);
  const proof = pub.deficitProofs![1].json;
  await fc.assert(
    fc.asyncProperty(fc.nat(csv.length - 1), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
      const bytes = csv.slice();
      bytes[at] ^= flip;
      const r = await verifyPublication({ envelope, leaves: enc.encode(pub.leavesCsv), bankrupt: bytes }, KEYS);
      assert.equal(r.ok, false, `byte ${at} ^ ${flip} went unnoticed`);
      assert.ok(r.errors.every((e) => e.file === "bankrupt.csv"), JSON.stringify(r.errors));
    }),
    { seed: SEED, numRuns: 300 },
  );
  const text = enc.encode(proof);
  fc.assert(
    fc.property(fc.nat(text.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const bytes = text.slice();
      bytes[at] ^= flip;
      const edited = new TextDecoder().decode(bytes);
      // A change inside JSON whitespace or to an equivalent spelling is not a different proof.
      let same = false;
      try {
        same = JSON.stringify(JSON.parse(edited)) === JSON.stringify(JSON.parse(proof));
      } catch { /* not JSON any more */ }
      if (same) return;
      assert.equal(verifyProof({ proof: edited, envelope }, KEYS).ok, false, `byte ${at} ^ ${flip} went unnoticed`);
    }),
    { seed: SEED, numRuns: 300 },
  );
});
