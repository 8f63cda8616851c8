/**
 * The event module (src/publish/event.ts): the amounts an event implies and
 * the statement signStatement composes, checks and signs. parseEventFile's
 * cases are in publish_test.ts.
 */

import assert from "node:assert/strict";
import { eventAmounts, type EventSpec, signStatement } from "../src/publish/event.ts";
import {
  bytesToHex,
  InputError,
  keysFileJson,
  pae,
  parseKeysFile,
  PAYLOAD_TYPE,
  payloadDigest,
  signingKeyFromSecret,
  statementBytes,
  sumLeaf,
  verifySignature,
} from "../mod.ts";

const EVENT: EventSpec = {
  venue: "Example Exchange",
  event: "2026-11-03/ETH-PERP",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-11-03T08:00:00Z",
  policy: { base: "profit", rounding: "largest-remainder", cap: null },
  deficit: 200000n,
  insuranceFund: 120000n,
  previous: null,
};

Deno.test("eventAmounts: the fund is used first, and the target is capped by the total base and the cap", () => {
  assert.deepEqual(eventAmounts(EVENT, 1000000n), { insuranceUsed: 120000n, shortfall: 80000n, target: 80000n });
  assert.deepEqual(eventAmounts(EVENT, 50000n), { insuranceUsed: 120000n, shortfall: 80000n, target: 50000n });
  assert.deepEqual(eventAmounts({ ...EVENT, insuranceFund: 300000n }, 1000000n), {
    insuranceUsed: 200000n,
    shortfall: 0n,
    target: 0n,
  });
  const capped = { ...EVENT, policy: { ...EVENT.policy, cap: { num: 1n, den: 20n } } };
  assert.equal(eventAmounts(capped, 1000001n).target, 50000n);
});

Deno.test("signStatement: the statement of a root, its digest, and signatures over the PAE", () => {
  const signer = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(9));
  const root = sumLeaf(new Uint8Array(32).fill(1), 1000000n, 79999n);
  const signed = signStatement({ event: EVENT, root, leafCount: 1 }, [signer]);
  const s = signed.statement;
  assert.deepEqual(
    [s.insuranceUsed, s.shortfall, s.target, s.uncovered, s.tree.totalBase, s.tree.totalHaircut],
    [120000n, 80000n, 80000n, 1n, 1000000n, 79999n],
  );
  assert.equal(bytesToHex(s.tree.root), bytesToHex(root.hash));
  assert.deepEqual(signed.payload, statementBytes(s));
  assert.equal(signed.digest, payloadDigest(signed.payload));
  assert.deepEqual(signed.envelope.payload, signed.payload);
  const [key] = parseKeysFile(keysFileJson([signer])).keys;
  const signature = signed.envelope.signatures[0].sig;
  assert.ok(verifySignature(key, { message: pae(PAYLOAD_TYPE, signed.payload), signature }));
});

Deno.test("signStatement: an event that makes an invalid statement is an InputError naming the field", () => {
  const root = sumLeaf(new Uint8Array(32), 1n, 0n);
  const signer = signingKeyFromSecret("ed25519", new Uint8Array(32));
  for (
    const [event, field] of [[{ ...EVENT, venue: "" }, "venue"], [{ ...EVENT, decimals: 39 }, "decimals"]] as const
  ) {
    assert.throws(
      () => signStatement({ event, root, leafCount: 1 }, [signer]),
      (e: unknown) => e instanceof InputError && e.message.startsWith("event: ") && e.message.includes(field),
    );
  }
});
