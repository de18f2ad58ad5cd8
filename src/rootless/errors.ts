import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors from `k3s-node-kit/rootless`. Codes: `ROOTLESS_INVALID_OPTION`, `ROOTLESS_NODE_IP_INVALID`,
 * `ROOTLESS_CIDR_INVALID`, `ROOTLESS_CIDR_HOST_BITS`, `ROOTLESS_MTU_NEGATIVE`, `ROOTLESS_PORT_INVALID`,
 * `ROOTLESS_SERVICE_INVALID`, `CGROUP_READ_FAILED`.
 */
export class RootlessError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(RootlessError.prototype, "name", {
  value: "RootlessError",
  writable: true,
  configurable: true,
});
