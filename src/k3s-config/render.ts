/** Rendering a typed K3s config back to YAML that K3s reads identically, and to CLI arguments. */
import { K3sConfigError } from "./errors.js";
import { yamlV2Document } from "../internal/go/yaml-v2.js";
import { goToString, normalise } from "./parse.js";
import { type K3sConfig, type K3sFlagName, lookupK3sFlag } from "./schema.js";
import { type Check, checkOptions, is } from "../internal/options.js";
import { checkValues, configFail, roleCheck } from "./options.js";
import { validateChecked } from "./validate.js";
/** Options for {@link renderK3sConfig}. */
export interface RenderK3sConfigOptions {
  /** Check keys against this command (`K3S_CONFIG_ROLE` is then an error). Default: no check. */
  role?: "server" | "agent";
  /** A comment placed at the top (each line prefixed with `# `). */
  header?: string;
  /**
   * List keys to write as `key+:` so that, in a drop-in, they append to what earlier files set
   * instead of replacing it. Only list flags may be appended.
   */
  append?: readonly K3sFlagName[];
}

/**
 * Renders a typed K3s config as YAML that K3s (YAML 1.1) reads back to the same values: keys
 * sorted, strings that YAML 1.1 would turn into something else (`"yes"`, `"0644"`) quoted.
 *
 * @example
 * ```ts
 * renderK3sConfig({ selinux: true, "node-label": ["tier=db"], "write-kubeconfig-mode": "0644" });
 * // "node-label:\n  - tier=db\nselinux: true\nwrite-kubeconfig-mode: \"0644\"\n"
 * ```
 * @throws K3sConfigError `K3S_CONFIG_TYPE`, `K3S_CONFIG_VALUE` (bad values), `K3S_CONFIG_APPEND`
 *   (`append` names a key that is not a list flag),
 *   `K3S_CONFIG_UNKNOWN_KEY` (a key not in the flag table), `K3S_CONFIG_ROLE` (with `role`, a key
 *   that command does not take).
 */
export function renderK3sConfig(config: K3sConfig, options?: RenderK3sConfigOptions): string {
  checkValues(config, "renderK3sConfig");
  return renderChecked(config, checkRenderOptions(options, "renderK3sConfig"));
}

/** Checks {@link RenderK3sConfigOptions}. @internal */
export function checkRenderOptions(options: unknown, what: string, extra: Record<string, Check> = {}): RenderK3sConfigOptions & Record<string, unknown> {
  return checkOptions<RenderK3sConfigOptions & Record<string, unknown>>(
    options,
    { role: roleCheck, header: is.text, append: is.stringArray, ...extra } as never,
    configFail,
    what,
  );
}

/** {@link renderK3sConfig} on checked input. @internal */
export function renderChecked(config: K3sConfig, options: RenderK3sConfigOptions): string {
  const {
    config: checked,
    unknown,
    warnings,
  } = validateChecked(config as Record<string, unknown>, options.role, undefined);
  const unknownKeys = Object.keys(unknown).map((k) => (k.length > 100 ? `${k.slice(0, 100)}…` : k));
  if (unknownKeys.length > 0) {
    throw new K3sConfigError(
      "K3S_CONFIG_UNKNOWN_KEY",
      `unknown K3s config key(s): ${unknownKeys.slice(0, 20).join(", ")}${unknownKeys.length > 20 ? ", …" : ""}`,
      {
        value: unknownKeys.slice(0, 20),
      },
    );
  }
  const roleIssue = warnings.find(
    (w) => w.code === "K3S_CONFIG_ROLE" || w.code === "K3S_CONFIG_ALIAS_CONFLICT",
  );
  if (roleIssue !== undefined) {
    throw new K3sConfigError(roleIssue.code as "K3S_CONFIG_ROLE" | "K3S_CONFIG_ALIAS_CONFLICT", roleIssue.message, { value: roleIssue.path });
  }
  const append = new Set<string>(options.append ?? []);
  for (const key of append) {
    const found = lookupK3sFlag(key);
    if (found === undefined || found.name !== key || found.spec.kind !== "stringList") {
      throw new K3sConfigError(
        "K3S_CONFIG_APPEND",
        `only list flags can be appended with "+", not "${key}"`,
        {
          value: key,
        },
      );
    }
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(checked).sort()) {
    sorted[append.has(key) ? `${key}+` : key] = (checked as Record<string, unknown>)[key];
  }
  const doc = yamlV2Document(sorted);
  if (options.header !== undefined) {
    doc.commentBefore = options.header
      .split("\n")
      .map((l) => ` ${l}`)
      .join("\n");
  }
  return Object.keys(sorted).length === 0 && options.header === undefined
    ? ""
    : doc.toString({ lineWidth: 0, indentSeq: true });
}

/**
 * Flattens merged values into the command-line arguments K3s splices in after `server`/`agent`
 * (`--key=value`, one per list item, `-k=value` for one-letter keys), in first-seen key order.
 * Useful to see exactly what K3s will receive.
 *
 * @example
 * ```ts
 * k3sConfigArgs({ "node-label": ["a=1", "b=2"], t: "secret" });
 * // ["--node-label=a=1", "--node-label=b=2", "-t=secret"]
 * ```
 * @throws never.
 */
export function k3sConfigArgs(values: Readonly<Record<string, unknown>>): string[] {
  checkValues(values, "k3sConfigArgs");
  const out: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    // Go counts bytes here.
    const prefix = Buffer.byteLength(key) === 1 ? "-" : "--";
    const v = normalise(raw);
    if (Array.isArray(v)) for (const item of v) out.push(`${prefix}${key}=${goToString(item)}`);
    else out.push(`${prefix}${key}=${goToString(v)}`);
  }
  return out;
}
