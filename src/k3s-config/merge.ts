import { checkArg, is, isPlainRecord } from "../internal/options.js";
import { configFail } from "./options.js";
/** Merging parsed K3s config files in K3s's order (`pkg/configfilearg`). */
import { type K3sConfigDocument, type K3sConfigRawValue, type K3sConfigWarning, type K3sMergedConfig, goToString } from "./parse.js";
function toSlice(v: K3sConfigRawValue): K3sConfigRawValue[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v;
  const s = goToString(v).trim();
  return s === "" ? [] : [s];
}

/**
 * Merges parsed config files in order, with K3s's rules: later files win, `key+` appends to the
 * list set so far, keys keep their first-seen order.
 *
 * @example
 * ```ts
 * const a = parseK3sConfigYaml("node-label: [a=1]\n", { file: "config.yaml" });
 * const b = parseK3sConfigYaml("node-label+: [b=2]\n", { file: "config.yaml.d/10.yaml" });
 * mergeK3sConfigs([a, b]).values["node-label"]; // ["a=1", "b=2"]
 * ```
 * @throws {K3sConfigError} `K3S_CONFIG_OPTION_INVALID` when `docs` is not a list of parsed documents.
 */
export function mergeK3sConfigs(docs: readonly K3sConfigDocument[]): K3sMergedConfig {
  checkArg(docs, is.arrayOf(docCheck), "docs", configFail, "mergeK3sConfigs");
  return mergeDocs(docs);
}

const entryCheck = (e: unknown) =>
  isPlainRecord(e) && typeof e.key === "string" && typeof e.append === "boolean" ? undefined : "must be an entry { key, append, value }";
const docCheck = (d: unknown) =>
  !isPlainRecord(d)
    ? "must be a parsed document"
    : typeof d.file !== "string"
      ? "must have a file name"
      : (is.arrayOf(entryCheck)(d.entries) ?? (Array.isArray(d.warnings) ? undefined : "must have a warnings list"));

/** {@link mergeK3sConfigs} on checked input. @internal */
export function mergeDocs(docs: readonly K3sConfigDocument[]): K3sMergedConfig {
  const values: Record<string, K3sConfigRawValue> = Object.create(null);
  const sources: Record<string, string[]> = Object.create(null);
  const warnings: K3sConfigWarning[] = [];
  for (const doc of docs) {
    warnings.push(...doc.warnings);
    for (const { key, append, value } of doc.entries) {
      const had = Object.hasOwn(values, key);
      if (had && append) {
        values[key] = [...toSlice(values[key] as K3sConfigRawValue), ...toSlice(value)];
        (sources[key] as string[]).push(doc.file);
      } else {
        values[key] = value;
        // A plain key replaces the value, so only this file is responsible for it now.
        sources[key] = [doc.file];
      }
    }
  }
  return { values, sources, warnings };
}
