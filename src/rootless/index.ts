/**
 * `k3s-node-kit/rootless`: public surface of this module.
 * @packageDocumentation
 */
export {};
