/**
 * The attacks of SECURITY.md, one named test each: what a cheating venue (or
 * anyone between it and a trader) could try, and the check that stops it.
 *
 * Most attacks are forged in full: the tree is rebuilt and the statement is
 * re-signed with the example's trusted keys, so that only the property under
 * attack is wrong and the expected error code is the one that fires. Two
 * tests show the limits of what a verdict can say (an omitted winner, a
 * split view), and what does catch them.
 */

import assert from "node:assert/strict";
import {
  allocate,
  type ErrorCode,
  parseKeysFile,
  payloadDigest,
  share,
  verifyProof,
  verifyPublication,
} from "../mod.ts";
import { parseSigningKey, signEnvelope } from "../publish.ts";
import { accountKey, inclusionPath, sumHasher, sumLeaf, type SumNode, sumNode, treeRoot } from "../tree.ts";
import { canonicalJson, type JsonValue } from "../src/core/_json.ts";
import { bytesToBase64, bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { treeLevels } from "../src/core/tree.ts";
import { SECP256K1_ORDER } from "../src/format/_der.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";

const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const read = (name: string): string => Deno.readTextFileSync(new URL(name, EXAMPLE));
const enc = new TextEncoder();

const KEYS = parseKeysFile(read("keys.json"));
const ENVELOPE = read("statement.dsse.json");
const LEAVES = read("leaves.csv");
const PAYLOAD = atob(JSON.parse(ENVELOPE).payload);
const SIGNERS = [parseSigningKey(read("input/venue.key.json")), parseSigningKey(read("input/auditor.key.json"))];

interface Row {
  key: Uint8Array;
  base: bigint;
  haircut: bigint;
}

const ROWS: Row[] = LEAVES.trim().split("\n").slice(1).map((line) => {
  const [key, base, haircut] = line.split(",");
  return { key: hexToBytes(key, 32), base: BigInt(base), haircut: BigInt(haircut) };
});

/** Each leaf index's account and salt, from the example proofs. */
const OWNERS: { account: string; salt: string }[] = [];
const PROOFS: string[] = [];
for (const e of Deno.readDirSync(new URL("proofs/", EXAMPLE))) {
  const text = read(`proofs/${e.name}`);
  const p = JSON.parse(text);
  OWNERS[p.index] = { account: p.account, salt: p.salt };
  PROOFS[p.index] = text;
}
const ALICE = 7; // alice: base 750000, haircut 87015, remainder > 0

interface Forged {
  envelope: string;
  leaves: Uint8Array;
  digest: string;
  /** A proof for leaf `index`, with the forged tree's path. */
  proof(index: number, change?: (p: Record<string, unknown>) => void): string;
}

/**
 * A publication over `rows`, with the tree head recomputed and the statement
 * changed by `change`, signed by the example's trusted keys.
 */
function forge(rows: readonly Row[], change: (s: Record<string, JsonValue>) => void = () => {}): Forged {
  const leaves = rows.map((r) => sumLeaf(r.key, r.base, r.haircut));
  const levels = treeLevels(leaves, sumHasher);
  const root = levels[levels.length - 1][0];
  const s = JSON.parse(PAYLOAD);
  s.tree = {
    root: bytesToHex(root.hash),
    leafCount: rows.length,
    totalBase: `${root.base}`,
    totalHaircut: `${root.haircut}`,
  };
  const uncovered = BigInt(s.shortfall) - root.haircut;
  s.uncovered = `${uncovered < 0n ? 0n : uncovered}`;
  change(s);
  const payload = enc.encode(canonicalJson(s));
  const digest = payloadDigest(payload);
  return {
    envelope: envelopeToJson(signEnvelope(payload, SIGNERS)),
    leaves: csv(rows),
    digest,
    proof(index, changeProof = () => {}): string {
      const row = rows[index];
      const owner = OWNERS.find((o) =>
        bytesToHex(accountKey(hexToBytes(o.salt, 32), o.account)) === bytesToHex(row.key)
      );
      assert.ok(owner, `no owner for leaf ${index}`);
      const p: Record<string, unknown> = {
        type: "socialized-loss/proof/v1",
        statement: digest,
        account: owner.account,
        salt: owner.salt,
        index,
        base: `${row.base}`,
        haircut: `${row.haircut}`,
        path: inclusionPath(levels, index).map((n) => ({
          hash: bytesToHex(n.hash),
          base: `${n.base}`,
          haircut: `${n.haircut}`,
        })),
      };
      changeProof(p);
      return JSON.stringify(p);
    },
  };
}

function csv(rows: readonly Row[]): Uint8Array {
  return enc.encode(
    "account_key,base,haircut\n" + rows.map((r) => `${bytesToHex(r.key)},${r.base},${r.haircut}\n`).join(""),
  );
}

function copyRows(): Row[] {
  return ROWS.map((r) => ({ ...r }));
}

async function codesOf(input: { envelope: string; leaves: Uint8Array }, previous?: string): Promise<ErrorCode[]> {
  const report = await verifyPublication(input, KEYS, previous === undefined ? {} : { previous });
  return [...new Set(report.errors.map((f) => f.code))].sort();
}

function proofCodes(proof: string, envelope: string = ENVELOPE): ErrorCode[] {
  return [...new Set(verifyProof({ proof, envelope }, KEYS).errors.map((f) => f.code))].sort();
}

function editProof(text: string, change: (p: Record<string, unknown>) => void): string {
  const p = JSON.parse(text);
  change(p);
  return JSON.stringify(p);
}

Deno.test("attack: the unforged example and a faithful re-forge both verify (baseline)", async () => {
  assert.deepEqual(await codesOf({ envelope: ENVELOPE, leaves: enc.encode(LEAVES) }), []);
  const same = forge(ROWS);
  assert.deepEqual(await codesOf(same), []);
  assert.deepEqual(proofCodes(same.proof(ALICE), same.envelope), []);
});

Deno.test("attack: Maxwell sum-tree flaw (eprint 2018/1139): shifting sums between siblings changes the root", () => {
  // Unit: with both children's sums hashed, the same total split differently is a different node.
  const a = sumLeaf(ROWS[0].key, 100n, 10n);
  const b = sumLeaf(ROWS[1].key, 100n, 10n);
  const shifted = sumNode({ ...a, haircut: a.haircut - 1n }, { ...b, haircut: b.haircut + 1n });
  assert.notEqual(bytesToHex(shifted.hash), bytesToHex(sumNode(a, b).hash));
  assert.equal(shifted.haircut, sumNode(a, b).haircut, "same total");
  // The attack on a trader: alice is shown a smaller charge, the difference hidden in her sibling's sum.
  const hidden = editProof(PROOFS[ALICE], (p) => {
    p.haircut = `${BigInt(p.haircut as string) - 1000n}`;
    const sibling = (p.path as { haircut: string }[])[0];
    sibling.haircut = `${BigInt(sibling.haircut) + 1000n}`;
  });
  assert.deepEqual(proofCodes(hidden), ["HAIRCUT_MISMATCH", "PROOF_ROOT_MISMATCH"]);
  // And a sibling whose sums understate what is below it (Maxwell's max() trick) does not hash to the root.
  const understated = editProof(PROOFS[ALICE], (p) => void ((p.path as { base: string }[])[2].base = "0"));
  assert.deepEqual(proofCodes(understated), ["PROOF_ROOT_MISMATCH"]);
});

Deno.test("attack: negative amounts and 2^128 wrap-around (Broken Proofs of Solvency) are rejected", async () => {
  const negative = LEAVES.replace(",123456,14323\n", ",-123456,14323\n");
  assert.ok((await codesOf({ envelope: ENVELOPE, leaves: enc.encode(negative) })).includes("LEAF_INVALID"));
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void (p.base = "-750000"))), ["PROOF_INVALID"]);
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void ((p.path as { base: string }[])[0].base = "-1"))), [
    "PROOF_INVALID",
  ]);
  // Two huge bases whose sum wraps modulo 2^128 to the honest total: refused, the sum may not reach 2^128.
  const rows = copyRows();
  rows[0].base = (1n << 128n) - 1n;
  rows[1].base = ROWS[0].base + ROWS[1].base + 1n;
  const leaves = csv(rows);
  const report = await verifyPublication({ envelope: ENVELOPE, leaves }, KEYS);
  assert.ok(
    report.errors.some((f) => f.code === "TOTAL_MISMATCH" && /2\^128/.test(f.message)),
    JSON.stringify(report.errors),
  );
  // The same wrap inside a proof's path.
  const wrapped = editProof(
    PROOFS[ALICE],
    (p) => void ((p.path as { base: string }[])[2].base = `${(1n << 128n) - 1n}`),
  );
  const r = verifyProof({ proof: wrapped, envelope: ENVELOPE }, KEYS);
  assert.ok(r.errors.some((f) => f.code === "PROOF_INVALID" && /2\^128/.test(f.message)), JSON.stringify(r.errors));
});

Deno.test("attack: truncated hashes (Broken Proofs of Solvency) are rejected everywhere", async () => {
  const shortHash = editProof(PROOFS[ALICE], (p) => {
    const node = (p.path as { hash: string }[])[0];
    node.hash = node.hash.slice(0, 32);
  });
  assert.deepEqual(proofCodes(shortHash), ["PROOF_INVALID"]);
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void (p.salt = (p.salt as string).slice(0, 16)))), [
    "PROOF_INVALID",
  ]);
  const truncatedRoot = forge(ROWS, (s) => {
    const tree = s.tree as Record<string, JsonValue>;
    tree.root = (tree.root as string).slice(0, 40);
  });
  assert.deepEqual(await codesOf(truncatedRoot), ["STATEMENT_INVALID"]);
  const shortKey = LEAVES.replace(/\n([0-9a-f]{64}),/, (_, k) => `\n${k.slice(0, 40)},`);
  assert.ok((await codesOf({ envelope: ENVELOPE, leaves: enc.encode(shortKey) })).includes("LEAF_INVALID"));
});

Deno.test("attack: non-unique ids (Broken Proofs of Solvency): two traders cannot share one leaf", async () => {
  // The account id is inside the account key: alice's leaf does not verify as bob's.
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void (p.account = "bob"))), ["PROOF_ROOT_MISMATCH"]);
  // Nor does her leaf with bob's salt.
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void (p.salt = OWNERS[2].salt))), [
    "PROOF_ROOT_MISMATCH",
  ]);
  // A venue that shows two traders one leaf must list it twice: strictly ascending keys forbid that.
  const rows = copyRows();
  rows.splice(7, 0, { ...rows[6] }); // erin's leaf twice, the allocation redone so that everything else holds
  const haircuts = allocate(rows.map((r) => r.base), BigInt(JSON.parse(PAYLOAD).target), {
    rounding: "largest-remainder",
  });
  rows.forEach((r, i) => (r.haircut = haircuts[i]));
  const twice = forge(rows);
  const report = await verifyPublication(twice, KEYS);
  assert.deepEqual(report.errors.map((f) => f.code), ["LEAF_ORDER"]);
  assert.match(report.errors[0].message, /duplicate account/);
});

Deno.test("attack: duplicated last node (CVE-2012-2459) cannot make two leaf lists share a root", async () => {
  const leaves = ROWS.map((r) => sumLeaf(r.key, r.base, r.haircut));
  const three = treeRoot(leaves.slice(0, 3), sumHasher);
  const threePadded = treeRoot([...leaves.slice(0, 3), leaves[2]], sumHasher);
  assert.notEqual(bytesToHex(three.hash), bytesToHex(threePadded.hash), "no implicit duplication of an odd node");
  // The last row repeated against the honest statement.
  const last = LEAVES.trim().split("\n").at(-1);
  const codes = await codesOf({ envelope: ENVELOPE, leaves: enc.encode(LEAVES + last + "\n") });
  for (const c of ["LEAF_ORDER", "LEAF_COUNT_MISMATCH", "ROOT_MISMATCH"] as const) assert.ok(codes.includes(c), c);
});

Deno.test("attack: leaf/node second preimage: an interior node cannot pass as a leaf, nor a leaf as a node", () => {
  const a = sumLeaf(ROWS[6].key, ROWS[6].base, ROWS[6].haircut);
  const b = sumLeaf(ROWS[7].key, ROWS[7].base, ROWS[7].haircut);
  const node = sumNode(a, b);
  // Domain separation: 0x00 leaf || 65-byte body, 0x01 node || 129-byte body.
  assert.notEqual(bytesToHex(sumLeaf(node.hash, node.base, node.haircut).hash), bytesToHex(node.hash));
  // Presenting the parent of leaves 6 and 7 as "the leaf" means dropping the first path node: the proof length
  // for leaf 7 of 8 is fixed at 3, so a shorter (or longer) path is refused before any hashing.
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void (p.path = (p.path as unknown[]).slice(1)))), [
    "PROOF_INVALID",
  ]);
  assert.deepEqual(
    proofCodes(editProof(PROOFS[ALICE], (p) => void (p.path = [...(p.path as unknown[]), (p.path as unknown[])[0]]))),
    ["PROOF_INVALID"],
  );
  assert.deepEqual(proofCodes(editProof(PROOFS[ALICE], (p) => void (p.index = 3))), ["PROOF_ROOT_MISMATCH"]);
});

Deno.test("attack: non-canonical JSON in a signed statement is NON_CANONICAL", async () => {
  const signed = (text: string): { envelope: string; leaves: Uint8Array } => ({
    envelope: envelopeToJson(signEnvelope(enc.encode(text), SIGNERS)),
    leaves: enc.encode(LEAVES),
  });
  const s = JSON.parse(PAYLOAD);
  const variants = [
    JSON.stringify(s, null, 2), // whitespace
    JSON.stringify({ venue: s.venue, ...s }), // key order
    PAYLOAD.replace('"USDT"', '"\\u0055SDT"'), // an escape for a plain character
    PAYLOAD.replace('"asset":"USDT"', '"asset":"USDT","asset":"USDT"'), // duplicate key
    PAYLOAD + "\n", // trailing bytes
    "\ufeff" + PAYLOAD, // BOM
  ];
  for (const v of variants) {
    assert.deepEqual(await codesOf(signed(v)), ["NON_CANONICAL"], JSON.stringify(v.slice(0, 40)));
  }
});

Deno.test("attack: signature malleability (high-S ECDSA, non-canonical Ed25519 S, base64 padding bits) is rejected", async () => {
  const env = JSON.parse(ENVELOPE);
  const secpIndex = env.signatures.findIndex((s: { keyid: string }) =>
    KEYS.keys.find((k) => k.keyid === s.keyid)?.algorithm === "secp256k1"
  );
  const edIndex = 1 - secpIndex;
  const sig = (i: number): Uint8Array => Uint8Array.from(atob(env.signatures[i].sig), (c) => c.charCodeAt(0));
  const withSig = (i: number, bytes: Uint8Array): string => {
    const copy = structuredClone(env);
    copy.signatures[i].sig = bytesToBase64(bytes);
    return JSON.stringify(copy);
  };
  // ECDSA: (r, s) -> (r, n - s) is the same signature mathematically; the low-S rule refuses the twin.
  const ecdsa = sig(secpIndex);
  const s = BigInt("0x" + bytesToHex(ecdsa.subarray(32)));
  const twin = new Uint8Array(64);
  twin.set(ecdsa.subarray(0, 32));
  twin.set(hexToBytes((SECP256K1_ORDER - s).toString(16).padStart(64, "0"), 32), 32);
  assert.deepEqual(await codesOf({ envelope: withSig(secpIndex, twin), leaves: enc.encode(LEAVES) }), [
    "SIGNATURE_INVALID",
    "SIGNATURE_THRESHOLD",
  ]);
  // Ed25519: S + L verifies under lax (non-RFC 8032) checks; strict verification refuses it.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const ed = sig(edIndex);
  let sLe = 0n;
  for (let i = 63; i >= 32; i--) sLe = (sLe << 8n) | BigInt(ed[i]);
  const bumped = ed.slice();
  let v = sLe + L;
  for (let i = 32; i < 64; i++, v >>= 8n) bumped[i] = Number(v & 0xffn);
  assert.deepEqual(await codesOf({ envelope: withSig(edIndex, bumped), leaves: enc.encode(LEAVES) }), [
    "SIGNATURE_INVALID",
    "SIGNATURE_THRESHOLD",
  ]);
  // The same signature bytes with non-zero base64 padding bits: refused as an envelope.
  const copy = structuredClone(env);
  copy.signatures[edIndex].sig = copy.signatures[edIndex].sig.replace(/(.)==$/, (_: string, c: string) => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    return alphabet[alphabet.indexOf(c) + 1] + "==";
  });
  assert.deepEqual(await codesOf({ envelope: JSON.stringify(copy), leaves: enc.encode(LEAVES) }), ["ENVELOPE_INVALID"]);
});

Deno.test("attack: the same trusted signature twice, or an untrusted key, does not meet the threshold", async () => {
  const env = JSON.parse(ENVELOPE);
  const doubled = { ...env, signatures: [env.signatures[0], env.signatures[0]] };
  assert.deepEqual(await codesOf({ envelope: JSON.stringify(doubled), leaves: enc.encode(LEAVES) }), [
    "SIGNATURE_THRESHOLD",
  ]);
  // An attacker's key, claiming a trusted keyid: the keyid written in the envelope is never trusted.
  const attacker = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(9));
  const forged = signEnvelope(enc.encode(PAYLOAD), [attacker, attacker]);
  forged.signatures = forged.signatures.map((s, i) => ({ ...s, keyid: KEYS.keys[i].keyid }));
  assert.deepEqual(await codesOf({ envelope: envelopeToJson(forged), leaves: enc.encode(LEAVES) }), [
    "SIGNATURE_INVALID",
    "SIGNATURE_THRESHOLD",
  ]);
  const changedType = { ...env, payloadType: "application/json" };
  assert.deepEqual(await codesOf({ envelope: JSON.stringify(changedType), leaves: enc.encode(LEAVES) }), [
    "PAYLOAD_TYPE",
  ]);
});

Deno.test("attack: socializing while the insurance fund still has money is ARITHMETIC", async () => {
  // The venue keeps 500000 of the fund and claws back 500000 more, allocated exactly pro rata.
  const s = JSON.parse(PAYLOAD);
  const used = BigInt(s.insuranceUsed) - 500000n;
  const shortfall = BigInt(s.deficit) - used;
  const rows = copyRows();
  const haircuts = allocate(rows.map((r) => r.base), shortfall, { rounding: "largest-remainder" });
  rows.forEach((r, i) => (r.haircut = haircuts[i]));
  const greedy = forge(rows, (st) => {
    st.insuranceUsed = `${used}`;
    st.shortfall = `${shortfall}`;
    st.target = `${shortfall}`;
    st.uncovered = "0";
  });
  const report = await verifyPublication(greedy, KEYS);
  assert.deepEqual(report.errors.map((f) => f.code), ["ARITHMETIC"]);
  assert.match(report.errors[0].message, /the insurance fund must be used first/);
  // The trader sees it too: the statement's arithmetic is part of every proof check.
  assert.deepEqual(proofCodes(greedy.proof(ALICE), greedy.envelope), ["ARITHMETIC"]);
});

Deno.test("attack: rounding games: rounding every share up, or handing the spare units to friends", async () => {
  const s = JSON.parse(PAYLOAD);
  const T = BigInt(s.target);
  const P = BigInt(s.tree.totalBase);
  // Per-account rounding up (Crypto.com's 10,000.01): collects more than T.
  const up = copyRows();
  for (const r of up) {
    const { q, r: rem } = share(r.base, { target: T, totalBase: P });
    r.haircut = rem > 0n ? q + 1n : q;
  }
  const ceil = forge(up);
  const ceilCodes = await codesOf(ceil);
  assert.ok(ceilCodes.includes("ARITHMETIC") && ceilCodes.includes("HAIRCUT_MISMATCH"), ceilCodes.join());
  // The spare unit moved from a large remainder to a smaller one (same total): ROUNDING_ORDER.
  const rem = ROWS.map((r) => share(r.base, { target: T, totalBase: P }));
  const ups = ROWS.map((r, i) => r.haircut === rem[i].q + 1n);
  const giver = ups.findIndex((u, i) => u && !ups.some((v, j) => v && rem[j].r < rem[i].r)); // strongest +1
  const taker = ROWS.findIndex((_, j) => !ups[j] && rem[j].r > 0n && rem[j].r < rem[giver].r);
  assert.ok(giver >= 0 && taker >= 0, "the example has a unit to move");
  const favoured = copyRows();
  favoured[giver].haircut -= 1n;
  favoured[taker].haircut += 1n;
  const moved = forge(favoured);
  assert.deepEqual(await codesOf(moved), ["ROUNDING_ORDER"]);
  // The trader who lost out cannot see the ranking, but a trader overcharged by 2 units can.
  const over = copyRows();
  over[ALICE].haircut += 2n;
  over[0].haircut -= 2n;
  const overForged = forge(over);
  assert.deepEqual(proofCodes(overForged.proof(ALICE), overForged.envelope), ["HAIRCUT_MISMATCH"]);
  // Under floor, any +1 is a mismatch.
  const floorRows = copyRows();
  for (const r of floorRows) r.haircut = share(r.base, { target: T, totalBase: P }).q;
  floorRows[ALICE].haircut += 1n;
  const floor = forge(floorRows, (st) => void ((st.policy as Record<string, JsonValue>).rounding = "floor"));
  assert.deepEqual(await codesOf(floor), ["HAIRCUT_MISMATCH"]);
  assert.deepEqual(proofCodes(floor.proof(ALICE), floor.envelope), ["HAIRCUT_MISMATCH"]);
});

Deno.test("attack: a haircut above the base is HAIRCUT_EXCEEDS_BASE", async () => {
  const rows = copyRows();
  rows[4].haircut = 2n; // grace: base 1
  rows[0].haircut -= 2n;
  const forged = forge(rows);
  assert.ok((await codesOf(forged)).includes("HAIRCUT_EXCEEDS_BASE"));
  assert.ok(proofCodes(forged.proof(4), forged.envelope).includes("HAIRCUT_EXCEEDS_BASE"));
});

Deno.test("attack: an omitted winner is caught only by that winner's own proof", async () => {
  // bob (leaf 2) is left out and his share spread over the others: the publication is self-consistent.
  const rows = copyRows().filter((_, i) => i !== 2);
  const haircuts = allocate(rows.map((r) => r.base), BigInt(JSON.parse(PAYLOAD).target), {
    rounding: "largest-remainder",
  });
  rows.forEach((r, i) => (r.haircut = haircuts[i]));
  const withoutBob = forge(rows);
  assert.deepEqual(await codesOf(withoutBob), [], "no verifier can see a missing row");
  // Bob's proof from the honest publication does not belong to this statement (and is checked no further)...
  assert.deepEqual(proofCodes(PROOFS[2], withoutBob.envelope), ["STATEMENT_DIGEST_MISMATCH"]);
  // ...and even made to name it, his leaf is not in its tree.
  const renamed = editProof(PROOFS[2], (p) => void (p.statement = withoutBob.digest));
  assert.ok(proofCodes(renamed, withoutBob.envelope).includes("PROOF_ROOT_MISMATCH"));
  // ...and no proof the venue could hand bob for this tree exists: his key is not a leaf.
  const bobKey = bytesToHex(accountKey(hexToBytes(OWNERS[2].salt, 32), "bob"));
  assert.ok(!new TextDecoder().decode(withoutBob.leaves).includes(bobKey));
});

Deno.test("attack: a split view is caught only by comparing statement digests or following the chain", async () => {
  // Two statements for one event, both validly signed: each verifies alone.
  const viewA = forge(ROWS, (s) => void (s.venue = "Example Exchange"));
  const viewB = forge(ROWS, (s) => void (s.snapshotTime = "2026-11-03T09:00:00Z"));
  assert.deepEqual(await codesOf(viewA), []);
  assert.deepEqual(await codesOf(viewB), []);
  assert.notEqual(viewA.digest, viewB.digest, "comparing digests reveals the split");
  // A proof names its statement's digest, so a trader shown view A cannot be checked against view B.
  assert.deepEqual(proofCodes(viewA.proof(ALICE), viewB.envelope), ["STATEMENT_DIGEST_MISMATCH"]);
  // The next event links to one of them; given the other as the predecessor, the chain breaks.
  const next = forge(ROWS, (s) => {
    s.event = "2026-11-10/ETH-PERP";
    s.previous = viewA.digest;
  });
  assert.deepEqual(await codesOf(next, viewA.envelope), []);
  assert.deepEqual(await codesOf(next, viewB.envelope), ["CHAIN_BROKEN"]);
});

Deno.test("attack: a proof replayed against another statement is STATEMENT_DIGEST_MISMATCH", () => {
  const other = forge(ROWS, (s) => void (s.event = "2026-12-01/BTC-PERP"));
  assert.deepEqual(proofCodes(PROOFS[ALICE], other.envelope), ["STATEMENT_DIGEST_MISMATCH"]);
});

Deno.test("attack: hostile input never crashes or hangs the verifier (see limits_test.ts and fuzz_test.ts)", async () => {
  // A smoke test of the worst shapes; the limits and the fuzzer cover the rest.
  const hostile = ["", "{", "[".repeat(1e5), '{"__proto__":{}}', "\u0000".repeat(1000), "9".repeat(1e5)];
  for (const text of hostile) {
    const proof = verifyProof({ proof: text, envelope: ENVELOPE }, KEYS);
    assert.equal(proof.ok, false);
    const pub = await verifyPublication({ envelope: text, leaves: enc.encode(text) }, KEYS);
    assert.equal(pub.ok, false);
  }
  const leaves: SumNode[] = [];
  assert.throws(() => treeRoot(leaves, sumHasher), "an empty tree is invalid");
});
