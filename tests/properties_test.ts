/**
 * Property tests (fast-check) of the transparency guarantees listed in SECURITY.md,
 * one Deno.test per guarantee, each with a fixed seed.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import {
  allocate,
  type Cap,
  checkArithmetic,
  computeTarget,
  type Finding,
  parseKeysFile,
  type Rounding,
  type Statement,
  verifyProof,
  verifyPublication,
} from "../mod.ts";
import {
  type AccountInput,
  buildPublication,
  type EventSpec,
  keysFileJson,
  type Publication,
  signEnvelope,
} from "../publish.ts";
import { rootFromInclusionProof, sumHasher, sumLeaf, type SumNode, sumNode, treeRoot } from "../tree.ts";
import { u128be } from "../src/core/amount.ts";
import { hexToBytes } from "../src/core/encoding.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { LEAVES_HEADER, leavesCsvLine } from "../src/format/leaves.ts";
import { statementBytes, statementToJson } from "../src/format/statement.ts";

const SEED = 20261126;
const SIGNERS = [
  signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)),
  signingKeyFromSecret("secp256k1", new Uint8Array(32).fill(2)),
];
/** Both signers, threshold 2. */
const KEYS = parseKeysFile(keysFileJson(SIGNERS));
const SALT_SECRET = new TextEncoder().encode("properties-test-salt-secret");
const TWO_POW_100 = 1n << 100n;
const AMOUNT_LIMIT = 1n << 128n;

// ---------------------------------------------------------------- arbitraries

/** A base: zeros, tiny values (ties), mid-size values, and huge values near 2^100. */
const baseArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.constant(0n),
  fc.bigInt(0n, 10n),
  fc.bigInt(0n, 1n << 40n),
  fc.bigInt(0n, TWO_POW_100),
  fc.bigInt(TWO_POW_100 - 16n, TWO_POW_100 + 16n),
);

/** Bases drawn from a handful of values, so equal bases are common. */
const tiedBaseArb: fc.Arbitrary<bigint> = fc.constantFrom(0n, 1n, 2n, 3n, 7n, TWO_POW_100, TWO_POW_100 + 1n);

const basesArb: fc.Arbitrary<bigint[]> = fc.oneof(
  fc.array(baseArb, { minLength: 1, maxLength: 12 }),
  fc.array(tiedBaseArb, { minLength: 1, maxLength: 12 }),
  fc.array(baseArb, { minLength: 1, maxLength: 6 }).map((b) => [...b, ...b]),
);

const roundingArb: fc.Arbitrary<Rounding> = fc.constantFrom("largest-remainder", "floor");

interface Case {
  bases: bigint[];
  target: bigint;
  rounding: Rounding;
}

/** Bases with a target anywhere from 0 to P (both ends included often). */
const caseArb: fc.Arbitrary<Case> = basesArb.chain((bases) => {
  const P = total(bases);
  return fc.record({
    bases: fc.constant(bases),
    target: fc.oneof(fc.bigInt(0n, P), fc.constantFrom(0n, P)),
    rounding: roundingArb,
  });
});

/** A cap num/den with 0 < num <= den, small and huge. */
const capArb: fc.Arbitrary<Cap> = fc.oneof(fc.bigInt(1n, 10n), fc.bigInt(1n, 1n << 64n)).chain((den) =>
  fc.record({ num: fc.bigInt(1n, den), den: fc.constant(den) })
);

const accountIdArb: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/);

function accountsArb(base: fc.Arbitrary<bigint>, maxLength: number): fc.Arbitrary<AccountInput[]> {
  return fc.uniqueArray(fc.record({ account: accountIdArb, base }), {
    minLength: 1,
    maxLength,
    selector: (a) => a.account,
  });
}

/** Variant A: largest remainder, no cap, the fund smaller than the deficit. */
const EVENT_A: EventSpec = {
  venue: "Example Exchange",
  event: "2026-11-03/ETH-PERP",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-11-03T08:00:00Z",
  policy: { base: "profit", rounding: "largest-remainder", cap: null },
  deficit: 500000000n,
  insuranceFund: 120000n,
  previous: null,
};

/** Variant B: floor with a binding 1/2 cap and a huge shortfall. */
const EVENT_B: EventSpec = {
  venue: "Other Venue",
  event: "2026-12-01/BTC-PERP",
  asset: "USDC",
  decimals: 6,
  snapshotTime: "2026-12-01T00:00:00.5Z",
  policy: { base: "equity", rounding: "floor", cap: { num: 1n, den: 2n } },
  deficit: 100000000000000000000n,
  insuranceFund: 100000n,
  previous: null,
};

// ---------------------------------------------------------------- helpers

function total(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** q_i and r_i of every base. */
function shares(bases: readonly bigint[], target: bigint): { q: bigint[]; r: bigint[] } {
  const P = total(bases);
  return {
    q: bases.map((b) => P === 0n ? 0n : target * b / P),
    r: bases.map((b) => P === 0n ? 0n : target * b % P),
  };
}

function build(accounts: readonly AccountInput[], event: EventSpec): Publication {
  return buildPublication({ accounts, event }, SIGNERS, { saltSecret: SALT_SECRET });
}

function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A lossy decode, as a text file reader would do it. */
function utf8Text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** A copy of `bytes` with byte `pos` replaced by a value that is never the old one. */
function mutate(bytes: Uint8Array, pos: number, delta: number): Uint8Array {
  const out = bytes.slice();
  out[pos] = (out[pos] + 1 + delta) % 256;
  assert.notEqual(out[pos], bytes[pos]);
  return out;
}

function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** Verification failed, and every finding has one of the `allowed` codes. */
function assertFailsWith(
  report: { ok: boolean; errors: Finding[] },
  allowed: ReadonlySet<string>,
  context: string,
): void {
  assert.equal(report.ok, false, `${context}: verification passed`);
  assert.ok(report.errors.length > 0, `${context}: no findings`);
  for (const e of report.errors) {
    assert.ok(allowed.has(e.code), `${context}: unexpected ${e.code}: ${e.message}`);
  }
}

/** Deep equality of parsed JSON values, numbers compared with === (so -0 equals 0). */
function jsonSame(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) =>
    k === kb[i] && jsonSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** The positions of the characters strictly inside the JSON string value of `key` (first match after `from`). */
function stringValueSpan(text: string, key: string, from = 0): [number, number] {
  const m = new RegExp(`"${key}": ?"`, "g");
  m.lastIndex = from;
  const found = m.exec(text);
  assert.ok(found, `no ${key} in ${text}`);
  const start = found.index + found[0].length;
  const end = text.indexOf('"', start);
  return [start, end];
}

function range(span: [number, number]): number[] {
  return Array.from({ length: span[1] - span[0] }, (_, i) => span[0] + i);
}

/** Reads leaves.csv back into rows. */
function leafRows(csv: string): { key: Uint8Array; keyHex: string; base: bigint; haircut: bigint }[] {
  const lines = csv.split("\n");
  assert.equal(lines[0], LEAVES_HEADER);
  return lines.slice(1, -1).map((line) => {
    const [keyHex, base, haircut] = line.split(",");
    return { key: hexToBytes(keyHex, 32), keyHex, base: BigInt(base), haircut: BigInt(haircut) };
  });
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

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The bytes a node hashes after its prefix: both children's hashes and sums. */
function nodeBody(left: SumNode, right: SumNode): Uint8Array {
  return concat(
    left.hash,
    u128be(left.base),
    u128be(left.haircut),
    right.hash,
    u128be(right.base),
    u128be(right.haircut),
  );
}

const LEAF_CODES: ReadonlySet<string> = new Set([
  "LEAF_INVALID",
  "LEAF_ORDER",
  "ROOT_MISMATCH",
  "TOTAL_MISMATCH",
  "HAIRCUT_MISMATCH",
  "HAIRCUT_EXCEEDS_BASE",
  "ROUNDING_ORDER",
  "LEAF_COUNT_MISMATCH",
]);
const PROOF_CODES: ReadonlySet<string> = new Set([
  "PROOF_INVALID",
  "STATEMENT_DIGEST_MISMATCH",
  "PROOF_ROOT_MISMATCH",
  "TOTAL_MISMATCH",
  "HAIRCUT_MISMATCH",
  "HAIRCUT_EXCEEDS_BASE",
]);
const ENVELOPE_CODES: ReadonlySet<string> = new Set([
  "ENVELOPE_INVALID",
  "PAYLOAD_TYPE",
  "SIGNATURE_INVALID",
  "SIGNATURE_THRESHOLD",
]);
const STATEMENT_CODES: ReadonlySet<string> = new Set([
  "NON_CANONICAL",
  "STATEMENT_INVALID",
  "ARITHMETIC",
  "LEAF_COUNT_MISMATCH",
  "ROOT_MISMATCH",
  "TOTAL_MISMATCH",
  "HAIRCUT_MISMATCH",
  "HAIRCUT_EXCEEDS_BASE",
  "ROUNDING_ORDER",
]);
const PARSE_CODES: ReadonlySet<string> = new Set(["NON_CANONICAL", "STATEMENT_INVALID"]);

// ---------------------------------------------------------------- 1

Deno.test("guarantee 1: conservation", () => {
  fc.assert(
    fc.property(caseArb, ({ bases, target, rounding }) => {
      const h = allocate(bases, target, { rounding });
      assert.equal(h.length, bases.length);
      const collected = total(h);
      if (rounding === "largest-remainder") {
        assert.equal(collected, target);
      } else {
        assert.ok(collected <= target, `floor collected ${collected} > T ${target}`);
        assert.ok(collected >= target - BigInt(bases.length - 1), `floor collected ${collected} < T - (n - 1)`);
      }
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

// ---------------------------------------------------------------- 2

Deno.test("guarantee 2: proportionality", () => {
  fc.assert(
    fc.property(caseArb, ({ bases, target, rounding }) => {
      const P = total(bases);
      const h = allocate(bases, target, { rounding });
      if (P === 0n) {
        assert.ok(h.every((x) => x === 0n));
        return;
      }
      // |h_i - T * b_i / P| < 1  <=>  |h_i * P - T * b_i| < P
      bases.forEach((b, i) => {
        assert.ok(abs(h[i] * P - target * b) < P, `leaf ${i}: h=${h[i]} b=${b} T=${target} P=${P}`);
      });
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

// ---------------------------------------------------------------- 3

Deno.test("guarantee 3: only the base pays", () => {
  // Without a cap, any T in [0, P].
  fc.assert(
    fc.property(caseArb, ({ bases, target, rounding }) => {
      const h = allocate(bases, target, { rounding });
      bases.forEach((b, i) => {
        assert.ok(h[i] >= 0n && h[i] <= b, `leaf ${i}: haircut ${h[i]} outside [0, ${b}]`);
        if (b === 0n) assert.equal(h[i], 0n);
      });
    }),
    { seed: SEED, numRuns: 300 },
  );
  // With a cap, T = computeTarget(shortfall, { totalBase: P, cap: cap }): h_i <= ceil(b_i * num / den), i.e. the cap
  // fraction rounded up by at most one unit; exactly: h_i * den < b_i * num + den.
  fc.assert(
    fc.property(
      basesArb,
      capArb,
      fc.oneof(fc.bigInt(0n, 1n << 110n), fc.bigInt(0n, 1000n)),
      roundingArb,
      (bases, cap, shortfall, rounding) => {
        const P = total(bases);
        const target = computeTarget(shortfall, { totalBase: P, cap: cap });
        assert.ok(target <= shortfall && target * cap.den <= P * cap.num);
        const h = allocate(bases, target, { rounding });
        bases.forEach((b, i) => {
          assert.ok(h[i] >= 0n && h[i] <= b, `leaf ${i}: haircut ${h[i]} outside [0, ${b}]`);
          if (b === 0n) assert.equal(h[i], 0n);
          assert.ok(
            h[i] * cap.den < b * cap.num + cap.den,
            `leaf ${i}: haircut ${h[i]} exceeds ceil(${b} * ${cap.num} / ${cap.den})`,
          );
        });
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

// ---------------------------------------------------------------- 4

Deno.test("guarantee 4: symmetry and order independence", async () => {
  // Precise statement for allocate() itself: q_i depends only on (b_i, T, P), and the R rounding
  // units go to the largest remainders with ties to the lower index. So under any permutation of
  // the input: every account's haircut changes by at most 1; it does not change at all unless its
  // remainder equals the cut-off remainder r* (the smallest one that got a unit); floor never
  // changes; and within one allocation equal bases differ by at most 1.
  fc.assert(
    fc.property(
      caseArb.chain((c) =>
        fc.record({
          c: fc.constant(c),
          perm: fc.shuffledSubarray(c.bases.map((_, i) => i), { minLength: c.bases.length }),
        })
      ),
      ({ c: { bases, target, rounding }, perm }) => {
        const h = allocate(bases, target, { rounding });
        const hp = allocate(perm.map((k) => bases[k]), target, { rounding });
        assert.equal(total(hp), total(h));
        const { q, r } = shares(bases, target);
        const ups = h.map((x, i) => x === q[i] + 1n);
        const cutoff = ups.some(Boolean) ? r.filter((_, i) => ups[i]).reduce((a, b) => (a < b ? a : b)) : undefined;
        perm.forEach((k, j) => {
          assert.ok(abs(hp[j] - h[k]) <= 1n, `account ${k}: ${h[k]} vs ${hp[j]} after permuting`);
          if (rounding === "floor" || r[k] !== cutoff) {
            assert.equal(hp[j], h[k], `account ${k} (remainder ${r[k]}, cut-off ${cutoff}) changed`);
          }
        });
        for (let i = 0; i < bases.length; i++) {
          for (let j = i + 1; j < bases.length; j++) {
            if (bases[i] === bases[j]) assert.ok(abs(h[i] - h[j]) <= 1n, `equal bases ${i}, ${j}: ${h[i]}, ${h[j]}`);
          }
        }
      },
    ),
    { seed: SEED, numRuns: 300 },
  );

  // In a publication the order is the tree order (sorted by account key), so permuting the input
  // accounts changes nobody's haircut: leaves.csv, the envelope and the proofs are identical.
  await fc.assert(
    fc.asyncProperty(
      accountsArb(baseArb, 8).chain((accounts) =>
        fc.record({
          accounts: fc.constant(accounts),
          perm: fc.shuffledSubarray(accounts, { minLength: accounts.length }),
          event: fc.constantFrom(EVENT_A, EVENT_B),
        })
      ),
      async ({ accounts, perm, event }) => {
        const a = build(accounts, event);
        const b = build(perm, event);
        assert.equal(b.leavesCsv, a.leavesCsv);
        assert.equal(envelopeToJson(b.envelope), envelopeToJson(a.envelope));
        assert.deepEqual(b.proofs, a.proofs);
        const report = await verifyPublication(
          { envelope: envelopeToJson(b.envelope), leaves: utf8Bytes(b.leavesCsv) },
          KEYS,
        );
        assert.equal(report.ok, true, JSON.stringify(report.errors));
      },
    ),
    { seed: SEED, numRuns: 40 },
  );
});

// ---------------------------------------------------------------- 5

Deno.test("guarantee 5: monotonicity", () => {
  fc.assert(
    fc.property(caseArb, ({ bases, target, rounding }) => {
      const h = allocate(bases, target, { rounding });
      for (let i = 0; i < bases.length; i++) {
        for (let j = 0; j < bases.length; j++) {
          if (bases[i] > bases[j]) {
            assert.ok(h[i] >= h[j], `base ${bases[i]} > ${bases[j]} but haircut ${h[i]} < ${h[j]}`);
          }
        }
      }
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

// ---------------------------------------------------------------- 6

Deno.test("guarantee 6: split and merge resistance", () => {
  // Split account i's base b into b1 (kept at i) and b2 (a new account inserted at position j).
  // P and T are unchanged. The owner's total changes by at most 1, everyone else's by at most 1.
  // Read backwards, the same pair of allocations is a merge.
  fc.assert(
    fc.property(
      caseArb.chain((c) =>
        fc.record({
          c: fc.constant(c),
          i: fc.nat(c.bases.length - 1),
          j: fc.nat(c.bases.length),
          split: fc.oneof(fc.bigInt(0n, 1n << 32n), fc.constantFrom(0n, 1n << 31n, 1n << 32n)),
        })
      ),
      ({ c: { bases, target, rounding }, i, j, split }) => {
        const b = bases[i];
        const b1 = (b * split) >> 32n; // a fraction split / 2^32 of b, in [0, b]
        const b2 = b - b1;
        const after = bases.slice();
        after[i] = b1;
        after.splice(j, 0, b2);
        assert.equal(total(after), total(bases));
        const h = allocate(bases, target, { rounding });
        const h2 = allocate(after, target, { rounding });
        const moved = (k: number): number => (k < j ? k : k + 1);
        const owner = h2[moved(i)] + h2[j];
        assert.ok(abs(owner - h[i]) <= 1n, `owner of ${b} paid ${h[i]}, split into ${b1}+${b2} pays ${owner}`);
        bases.forEach((_, k) => {
          if (k !== i) assert.ok(abs(h2[moved(k)] - h[k]) <= 1n, `account ${k}: ${h[k]} -> ${h2[moved(k)]}`);
        });
      },
    ),
    { seed: SEED, numRuns: 1000 },
  );
});

// ---------------------------------------------------------------- 7

Deno.test("guarantee 7: scale invariance", () => {
  fc.assert(
    fc.property(caseArb, fc.oneof(fc.bigInt(1n, 10n), fc.bigInt(1n, 1n << 40n)), ({ bases, target, rounding }, k) => {
      const h = allocate(bases, target, { rounding });
      const scaled = allocate(bases.map((b) => b * k), target, { rounding });
      assert.deepEqual(scaled, h);
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

// ---------------------------------------------------------------- 8

Deno.test("guarantee 8: insurance first", async () => {
  // A cheating venue builds a fully consistent publication (leaves, root, totals, target, uncovered)
  // around socializing more than deficit - min(deficit, fund), while the fund still has money:
  //  - "underuse": it uses d less insurance and socializes d more;
  //  - "overcharge": the fund covers the deficit, yet it declares a shortfall d anyway.
  await fc.assert(
    fc.asyncProperty(
      accountsArb(fc.oneof(fc.bigInt(0n, 1000n), fc.bigInt(0n, 10n ** 12n)), 5),
      fc.bigInt(1n, 10n ** 12n),
      fc.bigInt(1n, 10n ** 12n),
      fc.constantFrom("underuse", "overcharge"),
      fc.bigInt(1n, 10n ** 12n),
      roundingArb,
      fc.option(capArb, { nil: null }),
      async (accounts, deficit, fund, mode, dRaw, rounding, cap) => {
        const insuranceFund = mode === "overcharge" ? deficit + fund : fund;
        const event: EventSpec = { ...EVENT_A, deficit, insuranceFund, policy: { base: "profit", rounding, cap } };
        const honest = build(accounts, event);
        assert.deepEqual(checkArithmetic(honest.statement), []);
        const used = honest.statement.insuranceUsed;
        assert.equal(used, deficit < insuranceFund ? deficit : insuranceFund);

        const d = 1n + (dRaw - 1n) % used; // 1 <= d <= used
        const insuranceUsed = mode === "underuse" ? used - d : used;
        const shortfall = mode === "underuse" ? deficit - insuranceUsed : honest.statement.shortfall + d;
        assert.ok(insuranceUsed < insuranceFund && shortfall > 0n, "the fund still has money and the venue socializes");

        const rows = leafRows(honest.leavesCsv);
        const P = honest.statement.tree.totalBase;
        const target = computeTarget(shortfall, { totalBase: P, cap: cap });
        const haircuts = allocate(rows.map((r) => r.base), target, { rounding });
        const root = treeRoot(rows.map((r, i) => sumLeaf(r.key, r.base, haircuts[i])), sumHasher);
        const cheat: Statement = {
          ...honest.statement,
          insuranceUsed,
          shortfall,
          target,
          uncovered: shortfall - root.haircut,
          tree: { root: root.hash, leafCount: rows.length, totalBase: root.base, totalHaircut: root.haircut },
        };
        const findings = checkArithmetic(cheat);
        assert.ok(findings.length > 0, "checkArithmetic accepted the cheat");
        assert.deepEqual(new Set(codes(findings)), new Set(["ARITHMETIC"]));
        if (mode === "underuse") {
          assert.equal(findings.length, 1);
          assert.match(
            findings[0].message,
            new RegExp(`^insuranceUsed ${insuranceUsed} != min\\(deficit ${deficit}, `),
          );
          assert.ok(findings[0].message.includes(`= ${used}`), findings[0].message);
        } else {
          assert.ok(findings.some((f) => f.message.includes(`shortfall ${shortfall} != deficit ${deficit}`)));
        }

        // The same statement, signed by the venue's real keys over consistent leaves.
        const envelope = envelopeToJson(signEnvelope(statementBytes(cheat), SIGNERS));
        const leaves = LEAVES_HEADER + "\n" +
          rows.map((r, i) => leavesCsvLine({ key: r.keyHex, base: r.base, haircut: haircuts[i] })).join("");
        const report = await verifyPublication({ envelope, leaves: utf8Bytes(leaves) }, KEYS);
        assert.equal(report.ok, false);
        assert.deepEqual(new Set(codes(report.errors)), new Set(["ARITHMETIC"]));
      },
    ),
    { seed: SEED, numRuns: 60 },
  );
});

// ---------------------------------------------------------------- 9

interface TamperCase {
  accounts: AccountInput[];
  event: EventSpec;
}

/** Small publications; a whale account makes P >= 10^6, so variant B's cap always binds. */
const tamperArb: fc.Arbitrary<TamperCase> = fc.record({
  accounts: accountsArb(fc.oneof(fc.bigInt(0n, 100n), fc.bigInt(0n, 10n ** 12n)), 5).map((a) => [
    ...a.filter((x) => x.account !== "whale"),
    { account: "whale", base: 1000000n },
  ]),
  event: fc.constantFrom(EVENT_A, EVENT_B),
});

Deno.test("guarantee 9: tamper evidence", async () => {
  // (a) Any single byte of leaves.csv.
  await fc.assert(
    fc.asyncProperty(tamperArb, fc.nat(), fc.nat(254), async ({ accounts, event }, at, delta) => {
      const pub = build(accounts, event);
      const envelope = envelopeToJson(pub.envelope);
      const leaves = utf8Bytes(pub.leavesCsv);
      const honest = await verifyPublication({ envelope, leaves }, KEYS);
      assert.equal(honest.ok, true, JSON.stringify(honest.errors));
      const pos = at % leaves.length;
      const report = await verifyPublication({ envelope, leaves: mutate(leaves, pos, delta) }, KEYS);
      assertFailsWith(report, LEAF_CODES, `leaves.csv byte ${pos}`);
    }),
    { seed: SEED, numRuns: 200 },
  );

  // (a') Edits that keep leaves.csv well formed: a key hex digit to another hex digit, or an
  // amount digit to another digit. The row still parses, so the precise codes are known.
  await fc.assert(
    fc.asyncProperty(
      tamperArb,
      fc.nat(),
      fc.constantFrom("key", "base", "haircut"),
      fc.nat(),
      fc.nat(8),
      async ({ accounts, event }, which, column, at, delta) => {
        const pub = build(accounts, event);
        const envelope = envelopeToJson(pub.envelope);
        const lines = pub.leavesCsv.split("\n");
        const row = 1 + which % (lines.length - 2);
        const cells = lines[row].split(",");
        const cell = column === "key" ? 0 : column === "base" ? 1 : 2;
        const alphabet = column === "key" ? "0123456789abcdef" : "0123456789";
        const text = cells[cell];
        const pos = at % text.length;
        const old = alphabet.indexOf(text[pos]);
        const replacement = alphabet[(old + 1 + delta % (alphabet.length - 1)) % alphabet.length];
        cells[cell] = text.slice(0, pos) + replacement + text.slice(pos + 1);
        assert.notEqual(cells[cell], text);
        lines[row] = cells.join(",");
        const report = await verifyPublication({ envelope, leaves: utf8Bytes(lines.join("\n")) }, KEYS);
        const context = `row ${row - 1} ${column} ${text} -> ${cells[cell]}`;
        const found = new Set(codes(report.errors));
        if (column === "key") {
          assertFailsWith(report, new Set(["LEAF_ORDER", "ROOT_MISMATCH"]), context);
          assert.ok(found.has("ROOT_MISMATCH"), context);
        } else if (cells[cell].length > 1 && cells[cell][0] === "0") {
          // A leading zero: the row is rejected, so the count, totals and rounding units are off too.
          assertFailsWith(report, LEAF_CODES, context);
          assert.ok(found.has("LEAF_INVALID") && found.has("LEAF_COUNT_MISMATCH"), context);
        } else {
          assertFailsWith(report, LEAF_CODES, context);
          assert.ok(found.has("TOTAL_MISMATCH") && found.has("ROOT_MISMATCH"), `${context}: ${[...found]}`);
          assert.ok(!found.has("LEAF_INVALID") && !found.has("LEAF_ORDER"), context);
        }
      },
    ),
    { seed: SEED, numRuns: 150 },
  );

  // (b) Any single byte of a proof. JSON whitespace is insignificant and the proof is not signed,
  // so an edit that parses to the same JSON value (e.g. a space turned into a tab) is a no-op
  // and skipped; every other edit must fail.
  let proofNoOps = 0;
  fc.assert(
    fc.property(tamperArb, fc.nat(), fc.nat(), fc.nat(254), ({ accounts, event }, which, at, delta) => {
      const pub = build(accounts, event);
      const envelope = envelopeToJson(pub.envelope);
      const proof = pub.proofs[which % pub.proofs.length].json;
      assert.equal(verifyProof({ proof, envelope }, KEYS).ok, true);
      const bytes = utf8Bytes(proof);
      const pos = at % bytes.length;
      const edited = utf8Text(mutate(bytes, pos, delta));
      const parsed = tryParse(edited);
      if (parsed && jsonSame(parsed.value, JSON.parse(proof))) {
        proofNoOps++;
        return;
      }
      assertFailsWith(
        verifyProof({ proof: edited, envelope }, KEYS),
        PROOF_CODES,
        `proof byte ${pos} (${JSON.stringify(edited)})`,
      );
    }),
    { seed: SEED, numRuns: 300 },
  );
  assert.ok(proofNoOps < 300 * 0.6, `too many no-op proof edits: ${proofNoOps}`);
  // The no-op class, shown explicitly: an indentation space turned into a tab changes nothing.
  {
    const pub = build([{ account: "alice", base: 750000n }, { account: "bob", base: 250001n }], EVENT_A);
    const proof = pub.proofs[0].json;
    const tabbed = proof.replace('\n  "account"', '\n \t"account"');
    assert.notEqual(tabbed, proof);
    assert.ok(jsonSame(JSON.parse(tabbed), JSON.parse(proof)));
    assert.equal(verifyProof({ proof: tabbed, envelope: envelopeToJson(pub.envelope) }, KEYS).ok, true);
    // ...while the same position turned into a letter is caught.
    const lettered = proof.replace('\n  "account"', '\n x"account"');
    assertFailsWith(
      verifyProof({ proof: lettered, envelope: envelopeToJson(pub.envelope) }, KEYS),
      new Set(["PROOF_INVALID"]),
      "letter",
    );
  }

  // (c) Any single byte of the envelope's payload, payloadType or a signature, not re-signed.
  // The keyid is not trusted (it is recomputed from the trusted keys), so editing it is harmless:
  // verification still passes, unless the edit breaks the JSON.
  await fc.assert(
    fc.asyncProperty(
      tamperArb,
      fc.constantFrom("payload", "payloadType", "sig", "keyid"),
      fc.nat(),
      fc.nat(),
      fc.nat(254),
      async ({ accounts, event }, region, which, at, delta) => {
        const pub = build(accounts, event);
        const text = envelopeToJson(pub.envelope);
        const leaves = utf8Bytes(pub.leavesCsv);
        const spans: [number, number][] = region === "payload" || region === "payloadType"
          ? [stringValueSpan(text, region)]
          : [stringValueSpan(text, region), stringValueSpan(text, region, stringValueSpan(text, region)[1])];
        const positions = range(spans[which % spans.length]);
        assert.ok(positions.length > 0);
        const pos = positions[at % positions.length];
        const edited = utf8Text(mutate(utf8Bytes(text), pos, delta));
        const report = await verifyPublication({ envelope: edited, leaves }, KEYS);
        if (region === "keyid") {
          if (!report.ok) assertFailsWith(report, new Set(["ENVELOPE_INVALID"]), `keyid byte ${pos}`);
        } else {
          assertFailsWith(report, ENVELOPE_CODES, `${region} byte ${pos}`);
        }
        if (region === "sig" && report.errors.some((e) => e.code !== "ENVELOPE_INVALID")) {
          assert.deepEqual(codes(report.errors).sort(), ["SIGNATURE_INVALID", "SIGNATURE_THRESHOLD"]);
        }
      },
    ),
    { seed: SEED, numRuns: 200 },
  );

  // (d) Any single byte of the canonical statement payload, re-signed with the same keys, so the
  // signatures pass and the statement checks must catch it. The only fields bound to nothing else
  // are the display fields venue, event, asset, snapshotTime and decimals: there an edit that
  // stays valid is a different statement the keys really signed, and the verifier must show
  // exactly that edited value. Every other edit (amounts, policy, tree, type, keys, syntax) fails.
  const FREE_STRINGS = ["venue", "event", "asset", "snapshotTime"] as const;
  let freeAccepted = 0;
  await fc.assert(
    fc.asyncProperty(tamperArb, fc.nat(), fc.nat(254), async ({ accounts, event }, at, delta) => {
      const pub = build(accounts, event);
      const text = utf8Text(pub.payload);
      const leaves = utf8Bytes(pub.leavesCsv);
      const pos = at % pub.payload.length;
      const payload = mutate(pub.payload, pos, delta);
      const envelope = envelopeToJson(signEnvelope(payload, SIGNERS));
      const report = await verifyPublication({ envelope, leaves }, KEYS);

      let free: string | undefined;
      for (const key of FREE_STRINGS) {
        const [start, end] = stringValueSpan(text, key);
        if (pos >= start && pos < end) free = key;
      }
      const decimals = /"decimals":(\d+)/.exec(text);
      assert.ok(decimals);
      const decimalsAt = decimals.index + '"decimals":'.length;
      if (pos >= decimalsAt && pos < decimalsAt + decimals[1].length) free = "decimals";

      const context = `payload byte ${pos}: ${JSON.stringify(utf8Text(payload))}`;
      if (free === undefined) {
        assertFailsWith(report, STATEMENT_CODES, context);
      } else if (!report.ok) {
        assertFailsWith(report, PARSE_CODES, context);
      } else {
        freeAccepted++;
        assert.ok(report.statement, context);
        const before = statementToJson(pub.statement);
        const after = statementToJson(report.statement);
        for (const key of Object.keys(before)) {
          if (key === free) assert.notDeepEqual(after[key], before[key], context);
          else assert.deepEqual(after[key], before[key], `${context}: ${key}`);
        }
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
  assert.ok(freeAccepted < 300, "some edits must be rejected");
});

// ---------------------------------------------------------------- 10

Deno.test("guarantee 10: binding", () => {
  // Changing any sibling's base or haircut in a proof path, keeping its hash, breaks the proof.
  fc.assert(
    fc.property(
      accountsArb(fc.oneof(fc.bigInt(0n, 1000n), fc.bigInt(0n, TWO_POW_100)), 9).filter((a) => a.length >= 2),
      fc.constantFrom(EVENT_A, EVENT_B),
      fc.nat(),
      fc.nat(),
      fc.constantFrom("base", "haircut"),
      fc.oneof(
        fc.bigInt(0n, 1000n),
        fc.bigInt(0n, AMOUNT_LIMIT - 1n),
        fc.constantFrom(AMOUNT_LIMIT - 1n, AMOUNT_LIMIT),
      ),
      (accounts, event, which, at, field, value) => {
        const pub = build(accounts, event);
        const envelope = envelopeToJson(pub.envelope);
        const proof = JSON.parse(pub.proofs[which % pub.proofs.length].json);
        assert.ok(proof.path.length > 0);
        const node = proof.path[at % proof.path.length];
        if (BigInt(node[field]) === value) return; // not a change
        node[field] = `${value}`;
        const report = verifyProof({ proof: JSON.stringify(proof, null, 2), envelope }, KEYS);
        assertFailsWith(
          report,
          new Set(["PROOF_ROOT_MISMATCH", "TOTAL_MISMATCH", "PROOF_INVALID"]),
          `${field}=${value}`,
        );
        if (value < TWO_POW_100) assert.deepEqual(codes(report.errors), ["PROOF_ROOT_MISMATCH"]);
      },
    ),
    { seed: SEED, numRuns: 200 },
  );

  // A leaf cannot pass as a node, nor a node as a leaf: the attack on [l0, l1, l2, l3].
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
          base: fc.bigInt(0n, TWO_POW_100),
          cut: fc.bigInt(0n, 1n << 32n),
        }),
        { minLength: 4, maxLength: 4 },
      ),
      (raw) => {
        const leaves = raw.map(({ key, base, cut }) => {
          return sumLeaf(key, base, (base * cut) >> 32n);
        });
        // Each leaf hash is SHA256(0x00 || key || u128be(base) || u128be(haircut)).
        raw.forEach(({ key }, i) => {
          const body = concat(key, u128be(leaves[i].base), u128be(leaves[i].haircut));
          assert.ok(equalBytes(leaves[i].hash, sha256(concat(new Uint8Array([0x00]), body))));
          // The reverse attack: the leaf's bytes read as a node's hash to something else.
          assert.ok(!equalBytes(leaves[i].hash, sha256(concat(new Uint8Array([0x01]), body))));
        });
        const [l0, l1, l2, l3] = leaves;
        const x = sumNode(l0, l1);
        const y = sumNode(l2, l3);
        const root = treeRoot(leaves, sumHasher);
        // The tree layer alone cannot tell: the 2-"leaf" tree [x, y] has the same root...
        assert.ok(equalBytes(treeRoot([x, y], sumHasher).hash, root.hash));
        // ...so everything rests on how a leaf is hashed. x's hash covers 0x01 || body:
        const body = nodeBody(l0, l1);
        assert.ok(equalBytes(x.hash, sha256(concat(new Uint8Array([0x01]), body))));
        // Presenting the node's children as if they were a leaf hashes them with 0x00: different.
        const asLeaf = sha256(concat(new Uint8Array([0x00]), body));
        assert.ok(!equalBytes(asLeaf, x.hash));
        // The leaf format holds only key || base || haircut; the closest forgery of x is
        // key = l0.hash with x's sums, and its proof as leaf 0 of 2 misses the root.
        const forged = sumLeaf(l0.hash, x.base, x.haircut);
        assert.ok(!equalBytes(forged.hash, x.hash));
        const claimed = rootFromInclusionProof({ index: 0, size: 2, leaf: forged, proof: [y] }, sumHasher);
        assert.ok(!equalBytes(claimed.hash, root.hash));
        assert.equal(claimed.base, root.base);
        // A real leaf presented as the node x (index 0 of a 2-leaf tree) also misses the root.
        assert.ok(
          !equalBytes(rootFromInclusionProof({ index: 0, size: 2, leaf: l0, proof: [y] }, sumHasher).hash, root.hash),
        );
      },
    ),
    { seed: SEED, numRuns: 100 },
  );

  // End to end: a proof that treats the node above leaf 0 as the leaf (one path node fewer)
  // is refused, because the signed leafCount fixes the path length.
  const pub = build(
    [{ account: "a", base: 10n }, { account: "b", base: 20n }, { account: "c", base: 30n }, {
      account: "d",
      base: 40n,
    }],
    EVENT_A,
  );
  const envelope = envelopeToJson(pub.envelope);
  const proof = JSON.parse(pub.proofs[0].json);
  const first = proof.path[0];
  proof.base = `${BigInt(proof.base) + BigInt(first.base)}`;
  proof.haircut = `${BigInt(proof.haircut) + BigInt(first.haircut)}`;
  proof.path = proof.path.slice(1);
  const report = verifyProof({ proof: JSON.stringify(proof), envelope }, KEYS);
  assert.equal(report.ok, false);
  assert.ok(codes(report.errors).includes("PROOF_INVALID"), JSON.stringify(report.errors));
  const invalid = report.errors.find((e) => e.code === "PROOF_INVALID");
  assert.match(invalid?.message ?? "", /proof has 1 nodes, but leaf 0 of 4 needs 2/);
});

// ---------------------------------------------------------------- 11

Deno.test("guarantee 11: determinism", () => {
  fc.assert(
    fc.property(accountsArb(baseArb, 8), fc.constantFrom(EVENT_A, EVENT_B), (accounts, event) => {
      const a = build(accounts, event);
      const b = build(accounts.map((x) => ({ ...x })), { ...event });
      assert.equal(b.leavesCsv, a.leavesCsv);
      assert.ok(equalBytes(b.payload, a.payload));
      assert.equal(b.digest, a.digest);
      assert.equal(envelopeToJson(b.envelope), envelopeToJson(a.envelope));
      assert.equal(b.keysJson, a.keysJson);
      assert.deepEqual(b.proofs, a.proofs);
      assert.equal(b.proofs.length, accounts.length);
    }),
    { seed: SEED, numRuns: 40 },
  );
});
