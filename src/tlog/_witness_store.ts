/**
 * A witness's state directory: `witness.json` (its name, vkey and logs) and
 * `logs/<SHA-256 hex of the origin>.json`, the checkpoint last cosigned for
 * each log. {@linkcode WitnessStore.addCheckpoint} reads the stored
 * checkpoint, decides and persists under one lock per origin (a promise
 * chain within the process, an exclusive `flock` across processes), so two
 * requests for one log are never interleaved between check and write.
 *
 * @module
 */

import { sha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { bytesToHex, utf8 } from "../core/encoding.ts";
import { InputError } from "../core/errors.ts";
import type { SigningKey } from "../format/keys.ts";
import { writeFileAtomic } from "../platform/atomic.ts";
import { platform } from "../platform/runtime.ts";
import { cosignatureSigner } from "./cosignature.ts";
import {
  decideAddCheckpoint,
  parseStoredCheckpoint,
  parseWitnessConfig,
  readAddCheckpoint,
  type StoredCheckpoint,
  storedCheckpointJson,
  type WitnessAnswer,
  type WitnessConfig,
} from "./witness.ts";

/** The witness's state directory, opened with its signing key. */
export class WitnessStore {
  readonly #locks = new Map<string, Promise<unknown>>();

  private constructor(
    /** The directory. */
    readonly dir: string,
    /** The configuration. */
    readonly config: WitnessConfig,
    readonly key: SigningKey,
  ) {}

  /**
   * Opens `dir`, checking that `key` is the witness's key.
   *
   * @throws {InputError} When the configuration is missing or malformed, or the key differs.
   */
  static async open(dir: string, key: SigningKey): Promise<WitnessStore> {
    let text: string;
    try {
      text = await platform.readTextFile(`${dir}/witness.json`);
    } catch (e) {
      if (platform.fileErrorKind(e) === "not-found") {
        throw new InputError(`${dir} is not a witness directory (no witness.json)`);
      }
      throw e;
    }
    const config = parseWitnessConfig(text);
    if (key.algorithm !== "ed25519" || cosignatureSigner(config.name, key, 0).vkey !== config.vkey) {
      throw new InputError(`the signing key is not this witness's key (${config.vkey})`);
    }
    await platform.mkdir(`${dir}/logs`);
    return new WitnessStore(dir, config, key);
  }

  #path(origin: string): string {
    return `${this.dir}/logs/${bytesToHex(sha256(utf8(origin)))}.json`;
  }

  /** The checkpoint last cosigned for `origin`, if any. */
  async stored(origin: string): Promise<StoredCheckpoint | undefined> {
    let text: string;
    try {
      text = await platform.readTextFile(this.#path(origin));
    } catch (e) {
      if (platform.fileErrorKind(e) === "not-found") return undefined;
      throw e;
    }
    const stored = parseStoredCheckpoint(text);
    if (stored.origin !== origin) throw new InputError(`witness state for ${origin} names ${stored.origin}`);
    return stored;
  }

  /**
   * Answers an `add-checkpoint` body. On 200 the new checkpoint is on disk
   * before this returns.
   */
  addCheckpoint(body: string, timestamp: number): Promise<WitnessAnswer> {
    const read = readAddCheckpoint(body, this.config.logs);
    if ("status" in read) return Promise.resolve(read);
    const origin = read.checkpoint.origin;
    const run = async (): Promise<WitnessAnswer> => {
      const lock = await platform.lockFile(`${this.#path(origin)}.lock`);
      try {
        const answer = decideAddCheckpoint(read, await this.stored(origin), {
          name: this.config.name,
          key: this.key,
          timestamp,
        });
        if (answer.store) await writeFileAtomic(this.#path(origin), storedCheckpointJson(answer.store));
        return answer;
      } finally {
        lock.release();
      }
    };
    const previous = this.#locks.get(origin) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => {});
    this.#locks.set(origin, settled);
    settled.then(() => {
      if (this.#locks.get(origin) === settled) this.#locks.delete(origin);
    });
    return next;
  }
}
