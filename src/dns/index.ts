/**
 * `k3s-node-kit/dns`: public surface of this module.
 * @packageDocumentation
 */
export {};
