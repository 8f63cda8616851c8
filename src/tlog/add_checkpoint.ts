/**
 * The body of a tlog-witness `add-checkpoint` request
 * (`c2sp.org/tlog-witness`): `old <size>`, the RFC 6962 consistency proof
 * from that size, one base64 hash a line (at most 63), an empty line, and
 * the signed checkpoint.
 *
 * @module
 */

import { bytesToBase64 } from "../core/encoding.ts";
import { MAX_PROOF_LINES, parseDecimal, parseHash } from "./_text.ts";

/**
 * A parsed `add-checkpoint` request. The checkpoint is still an unverified note.
 *
 * @example A log of two entries asks a witness that holds its size-1 checkpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   type AddCheckpointRequest,
 *   addCheckpointRequest,
 *   appendStatement,
 *   ed25519NoteSigner,
 *   initLog,
 *   parseAddCheckpoint,
 * } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("o.example", generateSigningKey("ed25519"));
 * let log = initLog("o.example", signer);
 * log = appendStatement(log, { digest: "ab".repeat(32), venue: "A", previous: null }, signer);
 * log = appendStatement(log, { digest: "cd".repeat(32), venue: "B", previous: null }, signer);
 * const request: AddCheckpointRequest = parseAddCheckpoint(addCheckpointRequest(log, 1));
 * assert.equal(request.oldSize, 1);
 * assert.equal(request.proof.length, 1); // the second leaf's hash
 * assert.equal(request.checkpoint, log.checkpoint);
 * ```
 */
export interface AddCheckpointRequest {
  /** The size of the checkpoint the log believes the witness holds. */
  oldSize: number;
  /** The consistency proof from `oldSize` to the checkpoint's size. */
  proof: Uint8Array[];
  /** The checkpoint note, verbatim. */
  checkpoint: string;
}

/**
 * Reads an `add-checkpoint` body strictly.
 *
 * @throws {SyntaxError} Naming the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAddCheckpoint } from "../../tlog.ts";
 *
 * const body = "old 0\n\no.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— k AAAAAQk=\n";
 * const request = parseAddCheckpoint(body);
 * assert.equal(request.oldSize, 0);
 * assert.deepEqual(request.proof, []);
 * assert.equal(request.checkpoint, "o.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— k AAAAAQk=\n");
 * assert.throws(() => parseAddCheckpoint("old -1\n\n" + request.checkpoint), SyntaxError);
 * ```
 */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const lines = body.split("\n");
  const blank = lines.indexOf("");
  if (blank < 0) throw new SyntaxError("add-checkpoint: no empty line before the checkpoint");
  const [old, ...proofLines] = lines.slice(0, blank);
  if (old === undefined || !old.startsWith("old ")) {
    throw new SyntaxError(`add-checkpoint: the first line must be "old <size>"`);
  }
  const oldSize = parseDecimal(old.slice(4), "add-checkpoint: old size");
  if (proofLines.length > MAX_PROOF_LINES) {
    throw new SyntaxError(`add-checkpoint: ${proofLines.length} proof lines, more than ${MAX_PROOF_LINES}`);
  }
  const proof = proofLines.map((l, i) => parseHash(l, `add-checkpoint: proof line ${i + 1}`));
  const checkpoint = lines.slice(blank + 1).join("\n");
  if (!checkpoint.endsWith("\n")) throw new SyntaxError("add-checkpoint: the checkpoint does not end in a newline");
  return { oldSize, proof, checkpoint };
}

/**
 * Writes an `add-checkpoint` body.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAddCheckpoint, parseAddCheckpoint } from "../../tlog.ts";
 *
 * const request = { oldSize: 1, proof: [new Uint8Array(32)], checkpoint: "c\n\n— k AAAAAQk=\n" };
 * const body = formatAddCheckpoint(request);
 * assert.equal(body, `old 1\n${"A".repeat(43)}=\n\nc\n\n— k AAAAAQk=\n`);
 * assert.deepEqual(parseAddCheckpoint(body), request);
 * ```
 */
export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  if (request.proof.length > MAX_PROOF_LINES) throw new RangeError(`more than ${MAX_PROOF_LINES} proof lines`);
  const proof = request.proof.map((p) => `${bytesToBase64(p)}\n`).join("");
  return `old ${request.oldSize}\n${proof}\n${request.checkpoint}`;
}
