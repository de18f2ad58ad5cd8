/**
 * Logging sources from the spec page: "Additional Logging Sources" (Rancher logging installed
 * without Rancher, as two HelmCharts) and "Additional Network Policy Logging" (ulogd2 reading the
 * NFLOG group kube-router logs dropped packets to, written to a file).
 */
import { HostError } from "./errors.js";
import { type HelmChart, validateHelmChart } from "./helm-chart.js";

/** The chart repository the page adds as `rancher-charts`. */
export const RANCHER_CHARTS_REPO = "https://charts.rancher.io";

/** NFLOG group kube-router sends network-policy drops to (k3s-behaviours.md §15: fixed at 100). */
export const K3S_NFLOG_GROUP = 100;

/** Options for {@link rancherLoggingHelmCharts}. */
export interface RancherLoggingOptions {
  /** Namespace the releases go to (`helm -n`, created if missing). Default `cattle-logging-system`. */
  namespace?: string;
  /** Namespace of the HelmChart objects themselves. Default `kube-system`. */
  chartNamespace?: string;
  /** Chart version for both charts. Default: the latest in the repo (as `helm install` without `--version`). */
  version?: string;
  /** Chart repository. Default `https://charts.rancher.io`. */
  repo?: string;
}

const LOGGING_KEYS = new Set(["namespace", "chartNamespace", "version", "repo"]);
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function unknownOption(fn: string, options: object, allowed: Set<string>): void {
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) {
      throw new HostError("LOGGING_OPTION_INVALID", `unknown ${fn} option "${key}"`, { value: key });
    }
  }
}

/**
 * The two HelmChart manifests equivalent to the page's commands:
 * `helm install --create-namespace -n cattle-logging-system rancher-logging-crd rancher-charts/rancher-logging-crd`
 * and `helm install ... rancher-logging --set additionalLoggingSources.k3s.enabled=true rancher-charts/rancher-logging`.
 * helm-controller passes the string `"true"` with `--set` (it looks like a boolean), exactly as
 * the command line does. The CRD chart comes first; helm-controller retries the second until the
 * CRDs exist.
 *
 * @example
 * ```ts
 * const yaml = helmChartsToYaml(rancherLoggingHelmCharts({ namespace: "cattle-logging-system" }));
 * // drop into /var/lib/rancher/k3s/server/manifests/rancher-logging.yaml
 * ```
 * @throws HostError `LOGGING_OPTION_INVALID`, `LOGGING_OPTION_INVALID`, `LOGGING_NAMESPACE_INVALID`,
 *   `LOGGING_VERSION_INVALID`, `LOGGING_REPO_INVALID`, `HELMCHART_INVALID`.
 */
export function rancherLoggingHelmCharts(options: RancherLoggingOptions = {}): [HelmChart, HelmChart] {
  if (options === null || typeof options !== "object") {
    throw new HostError("LOGGING_OPTION_INVALID", "options must be an object", { value: options });
  }
  unknownOption("rancherLoggingHelmCharts", options, LOGGING_KEYS);
  const {
    namespace = "cattle-logging-system",
    chartNamespace = "kube-system",
    version,
    repo = RANCHER_CHARTS_REPO,
  } = options;
  for (const [what, ns] of [
    ["namespace", namespace],
    ["chartNamespace", chartNamespace],
  ] as const) {
    if (typeof ns !== "string" || !DNS1123_LABEL.test(ns)) {
      throw new HostError(
        "LOGGING_NAMESPACE_INVALID",
        `${what} "${String(ns)}" is not a DNS-1123 label`,
        {
          value: ns,
        },
      );
    }
  }
  if (version !== undefined && (typeof version !== "string" || !/^[\w.+-]+$/.test(version))) {
    throw new HostError("LOGGING_VERSION_INVALID", `chart version "${String(version)}" is not valid`, {
      value: version,
    });
  }
  if (typeof repo !== "string" || !/^(https?|oci):\/\/\S+$/.test(repo)) {
    throw new HostError(
      "LOGGING_REPO_INVALID",
      `chart repo "${String(repo)}" must be an http(s):// or oci:// URL`,
      {
        value: repo,
      },
    );
  }
  const chart = (name: string, extra: HelmChart["spec"]): HelmChart =>
    validateHelmChart({
      apiVersion: "helm.cattle.io/v1",
      kind: "HelmChart",
      metadata: { name, namespace: chartNamespace },
      spec: {
        repo,
        chart: name,
        ...(version === undefined ? {} : { version }),
        targetNamespace: namespace,
        createNamespace: true,
        ...extra,
      },
    });
  return [
    chart("rancher-logging-crd", {}),
    chart("rancher-logging", { set: { "additionalLoggingSources.k3s.enabled": "true" } }),
  ];
}

/** Options for {@link ulogdConfig}. */
export interface UlogdOptions {
  /** NFLOG group to read. Default 100, the group kube-router logs to (any other group gets nothing from K3s). */
  group?: number;
  /** Log file of the LOGEMU output. Default `/var/log/ulog/syslogemu.log` (as on the page). */
  file?: string;
  /**
   * Plugin directory: when given, `plugin=` lines are written for the stack's plugins (e.g.
   * `/usr/lib/x86_64-linux-gnu/ulogd` on Debian/Ubuntu amd64). Default: none, ulogd2 then loads
   * the plugins it finds in its own directory.
   */
  pluginDir?: string;
  /** ulogd's own log: a file path or `syslog`. Default `syslog`. */
  logfile?: string;
  /** ulogd log level: 1 debug, 3 info, 5 notice, 7 error, 8 fatal. Default 3. */
  loglevel?: 1 | 3 | 5 | 7 | 8;
  /** Flush each line (`sync=1`). Default true. */
  sync?: boolean;
}

const ULOGD_KEYS = new Set(["group", "file", "pluginDir", "logfile", "loglevel", "sync"]);
const STACK_PLUGINS = [
  "ulogd_inppkt_NFLOG.so",
  "ulogd_raw2packet_BASE.so",
  "ulogd_filter_IFINDEX.so",
  "ulogd_filter_IP2STR.so",
  "ulogd_filter_PRINTPKT.so",
  "ulogd_output_LOGEMU.so",
];

function checkPath(what: string, v: unknown, allowSyslog = false): string {
  if (allowSyslog && v === "syslog") return v;
  if (typeof v !== "string" || !v.startsWith("/") || /["\n\r\0]/.test(v)) {
    throw new HostError(
      "ULOGD_PATH_INVALID",
      `${what} must be an absolute path without quotes or newlines`,
      {
        value: v,
      },
    );
  }
  return v;
}

/**
 * A ulogd2 configuration (`/etc/ulogd.conf`) that reads NFLOG group 100 (`[log1] group=100`) and
 * writes one syslog-style line per dropped packet to `/var/log/ulog/syslogemu.log`, the page's
 * recipe. Restart ulogd2 after writing it.
 *
 * @example
 * ```ts
 * await writeFile("/etc/ulogd.conf", ulogdConfig({ pluginDir: "/usr/lib/x86_64-linux-gnu/ulogd" }));
 * ```
 * @throws HostError `ULOGD_GROUP_INVALID` (not an integer 0..65535), `ULOGD_PATH_INVALID`,
 *   `ULOGD_LOGLEVEL_INVALID`, `LOGGING_OPTION_INVALID`, `LOGGING_OPTION_INVALID`.
 */
export function ulogdConfig(options: UlogdOptions = {}): string {
  if (options === null || typeof options !== "object") {
    throw new HostError("LOGGING_OPTION_INVALID", "options must be an object", { value: options });
  }
  unknownOption("ulogdConfig", options, ULOGD_KEYS);
  const { group = K3S_NFLOG_GROUP, loglevel = 3, sync = true } = options;
  if (typeof group !== "number" || !Number.isInteger(group) || group < 0 || group > 65535) {
    throw new HostError(
      "ULOGD_GROUP_INVALID",
      `NFLOG group must be an integer 0..65535, got ${String(group)}`,
      {
        value: group,
      },
    );
  }
  if (![1, 3, 5, 7, 8].includes(loglevel)) {
    throw new HostError(
      "ULOGD_LOGLEVEL_INVALID",
      `loglevel must be 1, 3, 5, 7 or 8, got ${String(loglevel)}`,
      {
        value: loglevel,
      },
    );
  }
  if (typeof sync !== "boolean") {
    throw new HostError("LOGGING_OPTION_INVALID", "sync must be a boolean", { value: sync });
  }
  const file = checkPath("file", options.file ?? "/var/log/ulog/syslogemu.log");
  const logfile = checkPath("logfile", options.logfile ?? "syslog", true);
  const pluginDir = options.pluginDir === undefined ? undefined : checkPath("pluginDir", options.pluginDir);
  const lines = [
    `# ulogd2: NFLOG group ${group} -> ${file}`,
    "# K3s network-policy drops are logged by kube-router to NFLOG group 100.",
    "[global]",
    `logfile="${logfile}"`,
    `loglevel=${loglevel}`,
  ];
  if (pluginDir !== undefined) {
    const dir = pluginDir.replace(/\/+$/, "");
    for (const p of STACK_PLUGINS) lines.push(`plugin="${dir}/${p}"`);
  }
  lines.push(
    "stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU",
    "",
    "[log1]",
    `group=${group}`,
    "",
    "[emu1]",
    `file="${file}"`,
    `sync=${sync ? 1 : 0}`,
    "",
  );
  return lines.join("\n");
}
