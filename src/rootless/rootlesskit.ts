import { join } from "node:path";
import { checkArg, checkOptions, is } from "../internal/options.js";
import { rootlessFail } from "./options.js";
import type { RootlessSettings } from "./settings.js";

export interface RootlesskitArgsOptions {
  /** K3s data dir; the rootlesskit state dir is `<dataDir>/rootless`. */
  dataDir: string;
  /**
   * True when the own cgroup2 directory is writable, so K3s asks rootlesskit to evacuate into
   * `k3s_evac` (see {@link CgroupReport.evacuation}). Default false.
   */
  evacuateCgroup2?: boolean;
}

/**
 * The `rootlesskit` command-line flags equivalent to the options K3s gives its embedded rootlesskit
 * (k3s-behaviours §10: slirp4netns on `tap0`, PID/cgroup/UTS/IPC namespaces, copy-up with
 * tmpfs+symlink, state in `<dataDir>/rootless`). Useful to reproduce K3s's namespace by hand.
 *
 * @example
 * ```ts
 * const { settings } = rootlessSettingsFromEnv(process.env);
 * rootlesskitArgs(settings, { dataDir: `${home}/.rancher/k3s` });
 * // ["--state-dir=/home/u/.rancher/k3s/rootless", "--net=slirp4netns", "--mtu=1500", ...]
 * ```
 * @throws {RootlessError} `ROOTLESS_OPTION_INVALID` when `dataDir` is missing.
 */
export function rootlesskitArgs(settings: RootlessSettings, options: RootlesskitArgsOptions): string[] {
  checkArg(settings, is.record, "settings", rootlessFail, "rootlesskitArgs");
  checkOptions<RootlessSettings>(
    settings,
    {
      mtu: is.integer(0),
      cidr: is.nonEmptyString,
      enableIPv6: is.boolean,
      portDriver: is.oneOf("builtin", "slirp4netns"),
      disableHostLoopback: is.boolean,
      copyUpDirs: is.stringArray,
      ifname: is.oneOf("tap0"),
    },
    rootlessFail,
    "rootlesskitArgs(settings)",
  );
  for (const k of ["mtu", "cidr", "enableIPv6", "portDriver", "disableHostLoopback", "copyUpDirs"] as const) {
    if (settings[k] === undefined) throw rootlessFail(`rootlesskitArgs: settings.${k} is required`, { option: k });
  }
  const o = checkOptions<RootlesskitArgsOptions>(
    options ?? {},
    { dataDir: is.absolutePath, evacuateCgroup2: is.boolean },
    rootlessFail,
    "rootlesskitArgs",
  );
  if (o.dataDir === undefined) throw rootlessFail('rootlesskitArgs: option "dataDir" is required', { option: "dataDir" });
  const stateDir = join(o.dataDir, "rootless");
  const args = [
    `--state-dir=${stateDir}`,
    "--net=slirp4netns",
    `--mtu=${settings.mtu}`,
    `--cidr=${settings.cidr}`,
    `--ifname=${settings.ifname}`,
  ];
  if (settings.disableHostLoopback) args.push("--disable-host-loopback");
  if (settings.enableIPv6) args.push("--ipv6");
  args.push(`--port-driver=${settings.portDriver}`);
  for (const dir of settings.copyUpDirs) args.push(`--copy-up=${dir}`);
  args.push("--copy-up-mode=tmpfs+symlink", "--pidns", "--cgroupns", "--utsns", "--ipcns");
  if (o.evacuateCgroup2) args.push("--evacuate-cgroup2=k3s_evac");
  return args;
}
