import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { isKitError } from "../../../src/errors/index.js";
import {
  type HelmChart,
  K3S_NFLOG_GROUP,
  helmChartIssues,
  helmChartsToYaml,
  rancherLoggingHelmCharts,
  ulogdConfig,
  validateHelmChart,
} from "../../../src/host/index.js";

function caught(fn: () => unknown): {
  code?: string;
  message: string;
  value?: unknown;
  issues?: { path?: string }[];
} {
  try {
    fn();
  } catch (e) {
    if (!isKitError(e)) throw e;
    return e as { code: string; message: string };
  }
  throw new Error("expected a throw");
}

describe("rancherLoggingHelmCharts (spec: Additional Logging Sources)", () => {
  it("gives the two charts of the page's helm commands", () => {
    const [crd, logging] = rancherLoggingHelmCharts();
    expect(crd).toEqual({
      apiVersion: "helm.cattle.io/v1",
      kind: "HelmChart",
      metadata: { name: "rancher-logging-crd", namespace: "kube-system" },
      spec: {
        repo: "https://charts.rancher.io",
        chart: "rancher-logging-crd",
        targetNamespace: "cattle-logging-system",
        createNamespace: true,
      },
    });
    expect(logging.metadata.name).toBe("rancher-logging");
    expect(logging.spec.chart).toBe("rancher-logging");
    expect(logging.spec.targetNamespace).toBe("cattle-logging-system");
    // `--set additionalLoggingSources.k3s.enabled=true`: helm-controller passes "true" with --set.
    expect(logging.spec.set).toEqual({ "additionalLoggingSources.k3s.enabled": "true" });
  });

  it("honours namespace, chart namespace and version", () => {
    const charts = rancherLoggingHelmCharts({
      namespace: "logs",
      chartNamespace: "ops",
      version: "104.1.0+up4.4.0",
    });
    for (const c of charts) {
      expect(c.metadata.namespace).toBe("ops");
      expect(c.spec.targetNamespace).toBe("logs");
      expect(c.spec.version).toBe("104.1.0+up4.4.0");
    }
  });

  it("serialises to YAML that parses back to the same objects", () => {
    const charts = rancherLoggingHelmCharts({ version: "104.1.0+up4.4.0" });
    const text = helmChartsToYaml(charts);
    expect(text.startsWith("---\napiVersion: helm.cattle.io/v1\nkind: HelmChart\n")).toBe(true);
    // Kubernetes decodes manifests as YAML 1.1: the "true" string must stay a string there too.
    expect(text).toContain('additionalLoggingSources.k3s.enabled: "true"');
    for (const version of ["1.1", "1.2"] as const) {
      const docs = parseAllDocuments(text, { version });
      const back = (Array.isArray(docs) ? docs : []).map((d) => d.toJS());
      expect(back).toEqual(charts);
    }
  });

  it("quotes strings that yaml.v2 (Kubernetes' decoder) would read as numbers or booleans", () => {
    const text = helmChartsToYaml(rancherLoggingHelmCharts({ version: "0X1F" }));
    expect(text).toContain('version: "0X1F"');
  });

  it("refuses unknown options and bad values", () => {
    expect(caught(() => rancherLoggingHelmCharts({ nameSpace: "x" } as never)).code).toBe(
      "LOGGING_OPTION_INVALID",
    );
    expect(caught(() => rancherLoggingHelmCharts({ namespace: "Bad_NS" })).code).toBe(
      "LOGGING_NAMESPACE_INVALID",
    );
    expect(caught(() => rancherLoggingHelmCharts({ chartNamespace: "" })).code).toBe(
      "LOGGING_NAMESPACE_INVALID",
    );
    expect(caught(() => rancherLoggingHelmCharts({ version: "1 2" })).code).toBe("LOGGING_VERSION_INVALID");
    expect(caught(() => rancherLoggingHelmCharts({ repo: "charts.rancher.io" })).code).toBe(
      "LOGGING_REPO_INVALID",
    );
  });
});

describe("validateHelmChart (helm-controller v0.17.1 CRD schema)", () => {
  const good: HelmChart = {
    apiVersion: "helm.cattle.io/v1",
    kind: "HelmChart",
    metadata: { name: "traefik", namespace: "kube-system", labels: { a: "b" } },
    spec: {
      chart: "traefik",
      repo: "https://traefik.github.io/charts",
      set: { replicas: 2, "image.tag": "v3" },
      valuesContent: "a: 1\n",
      valuesSecrets: [{ name: "s", keys: ["values.yaml"], ignoreUpdates: true }],
      timeout: "10m",
      backOffLimit: 3,
      failurePolicy: "abort",
      authSecret: { name: "auth" },
      driver: "configmap",
      values: { deep: { any: [1, "x"] } },
      podSecurityContext: { runAsNonRoot: true },
    },
  };

  it("accepts a chart using the CRD's fields", () => {
    expect(validateHelmChart(good)).toBe(good);
    expect(helmChartIssues(good)).toEqual([]);
  });

  it("lists every problem with its path", () => {
    const bad = {
      apiVersion: "helm.cattle.io/v2",
      kind: "HelmChart",
      metadata: { name: "x".repeat(54), namespace: "Kube_System" },
      spec: {
        chart: "c",
        bootstrap: "yes",
        backOffLimit: 2 ** 31,
        timeout: "10",
        failurePolicy: "retry",
        set: { a: true },
        authSecret: { name: "a", extra: 1 },
        valuesSecrets: [{ name: 1 }],
        driver: "etcd",
        targetNamespace: "NS",
        nonsense: 1,
      },
      status: {},
    };
    const err = caught(() => validateHelmChart(bad));
    expect(err.code).toBe("HELMCHART_INVALID");
    expect((err.issues ?? []).map((i) => i.path).sort()).toEqual(
      [
        "status",
        "apiVersion",
        "metadata.name",
        "metadata.namespace",
        "spec.bootstrap",
        "spec.backOffLimit",
        "spec.timeout",
        "spec.failurePolicy",
        "spec.set",
        "spec.authSecret",
        "spec.valuesSecrets",
        "spec.driver",
        "spec.targetNamespace",
        "spec.nonsense",
      ].sort(),
    );
  });

  it("needs chart or chartContent, and an object", () => {
    expect(helmChartIssues({ ...good, spec: {} }).map((i) => i.path)).toEqual(["spec.chart"]);
    expect(helmChartIssues({ ...good, spec: { chartContent: "H4sI" } })).toEqual([]);
    expect(helmChartIssues("nope").map((i) => i.path)).toEqual(["(root)"]);
    expect(caught(() => helmChartsToYaml([{ ...good, kind: "Chart" } as unknown as HelmChart])).code).toBe(
      "HELMCHART_INVALID",
    );
  });
});

describe("ulogdConfig (spec: Additional Network Policy Logging)", () => {
  it("reads NFLOG group 100 in [log1] and writes /var/log/ulog/syslogemu.log", () => {
    const text = ulogdConfig();
    expect(K3S_NFLOG_GROUP).toBe(100);
    expect(text).toContain("[log1]\ngroup=100\n");
    expect(text).toContain('[emu1]\nfile="/var/log/ulog/syslogemu.log"\nsync=1\n');
    expect(text).toContain(
      "stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU\n",
    );
    expect(text).not.toContain("plugin=");
  });

  it("lists the stack's plugins when a plugin dir is given", () => {
    const text = ulogdConfig({
      group: 5,
      pluginDir: "/usr/lib/x86_64-linux-gnu/ulogd/",
      file: "/tmp/x.log",
      sync: false,
    });
    const plugins = text.split("\n").filter((l) => l.startsWith("plugin="));
    expect(plugins).toEqual([
      'plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_inppkt_NFLOG.so"',
      'plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_raw2packet_BASE.so"',
      'plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_filter_IFINDEX.so"',
      'plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_filter_IP2STR.so"',
      'plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_filter_PRINTPKT.so"',
      'plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_output_LOGEMU.so"',
    ]);
    expect(text).toContain("group=5\n");
    expect(text).toContain("sync=0\n");
  });

  it("refuses a group outside 0..65535 or not an integer, naming the value", () => {
    for (const group of [-1, 65536, 1.5, Number.NaN, "100" as unknown as number]) {
      const err = caught(() => ulogdConfig({ group }));
      expect(err.code).toBe("ULOGD_GROUP_INVALID");
      expect(err.value).toBe(group);
    }
    expect(ulogdConfig({ group: 0 })).toContain("group=0\n");
    expect(ulogdConfig({ group: 65535 })).toContain("group=65535\n");
  });

  it("refuses unknown options, relative or quoted paths and bad log levels", () => {
    expect(caught(() => ulogdConfig({ grp: 1 } as never)).code).toBe("LOGGING_OPTION_INVALID");
    expect(caught(() => ulogdConfig({ file: "ulog.log" })).code).toBe("ULOGD_PATH_INVALID");
    expect(caught(() => ulogdConfig({ file: '/x"y' })).code).toBe("ULOGD_PATH_INVALID");
    expect(caught(() => ulogdConfig({ loglevel: 2 as 1 })).code).toBe("ULOGD_LOGLEVEL_INVALID");
  });
});
