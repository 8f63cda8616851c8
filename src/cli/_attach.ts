/**
 * `haircut attach`: adds a signature made by an external signer.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, readSmallFile, readSmallText, usage } from "./_common.ts";
import { readEnvelopeFile, replaceEnvelopeFile } from "./_envelope_file.ts";
import { addSignature } from "../format/dsse.ts";
import { decodeSignature, SIGNATURE_ENCODINGS, type SignatureEncoding } from "../format/external_signature.ts";
import { parsePublicKey } from "../format/keys.ts";

const USAGE =
  `Usage: haircut attach <statement.dsse.json> --public-key <pub.json> --signature <file> [--encoding raw|base64|hex|der]

Adds a signature made outside haircut (an HSM, a cloud KMS, OpenSSL) over
the bytes 'haircut pae' writes. The signature is checked over the PAE with
the given public key before anything is written; statement.dsse.json is then
replaced atomically. A signature that does not verify, a wrong key or a
malformed encoding is refused and nothing is written.

secp256k1 signatures may be DER (what 'openssl dgst -sha256 -sign' and KMS
services return); they are converted to the 64-byte r || s form, and a high
S is normalized to n - S, the low-S twin envelopes require.

Exit codes: 0 attached; 1 the signature does not verify, or the envelope is
not valid; 2 could not run (including: that key already signed).

Options:
  --public-key <file>   the signer's public key: 'haircut pubkey' output (or a key file; only its public part is read)
  --signature <file>    the signature
  --encoding <e>        raw (default: the 64 bytes), base64 or hex (text of the 64 bytes), or der (secp256k1 DER:
                        binary, or base64 or hex text of it)
  -h, --help            this help
`;

/** Runs `haircut attach` with its arguments. */
export async function attachCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("attach", {
    args,
    allowPositionals: true,
    options: {
      "public-key": { type: "string" },
      signature: { type: "string" },
      encoding: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length !== 1) usage("attach", "expected one statement.dsse.json");
  if (!values["public-key"]) usage("attach", "--public-key <pub.json> is required");
  if (!values.signature) usage("attach", "--signature <file> is required");
  const encoding = (values.encoding ?? "raw") as SignatureEncoding;
  if (!SIGNATURE_ENCODINGS.includes(encoding)) {
    usage("attach", `--encoding must be one of ${SIGNATURE_ENCODINGS.join(", ")}`);
  }
  const key = parsePublicKey(await readSmallText(values["public-key"], "public key"));
  const decoded = decodeSignature(await readSmallFile(values.signature, "signature"), {
    algorithm: key.algorithm,
    encoding,
  });
  const file = await readEnvelopeFile(positionals[0]);
  const next = addSignature(file.envelope, key, decoded.signature);
  await replaceEnvelopeFile(file, next);
  const who = key.name ? ` (${key.name})` : "";
  return {
    code: 0,
    stdout: `attached the ${key.algorithm} signature of key ${key.keyid}${who} to statement ${file.digest}\n` +
      (decoded.normalized ? `  its high S was normalized to n - S (the low-S form envelopes require)\n` : "") +
      `${file.path} now carries ${next.signatures.length} signature${next.signatures.length === 1 ? "" : "s"}\n`,
    stderr: "",
  };
}
