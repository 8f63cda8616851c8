/**
 * Writes the tamper corpus, `fixtures/tampered/`: a valid base publication
 * (`base/`) and one directory per attack. Each case holds the files it
 * changed (plus copies of those it did not, so every case is
 * self-contained) and `case.json`:
 *
 * ```json
 * { "description": "what was changed", "command": ["verify", "fixtures/tampered/<case>", ...], "expect": "CODE" }
 * ```
 *
 * The command runs from the repository root and must exit 1 with `expect`
 * among the JSON report's error codes. Forged statements are re-signed with
 * the trusted keys where the attack calls for it, so the signatures do not
 * mask the defect under test. Run it after `scripts/make_scenarios.ts`
 * (some cases start from scenario publications):
 *
 * ```sh
 * deno run --allow-read --allow-write scripts/make_tampered.ts
 * ```
 *
 * @module
 */

import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { allocate } from "../src/rules/allocation.ts";
import { runCli } from "../src/cli/main.ts";
import { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { envelopeToJson, pae, PAYLOAD_TYPE } from "../src/format/dsse.ts";
import type { SigningKey } from "../src/format/keys.ts";
import { signMessage } from "../src/format/signature.ts";
import type { ErrorCode } from "../src/core/errors.ts";
import { canonicalJson, type JsonObject } from "../src/core/_json.ts";
import {
  parseStatementPayload,
  payloadDigest,
  type Statement,
  statementBytes,
  statementToJson,
} from "../src/format/statement.ts";
import { sumHasher, sumLeaf, type SumNode } from "../src/core/sum_tree.ts";
import { inclusionPath, treeLevels } from "../src/core/tree.ts";
import { PROOF_TYPE } from "../src/format/proof.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { cosignatureSigner, cosignCheckpoint } from "../src/tlog/cosignature.ts";
import { appendStatement, initLog, type LogState, mergeCosignatures, proveStatement } from "../src/tlog/log.ts";
import { ed25519NoteSigner, parseNote } from "../src/tlog/note.ts";
import {
  fixedKey,
  fixedKeyFile,
  fixedKeyJson,
  listFiles,
  prettyJson,
  removeIfExists,
  ROOT,
  trustJson,
  writeBytes,
  writeText,
} from "./fixture_common.ts";

/** Where the corpus lives, relative to the repository root (the commands use these paths). */
export const CORPUS = "fixtures/tampered";

/** A tamper case as written to `case.json`. */
export interface TamperCase {
  /** One line: what was changed. */
  description: string;
  /** The `haircut` arguments, with paths relative to the repository root. */
  command: string[];
  /** The error code that must be reported. */
  expect: ErrorCode;
}

interface Row {
  key: Uint8Array;
  base: bigint;
  haircut: bigint;
}

interface Pub {
  envelope: string;
  leaves: string;
  statement: Statement;
  rows: Row[];
}

const BASE_ACCOUNTS: readonly (readonly [string, bigint])[] = [
  ["alice", 300_000n],
  ["bob", 123_457n],
  ["carol", 98_765n],
  ["dave", 0n],
  ["erin", 55_555n],
  ["frank", 250_000n],
  ["grace", 77_777n],
  ["heidi", 94_446n],
];

const BASE_EVENT = {
  venue: "Tamper Test Exchange",
  event: "2026-05-01/ETH-PERP",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-05-01T08:00:00Z",
  policy: { base: "profit", rounding: "largest-remainder", cap: null },
  deficit: "150000",
  insuranceFund: "50000",
};

const SIGNERS: SigningKey[] = [fixedKey("venue"), fixedKey("auditor-1")];
const KEYS = `${CORPUS}/base/keys.json`;

function parseRows(csv: string): Row[] {
  return csv.split("\n").slice(1, -1).map((line) => {
    const [key, base, haircut] = line.split(",");
    return { key: hexToBytes(key, 32), base: BigInt(base), haircut: BigInt(haircut) };
  });
}

function rowsCsv(rows: readonly Row[]): string {
  return "account_key,base,haircut\n" + rows.map((r) => `${bytesToHex(r.key)},${r.base},${r.haircut}\n`).join("");
}

function loadPub(dir: string): Pub {
  const envelope = Deno.readTextFileSync(`${dir}/statement.dsse.json`);
  const leaves = Deno.readTextFileSync(`${dir}/leaves.csv`);
  const payload = base64ToBytes(JSON.parse(envelope).payload);
  return { envelope, leaves, statement: parseStatementPayload(payload), rows: parseRows(leaves) };
}

function levelsOf(rows: readonly Row[]): SumNode[][] {
  return treeLevels(rows.map((r) => sumLeaf(r.key, r.base, r.haircut)), sumHasher);
}

/** The statement with its tree head recomputed from `rows`. */
function withTree(s: Statement, rows: readonly Row[]): Statement {
  const levels = levelsOf(rows);
  const root = levels[levels.length - 1][0];
  return {
    ...s,
    tree: { root: root.hash, leafCount: rows.length, totalBase: root.base, totalHaircut: root.haircut },
  };
}

function signPayload(payload: Uint8Array, signers: readonly SigningKey[] = SIGNERS, type = PAYLOAD_TYPE): string {
  const message = pae(type, payload);
  return envelopeToJson({
    payloadType: type,
    payload,
    signatures: signers.map((k) => ({ keyid: k.keyid, sig: signMessage(k, message) })),
  });
}

function signStatement(s: Statement, signers: readonly SigningKey[] = SIGNERS): string {
  return signPayload(statementBytes(s), signers);
}

/** An envelope as plain JSON. */
interface EnvelopeJson {
  payload: string;
  payloadType: string;
  signatures: { keyid: string; sig: string }[];
}

/** Rewrites an envelope's JSON: `edit` receives the parsed object. */
function editEnvelope(text: string, edit: (e: EnvelopeJson) => void): string {
  const e = JSON.parse(text);
  edit(e);
  return prettyJson(e);
}

function proofJson(
  digest: string,
  account: string,
  salt: string,
  index: number,
  leaf: { base: bigint; haircut: bigint },
  path: readonly SumNode[],
): string {
  return prettyJson({
    type: PROOF_TYPE,
    statement: digest,
    account,
    salt,
    index,
    base: `${leaf.base}`,
    haircut: `${leaf.haircut}`,
    path: path.map((n) => ({ hash: bytesToHex(n.hash), base: `${n.base}`, haircut: `${n.haircut}` })),
  });
}

/**
 * Writes a base publication's inputs under `dir/input` (the eight accounts, the event, both signers' keys, the salt
 * secret and, for a deficit tree, the bankrupt accounts) and publishes it into `dir`.
 */
async function publishBase(
  dir: string,
  spec: { event: Record<string, unknown>; saltSecret: string; bankrupt?: readonly (readonly [string, bigint])[] },
): Promise<void> {
  await writeText(
    `${dir}/input/accounts.csv`,
    "account,base\n" + BASE_ACCOUNTS.map(([a, b]) => `${a},${b}\n`).join(""),
  );
  const args = ["--accounts", `${dir}/input/accounts.csv`];
  if (spec.bankrupt) {
    await writeText(
      `${dir}/input/bankrupt.csv`,
      "account,loss\n" + spec.bankrupt.map(([a, l]) => `${a},${l}\n`).join(""),
    );
    args.push("--bankrupt", `${dir}/input/bankrupt.csv`);
  }
  await writeText(`${dir}/input/event.json`, prettyJson(spec.event));
  args.push("--event", `${dir}/input/event.json`);
  for (const role of ["venue", "auditor-1"] as const) {
    await writeText(`${dir}/input/${fixedKeyFile(role)}`, fixedKeyJson(role));
    args.push("--signing-key", `${dir}/input/${fixedKeyFile(role)}`);
  }
  await writeBytes(`${dir}/input/salt-secret`, new TextEncoder().encode(spec.saltSecret));
  const published = await runCli(["publish", ...args, "--salt-secret", `${dir}/input/salt-secret`, "--out", dir]);
  if (published.code !== 0) throw new Error(`${dir}: publish failed: ${published.stderr}`);
}

/** Writes the corpus under `root` (a directory standing for the repository root). */
export async function makeTampered(root: string = ROOT): Promise<TamperCase[]> {
  const out = `${root.replace(/\/$/, "")}/${CORPUS}`;
  await removeIfExists(out);
  const scenarios = `${ROOT}fixtures/scenarios`;
  const cases: [string, TamperCase][] = [];

  // The base publication: 8 accounts (a perfect tree), largest remainder, 10% of profit.
  const baseDir = `${out}/base`;
  await publishBase(baseDir, { event: BASE_EVENT, saltSecret: "haircut tamper corpus salt secret" });
  const base = loadPub(baseDir);
  const s0 = base.statement;
  const digest0 = payloadDigest(statementBytes(s0));
  const proofs = new Map<string, { file: string; text: string; json: Record<string, unknown> }>();
  for (const name of (await listFiles(`${baseDir}/proofs`))) {
    const text = await Deno.readTextFile(`${baseDir}/proofs/${name}`);
    const json = JSON.parse(text);
    proofs.set(json.account, { file: name, text, json });
  }
  const proofOf = (account: string): { file: string; text: string; json: Record<string, unknown> } => {
    const p = proofs.get(account);
    if (!p) throw new Error(`no proof for ${account}`);
    return p;
  };
  const indexOf = (account: string): number => proofOf(account).json.index as number;

  const add = (name: string, c: TamperCase): void => void cases.push([name, c]);
  const dirOf = (name: string): string => `${out}/${name}`;
  const rel = (name: string, file = ""): string => `${CORPUS}/${name}${file ? `/${file}` : ""}`;

  /** A verify case: the given envelope and leaves (the base's by default). */
  const verifyCase = async (
    name: string,
    description: string,
    expect: ErrorCode,
    files: { envelope?: string; leaves?: string; previous?: string; keys?: string },
  ): Promise<void> => {
    await writeText(`${dirOf(name)}/statement.dsse.json`, files.envelope ?? base.envelope);
    await writeText(`${dirOf(name)}/leaves.csv`, files.leaves ?? base.leaves);
    if (files.keys !== undefined) await writeText(`${dirOf(name)}/keys.json`, files.keys);
    const command = ["verify", rel(name), "--keys", files.keys !== undefined ? rel(name, "keys.json") : KEYS];
    if (files.previous !== undefined) {
      await writeText(`${dirOf(name)}/previous.dsse.json`, files.previous);
      command.push("--previous", rel(name, "previous.dsse.json"));
    }
    add(name, { description, command: [...command, "--format", "json"], expect });
  };

  /** A proof case: the given proof against the given envelope (the base's by default). */
  const proofCase = async (
    name: string,
    description: string,
    expect: ErrorCode,
    proof: string,
    envelope?: string,
    log?: { tlogProof: string; policy: string },
  ): Promise<void> => {
    await writeText(`${dirOf(name)}/proof.json`, proof);
    await writeText(`${dirOf(name)}/statement.dsse.json`, envelope ?? base.envelope);
    if (log) {
      await writeText(`${dirOf(name)}/statement.tlog-proof`, log.tlogProof);
      await writeText(`${dirOf(name)}/log-policy.json`, log.policy);
    }
    add(name, {
      description,
      command: [
        "proof",
        rel(name, "proof.json"),
        "--statement",
        rel(name, "statement.dsse.json"),
        "--keys",
        KEYS,
        ...(log
          ? ["--log-proof", rel(name, "statement.tlog-proof"), "--log-policy", rel(name, "log-policy.json")]
          : []),
        "--format",
        "json",
      ],
      expect,
    });
  };

  /** A chain case over the given envelopes, oldest first as given. */
  const chainCase = async (
    name: string,
    description: string,
    expect: ErrorCode,
    envelopes: readonly [string, string][],
  ): Promise<void> => {
    for (const [file, text] of envelopes) await writeText(`${dirOf(name)}/${file}`, text);
    add(name, {
      description,
      command: ["chain", ...envelopes.map(([file]) => rel(name, file)), "--keys", KEYS, "--format", "json"],
      expect,
    });
  };

  // ---- Envelope ----------------------------------------------------------
  await verifyCase(
    "envelope-signatures-not-array",
    "the envelope's signatures given as an object keyed by keyid instead of an array",
    "ENVELOPE_INVALID",
    {
      envelope: editEnvelope(base.envelope, (e) => {
        (e as unknown as Record<string, unknown>).signatures = Object.fromEntries(
          e.signatures.map((x) => [x.keyid, x.sig]),
        );
      }),
    },
  );
  await verifyCase(
    "envelope-payload-mime-base64",
    "the envelope's payload base64 wrapped at 76 columns (MIME style) instead of one padded string",
    "ENVELOPE_INVALID",
    { envelope: editEnvelope(base.envelope, (e) => void (e.payload = e.payload.replace(/(.{76})/g, "$1\n"))) },
  );
  await verifyCase(
    "envelope-extra-field",
    'a fourth top-level field ("signed": true) added to the DSSE envelope',
    "ENVELOPE_INVALID",
    { envelope: prettyJson({ ...JSON.parse(base.envelope), signed: true }) },
  );
  await verifyCase(
    "payload-type-changed",
    "payloadType changed to application/vnd.in-toto+json and re-signed by both trusted keys",
    "PAYLOAD_TYPE",
    { envelope: signPayload(statementBytes(s0), SIGNERS, "application/vnd.in-toto+json") },
  );

  // ---- Signatures --------------------------------------------------------
  await verifyCase(
    "signature-bit-flipped",
    "one bit of the venue's Ed25519 signature flipped",
    "SIGNATURE_INVALID",
    {
      envelope: editEnvelope(base.envelope, (e) => {
        const sig = base64ToBytes(e.signatures[0].sig);
        sig[10] ^= 0x01;
        e.signatures[0].sig = bytesToBase64(sig);
      }),
    },
  );
  await verifyCase(
    "payload-edited-not-resigned",
    "the signed payload's target edited from 100000 to 99999, signatures left as they were",
    "SIGNATURE_INVALID",
    {
      envelope: editEnvelope(base.envelope, (e) => {
        e.payload = bytesToBase64(statementBytes({ ...s0, target: s0.target - 1n }));
      }),
    },
  );
  await verifyCase(
    "ecdsa-high-s",
    "the auditor's secp256k1 signature (r, s) replaced by (r, n - s): valid ECDSA, but high S",
    "SIGNATURE_INVALID",
    {
      envelope: editEnvelope(base.envelope, (e) => {
        const sig = secp256k1.Signature.fromBytes(base64ToBytes(e.signatures[1].sig), "compact");
        const n = secp256k1.Point.CURVE().n;
        const high = new secp256k1.Signature(sig.r, n - sig.s);
        if (!high.hasHighS()) throw new Error("n - s should be high");
        e.signatures[1].sig = bytesToBase64(high.toBytes("compact"));
      }),
    },
  );
  await verifyCase(
    "ed25519-s-plus-l",
    "the venue's Ed25519 signature with S replaced by S + L: the same point equation, non-canonical S",
    "SIGNATURE_INVALID",
    {
      envelope: editEnvelope(base.envelope, (e) => {
        const sig = base64ToBytes(e.signatures[0].sig);
        let s = 0n;
        for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
        s += ed25519.Point.CURVE().n;
        for (let i = 32; i < 64; i++) {
          sig[i] = Number(s & 0xffn);
          s >>= 8n;
        }
        e.signatures[0].sig = bytesToBase64(sig);
      }),
    },
  );
  await verifyCase(
    "signature-removed",
    "the auditor's signature removed: 1 of the 2 required trusted keys signed",
    "SIGNATURE_THRESHOLD",
    { envelope: editEnvelope(base.envelope, (e) => void e.signatures.splice(1, 1)) },
  );
  await verifyCase(
    "signature-duplicated",
    "the auditor's signature replaced by a second copy of the venue's: one distinct key, threshold 2",
    "SIGNATURE_THRESHOLD",
    { envelope: editEnvelope(base.envelope, (e) => void (e.signatures[1] = { ...e.signatures[0] })) },
  );
  await verifyCase(
    "untrusted-key",
    "the statement signed only by an attacker's Ed25519 key that the keys file does not list",
    "SIGNATURE_THRESHOLD",
    { envelope: signStatement(s0, [fixedKey("attacker")]) },
  );
  await verifyCase(
    "untrusted-key-claims-venue-keyid",
    "signed by the attacker's key, with the signature's keyid set to the venue's keyid",
    "SIGNATURE_INVALID",
    {
      envelope: editEnvelope(
        signStatement(s0, [fixedKey("attacker"), SIGNERS[1]]),
        (e) => void (e.signatures[0].keyid = SIGNERS[0].keyid),
      ),
    },
  );
  await verifyCase(
    "required-venue-signature-stripped",
    "the venue's signature stripped and a second auditor's added: threshold 2 met, but the keys file requires the venue",
    "SIGNATURE_REQUIRED",
    {
      envelope: signStatement(s0, [SIGNERS[1], fixedKey("auditor-2")]),
      keys: trustJson(["venue", "auditor-1", "auditor-2"], 2, ["venue"]),
    },
  );

  // ---- Statement ---------------------------------------------------------
  const json0 = statementToJson(s0);
  const canonical0 = canonicalJson(json0);
  const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
  await verifyCase(
    "non-canonical-whitespace",
    "the payload pretty-printed (JSON.stringify with indentation) and validly re-signed",
    "NON_CANONICAL",
    { envelope: signPayload(enc(JSON.stringify(JSON.parse(canonical0), null, 2))) },
  );
  await verifyCase(
    "non-canonical-key-order",
    "the payload's keys in DESIGN order instead of sorted, no whitespace, validly re-signed",
    "NON_CANONICAL",
    { envelope: signPayload(enc(JSON.stringify(json0))) },
  );
  await verifyCase(
    "duplicate-key",
    'the payload has "target" twice ("1" then the real value), validly re-signed',
    "NON_CANONICAL",
    { envelope: signPayload(enc(canonical0.replace('"target":', '"target":"1","target":'))) },
  );
  await verifyCase(
    "unknown-field",
    'the payload has an extra field "note", in canonical order, validly re-signed',
    "NON_CANONICAL",
    { envelope: signPayload(enc(canonicalJson({ ...json0, note: "trust us" } as JsonObject))) },
  );
  await verifyCase(
    "amount-leading-zero",
    'the payload\'s deficit written as "0150000", validly re-signed',
    "STATEMENT_INVALID",
    { envelope: signPayload(enc(canonicalJson({ ...json0, deficit: "0150000" }))) },
  );
  await verifyCase(
    "snapshot-time-invalid",
    "the payload's snapshotTime set to 2026-02-30T08:00:00Z (no such date), validly re-signed",
    "STATEMENT_INVALID",
    { envelope: signPayload(enc(canonicalJson({ ...json0, snapshotTime: "2026-02-30T08:00:00Z" }))) },
  );
  await verifyCase(
    "statement-type-changed",
    "the payload's type changed to socialized-loss/statement/v2, validly re-signed",
    "STATEMENT_INVALID",
    { envelope: signPayload(enc(canonicalJson({ ...json0, type: "socialized-loss/statement/v2" }))) },
  );

  // ---- Arithmetic --------------------------------------------------------
  {
    // The venue keeps its fund and socializes the whole deficit, consistently otherwise.
    const target = s0.deficit;
    const cuts = allocate(base.rows.map((r) => r.base), target, { rounding: "largest-remainder" });
    const rows = base.rows.map((r, i) => ({ ...r, haircut: cuts[i] }));
    const s = withTree({ ...s0, insuranceUsed: 0n, shortfall: s0.deficit, target, uncovered: 0n }, rows);
    await verifyCase(
      "insurance-not-used-first",
      "insuranceUsed 0 while the fund holds 50000: the whole deficit socialized, leaves and root consistent, re-signed",
      "ARITHMETIC",
      { envelope: signStatement(s), leaves: rowsCsv(rows) },
    );
  }
  {
    const carol = indexOf("carol");
    const rows = base.rows.map((r, i) => (i === carol ? { ...r, haircut: r.haircut + 1n } : r));
    const s = withTree(s0, rows);
    await verifyCase(
      "over-collection-by-one",
      "carol charged one unit more, so 100001 is collected for a target of 100000; root and totals re-signed",
      "ARITHMETIC",
      { envelope: signStatement(s), leaves: rowsCsv(rows) },
    );
  }
  await verifyCase(
    "cap-ignored",
    "policy.cap set to 1/20 (limit 50000) but target left at the shortfall 100000, re-signed",
    "ARITHMETIC",
    { envelope: signStatement({ ...s0, policy: { ...s0.policy, cap: { num: 1n, den: 20n } } }) },
  );
  await verifyCase(
    "shortfall-misstated",
    "shortfall stated as 90000 (deficit 150000 - insuranceUsed 50000 is 100000), re-signed",
    "ARITHMETIC",
    { envelope: signStatement({ ...s0, shortfall: 90_000n, uncovered: 0n }) },
  );

  // ---- Leaves ------------------------------------------------------------
  {
    const cut = base.leaves.length - 40;
    await verifyCase(
      "leaves-truncated",
      `leaves.csv cut off in the middle of its last row (${cut} of ${base.leaves.length} bytes kept)`,
      "LEAF_INVALID",
      { leaves: base.leaves.slice(0, cut) },
    );
  }
  await verifyCase(
    "leaves-crlf",
    "leaves.csv saved with CRLF line endings",
    "LEAF_INVALID",
    { leaves: base.leaves.replaceAll("\n", "\r\n") },
  );
  await verifyCase(
    "leaves-uppercase-hex",
    "the first row's account key written in uppercase hex",
    "LEAF_INVALID",
    {
      leaves: base.leaves.split("\n").map((l, i) => (i === 1 ? l.slice(0, 64).toUpperCase() + l.slice(64) : l))
        .join("\n"),
    },
  );
  await verifyCase(
    "leaves-amount-plus-sign",
    "the second row's base written as +123457",
    "LEAF_INVALID",
    {
      leaves: base.leaves.split("\n").map((l, i) => (i === 2 ? l.replace(",", ",+") : l)).join("\n"),
    },
  );
  await verifyCase(
    "leaves-rows-swapped",
    "rows 3 and 4 of leaves.csv swapped, statement unchanged",
    "LEAF_ORDER",
    {
      leaves: (() => {
        const lines = base.leaves.split("\n");
        [lines[3], lines[4]] = [lines[4], lines[3]];
        return lines.join("\n");
      })(),
    },
  );
  {
    // bob listed twice; the target re-spread over nine rows, statement re-signed to match.
    const bob = indexOf("bob");
    const dup = [...base.rows.slice(0, bob + 1), base.rows[bob], ...base.rows.slice(bob + 1)];
    const cuts = allocate(dup.map((r) => r.base), s0.target, { rounding: "largest-remainder" });
    const rows = dup.map((r, i) => ({ ...r, haircut: cuts[i] }));
    await verifyCase(
      "duplicated-account",
      "bob's leaf appears twice; haircuts re-spread over the nine rows and the statement re-signed to match",
      "LEAF_ORDER",
      { envelope: signStatement(withTree(s0, rows)), leaves: rowsCsv(rows) },
    );
  }
  await verifyCase(
    "leaves-row-dropped",
    "the last row of leaves.csv removed cleanly (a whole line), statement unchanged",
    "LEAF_COUNT_MISMATCH",
    { leaves: rowsCsv(base.rows.slice(0, -1)) },
  );
  {
    // A fabricated zero row appended with the largest possible key, so the order still holds.
    const rows = [...base.rows, { key: new Uint8Array(32).fill(0xff), base: 0n, haircut: 0n }];
    await verifyCase(
      "leaves-row-added",
      "a zero row with account key ff..ff appended to leaves.csv, statement unchanged",
      "LEAF_COUNT_MISMATCH",
      { leaves: rowsCsv(rows) },
    );
  }
  {
    const rows = base.rows.map((r, i) => {
      if (i !== 2) return r;
      const key = r.key.slice();
      key[31] ^= 0x01;
      return { ...r, key };
    });
    await verifyCase(
      "account-key-edited",
      "the last bit of the third row's account key flipped (order still holds), statement unchanged",
      "ROOT_MISMATCH",
      { leaves: rowsCsv(rows) },
    );
  }
  {
    // The internal nodes one level up presented as leaves: 4 rows whose keys are node hashes.
    const level1 = levelsOf(base.rows)[1];
    const rows = level1.map((n) => ({ key: n.hash, base: n.base, haircut: n.haircut }));
    const s = { ...s0, tree: { ...s0.tree, leafCount: 4 } };
    await verifyCase(
      "internal-node-as-leaf",
      "leaves.csv lists the 4 level-1 internal nodes as leaves (key = node hash), statement re-signed with leafCount 4",
      "ROOT_MISMATCH",
      { envelope: signStatement(s), leaves: rowsCsv(rows) },
    );
  }

  // ---- Allocation --------------------------------------------------------
  // Base remainders (T * base mod P over P = 1,000,000): bob .7, grace .7, heidi .6 get +1; carol .5, erin .5 do not.
  const moved = (from: string, to: string, units = 1n): Row[] => {
    const f = indexOf(from);
    const t = indexOf(to);
    return base.rows.map((r, i) =>
      i === f ? { ...r, haircut: r.haircut - units } : i === t ? { ...r, haircut: r.haircut + units } : r
    );
  };
  {
    const rows = moved("heidi", "carol");
    await verifyCase(
      "rounding-unit-moved",
      "heidi's rounding unit (remainder .6) moved to carol (remainder .5); root re-signed, totals unchanged",
      "ROUNDING_ORDER",
      { envelope: signStatement(withTree(s0, rows)), leaves: rowsCsv(rows) },
    );
    await verifyCase(
      "rounding-unit-moved-not-resigned",
      "heidi's rounding unit moved to carol in leaves.csv only; the signed root is the original",
      "ROOT_MISMATCH",
      { leaves: rowsCsv(rows) },
    );
  }
  {
    const rows = moved("heidi", "alice");
    await verifyCase(
      "rounding-unit-to-exact-share",
      "heidi's rounding unit moved to alice, whose share 30000 is exact (remainder 0); re-signed",
      "HAIRCUT_MISMATCH",
      { envelope: signStatement(withTree(s0, rows)), leaves: rowsCsv(rows) },
    );
  }
  const overcharged = moved("frank", "bob", 50n);
  const overchargedEnvelope = signStatement(withTree(s0, overcharged));
  await verifyCase(
    "overcharge-one-account",
    "bob charged 50 units more and frank 50 less, totals unchanged, root re-signed",
    "HAIRCUT_MISMATCH",
    { envelope: overchargedEnvelope, leaves: rowsCsv(overcharged) },
  );
  {
    const rows = moved("heidi", "dave");
    await verifyCase(
      "haircut-exceeds-base",
      "dave (base 0) charged 1 unit taken from heidi; root re-signed",
      "HAIRCUT_EXCEEDS_BASE",
      { envelope: signStatement(withTree(s0, rows)), leaves: rowsCsv(rows) },
    );
  }
  {
    // From the floor-rounding scenario: the statement understates what was collected by one unit.
    const floor = loadPub(`${scenarios}/floor-rounding`);
    const s = floor.statement;
    const forged = {
      ...s,
      uncovered: s.uncovered + 1n,
      tree: { ...s.tree, totalHaircut: s.tree.totalHaircut - 1n },
    };
    await verifyCase(
      "total-haircut-understated",
      "floor-rounding scenario: totalHaircut signed as 999995 (the leaves sum to 999996), uncovered 5; re-signed",
      "TOTAL_MISMATCH",
      { envelope: signStatement(forged), leaves: floor.leaves },
    );
  }
  {
    // From the wei-scale scenario: a zero base raised to 2^127, so the bases sum past 2^128.
    const wei = loadPub(`${scenarios}/wei-scale`);
    const rows = wei.rows.map((r) => (r.base === 0n ? { ...r, base: 1n << 127n } : r));
    await verifyCase(
      "sum-overflow",
      "wei-scale scenario: the zero-base row's base set to 2^127, so the tree sums reach 2^128",
      "TOTAL_MISMATCH",
      { envelope: wei.envelope, leaves: rowsCsv(rows) },
    );
  }

  // ---- Proofs ------------------------------------------------------------
  const alice = proofOf("alice").json;
  const aliceText = proofOf("alice").text;
  const editProof = (edit: (p: Record<string, unknown> & { path: Record<string, string>[] }) => void): string => {
    const p = JSON.parse(aliceText);
    edit(p);
    return prettyJson(p);
  };
  await proofCase(
    "proof-sibling-sum-edited",
    "alice's proof: the top sibling's base lowered by frank's 250000, hiding his account from her sums",
    "PROOF_ROOT_MISMATCH",
    editProof((p) => {
      const top = p.path[p.path.length - 1];
      top.base = `${BigInt(top.base) - 250_000n}`;
    }),
  );
  await proofCase(
    "proof-haircut-edited",
    "alice's proof: haircut lowered by one unit",
    "PROOF_ROOT_MISMATCH",
    editProof((p) => void (p.haircut = `${BigInt(p.haircut as string) - 1n}`)),
  );
  await proofCase(
    "proof-index-edited",
    "alice's proof: index moved to her sibling's position",
    "PROOF_ROOT_MISMATCH",
    editProof((p) => void (p.index = (p.index as number) ^ 1)),
  );
  await proofCase(
    "proof-path-too-short",
    "alice's proof: the last path node removed (a tree of 8 needs 3)",
    "PROOF_INVALID",
    editProof((p) => void p.path.pop()),
  );
  await proofCase(
    "proof-path-too-long",
    "alice's proof: the first path node repeated at the end (4 nodes for a tree of 8)",
    "PROOF_INVALID",
    editProof((p) => void p.path.push({ ...p.path[0] })),
  );
  await proofCase(
    "proof-salt-uppercase",
    "alice's proof: salt written in uppercase hex",
    "PROOF_INVALID",
    editProof((p) => void (p.salt = (p.salt as string).toUpperCase())),
  );
  await proofCase(
    "proof-wrong-statement",
    "alice's proof: its statement digest replaced by the digest of a different statement (the floor-rounding one)",
    "STATEMENT_DIGEST_MISMATCH",
    editProof((p) => {
      const floor = loadPub(`${scenarios}/floor-rounding`);
      p.statement = payloadDigest(statementBytes(floor.statement));
    }),
  );
  await proofCase(
    "proof-haircut-exceeds-base",
    "dave's proof (base 0): haircut set to 1",
    "HAIRCUT_EXCEEDS_BASE",
    (() => {
      const p = JSON.parse(proofOf("dave").text);
      p.haircut = "1";
      return prettyJson(p);
    })(),
  );
  {
    // Leaf presented as an internal node: the statement re-signed with leafCount 4 over the same
    // root, and alice's proof lifted one level (index / 2, without her leaf-level sibling).
    const s = { ...s0, tree: { ...s0.tree, leafCount: 4 } };
    const envelope = signStatement(s);
    const lifted = JSON.parse(aliceText);
    lifted.statement = payloadDigest(statementBytes(s));
    lifted.index = Math.floor(alice.index as number / 2);
    lifted.path = lifted.path.slice(1);
    await proofCase(
      "leaf-as-internal-node",
      "statement re-signed with leafCount 4 (same root); alice's leaf proven at level 1 in place of its parent node",
      "PROOF_ROOT_MISMATCH",
      prettyJson(lifted),
      envelope,
    );
  }
  {
    // bob's proof in the overcharged publication: bob detects his overcharge from his own proof.
    const levels = levelsOf(overcharged);
    const bob = proofOf("bob").json;
    const i = bob.index as number;
    const text = proofJson(
      payloadDigest(statementBytes(withTree(s0, overcharged))),
      "bob",
      bob.salt as string,
      i,
      overcharged[i],
      inclusionPath(levels, i),
    );
    await proofCase(
      "proof-overcharged",
      "bob's valid proof in a re-signed publication that charges him 50 units over his pro-rata share",
      "HAIRCUT_MISMATCH",
      text,
      overchargedEnvelope,
    );
  }

  // ---- Chains ------------------------------------------------------------
  const chain = [1, 2, 3].map((n) => loadPub(`${scenarios}/chain-of-three/event-${n}`));
  const [e1, e2, e3] = chain;
  {
    const forged = { ...e2.statement, previous: digest0 };
    await verifyCase(
      "previous-points-elsewhere",
      "event-2 re-signed with previous naming another statement; verified with --previous event-1",
      "CHAIN_BROKEN",
      { envelope: signStatement(forged), leaves: e2.leaves, previous: e1.envelope },
    );
  }
  await verifyCase(
    "previous-not-given-predecessor",
    "event-3 verified with --previous event-1: its previous names event-2",
    "CHAIN_BROKEN",
    { envelope: e3.envelope, leaves: e3.leaves, previous: e1.envelope },
  );
  await chainCase(
    "chain-gap",
    "the chain event-1, event-3: event-2 is missing",
    "CHAIN_GAP",
    [["event-1.dsse.json", e1.envelope], ["event-3.dsse.json", e3.envelope]],
  );
  {
    const fork = { ...e2.statement, event: "2026-W02/BTC-USDT-PERP-restated" };
    await chainCase(
      "chain-fork",
      "a second, re-signed event-2 (a restatement) naming event-1 as previous next to the real one",
      "CHAIN_FORK",
      [
        ["event-1.dsse.json", e1.envelope],
        ["event-2.dsse.json", e2.envelope],
        ["event-2-restated.dsse.json", signStatement(fork)],
      ],
    );
  }
  await chainCase(
    "chain-reordered",
    "the chain given as event-1, event-3, event-2",
    "CHAIN_REORDERED",
    [["event-1.dsse.json", e1.envelope], ["event-3.dsse.json", e3.envelope], ["event-2.dsse.json", e2.envelope]],
  );
  await chainCase(
    "chain-venue-changed",
    "event-2 re-signed under a different venue name, still naming event-1 as previous",
    "CHAIN_BROKEN",
    [["event-1.dsse.json", e1.envelope], [
      "event-2.dsse.json",
      signStatement({ ...e2.statement, venue: "Other Exchange" }),
    ]],
  );

  // ---- Transparency log ---------------------------------------------------
  {
    // A log holding the base statement after another one of another venue, cosigned by one of two witnesses at a
    // fixed time. Keys are derived from fixed labels, so the corpus is reproducible.
    const keyOf = (label: string) => signingKeyFromSecret("ed25519", sha256(new TextEncoder().encode(label)));
    const origin = "tampered.example/haircut-log";
    const logSigner = ed25519NoteSigner(origin, keyOf("tamper corpus log key"));
    const witnesses = ["w1", "w2"].map((w) => ({
      name: `${w}.tampered.example`,
      key: keyOf(`tamper corpus ${w} key`),
    }));
    const witnessVkeys = witnesses.map((w) => cosignatureSigner(w.name, w.key, 0).vkey);
    const other = payloadDigest(statementBytes({ ...s0, venue: "Other Exchange", event: "elsewhere" }));
    const cosigned = (state: LogState): LogState =>
      mergeCosignatures(state, [cosignCheckpoint(parseNote(state.checkpoint).text, witnesses[0], 1767225600)]);
    let state = initLog(origin, logSigner);
    state = appendStatement(state, { digest: other, venue: "Other Exchange", previous: null }, logSigner);
    state = cosigned(appendStatement(state, { digest: digest0, venue: s0.venue, previous: s0.previous }, logSigner));
    const policy = (quorum: number) => prettyJson({ origin, log: logSigner.vkey, witnesses: witnessVkeys, quorum });
    const alice = proofOf("alice");
    const logCase = (
      name: string,
      description: string,
      expect: ErrorCode,
      log: { tlogProof: string; policy: string },
    ) => proofCase(name, description, expect, alice.text, undefined, log);
    const proof = proveStatement(state, digest0);
    await logCase(
      "log-proof-garbled",
      "the statement's .tlog-proof with its index line written with a leading zero",
      "LOG_PROOF_INVALID",
      { tlogProof: proof.replace("\nindex 1\n", "\nindex 01\n"), policy: policy(1) },
    );
    const impostor = ed25519NoteSigner(origin, keyOf("tamper corpus impostor key"));
    let forged = initLog(origin, impostor);
    forged = appendStatement(forged, { digest: other, venue: "Other Exchange", previous: null }, impostor);
    forged = cosigned(appendStatement(forged, { digest: digest0, venue: s0.venue, previous: s0.previous }, impostor));
    await logCase(
      "log-signed-by-another-key",
      "a .tlog-proof whose checkpoint is signed by a key with the log's name that the policy does not pin",
      "LOG_SIGNATURE_INVALID",
      { tlogProof: proveStatement(forged, digest0), policy: policy(1) },
    );
    await logCase(
      "log-quorum-not-met",
      "a valid .tlog-proof cosigned by one of the two pinned witnesses, against a policy with quorum 2",
      "WITNESS_QUORUM",
      { tlogProof: proof, policy: policy(2) },
    );
    await logCase(
      "log-other-statement",
      "the .tlog-proof of the log's other entry (another venue's statement) given for the base statement",
      "LOG_INCLUSION_MISMATCH",
      { tlogProof: proveStatement(state, other), policy: policy(1) },
    );
  }
  await addV11Cases({ out, add, dirOf, rel, proofCase });

  for (const [name, c] of cases) await writeText(`${dirOf(name)}/case.json`, prettyJson(c));
  await writeText(`${out}/README.md`, readme(cases));
  return cases.map(([, c]) => c);
}

/** The v1.1 base: the same eight accounts under rate-floor at 1/10, and three bankrupt accounts for a deficit tree. */
const V11_BANKRUPT: readonly (readonly [string, bigint])[] = [["mallory", 90_000n], ["oscar", 45_000n], [
  "trent",
  15_000n,
]];
const V11_EVENT = {
  ...BASE_EVENT,
  event: "2026-05-08/BTC-PERP",
  policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { num: "1", den: "10" } },
  deficit: undefined,
};

/** Where the v1.1 base publication lives. */
const V11_BASE = `${CORPUS}/base-v1.1`;
const V11_KEYS = `${V11_BASE}/keys.json`;

function parseBankrupt(csv: string): { key: Uint8Array; loss: bigint }[] {
  return csv.split("\n").slice(1, -1).map((line) => {
    const [key, loss] = line.split(",");
    return { key: hexToBytes(key, 32), loss: BigInt(loss) };
  });
}

function bankruptCsv(rows: readonly { key: Uint8Array; loss: bigint }[]): string {
  return "account_key,loss\n" + rows.map((r) => `${bytesToHex(r.key)},${r.loss}\n`).join("");
}

/**
 * The format v1.1 attacks (issue 12): over-collection by one unit under a rate policy, a wrong rounding direction
 * on one leaf, a rate above the cap, a deficit tree whose total is not the deficit, a bankrupt leaf moved, and the
 * deficit proofs' and bankrupt.csv's own tampering.
 */
async function addV11Cases(ctx: {
  out: string;
  add: (name: string, c: TamperCase) => void;
  dirOf: (name: string) => string;
  rel: (name: string, file?: string) => string;
  proofCase: (name: string, description: string, expect: ErrorCode, proof: string, envelope?: string) => Promise<void>;
}): Promise<void> {
  const { out, add, dirOf, rel, proofCase } = ctx;
  const baseDir = `${out}/base-v1.1`;
  await publishBase(baseDir, {
    event: V11_EVENT,
    saltSecret: "haircut tamper corpus v1.1 salt secret",
    bankrupt: V11_BANKRUPT,
  });
  const base = loadPub(baseDir);
  const bankrupt = Deno.readTextFileSync(`${baseDir}/bankrupt.csv`);
  const s0 = base.statement;
  if (!s0.policy.rate || !s0.deficitTree) throw new Error("the v1.1 base must have a rate and a deficit tree");
  const rate = s0.policy.rate;

  const verifyCase = async (
    name: string,
    description: string,
    expect: ErrorCode,
    files: { envelope?: string; leaves?: string; bankrupt?: string },
  ): Promise<void> => {
    await writeText(`${dirOf(name)}/statement.dsse.json`, files.envelope ?? base.envelope);
    await writeText(`${dirOf(name)}/leaves.csv`, files.leaves ?? base.leaves);
    await writeText(`${dirOf(name)}/bankrupt.csv`, files.bankrupt ?? bankrupt);
    add(name, { description, command: ["verify", rel(name), "--keys", V11_KEYS, "--format", "json"], expect });
  };

  // Over-collection by one unit: the same accounts under rate-ceil, with a cap of 99/1000 (so that the target,
  // 99,000, is below the shortfall), at the rate within the cap whose ceilings add up to the target plus one;
  // every leaf is exactly its formula, and only the total is wrong. Re-signed.
  {
    const cap = { num: 99n, den: 1000n };
    const bases = base.rows.map((r) => r.base);
    const totalBase = bases.reduce((t, b) => t + b, 0n);
    const target = totalBase * cap.num / cap.den;
    const den = 1_000_000_000n;
    const ceilTotal = (num: bigint): bigint => bases.reduce((t, b) => t + (b * num + den - 1n) / den, 0n);
    // The largest num whose ceilings add up to at most target + 1 (the total is monotone in num).
    let num = 0n;
    let hi = den * cap.num / cap.den + 1n;
    while (hi - num > 1n) {
      const mid = (num + hi) / 2n;
      if (ceilTotal(mid) <= target + 1n) num = mid;
      else hi = mid;
    }
    if (ceilTotal(num) !== target + 1n || num * cap.den > cap.num * den) {
      throw new Error("no rate-ceil rate within the cap over-collects by exactly one unit");
    }
    const rows = base.rows.map((r) => ({ ...r, haircut: (r.base * num + den - 1n) / den }));
    const s = withTree(
      { ...s0, policy: { ...s0.policy, rounding: "rate-ceil", cap, rate: { num, den } }, target },
      rows,
    );
    await verifyCase(
      "rate-over-collection-by-one",
      `rate-ceil at ${num}/${den} under a cap of ${cap.num}/${cap.den}: every leaf is exactly its formula, but ` +
        `they collect ${target + 1n} for a target of ${target}; re-signed`,
      "ARITHMETIC",
      { envelope: signStatement({ ...s, uncovered: s.shortfall - s.tree.totalHaircut }), leaves: rowsCsv(rows) },
    );
  }
  // A wrong rounding direction on one leaf: rounded up under rate-floor; root and totals re-signed.
  {
    const i = base.rows.findIndex((r) => (r.base * rate.num) % rate.den !== 0n);
    if (i === -1) throw new Error("no leaf with a fractional share");
    const rows = base.rows.map((r, j) => (j === i ? { ...r, haircut: r.haircut + 1n } : r));
    const s = withTree(s0, rows);
    const envelope = signStatement({ ...s, uncovered: s.shortfall - s.tree.totalHaircut });
    await verifyCase(
      "rate-leaf-rounded-up",
      `leaf ${i} rounded up (${rows[i].haircut}) instead of down under rate-floor at ${rate.num}/${rate.den}; ` +
        "root and totals re-signed",
      "HAIRCUT_MISMATCH",
      { envelope, leaves: rowsCsv(rows) },
    );
    const levels = levelsOf(rows);
    const proof = JSON.parse(Deno.readTextFileSync(
      `${baseDir}/proofs/${
        [...Deno.readDirSync(`${baseDir}/proofs`)].map((e) => e.name).find((n) => {
          const p = JSON.parse(Deno.readTextFileSync(`${baseDir}/proofs/${n}`));
          return p.type === PROOF_TYPE && p.index === i;
        })
      }`,
    ));
    const digest = payloadDigest(base64ToBytes(JSON.parse(envelope).payload));
    await proofCase(
      "rate-proof-rounded-up",
      `the trader's proof of leaf ${i} from the rate-leaf-rounded-up publication: one unit more than ` +
        `floor(base * ${rate.num} / ${rate.den})`,
      "HAIRCUT_MISMATCH",
      proofJson(digest, proof.account, proof.salt, i, rows[i], inclusionPath(levels, i)),
      envelope,
    );
  }
  // A rate above the cap: a cap of 99999/1000000 under the 1/10 rate, re-signed with the capped target.
  {
    const cap = { num: 99_999n, den: 1_000_000n };
    const target = base.rows.reduce((t, r) => t + r.base, 0n) * cap.num / cap.den;
    const s = { ...s0, policy: { ...s0.policy, cap }, target: target < s0.shortfall ? target : s0.shortfall };
    await verifyCase(
      "rate-above-cap",
      `policy.cap set to ${cap.num}/${cap.den}, below the rate ${rate.num}/${rate.den}; target recomputed, re-signed`,
      "ARITHMETIC",
      { envelope: signStatement(s) },
    );
  }
  // A deficit tree whose total is not the deficit: deficit (and the figures after it) one unit more; re-signed.
  {
    const deficit = s0.deficit + 1n;
    const shortfall = deficit - s0.insuranceUsed;
    const s = { ...s0, deficit, shortfall, target: shortfall, uncovered: shortfall - s0.tree.totalHaircut };
    await verifyCase(
      "deficit-tree-total-not-deficit",
      `deficit stated as ${deficit}, one more than the deficit tree's total ${s0.deficitTree.total} ` +
        "(bankrupt.csv unchanged); re-signed",
      "ARITHMETIC",
      { envelope: signStatement(s) },
    );
  }
  const brows = parseBankrupt(bankrupt);
  await verifyCase(
    "bankrupt-leaf-moved",
    "the first two rows of bankrupt.csv swapped (the signed deficit tree is the original)",
    "LEAF_ORDER",
    { bankrupt: bankruptCsv([brows[1], brows[0], ...brows.slice(2)]) },
  );
  await verifyCase(
    "bankrupt-loss-edited",
    "one loss in bankrupt.csv lowered by one unit, the other rows unchanged",
    "ROOT_MISMATCH",
    { bankrupt: bankruptCsv(brows.map((r, i) => (i === 0 ? { ...r, loss: r.loss - 1n } : r))) },
  );
  await verifyCase(
    "bankrupt-row-dropped",
    "the last row of bankrupt.csv removed",
    "LEAF_COUNT_MISMATCH",
    { bankrupt: bankruptCsv(brows.slice(0, -1)) },
  );
  await verifyCase(
    "bankrupt-crlf",
    "bankrupt.csv with CRLF line endings",
    "LEAF_INVALID",
    { bankrupt: bankrupt.replaceAll("\n", "\r\n") },
  );
  // Deficit proofs.
  const deficitProofs = [...Deno.readDirSync(`${baseDir}/proofs`)].map((e) => e.name).filter((n) =>
    n.startsWith("deficit-")
  )
    .sort();
  const dp = JSON.parse(Deno.readTextFileSync(`${baseDir}/proofs/${deficitProofs[0]}`));
  await proofCase(
    "deficit-proof-loss-edited",
    `${dp.account}'s deficit proof with its loss lowered by one unit`,
    "PROOF_ROOT_MISMATCH",
    prettyJson({ ...dp, loss: `${BigInt(dp.loss) - 1n}` }),
    base.envelope,
  );
  await proofCase(
    "deficit-proof-sibling-loss-edited",
    `${dp.account}'s deficit proof with one sibling's loss sum raised by one unit`,
    "PROOF_ROOT_MISMATCH",
    prettyJson({
      ...dp,
      path: dp.path.map((n: { loss: string }, i: number) => (i === 0 ? { ...n, loss: `${BigInt(n.loss) + 1n}` } : n)),
    }),
    base.envelope,
  );
  // The statement's v1.1 fields, re-signed.
  const payload = JSON.parse(new TextDecoder().decode(statementBytes(s0)));
  const resign = (edit: (o: Record<string, unknown> & { policy: Record<string, unknown> }) => void): string => {
    const o = structuredClone(payload);
    edit(o);
    return signPayload(new TextEncoder().encode(canonicalJson(o as JsonObject)));
  };
  await verifyCase(
    "rate-missing",
    "policy.rate removed from a rate-floor statement; re-signed",
    "STATEMENT_INVALID",
    { envelope: resign((o) => void delete o.policy.rate) },
  );
  await verifyCase(
    "deficit-tree-unknown-field",
    'deficitTree given an extra field ("accounts": 3); re-signed',
    "NON_CANONICAL",
    { envelope: resign((o) => void ((o.deficitTree as Record<string, unknown>).accounts = 3)) },
  );
}

/** Greedy word wrap at 120 columns, as `deno fmt` wraps Markdown prose. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(" ")) {
    if (!empty && line.length + 1 + word.length > 120) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? "" : " ") + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

function readme(cases: readonly [string, TamperCase][]): string {
  const intro = "`base/` is a valid publication (8 accounts, 10% of profit, largest remainder, signed by the venue's " +
    "Ed25519 key and an auditor's secp256k1 key, threshold 2). Every other directory is one attack: the files it " +
    "changed, copies of the ones it did not, and `case.json` with a one-line description, the `haircut` command " +
    "(run from the repository root) and the error code it must report with exit code 1. Forged statements are " +
    "re-signed with the trusted keys where the attack needs it, so that the signatures do not hide the defect under " +
    "test. `tests/tampered_test.ts` runs every case.";
  const lines = [
    "# Tamper corpus",
    "",
    "Generated by `deno run --allow-read --allow-write scripts/make_tampered.ts`; do not edit by hand.",
    "",
    ...wrap(intro, "", ""),
    "",
  ];
  for (const [name, c] of cases) lines.push(...wrap(`\`${name}\` (\`${c.expect}\`): ${c.description}.`, "- ", "  "));
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  const cases = await makeTampered();
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.expect, (counts.get(c.expect) ?? 0) + 1);
  console.log(`${cases.length} cases`);
  for (const [code, n] of [...counts].sort()) console.log(`  ${code.padEnd(26)} ${n}`);
}
