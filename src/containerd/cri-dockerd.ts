import { checkOptions, envCheck, fail, is, nodeConfigOf } from "./check.js";
import { CRI_DOCKERD_ADDRESS } from "./paths.js";
import type { ContainerdConfig, NodeConfig } from "./types.js";

/** Options of {@link criDockerdArgs}. */
export interface CriDockerdArgsOptions {
  /** The node has both IPv4 and IPv6 node IPs: `--ipv6-dual-stack=true`. */
  dualStack?: boolean;
  /** Environment read for `CRIDOCKERD_LOG_LEVEL`. Default `{}` (pass `process.env` to mimic K3s). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The runtime cgroup K3s detects (`runtime-cgroups`), when there is one. */
  runtimeCgroups?: string;
}

/**
 * The cri-dockerd arguments K3s uses with `--docker` (k3s-behaviours §8, `getDockerCRIArgs`),
 * as `--key=value` sorted by key like K3s's `util.GetArgs`. Build `config` with
 * `containerdConfigFor({ docker: true })` (that also sets `CNIPlugin`, giving `--network-plugin=cni`).
 *
 * @example
 * ```ts
 * criDockerdArgs(containerdConfigFor({ docker: true }));
 * // ["--cni-bin-dir=...", "--cni-conf-dir=...", "--container-runtime-endpoint=unix:///run/k3s/cri-dockerd/cri-dockerd.sock", ...]
 * ```
 * @throws CONTAINERD_OPTION_INVALID when `config` is not a config object, a field has the wrong Go
 *   type, or an option is wrong. Fields `config` leaves out are Go zero values (as in K3s).
 */
export function criDockerdArgs(config: ContainerdConfig, options?: CriDockerdArgsOptions): string[] {
  const node = nodeConfigOf(config, "criDockerdArgs");
  const checked = checkOptions<CriDockerdArgsOptions>(
    options,
    { dualStack: is.boolean, env: envCheck("CRIDOCKERD_LOG_LEVEL"), runtimeCgroups: is.string },
    fail,
    "criDockerdArgs",
  );
  return criDockerdArgsOf(node, checked);
}

/** {@link criDockerdArgs} on a Go-typed node config and checked options. */
export function criDockerdArgsOf(node: NodeConfig, options: CriDockerdArgsOptions): string[] {
  const agent = node.AgentConfig;
  const args = new Map<string, string>();
  args.set("container-runtime-endpoint", node.CRIDockerd.Address || CRI_DOCKERD_ADDRESS);
  args.set("cri-dockerd-root-directory", node.CRIDockerd.Root);
  args.set("streaming-bind-addr", "127.0.0.1:10010");
  if (node.CRIDockerd.Debug) args.set("log-level", "debug");
  if (options.dualStack) args.set("ipv6-dual-stack", "true");
  const env = options.env;
  const level = env !== undefined && Object.hasOwn(env, "CRIDOCKERD_LOG_LEVEL") ? env.CRIDOCKERD_LOG_LEVEL : undefined;
  if (level) args.set("log-level", level);
  if (node.ContainerRuntimeEndpoint !== "") {
    const ep = node.ContainerRuntimeEndpoint;
    args.set("docker-endpoint", ep.startsWith("unix://") ? ep : `unix://${ep}`);
  }
  if (agent.CNIConfDir !== "") args.set("cni-conf-dir", agent.CNIConfDir);
  if (agent.CNIBinDir !== "") args.set("cni-bin-dir", agent.CNIBinDir);
  if (agent.CNIPlugin) args.set("network-plugin", "cni");
  if (agent.PauseImage !== "") args.set("pod-infra-container-image", agent.PauseImage);
  if (options.runtimeCgroups) args.set("runtime-cgroups", options.runtimeCgroups);
  return [...args.keys()].sort().map((k) => `--${k}=${args.get(k)}`);
}
