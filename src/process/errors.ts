import { PROCESS_CODES, defineErrorClass } from "../errors/index.js";

/** Errors of `k3s-node-kit/process`. Codes: `PROCESS_CODES` in src/errors/codes.ts (docs/errors.md). */
export class ProcessError extends defineErrorClass("ProcessError", PROCESS_CODES) {}
