import { HOST_CODES, type HostErrorCode, type KitErrorOptions, type Problem, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/host` (service manager, install-script env, SELinux, logging/HelmChart,
 * NFLOG, egress selector, agentless, K3s in Docker). Codes: `HOST_CODES` in src/errors/codes.ts
 * (listed with their meaning in docs/errors.md).
 */
export class HostError extends defineErrorClass("HostError", HOST_CODES) {
  /** Every problem found when a validator collects more than one (the message lists them too). */
  readonly issues: readonly HostIssue[];

  constructor(code: HostErrorCode, message: string, options: KitErrorOptions & { issues?: HostIssue[] } = {}) {
    super(code, message, options);
    this.issues = options.issues ?? [];
  }
}

/** One problem found by a host validator (HelmChart): the SDK's {@link Problem} shape. `value` is never a secret. */
export type HostIssue = Problem<HostErrorCode>;
