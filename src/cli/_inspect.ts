/**
 * `haircut inspect`.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, format, loadKeys, readDocument, usage } from "./_common.ts";
import { checkSignatures, parseEnvelope } from "../format/dsse.ts";
import { checkArithmetic, parseStatementPayload, payloadDigest, statementToJson } from "../format/statement.ts";
import { renderStatementText } from "../report/report.ts";

const USAGE = `Usage: haircut inspect <statement.dsse.json> [--keys <keys.json>] [--format text|json]

Shows a statement's contents for a human. Without --keys the signatures are
not checked and the output is marked UNVERIFIED.

Options:
  --keys <file>     keys you trust: check signatures, fields and arithmetic
  --format <f>      text (default) or json
  -h, --help        this help
`;

/** Runs `haircut inspect` with its arguments. */
export async function inspectCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("inspect", {
    args,
    allowPositionals: true,
    options: {
      keys: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("inspect", "expected one statement.dsse.json");
  const fmt = format("inspect", values.format, ["text", "json"]);
  const keys = values.keys ? await loadKeys(values.keys, "inspect", { envelope: "the statement" }) : undefined;
  const envelope = parseEnvelope(
    await readDocument(positionals[0], { kinds: ["envelope"], what: "statement file", roles: { keys: "--keys" } }),
  );
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
