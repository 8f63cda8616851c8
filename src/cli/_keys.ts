/**
 * `haircut keys`: builds a keys file (a trust policy) from public keys.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, readSmallText, usage, writeNewFile } from "./_common.ts";
import { InputError } from "../core/errors.ts";
import { keysFileJson, keysPolicyProblem, parseKeysFile, parsePublicKey, type TrustedKey } from "../format/keys.ts";

const USAGE =
  `Usage: haircut keys --add <pub.json|key.json> [--add ...] --threshold <k> [--require <keyid|file> ...] --out <keys.json>

Builds a keys file: the keys you trust and how many of them must sign.
Only public keys are written: from a key file, the secret is never copied.

  --threshold k     at least k distinct keys of the file must have signed
  --require key     and this key must be one of them (repeat for several)

Example: the venue required, and at least one of two auditors:
  haircut keys --add venue.pub.json --add a.pub.json --add b.pub.json \\
    --threshold 2 --require venue.pub.json --out keys.json

Options:
  --add <file>        a public key ('haircut pubkey' output) or a key file; repeat (required)
  --threshold <k>     1 to the number of keys (required)
  --require <keyid>   an added key that must sign (its keyid, or its --add file); repeat
  --out <file>        where to write the keys file (refuses to overwrite)
  -h, --help          this help
`;

/** Runs `haircut keys` with its arguments. */
export async function keysCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("keys", {
    args,
    allowPositionals: true,
    options: {
      add: { type: "string", multiple: true },
      threshold: { type: "string" },
      require: { type: "string", multiple: true },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length > 0) usage("keys", `unexpected argument ${positionals[0]}`);
  if (!values.add?.length) usage("keys", "--add <pub.json> is required");
  if (values.threshold === undefined) usage("keys", "--threshold <k> is required");
  if (!values.out) usage("keys", "--out <keys.json> is required");
  if (!/^[0-9]{1,6}$/.test(values.threshold)) usage("keys", "--threshold must be a whole number");
  const threshold = Number(values.threshold);
  const keys: TrustedKey[] = [];
  for (const path of values.add) {
    const key = parsePublicKey(await readSmallText(path, "public key"));
    const same = keys.findIndex((k) => k.keyid === key.keyid);
    if (same >= 0) {
      throw new InputError(`${path} is key ${key.keyid} again (already added by --add ${values.add[same]})`);
    }
    keys.push(key);
  }
  // A --require names a keyid, or one of the --add files.
  const required = (values.require ?? []).map((r) => {
    const added = values.add!.indexOf(r);
    return added >= 0 ? keys[added].keyid : r;
  });
  const problem = keysPolicyProblem(keys, { threshold, required });
  if (problem) throw new InputError(problem);
  const text = keysFileJson(keys, { threshold, required });
  parseKeysFile(text); // what is written must read back
  await writeNewFile(values.out, text, { what: "a keys file" });
  const also = required.length > 0 ? `, including ${required.map((id) => nameOf(keys, id)).join(" and ")}` : "";
  return {
    code: 0,
    stdout: `wrote ${values.out}: ${keys.length} key${keys.length === 1 ? "" : "s"}; ` +
      `valid when ${threshold} of them signed${also}\n`,
    stderr: "",
  };
}

function nameOf(keys: readonly TrustedKey[], keyid: string): string {
  const name = keys.find((k) => k.keyid === keyid)?.name;
  return name ? `${name} (${keyid.slice(0, 16)}…)` : `${keyid.slice(0, 16)}…`;
}
