import { K3S_CONFIG_CODES, defineErrorClass, type KitErrorOptions, type K3sConfigErrorCode, type Problem } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/k3s-config` (the K3s config file: parse, merge, validate, render, load,
 * write). Codes: `K3S_CONFIG_CODES` in src/errors/codes.ts (docs/errors.md).
 */
export class K3sConfigError extends defineErrorClass("K3sConfigError", K3S_CONFIG_CODES) {
  /** Every problem found when a validator collects more than one (the message lists them too). */
  readonly issues: readonly K3sConfigIssue[];

  constructor(
    code: K3sConfigErrorCode,
    message: string,
    options: KitErrorOptions & { issues?: K3sConfigIssue[] } = {},
  ) {
    super(code, message, options);
    this.issues = options.issues ?? [];
  }
}

/**
 * One problem found by a K3s config validator: the SDK's {@link Problem} shape, where `path` is the
 * config key or a dotted path inside an object (`spec.set`). `value` is never a secret.
 */
export type K3sConfigIssue = Problem<K3sConfigErrorCode>;
