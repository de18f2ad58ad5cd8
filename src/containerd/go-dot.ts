/**
 * Gives the template dot K3s's Go types (k3s-behaviours §6.3): structs are marked with their Go
 * type names so a misspelt field is an execution error as in K3s, nil pointers are typed, maps
 * stay maps. Type names follow `pkg/agent/templates/templates.go`, `pkg/daemons/config/types.go`
 * and wharfie's `pkg/registries`.
 */
import { goNil, goStruct, goStructOf, withElemZero, withGoType } from "../template/index.js";
import type {
  ContainerdConfig,
  ContainerdRuntimeConfig,
  NodeConfig,
  Registry,
  RegistryAuthConfig,
  RegistryConfig,
  RegistryMirror,
} from "./types.js";
import {
  AGENT_FIELDS,
  CONTAINERD_FIELDS,
  CRI_DOCKERD_FIELDS,
  FLANNEL_FIELDS,
  NODE_FIELDS,
  TEMPLATE_FIELDS,
  goStructFrom,
} from "./k3s-structs.js";

const AUTH_FIELDS = ["Username", "Password", "Auth", "IdentityToken"];
const TLS_FIELDS = ["CAFile", "CertFile", "KeyFile", "InsecureSkipVerify"];
const REGISTRY_FIELDS = ["Mirrors", "Configs", "Auths"];

/** A nil-able Go pointer field: `null` becomes a typed nil, an object a marked copy. */
function ptr<T extends object>(
  v: T | null | undefined,
  type: string,
  fields: string[],
  copy: (o: T) => T,
): T {
  if (v === null || v === undefined) return goNil(type, fields) as unknown as T;
  return goStructOf(type, copy(v));
}

function registryConfig(c: RegistryConfig): RegistryConfig {
  return goStruct(
    {
      Auth: ptr(c.Auth, "*registries.AuthConfig", AUTH_FIELDS, (a) => a),
      TLS: ptr(c.TLS, "*registries.TLSConfig", TLS_FIELDS, (t) => t),
    },
    "registries.RegistryConfig",
  );
}

function mirror(m: RegistryMirror): RegistryMirror {
  return goStruct(
    {
      Endpoints: withGoType([...m.Endpoints], "[]string"),
      Rewrites: withGoType({ ...m.Rewrites }, "map[string]string"),
    },
    "registries.Mirror",
  );
}

/** A Go map of struct elements; `zero` is Go's zero element (what `index` of a missing key gives). */
function mapOf<V, W>(m: Record<string, V>, type: string, f: (v: V) => W, zero: V): Record<string, W> {
  const out: Record<string, W> = {};
  for (const k of Object.keys(m)) out[k] = f(m[k] as V);
  return withElemZero(withGoType(out, type), () => f(zero));
}

const authConfig = (a: RegistryAuthConfig): RegistryAuthConfig =>
  goStruct(
    { Username: a.Username, Password: a.Password, Auth: a.Auth, IdentityToken: a.IdentityToken },
    "registries.AuthConfig",
  );

function registry(r: Registry): Registry {
  return {
    Mirrors: mapOf(r.Mirrors ?? {}, "map[string]registries.Mirror", mirror, { Endpoints: [], Rewrites: {} }),
    Configs: mapOf(r.Configs ?? {}, "map[string]registries.RegistryConfig", registryConfig, {
      Auth: null,
      TLS: null,
    }),
    Auths: mapOf(r.Auths ?? {}, "map[string]registries.AuthConfig", authConfig, {
      Username: "",
      Password: "",
      Auth: "",
      IdentityToken: "",
    }),
  };
}

const registryPtr = (r: Registry | null | undefined): Registry =>
  ptr(r, "*registries.Registry", REGISTRY_FIELDS, registry);

function node(n: NodeConfig, shared: { from: Registry | null; to: Registry }): NodeConfig {
  const a = n.AgentConfig;
  // K3s points AgentConfig.Registry and PrivateRegistryConfig at the same registry: keep one copy.
  const reg = a.Registry === shared.from ? shared.to : registryPtr(a.Registry);
  const agent = goStructFrom("config.Agent", AGENT_FIELDS, a, { Registry: reg });
  return goStructFrom("*config.Node", NODE_FIELDS, n, {
    Containerd: goStructFrom("config.Containerd", CONTAINERD_FIELDS, n.Containerd),
    CRIDockerd: goStructFrom("config.CRIDockerd", CRI_DOCKERD_FIELDS, n.CRIDockerd),
    Flannel: goStructFrom("config.Flannel", FLANNEL_FIELDS, n.Flannel ?? {}),
    AgentConfig: agent,
  }) as unknown as NodeConfig;
}

/**
 * A copy of `config` typed like K3s's Go dot: `templates.ContainerdConfig` holding a
 * `*config.Node` (with `config.Containerd`, `config.CRIDockerd`, `config.Agent` values), a
 * `*registries.Registry`, and `ExtraRuntimes` as a `map[string]templates.ContainerdRuntimeConfig`.
 * `null` pointers (registry `Auth`/`TLS`, a missing registry) become typed nil pointers. Every
 * struct has K3s's full field set in K3s's order (k3s-structs.ts); fields `config` leaves out are
 * Go zero values. The copy shares no objects with `config`, so the caller's object is never marked
 * or changed.
 *
 * @example
 * ```ts
 * const dot = goContainerdDot(containerdConfigFor({}));
 * renderTemplate("{{ .NodeConfig.Snapshoter }}", dot); // throws: can't evaluate field Snapshoter in type *config.Node
 * ```
 * @throws CONTAINERD_OPTION_INVALID when a set field does not have its Go type (e.g. `NodeIPs: "x"`).
 */
export function goContainerdDot(config: ContainerdConfig): ContainerdConfig {
  const from = config.PrivateRegistryConfig ?? null;
  const priv = registryPtr(from);
  const nodePtr = node(config.NodeConfig, { from, to: priv });
  const runtimes = mapOf(
    config.ExtraRuntimes ?? {},
    "map[string]templates.ContainerdRuntimeConfig",
    (rt: ContainerdRuntimeConfig) => goStructOf("templates.ContainerdRuntimeConfig", rt),
    { RuntimeType: "", BinaryName: "" },
  );
  // Exactly K3s's fields in K3s's order: a stray key on the caller's object is not a field.
  return goStructFrom("templates.ContainerdConfig", TEMPLATE_FIELDS, config, {
    NodeConfig: nodePtr,
    PrivateRegistryConfig: priv,
    ExtraRuntimes: runtimes,
  }) as unknown as ContainerdConfig;
}
