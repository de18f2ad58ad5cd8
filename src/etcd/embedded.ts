/**
 * Runs the `etcd` binary as a child process on loopback with mTLS for clients and peers:
 * single-member init, multi-member init, join via MemberAdd, and remove.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { lookPath, splitPath } from "../internal/go/exec.js";
import { isKitError } from "../errors/index.js";
import { type SupervisedProcess, type SupervisorEvent, superviseProcess } from "../process/index.js";
import { EtcdError } from "./errors.js";
import { type EtcdClient, createEtcdClient } from "./client.js";
import type { Member } from "./gen/rpc.js";
import { readCertFile } from "./cert-file.js";
import { type EventListener, type KitEventBase, emit } from "../internal/events.js";
import { checkCall, checkEmbedded, checkStop, checkVia } from "./validate.js";

/** Certificate files for an embedded etcd (paths; from `/certs` or any PKI). */
export interface EmbeddedEtcdTls {
  /** CA that signs client certs and the server cert (K3s: `etcd/server-ca.crt`). */
  caFile: string;
  /** Server cert with SAN IP:127.0.0.1 (K3s: `etcd/server-client.crt`). */
  certFile: string;
  keyFile: string;
  /** Peer CA (K3s: `etcd/peer-ca.crt`). Default: `caFile`. */
  peerCaFile?: string;
  /** Peer cert, ServerAuth+ClientAuth (K3s: `etcd/peer-server-client.crt`). Default: `certFile`. */
  peerCertFile?: string;
  peerKeyFile?: string;
  /** Client cert the returned client uses (K3s: `etcd/client.crt`). */
  clientCertFile: string;
  clientKeyFile: string;
}

/** Events reported by {@link startEmbeddedEtcd}. */
export type EmbeddedEtcdEvent = EmbeddedEtcdMemberEvent | SupervisorEvent;

/** What happened to the member (the process itself reports `process.*` events). */
export interface EmbeddedEtcdMemberEvent extends KitEventBase {
  type: "etcd.spawned" | "etcd.ready" | "etcd.member-added" | "etcd.stopped" | "etcd.member-removed";
  name: string;
  pid?: number;
  memberId?: string;
}

/** Options of {@link startEmbeddedEtcd}. */
export interface EmbeddedEtcdOptions {
  /** etcd data dir (created by etcd, mode 0700). */
  dataDir: string;
  /** Member name, unique in the cluster. */
  name: string;
  clientPort: number;
  peerPort: number;
  /**
   * Address the member listens on and advertises (client and peer URLs), e.g. `127.0.0.12` for one of several
   * servers on one machine. Its certs need it as an IP SAN. Default `127.0.0.1`.
   */
  host?: string;
  tls: EmbeddedEtcdTls;
  /**
   * Members of a new multi-member cluster, name → peer URL (this member included). Start every
   * member with the same map. Default: this member alone.
   */
  initialCluster?: Record<string, string>;
  /** Join an existing cluster: MemberAdd through this client, then start with state "existing". */
  join?: EtcdClient;
  /** Path of the etcd binary. Default: `etcd` on PATH. */
  etcdBinary?: string;
  /** How long to wait until the member serves requests, ms. Default 30000. */
  readyTimeoutMs?: number;
  /** Extra etcd flags (e.g. `--heartbeat-interval=50`). */
  extraArgs?: readonly string[];
  /** Absolute path: etcd's output is appended here (0600). Default: kept in memory only. */
  logFile?: string;
  /** Restart etcd with backoff when it dies unexpectedly (as a node's supervisor does). Default false. */
  restart?: boolean;
  signal?: AbortSignal;
  onEvent?: EventListener<EmbeddedEtcdEvent>;
}

/** A running embedded etcd member. */
export interface EmbeddedEtcd {
  /** Client connected to this member only (mTLS). */
  readonly client: EtcdClient;
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly pid: number | undefined;
  /** Last lines of etcd's output (for diagnostics). */
  output(): string;
  /** etcd's command line (no secrets: file paths only). */
  readonly args: readonly string[];
  /** Stops the member: SIGTERM, then SIGKILL after `graceMs` (default 10000). `SIGKILL` kills at once. */
  stop(options?: { signal?: "SIGTERM" | "SIGKILL"; graceMs?: number }): Promise<void>;
  /**
   * Removes this member from the cluster (through `via`, default its own client), then stops it.
   * `deadlineMs` bounds each of the two etcd calls (MemberList, then MemberRemove, which etcd
   * refuses while the member is not yet counted active and is retried meanwhile); default: the
   * client's deadline for MemberList, 20000 for MemberRemove. `signal` aborts both.
   */
  remove(via?: EtcdClient, options?: { signal?: AbortSignal; deadlineMs?: number }): Promise<void>;
}

function memberEvent(o: EmbeddedEtcdOptions, e: Omit<EmbeddedEtcdMemberEvent, "time">): void {
  emit(o.onEvent as EventListener<EmbeddedEtcdMemberEvent> | undefined, e);
}

/** Finds `name` on PATH. @internal */
export async function findOnPath(name: string, path = process.env.PATH ?? ""): Promise<string | undefined> {
  return lookPath(name, splitPath(path).filter((d) => d !== ""));
}

/** Client and peer URLs of a member (IPv6 hosts bracketed). Pure. @internal */
export function urlsOf(o: Pick<EmbeddedEtcdOptions, "host" | "clientPort" | "peerPort">): {
  clientUrl: string;
  peerUrl: string;
} {
  const h = o.host ?? "127.0.0.1";
  const host = h.includes(":") ? `[${h}]` : h;
  return { clientUrl: `https://${host}:${o.clientPort}`, peerUrl: `https://${host}:${o.peerPort}` };
}

/** True when etcd has initialised `dataDir` (its WAL directory exists), K3s's `IsInitialized`. @internal */
export async function isInitialized(dataDir: string): Promise<boolean> {
  try {
    return (await stat(join(dataDir, "member", "wal"))).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether a joining member must be added, and the `--initial-cluster` it starts with, from the cluster's member
 * list (K3s's `join`): a member with this peer URL is this one (an added-but-unstarted member has no name yet).
 * Pure. @internal
 */
export function joinPlan(
  members: readonly Member[],
  name: string,
  peerUrl: string,
): { add: boolean; initialCluster: Record<string, string> } {
  const initialCluster: Record<string, string> = Object.create(null);
  let add = true;
  for (const m of members) {
    const self = m.peerURLs.includes(peerUrl);
    if (self) add = false;
    const url = m.peerURLs[0];
    if (!url) continue;
    initialCluster[self ? name : m.name || `m${m.id.toString(16)}`] = url;
  }
  if (add) initialCluster[name] = peerUrl;
  return { add, initialCluster };
}

/** Builds etcd's command line. Pure. @internal */
export function etcdArgs(
  o: EmbeddedEtcdOptions,
  initialCluster: Record<string, string>,
  state: "new" | "existing",
): string[] {
  const { clientUrl, peerUrl } = urlsOf(o);
  const t = o.tls;
  return [
    `--name=${o.name}`,
    `--data-dir=${o.dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${Object.entries(initialCluster)
      .map(([n, u]) => `${n}=${u}`)
      .join(",")}`,
    `--initial-cluster-state=${state}`,
    `--initial-cluster-token=k3s-node-kit`,
    "--client-cert-auth",
    `--trusted-ca-file=${t.caFile}`,
    `--cert-file=${t.certFile}`,
    `--key-file=${t.keyFile}`,
    "--peer-client-cert-auth",
    `--peer-trusted-ca-file=${t.peerCaFile ?? t.caFile}`,
    `--peer-cert-file=${t.peerCertFile ?? t.certFile}`,
    `--peer-key-file=${t.peerKeyFile ?? t.keyFile}`,
    ...(o.extraArgs ?? []),
  ];
}

/**
 * Starts an etcd member (the `etcd` binary, Debian package `etcd-server`) on 127.0.0.1 (or `host`) with mTLS
 * for clients and peers, waits until it serves requests and returns a client for it.
 * @throws ETCD_BINARY_MISSING, ETCD_OPTION_INVALID, ETCD_CERTS_MISSING, ETCD_START_FAILED, ETCD_START_TIMEOUT
 * @example
 * ```ts
 * const etcd = await startEmbeddedEtcd({ dataDir, name: "n1", clientPort: 2379, peerPort: 2380, tls });
 * await etcd.client.put("a", "1");
 * await etcd.stop();
 * ```
 */
export async function startEmbeddedEtcd(options: EmbeddedEtcdOptions): Promise<EmbeddedEtcd> {
  const o = checkEmbedded<EmbeddedEtcdOptions>(options);
  o.signal?.throwIfAborted();
  const bin = o.etcdBinary ?? (await findOnPath("etcd"));
  if (!bin) {
    throw new EtcdError(
      "ETCD_BINARY_MISSING",
      "the etcd binary is not on PATH: install the etcd-server package (apt-get install etcd-server)",
      {
        value: "etcd",
      },
    );
  }

  const [ca, cert, key] = await Promise.all([
    readCertFile(o.tls.caFile, o.signal),
    readCertFile(o.tls.clientCertFile, o.signal),
    readCertFile(o.tls.clientKeyFile, o.signal),
  ]);
  const { clientUrl, peerUrl } = urlsOf(o);

  let initialCluster: Record<string, string> = o.initialCluster ?? { [o.name]: peerUrl };
  let state: "new" | "existing" = "new";
  // K3s's join: a data dir etcd has already initialised restarts as it is (etcd ignores the initial
  // cluster then); a member already listed with this peer URL (added, then the start failed) is not added twice.
  if (o.join && !(await isInitialized(o.dataDir))) {
    const listed = await o.join.memberList({ signal: o.signal });
    const plan = joinPlan(listed, o.name, peerUrl);
    let members = listed;
    if (plan.add) {
      const res = await o.join.memberAdd([peerUrl], { signal: o.signal });
      memberEvent(o, { type: "etcd.member-added", name: o.name, memberId: res.member?.id.toString(16) });
      members = res.members;
    }
    initialCluster = joinPlan(members, o.name, peerUrl).initialCluster;
    state = "existing";
  }

  // The client's default deadlines (5 s; the long Snapshot/Defragment defaults) apply.
  const client = createEtcdClient({ endpoints: [clientUrl], tls: { ca, cert, key } });
  const args = etcdArgs(o, initialCluster, state);
  let proc: SupervisedProcess;
  try {
    proc = await superviseProcess({
      service: `etcd ${o.name}`,
      command: bin,
      args,
      ...(o.logFile ? { logFile: o.logFile } : {}),
      restart: o.restart ?? false,
      readyTimeoutMs: o.readyTimeoutMs ?? 30_000,
      ready: async (signal) => {
        await client.status({ deadlineMs: 1000, signal });
        return true;
      },
      onEvent: (e) => {
        if (e.type === "process.started") memberEvent(o, { type: "etcd.spawned", name: o.name, pid: e.pid });
        emit(o.onEvent, e);
      },
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (err) {
    client.close();
    if (isKitError(err, "PROCESS_NOT_READY")) {
      const timedOut = /not ready after/.test(err.message);
      throw new EtcdError(timedOut ? "ETCD_START_TIMEOUT" : "ETCD_START_FAILED", `etcd ${o.name} ${timedOut ? "did not become ready" : "exited during start"}: ${err.message}`, { value: o.name, cause: err });
    }
    if (isKitError(err, "PROCESS_NOT_FOUND")) {
      throw new EtcdError("ETCD_BINARY_MISSING", err.message, { value: bin, cause: err });
    }
    throw err;
  }
  const stop = async (stopOptions?: { signal?: "SIGTERM" | "SIGKILL"; graceMs?: number }) => {
    const so = checkStop<{ signal?: "SIGTERM" | "SIGKILL"; graceMs?: number }>(stopOptions);
    client.close();
    await proc.stop({ force: so.signal === "SIGKILL", ...(so.graceMs !== undefined ? { graceMs: so.graceMs } : {}) });
    memberEvent(o, { type: "etcd.stopped", name: o.name, pid: proc.pid() });
  };
  memberEvent(o, { type: "etcd.ready", name: o.name, pid: proc.pid() });

  return {
    client,
    name: o.name,
    clientUrl,
    peerUrl,
    args,
    get pid() {
      return proc.pid();
    },
    output: () => proc.output(),
    stop,
    async remove(via?: EtcdClient, removeOptions?: { signal?: AbortSignal; deadlineMs?: number }) {
      const c = checkVia<EtcdClient>(via) ?? client;
      const ro = checkCall(removeOptions, "EmbeddedEtcd.remove");
      const members = await c.memberList(ro);
      const me = members.find((m) => m.peerURLs.includes(peerUrl));
      if (me) {
        // etcd refuses (before applying) while the member is not yet counted active: retried within this deadline.
        await c.memberRemove(me.id, { deadlineMs: ro.deadlineMs ?? 20_000, ...(ro.signal ? { signal: ro.signal } : {}) });
        memberEvent(o, { type: "etcd.member-removed", name: o.name, memberId: me.id.toString(16) });
      }
      await stop();
    },
  };
}
