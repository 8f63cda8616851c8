/**
 * The signing workflow of docs/signing.md, end to end: the real `haircut`
 * program run as a subprocess for every step, each party with its own key
 * files in its own temporary directory, and the external signers played by
 * OpenSSL (an Ed25519 "HSM" for the venue, a secp256k1 "KMS" returning DER
 * for an auditor), whose public keys are taken from OpenSSL's own output.
 */

import assert from "node:assert/strict";

const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;
const INPUT = new URL("../fixtures/example/input/", import.meta.url).pathname;
/** The secp256k1 group order, written out independently of the code under test. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

interface Run {
  code: number;
  stdout: string;
  bytes: Uint8Array;
  stderr: string;
}

async function run(cmd: string, args: readonly string[], cwd: string): Promise<Run> {
  const out = await new Deno.Command(cmd, { args: [...args], cwd, stdout: "piped", stderr: "piped" }).output();
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), bytes: out.stdout, stderr: text(out.stderr) };
}

/** `haircut <args>` in `cwd`, with the permissions of the `haircut` task. */
function haircut(cwd: string, ...args: string[]): Promise<Run> {
  return run(Deno.execPath(), ["run", "--no-prompt", "--allow-read", "--allow-write", MAIN, ...args], cwd);
}

async function openssl(cwd: string, ...args: string[]): Promise<Run> {
  const r = await run("openssl", args, cwd);
  assert.equal(r.code, 0, `openssl ${args.join(" ")}: ${r.stderr}`);
  return r;
}

function expect(r: Run, code: number, what: string): Run {
  assert.equal(r.code, code, `${what}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  return r;
}

/** Fresh, separate directories for each party. */
async function parties<const T extends readonly string[]>(...names: T): Promise<Record<T[number], string>> {
  const out: Record<string, string> = {};
  for (const name of names) out[name] = await Deno.makeTempDir({ prefix: `haircut_${name}_` });
  return out as Record<T[number], string>;
}

async function removeAll(dirs: Record<string, string>): Promise<void> {
  for (const dir of Object.values(dirs)) await Deno.remove(dir, { recursive: true });
}

function copyDir(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

/** A proof file of the publication in `dir`. */
function someProof(dir: string): string {
  return `${dir}/proofs/${[...Deno.readDirSync(`${dir}/proofs`)].map((e) => e.name).sort()[0]}`;
}

Deno.test("workflow: the venue publishes, the auditor co-signs after its own check, CI requires both", async () => {
  const p = await parties("venue", "auditorA", "auditorB", "ci", "trader");
  try {
    // Each party makes its key on its own machine and hands out only the public entry.
    expect(await haircut(p.venue, "keygen", "--out", "venue.key.json"), 0, "venue keygen");
    const venuePub = expect(await haircut(p.venue, "pubkey", "venue.key.json", "--name", "Example Exchange"), 0, "");
    Deno.writeTextFileSync(`${p.venue}/venue.pub.json`, venuePub.stdout);
    expect(await haircut(p.auditorA, "keygen", "--algorithm", "secp256k1", "--out", "auditor-a.key.json"), 0, "A");
    const aPub = expect(await haircut(p.auditorA, "pubkey", "auditor-a.key.json", "--name", "Auditor A"), 0, "A pub");
    expect(await haircut(p.auditorB, "keygen", "--out", "auditor-b.key.json"), 0, "B");
    const bPub = expect(await haircut(p.auditorB, "pubkey", "auditor-b.key.json", "--name", "Auditor B"), 0, "B pub");
    assert.equal((Deno.statSync(`${p.venue}/venue.key.json`).mode ?? 0) & 0o777, 0o600);

    // The venue publishes and signs with its own key only.
    Deno.copyFileSync(`${INPUT}/accounts.csv`, `${p.venue}/accounts.csv`);
    Deno.copyFileSync(`${INPUT}/event.json`, `${p.venue}/event.json`);
    const published = expect(
      await haircut(
        p.venue,
        "publish",
        "--accounts",
        "accounts.csv",
        "--event",
        "event.json",
        "--signing-key",
        "venue.key.json",
        "--out",
        "publication",
      ),
      0,
      "publish",
    );
    assert.match(published.stdout, /signed by 1 key\n$/);

    // Traders and CI pin: the venue required, and at least one of the two auditors.
    Deno.writeTextFileSync(`${p.ci}/venue.pub.json`, venuePub.stdout);
    Deno.writeTextFileSync(`${p.ci}/auditor-a.pub.json`, aPub.stdout);
    Deno.writeTextFileSync(`${p.ci}/auditor-b.pub.json`, bPub.stdout);
    const built = expect(
      await haircut(
        p.ci,
        "keys",
        "--add",
        "venue.pub.json",
        "--add",
        "auditor-a.pub.json",
        "--add",
        "auditor-b.pub.json",
        "--threshold",
        "2",
        "--require",
        "venue.pub.json",
        "--out",
        "keys.json",
      ),
      0,
      "keys",
    );
    assert.match(built.stdout, /^wrote keys\.json: 3 keys; valid when 2 of them signed, including Example Exchange/);
    const venueOnly = expect(
      await haircut(p.ci, "verify", `${p.venue}/publication`, "--keys", "keys.json"),
      1,
      "CI before",
    );
    assert.match(venueOnly.stdout, /SIGNATURE_THRESHOLD: 1 distinct trusted keys signed, threshold is 2/);

    // The venue sends the publication to auditor A, who pins the venue's key and co-signs after the full check.
    copyDir(`${p.venue}/publication`, `${p.auditorA}/publication`);
    Deno.writeTextFileSync(`${p.auditorA}/venue.pub.json`, venuePub.stdout);
    expect(
      await haircut(p.auditorA, "keys", "--add", "venue.pub.json", "--threshold", "1", "--out", "venue.keys.json"),
      0,
      "",
    );
    const signed = expect(
      await haircut(
        p.auditorA,
        "sign",
        "publication",
        "--keys",
        "venue.keys.json",
        "--signing-key",
        "auditor-a.key.json",
      ),
      0,
      "sign",
    );
    assert.match(signed.stdout, /^verified: Example Exchange · 2026-11-03\/ETH-PERP, 8 leaves, every check passed\n/);
    assert.match(signed.stdout, /publication\/statement\.dsse\.json now carries 2 signatures\n$/);

    // CI and a trader verify the co-signed publication under the policy.
    const ci = expect(await haircut(p.ci, "verify", `${p.auditorA}/publication`, "--keys", "keys.json"), 0, "CI after");
    assert.match(ci.stdout, /^VALID: publication Example Exchange/);
    assert.match(
      ci.stdout,
      /Signatures: Example Exchange [0-9a-f]{16}… trusted, valid; Auditor A [0-9a-f]{16}… trusted, valid/,
    );
    Deno.copyFileSync(`${p.ci}/keys.json`, `${p.trader}/keys.json`);
    Deno.copyFileSync(someProof(`${p.venue}/publication`), `${p.trader}/proof.json`);
    Deno.copyFileSync(`${p.auditorA}/publication/statement.dsse.json`, `${p.trader}/statement.dsse.json`);
    const trader = await haircut(
      p.trader,
      "proof",
      "proof.json",
      "--statement",
      "statement.dsse.json",
      "--keys",
      "keys.json",
    );
    expect(trader, 0, "trader proof (made before the co-signature)");

    // Auditor B receives a copy with one haircut moved between two accounts: it refuses to sign, the file untouched.
    copyDir(`${p.venue}/publication`, `${p.auditorB}/publication`);
    Deno.writeTextFileSync(`${p.auditorB}/venue.pub.json`, venuePub.stdout);
    expect(
      await haircut(p.auditorB, "keys", "--add", "venue.pub.json", "--threshold", "1", "--out", "venue.keys.json"),
      0,
      "",
    );
    const leavesPath = `${p.auditorB}/publication/leaves.csv`;
    const rows = Deno.readTextFileSync(leavesPath).split("\n");
    const charged = rows.map((r, i) => [r, i] as const).filter(([r, i]) => i > 0 && r !== "" && !r.endsWith(",0"));
    const [from, to] = [charged[0][1], charged[1][1]];
    const move = (i: number, by: bigint): void => {
      const c = rows[i].split(",");
      c[2] = String(BigInt(c[2]) + by);
      rows[i] = c.join(",");
    };
    move(from, -1n);
    move(to, 1n);
    Deno.writeTextFileSync(leavesPath, rows.join("\n"));
    const envelope = Deno.readFileSync(`${p.auditorB}/publication/statement.dsse.json`);
    const refused = expect(
      await haircut(
        p.auditorB,
        "sign",
        "publication",
        "--keys",
        "venue.keys.json",
        "--signing-key",
        "auditor-b.key.json",
      ),
      1,
      "sign tampered",
    );
    assert.match(refused.stdout, /^NOT VALID/);
    assert.match(refused.stdout, /ROOT_MISMATCH/);
    assert.match(refused.stderr, /nothing was signed and publication\/statement\.dsse\.json is unchanged/);
    assert.deepEqual(Deno.readFileSync(`${p.auditorB}/publication/statement.dsse.json`), envelope);
  } finally {
    await removeAll(p);
  }
});

/**
 * Makes an OpenSSL key `<name>.pem` in `cwd` and returns its keys-file entry, built from OpenSSL's own output: the raw
 * public key at the end of the DER SubjectPublicKeyInfo (compressed for secp256k1), and its SHA-256 by OpenSSL.
 */
async function opensslKey(cwd: string, name: string, algorithm: "ed25519" | "secp256k1"): Promise<string> {
  const pem = `${name}.pem`;
  if (algorithm === "ed25519") {
    await openssl(cwd, "genpkey", "-algorithm", "ed25519", "-out", pem);
    await openssl(cwd, "pkey", "-in", pem, "-pubout", "-outform", "DER", "-out", `${name}.spki.der`);
  } else {
    await openssl(cwd, "ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", pem);
    const spki = ["-pubout", "-conv_form", "compressed", "-outform", "DER", "-out", `${name}.spki.der`];
    await openssl(cwd, "ec", "-in", pem, ...spki);
  }
  const der = Deno.readFileSync(`${cwd}/${name}.spki.der`);
  const raw = der.subarray(der.length - (algorithm === "ed25519" ? 32 : 33));
  Deno.writeFileSync(`${cwd}/${name}.raw`, raw);
  const digest = (await openssl(cwd, "dgst", "-sha256", "-r", `${name}.raw`)).stdout.split(" ")[0];
  const hex = Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
  return JSON.stringify({ keyid: digest, algorithm, publicKey: hex, name }, null, 2) + "\n";
}

/** The S of a DER ECDSA signature, read by `openssl asn1parse`. */
async function sOfDer(cwd: string, file: string): Promise<bigint> {
  const ints = [
    ...(await openssl(cwd, "asn1parse", "-inform", "DER", "-in", file)).stdout.matchAll(/INTEGER\s+:([0-9A-F]+)/g),
  ];
  assert.equal(ints.length, 2);
  return BigInt(`0x${ints[1][1]}`);
}

Deno.test("workflow: an HSM venue (OpenSSL Ed25519) and a KMS auditor (OpenSSL secp256k1 DER, high S) via pae and attach", async () => {
  const p = await parties("venue", "auditor", "ci");
  try {
    // The venue's HSM: an OpenSSL Ed25519 key; its public key comes from OpenSSL's own output.
    const venuePub = await opensslKey(p.venue, "hsm", "ed25519");
    Deno.writeTextFileSync(`${p.venue}/venue.pub.json`, venuePub);
    Deno.copyFileSync(`${INPUT}/accounts.csv`, `${p.venue}/accounts.csv`);
    Deno.copyFileSync(`${INPUT}/event.json`, `${p.venue}/event.json`);
    const published = expect(
      await haircut(
        p.venue,
        "publish",
        "--accounts",
        "accounts.csv",
        "--event",
        "event.json",
        "--unsigned",
        "--out",
        "publication",
      ),
      0,
      "publish --unsigned",
    );
    assert.match(published.stdout, /unsigned: add signatures/);
    expect(await haircut(p.venue, "pae", "publication/statement.dsse.json", "--out", "pae.bin"), 0, "pae");
    await openssl(p.venue, "pkeyutl", "-sign", "-inkey", "hsm.pem", "-rawin", "-in", "pae.bin", "-out", "venue.sig");
    assert.equal(Deno.statSync(`${p.venue}/venue.sig`).size, 64);
    // A signature over other bytes is refused and nothing is written.
    await openssl(
      p.venue,
      "pkeyutl",
      "-sign",
      "-inkey",
      "hsm.pem",
      "-rawin",
      "-in",
      "accounts.csv",
      "-out",
      "other.sig",
    );
    const envelopePath = `${p.venue}/publication/statement.dsse.json`;
    const unsigned = Deno.readFileSync(envelopePath);
    const other = await haircut(
      p.venue,
      "attach",
      "publication/statement.dsse.json",
      "--public-key",
      "venue.pub.json",
      "--signature",
      "other.sig",
    );
    expect(other, 1, "attach other bytes");
    assert.match(other.stderr, /SIGNATURE_INVALID: the ed25519 signature does not verify over this statement's PAE/);
    assert.deepEqual(Deno.readFileSync(envelopePath), unsigned);
    const attached = expect(
      await haircut(
        p.venue,
        "attach",
        "publication/statement.dsse.json",
        "--public-key",
        "venue.pub.json",
        "--signature",
        "venue.sig",
      ),
      0,
      "attach venue",
    );
    assert.match(attached.stdout, /now carries 1 signature\n$/);
    assert.ok(!attached.stdout.includes("normalized"));

    // The auditor's KMS: an OpenSSL secp256k1 key; the compressed public key from OpenSSL's output.
    copyDir(`${p.venue}/publication`, `${p.auditor}/publication`);
    Deno.writeTextFileSync(`${p.auditor}/venue.pub.json`, venuePub);
    const auditorPub = await opensslKey(p.auditor, "kms", "secp256k1");
    Deno.writeTextFileSync(`${p.auditor}/auditor.pub.json`, auditorPub);
    // An external signer checks first, then signs the PAE.
    expect(
      await haircut(p.auditor, "keys", "--add", "venue.pub.json", "--threshold", "1", "--out", "venue.keys.json"),
      0,
      "",
    );
    expect(await haircut(p.auditor, "verify", "publication", "--keys", "venue.keys.json"), 0, "auditor verify");
    const paeOut = expect(await haircut(p.auditor, "pae", "publication/statement.dsse.json"), 0, "pae to stdout");
    Deno.writeFileSync(`${p.auditor}/pae.bin`, paeOut.bytes);
    assert.deepEqual(paeOut.bytes, Deno.readFileSync(`${p.venue}/pae.bin`), "the same bytes on both machines");
    // OpenSSL's ECDSA nonces are random: sign until S is high, as a KMS may return.
    let s = 0n;
    for (let i = 0; i < 64 && s <= N / 2n; i++) {
      await openssl(p.auditor, "dgst", "-sha256", "-sign", "kms.pem", "-out", "kms.sig.der", "pae.bin");
      s = await sOfDer(p.auditor, "kms.sig.der");
    }
    assert.ok(s > N / 2n, "a high-S signature from OpenSSL");
    // The right signature under another key is refused.
    Deno.writeTextFileSync(`${p.auditor}/other.pub.json`, await opensslKey(p.auditor, "other", "secp256k1"));
    const before = Deno.readFileSync(`${p.auditor}/publication/statement.dsse.json`);
    const wrongKey = await haircut(
      p.auditor,
      "attach",
      "publication/statement.dsse.json",
      "--public-key",
      "other.pub.json",
      "--signature",
      "kms.sig.der",
      "--encoding",
      "der",
    );
    expect(wrongKey, 1, "attach wrong key");
    assert.deepEqual(Deno.readFileSync(`${p.auditor}/publication/statement.dsse.json`), before);
    const kms = expect(
      await haircut(
        p.auditor,
        "attach",
        "publication/statement.dsse.json",
        "--public-key",
        "auditor.pub.json",
        "--signature",
        "kms.sig.der",
        "--encoding",
        "der",
      ),
      0,
      "attach KMS",
    );
    assert.match(kms.stdout, /its high S was normalized to n - S/);
    const stored = JSON.parse(Deno.readTextFileSync(`${p.auditor}/publication/statement.dsse.json`)).signatures[1];
    const compact = Uint8Array.from(atob(stored.sig), (c) => c.charCodeAt(0));
    const storedS = compact.subarray(32).reduce((v, b) => (v << 8n) | BigInt(b), 0n);
    assert.equal(storedS, N - s, "the envelope carries n - S");

    // CI: the venue required, threshold 2 over {venue, auditor}.
    Deno.writeTextFileSync(`${p.ci}/venue.pub.json`, venuePub);
    Deno.writeTextFileSync(`${p.ci}/auditor.pub.json`, auditorPub);
    const venueKeyid = JSON.parse(venuePub).keyid;
    expect(
      await haircut(
        p.ci,
        "keys",
        "--add",
        "venue.pub.json",
        "--add",
        "auditor.pub.json",
        "--threshold",
        "2",
        "--require",
        venueKeyid,
        "--out",
        "keys.json",
      ),
      0,
      "keys",
    );
    expect(await haircut(p.ci, "verify", `${p.venue}/publication`, "--keys", "keys.json"), 1, "venue only");
    expect(await haircut(p.ci, "verify", `${p.auditor}/publication`, "--keys", "keys.json"), 0, "both");
  } finally {
    await removeAll(p);
  }
});
