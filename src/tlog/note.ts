/**
 * C2SP signed notes (`c2sp.org/signed-note`): a text ending in a newline, a
 * blank line, and one or more lines `— <name> base64(keyID || signature)`.
 * Verifier keys (vkeys) are `<name>+<8 hex key ID>+base64(type || key)`.
 *
 * Verification follows the spec: signatures from unknown keys are ignored,
 * a known key's signature must verify (else the whole note is rejected),
 * and at least one known key must have signed. The signature algorithm of
 * each type lives with its verifier: Ed25519 (`0x01`) here, the timestamped
 * witness cosignature (`0x04`) in `cosignature.ts`.
 *
 * @module
 */

import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { base64ToBytes, bytesToBase64, utf8 } from "../core/encoding.ts";
import type { SigningKey } from "../format/keys.ts";
import { verifySignature } from "../format/signature.ts";

/**
 * The signature type byte of an Ed25519 note signature, the type of a log's
 * own key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ED25519_TYPE, parseVkey } from "../../tlog.ts";
 *
 * const key = parseVkey("tampered.example/haircut-log+4f1e95fd+AbNNCCLysL5PKP6SvWRy3BkrKNy6F46jufMxqgSXtbmZ");
 * assert.equal(key.type, ED25519_TYPE);
 * ```
 */
export const ED25519_TYPE = 0x01;

/**
 * The most signature lines a note may carry. The spec requires accepting at
 * least 16; this is Go's `sumdb/note` limit, so both accept the same notes.
 */
export const MAX_NOTE_SIGNATURES = 100;

/**
 * What made a note unacceptable: `malformed` (it does not parse),
 * `invalid-signature` (a known key's signature does not verify) or
 * `unverified` (no known key signed it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NoteError, type NoteProblem, openNote } from "../../tlog.ts";
 *
 * const problem = (note: string): NoteProblem | undefined => {
 *   try {
 *     openNote(note, []);
 *   } catch (e) {
 *     if (e instanceof NoteError) return e.problem;
 *   }
 * };
 * assert.equal(problem("no signatures\n"), "malformed");
 * assert.equal(problem("text\n\n— k AAAAAQk=\n"), "unverified");
 * ```
 */
export type NoteProblem = "malformed" | "invalid-signature" | "unverified";

/**
 * A note, or a verifier key, that cannot be accepted. `problem` says why:
 * it does not parse, a known key's signature does not verify (with the
 * signer), or no known key signed it.
 *
 * @example A signature of a known key that does not verify names its signer
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, NoteError, openNote, parseEd25519Vkey, signNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519"));
 * const forged = signNote("tree 1\n", [signer]).replace("tree 1", "tree 2");
 * assert.throws(
 *   () => openNote(forged, [parseEd25519Vkey(signer.vkey)]),
 *   (e) => e instanceof NoteError && e.problem === "invalid-signature" && e.signer?.keyId === signer.keyId,
 * );
 * ```
 */
export class NoteError extends Error {
  /** Creates the error. */
  constructor(
    message: string,
    /** Why the note is refused. */
    readonly problem: NoteProblem,
    /** The key whose signature failed, for `invalid-signature`. */
    readonly signer?: { name: string; keyId: number },
  ) {
    super(message);
    this.name = "NoteError";
  }
}

/**
 * One signature line of a note, as parsed.
 *
 * @example The two signatures on a log proof's checkpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import { type NoteSignature, parseNote, parseTlogProof } from "../../tlog.ts";
 *
 * const proof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * const [log, witness]: NoteSignature[] = parseNote(proof.checkpoint).signatures;
 * assert.equal(log.name, "tampered.example/haircut-log");
 * assert.equal(log.keyId, 0x4f1e95fd);
 * assert.equal(log.signature.length, 64); // Ed25519
 * assert.equal(witness.signature.length, 72); // cosignature/v1: timestamp and Ed25519
 * assert.match(witness.line, /^— w1\.tampered\.example .+\n$/);
 * ```
 */
export interface NoteSignature {
  /** The key name. */
  name: string;
  /** The 32-bit key ID (the first four bytes of the decoded base64, big-endian). */
  keyId: number;
  /** The signature bytes after the key ID. */
  signature: Uint8Array;
  /** The whole line, with its final newline. */
  line: string;
}

/**
 * A note split into its text and signatures, before any is verified.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Note, parseNote, parseTlogProof } from "../../tlog.ts";
 *
 * const proof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * const note: Note = parseNote(proof.checkpoint);
 * assert.equal(note.text, "tampered.example/haircut-log\n2\n1pFI+3e/ke354gv7+RCPuJkPNysk56Dh7/RNFqKtaa0=\n");
 * assert.equal(note.signatures.length, 2);
 * ```
 */
export interface Note {
  /** The signed text, with its final newline, without the blank line. */
  text: string;
  /** The signature lines in order. */
  signatures: NoteSignature[];
}

/**
 * The outcome of one verifier on one signature: valid (with the timestamp
 * that timestamped types carry), or invalid with the reason.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, type NoteSignatureCheck, parseEd25519Vkey } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519"));
 * const verifier = parseEd25519Vkey(signer.vkey);
 * const good: NoteSignatureCheck = verifier.verify("hi\n", signer.sign("hi\n"));
 * assert.deepEqual(good, { valid: true });
 * const bad: NoteSignatureCheck = verifier.verify("hi\n", new Uint8Array(63));
 * assert.deepEqual(bad, { valid: false, reason: "signature is 63 bytes, not 64" });
 * ```
 */
export type NoteSignatureCheck = { valid: true; timestamp?: number } | { valid: false; reason: string };

/**
 * A key a note can be checked against: its name, key ID, signature type and
 * public key, and how a signature of that type is verified.
 *
 * @example The keys a log policy pins
 * ```ts
 * import assert from "node:assert/strict";
 * import { COSIGNATURE_TYPE, ED25519_TYPE, type NoteVerifier, parseLogPolicy } from "../../tlog.ts";
 *
 * const policy = parseLogPolicy(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/log-policy.json"));
 * const keys: NoteVerifier[] = [policy.log, ...policy.witnesses];
 * assert.deepEqual(keys.map((k) => [k.name, k.type]), [
 *   ["tampered.example/haircut-log", ED25519_TYPE],
 *   ["w1.tampered.example", COSIGNATURE_TYPE],
 *   ["w2.tampered.example", COSIGNATURE_TYPE],
 * ]);
 * assert.equal(policy.log.publicKey.length, 32);
 * ```
 */
export interface NoteVerifier {
  /** The key name. */
  name: string;
  /** The 32-bit key ID. */
  keyId: number;
  /** The signature type byte. */
  type: number;
  /** The raw public key. */
  publicKey: Uint8Array;
  /** Checks `signature` (the bytes after the key ID) over the note text. */
  verify(text: string, signature: Uint8Array): NoteSignatureCheck;
}

/**
 * A signature of the note that a known key made and that verified.
 *
 * @example A witness cosignature carries its timestamp
 * ```ts
 * import assert from "node:assert/strict";
 * import { openNote, parseLogPolicy, parseTlogProof, type VerifiedSignature } from "../../tlog.ts";
 *
 * const policy = parseLogPolicy(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/log-policy.json"));
 * const proof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * const [log, witness]: VerifiedSignature[] = openNote(proof.checkpoint, [policy.log, ...policy.witnesses]).verified;
 * assert.equal(log.timestamp, undefined);
 * assert.equal(witness.name, "w1.tampered.example");
 * assert.equal(witness.timestamp, 1767225600); // 2026-01-01T00:00:00Z
 * ```
 */
export interface VerifiedSignature {
  /** The key name. */
  name: string;
  /** The key ID. */
  keyId: number;
  /** The signature type byte. */
  type: number;
  /** The POSIX timestamp, for timestamped types. */
  timestamp?: number;
  /** The signature line. */
  line: string;
}

/**
 * A note whose known signatures all verified.
 *
 * @example A key the verifier does not know is listed, not checked
 * ```ts
 * import assert from "node:assert/strict";
 * import { type OpenedNote, openNote, parseLogPolicy, parseTlogProof } from "../../tlog.ts";
 *
 * const policy = parseLogPolicy(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/log-policy.json"));
 * const proof = parseTlogProof(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/statement.tlog-proof"));
 * const opened: OpenedNote = openNote(proof.checkpoint, [policy.log]);
 * assert.equal(opened.text.split("\n")[1], "2");
 * assert.deepEqual(opened.verified.map((v) => v.name), ["tampered.example/haircut-log"]);
 * assert.deepEqual(opened.unknown.map((s) => s.name), ["w1.tampered.example"]);
 * ```
 */
export interface OpenedNote {
  /** The signed text. */
  text: string;
  /** The signatures from known keys, each verified, once per key. */
  verified: VerifiedSignature[];
  /** The signatures from unknown keys, ignored. */
  unknown: NoteSignature[];
}

/**
 * Whether `name` may be a key name: non-empty, with no Unicode space and no
 * `+`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isValidKeyName } from "./note.ts";
 * assert.equal(isValidKeyName("example.com/log"), true);
 * assert.equal(isValidKeyName("a b"), false);
 * ```
 */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !/[\s\u0085+]/u.test(name);
}

/**
 * The recommended key ID: the first four bytes, big-endian, of
 * `SHA-256(name || 0x0A || type || publicKey)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noteKeyId } from "./note.ts";
 * import { parseVkey } from "../../tlog.ts";
 *
 * const { name, type, publicKey, keyId } = parseVkey("w1.tampered.example+80dea459+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN");
 * assert.equal(noteKeyId(name, type, publicKey), keyId);
 * assert.equal(keyId, 0x80dea459);
 * ```
 */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const n = utf8(name);
  const input = new Uint8Array(n.length + 2 + publicKey.length);
  input.set(n);
  input[n.length] = 0x0a;
  input[n.length + 1] = type;
  input.set(publicKey, n.length + 2);
  return new DataView(sha256(input).buffer).getUint32(0);
}

/**
 * The key ID as a vkey writes it: 8 lowercase hex digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyIdHex } from "./note.ts";
 * assert.equal(keyIdHex(0x0a0b), "00000a0b");
 * ```
 */
export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, "0");
}

/**
 * The vkey of a key: `<name>+<8 hex key ID>+base64(type || publicKey)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COSIGNATURE_TYPE, formatVkey, parseVkey } from "../../tlog.ts";
 *
 * const w1 = parseVkey("w1.tampered.example+80dea459+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN");
 * assert.equal(
 *   formatVkey({ name: w1.name, type: COSIGNATURE_TYPE, publicKey: w1.publicKey }),
 *   "w1.tampered.example+80dea459+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN",
 * );
 * ```
 */
export function formatVkey(key: { name: string; type: number; publicKey: Uint8Array }): string {
  if (!isValidKeyName(key.name)) throw new RangeError(`invalid key name ${JSON.stringify(key.name)}`);
  const material = new Uint8Array(1 + key.publicKey.length);
  material[0] = key.type;
  material.set(key.publicKey, 1);
  return `${key.name}+${keyIdHex(noteKeyId(key.name, key.type, key.publicKey))}+${bytesToBase64(material)}`;
}

/**
 * Splits a vkey into name, key ID, type and public key. The key ID must be
 * the one the name, type and key give, and an Ed25519 key (types `0x01` and
 * `0x04`) must be a valid 32-byte point.
 *
 * @throws {NoteError} With problem `malformed`, naming what is wrong.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COSIGNATURE_TYPE, NoteError, parseVkey } from "../../tlog.ts";
 *
 * const key = parseVkey("w1.tampered.example+80dea459+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN");
 * assert.equal(key.name, "w1.tampered.example");
 * assert.equal(key.keyId, 0x80dea459);
 * assert.equal(key.type, COSIGNATURE_TYPE);
 * assert.equal(key.publicKey.length, 32);
 * // A key ID that is not the hash of the name and key is refused.
 * assert.throws(
 *   () => parseVkey("w1.tampered.example+80dea458+BM4C7xM0AkYVHkhRiuQRj7BMzuLiynYEgdzExhZWVvgN"),
 *   (e) => e instanceof NoteError && e.problem === "malformed",
 * );
 * ```
 */
export function parseVkey(vkey: string): { name: string; keyId: number; type: number; publicKey: Uint8Array } {
  const bad = (message: string): never => {
    throw new NoteError(`vkey ${JSON.stringify(vkey.slice(0, 200))}: ${message}`, "malformed");
  };
  // The name has no '+', the key ID neither; base64 may.
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 0 || second < 0) bad("expected <name>+<8 hex key ID>+<base64 key>");
  const [name, idHex, keyB64] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
  if (!isValidKeyName(name)) bad("the name must be non-empty, without spaces or '+'");
  // Go's sumdb/note accepts either case here, and so does this reader; vkeys are written in lowercase.
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) bad("the key ID must be 8 hex digits");
  let material: Uint8Array;
  try {
    material = base64ToBytes(keyB64);
  } catch (e) {
    return bad(`the key: ${(e as Error).message}`);
  }
  if (material.length < 2) bad("the key is empty");
  const type = material[0];
  const publicKey = material.slice(1);
  if (type === ED25519_TYPE || type === 0x04) {
    if (publicKey.length !== 32) bad(`an Ed25519 key must be 32 bytes, got ${publicKey.length}`);
    try {
      ed25519.Point.fromBytes(publicKey, false);
    } catch {
      bad("the Ed25519 key is not a valid curve point");
    }
  }
  const keyId = noteKeyId(name, type, publicKey);
  if (keyId !== parseInt(idHex, 16)) {
    bad(`the key ID ${idHex} is not SHA-256(name, type, key)[:4] = ${keyIdHex(keyId)}`);
  }
  return { name, keyId, type, publicKey };
}

/**
 * The verifier of an Ed25519 (`0x01`) vkey: RFC 8032 over the note text.
 *
 * @throws {NoteError} When the vkey is malformed or of another type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, openNote, parseEd25519Vkey, signNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const signer = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519"));
 * const note = signNote("hello\n", [signer]);
 * assert.equal(openNote(note, [parseEd25519Vkey(signer.vkey)]).text, "hello\n");
 * ```
 */
export function parseEd25519Vkey(vkey: string): NoteVerifier {
  const key = parseVkey(vkey);
  if (key.type !== ED25519_TYPE) {
    throw new NoteError(`vkey of ${key.name}: type 0x${key.type.toString(16)} is not Ed25519 (0x01)`, "malformed");
  }
  return {
    ...key,
    verify(text: string, signature: Uint8Array): NoteSignatureCheck {
      if (signature.length !== 64) return { valid: false, reason: `signature is ${signature.length} bytes, not 64` };
      return verifySignature({ algorithm: "ed25519", publicKey: key.publicKey }, { message: utf8(text), signature })
        ? { valid: true }
        : { valid: false, reason: "Ed25519 signature does not verify" };
    },
  };
}

/**
 * A key that signs notes: its name, vkey, and how it signs a text into the
 * bytes after the key ID.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, type NoteSigner, parseVkey } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer: NoteSigner = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519"));
 * assert.equal(parseVkey(signer.vkey).keyId, signer.keyId);
 * assert.equal(signer.sign("hi\n").length, 64);
 * ```
 */
export interface NoteSigner {
  /** The key name. */
  name: string;
  /** The key ID. */
  keyId: number;
  /** The verifier key to publish. */
  vkey: string;
  /** Signs the note text. */
  sign(text: string): Uint8Array;
}

/**
 * An Ed25519 (`0x01`) note signer from a haircut signing key.
 *
 * @throws {RangeError} When the name is not a valid key name or the key is not Ed25519.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ED25519_TYPE, ed25519NoteSigner, parseVkey } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const signer = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519"));
 * const vkey = parseVkey(signer.vkey);
 * assert.equal(vkey.name, "example.com/log");
 * assert.equal(vkey.type, ED25519_TYPE);
 * assert.throws(() => ed25519NoteSigner("example.com/log", generateSigningKey("secp256k1")), RangeError);
 * ```
 */
export function ed25519NoteSigner(name: string, key: SigningKey): NoteSigner {
  if (key.algorithm !== "ed25519") throw new RangeError(`a note key must be Ed25519, not ${key.algorithm}`);
  const vkey = formatVkey({ name, type: ED25519_TYPE, publicKey: key.publicKey });
  return {
    name,
    keyId: noteKeyId(name, ED25519_TYPE, key.publicKey),
    vkey,
    sign: (text) => ed25519.sign(utf8(text), key.secretKey),
  };
}

/**
 * One signature line: `— <name> base64(keyID || signature)` and a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signatureLine } from "./note.ts";
 * assert.equal(signatureLine("k", 1, new Uint8Array([9])), "— k AAAAAQk=\n");
 * ```
 */
export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const bytes = new Uint8Array(4 + signature.length);
  new DataView(bytes.buffer).setUint32(0, keyId);
  bytes.set(signature, 4);
  return `— ${name} ${bytesToBase64(bytes)}\n`;
}

/**
 * Signs `text` with each signer and returns the note: the text, a blank
 * line, one signature line per signer.
 *
 * Precondition: `text` ends in a newline and is a valid note text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, openNote, parseEd25519Vkey, signNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const [a, b] = ["a.example", "b.example"].map((name) => ed25519NoteSigner(name, generateSigningKey("ed25519")));
 * const note = signNote("hi\n", [a, b]);
 * assert.match(note, /^hi\n\n— a\.example \S+\n— b\.example \S+\n$/);
 * assert.equal(openNote(note, [parseEd25519Vkey(b.vkey)]).verified[0].name, "b.example");
 * ```
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith("\n")) throw new RangeError("a note text must end in a newline");
  return `${text}\n${signers.map((s) => signatureLine(s.name, s.keyId, s.sign(text))).join("")}`;
}

/**
 * Splits a note into its text and signature lines, strictly: valid UTF-8
 * with no control character but newline, a blank line before the
 * signatures, each line `— <valid name> <canonical base64 of at least 5
 * bytes>`, at most {@linkcode MAX_NOTE_SIGNATURES} of them, the last ending
 * in a newline. Nothing is verified.
 *
 * @throws {NoteError} With problem `malformed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNote } from "../../tlog.ts";
 * const n = parseNote("a\n\nb\n\n— k AAAAAQk=\n");
 * assert.equal(n.text, "a\n\nb\n");
 * assert.equal(n.signatures[0].keyId, 1);
 * ```
 */
export function parseNote(note: string): Note {
  const bad = (message: string): never => {
    throw new NoteError(`malformed note: ${message}`, "malformed");
  };
  if (!note.isWellFormed()) bad("not valid UTF-8");
  // deno-lint-ignore no-control-regex
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(note);
  if (control) bad(`control character U+${control[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${control.index}`);
  const split = note.lastIndexOf("\n\n");
  if (split < 0) bad("no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) bad("no signature lines");
  if (!block.endsWith("\n")) bad("the last signature line does not end in a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) bad(`${lines.length} signatures, more than ${MAX_NOTE_SIGNATURES}`);
  const signatures = lines.map((line, i): NoteSignature => {
    if (!line.startsWith("— ")) bad(`signature line ${i + 1} does not start with "— "`);
    const rest = line.slice(2);
    const space = rest.indexOf(" ");
    if (space < 0) bad(`signature line ${i + 1} has no signature`);
    const name = rest.slice(0, space);
    if (!isValidKeyName(name)) bad(`signature line ${i + 1}: invalid key name ${JSON.stringify(name)}`);
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(rest.slice(space + 1));
    } catch (e) {
      return bad(`signature line ${i + 1}: ${(e as Error).message}`);
    }
    if (bytes.length < 5) bad(`signature line ${i + 1}: ${bytes.length} bytes, need a key ID and a signature`);
    return {
      name,
      keyId: new DataView(bytes.buffer, bytes.byteOffset).getUint32(0),
      signature: bytes.slice(4),
      line: `${line}\n`,
    };
  });
  return { text, signatures };
}

/**
 * Parses a note and verifies it against the known keys: signatures whose
 * (name, key ID) match no known key are ignored; every signature of a known
 * key must verify; at least one must. A key's repeated signature is
 * verified too but listed once.
 *
 * Precondition: no two `known` keys share both name and key ID.
 *
 * @throws {NoteError} `malformed`, `invalid-signature` (with the signer) or `unverified`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ed25519NoteSigner, NoteError, openNote, parseEd25519Vkey, signNote } from "../../tlog.ts";
 * import { generateSigningKey } from "../../publish.ts";
 * const a = ed25519NoteSigner("a", generateSigningKey("ed25519"));
 * const b = ed25519NoteSigner("b", generateSigningKey("ed25519"));
 * const note = signNote("x\n", [a, b]);
 * const opened = openNote(note, [parseEd25519Vkey(b.vkey)]);
 * assert.deepEqual(opened.verified.map((s) => s.name), ["b"]);
 * assert.deepEqual(opened.unknown.map((s) => s.name), ["a"]);
 * assert.throws(() => openNote(note, []), (e) => e instanceof NoteError && e.problem === "unverified");
 * ```
 */
export function openNote(note: string, known: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const verified: VerifiedSignature[] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const s of signatures) {
    const key = known.find((k) => k.name === s.name && k.keyId === s.keyId);
    if (!key) {
      unknown.push(s);
      continue;
    }
    const check = key.verify(text, s.signature);
    if (!check.valid) {
      throw new NoteError(
        `the signature of ${s.name} (key ID ${keyIdHex(s.keyId)}) does not verify: ${check.reason}`,
        "invalid-signature",
        { name: s.name, keyId: s.keyId },
      );
    }
    const id = `${s.name}+${s.keyId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    verified.push({
      name: s.name,
      keyId: s.keyId,
      type: key.type,
      ...(check.timestamp !== undefined ? { timestamp: check.timestamp } : {}),
      line: s.line,
    });
  }
  if (verified.length === 0) throw new NoteError("no known key signed the note", "unverified");
  return { text, verified, unknown };
}
