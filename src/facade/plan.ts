import { hostname, homedir } from "node:os";
import { isAbsolute } from "node:path";
import ipaddr from "ipaddr.js";
import { goJoin } from "../internal/go/filepath.js";
import { containerdStateDirFor, defaultDataDir, k3sLayout } from "../layout/index.js";
import { NodeError } from "./errors.js";

/** Options for {@link planNode} and `createNode()`. Every field is optional. */
export interface NodeOptions {
  /**
   * K3s data dir. Default: `/var/lib/rancher/k3s` as root, `~/.rancher/k3s` otherwise (K3s's rule for
   * `k3s server`).
   */
  dataDir?: string;
  /** `"server"` (default) prepares PKI, token and etcd; `"agent"` only the agent side. */
  role?: "server" | "agent";
  /** Default: the host name, lower-cased (as K3s does). */
  nodeName?: string;
  /** Node IPs (SANs and rootless settings). Default `["127.0.0.1"]`. */
  nodeIPs?: string[];
  /** Extra SANs for the server certificates (`--tls-san`). */
  tlsSans?: string[];
  /** Default `10.42.0.0/16`. */
  clusterCIDR?: string;
  /** Default `10.43.0.0/16`. */
  serviceCIDR?: string;
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /** Server token (`--token`); a secure token is generated and saved when absent. Never logged. */
  token?: string;
  /** containerd snapshotter. Default `overlayfs`. */
  snapshotter?: string;
  /** containerd default runtime (`--default-runtime`), must be detected. */
  defaultRuntime?: string;
  /** `--resolv-conf` override. */
  resolvConf?: string;
  /** `--node-label` values, `key=value`. */
  nodeLabels?: string[];
  /** `--node-taint` values, `key=value:Effect`. */
  nodeTaints?: string[];
  /** Rootless mode: read `K3S_ROOTLESS_*` settings from `env`. */
  rootless?: boolean;
  /** Environment used for proxy and rootless settings. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Start the embedded stack (etcd for servers, containerd) as supervised child processes. Default false. */
  start?: boolean;
  /** etcd client/peer ports when `start` is set. Default: 2379/2380. */
  etcd?: { clientPort?: number; peerPort?: number };
  /**
   * containerd state dir (holds the socket). Default `/run/k3s/containerd` as K3s does, or
   * `<dataDir>/run/containerd` when `dataDir` is not the default (so demos on a temp dir do not collide).
   */
  containerdStateDir?: string;
  /** Clock, for certificate validity and renewal. */
  now?: () => Date;
}

/** One step of a plan, in the order it is applied. */
export interface PlanStep {
  id: "certs" | "token" | "agent-certs" | "resolv-conf" | "proxy-env" | "runtimes" | "containerd-config" | "node-labels" | "rootless" | "start-etcd" | "start-containerd";
  description: string;
}

/** What `createNode()` will do, with every default resolved. Pure data: serialisable, no secrets. */
export interface NodePlan {
  dataDir: string;
  role: "server" | "agent";
  nodeName: string;
  nodeIPs: string[];
  tlsSans: string[];
  clusterCIDR: string;
  serviceCIDR: string;
  clusterDomain: string;
  /** First IP of the service CIDR, the `kubernetes` service address (a SAN). */
  apiServiceIP: string;
  /** `clusterDNS` default: the 10th address of the service CIDR. */
  clusterDNS: string;
  snapshotter: string;
  defaultRuntime: string | undefined;
  rootless: boolean;
  start: boolean;
  etcd: { clientPort: number; peerPort: number };
  paths: {
    tlsDir: string;
    tokenFile: string;
    agentDir: string;
    containerdConfig: string;
    containerdTemplateDir: string;
    containerdRoot: string;
    containerdState: string;
    containerdSocket: string;
    etcdDataDir: string;
    logsDir: string;
    kubeconfig: string;
  };
  steps: PlanStep[];
}


/**
 * Resolves `createNode()` options into a plan: every default, every path, the steps in order.
 * Pure: reads nothing from disk (it may read the host name and uid when those options are absent).
 *
 * @throws NodeError `NODE_OPTION_INVALID` naming the option and value.
 * @example
 * ```ts
 * const plan = planNode({ dataDir: "/tmp/k3s", start: true });
 * console.log(plan.steps.map((s) => s.id)); // ["certs", "token", ..., "start-containerd"]
 * ```
 */
export function planNode(options: NodeOptions = {}): NodePlan {
  const o = options;
  const role = o.role ?? "server";
  if (role !== "server" && role !== "agent") bad("role", role, `"server" or "agent"`);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const dataDir = o.dataDir ?? defaultDataDir({ uid: isRoot ? 0 : undefined, home: homedir(), rootless: o.rootless === true });
  if (typeof dataDir !== "string" || !isAbsolute(dataDir)) bad("dataDir", dataDir, "an absolute path");
  const nodeName = (o.nodeName ?? hostname()).toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName) || nodeName.length > 253) bad("nodeName", nodeName, "a DNS-1123 subdomain");
  const nodeIPs = o.nodeIPs ?? ["127.0.0.1"];
  for (const ip of nodeIPs) if (!isStrictIP(ip)) bad("nodeIPs", ip, "an IP address");
  const clusterCIDR = cidr("clusterCIDR", o.clusterCIDR ?? "10.42.0.0/16");
  const serviceCIDR = cidr("serviceCIDR", o.serviceCIDR ?? "10.43.0.0/16");
  const clusterDomain = o.clusterDomain ?? "cluster.local";
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(clusterDomain)) bad("clusterDomain", clusterDomain, "a DNS domain");
  const snapshotter = o.snapshotter ?? "overlayfs";
  const start = o.start ?? false;
  const etcd = { clientPort: port("etcd.clientPort", o.etcd?.clientPort ?? 2379), peerPort: port("etcd.peerPort", o.etcd?.peerPort ?? 2380) };
  const containerdState = o.containerdStateDir ?? containerdStateDirFor(dataDir);
  const layout = k3sLayout(dataDir);
  const paths = {
    tlsDir: layout.server.tlsDir,
    tokenFile: layout.server.tokenFile,
    agentDir: layout.agent.dir,
    containerdConfig: layout.agent.containerdConfig,
    containerdTemplateDir: layout.agent.containerdEtcDir,
    containerdRoot: layout.agent.containerdRoot,
    containerdState,
    containerdSocket: goJoin(containerdState, "containerd.sock"),
    etcdDataDir: layout.server.etcdDataDir,
    logsDir: layout.logsDir,
    kubeconfig: layout.server.adminKubeconfig,
  };
  const steps: PlanStep[] = [];
  if (role === "server") {
    steps.push({ id: "certs", description: `server PKI under ${paths.tlsDir}` });
    steps.push({ id: "token", description: `server token in ${paths.tokenFile}` });
  }
  steps.push({ id: "resolv-conf", description: "locate a viable resolv.conf" });
  steps.push({ id: "proxy-env", description: "proxy environment for containerd" });
  steps.push({ id: "node-labels", description: "validate node labels and taints" });
  if (o.rootless) steps.push({ id: "rootless", description: "rootless settings from the environment" });
  steps.push({ id: "runtimes", description: "detect alternative container runtimes" });
  steps.push({ id: "containerd-config", description: `containerd config ${paths.containerdConfig}` });
  if (start && role === "server") steps.push({ id: "start-etcd", description: `embedded etcd on 127.0.0.1:${etcd.clientPort}` });
  if (start) steps.push({ id: "start-containerd", description: `containerd on ${paths.containerdSocket}` });
  return {
    dataDir,
    role,
    nodeName,
    nodeIPs,
    tlsSans: o.tlsSans ?? [],
    clusterCIDR,
    serviceCIDR,
    clusterDomain,
    apiServiceIP: nthAddress(serviceCIDR, 1),
    clusterDNS: nthAddress(serviceCIDR, 10),
    snapshotter,
    defaultRuntime: o.defaultRuntime,
    rootless: o.rootless ?? false,
    start,
    etcd,
    paths,
    steps,
  };
}

function bad(option: string, value: unknown, expected: string): never {
  throw new NodeError("NODE_OPTION_INVALID", `option ${option}: expected ${expected}, got ${JSON.stringify(value)}`, { value: { option, value } });
}

function cidr(option: string, value: string): string {
  try {
    ipaddr.parseCIDR(value);
  } catch {
    bad(option, value, "a CIDR like 10.42.0.0/16");
  }
  return value;
}

function port(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) bad(option, value, "a port 1..65535");
  return value;
}

/** The n-th address of a CIDR (n=1: the first host address), as K3s derives the API service IP and DNS. */
function nthAddress(cidrText: string, n: number): string {
  const [addr] = ipaddr.parseCIDR(cidrText);
  const network = addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidrText) : ipaddr.IPv6.networkAddressFromCIDR(cidrText);
  const bytes = network.toByteArray();
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const sum = bytes[i]! + carry;
    bytes[i] = sum & 0xff;
    carry = sum >> 8;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** ipaddr.js also accepts legacy IPv4 forms (`1.2.3`, hex parts); K3s (Go's net.ParseIP) does not. */
function isStrictIP(ip: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(ip) || (ip.includes(":") && ipaddr.IPv6.isValid(ip));
}
