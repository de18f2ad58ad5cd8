/**
 * `k3s-node-kit/host`: host services around K3s: service manager (systemd/OpenRC), install-script
 * env, SELinux, logging (HelmCharts, ulogd), NFLOG, egress selector, agentless servers, K3s in Docker.
 * @packageDocumentation
 */
export { HostError } from "./errors.js";
export type { HostIssue } from "./errors.js";
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
export {
  AGENTLESS_EGRESS_WARNING,
  DEFAULT_EGRESS_SELECTOR_MODE,
  EGRESS_LABEL,
  egressSelectorConfig,
  parseEgressSelectorMode,
} from "./egress-selector.js";
export type {
  EgressSelectorConfigOptions,
  EgressSelectorDecision,
  EgressSelectorMode,
  EgressSelectorModeOptions,
} from "./egress-selector.js";
export { agentlessServer, runsAgentless } from "./agentless.js";
export type { AgentlessDecisionInput, AgentlessServerOptions, AgentlessServerPlan } from "./agentless.js";
export {
  SELINUX_CONTEXT_TYPE,
  SELINUX_CUSTOM_DATA_DIR_WARNING,
  SELINUX_DEFAULT_DATA_DIR,
  SELINUX_NOT_REQUESTED_WARNING,
  SELINUX_WRONG_CONTEXT_WARNING,
  detectSELinux,
  selinuxContextType,
  selinuxStatusFrom,
  selinuxWarnings,
} from "./selinux.js";
export type { DetectSELinuxOptions, SELinuxCheck, SELinuxCheckInput, SELinuxHostStatus, SELinuxProcInputs } from "./selinux.js";
export {
  chooseServiceManager,
  detectServiceManager,
  renderOpenrcService,
  renderSystemdUnit,
  serviceCommand,
  serviceLayout,
  serviceName,
} from "./service-manager.js";
export type {
  DetectServiceManagerOptions,
  ServiceCommandInput,
  ServiceLayout,
  ServiceManager,
  ServiceManagerProbe,
  ServiceUnitOptions,
} from "./service-manager.js";
export {
  DEFAULT_NFLOG_LIMIT,
  DEFAULT_NFLOG_LIMIT_BURST,
  NFLOG_ANNOTATIONS_WARNING,
  NFLOG_LIMIT_ANNOTATION,
  NFLOG_LIMIT_BURST_ANNOTATION,
  nflogParamsCorrect,
  nflogPolicyName,
  nflogRule,
  parseNflogAnnotations,
} from "./nflog.js";
export type { NflogLimit } from "./nflog.js";
export type { Follow } from "../internal/follow.js";
