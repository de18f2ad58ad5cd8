import { goJoin } from "../internal/go/filepath.js";
import { arg, is } from "./check.js";
import { DEFAULT_CONTAINERD_STATE_DIR, DEFAULT_DATA_DIR, k3sLayout } from "../layout/index.js";

/** K3s's default data dir and containerd state dir (their one home is `k3s-node-kit/layout`). */
export { DEFAULT_DATA_DIR };
/** containerd state dir on Linux (`applyContainerdOSSpecificConfig`). */
export const DEFAULT_STATE_DIR = DEFAULT_CONTAINERD_STATE_DIR;
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
 * @throws CONTAINERD_OPTION_INVALID when a dir is given but is not a non-empty string without NUL.
 */
export function containerdLayout(dataDir?: string, stateDir?: string): ContainerdLayout {
  arg(dataDir, is.nonEmptyString, "dataDir", "containerdLayout", true);
  arg(stateDir, is.nonEmptyString, "stateDir", "containerdLayout", true);
  return layoutOf(dataDir ?? DEFAULT_DATA_DIR, stateDir ?? DEFAULT_STATE_DIR);
}

/** {@link containerdLayout} without the argument check. */
export function layoutOf(dataDir: string, stateDir: string): ContainerdLayout {
  const l = k3sLayout(dataDir);
  return {
    config: l.agent.containerdConfig,
    templateDir: l.agent.containerdEtcDir,
    root: l.agent.containerdRoot,
    state: stateDir,
    address: goJoin(stateDir, "containerd.sock"),
    log: l.agent.containerdLog,
    registryDir: l.agent.registryDir,
    blockIOConfig: goJoin(l.agent.containerdEtcDir, "blockio_config.yaml"),
    rdtConfig: goJoin(l.agent.containerdEtcDir, "rdt_config.yaml"),
    cniConfDir: l.agent.cniConfDir,
    cniBinDir: l.binDir,
    criDockerdRoot: l.agent.criDockerdRoot,
    images: l.agent.imagesDir,
  };
}
