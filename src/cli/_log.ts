/**
 * `haircut log`: the venue's statement log (SPEC §17). State lives in
 * `<logdir>/log.json`, replaced atomically on every change.
 *
 * @module
 */

import { platform } from "../platform/runtime.ts";
import { parseCommandArgs } from "./_args.ts";
import { type CliResult, fileError, readSmallText, usage } from "./_common.ts";
import { InputError } from "../core/errors.ts";
import { parseEnvelope } from "../format/dsse.ts";
import { parseSigningKey } from "../format/keys.ts";
import { parseStatementPayload, payloadDigest } from "../format/statement.ts";
import { writeFileAtomic } from "../platform/atomic.ts";
import { parseCosignatureVkey } from "../tlog/cosignature.ts";
import {
  addCheckpointRequest,
  appendStatement,
  initLog,
  type LogState,
  logStateJson,
  mergeCosignatures,
  parseLogState,
  proveStatement,
} from "../tlog/log.ts";
import { ed25519NoteSigner, type NoteSigner } from "../tlog/note.ts";

const USAGE = `Usage:
  haircut log init <logdir> --origin <origin> --signing-key <ed25519 key.json>
  haircut log add <logdir> <statement.dsse.json> --signing-key <key.json>
  haircut log request <logdir> --old <N> [--out <file>]
  haircut log cosigned <logdir> <response>... [--witness <vkey> ...]
  haircut log prove <logdir> <digest | statement.dsse.json> --out <file.tlog-proof>

The venue's append-only log of its statement digests, in the C2SP formats
that transparency witnesses speak (signed-note checkpoints, tlog-witness,
tlog-proof).

  init      creates <logdir>/log.json and the signed checkpoint of the empty
            log; prints the log's vkey (key name = origin) for log-policy.json
  add       appends the statement's digest (refusing a duplicate, or a
            'previous' that is not the last logged statement of its venue)
            and signs the new checkpoint
  request   writes the tlog-witness add-checkpoint body for the current
            checkpoint: 'old N', the consistency proof from size N, the
            checkpoint (N = the size the witness last cosigned; 0 at first)
  cosigned  adds the cosignature lines of witness responses to the
            checkpoint; with --witness, each must verify under one of those keys
  prove     writes the .tlog-proof a trader checks with --log-proof

Options:
  --origin <o>        the log's origin line, e.g. example.com/haircut-log
  --signing-key <f>   the log's Ed25519 signing key (haircut keygen)
  --old <N>           the witness's size
  --out <file>        where to write (request: default stdout)
  --witness <vkey>    a witness's cosignature/v1 vkey (repeatable)
  -h, --help          this help
`;

async function loadLog(dir: string): Promise<LogState> {
  return parseLogState(await readSmallText(`${dir}/log.json`, "log state"));
}

async function saveLog(dir: string, state: LogState): Promise<void> {
  await writeFileAtomic(`${dir}/log.json`, logStateJson(state));
}

async function loadSigner(path: string | undefined, origin: string): Promise<NoteSigner> {
  if (!path) usage("log", "--signing-key <key.json> is required");
  const key = parseSigningKey(await readSmallText(path, "signing key"));
  if (key.algorithm !== "ed25519") throw new InputError("the log's signing key must be Ed25519");
  return ed25519NoteSigner(origin, key);
}

async function writeOut(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (e) {
    throw fileError(e, path, "output");
  }
}

/** Runs `haircut log` with its arguments. */
export async function logCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("log", {
    args,
    allowPositionals: true,
    options: {
      origin: { type: "string" },
      "signing-key": { type: "string" },
      old: { type: "string" },
      out: { type: "string" },
      witness: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  const [sub, dir, ...rest] = positionals;
  if (!sub) usage("log", "expected a subcommand: init, add, request, cosigned or prove");
  if (!dir) usage("log", "expected the log directory");
  const none = (n: number) => {
    if (rest.length > n) usage("log", `unexpected argument ${rest[n]}`);
  };
  switch (sub) {
    case "init": {
      none(0);
      if (!values.origin) usage("log", "--origin <origin> is required");
      const state = initLog(values.origin, await loadSigner(values["signing-key"], values.origin));
      await platform.mkdir(dir);
      try {
        await platform.writeFile(`${dir}/log.json`, logStateJson(state), { createNew: true });
      } catch (e) {
        if (platform.fileErrorKind(e) === "exists") throw new InputError(`${dir}/log.json already exists`);
        throw fileError(e, `${dir}/log.json`, "log state");
      }
      return { code: 0, stdout: `${state.vkey}\n`, stderr: `created log ${state.origin} in ${dir}\n` };
    }
    case "add": {
      if (rest.length !== 1) usage("log", "log add takes one statement.dsse.json");
      const state = await loadLog(dir);
      const signer = await loadSigner(values["signing-key"], state.origin);
      const envelope = parseEnvelope(await readSmallText(rest[0], "envelope"));
      const statement = parseStatementPayload(envelope.payload);
      const digest = payloadDigest(envelope.payload);
      const next = appendStatement(state, { digest, venue: statement.venue, previous: statement.previous }, signer);
      await saveLog(dir, next);
      return {
        code: 0,
        stdout: `added ${digest} as entry ${next.entries.length - 1}; checkpoint size ${next.entries.length}\n`,
        stderr: "",
      };
    }
    case "request": {
      none(0);
      if (values.old === undefined || !/^(0|[1-9][0-9]*)$/.test(values.old)) {
        usage("log", "--old <N> is required: the size the witness last cosigned (0 at first)");
      }
      const body = addCheckpointRequest(await loadLog(dir), Number(values.old));
      if (!values.out) return { code: 0, stdout: body, stderr: "" };
      await writeOut(values.out, body);
      return { code: 0, stdout: "", stderr: `wrote ${values.out}\n` };
    }
    case "cosigned": {
      if (rest.length === 0) usage("log", "log cosigned takes one or more witness response files");
      const witnesses = (values.witness ?? []).map((v) => {
        try {
          return parseCosignatureVkey(v);
        } catch (e) {
          throw new InputError(`--witness: ${(e as Error).message}`);
        }
      });
      const state = await loadLog(dir);
      const responses = await Promise.all(rest.map((path) => readSmallText(path, "witness response")));
      const next = mergeCosignatures(state, responses, witnesses.length > 0 ? { witnesses } : {});
      await saveLog(dir, next);
      return { code: 0, stdout: next.checkpoint, stderr: "" };
    }
    case "prove": {
      if (rest.length !== 1) usage("log", "log prove takes one digest or statement.dsse.json");
      if (!values.out) usage("log", "--out <file.tlog-proof> is required");
      const state = await loadLog(dir);
      const digest = /^[0-9a-f]{64}$/.test(rest[0])
        ? rest[0]
        : payloadDigest(parseEnvelope(await readSmallText(rest[0], "envelope")).payload);
      await writeOut(values.out, proveStatement(state, digest));
      return { code: 0, stdout: `wrote ${values.out} (${digest})\n`, stderr: "" };
    }
    default:
      return usage("log", `unknown subcommand ${JSON.stringify(sub)}`);
  }
}
