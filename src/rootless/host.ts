import { lookPath, splitPath } from "../internal/go/exec.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { checkOptions, is } from "../internal/options.js";
import { RootlessError } from "./errors.js";
import { rootlessFail } from "./options.js";

/** The sysctls K3s's rootless parent requires (only checked when the `/proc/sys` file is readable). */
export const ROOTLESS_SYSCTLS: Readonly<Record<string, string>> = Object.freeze({
  "kernel.unprivileged_userns_clone": "1",
  "net.ipv4.ip_forward": "1",
});

/** Go's `%q` for plain strings: double quotes with `"` and `\` escaped, control characters as escapes. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * K3s's `validateSysctl` (k3s-behaviours §10): each required sysctl that could be read (whitespace
 * trimmed) must equal its expected value. Returns K3s's fatal message for every one that does not
 * (K3s stops at the first, in random order). `undefined` means "not readable" and is skipped.
 *
 * @example
 * ```ts
 * rootlessSysctlProblems({ "net.ipv4.ip_forward": "0\n" });
 * // ['expected sysctl value "net.ipv4.ip_forward" to be "1", got "0"; try adding "net.ipv4.ip_forward=1" to /etc/sysctl.conf and running `sudo sysctl --system`']
 * ```
 * @throws never.
 */
export function rootlessSysctlProblems(values: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [key, expected] of Object.entries(ROOTLESS_SYSCTLS)) {
    const raw = values?.[key];
    if (typeof raw !== "string") continue;
    const actual = raw.trim();
    if (actual !== expected) {
      out.push(
        `expected sysctl value ${goQuote(key)} to be ${goQuote(expected)}, got ${goQuote(actual)}; try adding "${key}=${expected}" to /etc/sysctl.conf and running \`sudo sysctl --system\``,
      );
    }
  }
  return out;
}

/** Where rootless K3s keeps things (k3s-behaviours §10). */
export interface RootlessPaths {
  /** `--data-dir`, default `${HOME}/.rancher/k3s` for rootless servers. */
  dataDir: string;
  /** rootlesskit state dir. */
  stateDir: string;
  /** slirp4netns API socket (slirp4netns port driver only). */
  slirp4netnsApiSocket: string;
  kubeletRootDir: string;
  nodePasswordFile: string;
  kubeconfig: string;
}

/**
 * The rootless paths for a user: data dir `~/.rancher/k3s` unless given, state
 * `<dd>/rootless`, kubelet root `<dd>/agent/kubelet`, node password
 * `<dd>/agent/etc/rancher/node/password`, kubeconfig `~/.kube/k3s.yaml`.
 *
 * @example
 * ```ts
 * rootlessPaths({ home: "/home/u" }).kubeconfig; // "/home/u/.kube/k3s.yaml"
 * ```
 * @throws {RootlessError} `ROOTLESS_OPTION_INVALID` when `home` is missing.
 */
export function rootlessPaths(options: { home: string; dataDir?: string }): RootlessPaths {
  if (typeof options?.home !== "string" || options.home === "") {
    throw new RootlessError("ROOTLESS_OPTION_INVALID", 'option "home" must be a non-empty string', {
      value: options?.home,
    });
  }
  const dd = options.dataDir || join(options.home, ".rancher", "k3s");
  return {
    dataDir: dd,
    stateDir: join(dd, "rootless"),
    slirp4netnsApiSocket: join(dd, "rootless", ".s4nn.sock"),
    kubeletRootDir: join(dd, "agent", "kubelet"),
    nodePasswordFile: join(dd, "agent", "etc", "rancher", "node", "password"),
    kubeconfig: join(options.home, ".kube", "k3s.yaml"),
  };
}

export interface RootlessHostReport {
  /** The sysctl values read (`undefined` when not readable). */
  sysctls: Record<string, string | undefined>;
  /** `slirp4netns` found on PATH, or undefined. */
  slirp4netns?: string;
  /** K3s's fatal messages for this host (sysctls, missing slirp4netns). */
  problems: string[];
}

/**
 * Reads what K3s's rootless parent checks before starting: the two sysctls and `slirp4netns` on
 * `PATH`. (The cgroup part is {@link checkCgroups}.)
 *
 * @example
 * ```ts
 * const r = await checkRootlessHost();
 * if (r.problems.length) console.error(r.problems.join("\n"));
 * ```
 * @throws never for missing files; aborting rejects with `signal.reason`.
 */
export async function checkRootlessHost(
  options?: { root?: string; path?: string; signal?: AbortSignal },
): Promise<RootlessHostReport> {
  const o = checkOptions<{ root?: string; path?: string; signal?: AbortSignal }>(
    options,
    { root: is.absolutePath, path: is.text, signal: is.signal },
    rootlessFail,
    "checkRootlessHost",
  );
  const root = o.root ?? "/";
  const { signal } = o;
  signal?.throwIfAborted();
  const sysctls: Record<string, string | undefined> = {};
  for (const key of Object.keys(ROOTLESS_SYSCTLS)) {
    sysctls[key] = await readFile(join(root, "proc", "sys", ...key.split(".")), {
      encoding: "utf8",
      signal,
    }).catch(() => {
      if (signal?.aborted) throw signal.reason;
      return undefined;
    });
  }
  const dirs = splitPath(o.path ?? process.env.PATH ?? "").filter((d) => d !== "");
  const slirp4netns = await lookPath("slirp4netns", dirs, { root, ...(signal ? { signal } : {}) });
  const problems = rootlessSysctlProblems(sysctls);
  if (!slirp4netns) problems.push('exec: "slirp4netns": executable file not found in $PATH');
  return slirp4netns ? { sysctls, slirp4netns, problems } : { sysctls, problems };
}
