import assert from "node:assert/strict";
import { FormatError } from "../src/core/errors.ts";
import { canonicalJson, type JsonValue } from "../src/core/_json.ts";
import {
  checkArithmetic,
  isUtcTimestamp,
  MAX_LEAF_COUNT,
  parseStatementPayload,
  payloadDigest,
  type Statement,
  STATEMENT_TYPE,
  statementBytes,
  statementFromJson,
  statementToJson,
} from "../src/format/statement.ts";

const GOLDEN = new URL("../fixtures/golden/", import.meta.url);
const GOLDEN_DIGEST = "03fb5e716ab8ce182ca0d45c6a0172fb1894fe77fee14285bae5d3d39f064b62";
const GOLDEN_ROOT = "7325b16fdcbaa634dc938eaff0a8bc74a1c41c671b5b8b9c0ce8083d591763c8";
const enc = new TextEncoder();
const dec = new TextDecoder();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const envelopeJson = JSON.parse(Deno.readTextFileSync(new URL("statement.dsse.json", GOLDEN)));
const PAYLOAD: Uint8Array<ArrayBuffer> = Uint8Array.from(atob(envelopeJson.payload), (c) => c.charCodeAt(0));
const PAYLOAD_TEXT = dec.decode(PAYLOAD);

// deno-lint-ignore no-explicit-any
type Json = any;

/** The golden payload with `change` applied to a fresh copy, re-serialized canonically. */
function mutated(change: (o: Json) => void): Uint8Array {
  const o = JSON.parse(PAYLOAD_TEXT);
  change(o);
  return enc.encode(canonicalJson(o as JsonValue));
}

/** Asserts that parsing throws a FormatError with `code`, and returns its message. */
function expectCode(bytes: Uint8Array, code: "NON_CANONICAL" | "STATEMENT_INVALID", label: string): string {
  let message = "";
  assert.throws(
    () => parseStatementPayload(bytes),
    (e: unknown) => {
      if (!(e instanceof FormatError)) return false;
      assert.equal(e.finding.code, code, `${label}: ${e.finding.message}`);
      assert.equal(e.finding.message, e.message);
      assert.equal(e.finding.leaf, undefined);
      message = e.message;
      return true;
    },
    label,
  );
  return message;
}

function golden(): Statement {
  return parseStatementPayload(PAYLOAD);
}

// ---------------------------------------------------------------------------------------------
// The golden payload

Deno.test("parseStatementPayload reads the golden payload", () => {
  const s = golden();
  assert.equal(s.type, STATEMENT_TYPE);
  assert.equal(s.type, "socialized-loss/statement/v1");
  assert.equal(s.venue, "Example Exchange");
  assert.equal(s.event, "2026-11-03/ETH-PERP");
  assert.equal(s.asset, "USDT");
  assert.equal(s.decimals, 2);
  assert.equal(s.snapshotTime, "2026-11-03T08:00:00Z");
  assert.deepEqual(s.policy, { base: "profit", rounding: "largest-remainder", cap: null });
  assert.equal(s.deficit, 200000n);
  assert.equal(s.insuranceFund, 120000n);
  assert.equal(s.insuranceUsed, 120000n);
  assert.equal(s.shortfall, 80000n);
  assert.equal(s.target, 80000n);
  assert.equal(s.uncovered, 0n);
  assert.equal(hex(s.tree.root), GOLDEN_ROOT);
  assert.equal(s.tree.leafCount, 5);
  assert.equal(s.tree.totalBase, 1156790n);
  assert.equal(s.tree.totalHaircut, 80000n);
  assert.equal(s.previous, null);
});

Deno.test("payloadDigest of the golden payload is the SPEC §13.6 digest", async () => {
  assert.equal(payloadDigest(PAYLOAD), GOLDEN_DIGEST);
  const independent = new Uint8Array(await crypto.subtle.digest("SHA-256", PAYLOAD));
  assert.equal(hex(independent), GOLDEN_DIGEST);
  assert.equal(payloadDigest(new Uint8Array(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

Deno.test("statementBytes round-trips the golden payload byte for byte", () => {
  const bytes = statementBytes(golden());
  assert.deepEqual(bytes, PAYLOAD);
  assert.equal(payloadDigest(bytes), GOLDEN_DIGEST);
  // The pretty-printed golden statement.json has the same content.
  const pretty = Deno.readTextFileSync(new URL("statement.json", GOLDEN));
  assert.equal(canonicalJson(JSON.parse(pretty)), PAYLOAD_TEXT);
  assert.deepEqual(statementBytes(statementFromJson(JSON.parse(pretty))), PAYLOAD);
  assert.deepEqual(JSON.parse(JSON.stringify(statementToJson(golden()))), JSON.parse(pretty));
});

Deno.test("statementBytes round-trips statements with a cap, a previous digest and unusual text", () => {
  const variants = [
    mutated((o) => o.policy.cap = { num: "1", den: "20" }),
    mutated((o) =>
      o.policy.cap = { num: "340282366920938463463374607431768211455", den: "340282366920938463463374607431768211455" }
    ),
    mutated((o) => o.previous = GOLDEN_DIGEST),
    mutated((o) => o.venue = 'Ex "quoted" \\ venue / é 😀 \u2028'),
    mutated((o) => o.decimals = 0),
    mutated((o) => o.decimals = 38),
    mutated((o) => o.tree.leafCount = MAX_LEAF_COUNT),
    mutated((o) => o.snapshotTime = "2016-12-31T23:59:60.5Z"),
    mutated((o) => (o.policy.base = "equity", o.policy.rounding = "floor")),
  ];
  for (const bytes of variants) {
    const s = parseStatementPayload(bytes);
    assert.deepEqual(statementBytes(s), bytes, dec.decode(bytes));
  }
  const capped = parseStatementPayload(variants[0]);
  assert.deepEqual(capped.policy.cap, { num: 1n, den: 20n });
  assert.equal(parseStatementPayload(variants[2]).previous, GOLDEN_DIGEST);
});

// ---------------------------------------------------------------------------------------------
// NON_CANONICAL

Deno.test("NON_CANONICAL: whitespace anywhere", () => {
  const pretty = Deno.readTextFileSync(new URL("statement.json", GOLDEN));
  expectCode(enc.encode(pretty), "NON_CANONICAL", "pretty-printed");
  expectCode(enc.encode(PAYLOAD_TEXT + "\n"), "NON_CANONICAL", "trailing newline");
  expectCode(enc.encode(" " + PAYLOAD_TEXT), "NON_CANONICAL", "leading space");
  expectCode(enc.encode(PAYLOAD_TEXT.replace('"asset":', '"asset": ')), "NON_CANONICAL", "space after colon");
  expectCode(enc.encode(PAYLOAD_TEXT.replace(',"decimals"', ', "decimals"')), "NON_CANONICAL", "space after comma");
  expectCode(enc.encode(PAYLOAD_TEXT.replace("{", "{\n")), "NON_CANONICAL", "newline");
  expectCode(enc.encode(PAYLOAD_TEXT.replace('"cap":null', '"cap":\tnull')), "NON_CANONICAL", "nested tab");
});

Deno.test("NON_CANONICAL: reordered keys, other escapes and number forms", () => {
  assert.ok(PAYLOAD_TEXT.startsWith('{"asset":"USDT","decimals":2,'));
  expectCode(
    enc.encode(PAYLOAD_TEXT.replace('{"asset":"USDT","decimals":2,', '{"decimals":2,"asset":"USDT",')),
    "NON_CANONICAL",
    "top-level keys swapped",
  );
  expectCode(
    enc.encode(PAYLOAD_TEXT.replace('"base":"profit","cap":null', '"cap":null,"base":"profit"')),
    "NON_CANONICAL",
    "policy keys swapped",
  );
  const treeSwapped = PAYLOAD_TEXT.replace(
    `"leafCount":5,"root":"${GOLDEN_ROOT}"`,
    `"root":"${GOLDEN_ROOT}","leafCount":5`,
  );
  assert.notEqual(treeSwapped, PAYLOAD_TEXT);
  expectCode(enc.encode(treeSwapped), "NON_CANONICAL", "tree keys swapped");
  expectCode(enc.encode(PAYLOAD_TEXT.replace('"USDT"', '"\\u0055SDT"')), "NON_CANONICAL", "needless \\u escape");
  expectCode(
    enc.encode(PAYLOAD_TEXT.replace('"2026-11-03/ETH-PERP"', '"2026-11-03\\/ETH-PERP"')),
    "NON_CANONICAL",
    "\\/",
  );
  expectCode(enc.encode(PAYLOAD_TEXT.replace('"decimals":2', '"decimals":2.0')), "NON_CANONICAL", "2.0");
  expectCode(enc.encode(PAYLOAD_TEXT.replace('"decimals":2', '"decimals":2e0')), "NON_CANONICAL", "2e0");
  expectCode(enc.encode(PAYLOAD_TEXT.replace('"leafCount":5', '"leafCount":5.0')), "NON_CANONICAL", "5.0");
});

Deno.test("NON_CANONICAL: duplicate keys", () => {
  expectCode(
    enc.encode(PAYLOAD_TEXT.replace('{"asset":"USDT",', '{"asset":"USDT","asset":"USDT",')),
    "NON_CANONICAL",
    "duplicate top-level key",
  );
  expectCode(
    enc.encode(PAYLOAD_TEXT.replace('"base":"profit",', '"base":"profit","base":"profit",')),
    "NON_CANONICAL",
    "duplicate policy key",
  );
  expectCode(
    enc.encode(PAYLOAD_TEXT.replace('"leafCount":5,', '"leafCount":5,"leafCount":5,')),
    "NON_CANONICAL",
    "duplicate tree key",
  );
});

Deno.test("NON_CANONICAL: unknown top-level and nested fields", () => {
  const cases: [string, (o: Json) => void][] = [
    ["top-level", (o) => o.extra = 1],
    ["top-level, sorting first", (o) => o.aaa = "x"],
    ["__proto__", (o) => Object.defineProperty(o, "__proto__", { value: {}, enumerable: true })],
    ["policy", (o) => o.policy.extra = null],
    ["tree", (o) => o.tree.extra = "0"],
    ["cap", (o) => o.policy.cap = { num: "1", den: "2", extra: "3" }],
  ];
  for (const [label, change] of cases) {
    const message = expectCode(mutated(change), "NON_CANONICAL", label);
    assert.match(message, /unknown field/, label);
  }
});

// ---------------------------------------------------------------------------------------------
// STATEMENT_INVALID

Deno.test("STATEMENT_INVALID: type", () => {
  for (const type of ["socialized-loss/statement/v2", "Socialized-loss/statement/v1", "", 1, null]) {
    expectCode(mutated((o) => o.type = type), "STATEMENT_INVALID", `type ${JSON.stringify(type)}`);
  }
});

Deno.test("STATEMENT_INVALID: snapshot times", () => {
  const bad = [
    "2026-02-30T08:00:00Z",
    "2026-11-03T24:00:00Z",
    "2026-11-03T08:00:00",
    "2026-11-03t08:00:00Z",
    "2026-11-03T08:00:00z",
    "2026-11-03 08:00:00Z",
    "2026-11-03T08:00:00+00:00",
    "2026-11-03T08:00:60Z",
    "2026-11-03",
    "",
  ];
  for (const time of bad) {
    expectCode(mutated((o) => o.snapshotTime = time), "STATEMENT_INVALID", `snapshotTime ${time}`);
  }
  expectCode(mutated((o) => o.snapshotTime = 1762156800), "STATEMENT_INVALID", "snapshotTime as a number");
});

Deno.test("STATEMENT_INVALID: decimals", () => {
  for (const decimals of [-1, 39, 2.5, "2", null, 1e21]) {
    expectCode(mutated((o) => o.decimals = decimals), "STATEMENT_INVALID", `decimals ${decimals}`);
  }
});

Deno.test("STATEMENT_INVALID: amounts must be canonical decimal strings below 2^128", () => {
  const fields: [string, (o: Json, v: unknown) => void][] = [
    ["deficit", (o, v) => o.deficit = v],
    ["insuranceFund", (o, v) => o.insuranceFund = v],
    ["insuranceUsed", (o, v) => o.insuranceUsed = v],
    ["shortfall", (o, v) => o.shortfall = v],
    ["target", (o, v) => o.target = v],
    ["uncovered", (o, v) => o.uncovered = v],
    ["tree.totalBase", (o, v) => o.tree.totalBase = v],
    ["tree.totalHaircut", (o, v) => o.tree.totalHaircut = v],
    ["policy.cap.num", (o, v) => o.policy.cap = { num: v, den: "2" }],
    ["policy.cap.den", (o, v) => o.policy.cap = { num: "1", den: v }],
  ];
  const values = ["01", "-1", "+1", "1.0", "1e3", "", " 1", "340282366920938463463374607431768211456", 200000, 1, null];
  for (const [name, set] of fields) {
    for (const v of values) {
      const message = expectCode(mutated((o) => set(o, v)), "STATEMENT_INVALID", `${name} = ${JSON.stringify(v)}`);
      assert.ok(message.includes(name), `message names ${name}: ${message}`);
    }
  }
});

Deno.test("STATEMENT_INVALID: policy base, rounding and cap", () => {
  for (const base of ["loss", "Profit", "", null, 1]) {
    expectCode(mutated((o) => o.policy.base = base), "STATEMENT_INVALID", `base ${base}`);
  }
  for (const rounding of ["round", "Floor", "largest_remainder", "hamilton", null]) {
    expectCode(mutated((o) => o.policy.rounding = rounding), "STATEMENT_INVALID", `rounding ${rounding}`);
  }
  const caps: [string, unknown][] = [
    ["num = 0", { num: "0", den: "1" }],
    ["num > den", { num: "3", den: "2" }],
    ["den = 0", { num: "1", den: "0" }],
    ["cap as a string", "1/2"],
    ["cap as an array", ["1", "2"]],
    ["cap missing den", { num: "1" }],
    ["cap false", false],
  ];
  for (const [label, cap] of caps) {
    expectCode(mutated((o) => o.policy.cap = cap), "STATEMENT_INVALID", label);
  }
  expectCode(mutated((o) => o.policy = null), "STATEMENT_INVALID", "policy null");
  expectCode(mutated((o) => delete o.policy.cap), "STATEMENT_INVALID", "policy without cap");
  // num = den is allowed (a 100% cap).
  assert.deepEqual(parseStatementPayload(mutated((o) => o.policy.cap = { num: "7", den: "7" })).policy.cap, {
    num: 7n,
    den: 7n,
  });
});

Deno.test("STATEMENT_INVALID: tree root, leafCount and previous", () => {
  const roots = [
    GOLDEN_ROOT.toUpperCase(),
    GOLDEN_ROOT.slice(0, 62),
    GOLDEN_ROOT + "00",
    GOLDEN_ROOT.slice(0, 63) + "g",
    "",
    7,
    null,
  ];
  for (const root of roots) expectCode(mutated((o) => o.tree.root = root), "STATEMENT_INVALID", `root ${root}`);
  for (const leafCount of [0, -1, 1.5, "5", null, MAX_LEAF_COUNT + 1]) {
    expectCode(mutated((o) => o.tree.leafCount = leafCount), "STATEMENT_INVALID", `leafCount ${leafCount}`);
  }
  const previous = [GOLDEN_DIGEST.toUpperCase(), GOLDEN_DIGEST.slice(1), GOLDEN_DIGEST + "0", "", "zz".repeat(32), 0];
  for (const p of previous) expectCode(mutated((o) => o.previous = p), "STATEMENT_INVALID", `previous ${p}`);
  expectCode(mutated((o) => o.tree = null), "STATEMENT_INVALID", "tree null");
});

Deno.test("STATEMENT_INVALID: text fields, missing fields and non-objects", () => {
  expectCode(mutated((o) => o.venue = ""), "STATEMENT_INVALID", "empty venue");
  expectCode(mutated((o) => o.venue = "a\u0000b"), "STATEMENT_INVALID", "control character in venue");
  expectCode(mutated((o) => o.event = "line\nbreak"), "STATEMENT_INVALID", "newline in event");
  expectCode(mutated((o) => o.venue = "x".repeat(257)), "STATEMENT_INVALID", "venue too long");
  expectCode(mutated((o) => o.asset = "é".repeat(33)), "STATEMENT_INVALID", "asset over 64 bytes");
  expectCode(mutated((o) => o.asset = 5), "STATEMENT_INVALID", "asset as a number");
  for (const key of ["previous", "venue", "tree", "uncovered"]) {
    expectCode(mutated((o) => delete o[key]), "STATEMENT_INVALID", `missing ${key}`);
  }
  expectCode(mutated((o) => delete o.tree.root), "STATEMENT_INVALID", "missing tree.root");
  for (const text of ["[]", "null", '"x"', "1", "{", ""]) {
    expectCode(enc.encode(text), "STATEMENT_INVALID", `payload ${text}`);
  }
  expectCode(Uint8Array.from([0x7b, 0xff, 0x7d]), "STATEMENT_INVALID", "invalid UTF-8");
  // Exactly 256 bytes of venue is still fine.
  assert.equal(parseStatementPayload(mutated((o) => o.venue = "x".repeat(256))).venue.length, 256);
});

// ---------------------------------------------------------------------------------------------
// Arithmetic

function withChanges(changes: Partial<Omit<Statement, "tree">> & { tree?: Partial<Statement["tree"]> }): Statement {
  const g = golden();
  return { ...g, ...changes, tree: { ...g.tree, ...changes.tree } };
}

const CAP_1_20 = { base: "profit" as const, rounding: "largest-remainder" as const, cap: { num: 1n, den: 20n } };
const FLOOR = { base: "profit" as const, rounding: "floor" as const, cap: null };

function onlyFinding(s: Statement, label: string): string {
  const findings = checkArithmetic(s);
  assert.equal(findings.length, 1, `${label}: ${JSON.stringify(findings)}`);
  assert.equal(findings[0].code, "ARITHMETIC");
  assert.equal(findings[0].leaf, undefined);
  assert.ok(!findings[0].message.includes("\n"));
  return findings[0].message;
}

Deno.test("checkArithmetic: the golden statement and other consistent statements have no findings", () => {
  assert.deepEqual(checkArithmetic(golden()), []);
  // floor(1156790 / 20) = 57839 < shortfall 80000, so the cap binds and 22161 is uncovered.
  assert.deepEqual(
    checkArithmetic(
      withChanges({ policy: CAP_1_20, target: 57839n, uncovered: 22161n, tree: { totalHaircut: 57839n } }),
    ),
    [],
  );
  // Floor rounding may collect target - (leafCount - 1) .. target.
  for (const collected of [79996n, 79999n, 80000n]) {
    assert.deepEqual(
      checkArithmetic(withChanges({ policy: FLOOR, uncovered: 80000n - collected, tree: { totalHaircut: collected } })),
      [],
    );
  }
  // The fund covers everything: nothing is socialized.
  assert.deepEqual(
    checkArithmetic(
      withChanges({
        deficit: 100000n,
        insuranceUsed: 100000n,
        shortfall: 0n,
        target: 0n,
        uncovered: 0n,
        tree: { totalHaircut: 0n },
      }),
    ),
    [],
  );
  // The bases cannot cover the shortfall: target = totalBase, the rest is uncovered.
  assert.deepEqual(
    checkArithmetic(
      withChanges({ target: 50000n, uncovered: 30000n, tree: { totalBase: 50000n, totalHaircut: 50000n } }),
    ),
    [],
  );
});

Deno.test("checkArithmetic: one ARITHMETIC finding per broken identity, each with its own message", () => {
  const messages = new Map<string, string>();
  // 1. The insurance fund is not used first (all other identities hold for the values given).
  messages.set(
    "insurance",
    onlyFinding(
      withChanges({
        insuranceUsed: 100000n,
        shortfall: 100000n,
        target: 100000n,
        uncovered: 0n,
        tree: { totalHaircut: 100000n },
      }),
      "insurance",
    ),
  );
  assert.match(messages.get("insurance")!, /insuranceUsed 100000/);
  assert.match(messages.get("insurance")!, /120000/);
  // 2. shortfall != deficit - insuranceUsed.
  messages.set(
    "shortfall",
    onlyFinding(
      withChanges({ shortfall: 80001n, target: 80001n, uncovered: 0n, tree: { totalHaircut: 80001n } }),
      "shortfall",
    ),
  );
  assert.match(messages.get("shortfall")!, /shortfall 80001/);
  // 3. target wrong without a cap.
  messages.set(
    "target",
    onlyFinding(withChanges({ target: 79999n, uncovered: 1n, tree: { totalHaircut: 79999n } }), "target"),
  );
  assert.match(messages.get("target")!, /target 79999/);
  assert.match(messages.get("target")!, /80000/);
  // 4. target wrong with a cap: the uncapped value is not allowed when the cap binds.
  messages.set(
    "target with cap",
    onlyFinding(withChanges({ policy: CAP_1_20 }), "target with cap"),
  );
  assert.match(messages.get("target with cap")!, /1156790/);
  assert.match(messages.get("target with cap")!, /1 \/ 20/);
  assert.match(messages.get("target with cap")!, /57839/);
  // 5. uncovered != shortfall - totalHaircut.
  messages.set("uncovered", onlyFinding(withChanges({ uncovered: 1n }), "uncovered"));
  assert.match(messages.get("uncovered")!, /uncovered 1/);
  // 6. largest-remainder must collect exactly the target.
  messages.set(
    "largest-remainder",
    onlyFinding(withChanges({ uncovered: 1n, tree: { totalHaircut: 79999n } }), "largest-remainder"),
  );
  assert.match(messages.get("largest-remainder")!, /79999/);
  // 7. floor collects too little: below target - (leafCount - 1) = 79996.
  messages.set(
    "floor low",
    onlyFinding(withChanges({ policy: FLOOR, uncovered: 5n, tree: { totalHaircut: 79995n } }), "floor low"),
  );
  assert.match(messages.get("floor low")!, /79996/);
  assert.match(messages.get("floor low")!, /79995/);
  // 8. floor collects more than the target (the cap makes target < shortfall, so uncovered still holds).
  messages.set(
    "floor high",
    onlyFinding(
      withChanges({
        policy: { ...FLOOR, cap: { num: 1n, den: 20n } },
        target: 57839n,
        uncovered: 22160n,
        tree: { totalHaircut: 57840n },
      }),
      "floor high",
    ),
  );
  assert.match(messages.get("floor high")!, /57840/);
  // Every identity's message is different.
  const distinct = new Set(messages.values());
  assert.equal(distinct.size, messages.size, [...messages.values()].join("\n"));
  // The first words differ between identities (not only the numbers).
  const templates = new Set(
    ["insurance", "shortfall", "target", "uncovered", "largest-remainder", "floor low"].map((k) =>
      messages.get(k)!.replace(/\d+/g, "#")
    ),
  );
  assert.equal(templates.size, 6);
});

Deno.test("checkArithmetic: several broken identities give several findings", () => {
  // Socializing while the fund still has money: insuranceUsed 0 breaks the fund rule and the shortfall.
  const findings = checkArithmetic(withChanges({ insuranceUsed: 0n }));
  assert.equal(findings.length, 2);
  assert.ok(findings.every((f) => f.code === "ARITHMETIC"));
  // Insurance first (SPEC §7): a fund with money left must be used before socializing.
  const early = checkArithmetic(
    withChanges({
      deficit: 100000n,
      insuranceUsed: 0n,
      shortfall: 100000n,
      target: 100000n,
      uncovered: 0n,
      tree: { totalHaircut: 100000n },
    }),
  );
  assert.equal(early.length, 1);
  assert.match(early[0].message, /insuranceUsed 0/);
  // More used than the deficit.
  const over = checkArithmetic(withChanges({ deficit: 100n, insuranceUsed: 120000n, shortfall: 0n }));
  assert.equal(over.length, 4, JSON.stringify(over)); // fund rule, shortfall, target, uncovered
  // Everything wrong at once.
  const all = checkArithmetic(
    withChanges({ insuranceUsed: 1n, shortfall: 2n, target: 3n, uncovered: 4n, tree: { totalHaircut: 5n } }),
  );
  assert.equal(all.length, 5, JSON.stringify(all)); // every identity of largest-remainder
  assert.equal(new Set(all.map((f) => f.message)).size, all.length);
});

// ---------------------------------------------------------------------------------------------
// isUtcTimestamp

Deno.test("isUtcTimestamp accepts RFC 3339 UTC times with real dates", () => {
  const good = [
    "2026-11-03T08:00:00Z",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2024-02-29T12:00:00Z",
    "2000-02-29T00:00:00Z",
    "0000-02-29T00:00:00Z", // proleptic Gregorian: year 0 is divisible by 400
    "0400-02-29T00:00:00Z",
    "2026-01-31T00:00:00Z",
    "2026-04-30T00:00:00Z",
    "2016-12-31T23:59:60Z",
    "2026-11-03T08:00:00.5Z",
    "2026-11-03T08:00:00.123456789Z",
  ];
  for (const t of good) assert.equal(isUtcTimestamp(t), true, t);
});

Deno.test("isUtcTimestamp rejects impossible dates, bad times and other formats", () => {
  const bad = [
    "2026-02-30T08:00:00Z",
    "2023-02-29T08:00:00Z",
    "1900-02-29T08:00:00Z",
    "0100-02-29T08:00:00Z",
    "0001-02-29T08:00:00Z",
    "2026-04-31T08:00:00Z",
    "2026-13-01T08:00:00Z",
    "2026-00-01T08:00:00Z",
    "2026-11-00T08:00:00Z",
    "2026-11-32T08:00:00Z",
    "2026-11-03T24:00:00Z",
    "2026-11-03T23:60:00Z",
    "2026-11-03T08:00:61Z",
    "2026-11-03T08:00:60Z", // a leap second only at 23:59:60
    "2026-11-03T23:58:60Z",
    "2026-11-03T08:00:00",
    "2026-11-03t08:00:00Z",
    "2026-11-03T08:00:00z",
    "2026-11-03 08:00:00Z",
    "2026-11-03T08:00:00+00:00",
    "2026-11-03T08:00:00-00:00",
    "2026-11-03T08:00Z",
    "2026-11-03T08:00:00.Z",
    "2026-11-03T08:00:00.1234567890Z",
    "2026-11-03T08:00:00,5Z",
    "26-11-03T08:00:00Z",
    "+2026-11-03T08:00:00Z",
    "2026-11-3T08:00:00Z",
    "2026-11-03T8:00:00Z",
    "2026-11-03",
    "",
    " 2026-11-03T08:00:00Z",
    "2026-11-03T08:00:00Z\n",
    "２０２６-11-03T08:00:00Z",
  ];
  for (const t of bad) assert.equal(isUtcTimestamp(t), false, JSON.stringify(t));
});

Deno.test("NON_CANONICAL: an unknown field wins over an invalid member (SPEC 6.4, rule 3 before rule 5)", () => {
  // Each payload is also STATEMENT_INVALID (the type is wrong); the unknown field is reported first.
  const cases: [string, (o: Json) => void, string][] = [
    ["top-level", (o) => o.extra = 1, 'statement has unknown field "extra"'],
    ["policy", (o) => o.policy.extra = null, 'statement.policy has unknown field "extra"'],
    ["tree", (o) => o.tree.extra = "0", 'statement.tree has unknown field "extra"'],
    ["cap", (o) => o.policy.cap = { num: "1", den: "2", extra: "3" }, 'statement.policy.cap has unknown field "extra"'],
  ];
  for (const [label, change, message] of cases) {
    const bytes = mutated((o) => {
      change(o);
      o.type = "socialized-loss/statement/v2";
    });
    assert.equal(expectCode(bytes, "NON_CANONICAL", label), message, label);
  }
});

Deno.test("STATEMENT_INVALID: a payload or member that is not an object says so", () => {
  assert.equal(expectCode(enc.encode("[]"), "STATEMENT_INVALID", "array"), "statement payload must be an object");
  assert.equal(expectCode(enc.encode('"x"'), "STATEMENT_INVALID", "string"), "statement payload must be an object");
  assert.equal(expectCode(enc.encode("null"), "STATEMENT_INVALID", "null"), "statement payload must be an object");
  assert.equal(
    expectCode(mutated((o) => o.tree = []), "STATEMENT_INVALID", "tree []"),
    "statement tree must be an object",
  );
  assert.equal(
    expectCode(mutated((o) => o.policy = ["profit"]), "STATEMENT_INVALID", "policy array"),
    "statement policy must be an object",
  );
});
