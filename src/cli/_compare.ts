/**
 * `haircut compare`.
 *
 * @module
 */

import { platform } from "../platform/runtime.ts";
import { parseCommandArgs } from "./_args.ts";
import { type CliResult, fileError, format, loadKeys, readSmallText, usage } from "./_common.ts";
import { InputError } from "../core/errors.ts";
import { renderCompareJson, renderCompareMarkdown, renderCompareText } from "../report/compare.ts";
import { comparePublication } from "../verify/compare.ts";
import { fileChunks } from "../verify/publication.ts";

const USAGE = `Usage: haircut compare <publication-dir> [--keys <keys.json>] [--format text|json|markdown]

Re-allocates the publication's event under every rule: largest remainder and
floor on T/P, and rate-floor, rate-half-up and rate-ceil at the statement's
rate (or at T/P, each haircut rounded to the minor unit), with the cap and,
if there is one, without it. For each rule it shows the total collected, the
uncovered rest, the largest and smallest fraction of its base any account
pays, and how many accounts would pay differently from the published
allocation: whether the published rule was the fair one.

With --keys the whole publication is verified first (exit 1 when it is not
valid; the comparison is shown anyway). Without --keys nothing is verified
and the output says so.

Options:
  --keys <file>        keys you trust: verify the publication first
  --format <f>         text (default), json or markdown
  -h, --help           this help
`;

/** Runs `haircut compare` with its arguments. */
export async function compareCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("compare", {
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("compare", "expected one publication directory");
  const fmt = format("compare", values.format, ["text", "json", "markdown"]);
  const keys = values.keys === undefined ? undefined : await loadKeys(values.keys, "compare");
  const dir = positionals[0];
  const envelope = await readSmallText(`${dir}/statement.dsse.json`, "envelope");
  const path = `${dir}/leaves.csv`;
  try {
    // A FIFO or device would block or never end: only a regular file is read.
    if (!(await platform.stat(path)).isFile) throw new InputError(`leaves file ${path} is not a file`);
  } catch (e) {
    throw fileError(e, path, "leaves file");
  }
  // Opened afresh for each pass; fileChunks closes the file at its end.
  const leaves = (): AsyncIterable<Uint8Array> => chunksAt(path);
  const bankruptPath = `${dir}/bankrupt.csv`;
  const hasBankrupt = await platform.stat(bankruptPath).then((info) => info.isFile, () => false);
  const bankrupt = hasBankrupt ? { bankrupt: () => chunksAt(bankruptPath) } : {};
  const report = await comparePublication({ envelope, leaves, ...bankrupt }, keys);
  const stdout = fmt === "json"
    ? renderCompareJson(report)
    : fmt === "markdown"
    ? renderCompareMarkdown(report)
    : renderCompareText(report);
  return { code: report.ok ? 0 : 1, stdout, stderr: "" };
}

/** The chunks of the file at `path`, opened when the first is read. */
async function* chunksAt(path: string): AsyncGenerator<Uint8Array> {
  yield* fileChunks(await platform.openRead(path));
}
