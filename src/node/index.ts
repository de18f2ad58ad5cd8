/**
 * `k3s-node-kit/node`: public surface of this module.
 * @packageDocumentation
 */

// K3s config file, K3s in Docker, logging sources, install-script env (issue 8).
export { NodeConfigError } from "./config-errors.js";
export type { NodeConfigIssue } from "./config-errors.js";
export type { K3sConfig, K3sFlagKind, K3sFlagName, K3sFlagRole, K3sFlagSpec } from "./k3s-config-schema.js";
export { parseK3sConfigYaml } from "./k3s-config.js";
export { mergeK3sConfigs } from "./k3s-config-merge.js";
export { validateK3sConfig } from "./k3s-config-validate.js";
export { renderK3sConfig, k3sConfigArgs } from "./k3s-config-render.js";
export type {
  K3sConfigRawValue,
  K3sConfigEntry,
  K3sConfigDocument,
  K3sConfigWarning,
  K3sMergedConfig,
  ValidateK3sConfigOptions,
  K3sConfigResult,
} from "./k3s-config.js";
export type { RenderK3sConfigOptions } from "./k3s-config-render.js";
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

// Host checks: labels/taints, egress mode, agentless, SELinux, service manager, NFLOG (issue 6).
export { NodeHostError } from "./host-errors.js";
export {
  KUBELET_LABELS,
  KUBELET_LABEL_NAMESPACES,
  isKubeletLabel,
  isKubernetesLabel,
  parseNodeLabels,
  validateNodeLabels,
} from "./labels.js";
export type { NodeLabel, NodeLabelProblem, NodeLabelValidation, ParsedNodeLabels } from "./labels.js";
export { parseTaints } from "./taints.js";
export type { ParsedTaints, Taint, TaintEffect } from "./taints.js";
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
