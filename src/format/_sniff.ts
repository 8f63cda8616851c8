/**
 * Which kind of haircut document is this text? A shape-only guess, used at
 * the boundary (the CLI, the web page) to tell a user who handed in the
 * wrong file, an empty one or a cut-off one, before anything is verified.
 * It never validates: the library's strict parsers do that, and a document
 * of the expected kind always goes on to them.
 *
 * @module
 */

import { utf8 } from "../core/encoding.ts";
import { type JsonValue, parseJson } from "../core/_json.ts";

/**
 * The kinds of document a user may hand in, plus the shapes that are no document:
 * - `empty`: nothing but whitespace;
 * - `truncated`: JSON cut off before its end;
 * - `json`: complete JSON of no kind haircut knows;
 * - `text`: neither JSON nor a text format haircut knows.
 */
export type DocumentKind =
  | "proof"
  | "deficit-proof"
  | "envelope"
  | "statement"
  | "keys"
  | "signing-key"
  | "event"
  | "log-policy"
  | "leaves-csv"
  | "accounts-csv"
  | "bankrupt-csv"
  | "tlog-proof"
  | "empty"
  | "truncated"
  | "json"
  | "text";

/** What {@linkcode sniffDocument} found. */
export interface Sniffed {
  /** The kind of document. */
  kind: DocumentKind;
  /** The text's length in UTF-8 bytes, a leading byte order mark included (the file's size). */
  bytes: number;
}

/** The byte order mark U+FEFF. */
const BOM = "\ufeff";

/**
 * `text` without one leading byte order mark. A BOM at the start of a file
 * the user hands in is ignored; one anywhere else (inside a signed payload
 * in particular) is never touched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutBom } from "./_sniff.ts";
 * assert.equal(withoutBom("\ufeff{}"), "{}");
 * assert.equal(withoutBom("{}"), "{}");
 * ```
 */
export function withoutBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/**
 * Why `bytes` cannot be read as UTF-8 text, in words that follow the file's
 * name (`"is saved as UTF-16; save it as UTF-8"`), or `undefined` when it is
 * UTF-8 (a leading UTF-8 byte order mark allowed). UTF-32 and UTF-16 are
 * told by their byte order marks, or without one by NUL bytes interleaved
 * with ASCII in the first bytes, as a text editor's "Unicode" saves JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodingProblem } from "./_sniff.ts";
 * assert.equal(encodingProblem(new Uint8Array([0xff, 0xfe, 0x7b, 0x00])), "is saved as UTF-16; save it as UTF-8");
 * assert.equal(encodingProblem(new Uint8Array([0x7b, 0x00, 0x7d, 0x00])), "is saved as UTF-16; save it as UTF-8");
 * assert.equal(encodingProblem(new Uint8Array([0x7b, 0xff, 0x7d])), "is not UTF-8 text (invalid byte at offset 1); save it as UTF-8");
 * assert.equal(encodingProblem(new TextEncoder().encode("\ufeff{}")), undefined);
 * ```
 */
export function encodingProblem(bytes: Uint8Array): string | undefined {
  const starts = (...prefix: number[]): boolean => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)) return "is saved as UTF-32; save it as UTF-8";
  if (starts(0xfe, 0xff) || starts(0xff, 0xfe)) return "is saved as UTF-16; save it as UTF-8";
  // ASCII JSON saved without a byte order mark: its first characters leave NUL bytes in fixed places.
  const ascii = (width: number, at: number): boolean => {
    const head = bytes.subarray(0, Math.min(bytes.length - bytes.length % width, 16));
    return head.length > 0 && head.every((b, i) => (i % width === at) === (b !== 0));
  };
  if (ascii(4, 0) || ascii(4, 3)) return "is saved as UTF-32; save it as UTF-8";
  if (ascii(2, 0) || ascii(2, 1)) return "is saved as UTF-16; save it as UTF-8";
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return `is not UTF-8 text (invalid byte at offset ${firstInvalidByte(bytes)}); save it as UTF-8`;
  }
  return undefined;
}

/** The offset of the first byte of `bytes` that is not valid UTF-8 (where the decoder put its first U+FFFD of its own). */
function firstInvalidByte(bytes: Uint8Array): number {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  for (let i = text.indexOf("\ufffd"); i >= 0; i = text.indexOf("\ufffd", i + 1)) {
    const offset = utf8(text.slice(0, i)).length;
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
  }
  return bytes.length;
}

/** The first line of each text format, by kind. */
const TEXT_HEADERS: readonly (readonly [DocumentKind, RegExp])[] = [
  ["leaves-csv", /^account_key,base,haircut\r?(\n|$)/],
  ["bankrupt-csv", /^account(_key)?,loss\r?(\n|$)/],
  ["accounts-csv", /^account,base\r?(\n|$)/],
  ["tlog-proof", /^c2sp\.org\/tlog-proof@v1\r?(\n|$)/],
];

/**
 * Guesses the kind of a document from its shape alone: a leading byte order
 * mark is ignored, JSON is recognised by its fields (a proof by its `type`,
 * an envelope by `payload`, `payloadType` or `signatures`, a keys file by
 * `keys` and `threshold`, …), text formats by their first line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sniffDocument } from "./_sniff.ts";
 * assert.equal(sniffDocument('{"type":"socialized-loss/proof/v1","path":[]}').kind, "proof");
 * assert.equal(sniffDocument('{"keys":[],"threshold":1}').kind, "keys");
 * assert.deepEqual(sniffDocument('{"type":"socialized-loss/proof/v1","pa'), { kind: "truncated", bytes: 38 });
 * assert.equal(sniffDocument(" \n").kind, "empty");
 * ```
 */
export function sniffDocument(text: string): Sniffed {
  const bytes = utf8(text).length;
  const body = withoutBom(text);
  if (body.trim() === "") return { kind: "empty", bytes };
  for (const [kind, header] of TEXT_HEADERS) if (header.test(body)) return { kind, bytes };
  let value: JsonValue;
  try {
    value = parseJson(body, { maxDepth: 64 });
  } catch (e) {
    return { kind: cutOff(body, (e as { offset?: number }).offset) ? "truncated" : "text", bytes };
  }
  return { kind: jsonKind(value), bytes };
}

/**
 * True when the reader stopped at the end of the text, or inside a literal
 * or an escape that the end of the text cut short.
 */
function cutOff(text: string, offset: number | undefined): boolean {
  if (offset === undefined) return false;
  const rest = text.slice(offset).trimEnd();
  if (rest === "") return true;
  return rest.length < 6 &&
    (["true", "false", "null"].some((w) => w.startsWith(rest)) || /^\\(u[0-9a-fA-F]{0,3})?$/.test(rest));
}

function jsonKind(value: JsonValue): DocumentKind {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "json";
  const has = (key: string): boolean => Object.hasOwn(value, key);
  const type = typeof value.type === "string" ? value.type : "";
  if (type.startsWith("socialized-loss/proof/")) return "proof";
  if (type.startsWith("socialized-loss/deficit-proof/")) return "deficit-proof";
  if (type.startsWith("socialized-loss/statement/")) return "statement";
  if (has("payload") || has("payloadType") || has("signatures")) return "envelope";
  if (has("keys") && has("threshold")) return "keys";
  if (has("secretKey")) return "signing-key";
  if (has("witnesses") && has("quorum")) return "log-policy";
  if (has("insuranceFund") && type === "") return "event";
  if (has("salt") && has("path") && has("statement")) return "proof";
  return "json";
}

/** How a command names the inputs it takes, by the kind of document each one is. */
export type Roles = Partial<Record<DocumentKind, string>>;

/** What a command expects a file to be. */
export interface Expected {
  /** The kinds it accepts (they go on to the strict parsers). */
  kinds: readonly DocumentKind[];
  /** What to call the file: `"proof file"`, `"statement file"`, `"keys file"`, … */
  what: string;
  /** Where the command takes each kind of document from (`"--keys"`, `"the proof"`), for "did you swap" hints. */
  roles?: Roles;
}

const KIND_NAMES: Record<DocumentKind, string> = {
  "proof": "a proof",
  "deficit-proof": "a deficit proof",
  "envelope": "a statement",
  "statement": "an unsigned statement payload",
  "keys": "a keys file",
  "signing-key": "a signing key (keep it secret)",
  "event": "an event file",
  "log-policy": "a log policy",
  "leaves-csv": "a leaves.csv file",
  "accounts-csv": "an accounts.csv file",
  "bankrupt-csv": "a bankrupt.csv file",
  "tlog-proof": "a log proof",
  "empty": "an empty file",
  "truncated": "a cut-off file",
  "json": "JSON",
  "text": "text",
};

/**
 * The one-line problem when `text` is not the kind of document expected:
 * empty, cut off, or another kind of haircut document (with "did you swap"
 * when the command takes that kind from another flag). `undefined` when it
 * may be the expected kind, or is no kind haircut knows: the strict parsers
 * then give their verdict.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { documentProblem } from "./_sniff.ts";
 * const expected = { kinds: ["envelope"], what: "statement file", roles: { envelope: "--statement", proof: "the proof" } } as const;
 * assert.equal(
 *   documentProblem('{"type":"socialized-loss/proof/v1"}', "statement.dsse.json", expected),
 *   "statement.dsse.json looks like a proof, not a statement: did you swap --statement and the proof?",
 * );
 * ```
 */
export function documentProblem(text: string, path: string, expected: Expected): string | undefined {
  const found = sniffDocument(text);
  if (found.kind === "empty") return `${path}: the ${expected.what} is empty`;
  if (found.kind === "truncated") {
    return `${path}: the ${expected.what} is not complete JSON (cut off at byte ${found.bytes}?)`;
  }
  if (found.kind === "json" || found.kind === "text" || expected.kinds.includes(found.kind)) return undefined;
  const want = KIND_NAMES[expected.kinds[0]];
  const mine = expected.roles?.[expected.kinds[0]];
  const theirs = expected.roles?.[found.kind];
  const swap = mine && theirs ? `: did you swap ${mine} and ${theirs}?` : "";
  return `${path} looks like ${KIND_NAMES[found.kind]}, not ${want}${swap}`;
}
