/** Validation of merged K3s config values against the flag table (types, value sets, roles). */
import { REDACTED } from "../internal/events.js";
import { isGoDuration } from "../internal/go/duration.js";
import { parseGoIntBase0 } from "../internal/go/strconv.js";
import { checkOptions, is } from "../internal/options.js";
import { K3sConfigError, type K3sConfigIssue } from "./errors.js";
import { checkValues, configFail, roleCheck } from "./options.js";
import {
  type K3sConfigRawValue,
  type K3sConfigResult,
  type K3sConfigWarning,
  type ValidateK3sConfigOptions,
  goToString,
  normalise,
} from "./parse.js";
import { type K3sConfig, type K3sFlagName, type K3sFlagSpec, flagAppliesTo, lookupK3sFlag } from "./schema.js";
const GO_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const GO_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);


/**
 * Go `strconv.ParseInt(s, 0, 64)` as the flag package uses it; undefined when not an int64. Values
 * beyond 2^53 are returned as the nearest JavaScript number.
 */
function parseGoInt(text: string): number | undefined {
  const n = parseGoIntBase0(text, false);
  return n === null ? undefined : Number(n);
}

function describe(v: unknown): string {
  if (v === null) return "an empty value";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v)}`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${String(v)}`;
  return typeof v;
}

type Coerced = { ok: true; value: unknown } | { ok: false; expected: string };

function coerce(spec: K3sFlagSpec, v: K3sConfigRawValue): Coerced {
  switch (spec.kind) {
    case "string": {
      if (Array.isArray(v))
        return { ok: false, expected: "a single string (K3s would keep only the last item)" };
      if (v !== null && typeof v === "object") return { ok: false, expected: "a string" };
      const s = goToString(v);
      if (spec.values && !spec.values.includes(s)) {
        return { ok: false, expected: `one of ${spec.values.join(", ")}` };
      }
      if (spec.pattern && !spec.pattern.re.test(s)) return { ok: false, expected: spec.pattern.expected };
      return { ok: true, value: s };
    }
    case "bool": {
      if (typeof v === "boolean") return { ok: true, value: v };
      if (typeof v === "string" || typeof v === "number") {
        const s = goToString(v);
        if (GO_TRUE.has(s)) return { ok: true, value: true };
        if (GO_FALSE.has(s)) return { ok: true, value: false };
      }
      return { ok: false, expected: "a boolean (true/false)" };
    }
    case "int": {
      // K3s hands the flag the trimmed Go text of the value.
      if (v !== null && typeof v !== "object") {
        const n = parseGoInt(goToString(v));
        if (n !== undefined) return { ok: true, value: n };
      }
      return { ok: false, expected: "a 64-bit integer" };
    }
    case "duration": {
      if (v !== null && typeof v !== "object") {
        const s = goToString(v);
        if (isGoDuration(s)) return { ok: true, value: s };
      }
      return { ok: false, expected: 'a Go duration with a unit, e.g. "5m" or "1h30m"' };
    }
    case "stringList": {
      const items = Array.isArray(v) ? v : v === null ? undefined : [v];
      if (items === undefined) return { ok: false, expected: "a list of strings" };
      const out: string[] = [];
      for (const item of items) {
        if (item !== null && typeof item === "object") return { ok: false, expected: "a list of strings" };
        out.push(goToString(item));
      }
      return { ok: true, value: out };
    }
  }
}

function fileOf(sources: Record<string, string[]> | undefined, key: string): string | undefined {
  const files = sources !== undefined && Object.hasOwn(sources, key) ? sources[key] : undefined;
  return Array.isArray(files) && typeof files[files.length - 1] === "string" ? files[files.length - 1] : undefined;
}

/**
 * Checks merged config values against the K3s flag table: known keys get their types (Go
 * semantics: `"true"`, `1` are booleans, `"010"` is the integer 8, durations need a unit), unknown
 * keys and keys the chosen command does not take become warnings.
 *
 * @example
 * ```ts
 * const { config, warnings } = validateK3sConfig({ selinux: "true", "node-label": "a=b", foo: 1 });
 * config.selinux;        // true
 * config["node-label"];  // ["a=b"]
 * warnings[0]?.code;     // "K3S_CONFIG_UNKNOWN_KEY"
 * ```
 * @throws K3sConfigError `K3S_CONFIG_TYPE` (a value of the wrong type) or `K3S_CONFIG_VALUE`
 *   (a value outside the allowed set); `issues` lists every problem, each naming key, file and
 *   value (secret keys show `[Redacted]`).
 */
export function validateK3sConfig(
  values: Readonly<Record<string, unknown>>,
  options?: ValidateK3sConfigOptions,
): K3sConfigResult {
  checkValues(values, "validateK3sConfig");
  const o = checkOptions<ValidateK3sConfigOptions>(
    options,
    { role: roleCheck, sources: is.record },
    configFail,
    "validateK3sConfig",
  );
  return validateChecked(values, o.role, o.sources);
}

/** {@link validateK3sConfig} on checked input. @internal */
export function validateChecked(
  values: Readonly<Record<string, unknown>>,
  role: "server" | "agent" | undefined,
  sources: Record<string, string[]> | undefined,
): K3sConfigResult {
  const config: Record<string, unknown> = Object.create(null);
  const unknown: Record<string, K3sConfigRawValue> = Object.create(null);
  const warnings: K3sConfigWarning[] = [];
  const issues: K3sConfigIssue[] = [];
  const setBy = new Map<K3sFlagName, string>();

  for (const [key, raw] of Object.entries(values)) {
    const file = fileOf(sources, key);
    const where = file === undefined ? "" : ` in ${file}`;
    const found = lookupK3sFlag(key);
    const value = normalise(raw);
    if (found === undefined) {
      unknown[key] = value;
      const consequence =
        role === "agent"
          ? "k3s agent refuses unknown flags"
          : role === "server"
            ? "k3s server skips it with a warning"
            : "K3s does not know it";
      const w: K3sConfigWarning = {
        code: "K3S_CONFIG_UNKNOWN_KEY",
        message: `unknown key "${key}"${where}: ${consequence}`,
        path: key,
      };
      if (file !== undefined) w.file = file;
      warnings.push(w);
      continue;
    }
    const { name, spec } = found;
    if (role !== undefined && !flagAppliesTo(spec, role)) {
      const w: K3sConfigWarning = {
        code: "K3S_CONFIG_ROLE",
        message: `key "${key}"${where} is a ${spec.role} flag; ${
          role === "agent" ? "k3s agent refuses it" : "k3s server skips it with a warning"
        }`,
        path: key,
      };
      if (file !== undefined) w.file = file;
      warnings.push(w);
    }
    const shown = spec.secret ? REDACTED : value;
    const result = coerce(spec, value);
    if (!result.ok) {
      const issue: K3sConfigIssue = {
        code:
          (spec.values || spec.pattern) && spec.kind === "string" && typeof value !== "object"
            ? "K3S_CONFIG_VALUE"
            : "K3S_CONFIG_TYPE",
        message: `key "${key}"${where}: expected ${result.expected}, got ${spec.secret ? "a redacted value" : describe(value)}`,
        path: key,
        value: shown,
      };
      if (file !== undefined) issue.file = file;
      issues.push(issue);
      continue;
    }
    if (name === "write-kubeconfig-mode" && typeof value === "number") {
      const w: K3sConfigWarning = {
        code: "K3S_CONFIG_MODE_NUMBER",
        message: `key "${key}"${where}: an unquoted mode is read as a YAML 1.1 integer (0644 becomes 420, which K3s parses as octal 0420); quote it: "0644"`,
        path: key,
      };
      if (file !== undefined) w.file = file;
      warnings.push(w);
    }
    const previous = setBy.get(name);
    if (previous !== undefined && previous !== key) {
      warnings.push({
        code: "K3S_CONFIG_ALIAS_CONFLICT",
        message: `keys "${previous}" and "${key}" set the same flag "${name}"; the later one wins`,
        path: key,
      });
    }
    setBy.set(name, key);
    config[name] = result.value;
  }
  if (issues.length > 0) {
    const first = issues[0] as K3sConfigIssue;
    throw new K3sConfigError(first.code, issues.map((i) => i.message).join("; "), {
      value: first.value,
      issues,
    });
  }
  return { config: config as K3sConfig, unknown, warnings };
}
