/**
 * Typed table of the K3s `server` / `agent` flags a config file may set, with their value kinds.
 *
 * Facts from k3s `pkg/cli/cmds/server.go`, `agent.go`, `log.go`, `root.go` (main @ af977adf, see
 * k3s-behaviours.md §0): flag names, urfave/cli flag kinds, single-letter aliases and which command
 * accepts the flag. Written as data so the `K3sConfig` type is derived from it.
 */

/** Value kinds of urfave/cli flags as K3s declares them. */
export type K3sFlagKind = "string" | "bool" | "int" | "stringList" | "duration";

/** Which command accepts a flag. */
export type K3sFlagRole = "server" | "agent" | "both";

/** One row of the flag table. */
export interface K3sFlagSpec {
  readonly kind: K3sFlagKind;
  readonly role: K3sFlagRole;
  /** Single-letter (or alternative) names accepted for the same flag. */
  readonly aliases?: readonly string[];
  /** The value is a credential: never echoed in errors or warnings. */
  readonly secret?: boolean;
  /** Allowed values, when K3s checks them against a fixed set. */
  readonly values?: readonly string[];
  /** A pattern the value must match, with what to say when it does not. */
  readonly pattern?: { readonly re: RegExp; readonly expected: string };
  /** Hidden or deprecated in K3s (still accepted). */
  readonly hidden?: boolean;
}

const S = "string" as const;
const B = "bool" as const;
const I = "int" as const;
const L = "stringList" as const;
const D = "duration" as const;

/**
 * The known flags. Keys are the long names as written in `config.yaml`.
 */
export const K3S_FLAGS = {
  // Both commands (agent flags the server command embeds, logging, root flags).
  config: { kind: S, role: "both", aliases: ["c"] },
  debug: { kind: B, role: "both" },
  v: { kind: I, role: "both" },
  vmodule: { kind: S, role: "both" },
  log: { kind: S, role: "both", aliases: ["l"] },
  alsologtostderr: { kind: B, role: "both" },
  "bind-address": { kind: S, role: "both" },
  "data-dir": { kind: S, role: "both", aliases: ["d"] },
  token: { kind: S, role: "both", aliases: ["t"], secret: true },
  "token-file": { kind: S, role: "both" },
  // k3s-behaviours.md §2.3: only https:// server URLs are supported.
  server: {
    kind: S,
    role: "both",
    aliases: ["s"],
    pattern: { re: /^(https:\/\/.+)?$/, expected: "an https:// URL" },
  },
  "node-name": { kind: S, role: "both" },
  "with-node-id": { kind: B, role: "both" },
  "node-label": { kind: L, role: "both" },
  "node-taint": { kind: L, role: "both" },
  "image-credential-provider-bin-dir": { kind: S, role: "both" },
  "image-credential-provider-config": { kind: S, role: "both" },
  docker: { kind: B, role: "both", hidden: true },
  "container-runtime-endpoint": { kind: S, role: "both" },
  "default-runtime": { kind: S, role: "both" },
  "image-service-endpoint": { kind: S, role: "both" },
  "disable-default-registry-endpoint": { kind: B, role: "both" },
  "nonroot-devices": { kind: B, role: "both" },
  "pause-image": { kind: S, role: "both" },
  snapshotter: { kind: S, role: "both" },
  "private-registry": { kind: S, role: "both" },
  "airgap-extra-registry": { kind: L, role: "both", hidden: true },
  "node-ip": { kind: L, role: "both", aliases: ["i"] },
  "node-external-ip": { kind: L, role: "both" },
  "node-internal-dns": { kind: L, role: "both" },
  "node-external-dns": { kind: L, role: "both" },
  "resolv-conf": { kind: S, role: "both" },
  "flannel-iface": { kind: S, role: "both" },
  "flannel-conf": { kind: S, role: "both" },
  "flannel-cni-conf": { kind: S, role: "both" },
  "vpn-auth": { kind: S, role: "both", secret: true },
  "vpn-auth-file": { kind: S, role: "both" },
  "kubelet-arg": { kind: L, role: "both" },
  "kube-proxy-arg": { kind: L, role: "both" },
  "protect-kernel-defaults": { kind: B, role: "both" },
  "enable-pprof": { kind: B, role: "both" },
  "prefer-bundled-bin": { kind: B, role: "both" },
  selinux: { kind: B, role: "both" },
  "lb-server-port": { kind: I, role: "both" },
  rootless: { kind: B, role: "both" },
  // Agent only.
  "disable-apiserver-lb": { kind: B, role: "agent" },
  // Server only.
  "cluster-cidr": { kind: L, role: "server" },
  "service-cidr": { kind: L, role: "server" },
  "service-node-port-range": { kind: S, role: "server" },
  "cluster-dns": { kind: L, role: "server" },
  "cluster-domain": { kind: S, role: "server" },
  "kube-apiserver-arg": { kind: L, role: "server" },
  "etcd-arg": { kind: L, role: "server" },
  "kube-scheduler-arg": { kind: L, role: "server" },
  "kube-controller-manager-arg": { kind: L, role: "server" },
  "kube-cloud-controller-manager-arg": { kind: L, role: "server" },
  "https-listen-port": { kind: I, role: "server" },
  "supervisor-port": { kind: I, role: "server", hidden: true },
  "apiserver-port": { kind: I, role: "server", hidden: true },
  "apiserver-bind-address": { kind: S, role: "server", hidden: true },
  "advertise-address": { kind: S, role: "server" },
  "advertise-port": { kind: I, role: "server" },
  "tls-san": { kind: L, role: "server" },
  "tls-san-security": { kind: B, role: "server" },
  // pkg/agent/flannel: anything else fails with "Cannot configure unknown flannel backend".
  "flannel-backend": {
    kind: S,
    role: "server",
    values: ["none", "vxlan", "host-gw", "wireguard-native", "tailscale"],
  },
  "flannel-ipv6-masq": { kind: B, role: "server" },
  "flannel-external-ip": { kind: B, role: "server" },
  // k3s-behaviours.md §13: any other value is refused at start.
  "egress-selector-mode": { kind: S, role: "server", values: ["agent", "cluster", "pod", "disabled"] },
  "servicelb-namespace": { kind: S, role: "server" },
  "write-kubeconfig": { kind: S, role: "server", aliases: ["o"] },
  "write-kubeconfig-mode": { kind: S, role: "server" },
  "write-kubeconfig-group": { kind: S, role: "server" },
  "helm-job-image": { kind: S, role: "server" },
  "agent-token": { kind: S, role: "server", secret: true },
  "agent-token-file": { kind: S, role: "server" },
  "cluster-init": { kind: B, role: "server" },
  "cluster-reset": { kind: B, role: "server" },
  "cluster-reset-restore-path": { kind: S, role: "server" },
  "kine-tls": { kind: B, role: "server", hidden: true },
  // May embed a database password.
  "datastore-endpoint": { kind: S, role: "server", secret: true },
  "datastore-cafile": { kind: S, role: "server" },
  "datastore-certfile": { kind: S, role: "server" },
  "datastore-keyfile": { kind: S, role: "server" },
  "etcd-expose-metrics": { kind: B, role: "server" },
  "etcd-disable-snapshots": { kind: B, role: "server" },
  "etcd-snapshot-name": { kind: S, role: "server" },
  "etcd-snapshot-schedule-cron": { kind: S, role: "server" },
  "etcd-snapshot-reconcile-interval": { kind: D, role: "server" },
  "etcd-snapshot-retention": { kind: I, role: "server" },
  "etcd-snapshot-dir": { kind: S, role: "server" },
  "etcd-snapshot-compress": { kind: B, role: "server" },
  "etcd-s3": { kind: B, role: "server" },
  "etcd-s3-endpoint": { kind: S, role: "server" },
  "etcd-s3-endpoint-ca": { kind: S, role: "server" },
  "etcd-s3-skip-ssl-verify": { kind: B, role: "server" },
  "etcd-s3-access-key": { kind: S, role: "server", secret: true },
  "etcd-s3-secret-key": { kind: S, role: "server", secret: true },
  "etcd-s3-session-token": { kind: S, role: "server", secret: true },
  "etcd-s3-bucket": { kind: S, role: "server" },
  "etcd-s3-bucket-lookup-type": { kind: S, role: "server" },
  "etcd-s3-region": { kind: S, role: "server" },
  "etcd-s3-folder": { kind: S, role: "server" },
  "etcd-s3-retention": { kind: I, role: "server" },
  "etcd-s3-proxy": { kind: S, role: "server" },
  "etcd-s3-config-secret": { kind: S, role: "server" },
  "etcd-s3-insecure": { kind: B, role: "server" },
  "etcd-s3-timeout": { kind: D, role: "server" },
  "default-local-storage-path": { kind: S, role: "server" },
  disable: { kind: L, role: "server" },
  "disable-scheduler": { kind: B, role: "server" },
  "disable-cloud-controller": { kind: B, role: "server" },
  "disable-kube-proxy": { kind: B, role: "server" },
  "disable-network-policy": { kind: B, role: "server" },
  "disable-helm-controller": { kind: B, role: "server" },
  "disable-apiserver": { kind: B, role: "server", hidden: true },
  "disable-controller-manager": { kind: B, role: "server", hidden: true },
  "disable-etcd": { kind: B, role: "server", hidden: true },
  "embedded-registry": { kind: B, role: "server" },
  "supervisor-metrics": { kind: B, role: "server" },
  "system-default-registry": { kind: S, role: "server" },
  "secrets-encryption": { kind: B, role: "server" },
  // pkg/daemons/control/deps: anything else is "unsupported secrets-encryption-provider".
  "secrets-encryption-provider": { kind: S, role: "server", values: ["aescbc", "secretbox"] },
  "disable-agent": { kind: B, role: "server", hidden: true },
  "kube-controller-arg": { kind: L, role: "server", hidden: true },
  "kube-cloud-controller-arg": { kind: L, role: "server", hidden: true },
} as const satisfies Record<string, K3sFlagSpec>;

/** Long name of every known flag. */
export type K3sFlagName = keyof typeof K3S_FLAGS;

type KindType<K extends K3sFlagKind> = K extends "string"
  ? string
  : K extends "bool"
    ? boolean
    : K extends "int"
      ? number
      : K extends "stringList"
        ? string[]
        : string;

/**
 * A validated K3s configuration: every known key with its TypeScript type (durations are Go
 * duration strings such as `"5m"`).
 */
export type K3sConfig = { -readonly [K in K3sFlagName]?: KindType<(typeof K3S_FLAGS)[K]["kind"]> };

const ALIASES: ReadonlyMap<string, K3sFlagName> = (() => {
  const m = new Map<string, K3sFlagName>();
  for (const [name, spec] of Object.entries(K3S_FLAGS) as [K3sFlagName, K3sFlagSpec][]) {
    for (const a of spec.aliases ?? []) m.set(a, name);
  }
  return m;
})();

/**
 * Looks up a config key (long name or alias). Returns the canonical name and its spec, or
 * `undefined` for an unknown key.
 * @internal
 */
export function lookupK3sFlag(key: string): { name: K3sFlagName; spec: K3sFlagSpec } | undefined {
  if (Object.hasOwn(K3S_FLAGS, key)) {
    const name = key as K3sFlagName;
    return { name, spec: K3S_FLAGS[name] };
  }
  const name = ALIASES.get(key);
  return name === undefined ? undefined : { name, spec: K3S_FLAGS[name] };
}

/** True when `role`'s command accepts the flag. @internal */
export function flagAppliesTo(spec: K3sFlagSpec, role: "server" | "agent"): boolean {
  return spec.role === "both" || spec.role === role;
}
