/**
 * `haircut witness`: a tlog-witness that cosigns a log's checkpoints only
 * when they are consistent with what it cosigned before (SPEC §17).
 *
 * @module
 */

import { parseCommandArgs } from "./_args.ts";
import { type CliResult, readSmallText, usage } from "./_common.ts";
import { InputError } from "../core/errors.ts";
import { parseSigningKey, type SigningKey } from "../format/keys.ts";
import { MAX_REQUEST_BODY, readLimited, serveWitness } from "../tlog/_serve.ts";
import { WitnessStore } from "../tlog/_witness_store.ts";
import { witnessConfig, witnessConfigJson } from "../tlog/witness.ts";
import { platform } from "../platform/runtime.ts";

const USAGE = `Usage:
  haircut witness init <statedir> --name <name> --signing-key <ed25519 key.json> --origin <origin> --log-key <vkey> [--origin <o> --log-key <vkey> ...]
  haircut witness cosign <statedir> --signing-key <key.json> < add-checkpoint-request
  haircut witness serve <statedir> --signing-key <key.json> [--port <P>] [--host <addr>]

A transparency witness speaking c2sp.org/tlog-witness. For each log it
follows it keeps the checkpoint it last cosigned, and cosigns a new one only
when the log's signature verifies and a consistency proof shows it extends
that checkpoint: never two roots for one size, never a smaller size.

  init    writes <statedir>/witness.json; prints the witness's cosignature/v1
          vkey (for the traders' log-policy.json)
  cosign  answers one add-checkpoint request from stdin: prints the
          cosignature line (exit 0), or the refusal with its HTTP status (exit 1)
  serve   POST /add-checkpoint over HTTP: 200 with the cosignature line,
          400 malformed or old size above the new size, 403 no valid log
          signature, 404 unknown origin, 409 (text/x.tlog.size: the stored
          size) when the old size is not the stored one, 409 for another root
          at the stored size, 422 bad consistency proof. Stops on SIGINT/SIGTERM.

Options:
  --name <n>          the witness's key name, e.g. witness.example.com
  --signing-key <f>   the witness's Ed25519 signing key (haircut keygen)
  --origin <o>        a log to follow, paired in order with --log-key
  --log-key <vkey>    that log's Ed25519 vkey
  --port <P>          TCP port (default 0: any free port, printed)
  --host <addr>       listening address (default 127.0.0.1)
  -h, --help          this help
`;

async function loadKey(path: string | undefined): Promise<SigningKey> {
  if (!path) usage("witness", "--signing-key <key.json> is required");
  const key = parseSigningKey(await readSmallText(path, "signing key"));
  if (key.algorithm !== "ed25519") throw new InputError("a witness's signing key must be Ed25519");
  return key;
}

async function readStdin(): Promise<string> {
  const bytes = await readLimited(platform.stdin(), MAX_REQUEST_BODY);
  if (!bytes) throw new InputError(`the request is larger than ${MAX_REQUEST_BODY} bytes`);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError("the request is not UTF-8");
  }
}

/** Runs `haircut witness` with its arguments; `serve` returns only once stopped. */
export async function witnessCommand(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseCommandArgs("witness", {
    args,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "signing-key": { type: "string" },
      origin: { type: "string", multiple: true },
      "log-key": { type: "string", multiple: true },
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  const [sub, dir, ...rest] = positionals;
  if (!sub) usage("witness", "expected a subcommand: init, cosign or serve");
  if (!dir) usage("witness", "expected the witness state directory");
  if (rest.length > 0) usage("witness", `unexpected argument ${rest[0]}`);
  switch (sub) {
    case "init": {
      if (!values.name) usage("witness", "--name <name> is required");
      const origins = values.origin ?? [];
      const keys = values["log-key"] ?? [];
      if (origins.length === 0 || origins.length !== keys.length) {
        usage("witness", "give one --log-key for each --origin (at least one log)");
      }
      const config = witnessConfig(
        values.name,
        await loadKey(values["signing-key"]),
        origins.map((origin, i) => ({ origin, vkey: keys[i] })),
      );
      await platform.mkdir(`${dir}/logs`);
      try {
        await platform.writeFile(`${dir}/witness.json`, witnessConfigJson(config), { createNew: true });
      } catch (e) {
        if (platform.fileErrorKind(e) === "exists") throw new InputError(`${dir}/witness.json already exists`);
        throw e;
      }
      return { code: 0, stdout: `${config.vkey}\n`, stderr: `created witness ${config.name} in ${dir}\n` };
    }
    case "cosign": {
      const store = await WitnessStore.open(dir, await loadKey(values["signing-key"]));
      const answer = await store.addCheckpoint(await readStdin(), Math.floor(Date.now() / 1000));
      if (answer.status === 200) return { code: 0, stdout: answer.body, stderr: "" };
      const reason = answer.contentType.startsWith("text/x.tlog.size")
        ? `the witness holds size ${answer.body.trim()}; request again with --old ${answer.body.trim()}`
        : answer.body.trim();
      return { code: 1, stdout: "", stderr: `haircut witness cosign: ${answer.status}: ${reason}\n` };
    }
    case "serve": {
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) usage("witness", "--port must be 0 to 65535");
      const store = await WitnessStore.open(dir, await loadKey(values["signing-key"]));
      const stop = new AbortController();
      const stopListening = platform.onTerminate(() => stop.abort());
      try {
        const hostname = values.host ?? "127.0.0.1";
        const server = await serveWitness(store, {
          hostname,
          port,
          signal: stop.signal,
          log: (line) => platform.writeStderrSync(new TextEncoder().encode(`${line}\n`)),
        }).catch((e) => {
          const kind = platform.fileErrorKind(e);
          if (kind === "denied") throw new InputError(`listening on ${hostname}:${port} needs --allow-net=${hostname}`);
          if (kind === "address-in-use") throw new InputError(`${hostname}:${port} is already in use`);
          throw e;
        });
        const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
        await platform.writeStdout(
          new TextEncoder().encode(
            `witness ${store.config.name} listening on http://${host}:${server.port}/add-checkpoint\n`,
          ),
        );
        await server.finished;
      } finally {
        stopListening();
      }
      return { code: 0, stdout: "", stderr: "witness stopped\n" };
    }
    default:
      return usage("witness", `unknown subcommand ${JSON.stringify(sub)}`);
  }
}
