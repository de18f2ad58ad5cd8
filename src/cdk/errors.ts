import { CDK_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/cdk` (`K3sClusterSeed`, boot user-data, the custom-resource handler).
 * Codes: `CDK_CODES` in src/errors/codes.ts (docs/errors.md). Loads nothing of `aws-cdk-lib`.
 */
export class CdkError extends defineErrorClass("CdkError", CDK_CODES) {}
