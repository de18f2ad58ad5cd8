/**
 * `k3s-node-kit/node`: kept for compatibility. It re-exports `k3s-node-kit/k3s-config`,
 * `k3s-node-kit/host` and `k3s-node-kit/labels`; import those instead (each loads only its own
 * concern). The error classes are the new folders' `K3sConfigError`, `HostError` and `LabelError`
 * (the codes are unchanged).
 * @packageDocumentation
 */
export * from "../k3s-config/index.js";
export * from "../host/index.js";
export * from "../labels/index.js";
