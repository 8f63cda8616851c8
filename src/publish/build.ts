/**
 * The venue side in memory: {@linkcode buildPublication} runs the publisher
 * engine over accounts at hand and collects what `publishToDirectory` would
 * write: the statement, the signed envelope, `leaves.csv`, `keys.json` and
 * one proof per account. Also the text forms of the engine's input:
 * {@linkcode parseAccountsCsv} and {@linkcode deriveSalt}.
 *
 * @module
 */

import { utf8 } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import type { Envelope } from "../format/dsse.ts";
import { keysFileJson, type SigningKey } from "../format/keys.ts";
import { accountIdProblem } from "../format/proof.ts";
import type { Statement } from "../format/statement.ts";
import {
  ACCOUNTS_CSV,
  type AccountsProblem,
  AccountsReader,
  AccountTable,
  csvAccountIdProblem,
  sortAccounts,
  type SortedAccounts,
} from "./_accounts.ts";
import type { EventSpec } from "./event.ts";
import {
  DEFICIT_TREE,
  preparePublication,
  type PublishedTree,
  saltDeriverFor,
  SUM_TREE,
  type TreeSpec,
} from "./_engine.ts";

export { csvAccountIdProblem };

/**
 * One account and its haircut base.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AccountInput, parseAccountsCsv } from "../../publish.ts";
 *
 * const accounts: AccountInput[] = parseAccountsCsv("account,base\nalice,750000\nbob,250001\n");
 * assert.deepEqual(accounts[1], { account: "bob", base: 250001n });
 * ```
 */
export interface AccountInput {
  /** The venue's account id. */
  account: string;
  /** The haircut base in minor units. */
  base: bigint;
}

/**
 * One bankrupt account and its loss (format v1.1), for the deficit tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type BankruptInput, buildPublication, parseEventFile } from "../../publish.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * const event = parseEventFile(await Deno.readTextFile("fixtures/example/input/event.json"));
 * const bankrupt: BankruptInput[] = [{ account: "mallory", loss: 2_000_000n }, { account: "oscar", loss: 500_000n }];
 * const pub = buildPublication({ accounts: [{ account: "alice", base: 9_000_000n }], event, bankrupt }, [
 *   signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1)),
 * ]);
 * assert.equal(pub.statement.deficitTree?.total, 2_500_000n); // the event's deficit
 * assert.equal(pub.deficitProofs?.length, 2);
 * ```
 */
export interface BankruptInput {
  /** The venue's account id. */
  account: string;
  /** Its negative equity, in minor units. */
  loss: bigint;
}

/**
 * One trader's proof.
 *
 * @example One proof file per account, named by its account key
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication, parseEventFile, parseSigningKey, type ProofFile } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const publication = buildPublication({
 *   accounts: [{ account: "alice", base: 750000n }],
 *   event: parseEventFile(await Deno.readTextFile(`${input}/event.json`)),
 * }, [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))]);
 * const [proof]: ProofFile[] = publication.proofs;
 * assert.equal(proof.account, "alice");
 * assert.match(proof.fileName, /^[0-9a-f]{64}\.json$/);
 * assert.equal(JSON.parse(proof.json).account, "alice");
 * ```
 */
export interface ProofFile {
  /** The account id the proof belongs to. */
  account: string;
  /** A file name that reveals no account: the account key in hex. */
  fileName: string;
  /** The proof JSON text. */
  json: string;
}

/**
 * Everything `publish` produces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication, parseEventFile, type Publication } from "../../publish.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * const p: Publication = buildPublication({
 *   accounts: [{ account: "alice", base: 5n }],
 *   event: parseEventFile(Deno.readTextFileSync("fixtures/example/input/event.json")),
 * }, [signingKeyFromSecret("ed25519", new Uint8Array(32))]);
 * assert.match(p.digest, /^[0-9a-f]{64}$/); // hex SHA-256 of the payload
 * assert.equal(p.leavesCsv.split("\n").length, 3); // header, one row, final LF
 * ```
 */
export interface Publication {
  /** The statement. */
  statement: Statement;
  /** Its canonical payload bytes. */
  payload: Uint8Array;
  /** Its digest. */
  digest: string;
  /** The signed envelope. */
  envelope: Envelope;
  /** `leaves.csv` text. */
  leavesCsv: string;
  /** `keys.json` text (a convenience: users should pin keys themselves). */
  keysJson: string;
  /** One proof per account, in tree order. */
  proofs: ProofFile[];
  /** `bankrupt.csv` text, with a deficit tree (v1.1). */
  bankruptCsv?: string;
  /** One deficit proof per bankrupt account, in tree order, named `deficit-<account key>.json` (v1.1). */
  deficitProofs?: ProofFile[];
}

/**
 * Options for {@linkcode buildPublication}.
 *
 * @example With a salt secret the output is reproducible
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication, parseEventFile, parseSigningKey, type PublishOptions } from "../../publish.ts";
 *
 * const input = "fixtures/example/input";
 * const event = parseEventFile(await Deno.readTextFile(`${input}/event.json`));
 * const keys = [parseSigningKey(await Deno.readTextFile(`${input}/venue.key.json`))];
 * const options: PublishOptions = { saltSecret: await Deno.readFile(`${input}/salt-secret`) };
 * const accounts = [{ account: "alice", base: 750000n }];
 * assert.equal(
 *   buildPublication({ accounts, event }, keys, options).leavesCsv,
 *   buildPublication({ accounts, event }, keys, options).leavesCsv,
 * );
 * assert.notEqual(buildPublication({ accounts, event }, keys).leavesCsv, buildPublication({ accounts, event }, keys).leavesCsv);
 * ```
 */
export interface PublishOptions {
  /** Makes salts deterministic: `HMAC-SHA256(saltSecret, event || 0x00 || account)`. A random secret without it. */
  saltSecret?: Uint8Array;
}

/**
 * The salt of one account: `HMAC-SHA256(secret, UTF8(event) || 0x00 || UTF8(account))`,
 * exactly as both publishers derive it.
 *
 * Precondition: the account id is 1 to 256 bytes of UTF-8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bytesToHex } from "../core/encoding.ts";
 * import { deriveSalt } from "./build.ts";
 * const salt = deriveSalt(new TextEncoder().encode("golden-salt-secret"), { event: "2026-11-03/ETH-PERP", account: "dave" });
 * assert.equal(salt.length, 32);
 * assert.equal(bytesToHex(salt), bytesToHex(deriveSalt(new TextEncoder().encode("golden-salt-secret"), {
 *   event: "2026-11-03/ETH-PERP",
 *   account: "dave",
 * })));
 * ```
 */
export function deriveSalt(secret: Uint8Array, ids: { event: string; account: string }): Uint8Array {
  const id = utf8(ids.account);
  const out = new Uint8Array(64);
  saltDeriverFor(SUM_TREE, { secret, event: ids.event }).deriveInto(id, 0, id.length, out, 0);
  return out.slice(0, 32);
}

/**
 * Builds a whole publication in memory: statement, signed envelope,
 * `leaves.csv`, `keys.json` and proofs, byte for byte what
 * `publishToDirectory` writes for the same accounts and salt secret.
 *
 * @throws {InputError} When there is no account or no signer, an account id
 * is invalid or repeated (named by its index, `accounts[i]`), the bases
 * reach 2^128, or the event makes an invalid statement.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPublication } from "../../publish.ts";
 * import { signingKeyFromSecret } from "../format/keys.ts";
 * const pub = buildPublication({
 *   accounts: [{ account: "alice", base: 750000n }, { account: "bob", base: 250001n }],
 *   event: {
 *     venue: "Example Exchange", event: "e1", asset: "USDT", decimals: 2,
 *     snapshotTime: "2026-11-03T08:00:00Z",
 *     policy: { base: "profit", rounding: "largest-remainder", cap: null },
 *     deficit: 200000n, insuranceFund: 120000n, previous: null,
 *   },
 * }, [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1))]);
 * assert.equal(pub.statement.tree.totalHaircut, 80000n);
 * assert.equal(pub.proofs.length, 2);
 * ```
 */
export function buildPublication(
  input: { accounts: readonly AccountInput[]; event: EventSpec; bankrupt?: readonly BankruptInput[] },
  signers: readonly SigningKey[],
  options: PublishOptions = {},
): Publication {
  const { accounts, event } = input;
  if (accounts.length === 0) throw new InputError("no accounts: the empty tree is invalid");
  if (input.bankrupt?.length === 0) throw new InputError("no bankrupt accounts: the empty deficit tree is invalid");
  if (signers.length === 0) throw new InputError("at least one signing key is needed");
  const secret = options.saltSecret ?? crypto.getRandomValues(new Uint8Array(32));
  const sorted = sortedTable(SUM_TREE, { secret, event: event.event }, accounts.map((a) => [a.account, a.base]));
  const bankrupt = input.bankrupt
    ? sortedTable(DEFICIT_TREE, { secret, event: event.event }, input.bankrupt.map((b) => [b.account, b.loss]))
    : undefined;
  const { tree, deficitTree, signed } = preparePublication(
    { accounts: sorted, event, ...(bankrupt ? { bankrupt } : {}) },
    signers,
    { keepLevels: true },
  );
  const out: Publication = { ...signed, leavesCsv: leavesText(tree), keysJson: keysFileJson(signers), proofs: [] };
  out.proofs = proofFiles(tree, signed.digest, "");
  if (deficitTree) {
    out.bankruptCsv = leavesText(deficitTree);
    out.deficitProofs = proofFiles(deficitTree, signed.digest, "deficit-");
  }
  return out;
}

/** The accounts of one tree kind, each checked, salted and sorted by account key. */
function sortedTable(
  spec: TreeSpec,
  context: { secret: Uint8Array; event: string },
  rows: readonly (readonly [string, bigint])[],
): SortedAccounts {
  const { amount } = spec.accounts;
  const list = spec === SUM_TREE ? "accounts" : "bankrupt";
  const table = new AccountTable(saltDeriverFor(spec, context));
  rows.forEach(([account, value], i) => {
    const problem = accountIdProblem(account);
    if (problem) throw new InputError(`${list}[${i}]: ${problem}`);
    if (value < 0n) throw new InputError(`${list}[${i}]: ${amount} ${value} is negative`);
    const id = utf8(account);
    table.add(id, 0, id.length, { base: value, origin: i });
  });
  return sortAccounts(table, { format: spec.accounts, where: (i) => `${list}[${i}]` });
}

function leavesText(tree: PublishedTree): string {
  let text = tree.spec.leaves.header + "\n";
  for (const row of tree.rows()) text += row;
  return text;
}

function proofFiles(tree: PublishedTree, digest: string, prefix: string): ProofFile[] {
  return Array.from(
    tree.proofs(digest, { style: "pretty" }),
    (p): ProofFile => ({ account: p.account, fileName: `${prefix}${tree.key(p.index)}.json`, json: p.json }),
  );
}

/**
 * Parses `accounts.csv`: the header `account,base`, then one `id,base` row
 * per account, LF line endings, ids distinct. It runs the publisher's one
 * accounts reader over the text's UTF-8.
 *
 * @returns The accounts in file order.
 * @throws {InputError} With the line number of the first problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAccountsCsv } from "../../publish.ts";
 * assert.deepEqual(parseAccountsCsv("account,base\nalice,750000\n"), [{ account: "alice", base: 750000n }]);
 * ```
 */
export function parseAccountsCsv(text: string): AccountInput[] {
  // A BOM read as text is not the header (the byte reader, like Deno.readTextFile, would drop it).
  if (text.startsWith("\ufeff")) throw new InputError("accounts.csv line 1: header must be exactly account,base");
  const table = new AccountTable(saltDeriverFor(SUM_TREE, { secret: new Uint8Array(32), event: "" }));
  const reader = new AccountsReader(ACCOUNTS_CSV, table);
  reader.push(utf8(text));
  reader.end();
  const lone = loneSurrogateProblem(text);
  const problem = lone && (!reader.problem || lone.line <= reader.problem.line) ? lone : reader.problem;
  sortAccounts(table, { format: ACCOUNTS_CSV, where: (line) => `accounts.csv line ${line}`, problem });
  return Array.from({ length: table.count }, (_, i) => ({ account: table.id(i), base: table.base(i) }));
}

/**
 * The one problem text can hold that its UTF-8 cannot: an id with a lone
 * surrogate, which encoding turns into U+FFFD.
 */
function loneSurrogateProblem(text: string): AccountsProblem | undefined {
  if (text.isWellFormed()) return undefined;
  const lines = text.split("\n");
  const index = lines.findIndex((line) => !line.isWellFormed());
  const columns = lines[index].split(",");
  const problem = index > 0 && columns.length === 2 ? csvAccountIdProblem(columns[0]) : undefined;
  return problem ? { line: index + 1, message: `accounts.csv line ${index + 1}: ${problem}` } : undefined;
}
