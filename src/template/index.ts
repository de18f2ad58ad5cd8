/**
 * `k3s-node-kit/template`: public surface of this module.
 * @packageDocumentation
 */
export {};
