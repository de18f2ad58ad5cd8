import {
  type Document,
  YAMLParseError,
  isAlias,
  isMap as isMapNode,
  isScalar as isScalarNode,
  isSeq,
  parseDocument,
} from "yaml";
import { ContainerdError } from "./errors.js";
import { isGoNilContainer, nilList, nilMap } from "./k3s-structs.js";
import type {
  Registry,
  RegistryAuthConfig,
  RegistryConfig,
  RegistryMirror,
  RegistryTLSConfig,
} from "./types.js";

/**
 * An empty registries config: K3s's dot when registries.yaml does not exist. The registry itself
 * is never nil, its maps are Go nil maps (empty objects here; `toJson` prints
 * `{"mirrors":null,"configs":null,"auths":null}` as K3s does).
 * @example
 * ```ts
 * emptyRegistry(); // { Mirrors: {}, Configs: {}, Auths: {} }, each a nil map
 * ```
 * @throws never.
 */
export function emptyRegistry(): Registry {
  return { Mirrors: nilMap(), Configs: nilMap(), Auths: nilMap() };
}

type Path = string;

/**
 * A YAML value as Go's yaml.v2 sees it: scalars keep their source text (a string field gets the
 * text, so `y` stays "y" although YAML 1.1 resolves it to true), maps are keyed by key text.
 */
type Raw = null | RawScalar | Raw[] | { [key: string]: Raw };

class RawScalar {
  constructor(
    readonly scalar: unknown,
    readonly text: string,
  ) {}
}

const isScalar = (v: Raw | undefined): v is RawScalar => v instanceof RawScalar;

function bad(path: Path, want: string, got: Raw): never {
  const kind =
    got === null
      ? "null"
      : Array.isArray(got)
        ? "sequence"
        : isScalar(got)
          ? `scalar ${JSON.stringify(got.text)}`
          : "mapping";
  throw new ContainerdError(
    "CONTAINERD_REGISTRIES_YAML",
    `registries.yaml: ${path} must be ${want}, got ${kind}`,
    { value: path },
  );
}

function isMap(v: Raw): v is { [key: string]: Raw } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isScalar(v);
}

/** Go yaml.v2 fills a string field from any scalar's text (`port: 5000` → "5000"); null is "". */
function str(v: Raw | undefined, path: Path): string {
  if (v === undefined || v === null) return "";
  if (isScalar(v)) return v.scalar === null ? "" : v.text;
  return bad(path, "a string", v);
}

function bool(v: Raw | undefined, path: Path): boolean {
  if (v === undefined || v === null) return false;
  if (isScalar(v) && (typeof v.scalar === "boolean" || v.scalar === null)) return v.scalar === true;
  return bad(path, "a boolean", v);
}

function map(v: Raw | undefined, path: Path): { [key: string]: Raw } {
  if (v === undefined || v === null || (isScalar(v) && v.scalar === null)) return {};
  if (isMap(v)) return v;
  return bad(path, "a mapping", v);
}

/** A mapping, or `undefined` where Go's yaml.v2 leaves the map nil (key absent or null). */
function mapOrNil(v: Raw | undefined, path: Path): { [key: string]: Raw } | undefined {
  if (v === undefined || v === null || (isScalar(v) && v.scalar === null)) return undefined;
  return map(v, path);
}

function sortedEntries(m: { [key: string]: Raw }): [string, Raw][] {
  return Object.keys(m)
    .sort()
    .map((k) => [k, m[k] ?? null]);
}

/** The raw tree of a YAML node (aliases resolved). */
function fromYamlNode(node: unknown, doc: Document.Parsed): Raw {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return fromYamlNode(node.resolve(doc), doc);
  if (isScalarNode(node)) {
    const plain = node.type === "PLAIN" && typeof node.source === "string";
    return new RawScalar(node.value, plain ? (node.source as string) : String(node.value));
  }
  if (isSeq(node)) return node.items.map((i) => fromYamlNode(i, doc));
  if (isMapNode(node)) {
    const out: { [key: string]: Raw } = {};
    for (const pair of node.items) {
      const k = fromYamlNode(pair.key, doc);
      const key = k === null ? "" : isScalar(k) ? (k.scalar === null ? "" : k.text) : JSON.stringify(k);
      out[key] = fromYamlNode(pair.value, doc);
    }
    return out;
  }
  return null;
}

/** The raw tree of a caller-built JS value. */
function fromJs(v: unknown): Raw {
  if (v === null || v === undefined) return null;
  // A Go nil map/slice (nilMap(), or one from parseRegistriesYaml) stays nil.
  if (typeof v === "object" && isGoNilContainer(v) && Object.keys(v).length === 0) return null;
  if (Array.isArray(v)) return v.map(fromJs);
  if (typeof v === "object") {
    const out: { [key: string]: Raw } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = fromJs(x);
    return out;
  }
  return new RawScalar(v, String(v));
}

/** YAML key (registries.yaml) or Go field name (a caller-built Registry object). */
type Keys = "yaml" | "go";
const pick = (m: { [key: string]: Raw }, keys: Keys, yamlKey: string, goKey: string): Raw | undefined =>
  keys === "yaml" ? m[yamlKey] : m[goKey];

function auth(v: Raw | undefined, path: Path, keys: Keys): RegistryAuthConfig | null {
  if (v === undefined || v === null) return null;
  const m = map(v, path);
  return {
    Username: str(pick(m, keys, "username", "Username"), `${path}.username`),
    Password: str(pick(m, keys, "password", "Password"), `${path}.password`),
    Auth: str(pick(m, keys, "auth", "Auth"), `${path}.auth`),
    IdentityToken: str(pick(m, keys, "identity_token", "IdentityToken"), `${path}.identity_token`),
  };
}

function tls(v: Raw | undefined, path: Path, keys: Keys): RegistryTLSConfig | null {
  if (v === undefined || v === null) return null;
  const m = map(v, path);
  return {
    CAFile: str(pick(m, keys, "ca_file", "CAFile"), `${path}.ca_file`),
    CertFile: str(pick(m, keys, "cert_file", "CertFile"), `${path}.cert_file`),
    KeyFile: str(pick(m, keys, "key_file", "KeyFile"), `${path}.key_file`),
    InsecureSkipVerify: bool(
      pick(m, keys, "insecure_skip_verify", "InsecureSkipVerify"),
      `${path}.insecure_skip_verify`,
    ),
  };
}

function mirror(v: Raw | undefined, path: Path, keys: Keys): RegistryMirror {
  const m = map(v, path);
  const eps = pick(m, keys, "endpoint", "Endpoints");
  // Left out or null, Endpoints and Rewrites are Go nil (toJson: null); `[]`/`{}` are empty.
  let endpoints: string[] = nilList();
  if (eps !== undefined && eps !== null) {
    if (!Array.isArray(eps)) {
      if (!(isScalar(eps) && eps.scalar === null)) bad(`${path}.endpoint`, "a sequence of strings", eps);
    } else endpoints = eps.map((e, i) => str(e, `${path}.endpoint[${i}]`));
  }
  const rw = mapOrNil(pick(m, keys, "rewrite", "Rewrites"), `${path}.rewrite`);
  const rewrites: Record<string, string> = rw === undefined ? nilMap() : {};
  for (const [k, r] of sortedEntries(rw ?? {})) rewrites[k] = str(r, `${path}.rewrite.${k}`);
  return { Endpoints: endpoints, Rewrites: rewrites };
}

function config(v: Raw | undefined, path: Path, keys: Keys): RegistryConfig {
  const m = map(v, path);
  return {
    Auth: auth(pick(m, keys, "auth", "Auth"), `${path}.auth`, keys),
    TLS: tls(pick(m, keys, "tls", "TLS"), `${path}.tls`, keys),
  };
}

function fromPlain(doc: Raw, keys: Keys): Registry {
  const top = map(doc, "document");
  const mirrors = mapOrNil(pick(top, keys, "mirrors", "Mirrors"), "mirrors");
  const configs = mapOrNil(pick(top, keys, "configs", "Configs"), "configs");
  const auths = mapOrNil(pick(top, keys, "auths", "Auths"), "auths");
  const out: Registry = {
    Mirrors: mirrors === undefined ? nilMap() : {},
    Configs: configs === undefined ? nilMap() : {},
    Auths: auths === undefined ? nilMap() : {},
  };
  for (const [host, m] of sortedEntries(mirrors ?? {}))
    out.Mirrors[host] = mirror(m, `mirrors.${host}`, keys);
  for (const [host, c] of sortedEntries(configs ?? {}))
    out.Configs[host] = config(c, `configs.${host}`, keys);
  const a = out.Auths as Record<string, RegistryAuthConfig>;
  // An auths entry is an AuthConfig value: null gives the zero struct.
  for (const [host, x] of sortedEntries(auths ?? {}))
    a[host] = auth(x, `auths.${host}`, keys) ?? { Username: "", Password: "", Auth: "", IdentityToken: "" };
  return out;
}

/**
 * Parses registries.yaml (wharfie's `Registry`: `mirrors`, `configs`, `auths`) into the Go-shaped
 * {@link Registry} the templates see. YAML 1.1 rules are used, like K3s's `gopkg.in/yaml.v2`
 * (`yes`/`on` are booleans); scalars are accepted for string fields; unknown keys are ignored. A
 * map or list the file leaves out (or sets to null) is a Go nil map/slice, as yaml.v2 leaves it:
 * an empty object/array here that `toJson` prints as `null`.
 *
 * @example
 * ```ts
 * const reg = parseRegistriesYaml("mirrors:\n  docker.io:\n    endpoint: [\"https://mirror.example.com\"]\n");
 * reg.Mirrors["docker.io"].Endpoints; // ["https://mirror.example.com"]
 * ```
 * @throws CONTAINERD_REGISTRIES_YAML for YAML syntax errors or a value of the wrong type.
 */
export function parseRegistriesYaml(text: string): Registry {
  if (typeof text !== "string")
    throw new ContainerdError("CONTAINERD_REGISTRIES_YAML", "registries.yaml content must be a string", {
      value: typeof text,
    });
  let raw: Raw;
  try {
    const doc = parseDocument(text, { version: "1.1", uniqueKeys: false, prettyErrors: true });
    const first = doc.errors[0];
    if (first) throw first;
    raw = fromYamlNode(doc.contents, doc);
  } catch (err) {
    const line = err instanceof YAMLParseError ? err.linePos?.[0]?.line : undefined;
    throw new ContainerdError(
      "CONTAINERD_REGISTRIES_YAML",
      `registries.yaml is not valid YAML${line ? ` (line ${line})` : ""}: ${(err as Error).message.split("\n")[0]}`,
      {
        value: line,
        cause: err,
      },
    );
  }
  if (raw === null || (isScalar(raw) && raw.scalar === null)) return emptyRegistry();
  return fromPlain(raw, "yaml");
}

/**
 * Copies a caller-built {@link Registry} with keys sorted (Go iterates maps in key order) and the
 * shape checked.
 * @internal
 */
export function sortedRegistry(reg: Registry): Registry {
  const raw = fromJs(reg);
  if (!isMap(raw)) bad("registries", "a Registry object", raw);
  return fromPlain(raw, "go");
}
