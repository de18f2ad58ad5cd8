import { resolveDefaultRuntime } from "../runtime/index.js";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { isKitError } from "../errors/index.js";
import { ContainerdError } from "./errors.js";
import {
  CRI_DOCKERD_ADDRESS,
  DEFAULT_DATA_DIR,
  DEFAULT_PAUSE_IMAGE,
  DEFAULT_STATE_DIR,
  layoutOf,
} from "./paths.js";
import { goJoin } from "../internal/go/filepath.js";
import { emptyRegistry, sortedRegistry } from "./registries.js";
import { imageServiceSocket, snapshotterOf } from "./snapshotters.js";
import type { ContainerdConfig, ContainerdRuntimeConfig, Registry } from "./types.js";

/** Friendly inputs for {@link containerdConfigFor}; every field has K3s's default. */
export interface ContainerdConfigOptions {
  /** `--data-dir`. Default `/var/lib/rancher/k3s`. */
  dataDir?: string;
  /** containerd state dir. Default `/run/k3s/containerd`. */
  stateDir?: string;
  /** `--snapshotter`. Default `overlayfs`; `""` omits the snapshotter settings. */
  snapshotter?: string;
  /** `--pause-image`. Default `rancher/mirrored-pause:3.6`. */
  pauseImage?: string;
  /** `--system-default-registry`: prefixed to the pause image unless it already starts with it. */
  systemDefaultRegistry?: string;
  /** The parsed registries.yaml ({@link parseRegistriesYaml}). Default: empty. */
  registries?: Registry;
  /** `--selinux`: `enable_selinux = true`. */
  selinux?: boolean;
  /** Running inside a user namespace (`--rootless`). */
  rootless?: boolean;
  /** Rootless without delegated cpu/pids controllers: `disable_cgroup = true`. Ignored unless `rootless`. */
  disableCgroup?: boolean;
  /** Running under systemd with the cpuset controller: runc `SystemdCgroup = true`. Forced off when rootless. */
  systemdCgroup?: boolean;
  /** Kernel >= 4.11: unprivileged ports/ICMP. Default `true`. */
  enableUnprivileged?: boolean;
  /** `--nonroot-devices`. */
  nonrootDevices?: boolean;
  /** `--disable-default-registry-endpoint`. */
  disableDefaultRegistryEndpoint?: boolean;
  /** Runtimes found by `detectRuntimes()` (`ExtraRuntimes`). */
  runtimes?: Record<string, ContainerdRuntimeConfig>;
  /** `--default-runtime`: must be one of `runtimes`. */
  defaultRuntime?: string;
  /** CNI dirs; `false` when the embedded flannel is off (`--flannel-backend=none`): no cni table. */
  cni?: { binDir?: string; confDir?: string } | false;
  /** `--image-service-endpoint`. */
  imageServiceEndpoint?: string;
  /** BlockIO class config path (K3s sets it only when `<etc>/blockio_config.yaml` exists). */
  blockIOConfig?: string;
  /** RDT class config path (K3s sets it only when `<etc>/rdt_config.yaml` exists). */
  rdtConfig?: string;
  /** `--debug`. */
  debug?: boolean;
  /** `--docker`: use cri-dockerd instead of containerd. */
  docker?: boolean;
  /** `--container-runtime-endpoint`. */
  containerRuntimeEndpoint?: string;
  /** Node name (informational, for user templates). */
  nodeName?: string;
  /** `--node-ip` addresses: `AgentConfig.NodeIPs`, and `NodeIP` is the first (informational). */
  nodeIPs?: string[];
  /** `--node-external-ip` addresses: `AgentConfig.NodeExternalIPs`; `NodeExternalIP` is the first. */
  nodeExternalIPs?: string[];
}

/** Go's `net.IP.String()` of a checked address (IPv6 compressed per RFC 5952, IPv4-mapped as IPv4). */
function goIPs(key: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v))
    throw new ContainerdError("CONTAINERD_OPTION_INVALID", `option ${key} must be an array of IP addresses`, {
      value: v,
    });
  return v.map((s: unknown) => {
    if (typeof s !== "string" || isIP(s) === 0)
      throw new ContainerdError("CONTAINERD_OPTION_INVALID", `option ${key} holds an invalid IP address`, {
        value: s,
      });
    return ipaddr.process(s).toString();
  });
}

/** K3s's agent file paths under the data dir (k3s `pkg/agent/config/config.go`). */
function agentPaths(dataDir: string, rootless: boolean) {
  const agent = goJoin(dataDir, "agent");
  return {
    PodManifests: goJoin(agent, "pod-manifests"),
    ClientKubeletCert: goJoin(agent, "client-kubelet.crt"),
    ClientKubeletKey: goJoin(agent, "client-kubelet.key"),
    ServingKubeletCert: goJoin(agent, "serving-kubelet.crt"),
    ServingKubeletKey: goJoin(agent, "serving-kubelet.key"),
    RootDir: rootless ? goJoin(agent, "kubelet") : "",
    KubeletConfigDir: goJoin(agent, "etc", "kubelet.conf.d"),
    KubeConfigKubelet: goJoin(agent, "kubelet.kubeconfig"),
    KubeConfigKubeProxy: goJoin(agent, "kubeproxy.kubeconfig"),
    ClientCA: goJoin(agent, "client-ca.crt"),
  };
}

const BOOL_KEYS = [
  "selinux",
  "rootless",
  "disableCgroup",
  "systemdCgroup",
  "enableUnprivileged",
  "nonrootDevices",
  "disableDefaultRegistryEndpoint",
  "debug",
  "docker",
] as const;
const STRING_KEYS = [
  "dataDir",
  "stateDir",
  "snapshotter",
  "pauseImage",
  "systemDefaultRegistry",
  "defaultRuntime",
  "imageServiceEndpoint",
  "blockIOConfig",
  "rdtConfig",
  "containerRuntimeEndpoint",
  "nodeName",
] as const;

function checkTypes(o: ContainerdConfigOptions): void {
  if (typeof o !== "object" || o === null)
    throw new ContainerdError("CONTAINERD_OPTION_INVALID", "options must be an object", { value: o });
  for (const k of BOOL_KEYS) {
    if (o[k] !== undefined && typeof o[k] !== "boolean") {
      throw new ContainerdError("CONTAINERD_OPTION_INVALID", `option ${k} must be a boolean`, { value: o[k] });
    }
  }
  for (const k of STRING_KEYS) {
    if (o[k] !== undefined && typeof o[k] !== "string") {
      throw new ContainerdError("CONTAINERD_OPTION_INVALID", `option ${k} must be a string`, { value: o[k] });
    }
  }
  const cni = o.cni;
  if (
    cni !== undefined &&
    cni !== false &&
    (typeof cni !== "object" ||
      cni === null ||
      (cni.binDir !== undefined && typeof cni.binDir !== "string") ||
      (cni.confDir !== undefined && typeof cni.confDir !== "string"))
  ) {
    throw new ContainerdError(
      "CONTAINERD_OPTION_INVALID",
      "option cni must be false or { binDir?, confDir? } strings",
      { value: cni },
    );
  }
  for (const k of ["dataDir", "stateDir"] as const) {
    const v = o[k];
    if (v !== undefined && !v.startsWith("/"))
      throw new ContainerdError("CONTAINERD_OPTION_INVALID", `option ${k} must be an absolute path`, {
        value: v,
      });
  }
}

function sortedRuntimes(
  rts: Record<string, ContainerdRuntimeConfig>,
): Record<string, ContainerdRuntimeConfig> {
  if (typeof rts !== "object" || rts === null)
    throw new ContainerdError("CONTAINERD_OPTION_INVALID", "runtimes must be a map", { value: rts });
  const out: Record<string, ContainerdRuntimeConfig> = {};
  for (const name of Object.keys(rts).sort()) {
    const rt = rts[name];
    if (!rt || typeof rt.RuntimeType !== "string" || typeof rt.BinaryName !== "string") {
      throw new ContainerdError(
        "CONTAINERD_OPTION_INVALID",
        `runtime ${name} needs string RuntimeType and BinaryName`,
        { value: name },
      );
    }
    out[name] = { RuntimeType: rt.RuntimeType, BinaryName: rt.BinaryName };
  }
  return out;
}

/**
 * Fills K3s's template dot (`templates.ContainerdConfig`) from friendly options, with K3s's
 * paths and defaults (k3s-behaviours §6.1, §6.3, §6.5, §7, §14). Pure.
 *
 * @example
 * ```ts
 * const cfg = containerdConfigFor({ snapshotter: "native", runtimes: await detectRuntimes(), defaultRuntime: "crun" });
 * const toml = renderContainerdConfig(cfg);
 * ```
 * @throws CONTAINERD_OPTION_INVALID for a wrongly typed option.
 * @throws CONTAINERD_UNKNOWN_SNAPSHOTTER for a snapshotter K3s does not build in.
 * @throws CONTAINERD_DEFAULT_RUNTIME_NOT_FOUND `default runtime <name> was not found` (K3s's message).
 */
export function containerdConfigFor(options: ContainerdConfigOptions = {}): ContainerdConfig {
  checkTypes(options);
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const layout = layoutOf(dataDir, options.stateDir ?? DEFAULT_STATE_DIR);
  const snapshotter = snapshotterOf(options.snapshotter ?? "overlayfs");
  const runtimes = sortedRuntimes(options.runtimes ?? {});
  let defaultRuntime: string;
  try {
    defaultRuntime = resolveDefaultRuntime(options.defaultRuntime, runtimes);
  } catch (err) {
    if (isKitError(err))
      throw new ContainerdError("CONTAINERD_DEFAULT_RUNTIME_NOT_FOUND", err.message, {
        value: err.value,
        cause: err,
      });
    throw err;
  }
  const sysReg = options.systemDefaultRegistry ?? "";
  let pause = options.pauseImage ?? DEFAULT_PAUSE_IMAGE;
  if (sysReg !== "" && pause !== "" && !pause.startsWith(sysReg)) pause = `${sysReg}/${pause}`;
  const rootless = options.rootless ?? false;
  const disableCgroup = rootless && (options.disableCgroup ?? false);
  const systemd = !rootless && (options.systemdCgroup ?? false);
  const cni =
    options.cni === false
      ? { binDir: "", confDir: "" }
      : {
          binDir: options.cni?.binDir ?? layout.cniBinDir,
          confDir: options.cni?.confDir ?? layout.cniConfDir,
        };
  const registry = options.registries === undefined ? emptyRegistry() : sortedRegistry(options.registries);
  const docker = options.docker ?? false;
  const cre = options.containerRuntimeEndpoint ?? "";
  const selinux = options.selinux ?? false;
  const noDefault = options.disableDefaultRegistryEndpoint ?? false;
  const nonroot = options.nonrootDevices ?? false;
  const debug = options.debug ?? false;
  const nodeIPs = goIPs("nodeIPs", options.nodeIPs);
  const extIPs = goIPs("nodeExternalIPs", options.nodeExternalIPs);
  return {
    NodeConfig: {
      Docker: docker,
      ContainerRuntimeEndpoint: cre,
      ImageServiceEndpoint: options.imageServiceEndpoint ?? "",
      SELinux: selinux,
      EnablePProf: false,
      SupervisorMetrics: false,
      EmbeddedRegistry: false,
      EgressSelectorMode: "agent",
      Containerd: {
        Address: layout.address,
        Log: layout.log,
        Root: layout.root,
        State: layout.state,
        Config: layout.config,
        Opt: layout.root,
        Template: layout.templateDir,
        BlockIOConfig: options.blockIOConfig ?? "",
        RDTConfig: options.rdtConfig ?? "",
        Registry: layout.registryDir,
        NoDefault: noDefault,
        NonrootDevices: nonroot,
        SELinux: selinux,
        Debug: debug,
        ConfigVersion: 0,
      },
      CRIDockerd: { Address: docker ? CRI_DOCKERD_ADDRESS : "", Root: layout.criDockerdRoot, Debug: debug },
      Images: layout.images,
      AgentConfig: {
        ...agentPaths(dataDir, rootless),
        NodeIP: nodeIPs[0] ?? "",
        NodeIPs: nodeIPs,
        // K3s's comment says "first IPv4", but its code takes the first address.
        NodeExternalIP: extIPs[0] ?? "",
        NodeExternalIPs: extIPs,
        Rootless: rootless,
        PauseImage: pause,
        Snapshotter: snapshotter,
        ImageServiceSocket: imageServiceSocket(snapshotter, layout.state, options.imageServiceEndpoint ?? ""),
        CNIBinDir: cni.binDir,
        CNIConfDir: cni.confDir,
        CNIPlugin: docker,
        Systemd: systemd,
        NodeName: options.nodeName ?? "",
        Registry: registry,
        SystemDefaultRegistry: sysReg,
        RuntimeSocket: docker ? CRI_DOCKERD_ADDRESS : cre !== "" ? cre : layout.address,
      },
      ServerHTTPSPort: 6443,
      SupervisorPort: 6443,
      DefaultRuntime: defaultRuntime,
    },
    DisableCgroup: disableCgroup,
    SystemdCgroup: systemd,
    IsRunningInUserNS: rootless,
    EnableUnprivileged: options.enableUnprivileged ?? true,
    NoDefaultEndpoint: noDefault,
    NonrootDevices: nonroot,
    PrivateRegistryConfig: registry,
    ExtraRuntimes: runtimes,
    Program: "k3s",
  };
}
