/**
 * `k3s-node-kit/node`: public surface of this module.
 * @packageDocumentation
 */

// K3s config file, K3s in Docker, logging sources, install-script env (issue 8).
export { NodeConfigError } from "./config-errors.js";
export type { NodeConfigIssue } from "./config-errors.js";
export type { K3sConfig, K3sFlagKind, K3sFlagName, K3sFlagRole, K3sFlagSpec } from "./k3s-config-schema.js";
export {
  parseK3sConfigYaml,
  mergeK3sConfigs,
  validateK3sConfig,
  renderK3sConfig,
  k3sConfigArgs,
} from "./k3s-config.js";
export type {
  K3sConfigRawValue,
  K3sConfigEntry,
  K3sConfigDocument,
  K3sConfigWarning,
  K3sMergedConfig,
  ValidateK3sConfigOptions,
  K3sConfigResult,
  RenderK3sConfigOptions,
} from "./k3s-config.js";
export { K3S_CONFIG_PATH, k3sConfigFiles, loadK3sConfig, writeK3sConfig } from "./k3s-config-load.js";
export type { LoadK3sConfigOptions, LoadedK3sConfig, WriteK3sConfigOptions } from "./k3s-config-load.js";
export {
  K3S_DOCKER_IMAGE,
  K3S_KUBECONFIG_PATH,
  isK3sVersion,
  k3sImageTag,
  checkK3sImageRef,
  dockerRunArgs,
  dockerKubeconfigCopyArgs,
} from "./docker.js";
export type { DockerPortMapping, DockerRunOptions, DockerRunCommand } from "./docker.js";
export { helmChartIssues, validateHelmChart, helmChartsToYaml } from "./helm-chart.js";
export type { HelmChart, HelmChartSpec, HelmChartSecretSpec, LocalObjectReference } from "./helm-chart.js";
export { RANCHER_CHARTS_REPO, K3S_NFLOG_GROUP, rancherLoggingHelmCharts, ulogdConfig } from "./logging.js";
export type { RancherLoggingOptions, UlogdOptions } from "./logging.js";
export { installScriptEnv, installScriptCommand } from "./install-script.js";
export type { InstallScriptOptions } from "./install-script.js";
