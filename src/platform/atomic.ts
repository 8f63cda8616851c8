/**
 * Atomic file replacement, for the log and witness state and a co-signed
 * statement: write a temporary file in the same directory, flush it, rename
 * it over the target.
 *
 * @module
 */

import { platform } from "./runtime.ts";
import { writeAll } from "./write.ts";

/**
 * Replaces `path` with `text` atomically: a reader sees the old content or
 * the new, never a part. The temporary file is removed on failure.
 */
export async function writeFileAtomic(path: string, text: string, options: { mode?: number } = {}): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const temp = `${dir}/.${path.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
  try {
    const file = await platform.openWrite(temp, { createNew: true, mode: options.mode ?? 0o644 });
    try {
      await writeAll(file, new TextEncoder().encode(text));
      await file.sync();
    } finally {
      file.close();
    }
    await platform.rename(temp, path);
  } catch (e) {
    await platform.remove(temp).catch(() => {});
    throw e;
  }
}
