import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors from `k3s-node-kit/dns`. Codes: `DNS_INVALID_OPTION`, `RESOLV_CONF_LINE_TOO_LONG`,
 * `RESOLV_CONF_WRITE_FAILED`, `COREDNS_CUSTOM_INVALID`, `COREDNS_CLUSTER_DOMAIN_INVALID`.
 */
export class DnsError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(DnsError.prototype, "name", { value: "DnsError", writable: true, configurable: true });
