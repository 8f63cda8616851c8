/**
 * Atomic file replacement for the log and witness state: write a temporary
 * file in the same directory, flush it, rename it over the target.
 *
 * @module
 */

/**
 * Replaces `path` with `text` atomically: a reader sees the old content or
 * the new, never a part. The temporary file is removed on failure.
 */
export async function writeFileAtomic(path: string, text: string, options: { mode?: number } = {}): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const temp = `${dir}/.${path.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
  try {
    {
      using file = await Deno.open(temp, { write: true, createNew: true, mode: options.mode ?? 0o644 });
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    }
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
}
