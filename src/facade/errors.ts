import { NODE_FACADE_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of the root `k3s-node-kit` entry: `planNode`, `createNode`, cloud-init and the process
 * supervisor. Codes: `NODE_FACADE_CODES` in src/errors/codes.ts (docs/errors.md).
 */
export class NodeError extends defineErrorClass("NodeError", NODE_FACADE_CODES) {}
