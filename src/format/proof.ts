/**
 * The trader's proof file: its limits, the account id rule shared by the
 * publisher and the verifier, and strict parsing.
 *
 * @module
 */

import { parseAmount } from "../core/amount.ts";
import { hexToBytes, utf8 } from "../core/encoding.ts";
import { FormatError } from "../core/errors.ts";
import { asObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import type { SumNode } from "../core/sum_tree.ts";

/**
 * The proof file's `type` field.
 */
export const PROOF_TYPE = "socialized-loss/proof/v1" as const;

/**
 * The most path nodes a proof may have.
 */
export const MAX_PROOF_NODES: number = 64;

/**
 * The longest account id, in UTF-8 bytes.
 */
export const MAX_ACCOUNT_ID_BYTES: number = 256;

/**
 * The account id rule, the same for `publish` and for a trader's proof:
 * 1 to {@linkcode MAX_ACCOUNT_ID_BYTES} UTF-8 bytes, well-formed Unicode, and
 * no control characters (C0, DEL or C1), so an id can never move a
 * terminal's cursor or hide in a report.
 *
 * @returns A one-line problem, or `undefined`.
 */
export function accountIdProblem(id: string): string | undefined {
  const size = utf8(id).length;
  if (size === 0 || size > MAX_ACCOUNT_ID_BYTES) {
    return `account id must be 1 to ${MAX_ACCOUNT_ID_BYTES} bytes, got ${size}`;
  }
  if (!id.isWellFormed()) return "account id must be well-formed Unicode";
  if (CONTROL_CHARACTERS.test(id)) return "account id must not contain control characters";
  return undefined;
}

// deno-lint-ignore no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A trader's proof file in typed form.
 *
 * @example Carol's proof of docs/SPEC.md section 13.8
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseProof, type Proof } from "../../mod.ts";
 *
 * const proofs = JSON.parse(await Deno.readTextFile("fixtures/golden/proofs.json"));
 * const proof: Proof = parseProof(JSON.stringify(proofs.carol));
 * assert.deepEqual([proof.index, proof.base, proof.haircut], [1, 123456n, 8538n]);
 * assert.deepEqual(proof.path.map((n) => n.base), [0n, 1000001n, 33333n]);
 * ```
 */
export interface Proof {
  /** The digest of the statement the proof belongs to. */
  statement: string;
  /** The account id. */
  account: string;
  /** The 32-byte salt. */
  salt: Uint8Array;
  /** The leaf index. */
  index: number;
  /** The account's base. */
  base: bigint;
  /** The account's haircut. */
  haircut: bigint;
  /** The sibling nodes, bottom-up. */
  path: SumNode[];
}

function proofInvalid(message: string): never {
  throw new FormatError("PROOF_INVALID", `proof: ${message}`);
}

/**
 * Parses a proof file strictly: exact fields, lowercase hex of exact length,
 * canonical amounts, at most {@linkcode MAX_PROOF_NODES} path nodes.
 *
 * @throws {FormatError} With `PROOF_INVALID`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FormatError, parseProof } from "../../mod.ts";
 *
 * const name = "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
 * const proof = parseProof(await Deno.readTextFile(`fixtures/example/proofs/${name}`));
 * assert.equal(proof.account, "alice");
 * assert.equal(proof.salt.length, 32);
 * assert.equal(proof.statement, "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a");
 * assert.throws(() => parseProof("[]"), FormatError);
 * ```
 */
export function parseProof(text: string): Proof {
  let value: JsonValue;
  try {
    // The index is its only number: integer digits only, as the format writes it (`7`, never `7.0` or `7e0`).
    value = parseJson(text, { integersOnly: true });
  } catch (e) {
    return proofInvalid((e as Error).message);
  }
  const shape = objectShapeProblem(value, {
    required: ["type", "statement", "account", "salt", "index", "base", "haircut", "path"],
  });
  if (shape) proofInvalid(shape);
  const o = asObject(value);
  if (o.type !== PROOF_TYPE) proofInvalid(`type must be ${JSON.stringify(PROOF_TYPE)}`);
  if (typeof o.statement !== "string" || !/^[0-9a-f]{64}$/.test(o.statement)) {
    proofInvalid("statement must be 64 lowercase hex digits");
  }
  if (typeof o.account !== "string") proofInvalid("account must be a string");
  const idProblem = accountIdProblem(o.account);
  if (idProblem) proofInvalid(idProblem);
  const salt = hexField(o.salt, "salt");
  if (typeof o.index !== "number" || !Number.isSafeInteger(o.index) || o.index < 0 || Object.is(o.index, -0)) {
    proofInvalid("index must be a non-negative integer");
  }
  if (!Array.isArray(o.path) || o.path.length > MAX_PROOF_NODES) {
    proofInvalid(`path must be an array of at most ${MAX_PROOF_NODES} nodes`);
  }
  const path = o.path.map((n, i): SumNode => {
    const problem = objectShapeProblem(n, { required: ["hash", "base", "haircut"] });
    if (problem) proofInvalid(`path[${i}]: ${problem}`);
    const node = asObject(n);
    return {
      hash: hexField(node.hash, `path[${i}].hash`),
      base: amountField(node.base, `path[${i}].base`),
      haircut: amountField(node.haircut, `path[${i}].haircut`),
    };
  });
  return {
    statement: o.statement,
    account: o.account,
    salt,
    index: o.index,
    base: amountField(o.base, "base"),
    haircut: amountField(o.haircut, "haircut"),
    path,
  };
}

function hexField(value: JsonValue | undefined, name: string): Uint8Array {
  try {
    return hexToBytes(value as string, 32);
  } catch {
    return proofInvalid(`${name} must be 64 lowercase hex digits`);
  }
}

function amountField(value: JsonValue | undefined, name: string): bigint {
  try {
    return parseAmount(value as string);
  } catch (e) {
    return proofInvalid(`${name}: ${(e as Error).message}`);
  }
}
