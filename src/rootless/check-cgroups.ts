import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CgroupReport, analyzeCgroups, ownCgroup2Dir } from "./cgroups.js";
import { checkOptions, is } from "../internal/options.js";
import { RootlessError } from "./errors.js";
import { rootlessFail } from "./options.js";

export interface CheckCgroupsOptions {
  /** Prefix for every path read (tests, or a host root mounted elsewhere). Default `/`. */
  root?: string;
  signal?: AbortSignal;
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads this host's cgroup layout (`/proc/self/mountinfo`, `/proc/self/cgroup`, the own cgroup2's
 * `cgroup.controllers`, write access) and returns {@link analyzeCgroups}'s report: `v2`, `hybrid`,
 * `v1` or `none`, the delegated controllers, and whether rootless K3s can run.
 *
 * @example
 * ```ts
 * const r = await checkCgroups();
 * if (!r.rootless.ok) console.error(r.mode, r.rootless.problems);
 * ```
 * @throws {RootlessError} `CGROUP_READ_FAILED` when `/proc/self/mountinfo` or `/proc/self/cgroup`
 *   cannot be read. Aborting rejects with `signal.reason`.
 */
export async function checkCgroups(options?: CheckCgroupsOptions): Promise<CgroupReport> {
  const o = checkOptions<CheckCgroupsOptions>(options, { root: is.absolutePath, signal: is.signal }, rootlessFail, "checkCgroups");
  const root = o.root ?? "/";
  const { signal } = o;
  signal?.throwIfAborted();
  const read = async (p: string) => {
    try {
      return await readFile(join(root, p), { encoding: "utf8", signal });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new RootlessError("CGROUP_READ_FAILED", `cannot read ${p}`, { value: p, cause: err });
    }
  };
  const mountinfo = await read("/proc/self/mountinfo");
  const selfCgroup = await read("/proc/self/cgroup");
  const own = ownCgroup2Dir(mountinfo, selfCgroup);
  let ownControllers: string | undefined;
  let ownDirWritable = false;
  if (own.dir) {
    ownControllers = await readFile(join(root, own.dir, "cgroup.controllers"), {
      encoding: "utf8",
      signal,
    }).catch(() => undefined);
  }
  if (own.path) {
    // K3s tests /sys/fs/cgroup/<own path> for evacuation, wherever cgroup2 is actually mounted.
    ownDirWritable = await writable(join(root, "/sys/fs/cgroup", own.path));
  }
  signal?.throwIfAborted();
  const cgroupfsWritable = await writable(join(root, "/sys/fs/cgroup"));
  return analyzeCgroups({ mountinfo, selfCgroup, ownControllers, ownDirWritable, cgroupfsWritable });
}
