/**
 * The statement a venue signs: its typed form, strict parsing of the signed
 * payload, canonical (RFC 8785) bytes, the digest, and the arithmetic.
 *
 * @module
 */

import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { type Cap, computeTarget, type Rounding } from "../rules/allocation.ts";
import { isRateRounding, type Rate, rateProblem, type RateRounding, rateWithinCap } from "../rules/rate.ts";
import { formatAmount, parseAmount } from "../core/amount.ts";
import { bytesToHex, hexToBytes, utf8 } from "../core/encoding.ts";
import { type ErrorCode, type Finding, FormatError } from "../core/errors.ts";
import { canonicalJson, type JsonObject, type JsonValue, parseJson } from "../core/_json.ts";

/**
 * The statement's `type` field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, STATEMENT_TYPE } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * assert.equal(parseStatementPayload(envelope.payload).type, STATEMENT_TYPE);
 * ```
 */
export const STATEMENT_TYPE = "socialized-loss/statement/v1";

/**
 * The largest leaf count a statement may declare: 2^32.
 */
export const MAX_LEAF_COUNT: number = 2 ** 32;

/**
 * The haircut base named by `policy.base`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type BaseKind, type Statement } from "../../mod.ts";
 *
 * const isProfit = (s: Pick<Statement, "policy">): boolean => s.policy.base === ("profit" satisfies BaseKind);
 * assert.equal(isProfit({ policy: { base: "equity", rounding: "floor", cap: null } }), false);
 * ```
 */
export type BaseKind = "profit" | "equity";

/**
 * The published allocation policy: a pro-rata rule on `T/P` (format v1.0),
 * or a rate the venue applies to every base with its own rounding (v1.1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, type Policy } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const policy: Policy = parseStatementPayload(envelope.payload).policy;
 * assert.deepEqual(policy, { base: "profit", rounding: "largest-remainder", cap: null });
 * ```
 */
export type Policy = ProRataPolicy | RatePolicy;

/**
 * A pro-rata policy of format v1.0: `T` is allocated over `P` by largest
 * remainder or floor; there is no `rate`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, type ProRataPolicy } from "../../mod.ts";
 * const dir = "fixtures/scenarios/cap-40";
 * const policy = parseStatementPayload(parseEnvelope(await Deno.readTextFile(`${dir}/statement.dsse.json`)).payload).policy;
 * const expected: ProRataPolicy = { base: "profit", rounding: "largest-remainder", cap: { num: 2n, den: 5n } };
 * assert.deepEqual(policy, expected);
 * ```
 */
export interface ProRataPolicy {
  /** What the haircut is taken from. */
  base: BaseKind;
  /** The rounding rule. */
  rounding: Rounding;
  /** The largest fraction of a base that may be taken, or `null`. */
  cap: Cap | null;
  /** Absent: only rate policies carry a rate. */
  rate?: undefined;
}

/**
 * A rate policy of format v1.1: every base pays `base * rate`, rounded as
 * `rounding` says, and the total may not exceed the target.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, type RatePolicy } from "../../mod.ts";
 * const dir = "fixtures/scenarios/cryptocom-six-winners-floor";
 * const policy = parseStatementPayload(parseEnvelope(await Deno.readTextFile(`${dir}/statement.dsse.json`)).payload).policy;
 * const expected: RatePolicy = { base: "profit", rounding: "rate-floor", cap: null, rate: { num: 10000n, den: 171000n } };
 * assert.deepEqual(policy, expected);
 * ```
 */
export interface RatePolicy {
  /** What the haircut is taken from. */
  base: BaseKind;
  /** How each haircut is rounded. */
  rounding: RateRounding;
  /** The largest fraction of a base that may be taken, or `null`; the rate may not exceed it. */
  cap: Cap | null;
  /** The rate, `0 <= num <= den`, `den > 0`. */
  rate: Rate;
}

/**
 * The commitment to the bankrupt accounts (format v1.1): a second sum tree
 * whose leaves carry each bankrupt account's loss as the base and 0 as the
 * haircut. `total` must equal the statement's `deficit`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type DeficitTreeHead, parseEnvelope, parseStatementPayload } from "../../mod.ts";
 * const dir = "fixtures/scenarios/mango-deposit-index-cut";
 * const s = parseStatementPayload(parseEnvelope(await Deno.readTextFile(`${dir}/statement.dsse.json`)).payload);
 * const head: DeficitTreeHead = s.deficitTree!;
 * assert.equal(head.leafCount, 2);
 * assert.equal(head.total, s.deficit); // 1,234,567.891235 USDC
 * ```
 */
export interface DeficitTreeHead {
  /** The root hash of the deficit tree. */
  root: Uint8Array;
  /** The number of bankrupt accounts. */
  leafCount: number;
  /** The sum of their losses. */
  total: bigint;
}

/**
 * The tree commitment inside a statement.
 *
 * @example The tree head of docs/SPEC.md section 13.6
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, type TreeHead } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/golden/statement.dsse.json"));
 * const tree: TreeHead = parseStatementPayload(envelope.payload).tree;
 * assert.equal(tree.root.toHex(), "7325b16fdcbaa634dc938eaff0a8bc74a1c41c671b5b8b9c0ce8083d591763c8");
 * assert.deepEqual([tree.leafCount, tree.totalBase, tree.totalHaircut], [5, 1156790n, 80000n]);
 * ```
 */
export interface TreeHead {
  /** The root hash. */
  root: Uint8Array;
  /** The number of leaves. */
  leafCount: number;
  /** The sum of every base (P). */
  totalBase: bigint;
  /** The sum of every haircut. */
  totalHaircut: bigint;
}

/**
 * A statement in typed form. Amounts are `bigint` in minor units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, parseStatementPayload, type Statement } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/golden/statement.dsse.json"));
 * const s: Statement = parseStatementPayload(envelope.payload);
 * assert.equal(s.event, "2026-11-03/ETH-PERP");
 * assert.equal(s.shortfall, s.deficit - s.insuranceUsed);
 * assert.equal(s.uncovered, s.shortfall - s.tree.totalHaircut);
 * assert.equal(s.previous, null);
 * ```
 */
export interface Statement {
  /** Always {@linkcode STATEMENT_TYPE}. */
  type: typeof STATEMENT_TYPE;
  /** The venue's name. */
  venue: string;
  /** The event's identifier. */
  event: string;
  /** The asset's symbol. */
  asset: string;
  /** The asset's decimals, for display only. */
  decimals: number;
  /** The snapshot time, RFC 3339 UTC. */
  snapshotTime: string;
  /** The allocation policy. */
  policy: Policy;
  /** The bankrupt accounts' negative equity. */
  deficit: bigint;
  /** The insurance fund before the event. */
  insuranceFund: bigint;
  /** `min(deficit, insuranceFund)`. */
  insuranceUsed: bigint;
  /** `deficit - insuranceUsed`. */
  shortfall: bigint;
  /** T: what is socialized. */
  target: bigint;
  /** `shortfall - totalHaircut`. */
  uncovered: bigint;
  /** The tree commitment. */
  tree: TreeHead;
  /** The commitment to the bankrupt accounts, when the venue makes one (v1.1). */
  deficitTree?: DeficitTreeHead;
  /** The digest of the venue's previous statement, or `null`. */
  previous: string | null;
}

const TOP_FIELDS = [
  "type",
  "venue",
  "event",
  "asset",
  "decimals",
  "snapshotTime",
  "policy",
  "deficit",
  "insuranceFund",
  "insuranceUsed",
  "shortfall",
  "target",
  "uncovered",
  "tree",
  "previous",
] as const;
/** Optional top-level fields (v1.1). */
const OPTIONAL_TOP_FIELDS = ["deficitTree"] as const;
const POLICY_FIELDS = ["base", "rounding", "cap"] as const;
/** Optional policy fields: `rate`, present exactly with the rate roundings (v1.1). */
const OPTIONAL_POLICY_FIELDS = ["rate"] as const;
const CAP_FIELDS = ["num", "den"] as const;
const TREE_FIELDS = ["root", "leafCount", "totalBase", "totalHaircut"] as const;
const DEFICIT_TREE_FIELDS = ["root", "leafCount", "total"] as const;

/**
 * Reads the signed payload bytes into a statement. They must be UTF-8 JSON
 * in exactly canonical form with no duplicate or unknown fields
 * (`NON_CANONICAL`), and every field must be valid (`STATEMENT_INVALID`).
 * The arithmetic is checked separately by {@linkcode checkArithmetic}.
 *
 * @throws {FormatError} With `NON_CANONICAL` or `STATEMENT_INVALID`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FormatError, parseEnvelope, parseStatementPayload } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const statement = parseStatementPayload(envelope.payload);
 * assert.equal(statement.venue, "Example Exchange");
 * assert.equal(statement.target, 1300000n);
 *
 * // The pretty-printed form of the same JSON is not the canonical payload.
 * const pretty = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(envelope.payload)), null, 2));
 * assert.throws(
 *   () => parseStatementPayload(pretty),
 *   (e) => e instanceof FormatError && e.finding.code === "NON_CANONICAL",
 * );
 * ```
 */
export function parseStatementPayload(bytes: Uint8Array): Statement {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError("STATEMENT_INVALID", "statement payload is not valid UTF-8");
  }
  // A byte order mark is an encoding artifact, not a different statement: the bytes are just not canonical.
  if (text.startsWith("\ufeff")) {
    throw new FormatError("NON_CANONICAL", "statement payload starts with a byte order mark (RFC 8785 has none)");
  }
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    const message = (e as Error).message;
    const code: ErrorCode = message.startsWith("duplicate key") ? "NON_CANONICAL" : "STATEMENT_INVALID";
    throw new FormatError(code, `statement payload: ${message}`);
  }
  rejectUnknownFields(value);
  if (canonicalJson(value) !== text) {
    throw new FormatError("NON_CANONICAL", "statement payload is not in RFC 8785 canonical form");
  }
  return statementFromJson(value);
}

function rejectUnknownFields(value: JsonValue): void {
  const check = (v: JsonValue | undefined, allowed: readonly string[], where: string): void => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return;
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) {
        throw new FormatError("NON_CANONICAL", `statement${where} has unknown field ${JSON.stringify(k)}`);
      }
    }
  };
  check(value, [...TOP_FIELDS, ...OPTIONAL_TOP_FIELDS], "");
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  check(value.policy, [...POLICY_FIELDS, ...OPTIONAL_POLICY_FIELDS], ".policy");
  const policy = value.policy;
  if (policy !== null && typeof policy === "object" && !Array.isArray(policy)) {
    check(policy.cap, CAP_FIELDS, ".policy.cap");
    check(policy.rate, CAP_FIELDS, ".policy.rate");
  }
  check(value.tree, TREE_FIELDS, ".tree");
  check(value.deficitTree, DEFICIT_TREE_FIELDS, ".deficitTree");
}

function invalid(message: string): never {
  throw new FormatError("STATEMENT_INVALID", `statement ${message}`);
}

function field(obj: JsonObject, key: string, where: string): JsonValue {
  if (!Object.hasOwn(obj, key)) invalid(`${where ? `${where.slice(1)} ` : ""}is missing field ${JSON.stringify(key)}`);
  return obj[key];
}

function object(
  value: JsonValue,
  where: string,
  fields: readonly string[],
  optional: readonly string[] = [],
): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    invalid(`${where ? where.slice(1) : "payload"} must be an object`);
  }
  for (const k of fields) field(value, k, where);
  for (const k of Object.keys(value)) {
    if (!fields.includes(k) && !optional.includes(k)) {
      throw new FormatError("NON_CANONICAL", `statement${where} has unknown field ${JSON.stringify(k)}`);
    }
  }
  return value;
}

function text(value: JsonValue, name: string, maxBytes: number): string {
  if (typeof value !== "string") invalid(`${name} must be a string`);
  const size = utf8(value).length;
  if (size === 0 || size > maxBytes) invalid(`${name} must be 1 to ${maxBytes} bytes, got ${size}`);
  if (!value.isWellFormed()) invalid(`${name} must be well-formed Unicode`);
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) invalid(`${name} must not contain control characters`);
  return value;
}

function amount(value: JsonValue, name: string): bigint {
  if (typeof value !== "string") invalid(`${name} must be a decimal string`);
  try {
    return parseAmount(value);
  } catch (e) {
    return invalid(`${name}: ${(e as Error).message}`);
  }
}

function integer(value: JsonValue, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Checks an RFC 3339 UTC time: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, a real
 * calendar date, and a leap second only as 23:59:60.
 */
export function isUtcTimestamp(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > daysInMonth) return false;
  return second < 60 || (hour === 23 && minute === 59);
}

/**
 * Orders two times that {@linkcode isUtcTimestamp} accepts, exactly: by the
 * fixed-width date and time (a leap second :60 sorts after :59), then by the
 * fraction of a second, digit by digit.
 *
 * @returns A negative number, zero or a positive number.
 */
export function compareUtcTimestamps(a: string, b: string): number {
  const wa = a.slice(0, 19);
  const wb = b.slice(0, 19);
  if (wa !== wb) return wa < wb ? -1 : 1;
  const fa = a.slice(20, -1).padEnd(9, "0");
  const fb = b.slice(20, -1).padEnd(9, "0");
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/**
 * Validates a parsed JSON value as a statement and converts it to typed form.
 *
 * @throws {FormatError} With `STATEMENT_INVALID` (or `NON_CANONICAL` for an unknown field).
 */
export function statementFromJson(value: JsonValue): Statement {
  const top = object(value, "", TOP_FIELDS, OPTIONAL_TOP_FIELDS);
  if (top.type !== STATEMENT_TYPE) invalid(`type must be ${JSON.stringify(STATEMENT_TYPE)}`);
  const snapshotTime = top.snapshotTime;
  if (typeof snapshotTime !== "string" || !isUtcTimestamp(snapshotTime)) {
    invalid(`snapshotTime must be an RFC 3339 UTC time like 2026-11-03T08:00:00Z`);
  }
  const previous = top.previous;
  if (previous !== null && (typeof previous !== "string" || !/^[0-9a-f]{64}$/.test(previous))) {
    invalid("previous must be null or 64 lowercase hex digits");
  }
  const tree = object(top.tree, ".tree", TREE_FIELDS);
  if (typeof tree.root !== "string" || !/^[0-9a-f]{64}$/.test(tree.root)) {
    invalid("tree.root must be 64 lowercase hex digits");
  }
  const deficitTree = Object.hasOwn(top, "deficitTree") ? deficitTreeFromJson(top.deficitTree) : undefined;
  return {
    type: STATEMENT_TYPE,
    venue: text(top.venue, "venue", 256),
    event: text(top.event, "event", 256),
    asset: text(top.asset, "asset", 64),
    decimals: integer(top.decimals, "decimals", 0, 38),
    snapshotTime,
    policy: policyFromJson(top.policy),
    deficit: amount(top.deficit, "deficit"),
    insuranceFund: amount(top.insuranceFund, "insuranceFund"),
    insuranceUsed: amount(top.insuranceUsed, "insuranceUsed"),
    shortfall: amount(top.shortfall, "shortfall"),
    target: amount(top.target, "target"),
    uncovered: amount(top.uncovered, "uncovered"),
    tree: {
      root: hexToBytes(tree.root, 32),
      leafCount: integer(tree.leafCount, "tree.leafCount", 1, MAX_LEAF_COUNT),
      totalBase: amount(tree.totalBase, "tree.totalBase"),
      totalHaircut: amount(tree.totalHaircut, "tree.totalHaircut"),
    },
    ...(deficitTree ? { deficitTree } : {}),
    previous,
  };
}

function deficitTreeFromJson(value: JsonValue): DeficitTreeHead {
  const d = object(value, ".deficitTree", DEFICIT_TREE_FIELDS);
  if (typeof d.root !== "string" || !/^[0-9a-f]{64}$/.test(d.root)) {
    invalid("deficitTree.root must be 64 lowercase hex digits");
  }
  return {
    root: hexToBytes(d.root, 32),
    leafCount: integer(d.leafCount, "deficitTree.leafCount", 1, MAX_LEAF_COUNT),
    total: amount(d.total, "deficitTree.total"),
  };
}

/**
 * Validates a policy object: `base`, `rounding` and `cap`, plus `rate`
 * exactly when the rounding is a rate rounding (`rate-floor`,
 * `rate-half-up`, `rate-ceil`), with `0 <= num <= den` and `den > 0`.
 *
 * @throws {FormatError} With `STATEMENT_INVALID`.
 */
export function policyFromJson(value: JsonValue): Policy {
  const policy = object(value, ".policy", POLICY_FIELDS, OPTIONAL_POLICY_FIELDS);
  if (policy.base !== "profit" && policy.base !== "equity") invalid(`policy.base must be "profit" or "equity"`);
  const rounding = policy.rounding;
  if (
    rounding !== "largest-remainder" && rounding !== "floor" &&
    (typeof rounding !== "string" || !isRateRounding(rounding))
  ) {
    invalid(`policy.rounding must be "largest-remainder", "floor", "rate-floor", "rate-half-up" or "rate-ceil"`);
  }
  let cap: Cap | null = null;
  if (policy.cap !== null) {
    const c = object(policy.cap, ".policy.cap", CAP_FIELDS);
    cap = { num: amount(c.num, "policy.cap.num"), den: amount(c.den, "policy.cap.den") };
    if (cap.num === 0n || cap.num > cap.den) invalid(`policy.cap must have 0 < num <= den, got ${cap.num}/${cap.den}`);
  }
  const hasRate = Object.hasOwn(policy, "rate");
  if (!isRateRounding(rounding)) {
    if (hasRate) invalid(`policy.rate is allowed only with the rate roundings, not with ${JSON.stringify(rounding)}`);
    return { base: policy.base, rounding, cap };
  }
  if (!hasRate) invalid(`policy is missing field "rate", which ${JSON.stringify(rounding)} requires`);
  const r = object(policy.rate, ".policy.rate", CAP_FIELDS);
  const rate: Rate = { num: amount(r.num, "policy.rate.num"), den: amount(r.den, "policy.rate.den") };
  const problem = rateProblem(rate);
  if (problem) invalid(`policy.rate ${problem}`);
  return { base: policy.base, rounding, cap, rate };
}

/**
 * A policy as JSON: `rate` appears only under a rate policy, so a v1.0
 * policy keeps its exact v1.0 form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { policyToJson } from "./statement.ts";
 * assert.deepEqual(policyToJson({ base: "profit", rounding: "rate-ceil", cap: null, rate: { num: 1n, den: 8n } }), {
 *   base: "profit",
 *   rounding: "rate-ceil",
 *   cap: null,
 *   rate: { num: "1", den: "8" },
 * });
 * ```
 */
export function policyToJson(policy: Policy): JsonObject {
  return {
    base: policy.base,
    rounding: policy.rounding,
    cap: policy.cap ? { num: `${policy.cap.num}`, den: `${policy.cap.den}` } : null,
    ...(policy.rate ? { rate: { num: `${policy.rate.num}`, den: `${policy.rate.den}` } } : {}),
  };
}

/**
 * The statement as a JSON value with exact decimal strings.
 */
export function statementToJson(s: Statement): JsonObject {
  return {
    type: s.type,
    venue: s.venue,
    event: s.event,
    asset: s.asset,
    decimals: s.decimals,
    snapshotTime: s.snapshotTime,
    policy: policyToJson(s.policy),
    deficit: `${s.deficit}`,
    insuranceFund: `${s.insuranceFund}`,
    insuranceUsed: `${s.insuranceUsed}`,
    shortfall: `${s.shortfall}`,
    target: `${s.target}`,
    uncovered: `${s.uncovered}`,
    tree: {
      root: bytesToHex(s.tree.root),
      leafCount: s.tree.leafCount,
      totalBase: `${s.tree.totalBase}`,
      totalHaircut: `${s.tree.totalHaircut}`,
    },
    ...(s.deficitTree
      ? {
        deficitTree: {
          root: bytesToHex(s.deficitTree.root),
          leafCount: s.deficitTree.leafCount,
          total: `${s.deficitTree.total}`,
        },
      }
      : {}),
    previous: s.previous,
  };
}

/**
 * The statement's payload bytes: its RFC 8785 canonical JSON in UTF-8.
 */
export function statementBytes(s: Statement): Uint8Array {
  return utf8(canonicalJson(statementToJson(s)));
}

/**
 * The digest of payload bytes: lowercase hex SHA-256.
 *
 * @example The digest of docs/SPEC.md section 13.6
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEnvelope, payloadDigest } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/golden/statement.dsse.json"));
 * assert.equal(payloadDigest(envelope.payload), "03fb5e716ab8ce182ca0d45c6a0172fb1894fe77fee14285bae5d3d39f064b62");
 * assert.equal(payloadDigest(new Uint8Array()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
 * ```
 */
export function payloadDigest(payload: Uint8Array): string {
  return bytesToHex(sha256(payload));
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Checks every arithmetic identity of SPEC §7, each with its own message:
 * the fund is used first, the shortfall, the target with the cap, the
 * uncovered amount, the total the rounding rule allows (under a rate policy:
 * never more than the target, in money), a rate within the cap, and a
 * deficit tree whose total is the deficit.
 *
 * @returns One `ARITHMETIC` finding per identity that fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkArithmetic, parseEnvelope, parseStatementPayload } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const statement = parseStatementPayload(envelope.payload);
 * assert.deepEqual(checkArithmetic(statement), []);
 *
 * const findings = checkArithmetic({ ...statement, insuranceUsed: statement.insuranceUsed - 1n });
 * assert.ok(findings.length > 0);
 * assert.ok(findings.every((f) => f.code === "ARITHMETIC"));
 * ```
 */
export function checkArithmetic(s: Statement): Finding[] {
  const out: Finding[] = [];
  const fail = (message: string): void => void out.push({ code: "ARITHMETIC", message });
  const used = min(s.deficit, s.insuranceFund);
  if (s.insuranceUsed !== used) {
    fail(
      `insuranceUsed ${s.insuranceUsed} != min(deficit ${s.deficit}, insuranceFund ${s.insuranceFund}) = ${used}: ` +
        `the insurance fund must be used first`,
    );
  }
  if (s.insuranceUsed > s.deficit || s.shortfall !== s.deficit - s.insuranceUsed) {
    fail(`shortfall ${s.shortfall} != deficit ${s.deficit} - insuranceUsed ${s.insuranceUsed}`);
  }
  const { totalBase, totalHaircut, leafCount } = s.tree;
  const target = computeTarget(s.shortfall, { totalBase: totalBase, cap: s.policy.cap });
  if (s.target !== target) {
    const limit = s.policy.cap
      ? `floor(totalBase ${totalBase} * ${s.policy.cap.num} / ${s.policy.cap.den})`
      : `totalBase ${totalBase}`;
    fail(`target ${s.target} != min(shortfall ${s.shortfall}, ${limit}) = ${target}`);
  }
  // Under a rate policy, an over-collection is said first and in money: it is what a trader needs to read.
  out.push(...checkRateArithmetic(s));
  if (totalHaircut > s.shortfall || s.uncovered !== s.shortfall - totalHaircut) {
    fail(`uncovered ${s.uncovered} != shortfall ${s.shortfall} - totalHaircut ${totalHaircut}`);
  }
  const policy = s.policy;
  if (policy.rounding === "largest-remainder" && totalHaircut !== s.target) {
    fail(`largest-remainder must collect exactly target ${s.target}, but totalHaircut is ${totalHaircut}`);
  }
  if (policy.rounding === "floor") {
    const least = s.target - BigInt(leafCount - 1);
    if (totalHaircut > s.target || totalHaircut < least) {
      fail(
        `floor must collect between target - (leafCount - 1) = ${least} and target ${s.target}, got ${totalHaircut}`,
      );
    }
  }
  if (s.deficitTree && s.deficitTree.total !== s.deficit) {
    const { total } = s.deficitTree;
    fail(
      `the bankrupt accounts' losses add up to ${money(s, total)} (deficitTree.total ${total}), but the deficit is ` +
        `${money(s, s.deficit)} (${s.deficit}): deficitTree.total must equal the deficit`,
    );
  }
  return out;
}

/**
 * The identities a rate policy adds (SPEC §7, identities 7 and 8): the venue
 * never collects more than the target, the excess said in money, and the
 * rate is within the cap. {@linkcode checkArithmetic} includes them; the
 * publisher runs them alone before it signs.
 *
 * @returns One `ARITHMETIC` finding per identity that fails; none without a rate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRateArithmetic } from "./statement.ts";
 * import { parseEnvelope, parseStatementPayload } from "../../mod.ts";
 * const dir = "fixtures/scenarios/cryptocom-six-winners-half-up";
 * const s = parseStatementPayload(parseEnvelope(Deno.readTextFileSync(`${dir}/statement.dsse.json`)).payload);
 * assert.match(checkRateArithmetic(s)[0].message, /collected 10,000\.01 USD, 0\.01 USD more than the target/);
 * ```
 */
export function checkRateArithmetic(s: Statement): Finding[] {
  const policy = s.policy;
  if (!policy.rate) return [];
  const out: Finding[] = [];
  const { rate, cap } = policy;
  const collected = s.tree.totalHaircut;
  if (collected > s.target) {
    out.push({
      code: "ARITHMETIC",
      message: `${policy.rounding} at ${rate.num}/${rate.den} collected ${money(s, collected)}, ` +
        `${money(s, collected - s.target)} more than the target ${money(s, s.target)} ` +
        `(totalHaircut ${collected} > target ${s.target}): a rate policy may never collect more than the target`,
    });
  }
  if (cap && !rateWithinCap(rate, cap)) {
    out.push({
      code: "ARITHMETIC",
      message: `the rate ${rate.num}/${rate.den} exceeds the cap ${cap.num}/${cap.den} ` +
        `(${rate.num} * ${cap.den} > ${cap.num} * ${rate.den}): nobody may pay more than the cap fraction`,
    });
  }
  return out;
}

function money(s: Statement, value: bigint): string {
  return formatAmount(value, s.decimals, { asset: s.asset });
}
