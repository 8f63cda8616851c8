/**
 * Document classification at the boundary (src/format/_sniff.ts) and the
 * small formatters of the plain words (src/report/_words.ts).
 */

import assert from "node:assert/strict";
import {
  type DocumentKind,
  documentProblem,
  encodingProblem,
  sniffDocument,
  withoutBom,
} from "../src/format/_sniff.ts";
import { roughPercent, timeInWords } from "../src/report/_words.ts";

const ROOT = new URL("../", import.meta.url);

function read(path: string): string {
  return Deno.readTextFileSync(new URL(path, ROOT));
}

function kind(text: string): DocumentKind {
  return sniffDocument(text).kind;
}

Deno.test("sniff: every file of the example publication and its inputs is recognised", () => {
  const proof = [...Deno.readDirSync(new URL("fixtures/example/proofs/", ROOT))][0].name;
  const files: [string, DocumentKind][] = [
    [`fixtures/example/proofs/${proof}`, "proof"],
    ["fixtures/example/statement.dsse.json", "envelope"],
    ["fixtures/example/keys.json", "keys"],
    ["fixtures/example/leaves.csv", "leaves-csv"],
    ["fixtures/example/input/accounts.csv", "accounts-csv"],
    ["fixtures/example/input/event.json", "event"],
    ["fixtures/example/input/venue.key.json", "signing-key"],
    ["fixtures/golden/statement.json", "statement"],
  ];
  for (const [path, expected] of files) {
    assert.equal(kind(read(path)), expected, path);
    assert.equal(kind("\ufeff" + read(path)), expected, `${path} with a BOM`);
  }
});

Deno.test("sniff: every envelope and proof of the tamper corpus keeps its kind, so the verifier judges it", () => {
  for (const e of Deno.readDirSync(new URL("fixtures/tampered/", ROOT))) {
    for (const [file, expected] of [["statement.dsse.json", "envelope"], ["proof.json", "proof"]] as const) {
      let text: string;
      try {
        text = read(`fixtures/tampered/${e.name}/${file}`);
      } catch {
        continue;
      }
      // A deficit proof (v1.1) is a proof too: the verifier tells the two kinds apart by their type.
      const found = kind(text);
      assert.ok(found === expected || (expected === "proof" && found === "deficit-proof"), `${e.name}/${file}`);
    }
  }
});

Deno.test("sniff: empty, cut off, unknown JSON and text", () => {
  assert.deepEqual(sniffDocument(""), { kind: "empty", bytes: 0 });
  assert.deepEqual(sniffDocument("\ufeff \r\n\t"), { kind: "empty", bytes: 7 });
  for (const cut of ['{"a"', '{"a":', '{"a":tr', '{"a":"x\\u00', '{"a":"x\\', "[1,2", '{"a":1', "  {"]) {
    assert.equal(kind(cut), "truncated", cut);
  }
  assert.deepEqual(sniffDocument('{"é":'), { kind: "truncated", bytes: 6 }, "bytes are UTF-8 bytes");
  for (const json of ["{}", "[]", "1", '"x"', '{"type":"other"}', "null"]) assert.equal(kind(json), "json", json);
  for (const text of ["{ not json }", "hello", '{"a":1}}', '{"a":1,"a":2}']) assert.equal(kind(text), "text", text);
  assert.equal(kind("c2sp.org/tlog-proof@v1\nindex 3\n"), "tlog-proof");
  assert.equal(kind("account_key,loss\n"), "bankrupt-csv");
  assert.equal(kind('{"type":"socialized-loss/deficit-proof/v1"}'), "deficit-proof");
  assert.equal(kind('{"origin":"o","log":"l","witnesses":[],"quorum":1}'), "log-policy");
});

Deno.test("withoutBom: only one leading byte order mark is dropped", () => {
  assert.equal(withoutBom("\ufeff\ufeff{}"), "\ufeff{}");
  assert.equal(withoutBom('{"a":"\ufeff"}'), '{"a":"\ufeff"}');
});

Deno.test("roughPercent: one decimal, half up, no .0 when exact", () => {
  assert.equal(roughPercent(87015n, 750000n), "11.6%");
  assert.equal(roughPercent(1n, 10n), "10%");
  assert.equal(roughPercent(1n, 3n), "33.3%");
  assert.equal(roughPercent(2n, 3n), "66.7%");
  assert.equal(roughPercent(1001n, 10000n), "10.0%", "not exact: the decimal stays");
  assert.equal(roughPercent(1n, 2000n), "0.1%", "0.05% rounds half up");
  assert.equal(roughPercent(0n, 5n), "0%");
  assert.equal(roughPercent(5n, 0n), "0%");
});

Deno.test("timeInWords: the date and the time in UTC, seconds only when not zero", () => {
  assert.equal(timeInWords("2026-11-03T08:00:00Z"), "2026-11-03 at 08:00 UTC");
  assert.equal(timeInWords("2026-11-03T08:00:05Z"), "2026-11-03 at 08:00:05 UTC");
  assert.equal(timeInWords("2026-11-03T08:00:00.250Z"), "2026-11-03 at 08:00:00.250 UTC");
  assert.equal(timeInWords("not a time"), "not a time");
});

Deno.test("sniff: a JSON object's kind needs every member its rule names", () => {
  const cases: [string, DocumentKind][] = [
    ['{"payload":"x"}', "envelope"],
    ['{"payloadType":"x"}', "envelope"],
    ['{"signatures":[]}', "envelope"],
    ['{"keys":[],"threshold":1}', "keys"],
    ['{"keys":[]}', "json"],
    ['{"threshold":1}', "json"],
    ['{"secretKey":"x"}', "signing-key"],
    ['{"witnesses":[],"quorum":1}', "log-policy"],
    ['{"witnesses":[]}', "json"],
    ['{"quorum":1}', "json"],
    ['{"insuranceFund":"1"}', "event"],
    ['{"insuranceFund":"1","type":"x"}', "json"],
    ['{"salt":"s","path":[],"statement":"d"}', "proof"],
    ['{"salt":"s","path":[]}', "json"],
    ['{"salt":"s","statement":"d"}', "json"],
    ['{"path":[],"statement":"d"}', "json"],
    ['{"type":"socialized-loss/proof/v9"}', "proof"],
    ['{"type":"socialized-loss/statement/v1"}', "statement"],
    ["[1]", "json"],
    ["null", "json"],
    ['"x"', "json"],
    ["{}", "json"],
  ];
  for (const [text, kind] of cases) assert.equal(sniffDocument(text).kind, kind, text);
});

Deno.test("documentProblem: empty, cut off, another kind (with a swap hint when both roles are known), else none", () => {
  const expected = {
    kinds: ["envelope"],
    what: "statement file",
    roles: { envelope: "--statement", proof: "the proof" },
  } as const;
  const proof = '{"type":"socialized-loss/proof/v1"}';
  assert.equal(documentProblem("", "s.json", expected), "s.json: the statement file is empty");
  assert.equal(
    documentProblem('{"payload":', "s.json", expected),
    "s.json: the statement file is not complete JSON (cut off at byte 11?)",
  );
  assert.equal(
    documentProblem(proof, "s.json", expected),
    "s.json looks like a proof, not a statement: did you swap --statement and the proof?",
  );
  assert.equal(
    documentProblem('{"keys":[],"threshold":1}', "s.json", expected),
    "s.json looks like a keys file, not a statement",
  );
  assert.equal(
    documentProblem(proof, "s.json", { kinds: ["envelope"], what: "statement file", roles: { proof: "the proof" } }),
    "s.json looks like a proof, not a statement",
  );
  // The expected kind, plain JSON and text go on to the strict parsers.
  assert.equal(documentProblem('{"payload":"x"}', "s.json", expected), undefined);
  assert.equal(documentProblem('{"other":1}', "s.json", expected), undefined);
  assert.equal(documentProblem("hello", "s.json", expected), undefined);
});

Deno.test("encodingProblem: UTF-16 and UTF-32 by their byte order marks or NUL bytes, invalid UTF-8 by its offset", () => {
  const ascii = '{"a":1}';
  const le16 = [...ascii].flatMap((c) => [c.charCodeAt(0), 0]);
  const be16 = [...ascii].flatMap((c) => [0, c.charCodeAt(0)]);
  const le32 = [...ascii].flatMap((c) => [c.charCodeAt(0), 0, 0, 0]);
  const be32 = [...ascii].flatMap((c) => [0, 0, 0, c.charCodeAt(0)]);
  const utf16 = "is saved as UTF-16; save it as UTF-8";
  const utf32 = "is saved as UTF-32; save it as UTF-8";
  const cases: [number[], string | undefined][] = [
    [[0xff, 0xfe, ...le16], utf16],
    [[0xfe, 0xff, ...be16], utf16],
    [le16, utf16],
    [be16, utf16],
    [[0xff, 0xfe, 0, 0, ...le32], utf32],
    [[0, 0, 0xfe, 0xff, ...be32], utf32],
    [le32, utf32],
    [be32, utf32],
    [[0x7b, 0xc3, 0x7d], "is not UTF-8 text (invalid byte at offset 1); save it as UTF-8"],
    // A real U+FFFD (EF BF BD) is valid UTF-8; the lone continuation byte after it is not.
    [[0x7b, 0xef, 0xbf, 0xbd, 0x80], "is not UTF-8 text (invalid byte at offset 4); save it as UTF-8"],
    [[0xef, 0xbb, 0xbf, 0x7b, 0x7d], undefined],
    [[...new TextEncoder().encode('{"a":"é😀"}')], undefined],
    [[0x7b], undefined],
    [[], undefined],
  ];
  for (const [bytes, problem] of cases) assert.equal(encodingProblem(Uint8Array.from(bytes)), problem, `${bytes}`);
});
