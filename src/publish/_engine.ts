/**
 * The publisher engine, shared by `buildPublication` (which collects its
 * output in memory) and `publishToDirectory` (which streams it to files):
 * sorted accounts and their haircuts become a {@linkcode PublishedTree},
 * whose rows and proofs are generated one at a time, so a publisher never
 * holds more than one of them as text.
 *
 * A {@linkcode TreeSpec} is everything that tells one kind of tree from
 * another (its accounts file and salt domain, its leaves file, its proof
 * layout), so a second tree over other accounts is another spec through the
 * same code. {@linkcode SUM_TREE} is the main tree.
 *
 * @module
 */

import { allocate } from "../rules/allocation.ts";
import { rateHaircut } from "../rules/rate.ts";
import { AMOUNT_LIMIT } from "../core/amount.ts";
import { bytesToHex } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import type { SumNode } from "../core/sum_tree.ts";
import type { SigningKey } from "../format/keys.ts";
import { BANKRUPT_HEADER, LEAVES_HEADER, leavesCsvLine } from "../format/leaves.ts";
import {
  ACCOUNTS_CSV,
  type AccountsFormat,
  BANKRUPT_ACCOUNTS_CSV,
  SaltDeriver,
  saltMessagePrefix,
  type SortedAccounts,
} from "./_accounts.ts";
import { eventAmounts, type EventSpec, requireSettled, settleEvent, signStatement } from "./event.ts";
import { DEFICIT_PROOF, type ProofLayout, type ProofStyle, ProofWriter, SUM_PROOF } from "./_proof_json.ts";
import { buildSumTree, type SumTree } from "./_tree.ts";

/**
 * One kind of tree: its input, its published leaves file, its proofs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SUM_TREE } from "./_engine.ts";
 * assert.equal(SUM_TREE.leaves.row("ab".repeat(32), 5n, 1n), `${"ab".repeat(32)},5,1\n`);
 * ```
 */
export interface TreeSpec {
  /** The accounts file it is built from, and its salt domain. */
  readonly accounts: AccountsFormat;
  /** The published leaves file: its header, and one row (with its LF) per leaf. */
  readonly leaves: { readonly header: string; row(key: string, base: bigint, haircut: bigint): string };
  /** Its proofs. */
  readonly proof: ProofLayout;
}

/**
 * The main tree: `accounts.csv` in, `leaves.csv` and trader proofs out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SUM_TREE } from "./_engine.ts";
 * assert.equal(SUM_TREE.leaves.header, "account_key,base,haircut");
 * ```
 */
export const SUM_TREE: TreeSpec = {
  accounts: ACCOUNTS_CSV,
  leaves: { header: LEAVES_HEADER, row: (key, base, haircut) => leavesCsvLine({ key, base, haircut }) },
  proof: SUM_PROOF,
};

/**
 * The deficit tree (format v1.1): the bankrupt accounts file (`account,loss`,
 * salts in the `deficit` domain) in, `bankrupt.csv` (`account_key,loss`) and
 * deficit proofs out. Each leaf's base is the loss and its haircut 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFICIT_TREE } from "./_engine.ts";
 * assert.equal(DEFICIT_TREE.leaves.row("ab".repeat(32), 250000n, 0n), `${"ab".repeat(32)},250000\n`);
 * ```
 */
export const DEFICIT_TREE: TreeSpec = {
  accounts: BANKRUPT_ACCOUNTS_CSV,
  leaves: { header: BANKRUPT_HEADER, row: (key, loss) => `${key},${loss}\n` },
  proof: DEFICIT_PROOF,
};

/**
 * The salt deriver of a tree kind for one event and secret.
 *
 * @example
 * ```ts
 * import { saltDeriverFor, SUM_TREE } from "./_engine.ts";
 * saltDeriverFor(SUM_TREE, { secret: new Uint8Array(32), event: "e1" });
 * ```
 */
export function saltDeriverFor(spec: TreeSpec, context: { secret: Uint8Array; event: string }): SaltDeriver {
  return new SaltDeriver(context.secret, saltMessagePrefix(context.event, spec.accounts.saltDomain));
}

/**
 * One proof as the engine emits it.
 *
 * @example
 * ```ts
 * import type { PublishedProof } from "./_engine.ts";
 * const p: PublishedProof = { index: 0, account: "alice", json: "{}\n" };
 * ```
 */
export interface PublishedProof {
  /** The leaf index ({@linkcode PublishedTree.key} gives its account key, which names a proof file). */
  index: number;
  /** The account id. */
  account: string;
  /** The proof JSON with its final LF. */
  json: string;
}

/**
 * A built tree over sorted accounts and their haircuts, ready to emit its
 * leaves file rows and its proofs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, readAccountsSync } from "./_accounts.ts";
 * import { PublishedTree, saltDeriverFor, SUM_TREE } from "./_engine.ts";
 * const deriver = saltDeriverFor(SUM_TREE, { secret: new Uint8Array(32), event: "e1" });
 * const accounts = readAccountsSync(new TextEncoder().encode("account,base\nalice,7\n"), ACCOUNTS_CSV, deriver);
 * const tree = new PublishedTree(SUM_TREE, { accounts, haircuts: [2n] }, { keepLevels: true });
 * assert.equal(tree.root.haircut, 2n);
 * assert.equal([...tree.proofs("00".repeat(32), { style: "compact" })].length, 1);
 * ```
 */
export class PublishedTree {
  /** The tree's spec. */
  readonly spec: TreeSpec;
  /** The sorted accounts. */
  readonly accounts: SortedAccounts;
  /** The haircuts in tree order. */
  readonly haircuts: readonly bigint[];
  readonly #tree: SumTree;

  /**
   * Builds the tree; with `keepLevels: false` only the root is kept (no proofs).
   *
   * Precondition: one haircut per account, each at most its base.
   */
  constructor(
    spec: TreeSpec,
    leaves: { accounts: SortedAccounts; haircuts: readonly bigint[] },
    options: { keepLevels: boolean },
  ) {
    this.spec = spec;
    this.accounts = leaves.accounts;
    this.haircuts = leaves.haircuts;
    const { table, order, bases } = leaves.accounts;
    this.#tree = buildSumTree(
      { keys: table.records, keyOffset: (j) => table.keyOffset(order[j]), bases, haircuts: leaves.haircuts },
      options,
    );
  }

  /** The root. */
  get root(): SumNode {
    return this.#tree.root;
  }

  /** The leaf count. */
  get size(): number {
    return this.#tree.size;
  }

  /** The account key of leaf `j`, hex. */
  key(j: number): string {
    const { table, order } = this.accounts;
    const at = table.keyOffset(order[j]);
    return bytesToHex(table.records.subarray(at, at + 32));
  }

  /** The leaves file's rows after its header, in tree order. */
  *rows(): Generator<string> {
    const { bases } = this.accounts;
    for (let j = 0; j < bases.length; j++) yield this.spec.leaves.row(this.key(j), bases[j], this.haircuts[j]);
  }

  /**
   * The proofs under the statement digest `statement`, in tree order, of the
   * leaves `options.proofFor` accepts (default all).
   *
   * @throws {Error} When the tree was built without its levels.
   */
  *proofs(
    statement: string,
    options: { style: ProofStyle; proofFor?: (index: number) => boolean },
  ): Generator<PublishedProof> {
    const tree = this.#tree;
    const { table, order, bases } = this.accounts;
    const writer = new ProofWriter({ layout: this.spec.proof, statement, style: options.style, node: tree.node });
    for (let j = 0; j < bases.length; j++) {
      if (options.proofFor && !options.proofFor(j)) continue;
      const k = order[j];
      const account = table.id(k);
      const leaf = { account, salt: table.salt(k), index: j, base: bases[j], haircut: this.haircuts[j] };
      yield { index: j, account, json: writer.json(leaf, tree.pathRecords(j)) };
    }
  }
}

/**
 * Checks that a tree's amounts add up to less than 2^128, before anything is allocated or hashed.
 *
 * @throws {InputError} Naming the total.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireTotalBelowLimit, SUM_TREE } from "./_engine.ts";
 * requireTotalBelowLimit(SUM_TREE, { total: 5n });
 * assert.throws(() => requireTotalBelowLimit(SUM_TREE, { total: 1n << 128n }), /the bases add up to/);
 * ```
 */
export function requireTotalBelowLimit(spec: TreeSpec, accounts: Pick<SortedAccounts, "total">): void {
  if (accounts.total >= AMOUNT_LIMIT) {
    throw new InputError(`the ${spec.accounts.amounts} add up to ${accounts.total}, which reaches 2^128`);
  }
}

/**
 * The main tree's haircuts, in tree order: under a rate policy each base's
 * own `rateHaircut`; otherwise the event's target allocated over the bases
 * with the policy's rounding.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mainHaircuts } from "./_engine.ts";
 * import { parseEventFile } from "../../publish.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * assert.deepEqual(mainHaircuts(event, { bases: [11205005n], total: 11205005n }), [1300000n]);
 * const rated = { ...event, deficit: 1n, policy: { ...event.policy, rounding: "rate-ceil", rate: { num: 1n, den: 3n } } } as const;
 * assert.deepEqual(mainHaircuts(rated, { bases: [4n, 6n], total: 10n }), [2n, 2n]);
 * ```
 */
export function mainHaircuts(event: EventSpec, accounts: Pick<SortedAccounts, "bases" | "total">): bigint[] {
  const policy = requireSettled(event).policy;
  if (policy.rate) return accounts.bases.map((b) => rateHaircut(b, policy.rate, policy.rounding));
  const { target } = eventAmounts(event, accounts.total);
  return allocate(accounts.bases, target, { rounding: policy.rounding });
}

/**
 * Allocates, builds and signs a publication over sorted accounts: the
 * statement and envelope, and the tree to emit rows and proofs from. With
 * bankrupt accounts (format v1.1) it also builds the deficit tree, whose
 * losses give the deficit when the event leaves it out, and commits to it.
 *
 * @throws {InputError} When the amounts reach 2^128 or the event makes an invalid statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCOUNTS_CSV, readAccountsSync } from "./_accounts.ts";
 * import { preparePublication, saltDeriverFor, SUM_TREE } from "./_engine.ts";
 * import { parseEventFile } from "../../publish.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * const event = parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json"));
 * const deriver = saltDeriverFor(SUM_TREE, { secret: new Uint8Array(32), event: event.event });
 * const accounts = readAccountsSync(Deno.readFileSync("fixtures/example/input/accounts.csv"), ACCOUNTS_CSV, deriver);
 * const { signed, deficitTree } = preparePublication({ accounts, event }, [signingKeyFromSecret("ed25519", new Uint8Array(32))], {
 *   keepLevels: false,
 * });
 * assert.equal(signed.statement.tree.leafCount, 8);
 * assert.equal(deficitTree, undefined);
 * ```
 */
export function preparePublication(
  input: { accounts: SortedAccounts; event: EventSpec; bankrupt?: SortedAccounts },
  signers: readonly SigningKey[],
  options: { keepLevels: boolean },
): { tree: PublishedTree; deficitTree?: PublishedTree; signed: ReturnType<typeof signStatement> } {
  const { accounts, bankrupt } = input;
  requireTotalBelowLimit(SUM_TREE, accounts);
  if (bankrupt) requireTotalBelowLimit(DEFICIT_TREE, bankrupt);
  const event = settleEvent(input.event, {
    bases: accounts.bases,
    total: accounts.total,
    ...(bankrupt ? { losses: bankrupt.total } : {}),
  });
  const tree = new PublishedTree(SUM_TREE, { accounts, haircuts: mainHaircuts(event, accounts) }, options);
  const deficitTree = bankrupt
    ? new PublishedTree(DEFICIT_TREE, { accounts: bankrupt, haircuts: bankrupt.bases.map(() => 0n) }, options)
    : undefined;
  const signed = signStatement({
    event,
    root: tree.root,
    leafCount: tree.size,
    ...(deficitTree
      ? { deficitTree: { root: deficitTree.root.hash, leafCount: deficitTree.size, total: deficitTree.root.base } }
      : {}),
  }, signers);
  return { tree, ...(deficitTree ? { deficitTree } : {}), signed };
}
