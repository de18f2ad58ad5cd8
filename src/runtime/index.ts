/**
 * `k3s-node-kit/runtime`: public surface of this module.
 * @packageDocumentation
 */
export {};
