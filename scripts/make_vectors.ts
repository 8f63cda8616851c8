/**
 * Writes `fixtures/vectors/v1.json`, the machine-readable test vectors of
 * format v1 for other implementers (documented in docs/SPEC.md): salts,
 * account keys, leaf and node hashes, the root and every inclusion proof of
 * trees of 1 to 17 leaves, allocation cases, a signed envelope for each
 * algorithm, and signatures that must be rejected.
 *
 * The hashes, trees and signatures come from this implementation; the
 * allocation cases are derived by hand (the script refuses to write them if
 * `src/allocation.ts` disagrees), and `tests/vectors_test.ts` recomputes the
 * hashes and trees from the byte layouts with SHA-256 directly. Run:
 *
 * ```sh
 * deno run --allow-read --allow-write scripts/make_vectors.ts
 * ```
 *
 * @module
 */

import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { allocate, type Cap, computeTarget, type Rounding } from "../src/rules/allocation.ts";
import { bytesToBase64, bytesToHex, compareBytes } from "../src/core/encoding.ts";
import { pae, PAYLOAD_TYPE, signEnvelope } from "../src/format/dsse.ts";
import { keysFileJson, type SigningKey } from "../src/format/keys.ts";
import { buildPublication, deriveSalt } from "../src/publish/build.ts";
import { accountKey, sumHasher, sumLeaf, type SumNode, sumNode } from "../src/core/sum_tree.ts";
import { inclusionPath, treeLevels } from "../src/core/tree.ts";
import { fixedKey, ROOT, writeText } from "./fixture_common.ts";

/** Where the vectors live. */
export const VECTORS_PATH = "fixtures/vectors/v1.json";

const enc = new TextEncoder();
const VECTOR_SECRET = enc.encode("haircut-v1-vectors");
const MAX = (1n << 128n) - 1n;

interface NodeJson {
  hash: string;
  base: string;
  haircut: string;
}

function nodeJson(n: SumNode): NodeJson {
  return { hash: bytesToHex(n.hash), base: `${n.base}`, haircut: `${n.haircut}` };
}

function salts(): unknown[] {
  const golden = enc.encode("golden-salt-secret");
  const cases: [Uint8Array, string, string][] = [
    ...["alice", "bob", "carol", "dave", "erin"].map((a): [Uint8Array, string, string] => [
      golden,
      "2026-11-03/ETH-PERP",
      a,
    ]),
    [VECTOR_SECRET, "2026-03-09/ÜNICODE-PERP", "交易员-7"],
    [VECTOR_SECRET, "e", "a"],
  ];
  return cases.map(([secret, event, account]) => ({
    secret: bytesToHex(secret),
    event,
    account,
    message: bytesToHex(new Uint8Array([...enc.encode(event), 0, ...enc.encode(account)])),
    salt: bytesToHex(deriveSalt(secret, { event, account })),
  }));
}

function accountKeys(): unknown[] {
  const counting = Uint8Array.from({ length: 32 }, (_, i) => i);
  const cases: [Uint8Array, string][] = [
    [counting, "alice"],
    [new Uint8Array(32), "a"],
    [new Uint8Array(32).fill(0xff), "bob"],
    [counting, "e\u0301"],
    [counting, "\u00e9"],
    [counting, "🦊🚀"],
    [counting, "A".repeat(256)],
    [counting, "€".repeat(85) + "a"],
  ];
  return cases.map(([salt, account]) => ({
    salt: bytesToHex(salt),
    account,
    accountUtf8: bytesToHex(enc.encode(account)),
    accountKey: bytesToHex(accountKey(salt, account)),
  }));
}

function spotKey(): Uint8Array {
  return accountKey(Uint8Array.from({ length: 32 }, (_, i) => i), "alice");
}

function leaves(): unknown[] {
  const cases: [Uint8Array, bigint, bigint][] = [
    [spotKey(), 1000n, 58n],
    [new Uint8Array(32).fill(0xff), 0n, 0n],
    [new Uint8Array(32), 0n, 0n],
    [spotKey(), MAX, MAX],
    [spotKey(), 1n << 127n, 1n],
    [new Uint8Array(32).fill(0xab), 123456789012345678901234567890n, 0n],
  ];
  return cases.map(([key, base, haircut]) => ({
    accountKey: bytesToHex(key),
    base: `${base}`,
    haircut: `${haircut}`,
    hash: bytesToHex(sumLeaf(key, base, haircut).hash),
  }));
}

function nodes(): { valid: unknown[]; invalid: unknown[] } {
  const a = sumLeaf(spotKey(), 1000n, 58n);
  const b = sumLeaf(new Uint8Array(32).fill(0xff), 0n, 0n);
  const c = sumLeaf(new Uint8Array(32).fill(0xab), MAX - 1000n, 7n);
  const pairs: [SumNode, SumNode][] = [[a, b], [b, a], [a, a], [a, c]];
  const ab = sumNode(a, b);
  pairs.push([ab, a]);
  const valid = pairs.map(([l, r]) => ({ left: nodeJson(l), right: nodeJson(r), ...nodeJson(sumNode(l, r)) }));
  const big = sumLeaf(new Uint8Array(32).fill(0xab), MAX, 0n);
  const one = sumLeaf(new Uint8Array(32).fill(0xcd), 1n, 1n);
  const invalid = [
    { left: nodeJson(big), right: nodeJson(one), reason: "the base sum reaches 2^128" },
    {
      left: nodeJson(sumLeaf(new Uint8Array(32).fill(0xab), MAX, MAX)),
      right: nodeJson(one),
      reason: "both sums reach 2^128",
    },
  ];
  return { valid, invalid };
}

/** The leaf pool of the tree vectors: 17 accounts with keyed salts and assorted amounts. */
function treePool(): { account: string; key: Uint8Array; base: bigint; haircut: bigint }[] {
  return Array.from({ length: 17 }, (_, i) => {
    const account = `tree-account-${String(i).padStart(2, "0")}`;
    const salt = deriveSalt(VECTOR_SECRET, { event: "trees", account });
    const base = i === 3 ? 0n : BigInt(1000 * (i + 1) + i * i * 37);
    const haircut = base * BigInt(i % 5) / 10n;
    return { account, key: accountKey(salt, account), base, haircut };
  });
}

function trees(): unknown[] {
  const pool = treePool();
  const out: unknown[] = [];
  for (let size = 1; size <= 17; size++) {
    const rows = pool.slice(0, size).sort((x, y) => compareBytes(x.key, y.key));
    const leafNodes = rows.map((r) => sumLeaf(r.key, r.base, r.haircut));
    const levels = treeLevels(leafNodes, sumHasher);
    out.push({
      size,
      leaves: rows.map((r, i) => ({
        account: r.account,
        accountKey: bytesToHex(r.key),
        base: `${r.base}`,
        haircut: `${r.haircut}`,
        hash: bytesToHex(leafNodes[i].hash),
      })),
      root: nodeJson(levels[levels.length - 1][0]),
      proofs: rows.map((_, i) => ({ index: i, path: inclusionPath(levels, i).map(nodeJson) })),
    });
  }
  return out;
}

interface AllocationCase {
  name: string;
  description: string;
  rounding: Rounding;
  cap: Cap | null;
  shortfall: bigint;
  bases: bigint[];
  target: bigint;
  haircuts: bigint[];
}

const P127 = 1n << 127n;
const P126 = 1n << 126n;
const P125 = 1n << 125n;

/** Allocation cases with hand-derived haircuts (bases in tree order). */
function allocationCases(): AllocationCase[] {
  const lr: Rounding = "largest-remainder";
  const capBases = [25_000n, 33_333n, 33_333n, 8_334n, 0n];
  const six = [1_234_567n, 2_345_678n, 3_456_789n, 4_567_890n, 5_678_901n, 6_789_012n];
  return [
    {
      name: "exact",
      description: "10% of P = 1,000,000: every share is whole, nothing to round",
      rounding: lr,
      cap: null,
      shortfall: 100_000n,
      bases: [300_000n, 250_000n, 450_000n],
      target: 100_000n,
      haircuts: [30_000n, 25_000n, 45_000n],
    },
    {
      name: "ties-lower-index",
      description: "three equal shares of 2/3: the two units go to indices 0 and 1",
      rounding: lr,
      cap: null,
      shortfall: 2n,
      bases: [1n, 1n, 1n],
      target: 2n,
      haircuts: [1n, 1n, 0n],
    },
    {
      name: "ties-many",
      description: "four equal shares of 1.5: q = 1 each, R = 2 units to indices 0 and 1",
      rounding: lr,
      cap: null,
      shortfall: 6n,
      bases: [5n, 5n, 5n, 5n],
      target: 6n,
      haircuts: [2n, 2n, 1n, 1n],
    },
    {
      name: "ties-remainder-then-index",
      description: "shares .5, 1, 1.5, 2: R = 1 goes to the lower index of the tied remainders .5",
      rounding: lr,
      cap: null,
      shortfall: 5n,
      bases: [1n, 2n, 3n, 4n],
      target: 5n,
      haircuts: [1n, 1n, 1n, 2n],
    },
    {
      name: "zero-remainder-never-rounded",
      description: "shares 2, .5, .5: index 0 has remainder 0 and never gets the unit despite its lower index",
      rounding: lr,
      cap: null,
      shortfall: 3n,
      bases: [4n, 1n, 1n],
      target: 3n,
      haircuts: [2n, 1n, 0n],
    },
    {
      name: "zero-bases",
      description: "zero bases pay 0; shares 2.5 and 2.5, the unit to index 1",
      rounding: lr,
      cap: null,
      shortfall: 5n,
      bases: [0n, 10n, 0n, 10n],
      target: 5n,
      haircuts: [0n, 3n, 0n, 2n],
    },
    {
      name: "floor-all-fractional",
      description: "floor with three shares of 2/3: nobody pays, collected 0 = T - (n - 1)",
      rounding: "floor",
      cap: null,
      shortfall: 2n,
      bases: [1n, 1n, 1n],
      target: 2n,
      haircuts: [0n, 0n, 0n],
    },
    {
      name: "floor",
      description: "shares 1.4, 2.33.., 3.266..: floor collects 6 of 7",
      rounding: "floor",
      cap: null,
      shortfall: 7n,
      bases: [3n, 5n, 7n],
      target: 7n,
      haircuts: [1n, 2n, 3n],
    },
    {
      name: "largest-remainder-same-input",
      description: "the floor case under largest remainder: the unit goes to .4 (index 0)",
      rounding: lr,
      cap: null,
      shortfall: 7n,
      bases: [3n, 5n, 7n],
      target: 7n,
      haircuts: [2n, 2n, 3n],
    },
    {
      name: "floor-six-winners",
      description: "six winners, 10,000.00 deficit: floor collects 9,999.96, never more than T",
      rounding: "floor",
      cap: null,
      shortfall: 1_000_000n,
      bases: six,
      target: 1_000_000n,
      haircuts: [51_284n, 97_440n, 143_597n, 189_752n, 235_904n, 282_019n],
    },
    {
      name: "six-winners-largest-remainder",
      description: "the same six winners: remainders .649, .862, .076, .874, .933, .606; R = 4",
      rounding: lr,
      cap: null,
      shortfall: 1_000_000n,
      bases: six,
      target: 1_000_000n,
      haircuts: [51_285n, 97_441n, 143_597n, 189_753n, 235_905n, 282_019n],
    },
    {
      name: "cap-binding",
      description: "cap 2/5 limits T to 40,000 of a 70,000 shortfall; index 3 pays 3,334 > 0.4 x 8,334 by .4",
      rounding: lr,
      cap: { num: 2n, den: 5n },
      shortfall: 70_000n,
      bases: capBases,
      target: 40_000n,
      haircuts: [10_000n, 13_333n, 13_333n, 3_334n, 0n],
    },
    {
      name: "cap-not-binding",
      description: "cap 2/5 with a 30,000 shortfall: T = 30,000; remainders .9 and .9 take R = 2",
      rounding: lr,
      cap: { num: 2n, den: 5n },
      shortfall: 30_000n,
      bases: capBases,
      target: 30_000n,
      haircuts: [7_500n, 10_000n, 10_000n, 2_500n, 0n],
    },
    {
      name: "cap-floor-of-limit",
      description: "cap 1/3 of P = 100: the limit is floor(100/3) = 33",
      rounding: lr,
      cap: { num: 1n, den: 3n },
      shortfall: 50n,
      bases: [50n, 50n],
      target: 33n,
      haircuts: [17n, 16n],
    },
    {
      name: "p-zero",
      description: "no winners: P = 0, so T = 0 and nobody pays; the whole shortfall is uncovered",
      rounding: lr,
      cap: null,
      shortfall: 100n,
      bases: [0n, 0n, 0n],
      target: 0n,
      haircuts: [0n, 0n, 0n],
    },
    {
      name: "zero-shortfall",
      description: "the insurance fund covered everything: T = 0",
      rounding: lr,
      cap: null,
      shortfall: 0n,
      bases: [250_000n, 125_000n, 99_999n, 1n, 0n],
      target: 0n,
      haircuts: [0n, 0n, 0n, 0n, 0n],
    },
    {
      name: "shortfall-exceeds-total",
      description: "shortfall 350,000 > P = 100,000: T = P, everyone pays all of its base",
      rounding: lr,
      cap: null,
      shortfall: 350_000n,
      bases: [40_000n, 35_000n, 25_000n],
      target: 100_000n,
      haircuts: [40_000n, 35_000n, 25_000n],
    },
    {
      name: "single",
      description: "a single winner pays T",
      rounding: lr,
      cap: null,
      shortfall: 150_000n,
      bases: [500_000n],
      target: 150_000n,
      haircuts: [150_000n],
    },
    {
      name: "design-example",
      description: "DESIGN's example in input order; remainders .668, .292, .833, 0, .207: R = 2",
      rounding: lr,
      cap: null,
      shortfall: 80_000n,
      bases: [750_000n, 250_001n, 123_456n, 0n, 33_333n],
      target: 80_000n,
      haircuts: [51_868n, 17_289n, 8_538n, 0n, 2_305n],
    },
    {
      name: "wei-scale",
      description: "P = 7 x 2^125, T = 2^125 (rate 1/7); remainders 1/7, 2/7, 4/7: R = 1 to index 2",
      rounding: lr,
      cap: null,
      shortfall: P125,
      bases: [P127 - 1n, P126 + 1n, P125],
      target: P125,
      haircuts: [(P127 - 2n) / 7n, (P126 - 1n) / 7n, (P125 + 3n) / 7n],
    },
  ];
}

function allocation(): unknown[] {
  return allocationCases().map((c) => {
    const totalBase = c.bases.reduce((s, b) => s + b, 0n);
    const target = computeTarget(c.shortfall, { totalBase: totalBase, cap: c.cap });
    if (target !== c.target) throw new Error(`${c.name}: target ${target} != hand ${c.target}`);
    const got = allocate(c.bases, c.target, { rounding: c.rounding });
    if (got.join() !== c.haircuts.join()) throw new Error(`${c.name}: allocate ${got} != hand ${c.haircuts}`);
    const collected = c.haircuts.reduce((s, h) => s + h, 0n);
    return {
      name: c.name,
      description: c.description,
      policy: {
        rounding: c.rounding,
        cap: c.cap ? { num: `${c.cap.num}`, den: `${c.cap.den}` } : null,
      },
      shortfall: `${c.shortfall}`,
      bases: c.bases.map(String),
      totalBase: `${totalBase}`,
      target: `${c.target}`,
      haircuts: c.haircuts.map(String),
      collected: `${collected}`,
      uncovered: `${c.shortfall - collected}`,
    };
  });
}

function keyJson(k: SigningKey): Record<string, string> {
  return {
    algorithm: k.algorithm,
    secretKey: bytesToHex(k.secretKey),
    publicKey: bytesToHex(k.publicKey),
    keyid: k.keyid,
  };
}

function envelopes(): { statement: unknown; envelopes: unknown[]; invalidSignatures: unknown[] } {
  const venue = fixedKey("venue");
  const auditor = fixedKey("auditor-1");
  const pub = buildPublication(
    {
      accounts: [
        { account: "alice", base: 750_000n },
        { account: "bob", base: 250_001n },
        { account: "carol", base: 123_456n },
        { account: "dave", base: 0n },
        { account: "erin", base: 33_333n },
      ],
      event: {
        venue: "Example Exchange",
        event: "2026-11-03/ETH-PERP",
        asset: "USDT",
        decimals: 2,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: { base: "profit", rounding: "largest-remainder", cap: null },
        deficit: 200_000n,
        insuranceFund: 120_000n,
        previous: null,
      },
    },
    [venue],
    { saltSecret: VECTOR_SECRET },
  );
  const payload = pub.payload;
  const message = pae(PAYLOAD_TYPE, payload);
  const one = (signers: SigningKey[], name: string): unknown => {
    const env = signEnvelope(payload, signers);
    return {
      name,
      signers: signers.map(keyJson),
      keys: JSON.parse(keysFileJson(signers)),
      envelope: {
        payload: bytesToBase64(env.payload),
        payloadType: env.payloadType,
        signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: bytesToBase64(s.sig) })),
      },
    };
  };
  const edSig = signEnvelope(payload, [venue]).signatures[0].sig;
  const ecSig = signEnvelope(payload, [auditor]).signatures[0].sig;
  const sPlusL = edSig.slice();
  {
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sPlusL[i]);
    s += ed25519.Point.CURVE().n;
    for (let i = 32; i < 64; i++) {
      sPlusL[i] = Number(s & 0xffn);
      s >>= 8n;
    }
  }
  const parsed = secp256k1.Signature.fromBytes(ecSig, "compact");
  const highS = new secp256k1.Signature(parsed.r, secp256k1.Point.CURVE().n - parsed.s).toBytes("compact");
  const der = parsed.toBytes("der");
  const flipped = edSig.slice();
  flipped[0] ^= 1;
  return {
    statement: {
      payloadType: PAYLOAD_TYPE,
      payloadText: new TextDecoder().decode(payload),
      payload: bytesToBase64(payload),
      digest: pub.digest,
      pae: bytesToHex(message),
    },
    envelopes: [one([venue], "ed25519"), one([auditor], "secp256k1"), one([venue, auditor], "ed25519+secp256k1")],
    invalidSignatures: [
      {
        name: "ed25519-s-plus-l",
        algorithm: "ed25519",
        publicKey: bytesToHex(venue.publicKey),
        signature: bytesToBase64(sPlusL),
        reason: "S + L in place of S: satisfies the group equation but S >= L is non-canonical (RFC 8032 strict)",
      },
      {
        name: "ed25519-bit-flipped",
        algorithm: "ed25519",
        publicKey: bytesToHex(venue.publicKey),
        signature: bytesToBase64(flipped),
        reason: "one bit of R flipped",
      },
      {
        name: "secp256k1-high-s",
        algorithm: "secp256k1",
        publicKey: bytesToHex(auditor.publicKey),
        signature: bytesToBase64(highS),
        reason: "(r, n - s): a valid ECDSA signature, but S is high; low S is required",
      },
      {
        name: "secp256k1-der",
        algorithm: "secp256k1",
        publicKey: bytesToHex(auditor.publicKey),
        signature: bytesToBase64(der),
        reason: "the same signature DER-encoded; only 64-byte r || s is accepted",
      },
      {
        name: "secp256k1-wrong-key",
        algorithm: "secp256k1",
        publicKey: bytesToHex(fixedKey("auditor-2").publicKey),
        signature: bytesToBase64(ecSig),
        reason: "a valid signature checked against another key",
      },
    ],
  };
}

/** Builds the vectors file text. */
export function buildVectors(): string {
  const n = nodes();
  const e = envelopes();
  const vectors = {
    name: "haircut format v1 test vectors",
    version: 1,
    spec: 'docs/SPEC.md, section "Test vectors"',
    generator: "scripts/make_vectors.ts",
    conventions:
      "hex is lowercase; base64 is standard and padded; amounts are decimal strings below 2^128; arrays of bases and haircuts are in tree order",
    salts: salts(),
    accountKeys: accountKeys(),
    leaves: leaves(),
    nodes: n.valid,
    invalidNodes: n.invalid,
    trees: trees(),
    allocation: allocation(),
    statement: e.statement,
    envelopes: e.envelopes,
    invalidSignatures: e.invalidSignatures,
  };
  return JSON.stringify(vectors, null, 2) + "\n";
}

if (import.meta.main) {
  await writeText(`${ROOT}${VECTORS_PATH}`, buildVectors());
  console.log(`wrote ${VECTORS_PATH}`);
}
