/**
 * The template "dot": the same shape and Go field names as K3s's `templates.ContainerdConfig`
 * (k3s-behaviours §6.3), so a K3s user template (`config-v3.toml.tmpl`) runs unchanged.
 *
 * Every struct field is always present: Go structs have no "missing" fields, and a template's
 * `{{ if }}`/`{{ with }}` must see the same truthiness as in Go (nil pointers are `null`).
 */

/** `ContainerdRuntimeConfig`: one entry of `ExtraRuntimes`. */
export interface ContainerdRuntimeConfig {
  /** containerd shim type, e.g. `io.containerd.runc.v2`. */
  RuntimeType: string;
  /** Full path of the runtime binary; empty means "no options table" in the V3 template. */
  BinaryName: string;
}

/** wharfie `AuthConfig` (registries.yaml `configs.<host>.auth`). */
export interface RegistryAuthConfig {
  Username: string;
  Password: string;
  Auth: string;
  IdentityToken: string;
}

/** wharfie `TLSConfig` (registries.yaml `configs.<host>.tls`). */
export interface RegistryTLSConfig {
  CAFile: string;
  CertFile: string;
  KeyFile: string;
  InsecureSkipVerify: boolean;
}

/** wharfie `RegistryConfig`: `Auth`/`TLS` are Go pointers, `null` when absent. */
export interface RegistryConfig {
  Auth: RegistryAuthConfig | null;
  TLS: RegistryTLSConfig | null;
}

/** wharfie `Mirror` (registries.yaml `mirrors.<host>`). */
export interface RegistryMirror {
  Endpoints: string[];
  Rewrites: Record<string, string>;
}

/**
 * wharfie `Registry`: the parsed registries.yaml. `toJson` writes wharfie's `json` tags
 * (`mirrors`, `configs`, `auths`, `endpoint`, `ca_file`, ...); a map registries.yaml leaves out is
 * a Go nil map (`null` in `toJson`), which `parseRegistriesYaml` returns as an empty object.
 */
export interface Registry {
  Mirrors: Record<string, RegistryMirror>;
  Configs: Record<string, RegistryConfig>;
  /** wharfie's deprecated `Auths` (not read by K3s's templates); left out it is a nil map. */
  Auths?: Record<string, RegistryAuthConfig>;
}

/** `config.Containerd` (k3s-behaviours §6.1 for the paths). */
export interface ContainerdPaths {
  Address: string;
  Log: string;
  Root: string;
  State: string;
  Config: string;
  Opt: string;
  Template: string;
  BlockIOConfig: string;
  RDTConfig: string;
  Registry: string;
  NoDefault: boolean;
  NonrootDevices: boolean;
  SELinux: boolean;
  Debug: boolean;
  ConfigVersion: number;
}

/** `config.CRIDockerd`. */
export interface CRIDockerdPaths {
  Address: string;
  Root: string;
  Debug: boolean;
}

/** `config.Flannel`: all optional; left-out fields are Go zero values (`Iface` is always a nil pointer). */
export interface FlannelConfig {
  Backend?: string;
  CNIConfFile?: string;
  ConfFile?: string;
  ConfOverride?: boolean;
  IPv6Masq?: boolean;
  ExternalIP?: boolean;
}

/** `utilnet.PortRange` (`ServiceNodePortRange`). */
export interface PortRange {
  Base: number;
  Size: number;
}

/**
 * K3s's `config.Agent`. The required fields are the ones the base templates read; every other K3s
 * field is optional and, when left out, is Go's zero value in the template dot (`""`, `false`, `0`,
 * an empty slice, a nil `net.IP`/`*net.IPNet`). `net.IP` and `*net.IPNet` values are given as text
 * (`"10.43.0.10"`, `"10.42.0.0/16"`), which is what Go prints for them.
 */
export interface AgentConfig {
  PauseImage: string;
  Snapshotter: string;
  ImageServiceSocket: string;
  CNIBinDir: string;
  CNIConfDir: string;
  CNIPlugin: boolean;
  Systemd: boolean;
  NodeName: string;
  Registry: Registry | null;
  SystemDefaultRegistry: string;
  RuntimeSocket: string;
  PodManifests?: string;
  NodeConfigPath?: string;
  ClientKubeletCert?: string;
  ClientKubeletKey?: string;
  ServingKubeletCert?: string;
  ServingKubeletKey?: string;
  ServiceCIDR?: string | null;
  ServiceCIDRs?: string[];
  ServiceNodePortRange?: PortRange;
  ClusterCIDR?: string | null;
  ClusterCIDRs?: string[];
  ClusterDNS?: string | null;
  ClusterDNSs?: string[];
  ClusterDomain?: string;
  ResolvConf?: string;
  RootDir?: string;
  KubeletConfigDir?: string;
  KubeConfigKubelet?: string;
  KubeConfigKubeProxy?: string;
  KubeConfigK3sController?: string;
  NodeIP?: string;
  NodeIPs?: string[];
  NodeExternalIP?: string;
  NodeExternalIPs?: string[];
  NodeInternalDNSs?: string[];
  NodeExternalDNSs?: string[];
  ListenAddress?: string;
  ClientCA?: string;
  ExtraKubeletArgs?: string[];
  ExtraKubeProxyArgs?: string[];
  NodeTaints?: string[];
  NodeLabels?: string[];
  ImageCredProvBinDir?: string;
  ImageCredProvConfig?: string;
  /** A secret in K3s; never filled by the builder. */
  IPSECPSK?: string;
  AirgapExtraRegistry?: string[];
  DisableCCM?: boolean;
  DisableNPC?: boolean;
  MinTLSVersion?: string;
  CipherSuites?: string[];
  Rootless?: boolean;
  ProtectKernelDefaults?: boolean;
  DisableServiceLB?: boolean;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  VLevel?: number;
  VModule?: string;
  LogFile?: string;
  AlsoLogToStderr?: boolean;
}

/**
 * K3s's `config.Node`. `Flannel` and `Token` are optional: left out they are Go zero values in the
 * dot (the builder never fills the join token).
 */
export interface NodeConfig {
  Docker: boolean;
  ContainerRuntimeEndpoint: string;
  ImageServiceEndpoint: string;
  SELinux: boolean;
  EnablePProf: boolean;
  SupervisorMetrics: boolean;
  EmbeddedRegistry: boolean;
  EgressSelectorMode: string;
  Containerd: ContainerdPaths;
  CRIDockerd: CRIDockerdPaths;
  Flannel?: FlannelConfig;
  Images: string;
  AgentConfig: AgentConfig;
  /** The join token: a secret, never filled by the builder. */
  Token?: string;
  ServerHTTPSPort: number;
  SupervisorPort: number;
  DefaultRuntime: string;
}

/** K3s's `templates.ContainerdConfig`: the dot of every containerd config template. */
export interface ContainerdConfig {
  NodeConfig: NodeConfig;
  DisableCgroup: boolean;
  SystemdCgroup: boolean;
  IsRunningInUserNS: boolean;
  EnableUnprivileged: boolean;
  NoDefaultEndpoint: boolean;
  NonrootDevices: boolean;
  PrivateRegistryConfig: Registry | null;
  ExtraRuntimes: Record<string, ContainerdRuntimeConfig>;
  Program: string;
}

/** Containerd config versions K3s renders: 3 (containerd 2.x) and 2 (containerd 1.6/1.7). */
export type ConfigVersion = 2 | 3;

/**
 * A Go-typed value as a caller may give it: any struct field may be left out and any field may be
 * `null`; both mean Go's zero value (nil for pointers, maps and slices).
 */
export type GoInput<T> = T extends readonly (infer E)[]
  ? readonly GoInput<E>[] | null
  : T extends object
    ? { [K in keyof T]?: GoInput<T[K]> | null }
    : T;

/**
 * What {@link ContainerdConfig}-taking functions accept: a K3s-shaped object with any field left
 * out or `null` (Go's zero value of its type), as K3s's Go structs would hold it.
 */
export type ContainerdConfigInput = GoInput<ContainerdConfig>;

/** A parsed registry endpoint URL (Go `url.URL`, the parts containerd uses). */
export interface EndpointURL {
  scheme: string;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

/** K3s's `templates.RegistryEndpoint`. `url` is `null` for a nil URL. */
export interface RegistryEndpoint {
  overridePath: boolean;
  url: EndpointURL | null;
  rewrites: Record<string, string>;
  config: RegistryConfig;
}

/** K3s's `templates.HostConfig`: one `certs.d/<host>/hosts.toml`. */
export interface HostConfig {
  /** The registry's own endpoint (`server =`), or `null`. */
  default: RegistryEndpoint | null;
  program: string;
  endpoints: RegistryEndpoint[];
}
