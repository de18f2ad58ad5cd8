import { checkOptions, is } from "../internal/options.js";
import { type EgressSelectorMode, egressDecision, type parseEgressSelectorMode } from "./egress-selector.js";
import { hostFail } from "./options.js";

export interface AgentlessServerOptions {
  /** `--egress-selector-mode`. Default K3s's `agent` (which warns; the page recommends `cluster` or `pod`). */
  egressSelectorMode?: EgressSelectorMode;
  /** `--rootless` is also set. */
  rootless?: boolean;
}

/** What an agentless server (`--disable-agent`) is. */
export interface AgentlessServerPlan {
  /** `k3s server` flags. */
  args: string[];
  /** The egress mode and its effects. */
  egress: ReturnType<typeof parseEgressSelectorMode>;
  runsKubelet: false;
  runsContainerd: false;
  registersNode: false;
  /** The container runtime endpoint K3s gives its standalone agent. */
  containerRuntimeEndpoint: "/dev/null";
  /** Start-up steps K3s skips for agentless servers. */
  skipped: string[];
  /** Warnings (K3s's egress warning; operator caveats from the page). */
  warnings: string[];
}

/**
 * The option set of an agentless server (page "Running Agentless Servers (Experimental)",
 * k3s-behaviours §13): `--disable-agent` plus `--egress-selector-mode`. No kubelet, containerd or CNI,
 * no Node object, so no `node-role.kubernetes.io/control-plane` label; K3s skips the privileged check,
 * cgroup v2 evacuation and (with `--rootless`) the whole rootless namespace setup.
 *
 * @example
 * ```ts
 * agentlessServer({ egressSelectorMode: "cluster" }).args; // ["--disable-agent", "--egress-selector-mode=cluster"]
 * ```
 * @throws {HostError} `EGRESS_SELECTOR_MODE_INVALID`.
 */
export function agentlessServer(options?: AgentlessServerOptions): AgentlessServerPlan {
  const o = checkOptions<AgentlessServerOptions>(
    options,
    { egressSelectorMode: is.any, rootless: is.boolean },
    hostFail,
    "agentlessServer",
  );
  const egress = egressDecision(o.egressSelectorMode, true);
  const skipped = [
    "privileged check",
    "cgroup v2 evacuation",
    "tunnel authorizer",
    "control-plane node label",
  ];
  if (o.rootless) skipped.push("rootless namespace setup (rootlesskit is not started)");
  const warnings = egress.warning ? [egress.warning] : [];
  warnings.push(
    "agentless servers do not appear in `kubectl get nodes`; node-enumerating operators (embedded etcd controller, system upgrade controller) cannot manage them",
  );
  return {
    args: [
      "--disable-agent",
      `--egress-selector-mode=${egress.mode}`,
      ...(o.rootless ? ["--rootless"] : []),
    ],
    egress,
    runsKubelet: false,
    runsContainerd: false,
    registersNode: false,
    containerRuntimeEndpoint: "/dev/null",
    skipped,
    warnings,
  };
}

export interface AgentlessDecisionInput {
  disableAgent?: boolean;
  /** `--cluster-reset`. */
  clusterReset?: boolean;
  /** Supervisor port; default equals `httpsPort`. */
  supervisorPort?: number;
  /** `--https-listen-port`; default 6443. */
  httpsPort?: number;
}

/**
 * Whether K3s will run without an agent: `--disable-agent`, or a `--cluster-reset` where the
 * supervisor and apiserver share a port (everything embedded; K3s forces agentless then).
 *
 * @example
 * ```ts
 * runsAgentless({ clusterReset: true }); // true (both ports default to 6443)
 * ```
 * @throws {HostError} `NODE_OPTION_INVALID` for a non-integer port.
 */
export function runsAgentless(input?: AgentlessDecisionInput): boolean {
  const o = checkOptions<AgentlessDecisionInput>(
    input,
    { disableAgent: is.boolean, clusterReset: is.boolean, supervisorPort: is.integer(), httpsPort: is.integer() },
    hostFail,
    "runsAgentless",
  );
  const https = o.httpsPort ?? 6443;
  const sup = o.supervisorPort ?? https;
  return Boolean(o.disableAgent) || (Boolean(o.clusterReset) && sup === https);
}
