/**
 * One test per input limit (SECURITY.md, "Limits"): each hostile input gets
 * a clear, structured error that names the limit (and, in leaves.csv, the
 * line), through the library and, where the limit lives in the CLI, through
 * runCli with its exit code.
 */

import assert from "node:assert/strict";
import {
  type Finding,
  FormatError,
  InputError,
  type KeysFile,
  parseEnvelope,
  parseKeysFile,
  parseProof,
  parseStatementPayload,
  verifyProof,
  verifyPublication,
} from "../mod.ts";
import { parseEventFile, parseSigningKey, signEnvelope, type SigningKey } from "../publish.ts";
import { canonicalJson, type JsonValue, parseJson } from "../src/core/_json.ts";
import { base64ToBytes, bytesToBase64, hexToBytes } from "../src/core/encoding.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { MAX_LINE_BYTES } from "../src/format/leaves.ts";
import { MAX_ACCOUNT_ID_BYTES, MAX_PROOF_NODES } from "../src/format/proof.ts";
import { MAX_LEAF_COUNT, statementFromJson } from "../src/format/statement.ts";
import { MAX_JSON_FILE, runCli } from "../src/cli/main.ts";

const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const path = (name: string): string => new URL(name, EXAMPLE).pathname;
const read = (name: string): string => Deno.readTextFileSync(path(name));

const KEYS_TEXT = read("keys.json");
const KEYS: KeysFile = parseKeysFile(KEYS_TEXT);
const ENVELOPE = read("statement.dsse.json");
const LEAVES = read("leaves.csv");
const PROOF_NAME = "proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json";
const PROOF = read(PROOF_NAME);
const PAYLOAD = atob(JSON.parse(ENVELOPE).payload);
const EVENT = read("input/event.json");
const SIGNING_KEY = read("input/venue.key.json");
const SIGNERS: SigningKey[] = [parseSigningKey(SIGNING_KEY), parseSigningKey(read("input/auditor.key.json"))];

const enc = new TextEncoder();

/** The leaves findings for a leaves.csv text, fed whole and one byte at a time (both must agree). */
async function leafFindings(text: string): Promise<Finding[]> {
  const bytes = enc.encode(text);
  const whole = await verifyPublication({ envelope: ENVELOPE, leaves: bytes }, KEYS);
  async function* bytewise(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
  }
  const streamed = await verifyPublication({ envelope: ENVELOPE, leaves: bytewise() }, KEYS);
  assert.deepEqual(streamed.errors, whole.errors, "chunking does not change the findings");
  return whole.errors.filter((f) => f.code === "LEAF_INVALID");
}

/** Asserts exactly one LEAF_INVALID finding, on `line`, whose message matches `pattern`. */
async function assertLeafRejected(text: string, line: number, pattern: RegExp): Promise<void> {
  const found = await leafFindings(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(found[0].message, new RegExp(`^line ${line}: `));
  assert.match(found[0].message, pattern);
  if (line > 1) assert.equal(found[0].leaf, line - 2);
}

const lines = (): string[] => LEAVES.split("\n");
const withLine = (index: number, f: (line: string) => string): string => {
  const l = lines();
  l[index] = f(l[index]);
  return l.join("\n");
};

/** Writes files into a fresh temporary directory and runs `body` with its path. */
async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haircut-limits-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A publication directory holding the example envelope and the given leaves.csv text. */
async function publicationDir(dir: string, leaves: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/statement.dsse.json`, ENVELOPE);
  await Deno.writeTextFile(`${dir}/leaves.csv`, leaves);
  return dir;
}

/** Re-signs a statement payload with the example's trusted keys. */
function signedEnvelope(payload: string): string {
  return envelopeToJson(signEnvelope(enc.encode(payload), SIGNERS));
}

function withStatement(change: (s: Record<string, JsonValue>) => void): string {
  const s = JSON.parse(PAYLOAD);
  change(s);
  return canonicalJson(s);
}

function proofWith(change: (p: Record<string, unknown>) => void): string {
  const p = JSON.parse(PROOF);
  change(p);
  return JSON.stringify(p, null, 2);
}

function proofError(text: string): FormatError {
  try {
    parseProof(text);
  } catch (e) {
    assert.ok(e instanceof FormatError);
    assert.equal(e.finding.code, "PROOF_INVALID");
    return e;
  }
  assert.fail("the proof was accepted");
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  assert.fail("accepted");
}

function formatError(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof FormatError, String(e));
    return e;
  }
  assert.fail("accepted");
}

// ---------------------------------------------------------------------------------------------
// leaves.csv

Deno.test("limit: leaves.csv MAX_LINE_BYTES (256): a longer line is LEAF_INVALID with its line number", async () => {
  assert.equal(MAX_LINE_BYTES, 256);
  const long = withLine(3, (l) => l + "0".repeat(MAX_LINE_BYTES + 1 - l.length));
  await assertLeafRejected(long, 4, /longer than 256 bytes/);
  // A huge line (1 MiB) is dropped as it streams, never held in memory, and reported the same way.
  await assertLeafRejected(withLine(2, (l) => l + "9".repeat(1 << 20)), 3, /longer than 256 bytes/);
  // Exactly MAX_LINE_BYTES is not "too long": it is read and judged as a row.
  const exact = withLine(3, (l) => l + "0".repeat(MAX_LINE_BYTES - l.length));
  const found = await leafFindings(exact);
  assert.equal(found.length, 1);
  assert.doesNotMatch(found[0].message, /longer than/);
  await withTempDir(async (dir) => {
    const r = await runCli([
      "verify",
      await publicationDir(dir, long),
      "--keys",
      path("keys.json"),
      "--format",
      "json",
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /line 4: longer than 256 bytes/);
  });
});

Deno.test("limit: leaves.csv CRLF line endings are rejected with the line number", async () => {
  await assertLeafRejected(withLine(0, (l) => l + "\r"), 1, /use LF line endings, not CRLF/);
  await assertLeafRejected(withLine(2, (l) => l + "\r"), 3, /CR before LF/);
});

Deno.test("limit: leaves.csv with a byte order mark is rejected on line 1", async () => {
  await assertLeafRejected("\ufeff" + LEAVES, 1, /remove the byte order mark/);
});

Deno.test("limit: leaves.csv empty lines are rejected with the line number", async () => {
  const l = lines();
  l.splice(3, 0, "");
  const found = await leafFindings(l.join("\n"));
  assert.ok(found.some((f) => /^line 4: empty line$/.test(f.message)), JSON.stringify(found));
  await assertLeafRejected(LEAVES + "\n", lines().length, /empty line/);
});

Deno.test("limit: leaves.csv trailing or leading spaces are rejected with the line number", async () => {
  await assertLeafRejected(withLine(2, (l) => l + " "), 3, /haircut is not a canonical decimal/);
  await assertLeafRejected(withLine(2, (l) => l.replace(",", ", ")), 3, /base is not a canonical decimal/);
  await assertLeafRejected(withLine(2, (l) => " " + l), 3, /account_key must be 64 lowercase hex digits/);
  await assertLeafRejected(withLine(0, (l) => l + " "), 1, /header must be exactly account_key,base,haircut/);
});

Deno.test("limit: leaves.csv extra or missing columns are rejected with the line number", async () => {
  await assertLeafRejected(withLine(2, (l) => l + ",0"), 3, /expected 3 columns, found more/);
  await assertLeafRejected(withLine(5, (l) => l.slice(0, l.lastIndexOf(","))), 6, /expected 3 columns/);
  await assertLeafRejected(withLine(5, (l) => l.slice(0, 64)), 6, /expected 3 columns/);
  await assertLeafRejected(withLine(0, () => "account_key,base"), 1, /header must be exactly/);
});

Deno.test("limit: leaves.csv without a final newline is rejected as truncated", async () => {
  await assertLeafRejected(LEAVES.slice(0, -1), lines().length - 1, /does not end with a newline/);
});

Deno.test("limit: leaves.csv hex must be lowercase and exactly 64 digits", async () => {
  await assertLeafRejected(withLine(2, (l) => l.slice(0, 64).toUpperCase() + l.slice(64)), 3, /64 lowercase hex/);
  await assertLeafRejected(withLine(2, (l) => l.slice(2)), 3, /64 lowercase hex/);
  await assertLeafRejected(withLine(2, (l) => "00" + l), 3, /64 lowercase hex/);
});

Deno.test("limit: leaves.csv amounts are canonical decimals below 2^128 (no sign, no leading zero)", async () => {
  const line = (base: string): string => withLine(2, (l) => l.replace(/,\d+,/, `,${base},`));
  await assertLeafRejected(line("-1"), 3, /base is not a canonical decimal below 2\^128/);
  await assertLeafRejected(line("+1"), 3, /base is not a canonical decimal/);
  await assertLeafRejected(line("0123"), 3, /base is not a canonical decimal/);
  await assertLeafRejected(line(`${1n << 128n}`), 3, /base is not a canonical decimal below 2\^128/);
});

Deno.test("limit: a leaves.csv that is not a regular file is refused before it is read (exit 2)", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, ENVELOPE);
    await Deno.symlink("/dev/zero", `${dir}/leaves.csv`); // would never end
    const r = await runCli(["verify", dir, "--keys", path("keys.json")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /leaves file .*leaves\.csv is not a file/);
  });
});

// ---------------------------------------------------------------------------------------------
// Leaf count

Deno.test("limit: MAX_LEAF_COUNT (2^32) bounds the signed leaf count", async () => {
  assert.equal(MAX_LEAF_COUNT, 2 ** 32);
  const at = (leafCount: number): string =>
    withStatement((s) => void ((s.tree as JsonValue[] & Record<string, JsonValue>).leafCount = leafCount));
  assert.equal(statementFromJson(JSON.parse(at(MAX_LEAF_COUNT))).tree.leafCount, MAX_LEAF_COUNT);
  for (const bad of [MAX_LEAF_COUNT + 1, 0, 2 ** 53]) {
    const e = formatError(() => parseStatementPayload(enc.encode(at(bad))));
    assert.equal(e.finding.code, "STATEMENT_INVALID");
    assert.match(e.message, /tree\.leafCount must be an integer from 1 to 4294967296/);
  }
  // Signed by the trusted keys, the over-limit statement still fails.
  const report = await verifyPublication({
    envelope: signedEnvelope(at(MAX_LEAF_COUNT + 1)),
    leaves: enc.encode(LEAVES),
  }, KEYS);
  assert.deepEqual(report.errors.map((f) => f.code), ["STATEMENT_INVALID"]);
  // More rows than the signed count: LEAF_COUNT_MISMATCH.
  const extra = await verifyPublication({ envelope: ENVELOPE, leaves: enc.encode(LEAVES + lines()[1] + "\n") }, KEYS);
  assert.ok(extra.errors.some((f) => f.code === "LEAF_COUNT_MISMATCH" && /9 rows, .*leafCount 8/.test(f.message)));
});

// ---------------------------------------------------------------------------------------------
// Proofs

Deno.test("limit: MAX_PROOF_NODES (64) bounds a proof's path", async () => {
  assert.equal(MAX_PROOF_NODES, 64);
  const node = JSON.parse(PROOF).path[0];
  const tooLong = proofWith((p) => void (p.path = Array(MAX_PROOF_NODES + 1).fill(node)));
  assert.match(proofError(tooLong).message, /path must be an array of at most 64 nodes/);
  const report = verifyProof({ proof: tooLong, envelope: ENVELOPE }, KEYS);
  assert.deepEqual(report.errors.map((f) => f.code), ["PROOF_INVALID"]);
  // 64 nodes parse; the tree of 8 then says how many it needs.
  const atLimit = proofWith((p) => void (p.path = Array(MAX_PROOF_NODES).fill(node)));
  assert.equal(parseProof(atLimit).path.length, 64);
  assert.match(
    verifyProof({ proof: atLimit, envelope: ENVELOPE }, KEYS).errors[0].message,
    /proof has 64 nodes, but leaf 7 of 8 needs 3/,
  );
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/proof.json`, tooLong);
    const r = await runCli([
      "proof",
      `${dir}/proof.json`,
      "--statement",
      path("statement.dsse.json"),
      "--keys",
      path("keys.json"),
      "--format",
      "json",
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /at most 64 nodes/);
  });
});

Deno.test("limit: MAX_ACCOUNT_ID_BYTES (256) bounds the account id, counted in UTF-8 bytes", () => {
  assert.equal(MAX_ACCOUNT_ID_BYTES, 256);
  const withAccount = (account: string): string => proofWith((p) => void (p.account = account));
  assert.equal(parseProof(withAccount("a".repeat(256))).account.length, 256);
  assert.match(proofError(withAccount("a".repeat(257))).message, /account id must be 1 to 256 bytes, got 257/);
  assert.match(proofError(withAccount("é".repeat(129))).message, /account id must be 1 to 256 bytes, got 258/);
  assert.match(proofError(withAccount("")).message, /account id must be 1 to 256 bytes, got 0/);
  // A lone surrogate would hash as U+FFFD: two ids, one account key. Rejected.
  assert.match(proofError(PROOF.replace('"alice"', '"alice\\ud800"')).message, /lone surrogate/);
});

// ---------------------------------------------------------------------------------------------
// File sizes (CLI)

Deno.test("limit: MAX_JSON_FILE (1 MiB) for statement, proof, keys, previous statement, event and signing key", async () => {
  assert.equal(MAX_JSON_FILE, 1 << 20);
  await withTempDir(async (dir) => {
    // Valid JSON padded with whitespace to one byte over the limit: only the size is wrong.
    const big = async (name: string, text: string, size: number): Promise<string> => {
      const file = `${dir}/${name}`;
      await Deno.writeTextFile(file, text + " ".repeat(size - enc.encode(text).length));
      return file;
    };
    const over = MAX_JSON_FILE + 1;
    const cases: [string, string[]][] = [
      ["keys file", ["verify", EXAMPLE.pathname, "--keys", await big("keys.json", KEYS_TEXT, over)]],
      ["statement file", [
        "proof",
        path(PROOF_NAME),
        "--statement",
        await big("env.json", ENVELOPE, over),
        "--keys",
        path("keys.json"),
      ]],
      ["proof file", [
        "proof",
        await big("proof.json", PROOF, over),
        "--statement",
        path("statement.dsse.json"),
        "--keys",
        path("keys.json"),
      ]],
      ["previous statement", [
        "verify",
        EXAMPLE.pathname,
        "--keys",
        path("keys.json"),
        "--previous",
        await big("prev.json", ENVELOPE, over),
      ]],
      ["event file", [
        "publish",
        "--accounts",
        path("input/accounts.csv"),
        "--event",
        await big("event.json", EVENT, over),
        "--signing-key",
        path("input/venue.key.json"),
        "--out",
        `${dir}/out`,
      ]],
      ["signing key", [
        "publish",
        "--accounts",
        path("input/accounts.csv"),
        "--event",
        path("input/event.json"),
        "--signing-key",
        await big("key.json", SIGNING_KEY, over),
        "--out",
        `${dir}/out`,
      ]],
    ];
    for (const [what, args] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${what}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${what} .* is larger than the limit of 1048576 bytes \\(MAX_JSON_FILE\\)`));
    }
    // Exactly at the limit is fine.
    const r = await runCli([
      "verify",
      EXAMPLE.pathname,
      "--keys",
      await big("keys-max.json", KEYS_TEXT, MAX_JSON_FILE),
    ]);
    assert.equal(r.code, 0, r.stderr);
  });
});

Deno.test("limit: a huge (64 GiB sparse) JSON file is refused by its size, without being read", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/keys.json`;
    await Deno.writeTextFile(file, "");
    await Deno.truncate(file, 64 * 2 ** 30);
    const start = performance.now();
    const r = await runCli(["verify", EXAMPLE.pathname, "--keys", file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /keys file .* is larger than the limit of 1048576 bytes/);
    assert.ok(performance.now() - start < 2000, "answered from stat, not by reading 64 GiB");
  });
});

// ---------------------------------------------------------------------------------------------
// JSON structure

Deno.test("limit: duplicate JSON keys are rejected in proofs, keys files, event files, envelopes and statements", () => {
  const dup = (text: string, key: string): string => text.replace(`"${key}":`, `"${key}": null, "${key}":`);
  assert.match(proofError(dup(PROOF, "account")).message, /duplicate key "account"/);
  assert.match(proofError(dup(PROOF, "hash")).message, /duplicate key "hash"/); // nested, in path[0]
  assert.match(inputError(() => parseKeysFile(dup(KEYS_TEXT, "threshold"))).message, /keys file: duplicate key/);
  assert.match(inputError(() => parseKeysFile(dup(KEYS_TEXT, "publicKey"))).message, /duplicate key "publicKey"/);
  assert.match(inputError(() => parseEventFile(dup(EVENT, "deficit"))).message, /event file: duplicate key/);
  assert.match(inputError(() => parseEventFile(dup(EVENT, "rounding"))).message, /duplicate key "rounding"/);
  assert.match(inputError(() => parseSigningKey(dup(SIGNING_KEY, "secretKey"))).message, /duplicate key/);
  const env = formatError(() => parseEnvelope(dup(ENVELOPE, "sig")));
  assert.equal(env.finding.code, "ENVELOPE_INVALID");
  assert.match(env.message, /duplicate key "sig"/);
  const st = formatError(() =>
    parseStatementPayload(enc.encode(PAYLOAD.replace('"asset":', '"asset":"USDT","asset":')))
  );
  assert.equal(st.finding.code, "NON_CANONICAL");
  assert.match(st.message, /duplicate key "asset"/);
});

Deno.test("limit: unexpected fields are rejected in proofs, keys files, event files, envelopes and statements", () => {
  assert.match(proofError(proofWith((p) => void (p.note = "x"))).message, /unexpected field "note"/);
  assert.match(
    proofError(proofWith((p) => void ((p.path as Record<string, unknown>[])[0].extra = "0"))).message,
    /path\[0\]: unexpected field "extra"/,
  );
  const keys = JSON.parse(KEYS_TEXT);
  assert.match(
    inputError(() => parseKeysFile(JSON.stringify({ ...keys, trust: "all" }))).message,
    /unexpected field "trust"/,
  );
  keys.keys[1].expires = "never";
  assert.match(inputError(() => parseKeysFile(JSON.stringify(keys))).message, /keys\[1\]: unexpected field "expires"/);
  const event = JSON.parse(EVENT);
  assert.match(
    inputError(() => parseEventFile(JSON.stringify({ ...event, target: "1" }))).message,
    /unexpected field "target"/,
  );
  const env = JSON.parse(ENVELOPE);
  assert.match(formatError(() => parseEnvelope(JSON.stringify({ ...env, x: 1 }))).message, /unexpected field "x"/);
  env.signatures[0].cert = "";
  assert.match(
    formatError(() => parseEnvelope(JSON.stringify(env))).message,
    /signatures\[0\]: unexpected field "cert"/,
  );
  const st = formatError(() => parseStatementPayload(enc.encode(withStatement((s) => void (s.bonus = "1")))));
  assert.equal(st.finding.code, "NON_CANONICAL");
  assert.match(st.message, /unknown field "bonus"/);
});

Deno.test("limit: __proto__ and constructor keys are plain data and do no harm", () => {
  const parsed = parseJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
  assert.ok(parsed !== null && typeof parsed === "object" && !Array.isArray(parsed));
  assert.equal(Object.getPrototypeOf(parsed), null);
  assert.deepEqual(Object.keys(parsed), ["__proto__", "constructor"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype is untouched");
  assert.equal((parsed as Record<string, unknown>).polluted, undefined);
  // Everywhere they appear they are unknown fields, so nothing inherits from them.
  const proto = (text: string, key = "__proto__"): string =>
    text.replace("{", `{"${key}": {"threshold": 1, "index": 0},`);
  assert.match(proofError(proto(PROOF)).message, /unexpected field "__proto__"/);
  assert.match(proofError(proto(PROOF, "constructor")).message, /unexpected field "constructor"/);
  assert.match(inputError(() => parseKeysFile(proto(KEYS_TEXT))).message, /unexpected field "__proto__"/);
  assert.match(inputError(() => parseEventFile(proto(EVENT, "constructor"))).message, /unexpected field "constructor"/);
  assert.match(formatError(() => parseEnvelope(proto(ENVELOPE))).message, /unexpected field "__proto__"/);
  assert.match(
    formatError(() => parseStatementPayload(enc.encode(PAYLOAD.replace("{", '{"__proto__":{},')))).message,
    /__proto__/,
  );
  // A keys file whose keys are all unknown to Object.prototype still needs a real threshold.
  assert.equal(({} as Record<string, unknown>).threshold, undefined);
});

Deno.test("limit: hex must be lowercase and of exact length", () => {
  assert.deepEqual(hexToBytes("00ff", 2), new Uint8Array([0, 255]));
  for (
    const [hex, len] of [["00FF", 2], ["0ff", undefined], ["00ff", 3], ["00ff00", 2], ["0x00", undefined], [
      " 00",
      1,
    ]] as const
  ) {
    assert.throws(() => hexToBytes(hex, len), SyntaxError, `${hex}/${len}`);
  }
  const p = JSON.parse(PROOF);
  assert.match(
    proofError(proofWith((x) => void (x.salt = p.salt.toUpperCase()))).message,
    /salt must be 64 lowercase hex/,
  );
  assert.match(proofError(proofWith((x) => void (x.salt = p.salt.slice(2)))).message, /salt must be 64 lowercase hex/);
  assert.match(proofError(proofWith((x) => void (x.salt = p.salt + "00"))).message, /salt must be 64 lowercase hex/);
  assert.match(
    proofError(proofWith((x) => void ((x.path as { hash: string }[])[1].hash = p.path[1].hash.slice(0, 40)))).message,
    /path\[1\]\.hash must be 64 lowercase hex/,
  );
  assert.match(
    proofError(proofWith((x) => void (x.statement = p.statement.toUpperCase()))).message,
    /statement must be 64 lowercase/,
  );
  const keys = JSON.parse(KEYS_TEXT);
  keys.keys[0].publicKey = keys.keys[0].publicKey.toUpperCase();
  assert.match(
    inputError(() => parseKeysFile(JSON.stringify(keys))).message,
    /keys\[0\]\.publicKey: expected lowercase hex/,
  );
  const root = formatError(() =>
    parseStatementPayload(enc.encode(withStatement((s) => {
      const tree = s.tree as Record<string, JsonValue>;
      tree.root = (tree.root as string).toUpperCase();
    })))
  );
  assert.equal(root.finding.code, "STATEMENT_INVALID");
  assert.match(root.message, /tree\.root must be 64 lowercase hex digits/);
});

Deno.test("limit: base64 must be strict, padded and canonical (zero padding bits)", () => {
  assert.deepEqual(base64ToBytes("AP8="), new Uint8Array([0, 255]));
  for (const bad of ["AP9=", "AP8", "AP8==", "A P8=", "AP8=\n", "-_8=", "AP+/=", "====", "A==="]) {
    assert.throws(() => base64ToBytes(bad), SyntaxError, JSON.stringify(bad));
  }
  assert.match(
    (() => {
      try {
        base64ToBytes("AP9=");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })(),
    /not canonical/,
  );
  const env = JSON.parse(ENVELOPE);
  const payload = base64ToBytes(env.payload);
  assert.equal(bytesToBase64(payload), env.payload);
  // The payload's length leaves padding bits; set one and the envelope is rejected.
  const last = env.payload.replace(/=+$/, "").slice(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const sibling = alphabet[alphabet.indexOf(last) + 1];
  const nonCanonical = env.payload.replace(/.(=+)$/, `${sibling}$1`);
  assert.notEqual(nonCanonical, env.payload);
  const e = formatError(() => parseEnvelope(JSON.stringify({ ...env, payload: nonCanonical })));
  assert.equal(e.finding.code, "ENVELOPE_INVALID");
  assert.match(e.message, /payload: base64 is not canonical/);
  env.signatures[0].sig = env.signatures[0].sig.replace(/=+$/, "");
  assert.match(
    formatError(() => parseEnvelope(JSON.stringify(env))).message,
    /signatures\[0\]\.sig: expected standard padded base64/,
  );
});

Deno.test("limit: JSON nesting deeper than 16 is rejected without recursion limits", () => {
  assert.doesNotThrow(() => parseJson("[".repeat(16) + "]".repeat(16)));
  assert.throws(() => parseJson("[".repeat(17) + "]".repeat(17)), /nesting deeper than 16/);
  // A million levels: rejected at level 17, no stack overflow.
  assert.throws(() => parseJson("[".repeat(1e6)), /nesting deeper than 16/);
  const deep = proofWith((p) => void (p.path = JSON.parse("[".repeat(20) + "]".repeat(20))));
  assert.match(proofError(deep).message, /nesting deeper than 16/);
});

Deno.test("limit: at most 16 envelope signatures, 64 trusted keys, 128-character keyids", () => {
  const env = JSON.parse(ENVELOPE);
  const many = { ...env, signatures: Array(17).fill(env.signatures[0]) };
  assert.match(formatError(() => parseEnvelope(JSON.stringify(many))).message, /at most 16/);
  assert.equal(
    parseEnvelope(JSON.stringify({ ...env, signatures: Array(16).fill(env.signatures[0]) })).signatures.length,
    16,
  );
  const longId = { ...env, signatures: [{ ...env.signatures[0], keyid: "a".repeat(129) }] };
  assert.match(formatError(() => parseEnvelope(JSON.stringify(longId))).message, /keyid must be a short string/);
  const keys = JSON.parse(KEYS_TEXT);
  const tooMany = { ...keys, keys: Array(65).fill(keys.keys[0]) };
  assert.match(inputError(() => parseKeysFile(JSON.stringify(tooMany))).message, /1 to 64 keys/);
  assert.match(inputError(() => parseKeysFile(JSON.stringify({ ...keys, keys: [] }))).message, /1 to 64 keys/);
});

Deno.test("limit: a keys threshold must be 1 to the number of keys; a hand-built threshold of 0 trusts nothing", async () => {
  const keys = JSON.parse(KEYS_TEXT);
  for (const t of [0, 3, 1.5, -1, "2", null]) {
    assert.match(
      inputError(() => parseKeysFile(JSON.stringify({ ...keys, threshold: t }))).message,
      /threshold must be an integer from 1 to 2/,
    );
  }
  const unsigned = { ...JSON.parse(ENVELOPE), signatures: [] };
  const report = await verifyPublication(
    { envelope: JSON.stringify(unsigned), leaves: enc.encode(LEAVES) },
    { keys: [], threshold: 0 },
  );
  assert.equal(report.ok, false);
  assert.deepEqual(report.errors.map((f) => f.code), ["SIGNATURE_THRESHOLD"]);
});

Deno.test("limit: statement fields: amounts below 2^128, venue/event 256 bytes, asset 64 bytes, decimals 0..38", () => {
  const bad = (change: (s: Record<string, JsonValue>) => void, pattern: RegExp): void => {
    const e = formatError(() => parseStatementPayload(enc.encode(withStatement(change))));
    assert.equal(e.finding.code, "STATEMENT_INVALID");
    assert.match(e.message, pattern);
  };
  bad((s) => void (s.deficit = `${1n << 128n}`), /deficit: .*below 2\^128/);
  bad((s) => void (s.deficit = "-1"), /deficit: .*canonical decimal/);
  bad((s) => void (s.deficit = "02500000"), /deficit: .*canonical decimal/);
  bad((s) => void (s.venue = "v".repeat(257)), /venue must be 1 to 256 bytes, got 257/);
  bad((s) => void (s.event = "é".repeat(129)), /event must be 1 to 256 bytes, got 258/);
  bad((s) => void (s.asset = "A".repeat(65)), /asset must be 1 to 64 bytes, got 65/);
  bad((s) => void (s.decimals = 39), /decimals must be an integer from 0 to 38/);
  bad((s) => void (s.venue = "Example\u0000Exchange"), /control characters/);
  const proof = formatError(() => parseProof(proofWith((p) => void (p.base = `${1n << 128n}`))));
  assert.match(proof.message, /base: amount .* below 2\^128/);
});
