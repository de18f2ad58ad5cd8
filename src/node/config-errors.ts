import { NODE_CONFIG_CODES, defineErrorClass, type KitErrorOptions, type NodeConfigErrorCode, type Problem } from "../errors/index.js";

/**
 * Errors from the K3s config file, K3s-in-Docker, logging and install-script helpers of
 * `k3s-node-kit/node`. Codes: `NODE_CONFIG_CODES` in src/errors/codes.ts (docs/errors.md).
 */
export class NodeConfigError extends defineErrorClass("NodeConfigError", NODE_CONFIG_CODES) {
  /** Every problem found when a validator collects more than one (the message lists them too). */
  readonly issues: readonly NodeConfigIssue[];

  constructor(
    code: NodeConfigErrorCode,
    message: string,
    options: KitErrorOptions & { issues?: NodeConfigIssue[] } = {},
  ) {
    super(code, message, options);
    this.issues = options.issues ?? [];
  }
}

/**
 * One problem found by a K3s config validator: the SDK's {@link Problem} shape, where `path` is the
 * config key or a dotted path inside an object (`spec.set`). `value` is never a secret.
 */
export type NodeConfigIssue = Problem<NodeConfigErrorCode>;
