/**
 * `haircut publish`.
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, fileError, readDocument, readSmallFile, usage } from "./_common.ts";
import { InputError } from "../core/errors.ts";
import { keysPolicyProblem, parseSigningKey, type SigningKey } from "../format/keys.ts";
import { parseEventFile } from "../publish/event.ts";
import { PROOFS_MODES, type ProofsMode, publishToDirectory } from "../publish/directory.ts";
import { platform, type ReadableFile } from "../platform/runtime.ts";
import { fileChunks } from "../core/chunks.ts";

const USAGE =
  `Usage: haircut publish --accounts <accounts.csv> --event <event.json> --signing-key <key.json> --out <dir>
       haircut publish --accounts <accounts.csv> --event <event.json> --unsigned --out <dir>

Builds and signs a publication: statement.dsse.json, leaves.csv, keys.json
and the proofs: proofs/ (one file per account, named by its account key), or
proofs.ndjson (one proof per line, for millions of accounts), or none.

Under a rate policy (rate-floor, rate-half-up, rate-ceil) policy.rate is the
exact {"num", "den"}, or {"decimals": d} for the largest rate num/10^d whose
total stays within the target. With --bankrupt it also commits to the
deficit: bankrupt.csv, and one deficit proof per bankrupt account
(proofs/deficit-<account key>.json, or lines of proofs.ndjson).

Each signer should sign on their own machine: publish with the venue's key
(or --unsigned, then 'haircut pae' and 'haircut attach' for an HSM or KMS),
and let each auditor add theirs with 'haircut sign' after their own check.

Options:
  --accounts <file>     CSV with the header account,base (required)
  --event <file>        venue, event, asset, decimals, snapshotTime, policy, deficit, insuranceFund[, previous] (required)
  --bankrupt <file>     CSV with the header account,loss: the bankrupt accounts (deficit may then be left out)
  --signing-key <file>  a key from 'haircut keygen'; repeat for several signers, each key once
  --unsigned            no signature (and no keys.json): complete it with 'haircut attach' or 'haircut sign'
  --threshold <k>       the threshold written in the convenience keys.json (default: every signer)
  --out <dir>           output directory (required)
  --salt-secret <file>  derive salts with HMAC-SHA256 from this file's bytes (default: random salts)
  --proofs <mode>       files (default), ndjson or none
  -h, --help            this help
`;

/** Where `publish` takes each kind of document from, for "did you swap" hints. */
const ROLES = { event: "--event", "signing-key": "--signing-key" } as const;
const SIGNING_KEY = { kinds: ["signing-key"], what: "signing key", roles: ROLES } as const;

/** Runs `haircut publish` with its arguments. */
export async function publishCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("publish", {
    args,
    allowPositionals: true,
    options: {
      accounts: { type: "string" },
      bankrupt: { type: "string" },
      event: { type: "string" },
      "signing-key": { type: "string", multiple: true },
      unsigned: { type: "boolean" },
      threshold: { type: "string" },
      out: { type: "string" },
      "salt-secret": { type: "string" },
      proofs: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  if (positionals.length > 0) usage("publish", `unexpected argument ${positionals[0]}`);
  if (!values.accounts) usage("publish", "--accounts <accounts.csv> is required");
  if (!values.event) usage("publish", "--event <event.json> is required");
  const keyFiles = values["signing-key"] ?? [];
  if (values.unsigned && keyFiles.length > 0) usage("publish", "--unsigned takes no --signing-key");
  if (values.unsigned && values.threshold !== undefined) usage("publish", "--unsigned takes no --threshold");
  if (!values.unsigned && keyFiles.length === 0) {
    usage("publish", "--signing-key <key.json> (or --unsigned) is required");
  }
  if (values.threshold !== undefined && !/^[0-9]{1,6}$/.test(values.threshold)) {
    usage("publish", "--threshold must be a whole number");
  }
  if (!values.out) usage("publish", "--out <dir> is required");
  const proofs = (values.proofs ?? "files") as ProofsMode;
  if (!PROOFS_MODES.includes(proofs)) usage("publish", `--proofs must be one of ${PROOFS_MODES.join(", ")}`);
  const accountsPath = values.accounts;
  await requireFile(accountsPath, "accounts file");
  const bankruptPath = values.bankrupt;
  if (bankruptPath !== undefined) await requireFile(bankruptPath, "bankrupt accounts file");
  const event = parseEventFile(
    await readDocument(values.event, { kinds: ["event"], what: "event file", roles: ROLES }),
  );
  const signers: SigningKey[] = [];
  for (const path of keyFiles) {
    const key = parseSigningKey(await readDocument(path, SIGNING_KEY));
    const same = signers.findIndex((k) => k.keyid === key.keyid);
    if (same >= 0) throw new InputError(`${path} is key ${key.keyid} again (already given as ${keyFiles[same]})`);
    signers.push(key);
  }
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined) {
    const problem = keysPolicyProblem(signers, { threshold });
    if (problem) throw new InputError(`--threshold: ${problem}`);
  }
  let saltSecret: Uint8Array | undefined;
  if (values["salt-secret"]) {
    saltSecret = await readSmallFile(values["salt-secret"], "salt secret");
    if (saltSecret.length < 16) throw new InputError("salt secret must be at least 16 bytes");
  }
  await requireFreshOutput(values.out);
  const accounts = await open(accountsPath, "accounts file");
  const bankrupt = bankruptPath === undefined ? undefined : await open(bankruptPath, "bankrupt accounts file");
  const publication = await publishToDirectory(
    { accounts: fileChunks(accounts), event, out: values.out, ...(bankrupt ? { bankrupt: fileChunks(bankrupt) } : {}) },
    signers,
    {
      proofs,
      ...(saltSecret ? { saltSecret } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      ...(values.unsigned ? { unsigned: true } : {}),
    },
  );
  const s = publication.statement;
  const rate = s.policy.rate ? `  rate ${s.policy.rate.num}/${s.policy.rate.den} (${s.policy.rounding})\n` : "";
  const deficit = s.deficitTree
    ? `  deficit tree: ${s.deficitTree.leafCount} bankrupt accounts, losses ${s.deficitTree.total} = deficit\n`
    : "";
  return {
    code: 0,
    stdout: `published ${publication.accounts} accounts to ${values.out}\n` +
      `  statement digest ${publication.digest}\n` +
      `  target ${s.target}, collected ${s.tree.totalHaircut}, uncovered ${s.uncovered}\n` + rate + deficit +
      (values.unsigned
        ? `  unsigned: add signatures with 'haircut pae' and 'haircut attach', or 'haircut sign'\n`
        : `  signed by ${signers.length} key${signers.length === 1 ? "" : "s"}\n`),
    stderr: "",
  };
}

/** Refuses anything but a regular file (a FIFO or device could block or never end). */
async function requireFile(path: string, what: string): Promise<void> {
  try {
    if (!(await platform.stat(path)).isFile) throw new InputError(`${what} ${path} is not a file`);
  } catch (e) {
    throw fileError(e, path, what);
  }
}

async function open(path: string, what: string): Promise<ReadableFile> {
  try {
    return await platform.openRead(path);
  } catch (e) {
    throw fileError(e, path, what);
  }
}

/** Refuses an output directory that already holds a publication, so old and new proofs never mix. */
async function requireFreshOutput(dir: string): Promise<void> {
  for (const name of ["statement.dsse.json", "leaves.csv", "bankrupt.csv", "keys.json", "proofs", "proofs.ndjson"]) {
    let exists: boolean;
    try {
      exists = await platform.exists(`${dir}/${name}`);
    } catch (e) {
      throw fileError(e, `${dir}/${name}`, "output");
    }
    if (exists) throw new InputError(`${dir} already holds ${name}; publish into a new or empty directory`);
  }
}
