import assert from "node:assert/strict";
import { boundedChunks, chunksOf, fileChunks } from "../src/core/chunks.ts";

async function collect(source: AsyncIterable<Uint8Array>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const chunk of source) out.push([...chunk]);
  return out;
}

async function* from(...chunks: number[][]): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield new Uint8Array(c);
}

Deno.test("chunksOf: an array is one chunk, an iterable its own chunks", async () => {
  assert.deepEqual(await collect(chunksOf(new Uint8Array([1, 2, 3]))), [[1, 2, 3]]);
  assert.deepEqual(await collect(chunksOf(from([1], [], [2, 3]))), [[1], [], [2, 3]]);
});

Deno.test("boundedChunks: stops at the limit, cuts the last chunk, and records that the source went on", async () => {
  const under = boundedChunks(from([1, 2], [3]), 3);
  assert.deepEqual(await collect(under.chunks), [[1, 2], [3]]);
  assert.equal(under.exceeded, false, "exactly the limit is not more");
  const over = boundedChunks(from([1, 2], [3, 4, 5], [6]), 4);
  assert.equal(over.exceeded, false, "nothing is known before reading");
  assert.deepEqual(await collect(over.chunks), [[1, 2], [3, 4]]);
  assert.equal(over.exceeded, true);
  let pulled = 0;
  async function* endless(): AsyncIterable<Uint8Array> {
    for (;;) {
      pulled++;
      yield new Uint8Array(1000);
    }
  }
  const cut = boundedChunks(endless(), 2500);
  assert.deepEqual((await collect(cut.chunks)).map((c) => c.length), [1000, 1000, 500]);
  assert.equal(pulled, 3, "an endless source is read only up to the limit");
  assert.equal(cut.exceeded, true);
  const zero = boundedChunks(new Uint8Array([9]), 0);
  assert.deepEqual(await collect(zero.chunks), [[]]);
  assert.equal(zero.exceeded, true);
});

Deno.test("fileChunks: full fresh chunks of chunkSize, a short last one, short reads joined, and the file closed", async () => {
  const data = Uint8Array.from({ length: 25 }, (_, i) => i);
  let at = 0;
  let closed = false;
  const file = {
    // At most 4 bytes per read: fileChunks must fill each chunk anyway.
    read(buffer: Uint8Array): Promise<number | null> {
      if (at === data.length) return Promise.resolve(null);
      const n = Math.min(4, buffer.length, data.length - at);
      buffer.set(data.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
    close(): void {
      closed = true;
    },
  };
  const chunks: Uint8Array[] = [];
  for await (const chunk of fileChunks(file, 10)) chunks.push(chunk);
  assert.deepEqual(chunks.map((c) => c.length), [10, 10, 5]);
  assert.deepEqual(chunks.flatMap((c) => [...c]), [...data]);
  assert.notEqual(chunks[0].buffer, chunks[1].buffer, "each chunk is a fresh array");
  assert.equal(closed, true);
  const real: number[] = [];
  for await (const chunk of fileChunks(await Deno.open("fixtures/example/leaves.csv"), 64)) real.push(chunk.length);
  assert.equal(real.reduce((a, b) => a + b, 0), (await Deno.stat("fixtures/example/leaves.csv")).size);
});
