/**
 * `k3s-node-kit/certs`: public surface of this module.
 * @packageDocumentation
 */
export {};
