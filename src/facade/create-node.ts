import { connect } from "node:net";
import { checkListener, emit, type EventListener, type KitEventBase } from "../internal/events.js";
import { checkOptions, is } from "../internal/options.js";
import type { EtcdClient } from "../etcd/index.js";
import type { SupervisedProcess, SupervisorEvent } from "../process/index.js";
import type { DetectedRuntimes } from "../runtime/index.js";
import { NodeError } from "./errors.js";
import { planNode, type NodeOptions, type NodePlan, type PlanStep } from "./plan.js";

/** Events `createNode()` reports: step boundaries, plus the modules' own events passed through. */
export interface NodeStepEvent extends KitEventBase {
  type: "node.step.start" | "node.step.done";
  step: PlanStep["id"];
  description: string;
  /** Step result summary (never a secret). */
  detail?: Record<string, unknown>;
}
export type NodeEvent = NodeStepEvent | SupervisorEvent | (KitEventBase & Record<string, unknown>);

export interface CreateNodeOptions extends NodeOptions {
  /** Progress: step boundaries and the modules' events (certs created, template used, processes...). */
  onEvent?: EventListener<NodeEvent>;
  /** Aborts preparation and startup; a started stack is stopped again. */
  signal?: AbortSignal;
  /** Readiness timeout per process, ms. Default 60 000. */
  readyTimeoutMs?: number;
}

/** A prepared (and, with `start: true`, running) node. */
export interface Node {
  plan: NodePlan;
  dataDir: string;
  /** Server token `K10<ca-hash>::server:<password>` (servers only). A secret: do not log it. */
  token?: string;
  /** SHA-256 of `server-ca.crt`, the hash joining nodes check (servers only). */
  caHash?: string;
  /** Certificates created / renewed / kept on this run (servers only). */
  certificates?: { created: number; renewed: number; kept: number };
  /** Admin kubeconfig path (servers only). */
  kubeconfigPath?: string;
  resolvConf: { path: string; source: string; warning?: string };
  runtimes: DetectedRuntimes;
  containerdConfig: { path: string; template: string; version: 2 | 3 };
  /** Environment containerd is started with (proxy variables rewritten as K3s does). */
  containerdEnv: Record<string, string>;
  containerdSocket: string;
  /** Rootless settings read from the environment (rootless nodes only). */
  rootless?: { settings: unknown; cgroupsDisabled: boolean; warnings: string[] };
  /** mTLS etcd client (servers started with `start: true`). */
  etcd?: EtcdClient;
  /** URL of the join endpoints (`joinEndpoints`): give it with the token to `createNode({ server, token })` elsewhere. */
  joinUrl?: string;
  /** Log files of the supervised processes. */
  logs: Record<string, string>;
  /** The command lines of the started processes (for diagnostics, or to run them yourself). No secrets. */
  commands: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  warnings: string[];
  /** Stops etcd and containerd (if started) and closes the etcd client. Idempotent. */
  stop(): Promise<void>;
}

/** What the steps have produced so far; each apply function reads its inputs from its step and these. */
interface Applied {
  options: CreateNodeOptions;
  env: Record<string, string | undefined>;
  forward: (e: KitEventBase) => void;
  signal: AbortSignal | undefined;
  readyTimeoutMs: number;
  node: Partial<Node> & { warnings: string[]; logs: Record<string, string>; commands: Node["commands"] };
  started: { stop(): Promise<void> }[];
  containerdEnvArgs?: string[];
  containerdVersion?: 2 | 3;
  cgroupsDisabled: boolean;
  containerdConfig?: unknown;
}

type StepOf<K extends PlanStep["id"]> = Extract<PlanStep, { id: K }>;
type Apply<K extends PlanStep["id"]> = (step: StepOf<K>, s: Applied) => Promise<Record<string, unknown> | undefined>;

const withSignal = (s: Applied) => (s.signal ? { signal: s.signal } : {});

/** Each step id → the one module function that applies it. No rule lives here: the plan decided. */
const APPLY: { [K in PlanStep["id"]]: Apply<K> } = {
  async join(step, s) {
    const cluster = await import("../cluster/index.js");
    const r = await cluster.joinServerFiles({ dataDir: step.input.dataDir, server: s.options.server as string, token: s.options.token as string, ...withSignal(s) });
    if (r.warning) s.node.warnings.push(r.warning);
    return { caVerified: r.caVerified, reconcile: r.reconcile.reason, written: r.reconcile.written.length };
  },
  async certs(step, s) {
    const certs = await import("../certs/index.js");
    const r = await certs.ensureServerCertificates({ ...step.input, ...(s.options.now ? { now: s.options.now() } : {}), onEvent: s.forward, ...withSignal(s) });
    s.node.certificates = { created: r.created.length, renewed: r.renewed.length, kept: r.kept.length };
    return s.node.certificates;
  },
  async token(step, s) {
    const tokens = await import("../tokens/index.js");
    const t = await tokens.generateServerToken({ dataDir: step.input.dataDir, ...(s.options.token ? { token: s.options.token } : {}) });
    s.node.token = t.token;
    s.node.caHash = t.caHash;
    return { caHash: t.caHash };
  },
  async "resolv-conf"(step, s) {
    const dns = await import("../dns/index.js");
    const r = await dns.locateResolvConf({ dataDir: step.input.dataDir, ...(step.input.override ? { override: step.input.override } : {}), ...withSignal(s) });
    s.node.resolvConf = { path: r.path, source: r.source, ...(r.warning ? { warning: r.warning } : {}) };
    if (r.warning) s.node.warnings.push(r.warning);
    return { path: r.path, source: r.source };
  },
  async "proxy-env"(_step, s) {
    const proxy = await import("../proxy/index.js");
    const r = proxy.containerdEnv(s.env as Record<string, string>);
    s.node.containerdEnv = r.env;
    s.containerdEnvArgs = r.args;
    return { proxyVariables: Object.keys(r.env).filter((k) => /^(https?_proxy|no_proxy)$/i.test(k)) };
  },
  async "node-labels"(step) {
    // Checked by planNode; nothing is left to do but report.
    return { labels: step.input.labels.length, taints: step.input.taints.length };
  },
  async rootless(step, s) {
    const rootless = await import("../rootless/index.js");
    const settings = rootless.rootlessSettingsFromEnv(s.env as Record<string, string>, { nodeIPs: step.input.nodeIPs });
    s.node.rootless = { settings, cgroupsDisabled: false, warnings: [] };
    return {};
  },
  async "probe-cgroups"(_step, s) {
    const rootless = await import("../rootless/index.js");
    const report = await rootless.checkCgroups();
    s.cgroupsDisabled = rootless.rootlessDisablesCgroups(report);
    if (s.node.rootless) {
      s.node.rootless.cgroupsDisabled = s.cgroupsDisabled;
      s.node.rootless.warnings.push(...report.warnings);
    }
    s.node.warnings.push(...report.warnings);
    return { mode: report.mode, delegated: report.delegated, cgroupsDisabled: s.cgroupsDisabled };
  },
  async runtimes(step, s) {
    const runtime = await import("../runtime/index.js");
    s.node.runtimes = await runtime.detectRuntimes({ path: step.input.path });
    return { runtimes: Object.keys(s.node.runtimes) };
  },
  async "probe-containerd"(step, s) {
    const [proc, containerd] = await Promise.all([import("../process/index.js"), import("../containerd/index.js")]);
    const out = await proc.runProbe(step.input.command, ["--version"], { timeoutMs: 10_000, ...withSignal(s) });
    s.containerdVersion = containerd.configVersionForContainerd(out);
    return { configVersion: s.containerdVersion };
  },
  async "containerd-config"(step, s) {
    const containerd = await import("../containerd/index.js");
    const { templateDir, configPath, stateDir, ...rest } = step.input;
    const cfg = containerd.containerdConfigFor({ ...rest, stateDir, runtimes: s.node.runtimes ?? {}, disableCgroup: s.cgroupsDisabled });
    s.containerdConfig = cfg;
    const w = await containerd.writeContainerdConfig({ templateDir, configPath, config: cfg, ...(s.containerdVersion ? { defaultVersion: s.containerdVersion } : {}), onEvent: s.forward, ...withSignal(s) });
    s.node.containerdConfig = { path: w.configPath, template: w.template, version: w.version };
    return { template: w.template, version: w.version };
  },
  async "start-etcd"(step, s) {
    const etcd = await import("../etcd/index.js");
    const { tlsDataDir, logFile, join, ...input } = step.input;
    // Joining: the cluster's client URLs come from the server's /db/info, reached with the token alone.
    let via: EtcdClient | undefined;
    if (join) {
      const cluster = await import("../cluster/index.js");
      const members = await cluster.fetchEtcdMembers({ server: s.options.server as string, token: s.options.token as string, ...withSignal(s) });
      via = await etcd.etcdClientForK3s(tlsDataDir, { endpoints: members.flatMap((m) => m.clientURLs), deadlineMs: join.deadlineMs });
    }
    let member: Awaited<ReturnType<typeof etcd.startEmbeddedEtcd>>;
    try {
      member = await etcd.startEmbeddedEtcd({
        ...input,
        tls: etcd.k3sEmbeddedEtcdTls(tlsDataDir),
        logFile,
        restart: true,
        readyTimeoutMs: s.readyTimeoutMs,
        onEvent: s.forward,
        ...(via ? { join: via } : {}),
        ...withSignal(s),
      });
    } finally {
      via?.close();
    }
    s.started.push(member);
    s.node.etcd = member.client;
    s.node.logs.etcd = logFile;
    s.node.commands.etcd = { command: "etcd", args: [...member.args] };
    return { pid: member.pid, clientUrl: member.clientUrl, ...(join ? { joined: true } : {}) };
  },
  async "save-bootstrap"(step, s) {
    const cluster = await import("../cluster/index.js");
    const data = await cluster.readBootstrapFromDisk({ dataDir: step.input.dataDir, ...withSignal(s) });
    const r = await cluster.saveBootstrapToDatastore(s.node.etcd as EtcdClient, s.node.token as string, data, withSignal(s));
    return { key: r.key, created: r.created, fields: Object.keys(data).length };
  },
  async "serve-join"(step, s) {
    const cluster = await import("../cluster/index.js");
    const srv = await cluster.serveJoinEndpoints({ ...step.input, ...(s.node.etcd ? { etcd: s.node.etcd } : {}) });
    s.started.push({ stop: () => srv.close() });
    s.node.joinUrl = srv.url;
    return { url: srv.url };
  },
  async "start-containerd"(step, s) {
    const [containerd, proc] = await Promise.all([import("../containerd/index.js"), import("../process/index.js")]);
    const cfg = s.containerdConfig as Parameters<typeof containerd.containerdArgs>[0];
    const args = [...containerd.containerdArgs(cfg, s.node.containerdConfig!.version), ...(s.containerdEnvArgs ?? [])];
    s.node.logs.containerd = step.input.logFile;
    s.node.commands.containerd = { command: "containerd", args, env: s.node.containerdEnv ?? {} };
    const p: SupervisedProcess = await proc.superviseProcess({
      service: "containerd",
      command: "containerd",
      args,
      env: s.node.containerdEnv ?? {},
      logFile: step.input.logFile,
      readyTimeoutMs: s.readyTimeoutMs,
      ready: () => socketAccepts(step.input.socket),
      onEvent: s.forward,
      ...withSignal(s),
    });
    s.started.push(p);
    return { pid: p.pid(), socket: step.input.socket };
  },
};

const fail = (message: string, value: unknown) => new NodeError("NODE_OPTION_INVALID", message, { value });

/**
 * Prepares a K3s-style node and optionally runs its embedded stack: server PKI and token,
 * resolv.conf, proxy environment, rootless settings, runtime detection, containerd config; with
 * `start: true`, etcd (servers) and containerd as supervised child processes with logs under
 * `<dataDir>/logs`. `planNode()` decides and validates everything first (a refused input writes
 * nothing); this applies its steps in order, each through one module function, lazily loaded.
 * Re-running on the same data dir regenerates nothing that is still valid.
 *
 * @throws NodeError (`NODE_OPTION_INVALID`, `NODE_LABEL_INVALID`, `NODE_TAINT_INVALID`) before any
 * write; afterwards the KitError of the failing step's module (e.g. `CONTAINERD_TEMPLATE_PARSE`,
 * `PROCESS_NOT_FOUND` when etcd or containerd is not installed). Aborting rejects with the
 * signal's reason and stops what was started.
 * @example
 * ```ts
 * import { createNode } from "k3s-node-kit";
 * const node = await createNode({ dataDir: "/tmp/k3s-demo", start: true, onEvent: console.log });
 * await node.etcd!.put("hello", "world");
 * await node.stop();
 * ```
 */
export async function createNode(options: CreateNodeOptions = {}): Promise<Node> {
  const plan = planNode(options);
  const o = checkOptions<Pick<CreateNodeOptions, "onEvent" | "signal" | "readyTimeoutMs">>(
    { onEvent: options.onEvent, signal: options.signal, readyTimeoutMs: options.readyTimeoutMs },
    { onEvent: is.any, signal: is.signal, readyTimeoutMs: is.positive },
    fail,
    "createNode",
  );
  const onEvent = checkListener<NodeEvent>(o.onEvent, fail, "createNode");
  const s: Applied = {
    options,
    env: options.env ?? process.env,
    forward: (e) => emit(onEvent, e as NodeEvent),
    signal: o.signal,
    readyTimeoutMs: o.readyTimeoutMs ?? 60_000,
    node: { warnings: [], logs: {}, commands: {} },
    started: [],
    cgroupsDisabled: false,
  };
  const stopAll = async () => {
    s.node.etcd?.close();
    for (const p of s.started.splice(0).reverse()) await p.stop();
  };
  try {
    for (const step of plan.steps) {
      s.signal?.throwIfAborted();
      emit<NodeStepEvent>(onEvent, { type: "node.step.start", step: step.id, description: step.description });
      const detail = await (APPLY[step.id] as Apply<PlanStep["id"]>)(step, s);
      emit<NodeStepEvent>(onEvent, { type: "node.step.done", step: step.id, description: step.description, ...(detail ? { detail } : {}) });
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  let stopped = false;
  const n = s.node;
  return {
    plan,
    dataDir: plan.dataDir,
    ...(n.token ? { token: n.token } : {}),
    ...(n.caHash ? { caHash: n.caHash } : {}),
    ...(n.certificates ? { certificates: n.certificates } : {}),
    ...(plan.role === "server" ? { kubeconfigPath: plan.paths.kubeconfig } : {}),
    resolvConf: n.resolvConf!,
    runtimes: n.runtimes!,
    containerdConfig: n.containerdConfig!,
    containerdEnv: n.containerdEnv!,
    containerdSocket: plan.paths.containerdSocket,
    ...(n.rootless ? { rootless: n.rootless } : {}),
    ...(n.etcd ? { etcd: n.etcd } : {}),
    ...(n.joinUrl ? { joinUrl: n.joinUrl } : {}),
    logs: n.logs,
    commands: n.commands,
    warnings: n.warnings,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
  };
}

function socketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}
