/**
 * Edge validation of `k3s-node-kit/tokens`: each exported function checks its arguments once where
 * it is entered (src/internal/options.ts does the generic work) and passes the checked values in.
 * A token or password is never echoed in an error: options named `token`/`…Token` are redacted by
 * checkOptions, and positional secrets go through {@link secretArg}.
 * @internal
 */
import { type Check, checkArg, checkOptions, describe, is } from "../internal/options.js";
import { TokenError } from "./errors.js";

/** The module's option error. */
export const fail = (message: string, value: unknown): TokenError =>
  new TokenError("TOKEN_OPTION_INVALID", message, { value });

/** Options object of `what`, checked against `spec` (unknown keys refused with a did-you-mean). */
export function options<T extends object>(value: unknown, spec: { readonly [K in keyof T]-?: Check }, what: string): T {
  return checkOptions<T>(value, spec, fail, what);
}

/** A required options object (`undefined` is refused too). */
export function requiredOptions<T extends object>(value: unknown, spec: { readonly [K in keyof T]-?: Check }, required: readonly (keyof T & string)[], what: string): T {
  if (value === undefined) throw fail(`${what}: options are required`, undefined);
  const o = checkOptions<T>(value, spec, fail, what);
  for (const k of required) {
    if ((o as Record<string, unknown>)[k] === undefined) throw fail(`${what}: option "${k}" is required`, { option: k });
  }
  return o;
}

/** A positional argument of `what`. */
export function arg<T>(value: unknown, check: Check, name: string, what: string): T {
  return checkArg<T>(value, check, name, fail, what);
}

/** A positional secret (a token): the error names its type, never its value. */
export function secretArg(value: unknown, check: Check, name: string, what: string): string {
  const problem = value === undefined ? "is required" : check(value);
  if (problem !== undefined) {
    const got = typeof value === "string" ? `a string of ${value.length} characters` : describe(value);
    throw fail(`${what}: ${name} ${problem}, got ${got}`, { option: name, value: "[Redacted]" });
  }
  return value as string;
}

const MAX_TOKEN = 64 * 1024;

/**
 * A token or password that is written to a file: a string of sane length without control
 * characters (a newline would split the token file or a passwd row; NUL ends it for C readers).
 */
export const token: Check = (v) =>
  typeof v !== "string"
    ? "must be a string"
    : v.length > MAX_TOKEN
      ? `is longer than ${MAX_TOKEN} characters`
      : /[\x00-\x1f\x7f]/.test(v)
        ? "must not contain control characters (newline, NUL…)"
        : undefined;

/** A token that is only parsed (not written): a bounded string. */
export const tokenText: Check = (v) =>
  typeof v !== "string" ? "must be a string" : v.length > MAX_TOKEN ? `is longer than ${MAX_TOKEN} characters` : undefined;

export const dataDir: Check = is.absolutePath;

/** PEM/DER input: a string or bytes, bounded. */
export const pemInput: Check = (v) =>
  typeof v === "string"
    ? is.text(v)
    : v instanceof Uint8Array
      ? v.length > 64 * 1024 * 1024
        ? "is too large"
        : undefined
      : "must be a PEM string or bytes";
