/**
 * The venue's event: `event.json` parsed into an {@linkcode EventSpec}, the
 * amounts it implies for a total base, and the signed statement it makes
 * for a built tree, the one place both publishers make their statement.
 *
 * @module
 */

import { computeTarget } from "../rules/allocation.ts";
import { parseAmount } from "../core/amount.ts";
import { type Envelope, signEnvelope } from "../format/dsse.ts";
import type { SigningKey } from "../format/keys.ts";
import { FormatError, InputError } from "../core/errors.ts";
import { asObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import {
  isUtcTimestamp,
  payloadDigest,
  type Policy,
  policyFromJson,
  type Statement,
  STATEMENT_TYPE,
  statementBytes,
  statementFromJson,
  statementToJson,
} from "../format/statement.ts";
import type { SumNode } from "../core/sum_tree.ts";

/**
 * The statement fields a venue chooses; `publish` computes the rest.
 *
 * @example
 * ```ts
 * import type { EventSpec } from "../../mod.ts";
 * const e: EventSpec = {
 *   venue: "Example Exchange", event: "2026-11-03/ETH-PERP", asset: "USDT", decimals: 2,
 *   snapshotTime: "2026-11-03T08:00:00Z",
 *   policy: { base: "profit", rounding: "largest-remainder", cap: null },
 *   deficit: 200000n, insuranceFund: 120000n, previous: null,
 * };
 * ```
 */
export interface EventSpec {
  /** The venue's name. */
  venue: string;
  /** The event's identifier. */
  event: string;
  /** The asset's symbol. */
  asset: string;
  /** The asset's decimals. */
  decimals: number;
  /** The snapshot time, RFC 3339 UTC. */
  snapshotTime: string;
  /** The allocation policy. */
  policy: Policy;
  /** The bankrupt accounts' negative equity. */
  deficit: bigint;
  /** The insurance fund before the event. */
  insuranceFund: bigint;
  /** The digest of the venue's previous statement, or `null`. */
  previous: string | null;
}

/**
 * The amounts `publish` derives from the event and the total base:
 * `insuranceUsed = min(deficit, insuranceFund)`, `shortfall = deficit - insuranceUsed`
 * and `target = min(shortfall, cap ? floor(totalBase * num / den) : totalBase)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventAmounts, parseEventFile } from "../../mod.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * assert.equal(eventAmounts(event, 11205005n).target, 1300000n);
 * ```
 */
export function eventAmounts(
  event: EventSpec,
  totalBase: bigint,
): { insuranceUsed: bigint; shortfall: bigint; target: bigint } {
  const insuranceUsed = event.deficit < event.insuranceFund ? event.deficit : event.insuranceFund;
  const shortfall = event.deficit - insuranceUsed;
  return {
    insuranceUsed,
    shortfall,
    target: computeTarget(shortfall, { totalBase: totalBase, cap: event.policy.cap }),
  };
}

/**
 * Composes the statement of a built tree, checks it as `verify` would, and
 * signs it: the one place both publishers make their statement.
 *
 * @throws {InputError} When the event makes an invalid statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile, signingKeyFromSecret, signStatement, sumLeaf } from "../../mod.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * const root = sumLeaf(new Uint8Array(32), 2000000n, 1300000n);
 * const signed = signStatement({ event, root, leafCount: 1 }, [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1))]);
 * assert.equal(signed.statement.uncovered, 0n);
 * ```
 */
export function signStatement(
  tree: { event: EventSpec; root: SumNode; leafCount: number },
  signers: readonly SigningKey[],
): { statement: Statement; payload: Uint8Array; digest: string; envelope: Envelope } {
  const { event, root, leafCount } = tree;
  const { insuranceUsed, shortfall, target } = eventAmounts(event, root.base);
  const statement: Statement = {
    type: STATEMENT_TYPE,
    venue: event.venue,
    event: event.event,
    asset: event.asset,
    decimals: event.decimals,
    snapshotTime: event.snapshotTime,
    policy: event.policy,
    deficit: event.deficit,
    insuranceFund: event.insuranceFund,
    insuranceUsed,
    shortfall,
    target,
    uncovered: shortfall - root.haircut,
    tree: { root: root.hash, leafCount, totalBase: root.base, totalHaircut: root.haircut },
    previous: event.previous,
  };
  // Round-trip through the validator: publish never emits what verify rejects.
  try {
    statementFromJson(statementToJson(statement));
  } catch (e) {
    if (e instanceof FormatError) throw new InputError(`event: ${e.message}`);
    throw e;
  }
  const payload = statementBytes(statement);
  return { statement, payload, digest: payloadDigest(payload), envelope: signEnvelope(payload, signers) };
}

/**
 * Parses `event.json`: `venue`, `event`, `asset`, `decimals`, `snapshotTime`,
 * `policy`, `deficit` and `insuranceFund`, plus an optional `previous`.
 *
 * @throws {InputError} Naming the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile } from "../../mod.ts";
 * assert.equal(parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json")).asset, "USDT");
 * ```
 */
export function parseEventFile(text: string): EventSpec {
  const bad = (message: string): never => {
    throw new InputError(`event file: ${message}`);
  };
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    return bad((e as Error).message);
  }
  const required = ["venue", "event", "asset", "decimals", "snapshotTime", "policy", "deficit", "insuranceFund"];
  const shape = objectShapeProblem(value, { required: required, optional: ["previous"] });
  if (shape) bad(shape);
  const o = asObject(value);
  if (typeof o.snapshotTime !== "string" || !isUtcTimestamp(o.snapshotTime)) {
    bad("snapshotTime must be an RFC 3339 UTC time like 2026-11-03T08:00:00Z");
  }
  let policy: Policy;
  try {
    policy = policyFromJson(o.policy);
  } catch (e) {
    return bad((e as Error).message.replace(/^statement /, ""));
  }
  const amount = (v: JsonValue, name: string): bigint => {
    try {
      return parseAmount(v as string);
    } catch (e) {
      return bad(`${name}: ${(e as Error).message}`);
    }
  };
  const previous = o.previous ?? null;
  if (previous !== null && (typeof previous !== "string" || !/^[0-9a-f]{64}$/.test(previous))) {
    bad("previous must be null or 64 lowercase hex digits");
  }
  for (const k of ["venue", "event", "asset"]) if (typeof o[k] !== "string") bad(`${k} must be a string`);
  if (typeof o.decimals !== "number") bad("decimals must be an integer");
  return {
    venue: o.venue as string,
    event: o.event as string,
    asset: o.asset as string,
    decimals: o.decimals as number,
    snapshotTime: o.snapshotTime as string,
    policy,
    deficit: amount(o.deficit, "deficit"),
    insuranceFund: amount(o.insuranceFund, "insuranceFund"),
    previous: previous as string | null,
  };
}
