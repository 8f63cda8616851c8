/**
 * Statement chains: a venue's statements link through `previous`, each
 * naming the digest of the one before. Given statements in order, this
 * reports a gap, a fork (two statements with the same predecessor) or a
 * reordering, each with its own code.
 *
 * @module
 */

import { checkSignatures, parseEnvelope, type SignerResult } from "../format/dsse.ts";
import type { KeysFile } from "../format/keys.ts";
import { type Finding, FormatError } from "../core/errors.ts";
import {
  checkArithmetic,
  compareUtcTimestamps,
  parseStatementPayload,
  payloadDigest,
  type Statement,
} from "../format/statement.ts";

/**
 * One statement of a chain as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ChainInput, checkChain } from "../../mod.ts";
 *
 * const input: ChainInput = {
 *   name: "statement.dsse.json",
 *   envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json"),
 * };
 * assert.equal(checkChain([input]).links[0].name, "statement.dsse.json");
 * ```
 */
export interface ChainInput {
  /** A name for messages, such as the file path. */
  name: string;
  /** The envelope text. */
  envelope: string;
}

/**
 * One link of a checked chain.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ChainLink, checkChain } from "../../mod.ts";
 *
 * const dir = "fixtures/scenarios/chain-of-three";
 * const links: ChainLink[] = checkChain(await Promise.all([1, 2].map(async (i) => ({
 *   name: `event-${i}`,
 *   envelope: await Deno.readTextFile(`${dir}/event-${i}/statement.dsse.json`),
 * })))).links;
 * assert.equal(links[0].previous, null);
 * assert.equal(links[1].previous, links[0].digest);
 * ```
 */
export interface ChainLink {
  /** The name given. */
  name: string;
  /** The payload digest, when the envelope parsed. */
  digest?: string;
  /** The statement, when its payload parsed. */
  statement?: Statement;
  /** Its `previous` field. */
  previous?: string | null;
  /** Its signatures, when keys were given. */
  signers: SignerResult[];
}

/**
 * The outcome of {@linkcode checkChain}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ChainReport, checkChain } from "../../mod.ts";
 *
 * const report: ChainReport = checkChain([
 *   { name: "a", envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json") },
 * ]);
 * assert.equal(report.ok, true);
 * assert.equal(report.signaturesChecked, false);
 * assert.equal(report.errorCount, 0);
 * ```
 */
export interface ChainReport {
  /** True when every link holds (and every signature, when keys were given). */
  ok: boolean;
  /** Always `"chain"`. */
  kind: "chain";
  /** Whether signatures were checked. */
  signaturesChecked: boolean;
  /** The links in the order given. */
  links: ChainLink[];
  /** The findings. */
  errors: Finding[];
  /** How many findings there were. */
  errorCount: number;
}

/**
 * Options for {@linkcode checkChain}.
 *
 * @example With keys, every statement's signatures are checked too
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkChain, type CheckChainOptions, parseKeysFile } from "../../mod.ts";
 *
 * const options: CheckChainOptions = {
 *   keys: parseKeysFile(await Deno.readTextFile("fixtures/golden/keys.json")), // not the example's keys
 * };
 * const report = checkChain([
 *   { name: "a", envelope: await Deno.readTextFile("fixtures/example/statement.dsse.json") },
 * ], options);
 * assert.equal(report.signaturesChecked, true);
 * assert.equal(report.ok, false);
 * assert.ok(report.errors.some((e) => e.code === "SIGNATURE_THRESHOLD"));
 * ```
 */
export interface CheckChainOptions {
  /** Trusted keys: when given, every statement's signatures and arithmetic are checked too. */
  keys?: KeysFile;
}

/**
 * Checks that statements link through `previous` in the order given:
 * statement i must name the digest of statement i - 1.
 *
 * - `CHAIN_FORK`: two statements name the same predecessor.
 * - `CHAIN_REORDERED`: a statement names a later one, or snapshot times go backwards.
 * - `CHAIN_GAP`: a statement names none of the given ones (or `null` after the first).
 * - `CHAIN_BROKEN`: different venues, or the same statement twice.
 *
 * @example A gap: the middle statement is missing
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkChain } from "../../mod.ts";
 *
 * const dir = "fixtures/tampered/chain-gap";
 * const report = checkChain([
 *   { name: "event-1", envelope: await Deno.readTextFile(`${dir}/event-1.dsse.json`) },
 *   { name: "event-3", envelope: await Deno.readTextFile(`${dir}/event-3.dsse.json`) },
 * ]);
 * assert.equal(report.ok, false);
 * assert.deepEqual(report.errors.map((e) => e.code), ["CHAIN_GAP"]);
 * ```
 */
export function checkChain(inputs: readonly ChainInput[], options: CheckChainOptions = {}): ChainReport {
  const errors: Finding[] = [];
  const links: ChainLink[] = inputs.map((input) => openLink(input, options.keys, errors));
  const position = new Map<string, number>();
  links.forEach((link, i) => {
    if (!link.digest) return;
    const first = position.get(link.digest);
    if (first !== undefined) {
      errors.push({ code: "CHAIN_BROKEN", message: `${link.name} is the same statement as ${links[first].name}` });
    } else {
      position.set(link.digest, i);
    }
  });
  const claimedBy = new Map<string, number>();
  links.forEach((link, i) => {
    if (link.previous === undefined || link.previous === null) {
      if (i > 0 && link.previous === null) {
        errors.push({
          code: "CHAIN_GAP",
          message: `${link.name} has previous null, but it follows ${links[i - 1].name}`,
        });
      }
      return;
    }
    const earlier = claimedBy.get(link.previous);
    if (earlier !== undefined) {
      errors.push({
        code: "CHAIN_FORK",
        message: `${link.name} and ${links[earlier].name} both name ${link.previous.slice(0, 16)}… as previous`,
      });
      return;
    }
    claimedBy.set(link.previous, i);
    if (i === 0) return;
    const at = position.get(link.previous);
    if (at === i - 1) return;
    if (at !== undefined && at >= i) {
      errors.push({
        code: "CHAIN_REORDERED",
        message: `${link.name} (position ${i + 1}) names ${links[at].name} (position ${at + 1}) as previous`,
      });
    } else if (at !== undefined) {
      errors.push({
        code: "CHAIN_GAP",
        message: `${link.name} names ${links[at].name} as previous, skipping ${links[i - 1].name}`,
      });
    } else {
      errors.push({
        code: "CHAIN_GAP",
        message: `${link.name} names ${link.previous.slice(0, 16)}… as previous, which is not ${links[i - 1].name} ` +
          `(${links[i - 1].digest?.slice(0, 16) ?? "unreadable"}…): a statement is missing`,
      });
    }
  });
  for (let i = 1; i < links.length; i++) {
    const a = links[i - 1].statement;
    const b = links[i].statement;
    if (!a || !b) continue;
    if (a.venue !== b.venue) {
      errors.push({
        code: "CHAIN_BROKEN",
        message: `${links[i].name} is by ${JSON.stringify(b.venue)}, ${links[i - 1].name} by ${
          JSON.stringify(a.venue)
        }`,
      });
    } else if (compareUtcTimestamps(b.snapshotTime, a.snapshotTime) < 0) {
      errors.push({
        code: "CHAIN_REORDERED",
        message: `${links[i].name} (${b.snapshotTime}) is earlier than ${links[i - 1].name} (${a.snapshotTime})`,
      });
    }
  }
  return {
    ok: errors.length === 0,
    kind: "chain",
    signaturesChecked: options.keys !== undefined,
    links,
    errors,
    errorCount: errors.length,
  };
}

function openLink(input: ChainInput, keys: KeysFile | undefined, errors: Finding[]): ChainLink {
  const link: ChainLink = { name: input.name, signers: [] };
  try {
    const envelope = parseEnvelope(input.envelope);
    link.digest = payloadDigest(envelope.payload);
    if (keys) {
      const sigs = checkSignatures(envelope, keys);
      link.signers = sigs.signers;
      for (const f of sigs.findings) errors.push({ ...f, message: `${input.name}: ${f.message}` });
      if (sigs.findings.length > 0) return link;
    }
    link.statement = parseStatementPayload(envelope.payload);
    link.previous = link.statement.previous;
    if (keys) {
      for (const f of checkArithmetic(link.statement)) errors.push({ ...f, message: `${input.name}: ${f.message}` });
    }
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    errors.push({ ...e.finding, message: `${input.name}: ${e.message}` });
  }
  return link;
}
