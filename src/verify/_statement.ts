/**
 * What both verifications share: check results, and opening the signed
 * statement (envelope, signatures, statement, arithmetic) before anything
 * in it is trusted.
 *
 * @module
 */

import { type ErrorCode, FormatError } from "../core/errors.ts";
import { checkSignatures, type Envelope, parseEnvelope, type SignerResult } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { checkArithmetic, parseStatementPayload, payloadDigest, type Statement } from "../format/statement.ts";
import { parseJson } from "../core/_json.ts";
import type { FindingCollector } from "./_findings.ts";
/**
 * A check's outcome: passed, failed, or not reached because an earlier one failed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CheckStatus, parseKeysFile, verifyPublication } from "../../mod.ts";
 *
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/golden/keys.json"))); // not the example's keys
 * const statuses: CheckStatus[] = report.checks.map((c) => c.status);
 * assert.deepEqual(statuses.slice(0, 3), ["pass", "fail", "skip"]);
 * ```
 */
export type CheckStatus = "pass" | "fail" | "skip";

/**
 * One named check and its outcome.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CheckResult, parseKeysFile, verifyProof } from "../../mod.ts";
 *
 * const name = "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(`fixtures/example/proofs/${name}`),
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const inclusion: CheckResult | undefined = report.checks.find((c) => c.name === "inclusion");
 * assert.deepEqual(inclusion, { name: "inclusion", status: "pass", codes: ["PROOF_ROOT_MISMATCH", "TOTAL_MISMATCH"] });
 * ```
 */
export interface CheckResult {
  /** The check's name. */
  name: string;
  /** Its outcome. */
  status: CheckStatus;
  /** The error codes this check reports. */
  codes: readonly ErrorCode[];
}

/** The findings of one verification. */
export type Findings = FindingCollector;

/** Lists every check of `table` with its outcome: failed when a code it owns was found, else passed when reached. */
export function checkList(
  table: readonly (readonly [string, readonly ErrorCode[]])[],
  codes: ReadonlySet<ErrorCode>,
  reached: ReadonlySet<string>,
): CheckResult[] {
  return table.map(([name, owned]) => ({
    name,
    status: owned.some((c) => codes.has(c)) ? "fail" : reached.has(name) ? "pass" : "skip",
    codes: owned,
  }));
}

/** What the signed envelope yields once it checks out. */
export interface OpenedStatement {
  /** The envelope, once it parsed. */
  envelope?: Envelope;
  /** The digest of its payload, once it parsed. */
  digest?: string;
  /** The statement, once the signatures and the statement checked out. */
  statement?: Statement;
  /** One entry per signature in the envelope. */
  signers: SignerResult[];
  /**
   * The venue the payload names when the signatures did not check out: a
   * hint for the reader ("is it the keys file you pinned for …?"), read
   * from bytes nobody trusted signed. Never use it as a fact.
   */
  unverifiedVenue?: string;
}

/** The payload's `venue`, if it is a short string: for hints only, never verified. */
function claimedVenue(payload: Uint8Array): { unverifiedVenue?: string } {
  try {
    const value = parseJson(new TextDecoder("utf-8", { fatal: true }).decode(payload));
    const venue = value !== null && typeof value === "object" && !Array.isArray(value) ? value.venue : undefined;
    return typeof venue === "string" && venue.length > 0 && venue.length <= 256 ? { unverifiedVenue: venue } : {};
  } catch {
    return {};
  }
}

/**
 * Parses the envelope, checks signatures, then parses the statement and its
 * arithmetic. Stops at the first stage that fails: nothing unsigned is trusted.
 */
export function openStatement(
  envelopeText: string,
  keys: KeysFile,
  findings: Findings,
  reached: Set<string>,
): OpenedStatement {
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(envelopeText);
  } catch (e) {
    if (e instanceof FormatError) {
      findings.add(e.finding);
      return { signers: [] };
    }
    throw e;
  }
  reached.add("envelope");
  const digest = payloadDigest(envelope.payload);
  const sigs = checkSignatures(envelope, keys);
  findings.addAll(sigs.findings);
  if (sigs.findings.length > 0) return { envelope, digest, signers: sigs.signers, ...claimedVenue(envelope.payload) };
  reached.add("signatures");
  let statement: Statement;
  try {
    statement = parseStatementPayload(envelope.payload);
  } catch (e) {
    if (e instanceof FormatError) {
      findings.add(e.finding);
      return { envelope, digest, signers: sigs.signers };
    }
    throw e;
  }
  reached.add("statement");
  findings.addAll(checkArithmetic(statement));
  reached.add("arithmetic");
  return { envelope, digest, statement, signers: sigs.signers };
}
