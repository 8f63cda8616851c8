/**
 * The {@linkcode Platform} on Deno.
 *
 * @module
 */

import type { FileErrorKind, Platform, WorkerEvents, WorkerHandle, WorkerPort } from "./_types.ts";
import { writeAll } from "./write.ts";

/** The part of a worker's global scope the verifier's worker uses. */
interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
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
    return { isFile: info.isFile, size: info.size };
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
  openWrite: (path) => Deno.open(path, { write: true, create: true, truncate: true }),
  writeTextFile: (path, text, options = {}) => Deno.writeTextFile(path, text, options),
  mkdir: (path) => Deno.mkdir(path, { recursive: true }),
  chmod: (path, mode) => Deno.chmod(path, mode),
  fileErrorKind: (error): FileErrorKind | undefined => {
    if (error instanceof Deno.errors.NotFound) return "not-found";
    if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) return "denied";
    if (error instanceof Deno.errors.AlreadyExists) return "exists";
    return undefined;
  },
  stderrIsTerminal: () => Deno.stderr.isTerminal(),
  writeStderrSync: (bytes) => {
    for (let at = 0; at < bytes.length;) at += Deno.stderr.writeSync(bytes.subarray(at));
  },
  writeStdout: (bytes) => writeAll(Deno.stdout, bytes),
  writeStderr: (bytes) => writeAll(Deno.stderr, bytes),
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
