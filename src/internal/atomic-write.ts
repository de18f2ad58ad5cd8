import { chmod, lstat, mkdir, open, readdir, rename, rm, symlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { KitError } from "../errors/index.js";
import { assertInside } from "./paths.js";

export interface AtomicWriteOptions {
  /** File mode, e.g. `0o600` for keys. Default `0o644`. The temp file is created with it. */
  mode?: number;
  /** Mode for directories created on the way. Default `0o755` (`0o700` for key dirs is the caller's choice). */
  dirMode?: number;
  /**
   * The data root the write must stay in: no existing component between it and the file may be a
   * symlink leading out of it (checked before anything is written). Default: the file's directory.
   */
  root?: string;
  signal?: AbortSignal;
  /**
   * For a writer that makes many files in one operation (the K3s PKI: ~40 files): it has already
   * checked every path with {@link assertInside} and created the directory in this operation, so
   * neither is repeated per file, and it fsyncs each directory once at the end ({@link syncDirs})
   * instead of once per file. Each file is still written to a temp file, fsynced and renamed.
   */
  batch?: { directoriesSynced: Set<string> };
}

/** Every temp file the SDK makes starts with this, so a later run can recognise and remove it. */
export const TEMP_PREFIX = ".k3s-node-kit.";
// `.<final name>.<pid>.<12 hex>.tmp`: what releases before 0.2 left behind; still cleaned up.
const LEGACY_TEMP = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;
const TEMP = /^\.k3s-node-kit\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes `data` to `path` atomically: a temp file in the same directory created with the final
 * mode, fsync, rename, then fsync of the directory. A crash leaves either the old file or the new
 * one, never a truncated file, and the temp file (a key never lingers outside its final name for
 * longer than one run: {@link removeStaleTemps} clears what a killed run left).
 * @internal
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { mode = 0o644, dirMode = 0o755, signal } = options;
  signal?.throwIfAborted();
  const dir = dirname(path);
  const { batch } = options;
  if (batch === undefined) {
    await assertInside(options.root ?? dir, path);
    try {
      await mkdir(dir, { recursive: true, mode: dirMode });
    } catch (err) {
      throw new KitError("WRITE_FAILED", `cannot create ${dir}: ${(err as Error).message}`, { value: dir, cause: err });
    }
  }
  const tmp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let renamed = false;
  try {
    const fh = await open(tmp, "wx", mode);
    try {
      // The umask may have narrowed the mode on open; set it exactly before any byte is written.
      await fh.chmod(mode);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    signal?.throwIfAborted();
    await rename(tmp, path);
    renamed = true;
    if (batch === undefined) await syncDir(dir);
    else batch.directoriesSynced.add(dir);
  } catch (err) {
    if (!renamed) await rm(tmp, { force: true }).catch(() => {});
    if (err instanceof Error && err.name === "AbortError") throw err;
    if (err instanceof KitError) throw err;
    throw new KitError("WRITE_FAILED", `cannot write ${path}: ${(err as Error).message}`, { value: path, cause: err });
  }
}

/**
 * Removes temp files a killed run left in `dir` (ours, or the pre-0.2 pattern), except those of a
 * process that is still running (a concurrent writer). Missing dirs are fine.
 * @internal
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP.exec(name) ?? LEGACY_TEMP.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    if (pid === process.pid) continue; // one of our own writes in flight
    const full = join(dir, name);
    try {
      // A stale temp symlink (from writeSymlinkAtomic) is removed too; rm never follows it.
      const st = await lstat(full);
      if (st.isFile() || st.isSymbolicLink()) {
        await rm(full, { force: true });
        removed.push(full);
      }
    } catch {
      // raced with its owner: fine
    }
  }
  return removed;
}

/** Makes sure `dir` exists with exactly `mode` (used for 0700 key directories), never through a link out of `root`. @internal */
export async function ensureDir(dir: string, mode: number, root?: string): Promise<void> {
  await assertInside(root ?? dir, dir);
  try {
    await mkdir(dir, { recursive: true, mode });
    const st = await lstat(dir);
    // chmod follows links: only chmod a real directory.
    if (st.isDirectory()) await chmod(dir, mode);
  } catch (err) {
    if (err instanceof KitError) throw err;
    throw new KitError("WRITE_FAILED", `cannot create ${dir}: ${(err as Error).message}`, { value: dir, cause: err });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Fsyncs each directory a batch of {@link writeFileAtomic} calls renamed files into. @internal */
export async function syncDirs(dirs: Iterable<string>): Promise<void> {
  await Promise.all([...dirs].map(syncDir));
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

/** True for a name {@link writeFileAtomic} (or a pre-0.2 release) gives its temp files. @internal */
export function isTempName(name: string): boolean {
  return TEMP.test(name) || LEGACY_TEMP.test(name);
}

/**
 * Points the symlink `link` at `target` atomically: a temp link with the recognisable temp name,
 * renamed over `link` (so {@link removeStaleTemps} clears one a killed run left). Containment of
 * `link` is checked against `root` first; `target` is stored as given (use a basename to keep it
 * inside the directory).
 * @internal
 */
export async function writeSymlinkAtomic(target: string, link: string, options: { root?: string } = {}): Promise<void> {
  const dir = dirname(link);
  await assertInside(options.root ?? dir, link);
  const tmp = join(dir, `${TEMP_PREFIX}${basename(link)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await symlink(target, tmp);
    await rename(tmp, link);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new KitError("WRITE_FAILED", `cannot link ${link}: ${(err as Error).message}`, { value: link, cause: err });
  }
}
