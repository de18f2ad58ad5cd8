import type { Problem } from "../errors/index.js";
import { checkOptions, is } from "../internal/options.js";
import { configFail } from "./options.js";
/**
 * The K3s configuration file (`/etc/rancher/k3s/config.yaml` + `config.yaml.d/*.yaml`): pure
 * parse, merge, validate and render. The I/O lives in `k3s-config-load.ts`.
 *
 * Merge facts from k3s `pkg/configfilearg/parser.go` (main @ af977adf, k3s-behaviours.md §0):
 * - files are read as YAML with gopkg.in/yaml.v2, i.e. YAML 1.1 scalars (`yes`/`on`/`y` are
 *   booleans, `0644` is the octal integer 420), timestamps stay strings, only the first document
 *   counts, the top level must be a mapping and duplicate keys are allowed (applied in order);
 * - keys are processed in file order, files in order (main file first, then drop-ins by name);
 * - a later plain key replaces the value; a key ending in `+` appends to the value already set
 *   (scalars count as one-item lists, an empty scalar as none), or just sets it when nothing
 *   was set before;
 * - the resulting key order is the order each key was first seen.
 */
import {
  type Document,
  LineCounter,
  isAlias,
  isMap,
  isSeq,
  isScalar,
  parseAllDocuments,
  type Node,
} from "yaml";
import { resolveV2Number } from "../internal/go/yaml-v2.js";
import { formatFloat } from "../internal/go/float.js";
import { K3sConfigError } from "./errors.js";
import type { K3sConfig } from "./schema.js";

/** A value as read from YAML, before validation. */
export type K3sConfigRawValue =
  | string
  | number
  | boolean
  | null
  | K3sConfigRawValue[]
  | { [key: string]: K3sConfigRawValue };

/** One `key: value` pair of a config file, in file order. */
export interface K3sConfigEntry {
  /** The key without a trailing `+`. */
  key: string;
  /** True when the key ended in `+` (append to the list set so far). */
  append: boolean;
  value: K3sConfigRawValue;
  /** 1-based line of the key in the file. */
  line?: number;
}

/** One parsed config file. */
export interface K3sConfigDocument {
  /** Path (or label) of the file, used in errors and warnings. */
  file: string;
  entries: K3sConfigEntry[];
  warnings: K3sConfigWarning[];
}

/** A non-fatal finding about a config file. */
/**
 * A warning about a config file, in the SDK's one problem shape (`path` is the config key). Codes:
 * `K3S_CONFIG_UNKNOWN_KEY`, `K3S_CONFIG_ROLE`, `K3S_CONFIG_ALIAS_CONFLICT`, `K3S_CONFIG_MODE_NUMBER`,
 * `K3S_CONFIG_EXTRA_DOCUMENT`, `K3S_CONFIG_YAML_WARNING`.
 */
export type K3sConfigWarning = Problem;

/** The result of merging config files in K3s's order. */
export interface K3sMergedConfig {
  /** Merged values by key (null-prototype object), keys in first-seen order. */
  values: Record<string, K3sConfigRawValue>;
  /** The files that set or appended to each key, in order. */
  sources: Record<string, string[]>;
  /** Warnings from parsing, in file order. */
  warnings: K3sConfigWarning[];
}

/** Options for {@link validateK3sConfig}. */
export interface ValidateK3sConfigOptions {
  /**
   * The command the file is for. Keys the command does not take are reported (`K3S_CONFIG_ROLE`).
   * Default: no role check.
   */
  role?: "server" | "agent";
  /** Which files set each key (from {@link mergeK3sConfigs}); used to name the file in errors. */
  sources?: Record<string, string[]>;
}

/** A validated configuration. */
export interface K3sConfigResult {
  /** Known keys, typed (aliases such as `t` are stored under their long name, e.g. `token`). */
  config: K3sConfig;
  /** Keys not in the flag table, with their raw values (K3s skips or refuses these; see warnings). */
  unknown: Record<string, K3sConfigRawValue>;
  warnings: K3sConfigWarning[];
}

// yaml.v2 keeps timestamp-looking scalars as strings when decoding into interface{}, and has no
// !!set/!!omap/!!pairs types. Its numbers are resolved by V2_NUMBER below.
const DROPPED_TAGS = new Set([
  "tag:yaml.org,2002:timestamp",
  "tag:yaml.org,2002:set",
  "tag:yaml.org,2002:omap",
  "tag:yaml.org,2002:pairs",
  "tag:yaml.org,2002:int",
  "tag:yaml.org,2002:float",
]);


const V2_NUMBER = {
  tag: "tag:yaml.org,2002:int",
  default: true,
  test: /^[-+.0-9]/,
  resolve: (str: string) => resolveV2Number(str),
};

// Stand-in for the `<<` merge key while converting.
const MERGE_KEY = "\u0000<<merge>>\u0000";

const MAX_ALIAS_COUNT = 10_000;
const MAX_DEPTH = 200;

/**
 * Parses one K3s config file's text the way K3s reads it (YAML 1.1, first document, top-level
 * mapping, duplicate keys kept in order, `key+` marks an append).
 *
 * @example
 * ```ts
 * const doc = parseK3sConfigYaml("selinux: true\nnode-label+: [a=b]\n", { file: "config.yaml" });
 * doc.entries; // [{ key: "selinux", append: false, value: true, line: 1 }, { key: "node-label", append: true, ... }]
 * ```
 * @throws K3sConfigError `K3S_CONFIG_YAML` (malformed YAML, naming file, line and column),
 *   `K3S_CONFIG_NOT_MAPPING` (top level is not a mapping).
 */
export function parseK3sConfigYaml(text: string, options?: { file?: string }): K3sConfigDocument {
  const o = checkOptions<{ file?: string }>(options, { file: is.nonEmptyString }, configFail, "parseK3sConfigYaml");
  const file = o.file ?? "<config>";
  if (typeof text !== "string") {
    throw new K3sConfigError("K3S_CONFIG_YAML", `${file}: config text must be a string`, { value: file });
  }
  if (text.length > 64 * 1024 * 1024) throw configFail("parseK3sConfigYaml: text is too large", { option: "text" });
  return parseYaml(text, file);
}

/** {@link parseK3sConfigYaml} on checked input. @internal */
export function parseYaml(text: string, file: string): K3sConfigDocument {
  const lineCounter = new LineCounter();
  const warnings: K3sConfigWarning[] = [];
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, {
      version: "1.1",
      intAsBigInt: true,
      uniqueKeys: false,
      merge: false,
      lineCounter,
      prettyErrors: false,
      // yaml.v2's own number rules replace the library's 1.1 ones (no base-60 `1:30`, Go `0o17`...).
      customTags: (tags) => [
        ...tags.filter((t) => typeof t === "string" || !DROPPED_TAGS.has(t.tag)),
        V2_NUMBER,
      ],
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    throw yamlError(file, (err as Error).message, undefined, err);
  }
  // libyaml (behind yaml.v2) wants `---` after directives.
  if (/^%/m.test(text) && !/^---/m.test(text)) {
    const line = text.split("\n").findIndex((l) => l.startsWith("%")) + 1;
    throw yamlError(
      file,
      "a directive must be followed by a document start (---)",
      { line, col: 1 },
      undefined,
    );
  }
  const doc = docs[0];
  if (doc === undefined) return { file, entries: [], warnings };
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const pos = firstError.linePos?.[0] ?? lineCounter.linePos(firstError.pos[0]);
    throw yamlError(file, firstError.message, pos, firstError);
  }
  for (const w of doc.warnings) {
    warnings.push({ code: "K3S_CONFIG_YAML_WARNING", message: `${file}: ${w.message}`, file });
  }
  if (docs.length > 1) {
    warnings.push({
      code: "K3S_CONFIG_EXTRA_DOCUMENT",
      message: `${file}: contains ${docs.length} YAML documents; K3s reads only the first`,
      file,
    });
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { file, entries: [], warnings };
  }
  if (isSeq(contents) && contents.items.length === 0) {
    // yaml.v2 decodes an empty sequence into the MapSlice without complaint.
    return { file, entries: [], warnings };
  }
  if (!isMap(contents)) {
    const kind = (contents as Node).constructor?.name ?? typeof contents;
    throw new K3sConfigError(
      "K3S_CONFIG_NOT_MAPPING",
      `${file}: the top level must be a mapping of flag names to values, found ${kind === "YAMLSeq" ? "a list" : "a scalar"}`,
      { value: file },
    );
  }
  const entries: K3sConfigEntry[] = [];
  for (const pair of contents.items) {
    const keyNode = pair.key as Node | null;
    let rawKey: unknown;
    let value: unknown;
    try {
      const budget = { aliases: MAX_ALIAS_COUNT };
      rawKey = convertNode(keyNode, doc, budget, 0);
      value = convertNode(pair.value, doc, budget, 0);
    } catch (err) {
      throw yamlError(file, (err as Error).message, undefined, err);
    }
    const offset = keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    const emptyKey =
      keyNode === null ||
      keyNode === undefined ||
      (isScalar(keyNode) && keyNode.value === null && keyNode.range?.[0] === keyNode.range?.[1]);
    if (emptyKey) {
      throw yamlError(
        file,
        "a mapping entry has no key",
        line === undefined ? undefined : { line, col: 1 },
        undefined,
      );
    }
    if (rawKey === MERGE_KEY) {
      const mergeValue = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      if (
        !isMap(mergeValue) &&
        !(isSeq(mergeValue) && mergeValue.items.every((i) => isMap(isAlias(i) ? i.resolve(doc) : i)))
      ) {
        throw yamlError(
          file,
          "map merge requires a mapping or a list of mappings as the value",
          undefined,
          undefined,
        );
      }
      const w: K3sConfigWarning = {
        code: "K3S_CONFIG_MERGE_KEY",
        message: `${file}${line === undefined ? "" : `:${line}`}: K3s's YAML reader drops "<<" merge keys and the entries they merge; write the keys out`,
        file,
      };
      warnings.push(w);
      continue;
    }
    let key = goToString(rawKey);
    const append = key.endsWith("+");
    if (append) key = key.slice(0, -1);
    const entry: K3sConfigEntry = { key, append, value: normalise(value) };
    if (line !== undefined) entry.line = line;
    entries.push(entry);
  }
  return { file, entries, warnings };
}

/**
 * Converts a YAML node the way yaml.v2 decodes into `interface{}` for K3s: integers stay numbers
 * (decimal strings beyond 2^53), floats become their Go `fmt.Sprint` text (the only form K3s ever
 * uses), aliases are expanded with limits.
 */
function convertNode(
  node: unknown,
  doc: Document.Parsed,
  budget: { aliases: number },
  depth: number,
): K3sConfigRawValue {
  if (depth > MAX_DEPTH) throw new Error("YAML nesting is too deep");
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    budget.aliases -= 1;
    if (budget.aliases < 0) throw new Error("excessive aliasing");
    const target = node.resolve(doc);
    if (target === undefined) throw new Error(`unknown anchor '${node.source}' referenced`);
    return convertNode(target, doc, budget, depth + 1);
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    if (typeof v === "number") return goFloat(v);
    if (typeof v === "symbol") return MERGE_KEY;
    return normalise(v);
  }
  if (isSeq(node)) return node.items.map((item) => convertNode(item, doc, budget, depth + 1));
  if (isMap(node)) {
    const o: Record<string, K3sConfigRawValue> = Object.create(null);
    for (const pair of node.items) {
      const k = convertNode(pair.key, doc, budget, depth + 1);
      // yaml.v2 loses merged entries when decoding into a MapSlice (see parseK3sConfigYaml).
      if (k === MERGE_KEY) continue;
      o[goToString(k)] = convertNode(pair.value, doc, budget, depth + 1);
    }
    return o;
  }
  return normalise(node);
}

function yamlError(
  file: string,
  message: string,
  pos: { line: number; col: number } | undefined,
  cause: unknown,
): K3sConfigError {
  const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
  const first = message.split("\n")[0] ?? message;
  return new K3sConfigError("K3S_CONFIG_YAML", `${where}: malformed YAML: ${first}`, {
    value: pos === undefined ? file : { file, line: pos.line, column: pos.col },
    cause,
  });
}

/** Turns what the YAML library produced into plain JSON-like data. */
/** @internal */
export function normalise(v: unknown): K3sConfigRawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Map) {
    const o: Record<string, K3sConfigRawValue> = Object.create(null);
    for (const [k, val] of v) o[goToString(k)] = normalise(val);
    return o;
  }
  if (v instanceof Set) return [...v].map(normalise);
  if (v instanceof Date) {
    if (!Number.isFinite(v.getTime())) throw new K3sConfigError("K3S_CONFIG_TYPE", "a config value is an invalid Date", { value: "Invalid Date" });
    return v.toISOString();
  }
  // !!binary: Go keeps the decoded bytes as a string.
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (typeof v === "object") {
    const o: Record<string, K3sConfigRawValue> = Object.create(null);
    for (const [k, val] of Object.entries(v)) o[k] = normalise(val);
    return o;
  }
  return String(v);
}

/**
 * wrangler `convert.ToString`, as K3s applies it to keys, scalars and list items: the first item of
 * a list, Go `fmt.Sprint` of the value, then `strings.TrimSpace`.
 * @internal
 */
export function goToString(v: unknown): string {
  const single = Array.isArray(v) ? v[0] : v;
  if (single === null || single === undefined) return "";
  return goTrimSpace(goSprint(single));
}

/** Go `fmt.Sprint` of a decoded YAML value (nested mappings are yaml.v2 MapSlices: `[{k v}]`). */
function goSprint(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(" ")}]`;
  if (typeof v === "object") {
    return `[${Object.entries(v as object)
      .map(([k, x]) => `{${k} ${goSprint(x)}}`)
      .join(" ")}]`;
  }
  return String(v);
}

// Go unicode.IsSpace.
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const GO_TRIM_RE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");

function goTrimSpace(s: string): string {
  return s.replace(GO_TRIM_RE, "");
}

/**
 * Go `fmt.Sprint(float64)`, i.e. `strconv.FormatFloat(f, 'g', -1, 64)`: the template engine's Go float
 * formatting, shared.
 * @internal
 */
export function goFloat(n: number): string {
  return formatFloat(n, "g", -1);
}
