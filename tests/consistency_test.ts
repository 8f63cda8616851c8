import assert from "node:assert/strict";
import { consistencyProblem, rfc6962Hasher, rfc6962LeafHash } from "../src/core/rfc6962.ts";
import {
  consistencyProof,
  consistencyProofLength,
  type NodeHasher,
  ProofShapeError,
  rootsFromConsistencyProof,
  treeLevels,
  treeRoot,
} from "../src/core/tree.ts";

/** A hasher that writes the tree's shape out: `(left,right)`. */
const concat: NodeHasher<string> = { children: (l, r) => `(${l},${r})` };

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function mth(d: readonly string[]): string {
  if (d.length === 1) return d[0];
  const k = splitPoint(d.length);
  return `(${mth(d.slice(0, k))},${mth(d.slice(k))})`;
}

/** RFC 9162 §2.1.4.1 SUBPROOF, written directly from the definition on lists. */
function rfcSubproof(m: number, d: readonly string[], b: boolean): string[] {
  const n = d.length;
  if (m === n) return b ? [] : [mth(d)];
  const k = splitPoint(n);
  if (m <= k) return [...rfcSubproof(m, d.slice(0, k), b), mth(d.slice(k))];
  return [...rfcSubproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

const leaves = (n: number) => Array.from({ length: n }, (_, i) => `${i}`);

Deno.test("consistencyProof equals the RFC 9162 definition and verifies, for every 1 <= m <= n <= 40", () => {
  for (let n = 1; n <= 40; n++) {
    const d = leaves(n);
    const levels = treeLevels(d, concat);
    for (let m = 1; m <= n; m++) {
      const proof = consistencyProof(levels, m);
      assert.deepEqual(proof, rfcSubproof(m, d, true), `m=${m} n=${n}`);
      assert.equal(proof.length, consistencyProofLength(m, n), `length m=${m} n=${n}`);
      const roots = rootsFromConsistencyProof({ size1: m, size2: n, root1: mth(d.slice(0, m)), proof }, concat);
      assert.deepEqual(roots, { root1: mth(d.slice(0, m)), root2: mth(d) }, `roots m=${m} n=${n}`);
    }
  }
});

Deno.test("rootsFromConsistencyProof rejects bad sizes and lengths with the values", () => {
  const h = concat;
  assert.throws(() => rootsFromConsistencyProof({ size1: 0, size2: 3, root1: "x", proof: [] }, h), ProofShapeError);
  assert.throws(() => rootsFromConsistencyProof({ size1: 4, size2: 3, root1: "x", proof: [] }, h), ProofShapeError);
  assert.throws(
    () => rootsFromConsistencyProof({ size1: 2, size2: 3, root1: "x", proof: ["a", "b"] }, h),
    (e) => e instanceof ProofShapeError && e.expected === 1 && e.actual === 2 && e.index === 2 && e.size === 3,
  );
  assert.throws(() => rootsFromConsistencyProof({ size1: 3, size2: 3, root1: "x", proof: ["a"] }, h), ProofShapeError);
});

Deno.test("consistencyProblem on RFC 6962 hashes: a changed node, root or size is refused", () => {
  const hashes = Array.from({ length: 13 }, (_, i) => rfc6962LeafHash(new Uint8Array([i])));
  const levels = treeLevels(hashes, rfc6962Hasher);
  const root2 = treeRoot(hashes, rfc6962Hasher);
  for (let m = 1; m <= 13; m++) {
    const root1 = treeRoot(hashes.slice(0, m), rfc6962Hasher);
    const proof = consistencyProof(levels, m);
    assert.equal(consistencyProblem({ size1: m, size2: 13, root1, root2, proof }), undefined, `m=${m}`);
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((p) => p.slice());
      bad[i][0] ^= 1;
      assert.ok(consistencyProblem({ size1: m, size2: 13, root1, root2, proof: bad }), `m=${m} node ${i}`);
    }
    assert.ok(consistencyProblem({ size1: m, size2: 13, root1: root2, root2, proof }) || m === 13);
    if (m < 12) assert.ok(consistencyProblem({ size1: m + 1, size2: 13, root1, root2, proof }));
  }
});

const DIR = Deno.env.get("RFC6962_VECTORS_DIR");
if (!DIR) {
  console.log(
    "consistency_test.ts: RFC6962_VECTORS_DIR is not set, so the RFC 6962 consistency vectors test is skipped " +
      "(set it to a directory holding the RFC 6962 vectors of transparency-dev/merkle's testdata to run it)",
  );
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...walk(path));
    else if (e.isFile) out.push(path);
  }
  return out.sort();
}

/** Decodes the vectors' base64 leniently: some roots are deliberately not hashes (and not canonical padding). */
function b64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

Deno.test({
  name: "RFC 6962 consistency vectors (transparency-dev/merkle testdata/consistency): every case",
  ignore: !DIR,
  fn() {
    const files = walk(`${DIR}/consistency`);
    assert.ok(files.length >= 90, `only ${files.length} consistency vectors found`);
    const failures: string[] = [];
    let accepted = 0;
    let rejected = 0;
    for (const file of files) {
      const v = JSON.parse(Deno.readTextFileSync(file));
      for (const k of ["size1", "size2", "root1", "root2", "proof", "desc", "wantErr"]) {
        assert.ok(Object.hasOwn(v, k), `${file}: missing ${k}`);
      }
      const problem = consistencyProblem({
        size1: v.size1,
        size2: v.size2,
        root1: b64(v.root1),
        root2: b64(v.root2),
        proof: (v.proof ?? []).map(b64),
      });
      if (v.wantErr && problem === undefined) failures.push(`${file}: accepted (${v.desc})`);
      if (!v.wantErr && problem !== undefined) failures.push(`${file}: rejected: ${problem}`);
      if (problem === undefined) accepted++;
      else rejected++;
    }
    assert.deepEqual(failures, []);
    console.log(`consistency vectors: ${files.length} run, ${accepted} accepted, ${rejected} rejected as expected`);
  },
});
