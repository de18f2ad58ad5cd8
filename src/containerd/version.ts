import { arg, is } from "./check.js";
import { ContainerdError } from "./errors.js";
import type { ConfigVersion } from "./types.js";

/**
 * The config version an installed containerd reads, from its `containerd --version` output:
 * 1.x reads version 2 (the `io.containerd.grpc.v1.cri` plugin layout), 2.x reads version 3, which is
 * what K3s renders by default (k3s-behaviours §6.2).
 *
 * @throws ContainerdError `CONTAINERD_VERSION_UNKNOWN` when no version number is found.
 * @example
 * ```ts
 * configVersionForContainerd("containerd github.com/containerd/containerd 1.6.20~ds1 ..."); // 2
 * configVersionForContainerd("containerd containerd.io v2.0.4 ..."); // 3
 * ```
 * @throws CONTAINERD_OPTION_INVALID when `versionOutput` is not a string. Only its first 64 KiB are
 *   read (`containerd --version` prints one line).
 */
export function configVersionForContainerd(versionOutput: string): ConfigVersion {
  return configVersionOf(arg<string>(versionOutput, is.string, "versionOutput", "configVersionForContainerd"));
}

/** How much of the version output is scanned. */
const SCAN = 64 * 1024;

/** {@link configVersionForContainerd} without the argument check. */
export function configVersionOf(output: string): ConfigVersion {
  const versionOutput = output.length > SCAN ? output.slice(0, SCAN) : output;
  const m = /(?:^|\s)v?(\d+)\.(\d+)(?:\.\d+)?/.exec(versionOutput);
  if (!m)
    throw new ContainerdError(
      "CONTAINERD_VERSION_UNKNOWN",
      `no containerd version in ${JSON.stringify(versionOutput.slice(0, 200))}`,
      { value: versionOutput.slice(0, 200) },
    );
  return Number(m[1]) >= 2 ? 3 : 2;
}
