/**
 * `k3s-node-kit/process`: the SDK's one process supervisor (spawn, readiness, logs, restart with
 * backoff, clean stop, no child outliving the host) and host probes (`containerd --version`).
 * `createNode()` and `startEmbeddedEtcd()` run their processes through it.
 * @packageDocumentation
 */
export { superviseProcess } from "./supervise.js";
export type { SupervisedProcess, SupervisorEvent, SupervisorOptions } from "./supervise.js";
export { runProbe } from "./probe.js";
export type { ProbeOptions } from "./probe.js";
export { ProcessError } from "./errors.js";
