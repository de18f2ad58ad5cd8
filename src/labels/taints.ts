import { LabelError } from "./errors.js";
import { isQualifiedName, isValidLabelValue } from "./k8s-validation.js";

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  key: string;
  value: string;
  effect: TaintEffect;
}

export interface ParsedTaints {
  /** Taints the kubelet registers with (`RegisterWithTaints`). */
  taints: Taint[];
  /** Specs ending in `-` (removals): valid, but K3s drops them silently. */
  ignored: string[];
}

const EFFECTS: readonly string[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** k8s `parseTaint`: returns the taint (effect may be empty) or the k8s error text. */
function parseOne(spec: string): { key: string; value: string; effect: string } | string {
  const parts = spec.split(":");
  let key: string;
  let value = "";
  let effect = "";
  if (parts.length === 1) key = parts[0] as string;
  else if (parts.length === 2) {
    effect = parts[1] as string;
    if (!EFFECTS.includes(effect)) return `invalid taint effect: ${effect}, unsupported taint effect`;
    const kv = (parts[0] as string).split("=");
    if (kv.length > 2) return `invalid taint spec: ${spec}`;
    key = kv[0] as string;
    if (kv.length === 2) {
      value = kv[1] as string;
      const errs = isValidLabelValue(value);
      if (errs.length > 0) return `invalid taint spec: ${spec}, ${errs.join("; ")}`;
    }
  } else return `invalid taint spec: ${spec}`;
  const errs = isQualifiedName(key);
  if (errs.length > 0) return `invalid taint spec: ${spec}, ${errs.join("; ")}`;
  return { key, value, effect };
}

/**
 * Parses `--node-taint` flag values as K3s does (k8s `ParseTaints`, k3s-behaviours §11):
 * `key=value:Effect` or `key:Effect`, effect `NoSchedule`/`PreferNoSchedule`/`NoExecute`
 * (case-sensitive), one spec per flag (no comma splitting), no duplicate (key, effect). Specs ending in
 * `-` are removals: still validated, then dropped (K3s keeps only the additions).
 *
 * @example
 * ```ts
 * parseTaints(["dedicated=gpu:NoSchedule", "critical:NoExecute"]).taints;
 * // [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }, { key: "critical", value: "", effect: "NoExecute" }]
 * ```
 * @throws {LabelError} `NODE_TAINT_INVALID`, message `failed to parse node taints: <k8s text>` (the
 *   text K3s fails with); `NODE_OPTION_INVALID` when not a list of strings.
 */
export function parseTaints(specs: readonly string[]): ParsedTaints {
  if (!Array.isArray(specs) || specs.some((s) => typeof s !== "string")) {
    throw new LabelError("NODE_OPTION_INVALID", "node taints must be a list of strings", { value: specs });
  }
  const fail = (msg: string, spec: string) =>
    new LabelError("NODE_TAINT_INVALID", `failed to parse node taints: ${msg}`, { value: spec });
  const taints: Taint[] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.endsWith("-")) {
      const r = parseOne(spec.slice(0, -1));
      if (typeof r === "string") throw fail(r, spec);
      ignored.push(spec);
      continue;
    }
    const r = parseOne(spec);
    if (typeof r === "string") throw fail(r, spec);
    if (r.effect === "") throw fail(`invalid taint spec: ${spec}`, spec);
    const id = `${r.effect}\u0000${r.key}`;
    // Go prints the v1.Taint struct with %v: {key value effect <nil>}.
    if (seen.has(id))
      throw fail(
        `duplicated taints with the same key and effect: {${r.key} ${r.value} ${r.effect} <nil>}`,
        spec,
      );
    seen.add(id);
    taints.push({ key: r.key, value: r.value, effect: r.effect as TaintEffect });
  }
  return { taints, ignored };
}
