/**
 * fixtures/vectors/v1.json: the generator reproduces it exactly, and every
 * value in it is recomputed here from the format's byte layouts with
 * SHA-256, HMAC and the curve libraries directly (trees by the recursive
 * RFC 9162 definitions), then checked against this implementation.
 */

import assert from "node:assert/strict";
import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { allocate, computeTarget } from "../src/rules/allocation.ts";
import { parseKeysFile } from "../src/format/keys.ts";
import { verifySignature } from "../src/format/signature.ts";
import { parseStatementPayload } from "../src/format/statement.ts";
import { sumHasher, sumLeaf, type SumNode, sumNode } from "../src/core/sum_tree.ts";
import { rootFromInclusionProof } from "../src/core/tree.ts";
import { verifyPublication } from "../src/verify/publication.ts";
import { buildVectors, VECTORS_PATH } from "../scripts/make_vectors.ts";

const FILE = new URL(`../${VECTORS_PATH}`, import.meta.url);
const TEXT = Deno.readTextFileSync(FILE);
// deno-lint-ignore no-explicit-any
const V: any = JSON.parse(TEXT);

interface NodeJson {
  hash: string;
  base: string;
  haircut: string;
}

const enc = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function unhex(text: string): Uint8Array {
  assert.match(text, /^([0-9a-f]{2})*$/);
  return Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function unbase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
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

function u128be(text: string): Uint8Array {
  const v = BigInt(text);
  assert.ok(v >= 0n && v < 1n << 128n, `${text} is a u128`);
  return unhex(v.toString(16).padStart(32, "0"));
}

/** SPEC §4.1: SHA256(0x00 || accountKey || u128be(base) || u128be(haircut)). */
function leafHash(key: string, base: string, haircut: string): string {
  return hex(sha256(concat(new Uint8Array([0]), unhex(key), u128be(base), u128be(haircut))));
}

/** SPEC §4.1: the parent of two nodes, both children's sums inside the hash. */
function parent(l: NodeJson, r: NodeJson): NodeJson {
  const base = BigInt(l.base) + BigInt(r.base);
  const haircut = BigInt(l.haircut) + BigInt(r.haircut);
  assert.ok(base < 1n << 128n && haircut < 1n << 128n, "sums below 2^128");
  const input = concat(
    new Uint8Array([1]),
    unhex(l.hash),
    u128be(l.base),
    u128be(l.haircut),
    unhex(r.hash),
    u128be(r.base),
    u128be(r.haircut),
  );
  return { hash: hex(sha256(input)), base: `${base}`, haircut: `${haircut}` };
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 9162 §2.1.1, recursively: MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])). */
function mth(leaves: readonly NodeJson[]): NodeJson {
  if (leaves.length === 1) return leaves[0];
  const k = largestPowerOfTwoBelow(leaves.length);
  return parent(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 9162 §2.1.3.1, recursively: PATH(m, D[0:n]). */
function path(m: number, leaves: readonly NodeJson[]): NodeJson[] {
  if (leaves.length === 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

function toSumNode(n: NodeJson): SumNode {
  return { hash: unhex(n.hash), base: BigInt(n.base), haircut: BigInt(n.haircut) };
}

Deno.test("vectors: scripts/make_vectors.ts reproduces v1.json exactly", () => {
  assert.equal(buildVectors(), TEXT);
});

Deno.test("vectors: the SPEC §13.1 spot values are the first account key, leaf and node", () => {
  assert.equal(V.accountKeys[0].accountKey, "9085744fb5557ea784360cbe100fff86090ec6b53c5ef4341c2f426e758ead6e");
  assert.equal(V.leaves[0].hash, "054d80c51cc06fa56f0555d5295aede0d520fa9e9043aba21def6e5b8bbcc86c");
  assert.equal(V.nodes[0].hash, "278e917f922c97c3705eadbe48d8d6251d85747a07e99d272078b70c6373bb80");
});

Deno.test("vectors: salts, account keys, leaves and nodes recompute from their byte layouts", () => {
  for (const s of V.salts) {
    const message = concat(enc.encode(s.event), new Uint8Array([0]), enc.encode(s.account));
    assert.equal(s.message, hex(message));
    assert.equal(s.salt, hex(hmac(sha256, unhex(s.secret), message)), `salt of ${s.account}`);
  }
  for (const k of V.accountKeys) {
    assert.equal(k.accountUtf8, hex(enc.encode(k.account)));
    const key = hex(sha256(concat(new Uint8Array([2]), unhex(k.salt), enc.encode(k.account))));
    assert.equal(k.accountKey, key, `account key of ${k.account}`);
  }
  for (const l of V.leaves) {
    assert.equal(l.hash, leafHash(l.accountKey, l.base, l.haircut));
    assert.equal(hex(sumLeaf(unhex(l.accountKey), BigInt(l.base), BigInt(l.haircut)).hash), l.hash);
  }
  for (const n of V.nodes) {
    assert.deepEqual({ hash: n.hash, base: n.base, haircut: n.haircut }, parent(n.left, n.right));
    const mine = sumNode(toSumNode(n.left), toSumNode(n.right));
    assert.equal(hex(mine.hash), n.hash);
  }
  for (const n of V.invalidNodes) {
    assert.ok(BigInt(n.left.base) + BigInt(n.right.base) >= 1n << 128n, n.reason);
    assert.throws(() => sumNode(toSumNode(n.left), toSumNode(n.right)), RangeError);
  }
});

Deno.test("vectors: trees of 1 to 17 leaves, their roots and every inclusion proof", () => {
  assert.deepEqual(V.trees.map((t: { size: number }) => t.size), Array.from({ length: 17 }, (_, i) => i + 1));
  for (const t of V.trees) {
    const leaves: NodeJson[] = t.leaves.map((l: NodeJson & { accountKey: string }) => {
      assert.equal(l.hash, leafHash(l.accountKey, l.base, l.haircut));
      return { hash: l.hash, base: l.base, haircut: l.haircut };
    });
    const keys = t.leaves.map((l: { accountKey: string }) => l.accountKey);
    assert.deepEqual(keys, [...keys].sort(), `tree ${t.size}: leaves ascend by account key`);
    assert.deepEqual(t.root, mth(leaves), `tree ${t.size}: root`);
    assert.equal(t.proofs.length, t.size);
    for (const p of t.proofs) {
      assert.deepEqual(p.path, path(p.index, leaves), `tree ${t.size}, leaf ${p.index}: path`);
      const root = rootFromInclusionProof({
        index: p.index,
        size: t.size,
        leaf: toSumNode(leaves[p.index]),
        proof: p.path.map(toSumNode),
      }, sumHasher);
      assert.equal(hex(root.hash), t.root.hash);
      assert.equal(`${root.base}`, t.root.base);
      assert.equal(`${root.haircut}`, t.root.haircut);
    }
  }
});

Deno.test("vectors: allocation cases hold by the rule and this implementation agrees", () => {
  const names = V.allocation.map((c: { name: string }) => c.name);
  for (const needed of ["ties-lower-index", "ties-many", "cap-binding", "floor", "p-zero"]) {
    assert.ok(names.includes(needed), needed);
  }
  for (const c of V.allocation) {
    const bases: bigint[] = c.bases.map((x: string) => BigInt(x));
    const shortfall = BigInt(c.shortfall);
    const total = bases.reduce((s, b) => s + b, 0n);
    assert.equal(`${total}`, c.totalBase);
    const cap = c.policy.cap ? { num: BigInt(c.policy.cap.num), den: BigInt(c.policy.cap.den) } : null;
    const limit = cap ? total * cap.num / cap.den : total;
    const target = shortfall < limit ? shortfall : limit;
    assert.equal(`${target}`, c.target, `${c.name}: target`);
    assert.equal(`${computeTarget(shortfall, { totalBase: total, cap: cap })}`, c.target);
    const haircuts: bigint[] = c.haircuts.map((x: string) => BigInt(x));
    const collected = haircuts.reduce((s, h) => s + h, 0n);
    assert.equal(`${collected}`, c.collected);
    assert.equal(`${shortfall - collected}`, c.uncovered);
    // The rule, leaf by leaf: q, or q + 1 with r > 0 under largest remainder; and every leaf
    // that got + 1 ranks ahead (remainder descending, index ascending) of every leaf with r > 0 that did not.
    const q = bases.map((b) => (total === 0n ? 0n : target * b / total));
    const r = bases.map((b) => (total === 0n ? 0n : target * b % total));
    const up = haircuts.map((h, i) => h === q[i] + 1n);
    haircuts.forEach((h, i) => {
      assert.ok(h === q[i] || (c.policy.rounding === "largest-remainder" && r[i] > 0n && up[i]), `${c.name}[${i}]`);
    });
    for (let i = 0; i < bases.length; i++) {
      for (let j = 0; j < bases.length; j++) {
        if (up[j] && !up[i] && r[i] > 0n) {
          assert.ok(r[j] > r[i] || (r[j] === r[i] && j < i), `${c.name}: ${j} got a unit ahead of ${i}`);
        }
      }
    }
    if (c.policy.rounding === "largest-remainder") assert.equal(collected, target, `${c.name}: collects T`);
    assert.deepEqual(allocate(bases, target, { rounding: c.policy.rounding }).map(String), c.haircuts, c.name);
  }
});

Deno.test("vectors: the envelopes verify under each algorithm, and the invalid signatures do not", async () => {
  const s = V.statement;
  const payload = unbase64(s.payload);
  assert.equal(new TextDecoder().decode(payload), s.payloadText);
  assert.equal(hex(sha256(payload)), s.digest);
  const type = s.payloadType;
  const pae = concat(enc.encode(`DSSEv1 ${enc.encode(type).length} ${type} ${payload.length} `), payload);
  assert.equal(hex(pae), s.pae);
  assert.equal(parseStatementPayload(payload).venue, "Example Exchange");
  const algorithms = new Set<string>();
  for (const e of V.envelopes) {
    assert.equal(e.envelope.payload, s.payload);
    assert.equal(e.envelope.payloadType, type);
    e.envelope.signatures.forEach((sig: { keyid: string; sig: string }, i: number) => {
      const signer = e.signers[i];
      algorithms.add(signer.algorithm);
      const pub = unhex(signer.publicKey);
      assert.equal(sig.keyid, hex(sha256(pub)));
      assert.equal(signer.keyid, sig.keyid);
      const bytes = unbase64(sig.sig);
      assert.equal(bytes.length, 64);
      const ok = signer.algorithm === "ed25519"
        ? ed25519.verify(bytes, pae, pub, { zip215: false })
        : secp256k1.verify(bytes, pae, pub, { prehash: true, lowS: true, format: "compact" });
      assert.ok(ok, `${e.name}: signature ${i}`);
      assert.ok(verifySignature({ algorithm: signer.algorithm, publicKey: pub }, { message: pae, signature: bytes }));
      const derived = signer.algorithm === "ed25519"
        ? ed25519.getPublicKey(unhex(signer.secretKey))
        : secp256k1.getPublicKey(unhex(signer.secretKey), true);
      assert.equal(hex(derived), signer.publicKey);
    });
    const keys = parseKeysFile(JSON.stringify(e.keys));
    assert.equal(keys.threshold, e.signers.length);
    const report = await verifyPublication({ envelope: JSON.stringify(e.envelope), leaves: new Uint8Array() }, keys);
    assert.deepEqual(report.signers.map((x) => x.status), e.signers.map(() => "valid"), e.name);
  }
  assert.deepEqual([...algorithms].sort(), ["ed25519", "secp256k1"]);
  for (const bad of V.invalidSignatures) {
    const sig = unbase64(bad.signature);
    assert.equal(
      verifySignature({ algorithm: bad.algorithm, publicKey: unhex(bad.publicKey) }, { message: pae, signature: sig }),
      false,
      bad.name,
    );
  }
  const highS = V.invalidSignatures.find((b: { name: string }) => b.name === "secp256k1-high-s");
  const lax = secp256k1.verify(unbase64(highS.signature), pae, unhex(highS.publicKey), {
    prehash: true,
    lowS: false,
    format: "compact",
  });
  assert.ok(lax, "the high-S signature is valid ECDSA apart from the low-S rule");
});
