import { parseGoCIDR } from "../internal/go/net.js";
import { checkOptions, describe, is } from "../internal/options.js";
import { envGet, envPairs } from "./env.js";
import { ProxyError } from "./errors.js";
import { proxyFail } from "./options.js";

/** K3s's default cluster (pod) CIDR, IPv4. */
export const DEFAULT_CLUSTER_CIDR = "10.42.0.0/16";
/** K3s's default service CIDR, IPv4. */
export const DEFAULT_SERVICE_CIDR = "10.43.0.0/16";
/** Defaults on an IPv6-only node (`GetDefaultAddresses`, k3s-behaviours §5.1). */
export const DEFAULT_CLUSTER_CIDR_V6 = "fd00:42::/56";
/** Default service CIDR on an IPv6-only node. */
export const DEFAULT_SERVICE_CIDR_V6 = "fd00:43::/112";
/** K3s's default `--cluster-domain`. */
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

export interface NoProxyOptions {
  /** `--cluster-cidr` values (a list, or one comma-separated string). Default `10.42.0.0/16`. */
  clusterCIDRs?: string | readonly string[];
  /** `--service-cidr` values. Default `10.43.0.0/16`. */
  serviceCIDRs?: string | readonly string[];
  /** `--cluster-domain`. Default `cluster.local`. */
  clusterDomain?: string;
  /**
   * K3s augments `NO_PROXY` on servers only (`PrepareServer`); on `"agent"` the environment is
   * returned unchanged (as a copy). Default `"server"`.
   */
  role?: "server" | "agent";
}

function cidrList(name: string, value: string | readonly string[] | undefined, fallback: string): string {
  const raw = value === undefined ? [fallback] : typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(raw) && typeof value !== "string") {
    throw new ProxyError("PROXY_OPTION_INVALID", `option "${name}" must be a string or a list of strings`, {
      value,
    });
  }
  return raw
    .map((c) => {
      const parsed = typeof c === "string" ? parseGoCIDR(c.trim()) : undefined;
      if (!parsed)
        throw new ProxyError("PROXY_INVALID_CIDR", `option "${name}": ${describe(c)} is not a CIDR`, {
          value: c,
        });
      return parsed.text;
    })
    .join(",");
}

/**
 * Computes the `NO_PROXY` a K3s server runs with (`setNoProxyEnv`, k3s-behaviours §5.1): the
 * non-empty comma fields of `NO_PROXY`, then of `no_proxy` (whitespace kept, no de-duplication), then
 * `.svc`, `.<cluster-domain>`, the cluster CIDRs and the service CIDRs in Go's canonical form.
 * Returns a new environment with `NO_PROXY` set and `no_proxy` removed; the input is not changed.
 *
 * @example
 * ```ts
 * augmentNoProxy({ NO_PROXY: "127.0.0.0/8,,foo", no_proxy: "bar" }).NO_PROXY;
 * // "127.0.0.0/8,foo,bar,.svc,.cluster.local,10.42.0.0/16,10.43.0.0/16"
 * ```
 * @throws {ProxyError} `PROXY_INVALID_CIDR`, `PROXY_INVALID_DOMAIN`, `PROXY_OPTION_INVALID`.
 */
export function augmentNoProxy(
  env: Readonly<Record<string, string | undefined>>,
  options?: NoProxyOptions,
): Record<string, string> {
  const o = checkOptions<NoProxyOptions>(
    options,
    { clusterCIDRs: is.any, serviceCIDRs: is.any, clusterDomain: is.any, role: is.any },
    proxyFail,
    "augmentNoProxy",
  );
  const pairs = envPairs(env);
  const out: Record<string, string> = Object.fromEntries(pairs);
  const role = o.role ?? "server";
  if (role !== "server" && role !== "agent") {
    throw new ProxyError(
      "PROXY_OPTION_INVALID",
      `option "role" must be "server" or "agent", got ${describe(role)}`,
      { value: role },
    );
  }
  const clusters = cidrList("clusterCIDRs", o.clusterCIDRs, DEFAULT_CLUSTER_CIDR);
  const services = cidrList("serviceCIDRs", o.serviceCIDRs, DEFAULT_SERVICE_CIDR);
  const domain = o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  if (typeof domain !== "string" || domain === "" || /[,\s]/.test(domain)) {
    throw new ProxyError(
      "PROXY_INVALID_DOMAIN",
      `cluster domain ${describe(domain)} cannot go into NO_PROXY`,
      { value: domain },
    );
  }
  if (role === "agent") return out;
  const fields = (v: string | undefined) => (v ?? "").split(",").filter((f) => f !== "");
  const list = [
    ...fields(envGet(pairs, "NO_PROXY")),
    ...fields(envGet(pairs, "no_proxy")),
    ".svc",
    `.${domain}`,
    clusters,
    services,
  ];
  delete out.no_proxy;
  out.NO_PROXY = list.join(",");
  return out;
}
