import { CLUSTER_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Error thrown by `k3s-node-kit/cluster`. `value` never holds a token or file content: it is a
 * datastore key, a field name, a path or a length. Codes: `CLUSTER_CODES` (docs/errors.md).
 *
 * @example
 * ```ts
 * try { decryptBootstrapValue(token, value); } catch (e) { if (isKitError(e, "CLUSTER_BOOTSTRAP_DECRYPT")) ... }
 * ```
 */
export class ClusterError extends defineErrorClass("ClusterError", CLUSTER_CODES) {}
