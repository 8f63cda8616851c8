/**
 * `haircut compare` without the command line: read a publication's
 * statement and leaves, optionally verify it against trusted keys, and
 * re-allocate its event under every rule ({@linkcode compareRules}).
 *
 * @module
 */

import { type Finding, FormatError } from "../core/errors.ts";
import { parseEnvelope } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { LeavesParser } from "../format/leaves.ts";
import { parseStatementPayload, payloadDigest, type Statement } from "../format/statement.ts";
import { compareRules, type RuleOutcome } from "../rules/compare.ts";
import { verifyPublication } from "./publication.ts";

/**
 * The files `compare` reads: the envelope text, and a way to read
 * `leaves.csv` (called once without keys, twice with them: once to verify,
 * once to compare).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, type CompareSource } from "../../mod.ts";
 * const source: CompareSource = {
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * };
 * assert.equal((await comparePublication(source)).leaves, 8);
 * ```
 */
export interface CompareSource {
  /** The text of `statement.dsse.json`. */
  envelope: string;
  /** Opens `leaves.csv` afresh. */
  leaves: () => AsyncIterable<Uint8Array> | Uint8Array;
  /** Opens `bankrupt.csv`, when the publication has one (v1.1): it is verified with the rest. */
  bankrupt?: () => AsyncIterable<Uint8Array> | Uint8Array;
}

/**
 * The outcome of {@linkcode comparePublication}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, type CompareReport } from "../../mod.ts";
 * const r: CompareReport = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * });
 * assert.equal(r.verified, "unverified");
 * assert.equal(r.rules.filter((row) => !row.admissible).length, 1); // rate-ceil at T/P over-collects
 * ```
 */
export interface CompareReport {
  /** Always `"compare"`. */
  kind: "compare";
  /** True when the comparison ran, and the publication verified when keys were given. */
  ok: boolean;
  /** `valid` or `not valid` against the trusted keys, or `unverified` when none were given. */
  verified: "valid" | "not valid" | "unverified";
  /** The digest of the signed payload, once the envelope parsed. */
  digest?: string;
  /** The statement, once it parsed. */
  statement?: Statement;
  /** How many leaves were read. */
  leaves: number;
  /** One row per rule and cap variant (empty when the leaves could not be read). */
  rules: RuleOutcome[];
  /** The findings that kept the publication from verifying or the leaves from being read. */
  errors: Finding[];
  /** How many findings there were in all. */
  errorCount: number;
}

/**
 * Re-allocates a publication's event under every rule. With `keys`, the
 * whole publication is verified first (`verifyPublication`) and the report
 * says whether it is valid; the comparison runs either way, so an invalid
 * rule (an over-collection, say) can be compared with the others. Without
 * keys the statement's signatures are not checked, and the report says so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { comparePublication, parseKeysFile } from "../../mod.ts";
 * const report = await comparePublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: () => Deno.readFileSync("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * assert.equal(report.verified, "valid");
 * const published = report.rules.find((row) => row.published)!;
 * assert.equal(published.rule, "largest-remainder");
 * assert.equal(published.differing, 0);
 * ```
 */
export async function comparePublication(source: CompareSource, keys?: KeysFile): Promise<CompareReport> {
  const errors: Finding[] = [];
  let errorCount = 0;
  const report = (
    fields: { verified: CompareReport["verified"]; digest?: string; statement?: Statement },
    rows: { leaves: number; rules: RuleOutcome[] },
  ): CompareReport => ({
    kind: "compare",
    ok: rows.rules.length > 0 && fields.verified !== "not valid",
    ...fields,
    ...rows,
    errors,
    errorCount,
  });
  let statement: Statement;
  let digest: string;
  let verified: CompareReport["verified"] = "unverified";
  if (keys) {
    const input = {
      envelope: source.envelope,
      leaves: source.leaves(),
      ...(source.bankrupt ? { bankrupt: source.bankrupt() } : {}),
    };
    const checked = await verifyPublication(input, keys, {
      maxErrors: 20,
    });
    errors.push(...checked.errors);
    errorCount += checked.errorCount;
    verified = checked.ok ? "valid" : "not valid";
    if (!checked.statement || !checked.digest) {
      return report({ verified, ...(checked.digest ? { digest: checked.digest } : {}) }, { leaves: 0, rules: [] });
    }
    statement = checked.statement;
    digest = checked.digest;
  } else {
    try {
      const envelope = parseEnvelope(source.envelope);
      digest = payloadDigest(envelope.payload);
      statement = parseStatementPayload(envelope.payload);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      errors.push(e.finding);
      errorCount++;
      return report({ verified }, { leaves: 0, rules: [] });
    }
  }
  const leaves = await readLeaves(source.leaves());
  if (leaves.invalid.length > 0) {
    if (!keys) {
      errors.push(...leaves.invalid.slice(0, 20));
      errorCount += leaves.invalid.length;
    }
    return report({ verified, digest, statement }, { leaves: leaves.bases.length, rules: [] });
  }
  const rules = leaves.bases.length === 0 ? [] : compareRules({
    bases: leaves.bases,
    published: leaves.haircuts,
    shortfall: statement.shortfall,
    cap: statement.policy.cap,
    rule: statement.policy.rounding,
    ...(statement.policy.rate ? { rate: statement.policy.rate } : {}),
  });
  return report({ verified, digest, statement }, { leaves: leaves.bases.length, rules });
}

/** Every row's base and haircut, in file order, and the malformed lines. */
async function readLeaves(
  source: AsyncIterable<Uint8Array> | Uint8Array,
): Promise<{ bases: bigint[]; haircuts: bigint[]; invalid: Finding[] }> {
  const bases: bigint[] = [];
  const haircuts: bigint[] = [];
  const invalid: Finding[] = [];
  const parser = new LeavesParser({
    row: (row) => {
      bases.push(row.base);
      haircuts.push(row.haircut);
    },
    invalid: (f) => invalid.push(f),
  }, { reuseKey: true });
  if (source instanceof Uint8Array) parser.push(source);
  else for await (const chunk of source) parser.push(chunk);
  parser.end();
  return { bases, haircuts, invalid };
}
