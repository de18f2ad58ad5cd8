import { KitError, type KitErrorOptions } from "../errors/index.js";

/**
 * Errors of `k3s-node-kit/runtime`. Codes are listed in docs/errors.md.
 * @example
 * ```ts
 * try { resolveDefaultRuntime("runc", {}); } catch (e) { if (isKitError(e, "RUNTIME_DEFAULT_NOT_FOUND")) console.error(e.message); }
 * ```
 */
export class RuntimeError extends KitError {
  constructor(code: RuntimeErrorCode, message: string, options?: KitErrorOptions) {
    super(code, message, options);
  }
}
Object.defineProperty(RuntimeError.prototype, "name", {
  value: "RuntimeError",
  writable: true,
  configurable: true,
});

/** Stable codes thrown by this module. */
export type RuntimeErrorCode =
  | "RUNTIME_DEFAULT_NOT_FOUND"
  | "RUNTIME_UNKNOWN"
  | "RUNTIME_BAD_OPTION"
  | "RUNTIME_CLASS_INVALID";
