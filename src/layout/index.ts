/**
 * The K3s data-dir layout, in one place: every path K3s derives from `--data-dir` (k3s-behaviours
 * §0, §1.2, §6.1), built with Go's `filepath.Join` as K3s builds them. Pure: no disk, no globals.
 * Every module and the node plan take their paths from here.
 * @packageDocumentation
 */
import { KitError } from "../errors/index.js";
import { goIsAbs, goJoin } from "../internal/go/filepath.js";
import { type Fail, checkArg, checkOptions, is } from "../internal/options.js";

const layoutFail: Fail = (message, value) => new KitError("LAYOUT_OPTION_INVALID", message, { value });

/** K3s's data dir for a privileged node (`/var/lib/rancher/k3s`). */
export const DEFAULT_DATA_DIR = "/var/lib/rancher/k3s";
/** containerd state dir on Linux (holds the socket), `/run/k3s/containerd`. */
export const DEFAULT_CONTAINERD_STATE_DIR = "/run/k3s/containerd";

/**
 * K3s's default data dir: `/var/lib/rancher/k3s` as root, `~/.rancher/k3s` otherwise (and always
 * in rootless mode), as `k3s server` picks it.
 * @example
 * ```ts
 * defaultDataDir({ uid: 0, home: "/root" });        // "/var/lib/rancher/k3s"
 * defaultDataDir({ uid: 1000, home: "/home/me" });  // "/home/me/.rancher/k3s"
 * ```
 */
export function defaultDataDir(who: { uid: number | undefined; home: string; rootless?: boolean }): string {
  checkArg(who, is.record, "who", layoutFail, "defaultDataDir");
  const o = checkOptions<{ uid?: number; home?: string; rootless?: boolean }>(
    who,
    { uid: is.integer(0, 2 ** 32 - 1), home: is.nonEmptyString, rootless: is.boolean },
    layoutFail,
    "defaultDataDir",
  );
  if (o.home === undefined) throw layoutFail('defaultDataDir: option "home" is required', { option: "home" });
  who = o as typeof who;
  return who.uid === 0 && !who.rootless ? DEFAULT_DATA_DIR : goJoin(who.home, ".rancher", "k3s");
}

/** Every K3s path under one data dir. */
export interface K3sLayout {
  dataDir: string;
  server: {
    /** `<dd>/server` */
    dir: string;
    /** `<dd>/server/tls`: the server PKI. */
    tlsDir: string;
    /** `<dd>/server/tls/etcd`: etcd CAs and certs. */
    etcdTlsDir: string;
    /** `<dd>/server/cred`: kubeconfigs, passwd, ipsec. */
    credDir: string;
    /** `<dd>/server/cred/admin.kubeconfig` */
    adminKubeconfig: string;
    /** `<dd>/server/cred/passwd` */
    passwdFile: string;
    /** `<dd>/server/token`: the server token. */
    tokenFile: string;
    /** `<dd>/server/agent-token` */
    agentTokenFile: string;
    /** `<dd>/server/node-token` (a copy of the token, kept for old tooling). */
    nodeTokenFile: string;
    /** `<dd>/server/db/etcd`: embedded etcd data. */
    etcdDataDir: string;
    /** `<dd>/server/etc`: egress selector config and other generated server config. */
    etcDir: string;
    /** `<dd>/server/manifests` */
    manifestsDir: string;
  };
  agent: {
    /** `<dd>/agent` */
    dir: string;
    /** `<dd>/agent/etc` */
    etcDir: string;
    /** `<dd>/agent/etc/resolv.conf`: the stub K3s writes when the host's is not viable. */
    resolvConfStub: string;
    /** `<dd>/agent/etc/containerd`: the config and its templates (`config-v3.toml.tmpl`). */
    containerdEtcDir: string;
    /** `<dd>/agent/etc/containerd/config.toml` */
    containerdConfig: string;
    /** `<dd>/agent/etc/containerd/certs.d`: hosts.toml per registry. */
    registryDir: string;
    /** `<dd>/agent/containerd`: containerd root. */
    containerdRoot: string;
    /** `<dd>/agent/containerd/containerd.log` */
    containerdLog: string;
    /** `<dd>/agent/etc/cni/net.d` */
    cniConfDir: string;
    /** `<dd>/agent/kubelet` */
    kubeletRootDir: string;
    /** `<dd>/agent/etc/rancher/node/password` */
    nodePasswordFile: string;
    /** `<dd>/agent/cri-dockerd` */
    criDockerdRoot: string;
    /** `<dd>/agent/images` */
    imagesDir: string;
    /** `<dd>/agent` holds the agent's client and serving certs directly. */
    tlsDir: string;
  };
  /** `<dd>/data/current/bin`: K3s's bundled binaries and CNI plugins. */
  binDir: string;
  /** `<dd>/logs`: logs of the processes the SDK supervises. */
  logsDir: string;
}

/**
 * Every K3s path under `dataDir` (default {@link DEFAULT_DATA_DIR}).
 * @example
 * ```ts
 * k3sLayout("/var/lib/rancher/k3s").server.tlsDir;           // "/var/lib/rancher/k3s/server/tls"
 * k3sLayout("/var/lib/rancher/k3s").agent.containerdConfig;  // ".../agent/etc/containerd/config.toml"
 * ```
 * @throws {KitError} `LAYOUT_OPTION_INVALID` when `dataDir` is not a non-empty string without NUL
 *   (writers check that it is absolute at their own edge).
 */
export function k3sLayout(dataDir: string = DEFAULT_DATA_DIR): K3sLayout {
  checkArg(dataDir, dataDirCheck, "dataDir", layoutFail, "k3sLayout");
  const dd = goJoin(dataDir) || dataDir;
  const server = goJoin(dd, "server");
  const tls = goJoin(server, "tls");
  const cred = goJoin(server, "cred");
  const agent = goJoin(dd, "agent");
  const agentEtc = goJoin(agent, "etc");
  const containerdEtc = goJoin(agentEtc, "containerd");
  const containerdRoot = goJoin(agent, "containerd");
  return {
    dataDir: dd,
    server: {
      dir: server,
      tlsDir: tls,
      etcdTlsDir: goJoin(tls, "etcd"),
      credDir: cred,
      adminKubeconfig: goJoin(cred, "admin.kubeconfig"),
      passwdFile: goJoin(cred, "passwd"),
      tokenFile: goJoin(server, "token"),
      agentTokenFile: goJoin(server, "agent-token"),
      nodeTokenFile: goJoin(server, "node-token"),
      etcdDataDir: goJoin(server, "db", "etcd"),
      etcDir: goJoin(server, "etc"),
      manifestsDir: goJoin(server, "manifests"),
    },
    agent: {
      dir: agent,
      etcDir: agentEtc,
      resolvConfStub: goJoin(agentEtc, "resolv.conf"),
      containerdEtcDir: containerdEtc,
      containerdConfig: goJoin(containerdEtc, "config.toml"),
      registryDir: goJoin(containerdEtc, "certs.d"),
      containerdRoot,
      containerdLog: goJoin(containerdRoot, "containerd.log"),
      cniConfDir: goJoin(agentEtc, "cni", "net.d"),
      kubeletRootDir: goJoin(agent, "kubelet"),
      nodePasswordFile: goJoin(agentEtc, "rancher", "node", "password"),
      criDockerdRoot: goJoin(agent, "cri-dockerd"),
      imagesDir: goJoin(agent, "images"),
      tlsDir: agent,
    },
    binDir: goJoin(dd, "data", "current", "bin"),
    logsDir: goJoin(dd, "logs"),
  };
}

/**
 * The containerd state dir for a data dir: K3s's `/run/k3s/containerd` for the default data dir,
 * `<dd>/run/containerd` for any other (so nodes on temp dirs do not share one socket).
 * @example
 * ```ts
 * containerdStateDirFor("/tmp/k3s"); // "/tmp/k3s/run/containerd"
 * ```
 */
export function containerdStateDirFor(dataDir: string): string {
  checkArg(dataDir, dataDirCheck, "dataDir", layoutFail, "containerdStateDirFor");
  return dataDir === DEFAULT_DATA_DIR ? DEFAULT_CONTAINERD_STATE_DIR : goJoin(dataDir, "run", "containerd");
}

/** True when `p` is absolute by Go's rule (the data dir must be). */
export function isAbsoluteDataDir(p: unknown): p is string {
  return typeof p === "string" && p !== "" && !p.includes("\0") && goIsAbs(p);
}

const dataDirCheck = (v: unknown) => (typeof v === "string" && v.length > 4096 ? "is longer than 4096 characters" : is.nonEmptyString(v));
