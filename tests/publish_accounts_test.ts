/**
 * The publisher's accounts reader (src/publish/_accounts.ts): salt message
 * prefixes, the salt and key derivation against WebCrypto and accountKey,
 * the table, the CSV reader under another format, and the sort with its
 * duplicate and tie rules.
 */

import assert from "node:assert/strict";
import {
  ACCOUNTS_CSV,
  type AccountsFormat,
  AccountsReader,
  AccountTable,
  csvAccountIdProblem,
  readAccounts,
  readAccountsSync,
  SaltDeriver,
  saltMessagePrefix,
  sortAccounts,
  sortByKey,
} from "../src/publish/_accounts.ts";
import { InputError } from "../mod.ts";
import { accountKey } from "../tree.ts";
import { bytesToHex, compareBytes } from "../src/core/encoding.ts";

const enc = new TextEncoder();
const SECRET: Uint8Array<ArrayBuffer> = enc.encode("accounts-test-secret");

/** A second tree's input, as the deficit tree will have it. */
const BANKRUPT: AccountsFormat = {
  file: "bankrupt-accounts.csv",
  header: "account,loss",
  amount: "loss",
  amounts: "losses",
  saltDomain: "deficit",
};

async function hmac(secret: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

function deriver(prefix = saltMessagePrefix("e1")): SaltDeriver {
  return new SaltDeriver(SECRET, prefix);
}

Deno.test("saltMessagePrefix: event || 0x00, or domain || 0x00 || event || 0x00", () => {
  assert.deepEqual(saltMessagePrefix("e1"), Uint8Array.of(0x65, 0x31, 0));
  assert.deepEqual(saltMessagePrefix("e1", "deficit"), Uint8Array.of(...enc.encode("deficit"), 0, 0x65, 0x31, 0));
  assert.deepEqual(saltMessagePrefix("é"), Uint8Array.of(0xc3, 0xa9, 0));
  assert.deepEqual(saltMessagePrefix(""), Uint8Array.of(0));
});

Deno.test("SaltDeriver: the salt is HMAC-SHA256(secret, prefix || id) and the key accountKey(salt, id)", async () => {
  const out = new Uint8Array(64 + 7);
  for (const domain of [undefined, "deficit"]) {
    const prefix = saltMessagePrefix("2026-11-03/ETH-PERP", domain);
    const d = deriver(prefix);
    for (const id of ["alice", "ünï 😀", "x".repeat(256), "y".repeat(300), ""]) {
      const bytes = enc.encode(id);
      d.deriveInto(bytes, 0, bytes.length, out, 7);
      const expected = await hmac(SECRET, new Uint8Array([...prefix, ...bytes]));
      assert.equal(bytesToHex(out.subarray(7, 39)), bytesToHex(expected), `${domain} ${id.length}`);
      assert.equal(bytesToHex(out.subarray(39, 71)), bytesToHex(accountKey(expected, id)));
    }
  }
  // The domain separates the trees: the same account gets unrelated salts.
  const a = new Uint8Array(64);
  const b = new Uint8Array(64);
  deriver(saltMessagePrefix("e1")).deriveInto(enc.encode("alice"), 0, 5, a, 0);
  deriver(saltMessagePrefix("e1", "deficit")).deriveInto(enc.encode("alice"), 0, 5, b, 0);
  assert.notEqual(bytesToHex(a), bytesToHex(b));
  // An id read from the middle of a buffer hashes like the id alone.
  const c = new Uint8Array(64);
  deriver(saltMessagePrefix("e1")).deriveInto(enc.encode("--alice--"), 2, 7, c, 0);
  assert.equal(bytesToHex(c), bytesToHex(a));
});

Deno.test("AccountTable: ids, bases on both sides of 2^53, origins, salts and keys", () => {
  const table = new AccountTable(deriver());
  const rows: [string, bigint | number, number][] = [
    ["alice", 7n, 2],
    ["bob", 9007199254740993n, 3],
    ["\ufeffcarol", 0, 5],
    ["dave", (1n << 127n) + 1n, 9],
  ];
  for (const [id, base, origin] of rows) {
    const bytes = enc.encode(id);
    table.add(bytes, 0, bytes.length, { base, origin });
  }
  assert.equal(table.count, 4);
  rows.forEach(([id, base, origin], i) => {
    assert.equal(table.id(i), id);
    assert.equal(table.base(i), BigInt(base));
    assert.equal(table.origin(i), origin);
    const at = table.keyOffset(i);
    assert.equal(bytesToHex(table.records.subarray(at, at + 32)), bytesToHex(accountKey(table.salt(i), id)));
  });
});

Deno.test("AccountsReader: another format names its file, header and amount column", () => {
  const cases: [string, string][] = [
    ["account,base\nalice,1\n", "bankrupt-accounts.csv line 1: header must be exactly account,loss"],
    ["account,loss\nalice,1\nbob\n", "bankrupt-accounts.csv line 3: expected 2 columns: account,loss"],
    [
      "account,loss\nalice,01\n",
      'bankrupt-accounts.csv line 2: loss amount "01" is not a canonical decimal below 2^128',
    ],
    [
      'account,loss\na"b,1\n',
      "bankrupt-accounts.csv line 2: account id must not contain commas or quotes in bankrupt-accounts.csv",
    ],
    ["account,loss\nalice,1\nalice,2\n", 'bankrupt-accounts.csv line 3: duplicate account "alice"'],
    ["account,loss\nalice,1", "bankrupt-accounts.csv line 2: missing final newline"],
    ["account,loss\n", "bankrupt-accounts.csv has no accounts: the empty tree is invalid"],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => readAccountsSync(enc.encode(text), BANKRUPT, deriver()),
      (e: unknown) => e instanceof InputError && e.message === message,
      text,
    );
  }
  const sorted = readAccountsSync(enc.encode("account,loss\nalice,5\nbob,7\n"), BANKRUPT, deriver());
  assert.equal(sorted.total, 12n);
});

Deno.test("AccountsReader: a row problem is kept, not thrown, and only the first one", () => {
  const table = new AccountTable(deriver());
  const reader = new AccountsReader(ACCOUNTS_CSV, table);
  reader.push(enc.encode("account,base\nalice,1\nbob,x\ncarol,3\n,4\n"));
  reader.end();
  assert.deepEqual(reader.problem, {
    line: 3,
    message: 'accounts.csv line 3: base amount "x" is not a canonical decimal below 2^128',
  });
  assert.equal(table.count, 1, "rows after the first problem are not stored");
  const long = new AccountsReader(ACCOUNTS_CSV, new AccountTable(deriver()));
  // A line is dropped once its unterminated part outgrows the limit (a whole line in one chunk is checked as it is).
  long.push(enc.encode(`account,base\n${"a".repeat(40000)}`));
  long.push(enc.encode("a".repeat(30000)));
  long.push(enc.encode(",1\nbob,1\n"));
  long.end();
  assert.equal(long.problem?.message, "accounts.csv line 2: longer than 65536 bytes");
});

Deno.test("sortAccounts: ascending account keys, bases in tree order, the total", async () => {
  const lines = ["account,base"];
  for (let i = 0; i < 500; i++) lines.push(`user-${i},${i * 1000}`);
  const bytes = enc.encode(lines.join("\n") + "\n");
  const sorted = readAccountsSync(bytes, ACCOUNTS_CSV, deriver());
  const { table, order, bases } = sorted;
  const keys = Array.from(order, (k) => table.records.subarray(table.keyOffset(k), table.keyOffset(k) + 32));
  for (let j = 1; j < keys.length; j++) assert.ok(compareBytes(keys[j - 1], keys[j]) < 0, `leaf ${j}`);
  assert.deepEqual(bases, Array.from(order, (k) => BigInt(k * 1000)));
  assert.equal(sorted.total, 1000n * (499n * 500n / 2n));
  assert.deepEqual(new Set(order), new Set(Array.from({ length: 500 }, (_, i) => i)));
  // Chunked and async reading give the same order.
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < bytes.length; i += 37) yield bytes.slice(i, i + 37);
  }
  const streamed = await readAccounts(chunks(), ACCOUNTS_CSV, deriver());
  assert.deepEqual(streamed.order, order);
});

Deno.test("sortAccounts: the earliest of a row problem and a duplicate wins; a row problem wins a tie", () => {
  const where = (line: number) => `f line ${line}`;
  const table = new AccountTable(deriver());
  for (const [id, origin] of [["a", 2], ["b", 3], ["a", 6], ["b", 4]] as const) {
    table.add(enc.encode(id), 0, 1, { base: 1n, origin });
  }
  assert.throws(() => sortAccounts(table, { format: ACCOUNTS_CSV, where }), {
    message: 'f line 4: duplicate account "b"',
  });
  const earlier = { line: 3, message: "f line 3: earlier" };
  assert.throws(() => sortAccounts(table, { format: ACCOUNTS_CSV, where, problem: earlier }), {
    message: "f line 3: earlier",
  });
  const tie = { line: 4, message: "f line 4: the row's own problem" };
  assert.throws(() => sortAccounts(table, { format: ACCOUNTS_CSV, where, problem: tie }), { message: tie.message });
  const later = { line: 5, message: "f line 5: later" };
  assert.throws(() => sortAccounts(table, { format: ACCOUNTS_CSV, where, problem: later }), {
    message: 'f line 4: duplicate account "b"',
  });
  assert.throws(() => sortAccounts(new AccountTable(deriver()), { format: BANKRUPT, where }), {
    message: "bankrupt-accounts.csv has no accounts: the empty tree is invalid",
  });
});

Deno.test("csvAccountIdProblem: the proof rule plus no comma or quote, naming the file", () => {
  assert.equal(csvAccountIdProblem("alice"), undefined);
  assert.equal(csvAccountIdProblem("a,b"), "account id must not contain commas or quotes in accounts.csv");
  assert.equal(csvAccountIdProblem('a"b', "x.csv"), "account id must not contain commas or quotes in x.csv");
  assert.equal(csvAccountIdProblem(""), "account id must be 1 to 256 bytes, got 0");
  assert.equal(csvAccountIdProblem("a\u0001"), "account id must not contain control characters");
});

Deno.test("AccountsReader: amounts are canonical decimals on the fast path and off it", () => {
  for (const amount of ["-", "-0", "+0", "+1", " 0", "0 ", "-5", "1.5", "1e3", "00", "", "0x1", "٣"]) {
    const text = `account,base\nalice,${amount}\n`;
    assert.throws(
      () => readAccountsSync(enc.encode(text), ACCOUNTS_CSV, deriver()),
      (e: unknown) =>
        e instanceof InputError &&
        e.message ===
          `accounts.csv line 2: base amount ${JSON.stringify(amount)} is not a canonical decimal below 2^128`,
      JSON.stringify(amount),
    );
  }
  const amounts = ["0", "7", "10", "999999999999999", "1000000000000000", "340282366920938463463374607431768211455"];
  const text = "account,base\n" + amounts.map((a, i) => `u${i},${a}\n`).join("");
  const sorted = readAccountsSync(enc.encode(text), ACCOUNTS_CSV, deriver());
  assert.equal(sorted.total, amounts.reduce((t, a) => t + BigInt(a), 0n));
  assert.deepEqual(new Set(sorted.bases), new Set(amounts.map(BigInt)));
});

/** Keys laid out as an AccountTable lays them out: 64 bytes per account, the key in the second half. */
function keyTable(keys: readonly Uint8Array[]) {
  const records = new Uint8Array(64 * keys.length);
  keys.forEach((k, i) => records.set(k, 64 * i + 32));
  return { records, keyOffset: (i: number) => 64 * i + 32 };
}

/** The reference order: by key bytes, then by index. */
function referenceOrder(keys: readonly Uint8Array[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => compareBytes(keys[a], keys[b]) || a - b);
}

Deno.test("sortByKey: keys whose leading 64 bits tie are ordered by their remaining bytes", () => {
  const key = (head: number[], tail: number[]) => {
    const k = new Uint8Array(32);
    k.set(head);
    k.set(tail, 8);
    return k;
  };
  const same = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0];
  const keys = [
    key(same, [0xff]),
    key(same, [0x00, 0x02]),
    key([0x01], [0x05]),
    key(same, [0x00, 0x01]),
    key(same.slice(0, 7).concat([0xf1]), [0x00]), // differs from `same` only in the low bits of byte 7
    key(same, [0x00, 0x01]), // equal to index 3: index order
  ];
  const order = Array.from(sortByKey(keyTable(keys), keys.length));
  assert.deepEqual(order, [2, 3, 5, 1, 0, 4]);
  assert.deepEqual(order, referenceOrder(keys));
});

Deno.test("sortByKey: agrees with a bytewise sort on many keys with crafted leading-bit ties", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const keys: Uint8Array[] = [];
  for (let i = 0; i < 300; i++) {
    const k = new Uint8Array(32);
    for (let b = 0; b < 32; b++) k[b] = next();
    // A third of the keys share one of four 8-byte prefixes, so many runs tie in the packed sort.
    if (i % 3 === 0) k.fill(i % 4, 0, 8);
    keys.push(k);
  }
  keys.push(keys[0].slice(), keys[3].slice());
  assert.deepEqual(Array.from(sortByKey(keyTable(keys), keys.length)), referenceOrder(keys));
});

Deno.test("AccountsReader: an empty or over-long plain ASCII id is refused, 256 bytes is fine", () => {
  const read = (id: string) => readAccountsSync(enc.encode(`account,base\n${id},4\n`), ACCOUNTS_CSV, deriver());
  for (const [id, size] of [["", 0], ["a".repeat(257), 257]] as const) {
    assert.throws(
      () => read(id),
      (e: unknown) =>
        e instanceof InputError && e.message === `accounts.csv line 2: account id must be 1 to 256 bytes, got ${size}`,
      `${size} bytes`,
    );
  }
  assert.equal(read("a".repeat(256)).table.id(0), "a".repeat(256));
});
