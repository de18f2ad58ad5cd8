import { NODE_HOST_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of the host checks of `k3s-node-kit/node` (labels/taints, egress, agentless, SELinux, services, NFLOG).
 * Codes: `NODE_HOST_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class NodeHostError extends defineErrorClass("NodeHostError", NODE_HOST_CODES) {}
