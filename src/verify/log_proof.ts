/**
 * The trader's check of a statement's log proof (SPEC §17): the
 * `.tlog-proof` checkpoint is signed by the pinned log key, cosigned by a
 * quorum of the pinned witnesses, and includes the statement's digest.
 * Pure, with no Deno API, so the web page runs it as the CLI does.
 *
 * @module
 */

import { bytesToHex, hexToBytes } from "../core/encoding.ts";
import type { ErrorCode, Finding } from "../core/errors.ts";
import { inclusionProblem, rfc6962LeafHash } from "../core/rfc6962.ts";
import { type Checkpoint, parseCheckpoint } from "../tlog/checkpoint.ts";
import { keyIdHex, NoteError, type OpenedNote, openNote } from "../tlog/note.ts";
import type { LogPolicy } from "../tlog/policy.ts";
import { parseTlogProof, type TlogProof } from "../tlog/proof_file.ts";
import { checkList, type CheckResult } from "./_statement.ts";

/** The three log checks and the codes each owns, in order. */
const LOG_CHECKS: readonly (readonly [string, readonly ErrorCode[]])[] = [
  ["log signature", ["LOG_PROOF_INVALID", "LOG_SIGNATURE_INVALID"]],
  ["witness quorum", ["WITNESS_QUORUM"]],
  ["log inclusion", ["LOG_INCLUSION_MISMATCH"]],
];

/**
 * One pinned witness and whether it cosigned the checkpoint.
 *
 * @example One of the two pinned witnesses cosigned
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLogPolicy, verifyLogProof, type WitnessResult } from "../../tlog.ts";
 * import { parseEnvelope, payloadDigest } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/log-quorum-not-met";
 * const digest = payloadDigest(parseEnvelope(await Deno.readTextFile(`${dir}/statement.dsse.json`)).payload);
 * const policy = parseLogPolicy(await Deno.readTextFile(`${dir}/log-policy.json`));
 * const witnesses: WitnessResult[] = verifyLogProof(digest, await Deno.readTextFile(`${dir}/statement.tlog-proof`), policy).witnesses;
 * assert.deepEqual(witnesses, [
 *   { name: "w1.tampered.example", keyId: "80dea459", cosigned: true, timestamp: 1767225600, time: "2026-01-01T00:00:00Z" },
 *   { name: "w2.tampered.example", keyId: "7f4b8e79", cosigned: false },
 * ]);
 * ```
 */
export interface WitnessResult {
  /** The witness's key name. */
  name: string;
  /** Its key ID, 8 hex digits. */
  keyId: string;
  /** Whether a valid cosignature of it is on the checkpoint. */
  cosigned: boolean;
  /** The cosignature's POSIX timestamp, when cosigned. */
  timestamp?: number;
  /** The same time as RFC 3339 UTC, when cosigned. */
  time?: string;
}

/**
 * The outcome of {@linkcode verifyLogProof}.
 *
 * @example A quorum of two with one cosignature fails only the quorum check
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LogProofResult, parseLogPolicy, verifyLogProof } from "../../tlog.ts";
 * import { parseEnvelope, payloadDigest } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/log-quorum-not-met";
 * const digest = payloadDigest(parseEnvelope(await Deno.readTextFile(`${dir}/statement.dsse.json`)).payload);
 * const policy = parseLogPolicy(await Deno.readTextFile(`${dir}/log-policy.json`));
 * const r: LogProofResult = verifyLogProof(digest, await Deno.readTextFile(`${dir}/statement.tlog-proof`), policy);
 * assert.equal(r.ok, false);
 * assert.equal(r.origin, "tampered.example/haircut-log");
 * assert.equal(r.index, 1);
 * assert.equal(r.size, 2);
 * assert.equal(r.root, "d69148fb77bf91edf9e20bfbf9108fb8990f372b24e7a0e1eff44d16a2ad69ad");
 * assert.equal(r.quorum, 2);
 * assert.deepEqual(r.checks.map((c) => [c.name, c.status]), [
 *   ["log signature", "pass"],
 *   ["witness quorum", "fail"],
 *   ["log inclusion", "pass"],
 * ]);
 * assert.deepEqual(r.errors, [{
 *   code: "WITNESS_QUORUM",
 *   message: "1 of the 2 pinned witnesses cosigned the checkpoint, the policy needs 2",
 * }]);
 * ```
 */
export interface LogProofResult {
  /** True when all three checks passed. */
  ok: boolean;
  /** The origin the policy pins. */
  origin: string;
  /** The entry's index, once the proof parsed. */
  index?: number;
  /** The checkpoint's tree size, once it was opened. */
  size?: number;
  /** The checkpoint's root as hex, once it was opened. */
  root?: string;
  /** Every pinned witness, in policy order. */
  witnesses: WitnessResult[];
  /** The quorum the policy requires. */
  quorum: number;
  /** The three checks. */
  checks: CheckResult[];
  /** The findings. */
  errors: Finding[];
}

function isoTime(seconds: number): string | undefined {
  const ms = seconds * 1000;
  return Number.isSafeInteger(ms) && ms <= 8.64e15 ? new Date(ms).toISOString().replace(".000Z", "Z") : undefined;
}

/**
 * Checks a statement's log proof against a pinned policy:
 * - "log signature": the `.tlog-proof` parses (`LOG_PROOF_INVALID`), its
 *   checkpoint is for the pinned origin and signed by the pinned log key
 *   (`LOG_SIGNATURE_INVALID`); a pinned key's signature that does not
 *   verify rejects the whole checkpoint;
 * - "witness quorum": at least `quorum` distinct pinned witnesses cosigned
 *   it (`WITNESS_QUORUM`);
 * - "log inclusion": the RFC 6962 leaf `SHA-256(0x00 || digest)` is at the
 *   proof's index under the checkpoint's root (`LOG_INCLUSION_MISMATCH`).
 *
 * Precondition: `digest` is the statement's 64-hex-digit payload digest.
 *
 * @example The fixtures' three ways a log proof fails
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLogPolicy, verifyLogProof } from "../../tlog.ts";
 * import { parseEnvelope, payloadDigest } from "../../mod.ts";
 *
 * const codes: string[] = [];
 * for (const name of ["log-other-statement", "log-proof-garbled", "log-signed-by-another-key"]) {
 *   const dir = `fixtures/tampered/${name}`;
 *   const digest = payloadDigest(parseEnvelope(await Deno.readTextFile(`${dir}/statement.dsse.json`)).payload);
 *   const policy = parseLogPolicy(await Deno.readTextFile(`${dir}/log-policy.json`));
 *   const r = verifyLogProof(digest, await Deno.readTextFile(`${dir}/statement.tlog-proof`), policy);
 *   assert.equal(r.ok, false);
 *   codes.push(...r.errors.map((e) => e.code));
 * }
 * assert.deepEqual(codes, ["LOG_INCLUSION_MISMATCH", "LOG_PROOF_INVALID", "LOG_SIGNATURE_INVALID"]);
 * ```
 *
 * @example A log, one witness, a proof that holds
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStatement, cosignatureSigner, ed25519NoteSigner, initLog, mergeCosignatures, parseLogPolicy, parseNote, proveStatement, signNote, verifyLogProof } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const log = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519"));
 * const witness = cosignatureSigner("w.example", generateSigningKey("ed25519"), 1700000000);
 * const digest = "ab".repeat(32);
 * let state = appendStatement(initLog("example.com/log", log), { digest, venue: "V", previous: null }, log);
 * const cosignature = signNote(parseNote(state.checkpoint).text, [witness]).split("\n\n")[1];
 * state = mergeCosignatures(state, [cosignature]);
 * const policy = parseLogPolicy(JSON.stringify({ origin: "example.com/log", log: log.vkey, witnesses: [witness.vkey], quorum: 1 }));
 * const r = verifyLogProof(digest, proveStatement(state, digest), policy);
 * assert.equal(r.ok, true);
 * assert.equal(r.witnesses[0].time, "2023-11-14T22:13:20Z");
 * assert.equal(verifyLogProof("cd".repeat(32), proveStatement(state, digest), policy).errors[0].code, "LOG_INCLUSION_MISMATCH");
 * ```
 */
export function verifyLogProof(digest: string, proofText: string, policy: LogPolicy): LogProofResult {
  const leaf = rfc6962LeafHash(hexToBytes(digest, 32));
  const errors: Finding[] = [];
  const reached = new Set<string>();
  let proof: TlogProof | undefined;
  let checkpoint: Checkpoint | undefined;
  let opened: OpenedNote | undefined;
  const result = (): LogProofResult => {
    // The policy's keys have distinct (name, key ID), so the log's own signature matches no witness.
    const cosigned = new Map((opened?.verified ?? []).map((v) => [`${v.name}+${v.keyId}`, v]));
    return {
      ok: errors.length === 0,
      origin: policy.origin,
      ...(proof ? { index: proof.index } : {}),
      ...(checkpoint ? { size: checkpoint.size, root: bytesToHex(checkpoint.root) } : {}),
      witnesses: policy.witnesses.map((w): WitnessResult => {
        const v = cosigned.get(`${w.name}+${w.keyId}`);
        const time = v?.timestamp === undefined ? undefined : isoTime(v.timestamp);
        return {
          name: w.name,
          keyId: keyIdHex(w.keyId),
          cosigned: v !== undefined,
          ...(v?.timestamp !== undefined ? { timestamp: v.timestamp } : {}),
          ...(time ? { time } : {}),
        };
      }),
      quorum: policy.quorum,
      checks: checkList(LOG_CHECKS, new Set(errors.map((e) => e.code)), reached),
      errors,
    };
  };
  try {
    proof = parseTlogProof(proofText);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    errors.push({ code: "LOG_PROOF_INVALID", message: e.message });
    return result();
  }
  try {
    opened = openNote(proof.checkpoint, [policy.log, ...policy.witnesses]);
  } catch (e) {
    if (!(e instanceof NoteError)) throw e;
    const byLog = e.signer?.name === policy.log.name && e.signer.keyId === policy.log.keyId;
    const code: ErrorCode = e.problem === "malformed"
      ? "LOG_PROOF_INVALID"
      : e.problem === "invalid-signature" && !byLog
      ? "WITNESS_QUORUM"
      : "LOG_SIGNATURE_INVALID";
    const message = e.problem === "unverified"
      ? `checkpoint: not signed by the pinned log key ${policy.log.name}`
      : `checkpoint: ${e.message}`;
    errors.push({ code, message: code === "WITNESS_QUORUM" ? `${message}; the checkpoint is refused` : message });
    return result();
  }
  if (
    !opened.verified.some((v) =>
      v.type === policy.log.type && v.name === policy.log.name && v.keyId === policy.log.keyId
    )
  ) {
    errors.push({
      code: "LOG_SIGNATURE_INVALID",
      message: `checkpoint: not signed by the pinned log key ${policy.log.name}`,
    });
    return result();
  }
  try {
    checkpoint = parseCheckpoint(opened.text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    errors.push({ code: "LOG_PROOF_INVALID", message: e.message });
    return result();
  }
  if (checkpoint.origin !== policy.origin) {
    errors.push({
      code: "LOG_PROOF_INVALID",
      message: `the checkpoint is from log ${JSON.stringify(checkpoint.origin)}, the policy pins ${
        JSON.stringify(policy.origin)
      }`,
    });
    return result();
  }
  reached.add("log signature");
  const count = result().witnesses.filter((w) => w.cosigned).length;
  if (count < policy.quorum) {
    errors.push({
      code: "WITNESS_QUORUM",
      message:
        `${count} of the ${policy.witnesses.length} pinned witnesses cosigned the checkpoint, the policy needs ${policy.quorum}`,
    });
  }
  reached.add("witness quorum");
  const problem = proof.index >= checkpoint.size
    ? `index ${proof.index} is outside the checkpoint's tree of ${checkpoint.size}`
    : inclusionProblem({
      index: proof.index,
      size: checkpoint.size,
      leafHash: leaf,
      proof: proof.path,
      root: checkpoint.root,
    });
  if (problem) {
    errors.push({
      code: "LOG_INCLUSION_MISMATCH",
      message: `statement ${digest} is not proven in the log: ${problem}`,
    });
  }
  reached.add("log inclusion");
  return result();
}

/**
 * Adds the log checks to a proof or publication report: runs
 * {@linkcode verifyLogProof} on the report's digest, appends its three
 * checks and findings, and sets `log`. Without a digest (the envelope did
 * not parse) the three checks are listed as skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, type LogCheckedReport, parseLogPolicy, withLogProof } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const log = ed25519NoteSigner("o.example", generateSigningKey("ed25519")).vkey;
 * const policy = parseLogPolicy(JSON.stringify({ origin: "o.example", log, witnesses: [], quorum: 0 }));
 * const unopened: LogCheckedReport = { ok: false, checks: [], errors: [], errorCount: 0 };
 * const r = withLogProof(unopened, { proof: "", policy });
 * assert.deepEqual(r.checks.map((c) => c.status), ["skip", "skip", "skip"]);
 * ```
 */
export function withLogProof<R extends LogCheckedReport>(
  report: R,
  log: { proof: string; policy: LogPolicy },
): R & { log?: LogProofResult } {
  if (report.digest === undefined) {
    return { ...report, checks: [...report.checks, ...checkList(LOG_CHECKS, new Set(), new Set())] };
  }
  const result = verifyLogProof(report.digest, log.proof, log.policy);
  return {
    ...report,
    ok: report.ok && result.ok,
    log: result,
    checks: [...report.checks, ...result.checks],
    errors: [...report.errors, ...result.errors],
    errorCount: report.errorCount + result.errors.length,
  };
}

/**
 * What {@linkcode withLogProof} needs of a report.
 *
 * @example A proof report is one
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LogCheckedReport, parseLogPolicy, withLogProof } from "../../tlog.ts";
 * import { parseKeysFile, verifyProof } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/log-quorum-not-met";
 * const report: LogCheckedReport = verifyProof({
 *   proof: await Deno.readTextFile(`${dir}/proof.json`),
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 * }, parseKeysFile(await Deno.readTextFile("fixtures/tampered/base/keys.json")));
 * assert.equal(report.ok, true);
 * assert.equal(report.digest, "2b94de55d2c74e8d322010c4cb3d7a4c13b23f11676ac6d5717983e216f80d5d");
 * const policy = parseLogPolicy(await Deno.readTextFile(`${dir}/log-policy.json`));
 * const checked = withLogProof(report, { proof: await Deno.readTextFile(`${dir}/statement.tlog-proof`), policy });
 * assert.equal(checked.ok, false);
 * assert.equal(checked.errorCount, report.errorCount + 1);
 * ```
 */
export interface LogCheckedReport {
  /** Whether every check passed so far. */
  ok: boolean;
  /** The statement's digest, once the envelope parsed. */
  digest?: string;
  /** The checks so far. */
  checks: CheckResult[];
  /** The findings kept so far. */
  errors: Finding[];
  /** How many findings in all. */
  errorCount: number;
}
