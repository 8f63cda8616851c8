/**
 * The rest of the verifier's per-leaf work, and a trader's proof check:
 * parsing `leaves.csv`, the allocation rule and its streaming checker, a
 * whole worker batch, memory allocation in Deno, and `verifyProof`.
 * `deno task bench`; BENCHMARKS.md records the figures.
 *
 * @module
 */

import { allocate, parseKeysFile, verifyProof } from "../mod.ts";
import { buildPublication } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { LeavesParser } from "../src/format/leaves.ts";
import { RoundingChecker } from "../src/rules/allocation.ts";
import { checkLeafBatch } from "../src/verify/_leaf_pass.ts";

// A publication of 2^15 accounts: one default worker batch.
const N = 1 << 15;
let x = 7;
const accounts = Array.from({ length: N }, (_, i) => {
  x = (x * 48271) % 2147483647;
  return { account: `acct${i}`, base: BigInt(x % 1_000_000_000) };
});
const pub = buildPublication(
  {
    accounts,
    event: {
      venue: "Bench Exchange",
      event: "bench",
      asset: "USDT",
      decimals: 2,
      snapshotTime: "2026-11-03T08:00:00Z",
      policy: { base: "profit", rounding: "largest-remainder", cap: null },
      deficit: 10n ** 13n,
      insuranceFund: 10n ** 12n,
      previous: null,
    },
  },
  [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1))],
  { saltSecret: new Uint8Array(32) },
);
const csv = new TextEncoder().encode(pub.leavesCsv);
const rows = csv.subarray(csv.indexOf(0x0a) + 1);
const { target, tree } = pub.statement;
const bases = accounts.map((a) => a.base);
const haircuts = allocate(bases, target, { rounding: "largest-remainder" });

Deno.bench({ name: `parse leaves.csv, ${N} rows, a fresh key per row`, group: "csv", baseline: true }, () => {
  const p = new LeavesParser({ row: () => {}, invalid: () => {} });
  p.push(csv);
  p.end();
});
Deno.bench({ name: `parse leaves.csv, ${N} rows, reuseKey`, group: "csv" }, () => {
  const p = new LeavesParser({ row: () => {}, invalid: () => {} }, { reuseKey: true });
  p.push(csv);
  p.end();
});

Deno.bench({ name: `allocate(): ${N} accounts, largest remainder`, group: "allocation" }, () => {
  allocate(bases, target, { rounding: "largest-remainder" });
});
Deno.bench({ name: `RoundingChecker.add over ${N} leaves, then finish()`, group: "allocation" }, () => {
  const c = new RoundingChecker({ target: target, totalBase: tree.totalBase, rounding: "largest-remainder" });
  for (let i = 0; i < N; i++) c.add(i, bases[i], haircuts[i]);
  if (c.finish().length > 0) throw new Error("the allocation does not check");
});

Deno.bench({ name: `checkLeafBatch: one worker batch of ${N} rows (parse, check, hash)`, group: "batch" }, () => {
  checkLeafBatch(rows, 2, { target, totalBase: tree.totalBase, rounding: "largest-remainder", maxFindings: 1000 });
});

Deno.bench({ name: "memory: new Uint8Array(32)", group: "memory", baseline: true }, () => {
  new Uint8Array(32);
});
const slab = new Uint8Array(1 << 16);
let at = 0;
Deno.bench({ name: "memory: subarray(32) of a preallocated buffer", group: "memory" }, () => {
  at = (at + 32) & 0xffff;
  slab.subarray(at, at + 32);
});
Deno.bench({ name: "memory: a plain object with two bigints", group: "memory" }, () => {
  ({ q: BigInt(at), r: 1n });
});

const fixture = new URL("../fixtures/example/", import.meta.url);
const keys = parseKeysFile(Deno.readTextFileSync(new URL("keys.json", fixture)));
const envelope = Deno.readTextFileSync(new URL("statement.dsse.json", fixture));
const proofName = [...Deno.readDirSync(new URL("proofs/", fixture))][0].name;
const proof = Deno.readTextFileSync(new URL(`proofs/${proofName}`, fixture));
const bigEnvelope = envelopeToJson(pub.envelope);
const bigKeys = parseKeysFile(pub.keysJson);
const bigProof = pub.proofs[N / 2].json;

Deno.bench({ name: "verifyProof: the example fixture (2 signatures, 3 path nodes)", group: "proof" }, () => {
  if (!verifyProof({ proof, envelope }, keys).ok) throw new Error("proof failed");
});
Deno.bench({ name: `verifyProof: ${N} leaves (1 signature, 15 path nodes)`, group: "proof" }, () => {
  if (!verifyProof({ proof: bigProof, envelope: bigEnvelope }, bigKeys).ok) throw new Error("proof failed");
});
