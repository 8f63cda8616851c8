/**
 * The trader's proof file: its limits, the account id rule shared by the
 * publisher and the verifier, and strict parsing.
 *
 * @module
 */

import { parseAmount } from "../core/amount.ts";
import { hexToBytes, utf8 } from "../core/encoding.ts";
import { FormatError } from "../core/errors.ts";
import { asObject, type JsonObject, type JsonValue, objectShapeProblem, parseJson } from "../core/_json.ts";
import type { SumNode } from "../core/sum_tree.ts";

/**
 * The proof file's `type` field.
 */
export const PROOF_TYPE = "socialized-loss/proof/v1" as const;

/** The deficit proof file's `type` field (format v1.1). */
export const DEFICIT_PROOF_TYPE = "socialized-loss/deficit-proof/v1" as const;

/** The most path nodes a proof may have. */
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

/**
 * A bankrupt account's proof that its loss is in the signed deficit tree
 * (format v1.1). Path nodes are sum nodes whose haircut is 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type DeficitProof, parseDeficitProof } from "../../mod.ts";
 * const p: DeficitProof = parseDeficitProof(JSON.stringify({
 *   type: "socialized-loss/deficit-proof/v1", statement: "ab".repeat(32), account: "mallory",
 *   salt: "01".repeat(32), index: 1, loss: "7", path: [{ hash: "02".repeat(32), loss: "5" }],
 * }));
 * assert.ok(p.path.every((node) => node.haircut === 0n));
 * ```
 */
export interface DeficitProof {
  /** The digest of the statement the proof belongs to. */
  statement: string;
  /** The bankrupt account's id. */
  account: string;
  /** The 32-byte salt of its deficit-tree leaf. */
  salt: Uint8Array;
  /** The leaf index in the deficit tree. */
  index: number;
  /** The account's loss. */
  loss: bigint;
  /** The sibling nodes, bottom-up, each with haircut 0. */
  path: SumNode[];
}

/**
 * Either kind of proof a trader can hold, by its `type`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AnyProof, parseAnyProof } from "./proof.ts";
 * const [file] = [...Deno.readDirSync("fixtures/example/proofs")];
 * const p: AnyProof = parseAnyProof(Deno.readTextFileSync(`fixtures/example/proofs/${file.name}`));
 * const amount = p.kind === "haircut" ? p.proof.haircut : p.proof.loss;
 * assert.equal(p.kind, "haircut");
 * assert.ok(amount >= 0n);
 * ```
 */
export type AnyProof = { kind: "haircut"; proof: Proof } | { kind: "deficit"; proof: DeficitProof };

function proofInvalid(message: string): never {
  throw new FormatError("PROOF_INVALID", `proof: ${message}`);
}

/** The fields both kinds share, checked the same way. */
function proofHeader(
  o: JsonObject,
  type: string,
): { statement: string; account: string; salt: Uint8Array; index: number } {
  if (o.type !== type) proofInvalid(`type must be ${JSON.stringify(type)}`);
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
  return { statement: o.statement, account: o.account, salt, index: o.index };
}

/** The path array, each node with exactly `fields`; a deficit node's haircut is 0. */
function pathNodes(value: JsonValue | undefined, kind: "haircut" | "deficit"): SumNode[] {
  if (!Array.isArray(value) || value.length > MAX_PROOF_NODES) {
    proofInvalid(`path must be an array of at most ${MAX_PROOF_NODES} nodes`);
  }
  const amount = kind === "haircut" ? "base" : "loss";
  return value.map((n, i): SumNode => {
    const problem = objectShapeProblem(n, {
      required: kind === "haircut" ? ["hash", "base", "haircut"] : ["hash", "loss"],
    });
    if (problem) proofInvalid(`path[${i}]: ${problem}`);
    const node = asObject(n);
    return {
      hash: hexField(node.hash, `path[${i}].hash`),
      base: amountField(node[amount], `path[${i}].${amount}`),
      haircut: kind === "haircut" ? amountField(node.haircut, `path[${i}].haircut`) : 0n,
    };
  });
}

function proofJson(text: string): JsonValue {
  try {
    // The index is a proof's only number: integer digits only, as the format writes it (`7`, never `7.0` or `7e0`).
    return parseJson(text, { integersOnly: true });
  } catch (e) {
    return proofInvalid((e as Error).message);
  }
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
  return haircutProofFrom(proofJson(text));
}

function haircutProofFrom(value: JsonValue): Proof {
  const shape = objectShapeProblem(value, {
    required: ["type", "statement", "account", "salt", "index", "base", "haircut", "path"],
  });
  if (shape) proofInvalid(shape);
  const o = asObject(value);
  const header = proofHeader(o, PROOF_TYPE);
  const path = pathNodes(o.path, "haircut");
  return { ...header, base: amountField(o.base, "base"), haircut: amountField(o.haircut, "haircut"), path };
}

/**
 * Parses a deficit proof file strictly (SPEC §10.8): exactly `type`,
 * `statement`, `account`, `salt`, `index`, `loss` and `path`, whose nodes
 * are exactly `{ hash, loss }`.
 *
 * @throws {FormatError} With `PROOF_INVALID`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDeficitProof } from "../../mod.ts";
 * const p = parseDeficitProof(JSON.stringify({
 *   type: "socialized-loss/deficit-proof/v1", statement: "ab".repeat(32), account: "mallory",
 *   salt: "01".repeat(32), index: 0, loss: "250000", path: [{ hash: "02".repeat(32), loss: "5" }],
 * }));
 * assert.equal(p.loss, 250000n);
 * assert.equal(p.path[0].haircut, 0n);
 * ```
 */
export function parseDeficitProof(text: string): DeficitProof {
  return deficitProofFrom(proofJson(text));
}

function deficitProofFrom(value: JsonValue): DeficitProof {
  const shape = objectShapeProblem(value, {
    required: ["type", "statement", "account", "salt", "index", "loss", "path"],
  });
  if (shape) proofInvalid(shape);
  const o = asObject(value);
  const header = proofHeader(o, DEFICIT_PROOF_TYPE);
  const path = pathNodes(o.path, "deficit");
  return { ...header, loss: amountField(o.loss, "loss"), path };
}

/**
 * Parses either kind of proof, told apart by `type`: a trader's haircut
 * proof or a bankrupt account's deficit proof.
 *
 * @throws {FormatError} With `PROOF_INVALID`, also for any other `type`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAnyProof } from "./proof.ts";
 * const files = [...Deno.readDirSync("fixtures/example/proofs")];
 * const p = parseAnyProof(Deno.readTextFileSync(`fixtures/example/proofs/${files[0].name}`));
 * assert.equal(p.kind, "haircut");
 * ```
 */
export function parseAnyProof(text: string): AnyProof {
  const value = proofJson(text);
  const type = value !== null && typeof value === "object" && !Array.isArray(value) ? value.type : undefined;
  if (type === DEFICIT_PROOF_TYPE) return { kind: "deficit", proof: deficitProofFrom(value) };
  if (type === PROOF_TYPE) return { kind: "haircut", proof: haircutProofFrom(value) };
  return proofInvalid(
    `type must be ${JSON.stringify(PROOF_TYPE)} or ${JSON.stringify(DEFICIT_PROOF_TYPE)}, got ${JSON.stringify(type)}`,
  );
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
