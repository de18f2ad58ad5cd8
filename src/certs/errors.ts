import { CERT_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/certs`. `value` is the offending file path or input, never key material.
 * Codes: `CERT_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class CertError extends defineErrorClass("CertError", CERT_CODES) {}
