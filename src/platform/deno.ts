/**
 * The {@linkcode Platform} on Deno.
 *
 * @module
 */

import type { FileErrorKind, Platform, WorkerEvents, WorkerHandle, WorkerPort } from "./_types.ts";
import { writeAll } from "./write.ts";

/** The signals that ask a server to stop. */
const TERMINATE = ["SIGINT", "SIGTERM"] as const;

/** The part of a worker's global scope the verifier's worker uses. */
interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

/** {@linkcode writeAll}, dropping the rest quietly when the reader went away (`| head`). */
async function writeUnlessClosed(
  stream: { write(bytes: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  try {
    await writeAll(stream, bytes);
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
}

/**
 * Deno's implementation of {@linkcode Platform}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { platform } from "./deno.ts";
 * assert.equal(platform.runtime, "deno");
 * ```
 */
export const platform: Platform = {
  runtime: "deno",
  args: (): string[] => Deno.args,
  stat: async (path) => {
    const info = await Deno.stat(path);
    return { isFile: info.isFile, isDirectory: info.isDirectory, size: info.size, mode: info.mode };
  },
  exists: async (path) => {
    try {
      await Deno.lstat(path);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  },
  // A Deno.FsFile is already a ReadableFile and a WritableFile.
  openRead: (path) => Deno.open(path),
  openWrite: (path, options = {}) =>
    Deno.open(path, { write: true, create: true, truncate: !options.createNew, ...options }),
  readTextFile: (path) => Deno.readTextFile(path),
  writeFile: (path, data, options = {}) =>
    typeof data === "string" ? Deno.writeTextFile(path, data, options) : Deno.writeFile(path, data, options),
  rename: (from, to) => Deno.rename(from, to),
  remove: (path) => Deno.remove(path),
  lockFile: async (path) => {
    const file = await Deno.open(path, { write: true, create: true });
    await file.lock(true);
    return { release: () => file.close() };
  },
  mkdir: (path) => Deno.mkdir(path, { recursive: true }),
  chmod: (path, mode) => Deno.chmod(path, mode),
  fileErrorKind: (error): FileErrorKind | undefined => {
    if (error instanceof Deno.errors.NotFound) return "not-found";
    if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) return "denied";
    if (error instanceof Deno.errors.AlreadyExists) return "exists";
    if (error instanceof Deno.errors.AddrInUse) return "address-in-use";
    return undefined;
  },
  stdin: () => Deno.stdin.readable,
  onTerminate: (handler) => {
    for (const s of TERMINATE) Deno.addSignalListener(s, handler);
    return () => {
      for (const s of TERMINATE) Deno.removeSignalListener(s, handler);
    };
  },
  serve: async (options, handler) => {
    let listening!: (addr: Deno.NetAddr) => void;
    const address = new Promise<Deno.NetAddr>((resolve) => listening = resolve);
    const server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      ...(options.signal ? { signal: options.signal } : {}),
      onListen: (addr) => listening(addr as Deno.NetAddr),
      onError: options.onError,
    }, handler);
    const addr = await address;
    return { hostname: addr.hostname, port: addr.port, finished: server.finished };
  },
  stderrIsTerminal: () => Deno.stderr.isTerminal(),
  writeStderrSync: (bytes) => {
    for (let at = 0; at < bytes.length;) at += Deno.stderr.writeSync(bytes.subarray(at));
  },
  writeStdout: (bytes) => writeUnlessClosed(Deno.stdout, bytes),
  writeStderr: (bytes) => writeUnlessClosed(Deno.stderr, bytes),
  exit: (code): never => Deno.exit(code),
  dropWritePermission: async () => {
    await Deno.permissions.revoke({ name: "write" });
  },
  hardwareConcurrency: () => navigator.hardwareConcurrency,
  startVerifyWorker: <In, Out>(events: WorkerEvents<Out>): WorkerHandle<In> => {
    const worker = new Worker(new URL("../verify/_worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<Out>): void => events.message(event.data);
    worker.onerror = (event: ErrorEvent): void => {
      event.preventDefault();
      events.error(event.message);
    };
    return {
      post: (message, transfer = []) => worker.postMessage(message, transfer),
      terminate: () => worker.terminate(),
    };
  },
  verifyWorkerPort: <In, Out>(): WorkerPort<In, Out> => {
    const scope = self as unknown as WorkerScope;
    return {
      onMessage: (handler) => {
        scope.onmessage = (event: MessageEvent<In>): void => handler(event.data);
      },
      post: (message, transfer = []) => scope.postMessage(message, transfer),
    };
  },
};
