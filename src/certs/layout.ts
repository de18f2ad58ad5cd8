/**
 * The K3s server certificate layout (`GenServerDeps`, §1.2) and SAN list (§1.2 "SAN list"), as pure data.
 */
import { CertError } from "./errors.js";
import { ipBytes, ipText } from "./ip.js";
import type { LeafUsage } from "./generate.js";
import { is, type Check } from "../internal/options.js";
import { arg, name, options, required, san, sans as sanList, textList } from "./options.js";

/** The five K3s server CAs. */
export type ServerCAName = "client" | "server" | "request-header" | "etcd-server" | "etcd-peer";

export interface CASpec {
  name: ServerCAName;
  /** Paths relative to `<dataDir>/server/tls`. */
  cert: string;
  key: string;
  /** CN is `<prefix>-ca@<unix seconds>`. */
  prefix: string;
  /** Where the first cert is also copied for the controller-manager signer. */
  nochain?: string;
}

export interface LeafSpec {
  cert: string;
  key: string;
  ca: ServerCAName;
  commonName: string;
  organization: string[];
  usage: LeafUsage;
  altNames: string[];
  /** `cred/<name>.kubeconfig` written when this client cert is (re)generated. */
  kubeconfig?: string;
}

export const SERVER_CAS: readonly CASpec[] = [
  {
    name: "client",
    cert: "client-ca.crt",
    key: "client-ca.key",
    prefix: "k3s-client",
    nochain: "client-ca.nochain.crt",
  },
  {
    name: "server",
    cert: "server-ca.crt",
    key: "server-ca.key",
    prefix: "k3s-server",
    nochain: "server-ca.nochain.crt",
  },
  {
    name: "request-header",
    cert: "request-header-ca.crt",
    key: "request-header-ca.key",
    prefix: "k3s-request-header",
  },
  { name: "etcd-server", cert: "etcd/server-ca.crt", key: "etcd/server-ca.key", prefix: "etcd-server" },
  { name: "etcd-peer", cert: "etcd/peer-ca.crt", key: "etcd/peer-ca.key", prefix: "etcd-peer" },
];

/** Key-only files kept for old agents that send no CSR (§1.2). */
export const LEGACY_SHARED_KEYS = [
  "client-kube-proxy.key",
  "client-k3s-controller.key",
  "client-kubelet.key",
  "serving-kubelet.key",
] as const;
/** Deleted on every start (§1.2 legacy cleanup); their keys stay. */
export const LEGACY_REMOVED_CERTS = ["client-kube-proxy.crt", "client-k3s-controller.crt"] as const;

export interface LayoutInput {
  /** The full SAN list (see {@link serverSANs}). */
  sans: string[];
  clusterDomain: string;
  /** Skip `etcd/server-client.crt` (K3s `--disable-etcd`). */
  disableEtcd?: boolean;
}

/**
 * Every leaf of the K3s server layout, in K3s's order (§1.2 table).
 * @example
 * ```ts
 * serverLeafSpecs({ sans: serverSANs({ nodeName: "n1" }), clusterDomain: "cluster.local" }).map((s) => s.cert);
 * ```
 */
export function serverLeafSpecs(input: LayoutInput): LeafSpec[] {
  const what = "serverLeafSpecs";
  const o = options<LayoutInput>(input, { sans: sanList, clusterDomain: name, disableEtcd: is.boolean }, what);
  required(o, ["sans", "clusterDomain"], what);
  return leafSpecs(o);
}

/** {@link serverLeafSpecs} on checked input. @internal */
export function leafSpecs(input: LayoutInput): LeafSpec[] {
  const { sans, clusterDomain } = input;
  const local = ["localhost", "127.0.0.1", "::1"];
  const client = (cert: string, cn: string, o: string[], kubeconfig?: string): LeafSpec => ({
    cert: `${cert}.crt`,
    key: `${cert}.key`,
    ca: "client",
    commonName: cn,
    organization: o,
    usage: "client",
    altNames: [],
    ...(kubeconfig ? { kubeconfig } : {}),
  });
  const specs: LeafSpec[] = [
    client("client-admin", "system:admin", ["system:masters"], "cred/admin.kubeconfig"),
    client("client-supervisor", "system:k3s-supervisor", ["system:masters"], "cred/supervisor.kubeconfig"),
    client("client-controller", "system:kube-controller-manager", [], "cred/controller.kubeconfig"),
    client("client-scheduler", "system:kube-scheduler", [], "cred/scheduler.kubeconfig"),
    client("client-kube-apiserver", "system:apiserver", ["system:masters"], "cred/api-server.kubeconfig"),
    client(
      "client-k3s-cloud-controller",
      "k3s-cloud-controller-manager",
      [],
      "cred/cloud-controller.kubeconfig",
    ),
    {
      cert: "serving-kube-apiserver.crt",
      key: "serving-kube-apiserver.key",
      ca: "server",
      commonName: "kube-apiserver",
      organization: [],
      usage: "server",
      altNames: [
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        `kubernetes.default.svc.${clusterDomain}`,
        ...sans,
      ],
    },
    {
      cert: "kube-scheduler/kube-scheduler.crt",
      key: "kube-scheduler/kube-scheduler.key",
      ca: "server",
      commonName: "kube-scheduler",
      organization: [],
      usage: "server",
      altNames: local,
    },
    {
      cert: "kube-controller-manager/kube-controller-manager.crt",
      key: "kube-controller-manager/kube-controller-manager.key",
      ca: "server",
      commonName: "kube-controller-manager",
      organization: [],
      usage: "server",
      altNames: local,
    },
    {
      cert: "client-auth-proxy.crt",
      key: "client-auth-proxy.key",
      ca: "request-header",
      commonName: "system:auth-proxy",
      organization: [],
      usage: "client",
      altNames: [],
    },
    {
      cert: "etcd/client.crt",
      key: "etcd/client.key",
      ca: "etcd-server",
      commonName: "etcd-client",
      organization: [],
      usage: "client",
      altNames: [],
    },
    {
      cert: "etcd/peer-server-client.crt",
      key: "etcd/peer-server-client.key",
      ca: "etcd-peer",
      commonName: "etcd-peer",
      organization: [],
      usage: "both",
      altNames: ["kine.sock", ...sans],
    },
  ];
  if (!input.disableEtcd) {
    specs.push({
      cert: "etcd/server-client.crt",
      key: "etcd/server-client.key",
      ca: "etcd-server",
      commonName: "etcd-server",
      organization: [],
      usage: "both",
      altNames: ["kine.sock", ...sans],
    });
  }
  return specs;
}

/**
 * First usable IP of a CIDR (network + 1): the `kubernetes` Service IP.
 * @example
 * ```ts
 * firstServiceIP("10.43.0.0/16"); // "10.43.0.1"
 * ```
 * @throws CertError `CERT_OPTION_INVALID`
 */
export function firstServiceIP(cidr: string): string {
  return serviceIP(arg<string>(cidr, is.text, "cidr", "firstServiceIP"));
}

/** {@link firstServiceIP} on a checked string. @internal */
export function serviceIP(cidr: string): string {
  if (cidr.length > 64) throw new CertError("CERT_OPTION_INVALID", `invalid service CIDR ${cidr.slice(0, 64)}…`, { value: `${cidr.slice(0, 64)}…` });
  const [addr, bitsText] = cidr.split("/");
  const bytes = addr ? ipBytes(addr) : undefined;
  const prefix = Number(bitsText);
  if (!bytes || !Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8 || bitsText === "") {
    throw new CertError("CERT_OPTION_INVALID", `invalid service CIDR ${cidr}`, { value: cidr });
  }
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = (out[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = ((out[i] ?? 0) + 1) & 0xff;
    if (out[i] !== 0) break;
  }
  return ipText(out);
}

export interface ServerSANsInput {
  /** `--tls-san` values (comma-separated entries are split). */
  tlsSans?: string[];
  nodeName: string;
  nodeExternalIPs?: string[];
  /** Host name; its short form is added when it differs from the node name. */
  hostname?: string;
  nodeIPs?: string[];
  /** First service CIDR (comma-separated list allowed; only the first is used). Default `10.43.0.0/16`. */
  serviceCIDR?: string;
  advertiseIP?: string;
}

/**
 * The SAN list K3s puts on its serving certificates, in K3s's order (§1.2).
 *
 * @example
 * ```ts
 * serverSANs({ nodeName: "n1", tlsSans: ["k3s.example.com"] });
 * // ["k3s.example.com", "127.0.0.1", "::1", "localhost", "n1", "10.43.0.1"]
 * ```
 * @throws CertError `CERT_OPTION_INVALID` for an invalid service CIDR or empty node name
 */
export function serverSANs(input: ServerSANsInput): string[] {
  const what = "serverSANs";
  const o = options<ServerSANsInput>(input, SANS_SPEC, what);
  required(o, ["nodeName"], what);
  return sanListOf(o);
}

/** The checks of {@link ServerSANsInput}, shared with ensureServerCertificates. @internal */
export const SANS_SPEC: { readonly [K in keyof ServerSANsInput]-?: Check } = {
  tlsSans: textList,
  nodeName: san,
  nodeExternalIPs: sanList,
  hostname: san,
  nodeIPs: sanList,
  serviceCIDR: is.text,
  advertiseIP: san,
};

/** {@link serverSANs} on checked input. @internal */
export function sanListOf(input: ServerSANsInput): string[] {
  const out: string[] = [];
  for (const s of input.tlsSans ?? [])
    out.push(
      ...s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    );
  out.push("127.0.0.1", "::1", "localhost", input.nodeName);
  out.push(...(input.nodeExternalIPs ?? []));
  if (input.hostname) {
    const short = input.hostname.split(".")[0] ?? "";
    if (short && short !== input.nodeName) out.push(short);
  }
  out.push(...(input.nodeIPs ?? []));
  out.push(serviceIP((input.serviceCIDR ?? "10.43.0.0/16").split(",")[0]?.trim() ?? ""));
  if (input.advertiseIP) out.push(input.advertiseIP);
  return out;
}
