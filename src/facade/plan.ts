import { homedir, hostname } from "node:os";
import { goJoin } from "../internal/go/filepath.js";
import { goIPBytesString, parseGoCIDRBytes, parseGoIPBytes } from "../internal/go/ip.js";
import { type Check, checkOptions, is } from "../internal/options.js";
import { containerdStateDirFor, defaultDataDir, isAbsoluteDataDir, k3sLayout } from "../layout/index.js";
import { parseTaints, validateNodeLabels } from "../labels/index.js";
import { NodeError } from "./errors.js";

/** Options for {@link planNode} and `createNode()`. Every field is optional. */
export interface NodeOptions {
  /**
   * K3s data dir (absolute). Default: `/var/lib/rancher/k3s` as root, `~/.rancher/k3s` otherwise
   * (K3s's rule for `k3s server`).
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
  /** Server token (`--token`); a secure token is generated and saved when absent. Never logged, never in the plan. */
  token?: string;
  /**
   * `--server`: join the cluster of this running server (`https://host:port`) with `token` alone, as a K3s server
   * does: the CA bundle (checked against the token's CA hash) and bootstrap data are fetched and written before
   * this node's own certificates; with `start: true` its etcd member-adds itself to the cluster's etcd.
   * Servers only; `token` is required.
   */
  server?: string;
  /**
   * With `start: true` on a server: serve K3s's join endpoints (`/cacerts`, `/v1-k3s/server-bootstrap`,
   * `/db/info`) over HTTPS with the node's serving cert, so other servers can join with `server` + `token`
   * (`Node.joinUrl`). `host` default: the first node IP; `port` default 6443, 0 picks a free one.
   */
  joinEndpoints?: { host?: string; port?: number };
  /** containerd snapshotter. Default `overlayfs`. */
  snapshotter?: string;
  /** containerd default runtime (`--default-runtime`), must be detected. */
  defaultRuntime?: string;
  /** `--resolv-conf` override (absolute path). */
  resolvConf?: string;
  /** `--node-label` values, `key=value`. */
  nodeLabels?: string[];
  /** `--node-taint` values, `key=value:Effect`. */
  nodeTaints?: string[];
  /** Rootless mode: read `K3S_ROOTLESS_*` settings from `env`. */
  rootless?: boolean;
  /** Environment used for proxy and rootless settings and the runtime search PATH. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Start the embedded stack (etcd for servers, containerd) as supervised child processes. Default false. */
  start?: boolean | { etcd?: boolean; containerd?: boolean };
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

/**
 * One step of a plan, in the order it is applied, with every input it needs resolved. Host probes
 * are steps too. Pure data: serialisable, no secrets (a given token is only flagged).
 */
export type PlanStep =
  | Step<"join", { dataDir: string; server: string }>
  | Step<"certs", { dataDir: string; nodeName: string; sans: string[]; nodeIPs: string[]; clusterDomain: string; serviceCIDR: string }>
  | Step<"token", { dataDir: string; tokenGiven: boolean }>
  | Step<"resolv-conf", { dataDir: string; override?: string }>
  | Step<"proxy-env", Record<string, never>>
  | Step<"node-labels", { labels: string[]; taints: string[] }>
  | Step<"rootless", { nodeIPs: string[] }>
  | Step<"probe-cgroups", Record<string, never>>
  | Step<"runtimes", { path: string }>
  | Step<"probe-containerd", { command: string }>
  | Step<"containerd-config", { dataDir: string; stateDir: string; snapshotter: string; defaultRuntime?: string; rootless: boolean; nodeName: string; templateDir: string; configPath: string }>
  | Step<"start-etcd", { dataDir: string; tlsDataDir: string; name: string; host: string; clientPort: number; peerPort: number; logFile: string; join?: { server: string; deadlineMs: number } }>
  | Step<"save-bootstrap", { dataDir: string }>
  | Step<"serve-join", { dataDir: string; host: string; port: number }>
  | Step<"start-containerd", { socket: string; logFile: string }>;

interface Step<Id extends string, Input> {
  id: Id;
  description: string;
  input: Input;
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
  /** The server this node joins (`server` option), credentials removed; undefined for a first server. */
  joins?: string;
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

const fail = (message: string, value: unknown) => new NodeError("NODE_OPTION_INVALID", message, { value });

const SPEC = {
  dataDir: is.absolutePath,
  role: is.oneOf("server", "agent"),
  nodeName: is.nonEmptyString,
  nodeIPs: is.stringArray,
  tlsSans: is.stringArray,
  clusterCIDR: is.nonEmptyString,
  serviceCIDR: is.nonEmptyString,
  clusterDomain: is.nonEmptyString,
  token: is.nonEmptyString,
  server: is.nonEmptyString,
  joinEndpoints: is.record,
  snapshotter: is.nonEmptyString,
  defaultRuntime: is.nonEmptyString,
  resolvConf: is.absolutePath,
  nodeLabels: is.stringArray,
  nodeTaints: is.stringArray,
  rootless: is.boolean,
  env: is.record,
  start: ((v) =>
    typeof v === "boolean" ? undefined : is.record(v) === undefined ? undefined : "must be a boolean or { etcd?, containerd? }") as Check,
  etcd: is.record,
  containerdStateDir: is.absolutePath,
  now: is.function,
} as const;

/** The options `createNode()` adds; planNode accepts (and ignores) them so one object serves both. */
const APPLY_ONLY = { onEvent: is.any, signal: is.any, readyTimeoutMs: is.any } as const;

/**
 * Resolves `createNode()` options into a plan: every default, every path, every input, the steps
 * in order. Validates everything that can be checked without I/O — options and their types,
 * unknown option names, paths, ports, CIDRs, IPs, node name, node labels (kubelet and
 * NodeRestriction rules) and taints — so a refused input fails here, before anything is written.
 * Pure: reads nothing from disk (the host name and uid when those options are absent).
 *
 * @throws NodeError `NODE_OPTION_INVALID` naming the option and value; `NODE_LABEL_INVALID`;
 * `NODE_TAINT_INVALID`.
 * @example
 * ```ts
 * const plan = planNode({ dataDir: "/tmp/k3s", start: true });
 * console.log(plan.steps.map((s) => s.id)); // ["certs", "token", ..., "start-containerd"]
 * ```
 */
export function planNode(options: NodeOptions = {}): NodePlan {
  const o = checkOptions<NodeOptions & Record<keyof typeof APPLY_ONLY, unknown>>(options, { ...SPEC, ...APPLY_ONLY }, fail, "planNode");
  const role = o.role ?? "server";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const dataDir = o.dataDir ?? defaultDataDir({ uid: isRoot ? 0 : undefined, home: homedir(), rootless: o.rootless === true });
  if (!isAbsoluteDataDir(dataDir)) bad("dataDir", dataDir, "an absolute path");
  const nodeName = (o.nodeName ?? hostname()).toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName) || nodeName.length > 253) bad("nodeName", nodeName, "a DNS-1123 subdomain");
  const nodeIPs = o.nodeIPs ?? ["127.0.0.1"];
  for (const ip of nodeIPs) if (!parseGoIPBytes(ip)) bad("nodeIPs", ip, "an IP address");
  for (const san of o.tlsSans ?? []) if (san === "" || san.includes("\0") || /\s/.test(san)) bad("tlsSans", san, "a host name or IP");
  const clusterCIDR = cidr("clusterCIDR", o.clusterCIDR ?? "10.42.0.0/16");
  const serviceCIDR = cidr("serviceCIDR", o.serviceCIDR ?? "10.43.0.0/16");
  const clusterDomain = o.clusterDomain ?? "cluster.local";
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(clusterDomain)) bad("clusterDomain", clusterDomain, "a DNS domain");
  const snapshotter = o.snapshotter ?? "overlayfs";
  // `start: true` runs the whole stack; an object picks its parts (one containerd per host: its CRI stream
  // server port is fixed, so servers modelled on one machine start only etcd).
  const startIn =
    typeof o.start === "object"
      ? checkOptions<{ etcd?: boolean; containerd?: boolean }>(o.start, { etcd: is.boolean, containerd: is.boolean }, (message, value) => {
          const v = value as { option?: string };
          return fail(message.replace(/option "/, 'option "start.'), { ...v, option: `start.${v.option}` });
        }, "planNode")
      : { etcd: o.start === true, containerd: o.start === true };
  const startEtcd = startIn.etcd === true && role === "server";
  const startContainerd = startIn.containerd === true;
  const start = startEtcd || startContainerd;
  const etcdIn = checkOptions<{ clientPort?: number; peerPort?: number }>(
    o.etcd,
    { clientPort: is.port, peerPort: is.port },
    (message, value) => {
      const v = value as { option?: string };
      return fail(message.replace(/option "/, 'option "etcd.'), { ...v, option: `etcd.${v.option}` });
    },
    "planNode",
  );
  const etcd = { clientPort: etcdIn.clientPort ?? 2379, peerPort: etcdIn.peerPort ?? 2380 };
  const joins = o.server === undefined ? undefined : serverUrl(o.server, role, o.token);
  const joinIn = checkOptions<{ host?: string; port?: number }>(
    o.joinEndpoints,
    { host: is.nonEmptyString, port: is.integer(0, 65535) },
    (message, value) => {
      const v = value as { option?: string };
      return fail(message.replace(/option "/, 'option "joinEndpoints.'), { ...v, option: `joinEndpoints.${v.option}` });
    },
    "planNode",
  );
  if (o.joinEndpoints !== undefined && !startEtcd) bad("joinEndpoints", "joinEndpoints", "set only on a server that starts etcd");
  if (joinIn.host !== undefined && !parseGoIPBytes(joinIn.host)) bad("joinEndpoints.host", joinIn.host, "an IP address");
  // etcd listens and advertises on the node's first IP, so servers on other addresses can reach it.
  const etcdHost = nodeIPs[0] ?? "127.0.0.1";
  const env = o.env ?? process.env;
  const labels = o.nodeLabels ?? [];
  const taints = o.nodeTaints ?? [];
  checkLabels(labels);
  parseTaints(taints); // NODE_TAINT_INVALID with the kubelet's text

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
    if (joins !== undefined) {
      steps.push({ id: "join", description: `CA bundle and bootstrap data from ${joins}, checked against the token`, input: { dataDir, server: joins } });
    }
    steps.push({
      id: "certs",
      description: `server PKI under ${paths.tlsDir}`,
      input: { dataDir, nodeName, sans: o.tlsSans ?? [], nodeIPs, clusterDomain, serviceCIDR },
    });
    steps.push({ id: "token", description: `server token in ${paths.tokenFile}`, input: { dataDir, tokenGiven: o.token !== undefined } });
  }
  steps.push({ id: "resolv-conf", description: "locate a viable resolv.conf", input: { dataDir, ...(o.resolvConf ? { override: o.resolvConf } : {}) } });
  steps.push({ id: "proxy-env", description: "proxy environment for containerd", input: {} });
  steps.push({ id: "node-labels", description: "node labels and taints (checked by the plan)", input: { labels, taints } });
  if (o.rootless) {
    steps.push({ id: "rootless", description: "rootless settings from the environment", input: { nodeIPs } });
    steps.push({ id: "probe-cgroups", description: "cgroup v2 delegation (rootless)", input: {} });
  }
  steps.push({ id: "runtimes", description: "detect alternative container runtimes", input: { path: typeof env.PATH === "string" ? env.PATH : "" } });
  if (startContainerd) steps.push({ id: "probe-containerd", description: "installed containerd version (config v2 or v3)", input: { command: "containerd" } });
  steps.push({
    id: "containerd-config",
    description: `containerd config ${paths.containerdConfig}`,
    input: {
      dataDir,
      stateDir: containerdState,
      snapshotter,
      ...(o.defaultRuntime ? { defaultRuntime: o.defaultRuntime } : {}),
      rootless: o.rootless ?? false,
      nodeName,
      templateDir: paths.containerdTemplateDir,
      configPath: paths.containerdConfig,
    },
  });
  if (startEtcd) {
    steps.push({
      id: "start-etcd",
      description: `embedded etcd on ${etcdHost.includes(":") ? `[${etcdHost}]` : etcdHost}:${etcd.clientPort}${joins ? `, joining the cluster of ${joins}` : ""}`,
      input: {
        dataDir: paths.etcdDataDir,
        tlsDataDir: dataDir,
        name: nodeName,
        host: etcdHost,
        clientPort: etcd.clientPort,
        peerPort: etcd.peerPort,
        logFile: goJoin(paths.logsDir, "etcd.log"),
        // etcd refuses MemberAdd until its leader has been connected to every peer for 5 s: room beyond that.
        ...(joins ? { join: { server: joins, deadlineMs: 30_000 } } : {}),
      },
    });
    // K3s saves the cluster's CA material into the datastore on a first server's first start (create-only);
    // a joining server's data came from the datastore's owner.
    if (!joins) steps.push({ id: "save-bootstrap", description: "bootstrap data into etcd, encrypted under the server token", input: { dataDir } });
    if (o.joinEndpoints !== undefined) {
      const host = joinIn.host ?? etcdHost;
      const port = joinIn.port ?? 6443;
      steps.push({ id: "serve-join", description: `join endpoints on https://${host.includes(":") ? `[${host}]` : host}:${port}`, input: { dataDir, host, port } });
    }
  }
  if (startContainerd) steps.push({ id: "start-containerd", description: `containerd on ${paths.containerdSocket}`, input: { socket: paths.containerdSocket, logFile: goJoin(paths.logsDir, "containerd.log") } });
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
    ...(joins ? { joins } : {}),
    etcd,
    paths,
    steps,
  };
}

function checkLabels(labels: string[]): void {
  if (labels.length === 0) return;
  const v = validateNodeLabels(labels);
  if (!v.ok) {
    throw new NodeError("NODE_LABEL_INVALID", `invalid node labels: ${v.problems.map((p) => p.message).join("; ")}`, { value: v.problems.map((p) => p.value) });
  }
}

function bad(option: string, value: unknown, expected: string): never {
  const shown = typeof value === "string" && value.length > 80 ? `${value.slice(0, 80)}…` : value;
  throw fail(`planNode: option "${option}" must be ${expected}, got ${JSON.stringify(shown)}`, { option, value: shown });
}

/** `server`: an https URL; shown (plan, messages) without credentials. Needs a server role and a token. */
function serverUrl(value: string, role: string, token: string | undefined): string {
  const shown = value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return bad("server", shown, "an https:// URL");
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "") bad("server", shown, "an https:// URL without credentials");
  if (role !== "server") bad("server", shown, "set only on a server (agents do not join here)");
  if (token === undefined) bad("token", "(absent)", "given with server (K3s joins a cluster by its token)");
  return shown;
}

function cidr(option: string, value: string): string {
  if (!parseGoCIDRBytes(value)) bad(option, value, "a CIDR like 10.42.0.0/16");
  return value;
}

/** The n-th address of a CIDR (n=1: the first host address), as K3s derives the API service IP and DNS. */
function nthAddress(cidrText: string, n: number): string {
  const bytes = parseGoCIDRBytes(cidrText)!.network;
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const sum = bytes[i]! + carry;
    bytes[i] = sum & 0xff;
    carry = sum >> 8;
  }
  return goIPBytesString(bytes);
}
