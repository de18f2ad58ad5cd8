/**
 * `k3s-node-kit/tokens`: public surface of this module.
 * @packageDocumentation
 */
export {};
