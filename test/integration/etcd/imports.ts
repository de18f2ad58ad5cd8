export * from "../../../src/etcd/index.js";
export { isKitError } from "../../../src/errors/index.js";
