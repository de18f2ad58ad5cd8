import { TOKEN_CODES, defineErrorClass } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/tokens`. `value` never holds a secret (paths, lengths, `"<redacted>"`).
 * Codes: `TOKEN_CODES` in src/errors/codes.ts (listed with their meaning in docs/errors.md).
 */
export class TokenError extends defineErrorClass("TokenError", TOKEN_CODES) {}
