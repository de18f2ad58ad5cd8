import { DEFAULT_DATA_DIR } from "../layout/index.js";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Follow } from "../internal/follow.js";
import { checkOptions, is } from "../internal/options.js";
import { checkText, clip, followCheck, hostFail } from "./options.js";

/** The process context type K3s expects when `--selinux` is on (`SELinuxContextType`). */
export const SELINUX_CONTEXT_TYPE = "container_runtime_t";
/** The data dir the k3s-selinux policy labels. */
export const SELINUX_DEFAULT_DATA_DIR = DEFAULT_DATA_DIR;

/** K3s's warnings (k3s-behaviours §14), with `k3s` as the program name. */
export const SELINUX_NOT_REQUESTED_WARNING =
  "SELinux is enabled on this host, but k3s has not been started with --selinux - containerd SELinux support is disabled";
/** K3s's warning for `--selinux` outside `container_runtime_t`. */
export const SELINUX_WRONG_CONTEXT_WARNING =
  "SELinux is enabled for k3s but process is not running in context 'container_runtime_t', k3s-selinux policy may need to be applied";
/** The page's rule as a warning (SDK default `follow: "page"`); K3s itself does not warn. */
export const SELINUX_CUSTOM_DATA_DIR_WARNING =
  "Using a custom --data-dir under SELinux is not supported: the k3s-selinux policy labels only the default paths; a custom policy is needed";

/** What {@link detectSELinux} finds on the host. */
export interface SELinuxHostStatus {
  /** go-selinux `GetEnabled`: a writable selinuxfs is mounted and the process label is not `kernel`. */
  enabled: boolean;
  /** Where selinuxfs is mounted (writable), if anywhere. */
  mount?: string;
  /** The process label (`/proc/thread-self/attr/current`), if readable. */
  label?: string;
  /** Why the label could not be split into a context (K3s fails start-up on this). */
  labelError?: string;
}

/** Pure inputs of {@link selinuxStatusFrom}. */
export interface SELinuxProcInputs {
  /** `/proc/filesystems`. */
  filesystems: string;
  /** `/proc/self/mountinfo`. */
  mountinfo: string;
  /** Contents of `attr/current` (may end in NUL/newline), or undefined when unreadable. */
  currentLabel?: string;
}

/**
 * Decides the SELinux host status from `/proc` contents as go-selinux does: selinuxfs mounted
 * read-write (at `/sys/fs/selinux`, or elsewhere when `/proc/filesystems` lists it); then the
 * process label (trailing NUL/newline trimmed) must not be `kernel`.
 *
 * @example
 * ```ts
 * selinuxStatusFrom({ filesystems: "nodev\tselinuxfs\n", mountinfo: "30 23 0:27 / /sys/fs/selinux rw,relatime - selinuxfs selinuxfs rw\n",
 *   currentLabel: "system_u:system_r:container_runtime_t:s0\0" }).enabled; // true
 * ```
 * @throws never.
 */
export function selinuxStatusFrom(input: SELinuxProcInputs): SELinuxHostStatus {
  const o = checkOptions<SELinuxProcInputs>(
    input ?? {},
    { filesystems: is.text, mountinfo: is.text, currentLabel: is.text },
    hostFail,
    "selinuxStatusFrom",
  );
  return statusFrom(o);
}

function statusFrom(input: SELinuxProcInputs): SELinuxHostStatus {
  const known = (input.filesystems ?? "")
    .split("\n")
    .some((l) => l.split("\t").pop()?.trim() === "selinuxfs");
  let mount: string | undefined;
  for (const line of (input.mountinfo ?? "").split("\n")) {
    const f = line.split(" ");
    const sep = f.indexOf("-", 6);
    if (sep < 0 || f[sep + 1] !== "selinuxfs") continue;
    const opts = (f[5] ?? "").split(",");
    if (opts.includes("ro")) continue;
    mount = f[4];
    break;
  }
  // go-selinux trusts /sys/fs/selinux directly; elsewhere it first needs selinuxfs in /proc/filesystems.
  if (mount !== undefined && mount !== "/sys/fs/selinux" && !known) mount = undefined;
  const label = input.currentLabel?.replace(/[\0\n]+$/, "");
  // An unreadable label is not "kernel", so go-selinux still says enabled; K3s then fails reading it.
  const enabled = mount !== undefined && label !== "kernel";
  const out: SELinuxHostStatus = { enabled };
  if (mount) out.mount = mount;
  if (label !== undefined) out.label = label;
  if (enabled && label === undefined) out.labelError = "cannot read the process label";
  else if (enabled && label !== undefined && label !== "" && label.split(":").length < 3) {
    out.labelError = `invalid SELinux label ${JSON.stringify(clip(label))}`;
  }
  return out;
}

/**
 * The `type` field of an SELinux context `user:role:type[:level]`, or undefined.
 *
 * @example
 * ```ts
 * selinuxContextType("system_u:system_r:container_runtime_t:s0"); // "container_runtime_t"
 * ```
 * @throws never.
 */
export function selinuxContextType(label: string): string | undefined {
  return contextType(checkText(label, "label", "selinuxContextType"));
}

function contextType(label: string): string | undefined {
  const parts = label.split(":", 4);
  return parts.length >= 3 ? parts[2] : undefined;
}

export interface SELinuxCheckInput {
  /** `--selinux` / `K3S_SELINUX`. */
  selinux: boolean;
  host: SELinuxHostStatus;
  /** `--data-dir`. Default `/var/lib/rancher/k3s`. */
  dataDir?: string;
  /**
   * `"page"` (default): a custom data dir under SELinux gets a warning (the page: "not supported").
   * `"source"`: K3s's code has no data-dir check, so no warning.
   */
  follow?: Follow;
}

export interface SELinuxCheck {
  /** containerd's `enable_selinux`. */
  containerdSELinux: boolean;
  /** The process runs in `container_runtime_t`. */
  configured: boolean;
  warnings: string[];
  /** Set when K3s would stop: `failed to detect selinux: …`. */
  fatal?: string;
}

/**
 * K3s's SELinux decision at containerd set-up (`selinuxStatus`, k3s-behaviours §14): host enabled
 * without `--selinux` → warning; `--selinux` without the `container_runtime_t` context → warning;
 * neither is fatal, but an unreadable/invalid label is. `--selinux` only turns on containerd's
 * `enable_selinux`. With `follow: "page"` (default) a custom `--data-dir` under SELinux also warns.
 *
 * @example
 * ```ts
 * selinuxWarnings({ selinux: true, host: await detectSELinux(), dataDir: "/data/k3s" }).warnings;
 * ```
 * @throws {HostError} `NODE_OPTION_INVALID` for a bad `follow`.
 */
export function selinuxWarnings(input: SELinuxCheckInput): SELinuxCheck {
  const o = checkOptions<SELinuxCheckInput>(
    input ?? {},
    { selinux: is.boolean, host: is.record, dataDir: is.absolutePath, follow: followCheck },
    hostFail,
    "selinuxWarnings",
  );
  const follow = o.follow ?? "page";
  const host = checkOptions<SELinuxHostStatus>(
    o.host ?? { enabled: false },
    { enabled: is.boolean, mount: is.text, label: is.text, labelError: is.text },
    hostFail,
    "selinuxWarnings(host)",
  );
  input = o;
  const warnings: string[] = [];
  if (host.enabled && host.labelError) {
    return {
      containerdSELinux: Boolean(input.selinux),
      configured: false,
      warnings,
      fatal: `failed to detect selinux: ${host.labelError}`,
    };
  }
  const configured = host.enabled && contextType(host.label ?? "") === SELINUX_CONTEXT_TYPE;
  if (!input.selinux && host.enabled) warnings.push(SELINUX_NOT_REQUESTED_WARNING);
  else if (input.selinux && !configured) warnings.push(SELINUX_WRONG_CONTEXT_WARNING);
  const dataDir = input.dataDir ?? SELINUX_DEFAULT_DATA_DIR;
  if (
    follow === "page" &&
    (input.selinux || host.enabled) &&
    resolve("/", dataDir) !== SELINUX_DEFAULT_DATA_DIR
  ) {
    warnings.push(SELINUX_CUSTOM_DATA_DIR_WARNING);
  }
  return { containerdSELinux: Boolean(input.selinux), configured, warnings };
}

export interface DetectSELinuxOptions {
  /** Prefix for every path read (tests, or a host root mounted elsewhere). Default `/`. */
  root?: string;
  signal?: AbortSignal;
}

/**
 * Reads `/proc/filesystems`, `/proc/self/mountinfo` and the process label and returns
 * {@link selinuxStatusFrom}'s answer. A host without SELinux reports `{ enabled: false }`.
 *
 * @example
 * ```ts
 * const host = await detectSELinux();
 * ```
 * @throws never for a missing file (treated as "no SELinux"); aborting rejects with `signal.reason`.
 */
export async function detectSELinux(options?: DetectSELinuxOptions): Promise<SELinuxHostStatus> {
  const o = checkOptions<DetectSELinuxOptions>(options, { root: is.absolutePath, signal: is.signal }, hostFail, "detectSELinux");
  const root = o.root ?? "/";
  const { signal } = o;
  const read = async (p: string) => {
    try {
      return await readFile(join(root, p), { encoding: "utf8", signal });
    } catch {
      if (signal?.aborted) throw signal.reason;
      return undefined;
    }
  };
  signal?.throwIfAborted();
  const filesystems = (await read("/proc/filesystems")) ?? "";
  const mountinfo = (await read("/proc/self/mountinfo")) ?? "";
  const currentLabel =
    (await read("/proc/thread-self/attr/current")) ?? (await read("/proc/self/attr/current"));
  return statusFrom({ filesystems, mountinfo, currentLabel });
}
