/**
 * The event module (src/publish/event.ts): the amounts an event implies and
 * the statement signStatement composes, checks and signs. parseEventFile's
 * cases are in publish_test.ts.
 */

import assert from "node:assert/strict";
import { eventAmounts, type EventSpec, signStatement } from "../src/publish/event.ts";
import { InputError, pae, parseKeysFile, PAYLOAD_TYPE, payloadDigest } from "../mod.ts";
import { keysFileJson } from "../publish.ts";
import { sumLeaf } from "../tree.ts";
import { bytesToHex } from "../src/core/encoding.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { verifySignature } from "../src/format/signature.ts";
import { statementBytes } from "../src/format/statement.ts";
import { parseEventFile } from "../src/publish/event.ts";

const EVENT: EventSpec = parseEventFile(
  Deno.readTextFileSync(new URL("../fixtures/example/input/event.json", import.meta.url)),
);

Deno.test("eventAmounts: the fund is used first, and the target is capped by the total base and the cap", () => {
  assert.deepEqual(eventAmounts(EVENT, 9000000n), { insuranceUsed: 1200000n, shortfall: 1300000n, target: 1300000n });
  assert.deepEqual(eventAmounts(EVENT, 500000n), { insuranceUsed: 1200000n, shortfall: 1300000n, target: 500000n });
  assert.deepEqual(eventAmounts({ ...EVENT, insuranceFund: 3000000n }, 9000000n), {
    insuranceUsed: 2500000n,
    shortfall: 0n,
    target: 0n,
  });
  const capped = { ...EVENT, policy: { ...EVENT.policy, cap: { num: 1n, den: 20n } } };
  assert.equal(eventAmounts(capped, 10000019n).target, 500000n);
});

Deno.test("signStatement: the statement of a root, its digest, and signatures over the PAE", () => {
  const signer = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(9));
  const root = sumLeaf(new Uint8Array(32).fill(1), 9000000n, 1299999n);
  const signed = signStatement({ event: EVENT, root, leafCount: 1 }, [signer]);
  const s = signed.statement;
  assert.deepEqual(
    [s.insuranceUsed, s.shortfall, s.target, s.uncovered, s.tree.totalBase, s.tree.totalHaircut],
    [1200000n, 1300000n, 1300000n, 1n, 9000000n, 1299999n],
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

Deno.test("parseEventFile: snapshotTime and previous are checked, each with its message", () => {
  const base = JSON.parse(Deno.readTextFileSync(new URL("../fixtures/example/input/event.json", import.meta.url)));
  const parse = (change: Record<string, unknown>) => parseEventFile(JSON.stringify({ ...base, ...change }));
  const rejects = (change: Record<string, unknown>, message: string) =>
    assert.throws(
      () => parse(change),
      (e: Error) => e instanceof InputError && e.message === `event file: ${message}`,
      JSON.stringify(change),
    );
  const time = "snapshotTime must be an RFC 3339 UTC time like 2026-11-03T08:00:00Z";
  for (const snapshotTime of [5, null, "2026-11-03", "2026-02-30T08:00:00Z", "2026-11-03T08:00:00+01:00"]) {
    rejects({ snapshotTime }, time);
  }
  const prev = "previous must be null or 64 lowercase hex digits";
  for (const previous of [5, "ab", "A".repeat(64), "g".repeat(64), true]) rejects({ previous }, prev);
  assert.equal(parse({}).previous, null);
  assert.equal(parse({ previous: null }).previous, null);
  assert.equal(parse({ previous: "ab".repeat(32) }).previous, "ab".repeat(32));
  assert.equal(parse({ snapshotTime: "2028-02-29T23:59:60Z" }).snapshotTime, "2028-02-29T23:59:60Z");
});
