import { lookPath } from "../internal/go/exec.js";
import { searchOptions } from "./options.js";
import { type DetectedRuntimes, KNOWN_RUNTIMES, RUNTIME_EXTRA_DIRS } from "./table.js";

/** Options of {@link detectRuntimes}. */
export interface DetectRuntimesOptions {
  /** The search PATH (colon-separated). Default: `process.env.PATH`. */
  path?: string;
  /** Directories searched before `path`. Default: K3s's `/usr/local/nvidia/toolkit`, `/opt/kwasm/bin`. */
  extraDirs?: readonly string[];
}

/**
 * The directory list K3s searches: the extra dirs, then PATH, in order (Go `filepath.SplitList`).
 * @example
 * ```ts
 * runtimeSearchDirs({ path: "/usr/bin" }); // ["/usr/local/nvidia/toolkit", "/opt/kwasm/bin", "/usr/bin"]
 * ```
 * @throws never.
 */
export function runtimeSearchDirs(options: DetectRuntimesOptions = {}): string[] {
  return searchDirs(searchOptions(options, "runtimeSearchDirs"));
}

function searchDirs(options: DetectRuntimesOptions): string[] {
  const extra = options.extraDirs ?? RUNTIME_EXTRA_DIRS;
  const path = options.path ?? process.env.PATH ?? "";
  // K3s prepends "<extra>:" to PATH, so an empty PATH still yields one empty (= ".") entry.
  const joined = `${extra.join(":")}:${path}`;
  return joined.split(":");
}

/**
 * Finds the alternative container runtimes K3s would add to containerd's config
 * (k3s-behaviours §7): each binary of the K3s table is looked up in `extraDirs`, then `path`;
 * only regular executable files count; `BinaryName` is the joined path (symlinks not resolved).
 *
 * @example
 * ```ts
 * const found = await detectRuntimes({ path: process.env.PATH });
 * // { crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" } }
 * ```
 * @throws RUNTIME_OPTION_INVALID when `path` or `extraDirs` is not a string / string list.
 */
export async function detectRuntimes(options: DetectRuntimesOptions = {}): Promise<DetectedRuntimes> {
  const o = searchOptions(options, "detectRuntimes");
  const dirs = searchDirs(o);
  const found: DetectedRuntimes = {};
  for (const rt of KNOWN_RUNTIMES) {
    const path = await lookPath(rt.binary, dirs);
    if (path !== undefined) found[rt.name] = { RuntimeType: rt.runtimeType, BinaryName: path };
  }
  return found;
}
