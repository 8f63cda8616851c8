/**
 * `haircut verify`.
 *
 * @module
 */

import {
  type CliResult,
  type CommandContext,
  fileError,
  format,
  loadKeys,
  loadLogProof,
  readDocument,
  usage,
} from "./_common.ts";
import { parseCommandArgs } from "./_args.ts";
import { Progress } from "./_progress.ts";
import { InputError } from "../core/errors.ts";
import { renderJson, renderJunit, renderMarkdown, renderPublicationText } from "../report/report.ts";
import type { KeysFile } from "../format/keys.ts";
import { type FileInfo, platform, type ReadableFile, type WritableFile } from "../platform/runtime.ts";
import { writeAll } from "../platform/write.ts";
import { fileChunks } from "../core/chunks.ts";
import { type PublicationReport, verifyPublication } from "../verify/publication.ts";
import { withLogProof } from "../verify/log_proof.ts";

const USAGE = `Usage: haircut verify <publication-dir> --keys <keys.json> [options]

Re-derives a whole publication: signatures against your pinned keys, the
statement and its arithmetic, then every leaf of leaves.csv in one pass
(order, haircut <= base, exact pro-rata allocation and rounding, or the
exact rate under a rate policy), the leaf count, the totals and the root.
When the statement commits to its deficit, bankrupt.csv is re-derived the
same way against the signed deficit tree.

Options:
  --keys <file>        keys you trust (required)
  --previous <file>    the venue's previous statement.dsse.json, to check the chain
  --log-proof <file>   the statement's .tlog-proof from the venue's log (with --log-policy)
  --log-policy <file>  log-policy.json you pin: the log's origin and key, witness keys, quorum
  --format <f>         text (default), json, junit or markdown: the report on stdout
  --junit <file>       also write the JUnit XML report to <file>
  --markdown <file>    also write the markdown report to <file> (e.g. "$GITHUB_STEP_SUMMARY")
  --json <file>        also write the JSON report to <file>
  --max-errors <n>     how many errors to list (default 20)
  --workers <n>        worker threads that hash the leaves (default: the number of cores; 0 or 1: one thread)
  --quiet              no progress display on stderr
  -h, --help           this help

Progress (leaves/s and ETA) is shown on stderr only when it is a terminal.
The report files come from the same single pass over the leaves as stdout.
Each is replaced, once the keys, the statement and leaves.csv could be opened:
a missing or unreadable input (exit 2) leaves them untouched.
`;

/**
 * Exit 2 when `dir` is missing or not a directory: `command` takes the publication's directory, not one of its files.
 * A directory that may not be listed is no error here: its files may still be readable, and their reads say why not.
 */
export async function requireDirectory(dir: string, command: string): Promise<void> {
  let info: FileInfo;
  try {
    info = await platform.stat(dir);
  } catch (e) {
    if (platform.fileErrorKind(e) === "not-found") throw fileError(e, dir, "publication directory");
    return;
  }
  if (!info.isDirectory) {
    throw new InputError(
      `${dir} is not a directory: ${command} takes the publication directory, which holds statement.dsse.json and ` +
        "leaves.csv",
    );
  }
}

/** What `verify` and `sign` expect `statement.dsse.json` to be. */
export const STATEMENT_FILE = { kinds: ["envelope"], what: "statement file" } as const;
/** What they expect `--previous` to be. */
export const PREVIOUS_FILE = {
  kinds: ["envelope"],
  what: "previous statement",
  roles: { envelope: "--previous", keys: "--keys" },
} as const;

/** Runs `haircut verify` with its arguments. */
export async function verifyCommand(args: string[], context: CommandContext): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("verify", {
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      previous: { type: "string" },
      format: { type: "string" },
      "log-proof": { type: "string" },
      "log-policy": { type: "string" },
      "max-errors": { type: "string" },
      workers: { type: "string" },
      junit: { type: "string" },
      markdown: { type: "string" },
      json: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("verify", "expected one publication directory");
  const fmt = format("verify", values.format, ["text", "json", "junit", "markdown"]);
  const maxErrors = values["max-errors"] === undefined ? 20 : Number(values["max-errors"]);
  if (!Number.isSafeInteger(maxErrors) || maxErrors < 0) {
    usage("verify", "--max-errors must be a whole number, 0 or more");
  }
  const workers = values.workers === undefined ? platform.hardwareConcurrency() : Number(values.workers);
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 256) usage("verify", "--workers must be 0 to 256");
  const render: Record<string, (report: PublicationReport) => string> = {
    text: (r) => renderPublicationText(r, { maxErrors }),
    json: (r) => renderJson(r),
    junit: (r) => renderJunit(r),
    markdown: (r) => renderMarkdown(r, { maxErrors }),
  };
  const files = REPORT_FLAGS.flatMap((f) => values[f] === undefined ? [] : [{ path: values[f], render: render[f] }]);
  if (files.some((f) => f.path === "")) usage("verify", "a report file name must not be empty");
  if (new Set(files.map((f) => f.path)).size < files.length) usage("verify", "each report needs its own file");
  // "Did you swap" only names flags that were given.
  const keys = await loadKeys(values.keys, "verify", values.previous ? { envelope: "--previous" } : {});
  const log = await loadLogProof(values, "verify");
  const dir = positionals[0];
  await requireDirectory(dir, "verify");
  const envelope = await readDocument(`${dir}/statement.dsse.json`, STATEMENT_FILE);
  const previous = values.previous ? await readDocument(values.previous, PREVIOUS_FILE) : undefined;
  let reports: ReportFile[] = [];
  const checked = await verifyDirectory({ dir, envelope, ...(previous !== undefined ? { previous } : {}) }, keys, {
    maxErrors,
    workers,
    quiet: values.quiet ?? false,
    // Every input is open: create the report files, then give up writing for the pass.
    beforePass: async () => {
      reports = await openReports(files);
      await context.readOnly();
    },
  });
  const report = log ? withLogProof(checked, log) : checked;
  for (const r of reports) {
    await writeAll(r.file, new TextEncoder().encode(r.render(report)));
    r.file.close();
  }
  return { code: report.ok ? 0 : 1, stdout: render[fmt](report), stderr: "" };
}

/**
 * The full check of a publication directory, as `haircut verify` runs it
 * (`haircut sign` runs exactly this before it signs): the given envelope
 * text, and `leaves.csv` streamed from `dir`, with progress on a terminal.
 * `options.beforePass` runs once `leaves.csv` is open, before it is read.
 */
export async function verifyDirectory(
  input: { dir: string; envelope: string; previous?: string },
  keys: KeysFile,
  options: { maxErrors: number; workers: number; quiet: boolean; beforePass?: () => Promise<void> },
): Promise<PublicationReport> {
  const { dir, envelope, previous } = input;
  let file: ReadableFile;
  let size: number;
  try {
    // A FIFO or device would block or never end: only a regular file is read.
    const info = await platform.stat(`${dir}/leaves.csv`);
    if (!info.isFile) throw new InputError(`leaves file ${dir}/leaves.csv is not a file`);
    size = info.size;
    file = await platform.openRead(`${dir}/leaves.csv`);
  } catch (e) {
    throw fileError(e, `${dir}/leaves.csv`, "leaves file");
  }
  try {
    await options.beforePass?.();
  } catch (e) {
    file.close();
    throw e;
  }
  const progress = !options.quiet && platform.stderrIsTerminal() ? new Progress(size) : undefined;
  const leaves = progress ? progress.watch(fileChunks(file)) : fileChunks(file);
  const bankrupt = await openOptional(`${dir}/bankrupt.csv`, "bankrupt file");
  const checked = await verifyPublication(
    { envelope, leaves, ...(bankrupt ? { bankrupt: fileChunks(bankrupt) } : {}) },
    keys,
    {
      maxErrors: Math.max(options.maxErrors, 1000),
      workers: options.workers,
      ...(previous !== undefined ? { previous } : {}),
    },
  );
  progress?.done();
  return checked;
}

/** The flags that name a report file, each also a `--format`. */
const REPORT_FLAGS = ["junit", "markdown", "json"] as const;

/** A report file, open for writing, and how to render the report into it. */
interface ReportFile {
  file: WritableFile;
  render(report: PublicationReport): string;
}

/**
 * Opens (creates or truncates) each report file, before the publication is
 * parsed, so that write permission is dropped for the pass.
 */
async function openReports(
  files: { path: string; render(report: PublicationReport): string }[],
): Promise<ReportFile[]> {
  const open: ReportFile[] = [];
  for (const { path, render } of files) {
    try {
      open.push({ file: await platform.openWrite(path), render });
    } catch (e) {
      for (const o of open) o.file.close();
      const kind = platform.fileErrorKind(e);
      const why = kind === "denied"
        ? "permission denied"
        : kind === "not-found"
        ? "no such directory"
        : (e as Error).message;
      throw new InputError(`report file ${path} cannot be written: ${why}`);
    }
  }
  return open;
}

/**
 * Opens `bankrupt.csv` when the publication has one (format v1.1): whether it
 * is required is the signed statement's to say, so a missing file is left to
 * the verifier. Anything there but a regular file is refused.
 */
async function openOptional(path: string, what: string): Promise<ReadableFile | undefined> {
  try {
    if (!(await platform.stat(path)).isFile) throw new InputError(`${what} ${path} is not a file`);
    return await platform.openRead(path);
  } catch (e) {
    if (platform.fileErrorKind(e) === "not-found") return undefined;
    throw fileError(e, path, what);
  }
}
