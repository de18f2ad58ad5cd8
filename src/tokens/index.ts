/**
 * `k3s-node-kit/tokens`: K3s join tokens (format, parse, CA hash), server/agent token files, passwd,
 * bootstrap tokens and token rotation. Uses node:crypto only (no node-forge).
 * @packageDocumentation
 */
export { TokenError } from "./errors.js";
export {
  parseToken,
  formatToken,
  normalizeServerToken,
  TOKEN_PREFIX,
  BOOTSTRAP_TOKEN_PATTERN,
} from "./format.js";
export type { ParsedToken } from "./format.js";
export { caHash } from "./ca-hash.js";
export { validateServerCA } from "./validate.js";
export type { ServerCAValidation } from "./validate.js";
export { parsePasswd, renderPasswd } from "./passwd.js";
export type { PasswdEntry } from "./passwd.js";
export {
  generateServerToken,
  generateAgentToken,
  rotateServerToken,
  verifyServerToken,
  readServerToken,
  randomPassword,
} from "./server-token.js";
export type { ServerTokenResult, GenerateServerTokenOptions, ServerTokenDatastore } from "./server-token.js";
export {
  generateBootstrapToken,
  parseBootstrapToken,
  bootstrapTokenSecret,
  isBootstrapTokenExpired,
  BOOTSTRAP_TOKEN_USAGES,
  DEFAULT_BOOTSTRAP_GROUP,
} from "./bootstrap.js";
export type { BootstrapTokenSecret, BootstrapTokenSecretOptions, BootstrapTokenUsage } from "./bootstrap.js";
