/**
 * The venue's event: `event.json` parsed into an {@linkcode EventSpec}, the
 * amounts it implies for a total base, and the signed statement it makes
 * for a built tree, the one place both publishers make their statement.
 *
 * @module
 */

import { computeTarget } from "../rules/allocation.ts";
import { automaticRate, type RateRounding } from "../rules/rate.ts";
import { parseAmount } from "../core/amount.ts";
import { type Envelope, signEnvelope } from "../format/dsse.ts";
import type { SigningKey } from "../format/keys.ts";
import { FormatError, InputError } from "../core/errors.ts";
import { asObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import {
  checkRateArithmetic,
  type DeficitTreeHead,
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
 * import assert from "node:assert/strict";
 * import { type EventSpec, parseEventFile } from "../../publish.ts";
 *
 * const event: EventSpec = parseEventFile(await Deno.readTextFile("fixtures/example/input/event.json"));
 * assert.equal(event.event, "2026-11-03/ETH-PERP");
 * assert.deepEqual([event.deficit, event.insuranceFund, event.previous], [2500000n, 1200000n, null]);
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
  /** The allocation policy; under a rate policy, the rate may be asked for as `{ decimals }` (v1.1). */
  policy: EventPolicy;
  /** The bankrupt accounts' negative equity; may be left out when the bankrupt accounts give it (v1.1). */
  deficit?: bigint;
  /** The insurance fund before the event. */
  insuranceFund: bigint;
  /** The digest of the venue's previous statement, or `null`. */
  previous: string | null;
}

/**
 * A policy as the venue gives it: a statement policy, or a rate policy whose
 * rate is the automatic one, the largest `num / 10^decimals` whose total
 * stays within the target (SPEC §8.4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type EventPolicy, parseEventFile } from "../../publish.ts";
 * const weekly: EventPolicy = { base: "profit", rounding: "rate-floor", cap: null, rate: { decimals: 4 } };
 * const event = parseEventFile(JSON.stringify({
 *   venue: "V", event: "E", asset: "BTC", decimals: 8, snapshotTime: "2018-08-03T08:00:00Z",
 *   policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { decimals: 4 } }, deficit: "1", insuranceFund: "0",
 * }));
 * assert.deepEqual(event.policy, weekly);
 * ```
 */
export type EventPolicy = Policy | AutomaticRatePolicy;

/**
 * A rate policy asking for the automatic rate at `rate.decimals` (0 to 18) digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AutomaticRatePolicy, buildPublication, parseEventFile } from "../../publish.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * const policy: AutomaticRatePolicy = { base: "equity", rounding: "rate-ceil", cap: { num: 1n, den: 4n }, rate: { decimals: 6 } };
 * const event = { ...parseEventFile(await Deno.readTextFile("fixtures/example/input/event.json")), policy };
 * const pub = buildPublication({ accounts: [{ account: "alice", base: 9_000_000n }], event }, [
 *   signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)),
 * ]);
 * assert.deepEqual(pub.statement.policy.rate, { num: 144444n, den: 1000000n }); // ceil(9,000,000 × r) <= 1,300,000
 * ```
 */
export interface AutomaticRatePolicy {
  /** What the haircut is taken from. */
  base: Policy["base"];
  /** How each haircut is rounded. */
  rounding: RateRounding;
  /** The cap, or `null`: the automatic rate never exceeds it. */
  cap: Policy["cap"];
  /** The precision of the rate: `den = 10^decimals`. */
  rate: { decimals: number };
}

/**
 * An event with everything a statement needs settled: the deficit, and the
 * exact policy (an automatic rate found).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile } from "../../publish.ts";
 * import { type SettledEvent, settleEvent } from "./event.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * const settled: SettledEvent = settleEvent({ ...event, deficit: undefined }, { bases: [5n], total: 5n, losses: 9n });
 * assert.equal(settled.deficit, 9n); // the bankrupt accounts' losses
 * ```
 */
export interface SettledEvent extends EventSpec {
  /** The exact policy the statement carries. */
  policy: Policy;
  /** The deficit. */
  deficit: bigint;
}

/**
 * The event as settled, or an error when it is not: its deficit must be
 * known, and an automatic rate found ({@linkcode settleEvent} does both).
 *
 * @throws {InputError} Naming what is not settled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile } from "../../publish.ts";
 * import { requireSettled } from "./event.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * assert.equal(requireSettled(event).deficit, 2500000n);
 * assert.throws(() => requireSettled({ ...event, deficit: undefined }), /deficit/);
 * ```
 */
export function requireSettled(event: EventSpec): SettledEvent {
  const deficit = settledDeficit(event);
  const policy = event.policy;
  if (policy.rate && "decimals" in policy.rate) {
    throw new InputError("event: the automatic rate { decimals } is found against the accounts (settleEvent) first");
  }
  return { ...event, policy: policy as Policy, deficit };
}

function settledDeficit(event: { deficit?: bigint }): bigint {
  if (event.deficit === undefined) {
    throw new InputError("event file: deficit is required unless the bankrupt accounts (--bankrupt) give it");
  }
  return event.deficit;
}

/**
 * Settles an event against its accounts: the deficit is the event's, or the
 * sum of the bankrupt accounts' losses (both given: they must agree), and an
 * automatic rate becomes the largest exact `{ num, den }` that fits (SPEC §8.4).
 *
 * @throws {InputError} When the deficit is missing or disagrees with the losses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile } from "../../publish.ts";
 * import { settleEvent } from "./event.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * const automatic = { ...event, policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { decimals: 4 } } } as const;
 * const settled = settleEvent(automatic, { bases: [11205005n], total: 11205005n });
 * assert.deepEqual(settled.policy.rate, { num: 1160n, den: 10000n }); // 11.60% of 112,050.05 collects 12,997.80 USDT
 * ```
 */
export function settleEvent(
  event: EventSpec,
  accounts: { bases: readonly bigint[]; total: bigint; losses?: bigint },
): SettledEvent {
  const { losses } = accounts;
  if (event.deficit === undefined && losses === undefined) {
    throw new InputError("event file: deficit is required unless the bankrupt accounts (--bankrupt) give it");
  }
  if (event.deficit !== undefined && losses !== undefined && event.deficit !== losses) {
    throw new InputError(
      `event file: deficit ${event.deficit} differs from the bankrupt accounts' losses, which add up to ${losses}`,
    );
  }
  const deficit = event.deficit ?? losses!;
  const policy = event.policy;
  if (!policy.rate || !("decimals" in policy.rate)) return { ...event, policy: policy as Policy, deficit };
  const { target } = eventAmounts({ ...event, deficit }, accounts.total);
  const rate = automaticRate(accounts.bases, target, {
    decimals: policy.rate.decimals,
    rounding: policy.rounding as RateRounding,
    cap: policy.cap,
  });
  return {
    ...event,
    policy: { base: policy.base, rounding: policy.rounding as RateRounding, cap: policy.cap, rate },
    deficit,
  };
}

/**
 * The amounts `publish` derives from the event and the total base:
 * `insuranceUsed = min(deficit, insuranceFund)`, `shortfall = deficit - insuranceUsed`
 * and `target = min(shortfall, cap ? floor(totalBase * num / den) : totalBase)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventFile } from "../../publish.ts";
 * import { eventAmounts } from "./event.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * assert.equal(eventAmounts(event, 11205005n).target, 1300000n);
 * ```
 */
export function eventAmounts(
  event: { deficit?: bigint; insuranceFund: bigint; policy: { cap: EventPolicy["cap"] } },
  totalBase: bigint,
): { insuranceUsed: bigint; shortfall: bigint; target: bigint } {
  const deficit = settledDeficit(event);
  const insuranceUsed = deficit < event.insuranceFund ? deficit : event.insuranceFund;
  const shortfall = deficit - insuranceUsed;
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
 * import { parseEventFile } from "../../publish.ts";
 * import { sumLeaf } from "../../tree.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * import { signStatement } from "./event.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * const root = sumLeaf(new Uint8Array(32), 2000000n, 1300000n);
 * const signed = signStatement({ event, root, leafCount: 1 }, [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1))]);
 * assert.equal(signed.statement.uncovered, 0n);
 * ```
 */
export function signStatement(
  tree: { event: EventSpec; root: SumNode; leafCount: number; deficitTree?: DeficitTreeHead },
  signers: readonly SigningKey[],
): { statement: Statement; payload: Uint8Array; digest: string; envelope: Envelope } {
  const { root, leafCount, deficitTree } = tree;
  const event = requireSettled(tree.event);
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
    ...(deficitTree ? { deficitTree } : {}),
    previous: event.previous,
  };
  // A rate the venue chose itself may collect more than the target, or exceed the cap (v1.1): refuse to sign it.
  const arithmetic = statement.policy.rate ? checkRateArithmetic(statement) : [];
  if (arithmetic.length > 0) throw new InputError(`event: ${arithmetic.map((f) => f.message).join("; ")}`);
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
 * import { parseEventFile } from "../../publish.ts";
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
  const required = ["venue", "event", "asset", "decimals", "snapshotTime", "policy", "insuranceFund"];
  const shape = objectShapeProblem(value, { required: required, optional: ["deficit", "previous"] });
  if (shape) bad(shape);
  const o = asObject(value);
  if (typeof o.snapshotTime !== "string" || !isUtcTimestamp(o.snapshotTime)) {
    bad("snapshotTime must be an RFC 3339 UTC time like 2026-11-03T08:00:00Z");
  }
  let policy: EventPolicy;
  try {
    policy = eventPolicyFromJson(o.policy);
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
    ...(o.deficit === undefined ? {} : { deficit: amount(o.deficit, "deficit") }),
    insuranceFund: amount(o.insuranceFund, "insuranceFund"),
    previous: previous as string | null,
  };
}

/** A statement policy, or a rate policy with `rate: { decimals }` (0 to 18) for the automatic rate. */
function eventPolicyFromJson(value: JsonValue): EventPolicy {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return policyFromJson(value);
  const rate = value.rate;
  const automatic = rate !== null && typeof rate === "object" && !Array.isArray(rate) &&
    Object.hasOwn(rate, "decimals");
  if (!automatic) return policyFromJson(value);
  const shape = objectShapeProblem(rate, { required: ["decimals"] });
  if (shape) throw new InputError(`policy.rate: ${shape} (give { num, den } or { decimals } alone)`);
  const decimals = rate.decimals;
  if (typeof decimals !== "number" || !Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new InputError(`policy.rate.decimals must be an integer from 0 to 18, got ${JSON.stringify(decimals)}`);
  }
  // The rest of the policy is checked as a statement's, with a placeholder exact rate: it accepts a rate only
  // with a rate rounding.
  const checked = policyFromJson({ ...value, rate: { num: "0", den: "1" } });
  if (!checked.rate) throw new InputError("policy.rate { decimals } needs a rate rounding");
  return { base: checked.base, rounding: checked.rounding, cap: checked.cap, rate: { decimals } };
}
