/**
 * `k3s-node-kit/etcd`: public surface of this module.
 * @packageDocumentation
 */
export {};
