/**
 * The CLI tells the truth (issue 10): each case a trader meets gives the
 * honest message and the right exit code. Overcharges and undercharges in
 * money, a proof of another statement stopped at the digest, the trader's own
 * file mistakes as exit 2 with a one-line hint, the wrong keys file with
 * what to check, a byte order mark ignored, plain words next to the figures,
 * the evidence to keep, `--version`, `help <command>` and "did you mean".
 */

import assert from "node:assert/strict";
import { type CliResult, runCli, VERSION } from "../src/cli/main.ts";
import { MOVED_KEYS, movedCharge } from "./_moved_charge.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const EX = `${ROOT}fixtures/example`;
const KEYS = `${EX}/keys.json`;
const STATEMENT = `${EX}/statement.dsse.json`;
const ALICE = `${EX}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`;
const TAMPERED = `${ROOT}fixtures/tampered`;
const TAMPERED_KEYS = `${TAMPERED}/base/keys.json`;

async function withDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "haircut_truth_" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `haircut proof <proof> --statement <statement> --keys <keys> [more...]`. */
function proof(file: string, statement: string, keys: string, ...more: string[]): Promise<CliResult> {
  return runCli(["proof", file, "--statement", statement, "--keys", keys, ...more]);
}

/** `haircut proof` on a proof case of the tamper corpus. */
function tamperedProof(name: string): Promise<CliResult> {
  const dir = `${TAMPERED}/${name}`;
  return proof(`${dir}/proof.json`, `${dir}/statement.dsse.json`, TAMPERED_KEYS);
}

function lines(text: string): string[] {
  return text.split("\n");
}

/** Exit 2, nothing on stdout, exactly `message` on stderr, and never "NOT VALID". */
function assertHint(r: CliResult, message: string): void {
  assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, {
    code: 2,
    stdout: "",
    stderr: `${message}\n`,
  });
  assert.ok(!r.stderr.includes("NOT VALID"));
}

// ---------------------------------------------------------------------------
// Overcharge and undercharge, in money

Deno.test("truth: an overcharge says so first, in money, and never calls the charge rounded", async () => {
  const r = await tamperedProof("proof-overcharged");
  assert.equal(r.code, 1);
  assert.equal(
    lines(r.stdout)[0],
    "NOT VALID: overcharged by 0.50 USDT: the rule allows at most 123.46 USDT, and the venue charged 123.96 USDT.",
  );
  assert.ok(
    r.stdout.includes("\n  Charged                 123.96 USDT            0.50 USDT more than the rule allows\n"),
  );
  assert.ok(r.stdout.includes("\n  Allowed charges         123.45 or 123.46 USDT  your exact share rounded down"));
  assert.ok(
    !/rounded down:|rounding added|Rounding {2}/.test(r.stdout),
    "no rounding story for a charge the rule forbids",
  );
  // The venue signed it: the checks that passed say so.
  assert.ok(r.stdout.includes("  - your account, base and charge are in the tree the statement commits to"));
});

Deno.test("truth: an undercharge says so first, in money", async () => {
  const { envelope, proofs } = movedCharge({ from: "frank", to: "bob", units: 50n });
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, envelope);
    await Deno.writeTextFile(`${dir}/frank.json`, proofs.get("frank")!);
    const r = await proof(`${dir}/frank.json`, `${dir}/statement.dsse.json`, MOVED_KEYS);
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stdout)[0],
      "NOT VALID: undercharged by 0.50 USDT: the rule allows at least 250.00 USDT, and the venue charged " +
        "249.50 USDT, so the charges do not follow the rule.",
    );
    assert.ok(r.stdout.includes("\n  Charged                 249.50 USDT    0.50 USDT less than the rule asks\n"));
  });
});

// ---------------------------------------------------------------------------
// A proof of another statement

Deno.test("truth: a proof of another statement names its digest and stops; no figure is combined", async () => {
  const dir = `${TAMPERED}/proof-wrong-statement`;
  const r = await tamperedProof("proof-wrong-statement");
  assert.equal(r.code, 1);
  assert.deepEqual(lines(r.stdout).slice(0, 2), [
    "NOT VALID: this proof belongs to another statement: it names statement " +
    "906d0e2fcd779cd1118873aa4c5faa036adca29e2c896f81273d48938ad2d19a, but " +
    `${dir}/statement.dsse.json is statement 2b94de55d2c74e8d322010c4cb3d7a4c13b23f11676ac6d5717983e216f80d5d ` +
    "(Tamper Test Exchange · 2026-05-01/ETH-PERP).",
    "Nothing in the proof was checked against this statement. Ask the venue for statement " +
    "906d0e2fcd779cd1118873aa4c5faa036adca29e2c896f81273d48938ad2d19a and check the proof against that one.",
  ]);
  for (
    const figure of ["Your charge", "Your base", "Rate", "How the loss was covered", "HAIRCUT_MISMATCH", "3,000.00"]
  ) {
    assert.ok(!r.stdout.includes(figure), `no ${figure}`);
  }
  const json = JSON.parse(
    (await proof(`${dir}/proof.json`, `${dir}/statement.dsse.json`, TAMPERED_KEYS, "--format", "json")).stdout,
  );
  assert.deepEqual(json.errors.map((e: { code: string }) => e.code), ["STATEMENT_DIGEST_MISMATCH"]);
});

// ---------------------------------------------------------------------------
// The trader's own file mistakes: exit 2 and a one-line hint

/** The warning a secret key file given as --keys gets when others can read it (as the fixture's checkout may allow). */
function exposure(path: string): string {
  const mode = (Deno.statSync(path).mode ?? 0) & 0o777;
  if ((mode & 0o077) === 0) return "";
  return `; warning: this secret key file is readable by other users (mode 0${mode.toString(8)}): ` +
    `run 'chmod 600 ${path}' and treat the key as exposed`;
}

Deno.test("truth: proof and statement swapped, a keys file as the proof, a proof as the keys file", async () => {
  assertHint(
    await proof(STATEMENT, ALICE, KEYS),
    `haircut proof: ${ALICE} looks like a proof, not a statement: did you swap --statement and the proof?`,
  );
  assertHint(
    await proof(KEYS, STATEMENT, KEYS),
    `haircut proof: ${KEYS} looks like a keys file, not a proof: did you swap the proof and --keys?`,
  );
  assertHint(
    await proof(ALICE, STATEMENT, ALICE),
    `haircut proof: ${ALICE} looks like a proof, not a keys file: did you swap --keys and the proof?`,
  );
  assertHint(
    await proof(ALICE, KEYS, KEYS),
    `haircut proof: ${KEYS} looks like a keys file, not a statement: did you swap --statement and --keys?`,
  );
  assertHint(
    await proof(`${EX}/leaves.csv`, STATEMENT, KEYS),
    `haircut proof: ${EX}/leaves.csv looks like a leaves.csv file, not a proof`,
  );
  assertHint(
    await proof(ALICE, STATEMENT, `${EX}/input/venue.key.json`),
    `haircut proof: ${EX}/input/venue.key.json looks like a signing key (keep it secret), not a keys file` +
      exposure(`${EX}/input/venue.key.json`),
  );
  assertHint(
    await runCli(["verify", EX, "--keys", KEYS, "--previous", KEYS]),
    `haircut verify: ${KEYS} looks like a keys file, not a statement: did you swap --previous and --keys?`,
  );
  assertHint(
    await runCli(["inspect", ALICE]),
    `haircut inspect: ${ALICE} looks like a proof, not a statement`,
  );
});

Deno.test("truth: a cut-off or empty proof, statement or keys file", async () => {
  await withDir(async (dir) => {
    const bytes = await Deno.readFile(ALICE);
    await Deno.writeFile(`${dir}/cut.json`, bytes.subarray(0, 300));
    await Deno.writeFile(`${dir}/empty.json`, new Uint8Array());
    await Deno.writeTextFile(`${dir}/blank.json`, " \n");
    await Deno.writeFile(`${dir}/statement.dsse.json`, (await Deno.readFile(STATEMENT)).subarray(0, 1000));
    await Deno.writeFile(`${dir}/keys.json`, (await Deno.readFile(KEYS)).subarray(0, 77));
    assertHint(
      await proof(`${dir}/cut.json`, STATEMENT, KEYS),
      `haircut proof: ${dir}/cut.json: the proof file is not complete JSON (cut off at byte 300?)`,
    );
    assertHint(
      await proof(`${dir}/empty.json`, STATEMENT, KEYS),
      `haircut proof: ${dir}/empty.json: the proof file is empty`,
    );
    assertHint(
      await proof(`${dir}/blank.json`, STATEMENT, KEYS),
      `haircut proof: ${dir}/blank.json: the proof file is empty`,
    );
    assertHint(
      await proof(ALICE, `${dir}/statement.dsse.json`, KEYS),
      `haircut proof: ${dir}/statement.dsse.json: the statement file is not complete JSON (cut off at byte 1000?)`,
    );
    assertHint(
      await proof(ALICE, STATEMENT, `${dir}/keys.json`),
      `haircut proof: ${dir}/keys.json: the keys file is not complete JSON (cut off at byte 77?)`,
    );
    // With a byte order mark, the byte count is still the file's size.
    await Deno.writeFile(`${dir}/cut.json`, new Uint8Array([0xef, 0xbb, 0xbf, ...bytes.subarray(0, 300)]));
    assertHint(
      await proof(`${dir}/cut.json`, STATEMENT, KEYS),
      `haircut proof: ${dir}/cut.json: the proof file is not complete JSON (cut off at byte 303?)`,
    );
    // Every cut of the proof is caught as cut off, never as NOT VALID.
    for (let n = 1; n < bytes.length - 1; n += 7) {
      await Deno.writeFile(`${dir}/cut.json`, bytes.subarray(0, n));
      const r = await proof(`${dir}/cut.json`, STATEMENT, KEYS);
      assert.equal(r.code, 2, `cut at ${n}: ${r.stdout}${r.stderr}`);
      assert.ok(r.stderr.endsWith(`not complete JSON (cut off at byte ${n}?)\n`), `cut at ${n}: ${r.stderr}`);
    }
  });
});

Deno.test("truth: garbage in the statement file stays a NOT VALID statement (exit 1), not a hint", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/statement.dsse.json`, "{ not json }");
    const r = await proof(ALICE, `${dir}/statement.dsse.json`, KEYS);
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stdout)[0],
      `NOT VALID: ${dir}/statement.dsse.json is not a readable signed statement (ENVELOPE_INVALID, details below).`,
    );
  });
});

Deno.test("truth: every tampered proof of the corpus gets its reason in plain words, exit 1", async () => {
  const NOT_IN_TREE = "NOT VALID: your account with the figures in the proof is not in the tree the statement " +
    "commits to: the proof was changed, or it is not the one the venue published.";
  const expected: Record<string, string> = {
    "leaf-as-internal-node": NOT_IN_TREE,
    "proof-haircut-edited": NOT_IN_TREE,
    "proof-haircut-exceeds-base": NOT_IN_TREE,
    "proof-index-edited": NOT_IN_TREE,
    "proof-path-too-long": NOT_IN_TREE,
    "proof-path-too-short": NOT_IN_TREE,
    "proof-sibling-sum-edited": NOT_IN_TREE,
    "proof-salt-uppercase":
      "NOT VALID: the proof file is not a valid proof (proof: salt must be 64 lowercase hex digits).",
  };
  for (const [name, headline] of Object.entries(expected)) {
    const r = await tamperedProof(name);
    assert.equal(r.code, 1, name);
    assert.equal(lines(r.stdout)[0], headline, name);
    assert.ok(!r.stdout.includes("Exact share"), `${name}: no share explained for figures outside the signed tree`);
  }
});

Deno.test("truth: every failing stage of the statement gets its reason in plain words, exit 1", async () => {
  const base = [...Deno.readDirSync(`${TAMPERED}/base/proofs`)][0].name;
  const expected: Record<string, string> = {
    "signature-removed": `NOT VALID: only 1 of the keys in ${TAMPERED_KEYS} signed this statement, fewer than the ` +
      "file requires.",
    "signature-bit-flipped": `NOT VALID: a signature on this statement names a key in ${TAMPERED_KEYS} but does not ` +
      "verify: the statement was changed after it was signed, or the signature is forged.",
    "payload-type-changed": `NOT VALID: ${TAMPERED}/payload-type-changed/statement.dsse.json is signed as another ` +
      "kind of document, not a haircut statement (PAYLOAD_TYPE, details below).",
    "non-canonical-whitespace": "NOT VALID: the signed statement breaks the format's rules, so none of its figures " +
      "can be relied on (NON_CANONICAL, details below).",
    "insurance-not-used-first": "NOT VALID: the statement's own figures do not add up (details below).",
  };
  for (const [name, headline] of Object.entries(expected)) {
    const r = await proof(`${TAMPERED}/base/proofs/${base}`, `${TAMPERED}/${name}/statement.dsse.json`, TAMPERED_KEYS);
    assert.equal(r.code, 1, name);
    assert.equal(lines(r.stdout)[0], headline, name);
  }
});

// ---------------------------------------------------------------------------
// The wrong keys file

Deno.test("truth: a statement no trusted key signed is NOT VALID and says what to check", async () => {
  const r = await proof(ALICE, STATEMENT, TAMPERED_KEYS);
  assert.equal(r.code, 1);
  assert.deepEqual(lines(r.stdout).slice(0, 2), [
    `NOT VALID: none of the keys in ${TAMPERED_KEYS} signed this statement: is it the keys file you pinned for ` +
    `"Example Exchange" (the name the unverified statement gives; not checked)?`,
    `Check where ${TAMPERED_KEYS} came from: it must hold the keys the venue announced (its website, an ` +
    "announcement, an auditor), never keys taken only from the publication itself.",
  ]);
  assert.ok(!r.stdout.includes("Your charge"), "nothing from an unverified statement is shown as a figure");
});

// ---------------------------------------------------------------------------
// A byte order mark

Deno.test("truth: a BOM at the start of the proof, statement and keys files is ignored", async () => {
  const clean = await proof(ALICE, STATEMENT, KEYS);
  await withDir(async (dir) => {
    for (const [name, from] of [["proof.json", ALICE], ["statement.dsse.json", STATEMENT], ["keys.json", KEYS]]) {
      await Deno.writeTextFile(`${dir}/${name}`, "\ufeff" + await Deno.readTextFile(from));
    }
    const r = await proof(`${dir}/proof.json`, `${dir}/statement.dsse.json`, `${dir}/keys.json`);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(r.stdout.replaceAll(dir, EX).replace(`${EX}/proof.json`, ALICE), clean.stdout);
  });
});

// ---------------------------------------------------------------------------
// Plain words

Deno.test("truth: plain words next to each figure, and no bare jargon", async () => {
  const r = await proof(ALICE, STATEMENT, KEYS);
  assert.equal(r.code, 0);
  for (
    const words of [
      "you paid 11.6% of your profit at the snapshot",
      "rounding added 0.01 USDT",
      "check that your base, 7,500.00 USDT, is your profit on 2026-11-03 at 08:00 UTC: haircut cannot know it",
      "position 8 of the 8 accounts in the tree (leaf index 7)",
      "in minor units of 0.01 USDT: 87014 + 1538986/2241001",
      "the largest remainder rule rounds every share down",
      "target ÷ total base",
    ]
  ) assert.ok(r.stdout.includes(words), words);
  for (const jargon of ["T/P", "largest-remainder", "leaf 7 of 8", "+1 minor unit", " T×", "Total base P"]) {
    assert.ok(!r.stdout.includes(jargon), jargon);
  }
});

Deno.test("truth: after NOT VALID, what to keep as evidence and whom to ask", async () => {
  const dir = `${TAMPERED}/proof-overcharged`;
  const r = await tamperedProof("proof-overcharged");
  const at = r.stdout.indexOf("Keep as evidence:\n");
  assert.ok(at > 0);
  assert.deepEqual(lines(r.stdout.slice(at)).slice(0, 4), [
    "Keep as evidence:",
    `  Keep these three files unchanged: ${dir}/proof.json, ${dir}/statement.dsse.json and ${TAMPERED_KEYS}.`,
    "  Note the statement digest: 98fe7f5f986d9e72061e35e9f2b5b45e1ad39982327d7a49da5e9f1ecf2db6ee.",
    "  Ask Tamper Test Exchange to explain, quoting the statement digest.",
  ]);
  const valid = await proof(ALICE, STATEMENT, KEYS);
  assert.ok(!valid.stdout.includes("Keep as evidence"));
});

// ---------------------------------------------------------------------------
// --version, help <command>, did you mean

Deno.test("truth: --version from deno.json, help <command>, and did you mean", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  assert.equal(VERSION, config.version);
  assert.deepEqual(await runCli(["--version"]), { code: 0, stdout: `haircut ${config.version}\n`, stderr: "" });
  for (const command of ["verify", "proof", "publish", "keygen", "inspect", "chain"]) {
    assert.deepEqual(await runCli(["help", command]), await runCli([command, "--help"]), command);
  }
  assert.deepEqual(await runCli(["help", "verfy"]), {
    code: 2,
    stdout: "",
    stderr: `haircut: unknown command "verfy": did you mean verify? (see 'haircut --help')\n`,
  });
  assert.deepEqual(await runCli(["proof", ALICE, "--statement", STATEMENT, "--key", KEYS]), {
    code: 2,
    stdout: "",
    stderr: "haircut proof: unknown option --key: did you mean --keys? (see 'haircut proof --help')\n",
  });
  assert.deepEqual(await runCli(["verify", EX, "--keys", KEYS, "--formt", "json"]), {
    code: 2,
    stdout: "",
    stderr: "haircut verify: unknown option --formt: did you mean --format? (see 'haircut verify --help')\n",
  });
  assert.deepEqual(await runCli(["proof", ALICE, "--frob=1"]), {
    code: 2,
    stdout: "",
    stderr: "haircut proof: unknown option --frob (see 'haircut proof --help')\n",
  });
});
