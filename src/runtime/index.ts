/**
 * `k3s-node-kit/runtime`: alternative container runtime detection, `--default-runtime` checks and
 * RuntimeClass manifests, as K3s does them (k3s-behaviours §7).
 * @packageDocumentation
 */
export { detectRuntimes, runtimeSearchDirs } from "./detect.js";
export type { DetectRuntimesOptions } from "./detect.js";
export { resolveDefaultRuntime } from "./default-runtime.js";
export { runtimeClassManifests } from "./runtime-classes.js";
export type { RuntimeClassOptions } from "./runtime-classes.js";
export { KNOWN_RUNTIMES, RUNTIME_EXTRA_DIRS } from "./table.js";
export type { DetectedRuntimes, KnownRuntime, RuntimeConfig, RuntimeName } from "./table.js";
export { RuntimeError } from "./errors.js";
export type { RuntimeErrorCode } from "./errors.js";
