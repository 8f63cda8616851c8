/**
 * The publisher engine (src/publish/_engine.ts): the main tree's rows and
 * proofs verify, proofs can be selected, a tree without levels refuses
 * proofs, the total is checked before anything else, and a second kind of
 * tree (another accounts format, salt domain, leaves header and proof
 * layout) runs through the same code.
 */

import assert from "node:assert/strict";
import { type AccountsFormat, readAccountsSync } from "../src/publish/_accounts.ts";
import {
  mainHaircuts,
  preparePublication,
  PublishedTree,
  requireTotalBelowLimit,
  saltDeriverFor,
  SUM_TREE,
  type TreeSpec,
} from "../src/publish/_engine.ts";
import { allocate, InputError, parseKeysFile, verifyProof, verifyPublication } from "../mod.ts";
import { keysFileJson } from "../publish.ts";
import { sumHasher, sumLeaf, treeRoot } from "../tree.ts";
import { bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { parseEventFile } from "../src/publish/event.ts";

const enc = new TextEncoder();
const EVENT = parseEventFile(Deno.readTextFileSync(new URL("../fixtures/example/input/event.json", import.meta.url)));
const SIGNERS = [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(3))];
const SECRET = enc.encode("engine-test-secret");

function accountsCsv(n: number): Uint8Array {
  const lines = ["account,base"];
  for (let i = 0; i < n; i++) lines.push(`u${i},${(i * 7919) % 100000}`);
  return enc.encode(lines.join("\n") + "\n");
}

function mainAccounts(n: number) {
  const deriver = saltDeriverFor(SUM_TREE, { secret: SECRET, event: EVENT.event });
  return readAccountsSync(accountsCsv(n), SUM_TREE.accounts, deriver);
}

Deno.test("preparePublication: rows make a leaves.csv that verifies, and every proof verifies", async () => {
  const accounts = mainAccounts(37);
  const { tree, signed } = preparePublication({ accounts, event: EVENT }, SIGNERS, { keepLevels: true });
  assert.equal(signed.statement.tree.leafCount, 37);
  assert.deepEqual(tree.haircuts, allocate(accounts.bases, signed.statement.target, { rounding: "largest-remainder" }));
  const leaves = SUM_TREE.leaves.header + "\n" + [...tree.rows()].join("");
  const keys = parseKeysFile(keysFileJson(SIGNERS));
  const envelope = envelopeToJson(signed.envelope);
  const report = await verifyPublication({ envelope, leaves: enc.encode(leaves) }, keys);
  assert.equal(report.ok, true, JSON.stringify(report.errors));
  const proofs = [...tree.proofs(signed.digest, { style: "compact" })];
  assert.deepEqual(proofs.map((p) => p.index), Array.from({ length: 37 }, (_, i) => i));
  for (const p of proofs) {
    const r = verifyProof({ proof: p.json, envelope }, keys);
    assert.equal(r.ok, true, p.account);
    assert.equal(r.proof?.account, p.account);
    assert.equal(bytesToHex(hexToBytes(tree.key(p.index))), leaves.split("\n")[p.index + 1].split(",")[0]);
  }
});

Deno.test("PublishedTree: proofFor selects leaves; pretty and compact carry the same proof", () => {
  const accounts = mainAccounts(10);
  const { tree, signed } = preparePublication({ accounts, event: EVENT }, SIGNERS, { keepLevels: true });
  const picked = [...tree.proofs(signed.digest, { style: "pretty", proofFor: (i) => i % 4 === 1 })];
  assert.deepEqual(picked.map((p) => p.index), [1, 5, 9]);
  const compact = [...tree.proofs(signed.digest, { style: "compact", proofFor: (i) => i % 4 === 1 })];
  compact.forEach((c, k) => assert.deepEqual(JSON.parse(c.json), JSON.parse(picked[k].json)));
  assert.match(picked[0].json, /^\{\n {2}"type": "socialized-loss\/proof\/v1",\n/);
  assert.equal(compact[0].json.split("\n").length, 2);
});

Deno.test("PublishedTree: without levels it has the same root and refuses proofs", () => {
  const accounts = mainAccounts(10);
  const full = preparePublication({ accounts, event: EVENT }, SIGNERS, { keepLevels: true });
  const bare = preparePublication({ accounts, event: EVENT }, SIGNERS, { keepLevels: false });
  assert.equal(bare.signed.digest, full.signed.digest);
  assert.throws(() => [...bare.tree.proofs(bare.signed.digest, { style: "compact" })], /without its levels/);
});

Deno.test("requireTotalBelowLimit and mainHaircuts", () => {
  requireTotalBelowLimit(SUM_TREE, { total: (1n << 128n) - 1n });
  assert.throws(
    () => requireTotalBelowLimit(SUM_TREE, { total: 1n << 128n }),
    (e: unknown) => e instanceof InputError && e.message === `the bases add up to ${1n << 128n}, which reaches 2^128`,
  );
  assert.deepEqual(mainHaircuts(EVENT, { bases: [1n, 1n, 1n], total: 3n }), [1n, 1n, 1n]);
  assert.deepEqual(mainHaircuts({ ...EVENT, deficit: 2n, insuranceFund: 0n }, { bases: [1n, 1n, 1n], total: 3n }), [
    1n,
    1n,
    0n,
  ]);
});

/** A second tree kind, shaped as the deficit tree: losses, no haircuts, its own salt domain. */
const LOSSES: AccountsFormat = {
  file: "bankrupt-accounts.csv",
  header: "account,loss",
  amount: "loss",
  amounts: "losses",
  saltDomain: "deficit",
};
const LOSS_TREE: TreeSpec = {
  accounts: LOSSES,
  leaves: { header: "account_key,loss", row: (key, base) => `${key},${base}\n` },
  proof: { type: "socialized-loss/deficit-proof/v1", amounts: (base) => ({ loss: `${base}` }) },
};

Deno.test("a second kind of tree runs through the same engine with its own salts, rows and proofs", () => {
  const text = enc.encode("account,loss\nzed,500\nyan,1500\nu1,7\n");
  const deriver = saltDeriverFor(LOSS_TREE, { secret: SECRET, event: EVENT.event });
  const accounts = readAccountsSync(text, LOSSES, deriver);
  requireTotalBelowLimit(LOSS_TREE, accounts);
  const tree = new PublishedTree(LOSS_TREE, { accounts, haircuts: accounts.bases.map(() => 0n) }, { keepLevels: true });
  assert.equal(tree.root.base, 2007n);
  assert.equal(tree.root.haircut, 0n);
  const rows = [...tree.rows()];
  assert.deepEqual(rows.map((r) => r.split(",")[1]), accounts.bases.map((b) => `${b}\n`));
  const reference = rows.map((r) => sumLeaf(hexToBytes(r.split(",")[0], 32), BigInt(r.split(",")[1].trim()), 0n));
  assert.equal(bytesToHex(treeRoot(reference, sumHasher).hash), bytesToHex(tree.root.hash));
  const proofs = [...tree.proofs("00".repeat(32), { style: "compact" })].map((p) => JSON.parse(p.json));
  assert.deepEqual(Object.keys(proofs[0]), ["type", "statement", "account", "salt", "index", "loss", "path"]);
  assert.deepEqual(Object.keys(proofs[0].path[0]), ["hash", "loss"]);
  // The salt domain keeps the deficit leaf of u1 unlinkable to its main-tree leaf.
  const main = mainAccounts(2);
  const u1Main = Array.from(main.order).findIndex((k) => main.table.id(k) === "u1");
  const u1Loss = proofs.find((p) => p.account === "u1");
  assert.notEqual(u1Loss.salt, bytesToHex(main.table.salt(main.order[u1Main])));
});
