/**
 * The publisher's one proof serializer: a proof's JSON, pretty (a proof
 * file) or compact (a line of `proofs.ndjson`), with the same key order in
 * both. A {@linkcode ProofLayout} names the proof type and its amount
 * fields, so another kind of tree writes its own proofs through the same
 * code. Consecutive proofs share all but their lowest path nodes, so each
 * level's last node JSON is cached.
 *
 * @module
 */

import { bytesToHex } from "../core/encoding.ts";
import type { SumNode } from "../core/sum_tree.ts";
import { DEFICIT_PROOF_TYPE, PROOF_TYPE } from "../format/proof.ts";

/**
 * What one kind of proof calls things: its `type`, and the amount fields of
 * its leaf and of each path node, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SUM_PROOF } from "./_proof_json.ts";
 * assert.deepEqual(SUM_PROOF.amounts(5n, 1n), { base: "5", haircut: "1" });
 * ```
 */
export interface ProofLayout {
  /** The proof's `type`. */
  readonly type: string;
  /** The amount fields of a leaf or a path node with these sums. */
  amounts(base: bigint, haircut: bigint): Record<string, string>;
}

/**
 * The trader's proof of the main tree: `socialized-loss/proof/v1`, with
 * `base` and `haircut` in the leaf and in each path node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SUM_PROOF } from "./_proof_json.ts";
 * assert.equal(SUM_PROOF.type, "socialized-loss/proof/v1");
 * ```
 */
export const SUM_PROOF: ProofLayout = {
  type: PROOF_TYPE,
  amounts: (base, haircut) => ({ base: `${base}`, haircut: `${haircut}` }),
};

/**
 * The deficit proof's layout (format v1.1): `loss` for the leaf and each
 * path node, whose haircut sums are 0 and not written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFICIT_PROOF } from "./_proof_json.ts";
 * assert.deepEqual(DEFICIT_PROOF.amounts(250000n, 0n), { loss: "250000" });
 * ```
 */
export const DEFICIT_PROOF: ProofLayout = {
  type: DEFICIT_PROOF_TYPE,
  amounts: (base) => ({ loss: `${base}` }),
};

/**
 * The leaf-specific part of a proof.
 *
 * @example
 * ```ts
 * import type { ProofLeaf } from "./_proof_json.ts";
 * const leaf: ProofLeaf = { account: "alice", salt: new Uint8Array(32), index: 0, base: 5n, haircut: 1n };
 * ```
 */
export interface ProofLeaf {
  /** The account id. */
  account: string;
  /** Its 32-byte salt. */
  salt: Uint8Array;
  /** Its leaf index. */
  index: number;
  /** Its base. */
  base: bigint;
  /** Its haircut. */
  haircut: bigint;
}

/** How a proof is written: `pretty` as a proof file (two-space indent), `compact` as one line. */
export type ProofStyle = "pretty" | "compact";

/**
 * Writes the proofs of one tree and one statement, each ending with LF.
 * The path is given as record numbers with a reader of their nodes, so that
 * repeated nodes are serialized once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProofWriter, SUM_PROOF } from "./_proof_json.ts";
 * const node = (_: number) => ({ hash: new Uint8Array(32), base: 7n, haircut: 0n });
 * const writer = new ProofWriter({ layout: SUM_PROOF, statement: "00".repeat(32), style: "compact", node });
 * const leaf = { account: "alice", salt: new Uint8Array(32), index: 0, base: 5n, haircut: 1n };
 * assert.equal(JSON.parse(writer.json(leaf, [1])).path[0].base, "7");
 * ```
 */
export class ProofWriter {
  readonly #layout: ProofLayout;
  readonly #statement: string;
  readonly #pretty: boolean;
  readonly #node: (record: number) => SumNode;
  readonly #records: number[] = [];
  readonly #json: string[] = [];

  /** Creates a writer for proofs of `layout` under the statement digest `statement`. */
  constructor(
    options: { layout: ProofLayout; statement: string; style: ProofStyle; node: (record: number) => SumNode },
  ) {
    this.#layout = options.layout;
    this.#statement = options.statement;
    this.#pretty = options.style === "pretty";
    this.#node = options.node;
  }

  /** The proof of `leaf` with the path `path` (records, bottom-up). */
  json(leaf: ProofLeaf, path: readonly number[]): string {
    const head = {
      type: this.#layout.type,
      statement: this.#statement,
      account: leaf.account,
      salt: bytesToHex(leaf.salt),
      index: leaf.index,
      ...this.#layout.amounts(leaf.base, leaf.haircut),
    };
    const nodes = path.map((record, level) => this.#nodeJson(record, level));
    if (!this.#pretty) return `${JSON.stringify(head).slice(0, -1)},"path":[${nodes.join(",")}]}\n`;
    const list = nodes.length === 0 ? "[]" : `[\n    ${nodes.join(",\n    ")}\n  ]`;
    return `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "path": ${list}\n}\n`;
  }

  #nodeJson(record: number, level: number): string {
    if (this.#records[level] !== record || this.#json[level] === undefined) {
      const node = this.#node(record);
      const value = { hash: bytesToHex(node.hash), ...this.#layout.amounts(node.base, node.haircut) };
      this.#records[level] = record;
      this.#json[level] = this.#pretty
        ? JSON.stringify(value, null, 2).replaceAll("\n", "\n    ")
        : JSON.stringify(value);
    }
    return this.#json[level];
  }
}
