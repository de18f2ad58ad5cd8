import { execFile } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { NodeError } from "./errors.js";
import { emit, type EventListener, type KitEventBase } from "../internal/events.js";
import { planNode, type NodeOptions, type NodePlan, type PlanStep } from "./plan.js";
import { superviseProcess, type SupervisedProcess, type SupervisorEvent } from "./supervisor.js";
import type { EtcdClient } from "../etcd/index.js";
import type { DetectedRuntimes } from "../runtime/index.js";

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
  /** mTLS etcd client (servers started with `start: true`). */
  etcd?: EtcdClient;
  /** Log files of the supervised processes. */
  logs: Record<string, string>;
  /** The command lines of the started processes (for diagnostics, or to run them yourself). No secrets. */
  commands: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  warnings: string[];
  /** Stops etcd and containerd (if started) and closes the etcd client. Idempotent. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/**
 * Prepares a K3s-style node and optionally runs its embedded stack: server PKI and token,
 * resolv.conf, proxy environment, labels/taints validation, rootless settings, runtime detection,
 * containerd config; with `start: true`, etcd (servers) and containerd as supervised child processes
 * with logs under `<dataDir>/logs`. Composition only: each step is one module's function, lazily
 * loaded. Re-running on the same data dir regenerates nothing that is still valid.
 *
 * @throws KitError from the module of the failing step (e.g. `NODE_OPTION_INVALID`,
 * `CONTAINERD_TEMPLATE_PARSE`, `PROCESS_NOT_FOUND` when etcd or containerd is not installed).
 * @example
 * ```ts
 * import { createNode } from "k3s-node-kit";
 * const node = await createNode({ dataDir: "/tmp/k3s-demo", start: true, onEvent: console.log });
 * await node.etcd!.put("hello", "world");
 * await node.stop();
 * ```
 */
export async function createNode(options: CreateNodeOptions = {}): Promise<Node> {
  const { onEvent, signal, readyTimeoutMs = 60_000 } = options;
  const plan = planNode(options);
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const forward = (e: KitEventBase) => emit(onEvent, e as NodeEvent);
  const started: SupervisedProcess[] = [];
  let etcdClient: EtcdClient | undefined;

  const step = async <T>(id: PlanStep["id"], body: () => Promise<T>, summarise?: (r: T) => Record<string, unknown>): Promise<T> => {
    const s = plan.steps.find((x) => x.id === id)!;
    signal?.throwIfAborted();
    emit<NodeStepEvent>(onEvent, { type: "node.step.start", step: id, description: s.description });
    const result = await body();
    emit<NodeStepEvent>(onEvent, { type: "node.step.done", step: id, description: s.description, detail: summarise?.(result) });
    return result;
  };
  const has = (id: PlanStep["id"]) => plan.steps.some((s) => s.id === id);

  const stopAll = async () => {
    etcdClient?.close();
    etcdClient = undefined;
    for (const p of started.splice(0).reverse()) await p.stop();
  };

  try {
    let token: string | undefined;
    let caHash: string | undefined;
    let certificates: Node["certificates"];
    if (has("certs")) {
      const certs = await import("../certs/index.js");
      const report = await step(
        "certs",
        () =>
          certs.ensureServerCertificates({
            dataDir: plan.dataDir,
            nodeName: plan.nodeName,
            sans: plan.tlsSans,
            nodeIPs: plan.nodeIPs,
            clusterDomain: plan.clusterDomain,
            serviceCIDR: plan.serviceCIDR,
            ...(options.now ? { now: options.now() } : {}),
            onEvent: forward,
            ...(signal ? { signal } : {}),
          }),
        (r) => ({ created: r.created.length, renewed: r.renewed.length, kept: r.kept.length }),
      );
      certificates = { created: report.created.length, renewed: report.renewed.length, kept: report.kept.length };
    }
    if (has("token")) {
      const tokens = await import("../tokens/index.js");
      const t = await step("token", () => tokens.generateServerToken({ dataDir: plan.dataDir, ...(options.token ? { token: options.token } : {}) }), (r) => ({ caHash: r.caHash }));
      token = t.token;
      caHash = t.caHash;
    }

    const dns = await import("../dns/index.js");
    const resolv = await step("resolv-conf", () => dns.locateResolvConf({ dataDir: plan.dataDir, ...(options.resolvConf ? { override: options.resolvConf } : {}), ...(signal ? { signal } : {}) }), (r) => ({ path: r.path, source: r.source }));
    if (resolv.warning) warnings.push(resolv.warning);

    const proxy = await import("../proxy/index.js");
    const cenv = await step("proxy-env", async () => proxy.containerdEnv(env), (r) => ({ proxyVariables: Object.keys(r.env).filter((k) => /^(https?_proxy|no_proxy)$/i.test(k)) }));

    const nodeMod = await import("../node/index.js");
    await step("node-labels", async () => validateLabelsAndTaints(nodeMod, options.nodeLabels ?? [], options.nodeTaints ?? []), (r) => r);

    let rootlessDisableCgroup = false;
    if (has("rootless")) {
      const rootless = await import("../rootless/index.js");
      await step("rootless", async () => rootless.rootlessSettingsFromEnv(env, { nodeIPs: plan.nodeIPs }), () => ({}));
      const cg = await rootless.checkCgroups();
      // K3s disables cgroups in rootless mode when the cpu or pids controller is not delegated (§10).
      rootlessDisableCgroup = !cg.delegated.includes("cpu") || !cg.delegated.includes("pids");
    }

    const runtime = await import("../runtime/index.js");
    const runtimes = await step("runtimes", () => runtime.detectRuntimes({ path: env.PATH ?? "" }), (r) => ({ runtimes: Object.keys(r) }));
    if (plan.defaultRuntime) runtime.resolveDefaultRuntime(plan.defaultRuntime, runtimes);

    const containerd = await import("../containerd/index.js");
    const version = plan.start ? await installedContainerdConfigVersion() : undefined;
    const cfg = containerd.containerdConfigFor({
      dataDir: plan.dataDir,
      stateDir: plan.paths.containerdState,
      snapshotter: plan.snapshotter,
      runtimes,
      ...(plan.defaultRuntime ? { defaultRuntime: plan.defaultRuntime } : {}),
      rootless: plan.rootless,
      disableCgroup: rootlessDisableCgroup,
      nodeName: plan.nodeName,
    });
    const written = await step(
      "containerd-config",
      () => containerd.writeContainerdConfig({ templateDir: plan.paths.containerdTemplateDir, configPath: plan.paths.containerdConfig, config: cfg, ...(version ? { defaultVersion: version } : {}), onEvent: forward, ...(signal ? { signal } : {}) }),
      (r) => ({ template: r.template, version: r.version }),
    );

    const logs: Record<string, string> = {};
    const commands: Node["commands"] = {};
    if (has("start-etcd")) {
      const etcd = await import("../etcd/index.js");
      const embedded = await import("../etcd/embedded.js");
      const etcdOptions = {
        dataDir: plan.paths.etcdDataDir,
        name: plan.nodeName,
        clientPort: plan.etcd.clientPort,
        peerPort: plan.etcd.peerPort,
        tls: etcd.k3sEmbeddedEtcdTls(plan.dataDir),
      };
      const peerUrl = `https://127.0.0.1:${plan.etcd.peerPort}`;
      const args = embedded.etcdArgs(etcdOptions, { [plan.nodeName]: peerUrl }, "new");
      logs.etcd = join(plan.paths.logsDir, "etcd.log");
      commands.etcd = { command: "etcd", args };
      const client = await etcd.etcdClientForK3s(plan.dataDir, [`https://127.0.0.1:${plan.etcd.clientPort}`]);
      etcdClient = client;
      await step("start-etcd", async () => {
        const p = await superviseProcess({
          service: "etcd",
          command: "etcd",
          args,
          logFile: logs.etcd!,
          readyTimeoutMs,
          ready: async () => {
            await client.status({ deadlineMs: 1000 });
            return true;
          },
          onEvent: forward,
          ...(signal ? { signal } : {}),
        });
        started.push(p);
        return p;
      }, (p) => ({ pid: p.pid() }));
    }

    if (has("start-containerd")) {
      logs.containerd = join(plan.paths.logsDir, "containerd.log");
      const args = [...containerd.containerdArgs(cfg, written.version), ...cenv.args];
      commands.containerd = { command: "containerd", args, env: cenv.env };
      await step("start-containerd", async () => {
        const p = await superviseProcess({
          service: "containerd",
          command: "containerd",
          args,
          env: cenv.env,
          logFile: logs.containerd!,
          readyTimeoutMs,
          ready: () => socketAccepts(plan.paths.containerdSocket),
          onEvent: forward,
          ...(signal ? { signal } : {}),
        });
        started.push(p);
        return p;
      }, (p) => ({ pid: p.pid(), socket: plan.paths.containerdSocket }));
    }

    let stopped = false;
    return {
      plan,
      dataDir: plan.dataDir,
      ...(token ? { token } : {}),
      ...(caHash ? { caHash } : {}),
      ...(certificates ? { certificates } : {}),
      ...(plan.role === "server" ? { kubeconfigPath: plan.paths.kubeconfig } : {}),
      resolvConf: { path: resolv.path, source: resolv.source, ...(resolv.warning ? { warning: resolv.warning } : {}) },
      runtimes,
      containerdConfig: { path: written.configPath, template: written.template, version: written.version },
      containerdEnv: cenv.env,
      containerdSocket: plan.paths.containerdSocket,
      ...(etcdClient ? { etcd: etcdClient } : {}),
      logs,
      commands,
      warnings,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

type NodeModule = typeof import("../node/index.js");

function validateLabelsAndTaints(nodeMod: NodeModule, labels: string[], taints: string[]): { labels: number; taints: number } {
  if (labels.length) {
    const v = nodeMod.validateNodeLabels(labels);
    if (!v.ok) {
      throw new NodeError("NODE_LABEL_INVALID", `invalid node labels: ${v.problems.map((p) => p.message).join("; ")}`, { value: v.problems.map((p) => p.value) });
    }
  }
  const parsed = taints.length ? nodeMod.parseTaints(taints) : undefined;
  return { labels: labels.length, taints: parsed?.taints.length ?? 0 };
}

/** containerd 1.x reads config version 2; 2.x reads version 3 (K3s's default). */
async function installedContainerdConfigVersion(): Promise<2 | 3> {
  try {
    const { stdout } = await run("containerd", ["--version"]);
    const containerd = await import("../containerd/index.js");
    return containerd.configVersionForContainerd(stdout);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new NodeError("PROCESS_NOT_FOUND", "containerd is not installed: install it (Debian: apt-get install containerd runc)", { value: "containerd", cause: err });
    }
    throw err;
  }
}

function socketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
