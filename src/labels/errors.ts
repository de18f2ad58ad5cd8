import { LABEL_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/labels` (node labels and taints). Codes: `LABEL_CODES` in
 * src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class LabelError extends defineErrorClass("LabelError", LABEL_CODES) {}
