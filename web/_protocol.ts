/**
 * The messages between the page and the auditor Worker.
 *
 * @module
 */

import type { PublicationReport } from "../src/verify/publication.ts";

/** The page's one request: verify this publication. */
export interface AuditRequest {
  /** The text of `statement.dsse.json`. */
  envelope: string;
  /** The text of the keys file. */
  keys: string;
  /** `leaves.csv`, read by the Worker in slices. */
  leaves: Blob;
}

/** What the Worker says: how far it is, the report at the end, or why it could not run. */
export type AuditMessage =
  | {
    kind: "progress";
    /** Bytes of `leaves.csv` consumed. */
    bytes: number;
    /** Its size. */
    total: number;
    /** Lines read so far (the header included). */
    lines: number;
    /** Seconds since the request. */
    seconds: number;
  }
  | {
    kind: "done";
    /** The full report. */
    report: PublicationReport;
    /** Seconds from the request to the report. */
    seconds: number;
  }
  | {
    kind: "failed";
    /** Why. */
    message: string;
    /** True when the user's own input (the keys file) was the problem; false for an internal error. */
    input: boolean;
  };
