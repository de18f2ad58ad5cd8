import { DNS_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/dns`. `value` holds the offending input.
 * Codes: `DNS_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class DnsError extends defineErrorClass("DnsError", DNS_CODES) {}
