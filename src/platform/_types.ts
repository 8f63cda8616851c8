/**
 * What the library and the CLI need from the runtime, in one interface:
 * files, standard streams, the exit code, permissions, the number of cores
 * and the verifier's worker threads. `deno.ts` implements it with `Deno.*`,
 * `node.ts` with `node:` modules; `runtime.ts` picks one, and nothing else in
 * `src/` touches a runtime API.
 *
 * @module
 */

/**
 * What {@linkcode Platform.stat} reports.
 *
 * @example
 * ```ts
 * import type { FileInfo } from "./_types.ts";
 * const info: FileInfo = { isFile: true, isDirectory: false, size: 42, mode: 0o644 };
 * ```
 */
export interface FileInfo {
  /** True for a regular file (after following links). */
  isFile: boolean;
  /** True for a directory (after following links). */
  isDirectory: boolean;
  /** The size in bytes. */
  size: number;
  /** The permission bits and file type (`st_mode`), or null where the system has none. */
  mode: number | null;
}

/**
 * A file open for reading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { platform } from "./runtime.ts";
 * const file = await platform.openRead("fixtures/example/keys.json");
 * const n = await file.read(new Uint8Array(1));
 * file.close();
 * assert.equal(n, 1);
 * ```
 */
export interface ReadableFile {
  /** Reads at most `buffer.length` bytes into `buffer`: how many, or null at the end of the file. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Closes the file. */
  close(): void;
}

/**
 * A file open for writing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { platform } from "./runtime.ts";
 * const file = await platform.openWrite(await Deno.makeTempFile());
 * const written = await file.write(new Uint8Array(3));
 * file.close();
 * assert.ok(written >= 1 && written <= 3);
 * ```
 */
export interface WritableFile {
  /** Writes a prefix of `bytes`, returning its length (at least 1 unless `bytes` is empty). */
  write(bytes: Uint8Array): Promise<number>;
  /** Flushes what was written to the disk. */
  sync(): Promise<void>;
  /** Closes the file. */
  close(): void;
}

/**
 * Why a file operation failed, when it is one of the reasons a user can fix.
 *
 * @example
 * ```ts
 * import type { FileErrorKind } from "./_types.ts";
 * const kind: FileErrorKind = "not-found";
 * ```
 */
export type FileErrorKind = "not-found" | "denied" | "exists" | "address-in-use";

/**
 * An HTTP server {@linkcode Platform.serve} started.
 *
 * @example
 * ```ts
 * import type { Served } from "./_types.ts";
 * const served: Served = { hostname: "127.0.0.1", port: 8080, finished: Promise.resolve() };
 * ```
 */
export interface Served {
  /** The address it listens on. */
  hostname: string;
  /** The port it listens on. */
  port: number;
  /** Settles once the server has stopped. */
  finished: Promise<void>;
}

/**
 * What {@linkcode Platform.serve} needs besides the handler.
 *
 * @example
 * ```ts
 * import type { ServeOptions } from "./_types.ts";
 * const options: ServeOptions = { hostname: "127.0.0.1", port: 0, onError: () => new Response("", { status: 500 }) };
 * ```
 */
export interface ServeOptions {
  /** The address to listen on. */
  hostname: string;
  /** The port; 0 picks a free one. */
  port: number;
  /** Stops the server when it aborts. */
  signal?: AbortSignal;
  /** The answer when the handler throws. */
  onError(error: unknown): Response;
}

/**
 * A lock held on a file; {@linkcode Platform.lockFile}.
 *
 * @example
 * ```ts
 * import type { FileLock } from "./_types.ts";
 * const lock: FileLock = { release: () => {} };
 * lock.release();
 * ```
 */
export interface FileLock {
  /** Lets go of the lock. */
  release(): void;
}

/**
 * The main thread's side of a worker thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WorkerHandle } from "./_types.ts";
 * const sent: number[] = [];
 * const worker: WorkerHandle<number> = { post: (n) => void sent.push(n), terminate: () => {} };
 * worker.post(1);
 * assert.deepEqual(sent, [1]);
 * ```
 */
export interface WorkerHandle<In> {
  /** Sends a message; the buffers in `transfer` move to the worker. */
  post(message: In, transfer?: ArrayBuffer[]): void;
  /** Stops the worker. */
  terminate(): void;
}

/**
 * What the main thread hears from a worker.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WorkerEvents } from "./_types.ts";
 * const heard: string[] = [];
 * const events: WorkerEvents<number> = { message: (n) => void heard.push(`${n}`), error: (m) => void heard.push(m) };
 * events.message(1);
 * events.error("out of memory");
 * assert.deepEqual(heard, ["1", "out of memory"]);
 * ```
 */
export interface WorkerEvents<Out> {
  /** A message the worker posted. */
  message(data: Out): void;
  /** The worker failed with an uncaught error. */
  error(message: string): void;
}

/**
 * The worker thread's side: its messages from the main thread and its replies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WorkerPort } from "./_types.ts";
 * const replies: number[] = [];
 * let handler = (_: number): void => {};
 * const port: WorkerPort<number, number> = { onMessage: (h) => void (handler = h), post: (n) => void replies.push(n) };
 * port.onMessage((n) => port.post(n + 1));
 * handler(41);
 * assert.deepEqual(replies, [42]);
 * ```
 */
export interface WorkerPort<In, Out> {
  /** Sets the handler of the main thread's messages. */
  onMessage(handler: (data: In) => void): void;
  /** Sends a reply; the buffers in `transfer` move to the main thread. */
  post(message: Out, transfer?: ArrayBuffer[]): void;
}

/**
 * The runtime services haircut uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { platform } from "./runtime.ts";
 * assert.ok(platform.hardwareConcurrency() >= 1);
 * ```
 */
export interface Platform {
  /** `"deno"` or `"node"`. */
  readonly runtime: "deno" | "node";
  /** The command-line arguments after the script. */
  args(): string[];
  /** Describes the file at `path`, following links. */
  stat(path: string): Promise<FileInfo>;
  /** True when something (a file, a directory, a link, even a broken one) exists at `path`. */
  exists(path: string): Promise<boolean>;
  /** Opens a file for reading. */
  openRead(path: string): Promise<ReadableFile>;
  /**
   * Opens a file for writing: created, or truncated when it exists. With
   * `createNew`, fails (kind `"exists"`) when it exists; `mode` is a new
   * file's permission bits.
   */
  openWrite(path: string, options?: { createNew?: boolean; mode?: number }): Promise<WritableFile>;
  /** Reads a whole file as UTF-8 text. */
  readTextFile(path: string): Promise<string>;
  /**
   * Writes `data` (text as UTF-8) to `path`. With `createNew`, fails (kind
   * `"exists"`) when the file exists; `mode` is the new file's permission bits.
   */
  writeFile(path: string, data: string | Uint8Array, options?: { createNew?: boolean; mode?: number }): Promise<void>;
  /** Renames `from` to `to`, replacing `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file. */
  remove(path: string): Promise<void>;
  /**
   * Takes an exclusive lock on the file `path` (created if missing), waiting
   * for it. Deno locks the file against other processes too; Node, which
   * has no file locks, only against this process.
   */
  lockFile(path: string): Promise<FileLock>;
  /** Creates a directory and its parents; an existing one is fine. */
  mkdir(path: string): Promise<void>;
  /** Sets a file's permission bits. */
  chmod(path: string, mode: number): Promise<void>;
  /** Why `error`, thrown by one of the file operations above, happened, when the reason is a known one. */
  fileErrorKind(error: unknown): FileErrorKind | undefined;
  /** Standard input as a stream. */
  stdin(): ReadableStream<Uint8Array>;
  /** Calls `handler` on SIGINT and SIGTERM until the returned function is called. */
  onTerminate(handler: () => void): () => void;
  /** Starts an HTTP server; resolves once it listens. */
  serve(options: ServeOptions, handler: (request: Request) => Promise<Response>): Promise<Served>;
  /** True when stderr is a terminal. */
  stderrIsTerminal(): boolean;
  /** Writes to stderr at once (for a progress line). */
  writeStderrSync(bytes: Uint8Array): void;
  /**
   * Writes all of `bytes` to stdout. A reader that went away (`| head`) is no
   * error: the rest is dropped quietly.
   */
  writeStdout(bytes: Uint8Array): Promise<void>;
  /** Writes all of `bytes` to stderr; a closed stderr is no error either. */
  writeStderr(bytes: Uint8Array): Promise<void>;
  /** Ends the process with `code`. */
  exit(code: number): never;
  /** Gives up the right to write files, where the runtime can (Deno can; Node cannot at run time). */
  dropWritePermission(): Promise<void>;
  /** How many threads can usefully run at once. */
  hardwareConcurrency(): number;
  /** Starts a worker thread running the verifier's batch worker (`src/verify/_worker.ts`). */
  startVerifyWorker<In, Out>(events: WorkerEvents<Out>): WorkerHandle<In>;
  /** Inside that worker: its port to the main thread. */
  verifyWorkerPort<In, Out>(): WorkerPort<In, Out>;
}
