import { goJoin } from "../internal/go/filepath.js";
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
 */
export function checkSnapshotter(name: string): Snapshotter | "" {
  if (name === "") return "";
  if (typeof name === "string" && (KNOWN_SNAPSHOTTERS as readonly string[]).includes(name))
    return name as Snapshotter;
  throw new ContainerdError(
    "CONTAINERD_UNKNOWN_SNAPSHOTTER",
    `unknown snapshotter ${JSON.stringify(name)}; expected one of ${KNOWN_SNAPSHOTTERS.join(", ")}`,
    { value: name },
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
