import type { Problem } from "../errors/index.js";
import { DnsError } from "./errors.js";

/** Name and namespace K3s's CoreDNS mounts (optional volume, k3s-behaviours §4). */
export const COREDNS_CUSTOM_NAME = "coredns-custom";
/** Namespace of the `coredns-custom` ConfigMap. */
export const COREDNS_CUSTOM_NAMESPACE = "kube-system";

/** The ConfigMap shape {@link validateCorednsCustom} reads (a plain object or a kubernetes-models instance). */
export interface CorednsCustomConfigMapLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, unknown>;
}

/** Problem codes reported by {@link validateCorednsCustom}. */
export type CorednsCustomProblemCode =
  | "NOT_A_CONFIGMAP"
  | "WRONG_NAME"
  | "WRONG_NAMESPACE"
  | "KEY_INVALID"
  | "KEY_PATH"
  | "VALUE_NOT_STRING"
  | "TOO_LARGE"
  | "QUOTE_UNTERMINATED"
  | "BRACE_UNEXPECTED"
  | "BRACE_UNCLOSED"
  | "SERVER_NO_ZONE"
  | "SERVER_NOT_BLOCK"
  | "SERVER_ZONE_INVALID"
  | "SERVER_ZONE_CONFLICT";

/** One problem found in a `coredns-custom` ConfigMap. */
export type CorednsCustomProblem = Problem<CorednsCustomProblemCode>;

interface Token {
  text: string;
  line: number;
  /** First token on its line. */
  newLine: boolean;
}

// Kubernetes IsConfigMapKey: [-._a-zA-Z0-9]+, at most 253 characters.
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
// Kubernetes caps a ConfigMap's data at 1 MiB.
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/** Splits Caddyfile text into tokens as CoreDNS's lexer does (whitespace, `"` quoting, `#` comments). */
function lex(text: string, key: string, problems: CorednsCustomProblem[]): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lastLine = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\n") {
      line++;
      i++;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const startLine = line;
    let value = "";
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i] as string;
        if (c === "\\" && text[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === "\n") line++;
        value += c;
        i++;
      }
      if (!closed) {
        problems.push({
          code: "QUOTE_UNTERMINATED",
          path: key,
          line: startLine,
          message: `${key}:${startLine}: unterminated quoted string`,
        });
      }
    } else {
      while (i < text.length && !" \t\r\n".includes(text[i] as string)) value += text[i++];
    }
    tokens.push({ text: value, line: startLine, newLine: startLine !== lastLine });
    lastLine = line;
  }
  return tokens;
}

/** Counts nesting; reports a `}` with nothing open and each `{` left open. Returns false on a problem. */
function checkBraces(
  tokens: Token[],
  key: string,
  problems: CorednsCustomProblem[],
  closeMessage: string,
): boolean {
  const open: number[] = [];
  let ok = true;
  for (const t of tokens) {
    if (t.text === "{") open.push(t.line);
    else if (t.text === "}") {
      if (open.length === 0) {
        problems.push({
          code: "BRACE_UNEXPECTED",
          path: key,
          line: t.line,
          message: `${key}:${t.line}: unexpected '}' ${closeMessage}`,
        });
        ok = false;
      } else open.pop();
    }
  }
  for (const l of open) {
    problems.push({ code: "BRACE_UNCLOSED", path: key, line: l, message: `${key}:${l}: '{' is never closed` });
    ok = false;
  }
  return ok;
}

const ZONE_HOST = /^(\.|[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*\.?|\[[0-9A-Fa-f:.]+\])(\/[0-9]{1,3})?$/;

/** Parses a server-block key (`[scheme://]zone[:port]`); returns the normalised zone and port or a message. */
function parseZone(raw: string): { zone: string; port: number; scheme: string } | string {
  let text = raw.endsWith(",") ? raw.slice(0, -1) : raw;
  let scheme = "dns";
  const m = /^([a-z0-9+]+):\/\//.exec(text);
  if (m) {
    scheme = m[1] as string;
    if (!["dns", "tls", "grpc", "https", "quic"].includes(scheme)) return `unknown scheme ${scheme}://`;
    text = text.slice(m[0].length);
  }
  let port =
    scheme === "tls"
      ? 853
      : scheme === "grpc"
        ? 443
        : scheme === "https"
          ? 443
          : scheme === "quic"
            ? 853
            : 53;
  const pm = /:([0-9]{1,5})$/.exec(text);
  if (pm && !text.endsWith("]")) {
    port = Number(pm[1]);
    if (port < 1 || port > 65535) return `port ${pm[1]} out of range`;
    text = text.slice(0, -pm[0].length);
  }
  if (text === "" || !ZONE_HOST.test(text)) return `${JSON.stringify(raw)} is not a zone`;
  const zone = text === "." ? "." : `${text.toLowerCase().replace(/\.$/, "")}.`;
  return { zone, port, scheme };
}

function checkServer(tokens: Token[], key: string, problems: CorednsCustomProblem[]): void {
  if (!checkBraces(tokens, key, problems, "with no block open")) return;
  let i = 0;
  while (i < tokens.length) {
    const zones: Token[] = [];
    while (i < tokens.length && tokens[i]?.text !== "{") {
      const t = tokens[i] as Token;
      const prev = zones[zones.length - 1];
      if (prev && t.newLine && !prev.text.endsWith(",")) {
        problems.push({
          code: "SERVER_NOT_BLOCK",
          path: key,
          line: prev.line,
          message: `${key}:${prev.line}: server block ${prev.text} must be followed by '{'`,
        });
        return;
      }
      zones.push(t);
      i++;
    }
    if (i >= tokens.length) {
      const last = zones[zones.length - 1] as Token;
      problems.push({
        code: "SERVER_NOT_BLOCK",
        path: key,
        line: last.line,
        message: `${key}:${last.line}: server block ${last.text} has no '{ ... }' body`,
      });
      return;
    }
    const brace = tokens[i] as Token;
    if (zones.length === 0) {
      problems.push({
        code: "SERVER_NO_ZONE",
        path: key,
        line: brace.line,
        message: `${key}:${brace.line}: server block has no zone before '{'`,
      });
    }
    for (const z of zones) {
      for (const part of z.text.split(",").filter((p) => p !== "")) {
        const parsed = parseZone(part);
        if (typeof parsed === "string") {
          problems.push({
            code: "SERVER_ZONE_INVALID",
            path: key,
            line: z.line,
            message: `${key}:${z.line}: ${parsed}`,
          });
        } else if (parsed.zone === "." && parsed.port === 53 && parsed.scheme === "dns") {
          problems.push({
            code: "SERVER_ZONE_CONFLICT",
            path: key,
            line: z.line,
            message: `${key}:${z.line}: zone ".:53" is already served by the main Corefile block; use a *.override key instead`,
          });
        }
      }
    }
    // Skip the body up to its matching brace (balance was checked above).
    let depth = 0;
    for (; i < tokens.length; i++) {
      const t = (tokens[i] as Token).text;
      if (t === "{") depth++;
      else if (t === "}" && --depth === 0) {
        i++;
        break;
      }
    }
  }
}

/**
 * Checks a `coredns-custom` ConfigMap the way K3s's CoreDNS will use it (k3s-behaviours §4) and
 * returns **every** problem (an empty list means fine): the name and namespace K3s mounts; keys that
 * Kubernetes accepts as file names (no `.`/`..`/`..x` path tricks); `*.override` snippets with
 * balanced braces that cannot close the `.:53` block; `*.server` content made of `zone { ... }` blocks
 * with a valid zone and no second `.:53`; the 1 MiB size cap. Other keys are plain files.
 *
 * @example
 * ```ts
 * validateCorednsCustom({ metadata: { name: "coredns-custom", namespace: "kube-system" },
 *   data: { "bad.server": "forward . 1.1.1.1" } });
 * // [{ code: "SERVER_NOT_BLOCK", key: "bad.server", line: 1, ... }]
 * ```
 * @throws never: malformed input is reported as problems.
 */
export function validateCorednsCustom(configMap: CorednsCustomConfigMapLike): CorednsCustomProblem[] {
  const problems: CorednsCustomProblem[] = [];
  if (typeof configMap !== "object" || configMap === null) {
    return [{ code: "NOT_A_CONFIGMAP", message: "expected a ConfigMap object" }];
  }
  if (configMap.kind !== undefined && configMap.kind !== "ConfigMap") {
    problems.push({
      code: "NOT_A_CONFIGMAP",
      message: `kind is ${String(configMap.kind)}, expected ConfigMap`,
    });
  }
  const name = configMap.metadata?.name;
  if (name !== COREDNS_CUSTOM_NAME) {
    problems.push({
      code: "WRONG_NAME",
      message: `metadata.name is ${JSON.stringify(name)}; K3s only mounts "${COREDNS_CUSTOM_NAME}"`,
    });
  }
  const ns = configMap.metadata?.namespace;
  if (ns !== COREDNS_CUSTOM_NAMESPACE) {
    problems.push({
      code: "WRONG_NAMESPACE",
      message: `metadata.namespace is ${JSON.stringify(ns)}; K3s only mounts it from "${COREDNS_CUSTOM_NAMESPACE}"`,
    });
  }
  const data = configMap.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    problems.push({ code: "NOT_A_CONFIGMAP", message: "data must be a map of strings" });
    return problems;
  }
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    size += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : 0);
    if (key === "." || key === ".." || key.startsWith("..")) {
      problems.push({
        code: "KEY_PATH",
        path: key,
        message: `key ${JSON.stringify(key)} would escape or shadow the mount directory`,
      });
    } else if (key.length > 253 || !CONFIGMAP_KEY.test(key)) {
      problems.push({
        code: "KEY_INVALID",
        path: key,
        message: `key ${JSON.stringify(key)} must be 1-253 characters of [-._a-zA-Z0-9]`,
      });
    }
    if (typeof value !== "string") {
      problems.push({
        code: "VALUE_NOT_STRING",
        path: key,
        message: `value of ${JSON.stringify(key)} must be a string`,
      });
      continue;
    }
    if (key.endsWith(".override")) {
      const tokens = lex(value, key, problems);
      checkBraces(tokens, key, problems, "(it would close the .:53 server block)");
    } else if (key.endsWith(".server")) {
      checkServer(lex(value, key, problems), key, problems);
    }
  }
  if (size > MAX_CONFIGMAP_BYTES) {
    problems.push({
      code: "TOO_LARGE",
      message: `data is ${size} bytes; a ConfigMap holds at most ${MAX_CONFIGMAP_BYTES}`,
    });
  }
  return problems;
}

/** Input of {@link corednsCustomData} / {@link corednsCustomConfigMap}. */
export interface CorednsCustomInput {
  /** Snippets imported inside `.:53`. Key `name` becomes `name.override` (a key already ending in `.override` is kept). */
  overrides?: Record<string, string>;
  /** Extra server blocks. Key `name` becomes `name.server` (a key already ending in `.server` is kept). */
  servers?: Record<string, string>;
  /** Plain files mounted under `/etc/coredns/custom` (zone files). Keys must not end in `.override`/`.server`. */
  files?: Record<string, string>;
}

/**
 * Builds and checks the `data` map of the `coredns-custom` ConfigMap (pure; no kubernetes-models).
 *
 * @example
 * ```ts
 * corednsCustomData({ overrides: { "example-com": "forward example.com 10.0.0.1" } });
 * // { "example-com.override": "forward example.com 10.0.0.1" }
 * ```
 * @throws {DnsError} `COREDNS_CUSTOM_INVALID` with every problem in `value` (see {@link validateCorednsCustom}),
 *   including a key produced twice.
 */
export function corednsCustomData(input: CorednsCustomInput): Record<string, string> {
  const data: Record<string, string> = {};
  const problems: CorednsCustomProblem[] = [];
  const put = (key: string, value: unknown) => {
    if (Object.hasOwn(data, key)) {
      problems.push({ code: "KEY_INVALID", path: key, message: `key ${JSON.stringify(key)} is given twice` });
      return;
    }
    data[key] = value as string;
  };
  const group = (name: string, map: unknown, suffix: string | undefined) => {
    if (map === undefined) return;
    if (typeof map !== "object" || map === null || Array.isArray(map)) {
      throw new DnsError("COREDNS_CUSTOM_INVALID", `${name} must be a map of strings`, { value: map });
    }
    for (const [k, v] of Object.entries(map)) {
      if (suffix === undefined) {
        if (k.endsWith(".override") || k.endsWith(".server")) {
          problems.push({
            code: "KEY_INVALID",
            path: k,
            message: `file key ${JSON.stringify(k)} would be imported; put it in overrides/servers`,
          });
        }
        put(k, v);
      } else put(k.endsWith(suffix) ? k : `${k}${suffix}`, v);
    }
  };
  group("overrides", input?.overrides, ".override");
  group("servers", input?.servers, ".server");
  group("files", input?.files, undefined);
  problems.push(
    ...validateCorednsCustom({
      kind: "ConfigMap",
      metadata: { name: COREDNS_CUSTOM_NAME, namespace: COREDNS_CUSTOM_NAMESPACE },
      data,
    }),
  );
  if (problems.length > 0) {
    throw new DnsError(
      "COREDNS_CUSTOM_INVALID",
      `coredns-custom is invalid: ${problems.map((p) => p.message).join("; ")}`,
      {
        value: problems,
      },
    );
  }
  return data;
}

/** The ConfigMap produced by {@link corednsCustomConfigMap}. */
export interface CorednsCustomManifest {
  /** Plain JSON object of the validated ConfigMap. */
  object: {
    apiVersion: "v1";
    kind: "ConfigMap";
    metadata: { name: string; namespace: string };
    data: Record<string, string>;
  };
  /** YAML text, ready for `kubectl apply -f -` or the K3s manifests directory. */
  yaml: string;
}

/**
 * Builds the `kube-system/coredns-custom` ConfigMap with kubernetes-models, validates it, and
 * serialises it to YAML: multi-line values are literal block scalars (`|`, `|-`, `|+` as the text's
 * final newlines need), single-line values are never wrapped, and every value parses back to the
 * exact text given. kubernetes-models and yaml are loaded on first call only, so importing
 * `k3s-node-kit/dns` stays light.
 *
 * @example
 * ```ts
 * const { yaml } = await corednsCustomConfigMap({
 *   overrides: { "example-com": "forward example.com 10.0.0.1" },
 *   servers: { "example-net": "example.net:53 {\n  file /etc/coredns/custom/db.example.net\n}\n" },
 *   files: { "db.example.net": zoneText },
 * });
 * ```
 * @throws {DnsError} `COREDNS_CUSTOM_INVALID` (every problem in `value`).
 */
export async function corednsCustomConfigMap(input: CorednsCustomInput): Promise<CorednsCustomManifest> {
  const data = corednsCustomData(input);
  const [{ ConfigMap }, { stringify }] = await Promise.all([
    import("kubernetes-models/v1/ConfigMap"),
    import("yaml"),
  ]);
  const cm = new ConfigMap({
    metadata: { name: COREDNS_CUSTOM_NAME, namespace: COREDNS_CUSTOM_NAMESPACE },
    data,
  });
  try {
    cm.validate();
  } catch (err) {
    throw new DnsError(
      "COREDNS_CUSTOM_INVALID",
      `coredns-custom failed schema validation: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const object = cm.toJSON() as CorednsCustomManifest["object"];
  // Multi-line values (snippets, zone files) as literal block scalars `|`, as K3s's docs show them:
  // never folded `>` and never wrapped at 80 columns, so the text a pod mounts is the text given.
  // Values a block scalar cannot hold (a CR or another control character) stay double-quoted.
  return { object, yaml: stringify(object, { blockQuote: "literal", lineWidth: 0 }) };
}
