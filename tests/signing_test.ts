/**
 * Trust policies and co-signing: `required` keys (SIGNATURE_REQUIRED),
 * adding and co-signing signatures, external signature decoding with high-S
 * normalization, and the commands sign, pae, attach, pubkey, keys and
 * publish --unsigned / --threshold, run in-process.
 */

import assert from "node:assert/strict";
import { secp256k1 } from "npm:@noble/curves@2.4.0/secp256k1.js";
import { type CliResult, runCli } from "../src/cli/main.ts";
import {
  checkSignatures,
  FormatError,
  InputError,
  pae,
  parseEnvelope,
  parseKeysFile,
  PAYLOAD_TYPE,
  payloadDigest,
} from "../mod.ts";
import {
  addSignature,
  cosignEnvelope,
  decodeSignature,
  keysFileJson,
  parsePublicKey,
  publicKeyJson,
  type SigningKey,
  signingKeyJson,
} from "../publish.ts";
import { bytesToBase64, bytesToHex } from "../src/core/encoding.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { keysPolicyProblem, signingKeyFromSecret } from "../src/format/keys.ts";
import { normalizeSignature, signMessage, verifySignature } from "../src/format/signature.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const INPUT = `${ROOT}/fixtures/example/input`;
const N = secp256k1.Point.CURVE().n;
/** `haircut publish` of the example accounts and event, before the signing options and `--out`. */
const PUBLISH = ["publish", "--accounts", `${INPUT}/accounts.csv`, "--event", `${INPUT}/event.json`];

const VENUE = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(0x51));
const AUDITOR_A = signingKeyFromSecret("secp256k1", new Uint8Array(32).fill(0x52));
const AUDITOR_B = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(0x53));
const STRANGER = signingKeyFromSecret("secp256k1", new Uint8Array(32).fill(0x54));

/** "The venue required, threshold 2" over {venue, auditor A, auditor B}. */
const POLICY = parseKeysFile(
  keysFileJson(
    [{ ...VENUE, name: "venue" }, { ...AUDITOR_A, name: "auditor A" }, { ...AUDITOR_B, name: "auditor B" }],
    { threshold: 2, required: [VENUE.keyid] },
  ),
);

const PAYLOAD = new TextEncoder().encode('{"any":"payload"}');

function envelopeBy(...signers: SigningKey[]) {
  const message = pae(PAYLOAD_TYPE, PAYLOAD);
  return {
    payloadType: PAYLOAD_TYPE,
    payload: PAYLOAD,
    signatures: signers.map((k) => ({ keyid: k.keyid, sig: signMessage(k, message) })),
  };
}

/** The (r, n - s) twin of a 64-byte secp256k1 signature. */
function twin(sig: Uint8Array): Uint8Array {
  const s = secp256k1.Signature.fromBytes(sig, "compact");
  return new secp256k1.Signature(s.r, N - s.s).toBytes("compact");
}

function sOf(sig: Uint8Array): bigint {
  return secp256k1.Signature.fromBytes(sig, "compact").s;
}

// ---- the required list ------------------------------------------------------

Deno.test("required: valid only when the threshold is met and every required key signed", () => {
  const cases: [string, SigningKey[], string[]][] = [
    ["venue and auditor A", [VENUE, AUDITOR_A], []],
    ["venue and both auditors", [VENUE, AUDITOR_A, AUDITOR_B], []],
    ["auditor B and the venue, in that order", [AUDITOR_B, VENUE], []],
    ["the venue alone", [VENUE], ["SIGNATURE_THRESHOLD"]],
    ["both auditors, no venue", [AUDITOR_A, AUDITOR_B], ["SIGNATURE_REQUIRED"]],
    ["auditor A alone", [AUDITOR_A], ["SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]],
    ["a stranger and auditor A", [STRANGER, AUDITOR_A], ["SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]],
    ["nobody", [], ["SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]],
  ];
  for (const [name, signers, codes] of cases) {
    const check = checkSignatures(envelopeBy(...signers), POLICY);
    assert.deepEqual(check.findings.map((f) => f.code), codes, name);
    assert.deepEqual(check.missingRequired, signers.includes(VENUE) ? [] : [VENUE.keyid], name);
  }
  const stripped = checkSignatures(envelopeBy(AUDITOR_A, AUDITOR_B), POLICY);
  assert.equal(stripped.validKeys, 2);
  assert.equal(
    stripped.findings[0].message,
    `required key ${VENUE.keyid} (venue) has no valid signature`,
  );
});

Deno.test("required: the venue's signature copied under another keyid, or a bad venue signature, does not count", () => {
  // Two copies of auditor A's signature: one distinct key, and the venue absent.
  const env = envelopeBy(AUDITOR_A);
  env.signatures.push({ keyid: VENUE.keyid, sig: env.signatures[0].sig });
  const check = checkSignatures(env, POLICY);
  assert.deepEqual(check.findings.map((f) => f.code), ["SIGNATURE_THRESHOLD", "SIGNATURE_REQUIRED"]);
  assert.equal(check.validKeys, 1);
  assert.deepEqual(check.signers.map((x) => x.trustedKeyid), [AUDITOR_A.keyid, AUDITOR_A.keyid]);
  // A venue signature over other bytes names the venue but does not verify.
  const forged = envelopeBy(AUDITOR_A, AUDITOR_B);
  forged.signatures.push({ keyid: VENUE.keyid, sig: signMessage(VENUE, new Uint8Array([1])) });
  assert.deepEqual(checkSignatures(forged, POLICY).findings.map((f) => f.code), [
    "SIGNATURE_INVALID",
    "SIGNATURE_REQUIRED",
  ]);
});

Deno.test("required: parseKeysFile reads it and refuses unknown, repeated or malformed entries", () => {
  assert.deepEqual(POLICY.required, [VENUE.keyid]);
  assert.equal(POLICY.threshold, 2);
  const base = JSON.parse(keysFileJson([VENUE, AUDITOR_A], { threshold: 1 }));
  assert.equal(base.required, undefined, "no required list is written when there is none");
  assert.deepEqual(parseKeysFile(JSON.stringify({ ...base, required: [] })).required, []);
  const bad: [unknown, RegExp][] = [
    [[STRANGER.keyid], /required key "[0-9a-f]{64}" is not one of the keys/],
    [[VENUE.keyid, VENUE.keyid], /required key [0-9a-f]{64} is listed twice/],
    [VENUE.keyid, /required must be an array of keyids/],
    [[1], /required must be an array of keyids/],
    [[VENUE.keyid.toUpperCase()], /is not one of the keys/],
  ];
  for (const [required, message] of bad) {
    assert.throws(() => parseKeysFile(JSON.stringify({ ...base, required })), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, message);
      return true;
    });
  }
  assert.throws(() => parseKeysFile(signingKeyJson(VENUE)), /this is a secret signing key, not a keys file/);
});

Deno.test("keysPolicyProblem and keysFileJson: duplicates and thresholds outside 1..n are refused", () => {
  assert.equal(keysPolicyProblem([VENUE, AUDITOR_A], { threshold: 2, required: [AUDITOR_A.keyid] }), undefined);
  assert.equal(keysPolicyProblem([VENUE, AUDITOR_A], { threshold: 0 }), "threshold must be an integer from 1 to 2");
  assert.equal(keysPolicyProblem([VENUE, AUDITOR_A], { threshold: 3 }), "threshold must be an integer from 1 to 2");
  assert.equal(keysPolicyProblem([VENUE, AUDITOR_A], { threshold: 1.5 }), "threshold must be an integer from 1 to 2");
  assert.equal(
    keysPolicyProblem([VENUE, VENUE], { threshold: 1 }),
    `keys must be distinct: ${VENUE.keyid} is given twice`,
  );
  assert.throws(() => keysFileJson([VENUE, VENUE]), InputError);
  // Only public fields are written, even from signing keys.
  const text = keysFileJson([VENUE, AUDITOR_A]);
  for (const k of [VENUE, AUDITOR_A]) assert.ok(!text.includes(bytesToHex(k.secretKey)));
  assert.deepEqual(Object.keys(JSON.parse(text).keys[0]), ["keyid", "algorithm", "publicKey"]);
});

Deno.test("parsePublicKey: a pubkey entry, or the public half of a signing key file", () => {
  const entry = parsePublicKey(publicKeyJson(AUDITOR_A, { name: "auditor A" }));
  assert.deepEqual(entry, { ...entry, keyid: AUDITOR_A.keyid, algorithm: "secp256k1", name: "auditor A" });
  assert.deepEqual(entry.publicKey, AUDITOR_A.publicKey);
  const fromSecret = parsePublicKey(signingKeyJson(AUDITOR_A));
  assert.deepEqual(Object.keys(fromSecret).sort(), ["algorithm", "keyid", "publicKey"]);
  assert.deepEqual(fromSecret.publicKey, AUDITOR_A.publicKey);
  const wrongId = JSON.stringify({ ...JSON.parse(publicKeyJson(VENUE)), keyid: AUDITOR_A.keyid });
  assert.throws(() => parsePublicKey(wrongId), /public key: keyid "[0-9a-f]{64}" != SHA-256\(publicKey\)/);
  assert.throws(() => parsePublicKey('{"keyid":"00","algorithm":"rsa","publicKey":"00"}'), /algorithm must be/);
});

// ---- adding signatures -------------------------------------------------------

Deno.test("addSignature: verifies before appending; wrong key, other bytes, duplicates and a full envelope refused", () => {
  const env = envelopeBy(VENUE);
  const message = pae(PAYLOAD_TYPE, PAYLOAD);
  const good = signMessage(AUDITOR_A, message);
  const added = addSignature(env, AUDITOR_A, good);
  assert.deepEqual(added.signatures.map((s) => s.keyid), [VENUE.keyid, AUDITOR_A.keyid]);
  assert.equal(env.signatures.length, 1, "the input envelope is not changed");
  assert.deepEqual(checkSignatures(added, POLICY).findings, []);

  const refused = (f: () => unknown, type: typeof FormatError | typeof InputError, message: RegExp): void => {
    assert.throws(f, (e: unknown) => e instanceof type && message.test((e as Error).message));
  };
  refused(() => addSignature(env, STRANGER, good), FormatError, /does not verify over this statement's PAE/);
  refused(
    () => addSignature(env, AUDITOR_A, signMessage(AUDITOR_A, new Uint8Array([1, 2]))),
    FormatError,
    /does not verify/,
  );
  refused(() => addSignature(added, AUDITOR_A, good), InputError, /already signed this statement \(signature 1\)/);
  refused(() => cosignEnvelope(env, VENUE), InputError, /already signed/);
  refused(() => addSignature(env, AUDITOR_A, twin(good)), FormatError, /does not verify/);
  // A signature naming auditor A that does not verify would make the envelope fail for everyone who trusts A.
  const clash = { ...env, signatures: [...env.signatures, { keyid: AUDITOR_A.keyid, sig: new Uint8Array(64) }] };
  refused(() => cosignEnvelope(clash, AUDITOR_A), FormatError, /names key [0-9a-f]{64} but does not verify/);
  const full = { ...env, signatures: Array.from({ length: 16 }, () => env.signatures[0]) };
  refused(() => cosignEnvelope(full, AUDITOR_A), InputError, /maximum of 16 signatures/);
  refused(() => cosignEnvelope({ ...env, payloadType: "text/plain" }, AUDITOR_A), FormatError, /payloadType/);
});

Deno.test("cosignEnvelope: the payload and its bytes are unchanged, and the new signature verifies", () => {
  const env = envelopeBy(VENUE);
  const next = cosignEnvelope(env, AUDITOR_B);
  assert.deepEqual(next.payload, env.payload);
  assert.equal(next.payloadType, env.payloadType);
  assert.deepEqual(next.signatures[0], env.signatures[0]);
  assert.ok(
    verifySignature(AUDITOR_B, { message: pae(PAYLOAD_TYPE, PAYLOAD), signature: next.signatures[1].sig }),
  );
  assert.equal(parseEnvelope(envelopeToJson(next)).signatures.length, 2);
});

// ---- external signatures -----------------------------------------------------

Deno.test("normalizeSignature: a high S becomes n - S, which verifies; low S and Ed25519 are left alone", () => {
  const message = pae(PAYLOAD_TYPE, PAYLOAD);
  const low = signMessage(AUDITOR_A, message);
  const high = twin(low);
  assert.ok(sOf(high) > N / 2n);
  assert.equal(verifySignature(AUDITOR_A, { message, signature: high }), false, "the verifier refuses high S");
  const fixed = normalizeSignature("secp256k1", high);
  assert.equal(fixed.normalized, true);
  assert.deepEqual(fixed.signature, low);
  assert.ok(verifySignature(AUDITOR_A, { message, signature: fixed.signature }));
  assert.deepEqual(normalizeSignature("secp256k1", low), { signature: low, normalized: false });
  const ed = signMessage(VENUE, message);
  assert.deepEqual(normalizeSignature("ed25519", ed), { signature: ed, normalized: false });
  // s = n/2 rounded down is low; one above it is high.
  const half = new secp256k1.Signature(1n, N >> 1n).toBytes("compact");
  assert.equal(normalizeSignature("secp256k1", half).normalized, false);
  const above = new secp256k1.Signature(1n, (N >> 1n) + 1n).toBytes("compact");
  assert.equal(sOf(normalizeSignature("secp256k1", above).signature), N - ((N >> 1n) + 1n));
  assert.throws(() => normalizeSignature("secp256k1", new Uint8Array(64)), RangeError);
  assert.throws(() => normalizeSignature("secp256k1", new Uint8Array(63)), RangeError);
});

Deno.test("decodeSignature: raw, base64, hex and DER, high S normalized in each", () => {
  const message = pae(PAYLOAD_TYPE, PAYLOAD);
  const low = signMessage(AUDITOR_A, message);
  const high = twin(low);
  const highDer = secp256k1.Signature.fromBytes(high, "compact").toBytes("der");
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const k1 = { algorithm: "secp256k1" } as const;
  for (
    const [encoding, bytes] of [
      ["raw", high],
      ["base64", text(bytesToBase64(high) + "\n")],
      ["hex", text(bytesToHex(high).toUpperCase() + "\r\n")],
      ["der", highDer],
    ] as const
  ) {
    const d = decodeSignature(bytes, { ...k1, encoding });
    assert.deepEqual(d, { signature: low, normalized: true }, encoding);
  }
  // DER as a KMS CLI prints it: base64 or hex text.
  for (const der of [text(bytesToBase64(highDer) + "\n"), text(bytesToHex(highDer) + "\n")]) {
    assert.deepEqual(decodeSignature(der, { ...k1, encoding: "der" }), { signature: low, normalized: true });
  }
  const lowDer = secp256k1.Signature.fromBytes(low, "compact").toBytes("der");
  assert.deepEqual(decodeSignature(lowDer, { ...k1, encoding: "der" }), { signature: low, normalized: false });
  const ed = signMessage(VENUE, message);
  assert.deepEqual(decodeSignature(ed, { algorithm: "ed25519", encoding: "raw" }), {
    signature: ed,
    normalized: false,
  });
});

Deno.test("decodeSignature: malformed encodings are InputErrors that say what is wrong", () => {
  const low = signMessage(AUDITOR_A, pae(PAYLOAD_TYPE, PAYLOAD));
  const der = secp256k1.Signature.fromBytes(low, "compact").toBytes("der");
  const ber = new Uint8Array([0x30, 0x80, ...der.subarray(2), 0, 0]);
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const cases: [Uint8Array, "raw" | "base64" | "hex" | "der", "ed25519" | "secp256k1", RegExp][] = [
    [der, "raw", "secp256k1", /64 bytes, got \d+ \(DER\? use --encoding der\)/],
    [low.subarray(0, 63), "raw", "secp256k1", /64 bytes, got 63/],
    [new Uint8Array([...der, 0]), "der", "secp256k1", /not one strict DER/],
    [ber, "der", "secp256k1", /not one strict DER/],
    [der.subarray(0, der.length - 1), "der", "secp256k1", /not one strict DER/],
    [der, "der", "ed25519", /DER is for secp256k1 only/],
    [text("not base64!"), "base64", "ed25519", /base64/],
    [text(bytesToBase64(low).replace(/=*$/, "")), "base64", "secp256k1", /base64/],
    [text("abc"), "hex", "secp256k1", /hex/],
    [new Uint8Array([0xff, 0xfe, 0x00]), "hex", "secp256k1", /not text/],
    [new Uint8Array(64), "raw", "secp256k1", /r and s must be in \[1, n - 1\]/],
  ];
  for (const [bytes, encoding, algorithm, message] of cases) {
    assert.throws(() => decodeSignature(bytes, { algorithm, encoding }), (e: unknown) => {
      assert.ok(e instanceof InputError, `${encoding}: ${e}`);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(`signature (${encoding}): `), e.message);
      return true;
    });
  }
});

// ---- the commands -------------------------------------------------------------

/** Writes a key file (mode 0600) and its pubkey entry into `dir`. */
async function writeKey(dir: string, name: string, key: SigningKey): Promise<{ key: string; pub: string }> {
  await Deno.writeTextFile(`${dir}/${name}.key.json`, signingKeyJson(key), { mode: 0o600 });
  await Deno.writeTextFile(`${dir}/${name}.pub.json`, publicKeyJson(key, { name }));
  return { key: `${dir}/${name}.key.json`, pub: `${dir}/${name}.pub.json` };
}

function ok(r: CliResult, what: string): CliResult {
  assert.equal(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
  return r;
}

/** A temp dir with the example publication published by VENUE alone, and the three key files. */
async function setup(): Promise<
  {
    dir: string;
    pub: string;
    venue: { key: string; pub: string };
    a: { key: string; pub: string };
    b: { key: string; pub: string };
  }
> {
  const dir = await Deno.makeTempDir({ prefix: "haircut_sign_" });
  const venue = await writeKey(dir, "venue", VENUE);
  const a = await writeKey(dir, "auditor-a", AUDITOR_A);
  const b = await writeKey(dir, "auditor-b", AUDITOR_B);
  ok(
    await runCli([...PUBLISH, "--signing-key", venue.key, "--out", `${dir}/pub`]),
    "publish",
  );
  ok(await runCli(["keys", "--add", venue.pub, "--threshold", "1", "--out", `${dir}/venue-trust.json`]), "keys");
  ok(
    await runCli([
      "keys",
      "--add",
      venue.pub,
      "--add",
      a.pub,
      "--add",
      b.pub,
      "--threshold",
      "2",
      "--require",
      VENUE.keyid,
      "--out",
      `${dir}/policy.json`,
    ]),
    "keys",
  );
  return { dir, pub: `${dir}/pub`, venue, a, b };
}

/** Runs `fn` on a fresh {@linkcode setup}, and removes its directory afterwards. */
async function withSetup(fn: (s: Awaited<ReturnType<typeof setup>>) => Promise<void>): Promise<void> {
  const s = await setup();
  try {
    await fn(s);
  } finally {
    await Deno.remove(s.dir, { recursive: true });
  }
}

async function proofsValid(pub: string, keys: string): Promise<number> {
  let n = 0;
  for await (const entry of Deno.readDir(`${pub}/proofs`)) {
    const r = await runCli([
      "proof",
      `${pub}/proofs/${entry.name}`,
      "--statement",
      `${pub}/statement.dsse.json`,
      "--keys",
      keys,
    ]);
    assert.equal(r.code, 0, `${entry.name}: ${r.stdout}`);
    n++;
  }
  return n;
}

Deno.test("sign: the venue's publication becomes valid under 'venue required, threshold 2' only after the auditor signs", async () => {
  await withSetup(async ({ dir, pub, a, b }) => {
    const before = await runCli(["verify", pub, "--keys", `${dir}/policy.json`, "--format", "json"]);
    assert.equal(before.code, 1);
    assert.deepEqual(JSON.parse(before.stdout).errors.map((e: { code: string }) => e.code), ["SIGNATURE_THRESHOLD"]);
    const digest = payloadDigest(parseEnvelope(Deno.readTextFileSync(`${pub}/statement.dsse.json`)).payload);
    assert.equal(await proofsValid(pub, `${dir}/venue-trust.json`), 8);

    const signed = ok(await runCli(["sign", pub, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key]), "sign");
    assert.equal(
      signed.stdout,
      `verified: Example Exchange · 2026-11-03/ETH-PERP, 8 leaves, every check passed\n` +
        `signed statement ${digest} with secp256k1 key ${AUDITOR_A.keyid}\n` +
        `${pub}/statement.dsse.json now carries 2 signatures\n`,
    );
    const after = ok(await runCli(["verify", pub, "--keys", `${dir}/policy.json`, "--format", "json"]), "verify");
    assert.equal(JSON.parse(after.stdout).statement.digest, digest, "the payload did not change");
    // Every proof made before the co-signature is still valid, under the venue's key and under the policy.
    assert.equal(await proofsValid(pub, `${dir}/venue-trust.json`), 8);
    assert.equal(await proofsValid(pub, `${dir}/policy.json`), 8);
    // The file is not left behind as a temp file, and the envelope keeps the venue's signature first.
    assert.deepEqual([...Deno.readDirSync(pub)].map((e) => e.name).sort(), [
      "keys.json",
      "leaves.csv",
      "proofs",
      "statement.dsse.json",
    ]);
    const env = parseEnvelope(Deno.readTextFileSync(`${pub}/statement.dsse.json`));
    assert.deepEqual(env.signatures.map((s) => s.keyid), [VENUE.keyid, AUDITOR_A.keyid]);

    // The same key again: exit 2, the file untouched.
    const bytes = Deno.readFileSync(`${pub}/statement.dsse.json`);
    const again = await runCli(["sign", pub, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key]);
    assert.equal(again.code, 2);
    assert.equal(again.stderr, `haircut sign: key ${AUDITOR_A.keyid} already signed this statement (signature 1)\n`);
    assert.deepEqual(Deno.readFileSync(`${pub}/statement.dsse.json`), bytes);
    // A second auditor: three signatures.
    ok(await runCli(["sign", pub, "--keys", `${dir}/venue-trust.json`, "--signing-key", b.key]), "sign b");
    assert.equal(parseEnvelope(Deno.readTextFileSync(`${pub}/statement.dsse.json`)).signatures.length, 3);
    ok(await runCli(["verify", pub, "--keys", `${dir}/policy.json`]), "verify 3");
  });
});

Deno.test("sign: a tampered publication is refused with exit 1 and the report, the file untouched byte for byte", async () => {
  await withSetup(async ({ dir, pub, a }) => {
    const envelopePath = `${pub}/statement.dsse.json`;
    const original = Deno.readFileSync(envelopePath);
    const leaves = Deno.readTextFileSync(`${pub}/leaves.csv`);
    const lines = leaves.split("\n");
    // One account's haircut lowered by one unit: the total and the allocation no longer hold.
    const row = lines.findIndex((line, i) => i > 0 && line !== "" && !line.endsWith(",0"));
    const cells = lines[row].split(",");
    cells[2] = String(BigInt(cells[2]) - 1n);
    lines[row] = cells.join(",");
    const env = JSON.parse(new TextDecoder().decode(original));
    const edited = JSON.parse(atob(env.payload));
    edited.target = String(BigInt(edited.target) - 1n);
    const tampers: [string, () => void, string][] = [
      ["a leaf edited", () => Deno.writeTextFileSync(`${pub}/leaves.csv`, lines.join("\n")), "TOTAL_MISMATCH"],
      [
        "the payload edited, signature kept",
        () => Deno.writeTextFileSync(envelopePath, JSON.stringify({ ...env, payload: btoa(JSON.stringify(edited)) })),
        "SIGNATURE_INVALID",
      ],
      [
        "the venue's signature removed",
        () => Deno.writeTextFileSync(envelopePath, JSON.stringify({ ...env, signatures: [] })),
        "SIGNATURE_THRESHOLD",
      ],
    ];
    for (const [name, tamper, code] of tampers) {
      tamper();
      const before = Deno.readFileSync(envelopePath);
      const r = await runCli(["sign", pub, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key]);
      assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^NOT VALID/, name);
      assert.ok(r.stdout.includes(code), `${name}: ${r.stdout}`);
      assert.match(r.stderr, /nothing was signed and .*statement\.dsse\.json is unchanged\n$/);
      assert.deepEqual(Deno.readFileSync(envelopePath), before, `${name}: byte for byte`);
      assert.deepEqual([...Deno.readDirSync(pub)].length, 4, `${name}: no temp file left`);
      Deno.writeFileSync(envelopePath, original);
      Deno.writeTextFileSync(`${pub}/leaves.csv`, leaves);
    }
    // A malformed envelope is reported too, and left alone.
    const extra = JSON.stringify({ ...env, note: "x" });
    Deno.writeTextFileSync(envelopePath, extra);
    const broken = await runCli(["sign", pub, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key]);
    assert.equal(broken.code, 1);
    assert.ok(broken.stdout.includes("ENVELOPE_INVALID"));
    assert.equal(Deno.readTextFileSync(envelopePath), extra);
  });
});

Deno.test("sign: usage errors and a keys file that is not one exit 2", async () => {
  await withSetup(async ({ dir, pub, a }) => {
    const bytes = Deno.readFileSync(`${pub}/statement.dsse.json`);
    for (
      const args of [
        ["sign", pub, "--keys", `${dir}/venue-trust.json`],
        ["sign", pub, "--signing-key", a.key],
        ["sign", "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key],
        ["sign", pub, "--keys", `${dir}/venue-trust.json`, "--signing-key", `${dir}/venue-trust.json`],
        ["sign", pub, "--keys", a.key, "--signing-key", a.key],
        ["sign", `${dir}/nowhere`, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key],
      ]
    ) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "");
    }
    assert.deepEqual(Deno.readFileSync(`${pub}/statement.dsse.json`), bytes);
    assert.match((await runCli(["sign", "--help"])).stdout, /^Usage: haircut sign <publication-dir>/);
  });
});

Deno.test("publish --unsigned: an empty signatures list, SIGNATURE_THRESHOLD, then completed by sign or attach", async () => {
  await withSetup(async ({ dir, venue, a }) => {
    const unsigned = `${dir}/unsigned`;
    const r = ok(
      await runCli([...PUBLISH, "--unsigned", "--out", unsigned]),
      "publish --unsigned",
    );
    assert.match(r.stdout, /unsigned: add signatures with 'haircut pae' and 'haircut attach', or 'haircut sign'\n$/);
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${unsigned}/statement.dsse.json`)).signatures, []);
    await assert.rejects(() => Deno.stat(`${unsigned}/keys.json`), Deno.errors.NotFound);
    const v = await runCli(["verify", unsigned, "--keys", `${dir}/venue-trust.json`]);
    assert.equal(v.code, 1);
    assert.match(v.stdout, /SIGNATURE_THRESHOLD: 0 distinct trusted keys signed, threshold is 1/);
    // An auditor's keys pin the venue: the auditor cannot be the first to sign.
    const early = await runCli(["sign", unsigned, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key]);
    assert.equal(early.code, 1);
    assert.ok(early.stdout.includes("SIGNATURE_THRESHOLD"));
    // The venue, whose keys file trusts its own key, completes it; then the auditor co-signs.
    ok(
      await runCli(["sign", unsigned, "--keys", `${dir}/venue-trust.json`, "--signing-key", venue.key]),
      "venue signs",
    );
    ok(await runCli(["verify", unsigned, "--keys", `${dir}/venue-trust.json`]), "verify venue");
    ok(await runCli(["sign", unsigned, "--keys", `${dir}/venue-trust.json`, "--signing-key", a.key]), "auditor signs");
    ok(await runCli(["verify", unsigned, "--keys", `${dir}/policy.json`]), "verify policy");
  });
});

Deno.test("publish --threshold and the same key twice", async () => {
  await withSetup(async ({ dir, venue, a }) => {
    const base = PUBLISH;
    const both = [...base, "--signing-key", venue.key, "--signing-key", a.key];
    ok(await runCli([...both, "--threshold", "1", "--out", `${dir}/t1`]), "t1");
    const keys = parseKeysFile(Deno.readTextFileSync(`${dir}/t1/keys.json`));
    assert.equal(keys.threshold, 1);
    assert.deepEqual(keys.keys.map((k) => k.keyid), [VENUE.keyid, AUDITOR_A.keyid]);
    const twice = await runCli([...base, "--signing-key", venue.key, "--signing-key", venue.key, "--out", `${dir}/t2`]);
    assert.equal(twice.code, 2);
    assert.equal(
      twice.stderr,
      `haircut publish: ${venue.key} is key ${VENUE.keyid} again (already given as ${venue.key})\n`,
    );
    const copy = `${dir}/venue-copy.key.json`;
    Deno.copyFileSync(venue.key, copy);
    assert.equal(
      (await runCli([...base, "--signing-key", venue.key, "--signing-key", copy, "--out", `${dir}/t3`])).code,
      2,
    );
    for (const t of ["0", "3", "x", "-1"]) {
      const r = await runCli([...both, "--threshold", t, "--out", `${dir}/t4`]);
      assert.equal(r.code, 2, t);
      assert.match(r.stderr, /threshold/);
    }
    for (
      const extra of [["--unsigned", "--signing-key", venue.key], ["--unsigned", "--threshold", "1"], []]
    ) {
      const r = await runCli([...base, ...extra, "--out", `${dir}/t5`]);
      assert.equal(r.code, 2, extra.join(" "));
    }
    for (const name of ["t2", "t3", "t4", "t5"]) {
      await assert.rejects(() => Deno.stat(`${dir}/${name}`), Deno.errors.NotFound);
    }
  });
});

Deno.test("pae: the exact PAE bytes, to stdout or to a file", async () => {
  await withSetup(async ({ dir, pub }) => {
    const env = parseEnvelope(Deno.readTextFileSync(`${pub}/statement.dsse.json`));
    const expected = pae(PAYLOAD_TYPE, env.payload);
    const head = `DSSEv1 49 ${PAYLOAD_TYPE} ${env.payload.length} `;
    assert.equal(new TextDecoder().decode(expected.subarray(0, head.length)), head);
    const r = ok(await runCli(["pae", `${pub}/statement.dsse.json`]), "pae");
    assert.equal(r.stdout, "");
    assert.deepEqual(r.stdoutBytes, expected);
    const w = ok(await runCli(["pae", `${pub}/statement.dsse.json`, "--out", `${dir}/pae.bin`]), "pae --out");
    assert.match(w.stdout, new RegExp(`^wrote the ${expected.length}-byte PAE of statement [0-9a-f]{64} to `));
    assert.deepEqual(Deno.readFileSync(`${dir}/pae.bin`), expected);
    assert.equal(
      (await runCli(["pae", `${pub}/statement.dsse.json`, "--out", `${dir}/pae.bin`])).code,
      2,
      "no overwrite",
    );
    // Only a statement's envelope has bytes worth signing.
    Deno.writeTextFileSync(
      `${dir}/other.json`,
      JSON.stringify({ payload: "e30=", payloadType: "text/plain", signatures: [] }),
    );
    const other = await runCli(["pae", `${dir}/other.json`]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /PAYLOAD_TYPE/);
    Deno.writeTextFileSync(
      `${dir}/bad.json`,
      JSON.stringify({ payload: "e30=", payloadType: PAYLOAD_TYPE, signatures: [] }),
    );
    const bad = await runCli(["pae", `${dir}/bad.json`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /STATEMENT_INVALID|NON_CANONICAL/);
  });
});

Deno.test("attach: a high-S DER secp256k1 signature is normalized and attached; bad ones refused, nothing written", async () => {
  await withSetup(async ({ dir, pub, a }) => {
    const path = `${pub}/statement.dsse.json`;
    const env = parseEnvelope(Deno.readTextFileSync(path));
    const message = pae(PAYLOAD_TYPE, env.payload);
    const low = signMessage(AUDITOR_A, message);
    const highDer = secp256k1.Signature.fromBytes(twin(low), "compact").toBytes("der");
    Deno.writeFileSync(`${dir}/high.der`, highDer);
    const original = Deno.readFileSync(path);
    const refusals: [string[], 1 | 2, RegExp][] = [
      // A signature over other bytes.
      [
        ["--signature", `${dir}/other.der`, "--encoding", "der", "--public-key", a.pub],
        1,
        /SIGNATURE_INVALID: .*does not verify/,
      ],
      // The right signature with the wrong key.
      [
        ["--signature", `${dir}/high.der`, "--encoding", "der", "--public-key", `${dir}/stranger.pub.json`],
        1,
        /does not verify/,
      ],
      // DER given as raw, a truncated DER, and DER for an Ed25519 key.
      [
        ["--signature", `${dir}/high.der`, "--public-key", a.pub],
        2,
        /signature \(raw\): a secp256k1 signature is 64 bytes/,
      ],
      [["--signature", `${dir}/short.der`, "--encoding", "der", "--public-key", a.pub], 2, /not one strict DER/],
      [
        ["--signature", `${dir}/high.der`, "--encoding", "der", "--public-key", `${dir}/venue.pub.json`],
        2,
        /DER is for secp256k1 only/,
      ],
      [
        ["--signature", `${dir}/high.der`, "--encoding", "pem", "--public-key", a.pub],
        2,
        /--encoding must be one of raw, base64, hex, der/,
      ],
      [["--signature", `${dir}/missing.der`, "--encoding", "der", "--public-key", a.pub], 2, /does not exist/],
    ];
    Deno.writeFileSync(
      `${dir}/other.der`,
      secp256k1.Signature.fromBytes(signMessage(AUDITOR_A, new Uint8Array([9])), "compact").toBytes("der"),
    );
    Deno.writeFileSync(`${dir}/short.der`, highDer.subarray(0, highDer.length - 1));
    Deno.writeTextFileSync(`${dir}/stranger.pub.json`, publicKeyJson(STRANGER));
    for (const [args, code, message] of refusals) {
      const r = await runCli(["attach", path, ...args]);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
      assert.deepEqual(Deno.readFileSync(path), original, `${args.join(" ")}: nothing written`);
    }
    const r = ok(
      await runCli(["attach", path, "--public-key", a.pub, "--signature", `${dir}/high.der`, "--encoding", "der"]),
      "attach",
    );
    assert.match(r.stdout, /its high S was normalized to n - S/);
    assert.match(r.stdout, new RegExp(`of key ${AUDITOR_A.keyid} \\(auditor-a\\) to statement [0-9a-f]{64}\n`));
    const after = parseEnvelope(Deno.readTextFileSync(path));
    assert.deepEqual(after.signatures[1], { keyid: AUDITOR_A.keyid, sig: low });
    ok(await runCli(["verify", pub, "--keys", `${dir}/policy.json`]), "verify");
    const again = await runCli([
      "attach",
      path,
      "--public-key",
      a.pub,
      "--signature",
      `${dir}/high.der`,
      "--encoding",
      "der",
    ]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already signed/);
  });
});

Deno.test("pubkey: the public entry only, with an optional name", async () => {
  await withSetup(async ({ dir, a }) => {
    const r = ok(await runCli(["pubkey", a.key, "--name", "Auditor A"]), "pubkey");
    assert.deepEqual(JSON.parse(r.stdout), {
      keyid: AUDITOR_A.keyid,
      algorithm: "secp256k1",
      publicKey: bytesToHex(AUDITOR_A.publicKey),
      name: "Auditor A",
    });
    assert.ok(!r.stdout.includes(bytesToHex(AUDITOR_A.secretKey)));
    assert.deepEqual(Object.keys(JSON.parse(ok(await runCli(["pubkey", a.key]), "pubkey").stdout)), [
      "keyid",
      "algorithm",
      "publicKey",
    ]);
    // A pubkey entry reads back, and renaming it works.
    const renamed = ok(await runCli(["pubkey", a.pub, "--name", "A"]), "pubkey of a pub");
    assert.equal(JSON.parse(renamed.stdout).name, "A");
    for (const args of [["pubkey"], ["pubkey", a.key, "--name", ""], ["pubkey", `${dir}/policy.json`]]) {
      assert.equal((await runCli(args)).code, 2, args.join(" "));
    }
  });
});

Deno.test("keys: builds a keys file from public entries, never a secret; refuses duplicates and bad thresholds", async () => {
  await withSetup(async ({ dir, venue, a, b }) => {
    const policy = Deno.readTextFileSync(`${dir}/policy.json`);
    const parsed = parseKeysFile(policy);
    assert.deepEqual(parsed.keys.map((k) => [k.keyid, k.name]), [
      [VENUE.keyid, "venue"],
      [AUDITOR_A.keyid, "auditor-a"],
      [AUDITOR_B.keyid, "auditor-b"],
    ]);
    assert.equal(parsed.threshold, 2);
    assert.deepEqual(parsed.required, [VENUE.keyid]);
    // From key files: the same public entries (without names), and no secret.
    const r = ok(
      await runCli([
        "keys",
        "--add",
        venue.key,
        "--add",
        a.key,
        "--add",
        b.key,
        "--threshold",
        "2",
        "--require",
        venue.key,
        "--out",
        `${dir}/from-secrets.json`,
      ]),
      "keys from key files",
    );
    assert.equal(
      r.stdout,
      `wrote ${dir}/from-secrets.json: 3 keys; valid when 2 of them signed, including ${VENUE.keyid.slice(0, 16)}…\n`,
    );
    const text = Deno.readTextFileSync(`${dir}/from-secrets.json`);
    for (const k of [VENUE, AUDITOR_A, AUDITOR_B]) assert.ok(!text.includes(bytesToHex(k.secretKey)));
    assert.ok(!text.includes("secretKey"));
    assert.deepEqual(parseKeysFile(text).required, [VENUE.keyid]);
    const bad: [string[], RegExp][] = [
      [["--add", venue.pub, "--add", venue.key, "--threshold", "1"], /is key [0-9a-f]{64} again/],
      [["--add", venue.pub, "--add", a.pub, "--threshold", "0"], /threshold must be an integer from 1 to 2/],
      [["--add", venue.pub, "--add", a.pub, "--threshold", "3"], /threshold must be an integer from 1 to 2/],
      [["--add", venue.pub, "--threshold", "one"], /--threshold must be a whole number/],
      [["--add", venue.pub, "--threshold", "1", "--require", AUDITOR_A.keyid], /is not one of the keys/],
      [["--add", venue.pub, "--threshold", "1", "--require", VENUE.keyid, "--require", venue.pub], /listed twice/],
      [["--add", venue.pub], /--threshold <k> is required/],
      [["--threshold", "1"], /--add <pub.json> is required/],
      [["--add", `${dir}/policy.json`, "--threshold", "1"], /public key: /],
    ];
    for (const [args, message] of bad) {
      const out = `${dir}/never.json`;
      const e = await runCli(["keys", ...args, "--out", out]);
      assert.equal(e.code, 2, args.join(" "));
      assert.match(e.stderr, message);
      await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    }
    const over = await runCli(["keys", "--add", venue.pub, "--threshold", "1", "--out", `${dir}/policy.json`]);
    assert.equal(over.code, 2);
    assert.match(over.stderr, /already exists; not overwriting/);
    assert.equal(Deno.readTextFileSync(`${dir}/policy.json`), policy);
  });
});

Deno.test("verify and proof refuse a secret key file given as --keys, and warn when others can read it", async () => {
  await withSetup(async ({ pub, venue }) => {
    const proof = `${pub}/proofs/${[...Deno.readDirSync(`${pub}/proofs`)][0].name}`;
    for (const mode of [0o644, 0o640, 0o600]) {
      Deno.chmodSync(venue.key, mode);
      for (
        const args of [
          ["verify", pub, "--keys", venue.key],
          ["proof", proof, "--statement", `${pub}/statement.dsse.json`, "--keys", venue.key],
          ["sign", pub, "--keys", venue.key, "--signing-key", venue.key],
        ]
      ) {
        const r = await runCli(args);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.ok(r.stderr.includes(`${venue.key} looks like a signing key (keep it secret), not a keys file`));
        assert.ok(!r.stderr.includes(bytesToHex(VENUE.secretKey)));
        const warned = r.stderr.includes(
          `warning: this secret key file is readable by other users (mode 0${mode.toString(8)}): ` +
            `run 'chmod 600 ${venue.key}'`,
        );
        assert.equal(warned, mode !== 0o600, `${args[0]} with mode ${mode.toString(8)}: ${r.stderr}`);
      }
    }
  });
});

Deno.test("required: proof, inspect, chain and every report format name the missing required key", async () => {
  const T = `${ROOT}/fixtures/tampered/required-venue-signature-stripped`;
  const BASE = `${ROOT}/fixtures/tampered/base`;
  const venue = "10ba682c8ad13513971e8b56881aab8bd702bb807796eca81932c735a94d6e6d";
  const message = `required key ${venue} (venue) has no valid signature`;
  const proof = `${BASE}/proofs/${[...Deno.readDirSync(`${BASE}/proofs`)][0].name}`;
  const runs: [string[], number][] = [
    [["proof", proof, "--statement", `${T}/statement.dsse.json`, "--keys", `${T}/keys.json`, "--format", "json"], 1],
    [["inspect", `${T}/statement.dsse.json`, "--keys", `${T}/keys.json`, "--format", "json"], 1],
    [["verify", T, "--keys", `${T}/keys.json`, "--format", "json"], 1],
  ];
  for (const [args, code] of runs) {
    const r = await runCli(args);
    assert.equal(r.code, code, args[0]);
    assert.deepEqual(JSON.parse(r.stdout).errors, [{ code: "SIGNATURE_REQUIRED", message }], args[0]);
  }
  const chain = await runCli([
    "chain",
    `${BASE}/statement.dsse.json`,
    `${T}/statement.dsse.json`,
    "--keys",
    `${T}/keys.json`,
  ]);
  assert.equal(chain.code, 1);
  assert.ok(chain.stdout.includes(`SIGNATURE_REQUIRED: ${T}/statement.dsse.json: ${message}`), chain.stdout);
  for (const format of ["text", "markdown", "junit"]) {
    const r = await runCli(["verify", T, "--keys", `${T}/keys.json`, "--format", format]);
    assert.ok(r.stdout.includes(message), format);
  }
  // The same policy accepts the base publication, signed by the venue and auditor 1.
  const ok = await runCli(["verify", BASE, "--keys", `${T}/keys.json`]);
  assert.equal(ok.code, 0, ok.stdout);
});
