import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors from the K3s config file, K3s-in-Docker, logging and install-script helpers of
 * `k3s-node-kit/node`. Codes are listed in docs/errors.md (prefixes `K3S_CONFIG_`,
 * `K3S_IMAGE_`, `DOCKER_`, `HELMCHART_`, `LOGGING_`, `ULOGD_`, `INSTALL_`).
 */
export class NodeConfigError extends KitError {
  /** Every problem found when a validator collects more than one (the message lists them too). */
  readonly issues: readonly NodeConfigIssue[];

  constructor(code: string, message: string, options: KitErrorOptions & { issues?: NodeConfigIssue[] } = {}) {
    super(code, message, options);
    this.issues = options.issues ?? [];
  }
}
Object.defineProperty(NodeConfigError.prototype, "name", {
  value: "NodeConfigError",
  writable: true,
  configurable: true,
});

/** One problem found by a validator. `value` is never a secret (secret keys carry the redaction marker). */
export interface NodeConfigIssue {
  /** Stable code of this problem, e.g. `K3S_CONFIG_TYPE`. */
  code: string;
  /** Human-readable description naming the file/key/value. */
  message: string;
  /** The config key, or a dotted path inside an object (`spec.set`). */
  key?: string;
  /** The file that set the value, when known. */
  file?: string;
  /** The offending value (redacted for secret keys). */
  value?: unknown;
}
