/**
 * The statement log and its witnesses, in the C2SP formats the transparency
 * ecosystem speaks (docs/SPEC.md section 17, docs/transparency.md): signed
 * notes, checkpoints, `cosignature/v1`, `tlog-proof` files and tlog-witness
 * `add-checkpoint` bodies, the venue's log, the witness's decisions, and the
 * trader's check of a log proof against a pinned log policy.
 *
 * @example Check a trader's log proof
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLogPolicy, verifyLogProof } from "./tlog.ts";
 *
 * const policy = parseLogPolicy(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/log-policy.json"));
 * assert.equal(policy.quorum >= 1, true);
 * assert.equal(typeof verifyLogProof, "function");
 * ```
 *
 * @module
 */

export { LOG_CHECKS, verifyLogProof, withLogProof } from "./src/verify/log_proof.ts";
export type { LogCheckedReport, LogProofResult, WitnessResult } from "./src/verify/log_proof.ts";
export { MAX_POLICY_WITNESSES, parseLogPolicy } from "./src/tlog/policy.ts";
export type { LogPolicy } from "./src/tlog/policy.ts";
export { formatTlogProof, parseTlogProof, TLOG_PROOF_HEADER } from "./src/tlog/proof_file.ts";
export type { TlogProof } from "./src/tlog/proof_file.ts";
export { formatCheckpoint, parseCheckpoint } from "./src/tlog/checkpoint.ts";
export type { Checkpoint } from "./src/tlog/checkpoint.ts";
export {
  ED25519_TYPE,
  ed25519NoteSigner,
  formatVkey,
  isValidKeyName,
  keyIdHex,
  MAX_NOTE_SIGNATURES,
  NoteError,
  noteKeyId,
  openNote,
  parseEd25519Vkey,
  parseNote,
  parseVkey,
  signatureLine,
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
export {
  COSIGNATURE_TYPE,
  cosignatureMessage,
  cosignatureSigner,
  cosignCheckpoint,
  MAX_COSIGNATURE_TIME,
  parseCosignatureVkey,
} from "./src/tlog/cosignature.ts";
export { formatAddCheckpoint, parseAddCheckpoint } from "./src/tlog/add_checkpoint.ts";
export type { AddCheckpointRequest } from "./src/tlog/add_checkpoint.ts";
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
export {
  decideAddCheckpoint,
  parseStoredCheckpoint,
  parseWitnessConfig,
  readAddCheckpoint,
  storedCheckpointJson,
  TLOG_SIZE_TYPE,
  witnessConfig,
  witnessConfigJson,
} from "./src/tlog/witness.ts";
export type { ReadRequest, StoredCheckpoint, WitnessAnswer, WitnessConfig, WitnessedLog } from "./src/tlog/witness.ts";
export { consistencyProblem, HASH_SIZE, inclusionProblem, rfc6962Hasher, rfc6962LeafHash } from "./src/core/rfc6962.ts";
export { consistencyProof, consistencyProofLength, rootsFromConsistencyProof } from "./src/core/tree.ts";
