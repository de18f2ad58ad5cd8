import { parse as parseYaml, YAMLParseError } from "yaml";
import { ContainerdError } from "./errors.js";
import type { Registry, RegistryAuthConfig, RegistryConfig, RegistryMirror, RegistryTLSConfig } from "./types.js";

/** An empty registries config: K3s's dot when registries.yaml does not exist (never nil). */
export function emptyRegistry(): Registry {
  return { Mirrors: {}, Configs: {} };
}

type Path = string;

function bad(path: Path, want: string, got: unknown): never {
  const kind = got === null ? "null" : Array.isArray(got) ? "sequence" : typeof got === "object" ? "mapping" : typeof got;
  throw new ContainerdError("CONTAINERD_REGISTRIES_YAML", `registries.yaml: ${path} must be ${want}, got ${kind}`, { value: path });
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Go yaml.v2 fills a string field from any scalar's text (`port: 5000` → "5000"). */
function str(v: unknown, path: Path): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return bad(path, "a string", v);
}

function bool(v: unknown, path: Path): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  return bad(path, "a boolean", v);
}

function map(v: unknown, path: Path): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (isMap(v)) return v;
  return bad(path, "a mapping", v);
}

function sortedEntries(m: Record<string, unknown>): [string, unknown][] {
  return Object.keys(m)
    .sort()
    .map((k) => [k, m[k]]);
}

/** YAML key (registries.yaml) or Go field name (a caller-built Registry object). */
type Keys = "yaml" | "go";
const pick = (m: Record<string, unknown>, keys: Keys, yamlKey: string, goKey: string): unknown => (keys === "yaml" ? m[yamlKey] : m[goKey]);

function auth(v: unknown, path: Path, keys: Keys): RegistryAuthConfig | null {
  if (v === undefined || v === null) return null;
  const m = map(v, path);
  return {
    Username: str(pick(m, keys, "username", "Username"), `${path}.username`),
    Password: str(pick(m, keys, "password", "Password"), `${path}.password`),
    Auth: str(pick(m, keys, "auth", "Auth"), `${path}.auth`),
    IdentityToken: str(pick(m, keys, "identity_token", "IdentityToken"), `${path}.identity_token`),
  };
}

function tls(v: unknown, path: Path, keys: Keys): RegistryTLSConfig | null {
  if (v === undefined || v === null) return null;
  const m = map(v, path);
  return {
    CAFile: str(pick(m, keys, "ca_file", "CAFile"), `${path}.ca_file`),
    CertFile: str(pick(m, keys, "cert_file", "CertFile"), `${path}.cert_file`),
    KeyFile: str(pick(m, keys, "key_file", "KeyFile"), `${path}.key_file`),
    InsecureSkipVerify: bool(pick(m, keys, "insecure_skip_verify", "InsecureSkipVerify"), `${path}.insecure_skip_verify`),
  };
}

function mirror(v: unknown, path: Path, keys: Keys): RegistryMirror {
  const m = map(v, path);
  const eps = pick(m, keys, "endpoint", "Endpoints");
  let endpoints: string[] = [];
  if (eps !== undefined && eps !== null) {
    if (!Array.isArray(eps)) bad(`${path}.endpoint`, "a sequence of strings", eps);
    endpoints = (eps as unknown[]).map((e, i) => str(e, `${path}.endpoint[${i}]`));
  }
  const rewrites: Record<string, string> = {};
  for (const [k, r] of sortedEntries(map(pick(m, keys, "rewrite", "Rewrites"), `${path}.rewrite`))) rewrites[k] = str(r, `${path}.rewrite.${k}`);
  return { Endpoints: endpoints, Rewrites: rewrites };
}

function config(v: unknown, path: Path, keys: Keys): RegistryConfig {
  const m = map(v, path);
  return { Auth: auth(pick(m, keys, "auth", "Auth"), `${path}.auth`, keys), TLS: tls(pick(m, keys, "tls", "TLS"), `${path}.tls`, keys) };
}

function fromPlain(doc: unknown, keys: Keys): Registry {
  const top = map(doc, "document");
  const out = emptyRegistry();
  for (const [host, m] of sortedEntries(map(pick(top, keys, "mirrors", "Mirrors"), "mirrors"))) out.Mirrors[host] = mirror(m, `mirrors.${host}`, keys);
  for (const [host, c] of sortedEntries(map(pick(top, keys, "configs", "Configs"), "configs"))) out.Configs[host] = config(c, `configs.${host}`, keys);
  return out;
}

/**
 * Parses registries.yaml (wharfie's `Registry`: `mirrors`, `configs`) into the Go-shaped
 * {@link Registry} the templates see. YAML 1.1 rules are used, like K3s's `gopkg.in/yaml.v2`
 * (`yes`/`on` are booleans); scalars are accepted for string fields; unknown keys are ignored.
 *
 * @example
 * ```ts
 * const reg = parseRegistriesYaml("mirrors:\n  docker.io:\n    endpoint: [\"https://mirror.example.com\"]\n");
 * reg.Mirrors["docker.io"].Endpoints; // ["https://mirror.example.com"]
 * ```
 * @throws CONTAINERD_REGISTRIES_YAML for YAML syntax errors or a value of the wrong type.
 */
export function parseRegistriesYaml(text: string): Registry {
  if (typeof text !== "string") throw new ContainerdError("CONTAINERD_REGISTRIES_YAML", "registries.yaml content must be a string", { value: typeof text });
  let doc: unknown;
  try {
    doc = parseYaml(text, { version: "1.1", uniqueKeys: false });
  } catch (err) {
    const line = err instanceof YAMLParseError ? err.linePos?.[0]?.line : undefined;
    throw new ContainerdError("CONTAINERD_REGISTRIES_YAML", `registries.yaml is not valid YAML${line ? ` (line ${line})` : ""}: ${(err as Error).message.split("\n")[0]}`, {
      value: line,
      cause: err,
    });
  }
  if (doc === null || doc === undefined) return emptyRegistry();
  return fromPlain(doc, "yaml");
}

/**
 * Copies a caller-built {@link Registry} with keys sorted (Go iterates maps in key order) and the
 * shape checked.
 * @internal
 */
export function sortedRegistry(reg: Registry): Registry {
  if (!isMap(reg)) bad("registries", "a Registry object", reg);
  return fromPlain(reg, "go");
}
