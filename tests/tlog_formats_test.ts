import assert from "node:assert/strict";
import { ed25519 } from "npm:@noble/curves@2.4.0/ed25519.js";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { bytesToBase64 } from "../src/core/encoding.ts";
import { generateSigningKey } from "../publish.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import {
  COSIGNATURE_TYPE,
  cosignatureSigner,
  cosignCheckpoint,
  ed25519NoteSigner,
  formatAddCheckpoint,
  formatCheckpoint,
  formatTlogProof,
  formatVkey,
  NoteError,
  openNote,
  parseAddCheckpoint,
  parseCheckpoint,
  parseCosignatureVkey,
  parseEd25519Vkey,
  parseLogPolicy,
  parseNote,
  parseTlogProof,
  parseVkey,
  signNote,
} from "../tlog.ts";
import { MAX_NOTE_SIGNATURES, noteKeyId, signatureLine } from "../src/tlog/note.ts";

const enc = new TextEncoder();
const key = (n: number) => signingKeyFromSecret("ed25519", new Uint8Array(32).fill(n));
const ROOT = bytesToBase64(sha256(new Uint8Array()));
const BODY = `example.com/log\n5\n${ROOT}\n`;

function isNoteError(problem: string) {
  return (e: unknown) => e instanceof NoteError && e.problem === problem;
}

Deno.test("key IDs and vkeys follow the signed-note construction, written out from the spec", () => {
  const k = key(1);
  const name = "example.com/log";
  // key ID = SHA-256(key name || 0x0A || type || public key)[:4], big-endian.
  const input = new Uint8Array([...enc.encode(name), 0x0a, 0x01, ...k.publicKey]);
  const id = sha256(input).slice(0, 4);
  const expected = ((id[0] << 24) | (id[1] << 16) | (id[2] << 8) | id[3]) >>> 0;
  assert.equal(noteKeyId(name, 0x01, k.publicKey), expected);
  const vkey = formatVkey({ name, type: 0x01, publicKey: k.publicKey });
  assert.equal(
    vkey,
    `${name}+${expected.toString(16).padStart(8, "0")}+${bytesToBase64(new Uint8Array([1, ...k.publicKey]))}`,
  );
  assert.deepEqual(parseVkey(vkey), { name, keyId: expected, type: 1, publicKey: k.publicKey });
  assert.equal(ed25519NoteSigner(name, k).vkey, vkey);
});

Deno.test("vkeys are parsed strictly", () => {
  const good = formatVkey({ name: "w.example", type: 0x04, publicKey: key(2).publicKey });
  const [name, id, b64] = [
    good.slice(0, good.indexOf("+")),
    good.split("+")[1],
    good.slice(good.indexOf("+", good.indexOf("+") + 1) + 1),
  ];
  for (
    const bad of [
      "",
      "w.example",
      `w.example+${id}`,
      `${name}+${id.slice(1)}+${b64}`,
      `${name}+00000000+${b64}`,
      `other.example+${id}+${b64}`,
      `${name}+${id}+${b64.slice(0, -4)}`,
      `w example+${id}+${b64}`,
    ]
  ) {
    assert.throws(() => parseVkey(bad), isNoteError("malformed"), bad);
  }
  // As in Go's sumdb/note, the key ID's hex digits may be uppercase.
  assert.equal(parseVkey(`${name}+${id.toUpperCase()}+${b64}`).keyId, parseInt(id, 16));
  assert.throws(() => parseEd25519Vkey(good), /not Ed25519/);
  assert.throws(() => parseCosignatureVkey(ed25519NoteSigner("l", key(3)).vkey), /not a cosignature/);
  // An Ed25519 key that is not a curve point: y = 2 is not on the curve.
  const notPoint = new Uint8Array(32);
  notPoint[0] = 2;
  const vk = `p+${noteKeyId("p", 1, notPoint).toString(16).padStart(8, "0")}+${
    bytesToBase64(new Uint8Array([1, ...notPoint]))
  }`;
  assert.throws(() => parseVkey(vk), /curve point/);
});

Deno.test("a note signed by 16 keys verifies under each; unknown keys are ignored", () => {
  const signers = Array.from({ length: 16 }, (_, i) => ed25519NoteSigner(`k${i}.example`, key(i + 1)));
  const note = signNote(BODY, signers);
  assert.equal(parseNote(note).signatures.length, 16);
  for (const s of signers) {
    const opened = openNote(note, [parseEd25519Vkey(s.vkey)]);
    assert.equal(opened.text, BODY);
    assert.deepEqual(opened.verified.map((v) => v.name), [s.name]);
    assert.equal(opened.unknown.length, 15);
  }
  const all = openNote(note, signers.map((s) => parseEd25519Vkey(s.vkey)));
  assert.equal(all.verified.length, 16);
});

Deno.test("the signature limit: 100 lines accepted, 101 refused as malformed", () => {
  const line = signatureLine("x.example", 7, new Uint8Array(64));
  const s = ed25519NoteSigner("log.example", key(9));
  const signed = signNote(BODY, [s]);
  const at100 = signed + line.repeat(MAX_NOTE_SIGNATURES - 1);
  assert.equal(openNote(at100, [parseEd25519Vkey(s.vkey)]).unknown.length, MAX_NOTE_SIGNATURES - 1);
  assert.throws(() => openNote(at100 + line, [parseEd25519Vkey(s.vkey)]), isNoteError("malformed"));
});

Deno.test("a known key's bad signature rejects the note, even beside a good one; same name other ID is ignored", () => {
  const a = ed25519NoteSigner("a.example", key(1));
  const b = ed25519NoteSigner("b.example", key(2));
  const note = signNote(BODY, [a, b]);
  const lines = note.split("\n");
  // Flip one bit of b's signature (the last signature byte).
  const sigLine = lines[lines.length - 2];
  const bytes = Uint8Array.from(atob(sigLine.split(" ")[2]), (c) => c.charCodeAt(0));
  bytes[bytes.length - 1] ^= 1;
  const forged = [...lines.slice(0, -2), `— b.example ${bytesToBase64(bytes)}`, ""].join("\n");
  assert.throws(
    () => openNote(forged, [parseEd25519Vkey(a.vkey), parseEd25519Vkey(b.vkey)]),
    (e) => e instanceof NoteError && e.problem === "invalid-signature" && e.signer?.name === "b.example",
  );
  assert.equal(openNote(forged, [parseEd25519Vkey(a.vkey)]).verified.length, 1);
  // The same name with another key ID is an unknown key: ignored.
  const other = ed25519NoteSigner("a.example", key(5));
  const mixed = signNote(BODY, [other, a]);
  assert.deepEqual(openNote(mixed, [parseEd25519Vkey(a.vkey)]).unknown.map((s) => s.name), ["a.example"]);
  assert.throws(() => openNote(signNote(BODY, [other]), [parseEd25519Vkey(a.vkey)]), isNoteError("unverified"));
});

Deno.test("malformed notes are refused with a reason", () => {
  const s = ed25519NoteSigner("k.example", key(1));
  const good = signNote(BODY, [s]);
  const sig = good.slice(good.lastIndexOf("— "));
  const cases: [string, RegExp][] = [
    [BODY, /no blank line/],
    [`${BODY}\n`, /no signature lines/],
    [good.slice(0, -1), /does not end in a newline/],
    [`${BODY}\n- k.example AAAAAQk=\n`, /does not start with/],
    [`${BODY}\n— k.example\n`, /no signature/],
    [`${BODY}\n— k+x AAAAAQk=\n`, /invalid key name/],
    [`${BODY}\n— k.example AAAAAQ==\n`, /need a key ID/],
    [`${BODY}\n— k.example AAAAAQk\n`, /base64/],
    [`a\tb\n\n${sig}`, /control character U\+0009/],
    [`a\r\n\n${sig}`, /control character U\+000d/],
    [`\ud800\n\n${sig}`, /UTF-8/],
  ];
  for (const [note, reason] of cases) {
    assert.throws(
      () => parseNote(note),
      (e) => e instanceof NoteError && e.problem === "malformed" && reason.test(e.message),
      note,
    );
  }
  // The text may contain blank lines: the last blank line separates the signatures.
  assert.equal(parseNote(`a\n\nb\n\n${sig}`).text, "a\n\nb\n");
});

Deno.test("cosignature/v1 is the spec's construction: u64be(time) || Ed25519 over the header, time line and body", () => {
  const k = key(7);
  const name = "witness.example/w1";
  const time = 1679315147;
  const line = cosignCheckpoint(BODY, { name, key: k }, time);
  assert.ok(line.startsWith(`— ${name} `) && line.endsWith("\n"));
  const bytes = Uint8Array.from(atob(line.trim().split(" ")[2]), (c) => c.charCodeAt(0));
  assert.equal(bytes.length, 4 + 8 + 64);
  // Key ID over type 0x04, computed here directly.
  const id = sha256(new Uint8Array([...enc.encode(name), 0x0a, COSIGNATURE_TYPE, ...k.publicKey])).slice(0, 4);
  assert.deepEqual(bytes.slice(0, 4), id);
  assert.equal(new DataView(bytes.buffer).getBigUint64(4), BigInt(time));
  const message = enc.encode(`cosignature/v1\ntime ${time}\n${BODY}`);
  assert.ok(ed25519.verify(bytes.slice(12), message, k.publicKey));
  // An Ed25519 note signature over the body alone (type 0x01) is not a cosignature.
  assert.ok(!ed25519.verify(bytes.slice(12), enc.encode(BODY), k.publicKey));
  const vkey = cosignatureSigner(name, k, 0).vkey;
  const note = `${signNote(BODY, [ed25519NoteSigner("example.com/log", key(1))])}${line}`;
  const opened = openNote(note, [parseCosignatureVkey(vkey)]);
  assert.deepEqual(opened.verified.map((v) => [v.name, v.timestamp]), [[name, time]]);
  // Another timestamp in the signature than the one signed fails.
  const moved = bytes.slice();
  new DataView(moved.buffer).setBigUint64(4, BigInt(time + 1));
  const bad = `${signNote(BODY, [ed25519NoteSigner("example.com/log", key(1))])}— ${name} ${bytesToBase64(moved)}\n`;
  assert.throws(() => openNote(bad, [parseCosignatureVkey(vkey)]), isNoteError("invalid-signature"));
});

Deno.test("checkpoints are parsed strictly", () => {
  const c = parseCheckpoint(`o.example\n20852163\n${ROOT}\next one\n`);
  assert.equal(c.size, 20852163);
  assert.deepEqual(c.extensions, ["ext one"]);
  assert.equal(formatCheckpoint(c), `o.example\n20852163\n${ROOT}\next one\n`);
  for (
    const bad of [
      `o\n1\n${ROOT}`,
      `o\n1\n`,
      `o\n01\n${ROOT}\n`,
      `o\n-1\n${ROOT}\n`,
      `o\n1.0\n${ROOT}\n`,
      `o\n9007199254740992\n${ROOT}\n`,
      `o\n1\nAAAA\n`,
      `o\n1\n${ROOT.slice(0, -1)}\n`,
      `\n1\n${ROOT}\n`,
      `o\n1\n${ROOT}\n\n`,
    ]
  ) {
    assert.throws(() => parseCheckpoint(bad), SyntaxError, JSON.stringify(bad));
  }
});

Deno.test("tlog-proof files round-trip and are parsed strictly", () => {
  const cp = signNote(BODY, [ed25519NoteSigner("example.com/log", key(1))]);
  const hash = new Uint8Array(32).fill(3);
  const text = formatTlogProof({ extra: new Uint8Array([1, 2]), index: 4, path: [hash, hash], checkpoint: cp });
  assert.equal(
    text.split("\n").slice(0, 5).join("\n"),
    `c2sp.org/tlog-proof@v1\nextra AQI=\nindex 4\n${bytesToBase64(hash)}\n${bytesToBase64(hash)}`,
  );
  const p = parseTlogProof(text);
  assert.deepEqual(p, { extra: new Uint8Array([1, 2]), index: 4, path: [hash, hash], checkpoint: cp });
  const h = bytesToBase64(hash);
  for (
    const bad of [
      `c2sp.org/tlog-proof@v2\nindex 0\n\n${cp}`,
      `c2sp.org/tlog-proof@v1\nindex 01\n\n${cp}`,
      `c2sp.org/tlog-proof@v1\nindex 0\n${h}\n`,
      `c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n${cp}`,
      `c2sp.org/tlog-proof@v1\nextra !\nindex 0\n\n${cp}`,
      `c2sp.org/tlog-proof@v1\nindex 0\n${`${h}\n`.repeat(64)}\n${cp}`,
      `c2sp.org/tlog-proof@v1\nindex 0\n\n`,
      `c2sp.org/tlog-proof@v1\nindex 0\n\n${cp.slice(0, -1)}`,
    ]
  ) {
    assert.throws(() => parseTlogProof(bad), SyntaxError, JSON.stringify(bad.slice(0, 60)));
  }
  assert.equal(parseTlogProof(`c2sp.org/tlog-proof@v1\nindex 0\n${`${h}\n`.repeat(63)}\n${cp}`).path.length, 63);
});

Deno.test("add-checkpoint bodies round-trip and are parsed strictly", () => {
  const cp = signNote(BODY, [ed25519NoteSigner("example.com/log", key(1))]);
  const hash = new Uint8Array(32).fill(9);
  const body = formatAddCheckpoint({ oldSize: 3, proof: [hash], checkpoint: cp });
  assert.equal(body, `old 3\n${bytesToBase64(hash)}\n\n${cp}`);
  assert.deepEqual(parseAddCheckpoint(body), { oldSize: 3, proof: [hash], checkpoint: cp });
  for (
    const bad of [
      `old 3\n${cp}`,
      `old x\n\n${cp}`,
      `new 3\n\n${cp}`,
      `old 3\nAA==\n\n${cp}`,
      `old 3\n\n${cp.slice(0, -1)}`,
    ]
  ) {
    assert.throws(() => parseAddCheckpoint(bad), SyntaxError, JSON.stringify(bad.slice(0, 30)));
  }
});

Deno.test("log policies are parsed strictly", () => {
  const log = ed25519NoteSigner("example.com/log", key(1)).vkey;
  const w1 = cosignatureSigner("w1.example", key(2), 0).vkey;
  const w2 = cosignatureSigner("w2.example", key(3), 0).vkey;
  const ok = { origin: "example.com/log", log, witnesses: [w1, w2], quorum: 2 };
  const p = parseLogPolicy(JSON.stringify(ok));
  assert.equal(p.quorum, 2);
  assert.deepEqual(p.witnesses.map((w) => w.name), ["w1.example", "w2.example"]);
  const bad: [unknown, RegExp][] = [
    [{ ...ok, quorum: 3 }, /quorum must be an integer from 0 to 2/],
    [{ ...ok, quorum: -1 }, /quorum/],
    [{ ...ok, quorum: 1.5 }, /quorum/],
    [{ ...ok, witnesses: [w1, w1] }, /share a name and key ID/],
    [{ ...ok, log: w1 }, /log: .*not Ed25519/],
    [{ ...ok, witnesses: [log] }, /witnesses\[0\]: .*not a cosignature/],
    [{ ...ok, extra: 1 }, /unexpected field/],
    [{ ...ok, origin: "" }, /origin/],
    [{ ...ok, origin: "a\nb" }, /origin/],
  ];
  for (const [value, reason] of bad) assert.throws(() => parseLogPolicy(JSON.stringify(value)), reason);
  assert.throws(() => parseLogPolicy(`{"origin":"a","origin":"b","log":"","witnesses":[],"quorum":0}`), /duplicate/i);
});

Deno.test("generateSigningKey keys sign notes that verify", () => {
  const s = ed25519NoteSigner("fresh.example", generateSigningKey("ed25519"));
  assert.equal(openNote(signNote(BODY, [s]), [parseEd25519Vkey(s.vkey)]).verified[0].keyId, s.keyId);
});
