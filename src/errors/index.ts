/**
 * The error base class every k3s-node-kit module throws.
 *
 * Every error has a stable string `code` (listed in docs/errors.md), the offending `value` when
 * there is one, and the underlying error as `cause`. Recognise them with {@link isKitError} (or by
 * `code`), not with `instanceof` alone: an app that loads both the ESM and CJS builds has two copies
 * of this class.
 *
 * @example
 * ```ts
 * import { isKitError } from "k3s-node-kit/errors";
 * try { parseToken(text); } catch (e) { if (isKitError(e, "TOKEN_INVALID")) console.error(e.value); }
 * ```
 */
const BRAND = Symbol.for("k3s-node-kit.error");

export interface KitErrorOptions {
  /** The offending input (a path, a value, a line). Never pass a secret here. */
  value?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

export class KitError extends Error {
  /** Stable machine-readable code, e.g. `TEMPLATE_PARSE`, `CERT_KEY_MISMATCH`. */
  readonly code: string;
  /** The offending value, if any. */
  readonly value: unknown;

  constructor(code: string, message: string, options: KitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.value = options.value;
    Object.defineProperty(this, BRAND, { value: true });
  }
}
Object.defineProperty(KitError.prototype, "name", { value: "KitError", writable: true, configurable: true });

/**
 * True when `error` is a k3s-node-kit error (from either build), optionally with the given `code`.
 *
 * @example
 * ```ts
 * import { locateResolvConf } from "k3s-node-kit/dns";
 * import { isKitError } from "k3s-node-kit/errors";
 *
 * try {
 *   await locateResolvConf({ dataDir: "/var/lib/rancher/k3s" });
 * } catch (err) {
 *   // No viable host resolv.conf, and the stub under dataDir could not be written.
 *   if (isKitError(err, "RESOLV_CONF_WRITE_FAILED")) console.error("cannot write", err.value);
 *   else throw err;
 * }
 * ```
 */
export function isKitError(error: unknown, code?: string): error is KitError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true &&
    (code === undefined || (error as KitError).code === code)
  );
}
