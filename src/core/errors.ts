/**
 * Stable error codes and the structured finding every check returns.
 *
 * @module
 */

/**
 * The stable error codes of SPEC §12, plus codes added later. None is ever renamed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ERROR_CODES } from "../../mod.ts";
 *
 * assert.ok(ERROR_CODES.includes("ROUNDING_ORDER"));
 * assert.equal(ERROR_CODES[0], "SIGNATURE_INVALID");
 * ```
 */
export const ERROR_CODES = [
  "SIGNATURE_INVALID",
  "SIGNATURE_THRESHOLD",
  "PAYLOAD_TYPE",
  "NON_CANONICAL",
  "STATEMENT_INVALID",
  "ARITHMETIC",
  "LEAF_INVALID",
  "LEAF_ORDER",
  "LEAF_COUNT_MISMATCH",
  "ROOT_MISMATCH",
  "TOTAL_MISMATCH",
  "HAIRCUT_EXCEEDS_BASE",
  "HAIRCUT_MISMATCH",
  "ROUNDING_ORDER",
  "PROOF_INVALID",
  "PROOF_ROOT_MISMATCH",
  "STATEMENT_DIGEST_MISMATCH",
  "CHAIN_BROKEN",
  "ENVELOPE_INVALID",
  "CHAIN_GAP",
  "CHAIN_FORK",
  "CHAIN_REORDERED",
  "LOG_PROOF_INVALID",
  "LOG_SIGNATURE_INVALID",
  "WITNESS_QUORUM",
  "LOG_INCLUSION_MISMATCH",
  "SIGNATURE_REQUIRED",
] as const;

/**
 * One of {@linkcode ERROR_CODES}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ERROR_CODES, type ErrorCode } from "../../mod.ts";
 *
 * const code: ErrorCode = "ROOT_MISMATCH";
 * assert.ok(ERROR_CODES.includes(code));
 * ```
 */
export type ErrorCode = typeof ERROR_CODES[number];

/**
 * One problem found by a check: a stable code, a one-line message with the
 * numbers involved, and the leaf index where there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkArithmetic, type Finding, parseEnvelope, parseStatementPayload } from "../../mod.ts";
 *
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const statement = parseStatementPayload(envelope.payload);
 * const findings: Finding[] = checkArithmetic({ ...statement, shortfall: statement.shortfall + 1n });
 * assert.equal(findings[0].code, "ARITHMETIC");
 * assert.equal(findings[0].leaf, undefined);
 * ```
 */
export interface Finding {
  /** The stable error code. */
  code: ErrorCode;
  /** A one-line message with the numbers involved. */
  message: string;
  /** The zero-based leaf index, when the problem belongs to one leaf. */
  leaf?: number;
  /** The publication file the problem is in, when it is not `leaves.csv` or the statement (v1.1: `bankrupt.csv`). */
  file?: string;
}

/**
 * Thrown when publication content (statement, envelope, leaf, proof) is
 * malformed. Carries the finding that describes it. The CLI maps it to exit 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FormatError, parseProof } from "../../mod.ts";
 *
 * const e = new FormatError("LEAF_INVALID", "bad amount", 4);
 * assert.deepEqual(e.finding, { code: "LEAF_INVALID", message: "bad amount", leaf: 4 });
 * assert.throws(() => parseProof("{}"), (err) => err instanceof FormatError && err.finding.code === "PROOF_INVALID");
 * ```
 */
export class FormatError extends Error {
  /** The structured finding. */
  readonly finding: Finding;

  /** Creates the error from a code, a message and an optional leaf index. */
  constructor(code: ErrorCode, message: string, leaf?: number) {
    super(message);
    this.name = "FormatError";
    this.finding = leaf === undefined ? { code, message } : { code, message, leaf };
  }
}

/**
 * Thrown when a command cannot run: bad usage, a missing or unreadable file,
 * or a malformed file that the user supplies (keys, signing key, accounts,
 * event). The CLI maps it to exit 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputError, parseKeysFile } from "../../mod.ts";
 *
 * assert.throws(() => parseKeysFile("{}"), InputError);
 * ```
 */
export class InputError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * Thrown by the sum tree when a node's base or haircut sum reaches 2^128,
 * and by nothing else: the verifier turns exactly this error into a
 * `TOTAL_MISMATCH` (or `PROOF_INVALID`) finding, so that any other error, an
 * internal bug, propagates instead of becoming a verdict. It carries the two
 * sums, at least one of which is at least 2^128. It is a `RangeError`, for
 * callers that catch any value out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SumOverflowError, sumLeaf, sumNode } from "../../tree.ts";
 *
 * const big = sumLeaf(new Uint8Array(32), 2n ** 127n, 0n);
 * assert.throws(() => sumNode(big, big), (e) => e instanceof SumOverflowError && e.base === 2n ** 128n);
 * ```
 */
export class SumOverflowError extends RangeError {
  /** The node's base sum. */
  readonly base: bigint;
  /** The node's haircut sum. */
  readonly haircut: bigint;

  /** Creates the error for a node whose sums are `base` and `haircut`. */
  constructor(base: bigint, haircut: bigint) {
    super(`node sum (${base}, ${haircut}) reaches 2^128`);
    this.name = "SumOverflowError";
    this.base = base;
    this.haircut = haircut;
  }
}
