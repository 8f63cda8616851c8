/**
 * `haircut proof`.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, format, loadKeys, loadLogProof, readDocument, usage } from "./_common.ts";
import { renderJson, renderMarkdown, renderProofText } from "../report/report.ts";
import { verifyProof } from "../verify/proof.ts";
import { withLogProof } from "../verify/log_proof.ts";

const USAGE =
  `Usage: haircut proof <proof.json> --statement <statement.dsse.json> --keys <keys.json> [--format text|json|markdown]

Checks one trader's proof: the statement is signed by your pinned keys, your
account is in the signed tree, and your haircut is exactly the pro-rata share.

Options:
  --statement <file>   the venue's statement.dsse.json (required)
  --keys <file>        keys you trust (required)
  --log-proof <file>   the statement's .tlog-proof from the venue's log (with --log-policy)
  --log-policy <file>  log-policy.json you pin: the log's origin and key, witness keys, quorum
  --format <f>         text (default), json or markdown
  -h, --help           this help
`;

/** Runs `haircut proof` with its arguments. */
export async function proofCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("proof", {
    args,
    allowPositionals: true,
    options: {
      statement: { type: "string" },
      keys: { type: "string" },
      format: { type: "string" },
      "log-proof": { type: "string" },
      "log-policy": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("proof", "expected one proof file");
  const fmt = format("proof", values.format, ["text", "json", "markdown"]);
  if (!values.statement) usage("proof", "--statement <statement.dsse.json> is required");
  const roles = { proof: "the proof", "deficit-proof": "the proof", envelope: "--statement", keys: "--keys" } as const;
  if (!values.keys) usage("proof", "--keys <keys.json> is required");
  // The statement first: when the proof and the statement are swapped, the hint names --statement.
  const envelope = await readDocument(values.statement, { kinds: ["envelope"], what: "statement file", roles });
  const proof = await readDocument(positionals[0], { kinds: ["proof", "deficit-proof"], what: "proof file", roles });
  const keys = await loadKeys(values.keys, "proof", roles);
  const log = await loadLogProof(values, "proof");
  const checked = verifyProof({ proof, envelope }, keys);
  const report = log ? withLogProof(checked, log) : checked;
  const files = { files: { proof: positionals[0], statement: values.statement, keys: values.keys } };
  const stdout = fmt === "json"
    ? renderJson(report)
    : fmt === "markdown"
    ? renderMarkdown(report, files)
    : renderProofText(report, files);
  return { code: report.ok ? 0 : 1, stdout, stderr: "" };
}
