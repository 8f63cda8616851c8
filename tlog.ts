/**
 * The statement log and its witnesses, in the C2SP formats the transparency
 * ecosystem speaks (docs/SPEC.md section 17, docs/transparency.md): signed
 * notes, checkpoints, `cosignature/v1`, `tlog-proof` files and tlog-witness
 * `add-checkpoint` bodies; the venue's log as pure state transitions; the
 * witness's decisions; and the trader's check of a log proof against a
 * pinned log policy. The RFC 6962 tree these formats carry is in `tree.ts`.
 *
 * - A venue keeps a {@linkcode LogState}: {@linkcode initLog},
 *   {@linkcode appendStatement}, {@linkcode addCheckpointRequest} for each
 *   witness, {@linkcode mergeCosignatures} with their answers, and
 *   {@linkcode proveStatement} for its traders.
 * - A witness operator answers each `add-checkpoint` request with
 *   {@linkcode readAddCheckpoint} then, holding the origin's lock,
 *   {@linkcode decideAddCheckpoint}.
 * - A trader pins a {@linkcode LogPolicy} and runs
 *   {@linkcode verifyLogProof}, or {@linkcode withLogProof} on a report of
 *   `mod.ts`.
 *
 * @example The whole flow: log the example statement, have it witnessed, prove it
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   addCheckpointRequest,
 *   appendStatement,
 *   decideAddCheckpoint,
 *   ed25519NoteSigner,
 *   initLog,
 *   mergeCosignatures,
 *   parseLogPolicy,
 *   proveStatement,
 *   readAddCheckpoint,
 *   verifyLogProof,
 *   witnessConfig,
 * } from "./tlog.ts";
 * import { parseEnvelope, parseStatementPayload, payloadDigest } from "./mod.ts";
 * import { generateSigningKey } from "./publish.ts";
 *
 * // The venue logs its statement.
 * const envelope = parseEnvelope(await Deno.readTextFile("fixtures/example/statement.dsse.json"));
 * const statement = parseStatementPayload(envelope.payload);
 * const digest = payloadDigest(envelope.payload);
 * const logKey = ed25519NoteSigner("example.com/haircut-log", generateSigningKey("ed25519"));
 * let log = initLog("example.com/haircut-log", logKey);
 * log = appendStatement(log, { digest, venue: statement.venue, previous: statement.previous }, logKey);
 *
 * // A witness that follows the log cosigns its new checkpoint.
 * const witnessKey = generateSigningKey("ed25519");
 * const witness = witnessConfig("witness.example", witnessKey, [{ origin: log.origin, vkey: log.vkey }]);
 * const read = readAddCheckpoint(addCheckpointRequest(log, 0), witness.logs);
 * assert.ok("text" in read, "the request passes the stateless checks");
 * const answer = decideAddCheckpoint(read, undefined, { name: "witness.example", key: witnessKey, timestamp: 1767225600 });
 * assert.equal(answer.status, 200);
 * log = mergeCosignatures(log, [answer.body]);
 *
 * // The trader checks the proof against the policy it pinned.
 * const policy = parseLogPolicy(JSON.stringify({
 *   origin: log.origin,
 *   log: log.vkey,
 *   witnesses: [witness.vkey],
 *   quorum: 1,
 * }));
 * const result = verifyLogProof(digest, proveStatement(log, digest), policy);
 * assert.equal(result.ok, true);
 * assert.equal(result.index, 0);
 * assert.equal(result.size, 1);
 * assert.deepEqual(result.witnesses.map((w) => [w.name, w.time]), [["witness.example", "2026-01-01T00:00:00Z"]]);
 * assert.deepEqual(result.checks.map((c) => c.status), ["pass", "pass", "pass"]);
 * ```
 *
 * @module
 */

// The trader's check.
export { verifyLogProof, withLogProof } from "./src/verify/log_proof.ts";
export type { LogCheckedReport, LogProofResult, WitnessResult } from "./src/verify/log_proof.ts";
export { parseLogPolicy } from "./src/tlog/policy.ts";
export type { LogPolicy } from "./src/tlog/policy.ts";
// The venue's log.
export {
  addCheckpointRequest,
  appendStatement,
  initLog,
  logCheckpoint,
  logStateJson,
  mergeCosignatures,
  parseLogState,
  proveStatement,
} from "./src/tlog/log.ts";
export type { LogEntry, LogState } from "./src/tlog/log.ts";
// The witness.
export {
  decideAddCheckpoint,
  parseStoredCheckpoint,
  parseWitnessConfig,
  readAddCheckpoint,
  storedCheckpointJson,
  witnessConfig,
  witnessConfigJson,
} from "./src/tlog/witness.ts";
export type { ReadRequest, StoredCheckpoint, WitnessAnswer, WitnessConfig, WitnessedLog } from "./src/tlog/witness.ts";
// The C2SP formats.
export {
  ED25519_TYPE,
  ed25519NoteSigner,
  formatVkey,
  NoteError,
  openNote,
  parseEd25519Vkey,
  parseNote,
  parseVkey,
  signNote,
} from "./src/tlog/note.ts";
export type {
  Note,
  NoteProblem,
  NoteSignature,
  NoteSignatureCheck,
  NoteSigner,
  NoteVerifier,
  OpenedNote,
  VerifiedSignature,
} from "./src/tlog/note.ts";
export { COSIGNATURE_TYPE, cosignatureSigner, cosignCheckpoint, parseCosignatureVkey } from "./src/tlog/cosignature.ts";
export { formatCheckpoint, parseCheckpoint } from "./src/tlog/checkpoint.ts";
export type { Checkpoint } from "./src/tlog/checkpoint.ts";
export { formatTlogProof, parseTlogProof } from "./src/tlog/proof_file.ts";
export type { TlogProof } from "./src/tlog/proof_file.ts";
export { formatAddCheckpoint, parseAddCheckpoint } from "./src/tlog/add_checkpoint.ts";
export type { AddCheckpointRequest } from "./src/tlog/add_checkpoint.ts";
