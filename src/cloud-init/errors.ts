import { CLOUD_INIT_CODES, defineErrorClass } from "../errors/index.js";

/** Errors of `k3s-node-kit/cloud-init`. Codes: `CLOUD_INIT_CODES` in src/errors/codes.ts (docs/errors.md). */
export class CloudInitError extends defineErrorClass("CloudInitError", CLOUD_INIT_CODES) {}
