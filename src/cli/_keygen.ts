/**
 * `haircut keygen`.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, usage, writeNewFile } from "./_common.ts";
import { generateSigningKey, signingKeyJson } from "../format/keys.ts";
import type { Algorithm } from "../format/signature.ts";

const USAGE = `Usage: haircut keygen [--algorithm ed25519|secp256k1] --out <key.json>

Writes a new signing key with file mode 0600. Refuses to overwrite a file.

Options:
  --algorithm <a>   ed25519 (default) or secp256k1
  --out <file>      where to write the key (required)
  -h, --help        this help
`;

/** Runs `haircut keygen` with its arguments. */
export async function keygenCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("keygen", {
    args,
    allowPositionals: true,
    options: {
      algorithm: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length > 0) usage("keygen", `unexpected argument ${positionals[0]}`);
  const algorithm = values.algorithm ?? "ed25519";
  if (algorithm !== "ed25519" && algorithm !== "secp256k1") usage("keygen", "--algorithm must be ed25519 or secp256k1");
  if (!values.out) usage("keygen", "--out <key.json> is required");
  const key = generateSigningKey(algorithm as Algorithm);
  await writeNewFile(values.out, signingKeyJson(key), { mode: 0o600, what: "a key" });
  return { code: 0, stdout: `wrote ${algorithm} key ${key.keyid} to ${values.out} (mode 0600)\n`, stderr: "" };
}
