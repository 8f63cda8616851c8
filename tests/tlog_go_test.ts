import assert from "node:assert/strict";
import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { bytesToBase64, bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";
import {
  addCheckpointRequest,
  appendStatement,
  cosignCheckpoint,
  ed25519NoteSigner,
  initLog,
  type LogState,
  mergeCosignatures,
  openNote,
  parseAddCheckpoint,
  parseCheckpoint,
  parseEd25519Vkey,
  parseNote,
  parseTlogProof,
  proveStatement,
} from "../tlog.ts";
import { consistencyProblem, inclusionProblem, rfc6962LeafHash } from "../tree.ts";

// Interoperability with Go's own implementation of signed notes and RFC 6962 proofs: Debian's
// golang.org/x/mod/sumdb/note and sumdb/tlog (packages golang-go and golang-golang-x-mod-dev).
// That package version has no cosignature/v1 support, so cosignatures are checked against the
// C2SP construction in tlog_formats_test.ts; here Go must accept a cosigned checkpoint by
// ignoring the witness lines as unknown keys, as the signed-note spec requires.

const GOPATH = "/usr/share/gocode";
const GO_PROGRAM = String.raw`package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func hashes(args []string) []tlog.Hash {
	out := make([]tlog.Hash, len(args))
	for i, a := range args {
		h, err := tlog.ParseHash(a)
		if err != nil {
			fail("hash %d: %v", i, err)
		}
		out[i] = h
	}
	return out
}

func num(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		fail("number %q: %v", s, err)
	}
	return n
}

func main() {
	switch os.Args[1] {
	case "verify-note":
		v, err := note.NewVerifier(os.Args[2])
		if err != nil {
			fail("vkey: %v", err)
		}
		msg, err := os.ReadFile(os.Args[3])
		if err != nil {
			fail("%v", err)
		}
		n, err := note.Open(msg, note.VerifierList(v))
		if err != nil {
			fail("open: %v", err)
		}
		fmt.Print(n.Text)
	case "check-record":
		data, err := hex.DecodeString(os.Args[5])
		if err != nil {
			fail("data: %v", err)
		}
		root := hashes(os.Args[3:4])[0]
		proof := tlog.RecordProof(hashes(os.Args[6:]))
		if err := tlog.CheckRecord(proof, num(os.Args[2]), root, num(os.Args[4]), tlog.RecordHash(data)); err != nil {
			fail("CheckRecord: %v", err)
		}
		fmt.Println("ok")
	case "check-tree":
		proof := tlog.TreeProof(hashes(os.Args[6:]))
		old := hashes(os.Args[3:4])[0]
		root := hashes(os.Args[5:6])[0]
		if err := tlog.CheckTree(proof, num(os.Args[4]), root, num(os.Args[2]), old); err != nil {
			fail("CheckTree: %v", err)
		}
		fmt.Println("ok")
	case "make":
		origin := os.Args[2]
		n, old, index := num(os.Args[3]), num(os.Args[4]), num(os.Args[5])
		var stored []tlog.Hash
		reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(idx))
			for i, x := range idx {
				out[i] = stored[x]
			}
			return out, nil
		})
		var records []string
		for i := int64(0); i < n; i++ {
			sum := sha256.Sum256([]byte(fmt.Sprintf("go record %d", i)))
			records = append(records, hex.EncodeToString(sum[:]))
			hs, err := tlog.StoredHashes(i, sum[:], reader)
			if err != nil {
				fail("StoredHashes: %v", err)
			}
			stored = append(stored, hs...)
		}
		root, err := tlog.TreeHash(n, reader)
		if err != nil {
			fail("TreeHash: %v", err)
		}
		oldRoot, err := tlog.TreeHash(old, reader)
		if err != nil {
			fail("TreeHash old: %v", err)
		}
		rp, err := tlog.ProveRecord(n, index, reader)
		if err != nil {
			fail("ProveRecord: %v", err)
		}
		tp, err := tlog.ProveTree(n, old, reader)
		if err != nil {
			fail("ProveTree: %v", err)
		}
		skey, vkey, err := note.GenerateKey(nil, origin)
		if err != nil {
			fail("GenerateKey: %v", err)
		}
		signer, err := note.NewSigner(skey)
		if err != nil {
			fail("NewSigner: %v", err)
		}
		text := fmt.Sprintf("%s\n%d\n%s\n", origin, n, base64.StdEncoding.EncodeToString(root[:]))
		msg, err := note.Sign(&note.Note{Text: text}, signer)
		if err != nil {
			fail("Sign: %v", err)
		}
		enc := func(hs []tlog.Hash) []string {
			out := []string{}
			for _, h := range hs {
				out = append(out, h.String())
			}
			return out
		}
		json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
			"vkey": vkey, "note": string(msg), "records": records, "size": n, "root": root.String(),
			"index": index, "inclusion": enc(rp), "old": old, "oldRoot": oldRoot.String(), "consistency": enc(tp),
		})
	default:
		fail("unknown command %s", os.Args[1])
	}
}
`;

function goAvailable(): string | undefined {
  try {
    if (!Deno.statSync(`${GOPATH}/src/golang.org/x/mod/sumdb/note/note.go`).isFile) return "sumdb/note is missing";
  } catch {
    return `${GOPATH}/src/golang.org/x/mod/sumdb is missing (install golang-golang-x-mod-dev)`;
  }
  try {
    const out = new Deno.Command("go", { args: ["version"], stdout: "null", stderr: "null" }).outputSync();
    return out.success ? undefined : "go version failed";
  } catch {
    return "go is not installed (install golang-go)";
  }
}

const missing = goAvailable();
if (missing) console.log(`tlog_go_test.ts: skipping the Go interoperability test: ${missing}`);

async function buildGo(dir: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/main.go`, GO_PROGRAM);
  const out = await new Deno.Command("go", {
    args: ["build", "-o", `${dir}/tlogcheck`, "main.go"],
    cwd: dir,
    env: { GO111MODULE: "off", GOPATH, GOCACHE: `${dir}/cache`, GOFLAGS: "", HOME: dir },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `go build failed: ${new TextDecoder().decode(out.stderr)}`);
  return `${dir}/tlogcheck`;
}

async function run(bin: string, args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "piped" }).output();
  return { ok: out.success, out: new TextDecoder().decode(out.stdout), err: new TextDecoder().decode(out.stderr) };
}

const ORIGIN = "example.com/haircut-log";
/** Stand-ins for statement digests: any 32 bytes. */
const digestOf = (i: number) => bytesToHex(sha256(new TextEncoder().encode(`statement ${i}`)));

Deno.test({
  name: "Go's sumdb/note and sumdb/tlog accept haircut's checkpoints and proofs, and haircut accepts Go's",
  ignore: missing !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "haircut-go-" });
    try {
      const bin = await buildGo(dir);
      const signer = ed25519NoteSigner(ORIGIN, signingKeyFromSecret("ed25519", new Uint8Array(32).fill(5)));
      const N = 13;
      const states: LogState[] = [initLog(ORIGIN, signer)];
      for (let i = 0; i < N; i++) {
        states.push(
          appendStatement(
            states[i],
            { digest: digestOf(i), venue: "V", previous: i === 0 ? null : digestOf(i - 1) },
            signer,
          ),
        );
      }
      // A checkpoint with two witness cosignatures: Go ignores them as unknown keys and verifies the log's.
      const last = states[N];
      const text = parseNote(last.checkpoint).text;
      const cosigned = mergeCosignatures(
        last,
        [1, 2].map((w) =>
          cosignCheckpoint(text, {
            name: `w${w}.example`,
            key: signingKeyFromSecret("ed25519", new Uint8Array(32).fill(20 + w)),
          }, 1700000000)
        ),
      );
      await Deno.writeTextFile(`${dir}/checkpoint`, cosigned.checkpoint);
      const opened = await run(bin, ["verify-note", signer.vkey, `${dir}/checkpoint`]);
      assert.ok(opened.ok, opened.err);
      assert.equal(opened.out, text);
      // A checkpoint signed by another key under the same vkey name is refused by Go.
      const impostor = initLog(
        ORIGIN,
        ed25519NoteSigner(ORIGIN, signingKeyFromSecret("ed25519", new Uint8Array(32).fill(6))),
      );
      await Deno.writeTextFile(`${dir}/impostor`, impostor.checkpoint);
      assert.equal((await run(bin, ["verify-note", signer.vkey, `${dir}/impostor`])).ok, false);

      const cp = parseCheckpoint(text);
      const root = bytesToBase64(cp.root);
      for (let i = 0; i < N; i++) {
        const proof = parseTlogProof(proveStatement(cosigned, digestOf(i)));
        const r = await run(bin, ["check-record", `${N}`, root, `${i}`, digestOf(i), ...proof.path.map(bytesToBase64)]);
        assert.ok(r.ok, `CheckRecord leaf ${i}: ${r.err}`);
      }
      const wrongLeaf = parseTlogProof(proveStatement(cosigned, digestOf(4)));
      assert.equal(
        (await run(bin, ["check-record", `${N}`, root, "4", digestOf(5), ...wrongLeaf.path.map(bytesToBase64)])).ok,
        false,
      );
      for (let m = 1; m < N; m++) {
        const request = parseAddCheckpoint(addCheckpointRequest(cosigned, m));
        const oldRoot = bytesToBase64(parseCheckpoint(parseNote(states[m].checkpoint).text).root);
        const r = await run(bin, ["check-tree", `${m}`, oldRoot, `${N}`, root, ...request.proof.map(bytesToBase64)]);
        assert.ok(r.ok, `CheckTree ${m} -> ${N}: ${r.err}`);
      }
      const forked = await run(bin, [
        "check-tree",
        "3",
        bytesToBase64(new Uint8Array(32)),
        `${N}`,
        root,
        ...parseAddCheckpoint(addCheckpointRequest(cosigned, 3)).proof.map(bytesToBase64),
      ]);
      assert.equal(forked.ok, false);

      // The other way: Go makes a log, signs its checkpoint, proves a record and a consistency; haircut checks them.
      for (const [n, old, index] of [[7, 3, 5], [16, 8, 0], [21, 1, 20], [1, 1, 0]]) {
        const made = await run(bin, ["make", "example.org/go-log", `${n}`, `${old}`, `${index}`]);
        assert.ok(made.ok, made.err);
        const go = JSON.parse(made.out);
        const note = openNote(go.note, [parseEd25519Vkey(go.vkey)]);
        const goCp = parseCheckpoint(note.text);
        assert.deepEqual([goCp.origin, goCp.size, bytesToBase64(goCp.root)], ["example.org/go-log", n, go.root]);
        const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        assert.equal(
          inclusionProblem({
            index,
            size: n,
            leafHash: rfc6962LeafHash(hexToBytes(go.records[index], 32)),
            proof: go.inclusion.map(b64),
            root: goCp.root,
          }),
          undefined,
        );
        assert.equal(
          consistencyProblem({
            size1: old,
            size2: n,
            root1: b64(go.oldRoot),
            root2: goCp.root,
            proof: go.consistency.map(b64),
          }),
          undefined,
        );
        // haircut's own tree over Go's records gives the same root and the same proofs, byte for byte.
        let mine = initLog(
          "example.org/go-log",
          ed25519NoteSigner("example.org/go-log", signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7))),
        );
        go.records.forEach((d: string, i: number) => {
          mine = appendStatement(
            mine,
            { digest: d, venue: "G", previous: i === 0 ? null : go.records[i - 1] },
            ed25519NoteSigner("example.org/go-log", signingKeyFromSecret("ed25519", new Uint8Array(32).fill(7))),
          );
        });
        assert.equal(bytesToBase64(parseCheckpoint(parseNote(mine.checkpoint).text).root), go.root);
        assert.deepEqual(parseTlogProof(proveStatement(mine, go.records[index])).path.map(bytesToBase64), go.inclusion);
        assert.deepEqual(
          parseAddCheckpoint(addCheckpointRequest(mine, old)).proof.map(bytesToBase64),
          old === n ? [] : go.consistency,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
