import { PULUMI_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/pulumi` (`ClusterSeed`, `ServerUserData`, `AgentUserData`). Codes:
 * `PULUMI_CODES` in src/errors/codes.ts (docs/errors.md). Loads nothing of `@pulumi/pulumi`.
 */
export class PulumiError extends defineErrorClass("PulumiError", PULUMI_CODES) {}
