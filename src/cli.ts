/**
 * The `haircut` command line: `verify`, `proof`, `publish` and `keygen`.
 *
 * Exit codes: 0 valid, 1 not valid (including malformed publication
 * content), 2 the command could not run (usage, missing or unreadable file,
 * malformed user input such as a keys file).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { FormatError, InputError } from "./errors.ts";
import {
  type Algorithm,
  checkSignatures,
  generateSigningKey,
  type KeysFile,
  parseEnvelope,
  parseKeysFile,
  parseSigningKey,
  signingKeyJson,
} from "./envelope.ts";
import { parseEventFile } from "./publish.ts";
import { PROOFS_MODES, type ProofsMode, publishToDirectory } from "./publish_stream.ts";
import { checkChain } from "./chain.ts";
import {
  renderChainJson,
  renderChainText,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderProofText,
  renderPublicationText,
  renderStatementText,
} from "./report.ts";
import { checkArithmetic, parseStatementPayload, payloadDigest, statementToJson } from "./statement.ts";
import { fileChunks, verifyProof, verifyPublication } from "./verify.ts";

/** What a command produced: text for stdout and stderr, and the exit code. */
export interface CliResult {
  /** The exit code: 0, 1 or 2. */
  code: 0 | 1 | 2;
  /** Text for stdout. */
  stdout: string;
  /** Text for stderr. */
  stderr: string;
}

/**
 * The largest JSON file the CLI reads (statement, previous statement, proof,
 * keys, event and signing key), in bytes: 1 MiB. The size is checked before
 * the file is read, and at most this many bytes (plus one) are ever loaded.
 *
 * @example
 * ```ts
 * import { MAX_JSON_FILE } from "./cli.ts";
 * MAX_JSON_FILE; // 1048576
 * ```
 */
export const MAX_JSON_FILE: number = 1 << 20;

const USAGE: Record<string, string> = {
  haircut: `haircut: verify socialized-loss haircuts

Usage:
  haircut verify <publication-dir> --keys <keys.json> [--previous <statement.dsse.json>] [--format text|json|junit|markdown] [--max-errors N] [--workers N] [--quiet]
  haircut proof <proof.json> --statement <statement.dsse.json> --keys <keys.json> [--format text|json|markdown]
  haircut publish --accounts <accounts.csv> --event <event.json> --signing-key <key.json> [--signing-key ...] --out <dir> [--salt-secret <file>] [--proofs files|ndjson|none]
  haircut keygen [--algorithm ed25519|secp256k1] --out <key.json>
  haircut inspect <statement.dsse.json> [--keys <keys.json>] [--format text|json]
  haircut chain <statement.dsse.json> <statement.dsse.json> ... [--keys <keys.json>] [--format text|json]

Exit codes: 0 valid, 1 not valid, 2 could not run.
Run 'haircut <command> --help' for details.
`,
  verify: `Usage: haircut verify <publication-dir> --keys <keys.json> [options]

Re-derives a whole publication: signatures against your pinned keys, the
statement and its arithmetic, then every leaf of leaves.csv in one pass
(order, haircut <= base, exact pro-rata allocation and rounding), the leaf
count, the totals and the root.

Options:
  --keys <file>        keys you trust (required)
  --previous <file>    the venue's previous statement.dsse.json, to check the chain
  --format <f>         text (default), json, junit or markdown
  --max-errors <n>     how many errors to list (default 20)
  --workers <n>        worker threads that hash the leaves (default: the number of cores; 0 or 1: one thread)
  --quiet              no progress display on stderr
  -h, --help           this help

Progress (leaves/s and ETA) is shown on stderr only when it is a terminal.
`,
  proof:
    `Usage: haircut proof <proof.json> --statement <statement.dsse.json> --keys <keys.json> [--format text|json|markdown]

Checks one trader's proof: the statement is signed by your pinned keys, your
account is in the signed tree, and your haircut is exactly the pro-rata share.

Options:
  --statement <file>   the venue's statement.dsse.json (required)
  --keys <file>        keys you trust (required)
  --format <f>         text (default), json or markdown
  -h, --help           this help
`,
  publish: `Usage: haircut publish --accounts <accounts.csv> --event <event.json> --signing-key <key.json> --out <dir>

Builds and signs a publication: statement.dsse.json, leaves.csv, keys.json
and the proofs: proofs/ (one file per account, named by its account key), or
proofs.ndjson (one proof per line, for millions of accounts), or none.

Options:
  --accounts <file>     CSV with the header account,base (required)
  --event <file>        venue, event, asset, decimals, snapshotTime, policy, deficit, insuranceFund[, previous] (required)
  --signing-key <file>  a key from 'haircut keygen'; repeat for several signers (required)
  --out <dir>           output directory (required)
  --salt-secret <file>  derive salts with HMAC-SHA256 from this file's bytes (default: random salts)
  --proofs <mode>       files (default), ndjson or none
  -h, --help            this help
`,
  keygen: `Usage: haircut keygen [--algorithm ed25519|secp256k1] --out <key.json>

Writes a new signing key with file mode 0600. Refuses to overwrite a file.

Options:
  --algorithm <a>   ed25519 (default) or secp256k1
  --out <file>      where to write the key (required)
  -h, --help        this help
`,
  inspect: `Usage: haircut inspect <statement.dsse.json> [--keys <keys.json>] [--format text|json]

Shows a statement's contents for a human. Without --keys the signatures are
not checked and the output is marked UNVERIFIED.

Options:
  --keys <file>     keys you trust: check signatures, fields and arithmetic
  --format <f>      text (default) or json
  -h, --help        this help
`,
  chain: `Usage: haircut chain <statement.dsse.json> <statement.dsse.json> ... [--keys <keys.json>] [--format text|json]

Checks that a venue's statements, given oldest first, link through
"previous": each names the digest of the one before. Reports a gap
(CHAIN_GAP), a fork (CHAIN_FORK: two statements with the same predecessor)
or a reordering (CHAIN_REORDERED), and a venue change (CHAIN_BROKEN).

Options:
  --keys <file>     keys you trust: also check every statement's signatures
  --format <f>      text (default) or json
  -h, --help        this help
`,
};

function usage(command: string, message: string): never {
  throw new InputError(`${message} (see 'haircut ${command} --help')`);
}

/** Reads a regular file of at most `MAX_JSON_FILE` bytes; the size is checked before and while reading. */
async function readSmallFile(path: string, what: string): Promise<Uint8Array> {
  const tooLarge = (): InputError =>
    new InputError(`${what} ${path} is larger than the limit of ${MAX_JSON_FILE} bytes (MAX_JSON_FILE)`);
  try {
    // A FIFO or device could block or never end: only a regular file is read, and at most one byte past the limit.
    const info = await Deno.stat(path);
    if (!info.isFile) throw new InputError(`${what} ${path} is not a file`);
    if (info.size > MAX_JSON_FILE) throw tooLarge();
    using file = await Deno.open(path);
    const buffer = new Uint8Array(MAX_JSON_FILE + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    if (filled > MAX_JSON_FILE) throw tooLarge();
    return buffer.slice(0, filled);
  } catch (e) {
    throw fileError(e, path, what);
  }
}

/** {@linkcode readSmallFile} as text; a byte order mark is kept, so the strict JSON reader rejects it. */
async function readSmallText(path: string, what: string): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await readSmallFile(path, what));
}

function fileError(e: unknown, path: string, what: string): Error {
  if (e instanceof InputError) return e;
  if (e instanceof Deno.errors.NotFound) return new InputError(`${what} ${path} does not exist`);
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return new InputError(`${what} ${path} cannot be read: permission denied`);
  }
  return new InputError(`${what} ${path} cannot be read: ${(e as Error).message}`);
}

function format(command: string, value: string | undefined, allowed: readonly string[]): string {
  const f = value ?? "text";
  if (!allowed.includes(f)) usage(command, `--format must be one of ${allowed.join(", ")}`);
  return f;
}

async function loadKeys(path: string | undefined, command: string): Promise<KeysFile> {
  if (!path) usage(command, "--keys <keys.json> is required");
  return parseKeysFile(await readSmallText(path, "keys file"));
}

async function verifyCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      previous: { type: "string" },
      format: { type: "string" },
      "max-errors": { type: "string" },
      workers: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE.verify, stderr: "" };
  if (positionals.length !== 1) usage("verify", "expected one publication directory");
  const fmt = format("verify", values.format, ["text", "json", "junit", "markdown"]);
  const maxErrors = values["max-errors"] === undefined ? 20 : Number(values["max-errors"]);
  if (!Number.isSafeInteger(maxErrors) || maxErrors < 0) usage("verify", "--max-errors must be a whole number");
  const workers = values.workers === undefined ? navigator.hardwareConcurrency : Number(values.workers);
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 256) usage("verify", "--workers must be 0 to 256");
  const keys = await loadKeys(values.keys, "verify");
  const dir = positionals[0];
  const envelope = await readSmallText(`${dir}/statement.dsse.json`, "envelope");
  const previous = values.previous ? await readSmallText(values.previous, "previous statement") : undefined;
  let file: Deno.FsFile;
  try {
    // A FIFO or device would block or never end: only a regular file is read.
    if (!(await Deno.stat(`${dir}/leaves.csv`)).isFile) {
      throw new InputError(`leaves file ${dir}/leaves.csv is not a file`);
    }
    file = await Deno.open(`${dir}/leaves.csv`);
  } catch (e) {
    throw fileError(e, `${dir}/leaves.csv`, "leaves file");
  }
  const size = (await file.stat()).size;
  const progress = !values.quiet && Deno.stderr.isTerminal() ? new Progress(size) : undefined;
  const leaves = progress ? progress.watch(fileChunks(file)) : fileChunks(file);
  const report = await verifyPublication(
    { envelope, leaves },
    keys,
    { maxErrors: Math.max(maxErrors, 1000), workers, ...(previous !== undefined ? { previous } : {}) },
  );
  progress?.done();
  const stdout = fmt === "json"
    ? renderJson(report)
    : fmt === "junit"
    ? renderJunit(report)
    : fmt === "markdown"
    ? renderMarkdown(report, { maxErrors })
    : renderPublicationText(report, { maxErrors });
  return { code: report.ok ? 0 : 1, stdout, stderr: "" };
}

async function proofCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      statement: { type: "string" },
      keys: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE.proof, stderr: "" };
  if (positionals.length !== 1) usage("proof", "expected one proof file");
  const fmt = format("proof", values.format, ["text", "json", "markdown"]);
  if (!values.statement) usage("proof", "--statement <statement.dsse.json> is required");
  const keys = await loadKeys(values.keys, "proof");
  const proof = await readSmallText(positionals[0], "proof");
  const envelope = await readSmallText(values.statement, "envelope");
  const report = verifyProof({ proof, envelope }, keys);
  const stdout = fmt === "json"
    ? renderJson(report)
    : fmt === "markdown"
    ? renderMarkdown(report)
    : renderProofText(report);
  return { code: report.ok ? 0 : 1, stdout, stderr: "" };
}

async function publishCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      accounts: { type: "string" },
      event: { type: "string" },
      "signing-key": { type: "string", multiple: true },
      out: { type: "string" },
      "salt-secret": { type: "string" },
      proofs: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE.publish, stderr: "" };
  if (positionals.length > 0) usage("publish", `unexpected argument ${positionals[0]}`);
  if (!values.accounts) usage("publish", "--accounts <accounts.csv> is required");
  if (!values.event) usage("publish", "--event <event.json> is required");
  if (!values["signing-key"]?.length) usage("publish", "--signing-key <key.json> is required");
  if (!values.out) usage("publish", "--out <dir> is required");
  const proofs = (values.proofs ?? "files") as ProofsMode;
  if (!PROOFS_MODES.includes(proofs)) usage("publish", `--proofs must be one of ${PROOFS_MODES.join(", ")}`);
  const accountsPath = values.accounts;
  try {
    if (!(await Deno.stat(accountsPath)).isFile) throw new InputError(`accounts file ${accountsPath} is not a file`);
  } catch (e) {
    throw fileError(e, accountsPath, "accounts file");
  }
  const event = parseEventFile(await readSmallText(values.event, "event file"));
  const signers = [];
  for (const path of values["signing-key"]) signers.push(parseSigningKey(await readSmallText(path, "signing key")));
  let saltSecret: Uint8Array | undefined;
  if (values["salt-secret"]) {
    saltSecret = await readSmallFile(values["salt-secret"], "salt secret");
    if (saltSecret.length < 16) throw new InputError("salt secret must be at least 16 bytes");
  }
  await requireFreshOutput(values.out);
  let accounts: Deno.FsFile;
  try {
    accounts = await Deno.open(accountsPath);
  } catch (e) {
    throw fileError(e, accountsPath, "accounts file");
  }
  const publication = await publishToDirectory(
    { accounts: accounts.readable, event, out: values.out },
    signers,
    {
      proofs,
      ...(saltSecret ? { saltSecret } : {}),
    },
  );
  return {
    code: 0,
    stdout: `published ${publication.accounts} accounts to ${values.out}\n` +
      `  statement digest ${publication.digest}\n` +
      `  target ${publication.statement.target}, collected ${publication.statement.tree.totalHaircut}, ` +
      `uncovered ${publication.statement.uncovered}\n`,
    stderr: "",
  };
}

/** Refuses an output directory that already holds a publication, so old and new proofs never mix. */
async function requireFreshOutput(dir: string): Promise<void> {
  for (const name of ["statement.dsse.json", "leaves.csv", "keys.json", "proofs", "proofs.ndjson"]) {
    try {
      await Deno.lstat(`${dir}/${name}`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw fileError(e, `${dir}/${name}`, "output");
    }
    throw new InputError(`${dir} already holds ${name}; publish into a new or empty directory`);
  }
}

async function keygenCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      algorithm: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE.keygen, stderr: "" };
  if (positionals.length > 0) usage("keygen", `unexpected argument ${positionals[0]}`);
  const algorithm = values.algorithm ?? "ed25519";
  if (algorithm !== "ed25519" && algorithm !== "secp256k1") usage("keygen", "--algorithm must be ed25519 or secp256k1");
  if (!values.out) usage("keygen", "--out <key.json> is required");
  const key = generateSigningKey(algorithm as Algorithm);
  try {
    await Deno.writeTextFile(values.out, signingKeyJson(key), { createNew: true, mode: 0o600 });
    await Deno.chmod(values.out, 0o600);
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new InputError(`${values.out} already exists; not overwriting a key`);
    }
    throw new InputError(`cannot write ${values.out}: ${(e as Error).message}`);
  }
  return { code: 0, stdout: `wrote ${algorithm} key ${key.keyid} to ${values.out} (mode 0600)\n`, stderr: "" };
}

async function inspectCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE.inspect, stderr: "" };
  if (positionals.length !== 1) usage("inspect", "expected one statement.dsse.json");
  const fmt = format("inspect", values.format, ["text", "json"]);
  const keys = values.keys ? await loadKeys(values.keys, "inspect") : undefined;
  const envelope = parseEnvelope(await readSmallText(positionals[0], "envelope"));
  const digest = payloadDigest(envelope.payload);
  const sigs = keys ? checkSignatures(envelope, keys) : undefined;
  const errors = [...(sigs?.findings ?? [])];
  const statement = parseStatementPayload(envelope.payload);
  if (keys) errors.push(...checkArithmetic(statement));
  const verified = keys !== undefined && errors.length === 0;
  let stdout: string;
  if (fmt === "json") {
    stdout = JSON.stringify(
      {
        ok: keys === undefined ? null : verified,
        kind: "statement",
        verified,
        statement: { digest, ...statementToJson(statement) },
        signers: sigs?.signers ?? [],
        errors,
      },
      null,
      2,
    ) + "\n";
  } else {
    const verdict = keys === undefined ? "unchecked" : verified ? "verified" : "rejected";
    stdout = renderStatementText(statement, { digest, verdict, ...(sigs ? { signers: sigs.signers } : {}) });
    if (errors.length > 0) stdout += "\nErrors:\n" + errors.map((e) => `  ${e.code}: ${e.message}`).join("\n") + "\n";
  }
  return { code: keys && !verified ? 1 : 0, stdout, stderr: "" };
}

async function chainCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE.chain, stderr: "" };
  if (positionals.length < 2) usage("chain", "expected at least two statement files, oldest first");
  const fmt = format("chain", values.format, ["text", "json"]);
  const keys = values.keys ? await loadKeys(values.keys, "chain") : undefined;
  const inputs = [];
  for (const name of positionals) inputs.push({ name, envelope: await readSmallText(name, "envelope") });
  const report = checkChain(inputs, keys ? { keys } : {});
  return {
    code: report.ok ? 0 : 1,
    stdout: fmt === "json" ? renderChainJson(report) : renderChainText(report),
    stderr: "",
  };
}

/** Shows leaves/s and an ETA on stderr while a leaves file streams through. */
class Progress {
  readonly #total: number;
  readonly #start = performance.now();
  #bytes = 0;
  #lines = 0;
  #last = Number.NEGATIVE_INFINITY;

  constructor(total: number) {
    this.#total = total;
  }

  async *watch(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      this.#bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.#lines++;
      const now = performance.now();
      if (now - this.#last > 250) {
        this.#last = now;
        this.#draw(now);
      }
      yield chunk;
    }
  }

  #draw(now: number): void {
    const seconds = (now - this.#start) / 1000;
    const rate = seconds > 0 ? Math.round(this.#lines / seconds) : 0;
    const fraction = this.#total > 0 ? this.#bytes / this.#total : 1;
    const eta = fraction > 0 ? Math.max(0, seconds / fraction - seconds) : 0;
    const text = `\r  ${(fraction * 100).toFixed(1).padStart(5)}%  ${rate.toLocaleString("en-US")} leaves/s  ETA ${
      eta.toFixed(0)
    } s   `;
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  }

  done(): void {
    Deno.stderr.writeSync(new TextEncoder().encode("\r" + " ".repeat(60) + "\r"));
  }
}

const COMMANDS: Record<string, (args: string[]) => Promise<CliResult>> = {
  verify: verifyCommand,
  proof: proofCommand,
  inspect: inspectCommand,
  chain: chainCommand,
  publish: publishCommand,
  keygen: keygenCommand,
};

/** Commands that only read; the CLI drops write permission before running them. */
export const READ_ONLY_COMMANDS: readonly string[] = ["verify", "proof", "inspect", "chain"];

/**
 * Runs the CLI on `args` and returns its output and exit code instead of
 * printing or exiting, so it can be tested and embedded.
 *
 * @example
 * ```ts
 * import { runCli } from "./cli.ts";
 * const r = await runCli(["verify", "fixtures/example", "--keys", "fixtures/example/keys.json"]);
 * r.code; // 0
 * ```
 */
export async function runCli(args: string[]): Promise<CliResult> {
  const [command, ...rest] = args;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    return command === undefined
      ? { code: 2, stdout: "", stderr: USAGE.haircut }
      : { code: 0, stdout: USAGE.haircut, stderr: "" };
  }
  const run = COMMANDS[command];
  if (!run) {
    return {
      code: 2,
      stdout: "",
      stderr: `haircut: unknown command ${JSON.stringify(command)} (see 'haircut --help')\n`,
    };
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof InputError) return { code: 2, stdout: "", stderr: `haircut ${command}: ${e.message}\n` };
    if (e instanceof FormatError) {
      return { code: 1, stdout: "", stderr: `haircut ${command}: ${e.finding.code}: ${e.message}\n` };
    }
    const code = (e as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      return {
        code: 2,
        stdout: "",
        stderr: `haircut ${command}: ${(e as Error).message.split("\n")[0]} (see 'haircut ${command} --help')\n`,
      };
    }
    return { code: 2, stdout: "", stderr: `haircut ${command}: unexpected error: ${(e as Error).message}\n` };
  }
}

if (import.meta.main) {
  if (READ_ONLY_COMMANDS.includes(Deno.args[0])) await Deno.permissions.revoke({ name: "write" });
  const result = await runCli(Deno.args);
  if (result.stdout) await Deno.stdout.write(new TextEncoder().encode(result.stdout));
  if (result.stderr) await Deno.stderr.write(new TextEncoder().encode(result.stderr));
  Deno.exit(result.code);
}
