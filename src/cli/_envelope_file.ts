/**
 * What the signing commands (`sign`, `pae`, `attach`) share: opening a
 * `statement.dsse.json` that is to be signed, and replacing it atomically.
 *
 * @module
 */

import { FormatError, InputError } from "../core/errors.ts";
import { type Envelope, envelopeToJson, parseEnvelope, PAYLOAD_TYPE } from "../format/dsse.ts";
import { parseStatementPayload, payloadDigest, type Statement } from "../format/statement.ts";
import { readDocument, readSmallText } from "./_common.ts";
import { platform } from "../platform/runtime.ts";
import { writeFileAtomic } from "../platform/atomic.ts";

/** An envelope file read for signing: its exact text, and what it holds. */
export interface EnvelopeFile {
  /** The path it was read from. */
  path: string;
  /** Its text, exactly as read. */
  text: string;
  /** The parsed envelope. */
  envelope: Envelope;
  /** The statement its payload holds. */
  statement: Statement;
  /** The payload's digest. */
  digest: string;
}

/**
 * Reads an envelope that is to be signed: it must parse, carry a
 * statement's payload type, and its payload must be a valid statement
 * (nobody should sign anything else). Its signatures are not checked here.
 *
 * @throws {FormatError} `ENVELOPE_INVALID`, `PAYLOAD_TYPE`, `NON_CANONICAL` or `STATEMENT_INVALID` (exit 1).
 */
export async function readEnvelopeFile(path: string): Promise<EnvelopeFile> {
  return envelopeFile(path, await readDocument(path, { kinds: ["envelope"], what: "statement file" }));
}

/** {@linkcode readEnvelopeFile} on text already read from `path`. */
export function envelopeFile(path: string, text: string): EnvelopeFile {
  const envelope = parseEnvelope(text);
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    throw new FormatError(
      "PAYLOAD_TYPE",
      `payloadType ${JSON.stringify(envelope.payloadType)} is not ${JSON.stringify(PAYLOAD_TYPE)}`,
    );
  }
  const statement = parseStatementPayload(envelope.payload);
  return { path, text, envelope, statement, digest: payloadDigest(envelope.payload) };
}

/**
 * Replaces the envelope file with `next`, atomically: the new text goes to
 * a temporary file in the same directory (with the old file's mode), which
 * is then renamed over the old one, so a reader sees either the old file or
 * the new one, never a mix. Refuses when the file changed since it was read.
 *
 * @throws {InputError} When the file changed, or cannot be written.
 */
export async function replaceEnvelopeFile(file: EnvelopeFile, next: Envelope): Promise<void> {
  if (await readSmallText(file.path, "envelope") !== file.text) {
    throw new InputError(`${file.path} changed while it was being checked; nothing was written`);
  }
  try {
    const mode = (await platform.stat(file.path)).mode ?? 0o644;
    await writeFileAtomic(file.path, envelopeToJson(next), { mode: mode & 0o777 });
  } catch (e) {
    throw new InputError(`cannot write ${file.path}: ${(e as Error).message}; it is unchanged`);
  }
}
