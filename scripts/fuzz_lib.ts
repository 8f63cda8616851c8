/**
 * Mutation fuzzing of the verifier, shared by `deno task fuzz` (scripts/fuzz.ts)
 * and the fixed-seed test (tests/fuzz_test.ts).
 *
 * Each target takes one valid input of the example publication, applies one
 * to three mutations (byte flips, insertions, deletions, truncations,
 * duplications, numeric edits, field swaps, reordering, duplicate or unknown
 * keys, type changes, fields from a sibling document) and runs the verifier
 * on the result. Two oracles judge each run:
 *
 * - **crash**: the verifier must return a well-formed report, or throw a
 *   `FormatError` or `InputError`. Any other exception, or a report whose
 *   shape is wrong, is a crash.
 * - **false accept**: when the verifier says "valid", the mutated input must
 *   mean the same as the original. Meaning is judged by a canonical
 *   re-serialization written independently of the verifier (on top of
 *   `JSON.parse`, a lenient CSV split and `atob`), so harmless changes
 *   (whitespace, key order, `\u0061` for `a`) pass and semantic ones do not.
 *   For a re-signed statement and for the keys file, where a changed input
 *   may legitimately be valid, an independent reference validator decides.
 *
 * @module
 */

import fc from "fast-check";
import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import {
  ERROR_CODES,
  type ErrorCode,
  FormatError,
  InputError,
  type KeysFile,
  parseKeysFile,
  verifyProof,
  verifyPublication,
} from "../mod.ts";
import { parseSigningKey, signEnvelope, type SigningKey } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";

// ---------------------------------------------------------------------------------------------
// Corpus

/**
 * The valid inputs every mutation starts from: the example publication.
 *
 * @example
 * ```ts
 * import { loadCorpus } from "./fuzz_lib.ts";
 * const corpus = await loadCorpus();
 * corpus.proofs.length; // 8
 * ```
 */
export interface FuzzCorpus {
  /** `statement.dsse.json` text. */
  envelope: string;
  /** The canonical statement payload text inside it. */
  payload: string;
  /** `leaves.csv` bytes. */
  leaves: Uint8Array;
  /** Every proof's JSON text. */
  proofs: string[];
  /** `keys.json` text. */
  keysText: string;
  /** The parsed keys. */
  keys: KeysFile;
  /** The example's signing keys, to re-sign mutated statements. */
  signers: SigningKey[];
}

/**
 * Reads the example publication (and its signing keys) from `fixtures/example`.
 *
 * @example
 * ```ts
 * import { loadCorpus } from "./fuzz_lib.ts";
 * (await loadCorpus()).keys.threshold; // 2
 * ```
 */
export async function loadCorpus(dir: URL = new URL("../fixtures/example/", import.meta.url)): Promise<FuzzCorpus> {
  const envelope = await Deno.readTextFile(new URL("statement.dsse.json", dir));
  const keysText = await Deno.readTextFile(new URL("keys.json", dir));
  const proofs: string[] = [];
  const names = [];
  for await (const e of Deno.readDir(new URL("proofs/", dir))) names.push(e.name);
  for (const name of names.sort()) proofs.push(await Deno.readTextFile(new URL(`proofs/${name}`, dir)));
  const signers = [
    parseSigningKey(await Deno.readTextFile(new URL("input/venue.key.json", dir))),
    parseSigningKey(await Deno.readTextFile(new URL("input/auditor.key.json", dir))),
  ];
  return {
    envelope,
    payload: atob(JSON.parse(envelope).payload),
    leaves: await Deno.readFile(new URL("leaves.csv", dir)),
    proofs,
    keysText,
    keys: parseKeysFile(keysText),
    signers,
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Byte sequences that tend to matter to a JSON or CSV reader. */
const PALETTE: readonly string[] = [
  '"',
  ",",
  "{",
  "}",
  "[",
  "]",
  ":",
  "0",
  "1",
  "9",
  "-",
  ".",
  "e",
  "E",
  "+",
  "=",
  "/",
  "A",
  "f",
  " ",
  "\t",
  "\r",
  "\n",
  "\r\n",
  "\n\n",
  "\ufeff",
  "\\",
  "\\u0000",
  "\\ud800",
  "\u0000",
  "null",
  "true",
  "1e400",
  "-0",
  "00",
  ",0",
  "0,",
  '"__proto__":{"threshold":1},',
  '"constructor":{},',
  '"extra":1,',
];

/** Values a structural mutation may put in place of another. */
const VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  2,
  1.5,
  1e21,
  2 ** 53,
  "",
  "0",
  "-1",
  "01",
  "1e3",
  " 1",
  "340282366920938463463374607431768211456",
  "340282366920938463463374607431768211455",
  "x".repeat(300),
  "\u0000",
  "\ud800",
  [],
  {},
  [null],
  { __proto__: null, x: 1 },
];

/**
 * One mutation. Positions and choices are plain numbers that are reduced
 * modulo whatever the input offers when the mutation is applied, so any
 * mutation applies to any input and fast-check can shrink them.
 *
 * @example
 * ```ts
 * import type { Mutation } from "./fuzz_lib.ts";
 * const m: Mutation = { op: "flip", at: 10, mask: 1 };
 * ```
 */
export type Mutation =
  | { op: "flip"; at: number; mask: number }
  | { op: "insert"; at: number; text: string }
  | { op: "insertBytes"; at: number; bytes: number[] }
  | { op: "delete"; at: number; length: number }
  | { op: "truncate"; at: number }
  | { op: "duplicate"; at: number; length: number }
  | { op: "numeric"; which: number; edit: number }
  | { op: "swapValues"; a: number; b: number }
  | { op: "reorder"; which: number; seed: number }
  | { op: "deleteKey"; which: number }
  | { op: "duplicateKey"; which: number; value: number }
  | { op: "addKey"; which: number; key: number; value: number }
  | { op: "replaceValue"; which: number; value: number }
  | { op: "upperHex"; which: number }
  | { op: "fromSibling"; which: number; sibling: number }
  | { op: "reformat"; style: number }
  | { op: "swapLines"; a: number; b: number }
  | { op: "swapColumns"; line: number; a: number; b: number };

const EXTRA_KEYS = ["extra", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "name", "keyid"];

type Weighted = { arbitrary: fc.Arbitrary<Mutation>; weight: number };

/** Mutations of raw bytes and of decimal numbers: they apply to any input. */
const BYTE_MUTATIONS: readonly Weighted[] = [
  {
    arbitrary: fc.record({ op: fc.constant("flip" as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...PALETTE) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("insertBytes" as const),
      at: fc.nat(),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ op: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant("duplicate" as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 80 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant("numeric" as const), which: fc.nat(), edit: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }), weight: 2 },
];

/** Row and column swaps for `leaves.csv`. */
const CSV_MUTATIONS: readonly Weighted[] = [
  { arbitrary: fc.record({ op: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant("swapColumns" as const), line: fc.nat(), a: fc.nat(), b: fc.nat() }),
    weight: 2,
  },
];

/** Structural JSON mutations: field swaps, reordering, duplicate and unknown keys, type changes. */
const JSON_MUTATIONS: readonly Weighted[] = [
  { arbitrary: fc.record({ op: fc.constant("swapValues" as const), a: fc.nat(), b: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("reorder" as const), which: fc.nat(), seed: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("deleteKey" as const), which: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("duplicateKey" as const), which: fc.nat(), value: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant("addKey" as const), which: fc.nat(), key: fc.nat(), value: fc.nat() }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant("replaceValue" as const), which: fc.nat(), value: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("upperHex" as const), which: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("fromSibling" as const), which: fc.nat(), sibling: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("reformat" as const), style: fc.nat() }), weight: 1 },
];

/**
 * One to three mutations, in order, for a CSV or a JSON document.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { mutationsArb } from "./fuzz_lib.ts";
 * fc.sample(mutationsArb("json"), { numRuns: 1, seed: 1 })[0].length >= 1; // true
 * ```
 */
export function mutationsArb(kind: "csv" | "json"): fc.Arbitrary<Mutation[]> {
  const family = kind === "csv" ? [...BYTE_MUTATIONS, ...CSV_MUTATIONS] : [...BYTE_MUTATIONS, ...JSON_MUTATIONS];
  return fc.array(fc.oneof(...family), { minLength: 1, maxLength: 3 });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder(); // lenient, like the CLI's reader

function spliceBytes(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** A JSON value in a model that keeps key order and allows duplicate keys. */
type Model = null | boolean | number | string | Model[] | { entries: [string, Model][] };

function toModel(value: unknown): Model {
  if (Array.isArray(value)) return value.map(toModel);
  if (value !== null && typeof value === "object") {
    return { entries: Object.entries(value).map(([k, v]): [string, Model] => [k, toModel(v)]) };
  }
  return value as Model;
}

function isObjectModel(m: Model): m is { entries: [string, Model][] } {
  return m !== null && typeof m === "object" && !Array.isArray(m);
}

function serialize(m: Model, style: number, depth = 0): string {
  const indent = style % 3 === 1 ? "  " : style % 3 === 2 ? "\t" : "";
  const nl = indent ? "\n" : "";
  const pad = (d: number): string => indent.repeat(d);
  if (Array.isArray(m)) {
    if (m.length === 0) return "[]";
    return "[" + nl + m.map((v) => pad(depth + 1) + serialize(v, style, depth + 1)).join("," + nl) + nl + pad(depth) +
      "]";
  }
  if (isObjectModel(m)) {
    if (m.entries.length === 0) return "{}";
    const sep = indent ? ": " : ":";
    return "{" + nl +
      m.entries.map(([k, v]) => pad(depth + 1) + JSON.stringify(k) + sep + serialize(v, style, depth + 1)).join(
        "," + nl,
      ) + nl + pad(depth) + "}";
  }
  return JSON.stringify(m);
}

/** Every node of a model with a way to replace it, depth first. */
interface Slot {
  get(): Model;
  set(v: Model): void;
}

function slots(root: { value: Model }): Slot[] {
  const out: Slot[] = [];
  const walk = (get: () => Model, set: (v: Model) => void): void => {
    out.push({ get, set });
    const m = get();
    if (Array.isArray(m)) m.forEach((_, i) => walk(() => m[i], (v) => void (m[i] = v)));
    else if (isObjectModel(m)) m.entries.forEach((e) => walk(() => e[1], (v) => void (e[1] = v)));
  };
  walk(() => root.value, (v) => void (root.value = v));
  return out;
}

function objectsOf(root: { value: Model }): { entries: [string, Model][] }[] {
  return slots(root).map((s) => s.get()).filter(isObjectModel);
}

function clone(m: Model): Model {
  if (Array.isArray(m)) return m.map(clone);
  if (isObjectModel(m)) return { entries: m.entries.map(([k, v]): [string, Model] => [k, clone(v)]) };
  return m;
}

/** A small deterministic PRNG for shuffles inside one mutation. */
function shuffle<T>(items: T[], seed: number): T[] {
  let x = (seed | 0) || 1;
  for (let i = items.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function numericEdit(digits: string, edit: number): string {
  const n = BigInt(digits);
  const edits = [
    `${n + 1n}`,
    n > 0n ? `${n - 1n}` : "1",
    "0",
    `${n * 2n}`,
    `${1n << 128n}`,
    `${(1n << 128n) - 1n}`,
    `-${digits}`,
    `0${digits}`,
    `${digits}e0`,
    `${digits}.0`,
    `${digits}0`,
    digits.slice(1) || "1",
    `${n * 1000000007n}`,
    `${1n << 32n}`,
    `${2 ** 53}`,
  ];
  return edits[edit % edits.length];
}

/**
 * Applies mutations to a document. JSON-structural mutations parse the
 * current text with `JSON.parse` and do nothing when it no longer parses;
 * CSV mutations split on LF. `siblings` are other documents of the same
 * kind, for `fromSibling`.
 *
 * @example
 * ```ts
 * import { applyMutations } from "./fuzz_lib.ts";
 * const out = applyMutations(new TextEncoder().encode('{"a":1}'), [{ op: "numeric", which: 0, edit: 0 }], []);
 * new TextDecoder().decode(out); // '{"a":2}'
 * ```
 */
export function applyMutations(
  input: Uint8Array,
  mutations: readonly Mutation[],
  siblings: readonly string[],
): Uint8Array {
  let bytes = input;
  for (const m of mutations) bytes = applyOne(bytes, m, siblings);
  return bytes;
}

function applyOne(bytes: Uint8Array, m: Mutation, siblings: readonly string[]): Uint8Array {
  const pos = (at: number): number => (bytes.length === 0 ? 0 : at % (bytes.length + 1));
  switch (m.op) {
    case "flip": {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[m.at % out.length] ^= m.mask;
      return out;
    }
    case "insert":
      return spliceBytes(bytes, pos(m.at), 0, encoder.encode(m.text));
    case "insertBytes":
      return spliceBytes(bytes, pos(m.at), 0, new Uint8Array(m.bytes));
    case "delete": {
      const at = pos(m.at);
      return spliceBytes(bytes, at, Math.min(m.length, bytes.length - at), new Uint8Array());
    }
    case "truncate":
      return bytes.slice(0, pos(m.at));
    case "duplicate": {
      const at = pos(m.at);
      const piece = bytes.slice(at, Math.min(bytes.length, at + m.length));
      return spliceBytes(bytes, at, 0, piece);
    }
    case "numeric": {
      const text = decoder.decode(bytes);
      const runs = [...text.matchAll(/[0-9]+/g)];
      if (runs.length === 0) return bytes;
      const run = runs[m.which % runs.length];
      const at = run.index ?? 0;
      return encoder.encode(text.slice(0, at) + numericEdit(run[0], m.edit) + text.slice(at + run[0].length));
    }
    case "swapLines":
    case "swapColumns": {
      const lines = decoder.decode(bytes).split("\n");
      if (lines.length < 2) return bytes;
      if (m.op === "swapLines") {
        const a = m.a % lines.length;
        const b = m.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
      } else {
        const i = m.line % lines.length;
        const cols = lines[i].split(",");
        const a = m.a % cols.length;
        const b = m.b % cols.length;
        [cols[a], cols[b]] = [cols[b], cols[a]];
        lines[i] = cols.join(",");
      }
      return encoder.encode(lines.join("\n"));
    }
    default:
      return applyStructural(bytes, m, siblings);
  }
}

function applyStructural(bytes: Uint8Array, m: Mutation, siblings: readonly string[]): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch {
    return bytes;
  }
  const root = { value: toModel(parsed) };
  let style = 1;
  switch (m.op) {
    case "swapValues": {
      const all = slots(root).slice(1);
      if (all.length < 2) return bytes;
      const a = all[m.a % all.length];
      const b = all[m.b % all.length];
      const va = clone(a.get());
      const vb = clone(b.get());
      a.set(vb);
      b.set(va);
      break;
    }
    case "reorder": {
      const objects = objectsOf(root);
      const arrays = slots(root).map((s) => s.get()).filter((v): v is Model[] => Array.isArray(v));
      const pick = m.which % (objects.length + arrays.length || 1);
      if (pick < objects.length) shuffle(objects[pick].entries, m.seed);
      else if (arrays.length > 0) shuffle(arrays[pick - objects.length], m.seed);
      break;
    }
    case "deleteKey": {
      const entries = objectsOf(root).flatMap((o) => o.entries.map((_, i) => ({ o, i })));
      if (entries.length === 0) return bytes;
      const { o, i } = entries[m.which % entries.length];
      o.entries.splice(i, 1);
      break;
    }
    case "duplicateKey": {
      const entries = objectsOf(root).flatMap((o) => o.entries.map((_, i) => ({ o, i })));
      if (entries.length === 0) return bytes;
      const { o, i } = entries[m.which % entries.length];
      const value = m.value % 2 === 0 ? clone(o.entries[i][1]) : toModel(VALUES[m.value % VALUES.length]);
      o.entries.splice(i + 1, 0, [o.entries[i][0], value]);
      break;
    }
    case "addKey": {
      const objects = objectsOf(root);
      if (objects.length === 0) return bytes;
      const o = objects[m.which % objects.length];
      o.entries.splice(m.value % (o.entries.length + 1), 0, [
        EXTRA_KEYS[m.key % EXTRA_KEYS.length],
        toModel(VALUES[m.value % VALUES.length]),
      ]);
      break;
    }
    case "replaceValue": {
      const all = slots(root);
      all[m.which % all.length].set(toModel(VALUES[m.value % VALUES.length]));
      break;
    }
    case "upperHex": {
      const hexes = slots(root).filter((s) => {
        const v = s.get();
        return typeof v === "string" && /^[0-9a-f]*[a-f][0-9a-f]*$/.test(v);
      });
      if (hexes.length === 0) return bytes;
      const s = hexes[m.which % hexes.length];
      s.set((s.get() as string).toUpperCase());
      break;
    }
    case "fromSibling": {
      if (siblings.length === 0 || !isObjectModel(root.value)) return bytes;
      const other = toModel(JSON.parse(siblings[m.sibling % siblings.length]));
      if (!isObjectModel(other)) return bytes;
      const entries = root.value.entries;
      if (entries.length === 0) return bytes;
      const entry = entries[m.which % entries.length];
      const theirs = other.entries.find(([k]) => k === entry[0]);
      if (!theirs) return bytes;
      entry[1] = clone(theirs[1]);
      break;
    }
    case "reformat":
      style = m.style;
      break;
    default:
      return bytes;
  }
  return encoder.encode(serialize(root.value, style) + (style % 3 === 0 ? "" : "\n"));
}

// ---------------------------------------------------------------------------------------------
// Canonical forms (independent of the verifier)

const UNPARSEABLE = "<unparseable>";

function stable(value: unknown): string {
  if (typeof value === "bigint") return `"${value}n"`;
  if (Array.isArray(value)) return "[" + value.map(stable).join(",") + "]";
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + stable((value as Record<string, unknown>)[k])).join(",") +
      "}";
  }
  return JSON.stringify(value) ?? "undefined";
}

function lowerHex(v: unknown): unknown {
  return typeof v === "string" && /^[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
}

function amountValue(v: unknown): unknown {
  return typeof v === "string" && /^[0-9]+$/.test(v) ? BigInt(v) : v;
}

function extraKeys(obj: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(obj).filter((k) => !known.includes(k)).sort();
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The meaning of a proof file: its fields decoded (hex case-folded, amounts
 * as integers, unknown fields kept by name).
 *
 * @example
 * ```ts
 * import { proofCanon } from "./fuzz_lib.ts";
 * proofCanon('{"index":1}') === proofCanon('{ "index" : 1.0 }'); // true
 * ```
 */
export function proofCanon(text: string): string {
  const o = parseObject(text);
  if (!o) return UNPARSEABLE;
  const known = ["type", "statement", "account", "salt", "index", "base", "haircut", "path"];
  return stable({
    type: o.type,
    statement: lowerHex(o.statement),
    account: o.account,
    salt: lowerHex(o.salt),
    index: o.index,
    base: amountValue(o.base),
    haircut: amountValue(o.haircut),
    path: Array.isArray(o.path)
      ? o.path.map((n) =>
        n !== null && typeof n === "object" && !Array.isArray(n)
          ? {
            hash: lowerHex(n.hash),
            base: amountValue(n.base),
            haircut: amountValue(n.haircut),
            extra: extraKeys(n, ["hash", "base", "haircut"]),
          }
          : n
      )
      : o.path,
    extra: extraKeys(o, known),
  });
}

function lenientBase64(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return [...atob(v.replace(/\s+/g, ""))].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  } catch {
    return v;
  }
}

/**
 * The meaning of a DSSE envelope: payload type, payload bytes and the set of
 * signature bytes. Keyids are hints the verifier never trusts, so they are
 * left out; duplicated signatures count once.
 *
 * @example
 * ```ts
 * import { envelopeCanon } from "./fuzz_lib.ts";
 * envelopeCanon('{"payloadType":"t","payload":"e30=","signatures":[]}');
 * ```
 */
export function envelopeCanon(text: string): string {
  const o = parseObject(text);
  if (!o) return UNPARSEABLE;
  const sigs = Array.isArray(o.signatures)
    ? [
      ...new Set(
        o.signatures.map((s) =>
          s !== null && typeof s === "object" && !Array.isArray(s)
            ? stable({ sig: lenientBase64(s.sig), extra: extraKeys(s, ["keyid", "sig"]) })
            : stable(s)
        ),
      ),
    ].sort()
    : o.signatures;
  return stable({
    payloadType: o.payloadType,
    payload: lenientBase64(o.payload),
    signatures: sigs,
    extra: extraKeys(o, ["payloadType", "payload", "signatures"]),
  });
}

/**
 * The meaning of `leaves.csv`: its rows split leniently (CR, BOM, blank
 * lines and spaces ignored, hex case-folded, amounts as integers).
 *
 * @example
 * ```ts
 * import { leavesCanon } from "./fuzz_lib.ts";
 * const a = new TextEncoder().encode("account_key,base,haircut\nab,5,1\n");
 * const b = new TextEncoder().encode("\ufeffaccount_key,base,haircut\r\nAB, 5,1\r\n\r\n");
 * leavesCanon(a) === leavesCanon(b); // true
 * ```
 */
export function leavesCanon(bytes: Uint8Array): string {
  const lines = decoder.decode(bytes).replace(/^\ufeff/, "").split(/\r?\n/).map((l) => l.trim()).filter((l) => l);
  return stable(lines.map((line, i) => {
    const cols = line.split(",").map((c) => c.trim());
    return i === 0 ? cols : cols.map((c, j) => (j === 0 ? lowerHex(c) : amountValue(c)));
  }));
}

// ---------------------------------------------------------------------------------------------
// Reference validators (independent of the verifier)

const AMOUNT_RE = /^(0|[1-9][0-9]*)$/;
const LIMIT = 1n << 128n;

function refAmount(v: unknown): bigint | undefined {
  if (typeof v !== "string" || !AMOUNT_RE.test(v)) return undefined;
  const n = BigInt(v);
  return n < LIMIT ? n : undefined;
}

function refText(v: unknown, maxBytes: number): boolean {
  if (typeof v !== "string") return false;
  const size = encoder.encode(v).length;
  // deno-lint-ignore no-control-regex
  return size >= 1 && size <= maxBytes && !/[\u0000-\u001f\u007f]/.test(v);
}

function refTime(v: unknown): boolean {
  if (typeof v !== "string") return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return false;
  if (h > 23 || mi > 59) return false;
  return s < 60 || (s === 60 && h === 23 && mi === 59);
}

function hasExactly(o: unknown, keys: readonly string[]): o is Record<string, unknown> {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return false;
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}

/** RFC 8785 for the values a statement holds: sorted keys, no whitespace. */
function jcs(v: unknown): string {
  if (Array.isArray(v)) return "[" + v.map(jcs).join(",") + "]";
  if (v !== null && typeof v === "object") {
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + jcs((v as Record<string, unknown>)[k]))
      .join(",") +
      "}";
  }
  return JSON.stringify(v);
}

/**
 * Why a statement payload that the verifier accepted is not one it should
 * accept, judged independently: canonical JCS bytes, exact fields, valid
 * values, the arithmetic of SPEC §7, and the fields the fixed leaves bind
 * (root, leaf count, totals, target, rounding) unchanged.
 *
 * @returns `undefined` when the payload is a legitimate statement for these leaves.
 *
 * @example
 * ```ts
 * import { statementProblem } from "./fuzz_lib.ts";
 * statementProblem("{}", "{}"); // "fields"
 * ```
 */
export function statementProblem(text: string, originalText: string): string | undefined {
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (jcs(s) !== text) return "not canonical JCS";
  const top = [
    "type",
    "venue",
    "event",
    "asset",
    "decimals",
    "snapshotTime",
    "policy",
    "deficit",
    "insuranceFund",
    "insuranceUsed",
    "shortfall",
    "target",
    "uncovered",
    "tree",
    "previous",
  ];
  if (!hasExactly(s, top)) return "fields";
  if (s.type !== "socialized-loss/statement/v1") return "type";
  if (!refText(s.venue, 256) || !refText(s.event, 256) || !refText(s.asset, 64)) return "venue/event/asset";
  if (typeof s.decimals !== "number" || !Number.isInteger(s.decimals) || s.decimals < 0 || s.decimals > 38) {
    return "decimals";
  }
  if (!refTime(s.snapshotTime)) return "snapshotTime";
  if (s.previous !== null && !(typeof s.previous === "string" && /^[0-9a-f]{64}$/.test(s.previous))) return "previous";
  const policy = s.policy;
  if (!hasExactly(policy, ["base", "rounding", "cap"])) return "policy fields";
  if (policy.base !== "profit" && policy.base !== "equity") return "policy.base";
  if (policy.rounding !== "largest-remainder" && policy.rounding !== "floor") return "policy.rounding";
  let cap: { num: bigint; den: bigint } | null = null;
  if (policy.cap !== null) {
    if (!hasExactly(policy.cap, ["num", "den"])) return "cap fields";
    const num = refAmount(policy.cap.num);
    const den = refAmount(policy.cap.den);
    if (num === undefined || den === undefined || num === 0n || num > den) return "cap";
    cap = { num, den };
  }
  const tree = s.tree;
  if (!hasExactly(tree, ["root", "leafCount", "totalBase", "totalHaircut"])) return "tree fields";
  const amounts = ["deficit", "insuranceFund", "insuranceUsed", "shortfall", "target", "uncovered"].map((k) =>
    refAmount(s[k])
  );
  const P = refAmount(tree.totalBase);
  const H = refAmount(tree.totalHaircut);
  if (amounts.some((a) => a === undefined) || P === undefined || H === undefined) return "amounts";
  const [deficit, fund, used, shortfall, target, uncovered] = amounts as bigint[];
  if (used !== (deficit < fund ? deficit : fund)) return "insurance not used first";
  if (shortfall !== deficit - used) return "shortfall";
  const limit = cap ? P * cap.num / cap.den : P;
  if (target !== (shortfall < limit ? shortfall : limit)) return "target";
  if (H > shortfall || uncovered !== shortfall - H) return "uncovered";
  // The leaves are fixed, so whatever they determine must not move.
  const original = JSON.parse(originalText);
  if (tree.root !== original.tree.root || tree.leafCount !== original.tree.leafCount) return "tree head";
  if (tree.totalBase !== original.tree.totalBase || tree.totalHaircut !== original.tree.totalHaircut) return "totals";
  if (s.target !== original.target || policy.rounding !== original.policy.rounding) return "allocation";
  return undefined;
}

/**
 * The meaning of a keys file as an independent reader sees it: the set of
 * keys (algorithm, public key, name), the threshold and the required keys
 * (an absent list means none); or why it is invalid.
 *
 * @example
 * ```ts
 * import { keysReference } from "./fuzz_lib.ts";
 * keysReference('{"keys":[],"threshold":1}'); // { problem: "keys" }
 * ```
 */
export function keysReference(text: string): { canon: string } | { problem: string } {
  const o = parseObject(text);
  if (!o || (!hasExactly(o, ["keys", "threshold"]) && !hasExactly(o, ["keys", "threshold", "required"]))) {
    return { problem: "fields" };
  }
  if (!Array.isArray(o.keys) || o.keys.length < 1 || o.keys.length > 64) return { problem: "keys" };
  const out: { algorithm: string; publicKey: string; name?: string }[] = [];
  const keyids: string[] = [];
  for (const k of o.keys) {
    if (
      !hasExactly(k, ["keyid", "algorithm", "publicKey"]) && !hasExactly(k, ["keyid", "algorithm", "publicKey", "name"])
    ) {
      return { problem: "key fields" };
    }
    const pub = k.publicKey;
    if (typeof pub !== "string") return { problem: "publicKey type" };
    if (k.algorithm === "ed25519") {
      if (!/^[0-9a-f]{64}$/.test(pub)) return { problem: "ed25519 publicKey hex" };
      try {
        ed25519.Point.fromHex(pub, false);
      } catch {
        return { problem: "ed25519 point" };
      }
    } else if (k.algorithm === "secp256k1") {
      if (!/^0[23][0-9a-f]{64}$/.test(pub)) return { problem: "secp256k1 publicKey hex" };
      try {
        secp256k1.Point.fromHex(pub).assertValidity();
      } catch {
        return { problem: "secp256k1 point" };
      }
    } else {
      return { problem: "algorithm" };
    }
    const bytes = Uint8Array.from(pub.match(/../g) ?? [], (b) => parseInt(b, 16));
    const keyid = [...sha256(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (k.keyid !== keyid) return { problem: "keyid" };
    keyids.push(keyid);
    if (k.name !== undefined && (typeof k.name !== "string" || k.name.length > 256)) return { problem: "name" };
    out.push(
      k.name === undefined
        ? { algorithm: k.algorithm, publicKey: pub }
        : { algorithm: k.algorithm, publicKey: pub, name: k.name },
    );
  }
  if (new Set(out.map((k) => k.publicKey)).size !== out.length) return { problem: "duplicate keys" };
  const t = o.threshold;
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > out.length) return { problem: "threshold" };
  const required = o.required ?? [];
  if (!Array.isArray(required)) return { problem: "required" };
  if (required.some((id) => typeof id !== "string" || !keyids.includes(id))) return { problem: "required key" };
  if (new Set(required).size !== required.length) return { problem: "required twice" };
  return { canon: stable({ keys: out.sort(byPublicKey), threshold: t, required: [...required].sort() }) };
}

function keysCanon(keys: KeysFile): string {
  return stable({
    keys: keys.keys.map((k) => {
      const pub = [...k.publicKey].map((b) => b.toString(16).padStart(2, "0")).join("");
      return k.name === undefined
        ? { algorithm: k.algorithm, publicKey: pub }
        : { algorithm: k.algorithm, publicKey: pub, name: k.name };
    }).sort(byPublicKey),
    threshold: keys.threshold,
    required: [...(keys.required ?? [])].sort(),
  });
}

/** Key order in a keys file carries no meaning. */
function byPublicKey(a: { publicKey: string }, b: { publicKey: string }): number {
  return a.publicKey < b.publicKey ? -1 : a.publicKey > b.publicKey ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Targets and the oracle

/**
 * The fuzz targets.
 *
 * @example
 * ```ts
 * import { TARGETS } from "./fuzz_lib.ts";
 * TARGETS.includes("proof"); // true
 * ```
 */
export const TARGETS = ["leaves", "envelope", "proof", "statement", "keys"] as const;

/**
 * Differential targets, run by `deno task fuzz` only (each case starts worker
 * threads, so they are slow): `parallel` mutates `leaves.csv` like `leaves`
 * and checks that the parallel pass (2 workers, tiny batches) reports
 * exactly what the serial reference does.
 *
 * @example
 * ```ts
 * import { DIFFERENTIAL_TARGETS } from "./fuzz_lib.ts";
 * DIFFERENTIAL_TARGETS; // ["parallel"]
 * ```
 */
export const DIFFERENTIAL_TARGETS = ["parallel"] as const;

/** One of {@linkcode TARGETS} or {@linkcode DIFFERENTIAL_TARGETS}. */
export type Target = typeof TARGETS[number] | typeof DIFFERENTIAL_TARGETS[number];

/**
 * How an accepted input differs from the original: not at all (the mutation
 * was a no-op), only harmlessly (same canonical form), or in meaning where a
 * new meaning is legitimate (a re-signed statement, an edited keys file) and
 * an independent reference validator agrees it is valid.
 *
 * @example
 * ```ts
 * import type { Change } from "./fuzz_lib.ts";
 * const c: Change = "harmless";
 * ```
 */
export type Change = "none" | "harmless" | "legitimate";

/**
 * What one mutated input did.
 *
 * @example
 * ```ts
 * import type { Outcome } from "./fuzz_lib.ts";
 * const o: Outcome = { kind: "rejected" };
 * ```
 */
export type Outcome =
  | { kind: "rejected" }
  | { kind: "accepted"; change: Change }
  | { kind: "crash"; detail: string }
  | { kind: "false-accept"; detail: string }
  | { kind: "divergence"; detail: string };

/**
 * One fuzz case: the target, the mutations, which proof (for `proof`) and the
 * chunk size the leaves are streamed in (for `leaves`).
 *
 * @example
 * ```ts
 * import type { FuzzCase } from "./fuzz_lib.ts";
 * const c: FuzzCase = { mutations: [{ op: "truncate", at: 3 }], pick: 0, chunk: 7 };
 * ```
 */
export interface FuzzCase {
  /** The mutations, applied in order. */
  mutations: Mutation[];
  /** Which proof (or sibling) to start from. */
  pick: number;
  /** The leaves are streamed in chunks of this many bytes. */
  chunk: number;
}

/**
 * Arbitrary fuzz cases for a target.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { fuzzCaseArb } from "./fuzz_lib.ts";
 * fc.sample(fuzzCaseArb("proof"), { numRuns: 2, seed: 7 }).length; // 2
 * ```
 */
export function fuzzCaseArb(target: Target): fc.Arbitrary<FuzzCase> {
  return fc.record({
    mutations: mutationsArb(target === "leaves" || target === "parallel" ? "csv" : "json"),
    pick: fc.nat(),
    chunk: fc.integer({ min: 1, max: 400 }),
  });
}

const CODES: ReadonlySet<string> = new Set<string>(ERROR_CODES);

/** Why a report is not well formed, or `undefined`. */
function reportProblem(r: { ok: unknown; errors: unknown; errorCount: unknown }): string | undefined {
  if (typeof r.ok !== "boolean") return "ok is not a boolean";
  if (!Array.isArray(r.errors) || typeof r.errorCount !== "number") return "errors is not a list";
  if (r.ok !== (r.errorCount === 0) || r.errors.length > r.errorCount) return "ok disagrees with the errors";
  if (!r.ok && r.errors.length === 0) return "not ok but no error listed";
  for (const e of r.errors as { code: ErrorCode; message: unknown }[]) {
    if (!CODES.has(e.code)) return `unknown code ${e.code}`;
    if (typeof e.message !== "string" || e.message.length === 0 || e.message.includes("\n")) {
      return `bad message for ${e.code}`;
    }
  }
  return undefined;
}

async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
}

/**
 * Runs one fuzz case against a target and judges it.
 *
 * @example
 * ```ts
 * import { loadCorpus, runCase } from "./fuzz_lib.ts";
 * const corpus = await loadCorpus();
 * (await runCase(corpus, "proof", { mutations: [{ op: "flip", at: 40, mask: 1 }], pick: 0, chunk: 64 })).kind;
 * ```
 */
export async function runCase(corpus: FuzzCorpus, target: Target, c: FuzzCase): Promise<Outcome> {
  try {
    return await judge(corpus, target, c);
  } catch (e) {
    if (e instanceof FormatError || e instanceof InputError) return { kind: "rejected" };
    return { kind: "crash", detail: describe(e) };
  }
}

async function judge(corpus: FuzzCorpus, target: Target, c: FuzzCase): Promise<Outcome> {
  switch (target) {
    case "leaves": {
      const leaves = applyMutations(corpus.leaves, c.mutations, []);
      const report = await verifyPublication(
        { envelope: corpus.envelope, leaves: chunked(leaves, c.chunk) },
        corpus.keys,
      );
      const problem = reportProblem(report);
      if (problem) return { kind: "crash", detail: `malformed report: ${problem}` };
      if (!report.ok) return { kind: "rejected" };
      const changed = leavesCanon(leaves) !== leavesCanon(corpus.leaves);
      return changed
        ? { kind: "false-accept", detail: `leaves.csv accepted with different rows:\n${decoder.decode(leaves)}` }
        : { kind: "accepted", change: equalBytes(leaves, corpus.leaves) ? "none" : "harmless" };
    }
    case "parallel": {
      const leaves = applyMutations(corpus.leaves, c.mutations, []);
      const serial = await verifyPublication({ envelope: corpus.envelope, leaves }, corpus.keys);
      const parallel = await verifyPublication(
        { envelope: corpus.envelope, leaves: chunked(leaves, c.chunk) },
        corpus.keys,
        { workers: 2, batchSize: 2 ** (c.pick % 4) },
      );
      const problem = reportProblem(parallel);
      if (problem) return { kind: "crash", detail: `malformed parallel report: ${problem}` };
      const view = (r: typeof serial): string =>
        stable({ ok: r.ok, errors: r.errors, errorCount: r.errorCount, summary: r.summary, checks: r.checks });
      if (view(serial) !== view(parallel)) {
        return {
          kind: "divergence",
          detail: `the parallel pass disagrees with the serial reference:\nserial   ${view(serial)}\nparallel ${
            view(parallel)
          }\nleaves.csv:\n${decoder.decode(leaves)}`,
        };
      }
      if (!parallel.ok) return { kind: "rejected" };
      return leavesCanon(leaves) !== leavesCanon(corpus.leaves)
        ? { kind: "false-accept", detail: `leaves.csv accepted with different rows:\n${decoder.decode(leaves)}` }
        : { kind: "accepted", change: equalBytes(leaves, corpus.leaves) ? "none" : "harmless" };
    }
    case "envelope": {
      const envelope = decoder.decode(applyMutations(encoder.encode(corpus.envelope), c.mutations, []));
      const report = await verifyPublication({ envelope, leaves: corpus.leaves }, corpus.keys);
      const problem = reportProblem(report);
      if (problem) return { kind: "crash", detail: `malformed report: ${problem}` };
      if (!report.ok) return { kind: "rejected" };
      return envelopeCanon(envelope) !== envelopeCanon(corpus.envelope)
        ? { kind: "false-accept", detail: `envelope accepted with a different meaning:\n${envelope}` }
        : { kind: "accepted", change: envelope === corpus.envelope ? "none" : "harmless" };
    }
    case "proof": {
      const original = corpus.proofs[c.pick % corpus.proofs.length];
      const proof = decoder.decode(applyMutations(encoder.encode(original), c.mutations, corpus.proofs));
      const report = verifyProof({ proof, envelope: corpus.envelope }, corpus.keys);
      const problem = reportProblem(report);
      if (problem) return { kind: "crash", detail: `malformed report: ${problem}` };
      if (!report.ok) return { kind: "rejected" };
      return proofCanon(proof) !== proofCanon(original)
        ? { kind: "false-accept", detail: `proof accepted with a different meaning:\n${proof}` }
        : { kind: "accepted", change: proof === original ? "none" : "harmless" };
    }
    case "statement": {
      // Re-signed by the trusted keys, so the statement checks themselves are what is fuzzed.
      const payload = applyMutations(encoder.encode(corpus.payload), c.mutations, []);
      const envelope = envelopeToJson(signEnvelope(payload, corpus.signers));
      const report = await verifyPublication({ envelope, leaves: corpus.leaves }, corpus.keys);
      const problem = reportProblem(report);
      if (problem) return { kind: "crash", detail: `malformed report: ${problem}` };
      if (!report.ok) return { kind: "rejected" };
      const text = decoder.decode(payload);
      if (text === corpus.payload) return { kind: "accepted", change: "none" };
      const why = equalBytes(encoder.encode(text), payload) ? statementProblem(text, corpus.payload) : "not UTF-8";
      return why
        ? { kind: "false-accept", detail: `statement accepted although ${why}:\n${text}` }
        : { kind: "accepted", change: "legitimate" };
    }
    case "keys": {
      const text = decoder.decode(applyMutations(encoder.encode(corpus.keysText), c.mutations, []));
      const keys = parseKeysFile(text); // throws InputError when invalid
      const ref = keysReference(text);
      if ("problem" in ref) {
        return { kind: "false-accept", detail: `keys file accepted although ${ref.problem}:\n${text}` };
      }
      if (ref.canon !== keysCanon(keys)) {
        return { kind: "false-accept", detail: `keys file read differently from its text:\n${text}` };
      }
      // A usable keys file must also drive a verification to a well-formed verdict.
      const report = verifyProof(
        { proof: corpus.proofs[c.pick % corpus.proofs.length], envelope: corpus.envelope },
        keys,
      );
      const problem = reportProblem(report);
      if (problem) return { kind: "crash", detail: `malformed report: ${problem}` };
      const change: Change = text === corpus.keysText
        ? "none"
        : ref.canon === keysCanon(corpus.keys)
        ? "harmless"
        : "legitimate";
      return { kind: "accepted", change };
    }
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Tallies of a fuzz run.
 *
 * @example
 * ```ts
 * import type { FuzzStats } from "./fuzz_lib.ts";
 * declare const s: FuzzStats;
 * s.crashes + s.falseAccepts === 0; // a clean run
 * ```
 */
export interface FuzzStats {
  /** Mutated inputs run. */
  runs: number;
  /** Rejected with a structured result or input error. */
  rejected: number;
  /** Accepted because the mutations happened to leave the input unchanged. */
  unchanged: number;
  /** Accepted with changed bytes but the same canonical form (whitespace, key order, escapes). */
  harmless: number;
  /** Accepted with a new meaning that the reference validator confirms is valid (statement, keys). */
  legitimate: number;
  /** Unstructured exceptions or malformed reports. */
  crashes: number;
  /** Semantically changed inputs reported valid. */
  falseAccepts: number;
  /** Differential targets: the parallel and serial passes disagreed. */
  divergences: number;
  /** The slowest single case, in milliseconds. */
  slowestMs: number;
  /** The first few failures, for the report. */
  failures: { target: Target; outcome: Outcome; fuzzCase: FuzzCase }[];
}

/**
 * An empty tally.
 *
 * @example
 * ```ts
 * import { emptyStats } from "./fuzz_lib.ts";
 * emptyStats().runs; // 0
 * ```
 */
export function emptyStats(): FuzzStats {
  return {
    runs: 0,
    rejected: 0,
    unchanged: 0,
    harmless: 0,
    legitimate: 0,
    crashes: 0,
    falseAccepts: 0,
    divergences: 0,
    slowestMs: 0,
    failures: [],
  };
}

/**
 * Adds one outcome to a tally.
 *
 * @example
 * ```ts
 * import { emptyStats, record } from "./fuzz_lib.ts";
 * const s = emptyStats();
 * record(s, "proof", { mutations: [], pick: 0, chunk: 1 }, { kind: "rejected" }, 1);
 * s.rejected; // 1
 * ```
 */
export function record(stats: FuzzStats, target: Target, fuzzCase: FuzzCase, outcome: Outcome, ms: number): void {
  stats.runs++;
  stats.slowestMs = Math.max(stats.slowestMs, ms);
  if (outcome.kind === "rejected") stats.rejected++;
  else if (outcome.kind === "accepted") stats[outcome.change === "none" ? "unchanged" : outcome.change]++;
  else {
    if (outcome.kind === "crash") stats.crashes++;
    else if (outcome.kind === "divergence") stats.divergences++;
    else stats.falseAccepts++;
    if (stats.failures.length < 10) stats.failures.push({ target, outcome, fuzzCase });
  }
}

/**
 * Runs `runs` fast-check cases against one target with a fixed seed and
 * tallies them. With `failFast`, the first crash or false accept makes
 * fast-check shrink it and throw, with the seed in the message.
 *
 * @example
 * ```ts
 * import { fuzzTarget, loadCorpus } from "./fuzz_lib.ts";
 * const stats = await fuzzTarget(await loadCorpus(), "proof", { runs: 10, seed: 42 });
 * stats.crashes; // 0
 * ```
 */
export async function fuzzTarget(
  corpus: FuzzCorpus,
  target: Target,
  options: { runs: number; seed: number; failFast?: boolean },
): Promise<FuzzStats> {
  const stats = emptyStats();
  const property = fc.asyncProperty(fuzzCaseArb(target), async (c) => {
    const start = performance.now();
    const outcome = await runCase(corpus, target, c);
    record(stats, target, c, outcome, performance.now() - start);
    if (
      options.failFast && (outcome.kind === "crash" || outcome.kind === "false-accept" || outcome.kind === "divergence")
    ) {
      throw new Error(`${outcome.kind}: ${outcome.detail}`);
    }
  });
  try {
    await fc.assert(property, { seed: options.seed, numRuns: options.runs, endOnFailure: !options.failFast });
  } catch (e) {
    throw new Error(
      `fuzz target "${target}" failed with seed ${options.seed} ` +
        `(rerun: FUZZ_SEED=${options.seed} deno task fuzz --target ${target}):\n${(e as Error).message}` +
        ((e as Error).cause instanceof Error ? `\n${((e as Error).cause as Error).message}` : ""),
    );
  }
  return stats;
}
