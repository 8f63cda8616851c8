/**
 * The auditor Worker: it runs the full publication check (the same
 * `verifyPublication` as `haircut verify`, its serial reference pass) over
 * the chosen `leaves.csv`, read in slices, and reports progress as it goes.
 * The page starts it from a `blob:` URL and ends it with `terminate()` to
 * cancel.
 *
 * @module
 */

import { InputError } from "../src/core/errors.ts";
import { parseKeysFile } from "../src/format/keys.ts";
import { verifyPublication } from "../src/verify/publication.ts";
import type { AuditMessage, AuditRequest } from "./_protocol.ts";

/** The part of the worker global scope this module uses. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<AuditRequest>) => void) | null;
  postMessage(message: AuditMessage): void;
}

const scope = self as unknown as WorkerScope;

/** Bytes per slice of `leaves.csv`. */
const SLICE = 1 << 20;
/** The least time between two progress messages, in milliseconds. */
const PROGRESS_EVERY = 100;
const LF = 0x0a;

/** Counts the line feeds in `bytes`. */
function lineFeeds(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) n++;
  return n;
}

async function audit(request: AuditRequest): Promise<AuditMessage> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const { leaves } = request;
  let lines = 0;
  let bytes = 0;
  let last = 0;
  async function* slices(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < leaves.size; at += SLICE) {
      const chunk = new Uint8Array(await leaves.slice(at, at + SLICE).arrayBuffer());
      lines += lineFeeds(chunk);
      yield chunk;
    }
  }
  const progress = (consumed: number): void => {
    bytes = consumed;
    const now = performance.now();
    if (now - last < PROGRESS_EVERY) return;
    last = now;
    scope.postMessage({ kind: "progress", bytes, total: leaves.size, lines, seconds: seconds() });
  };
  const keys = parseKeysFile(request.keys);
  const report = await verifyPublication({ envelope: request.envelope, leaves: slices() }, keys, { progress });
  scope.postMessage({ kind: "progress", bytes, total: leaves.size, lines, seconds: seconds() });
  return { kind: "done", report, seconds: seconds() };
}

scope.onmessage = (event: MessageEvent<AuditRequest>): void => {
  audit(event.data).then(
    (message) => scope.postMessage(message),
    (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      scope.postMessage({ kind: "failed", message, input: e instanceof InputError });
    },
  );
};
