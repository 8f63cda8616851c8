/**
 * The {@linkcode Platform} on Node 20 or later, from `node:` modules only.
 * The npm build uses it in place of `deno.ts`.
 *
 * @module
 */

import { chmod, lstat, mkdir, stat, writeFile } from "node:fs/promises";
import { closeSync, open, read, write, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import process from "node:process";
import { parentPort, Worker } from "node:worker_threads";
import type {
  FileErrorKind,
  Platform,
  ReadableFile,
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

/** Opens a file descriptor: files are read and written through one, so that `close` is synchronous as on Deno. */
function openFd(path: string, flags: "r" | "w"): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (error, fd) => error ? reject(error) : resolve(fd)));
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

async function openWrite(path: string): Promise<WritableFile> {
  const fd = await openFd(path, "w");
  return {
    write: (bytes) =>
      new Promise((resolve, reject) =>
        write(fd, bytes, 0, bytes.length, null, (error, n) => error ? reject(error) : resolve(n))
      ),
    close: () => closeSync(fd),
  };
}

function writeStream(stream: NodeJS.WriteStream, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => stream.write(bytes, (error) => error ? reject(error) : resolve()));
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
    return { isFile: info.isFile(), size: info.size };
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
  writeTextFile: (path, text, options = {}) =>
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
    return undefined;
  },
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
