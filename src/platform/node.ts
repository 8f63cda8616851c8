/**
 * The {@linkcode Platform} on Node 20 or later, from `node:` modules only.
 * The npm build uses it in place of `deno.ts`.
 *
 * @module
 */

import { chmod, lstat, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { closeSync, fsync, open, read, write, writeSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { availableParallelism } from "node:os";
import process from "node:process";
import { parentPort, Worker } from "node:worker_threads";
import type {
  FileErrorKind,
  FileLock,
  Platform,
  ReadableFile,
  Served,
  ServeOptions,
  WorkerEvents,
  WorkerHandle,
  WorkerPort,
  WritableFile,
} from "./_types.ts";

/**
 * The verifier's worker bundle. The npm build writes it beside the bundle that
 * holds this module, so this path is only meaningful there.
 */
const VERIFY_WORKER = "./worker.js";

/** The signals that ask a server to stop. */
const TERMINATE = ["SIGINT", "SIGTERM"] as const;

/** Opens a file descriptor: files are read and written through one, so that `close` is synchronous as on Deno. */
function openFd(path: string, flags: "r" | "w" | "wx", mode?: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, mode, (error, fd) => error ? reject(error) : resolve(fd)));
}

async function openRead(path: string): Promise<ReadableFile> {
  const fd = await openFd(path, "r");
  return {
    read: (buffer) =>
      new Promise((resolve, reject) =>
        read(fd, buffer, 0, buffer.length, null, (error, n) => {
          if (error) reject(error);
          else resolve(n === 0 && buffer.length > 0 ? null : n);
        })
      ),
    close: () => closeSync(fd),
  };
}

async function openWrite(path: string, options: { createNew?: boolean; mode?: number } = {}): Promise<WritableFile> {
  const fd = await openFd(path, options.createNew ? "wx" : "w", options.mode);
  return {
    write: (bytes) =>
      new Promise((resolve, reject) =>
        write(fd, bytes, 0, bytes.length, null, (error, n) => error ? reject(error) : resolve(n))
      ),
    sync: () => new Promise((resolve, reject) => fsync(fd, (error) => error ? reject(error) : resolve())),
    close: () => closeSync(fd),
  };
}

/** In-process file locks: the tail of each path's queue. */
const locks = new Map<string, Promise<void>>();

/** Node has no file locks: this serializes the holders within this process only. */
async function lockFile(path: string): Promise<FileLock> {
  await (await openWrite(path, {})).close();
  const previous = locks.get(path) ?? Promise.resolve();
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const tail = previous.then(() => held);
  locks.set(path, tail);
  await previous;
  return {
    release: () => {
      release();
      if (locks.get(path) === tail) locks.delete(path);
    },
  };
}

/** Node's HTTP server with the fetch API's Request and Response, as Deno.serve has them. */
function serve(options: ServeOptions, handler: (request: Request) => Promise<Response>): Promise<Served> {
  const server = createServer(async (req, res) => {
    let response: Response;
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const init: RequestInit & { duplex?: "half" } = {
        method: req.method ?? "GET",
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
      };
      response = await handler(new Request(`http://${options.hostname}${req.url ?? "/"}`, init));
    } catch (e) {
      response = options.onError(e);
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(new Uint8Array(await response.arrayBuffer()));
  });
  const finished = new Promise<void>((resolve) => server.once("close", () => resolve()));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      options.signal?.addEventListener("abort", () => server.close(), { once: true });
      resolve({ hostname: address.address, port: address.port, finished });
    });
  });
}

function writeStream(stream: NodeJS.WriteStream, bytes: Uint8Array): Promise<void> {
  // A reader that went away (`| head`) is no error: the rest is dropped quietly.
  return new Promise((resolve, reject) =>
    stream.write(bytes, (error) => error && (error as { code?: string }).code !== "EPIPE" ? reject(error) : resolve())
  );
}

/**
 * Node's implementation of {@linkcode Platform}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { platform } from "./node.ts";
 * assert.equal(platform.runtime, "node");
 * ```
 */
export const platform: Platform = {
  runtime: "node",
  args: (): string[] => process.argv.slice(2),
  stat: async (path) => {
    const info = await stat(path);
    return { isFile: info.isFile(), isDirectory: info.isDirectory(), size: info.size, mode: info.mode };
  },
  exists: async (path) => {
    try {
      await lstat(path);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return false;
      throw e;
    }
  },
  openRead,
  openWrite,
  readTextFile: (path) => readFile(path, "utf8"),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path),
  lockFile,
  writeFile: (path, text, options = {}) =>
    writeFile(path, text, {
      flag: options.createNew ? "wx" : "w",
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    }),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  chmod: (path, mode) => chmod(path, mode),
  fileErrorKind: (error): FileErrorKind | undefined => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") return "not-found";
    // ERR_ACCESS_DENIED: refused by Node's permission model (`--permission`).
    if (code === "EACCES" || code === "EPERM" || code === "ERR_ACCESS_DENIED") return "denied";
    if (code === "EEXIST") return "exists";
    if (code === "EADDRINUSE") return "address-in-use";
    return undefined;
  },
  stdin: () => Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  onTerminate: (handler) => {
    for (const s of TERMINATE) process.on(s, handler);
    return () => {
      for (const s of TERMINATE) process.off(s, handler);
    };
  },
  serve,
  stderrIsTerminal: () => process.stderr.isTTY === true,
  writeStderrSync: (bytes) => {
    for (let at = 0; at < bytes.length;) at += writeSync(2, bytes, at);
  },
  writeStdout: (bytes) => writeStream(process.stdout, bytes),
  writeStderr: (bytes) => writeStream(process.stderr, bytes),
  exit: (code): never => process.exit(code),
  // Node's permission model is fixed when the process starts (`--permission`); it cannot drop a right later.
  dropWritePermission: () => Promise.resolve(),
  hardwareConcurrency: () => availableParallelism(),
  startVerifyWorker: <In, Out>(events: WorkerEvents<Out>): WorkerHandle<In> => {
    const worker = new Worker(new URL(VERIFY_WORKER, import.meta.url));
    worker.on("message", (data: Out) => events.message(data));
    worker.on("error", (error: Error) => events.error(error.message));
    return {
      post: (message, transfer = []) => worker.postMessage(message, transfer),
      terminate: () => void worker.terminate(),
    };
  },
  verifyWorkerPort: <In, Out>(): WorkerPort<In, Out> => {
    const port = parentPort;
    if (!port) throw new Error("verifyWorkerPort called outside a worker thread");
    return {
      onMessage: (handler) => port.on("message", (data: In) => handler(data)),
      post: (message, transfer = []) => port.postMessage(message, transfer),
    };
  },
};
