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

/** wharfie `Registry`: the parsed registries.yaml. */
export interface Registry {
  Mirrors: Record<string, RegistryMirror>;
  Configs: Record<string, RegistryConfig>;
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

/** The subset of K3s's `config.Agent` that templates and the builder use. */
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
}

/** The subset of K3s's `config.Node` that templates use (the join token is left out on purpose). */
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
  Images: string;
  AgentConfig: AgentConfig;
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
