/**
 * The npm package, tested as a user installs it: `deno task build:npm`, then
 * `npm pack`, then `npm install <tarball>` into an empty directory, then
 * under Node: `haircut verify` and `haircut proof` print byte for byte the
 * JSON of the Deno CLI with the same exit codes, on the example and on every
 * fixture publication; a `tsc --strict` consumer of the declarations runs
 * verifyProof and verifyPublication; and the parallel verifier runs on
 * `node:worker_threads` and matches the serial pass on 100,000 leaves.
 *
 * Skipped, with a message, where `node` or `npm` is not installed. npm
 * fetches `@noble/*`, `typescript` and `@types/node` from the registry.
 */

import assert from "node:assert/strict";
import { runCli } from "../src/cli/main.ts";
import { parseEventFile, publishToDirectory } from "../publish.ts";
import { signingKeyFromSecret, signingKeyJson } from "../src/format/keys.ts";
import { npmImport, stageSource } from "../scripts/build_npm.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const EX = `${ROOT}/fixtures/example`;
const ALICE = `${EX}/proofs/ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json`;
/** The consumer's compiler and Node types: exact versions. */
const TYPESCRIPT = "typescript@5.9.3";
const NODE_TYPES = "@types/node@20.19.43";

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const out = await new Deno.Command(command, { args, stdin: "null", ...options }).output();
  const decode = (b: Uint8Array): string => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) } satisfies Output;
}

async function installed(command: string): Promise<boolean> {
  try {
    return (await run(command, ["--version"])).code === 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Runs `command` and fails with its output unless it exits 0. */
async function ok(command: string, args: string[], options: { cwd?: string } = {}): Promise<Output> {
  const r = await run(command, args, options);
  assert.equal(r.code, 0, `${command} ${args.join(" ")} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

const missing = [];
for (const tool of ["node", "npm"]) if (!(await installed(tool))) missing.push(tool);
if (missing.length === 0) {
  const version = (await run("node", ["--version"])).stdout.trim();
  if (Number(version.slice(1).split(".")[0]) < 20) missing.push(`Node 20 or later (this is ${version})`);
}
if (missing.length > 0) console.log(`npm_test: skipped, needs ${missing.join(" and ")}`);

/**
 * Every command the corpus runs: a verify per publication, a proof per proof
 * file, and the tamper cases (which must all exit 1), counted.
 */
function corpusCommands(): { commands: string[][]; tamperCases: number } {
  const commands: string[][] = [];
  const dirs = (path: string): string[] =>
    [...Deno.readDirSync(path)].filter((e) => e.isDirectory).map((e) => `${path}/${e.name}`).sort();
  const publication = (dir: string, keys: string): void => {
    commands.push(["verify", dir, "--keys", keys, "--format", "json"]);
    let proofs: string[] = [];
    try {
      proofs = [...Deno.readDirSync(`${dir}/proofs`)].map((e) => `${dir}/proofs/${e.name}`).sort();
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    for (const p of proofs) {
      commands.push(["proof", p, "--statement", `${dir}/statement.dsse.json`, "--keys", keys, "--format", "json"]);
    }
  };
  publication(EX, `${EX}/keys.json`);
  const scenarios = (dir: string): void => {
    for (const d of dirs(dir)) {
      if (d.endsWith("/input") || d.endsWith("/proofs")) continue;
      const isPublication = [...Deno.readDirSync(d)].some((e) => e.name === "publish.json");
      if (isPublication) publication(d, `${d}/keys.json`);
      scenarios(d);
    }
  };
  scenarios(`${ROOT}/fixtures/scenarios`);
  const tampered = `${ROOT}/fixtures/tampered`;
  let tamperCases = 0;
  for (const d of dirs(tampered)) {
    const names = [...Deno.readDirSync(d)].map((e) => e.name);
    if (!names.includes("case.json")) {
      // A base publication the cases are made from (base, base-v1.1).
      publication(d, `${d}/keys.json`);
      continue;
    }
    const c = JSON.parse(Deno.readTextFileSync(`${d}/case.json`)) as { command: string[] };
    commands.push(c.command.map((a) => (a.startsWith("fixtures/") ? `${ROOT}/${a}` : a)));
    tamperCases++;
  }
  return { commands, tamperCases };
}

/** Runs `jobs` with at most `limit` at a time, in order of results. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

/** A deterministic `accounts.csv` of `n` accounts: ids a0, a1, ..., bases below 10^9, one in eight zero. */
function accountsCsv(n: number): Uint8Array {
  let x = 2463534242;
  const rows = ["account,base"];
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = x >>> 0;
    rows.push(`a${i},${(r & 7) === 0 ? 0 : r % 1_000_000_000}`);
  }
  return new TextEncoder().encode(rows.join("\n") + "\n");
}

Deno.test("npm build: npm: specifiers become bare imports of one version per package", () => {
  const deps = new Map<string, string>();
  assert.equal(npmImport("npm:@noble/hashes@2.4.0/sha2.js", deps), "@noble/hashes/sha2.js");
  assert.equal(npmImport("npm:@noble/curves@2.4.0/ed25519.js", deps), "@noble/curves/ed25519.js");
  assert.equal(npmImport("npm:ajv@8.20.0", deps), "ajv");
  assert.deepEqual([...deps], [["@noble/hashes", "2.4.0"], ["@noble/curves", "2.4.0"], ["ajv", "8.20.0"]]);
  assert.throws(() => npmImport("npm:@noble/hashes@2.3.0/sha2.js", deps), /both 2\.4\.0 and 2\.3\.0/);
  assert.throws(() => npmImport("npm:@noble/hashes/sha2.js", deps), /expected npm:<name>@<version>/);
});

Deno.test("npm build: the staged sources import .js files and npm packages by name", () => {
  const deps = new Map<string, string>();
  const staged = stageSource(
    [
      `import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";`,
      `import type { Finding } from "../core/errors.ts";`,
      `export * from "./src/verify/proof.ts";`,
      `const m = await import("./x.ts");`,
      `import { parseArgs } from "node:util";`,
      `const s = 'from "./not-an-import.ts"'; // import { x } from "./comment.ts";`,
    ].join("\n"),
    deps,
  );
  assert.equal(
    staged,
    [
      `import { sha256 } from "@noble/hashes/sha2.js";`,
      `import type { Finding } from "../core/errors.js";`,
      `export * from "./src/verify/proof.js";`,
      `const m = await import("./x.js");`,
      `import { parseArgs } from "node:util";`,
      `const s = 'from "./not-an-import.ts"'; // import { x } from "./comment.ts";`,
    ].join("\n"),
  );
  assert.deepEqual([...deps], [["@noble/hashes", "2.4.0"]]);
});

Deno.test({
  name: "npm: the packed tarball installs and runs under Node like the Deno CLI",
  ignore: missing.length > 0,
  sanitizeResources: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "haircut-npm-" });
    try {
      await ok(Deno.execPath(), ["task", "build:npm"], { cwd: ROOT });
      const pack = await ok("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: `${ROOT}/dist/npm` });
      const [{ filename, files }] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
      const paths = files.map((f) => f.path).sort();
      for (const p of ["LICENSE", "README.md", "bin/haircut.js", "lib/index.js", "lib/worker.js", "package.json"]) {
        assert.ok(paths.includes(p), `${p} is packed: ${paths.join(", ")}`);
      }
      assert.ok(paths.includes("types/mod.d.ts"));
      assert.ok(!paths.some((p) => p.endsWith(".ts") && !p.endsWith(".d.ts")), "no TypeScript sources are packed");

      const app = `${tmp}/app`;
      await Deno.mkdir(app);
      await ok("npm", ["install", "--no-audit", "--no-fund", `${tmp}/${filename}`], { cwd: app });
      const manifest = JSON.parse(
        await Deno.readTextFile(`${app}/node_modules/@haircut/haircut/package.json`),
      ) as Record<string, unknown>;
      assert.deepEqual(manifest.engines, { node: ">=20" });
      assert.deepEqual(manifest.bin, { haircut: "bin/haircut.js" });
      assert.deepEqual(manifest.dependencies, { "@noble/curves": "2.4.0", "@noble/hashes": "2.4.0" });
      // The @noble packages are installed as dependencies, not bundled.
      await Deno.stat(`${app}/node_modules/@noble/hashes/package.json`);
      await Deno.stat(`${app}/node_modules/@noble/curves/package.json`);
      const bin = `${app}/node_modules/.bin/haircut`;

      await t.step("npx haircut verify and proof on the example", async () => {
        for (
          const args of [
            ["verify", EX, "--keys", `${EX}/keys.json`, "--format", "json"],
            [
              "proof",
              ALICE,
              "--statement",
              `${EX}/statement.dsse.json`,
              "--keys",
              `${EX}/keys.json`,
              "--format",
              "json",
            ],
            ["verify", EX, "--keys", `${EX}/keys.json`],
            ["verify", `${EX}/missing`, "--keys", `${EX}/keys.json`],
          ]
        ) {
          const node = await run("npx", ["--no-install", "haircut", ...args], { cwd: app });
          const deno = await runCli(args);
          assert.equal(node.code, deno.code, `exit code of ${args.join(" ")}: ${node.stderr}`);
          assert.equal(node.stdout, deno.stdout, args.join(" "));
          assert.equal(node.stderr, deno.stderr, args.join(" "));
        }
      });

      await t.step("every fixture publication, proof and tamper case: the same JSON and exit code", async () => {
        const { commands, tamperCases } = corpusCommands();
        assert.ok(commands.length > 150, `${commands.length} commands`);
        const results = await pool(commands.map((args) => () => run(bin, args)), 3);
        let invalid = 0;
        for (const [i, args] of commands.entries()) {
          const deno = await runCli(args);
          const node = results[i];
          assert.equal(node.code, deno.code, `exit code of ${args.join(" ")}: ${node.stderr}`);
          assert.equal(node.stdout, deno.stdout, args.join(" "));
          assert.equal(node.stderr, deno.stderr, args.join(" "));
          if (deno.code === 1) invalid++;
        }
        assert.ok(tamperCases > 50 && invalid >= tamperCases, `${invalid} commands exit 1`);
      });

      await t.step("the transparency log and a witness under Node: log, stdin, HTTP server, signals", async () => {
        const dir = `${tmp}/tlog`;
        await Deno.mkdir(dir);
        const origin = "example.com/haircut-log";
        const chain = `${ROOT}/fixtures/scenarios/chain-of-three`;
        for (const [name, n] of [["log", 21], ["w", 22]] as const) {
          await Deno.writeTextFile(
            `${dir}/${name}.key.json`,
            signingKeyJson(signingKeyFromSecret("ed25519", new Uint8Array(32).fill(n))),
            { mode: 0o600 },
          );
        }
        const node = (args: string[]) => ok(bin, args);
        const logKey =
          (await node(["log", "init", `${dir}/log`, "--origin", origin, "--signing-key", `${dir}/log.key.json`]))
            .stdout.trim();
        for (const e of [1, 2, 3]) {
          await node([
            "log",
            "add",
            `${dir}/log`,
            `${chain}/event-${e}/statement.dsse.json`,
            "--signing-key",
            `${dir}/log.key.json`,
          ]);
        }
        // The same log state as the Deno CLI writes from the same keys and statements.
        const denoDir = `${tmp}/tlog-deno`;
        await Deno.mkdir(denoDir);
        assert.equal(
          (await runCli(["log", "init", `${denoDir}/log`, "--origin", origin, "--signing-key", `${dir}/log.key.json`]))
            .stdout.trim(),
          logKey,
        );
        for (const e of [1, 2, 3]) {
          const r = await runCli([
            "log",
            "add",
            `${denoDir}/log`,
            `${chain}/event-${e}/statement.dsse.json`,
            "--signing-key",
            `${dir}/log.key.json`,
          ]);
          assert.equal(r.code, 0, r.stderr);
        }
        assert.equal(
          await Deno.readTextFile(`${dir}/log/log.json`),
          await Deno.readTextFile(`${denoDir}/log/log.json`),
        );
        await node([
          "witness",
          "init",
          `${dir}/w`,
          "--name",
          "w.example",
          "--signing-key",
          `${dir}/w.key.json`,
          "--origin",
          origin,
          "--log-key",
          logKey,
        ]);
        await node(["log", "request", `${dir}/log`, "--old", "0", "--out", `${dir}/req0`]);
        const request = await Deno.readTextFile(`${dir}/req0`);

        // cosign reads the request on stdin.
        const cosign = new Deno.Command(bin, {
          args: ["witness", "cosign", `${dir}/w`, "--signing-key", `${dir}/w.key.json`],
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = cosign.stdin.getWriter();
        await writer.write(new TextEncoder().encode(request));
        await writer.close();
        const cosigned = await cosign.output();
        assert.equal(cosigned.code, 0, new TextDecoder().decode(cosigned.stderr));
        assert.match(new TextDecoder().decode(cosigned.stdout), /^— w\.example /);

        // serve answers over HTTP and stops on SIGTERM.
        const server = new Deno.Command(bin, {
          args: ["witness", "serve", `${dir}/w`, "--signing-key", `${dir}/w.key.json`],
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
        let line = "";
        while (!line.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) break;
          line += value;
        }
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/add-checkpoint)/.exec(line)?.[1];
        assert.ok(url, line);
        // The witness now holds size 3: a request from size 0 is refused with that size, one from 3 is cosigned.
        const stale = await fetch(url, { method: "POST", body: request });
        assert.equal(stale.status, 409);
        assert.equal((await stale.text()).trim(), "3");
        await node(["log", "request", `${dir}/log`, "--old", "3", "--out", `${dir}/req3`]);
        const answer = await fetch(url, { method: "POST", body: await Deno.readTextFile(`${dir}/req3`) });
        assert.equal(answer.status, 200);
        assert.match(await answer.text(), /^— w\.example /);
        server.kill("SIGTERM");
        while (!(await reader.read()).done) { /* drain stdout */ }
        const stderr = await new Response(server.stderr).text();
        assert.equal((await server.status).code, 0, stderr);
        assert.match(stderr, /witness stopped/);
      });

      await t.step("a tsc --strict consumer of the declarations", async () => {
        await ok("npm", ["install", "--no-audit", "--no-fund", "--save-dev", TYPESCRIPT, NODE_TYPES], { cwd: app });
        await Deno.writeTextFile(
          `${app}/tsconfig.json`,
          JSON.stringify({
            compilerOptions: {
              strict: true,
              target: "ES2022",
              module: "NodeNext",
              moduleResolution: "NodeNext",
              types: ["node"],
              outDir: "out",
            },
            files: ["consumer.ts"],
          }),
        );
        await Deno.writeTextFile(
          `${app}/package.json`,
          JSON.stringify({ ...JSON.parse(await Deno.readTextFile(`${app}/package.json`)), type: "module" }),
        );
        await Deno.writeTextFile(
          `${app}/consumer.ts`,
          `import { readFileSync } from "node:fs";
import { type KeysFile, parseKeysFile, type ProofReport, type PublicationReport, verifyProof, verifyPublication } from "@haircut/haircut";
import { parseEventFile } from "@haircut/haircut/publish";

const dir = process.argv[2];
const keys: KeysFile = parseKeysFile(readFileSync(\`\${dir}/keys.json\`, "utf8"));
const envelope = readFileSync(\`\${dir}/statement.dsse.json\`, "utf8");
const proof: ProofReport = verifyProof({ proof: readFileSync(process.argv[3], "utf8"), envelope }, keys);
const publication: PublicationReport = await verifyPublication(
  { envelope, leaves: new Uint8Array(readFileSync(\`\${dir}/leaves.csv\`)) },
  keys,
  { workers: 1 },
);
const total: bigint = publication.summary.collected;
const event = parseEventFile(readFileSync(\`\${dir}/input/event.json\`, "utf8"));
const deficit: bigint | undefined = event.deficit;
console.log(JSON.stringify({
  proof: proof.ok,
  account: proof.proof?.account,
  haircut: proof.proof?.haircut.toString(),
  publication: publication.ok,
  leaves: publication.summary.leaves,
  collected: total.toString(),
  deficit: deficit?.toString(),
}));
`,
        );
        await ok("npx", ["--no-install", "tsc", "-p", "."], { cwd: app });
        const r = await ok("node", ["out/consumer.js", EX, ALICE], { cwd: app });
        const alice = JSON.parse(await Deno.readTextFile(ALICE)) as { account: string; haircut: string };
        const pub = JSON.parse((await runCli(["verify", EX, "--keys", `${EX}/keys.json`, "--format", "json"])).stdout);
        assert.deepEqual(JSON.parse(r.stdout), {
          proof: true,
          account: alice.account,
          haircut: alice.haircut,
          publication: true,
          leaves: 8,
          collected: pub.summary.collected,
          deficit: "2500000",
        });
      });

      await t.step(
        "the parallel verifier on node:worker_threads matches the serial pass on 100,000 leaves",
        async () => {
          const dir = `${tmp}/pub-100000`;
          const n = 100_000;
          await publishToDirectory(
            {
              accounts: accountsCsv(n),
              event: parseEventFile(JSON.stringify({
                venue: "Node Exchange",
                event: "npm-test/100000",
                asset: "USDT",
                decimals: 2,
                snapshotTime: "2026-11-03T08:00:00Z",
                policy: { base: "profit", rounding: "largest-remainder", cap: null },
                deficit: "4000000000000",
                insuranceFund: "1000000000000",
              })),
              out: dir,
            },
            [signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7))],
            { proofs: "none", saltSecret: new TextEncoder().encode("npm-test-salt-secret") },
          );
          const args = ["verify", dir, "--keys", `${dir}/keys.json`, "--format", "json"];
          const serial = await run(bin, [...args, "--workers", "0"]);
          const parallel = await run(bin, [...args, "--workers", "2"]);
          const deno = await runCli([...args, "--workers", "2"]);
          assert.equal(serial.code, 0, serial.stderr);
          assert.equal(parallel.code, 0, parallel.stderr);
          assert.equal(parallel.stdout, serial.stdout);
          assert.equal(parallel.stdout, deno.stdout);
          assert.equal(JSON.parse(parallel.stdout).summary.leaves, n);
          // Node's permission model refuses worker threads unless allowed: the parallel run needs them, the serial not.
          const major = Number((await ok("node", ["--version"])).stdout.slice(1).split(".")[0]);
          const permission = major >= 22 ? "--permission" : "--experimental-permission";
          const script = `${app}/node_modules/@haircut/haircut/bin/haircut.js`;
          const node = (flags: string[], workers: string): Promise<Output> =>
            run("node", [permission, "--allow-fs-read=*", ...flags, script, ...args, "--workers", workers]);
          const denied = await node([], "2");
          assert.equal(denied.code, 2, denied.stdout + denied.stderr);
          assert.match(denied.stderr, /Access to this API has been restricted/);
          assert.equal((await node([], "0")).stdout, serial.stdout);
          assert.equal((await node(["--allow-worker"], "2")).stdout, serial.stdout);
        },
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
