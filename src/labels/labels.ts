import type { Problem } from "../errors/index.js";
import { type Fail, checkArg, is } from "../internal/options.js";
import { LabelError } from "./errors.js";

const labelFail: Fail = (message, value) => new LabelError("NODE_OPTION_INVALID", message, { value });
import { isQualifiedName, isValidLabelValue } from "./k8s-validation.js";

/** Labels the kubelet may set on its own Node (kubelet `well_known_labels.go`), sorted. */
export const KUBELET_LABELS: readonly string[] = Object.freeze([
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "beta.kubernetes.io/os",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "kubernetes.io/arch",
  "kubernetes.io/hostname",
  "kubernetes.io/os",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
]);
/** Namespaces (label prefixes) a kubelet may use freely, and their subdomains. */
export const KUBELET_LABEL_NAMESPACES: readonly string[] = Object.freeze([
  "kubelet.kubernetes.io",
  "node.kubernetes.io",
]);

function labelNamespace(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? "" : key.slice(0, slash);
}

/**
 * True for keys in the `kubernetes.io` / `k8s.io` namespaces (and their subdomains).
 *
 * @example
 * ```ts
 * isKubernetesLabel("app.kubernetes.io/name"); // true
 * ```
 * @throws {LabelError} `NODE_OPTION_INVALID` when `key` is not a string.
 */
export function isKubernetesLabel(key: string): boolean {
  return kubernetesLabel(checkArg<string>(key, is.text, "key", labelFail, "isKubernetesLabel"));
}

function kubernetesLabel(key: string): boolean {
  const ns = labelNamespace(key);
  return ns === "kubernetes.io" || ns.endsWith(".kubernetes.io") || ns === "k8s.io" || ns.endsWith(".k8s.io");
}

/**
 * True when a node may set this label itself (kubelet `IsKubeletLabel`; NodeRestriction enforces the same).
 *
 * @example
 * ```ts
 * isKubeletLabel("node.kubernetes.io/pool");        // true
 * isKubeletLabel("node-role.kubernetes.io/worker"); // false
 * ```
 * @throws {LabelError} `NODE_OPTION_INVALID` when `key` is not a string.
 */
export function isKubeletLabel(key: string): boolean {
  return kubeletLabel(checkArg<string>(key, is.text, "key", labelFail, "isKubeletLabel"));
}

function kubeletLabel(key: string): boolean {
  if (KUBELET_LABELS.includes(key)) return true;
  const ns = labelNamespace(key);
  return KUBELET_LABEL_NAMESPACES.some((a) => ns === a || ns.endsWith(`.${a}`));
}

/** One label as K3s's start-up patch applies it. */
export interface NodeLabel {
  key: string;
  value: string;
}

/** What the `--node-label` flags turn into. */
export interface ParsedNodeLabels {
  /** The kubelet's `--node-labels` argument: the flags joined with `,`. */
  kubeletArg: string;
  /** The labels the kubelet registers (its `key=value` map parse: split on `,`, trim). */
  kubelet: Record<string, string>;
  /** The labels K3s re-applies on every start (one per flag, split on the first `=`, no trimming). */
  reapply: NodeLabel[];
}

/**
 * Turns `--node-label` flag values into what K3s does with them (k3s-behaviours §11): the kubelet
 * gets them joined with `,` and parses that as a `key=value` map (empty items skipped, an item
 * without `=` is an error, key and value trimmed); K3s itself re-applies each flag on every start as
 * `key=value` split on the first `=` (no `=` → empty value). One flag per label keeps the two equal.
 *
 * @example
 * ```ts
 * parseNodeLabels(["foo=bar", "example.com/x=y"]).kubelet; // { foo: "bar", "example.com/x": "y" }
 * parseNodeLabels(["a=b,c=d"]).reapply;                    // [{ key: "a", value: "b,c=d" }]
 * ```
 * @throws {LabelError} `NODE_LABEL_MALFORMED` with the kubelet's text `malformed pair, expect
 *   string=string` (an item without `=`, or a whitespace-only item); `NODE_OPTION_INVALID` when not a
 *   list of strings.
 */
export function parseNodeLabels(flags: readonly string[]): ParsedNodeLabels {
  if (!Array.isArray(flags) || flags.some((f) => typeof f !== "string")) {
    throw new LabelError("NODE_OPTION_INVALID", "node labels must be a list of strings", { value: flags });
  }
  const kubeletArg = flags.join(",");
  const kubelet: Record<string, string> = {};
  for (const item of kubeletArg.split(",")) {
    if (item.length === 0) continue;
    const eq = item.indexOf("=");
    if (eq < 0)
      throw new LabelError("NODE_LABEL_MALFORMED", "malformed pair, expect string=string", {
        value: item,
      });
    kubelet[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  const reapply = flags.map((f) => {
    const eq = f.indexOf("=");
    return eq < 0 ? { key: f, value: "" } : { key: f.slice(0, eq), value: f.slice(eq + 1) };
  });
  return { kubeletArg, kubelet, reapply };
}

/** One problem with the node labels. */
export type NodeLabelProblem = Problem<"MALFORMED" | "RESTRICTED" | "INVALID_KEY" | "INVALID_VALUE" | "REAPPLY_INVALID"> & {
  /** The flag value, label key or value concerned. */
  value: string;
};

export interface NodeLabelValidation {
  ok: boolean;
  /** The error the kubelet would stop with (its exact text), if any. */
  kubeletError?: string;
  /** Every problem found, including the ones the kubelet would only reach after the first. */
  problems: NodeLabelProblem[];
}

/**
 * Checks `--node-label` flags the way the kubelet (`ValidateKubeletFlags`) and the NodeRestriction
 * admission plugin will (k3s-behaviours §11), and returns every problem: malformed items; keys in the
 * `kubernetes.io`/`k8s.io` namespaces a node may not set (e.g. `node-role.kubernetes.io/worker`,
 * `kubernetes.io/role`); keys that are not qualified names; values that are not label values; and
 * flags K3s's own re-apply patch would reject (e.g. `a=b,c=d` in one flag). `kubeletError` is the
 * kubelet's message; invalid-label entries are sorted (the kubelet's order is random).
 *
 * @example
 * ```ts
 * validateNodeLabels(["node-role.kubernetes.io/worker=true"]).kubeletError;
 * // "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [node-role.kubernetes.io/worker]\n..."
 * ```
 * @throws {LabelError} `NODE_OPTION_INVALID` when not a list of strings. Bad labels are reported, not thrown.
 */
export function validateNodeLabels(flags: readonly string[]): NodeLabelValidation {
  if (!Array.isArray(flags) || flags.some((f) => typeof f !== "string")) {
    throw new LabelError("NODE_OPTION_INVALID", "node labels must be a list of strings", { value: flags });
  }
  const problems: NodeLabelProblem[] = [];
  let kubeletError: string | undefined;
  let parsed: ParsedNodeLabels | undefined;
  try {
    parsed = parseNodeLabels(flags);
  } catch (e) {
    kubeletError = (e as Error).message;
    for (const item of flags.join(",").split(",")) {
      if (item.length > 0 && !item.includes("="))
        problems.push({ code: "MALFORMED", value: item, message: kubeletError });
    }
  }
  if (parsed) {
    const unknown = Object.keys(parsed.kubelet)
      .filter((k) => kubernetesLabel(k) && !kubeletLabel(k))
      .sort();
    const invalid = new Map<string, string[]>();
    for (const [k, v] of Object.entries(parsed.kubelet)) {
      const ke = isQualifiedName(k);
      if (ke.length > 0) {
        invalid.set(k, [...(invalid.get(k) ?? []), ...ke]);
        problems.push({ code: "INVALID_KEY", value: k, message: ke.join(", ") });
      }
      const ve = isValidLabelValue(v);
      if (ve.length > 0) {
        invalid.set(v, [...(invalid.get(v) ?? []), ...ve]);
        problems.push({ code: "INVALID_VALUE", value: v, message: ve.join(", ") });
      }
    }
    for (const k of unknown) {
      problems.push({
        code: "RESTRICTED",
        value: k,
        message: `nodes may not set the label ${k} on themselves (NodeRestriction)`,
      });
    }
    if (unknown.length > 0) {
      kubeletError =
        `unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [${unknown.join(" ")}]\n` +
        `--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (${KUBELET_LABEL_NAMESPACES.join(", ")}) ` +
        `or be in the specifically allowed set (${KUBELET_LABELS.join(", ")})`;
    } else if (invalid.size > 0) {
      const parts = [...invalid.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, errs]) => `'${k}' - ${errs.join(", ")}`);
      kubeletError = `invalid node labels: ${parts.join("; ")}`;
    }
    // K3s's start-up patch: one flag = one label, untrimmed.
    for (const { key, value } of parsed.reapply) {
      const errs = [...isQualifiedName(key), ...isValidLabelValue(value)];
      if (errs.length > 0 && !problems.some((p) => p.value === key || p.value === value)) {
        problems.push({
          code: "REAPPLY_INVALID",
          value: `${key}=${value}`,
          message: `K3s re-applies this flag as label ${JSON.stringify(key)}=${JSON.stringify(value)}, which the API server rejects: ${errs.join(", ")}`,
        });
      }
    }
  }
  return kubeletError === undefined && problems.length === 0
    ? { ok: true, problems }
    : { ok: false, kubeletError, problems };
}
