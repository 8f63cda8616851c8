/**
 * The progress display of `haircut verify`, driven by a fake clock: what it
 * draws, when it redraws, and that it passes the bytes through unchanged.
 */

import assert from "node:assert/strict";
import { Progress, PROGRESS_CLEAR, progressText } from "../src/cli/_progress.ts";

const encode = (text: string) => new TextEncoder().encode(text);

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

/** Runs `parts` through a display whose clock reads `times` in turn (the first at construction). */
async function run(
  total: number,
  times: number[],
  parts: Uint8Array[],
): Promise<{ drawn: string[]; out: Uint8Array[] }> {
  const drawn: string[] = [];
  let t = 0;
  const progress = new Progress(total, { now: () => times[t++], write: (text) => drawn.push(text) });
  const out: Uint8Array[] = [];
  for await (const chunk of progress.watch(chunks(...parts))) out.push(chunk);
  progress.done();
  return { drawn, out };
}

Deno.test("progressText: percent of the bytes, leaves per second and the ETA", () => {
  assert.equal(
    progressText({ bytes: 250, lines: 3000, total: 1000, elapsedMs: 2000 }),
    "\r   25.0%  1,500 leaves/s  ETA 6 s   ",
  );
  assert.equal(
    progressText({ bytes: 1000, lines: 10, total: 1000, elapsedMs: 4000 }),
    "\r  100.0%  3 leaves/s  ETA 0 s   ",
  );
});

Deno.test("progressText: no time elapsed gives rate 0; an unknown size counts as done; nothing read gives ETA 0", () => {
  assert.equal(progressText({ bytes: 10, lines: 5, total: 100, elapsedMs: 0 }), "\r   10.0%  0 leaves/s  ETA 0 s   ");
  assert.equal(progressText({ bytes: 10, lines: 5, total: 0, elapsedMs: 1000 }), "\r  100.0%  5 leaves/s  ETA 0 s   ");
  assert.equal(progressText({ bytes: 0, lines: 0, total: 100, elapsedMs: 1000 }), "\r    0.0%  0 leaves/s  ETA 0 s   ");
});

Deno.test("Progress: draws on the first chunk, then at most once per interval, and clears at the end", async () => {
  const parts = [encode("a\nb\n"), encode("c\n"), encode("d\ne\n"), encode("f")];
  // Clock: start 0, then one reading per chunk.
  const { drawn, out } = await run(11, [0, 1000, 1100, 1251 + 1000, 1300 + 1000], parts);
  assert.deepEqual(drawn, [
    progressText({ bytes: 4, lines: 2, total: 11, elapsedMs: 1000 }),
    progressText({ bytes: 10, lines: 5, total: 11, elapsedMs: 2251 }),
    PROGRESS_CLEAR,
  ]);
  assert.deepEqual(out, parts);
});

Deno.test("Progress: counts every newline of a chunk, not only the first", async () => {
  const { drawn } = await run(6, [0, 1000], [encode("\n\n\n\n\n\n")]);
  assert.equal(drawn[0], "\r  100.0%  6 leaves/s  ETA 0 s   ");
});

Deno.test("Progress: the interval is exclusive and configurable", async () => {
  const drawn: string[] = [];
  const times = [0, 10, 20, 30];
  let t = 0;
  const progress = new Progress(3, { now: () => times[t++], write: (text) => drawn.push(text), intervalMs: 10 });
  for await (const _ of progress.watch(chunks(encode("a"), encode("b"), encode("c")))) { /* drain */ }
  // Redraws at 10 (first), not at 20 (exactly 10 later), at 30 (20 later).
  assert.equal(drawn.length, 2);
  assert.match(drawn[1], /^\r {2}100\.0%/);
});

Deno.test("Progress: writes to stderr by default", async () => {
  const script = `
import { Progress } from ${JSON.stringify(new URL("../src/cli/_progress.ts", import.meta.url).href)};
const p = new Progress(2);
for await (const _ of p.watch((async function* () { yield new Uint8Array([10, 10]); })())) { /* drain */ }
p.done();
`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", script],
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stderr, /^\r {2}100\.0% {2}[\d,]+ leaves\/s {2}ETA 0 s {3}\r {60}\r$/);
  assert.equal(out.stdout.length, 0);
});
