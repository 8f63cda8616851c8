/**
 * A venue's statement log (SPEC §17), as pure state transitions: entry `i`
 * is the 32 raw bytes of the venue's `i`-th statement digest, leaves are
 * hashed as RFC 6962 prescribes, and every change yields a new checkpoint
 * signed by the log key (key name = origin). The CLI stores the state in
 * `<logdir>/log.json`.
 *
 * @module
 */

import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { asObject, objectShapeProblem } from "../core/_json.ts";
import { hexToBytes } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import { rfc6962Hasher, rfc6962LeafHash } from "../core/rfc6962.ts";
import { consistencyProof, inclusionPath, treeLevels, treeRoot } from "../core/tree.ts";
import { formatAddCheckpoint } from "./add_checkpoint.ts";
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from "./checkpoint.ts";
import {
  isValidKeyName,
  NoteError,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseEd25519Vkey,
  parseNote,
  signNote,
} from "./note.ts";
import { formatTlogProof } from "./proof_file.ts";
import { readJsonObject } from "./_text.ts";

/**
 * One logged statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStatement, ed25519NoteSigner, initLog, type LogEntry } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log = appendStatement(initLog("o.example", signer), { digest: "ab".repeat(32), venue: "V", previous: null }, signer);
 * const entry: LogEntry = log.entries[0];
 * assert.deepEqual(entry, { digest: "ab".repeat(32), venue: "V" });
 * ```
 */
export interface LogEntry {
  /** The statement's payload digest, 64 lowercase hex digits. */
  digest: string;
  /** The statement's venue, for the chain rule. */
  venue: string;
}

/**
 * The log's whole state: its identity, its entries, and the latest
 * checkpoint note with the cosignatures merged into it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, initLog, type LogState } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log: LogState = initLog("o.example", signer);
 * assert.equal(log.origin, "o.example");
 * assert.equal(log.vkey, signer.vkey);
 * assert.deepEqual(log.entries, []);
 * assert.match(log.checkpoint, /^o\.example\n0\n47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— o\.example /);
 * ```
 */
export interface LogState {
  /** The origin line, also the log key's name. */
  origin: string;
  /** The log's Ed25519 vkey. */
  vkey: string;
  /** The entries in log order. */
  entries: LogEntry[];
  /** The signed checkpoint note of all entries, with any witness cosignatures. */
  checkpoint: string;
}

/** The RFC 6962 hash of the empty tree: SHA-256 of nothing. */
const EMPTY_ROOT = sha256(new Uint8Array());

function leafHashes(entries: readonly LogEntry[]): Uint8Array[] {
  return entries.map((e) => rfc6962LeafHash(hexToBytes(e.digest, 32)));
}

function levelsOf(entries: readonly LogEntry[]): Uint8Array[][] {
  return treeLevels(leafHashes(entries), rfc6962Hasher);
}

/**
 * The checkpoint (unsigned) of a list of entries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHash } from "node:crypto";
 * import { logCheckpoint } from "../../tlog.ts";
 *
 * const sha256 = (...parts: Uint8Array[]) => new Uint8Array(parts.reduce((h, p) => h.update(p), createHash("sha256")).digest());
 * assert.deepEqual(logCheckpoint("o.example", []).root, sha256());
 * // One entry: the root is the RFC 6962 leaf hash of the digest's 32 bytes.
 * const digest = new Uint8Array(32).fill(0xab);
 * const c = logCheckpoint("o.example", [{ digest: "ab".repeat(32), venue: "V" }]);
 * assert.equal(c.size, 1);
 * assert.deepEqual(c.root, sha256(Uint8Array.of(0), digest));
 * ```
 */
export function logCheckpoint(origin: string, entries: readonly LogEntry[]): Checkpoint {
  const root = entries.length === 0 ? EMPTY_ROOT : treeRoot(leafHashes(entries), rfc6962Hasher);
  return { origin, size: entries.length, root, extensions: [] };
}

function checkSigner(state: { origin: string; vkey: string }, signer: NoteSigner): void {
  if (signer.vkey !== state.vkey) {
    throw new InputError(`the signing key is not the log's key (${state.vkey}), it is ${signer.vkey}`);
  }
}

/**
 * A new, empty log whose checkpoint of size 0 is signed by `signer`, whose
 * name must be the origin.
 *
 * @throws {InputError} When the origin is not a valid key name or the signer's name differs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, initLog } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const log = initLog("example.com/log", ed25519NoteSigner("example.com/log", generateSigningKey("ed25519")));
 * assert.match(log.checkpoint, /^example\.com\/log\n0\n/);
 * ```
 */
export function initLog(origin: string, signer: NoteSigner): LogState {
  if (!isValidKeyName(origin)) {
    throw new InputError(
      `origin ${JSON.stringify(origin)} must be non-empty, without spaces or '+' (it names the key)`,
    );
  }
  if (signer.name !== origin) throw new InputError(`the log key's name must be the origin ${origin}`);
  return {
    origin,
    vkey: signer.vkey,
    entries: [],
    checkpoint: signNote(formatCheckpoint(logCheckpoint(origin, [])), [signer]),
  };
}

/**
 * Appends a statement: refuses a digest already logged, and a statement
 * whose `previous` is not the digest of the last entry of the same venue
 * (`null` for a venue's first). Returns the new state with a freshly signed
 * checkpoint (no cosignatures yet).
 *
 * @throws {InputError} Naming the refusal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStatement, ed25519NoteSigner, initLog } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log = appendStatement(initLog("o.example", signer), { digest: "ab".repeat(32), venue: "V", previous: null }, signer);
 * assert.equal(log.entries.length, 1);
 * assert.throws(() => appendStatement(log, { digest: "cd".repeat(32), venue: "V", previous: null }, signer));
 * ```
 */
export function appendStatement(
  state: LogState,
  statement: { digest: string; venue: string; previous: string | null },
  signer: NoteSigner,
): LogState {
  checkSigner(state, signer);
  const { digest, venue, previous } = statement;
  if (!/^[0-9a-f]{64}$/.test(digest)) {
    throw new InputError(`digest ${JSON.stringify(digest)} is not 64 lowercase hex digits`);
  }
  const at = state.entries.findIndex((e) => e.digest === digest);
  if (at >= 0) throw new InputError(`statement ${digest} is already entry ${at} of the log`);
  const last = state.entries.findLast((e) => e.venue === venue);
  const expected = last?.digest ?? null;
  if (previous !== expected) {
    throw new InputError(
      expected === null
        ? `the log has no statement of ${JSON.stringify(venue)}, so previous must be null, not ${previous}`
        : `previous is ${previous}, but the last logged statement of ${JSON.stringify(venue)} is ${expected}`,
    );
  }
  const entries = [...state.entries, { digest, venue }];
  return { ...state, entries, checkpoint: signNote(formatCheckpoint(logCheckpoint(state.origin, entries)), [signer]) };
}

/**
 * The tlog-witness `add-checkpoint` body for the current checkpoint: `old
 * <oldSize>`, the consistency proof from that size (empty from 0 or from
 * the current size), a blank line, the checkpoint note.
 *
 * @throws {InputError} When `oldSize` is above the log's size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addCheckpointRequest, ed25519NoteSigner, initLog } from "../../tlog.ts";
 * import { InputError } from "../../mod.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const log = initLog("o.example", ed25519NoteSigner("o.example", generateSigningKey("ed25519")));
 * assert.equal(addCheckpointRequest(log, 0), `old 0\n\n${log.checkpoint}`);
 * assert.throws(() => addCheckpointRequest(log, 1), InputError);
 * ```
 */
export function addCheckpointRequest(state: LogState, oldSize: number): string {
  const size = state.entries.length;
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > size) {
    throw new InputError(`old size ${oldSize} must be from 0 to the log's size ${size}`);
  }
  const proof = oldSize === 0 || oldSize === size ? [] : consistencyProof(levelsOf(state.entries), oldSize);
  return formatAddCheckpoint({ oldSize, proof, checkpoint: state.checkpoint });
}

/**
 * Merges witness responses (cosignature lines) into the checkpoint. Each
 * response must be well-formed signature lines; a line repeating one
 * already there is dropped, a newer one from the same key replaces the
 * older. With `witnesses`, every new line must come from one of them and
 * verify on this checkpoint.
 *
 * @throws {InputError} Naming the response and the problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignCheckpoint, ed25519NoteSigner, initLog, mergeCosignatures, parseNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const log = initLog("o.example", ed25519NoteSigner("o.example", generateSigningKey("ed25519")));
 * const line = cosignCheckpoint(parseNote(log.checkpoint).text, { name: "w.example", key: generateSigningKey("ed25519") }, 1);
 * assert.equal(parseNote(mergeCosignatures(log, [line]).checkpoint).signatures.length, 2);
 * ```
 */
export function mergeCosignatures(
  state: LogState,
  responses: readonly string[],
  options: { witnesses?: readonly NoteVerifier[] } = {},
): LogState {
  const note = parseNote(state.checkpoint);
  const log = parseEd25519Vkey(state.vkey);
  const lines = note.signatures.map((s) => ({ id: `${s.name}+${s.keyId}`, line: s.line }));
  responses.forEach((response, r) => {
    let parsed;
    try {
      parsed = parseNote(`x\n\n${response}`);
    } catch (e) {
      throw new InputError(
        `response ${r + 1}: ${(e as Error).message.replace("malformed note", "not signature lines")}`,
      );
    }
    for (const s of parsed.signatures) {
      const id = `${s.name}+${s.keyId}`;
      if (s.name === log.name && s.keyId === log.keyId) {
        throw new InputError(`response ${r + 1}: a signature by the log's own key is not a cosignature`);
      }
      if (options.witnesses && !options.witnesses.some((w) => w.name === s.name && w.keyId === s.keyId)) {
        throw new InputError(`response ${r + 1}: ${s.name} is not one of the given witnesses`);
      }
      const old = lines.findIndex((l) => l.id === id);
      if (old >= 0) lines[old] = { id, line: s.line };
      else lines.push({ id, line: s.line });
    }
  });
  const checkpoint = `${note.text}\n${lines.map((l) => l.line).join("")}`;
  try {
    openNote(checkpoint, [log, ...(options.witnesses ?? [])]);
  } catch (e) {
    if (e instanceof NoteError) throw new InputError(`the merged checkpoint does not verify: ${e.message}`);
    throw e;
  }
  return { ...state, checkpoint };
}

/**
 * The `.tlog-proof` of a logged statement against the current (cosigned) checkpoint.
 *
 * @throws {InputError} When the digest is not in the log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStatement, ed25519NoteSigner, initLog, parseTlogProof, proveStatement } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * let log = initLog("o.example", signer);
 * log = appendStatement(log, { digest: "ab".repeat(32), venue: "A", previous: null }, signer);
 * log = appendStatement(log, { digest: "cd".repeat(32), venue: "B", previous: null }, signer);
 * const proof = parseTlogProof(proveStatement(log, "cd".repeat(32)));
 * assert.equal(proof.index, 1);
 * assert.equal(proof.path.length, 1);
 * assert.equal(proof.checkpoint, log.checkpoint);
 * ```
 */
export function proveStatement(state: LogState, digest: string): string {
  const index = state.entries.findIndex((e) => e.digest === digest);
  if (index < 0) throw new InputError(`statement ${digest} is not in the log`);
  return formatTlogProof({ index, path: inclusionPath(levelsOf(state.entries), index), checkpoint: state.checkpoint });
}

/**
 * The log state file's JSON: `{ "origin", "vkey", "entries": [{ "digest", "venue" }], "checkpoint" }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, initLog, logStateJson, parseLogState } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const log = initLog("o.example", ed25519NoteSigner("o.example", generateSigningKey("ed25519")));
 * assert.deepEqual(parseLogState(logStateJson(log)), log);
 * ```
 */
export function logStateJson(state: LogState): string {
  return JSON.stringify(state, null, 2) + "\n";
}

/**
 * Reads a log state file strictly, and checks that its checkpoint is the
 * one its entries give, signed by its key.
 *
 * @throws {InputError} Naming the problem.
 *
 * @example A state whose entries were edited is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStatement, ed25519NoteSigner, initLog, logStateJson, parseLogState } from "../../tlog.ts";
 * import { InputError } from "../../mod.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log = appendStatement(initLog("o.example", signer), { digest: "ab".repeat(32), venue: "V", previous: null }, signer);
 * assert.equal(parseLogState(logStateJson(log)).entries.length, 1);
 * const edited = logStateJson(log).replace("ab".repeat(32), "cd".repeat(32));
 * assert.throws(
 *   () => parseLogState(edited),
 *   (e) => e instanceof InputError && /the checkpoint is not the signed head of the entries/.test(e.message),
 * );
 * ```
 */
export function parseLogState(text: string): LogState {
  const bad = (message: string): never => {
    throw new InputError(`log state: ${message}`);
  };
  const { origin, vkey, entries, checkpoint } = readJsonObject(text, "log state", [
    "origin",
    "vkey",
    "entries",
    "checkpoint",
  ]);
  if (typeof origin !== "string" || typeof vkey !== "string" || typeof checkpoint !== "string") {
    bad("origin, vkey and checkpoint must be strings");
  }
  if (!Array.isArray(entries)) return bad("entries must be an array");
  const list = entries.map((e, i): LogEntry => {
    const problem = objectShapeProblem(e, { required: ["digest", "venue"] });
    if (problem) bad(`entries[${i}]: ${problem}`);
    const { digest, venue } = asObject(e);
    if (typeof digest !== "string" || !/^[0-9a-f]{64}$/.test(digest) || typeof venue !== "string") {
      bad(`entries[${i}] must have a 64-hex digest and a venue string`);
    }
    return { digest: digest as string, venue: venue as string };
  });
  let opened;
  try {
    opened = openNote(checkpoint as string, [parseEd25519Vkey(vkey as string)]);
  } catch (e) {
    return bad(`checkpoint: ${(e as Error).message}`);
  }
  const expected = formatCheckpoint(logCheckpoint(origin as string, list));
  if (opened.text !== expected || parseCheckpoint(opened.text).origin !== origin) {
    bad("the checkpoint is not the signed head of the entries");
  }
  return { origin: origin as string, vkey: vkey as string, entries: list, checkpoint: checkpoint as string };
}
