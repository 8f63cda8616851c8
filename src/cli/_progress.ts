/**
 * The progress display of `haircut verify`.
 *
 * @module
 */

import { platform } from "../platform/runtime.ts";

/** Shows leaves/s and an ETA on stderr while a leaves file streams through. */
export class Progress {
  readonly #total: number;
  readonly #start = performance.now();
  #bytes = 0;
  #lines = 0;
  #last = Number.NEGATIVE_INFINITY;

  constructor(total: number) {
    this.#total = total;
  }

  async *watch(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      this.#bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.#lines++;
      const now = performance.now();
      if (now - this.#last > 250) {
        this.#last = now;
        this.#draw(now);
      }
      yield chunk;
    }
  }

  #draw(now: number): void {
    const seconds = (now - this.#start) / 1000;
    const rate = seconds > 0 ? Math.round(this.#lines / seconds) : 0;
    const fraction = this.#total > 0 ? this.#bytes / this.#total : 1;
    const eta = fraction > 0 ? Math.max(0, seconds / fraction - seconds) : 0;
    const text = `\r  ${(fraction * 100).toFixed(1).padStart(5)}%  ${rate.toLocaleString("en-US")} leaves/s  ETA ${
      eta.toFixed(0)
    } s   `;
    platform.writeStderrSync(new TextEncoder().encode(text));
  }

  done(): void {
    platform.writeStderrSync(new TextEncoder().encode("\r" + " ".repeat(60) + "\r"));
  }
}
