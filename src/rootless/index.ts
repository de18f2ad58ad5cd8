/**
 * `k3s-node-kit/rootless`: rootless K3s host checks and files (k3s-behaviours §10): the
 * `K3S_ROOTLESS_*` settings, the cgroup layout check, port forwards, rootlesskit flags, and the
 * `k3s-rootless.service` user unit.
 * @packageDocumentation
 */
export { RootlessError } from "./errors.js";
export {
  DEFAULT_COPY_UP_DIRS,
  DEFAULT_ROOTLESS_CIDR,
  PAGE_ROOTLESS_MTU,
  SOURCE_ROOTLESS_MTU,
  rootlessSettingsFromEnv,
} from "./settings.js";
export type {
  RootlessSettings,
  RootlessSettingsOptions,
  RootlessSettingsResult,
  RootlessWarning,
} from "./settings.js";
export { rootlessHostPort, rootlessPortForwards } from "./ports.js";
export type {
  RootlessPortForward,
  RootlessPortForwardOptions,
  RootlessPortOptions,
  RootlessServiceLike,
} from "./ports.js";
export { rootlesskitArgs } from "./rootlesskit.js";
export type { RootlesskitArgsOptions } from "./rootlesskit.js";
export { ROOTLESS_USER_UNIT_PATH, rootlessUserUnit } from "./unit.js";
export type { RootlessUserUnitOptions } from "./unit.js";
export { analyzeCgroups, parseMountinfo, parseProcCgroup, rootlessDisablesCgroups } from "./cgroups.js";
export type { CgroupInputs, CgroupMode, CgroupReport, MountinfoEntry, ProcCgroupEntry } from "./cgroups.js";
export { checkCgroups } from "./check-cgroups.js";
export type { CheckCgroupsOptions } from "./check-cgroups.js";
export type { Follow } from "../internal/follow.js";
export { ROOTLESS_SYSCTLS, checkRootlessHost, rootlessPaths, rootlessSysctlProblems } from "./host.js";
export type { RootlessHostReport, RootlessPaths } from "./host.js";
