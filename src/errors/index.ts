/**
 * The SDK's one error model: a `KitError` base with a stable `code`, the offending `value` and the
 * underlying `cause`; one class per module made by {@link defineErrorClass} from that module's code
 * list in `codes.ts`; a typed {@link isKitError}; and one {@link Problem} shape for validators that
 * return problems instead of throwing.
 */
import type { KitErrorCode } from "./codes.js";

export * from "./codes.js";

const BRAND = Symbol.for("k3s-node-kit.error");

export interface KitErrorOptions {
  /** The offending input (a path, a value, a line). Never a secret. */
  value?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The error base class every k3s-node-kit module throws.
 *
 * Recognise errors with {@link isKitError} (or by `code`), not with `instanceof` alone: an app that
 * loads both the ESM and CJS builds has two copies of this class.
 *
 * @example
 * ```ts
 * import { isKitError } from "k3s-node-kit/errors";
 * try { parseToken(text); } catch (e) { if (isKitError(e, "TOKEN_FORMAT")) console.error(e.value); }
 * ```
 */
export class KitError extends Error {
  /** Stable machine-readable code, e.g. `TEMPLATE_PARSE`, `CERT_KEY_MISMATCH` (docs/errors.md). */
  readonly code: KitErrorCode;
  /** The offending value, if any (never a secret). */
  readonly value: unknown;

  constructor(code: KitErrorCode, message: string, options: KitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.value = options.value;
    Object.defineProperty(this, BRAND, { value: true });
  }
}
setName(KitError, "KitError");

/** A module's error class: a `KitError` whose `code` is one of the module's codes. */
export interface KitErrorClass<Code extends KitErrorCode> {
  new (code: Code, message: string, options?: KitErrorOptions): KitError & { readonly code: Code };
  /** The codes this class throws. */
  readonly codes: readonly Code[];
}

/**
 * Makes a module's error class from its code list. The class is a `KitError`, its `name` is set
 * once on the prototype, and its constructor only takes the listed codes.
 *
 * @example
 * ```ts
 * export class CertError extends defineErrorClass("CertError", CERT_CODES) {}
 * throw new CertError("CERT_KEY_INVALID", "server-ca.key: not a P-256 key", { value: path });
 * ```
 */
export function defineErrorClass<const Codes extends readonly KitErrorCode[]>(
  name: string,
  codes: Codes,
): KitErrorClass<Codes[number]> {
  const ModuleError = class extends KitError {
    static readonly codes = codes;
  };
  setName(ModuleError, name);
  return ModuleError as unknown as KitErrorClass<Codes[number]>;
}

/**
 * True when `error` is a k3s-node-kit error (from either build), optionally with the given `code`.
 * `code` is typed: a misspelt code does not compile.
 *
 * @example
 * ```ts
 * if (isKitError(err, "RESOLV_CONF_WRITE_FAILED")) console.error("cannot write", err.value);
 * ```
 */
export function isKitError(error: unknown): error is KitError;
export function isKitError<C extends KitErrorCode>(error: unknown, code: C): error is KitError & { readonly code: C };
export function isKitError(error: unknown, code?: KitErrorCode): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true &&
    (code === undefined || (error as KitError).code === code)
  );
}

/**
 * One problem found by a validator that reports problems instead of throwing (labels, CoreDNS
 * custom config, K3s config files, CA rotation, …). The same shape everywhere.
 */
export interface Problem<Code extends string = string> {
  /** Stable code of this problem, e.g. `RESTRICTED`, `K3S_CONFIG_TYPE`. */
  code: Code;
  /** Human-readable description. */
  message: string;
  /** What the problem is about: a config key, a dotted path (`spec.set`), a label, a file name. */
  path?: string;
  /** 1-based line, when the input is text. */
  line?: number;
  /** The file that held the value, when known. */
  file?: string;
  /** The offending value (never a secret: secret values are `[Redacted]`). */
  value?: unknown;
}

function setName(cls: abstract new (...args: never[]) => unknown, name: string): void {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
  Object.defineProperty(cls, "name", { value: name, configurable: true });
}
