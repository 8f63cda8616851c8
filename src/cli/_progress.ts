/**
 * The progress display of `haircut verify`: percent done, leaves/s and an ETA
 * on stderr, redrawn at most every 250 ms while `leaves.csv` streams through.
 * The clock and the writer can be injected, so tests drive it with a fake
 * clock and read what it drew.
 *
 * @module
 */

/** What the display has seen so far. */
export interface ProgressState {
  /** Bytes read. */
  bytes: number;
  /** Lines read (newlines seen, the header included). */
  lines: number;
  /** The file's size in bytes; 0 when unknown. */
  total: number;
  /** Milliseconds since the display started. */
  elapsedMs: number;
}

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /** The clock, in milliseconds. Default `performance.now`. */
  now?: () => number;
  /** Where the display goes. Default: stderr. */
  write?: (text: string) => void;
  /** The least time between two redraws, in milliseconds. Default 250. */
  intervalMs?: number;
}

/**
 * One frame of the display, starting with a carriage return so that it
 * overwrites the previous one: `"\r   42.0%  1,234 leaves/s  ETA 3 s   "`.
 * With no size known the file counts as done; with no time elapsed the rate is 0.
 */
export function progressText(state: ProgressState): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(state.lines / seconds) : 0;
  const fraction = state.total > 0 ? state.bytes / state.total : 1;
  const eta = fraction > 0 ? Math.max(0, seconds / fraction - seconds) : 0;
  return `\r  ${(fraction * 100).toFixed(1).padStart(5)}%  ${rate.toLocaleString("en-US")} leaves/s  ETA ${
    eta.toFixed(0)
  } s   `;
}

/** The text that erases the display. */
export const PROGRESS_CLEAR: string = "\r" + " ".repeat(60) + "\r";

function writeStderr(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(text));
}

/** Shows leaves/s and an ETA while a leaves file streams through. */
export class Progress {
  readonly #total: number;
  readonly #now: () => number;
  readonly #write: (text: string) => void;
  readonly #intervalMs: number;
  readonly #start: number;
  #bytes = 0;
  #lines = 0;
  #last = Number.NEGATIVE_INFINITY;

  /** A display for a file of `total` bytes (0 when unknown). */
  constructor(total: number, options: ProgressOptions = {}) {
    this.#total = total;
    this.#now = options.now ?? (() => performance.now());
    this.#write = options.write ?? writeStderr;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#start = this.#now();
  }

  /** Passes `source` through unchanged, counting bytes and lines and redrawing when the interval has passed. */
  async *watch(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      this.#bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.#lines++;
      const now = this.#now();
      if (now - this.#last > this.#intervalMs) {
        this.#last = now;
        this.#write(
          progressText({ bytes: this.#bytes, lines: this.#lines, total: this.#total, elapsedMs: now - this.#start }),
        );
      }
      yield chunk;
    }
  }

  /** Erases the display. */
  done(): void {
    this.#write(PROGRESS_CLEAR);
  }
}
