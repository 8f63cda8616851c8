/**
 * The tlog-witness HTTP API over a {@linkcode WitnessStore}: `POST
 * /add-checkpoint` and nothing else, on 127.0.0.1 unless told otherwise.
 *
 * @module
 */

import type { WitnessStore } from "./_witness_store.ts";

/** The largest request body accepted: 64 KiB (a checkpoint, 63 proof lines and 100 signatures fit easily). */
export const MAX_REQUEST_BODY = 64 * 1024;

/** Reads a byte stream whole, or returns `undefined` (and cancels it) once it exceeds `limit` bytes. */
export async function readLimited(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const text = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

/**
 * Handles one HTTP request for the witness. `now` gives the cosignature
 * time in POSIX seconds.
 */
export async function handleWitnessRequest(
  store: WitnessStore,
  request: Request,
  now: () => number = () => Math.floor(Date.now() / 1000),
): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path !== "/add-checkpoint") return text(404, "not found\n");
  if (request.method !== "POST") return text(405, "use POST\n", { allow: "POST" });
  const bytes = request.body ? await readLimited(request.body, MAX_REQUEST_BODY) : new Uint8Array();
  if (!bytes) return text(413, `the body is larger than ${MAX_REQUEST_BODY} bytes\n`);
  let body: string;
  try {
    body = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return text(400, "the body is not UTF-8\n");
  }
  const answer = await store.addCheckpoint(body, now());
  return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.contentType } });
}

/**
 * Serves the witness until `signal` aborts. Resolves once listening, with
 * the address and a promise that settles when the server has stopped.
 */
export async function serveWitness(
  store: WitnessStore,
  options: {
    hostname?: string;
    port?: number;
    signal?: AbortSignal;
    now?: () => number;
    /** Receives one line per request: method, path, status, and the answer's first line. */
    log?: (line: string) => void;
  },
): Promise<{ hostname: string; port: number; finished: Promise<void> }> {
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    signal: options.signal,
    onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
    onError: (e) => text(500, `internal error: ${(e as Error).message}\n`),
  }, async (request) => {
    const response = await handleWitnessRequest(store, request, options.now);
    if (options.log) {
      const first = (await response.clone().text()).split("\n")[0].slice(0, 120);
      options.log(`${request.method} ${new URL(request.url).pathname} -> ${response.status}: ${first}`);
    }
    return response;
  });
  const addr = await listening.promise;
  return { hostname: addr.hostname, port: addr.port, finished: server.finished };
}
