/**
 * `haircut sign`: the co-signer's command.
 *
 * @module
 */

import { platform } from "../platform/runtime.ts";
import { parseCommandArgs } from "./_args.ts";
import { type CliResult, loadKeys, readDocument, usage } from "./_common.ts";
import { type EnvelopeFile, envelopeFile, replaceEnvelopeFile } from "./_envelope_file.ts";
import { FormatError } from "../core/errors.ts";
import { PREVIOUS_FILE, requireDirectory, STATEMENT_FILE, verifyDirectory } from "./_verify.ts";
import { cosignEnvelope, envelopeToJson } from "../format/dsse.ts";
import { parseSigningKey } from "../format/keys.ts";
import { renderPublicationText } from "../report/report.ts";

const USAGE = `Usage: haircut sign <publication-dir> --keys <trusted.json> --signing-key <key.json>

The co-signer's command. Runs the full check of 'haircut verify' on the
publication against YOUR trusted keys (for an auditor: the venue's pinned
key), and only when it is valid appends your signature over the same bytes,
replacing statement.dsse.json atomically. The payload does not change, so
the statement digest and every proof stay valid.

The check applies to the envelope as it will be written, with your
signature: a key of yours that your keys file does not list is ignored, so
the venue's signature must already be valid; a keys file that trusts your
own key lets the venue complete a 'publish --unsigned' publication.

A co-signature says: "I re-derived this whole publication and it checks."

Exit codes: 0 signed; 1 the publication is not valid (the report is printed
and nothing is written); 2 could not run (including: your key already signed).

Options:
  --keys <file>         the keys you trust to have signed before you (required)
  --signing-key <file>  your signing key, from 'haircut keygen' (required)
  --previous <file>     the venue's previous statement.dsse.json, to check the chain
  --workers <n>         worker threads that hash the leaves (default: the number of cores)
  --quiet               no progress display on stderr
  -h, --help            this help
`;

/** What `sign` expects `--signing-key` to be. */
const SIGNING_KEY = {
  kinds: ["signing-key"],
  what: "signing key",
  roles: { "signing-key": "--signing-key", keys: "--keys" },
} as const;

/** Runs `haircut sign` with its arguments. */
export async function signCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("sign", {
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      "signing-key": { type: "string" },
      previous: { type: "string" },
      workers: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("sign", "expected one publication directory");
  if (!values["signing-key"]) usage("sign", "--signing-key <key.json> is required");
  const workers = values.workers === undefined ? platform.hardwareConcurrency() : Number(values.workers);
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 256) usage("sign", "--workers must be 0 to 256");
  // "Did you swap" only names flags that were given.
  const keys = await loadKeys(values.keys, "sign", {
    "signing-key": "--signing-key",
    ...(values.previous ? { envelope: "--previous" } : {}),
  });
  const key = parseSigningKey(await readDocument(values["signing-key"], SIGNING_KEY));
  const previous = values.previous ? await readDocument(values.previous, PREVIOUS_FILE) : undefined;
  const dir = positionals[0];
  await requireDirectory(dir, "sign");
  const path = `${dir}/statement.dsse.json`;
  const text = await readDocument(path, STATEMENT_FILE);
  // What is checked is the envelope as it will be written: the signatures already there plus yours. With keys that
  // pin only the venue (an auditor's), yours is ignored and the venue's must be valid; with keys that trust your own
  // key, this also completes a 'publish --unsigned' publication. An envelope that does not even parse is verified as
  // it is, for the report.
  let opened: EnvelopeFile | undefined;
  try {
    opened = envelopeFile(path, text);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
  }
  const next = opened ? cosignEnvelope(opened.envelope, key) : undefined;
  const report = await verifyDirectory(
    { dir, envelope: next ? envelopeToJson(next) : text, ...(previous !== undefined ? { previous } : {}) },
    keys,
    { maxErrors: 20, workers, quiet: values.quiet ?? false },
  );
  if (!report.ok || !opened || !next) {
    return {
      code: 1,
      stdout: renderPublicationText(report, { maxErrors: 20 }),
      stderr: `haircut sign: the publication${next ? " with your signature" : ""} does not verify against ` +
        `${values.keys}; nothing was signed and ${path} is unchanged\n`,
    };
  }
  // Replaced only if the file still holds the text that was verified.
  await replaceEnvelopeFile(opened, next);
  const file = opened;
  const s = file.statement;
  return {
    code: 0,
    stdout: `verified: ${s.venue} · ${s.event}, ${s.tree.leafCount} leaves, every check passed\n` +
      `signed statement ${file.digest} with ${key.algorithm} key ${key.keyid}\n` +
      `${path} now carries ${next.signatures.length} signature${next.signatures.length === 1 ? "" : "s"}\n`,
    stderr: "",
  };
}
