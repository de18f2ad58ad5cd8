import { goJoin } from "../internal/go/filepath.js";
import { arg, is } from "./check.js";
import { ContainerdError } from "./errors.js";

/**
 * Snapshotters built into K3s's containerd on Linux (k3s-behaviours §6.5).
 * @example
 * ```ts
 * KNOWN_SNAPSHOTTERS.includes("stargz"); // true
 * ```
 */
export const KNOWN_SNAPSHOTTERS = Object.freeze([
  "overlayfs",
  "fuse-overlayfs",
  "native",
  "btrfs",
  "zfs",
  "devmapper",
  "blockfile",
  "erofs",
  "stargz",
  "nix",
] as const);

/** A snapshotter name K3s accepts on Linux. */
export type Snapshotter = (typeof KNOWN_SNAPSHOTTERS)[number];

/**
 * The stargz store's CRI image service socket K3s points containerd at.
 * @example
 * ```ts
 * containerdConfigFor({ snapshotter: "stargz" }).NodeConfig.AgentConfig.ImageServiceSocket === STARGZ_IMAGE_SERVICE_SOCKET; // true
 * ```
 */
export const STARGZ_IMAGE_SERVICE_SOCKET = "/run/containerd-stargz-grpc/containerd-stargz-grpc.sock";

/**
 * Validates a snapshotter name. `""` means "no snapshotter settings" (the templates omit the
 * images table), which K3s renders when the flag is set to an empty string.
 *
 * @example
 * ```ts
 * checkSnapshotter("native"); // "native"
 * ```
 * @throws CONTAINERD_UNKNOWN_SNAPSHOTTER for a name K3s does not build in.
 * @throws CONTAINERD_OPTION_INVALID when `name` is not a string.
 */
export function checkSnapshotter(name: string): Snapshotter | "" {
  return snapshotterOf(arg<string>(name, is.string, "name", "checkSnapshotter"));
}

/** {@link checkSnapshotter} on a string (no type check). */
export function snapshotterOf(name: string): Snapshotter | "" {
  if (name === "") return "";
  if ((KNOWN_SNAPSHOTTERS as readonly string[]).includes(name)) return name as Snapshotter;
  const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  throw new ContainerdError(
    "CONTAINERD_UNKNOWN_SNAPSHOTTER",
    `unknown snapshotter ${JSON.stringify(shown)}; expected one of ${KNOWN_SNAPSHOTTERS.join(", ")}`,
    { value: shown },
  );
}

/**
 * The image service socket containerd is told about (k3s-behaviours §6.5). K3s sets
 * `--image-service-endpoint` first and then lets stargz/nix overwrite it with their own socket
 * (`pkg/agent/config/config.go` calls `applyContainerdOSSpecificConfig` after the endpoint).
 *
 * @example
 * ```ts
 * imageServiceSocket("nix", "/run/k3s/containerd", ""); // "/run/k3s/containerd/nix-snapshotter.sock"
 * ```
 * @throws never.
 */
export function imageServiceSocket(
  snapshotter: string,
  stateDir: string,
  imageServiceEndpoint: string,
): string {
  if (snapshotter === "stargz") return STARGZ_IMAGE_SERVICE_SOCKET;
  if (snapshotter === "nix") return goJoin(stateDir, "nix-snapshotter.sock");
  return imageServiceEndpoint;
}
