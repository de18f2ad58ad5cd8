import { checkArg, is } from "../internal/options.js";
import { hostFail } from "./options.js";
/**
 * The `helm.cattle.io/v1` HelmChart custom resource of K3s's bundled helm-controller, as a typed
 * interface with a validator, because kubernetes-models has no model for it.
 *
 * Field names and types from k3s-io/helm-controller v0.17.1 (the version K3s main pins in go.mod):
 * `pkg/apis/helm.cattle.io/v1/types.go` and its generated CRD schema
 * (`pkg/crds/yaml/generated/helm.cattle.io_helmcharts.yaml`). Unknown spec fields are refused here
 * (the API server would prune them silently).
 */
import { HostError, type HostIssue } from "./errors.js";
import { yamlV2Document } from "../internal/go/yaml-v2.js";
import { isGoDuration } from "../internal/go/duration.js";

/** `corev1.LocalObjectReference`. */
export interface LocalObjectReference {
  name?: string;
}

/** A Secret to read chart values from (`valuesSecrets[]`). */
export interface HelmChartSecretSpec {
  name?: string;
  keys?: string[];
  ignoreUpdates?: boolean;
}

/** `HelmChartSpec` (helm-controller v0.17.1). */
export interface HelmChartSpec {
  /** Namespace the release is installed into (`helm -n`). */
  targetNamespace?: string;
  /** Create `targetNamespace` if missing (`helm --create-namespace`). */
  createNamespace?: boolean;
  /** Chart name in `repo`, or an OCI/HTTP URL. */
  chart?: string;
  version?: string;
  /** Chart repository URL (`helm --repo`). */
  repo?: string;
  repoCA?: string;
  repoCAConfigMap?: LocalObjectReference;
  /** `--set` values; strings that look like numbers/booleans/null are passed with `--set`, others with `--set-string`. */
  set?: Record<string, string | number>;
  /** Structured values (any JSON). */
  values?: unknown;
  /** Values as YAML text (`--values`). */
  valuesContent?: string;
  valuesSecrets?: HelmChartSecretSpec[];
  helmVersion?: string;
  bootstrap?: boolean;
  takeOwnership?: boolean;
  /** Base64 chart archive; overrides `chart` and `version`. */
  chartContent?: string;
  jobImage?: string;
  /** int32. */
  backOffLimit?: number;
  /** Go duration, e.g. `"10m"`. */
  timeout?: string;
  failurePolicy?: "abort" | "reinstall";
  authSecret?: LocalObjectReference;
  authPassCredentials?: boolean;
  insecureSkipTLSVerify?: boolean;
  plainHTTP?: boolean;
  dockerRegistrySecret?: LocalObjectReference;
  /** `corev1.PodSecurityContext` for the helm job pod (checked to be an object only). */
  podSecurityContext?: Record<string, unknown>;
  /** `corev1.SecurityContext` for the helm job container (checked to be an object only). */
  securityContext?: Record<string, unknown>;
  driver?: "secret" | "configmap";
}

/** A `helm.cattle.io/v1` HelmChart. */
export interface HelmChart {
  apiVersion: "helm.cattle.io/v1";
  kind: "HelmChart";
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: HelmChartSpec;
}

type FieldKind = "string" | "bool" | "int32" | "duration" | "ref" | "set" | "any" | "secrets" | "object";

const SPEC_FIELDS: Record<keyof HelmChartSpec, { kind: FieldKind; enum?: readonly string[] }> = {
  targetNamespace: { kind: "string" },
  createNamespace: { kind: "bool" },
  chart: { kind: "string" },
  version: { kind: "string" },
  repo: { kind: "string" },
  repoCA: { kind: "string" },
  repoCAConfigMap: { kind: "ref" },
  set: { kind: "set" },
  values: { kind: "any" },
  valuesContent: { kind: "string" },
  valuesSecrets: { kind: "secrets" },
  helmVersion: { kind: "string" },
  bootstrap: { kind: "bool" },
  takeOwnership: { kind: "bool" },
  chartContent: { kind: "string" },
  jobImage: { kind: "string" },
  backOffLimit: { kind: "int32" },
  timeout: { kind: "duration" },
  failurePolicy: { kind: "string", enum: ["abort", "reinstall"] },
  authSecret: { kind: "ref" },
  authPassCredentials: { kind: "bool" },
  insecureSkipTLSVerify: { kind: "bool" },
  plainHTTP: { kind: "bool" },
  dockerRegistrySecret: { kind: "ref" },
  podSecurityContext: { kind: "object" },
  securityContext: { kind: "object" },
  driver: { kind: "string", enum: ["secret", "configmap"] },
};

const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Helm release names: DNS-1123 subdomain, at most 53 characters.
const RELEASE_MAX = 53;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isPlainObject(v) && Object.values(v).every((x) => typeof x === "string");
}

function checkField(
  path: string,
  kind: FieldKind,
  v: unknown,
  allowed: readonly string[] | undefined,
): string | undefined {
  switch (kind) {
    case "string":
      if (typeof v !== "string") return "must be a string";
      if (allowed && !allowed.includes(v)) return `must be one of ${allowed.join(", ")}`;
      return undefined;
    case "bool":
      return typeof v === "boolean" ? undefined : "must be a boolean";
    case "int32":
      return typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31
        ? undefined
        : "must be a 32-bit integer";
    case "duration":
      return typeof v === "string" && isGoDuration(v) ? undefined : 'must be a Go duration such as "10m"';
    case "ref":
      return isPlainObject(v) &&
        Object.keys(v).every((k) => k === "name") &&
        (v.name === undefined || typeof v.name === "string")
        ? undefined
        : "must be { name: string }";
    case "set":
      if (!isPlainObject(v)) return "must be a mapping of value paths to strings or integers";
      for (const [k, x] of Object.entries(v)) {
        if (
          !(typeof x === "string" || (typeof x === "number" && Number.isInteger(x) && Math.abs(x) < 2 ** 31))
        ) {
          return `${path}.${k} must be a string or a 32-bit integer (int-or-string)`;
        }
      }
      return undefined;
    case "secrets":
      if (!Array.isArray(v)) return "must be a list";
      for (const s of v) {
        if (
          !isPlainObject(s) ||
          Object.keys(s).some((k) => !["name", "keys", "ignoreUpdates"].includes(k)) ||
          (s.name !== undefined && typeof s.name !== "string") ||
          (s.keys !== undefined && !(Array.isArray(s.keys) && s.keys.every((x) => typeof x === "string"))) ||
          (s.ignoreUpdates !== undefined && typeof s.ignoreUpdates !== "boolean")
        ) {
          return "items must be { name?: string, keys?: string[], ignoreUpdates?: boolean }";
        }
      }
      return undefined;
    case "object":
      return isPlainObject(v) ? undefined : "must be an object";
    case "any":
      return undefined;
  }
}

/**
 * Checks a HelmChart against the helm-controller CRD schema (plus name rules) and returns every
 * problem found.
 *
 * @example
 * ```ts
 * helmChartIssues({ apiVersion: "helm.cattle.io/v1", kind: "HelmChart", metadata: { name: "x" }, spec: { bootstrap: "yes" } });
 * // [{ code: "HELMCHART_INVALID", key: "spec.bootstrap", message: "spec.bootstrap must be a boolean", ... }]
 * ```
 * @throws never.
 */
export function helmChartIssues(obj: unknown): HostIssue[] {
  const issues: HostIssue[] = [];
  const add = (key: string, message: string, value: unknown) =>
    issues.push({ code: "HELMCHART_INVALID", path: key, message: `${key} ${message}`, value });
  if (!isPlainObject(obj)) {
    add("(root)", "must be an object", typeof obj);
    return issues;
  }
  for (const k of Object.keys(obj)) {
    if (!["apiVersion", "kind", "metadata", "spec"].includes(k)) add(k, "is not a HelmChart field", k);
  }
  if (obj.apiVersion !== "helm.cattle.io/v1")
    add("apiVersion", 'must be "helm.cattle.io/v1"', obj.apiVersion);
  if (obj.kind !== "HelmChart") add("kind", 'must be "HelmChart"', obj.kind);
  const meta = obj.metadata;
  if (!isPlainObject(meta)) {
    add("metadata", "must be an object", meta);
  } else {
    for (const k of Object.keys(meta)) {
      if (!["name", "namespace", "labels", "annotations"].includes(k))
        add(`metadata.${k}`, "is not supported here", k);
    }
    const name = meta.name;
    if (typeof name !== "string" || !DNS1123_SUBDOMAIN.test(name) || name.length > RELEASE_MAX) {
      add(
        "metadata.name",
        `must be a DNS-1123 name of at most ${RELEASE_MAX} characters (the Helm release name)`,
        name,
      );
    }
    if (
      meta.namespace !== undefined &&
      (typeof meta.namespace !== "string" || !DNS1123_LABEL.test(meta.namespace))
    ) {
      add("metadata.namespace", "must be a DNS-1123 label", meta.namespace);
    }
    if (meta.labels !== undefined && !isStringMap(meta.labels))
      add("metadata.labels", "must map strings to strings", "labels");
    if (meta.annotations !== undefined && !isStringMap(meta.annotations)) {
      add("metadata.annotations", "must map strings to strings", "annotations");
    }
  }
  const spec = obj.spec;
  if (!isPlainObject(spec)) {
    add("spec", "must be an object", spec);
    return issues;
  }
  for (const [k, v] of Object.entries(spec)) {
    const field = SPEC_FIELDS[k as keyof HelmChartSpec];
    if (field === undefined || !Object.hasOwn(SPEC_FIELDS, k)) {
      add(`spec.${k}`, "is not a HelmChart spec field", k);
      continue;
    }
    if (v === undefined) continue;
    const problem = checkField(`spec.${k}`, field.kind, v, field.enum);
    if (problem !== undefined) {
      if (problem.startsWith("spec."))
        issues.push({ code: "HELMCHART_INVALID", path: `spec.${k}`, message: problem, value: k });
      else add(`spec.${k}`, problem, typeof v === "object" ? k : v);
    }
  }
  if (spec.chart === undefined && spec.chartContent === undefined)
    add("spec.chart", "or spec.chartContent is required", undefined);
  if (
    typeof spec.targetNamespace === "string" &&
    spec.targetNamespace !== "" &&
    !DNS1123_LABEL.test(spec.targetNamespace)
  ) {
    add("spec.targetNamespace", "must be a DNS-1123 label", spec.targetNamespace);
  }
  return issues;
}

/**
 * Validates a HelmChart and returns it typed.
 *
 * @example
 * ```ts
 * const chart = validateHelmChart(JSON.parse(text));
 * ```
 * @throws HostError `HELMCHART_INVALID` with every problem in `issues`.
 */
export function validateHelmChart(obj: unknown): HelmChart {
  const issues = helmChartIssues(obj);
  if (issues.length > 0) {
    throw new HostError(
      "HELMCHART_INVALID",
      `invalid HelmChart: ${issues.map((i) => i.message).join("; ")}`,
      {
        value: issues[0]?.value,
        issues,
      },
    );
  }
  return obj as HelmChart;
}

/**
 * Validates HelmCharts and serialises them as one multi-document YAML manifest (for
 * `/var/lib/rancher/k3s/server/manifests/` or `kubectl apply -f`).
 *
 * @example
 * ```ts
 * writeFileSync("logging.yaml", helmChartsToYaml(rancherLoggingHelmCharts()));
 * ```
 * @throws HostError `HELMCHART_INVALID`.
 */
export function helmChartsToYaml(charts: readonly HelmChart[]): string {
  checkArg(charts, is.arrayOf(is.record), "charts", hostFail, "helmChartsToYaml");
  // Kubernetes reads manifests with a yaml.v2 fork (YAML 1.1): quote strings such as "yes", "0644".
  return charts
    .map((c) => `---\n${yamlV2Document(validateHelmChart(c)).toString({ lineWidth: 0 })}`)
    .join("");
}
