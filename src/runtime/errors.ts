import { RUNTIME_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/runtime`.
 * Codes: `RUNTIME_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class RuntimeError extends defineErrorClass("RuntimeError", RUNTIME_CODES) {}
export type { RuntimeErrorCode } from "../errors/index.js";
