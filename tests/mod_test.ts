import assert from "node:assert/strict";
import * as compare from "../compare.ts";
import * as haircut from "../mod.ts";
import * as publish from "../publish.ts";
import * as tlog from "../tlog.ts";
import * as tree from "../tree.ts";

const ROOT = new URL("../", import.meta.url);

/** Runs `code` as `main.ts` in a fresh directory outside the repository, with no config file; returns its output. */
async function runOutside(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "haircut-outside-" });
  try {
    await Deno.writeTextFile(`${dir}/main.ts`, code);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--allow-read", "main.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("mod.ts: a script outside the repository imports it by file URL, with no config, and verifies the example", async () => {
  const example = new URL("fixtures/example/", ROOT);
  const r = await runOutside(`
import { parseKeysFile, verifyPublication } from ${JSON.stringify(new URL("mod.ts", ROOT).href)};
import { treeRoot } from ${JSON.stringify(new URL("tree.ts", ROOT).href)};
import { parseEventFile } from ${JSON.stringify(new URL("publish.ts", ROOT).href)};
import { parseLogPolicy } from ${JSON.stringify(new URL("tlog.ts", ROOT).href)};
const dir = new URL(${JSON.stringify(example.href)});
const keys = parseKeysFile(await Deno.readTextFile(new URL("keys.json", dir)));
const report = await verifyPublication({
  envelope: await Deno.readTextFile(new URL("statement.dsse.json", dir)),
  leaves: await Deno.readFile(new URL("leaves.csv", dir)),
}, keys);
const event = parseEventFile(await Deno.readTextFile(new URL("input/event.json", dir)));
const policy = parseLogPolicy(await Deno.readTextFile(new URL("../tampered/log-quorum-not-met/log-policy.json", dir)));
console.log(report.ok, report.summary.leaves, report.summary.collected, report.errors.length, event.venue, typeof treeRoot, policy.quorum);
`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "true 8 1300000n 0 Example Exchange function 2\n");
  assert.doesNotMatch(r.stderr, /not a dependency/);
});

Deno.test("mod.ts: the public API is exactly the documented symbols", () => {
  assert.deepEqual(Object.keys(haircut).sort(), [
    "ERROR_CODES",
    "FormatError",
    "InputError",
    "PAYLOAD_TYPE",
    "STATEMENT_TYPE",
    "allocate",
    "checkArithmetic",
    "checkChain",
    "checkSignatures",
    "computeTarget",
    "fileChunks",
    "formatAmount",
    "pae",
    "parseAmount",
    "parseDeficitProof",
    "parseEnvelope",
    "parseKeysFile",
    "parseProof",
    "parseStatementPayload",
    "payloadDigest",
    "rateHaircut",
    "renderChainJson",
    "renderChainText",
    "renderJson",
    "renderJunit",
    "renderMarkdown",
    "renderProofText",
    "renderPublicationText",
    "renderStatementText",
    "share",
    "verifyProof",
    "verifyPublication",
  ]);
  assert.deepEqual(Object.keys(publish).sort(), [
    "addSignature",
    "automaticRate",
    "buildPublication",
    "cosignEnvelope",
    "decodeSignature",
    "generateSigningKey",
    "keysFileJson",
    "parseAccountsCsv",
    "parseEventFile",
    "parsePublicKey",
    "parseSigningKey",
    "publicKeyJson",
    "publishToDirectory",
    "signEnvelope",
    "signingKeyJson",
  ]);
  assert.deepEqual(Object.keys(tree).sort(), [
    "ProofShapeError",
    "SumOverflowError",
    "accountKey",
    "consistencyProblem",
    "consistencyProof",
    "consistencyProofLength",
    "inclusionPath",
    "inclusionProblem",
    "rfc6962Hasher",
    "rfc6962LeafHash",
    "rootFromInclusionProof",
    "rootsFromConsistencyProof",
    "sumHasher",
    "sumLeaf",
    "sumNode",
    "treeLevels",
    "treeRoot",
  ]);
  assert.deepEqual(Object.keys(tlog).sort(), [
    "COSIGNATURE_TYPE",
    "ED25519_TYPE",
    "NoteError",
    "addCheckpointRequest",
    "appendStatement",
    "cosignCheckpoint",
    "cosignatureSigner",
    "decideAddCheckpoint",
    "ed25519NoteSigner",
    "formatAddCheckpoint",
    "formatCheckpoint",
    "formatTlogProof",
    "formatVkey",
    "initLog",
    "logCheckpoint",
    "logStateJson",
    "mergeCosignatures",
    "openNote",
    "parseAddCheckpoint",
    "parseCheckpoint",
    "parseCosignatureVkey",
    "parseEd25519Vkey",
    "parseLogPolicy",
    "parseLogState",
    "parseNote",
    "parseStoredCheckpoint",
    "parseTlogProof",
    "parseVkey",
    "parseWitnessConfig",
    "proveStatement",
    "readAddCheckpoint",
    "signNote",
    "storedCheckpointJson",
    "verifyLogProof",
    "withLogProof",
    "witnessConfig",
    "witnessConfigJson",
  ]);
});

Deno.test("compare.ts: the rule comparison is its own entry point", () => {
  assert.deepEqual(Object.keys(compare).sort(), [
    "comparePublication",
    "renderCompareJson",
    "renderCompareMarkdown",
    "renderCompareText",
  ]);
});

Deno.test("mod.ts: every error code is exported once", () => {
  assert.ok(haircut.ERROR_CODES.includes("ROUNDING_ORDER"));
  assert.equal(new Set(haircut.ERROR_CODES).size, haircut.ERROR_CODES.length);
});

interface DocSymbol {
  name: string;
  declarations: { jsDoc?: { tags?: { kind: string; doc?: string }[] } }[];
}

/** The symbols `deno doc` lists for an entry point. */
async function documented(entry: string): Promise<DocSymbol[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: ROOT.pathname,
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as { nodes: Record<string, { symbols: DocSymbol[] }> };
  return Object.values(doc.nodes)[0].symbols;
}

Deno.test("mod.ts, publish.ts, tree.ts, tlog.ts, compare.ts: every symbol has an example that imports an entry point and asserts", async () => {
  const counts: Record<string, number> = {};
  for (const entry of ["mod.ts", "publish.ts", "tree.ts", "tlog.ts", "compare.ts"]) {
    const symbols = await documented(entry);
    counts[entry] = symbols.length;
    for (const symbol of symbols) {
      const examples = symbol.declarations.flatMap((d) => d.jsDoc?.tags ?? []).filter((t) => t.kind === "example");
      assert.ok(examples.length > 0, `${entry}: ${symbol.name} has no example`);
      for (const { doc = "" } of examples) {
        assert.match(doc, /from "node:assert\/strict"/, `${entry}: an example of ${symbol.name} does not assert`);
        assert.match(
          doc,
          /from "(\.\.?\/)+(mod|publish|tree|tlog|compare)\.ts"/,
          `${entry}: ${symbol.name}: import an entry point`,
        );
        assert.match(doc, /^\s*assert(\.\w+)?\(/m, `${entry}: an example of ${symbol.name} calls no assertion`);
        assert.doesNotMatch(
          doc,
          /function example\(/,
          `${entry}: ${symbol.name}: build a real value, not a typed stub`,
        );
      }
    }
  }
  // Format v1.1 added 9 to mod.ts (rate policies, the deficit tree and proofs) and 4 to publish.ts, the log proof's
  // result types 2 (reports carry it), and SumNode 1 (proofs carry it); the rule comparison has its own entry point.
  assert.deepEqual(counts, { "mod.ts": 75, "publish.ts": 29, "tree.ts": 19, "tlog.ts": 59, "compare.ts": 9 });
});
