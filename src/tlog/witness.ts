/**
 * A tlog-witness (`c2sp.org/tlog-witness`) as pure decisions: what to
 * answer an `add-checkpoint` request, given the logs the witness knows and
 * the checkpoint it last cosigned for that origin. The HTTP server and the
 * state directory are in `_serve.ts` and `_witness_store.ts`; this module
 * has no I/O.
 *
 * A request is decided in two steps. {@linkcode readAddCheckpoint} needs no
 * state: malformed (400), unknown origin (404), no valid log signature
 * (403), old size above the new size (400). {@linkcode decideAddCheckpoint}
 * runs while the caller holds the origin's lock, with the stored
 * checkpoint: old size not the stored one (409 with `text/x.tlog.size`),
 * same size but another root (409), bad consistency proof (422), else 200
 * with the cosignature line and the checkpoint to store before answering.
 *
 * @module
 */

import { asObject, objectShapeProblem } from "../core/_json.ts";
import { bytesToBase64, equalBytes } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import { consistencyProblem } from "../core/rfc6962.ts";
import type { SigningKey } from "../format/keys.ts";
import { type AddCheckpointRequest, parseAddCheckpoint } from "./add_checkpoint.ts";
import { type Checkpoint, parseCheckpoint } from "./checkpoint.ts";
import { cosignatureSigner, cosignCheckpoint } from "./cosignature.ts";
import { isValidKeyName, NoteError, type NoteVerifier, openNote, parseEd25519Vkey, parseNote } from "./note.ts";
import { isLine, parseHash, readJsonObject } from "./_text.ts";

/** The content type of a 409 answer's body: the stored size and a newline. */
export const TLOG_SIZE_TYPE = "text/x.tlog.size";

/**
 * A log the witness follows: its origin and the keys it accepts for it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { witnessConfig, type WitnessedLog } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const vkey = "tampered.example/haircut-log+4f1e95fd+AbNNCCLysL5PKP6SvWRy3BkrKNy6F46jufMxqgSXtbmZ";
 * const [log]: WitnessedLog[] = witnessConfig("w.example", generateSigningKey("ed25519"), [
 *   { origin: "tampered.example/haircut-log", vkey },
 * ]).logs;
 * assert.equal(log.origin, "tampered.example/haircut-log");
 * assert.deepEqual(log.vkeys, [vkey]);
 * assert.equal(log.keys[0].keyId, 0x4f1e95fd);
 * ```
 */
export interface WitnessedLog {
  /** The origin line. */
  origin: string;
  /** The log's Ed25519 vkeys, as configured. */
  vkeys: string[];
  /** The same keys, parsed. */
  keys: NoteVerifier[];
}

/**
 * A witness's configuration (`witness.json` in its state directory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COSIGNATURE_TYPE, parseVkey, witnessConfig, type WitnessConfig } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const config: WitnessConfig = witnessConfig("w.example", generateSigningKey("ed25519"), []);
 * assert.equal(config.name, "w.example");
 * assert.equal(parseVkey(config.vkey).type, COSIGNATURE_TYPE);
 * assert.deepEqual(config.logs, []);
 * ```
 */
export interface WitnessConfig {
  /** The witness's key name. */
  name: string;
  /** The witness's `cosignature/v1` vkey. */
  vkey: string;
  /** The logs it follows, distinct origins. */
  logs: WitnessedLog[];
}

/**
 * The checkpoint a witness last cosigned for one origin.
 *
 * @example What a witness stores when it cosigns a log's first checkpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   addCheckpointRequest,
 *   decideAddCheckpoint,
 *   ed25519NoteSigner,
 *   initLog,
 *   logCheckpoint,
 *   readAddCheckpoint,
 *   type StoredCheckpoint,
 *   witnessConfig,
 * } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log = initLog("o.example", signer);
 * const key = generateSigningKey("ed25519");
 * const config = witnessConfig("w.example", key, [{ origin: "o.example", vkey: signer.vkey }]);
 * const read = readAddCheckpoint(addCheckpointRequest(log, 0), config.logs);
 * assert.ok("text" in read);
 * const stored: StoredCheckpoint = decideAddCheckpoint(read, undefined, { name: "w.example", key, timestamp: 1 }).store!;
 * assert.deepEqual(stored, { origin: "o.example", size: 0, root: logCheckpoint("o.example", []).root, checkpoint: log.checkpoint });
 * ```
 */
export interface StoredCheckpoint {
  /** The origin. */
  origin: string;
  /** Its tree size. */
  size: number;
  /** Its root. */
  root: Uint8Array;
  /** The checkpoint note as submitted. */
  checkpoint: string;
}

/**
 * An answer to send: the HTTP status, content type and body, and on 200 the
 * checkpoint to persist before sending it.
 *
 * @example A request from the wrong old size is answered with the size the witness holds
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   addCheckpointRequest,
 *   appendStatement,
 *   decideAddCheckpoint,
 *   ed25519NoteSigner,
 *   initLog,
 *   readAddCheckpoint,
 *   type WitnessAnswer,
 *   witnessConfig,
 * } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log = appendStatement(initLog("o.example", signer), { digest: "ab".repeat(32), venue: "V", previous: null }, signer);
 * const key = generateSigningKey("ed25519");
 * const config = witnessConfig("w.example", key, [{ origin: "o.example", vkey: signer.vkey }]);
 * const read = readAddCheckpoint(addCheckpointRequest(log, 1), config.logs);
 * assert.ok("text" in read);
 * // The witness has cosigned nothing of this log: its size is 0, not 1.
 * const answer: WitnessAnswer = decideAddCheckpoint(read, undefined, { name: "w.example", key, timestamp: 1 });
 * assert.deepEqual(answer, { status: 409, contentType: "text/x.tlog.size", body: "0\n" });
 * ```
 */
export interface WitnessAnswer {
  /** 200, 400, 403, 404, 409 or 422. */
  status: 200 | 400 | 403 | 404 | 409 | 422;
  /** The content type of `body`. */
  contentType: string;
  /** The body: the cosignature line on 200, the stored size on a size conflict, else a one-line reason. */
  body: string;
  /** On 200, what to store for the origin. */
  store?: StoredCheckpoint;
}

/**
 * A request that passed the stateless checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addCheckpointRequest, ed25519NoteSigner, initLog, readAddCheckpoint, witnessConfig } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const log = initLog("o.example", signer);
 * const config = witnessConfig("w.example", generateSigningKey("ed25519"), [{ origin: "o.example", vkey: signer.vkey }]);
 * const read = readAddCheckpoint(addCheckpointRequest(log, 0), config.logs);
 * assert.ok("text" in read);
 * assert.equal(read.request.oldSize, 0);
 * assert.equal(read.checkpoint.size, 0);
 * assert.equal(read.text, "o.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
 * ```
 */
export interface ReadRequest {
  /** The parsed request. */
  request: AddCheckpointRequest;
  /** Its checkpoint. */
  checkpoint: Checkpoint;
  /** The checkpoint's note text (what is cosigned). */
  text: string;
}

const refuse = (status: WitnessAnswer["status"], reason: string): WitnessAnswer => ({
  status,
  contentType: "text/plain; charset=utf-8",
  body: `${reason}\n`,
});

/**
 * The stateless checks of an `add-checkpoint` body: 400 when malformed,
 * 404 for an origin not in `logs`, 403 when no configured key of the log
 * signed it validly (a configured key's bad signature included), 400 when
 * the old size is above the checkpoint's size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAddCheckpoint } from "../../tlog.ts";
 *
 * const answer = readAddCheckpoint("old 0\n\nunknown.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— k AAAAAQk=\n", []);
 * assert.ok("status" in answer);
 * assert.equal(answer.status, 404);
 * assert.equal(answer.body, 'unknown log origin "unknown.example"\n');
 * const malformed = readAddCheckpoint("old 0\n", []);
 * assert.ok("status" in malformed);
 * assert.equal(malformed.status, 400);
 * ```
 */
export function readAddCheckpoint(body: string, logs: readonly WitnessedLog[]): ReadRequest | WitnessAnswer {
  let request: AddCheckpointRequest;
  let checkpoint: Checkpoint;
  let text: string;
  try {
    request = parseAddCheckpoint(body);
    text = parseNote(request.checkpoint).text;
    checkpoint = parseCheckpoint(text);
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof NoteError) return refuse(400, e.message);
    throw e;
  }
  const log = logs.find((l) => l.origin === checkpoint.origin);
  if (!log) return refuse(404, `unknown log origin ${JSON.stringify(checkpoint.origin)}`);
  try {
    openNote(request.checkpoint, log.keys);
  } catch (e) {
    if (e instanceof NoteError) return refuse(403, `no valid signature of the log: ${e.message}`);
    throw e;
  }
  if (request.oldSize > checkpoint.size) {
    return refuse(400, `old size ${request.oldSize} is above the checkpoint's size ${checkpoint.size}`);
  }
  return { request, checkpoint, text };
}

/**
 * Decides a request that passed {@linkcode readAddCheckpoint}, against the
 * checkpoint last cosigned for its origin (`undefined`: none, size 0). It
 * never answers 200 for a size below the stored one, nor for the stored
 * size with another root.
 *
 * Precondition: the caller holds the origin's lock from reading `stored`
 * until it has persisted `answer.store`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addCheckpointRequest, decideAddCheckpoint, ed25519NoteSigner, initLog, parseEd25519Vkey, readAddCheckpoint } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * const logs = [{ origin: "o.example", vkeys: [signer.vkey], keys: [parseEd25519Vkey(signer.vkey)] }];
 * const read = readAddCheckpoint(addCheckpointRequest(initLog("o.example", signer), 0), logs);
 * assert.ok("text" in read);
 * const answer = decideAddCheckpoint(read, undefined, { name: "w.example", key: generateSigningKey("ed25519"), timestamp: 1 });
 * assert.equal(answer.status, 200);
 * assert.match(answer.body, /^— w\.example /);
 * ```
 */
export function decideAddCheckpoint(
  read: ReadRequest,
  stored: StoredCheckpoint | undefined,
  witness: { name: string; key: SigningKey; timestamp: number },
): WitnessAnswer {
  const { request, checkpoint, text } = read;
  const storedSize = stored?.size ?? 0;
  if (request.oldSize !== storedSize) {
    return { status: 409, contentType: TLOG_SIZE_TYPE, body: `${storedSize}\n` };
  }
  if (request.oldSize === checkpoint.size) {
    if (request.proof.length > 0) return refuse(422, "the consistency proof between equal sizes must be empty");
    if (stored && !equalBytes(checkpoint.root, stored.root)) {
      return refuse(409, `size ${stored.size} was cosigned with root ${bytesToBase64(stored.root)}, not this one`);
    }
  } else if (request.oldSize === 0) {
    // Every tree extends the empty one: the witness has seen nothing of this log yet.
    if (request.proof.length > 0) {
      return refuse(422, `the consistency proof from size 0 must be empty, it has ${request.proof.length} lines`);
    }
  } else {
    const problem = consistencyProblem({
      size1: request.oldSize,
      size2: checkpoint.size,
      root1: stored!.root,
      root2: checkpoint.root,
      proof: request.proof,
    });
    if (problem) return refuse(422, `consistency proof from ${request.oldSize} to ${checkpoint.size}: ${problem}`);
  }
  const line = cosignCheckpoint(text, witness, witness.timestamp);
  return {
    status: 200,
    contentType: "text/plain; charset=utf-8",
    body: line,
    store: { origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root, checkpoint: request.checkpoint },
  };
}

/**
 * The configuration JSON: `{ "name", "vkey", "logs": [{ "origin", "keys": ["<vkey>"] }] }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSigningKey } from "../../publish.ts";
 * import { parseWitnessConfig, witnessConfig, witnessConfigJson } from "../../tlog.ts";
 * const c = witnessConfig("w.example", generateSigningKey("ed25519"), []);
 * assert.deepEqual(parseWitnessConfig(witnessConfigJson(c)).vkey, c.vkey);
 * ```
 */
export function witnessConfigJson(config: WitnessConfig): string {
  return JSON.stringify(
    { name: config.name, vkey: config.vkey, logs: config.logs.map((l) => ({ origin: l.origin, keys: l.vkeys })) },
    null,
    2,
  ) + "\n";
}

/**
 * Builds a witness's configuration from its name, key and the logs it
 * follows (`(origin, log vkey)` pairs; the same origin twice gives it two keys).
 *
 * @throws {InputError} When the name, a key or an origin is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignatureSigner, witnessConfig } from "../../tlog.ts";
 * import { InputError } from "../../mod.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const key = generateSigningKey("ed25519");
 * const log = "tampered.example/haircut-log+4f1e95fd+AbNNCCLysL5PKP6SvWRy3BkrKNy6F46jufMxqgSXtbmZ";
 * const config = witnessConfig("w.example", key, [{ origin: "tampered.example/haircut-log", vkey: log }]);
 * assert.equal(config.vkey, cosignatureSigner("w.example", key, 0).vkey);
 * assert.equal(config.logs.length, 1);
 * // A witness key given as a log key is refused.
 * assert.throws(() => witnessConfig("w.example", key, [{ origin: "o.example", vkey: config.vkey }]), InputError);
 * ```
 */
export function witnessConfig(
  name: string,
  key: SigningKey,
  logs: readonly { origin: string; vkey: string }[],
): WitnessConfig {
  if (!isValidKeyName(name)) {
    throw new InputError(`witness name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`);
  }
  if (key.algorithm !== "ed25519") throw new InputError(`a witness key must be Ed25519, not ${key.algorithm}`);
  const byOrigin = new Map<string, string[]>();
  for (const { origin, vkey } of logs) byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), vkey]);
  return {
    name,
    vkey: cosignatureSigner(name, key, 0).vkey,
    logs: [...byOrigin].map(([origin, vkeys]) => witnessedLog(origin, vkeys)),
  };
}

function witnessedLog(origin: string, vkeys: string[]): WitnessedLog {
  if (!isLine(origin)) throw new InputError(`origin ${JSON.stringify(origin)} is not a line`);
  const keys = vkeys.map((v) => {
    try {
      return parseEd25519Vkey(v);
    } catch (e) {
      throw new InputError(`log key for ${origin}: ${(e as Error).message}`);
    }
  });
  if (keys.length === 0) throw new InputError(`log ${origin} has no key`);
  return { origin, vkeys, keys };
}

/**
 * Reads a witness configuration strictly.
 *
 * @throws {InputError} Naming the problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWitnessConfig } from "../../tlog.ts";
 * import { InputError } from "../../mod.ts";
 *
 * const config = parseWitnessConfig(JSON.stringify({
 *   name: "w1.tampered.example",
 *   vkey: "w1.tampered.example+80dea459+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN",
 *   logs: [{
 *     origin: "tampered.example/haircut-log",
 *     keys: ["tampered.example/haircut-log+4f1e95fd+AbNNCCLysL5PKP6SvWRy3BkrKNy6F46jufMxqgSXtbmZ"],
 *   }],
 * }));
 * assert.equal(config.logs[0].keys[0].name, "tampered.example/haircut-log");
 * assert.throws(() => parseWitnessConfig(`{"name":"w","vkey":"w+00000000+AA==","logs":[],"extra":1}`), InputError);
 * ```
 */
export function parseWitnessConfig(text: string): WitnessConfig {
  const bad = (message: string): never => {
    throw new InputError(`witness config: ${message}`);
  };
  const { name, vkey, logs } = readJsonObject(text, "witness config", ["name", "vkey", "logs"]);
  if (typeof name !== "string" || !isValidKeyName(name) || typeof vkey !== "string") {
    bad("name and vkey must be strings");
  }
  if (!Array.isArray(logs)) return bad("logs must be an array");
  const list = logs.map((l, i) => {
    const problem = objectShapeProblem(l, { required: ["origin", "keys"] });
    if (problem) bad(`logs[${i}]: ${problem}`);
    const { origin, keys } = asObject(l);
    if (typeof origin !== "string" || !Array.isArray(keys) || keys.some((k) => typeof k !== "string")) {
      bad(`logs[${i}] must have an origin string and an array of vkey strings`);
    }
    return witnessedLog(origin as string, keys as string[]);
  });
  if (new Set(list.map((l) => l.origin)).size !== list.length) bad("two logs share an origin");
  return { name: name as string, vkey: vkey as string, logs: list };
}

/**
 * The stored-checkpoint JSON: `{ "origin", "size", "root", "checkpoint" }`,
 * the root in base64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseStoredCheckpoint, storedCheckpointJson } from "../../tlog.ts";
 *
 * const stored = { origin: "o.example", size: 1, root: new Uint8Array(32), checkpoint: "o.example\n1\n…" };
 * const json = storedCheckpointJson(stored);
 * assert.equal(JSON.parse(json).root, `${"A".repeat(43)}=`);
 * assert.deepEqual(parseStoredCheckpoint(json), stored);
 * ```
 */
export function storedCheckpointJson(s: StoredCheckpoint): string {
  return JSON.stringify({ origin: s.origin, size: s.size, root: bytesToBase64(s.root), checkpoint: s.checkpoint }) +
    "\n";
}

/**
 * Reads a stored checkpoint strictly: exactly the four fields, a whole
 * size, a root of 32 bytes in canonical base64.
 *
 * @throws {InputError} Naming the problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseStoredCheckpoint } from "../../tlog.ts";
 * import { InputError } from "../../mod.ts";
 *
 * const root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
 * const stored = parseStoredCheckpoint(JSON.stringify({ origin: "o.example", size: 0, root, checkpoint: "c" }));
 * assert.equal(stored.root.length, 32);
 * assert.throws(
 *   () => parseStoredCheckpoint(JSON.stringify({ origin: "o.example", size: -1, root, checkpoint: "c" })),
 *   InputError,
 * );
 * ```
 */
export function parseStoredCheckpoint(text: string): StoredCheckpoint {
  const bad = (message: string): never => {
    throw new InputError(`witness state: ${message}`);
  };
  const { origin, size, root, checkpoint } = readJsonObject(text, "witness state", [
    "origin",
    "size",
    "root",
    "checkpoint",
  ]);
  if (typeof origin !== "string" || typeof root !== "string" || typeof checkpoint !== "string") bad("bad field types");
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) bad("size must be a whole number");
  try {
    return {
      origin: origin as string,
      size: size as number,
      root: parseHash(root as string, "root"),
      checkpoint: checkpoint as string,
    };
  } catch (e) {
    return bad((e as Error).message);
  }
}
