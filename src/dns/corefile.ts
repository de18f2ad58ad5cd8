import { checkOptions, describe, is } from "../internal/options.js";
import { DnsError } from "./errors.js";
import { dnsFail } from "./options.js";

/** Where the `coredns-custom` ConfigMap is mounted in the CoreDNS pod (k3s-behaviours §4). */
export const COREDNS_CUSTOM_DIR = "/etc/coredns/custom";
/** The import line inside the `.:53` block. */
export const COREDNS_OVERRIDE_IMPORT = `import ${COREDNS_CUSTOM_DIR}/*.override`;
/** The import line at top level, after the `.:53` block. */
export const COREDNS_SERVER_IMPORT = `import ${COREDNS_CUSTOM_DIR}/*.server`;

export interface CorefileOptions {
  /** `--cluster-domain`. Default `cluster.local`. */
  clusterDomain?: string;
}

const DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Renders the Corefile K3s ships in ConfigMap `kube-system/coredns` (`manifests/coredns.yaml`,
 * k3s-behaviours §4), with `%{CLUSTER_DOMAIN}%` substituted. The `*.override` import sits inside
 * `.:53` just before `forward`; the `*.server` import follows the block at top level.
 *
 * @example
 * ```ts
 * renderCorefile({ clusterDomain: "cluster.local" }).includes("import /etc/coredns/custom/*.server"); // true
 * ```
 * @throws {DnsError} `COREDNS_CLUSTER_DOMAIN_INVALID` when the domain is not a DNS-1123 subdomain;
 *   `DNS_OPTION_INVALID` for a non-object or an unknown option.
 */
export function renderCorefile(options?: CorefileOptions): string {
  const o = checkOptions<CorefileOptions>(options, { clusterDomain: is.any }, dnsFail, "renderCorefile");
  const domain = o.clusterDomain ?? "cluster.local";
  if (typeof domain !== "string" || domain.length > 253 || !DOMAIN.test(domain)) {
    throw new DnsError(
      "COREDNS_CLUSTER_DOMAIN_INVALID",
      `cluster domain ${describe(domain)} is not a DNS-1123 subdomain`,
      { value: typeof domain === "string" ? domain.slice(0, 300) : describe(domain) },
    );
  }
  return [
    ".:53 {",
    "    errors",
    "    health",
    "    ready",
    `    kubernetes ${domain} in-addr.arpa ip6.arpa {`,
    "      pods insecure",
    "      fallthrough in-addr.arpa ip6.arpa",
    "    }",
    "    hosts /etc/coredns/NodeHosts {",
    "      ttl 60",
    "      reload 15s",
    "      fallthrough",
    "    }",
    "    prometheus :9153",
    "    cache 30",
    "    loop",
    "    reload",
    "    loadbalance",
    `    ${COREDNS_OVERRIDE_IMPORT}`,
    "    forward . /etc/resolv.conf",
    "}",
    COREDNS_SERVER_IMPORT,
    "",
  ].join("\n");
}
