/**
 * fixtures/vectors/v1.1.json: the generator reproduces it exactly, and every
 * value in it is recomputed here without src/rules/: haircuts from the
 * defining inequalities of SPEC §8.4, automatic rates by brute force, salts
 * with HMAC, hashes with SHA-256 and trees by the recursive RFC 9162
 * definition; the publication in it verifies, with every proof.
 */

import assert from "node:assert/strict";
import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { keysFileJson, parseKeysFile, signingKeyFromSecret } from "../src/format/keys.ts";
import { verifyProof } from "../src/verify/proof.ts";
import { buildPublication } from "../src/publish/build.ts";
import { verifyPublication } from "../src/verify/publication.ts";
import { buildVectorsV11, VECTORS_V11_PATH } from "../scripts/make_vectors_v11.ts";

const TEXT = Deno.readTextFileSync(new URL(`../${VECTORS_V11_PATH}`, import.meta.url));
// deno-lint-ignore no-explicit-any
const V: any = JSON.parse(TEXT);
const enc = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function unhex(text: string): Uint8Array {
  assert.match(text, /^([0-9a-f]{2})*$/);
  return Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
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

function u128be(v: bigint): Uint8Array {
  assert.ok(v >= 0n && v < 1n << 128n);
  return Uint8Array.from({ length: 16 }, (_, i) => Number((v >> BigInt(8 * (15 - i))) & 0xffn));
}

/** The haircut from `b * num = q * den + r` by each rounding's definition (SPEC §8.4), not src/rules/rate.ts. */
function fromQuotient(q: bigint, r: bigint, den: bigint, rounding: string): bigint {
  if (rounding === "rate-floor") return q;
  if (rounding === "rate-ceil") return r === 0n ? q : q + 1n;
  assert.equal(rounding, "rate-half-up");
  return 2n * r >= den ? q + 1n : q; // the nearest unit; exactly half rounds up
}

Deno.test("vectors v1.1: the generator reproduces the file byte for byte", () => {
  assert.equal(buildVectorsV11(), TEXT);
});

Deno.test("vectors v1.1: v1.json is untouched by v1.1 (its own test compares it with its generator)", () => {
  const v1 = JSON.parse(Deno.readTextFileSync(new URL("../fixtures/vectors/v1.json", import.meta.url)));
  assert.equal(v1.version, 1);
  assert.equal(V.version, "1.1");
});

Deno.test("vectors v1.1: every rate haircut is its rounding's definition", () => {
  assert.ok(V.rateHaircuts.length >= 30);
  for (const c of V.rateHaircuts) {
    const base = BigInt(c.base);
    const num = BigInt(c.rate.num);
    const den = BigInt(c.rate.den);
    const q = BigInt(c.product.q);
    const r = BigInt(c.product.r);
    assert.equal(q * den + r, base * num, c.name);
    assert.ok(r >= 0n && r < den, c.name);
    const h = BigInt(c.haircut);
    assert.equal(h, fromQuotient(q, r, den, c.rounding), `${c.name} ${c.rounding}`);
    assert.ok(h >= 0n && h <= base, c.name);
  }
});

Deno.test("vectors v1.1: rate allocations, their totals and arithmetic verdicts", () => {
  for (const c of V.rateAllocations) {
    const num = BigInt(c.policy.rate.num);
    const den = BigInt(c.policy.rate.den);
    const bases = c.bases.map(BigInt);
    const haircuts = c.haircuts.map(BigInt);
    bases.forEach((b: bigint, i: number) =>
      assert.equal(haircuts[i], fromQuotient(b * num / den, b * num % den, den, c.policy.rounding), c.name)
    );
    const P = bases.reduce((s: bigint, b: bigint) => s + b, 0n);
    assert.equal(BigInt(c.totalBase), P);
    const cap = c.policy.cap;
    const limit = cap ? P * BigInt(cap.num) / BigInt(cap.den) : P;
    const shortfall = BigInt(c.shortfall);
    const target = shortfall < limit ? shortfall : limit;
    assert.equal(BigInt(c.target), target, c.name);
    const collected = haircuts.reduce((s: bigint, h: bigint) => s + h, 0n);
    assert.equal(BigInt(c.collected), collected, c.name);
    const overCap = cap !== null && num * BigInt(cap.den) > BigInt(cap.num) * den;
    const valid = collected <= target && !overCap;
    assert.equal(c.arithmetic.length === 0, valid, `${c.name}: ${c.arithmetic}`);
  }
  const names = V.rateAllocations.map((c: { name: string }) => c.name);
  assert.deepEqual(names.slice(0, 2), ["crypto-com-half-up", "crypto-com-floor"]);
  assert.equal(V.rateAllocations[0].collected, "1000001");
  assert.equal(V.rateAllocations[1].collected, "999996");
});

Deno.test("vectors v1.1: each automatic rate is the largest that fits, by brute force where small", () => {
  for (const c of V.automaticRates) {
    const bases = c.bases.map(BigInt);
    const target = BigInt(c.target);
    const den = 10n ** BigInt(c.decimals);
    assert.equal(BigInt(c.rate.den), den, c.name);
    const total = (num: bigint): bigint =>
      bases.reduce((s: bigint, b: bigint) => s + fromQuotient(b * num / den, b * num % den, den, c.rounding), 0n);
    const capOk = (num: bigint): boolean => !c.cap || num * BigInt(c.cap.den) <= BigInt(c.cap.num) * den;
    const num = BigInt(c.rate.num);
    assert.equal(BigInt(c.collected), total(num), c.name);
    assert.ok(total(num) <= target && capOk(num) && num <= den, c.name);
    if (num < den) {
      assert.equal(BigInt(c.nextCollected), total(num + 1n), c.name);
      assert.ok(total(num + 1n) > target || !capOk(num + 1n), `${c.name}: a larger rate fits`);
    }
    if (c.decimals <= 4) {
      let best = 0n;
      for (let n = 0n; n <= den; n++) if (capOk(n) && total(n) <= target) best = n;
      assert.equal(num, best, c.name);
    }
  }
});

Deno.test("vectors v1.1: deficit salts are HMAC-SHA256(secret, 'deficit' || 0 || event || 0 || account)", () => {
  for (const c of V.deficitSalts) {
    const message = concat(
      enc.encode("deficit"),
      new Uint8Array([0]),
      enc.encode(c.event),
      new Uint8Array([0]),
      enc.encode(c.account),
    );
    assert.equal(c.message, hex(message));
    assert.equal(c.salt, hex(hmac(sha256, unhex(c.secret), message)));
    assert.notEqual(c.salt, c.mainTreeSalt);
    const main = concat(enc.encode(c.event), new Uint8Array([0]), enc.encode(c.account));
    assert.equal(c.mainTreeSalt, hex(hmac(sha256, unhex(c.secret), main)));
  }
});

interface DNode {
  hash: Uint8Array;
  loss: bigint;
}

function deficitLeaf(key: Uint8Array, loss: bigint): DNode {
  return { hash: sha256(concat(new Uint8Array([0]), key, u128be(loss), u128be(0n))), loss };
}

function deficitParent(l: DNode, r: DNode): DNode {
  const hash = sha256(
    concat(new Uint8Array([1]), l.hash, u128be(l.loss), u128be(0n), r.hash, u128be(r.loss), u128be(0n)),
  );
  return { hash, loss: l.loss + r.loss };
}

/** RFC 9162 section 2.1.1, recursively. */
function mth(leaves: DNode[]): DNode {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return deficitParent(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 9162 section 2.1.3.1, recursively: the path of leaf m. */
function path(m: number, leaves: DNode[]): DNode[] {
  if (leaves.length === 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

Deno.test("vectors v1.1: deficit trees, leaves, roots and every proof path, from the byte layouts", () => {
  for (const t of V.deficitTrees) {
    const leaves: DNode[] = t.leaves.map(
      (l: { account: string; salt: string; accountKey: string; loss: string; hash: string }) => {
        const key = sha256(concat(new Uint8Array([2]), unhex(l.salt), enc.encode(l.account)));
        assert.equal(l.accountKey, hex(key));
        const leaf = deficitLeaf(key, BigInt(l.loss));
        assert.equal(l.hash, hex(leaf.hash));
        return leaf;
      },
    );
    for (let i = 1; i < t.leaves.length; i++) assert.ok(t.leaves[i - 1].accountKey < t.leaves[i].accountKey);
    const root = mth(leaves);
    assert.deepEqual(t.root, { hash: hex(root.hash), loss: `${root.loss}`, haircut: "0" });
    assert.equal(
      t.bankruptCsv,
      "account_key,loss\n" +
        t.leaves.map((l: { accountKey: string; loss: string }) => `${l.accountKey},${l.loss}\n`).join(""),
    );
    for (const p of t.proofs) {
      assert.deepEqual(p.path, path(p.index, leaves).map((n) => ({ hash: hex(n.hash), loss: `${n.loss}` })));
    }
  }
});

Deno.test("vectors v1.1: the publication's signature, digest and figures, independently", () => {
  const p = V.publication;
  const payload = Uint8Array.from(atob(p.payload), (c) => c.charCodeAt(0));
  assert.equal(new TextDecoder().decode(payload), p.payloadText);
  assert.equal(p.digest, hex(sha256(payload)));
  const type = enc.encode(p.payloadType);
  const pae = concat(enc.encode(`DSSEv1 ${type.length} `), type, enc.encode(` ${payload.length} `), payload);
  assert.equal(p.pae, hex(pae));
  const sig = Uint8Array.from(atob(p.envelope.signatures[0].sig), (c) => c.charCodeAt(0));
  assert.ok(ed25519.verify(sig, pae, unhex(p.publicKey), { zip215: false }));
  const s = JSON.parse(p.payloadText);
  assert.deepEqual(s.policy, {
    base: "profit",
    cap: null,
    rate: { den: "171000", num: "10000" },
    rounding: "rate-floor",
  });
  assert.equal(s.deficitTree.total, s.deficit);
  assert.equal(s.tree.totalHaircut, "999996");
  assert.equal(s.uncovered, "4");
});

Deno.test("vectors v1.1: the publication verifies, and so does every proof and deficit proof", async () => {
  const p = V.publication;
  const keys = parseKeysFile(keysFileJson([signingKeyFromSecret("ed25519", new Uint8Array(32).fill(0x11))]));
  const envelope = JSON.stringify(p.envelope);
  const report = await verifyPublication({
    envelope,
    leaves: enc.encode(p.leavesCsv),
    bankrupt: enc.encode(p.bankruptCsv),
  }, keys);
  assert.deepEqual(report.errors, []);
  assert.equal(report.ok, true);
  for (const proof of [...p.proofs, ...p.deficitProofs]) {
    const r = verifyProof({ proof: JSON.stringify(proof), envelope }, keys);
    assert.deepEqual(r.errors, [], proof.account);
  }
});

Deno.test("vectors v1.1: publish makes exactly the vectors' publication from its inputs", () => {
  const p = V.publication;
  const pub = buildPublication(
    {
      accounts: p.accounts.map((a: { account: string; base: string }) => ({
        account: a.account,
        base: BigInt(a.base),
      })),
      bankrupt: p.bankruptAccounts.map((b: { account: string; loss: string }) => ({
        account: b.account,
        loss: BigInt(b.loss),
      })),
      event: {
        venue: "Vector Exchange",
        event: "2026-03-10/session-socialization",
        asset: "USD",
        decimals: 2,
        snapshotTime: "2026-03-10T08:00:00Z",
        policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { num: 10000n, den: 171000n } },
        insuranceFund: 0n,
        previous: null,
      },
    },
    [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(0x11))],
    { saltSecret: unhex(p.secret) },
  );
  assert.equal(new TextDecoder().decode(pub.payload), p.payloadText);
  assert.equal(pub.digest, p.digest);
  assert.equal(pub.leavesCsv, p.leavesCsv);
  assert.equal(pub.bankruptCsv, p.bankruptCsv);
  assert.deepEqual(pub.proofs.map((f) => JSON.parse(f.json)), p.proofs);
  assert.deepEqual(pub.deficitProofs!.map((f) => JSON.parse(f.json)), p.deficitProofs);
  assert.ok(pub.deficitProofs!.every((f) => f.fileName.startsWith("deficit-")));
});
