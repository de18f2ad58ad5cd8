import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Error thrown by `k3s-node-kit/certs`. `value` is the offending file path or input (never key material).
 *
 * Codes: `CERT_PEM_INVALID`, `CERT_KEY_INVALID`, `CERT_KEY_MISMATCH`, `CERT_CA_KEY_MISSING`,
 * `CERT_CA_INVALID`, `CERT_OPTION_INVALID`, `CERT_CSR_INVALID`, `CERT_SERVICE_UNKNOWN`,
 * `CERT_FORMAT_UNKNOWN`, `CERT_ROTATION_INVALID`, `CERT_NOT_A_DATA_DIR`.
 */
export class CertError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(CertError.prototype, "name", {
  value: "CertError",
  writable: true,
  configurable: true,
});
