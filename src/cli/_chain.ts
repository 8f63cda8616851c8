/**
 * `haircut chain`.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, format, loadKeys, readDocument, usage } from "./_common.ts";
import { renderChainJson, renderChainText } from "../report/report.ts";
import { checkChain } from "../verify/chain.ts";

const USAGE =
  `Usage: haircut chain <statement.dsse.json> <statement.dsse.json> ... [--keys <keys.json>] [--format text|json]

Checks that a venue's statements, given oldest first, link through
"previous": each names the digest of the one before. Reports a gap
(CHAIN_GAP), a fork (CHAIN_FORK: two statements with the same predecessor)
or a reordering (CHAIN_REORDERED), and a venue change (CHAIN_BROKEN).

Options:
  --keys <file>     keys you trust: also check every statement's signatures
  --format <f>      text (default) or json
  -h, --help        this help
`;

/** What each positional file must be. */
const STATEMENT = { kinds: ["envelope"], what: "statement file" } as const;

/** Runs `haircut chain` with its arguments. */
export async function chainCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("chain", {
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length < 2) usage("chain", "expected at least two statement files, oldest first");
  const fmt = format("chain", values.format, ["text", "json"]);
  const keys = values.keys ? await loadKeys(values.keys, "chain") : undefined;
  const inputs = [];
  for (const name of positionals) inputs.push({ name, envelope: await readDocument(name, STATEMENT) });
  const report = checkChain(inputs, keys ? { keys } : {});
  return {
    code: report.ok ? 0 : 1,
    stdout: fmt === "json" ? renderChainJson(report) : renderChainText(report),
    stderr: "",
  };
}
