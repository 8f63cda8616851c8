/**
 * The full publication check an auditor or CI runs: the signed statement,
 * then every leaf of `leaves.csv` in one streaming pass.
 *
 * @module
 */

import type { LogProofResult } from "./log_proof.ts";
import { bytesToHex, equalBytes } from "../core/encoding.ts";
import { boundedChunks, type ByteSource } from "../core/chunks.ts";
import { type ErrorCode, type Finding, FormatError, SumOverflowError } from "../core/errors.ts";
import type { SumNode } from "../core/sum_tree.ts";
import { type Envelope, parseEnvelope, type SignerResult } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { BANKRUPT_CSV, LEAVES_HEADER, MAX_LINE_BYTES } from "../format/leaves.ts";
import { type DeficitTreeHead, parseStatementPayload, payloadDigest, type Statement } from "../format/statement.ts";
import { RoundingChecker } from "../rules/allocation.ts";
import { RateChecker } from "../rules/rate.ts";
import { FindingCollector } from "./_findings.ts";
import { addTally, checkLeavesSerial, emptyTally, type LeafPassContext, type LeafTally } from "./_leaf_pass.ts";
import { checkLeavesParallel, DEFAULT_BATCH_SIZE } from "./_parallel.ts";
import { checkList, type CheckResult, openStatement } from "./_statement.ts";

export { fileChunks } from "../core/chunks.ts";
export type { LeafTally } from "./_leaf_pass.ts";

/**
 * The outcome of {@linkcode verifyPublication}.
 *
 * @example A rounding unit given to the wrong account
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type PublicationReport, verifyPublication } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/rounding-unit-moved";
 * const report: PublicationReport = await verifyPublication({
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 *   leaves: await Deno.readFile(`${dir}/leaves.csv`),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/tampered/base/keys.json")));
 * assert.equal(report.ok, false);
 * assert.deepEqual(report.errors.map((e) => [e.code, e.leaf]), [["ROUNDING_ORDER", 5]]);
 * assert.equal(report.checks.find((c) => c.name === "rounding order")?.status, "fail");
 * assert.equal(report.checks.find((c) => c.name === "root")?.status, "pass");
 * ```
 */
export interface PublicationReport {
  /** True when every check passed. */
  ok: boolean;
  /** Always `"publication"`. */
  kind: "publication";
  /** The digest of the signed payload, once the envelope parsed. */
  digest?: string;
  /** The statement, once signatures and parsing succeeded. */
  statement?: Statement;
  /** One entry per signature in the envelope. */
  signers: SignerResult[];
  /** What the leaves showed. */
  summary: PublicationSummary;
  /** Every check with its outcome, in the order they run. */
  checks: CheckResult[];
  /** The first `maxErrors` findings. */
  errors: Finding[];
  /** How many findings there were in all. */
  errorCount: number;
  /** The log proof's result, when one was checked (SPEC §17). */
  log?: LogProofResult;
}

/**
 * Figures computed from the leaves.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type PublicationSummary, verifyPublication } from "../../mod.ts";
 *
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * const summary: PublicationSummary = report.summary;
 * assert.equal(summary.leaves, 8);
 * assert.equal(summary.totalBase, report.statement?.tree.totalBase);
 * assert.equal(summary.collected, report.statement?.tree.totalHaircut);
 * ```
 */
export interface PublicationSummary extends LeafTally {
  /** Leaves that received a largest-remainder rounding unit. */
  roundingUnits: number;
}

/**
 * Options for {@linkcode verifyPublication}.
 *
 * @example Two workers and tiny batches give the same report as the serial pass
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyPublication, type VerifyPublicationOptions } from "../../mod.ts";
 *
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const input = async () => ({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * });
 * const options: VerifyPublicationOptions = { workers: 2, batchSize: 2, maxErrors: 10 };
 * assert.deepEqual(await verifyPublication(await input(), keys, options), await verifyPublication(await input(), keys));
 * ```
 */
export interface VerifyPublicationOptions {
  /** The predecessor's envelope text, to check `previous` against. */
  previous?: string;
  /** How many findings to keep. Default 1000. */
  maxErrors?: number;
  /** Called with the number of bytes consumed, after each chunk. */
  progress?: (bytes: number) => void;
  /**
   * How many worker threads hash and check the leaves. 0 or 1 (the default)
   * runs the serial pass in this thread, the reference; from 2 on, batches of
   * `batchSize` rows go to that many workers and the results are merged into
   * the same report. The CLI passes the number of cores.
   */
  workers?: number;
  /** Rows per worker batch, a power of two (default 2^15). Tests use tiny batches. */
  batchSize?: number;
}

/**
 * The files of a publication: the envelope text and the leaves file as a
 * stream of chunks (or all at once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, type PublicationInput, verifyPublication } from "../../mod.ts";
 *
 * using file = await Deno.open("fixtures/example/leaves.csv");
 * const input: PublicationInput = {
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: file.readable,
 * };
 * const report = await verifyPublication(input, parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json")));
 * assert.equal(report.ok, true);
 * ```
 */
export interface PublicationInput {
  /** The text of `statement.dsse.json`. */
  envelope: string;
  /** The bytes of `leaves.csv`. */
  leaves: AsyncIterable<Uint8Array> | Uint8Array;
  /** The bytes of `bankrupt.csv`, required when the statement has a `deficitTree` (format v1.1). */
  bankrupt?: AsyncIterable<Uint8Array> | Uint8Array;
}

const PUBLICATION_CHECKS: readonly (readonly [string, readonly ErrorCode[]])[] = [
  ["envelope", ["ENVELOPE_INVALID", "PAYLOAD_TYPE"]],
  ["signatures", ["SIGNATURE_INVALID", "SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]],
  ["statement", ["NON_CANONICAL", "STATEMENT_INVALID"]],
  ["arithmetic", ["ARITHMETIC"]],
  ["chain", ["CHAIN_BROKEN"]],
  ["leaf format", ["LEAF_INVALID"]],
  ["leaf order", ["LEAF_ORDER"]],
  ["haircut <= base", ["HAIRCUT_EXCEEDS_BASE"]],
  ["allocation", ["HAIRCUT_MISMATCH"]],
  ["rounding order", ["ROUNDING_ORDER"]],
  ["leaf count", ["LEAF_COUNT_MISMATCH"]],
  ["totals", ["TOTAL_MISMATCH"]],
  ["root", ["ROOT_MISMATCH"]],
];

/** The checks of `bankrupt.csv` (format v1.1), reported apart from those of `leaves.csv`. */
const BANKRUPT_CHECKS: readonly (readonly [string, readonly ErrorCode[]])[] = [
  ["deficit tree (bankrupt.csv)", [
    "LEAF_INVALID",
    "LEAF_ORDER",
    "LEAF_COUNT_MISMATCH",
    "TOTAL_MISMATCH",
    "ROOT_MISMATCH",
  ]],
];

/**
 * Checks `previous` against the predecessor envelope: the link must name the
 * digest of its payload, and it must be a statement of the same venue.
 */
function checkPrevious(statement: Statement, previousText: string): Finding[] {
  let prev: Envelope;
  try {
    prev = parseEnvelope(previousText);
  } catch (e) {
    if (e instanceof FormatError) return [{ code: "CHAIN_BROKEN", message: `previous statement: ${e.message}` }];
    throw e;
  }
  const digest = payloadDigest(prev.payload);
  if (statement.previous !== digest) {
    return [{
      code: "CHAIN_BROKEN",
      message: `previous is ${statement.previous ?? "null"}, but the given predecessor's digest is ${digest}`,
    }];
  }
  try {
    const p = parseStatementPayload(prev.payload);
    if (p.venue !== statement.venue) {
      return [{
        code: "CHAIN_BROKEN",
        message: `predecessor is by venue ${JSON.stringify(p.venue)}, not ${JSON.stringify(statement.venue)}`,
      }];
    }
  } catch (e) {
    if (e instanceof FormatError) return [{ code: "CHAIN_BROKEN", message: `predecessor payload: ${e.message}` }];
    throw e;
  }
  return [];
}

/**
 * Verifies a whole publication in one streaming pass over the leaves: the
 * envelope and its signatures against the trusted keys, the statement and
 * its arithmetic, `previous` when a predecessor is given, then every leaf
 * (format, strict order, haircut <= base, the exact allocation and rounding
 * order), the leaf count, the totals and the root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyPublication } from "../../mod.ts";
 *
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, keys);
 * assert.equal(report.ok, true);
 * assert.deepEqual(report.errors, []);
 * assert.ok(report.checks.every((c) => c.status === "pass"));
 * ```
 * @example A signature removed: nothing after the signatures is trusted
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKeysFile, verifyPublication } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered";
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile(`${dir}/signature-removed/statement.dsse.json`),
 *   leaves: await Deno.readFile(`${dir}/base/leaves.csv`),
 * }, parseKeysFile(await Deno.readTextFile(`${dir}/base/keys.json`)));
 * assert.deepEqual(report.errors.map((e) => e.code), ["SIGNATURE_THRESHOLD"]);
 * assert.equal(report.statement, undefined);
 * assert.equal(report.checks.find((c) => c.name === "root")?.status, "skip");
 * ```
 */
export async function verifyPublication(
  input: PublicationInput,
  keys: KeysFile,
  options: VerifyPublicationOptions = {},
): Promise<PublicationReport> {
  const findings = new FindingCollector(options.maxErrors ?? 1000);
  const reached = new Set<string>();
  const summary: PublicationSummary = { ...emptyTally(), roundingUnits: 0 };
  const opened = openStatement(input.envelope, keys, findings, reached);
  const s = opened.statement;
  // The codes of bankrupt.csv's own findings, once it was checked, so that its check and the leaves' are told apart.
  let bankrupt: { codes: ReadonlySet<ErrorCode>; before: ReadonlySet<ErrorCode> } | undefined;
  const report = (): PublicationReport => ({
    ok: findings.count === 0,
    kind: "publication",
    ...(opened.digest ? { digest: opened.digest } : {}),
    ...(s ? { statement: s } : {}),
    signers: opened.signers,
    summary,
    checks: [
      ...checkList(PUBLICATION_CHECKS, bankrupt?.before ?? findings.codes, reached).filter((c) =>
        (c.name !== "chain" || options.previous !== undefined) &&
        (c.name !== "rounding order" || s?.policy.rate === undefined) // no ranking under a rate policy
      ),
      ...(s?.deficitTree ? checkList(BANKRUPT_CHECKS, bankrupt?.codes ?? new Set(), reached) : []),
    ],
    errors: findings.kept,
    errorCount: findings.count,
  });
  if (!s) return report();
  if (options.previous !== undefined) {
    findings.addAll(checkPrevious(s, options.previous));
    reached.add("chain");
  }

  const { totalBase: P } = s.tree;
  const context: LeafPassContext = {
    params: {
      target: s.target,
      totalBase: P,
      rounding: P === 0n && s.target !== 0n && !s.policy.rate ? undefined : s.policy.rounding,
      ...(s.policy.rate ? { rate: s.policy.rate } : {}),
      maxFindings: findings.limit,
    },
    findings,
    ...(options.progress ? { progress: options.progress } : {}),
  };
  const workers = options.workers ?? 0;
  // A file longer than leafCount rows can ever be is not read to its end: an endless stream cannot hang the verifier.
  const byteLimit = LEAVES_HEADER.length + 1 + (s.tree.leafCount + 1) * (MAX_LINE_BYTES + 1);
  const limited = boundedChunks(input.leaves, byteLimit);
  const source = limited.chunks;
  const leaves = workers >= 2
    ? await checkLeavesParallel(source, context, { workers, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE })
    : await checkLeavesSerial(source, context);
  addTally(summary, leaves.tally);
  reached.add("leaf format").add("leaf order").add("haircut <= base");
  for (const rule of leaves.rules) findings.addAll(rule.finish());
  const rounding = leaves.rules.find((rule) => rule instanceof RoundingChecker);
  if (rounding) {
    summary.roundingUnits = rounding.roundingUnits;
    reached.add("allocation").add("rounding order");
  }
  if (leaves.rules.some((rule) => rule instanceof RateChecker)) reached.add("allocation");
  if (limited.exceeded) {
    findings.add({
      code: "LEAF_COUNT_MISMATCH",
      message: `leaves.csv is longer than ${byteLimit} bytes, more than leafCount ${s.tree.leafCount} rows can take; ` +
        "stopped reading",
    });
  } else if (summary.leaves !== s.tree.leafCount) {
    findings.add({
      code: "LEAF_COUNT_MISMATCH",
      message: `leaves.csv has ${summary.leaves} ${leaves.formatOk ? "" : "well-formed "}rows, ` +
        `the statement says leafCount ${s.tree.leafCount}`,
    });
  }
  reached.add("leaf count");
  if (summary.totalBase !== s.tree.totalBase) {
    findings.add({
      code: "TOTAL_MISMATCH",
      message: `the bases add up to ${summary.totalBase}, the statement says totalBase ${s.tree.totalBase}`,
    });
  }
  if (summary.collected !== s.tree.totalHaircut) {
    findings.add({
      code: "TOTAL_MISMATCH",
      message: `the haircuts add up to ${summary.collected}, the statement says totalHaircut ${s.tree.totalHaircut}`,
    });
  }
  reached.add("totals");
  const rootChecked = checkRoot(leaves, s.tree.root, findings, {
    overflow: "the tree sums reach 2^128 at the root",
    mismatch: (root, signed) => `the leaves hash to root ${root}, the statement says ${signed}`,
  });
  if (rootChecked) reached.add("root");
  if (s.deficitTree) {
    const before = new Set(findings.codes);
    const own = await checkBankrupt(input.bankrupt, s.deficitTree, findings.limit);
    for (const f of own.kept) {
      const message = `${BANKRUPT_CSV.file}${f.message.startsWith(":") ? "" : " "}${f.message}`;
      findings.add({ ...f, message, file: BANKRUPT_CSV.file });
    }
    findings.count += own.count - own.kept.length;
    for (const code of own.codes) findings.codes.add(code);
    bankrupt = { codes: own.codes, before };
    reached.add("deficit tree (bankrupt.csv)");
  }
  return report();
}

/**
 * Re-derives `bankrupt.csv` against the signed deficit tree (format v1.1), in
 * the same streaming pass as `leaves.csv` and with its checks: format,
 * strict order, the signed count, the losses against the signed total, and
 * the root. Its findings are returned apart, to be named after the file.
 */
async function checkBankrupt(
  source: ByteSource | undefined,
  head: DeficitTreeHead,
  limit: number,
): Promise<FindingCollector> {
  const findings = new FindingCollector(limit);
  if (source === undefined) {
    findings.add({
      code: "LEAF_COUNT_MISMATCH",
      message: `is missing: the statement commits to a deficit tree of ${head.leafCount} bankrupt accounts`,
    });
    return findings;
  }
  const byteLimit = BANKRUPT_CSV.header.length + 1 + (head.leafCount + 1) * (MAX_LINE_BYTES + 1);
  const limited = boundedChunks(source, byteLimit);
  const pass = await checkLeavesSerial(
    limited.chunks,
    { params: { target: 0n, totalBase: 0n, rounding: undefined, maxFindings: limit }, findings },
    { format: BANKRUPT_CSV },
  );
  const { tally } = pass;
  if (limited.exceeded) {
    findings.add({
      code: "LEAF_COUNT_MISMATCH",
      message: `is longer than ${byteLimit} bytes, more than deficitTree.leafCount ${head.leafCount} rows can take; ` +
        "stopped reading",
    });
  } else if (tally.leaves !== head.leafCount) {
    findings.add({
      code: "LEAF_COUNT_MISMATCH",
      message: `has ${tally.leaves} ${pass.formatOk ? "" : "well-formed "}rows, ` +
        `the statement says deficitTree.leafCount ${head.leafCount}`,
    });
  }
  if (tally.totalBase !== head.total) {
    findings.add({
      code: "TOTAL_MISMATCH",
      message: `: the losses add up to ${tally.totalBase}, the statement says deficitTree.total ${head.total}`,
    });
  }
  checkRoot(pass, head.root, findings, {
    overflow: ": the loss sums reach 2^128 at the root",
    mismatch: (root, signed) => `: the losses hash to root ${root}, the statement says deficitTree.root ${signed}`,
  });
  return findings;
}

/**
 * The root of a pass's hashed leaves against the signed root, when every
 * line was well formed and nothing overflowed on the way: `TOTAL_MISMATCH`
 * when a sum reaches 2^128 at the root, `ROOT_MISMATCH` when it differs.
 *
 * @returns True when a root was computed.
 */
function checkRoot(
  pass: { formatOk: boolean; overflow: boolean; tree: { count: number; root(): SumNode } },
  signed: Uint8Array,
  findings: FindingCollector,
  words: { overflow: string; mismatch: (root: string, signed: string) => string },
): boolean {
  if (!pass.formatOk || pass.overflow || pass.tree.count === 0) return false;
  let root: SumNode;
  try {
    root = pass.tree.root();
  } catch (e) {
    if (!(e instanceof SumOverflowError)) throw e;
    findings.add({ code: "TOTAL_MISMATCH", message: words.overflow });
    return false;
  }
  if (!equalBytes(root.hash, signed)) {
    findings.add({ code: "ROOT_MISMATCH", message: words.mismatch(bytesToHex(root.hash), bytesToHex(signed)) });
  }
  return true;
}
