/**
 * The `haircut` command line: one module per command, in the table below.
 *
 * Exit codes: 0 valid, 1 not valid (including malformed publication
 * content), 2 the command could not run (usage, missing or unreadable file,
 * malformed user input such as a keys file).
 *
 * @module
 */

import { FormatError, InputError } from "../core/errors.ts";
import { chainCommand } from "./_chain.ts";
import { attachCommand } from "./_attach.ts";
import { compareCommand } from "./_compare.ts";
import { type CliResult, nearest } from "./_common.ts";
import { inspectCommand } from "./_inspect.ts";
import { keygenCommand } from "./_keygen.ts";
import { keysCommand } from "./_keys.ts";
import { paeCommand } from "./_pae.ts";
import { logCommand } from "./_log.ts";
import { proofCommand } from "./_proof.ts";
import { pubkeyCommand } from "./_pubkey.ts";
import { publishCommand } from "./_publish.ts";
import { signCommand } from "./_sign.ts";
import { verifyCommand } from "./_verify.ts";
import config from "../../deno.json" with { type: "json" };
import { witnessCommand } from "./_witness.ts";

export type { CliResult } from "./_common.ts";
export { MAX_JSON_FILE } from "./_common.ts";

/** The version of haircut: the one in deno.json. */
export const VERSION: string = config.version;

const USAGE = `haircut ${VERSION}: verify socialized-loss haircuts

Usage:
  haircut verify <publication-dir> --keys <keys.json> [--previous <statement.dsse.json>] [--log-proof <file.tlog-proof> --log-policy <log-policy.json>] [--format text|json|junit|markdown] [--max-errors N] [--workers N] [--quiet]
  haircut proof <proof.json> --statement <statement.dsse.json> --keys <keys.json> [--log-proof <file.tlog-proof> --log-policy <log-policy.json>] [--format text|json|markdown]
  haircut publish --accounts <accounts.csv> --event <event.json> (--signing-key <key.json> ... [--threshold K] | --unsigned) --out <dir> [--salt-secret <file>] [--proofs files|ndjson|none]
  haircut keygen [--algorithm ed25519|secp256k1] --out <key.json>
  haircut sign <publication-dir> --keys <trusted.json> --signing-key <key.json>
  haircut pae <statement.dsse.json> [--out <file>]
  haircut attach <statement.dsse.json> --public-key <pub.json> --signature <file> [--encoding raw|base64|hex|der]
  haircut pubkey <key.json> [--name <name>]
  haircut keys --add <pub.json|key.json> ... --threshold K [--require <keyid> ...] --out <keys.json>
  haircut inspect <statement.dsse.json> [--keys <keys.json>] [--format text|json]
  haircut chain <statement.dsse.json> <statement.dsse.json> ... [--keys <keys.json>] [--format text|json]
  haircut compare <publication-dir> [--keys <keys.json>] [--format text|json|markdown]
  haircut log init|add|request|cosigned|prove <logdir> ...
  haircut witness init|cosign|serve <statedir> ...

Exit codes: 0 valid, 1 not valid, 2 could not run.
Run 'haircut help <command>' or 'haircut <command> --help' for details; 'haircut --version' prints the version.
`;

const COMMANDS: Record<string, (args: string[]) => Promise<CliResult>> = {
  verify: verifyCommand,
  proof: proofCommand,
  inspect: inspectCommand,
  chain: chainCommand,
  compare: compareCommand,
  publish: publishCommand,
  keygen: keygenCommand,
  sign: signCommand,
  pae: paeCommand,
  attach: attachCommand,
  pubkey: pubkeyCommand,
  keys: keysCommand,
  log: logCommand,
  witness: witnessCommand,
};

/** Commands that only read; the CLI drops write permission before running them. */
export const READ_ONLY_COMMANDS: readonly string[] = ["verify", "proof", "inspect", "chain", "pubkey", "compare"];

/**
 * Runs the CLI on `args` and returns its output and exit code instead of
 * printing or exiting, so it can be tested and embedded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "./main.ts";
 *
 * const r = await runCli(["verify", "fixtures/example", "--keys", "fixtures/example/keys.json"]);
 * assert.equal(r.code, 0);
 * assert.match(r.stdout, /^VALID: publication Example Exchange/);
 *
 * const typo = await runCli(["verfiy"]);
 * assert.equal(typo.code, 2);
 * ```
 */
export async function runCli(args: string[]): Promise<CliResult> {
  const [command, ...rest] = args;
  if (command === "--version" || command === "-V") return { code: 0, stdout: `haircut ${VERSION}\n`, stderr: "" };
  if (command === "help" && rest.length > 0) return runCli([rest[0], "--help"]);
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    return command === undefined ? { code: 2, stdout: "", stderr: USAGE } : { code: 0, stdout: USAGE, stderr: "" };
  }
  const run = COMMANDS[command];
  if (!run) {
    const guess = nearest(command, Object.keys(COMMANDS));
    return {
      code: 2,
      stdout: "",
      stderr: `haircut: unknown command ${JSON.stringify(command)}${guess ? `: did you mean ${guess}?` : ""} ` +
        "(see 'haircut --help')\n",
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
    const unknown = /^Unknown option '([^']+)'/.exec((e as Error).message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) {
      // The options a command knows are the ones its help lists.
      const known = [...new Set((await run(["--help"])).stdout.match(/--[a-z][a-z-]*/g) ?? [])];
      const guess = nearest(unknown, known);
      return {
        code: 2,
        stdout: "",
        stderr: `haircut ${command}: unknown option ${unknown}${guess ? `: did you mean ${guess}?` : ""} ` +
          `(see 'haircut ${command} --help')\n`,
      };
    }
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

/**
 * Writes every byte of `bytes` to `stream` (a single `write` may write fewer). A reader that went away (`| head`) is
 * no error: the rest is dropped quietly, and `false` says so.
 */
async function writeAll(stream: { write(p: Uint8Array): Promise<number> }, bytes: Uint8Array): Promise<boolean> {
  try {
    for (let done = 0; done < bytes.length;) done += await stream.write(bytes.subarray(done));
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return false;
    throw e;
  }
}

if (import.meta.main) {
  if (READ_ONLY_COMMANDS.includes(Deno.args[0])) await Deno.permissions.revoke({ name: "write" });
  const result = await runCli(Deno.args);
  const encoder = new TextEncoder();
  if (result.stdout) await writeAll(Deno.stdout, encoder.encode(result.stdout));
  if (result.stdoutBytes) await writeAll(Deno.stdout, result.stdoutBytes);
  if (result.stderr) await writeAll(Deno.stderr, encoder.encode(result.stderr));
  Deno.exit(result.code);
}
