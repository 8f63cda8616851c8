/**
 * `haircut pubkey`.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, readSmallText, usage } from "./_common.ts";
import { parsePublicKey, publicKeyJson } from "../format/keys.ts";

const USAGE = `Usage: haircut pubkey <key.json> [--name <name>]

Prints the public keys-file entry of a signing key from 'haircut keygen':
{ keyid, algorithm, publicKey, name }. The secret is never printed. Send
this entry to whoever must trust your key; they build their keys file from
it with 'haircut keys --add'.

Options:
  --name <name>   a display name for the key (at most 256 characters)
  -h, --help      this help
`;

/** Runs `haircut pubkey` with its arguments. */
export async function pubkeyCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("pubkey", {
    args,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("pubkey", "expected one key file");
  if (values.name !== undefined && (values.name.length === 0 || values.name.length > 256)) {
    usage("pubkey", "--name must be 1 to 256 characters");
  }
  const key = parsePublicKey(await readSmallText(positionals[0], "key file"));
  return { code: 0, stdout: publicKeyJson(key, values.name !== undefined ? { name: values.name } : {}), stderr: "" };
}
