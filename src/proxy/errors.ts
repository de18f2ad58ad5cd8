import { PROXY_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/proxy`. `value` holds the offending input (never a proxy password).
 * Codes: `PROXY_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class ProxyError extends defineErrorClass("ProxyError", PROXY_CODES) {}
