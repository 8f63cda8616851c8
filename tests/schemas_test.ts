/**
 * The JSON Schemas in schemas/: they compile under the 2020-12 meta-schema in
 * ajv's strict mode, every fixture (and the golden vectors) validates, the
 * negative cases are rejected, and the schemas agree with the parsers in src/
 * wherever JSON Schema can express the rule.
 */

import assert from "node:assert/strict";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parseEnvelope } from "../src/format/dsse.ts";
import { parseKeysFile, parseSigningKey, signingKeyFromSecret } from "../src/format/keys.ts";
import { buildPublication } from "../src/publish/build.ts";
import { parseEventFile } from "../src/publish/event.ts";
import { statementFromJson } from "../src/format/statement.ts";
import { parseDeficitProof, parseProof } from "../src/format/proof.ts";
import { parseLogPolicy } from "../src/tlog/policy.ts";
import { cosignatureSigner } from "../src/tlog/cosignature.ts";
import { ed25519NoteSigner } from "../src/tlog/note.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObj = { [key: string]: Json };
type Kind = "statement" | "envelope" | "keys" | "key" | "proof" | "event" | "log-policy" | "deficit-proof";

const KINDS: readonly Kind[] = [
  "statement",
  "envelope",
  "keys",
  "key",
  "proof",
  "event",
  "log-policy",
  "deficit-proof",
];
const META = "https://json-schema.org/draft/2020-12/schema";
const SCHEMA_DIR = new URL("../schemas/", import.meta.url);
const FIXTURES = new URL("../fixtures/", import.meta.url);
const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const PAYLOAD_TYPE = "application/vnd.socialized-loss.statement.v1+json";

function readJson(url: URL): Json {
  return JSON.parse(Deno.readTextFileSync(url)) as Json;
}

function loadSchema(kind: Kind): JsonObj {
  return readJson(new URL(`${kind}.schema.json`, SCHEMA_DIR)) as JsonObj;
}

function newAjv(): Ajv2020 {
  // strict: true turns on strictSchema, strictNumbers, strictTypes, strictTuples and strictRequired as errors.
  return new Ajv2020({ strict: true, allErrors: true });
}

const ajv = newAjv();
const validators = new Map<Kind, ValidateFunction>();
for (const kind of KINDS) validators.set(kind, ajv.compile(loadSchema(kind)));

function validate(kind: Kind, value: Json): { ok: boolean; errors: string } {
  const v = validators.get(kind)!;
  const ok = v(value) as boolean;
  return { ok, errors: ok ? "" : ajv.errorsText(v.errors) };
}

function assertValid(kind: Kind, value: Json, where: string): void {
  const r = validate(kind, value);
  assert.ok(r.ok, `${where} should be a valid ${kind}: ${r.errors}`);
}

function assertInvalid(kind: Kind, value: Json, where: string): void {
  assert.equal(validate(kind, value).ok, false, `${where} should be rejected by ${kind}.schema.json`);
}

function decodePayload(envelope: Json): Json {
  const payload = (envelope as JsonObj).payload as string;
  const binary = atob(payload);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as Json;
}

function encodePayload(statement: Json): string {
  const bytes = new TextEncoder().encode(JSON.stringify(statement));
  return btoa(String.fromCharCode(...bytes));
}

/** A deep copy of `value` with the field at `path` set to `v`. */
function withSet(value: Json, path: (string | number)[], v: Json): Json {
  const copy = structuredClone(value);
  let node = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  node[path[path.length - 1]] = v;
  return copy;
}

/** A deep copy of `value` without the field at `path`. */
function without(value: Json, path: string[]): Json {
  const copy = structuredClone(value);
  let node = copy as JsonObj;
  for (const k of path.slice(0, -1)) node = node[k] as JsonObj;
  delete node[path[path.length - 1]];
  return copy;
}

// ---------------------------------------------------------------------------
// Fixture discovery: walk fixtures/ so new scenarios are covered automatically.

interface FixtureFile {
  kind: Kind;
  url: URL;
  label: string;
}

function classify(name: string, parent: string): Kind | "envelope+statement" | undefined {
  if (name === "statement.dsse.json") return "envelope+statement";
  if (name === "statement.json") return "statement";
  if (name === "keys.json") return "keys";
  if (name === "event.json") return "event";
  if (name.endsWith(".key.json")) return "key";
  if (parent === "proofs" && name.startsWith("deficit-") && name.endsWith(".json")) return "deficit-proof";
  if (parent === "proofs" && name.endsWith(".json")) return "proof";
  return undefined;
}

function walk(dir: URL, rel: string, out: FixtureFile[]): void {
  const entries = [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    // The tamper corpus is invalid on purpose; only its untouched base publication must validate.
    if (rel === "tampered/" && e.name !== "base" && e.name !== "base-v1.1") continue;
    const url = new URL(e.isDirectory ? `${e.name}/` : e.name, dir);
    const label = `fixtures/${rel}${e.name}`;
    if (e.isDirectory) {
      walk(url, `${rel}${e.name}/`, out);
      continue;
    }
    if (!e.isFile) continue;
    const parent = rel.split("/").filter((s) => s).pop() ?? "";
    const kind = classify(e.name, parent);
    if (kind === "envelope+statement") {
      out.push({ kind: "envelope", url, label });
      out.push({ kind: "statement", url, label: `${label} (decoded payload)` });
    } else if (kind) {
      out.push({ kind, url, label });
    }
  }
}

function fixtureFiles(): FixtureFile[] {
  const out: FixtureFile[] = [];
  walk(FIXTURES, "", out);
  return out;
}

function loadFixture(f: FixtureFile): Json {
  const value = readJson(f.url);
  return f.kind === "statement" && f.url.pathname.endsWith("statement.dsse.json") ? decodePayload(value) : value;
}

function exists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}

// Valid bases for the negative cases, from fixtures/example.
const EXAMPLE = new URL("example/", FIXTURES);
const ENVELOPE = readJson(new URL("statement.dsse.json", EXAMPLE));
const STATEMENT = decodePayload(ENVELOPE);
const KEYS = readJson(new URL("keys.json", EXAMPLE));
const EVENT = readJson(new URL("input/event.json", EXAMPLE));
const ED_KEY = readJson(new URL("input/venue.key.json", EXAMPLE));
const SECP_KEY = readJson(new URL("input/auditor.key.json", EXAMPLE));
const PROOF = readJson(
  new URL(`proofs/${[...Deno.readDirSync(new URL("proofs/", EXAMPLE))].map((e) => e.name).sort()[0]}`, EXAMPLE),
);

const HEX64 = "ab".repeat(32);
const SIGNER = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1));
const AMOUNT_39 = "340282366920938463463374607431768211455"; // 2^128 - 1

// ---------------------------------------------------------------------------
// The schemas themselves.

Deno.test("every schema declares draft 2020-12, a .invalid $id, a title and a description", () => {
  for (const kind of KINDS) {
    const s = loadSchema(kind);
    assert.equal(s.$schema, META, kind);
    assert.equal(s.$id, `https://haircut.invalid/schemas/v1/${kind}.schema.json`, kind);
    assert.equal(new URL(s.$id as string).hostname.endsWith(".invalid"), true, kind);
    assert.equal(typeof s.title, "string", kind);
    assert.ok((s.description as string).length > 40, `${kind} needs a description`);
  }
});

Deno.test("every schema is valid under the 2020-12 meta-schema and compiles in strict mode", () => {
  for (const kind of KINDS) {
    const fresh = newAjv();
    const schema = loadSchema(kind);
    assert.equal(fresh.validateSchema(schema), true, `${kind}: ${fresh.errorsText(fresh.errors)}`);
    assert.doesNotThrow(() => fresh.compile(schema), kind);
  }
  // Strict mode really is on: an unknown keyword is refused.
  assert.throws(() => newAjv().compile({ $schema: META, type: "string", maxlength: 3 }), /unknown keyword/);
});

Deno.test("every object in every schema forbids additional properties", () => {
  function check(node: Json, where: string): void {
    if (Array.isArray(node)) {
      node.forEach((n, i) => check(n, `${where}[${i}]`));
      return;
    }
    if (node === null || typeof node !== "object") return;
    if (node.type === "object") assert.equal(node.additionalProperties, false, `${where} allows extra fields`);
    for (const [k, v] of Object.entries(node)) check(v, `${where}/${k}`);
  }
  for (const kind of KINDS) check(loadSchema(kind), kind);
});

// ---------------------------------------------------------------------------
// Fixtures and golden vectors.

Deno.test("every fixture under fixtures/ validates against its schema", async (t) => {
  const files = fixtureFiles();
  const count = (kind: Kind): number =>
    files.filter((f) => f.kind === kind && f.label.startsWith("fixtures/example/")).length;
  // fixtures/example has all six kinds: make sure the walk found them.
  assert.equal(count("envelope"), 1);
  assert.equal(count("statement"), 1);
  assert.equal(count("keys"), 1);
  assert.equal(count("event"), 1);
  assert.equal(count("key"), 2);
  assert.equal(count("proof"), 8);
  for (const f of files) {
    await t.step(`${f.kind}: ${f.label}`, () => assertValid(f.kind, loadFixture(f), f.label));
  }
});

Deno.test({
  name: "the golden vectors in fixtures/golden validate",
  ignore: !exists(GOLDEN),
  fn() {
    const envelope = readJson(new URL("statement.dsse.json", GOLDEN));
    assertValid("envelope", envelope, "golden statement.dsse.json");
    assertValid("statement", decodePayload(envelope), "golden statement.dsse.json payload");
    assertValid("statement", readJson(new URL("statement.json", GOLDEN)), "golden statement.json");
    assertValid("keys", readJson(new URL("keys.json", GOLDEN)), "golden keys.json");
    const proofs = readJson(new URL("proofs.json", GOLDEN)) as JsonObj;
    assert.deepEqual(Object.keys(proofs).sort(), ["alice", "bob", "carol", "dave", "erin"]);
    for (const [account, proof] of Object.entries(proofs)) assertValid("proof", proof, `golden proofs.json ${account}`);
  },
});

// ---------------------------------------------------------------------------
// Negative and edge cases. Each one is also run through the project's own
// parser: a case the schema rejects must be rejected by haircut too, and an
// edge case the schema accepts must be accepted, so the two cannot drift.

interface Case {
  name: string;
  value: Json;
  /** The project's parser disagrees on purpose (a rule JSON Schema cannot express, or a later check). */
  parserSkip?: boolean;
}

function parseWith(kind: Kind, value: Json): void {
  const text = JSON.stringify(value);
  switch (kind) {
    case "statement":
      statementFromJson(JSON.parse(text));
      return;
    case "envelope": {
      const env = parseEnvelope(text);
      if (env.payloadType !== PAYLOAD_TYPE) throw new Error("PAYLOAD_TYPE");
      return;
    }
    case "keys":
      parseKeysFile(text);
      return;
    case "key":
      parseSigningKey(text);
      return;
    case "proof":
      parseProof(text);
      return;
    case "deficit-proof":
      parseDeficitProof(text);
      return;
    case "event":
      // parseEventFile checks the shape; publish's round trip through the statement validator checks the rest.
      buildPublication({ accounts: [{ account: "a", base: 1n }], event: parseEventFile(text) }, [SIGNER]);
      return;
  }
}

function checkRejected(kind: Kind, cases: Case[]): void {
  for (const c of cases) {
    assertInvalid(kind, c.value, c.name);
    if (!c.parserSkip) assert.throws(() => parseWith(kind, c.value), `haircut should also reject ${kind}: ${c.name}`);
  }
}

function checkAccepted(kind: Kind, cases: Case[]): void {
  for (const c of cases) {
    assertValid(kind, c.value, c.name);
    if (!c.parserSkip) assert.doesNotThrow(() => parseWith(kind, c.value), `haircut should accept ${kind}: ${c.name}`);
  }
}

Deno.test("statement schema rejects malformed statements", () => {
  const s = STATEMENT;
  checkRejected("statement", [
    { name: "an extra top-level field", value: withSet(s, ["extra"], 1) },
    { name: "an extra field in policy", value: withSet(s, ["policy", "extra"], null) },
    { name: "an extra field in tree", value: withSet(s, ["tree", "extra"], "0") },
    { name: "an extra field in cap", value: withSet(s, ["policy", "cap"], { num: "1", den: "2", extra: "3" }) },
    { name: "an uppercase root", value: withSet(s, ["tree", "root"], HEX64.toUpperCase()) },
    { name: "a 62-digit root", value: withSet(s, ["tree", "root"], HEX64.slice(2)) },
    { name: "an uppercase previous", value: withSet(s, ["previous"], HEX64.toUpperCase()) },
    { name: "a 63-digit previous", value: withSet(s, ["previous"], HEX64.slice(1)) },
    { name: 'the amount "01"', value: withSet(s, ["deficit"], "01") },
    { name: 'the amount "-1"', value: withSet(s, ["insuranceFund"], "-1") },
    { name: 'the amount "1e3"', value: withSet(s, ["target"], "1e3") },
    { name: 'the amount "1.0"', value: withSet(s, ["shortfall"], "1.0") },
    { name: "an empty amount", value: withSet(s, ["uncovered"], "") },
    { name: "a 40-digit amount", value: withSet(s, ["tree", "totalBase"], "1" + "0".repeat(39)) },
    { name: "a number amount", value: withSet(s, ["deficit"], 2500000) },
    { name: "a number totalHaircut", value: withSet(s, ["tree", "totalHaircut"], 1300000) },
    { name: "a missing field", value: without(s, ["target"]) },
    { name: "a missing previous", value: without(s, ["previous"]) },
    { name: "a missing tree.leafCount", value: without(s, ["tree", "leafCount"]) },
    { name: "a missing policy.cap", value: without(s, ["policy", "cap"]) },
    { name: "a wrong type", value: withSet(s, ["type"], "socialized-loss/statement/v2") },
    { name: "decimals 39", value: withSet(s, ["decimals"], 39) },
    { name: "decimals -1", value: withSet(s, ["decimals"], -1) },
    { name: "decimals 2.5", value: withSet(s, ["decimals"], 2.5) },
    { name: 'decimals "2"', value: withSet(s, ["decimals"], "2") },
    { name: "leafCount 0", value: withSet(s, ["tree", "leafCount"], 0) },
    { name: "leafCount 2^32 + 1", value: withSet(s, ["tree", "leafCount"], 2 ** 32 + 1) },
    { name: "an unknown policy.base", value: withSet(s, ["policy", "base"], "loss") },
    { name: "an unknown policy.rounding", value: withSet(s, ["policy", "rounding"], "round-half-even") },
    { name: "a cap with num 0", value: withSet(s, ["policy", "cap"], { num: "0", den: "2" }) },
    { name: "a cap with a number num", value: withSet(s, ["policy", "cap"], { num: 1, den: "2" }) },
    { name: "a cap missing den", value: withSet(s, ["policy", "cap"], { num: "1" }) },
    { name: "a time with an offset", value: withSet(s, ["snapshotTime"], "2026-11-03T08:00:00+00:00") },
    { name: "a time with a lowercase z", value: withSet(s, ["snapshotTime"], "2026-11-03T08:00:00z") },
    { name: "a time without seconds", value: withSet(s, ["snapshotTime"], "2026-11-03T08:00Z") },
    { name: "a time with 10 fraction digits", value: withSet(s, ["snapshotTime"], "2026-11-03T08:00:00.0123456789Z") },
    { name: "month 13", value: withSet(s, ["snapshotTime"], "2026-13-03T08:00:00Z") },
    { name: "31 April", value: withSet(s, ["snapshotTime"], "2026-04-31T08:00:00Z") },
    { name: "30 February", value: withSet(s, ["snapshotTime"], "2026-02-30T08:00:00Z") },
    { name: "hour 24", value: withSet(s, ["snapshotTime"], "2026-11-03T24:00:00Z") },
    { name: "a leap second not at 23:59", value: withSet(s, ["snapshotTime"], "2026-11-03T08:00:60Z") },
    { name: "an empty venue", value: withSet(s, ["venue"], "") },
    { name: "a venue of 257 characters", value: withSet(s, ["venue"], "v".repeat(257)) },
    { name: "a control character in event", value: withSet(s, ["event"], "a\nb") },
    { name: "DEL in asset", value: withSet(s, ["asset"], "US\u007fDT") },
    { name: "an asset of 65 characters", value: withSet(s, ["asset"], "A".repeat(65)) },
    { name: "a non-object", value: [s] },
  ]);
});

Deno.test("statement schema accepts the edge cases the verifier accepts", () => {
  const s = STATEMENT;
  checkAccepted("statement", [
    { name: "a previous digest", value: withSet(s, ["previous"], HEX64) },
    { name: "the largest amount, 2^128 - 1", value: withSet(s, ["insuranceFund"], AMOUNT_39) },
    { name: "leafCount 2^32", value: withSet(s, ["tree", "leafCount"], 2 ** 32) },
    { name: "decimals 0", value: withSet(s, ["decimals"], 0) },
    { name: "decimals 38", value: withSet(s, ["decimals"], 38) },
    { name: "a leap second", value: withSet(s, ["snapshotTime"], "2016-12-31T23:59:60Z") },
    { name: "nanoseconds", value: withSet(s, ["snapshotTime"], "2026-11-03T08:00:00.123456789Z") },
    { name: "29 February in a leap year", value: withSet(s, ["snapshotTime"], "2028-02-29T00:00:00Z") },
    { name: "31 December", value: withSet(s, ["snapshotTime"], "2026-12-31T00:00:00Z") },
    { name: "non-ASCII text", value: withSet(s, ["venue"], "Börse Ü 取引所") },
    {
      name: "a cap",
      value: withSet(withSet(s, ["policy", "cap"], { num: "2", den: "5" }), ["policy", "base"], "equity"),
    },
    { name: "floor rounding", value: withSet(s, ["policy", "rounding"], "floor") },
  ]);
});

Deno.test("statement schema documents the rules it cannot express (the verifier enforces them)", () => {
  const s = STATEMENT;
  const limits: Case[] = [
    { name: "an amount of 2^128", value: withSet(s, ["deficit"], "340282366920938463463374607431768211456") },
    { name: "29 February in a common year", value: withSet(s, ["snapshotTime"], "2026-02-29T08:00:00Z") },
    { name: "cap num > den", value: withSet(s, ["policy", "cap"], { num: "3", den: "2" }) },
    { name: "a venue of 256 characters but 512 bytes", value: withSet(s, ["venue"], "é".repeat(256)) },
  ];
  const description = loadSchema("statement").description as string;
  for (const phrase of ["2^128", "calendar", "num <= den", "UTF-8 bytes", "RFC 8785", "insuranceUsed = min"]) {
    assert.ok(description.includes(phrase), `statement.schema.json description should mention ${phrase}`);
  }
  for (const c of limits) {
    assertValid("statement", c.value, c.name);
    assert.throws(() => parseWith("statement", c.value), `the verifier must reject ${c.name}`);
  }
});

Deno.test("envelope schema rejects malformed envelopes", () => {
  const e = ENVELOPE;
  const sig = (e as JsonObj).signatures as JsonObj[];
  checkRejected("envelope", [
    { name: "an extra field", value: withSet(e, ["extra"], "x") },
    { name: "an extra field in a signature", value: withSet(e, ["signatures", 0, "extra"], "x") },
    { name: "a missing field", value: without(e, ["signatures"]) },
    { name: "a missing payload", value: without(e, ["payload"]) },
    { name: "a signature missing sig", value: withSet(e, ["signatures", 0], { keyid: sig[0].keyid }) },
    { name: "a signature missing keyid", value: withSet(e, ["signatures", 0], { sig: sig[0].sig }) },
    {
      name: "another payloadType",
      value: withSet(e, ["payloadType"], "application/vnd.in-toto+json"),
    },
    { name: "unpadded base64 payload", value: withSet(e, ["payload"], "e30") },
    { name: "non-canonical base64 payload (padding bits set)", value: withSet(e, ["payload"], "e31=") },
    { name: "URL-safe base64 payload", value: withSet(e, ["payload"], "e30_e30_") },
    { name: "a number payload", value: withSet(e, ["payload"], 1) },
    { name: "non-canonical base64 sig", value: withSet(e, ["signatures", 0, "sig"], "AB==") },
    { name: "a number sig", value: withSet(e, ["signatures", 0, "sig"], 0) },
    { name: "a keyid of 129 characters", value: withSet(e, ["signatures", 0, "keyid"], "a".repeat(129)) },
    { name: "17 signatures", value: withSet(e, ["signatures"], Array(17).fill(sig[0])) },
    { name: "signatures as an object", value: withSet(e, ["signatures"], sig[0]) },
  ]);
  checkAccepted("envelope", [
    { name: "no signatures (fails the threshold later, not the shape)", value: withSet(e, ["signatures"], []) },
    { name: "16 signatures", value: withSet(e, ["signatures"], Array(16).fill(sig[0])) },
    { name: "an unknown keyid", value: withSet(e, ["signatures", 0, "keyid"], "auditor-2") },
  ]);
  // The decoded payload is a statement: a payload that decodes to an invalid statement is caught there.
  const bad = withSet(e, ["payload"], encodePayload(withSet(STATEMENT, ["deficit"], "01")));
  assertValid("envelope", bad, "an envelope around a bad statement");
  assertInvalid("statement", decodePayload(bad), "its decoded payload");
});

Deno.test("keys schema rejects malformed keys files", () => {
  const k = KEYS;
  const keys = (k as JsonObj).keys as JsonObj[];
  const ed = keys.find((x) => x.algorithm === "ed25519")!;
  const secp = keys.find((x) => x.algorithm === "secp256k1")!;
  checkRejected("keys", [
    { name: "an extra field", value: withSet(k, ["extra"], 1) },
    { name: "an extra field in a key", value: withSet(k, ["keys", 0, "extra"], 1) },
    { name: "an uppercase keyid", value: withSet(k, ["keys", 0, "keyid"], (keys[0].keyid as string).toUpperCase()) },
    {
      name: "an uppercase publicKey",
      value: withSet(k, ["keys", 0, "publicKey"], (keys[0].publicKey as string).toUpperCase()),
    },
    { name: "a missing field", value: without(k, ["threshold"]) },
    { name: "a key missing publicKey", value: withSet(k, ["keys", 0], { keyid: ed.keyid, algorithm: "ed25519" }) },
    { name: "a string threshold", value: withSet(k, ["threshold"], "2") },
    { name: 'threshold "01"', value: withSet(k, ["threshold"], "01") },
    { name: "threshold 0", value: withSet(k, ["threshold"], 0) },
    { name: "threshold 1.5", value: withSet(k, ["threshold"], 1.5) },
    { name: "no keys", value: withSet(k, ["keys"], []) },
    { name: "65 keys", value: withSet(k, ["keys"], Array(65).fill(ed)) },
    { name: "an unknown algorithm", value: withSet(k, ["keys", 0], { ...ed, algorithm: "rsa" }) },
    { name: "an ed25519 key of 33 bytes", value: withSet(k, ["keys", 0], { ...ed, publicKey: secp.publicKey }) },
    { name: "a secp256k1 key of 32 bytes", value: withSet(k, ["keys", 1], { ...secp, publicKey: ed.publicKey }) },
    {
      name: "an uncompressed-prefix secp256k1 key",
      value: withSet(k, ["keys", 1], { ...secp, publicKey: "04" + (secp.publicKey as string).slice(2) }),
    },
    { name: "a number name", value: withSet(k, ["keys", 0], { ...ed, name: 7 }) },
    { name: "a name of 257 characters", value: withSet(k, ["keys", 0], { ...ed, name: "n".repeat(257) }) },
    { name: "required not an array", value: withSet(k, ["required"], ed.keyid) },
    { name: "a required keyid in uppercase", value: withSet(k, ["required"], [(ed.keyid as string).toUpperCase()]) },
    { name: "a required keyid twice", value: withSet(k, ["required"], [ed.keyid, ed.keyid]) },
    { name: "a required number", value: withSet(k, ["required"], [1]) },
  ]);
  checkAccepted("keys", [
    { name: "a required key", value: withSet(k, ["required"], [ed.keyid]) },
    { name: "every key required", value: withSet(k, ["required"], [ed.keyid, secp.keyid]) },
    { name: "an empty required list", value: withSet(k, ["required"], []) },
    { name: "a display name", value: withSet(k, ["keys", 0], { ...ed, name: "Example Exchange venue key" }) },
    { name: "threshold 1", value: withSet(k, ["threshold"], 1) },
    { name: "one key", value: { keys: [secp], threshold: 1 } },
  ]);
  // Not expressible: keyid = SHA-256(publicKey), distinct keyids, threshold <= keys.length.
  for (
    const c of [
      { name: "threshold above the number of keys", value: withSet(k, ["threshold"], 3) },
      { name: "a keyid that is not SHA-256(publicKey)", value: withSet(k, ["keys", 0, "keyid"], HEX64) },
      { name: "duplicate keys", value: withSet(k, ["keys"], [ed, ed]) },
      { name: "a required keyid that is not one of the keys", value: withSet(k, ["required"], [HEX64]) },
    ]
  ) {
    assertValid("keys", c.value, c.name);
    assert.throws(() => parseWith("keys", c.value), `the verifier must reject ${c.name}`);
  }
});

Deno.test("key schema rejects malformed signing key files", () => {
  for (const base of [ED_KEY, SECP_KEY]) {
    const k = base as JsonObj;
    checkRejected("key", [
      { name: "an extra field", value: withSet(base, ["extra"], 1) },
      { name: "an uppercase secretKey", value: withSet(base, ["secretKey"], (k.secretKey as string).toUpperCase()) },
      { name: "an uppercase keyid", value: withSet(base, ["keyid"], (k.keyid as string).toUpperCase()) },
      { name: "a short secretKey", value: withSet(base, ["secretKey"], (k.secretKey as string).slice(2)) },
      { name: "a number secretKey", value: withSet(base, ["secretKey"], 1) },
      { name: "a missing field", value: without(base, ["keyid"]) },
      { name: "a missing secretKey", value: without(base, ["secretKey"]) },
      { name: "an unknown algorithm", value: withSet(base, ["algorithm"], "ed448") },
      {
        name: "the other algorithm's public key length",
        value: withSet(base, ["publicKey"], k.algorithm === "ed25519" ? "02" + HEX64 : HEX64),
      },
    ]);
  }
  checkAccepted("key", [{ name: "venue.key.json", value: ED_KEY }, { name: "auditor.key.json", value: SECP_KEY }]);
});

Deno.test("proof schema rejects malformed proofs", () => {
  const p = PROOF;
  const path = (p as JsonObj).path as JsonObj[];
  assert.ok(path.length > 0);
  checkRejected("proof", [
    { name: "an extra field", value: withSet(p, ["extra"], 1) },
    { name: "an extra field in a path node", value: withSet(p, ["path", 0, "extra"], 1) },
    { name: "an uppercase salt", value: withSet(p, ["salt"], ((p as JsonObj).salt as string).toUpperCase()) },
    { name: "an uppercase statement", value: withSet(p, ["statement"], HEX64.toUpperCase()) },
    { name: "an uppercase path hash", value: withSet(p, ["path", 0, "hash"], HEX64.toUpperCase()) },
    { name: "a short salt", value: withSet(p, ["salt"], HEX64.slice(2)) },
    { name: 'the amount "01"', value: withSet(p, ["base"], "01") },
    { name: 'the amount "01" in a path node', value: withSet(p, ["path", 0, "haircut"], "01") },
    { name: "a 40-digit amount", value: withSet(p, ["haircut"], "9".repeat(40)) },
    { name: "a number amount", value: withSet(p, ["haircut"], 5) },
    { name: "a number amount in a path node", value: withSet(p, ["path", 0, "base"], 5) },
    { name: "a missing field", value: without(p, ["path"]) },
    { name: "a missing salt", value: without(p, ["salt"]) },
    { name: "a path node missing hash", value: withSet(p, ["path", 0], { base: "0", haircut: "0" }) },
    { name: "a wrong type", value: withSet(p, ["type"], "socialized-loss/statement/v1") },
    { name: "an empty account", value: withSet(p, ["account"], "") },
    { name: "an account of 257 characters", value: withSet(p, ["account"], "a".repeat(257)) },
    { name: "a number account", value: withSet(p, ["account"], 1) },
    { name: "index -1", value: withSet(p, ["index"], -1) },
    { name: "index 1.5", value: withSet(p, ["index"], 1.5) },
    { name: 'index "7"', value: withSet(p, ["index"], "7") },
    { name: "index 2^53", value: withSet(p, ["index"], 2 ** 53) },
    { name: "65 path nodes", value: withSet(p, ["path"], Array(65).fill(path[0])) },
  ]);
  checkAccepted("proof", [
    { name: "64 path nodes (rejected later, by length)", value: withSet(p, ["path"], Array(64).fill(path[0])) },
    { name: "an empty path", value: withSet(p, ["path"], []) },
    { name: "an account of 256 bytes", value: withSet(p, ["account"], "a".repeat(256)) },
  ]);
  const wide = withSet(p, ["account"], "é".repeat(129)); // 129 code points, 258 UTF-8 bytes
  assertValid("proof", wide, "129 two-byte characters (the byte limit is beyond JSON Schema)");
  assert.throws(() => parseWith("proof", wide), "the verifier must reject an account over 256 bytes");
  assert.match(
    (loadSchema("proof").properties as Record<string, JsonObj>).account.description as string,
    /256 UTF-8 bytes.*cannot/,
  );
});

Deno.test("event schema rejects malformed event files", () => {
  const ev = EVENT;
  checkRejected("event", [
    { name: "an extra field", value: withSet(ev, ["extra"], 1) },
    { name: "a computed field (target)", value: withSet(ev, ["target"], "0") },
    { name: "a type field", value: withSet(ev, ["type"], "socialized-loss/statement/v1") },
    { name: "an extra field in policy", value: withSet(ev, ["policy", "extra"], 1) },
    { name: "an uppercase previous", value: withSet(ev, ["previous"], HEX64.toUpperCase()) },
    { name: 'the amount "01"', value: withSet(ev, ["deficit"], "01") },
    { name: "a number amount", value: withSet(ev, ["insuranceFund"], 1200000) },
    { name: "a missing field", value: without(ev, ["snapshotTime"]) },
    { name: "a missing policy.rounding", value: without(ev, ["policy", "rounding"]) },
    { name: "a time with an offset", value: withSet(ev, ["snapshotTime"], "2026-11-03T09:00:00+01:00") },
    { name: "decimals 39", value: withSet(ev, ["decimals"], 39) },
    { name: "an empty asset", value: withSet(ev, ["asset"], "") },
    { name: "a number venue", value: withSet(ev, ["venue"], 1) },
    { name: "a cap with num 0", value: withSet(ev, ["policy", "cap"], { num: "0", den: "1" }) },
  ]);
  checkAccepted("event", [
    { name: "previous null", value: withSet(ev, ["previous"], null) },
    { name: "a previous digest", value: withSet(ev, ["previous"], HEX64) },
    { name: "a cap", value: withSet(ev, ["policy", "cap"], { num: "1", den: "2" }) },
    // Without --bankrupt, publish refuses this; with it, the deficit is the sum of the losses.
    { name: "a missing deficit (publish --bankrupt)", value: without(ev, ["deficit"]), parserSkip: true },
  ]);
});

// ---------------------------------------------------------------------------
// Format v1.1: rate policies, the deficit tree and deficit proofs.

const RATE_POLICY: Json = { base: "profit", rounding: "rate-floor", cap: null, rate: { num: "1803", den: "10000" } };

Deno.test("v1.1 statement schema: rate policies and deficitTree", () => {
  const s = STATEMENT;
  const rated = withSet(s, ["policy"], RATE_POLICY);
  const committed = withSet(s, ["deficitTree"], { root: HEX64, leafCount: 2, total: (s as JsonObj).deficit });
  checkAccepted("statement", [
    { name: "a rate-floor policy", value: rated },
    { name: "a rate-half-up policy", value: withSet(rated, ["policy", "rounding"], "rate-half-up") },
    {
      name: "a rate-ceil policy with rate 0/1",
      value: withSet(withSet(rated, ["policy", "rounding"], "rate-ceil"), ["policy", "rate"], { num: "0", den: "1" }),
    },
    { name: "a deficit tree", value: committed },
  ]);
  checkRejected("statement", [
    { name: "a rate rounding without rate", value: without(rated, ["policy", "rate"]) },
    { name: "a rate with largest-remainder", value: withSet(rated, ["policy", "rounding"], "largest-remainder") },
    { name: "a rate with floor", value: withSet(rated, ["policy", "rounding"], "floor") },
    { name: "an unknown rounding", value: withSet(rated, ["policy", "rounding"], "rate-round") },
    { name: "a rate with den 0", value: withSet(rated, ["policy", "rate"], { num: "0", den: "0" }) },
    { name: "a rate with a number num", value: withSet(rated, ["policy", "rate"], { num: 1, den: "2" }) },
    { name: "an extra field in rate", value: withSet(rated, ["policy", "rate"], { num: "1", den: "2", step: "1" }) },
    { name: "a rate given as decimals", value: withSet(rated, ["policy", "rate"], { decimals: 4 }) },
    { name: "a deficit tree without total", value: without(committed, ["deficitTree", "total"]) },
    { name: "a deficit tree with leafCount 0", value: withSet(committed, ["deficitTree", "leafCount"], 0) },
    { name: "an extra field in deficitTree", value: withSet(committed, ["deficitTree", "extra"], 1) },
    { name: "a null deficitTree", value: withSet(s, ["deficitTree"], null) },
  ]);
  // num <= den is a rule the schema states but cannot check.
  assertValid("statement", withSet(rated, ["policy", "rate"], { num: "3", den: "2" }), "rate 3/2 (schema)");
  assert.throws(() => parseWith("statement", withSet(rated, ["policy", "rate"], { num: "3", den: "2" })));
});

Deno.test("v1.1 event schema: an exact rate or { decimals }", () => {
  const ev = withSet(EVENT, ["policy"], RATE_POLICY);
  checkAccepted("event", [
    { name: "an exact rate", value: ev },
    { name: "an automatic rate", value: withSet(ev, ["policy", "rate"], { decimals: 4 }), parserSkip: true },
  ]);
  for (
    const [name, value] of [
      ["decimals 19", withSet(ev, ["policy", "rate"], { decimals: 19 })],
      ["decimals and num", withSet(ev, ["policy", "rate"], { decimals: 2, num: "1" })],
      ["no rate", without(ev, ["policy", "rate"])],
      ["a rate with floor", withSet(ev, ["policy", "rounding"], "floor")],
    ] as const
  ) {
    assertInvalid("event", value, name);
  }
});

Deno.test("v1.1 deficit-proof schema agrees with parseDeficitProof", () => {
  const proof: Json = {
    type: "socialized-loss/deficit-proof/v1",
    statement: HEX64,
    account: "mallory",
    salt: HEX64,
    index: 0,
    loss: "250000",
    path: [{ hash: HEX64, loss: "17" }],
  };
  checkAccepted("deficit-proof", [{ name: "a deficit proof", value: proof }]);
  checkRejected("deficit-proof", [
    { name: "a haircut proof's type", value: withSet(proof, ["type"], "socialized-loss/proof/v1") },
    { name: "a base instead of a loss", value: withSet(without(proof, ["loss"]), ["base"], "1") },
    { name: "a path node with a haircut", value: withSet(proof, ["path", 0, "haircut"], "0") },
    { name: "a path node without loss", value: withSet(proof, ["path", 0], { hash: HEX64 }) },
    { name: "an extra field", value: withSet(proof, ["extra"], 1) },
    { name: "a loss with a leading zero", value: withSet(proof, ["loss"], "01") },
  ]);
});

Deno.test("the event file for publish is exactly the statement's chosen fields", () => {
  const event = loadSchema("event").properties as JsonObj;
  const statement = loadSchema("statement").properties as JsonObj;
  const computed = ["type", "insuranceUsed", "shortfall", "target", "uncovered", "tree", "deficitTree"];
  assert.deepEqual(
    Object.keys(event).sort(),
    Object.keys(statement).filter((k) => !computed.includes(k)).sort(),
  );
});

// ---------------------------------------------------------------------------
// log-policy.json

Deno.test("log-policy.schema.json: the corpus policies validate and parse; bad shapes are rejected by both", () => {
  const corpus = new URL("tampered/", FIXTURES);
  const files = [...Deno.readDirSync(corpus)].filter((e) => e.isDirectory && e.name.startsWith("log-"))
    .map((e) => new URL(`${e.name}/log-policy.json`, corpus));
  assert.equal(files.length, 4);
  for (const file of files) {
    assertValid("log-policy", readJson(file), file.pathname);
    parseLogPolicy(Deno.readTextFileSync(file));
  }
  const log = ed25519NoteSigner("example.com/log", SIGNER).vkey;
  const witness = cosignatureSigner("w.example", signingKeyFromSecret("ed25519", new Uint8Array(32).fill(2)), 0).vkey;
  const good = { origin: "example.com/log", log, witnesses: [witness], quorum: 1 };
  assertValid("log-policy", good, "a one-witness policy");
  assert.equal(parseLogPolicy(JSON.stringify(good)).quorum, 1);
  const bad: [string, Json][] = [
    ["the log key as a witness", { ...good, witnesses: [log] }],
    ["a witness key as the log", { ...good, log: witness }],
    ["a repeated witness", { ...good, witnesses: [witness, witness] }],
    ["a negative quorum", { ...good, quorum: -1 }],
    ["a fractional quorum", { ...good, quorum: 0.5 }],
    ["an empty origin", { ...good, origin: "" }],
    ["an origin with a newline", { ...good, origin: "a\nb" }],
    ["an unknown field", { ...good, note: "x" }],
    ["a missing quorum", { origin: "o", log, witnesses: [] }],
    ["a 7-digit key ID", { ...good, log: log.replace(/\+([0-9a-f])([0-9a-f]{7})\+/, "+$2+") }],
  ];
  for (const [what, value] of bad) {
    assertInvalid("log-policy", value, what);
    assert.throws(() => parseLogPolicy(JSON.stringify(value)), what);
  }
});
