/**
 * `k3s certificate` service names and the files behind them (§1.5, `pkg/util/services`).
 */
import { is } from "../internal/options.js";
import { CertError } from "./errors.js";
import { arg, optionalArg } from "./options.js";

export const SERVER_SERVICES = [
  "admin",
  "api-server",
  "controller-manager",
  "scheduler",
  "supervisor",
  "k3s-controller",
  "k3s-server",
  "cloud-controller",
  "etcd",
  "auth-proxy",
] as const;
export const AGENT_SERVICES = ["kube-proxy", "kubelet", "k3s-controller"] as const;
export type CertService = (typeof SERVER_SERVICES)[number] | (typeof AGENT_SERVICES)[number];

/** Files per service: `server` paths are relative to `<dd>/server/tls`, `agent` to `<dd>/agent`. */
const FILES: Record<CertService, { server: string[]; agent: string[] }> = {
  admin: { server: ["client-admin"], agent: [] },
  "api-server": { server: ["client-kube-apiserver", "serving-kube-apiserver"], agent: [] },
  "controller-manager": {
    server: ["client-controller", "kube-controller-manager/kube-controller-manager"],
    agent: [],
  },
  scheduler: { server: ["client-scheduler", "kube-scheduler/kube-scheduler"], agent: [] },
  supervisor: { server: ["client-supervisor"], agent: [] },
  "k3s-controller": { server: ["client-k3s-controller"], agent: ["client-k3s-controller"] },
  "k3s-server": { server: [], agent: [] },
  "cloud-controller": { server: ["client-k3s-cloud-controller"], agent: [] },
  etcd: { server: ["etcd/client", "etcd/server-client", "etcd/peer-server-client"], agent: [] },
  "auth-proxy": { server: ["client-auth-proxy"], agent: [] },
  kubelet: { server: [], agent: ["client-kubelet", "serving-kubelet"] },
  "kube-proxy": { server: [], agent: ["client-kube-proxy"] },
};

/**
 * Validates service names; defaults to All on a server, the agent list otherwise (§1.5).
 * @example
 * ```ts
 * resolveServices(["etcd"], true); // ["etcd"]
 * ```
 * @throws CertError `CERT_SERVICE_UNKNOWN` (`service <x> is not recognized`)
 */
export function resolveServices(services: readonly string[] | undefined, isServer: boolean): CertService[] {
  const what = "resolveServices";
  return servicesFor(optionalArg<string[]>(services, is.stringArray, "services", what), arg<boolean>(isServer, is.boolean, "isServer", what));
}

/** {@link resolveServices} on checked arguments. @internal */
export function servicesFor(services: readonly string[] | undefined, isServer: boolean): CertService[] {
  const all: string[] = [...SERVER_SERVICES, ...AGENT_SERVICES];
  if (!services || services.length === 0)
    return [...new Set(isServer ? all : [...AGENT_SERVICES])] as CertService[];
  for (const s of services) {
    if (!all.includes(s))
      throw new CertError("CERT_SERVICE_UNKNOWN", `service ${s.length > 80 ? `${s.slice(0, 80)}…` : s} is not recognized`, { value: s.length > 200 ? `${s.slice(0, 200)}…` : s });
  }
  return [...new Set(services)] as CertService[];
}

/** Base paths (without `.crt`/`.key`) of a service. */
export const serviceFiles = (s: CertService): { server: string[]; agent: string[] } => FILES[s];
