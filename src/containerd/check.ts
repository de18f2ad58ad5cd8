/**
 * The argument checks of `k3s-node-kit/containerd` (issue 12, "trust at the boundary"): each
 * export runs one of these at entry, once, and then calls its unchecked inner function; internal
 * callers (the render chain, the writers, createNode) call the inner functions directly.
 *
 * Every problem is a `ContainerdError` `CONTAINERD_OPTION_INVALID` naming the argument, with a
 * short, secret-free `value`. Partial structs are Go zero values (a missing field is `""`, `false`,
 * `null`); only own fields are read, so `__proto__` and `constructor` keys are data, never the
 * prototype. A value of the wrong type (a string where a map belongs) is refused before anything
 * looks inside it.
 * @internal
 */
import { type Check, checkArg, checkOptions, describe, is, isPlainRecord } from "../internal/options.js";
import { ContainerdError } from "./errors.js";
import { goContainerdDot } from "./go-dot.js";
import type { ContainerdConfig, ContainerdConfigInput, EndpointURL, HostConfig, RegistryEndpoint, NodeConfig, RegistryConfig, RegistryTLSConfig } from "./types.js";

/** The module's typed error for a bad argument. */
export const fail = (message: string, value: unknown): ContainerdError =>
  new ContainerdError("CONTAINERD_OPTION_INVALID", message, { value });

/** A string without NUL (paths, names, the text a Go func gets). */
export const plainString: Check = (v) =>
  typeof v !== "string" ? "must be a string" : v.includes("\0") ? "must not contain NUL" : undefined;

/** Checks one positional argument; `optional` lets `undefined` through. */
export function arg<T>(value: unknown, check: Check, name: string, what: string, optional = false): T {
  if (optional && value === undefined) return value as T;
  return checkArg<T>(value, check, name, fail, what);
}

/** A config version: 2 or 3. */
export const configVersion: Check = is.oneOf(2, 3);

/** An own field of `o`, or `undefined` (inherited properties and throwing getters are not fields). */
function own(o: Record<string, unknown>, key: string, what: string, path: string): unknown {
  if (!Object.hasOwn(o, key)) return undefined;
  try {
    return o[key];
  } catch {
    throw fail(`${what}: ${path}.${key} cannot be read`, `${path}.${key}`);
  }
}

/** An object argument (a struct): plain record, or `undefined`/`null` for the zero value. */
function structOf(v: unknown, what: string, path: string): Record<string, unknown> {
  if (v === undefined || v === null) return Object.create(null) as Record<string, unknown>;
  if (!isPlainRecord(v)) throw fail(`${what}: ${path} must be an object, got ${describe(v)}`, path);
  return v;
}

function str(o: Record<string, unknown>, key: string, what: string, path: string): string {
  const v = own(o, key, what, path);
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw fail(`${what}: ${path}.${key} must be a string, got ${describe(v)}`, `${path}.${key}`);
  return v;
}

function bool(o: Record<string, unknown>, key: string, what: string, path: string): boolean {
  const v = own(o, key, what, path);
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw fail(`${what}: ${path}.${key} must be true or false, got ${describe(v)}`, `${path}.${key}`);
  return v;
}

/** A Go `url.URL` (the parts {@link urlString} prints), missing parts `""`. */
export function endpointURL(v: unknown, what: string, path: string): EndpointURL {
  const o = structOf(v, what, path);
  return {
    scheme: str(o, "scheme", what, path),
    host: str(o, "host", what, path),
    path: str(o, "path", what, path),
    rawQuery: str(o, "rawQuery", what, path),
    fragment: str(o, "fragment", what, path),
  };
}

function tlsConfig(v: unknown, what: string, path: string): RegistryTLSConfig | null {
  if (v === undefined || v === null) return null;
  const o = structOf(v, what, path);
  return {
    CAFile: str(o, "CAFile", what, path),
    CertFile: str(o, "CertFile", what, path),
    KeyFile: str(o, "KeyFile", what, path),
    InsecureSkipVerify: bool(o, "InsecureSkipVerify", what, path),
  };
}

/** Auth is never printed into hosts.toml; only its presence matters (and it is never echoed). */
function registryConfig(v: unknown, what: string, path: string): RegistryConfig {
  const o = structOf(v, what, path);
  const auth = own(o, "Auth", what, path);
  if (auth !== undefined && auth !== null && !isPlainRecord(auth))
    throw fail(`${what}: ${path}.Auth must be an object, got ${typeof auth}`, `${path}.Auth`);
  return {
    Auth: (auth ?? null) as RegistryConfig["Auth"],
    TLS: tlsConfig(own(o, "TLS", what, path), what, `${path}.TLS`),
  };
}

function registryEndpoint(v: unknown, what: string, path: string): RegistryEndpoint {
  const o = structOf(v, what, path);
  const url = own(o, "url", what, path);
  const rewritesIn = structOf(own(o, "rewrites", what, path), what, `${path}.rewrites`);
  const rewrites = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(rewritesIn)) rewrites[k] = str(rewritesIn, k, what, `${path}.rewrites`);
  return {
    overridePath: bool(o, "overridePath", what, path),
    url: url === undefined || url === null ? null : endpointURL(url, what, `${path}.url`),
    rewrites,
    config: registryConfig(own(o, "config", what, path), what, `${path}.config`),
  };
}

/** A {@link HostConfig} (as `registryHostConfigs` makes), checked and copied; missing fields are zero. */
export function hostConfig(v: unknown, what: string): HostConfig {
  if (!isPlainRecord(v)) throw fail(`${what}: host must be a HostConfig object, got ${describe(v)}`, "host");
  const d = own(v, "default", what, "host");
  const list = own(v, "endpoints", what, "host");
  if (list !== undefined && list !== null && !(Array.isArray(list) && list.length <= 100_000))
    throw fail(`${what}: host.endpoints must be a list, got ${describe(list)}`, "host.endpoints");
  return {
    program: str(v, "program", what, "host"),
    default: d === undefined || d === null ? null : registryEndpoint(d, what, "host.default"),
    endpoints: ((list ?? []) as unknown[]).map((e, i) => registryEndpoint(e, what, `host.endpoints[${i}]`)),
  };
}

/** A config object (ContainerdConfig or a partial one); its fields are typed by goContainerdDot. */
export function configObject(v: unknown, what: string): void {
  if (!isPlainRecord(v))
    throw fail(`${what}: config must be a ContainerdConfig object (see containerdConfigFor), got ${describe(v)}`, "config");
}

/**
 * The node config of a checked `config`, typed like K3s's Go dot: a config without `NodeConfig`,
 * or with partial structs, reads as Go's zero values.
 */
export function nodeConfigOf(config: unknown, what: string): NodeConfig {
  configObject(config, what);
  const c = config as ContainerdConfigInput;
  const node = Object.hasOwn(c, "NodeConfig") ? c.NodeConfig : undefined;
  return (goContainerdDot({ ...c, NodeConfig: node ?? {} } as ContainerdConfigInput) as ContainerdConfig).NodeConfig;
}

/** An environment object (`process.env` or a plain one); only `key` is read, a string or unset. */
export function envCheck(key: string): Check {
  return (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return "must be an object of strings";
    let x: unknown;
    try {
      x = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
    } catch {
      return `cannot be read at ${key}`;
    }
    return x === undefined || typeof x === "string" ? undefined : `must hold a string at ${key}`;
  };
}

export { checkOptions, is };
