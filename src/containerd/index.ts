/**
 * `k3s-node-kit/containerd`: containerd config rendering exactly as K3s does it
 * (k3s-behaviours §6, §8): the Go-shaped template dot, base templates for config versions 3
 * and 2, user-template overrides, `trimEmpty`, TOML validation, registries.yaml → hosts.toml,
 * and cri-dockerd arguments.
 * @packageDocumentation
 */
export { containerdConfigFor } from "./builder.js";
export type { ContainerdConfigOptions } from "./builder.js";
export { renderContainerdConfig, baseTemplateText, templateFileName } from "./render.js";
export type { RenderContainerdOptions } from "./render.js";
export { goContainerdDot } from "./go-dot.js";
export { writeContainerdConfig, containerdArgs } from "./write-config.js";
export type {
  WriteContainerdConfigOptions,
  WriteContainerdConfigResult,
  ContainerdEvent,
  ContainerdTemplateEvent,
  ContainerdWrittenEvent,
} from "./write-config.js";
export { trimEmpty } from "./trim-empty.js";
export { validateContainerdToml } from "./validate-toml.js";
export type { TomlProblem } from "./validate-toml.js";
export { deschemify, toJson, filepathjoin } from "./funcs.js";
export {
  KNOWN_SNAPSHOTTERS,
  STARGZ_IMAGE_SERVICE_SOCKET,
  checkSnapshotter,
  imageServiceSocket,
} from "./snapshotters.js";
export type { Snapshotter } from "./snapshotters.js";
export {
  containerdLayout,
  DEFAULT_DATA_DIR,
  DEFAULT_STATE_DIR,
  DEFAULT_PAUSE_IMAGE,
  CRI_DOCKERD_ADDRESS,
} from "./paths.js";
export type { ContainerdLayout } from "./paths.js";
export { parseRegistriesYaml, emptyRegistry } from "./registries.js";
export { registryHostConfigs, renderHostsToml, HOSTS_TOML_HEADER } from "./hosts.js";
export type { HostConfig, HostConfigsOptions, RegistryEndpoint } from "./hosts.js";
export { normalizeEndpointAddress, urlString } from "./endpoint.js";
export type { EndpointURL, NormalizedEndpoint } from "./endpoint.js";
export { writeContainerdHosts } from "./write-hosts.js";
export type { WriteContainerdHostsOptions } from "./write-hosts.js";
export { configVersionForContainerd } from "./version.js";
export { criDockerdArgs } from "./cri-dockerd.js";
export type { CriDockerdArgsOptions } from "./cri-dockerd.js";
export { ContainerdError } from "./errors.js";
export type { ContainerdErrorCode } from "./errors.js";
export type {
  AgentConfig,
  CRIDockerdPaths,
  ConfigVersion,
  ContainerdConfig,
  ContainerdConfigInput,
  GoInput,
  ContainerdPaths,
  ContainerdRuntimeConfig,
  FlannelConfig,
  NodeConfig,
  PortRange,
  Registry,
  RegistryAuthConfig,
  RegistryConfig,
  RegistryMirror,
  RegistryTLSConfig,
} from "./types.js";
