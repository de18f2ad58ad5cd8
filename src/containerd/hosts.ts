import { hostConfig } from "./check.js";
import { defaultHost, normalizeEndpointAddress, urlText } from "./endpoint.js";
// Go strconv.Quote (the engine's `%q`), for the paths K3s prints with `printf "%q"`.
import { ContainerdError } from "./errors.js";
import { quote as goQuote } from "../internal/go/quote.js";
import { trimEmptyText } from "./trim-empty.js";
import type { HostConfig, Registry, RegistryConfig, RegistryEndpoint } from "./types.js";

export type { HostConfig, RegistryEndpoint } from "./types.js";

/** Options of {@link registryHostConfigs}. */
export interface HostConfigsOptions {
  /** `--disable-default-registry-endpoint`. */
  noDefaultEndpoint?: boolean;
  /** The embedded registry (spegel) address `host:port`; `""` when it is off. */
  mirrorAddr?: string;
  /** Called for endpoints K3s would log and skip (invalid or duplicate). */
  onSkip?: (host: string, endpoint: string, reason: string) => void;
}

const emptyConfig = (): RegistryConfig => ({ Auth: null, TLS: null });

function configForHost(configs: Registry["Configs"], host: string): RegistryConfig {
  if (!configs) return emptyConfig(); // a nil map, as yaml.v2 leaves an absent `configs:`
  const h = defaultHost(host);
  if (h !== host && Object.hasOwn(configs, h)) return configs[h] ?? emptyConfig();
  return Object.hasOwn(configs, host) ? (configs[host] ?? emptyConfig()) : emptyConfig();
}

function defaultHostConfig(host: string, mirrorAddr: string, config: RegistryConfig): HostConfig {
  const { url } = normalizeEndpointAddress(host, mirrorAddr);
  return {
    program: "k3s",
    endpoints: [],
    default: { overridePath: false, url: host === "*" ? null : url, rewrites: {}, config },
  };
}

const urlOf = (e: RegistryEndpoint | null): string => (e?.url ? urlText(e.url) : "");

function hasConfig(e: RegistryEndpoint | null): boolean {
  return (
    e !== null &&
    (e.overridePath || e.config.Auth !== null || e.config.TLS !== null || Object.keys(e.rewrites).length > 0)
  );
}

/**
 * Merges registries.yaml mirrors and configs into one host config per registry directory, as
 * K3s's `getHostConfigs` does (k3s-behaviours §6.6). Keys are directory names (`*` → `_default`).
 * Pure.
 *
 * @example
 * ```ts
 * const hosts = registryHostConfigs(parseRegistriesYaml("mirrors:\n  docker.io:\n    endpoint: [registry.example.com:443]\n"));
 * renderHostsToml(hosts["docker.io"]); // server = "https://registry-1.docker.io/v2" ...
 * ```
 * @throws never (invalid endpoints are skipped and reported through `onSkip`).
 */
export function registryHostConfigs(
  registry: Registry,
  options: HostConfigsOptions = {},
): Record<string, HostConfig> {
  // The shape is checked before any iteration: Object.keys of a 4 MB string is 4 million keys.
  const isMap = (v: unknown) => v === null || v === undefined || (typeof v === "object" && !Array.isArray(v));
  if (
    typeof registry !== "object" ||
    registry === null ||
    !isMap(registry.Mirrors) ||
    !isMap(registry.Configs)
  )
    throw new ContainerdError(
      "CONTAINERD_OPTION_INVALID",
      "registry must be a parsed registries.yaml ({ Mirrors, Configs } maps)",
      {
        value:
          typeof registry !== "object" || registry === null
            ? "registry"
            : !isMap(registry.Mirrors)
              ? "registry.Mirrors"
              : "registry.Configs",
      },
    );
  const mirrorAddr = options.mirrorAddr ?? "";
  const hosts = new Map<string, HostConfig>();
  for (const host of Object.keys(registry.Configs ?? {}).sort()) {
    try {
      hosts.set(
        host === "*" ? "_default" : host,
        defaultHostConfig(host, mirrorAddr, registry.Configs[host] ?? emptyConfig()),
      );
    } catch (err) {
      options.onSkip?.(host, host, (err as Error).message);
    }
  }
  for (const host of Object.keys(registry.Mirrors ?? {}).sort()) {
    const mirror = registry.Mirrors[host];
    if (!mirror) continue;
    // K3s looks the host up before mapping "*" to "_default", so a wildcard mirror always starts fresh.
    let config = hosts.get(host);
    if (!config) {
      try {
        config = defaultHostConfig(host, mirrorAddr, configForHost(registry.Configs, host));
      } catch (err) {
        options.onSkip?.(host, host, (err as Error).message);
        continue;
      }
      if (options.noDefaultEndpoint) config.default = null;
      else if (host === "*" && config.default)
        config.default.url = { scheme: "", host: "", path: "", rawQuery: "", fragment: "" };
    }
    const seen = new Set<string>();
    mirror.Endpoints.forEach((endpoint, i) => {
      let n: ReturnType<typeof normalizeEndpointAddress>;
      try {
        n = normalizeEndpointAddress(endpoint, mirrorAddr);
      } catch (err) {
        options.onSkip?.(host, endpoint, `invalid endpoint URL: ${(err as Error).message}`);
        return;
      }
      const key = urlText(n.url);
      if (seen.has(key)) {
        options.onSkip?.(host, endpoint, "duplicate endpoint URL");
        return;
      }
      seen.add(key);
      const ep: RegistryEndpoint = {
        config: configForHost(registry.Configs, n.registry),
        // Rewrites never apply to the embedded registry endpoint.
        rewrites: n.url.host !== mirrorAddr ? { ...mirror.Rewrites } : {},
        overridePath: n.overridePath,
        url: n.url,
      };
      const cfg = config as HostConfig;
      if (i + 1 === mirror.Endpoints.length && urlOf(cfg.default) === key) cfg.default = ep;
      else cfg.endpoints.push(ep);
    });
    hosts.set(host === "*" ? "_default" : host, config);
  }
  const out: Record<string, HostConfig> = {};
  for (const name of [...hosts.keys()].sort()) {
    const c = hosts.get(name) as HostConfig;
    if (c.endpoints.length === 0 && !hasConfig(c.default)) continue;
    out[name] = c;
  }
  return out;
}

function tlsLines(cfg: RegistryConfig, indent: string): string[] {
  const t = cfg.TLS;
  if (!t) return [];
  const lines: string[] = [];
  if (t.CAFile) lines.push(`${indent}ca = [${goQuote(t.CAFile)}]`);
  if (t.CertFile || t.KeyFile)
    lines.push(`${indent}client = [[${goQuote(t.CertFile)}, ${goQuote(t.KeyFile)}]]`);
  if (t.InsecureSkipVerify) lines.push(`${indent}skip_verify = true`);
  return lines;
}

/**
 * Header line K3s writes first; a hosts.toml starting with it is K3s-managed.
 * @example
 * ```ts
 * text.startsWith(HOSTS_TOML_HEADER); // managed by K3s: may be removed
 * ```
 */
export const HOSTS_TOML_HEADER = "# File generated by k3s. DO NOT EDIT.\n";

/**
 * Renders one `hosts.toml` with the same text K3s's `HostsTomlTemplate` + `trimEmpty` give.
 *
 * @example
 * ```ts
 * renderHostsToml(registryHostConfigs(reg)["docker.io"]);
 * ```
 * @throws CONTAINERD_OPTION_INVALID when `host` is not a HostConfig object or a field has the wrong
 *   type; missing fields are Go zero values. Registry credentials are never part of the error.
 */
export function renderHostsToml(host: HostConfig): string {
  return hostsToml(hostConfig(host, "renderHostsToml"));
}

/** {@link renderHostsToml} without the argument check (writeContainerdHosts renders its own configs). */
export function hostsToml(host: HostConfig): string {
  const lines = [`# File generated by ${host.program}. DO NOT EDIT.`];
  const d = host.default;
  if (d) {
    if (d.url) lines.push(`server = "${urlText(d.url)}"`, 'capabilities = ["pull", "resolve", "push"]');
    lines.push(...tlsLines(d.config, ""));
  }
  lines.push("[host]");
  for (const e of host.endpoints) {
    const u = urlOf(e);
    lines.push(`[host."${u}"]`, '  capabilities = ["pull", "resolve"]');
    if (e.overridePath) lines.push("  override_path = true");
    lines.push(...tlsLines(e.config, "  "));
    const patterns = Object.keys(e.rewrites).sort();
    if (patterns.length > 0) {
      lines.push(`  [host."${u}".rewrite]`);
      for (const p of patterns) lines.push(`    "${p}" = "${e.rewrites[p]}"`);
    }
  }
  return trimEmptyText(lines.join("\n"));
}
