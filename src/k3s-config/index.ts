/**
 * `k3s-node-kit/k3s-config`: the K3s config file (`/etc/rancher/k3s/config.yaml` and its
 * `config.yaml.d` drop-ins): parse, merge, validate, render, load and write, as K3s reads it.
 * @packageDocumentation
 */
export { K3sConfigError } from "./errors.js";
export type { K3sConfigIssue } from "./errors.js";
export type { K3sConfig, K3sFlagKind, K3sFlagName, K3sFlagRole, K3sFlagSpec } from "./schema.js";
export { parseK3sConfigYaml } from "./parse.js";
export { mergeK3sConfigs } from "./merge.js";
export { validateK3sConfig } from "./validate.js";
export { renderK3sConfig, k3sConfigArgs } from "./render.js";
export type {
  K3sConfigRawValue,
  K3sConfigEntry,
  K3sConfigDocument,
  K3sConfigWarning,
  K3sMergedConfig,
  ValidateK3sConfigOptions,
  K3sConfigResult,
} from "./parse.js";
export type { RenderK3sConfigOptions } from "./render.js";
export { K3S_CONFIG_PATH, k3sConfigFiles, loadK3sConfig, writeK3sConfig } from "./load.js";
export type { LoadK3sConfigOptions, LoadedK3sConfig, WriteK3sConfigOptions } from "./load.js";
