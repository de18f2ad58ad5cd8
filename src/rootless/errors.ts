import { ROOTLESS_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/rootless`.
 * Codes: `ROOTLESS_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class RootlessError extends defineErrorClass("RootlessError", ROOTLESS_CODES) {}
