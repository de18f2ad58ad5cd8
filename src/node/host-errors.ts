import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors from the host checks in `k3s-node-kit/node` (labels, taints, egress mode, SELinux, service
 * manager, NFLOG, agentless). Codes: `NODE_INVALID_OPTION`, `NODE_LABEL_MALFORMED`,
 * `NODE_TAINT_INVALID`, `EGRESS_SELECTOR_MODE_INVALID`, `SERVICE_MANAGER_NOT_FOUND`,
 * `SERVICE_NAME_INVALID`, `INSTALL_K3S_URL_INVALID`, `INSTALL_TOKEN_MISSING` (docs/errors.md).
 */
export class NodeHostError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(NodeHostError.prototype, "name", {
  value: "NodeHostError",
  writable: true,
  configurable: true,
});
