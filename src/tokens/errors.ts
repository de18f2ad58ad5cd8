import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Error thrown by `k3s-node-kit/tokens`. `value` never holds a secret: it is a file path, a length or a
 * redacted token shape.
 *
 * Codes: `TOKEN_EMPTY`, `TOKEN_FORMAT`, `TOKEN_CA_HASH_LENGTH`, `TOKEN_CA_INVALID`, `TOKEN_CA_MISMATCH`,
 * `TOKEN_NORMALIZE`, `TOKEN_FILE_INVALID`, `TOKEN_OPTION_INVALID`, `TOKEN_BOOTSTRAP_INVALID`.
 */
export class TokenError extends KitError {
  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(code, message, options);
  }
}
Object.defineProperty(TokenError.prototype, "name", {
  value: "TokenError",
  writable: true,
  configurable: true,
});
