/**
 * `k3s-node-kit/containerd`: public surface of this module.
 * @packageDocumentation
 */
export {};
