/**
 * `haircut pae`: the exact bytes an external signer (HSM, cloud KMS) signs.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, usage, writeNewFile } from "./_common.ts";
import { readEnvelopeFile } from "./_envelope_file.ts";
import { pae } from "../format/dsse.ts";

const USAGE = `Usage: haircut pae <statement.dsse.json> [--out <file>]

Writes the DSSE pre-authentication encoding (PAE) of the statement: the
exact bytes every signature covers (SPEC §9.2). Give them to an HSM or a
cloud KMS to sign, then add the signature with 'haircut attach'.

  ed25519     the signer signs these bytes as they are (pure Ed25519)
  secp256k1   the signer computes ECDSA over SHA-256 of these bytes
              (for a KMS that takes a digest: sha256sum of this file)

The envelope must hold a valid statement; its signatures are not checked.
Without --out the bytes go to stdout.

Options:
  --out <file>   write the bytes to this file (refuses to overwrite)
  -h, --help     this help
`;

/** Runs `haircut pae` with its arguments. */
export async function paeCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("pae", {
    args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("pae", "expected one statement.dsse.json");
  const file = await readEnvelopeFile(positionals[0]);
  const bytes = pae(file.envelope.payloadType, file.envelope.payload);
  if (values.out === undefined) return { code: 0, stdout: "", stdoutBytes: bytes, stderr: "" };
  await writeNewFile(values.out, bytes);
  return {
    code: 0,
    stdout: `wrote the ${bytes.length}-byte PAE of statement ${file.digest} to ${values.out}\n`,
    stderr: "",
  };
}
