import { goJoin } from "../internal/go-filepath.js";

/**
 * K3s's default data dir for a privileged node (k3s-behaviours §0); the paths below derive from it.
 * @example
 * ```ts
 * containerdLayout(DEFAULT_DATA_DIR, DEFAULT_STATE_DIR).address; // "/run/k3s/containerd/containerd.sock"
 * ```
 */
export const DEFAULT_DATA_DIR = "/var/lib/rancher/k3s";
/** containerd state dir on Linux (`applyContainerdOSSpecificConfig`). */
export const DEFAULT_STATE_DIR = "/run/k3s/containerd";
/** `--pause-image` default. */
export const DEFAULT_PAUSE_IMAGE = "rancher/mirrored-pause:3.6";
/** cri-dockerd socket with `--docker`. */
export const CRI_DOCKERD_ADDRESS = "unix:///run/k3s/cri-dockerd/cri-dockerd.sock";

/** The containerd-related paths K3s derives from the data dir (k3s-behaviours §6.1). */
export interface ContainerdLayout {
  /** `<dd>/agent/etc/containerd/config.toml` */
  config: string;
  /** Template dir `<dd>/agent/etc/containerd` (where `config-v3.toml.tmpl` is looked for). */
  templateDir: string;
  /** `<dd>/agent/containerd` (also `Opt`). */
  root: string;
  /** `/run/k3s/containerd` unless overridden. */
  state: string;
  /** `<state>/containerd.sock` */
  address: string;
  /** `<dd>/agent/containerd/containerd.log` */
  log: string;
  /** hosts.toml dir `<dd>/agent/etc/containerd/certs.d` */
  registryDir: string;
  /** `<dd>/agent/etc/containerd/blockio_config.yaml` (used only when it exists). */
  blockIOConfig: string;
  /** `<dd>/agent/etc/containerd/rdt_config.yaml` (used only when it exists). */
  rdtConfig: string;
  /** `<dd>/agent/etc/cni/net.d` */
  cniConfDir: string;
  /** `<dd>/data/current/bin`: K3s's bundled CNI plugins (it uses the dir holding `host-local`). */
  cniBinDir: string;
  /** `<dd>/agent/cri-dockerd` */
  criDockerdRoot: string;
  /** `<dd>/agent/images` */
  images: string;
}

/**
 * The paths K3s uses for containerd under a data dir (k3s-behaviours §6.1).
 *
 * @example
 * ```ts
 * containerdLayout("/var/lib/rancher/k3s").config; // "/var/lib/rancher/k3s/agent/etc/containerd/config.toml"
 * ```
 * @throws never.
 */
export function containerdLayout(
  dataDir: string = DEFAULT_DATA_DIR,
  stateDir: string = DEFAULT_STATE_DIR,
): ContainerdLayout {
  const etc = goJoin(dataDir, "agent", "etc", "containerd");
  const root = goJoin(dataDir, "agent", "containerd");
  return {
    config: goJoin(etc, "config.toml"),
    templateDir: etc,
    root,
    state: stateDir,
    address: goJoin(stateDir, "containerd.sock"),
    log: goJoin(root, "containerd.log"),
    registryDir: goJoin(etc, "certs.d"),
    blockIOConfig: goJoin(etc, "blockio_config.yaml"),
    rdtConfig: goJoin(etc, "rdt_config.yaml"),
    cniConfDir: goJoin(dataDir, "agent", "etc", "cni", "net.d"),
    cniBinDir: goJoin(dataDir, "data", "current", "bin"),
    criDockerdRoot: goJoin(dataDir, "agent", "cri-dockerd"),
    images: goJoin(dataDir, "agent", "images"),
  };
}
