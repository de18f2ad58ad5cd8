import { mkdir, open, rename, rm, chmod } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";
import { KitError } from "../errors/index.js";

export interface AtomicWriteOptions {
  /** File mode, e.g. `0o600` for keys. Default `0o644`. */
  mode?: number;
  /** Mode for directories created on the way. Default `0o755` (`0o700` for key dirs is the caller's choice). */
  dirMode?: number;
  signal?: AbortSignal;
}

/**
 * Writes `data` to `path` atomically: a temp file in the same directory, fsync, rename, then fsync
 * of the directory. A crash leaves either the old file or the new one, never a truncated file.
 * @internal
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { mode = 0o644, dirMode = 0o755, signal } = options;
  signal?.throwIfAborted();
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: dirMode });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let renamed = false;
  try {
    const fh = await open(tmp, "wx", mode);
    try {
      await fh.writeFile(data);
      // The umask may have narrowed the mode on open; set it exactly.
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    signal?.throwIfAborted();
    await rename(tmp, path);
    renamed = true;
    await syncDir(dir);
  } catch (err) {
    if (!renamed) await rm(tmp, { force: true }).catch(() => {});
    if (err instanceof Error && err.name === "AbortError") throw err;
    if (err instanceof KitError) throw err;
    throw new KitError("WRITE_FAILED", `cannot write ${path}: ${(err as Error).message}`, { value: path, cause: err });
  }
}

/** Makes sure `dir` exists with exactly `mode` (used for 0700 key directories). @internal */
export async function ensureDir(dir: string, mode: number): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
  await chmod(dir, mode);
}

async function syncDir(dir: string): Promise<void> {
  let fh: import("node:fs/promises").FileHandle | undefined;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await fh?.close();
  }
}
