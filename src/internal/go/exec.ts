/**
 * Go `os/exec.LookPath` on Linux, the one PATH lookup of the SDK (runtimes, etcd, containerd,
 * systemctl, slirp4netns): the first directory holding a regular file with an execute bit wins; a
 * match found through an empty or relative PATH entry is Go's `ErrDot` and counts as not found.
 * @internal
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { goIsAbs, goJoin } from "./filepath.js";

export interface LookPathOptions {
  /** Prefix every candidate with this root (a host filesystem mounted elsewhere). Default none. */
  root?: string;
  signal?: AbortSignal;
}

/** Splits a PATH value as Go's `filepath.SplitList` does (an empty value gives no entries). @internal */
export function splitPath(path: string): string[] {
  return path === "" ? [] : path.split(":");
}

/** Go `exec.LookPath(name)` over `dirs` (entries of PATH); undefined when not found or ErrDot. @internal */
export async function lookPath(name: string, dirs: readonly string[], options: LookPathOptions = {}): Promise<string | undefined> {
  for (const raw of dirs) {
    options.signal?.throwIfAborted();
    const dir = raw === "" ? "." : raw;
    const candidate = goJoin(dir, name);
    const onDisk = options.root ? goJoin(options.root, candidate) : candidate;
    if (await isExecutableFile(onDisk)) return goIsAbs(candidate) ? candidate : undefined;
  }
  return undefined;
}

/** A regular file with an execute bit that this process may execute. @internal */
export async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const st = await stat(p);
    if (!st.isFile() || (st.mode & 0o111) === 0) return false;
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
