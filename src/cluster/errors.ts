import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Error thrown by `k3s-node-kit/cluster`. `value` never holds a token or file content: it is a
 * datastore key, a field name, a path or a length.
 *
 * Codes: `CLUSTER_BOOTSTRAP_FORMAT`, `CLUSTER_BOOTSTRAP_DECRYPT`, `CLUSTER_BOOTSTRAP_JSON`,
 * `CLUSTER_BOOTSTRAP_TOKEN_MISMATCH`, `CLUSTER_BOOTSTRAP_MISSING`, `CLUSTER_BOOTSTRAP_LOCKED`,
 * `CLUSTER_BOOTSTRAP_NEWER_ON_DISK`, `CLUSTER_BOOTSTRAP_READ`, `CLUSTER_OPTION_INVALID`, `CLUSTER_JOIN_UNREACHABLE`,
 * `CLUSTER_JOIN_CA_VALIDATION`, `CLUSTER_JOIN_FORBIDDEN`, `CLUSTER_JOIN_FAILED`.
 */
export class ClusterError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(ClusterError.prototype, "name", {
  value: "ClusterError",
  writable: true,
  configurable: true,
});
