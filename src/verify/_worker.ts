/**
 * The worker of the parallel pass: it receives batches of `leaves.csv` with
 * their first line number and answers each, in the order received, with
 * {@linkcode checkLeafBatch}'s result. See `_parallel.ts`.
 *
 * @module
 */

import { checkLeafBatch, type LeafBatchResult, type LeafPassParams } from "./_leaf_pass.ts";

/**
 * A message to the worker: the publication's parameters once, then batches.
 *
 * @example
 * ```ts
 * import type { WorkerRequest } from "./_worker.ts";
 * const start: WorkerRequest = {
 *   kind: "params",
 *   params: { target: 1n, totalBase: 5n, rounding: "floor", maxFindings: 10 },
 * };
 * ```
 */
export type WorkerRequest =
  | { kind: "params"; params: LeafPassParams }
  | { kind: "batch"; id: number; bytes: Uint8Array<ArrayBuffer>; startLine: number };

/**
 * A message from the worker: a batch's result, or the error that stopped it,
 * with the batch's buffer given back for the next batch.
 *
 * @example
 * ```ts
 * import type { WorkerResponse } from "./_worker.ts";
 * const failed: WorkerResponse = { kind: "error", id: 3, message: "out of memory", buffer: new ArrayBuffer(0) };
 * ```
 */
export type WorkerResponse =
  | { kind: "result"; id: number; result: LeafBatchResult; buffer: ArrayBuffer }
  | { kind: "error"; id: number; message: string; buffer: ArrayBuffer };

/** The part of the worker global scope this module uses. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
let params: LeafPassParams | undefined;

function onMessage(event: MessageEvent<WorkerRequest>): void {
  const request = event.data;
  if (request.kind === "params") {
    params = request.params;
    return;
  }
  let response: WorkerResponse;
  try {
    if (!params) throw new Error("batch before params");
    const result = checkLeafBatch(request.bytes, request.startLine, params);
    response = { kind: "result", id: request.id, result, buffer: request.bytes.buffer };
  } catch (e) {
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    response = { kind: "error", id: request.id, message, buffer: request.bytes.buffer };
  }
  // The buffer goes back, so that neither side leaves megabytes of garbage per batch.
  scope.postMessage(response, [response.buffer]);
}

scope.onmessage = onMessage;
