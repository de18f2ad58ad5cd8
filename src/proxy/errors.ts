import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors from `k3s-node-kit/proxy`. Codes: `PROXY_INVALID_OPTION`, `PROXY_INVALID_CIDR`,
 * `PROXY_INVALID_DOMAIN`, `ENV_FILE_INVALID_NAME`, `ENV_FILE_INVALID_VALUE`, `ENV_FILE_INVALID_UTF8`.
 */
export class ProxyError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(ProxyError.prototype, "name", {
  value: "ProxyError",
  writable: true,
  configurable: true,
});
