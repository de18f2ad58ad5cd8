/**
 * `k3s-node-kit/node`: public surface of this module.
 * @packageDocumentation
 */
export {};
