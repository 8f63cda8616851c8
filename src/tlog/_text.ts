/**
 * The line-level pieces the tlog text formats share: decimals without
 * leading zeros and base64 hash lines.
 *
 * @module
 */

import { asObject, type JsonObject, objectShapeProblem, parseJson } from "../core/_json.ts";
import { base64ToBytes } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import { HASH_SIZE } from "../core/rfc6962.ts";

/**
 * Reads an ASCII decimal with no leading zero (`0` itself allowed), at most
 * `Number.MAX_SAFE_INTEGER`.
 *
 * @throws {SyntaxError} Naming `what`.
 */
export function parseDecimal(text: string, what: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) {
    throw new SyntaxError(`${what} ${JSON.stringify(text.slice(0, 40))} is not a decimal without leading zeros`);
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new SyntaxError(`${what} ${text} is above ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

/**
 * Reads one base64 line holding a 32-byte hash.
 *
 * @throws {SyntaxError} Naming `what`.
 */
export function parseHash(text: string, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(text);
  } catch (e) {
    throw new SyntaxError(`${what}: ${(e as Error).message}`);
  }
  if (bytes.length !== HASH_SIZE) throw new SyntaxError(`${what} is ${bytes.length} bytes, not ${HASH_SIZE}`);
  return bytes;
}

/** The most hash lines a proof may carry: a tree of at most 2^63 leaves has paths of at most 63. */
export const MAX_PROOF_LINES = 63;

/** Whether `text` is a non-empty line with no control character (below U+0020). */
export function isLine(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return false;
  return true;
}

/**
 * Reads a JSON file the user supplies that must be an object with exactly
 * these fields.
 *
 * @throws {InputError} `<what>: <problem>`.
 */
export function readJsonObject(text: string, what: string, fields: readonly string[]): JsonObject {
  let value;
  try {
    value = parseJson(text);
  } catch (e) {
    throw new InputError(`${what}: ${(e as Error).message}`);
  }
  const shape = objectShapeProblem(value, { required: fields });
  if (shape) throw new InputError(`${what}: ${shape}`);
  return asObject(value);
}
