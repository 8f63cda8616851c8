/**
 * The venue side: read accounts and the event, derive salts and account
 * keys, sort, allocate, build the sum tree, sign the statement, and emit
 * `leaves.csv`, `keys.json` and one proof per account.
 *
 * @module
 */

import { hmac } from "npm:@noble/hashes@2.4.0/hmac.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { allocate, computeTarget } from "../rules/allocation.ts";
import { AMOUNT_LIMIT, parseAmount } from "../core/amount.ts";
import { bytesToHex, compareBytes, utf8 } from "../core/encoding.ts";
import { type Envelope, signEnvelope } from "../format/dsse.ts";
import { keysFileJson, type SigningKey } from "../format/keys.ts";
import { FormatError, InputError } from "../core/errors.ts";
import { asObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import { LEAVES_HEADER, leavesCsvLine } from "../format/leaves.ts";
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
import { accountKey, sumHasher, sumLeaf, type SumNode } from "../core/sum_tree.ts";
import { inclusionPath, treeLevels } from "../core/tree.ts";
import { accountIdProblem, PROOF_TYPE } from "../format/proof.ts";

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
 * One account and its haircut base.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AccountInput, parseAccountsCsv } from "../../publish.ts";
 *
 * const accounts: AccountInput[] = parseAccountsCsv("account,base\nalice,750000\nbob,250001\n");
 * assert.deepEqual(accounts[1], { account: "bob", base: 250001n });
 * ```
 */
export interface AccountInput {
  /** The venue's account id. */
  account: string;
  /** The haircut base in minor units. */
  base: bigint;
}

/**
 * One trader's proof.
 *
 * @example One proof file per account, named by its account key
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication, parseEventFile, parseSigningKey, type ProofFile } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const publication = buildPublication({
 *   accounts: [{ account: "alice", base: 750000n }],
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))]);
 * const [proof]: ProofFile[] = publication.proofs;
 * assert.equal(proof.account, "alice");
 * assert.match(proof.fileName, /^[0-9a-f]{64}\.json$/);
 * assert.equal(JSON.parse(proof.json).account, "alice");
 * ```
 */
export interface ProofFile {
  /** The account id the proof belongs to. */
  account: string;
  /** A file name that reveals no account: the account key in hex. */
  fileName: string;
  /** The proof JSON text. */
  json: string;
}

/**
 * Everything `publish` produces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { payloadDigest } from "../../mod.ts";
 * import { buildPublication, parseEventFile, parseSigningKey, type Publication } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const publication: Publication = buildPublication({
 *   accounts: [{ account: "alice", base: 750000n }, { account: "bob", base: 250001n }],
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))]);
 * assert.equal(publication.digest, payloadDigest(publication.payload));
 * assert.equal(publication.leavesCsv.split("\n")[0], "account_key,base,haircut");
 * assert.equal(publication.proofs.length, 2);
 * ```
 */
export interface Publication {
  /** The statement. */
  statement: Statement;
  /** Its canonical payload bytes. */
  payload: Uint8Array;
  /** Its digest. */
  digest: string;
  /** The signed envelope. */
  envelope: Envelope;
  /** `leaves.csv` text. */
  leavesCsv: string;
  /** `keys.json` text (a convenience: users should pin keys themselves). */
  keysJson: string;
  /** One proof per account, in tree order. */
  proofs: ProofFile[];
}

/**
 * Options for {@linkcode buildPublication}.
 *
 * @example With a salt secret the output is reproducible
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication, parseEventFile, parseSigningKey, type PublishOptions } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const event = parseEventFile(await Deno.readTextFile(`${input}/event.json`));
 * const keys = [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))];
 * const options: PublishOptions = { saltSecret: await Deno.readFile(`${input}/salt-secret`) };
 * const accounts = [{ account: "alice", base: 750000n }];
 * assert.equal(
 *   buildPublication({ accounts, event }, keys, options).leavesCsv,
 *   buildPublication({ accounts, event }, keys, options).leavesCsv,
 * );
 * assert.notEqual(buildPublication({ accounts, event }, keys).leavesCsv, buildPublication({ accounts, event }, keys).leavesCsv);
 * ```
 */
export interface PublishOptions {
  /** Makes salts deterministic: `HMAC-SHA256(saltSecret, event || 0x00 || account)`. Random without it. */
  saltSecret?: Uint8Array;
}

/**
 * The salt of one account: `HMAC-SHA256(secret, UTF8(event) || 0x00 || UTF8(account))`.
 */
export function deriveSalt(secret: Uint8Array, ids: { event: string; account: string }): Uint8Array {
  const event = utf8(ids.event);
  const account = utf8(ids.account);
  const message = new Uint8Array(event.length + 1 + account.length);
  message.set(event);
  message.set(account, event.length + 1);
  return hmac(sha256, secret, message);
}

/**
 * Builds a whole publication in memory: statement, signed envelope,
 * `leaves.csv`, `keys.json` and proofs.
 *
 * Preconditions: account ids are distinct and valid (as
 * {@linkcode parseAccountsCsv} ensures), and there is at least one account
 * and one signing key.
 *
 * @example Rebuild the example publication byte for byte
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication, parseAccountsCsv, parseEventFile, parseSigningKey } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const publication = buildPublication({
 *   accounts: parseAccountsCsv(await Deno.readTextFile(`${input}/accounts.csv`)),
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 * }, [
 *   parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`)),
 *   parseSigningKey(await Deno.readTextFile(`${input}/auditor.key.json`)),
 * ], { saltSecret: await Deno.readFile(`${input}/salt-secret`) });
 * assert.equal(publication.leavesCsv, await Deno.readTextFile("fixtures/example/leaves.csv"));
 * assert.equal(publication.digest, "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a");
 * assert.equal(publication.statement.tree.totalHaircut, 1300000n);
 * ```
 */
export function buildPublication(
  input: { accounts: readonly AccountInput[]; event: EventSpec },
  signers: readonly SigningKey[],
  options: PublishOptions = {},
): Publication {
  const { accounts, event } = input;
  if (accounts.length === 0) throw new InputError("no accounts: the empty tree is invalid");
  if (signers.length === 0) throw new InputError("at least one signing key is needed");
  const rows = accounts.map((a) => {
    const salt = options.saltSecret
      ? deriveSalt(options.saltSecret, { event: event.event, account: a.account })
      : crypto.getRandomValues(new Uint8Array(32));
    return { account: a.account, base: a.base, salt, key: accountKey(salt, a.account) };
  });
  rows.sort((x, y) => compareBytes(x.key, y.key));
  const totalBase = rows.reduce((sum, r) => sum + r.base, 0n);
  if (totalBase >= AMOUNT_LIMIT) throw new InputError(`the bases add up to ${totalBase}, which reaches 2^128`);
  const { target } = eventAmounts(event, totalBase);
  const haircuts = allocate(rows.map((r) => r.base), target, { rounding: event.policy.rounding });
  const leaves: SumNode[] = rows.map((r, i) => sumLeaf(r.key, r.base, haircuts[i]));
  const levels = treeLevels(leaves, sumHasher);
  const root = levels[levels.length - 1][0];
  const { statement, payload, digest, envelope } = signStatement({ event, root, leafCount: rows.length }, signers);
  let leavesCsv = LEAVES_HEADER + "\n";
  const proofs: ProofFile[] = [];
  rows.forEach((r, i) => {
    const keyHex = bytesToHex(r.key);
    leavesCsv += leavesCsvLine({ key: keyHex, base: r.base, haircut: haircuts[i] });
    const proof = {
      type: PROOF_TYPE,
      statement: digest,
      account: r.account,
      salt: bytesToHex(r.salt),
      index: i,
      base: `${r.base}`,
      haircut: `${haircuts[i]}`,
      path: inclusionPath(levels, i).map((n) => ({
        hash: bytesToHex(n.hash),
        base: `${n.base}`,
        haircut: `${n.haircut}`,
      })),
    };
    proofs.push({ account: r.account, fileName: `${keyHex}.json`, json: JSON.stringify(proof, null, 2) + "\n" });
  });
  return { statement, payload, digest, envelope, leavesCsv, keysJson: keysFileJson(signers), proofs };
}

/**
 * The amounts `publish` derives from the event and the total base:
 * `insuranceUsed = min(deficit, insuranceFund)`, `shortfall = deficit - insuranceUsed`
 * and `target = min(shortfall, cap ? floor(totalBase * num / den) : totalBase)`.
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
 * Checks an id read from `accounts.csv`: {@linkcode accountIdProblem}'s rule,
 * and no comma or quote, which the CSV format cannot carry.
 *
 * @returns A one-line problem, or `undefined`.
 */
export function csvAccountIdProblem(id: string): string | undefined {
  return accountIdProblem(id) ??
    (/[",]/.test(id) ? "account id must not contain commas or quotes in accounts.csv" : undefined);
}

/**
 * Parses `accounts.csv`: the header `account,base`, then one `id,base` row
 * per account, LF line endings, ids distinct.
 *
 * @throws {InputError} With the line number of the first problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError } from "../../mod.ts";
 * import { parseAccountsCsv } from "../../publish.ts";
 *
 * assert.deepEqual(parseAccountsCsv("account,base\nalice,750000\n"), [{ account: "alice", base: 750000n }]);
 * assert.throws(() => parseAccountsCsv("account,base\nalice,1\nalice,2\n"), InputError); // duplicate id
 * assert.throws(() => parseAccountsCsv("account,base\nalice,01\n"), InputError); // not a canonical amount
 * ```
 */
export function parseAccountsCsv(text: string): AccountInput[] {
  const lines = text.split("\n");
  if (lines[0] !== "account,base") throw new InputError("accounts.csv line 1: header must be exactly account,base");
  if (lines[lines.length - 1] !== "") throw new InputError(`accounts.csv line ${lines.length}: missing final newline`);
  const seen = new Set<string>();
  const out: AccountInput[] = [];
  for (let i = 1; i < lines.length - 1; i++) {
    const where = `accounts.csv line ${i + 1}`;
    const cols = lines[i].split(",");
    if (cols.length !== 2) throw new InputError(`${where}: expected 2 columns: account,base`);
    const problem = csvAccountIdProblem(cols[0]);
    if (problem) throw new InputError(`${where}: ${problem}`);
    if (seen.has(cols[0])) throw new InputError(`${where}: duplicate account ${JSON.stringify(cols[0])}`);
    seen.add(cols[0]);
    let base: bigint;
    try {
      base = parseAmount(cols[1]);
    } catch (e) {
      throw new InputError(`${where}: base ${(e as Error).message}`);
    }
    out.push({ account: cols[0], base });
  }
  if (out.length === 0) throw new InputError("accounts.csv has no accounts: the empty tree is invalid");
  return out;
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
 * import { InputError } from "../../mod.ts";
 * import { parseEventFile } from "../../publish.ts";
 *
 * const event = parseEventFile(await Deno.readTextFile("fixtures/example/input/event.json"));
 * assert.equal(event.asset, "USDT");
 * assert.deepEqual(event.policy, { base: "profit", rounding: "largest-remainder", cap: null });
 * assert.throws(() => parseEventFile('{"venue":"x"}'), InputError);
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
