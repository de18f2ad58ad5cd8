/**
 * The full field lists of the K3s structs in the template dot, in K3s's declaration order
 * (k3s `pkg/daemons/config/types.go` at af977adf: `config.Node`, `config.Containerd`,
 * `config.CRIDockerd`, `config.Flannel`, `config.Agent`; wharfie v0.7.1 `pkg/registries`).
 * A user template may read any of them, as in K3s; fields the builder does not fill get Go's
 * zero value of their Go type (see {@link goField}).
 */
import { goNil, goStruct, goStructOf, withGoType } from "../template/index.js";
import { ContainerdError } from "./errors.js";

/**
 * The Go types of the modelled fields. Structs nested by value (`Containerd`, `AgentConfig`, ...)
 * and the registry pointer are built by go-dot.ts, so they are `"struct"` here.
 */
export type GoFieldType =
  | "string"
  | "bool"
  | "int"
  | "[]string"
  | "net.IP"
  | "[]net.IP"
  | "*net.IPNet"
  | "[]*net.IPNet"
  | "net.PortRange"
  | "*net.Interface"
  | "struct";

type Fields = readonly (readonly [string, GoFieldType])[];

const s = "string";
const b = "bool";

/** `templates.ContainerdConfig` (k3s `pkg/agent/templates/templates.go`): the dot itself. */
export const TEMPLATE_FIELDS: Fields = [
  ["NodeConfig", "struct"],
  ["DisableCgroup", b],
  ["SystemdCgroup", b],
  ["IsRunningInUserNS", b],
  ["EnableUnprivileged", b],
  ["NoDefaultEndpoint", b],
  ["NonrootDevices", b],
  ["PrivateRegistryConfig", "struct"],
  ["ExtraRuntimes", "struct"],
  ["Program", s],
];

/** `config.Node`. */
export const NODE_FIELDS: Fields = [
  ["Docker", b],
  ["ContainerRuntimeEndpoint", s],
  ["ImageServiceEndpoint", s],
  ["SELinux", b],
  ["EnablePProf", b],
  ["SupervisorMetrics", b],
  ["EmbeddedRegistry", b],
  ["EgressSelectorMode", s],
  ["Containerd", "struct"],
  ["CRIDockerd", "struct"],
  ["Flannel", "struct"],
  ["Images", s],
  ["AgentConfig", "struct"],
  ["Token", s],
  ["ServerHTTPSPort", "int"],
  ["SupervisorPort", "int"],
  ["DefaultRuntime", s],
];

/** `config.Containerd`. */
export const CONTAINERD_FIELDS: Fields = [
  ["Address", s],
  ["Log", s],
  ["Root", s],
  ["State", s],
  ["Config", s],
  ["Opt", s],
  ["Template", s],
  ["BlockIOConfig", s],
  ["RDTConfig", s],
  ["Registry", s],
  ["NoDefault", b],
  ["NonrootDevices", b],
  ["SELinux", b],
  ["Debug", b],
  ["ConfigVersion", "int"],
];

/** `config.CRIDockerd`. */
export const CRI_DOCKERD_FIELDS: Fields = [
  ["Address", s],
  ["Root", s],
  ["Debug", b],
];

/** `config.Flannel`. */
export const FLANNEL_FIELDS: Fields = [
  ["Backend", s],
  ["CNIConfFile", s],
  ["ConfFile", s],
  ["ConfOverride", b],
  ["Iface", "*net.Interface"],
  ["IPv6Masq", b],
  ["ExternalIP", b],
];

/** `config.Agent`. */
export const AGENT_FIELDS: Fields = [
  ["PodManifests", s],
  ["NodeName", s],
  ["NodeConfigPath", s],
  ["ClientKubeletCert", s],
  ["ClientKubeletKey", s],
  ["ServingKubeletCert", s],
  ["ServingKubeletKey", s],
  ["ServiceCIDR", "*net.IPNet"],
  ["ServiceCIDRs", "[]*net.IPNet"],
  ["ServiceNodePortRange", "net.PortRange"],
  ["ClusterCIDR", "*net.IPNet"],
  ["ClusterCIDRs", "[]*net.IPNet"],
  ["ClusterDNS", "net.IP"],
  ["ClusterDNSs", "[]net.IP"],
  ["ClusterDomain", s],
  ["ResolvConf", s],
  ["RootDir", s],
  ["KubeletConfigDir", s],
  ["KubeConfigKubelet", s],
  ["KubeConfigKubeProxy", s],
  ["KubeConfigK3sController", s],
  ["NodeIP", s],
  ["NodeIPs", "[]net.IP"],
  ["NodeExternalIP", s],
  ["NodeExternalIPs", "[]net.IP"],
  ["NodeInternalDNSs", "[]string"],
  ["NodeExternalDNSs", "[]string"],
  ["RuntimeSocket", s],
  ["ImageServiceSocket", s],
  ["ListenAddress", s],
  ["ClientCA", s],
  ["CNIBinDir", s],
  ["CNIConfDir", s],
  ["ExtraKubeletArgs", "[]string"],
  ["ExtraKubeProxyArgs", "[]string"],
  ["PauseImage", s],
  ["Snapshotter", s],
  ["Systemd", b],
  ["CNIPlugin", b],
  ["NodeTaints", "[]string"],
  ["NodeLabels", "[]string"],
  ["ImageCredProvBinDir", s],
  ["ImageCredProvConfig", s],
  ["IPSECPSK", s],
  ["Registry", "struct"],
  ["SystemDefaultRegistry", s],
  ["AirgapExtraRegistry", "[]string"],
  ["DisableCCM", b],
  ["DisableNPC", b],
  ["MinTLSVersion", s],
  ["CipherSuites", "[]string"],
  ["Rootless", b],
  ["ProtectKernelDefaults", b],
  ["DisableServiceLB", b],
  ["EnableIPv4", b],
  ["EnableIPv6", b],
  ["VLevel", "int"],
  ["VModule", s],
  ["LogFile", s],
  ["AlsoLogToStderr", b],
];

function bad(type: string, v: unknown): never {
  throw new ContainerdError("CONTAINERD_OPTION_INVALID", `a ${type} field holds ${typeof v}`, { value: v });
}

// Zero values are immutable, so one frozen instance of each serves every dot (building ~130
// fields per render must stay cheap; defineProperty per empty slice is not).
const ZERO_LISTS: Record<string, unknown> = {};
for (const t of ["[]string", "[]net.IP", "[]*net.IPNet"]) ZERO_LISTS[t] = Object.freeze(withGoType([], t));
const NIL_IP = Object.freeze(goNil("net.IP", []));
const NIL_IPNET = Object.freeze(goNil("*net.IPNet", ["IP", "Mask"]));
const NIL_INTERFACE = Object.freeze(
  goNil("*net.Interface", ["Index", "MTU", "Name", "HardwareAddr", "Flags"]),
);

function list(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return ZERO_LISTS[type];
  if (!Array.isArray(v) || !v.every((e) => typeof e === "string")) bad(type, v);
  return withGoType([...v], type);
}

function scalar(v: unknown, type: string, zero: unknown, ok: (v: unknown) => boolean): unknown {
  if (v === undefined) return zero;
  if (!ok(v)) bad(type, v);
  return v;
}

/**
 * The dot value of one field: the caller's value (`v`) shaped as its Go type, or Go's zero value
 * when `v` is undefined. Go prints a nil `net.IP`, `*net.IPNet` and `*net.Interface` as `<nil>` and
 * they are false in `if`: they become typed nil pointers. A set `net.IP`/`*net.IPNet` is kept as its
 * text, which is what Go's `String()` prints. Nil slices print `[]` like empty ones.
 * @throws CONTAINERD_OPTION_INVALID when `v` is set but not of the field's type.
 */
export function goField(type: GoFieldType, v: unknown): unknown {
  switch (type) {
    case "string":
      return scalar(v, type, "", (x) => typeof x === "string");
    case "bool":
      return scalar(v, type, false, (x) => typeof x === "boolean");
    case "int":
      return scalar(v, type, 0, (x) => typeof x === "number" && Number.isSafeInteger(x));
    case "[]string":
    case "[]net.IP":
    case "[]*net.IPNet":
      return list(v, type);
    case "net.IP":
      if (v === undefined || v === null || v === "") return NIL_IP;
      return scalar(v, type, "", (x) => typeof x === "string");
    case "*net.IPNet":
      if (v === undefined || v === null || v === "") return NIL_IPNET;
      return scalar(v, type, "", (x) => typeof x === "string");
    case "*net.Interface":
      return NIL_INTERFACE;
    case "net.PortRange": {
      // k8s.io/apimachinery util/net.PortRange{Base, Size int}.
      const r = (typeof v === "object" && v !== null ? v : {}) as { Base?: unknown; Size?: unknown };
      return goStructOf("net.PortRange", {
        Base: goField("int", r.Base),
        Size: goField("int", r.Size),
      });
    }
    case "struct":
      return v;
  }
}

/** Per field list: the zero value of each field (computed once). */
const COMPILED = new WeakMap<Fields, { zero: Record<string, unknown> }>();

function compiled(fields: Fields) {
  let c = COMPILED.get(fields);
  if (c === undefined) {
    const zero: Record<string, unknown> = {};
    // Shared by every dot, so frozen: a caller changing one dot cannot change another.
    for (const [name, t] of fields)
      zero[name] = t === "struct" ? undefined : Object.freeze(goField(t, undefined));
    c = { zero };
    COMPILED.set(fields, c);
  }
  return c;
}

/**
 * A Go struct of type `type` with every field of `fields` in declaration order, taking values from
 * `src` and Go zero values for the rest; `nested` supplies the `"struct"` fields. Keys of `src` that
 * are not fields are ignored.
 * @throws CONTAINERD_OPTION_INVALID when a set field does not have its Go type.
 */
export function goStructFrom(
  type: string,
  fields: Fields,
  src: object,
  nested: Record<string, unknown> = {},
): Record<string, unknown> {
  const { zero } = compiled(fields);
  const from = src as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, t] of fields) {
    const v = from[name];
    out[name] = t === "struct" ? nested[name] : v === undefined ? zero[name] : goField(t, v);
  }
  return goStruct(out, type);
}
