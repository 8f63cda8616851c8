import assert from "node:assert/strict";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { deriveSalt } from "../src/publish/build.ts";
import {
  ACCOUNT_KEY_PREFIX,
  accountKey,
  LEAF_PREFIX,
  NODE_PREFIX,
  sumHasher,
  sumLeaf,
  type SumNode,
  sumNode,
  SumNodeSlab,
} from "../src/core/sum_tree.ts";
import { inclusionPath, rootFromInclusionProof, treeLevels, treeRoot } from "../src/core/tree.ts";

const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const LIMIT = 1n << 128n;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function unhex(text: string): Uint8Array {
  assert.match(text, /^(?:[0-9a-f]{2})*$/);
  return Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** u128be, written independently of src/core/amount.ts. */
function be16(value: bigint): Uint8Array {
  const out = new Uint8Array(16);
  let v = value;
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  assert.equal(v, 0n);
  return out;
}

function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function leafPreimage(key: Uint8Array, base: bigint, haircut: bigint): Uint8Array {
  return concatBytes(Uint8Array.of(0x00), key, be16(base), be16(haircut));
}

function nodePreimage(l: SumNode, r: SumNode): Uint8Array {
  return concatBytes(
    Uint8Array.of(0x01),
    l.hash,
    be16(l.base),
    be16(l.haircut),
    r.hash,
    be16(r.base),
    be16(r.haircut),
  );
}

interface GoldenRow {
  key: string;
  base: bigint;
  haircut: bigint;
}

function readGoldenLeaves(): GoldenRow[] {
  const text = Deno.readTextFileSync(new URL("leaves.csv", GOLDEN));
  const lines = text.split("\n");
  assert.equal(lines[0], "account_key,base,haircut");
  assert.equal(lines[lines.length - 1], "", "file ends with a newline");
  return lines.slice(1, -1).map((line) => {
    const [key, base, haircut] = line.split(",");
    return { key, base: BigInt(base), haircut: BigInt(haircut) };
  });
}

interface GoldenProof {
  type: string;
  statement: string;
  account: string;
  salt: string;
  index: number;
  base: string;
  haircut: string;
  path: { hash: string; base: string; haircut: string }[];
}

function readGoldenProofs(): Record<string, GoldenProof> {
  return JSON.parse(Deno.readTextFileSync(new URL("proofs.json", GOLDEN)));
}

const SPOT_SALT = Uint8Array.from({ length: 32 }, (_, i) => i);
const SPOT_KEY = "9085744fb5557ea784360cbe100fff86090ec6b53c5ef4341c2f426e758ead6e";
const SPOT_LEAF = "054d80c51cc06fa56f0555d5295aede0d520fa9e9043aba21def6e5b8bbcc86c";
const SPOT_NODE = "278e917f922c97c3705eadbe48d8d6251d85747a07e99d272078b70c6373bb80";
const GOLDEN_ROOT = "7325b16fdcbaa634dc938eaff0a8bc74a1c41c671b5b8b9c0ce8083d591763c8";
const GOLDEN_EVENT = "2026-11-03/ETH-PERP";

Deno.test("domain prefixes are 0x00 leaf, 0x01 node, 0x02 account key", () => {
  assert.equal(LEAF_PREFIX, 0x00);
  assert.equal(NODE_PREFIX, 0x01);
  assert.equal(ACCOUNT_KEY_PREFIX, 0x02);
});

Deno.test("SPEC §13.1 spot value: accountKey(00..1f, alice)", () => {
  const key = accountKey(SPOT_SALT, "alice");
  assert.equal(hex(key), SPOT_KEY);
  // And it is exactly SHA256(0x02 || salt || UTF8(id)).
  assert.equal(hex(sha256(concatBytes(Uint8Array.of(2), SPOT_SALT, new TextEncoder().encode("alice")))), SPOT_KEY);
});

Deno.test("accountKey hashes the id as UTF-8 and requires a 32-byte salt", () => {
  const id = "ünïcødé 账户 😀";
  assert.equal(
    hex(accountKey(SPOT_SALT, id)),
    hex(sha256(concatBytes(Uint8Array.of(2), SPOT_SALT, new TextEncoder().encode(id)))),
  );
  assert.notEqual(hex(accountKey(SPOT_SALT, "alice")), hex(accountKey(SPOT_SALT, "alicf")));
  const otherSalt = SPOT_SALT.slice();
  otherSalt[31] ^= 1;
  assert.notEqual(hex(accountKey(otherSalt, "alice")), SPOT_KEY);
  assert.throws(() => accountKey(new Uint8Array(31), "alice"), RangeError);
  assert.throws(() => accountKey(new Uint8Array(33), "alice"), RangeError);
});

Deno.test("SPEC §13.1 spot value: leaf(key, 1000, 58)", () => {
  const leaf = sumLeaf(unhex(SPOT_KEY), 1000n, 58n);
  assert.equal(hex(leaf.hash), SPOT_LEAF);
  assert.equal(leaf.base, 1000n);
  assert.equal(leaf.haircut, 58n);
  assert.equal(hex(sha256(leafPreimage(unhex(SPOT_KEY), 1000n, 58n))), SPOT_LEAF);
});

Deno.test("SPEC §13.1 spot value: node(leaf, leaf(ff x 32, 0, 0))", () => {
  const left = sumLeaf(unhex(SPOT_KEY), 1000n, 58n);
  const right = sumLeaf(new Uint8Array(32).fill(0xff), 0n, 0n);
  const node = sumNode(left, right);
  assert.equal(hex(node.hash), SPOT_NODE);
  assert.equal(node.base, 1000n);
  assert.equal(node.haircut, 58n);
  assert.equal(hex(sha256(nodePreimage(left, right))), SPOT_NODE);
  assert.equal(hex(sumHasher.children(left, right).hash), SPOT_NODE);
  // Order matters.
  assert.notEqual(hex(sumNode(right, left).hash), SPOT_NODE);
});

Deno.test("sumLeaf and sumNode return fresh hashes (no shared buffers)", () => {
  const a = sumLeaf(unhex(SPOT_KEY), 1000n, 58n);
  const b = sumLeaf(new Uint8Array(32), 1n, 1n);
  assert.equal(hex(a.hash), SPOT_LEAF, "computing another leaf does not overwrite the first");
  const n1 = sumNode(a, b);
  const n1hex = hex(n1.hash);
  sumNode(b, a);
  assert.equal(hex(n1.hash), n1hex);
});

Deno.test("the golden leaves.csv gives the golden root and totals", () => {
  const rows = readGoldenLeaves();
  assert.equal(rows.length, 5);
  const leaves = rows.map((r) => sumLeaf(unhex(r.key), r.base, r.haircut));
  const root = treeRoot(leaves, sumHasher);
  assert.equal(hex(root.hash), GOLDEN_ROOT);
  assert.equal(root.base, 1156790n);
  assert.equal(root.haircut, 80000n);
  // The same root by hand: 5 leaves split 4 + 1.
  const byHand = sumNode(sumNode(sumNode(leaves[0], leaves[1]), sumNode(leaves[2], leaves[3])), leaves[4]);
  assert.equal(hex(byHand.hash), GOLDEN_ROOT);
  // Keys are strictly ascending.
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].key < rows[i].key);
});

Deno.test("salts from HMAC match the golden proofs, and every golden proof reproduces the root", () => {
  const proofs = readGoldenProofs();
  const rows = readGoldenLeaves();
  const secret = new TextEncoder().encode("golden-salt-secret");
  const accounts = Object.keys(proofs).sort();
  assert.deepEqual(accounts, ["alice", "bob", "carol", "dave", "erin"]);
  const leaves = rows.map((r) => sumLeaf(unhex(r.key), r.base, r.haircut));
  const levels = treeLevels(leaves, sumHasher);
  for (const account of accounts) {
    const proof = proofs[account];
    assert.equal(proof.account, account);
    const salt = deriveSalt(secret, { event: GOLDEN_EVENT, account });
    assert.equal(hex(salt), proof.salt, `salt of ${account}`);
    const key = accountKey(salt, account);
    assert.equal(hex(key), rows[proof.index].key, `account key of ${account}`);
    const leaf = sumLeaf(key, BigInt(proof.base), BigInt(proof.haircut));
    const path = proof.path.map((p) => ({ hash: unhex(p.hash), base: BigInt(p.base), haircut: BigInt(p.haircut) }));
    const root = rootFromInclusionProof({ index: proof.index, size: rows.length, leaf: leaf, proof: path }, sumHasher);
    assert.equal(hex(root.hash), GOLDEN_ROOT, `root from ${account}'s proof`);
    assert.equal(root.base, 1156790n);
    assert.equal(root.haircut, 80000n);
    // Our own path for that index equals the golden one.
    const ours = inclusionPath(levels, proof.index);
    assert.deepEqual(
      ours.map((n) => ({ hash: hex(n.hash), base: `${n.base}`, haircut: `${n.haircut}` })),
      proof.path,
      `path of ${account}`,
    );
  }
});

Deno.test("deriveSalt is HMAC-SHA256(secret, event || 0x00 || account) (checked with WebCrypto)", async () => {
  const secret = new TextEncoder().encode("golden-salt-secret");
  const a = deriveSalt(secret, { event: GOLDEN_EVENT, account: "alice" });
  assert.equal(a.length, 32);
  const cryptoKey = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  for (const account of ["alice", "bob", "ünï 😀", ""]) {
    const message = concatBytes(
      new TextEncoder().encode(GOLDEN_EVENT),
      Uint8Array.of(0),
      new TextEncoder().encode(account),
    );
    const expected = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, message));
    assert.equal(hex(deriveSalt(secret, { event: GOLDEN_EVENT, account })), hex(expected), account);
  }
  // The 0x00 separator keeps ("ab", "c") and ("a", "bc") apart.
  assert.notEqual(
    hex(deriveSalt(secret, { event: "ab", account: "c" })),
    hex(deriveSalt(secret, { event: "a", account: "bc" })),
  );
  assert.notEqual(
    hex(deriveSalt(new TextEncoder().encode("other"), { event: GOLDEN_EVENT, account: "alice" })),
    hex(a),
  );
});

Deno.test("sums reaching 2^128 are rejected", () => {
  const key = new Uint8Array(32);
  const big = sumLeaf(key, LIMIT - 1n, 0n);
  const one = sumLeaf(key, 1n, 1n);
  assert.throws(() => sumNode(big, one), RangeError);
  assert.throws(() => sumNode(one, big), RangeError);
  const bigHaircut = sumLeaf(key, 0n, LIMIT - 1n);
  assert.throws(() => sumNode(bigHaircut, one), RangeError);
  // Just below the limit is fine.
  const half = sumLeaf(key, LIMIT / 2n, 0n);
  const almost = sumLeaf(key, LIMIT / 2n - 1n, 0n);
  assert.equal(sumNode(half, almost).base, LIMIT - 1n);
  assert.throws(() => sumNode(half, half), RangeError);
  // The limit applies through a whole tree, not only to one node.
  const quarter = sumLeaf(key, LIMIT / 4n, 0n);
  assert.throws(() => treeRoot([quarter, quarter, quarter, quarter], sumHasher), RangeError);
  assert.equal(treeRoot([quarter, quarter, quarter], sumHasher).base, (LIMIT / 4n) * 3n);
  // Leaves themselves refuse amounts outside [0, 2^128) and keys that are not 32 bytes.
  assert.throws(() => sumLeaf(key, LIMIT, 0n), RangeError);
  assert.throws(() => sumLeaf(key, 0n, LIMIT), RangeError);
  assert.throws(() => sumLeaf(key, -1n, 0n), RangeError);
  assert.throws(() => sumLeaf(new Uint8Array(31), 0n, 0n), RangeError);
});

Deno.test("leaves and nodes are domain separated", () => {
  const l = sumLeaf(unhex(SPOT_KEY), 1000n, 58n);
  const r = sumLeaf(new Uint8Array(32).fill(0xff), 0n, 0n);
  const node = sumNode(l, r);
  const nodeBytes = nodePreimage(l, r);
  const leafBytes = leafPreimage(unhex(SPOT_KEY), 1000n, 58n);
  assert.equal(nodeBytes.length, 129);
  assert.equal(leafBytes.length, 65);
  assert.notEqual(nodeBytes[0], leafBytes[0]);
  assert.equal(leafBytes[0], LEAF_PREFIX);
  assert.equal(nodeBytes[0], NODE_PREFIX);
  // A leaf whose "key" is a node's hash and whose amounts are that node's sums is not the node.
  const fakeLeaf = sumLeaf(node.hash, node.base, node.haircut);
  assert.notEqual(hex(fakeLeaf.hash), hex(node.hash));
  // A leaf built from the left half of a node's preimage (key = left hash, amounts = left sums)
  // is the left child's re-hash, not the node.
  const halfLeaf = sumLeaf(l.hash, l.base, l.haircut);
  assert.notEqual(hex(halfLeaf.hash), hex(node.hash));
  assert.notEqual(hex(halfLeaf.hash), hex(l.hash));
  assert.notEqual(hex(sha256(leafBytes)), hex(sha256(nodeBytes)));
  // Crafted: a node whose left child is {hash: key, base, haircut} carries the leaf's exact 64-byte body
  // after its prefix; only the prefix byte (and the length) tell them apart, and the hashes differ.
  const body = { hash: unhex(SPOT_KEY), base: 1000n, haircut: 58n };
  const zero = { hash: new Uint8Array(32), base: 0n, haircut: 0n };
  const crafted = nodePreimage(body, zero);
  assert.deepEqual(crafted.subarray(1, 65), leafBytes.subarray(1, 65));
  assert.notEqual(crafted[0], leafBytes[0]);
  assert.notEqual(hex(sumNode(body, zero).hash), hex(l.hash));
  assert.equal(hex(sumNode(body, zero).hash), hex(sha256(crafted)));
  // The account-key domain (0x02) is different from both.
  const keyPreimage = concatBytes(Uint8Array.of(ACCOUNT_KEY_PREFIX), SPOT_SALT);
  assert.notEqual(keyPreimage[0], LEAF_PREFIX);
  assert.notEqual(keyPreimage[0], NODE_PREFIX);
});

Deno.test("a parent hash binds both children's sums (the Maxwell flaw is closed)", () => {
  const l = sumLeaf(unhex(SPOT_KEY), 1000n, 58n);
  const r = sumLeaf(new Uint8Array(32).fill(0xff), 500n, 20n);
  const honest = sumNode(l, r);
  // Moving haircut from one child to the other keeps the parent's sums but must change the hash.
  const shifted = sumNode({ ...l, haircut: l.haircut + 10n }, { ...r, haircut: r.haircut - 10n });
  assert.equal(shifted.haircut, honest.haircut);
  assert.equal(shifted.base, honest.base);
  assert.notEqual(hex(shifted.hash), hex(honest.hash));
  // Changing any one field of either child changes the hash.
  const variants: SumNode[] = [
    sumNode({ ...l, base: l.base + 1n }, r),
    sumNode({ ...l, haircut: l.haircut + 1n }, r),
    sumNode(l, { ...r, base: r.base + 1n }),
    sumNode(l, { ...r, haircut: r.haircut + 1n }),
    sumNode({ ...l, hash: r.hash }, r),
  ];
  const seen = new Set([hex(honest.hash), ...variants.map((v) => hex(v.hash))]);
  assert.equal(seen.size, 1 + variants.length);
});

Deno.test("SumNodeSlab.children: only the two topmost slots combine, and either slot being off is refused", () => {
  const slab = new SumNodeSlab();
  const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  for (let i = 0; i < 3; i++) slab.leaf(key, BigInt(i), 0n); // slots 0, 1, 2
  assert.deepEqual(slab.node(2), sumLeaf(key, 2n, 0n)); // the whole key is hashed
  assert.throws(() => slab.children(0, 2), /slots 0 and 2 are not the top of a stack of 3/); // right is the top, left is not
  assert.throws(() => slab.children(0, 1), /slots 0 and 1 are not the top of a stack of 3/); // adjacent, but not the top
  assert.throws(() => slab.children(2, 3), /slots 2 and 3 are not the top of a stack of 3/);
  assert.equal(slab.children(1, 2), 1);
  assert.deepEqual(slab.node(1), sumNode(sumLeaf(key, 1n, 0n), sumLeaf(key, 2n, 0n)));
});
