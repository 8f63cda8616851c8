/**
 * The log policy a trader pins (`log-policy.json`, SPEC §17): the log's
 * origin and Ed25519 vkey, the witnesses' `cosignature/v1` vkeys, and how
 * many of them must have cosigned.
 *
 * ```json
 * { "origin": "example.com/haircut-log", "log": "<vkey>", "witnesses": ["<vkey>", ...], "quorum": 2 }
 * ```
 *
 * @module
 */

import type { JsonValue } from "../core/_json.ts";
import { InputError } from "../core/errors.ts";
import { parseCosignatureVkey } from "./cosignature.ts";
import { type NoteVerifier, parseEd25519Vkey } from "./note.ts";
import { isLine, readJsonObject } from "./_text.ts";

/** The most witnesses a policy may pin. */
const MAX_POLICY_WITNESSES = 64;

/**
 * A parsed log policy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LogPolicy, parseLogPolicy } from "../../tlog.ts";
 *
 * const policy: LogPolicy = parseLogPolicy(await Deno.readTextFile("fixtures/tampered/log-quorum-not-met/log-policy.json"));
 * assert.equal(policy.origin, "tampered.example/haircut-log");
 * assert.equal(policy.log.name, policy.origin);
 * assert.deepEqual(policy.witnesses.map((w) => w.name), ["w1.tampered.example", "w2.tampered.example"]);
 * assert.equal(policy.quorum, 2);
 * ```
 */
export interface LogPolicy {
  /** The log's origin line. */
  origin: string;
  /** The log's key (type `0x01`). */
  log: NoteVerifier;
  /** The witnesses' keys (type `0x04`), distinct. */
  witnesses: NoteVerifier[];
  /** How many distinct witnesses must have cosigned, `0 <= quorum <= witnesses.length`. */
  quorum: number;
}

/**
 * Reads `log-policy.json` strictly: exactly the fields `origin`, `log`,
 * `witnesses` and `quorum`; the log vkey of type `0x01`, at most 64 witness
 * vkeys of type `0x04`, no two keys with the same name and key ID, and a
 * quorum from 0 to the number of witnesses.
 *
 * @throws {InputError} Naming the problem: the policy is the user's own input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosignatureSigner, ed25519NoteSigner, parseLogPolicy } from "../../tlog.ts";
 * import { InputError } from "../../mod.ts";
 * import { generateSigningKey } from "../../publish.ts";
 *
 * const log = ed25519NoteSigner("example.com/log", generateSigningKey("ed25519")).vkey;
 * const w = cosignatureSigner("w.example", generateSigningKey("ed25519"), 0).vkey;
 * const p = parseLogPolicy(JSON.stringify({ origin: "example.com/log", log, witnesses: [w], quorum: 1 }));
 * assert.equal(p.witnesses[0].name, "w.example");
 * assert.equal(p.quorum, 1);
 * assert.throws(
 *   () => parseLogPolicy(JSON.stringify({ origin: "example.com/log", log, witnesses: [w], quorum: 2 })),
 *   (e) => e instanceof InputError && /quorum must be an integer from 0 to 1/.test(e.message),
 * );
 * ```
 */
export function parseLogPolicy(text: string): LogPolicy {
  const bad = (message: string): never => {
    throw new InputError(`log policy: ${message}`);
  };
  const { origin, log, witnesses, quorum } = readJsonObject(text, "log policy", [
    "origin",
    "log",
    "witnesses",
    "quorum",
  ]);
  if (typeof origin !== "string" || origin.length > 1024 || !isLine(origin)) {
    bad("origin must be a non-empty line");
  }
  const key = (v: JsonValue, what: string, parse: (s: string) => NoteVerifier): NoteVerifier => {
    if (typeof v !== "string") return bad(`${what} must be a vkey string`);
    try {
      return parse(v);
    } catch (e) {
      return bad(`${what}: ${(e as Error).message}`);
    }
  };
  const logKey = key(log, "log", parseEd25519Vkey);
  if (!Array.isArray(witnesses) || witnesses.length > MAX_POLICY_WITNESSES) {
    bad(`witnesses must be an array of at most ${MAX_POLICY_WITNESSES} vkeys`);
  }
  const witnessKeys = (witnesses as JsonValue[]).map((w, i) => key(w, `witnesses[${i}]`, parseCosignatureVkey));
  const ids = new Set([logKey, ...witnessKeys].map((k) => `${k.name}+${k.keyId}`));
  if (ids.size !== witnessKeys.length + 1) bad("two keys share a name and key ID");
  if (typeof quorum !== "number" || !Number.isInteger(quorum) || quorum < 0 || quorum > witnessKeys.length) {
    bad(`quorum must be an integer from 0 to ${witnessKeys.length}`);
  }
  return { origin: origin as string, log: logKey, witnesses: witnessKeys, quorum: quorum as number };
}
