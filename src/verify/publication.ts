/**
 * The full publication check an auditor or CI runs: the signed statement,
 * then every leaf of `leaves.csv` in one streaming pass.
 *
 * @module
 */

import type { LogProofResult } from "./log_proof.ts";
import { bytesToHex, equalBytes } from "../core/encoding.ts";
import { type ErrorCode, type Finding, FormatError } from "../core/errors.ts";
import { sumLeaf, type SumNode } from "../core/sum_tree.ts";
import { type Envelope, parseEnvelope, type SignerResult } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { type LeafRow, LEAVES_HEADER, LeavesParser, MAX_LINE_BYTES } from "../format/leaves.ts";
import { parseStatementPayload, payloadDigest, type Statement } from "../format/statement.ts";
import { FindingCollector, type LeafBatchParams, RowChecks, sumOverflowFinding } from "./_leaf_batch.ts";
import { checkLeavesParallel, chunksOf, DEFAULT_BATCH_SIZE, emptyOutcome, type LeavesOutcome } from "./_parallel.ts";
import { checkList, type CheckResult, type Findings, openStatement } from "./_statement.ts";
/**
 * The outcome of {@linkcode verifyPublication}.
 *
 * @example
 * ```ts
 * import type { PublicationReport } from "./publication.ts";
 * declare const r: PublicationReport;
 * if (!r.ok) console.log(r.errors[0].code);
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
 * import type { PublicationSummary } from "./publication.ts";
 * declare const s: PublicationSummary;
 * s.collected <= s.totalBase;
 * ```
 */
export interface PublicationSummary {
  /** Rows read. */
  leaves: number;
  /** Leaves with a non-zero haircut. */
  charged: number;
  /** The sum of bases read. */
  totalBase: bigint;
  /** The sum of haircuts read. */
  collected: bigint;
  /** Leaves that received a largest-remainder rounding unit. */
  roundingUnits: number;
}

/** Options for {@linkcode verifyPublication}. */
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
 * import type { PublicationInput } from "./publication.ts";
 * const input: PublicationInput = {
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: (await Deno.open("fixtures/example/leaves.csv")).readable,
 * };
 * ```
 */
export interface PublicationInput {
  /** The text of `statement.dsse.json`. */
  envelope: string;
  /** The bytes of `leaves.csv`. */
  leaves: AsyncIterable<Uint8Array> | Uint8Array;
}

const PUBLICATION_CHECKS: readonly (readonly [string, readonly ErrorCode[]])[] = [
  ["envelope", ["ENVELOPE_INVALID", "PAYLOAD_TYPE"]],
  ["signatures", ["SIGNATURE_INVALID", "SIGNATURE_THRESHOLD"]],
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
 * Reads a file in chunks of `chunkSize` bytes (1 MiB by default), each a
 * fresh array, and closes it at the end. For a large `leaves.csv` this costs
 * the main thread about a fifth of what `file.readable`'s 64 KiB chunks do.
 *
 * @example
 * ```ts
 * import { fileChunks, parseKeysFile, verifyPublication } from "../../mod.ts";
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: fileChunks(await Deno.open("fixtures/example/leaves.csv")),
 * }, keys, { workers: navigator.hardwareConcurrency });
 * report.ok; // true
 * ```
 */
export async function* fileChunks(
  file: { read(buffer: Uint8Array): Promise<number | null>; close(): void },
  chunkSize: number = 1 << 20,
): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      const buffer = new Uint8Array(chunkSize);
      let filled = 0;
      while (filled < chunkSize) {
        const n = await file.read(buffer.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      if (filled > 0) yield filled === chunkSize ? buffer : buffer.subarray(0, filled);
      if (filled < chunkSize) return;
    }
  } finally {
    file.close();
  }
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
 * import { parseKeysFile, verifyPublication } from "../../mod.ts";
 * const keys = parseKeysFile(await Deno.readTextFile("fixtures/example/keys.json"));
 * const report = await verifyPublication({
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 *   leaves: await Deno.readFile("fixtures/example/leaves.csv"),
 * }, keys);
 * report.ok; // true
 * ```
 */
export async function verifyPublication(
  input: PublicationInput,
  keys: KeysFile,
  options: VerifyPublicationOptions = {},
): Promise<PublicationReport> {
  const findings = new FindingCollector(options.maxErrors ?? 1000);
  const reached = new Set<string>();
  const summary: PublicationSummary = { leaves: 0, charged: 0, totalBase: 0n, collected: 0n, roundingUnits: 0 };
  const opened = openStatement(input.envelope, keys, findings, reached);
  const s = opened.statement;
  const report = (): PublicationReport => ({
    ok: findings.count === 0,
    kind: "publication",
    ...(opened.digest ? { digest: opened.digest } : {}),
    ...(s ? { statement: s } : {}),
    signers: opened.signers,
    summary,
    checks: checkList(PUBLICATION_CHECKS, findings.codes, reached).filter((c) =>
      c.name !== "chain" || options.previous !== undefined
    ),
    errors: findings.kept,
    errorCount: findings.count,
  });
  if (!s) return report();
  if (options.previous !== undefined) {
    findings.addAll(checkPrevious(s, options.previous));
    reached.add("chain");
  }

  const { totalBase: P } = s.tree;
  const params: LeafBatchParams = {
    target: s.target,
    totalBase: P,
    rounding: P === 0n && s.target !== 0n ? undefined : s.policy.rounding,
    maxFindings: findings.limit,
  };
  const workers = options.workers ?? 0;
  // A file longer than leafCount rows can ever be is not read to its end: an endless stream cannot hang the verifier.
  const byteLimit = LEAVES_HEADER.length + 1 + (s.tree.leafCount + 1) * (MAX_LINE_BYTES + 1);
  const limited = boundedChunks(input.leaves, byteLimit);
  const source = limited.chunks;
  const leaves = workers >= 2
    ? await checkLeavesParallel(source, params, findings, {
      workers,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      ...(options.progress ? { progress: options.progress } : {}),
    })
    : await checkLeavesSerial(source, params, findings, options.progress);
  summary.leaves = leaves.leaves;
  summary.charged = leaves.charged;
  summary.totalBase = leaves.totalBase;
  summary.collected = leaves.collected;
  reached.add("leaf format").add("leaf order").add("haircut <= base");
  const rounding = leaves.rounding;
  if (rounding) {
    findings.addAll(rounding.finish());
    summary.roundingUnits = rounding.roundingUnits;
    reached.add("allocation").add("rounding order");
  }
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
  if (leaves.formatOk && !leaves.overflow && leaves.builder.count > 0) {
    let root: SumNode | undefined;
    try {
      root = leaves.builder.root();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      findings.add({ code: "TOTAL_MISMATCH", message: `the tree sums reach 2^128 at the root` });
    }
    if (root && !equalBytes(root.hash, s.tree.root)) {
      findings.add({
        code: "ROOT_MISMATCH",
        message: `the leaves hash to root ${bytesToHex(root.hash)}, the statement says ${bytesToHex(s.tree.root)}`,
      });
    }
    if (root) reached.add("root");
  }
  return report();
}

/**
 * The serial pass over `leaves.csv`, in this thread: the reference that the
 * parallel pass (`verify_parallel.ts`) must match finding for finding.
 */
async function checkLeavesSerial(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  params: LeafBatchParams,
  findings: Findings,
  progress: ((bytes: number) => void) | undefined,
): Promise<LeavesOutcome> {
  const outcome = emptyOutcome(params);
  const { builder } = outcome;
  const checks = new RowChecks(outcome.rounding, findings);
  const onRow = (row: LeafRow): void => {
    checks.check(row);
    if (!outcome.formatOk || outcome.overflow) return;
    try {
      builder.push(sumLeaf(row.key, row.base, row.haircut));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      outcome.overflow = true;
      findings.add(sumOverflowFinding(row.line, row.index));
    }
  };
  const parser = new LeavesParser({
    row: onRow,
    invalid: (f) => {
      outcome.formatOk = false;
      findings.add(f);
    },
  });
  let bytes = 0;
  for await (const chunk of chunksOf(source)) {
    parser.push(chunk);
    bytes += chunk.length;
    progress?.(bytes);
  }
  parser.end();
  return {
    ...outcome,
    leaves: checks.leaves,
    charged: checks.charged,
    totalBase: checks.totalBase,
    collected: checks.collected,
  };
}

/** Yields chunks until `limit` bytes have passed, then stops and records that the source went on. */
function boundedChunks(
  source: AsyncIterable<Uint8Array> | Uint8Array,
  limit: number,
): { chunks: AsyncIterable<Uint8Array>; readonly exceeded: boolean } {
  const state = { exceeded: false };
  async function* chunks(): AsyncIterable<Uint8Array> {
    let seen = 0;
    for await (const chunk of chunksOf(source)) {
      if (seen + chunk.length > limit) {
        state.exceeded = true;
        yield chunk.subarray(0, limit - seen);
        return;
      }
      seen += chunk.length;
      yield chunk;
    }
  }
  return {
    chunks: chunks(),
    get exceeded(): boolean {
      return state.exceeded;
    },
  };
}
