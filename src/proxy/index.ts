/**
 * `k3s-node-kit/proxy`: public surface of this module.
 * @packageDocumentation
 */
export {};
