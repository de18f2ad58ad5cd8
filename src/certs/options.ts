/**
 * Edge validation of `k3s-node-kit/certs`: the option specs and shape checks each exported function
 * runs once where it is entered (src/internal/options.ts does the generic work). Inner code takes
 * the checked values and does not check again.
 * @internal
 */
import { KeyObject } from "node:crypto";
import { type Check, checkArg, checkOptions, describe, is } from "../internal/options.js";
import { CertError } from "./errors.js";

/** The module's option error. */
export const fail = (message: string, value: unknown): CertError =>
  new CertError("CERT_OPTION_INVALID", message, { value });

/** Options object of `what`, checked against `spec` (unknown keys refused with a did-you-mean). */
export function options<T extends object>(value: unknown, spec: { readonly [K in keyof T]-?: Check }, what: string): T {
  return checkOptions<T>(value, spec, fail, what);
}

/** A positional argument of `what`. */
export function arg<T>(value: unknown, check: Check, name: string, what: string): T {
  return checkArg<T>(value, check, name, fail, what);
}

/** An optional positional argument: `undefined` passes. */
export function optionalArg<T>(value: unknown, check: Check, name: string, what: string): T | undefined {
  return value === undefined ? undefined : checkArg<T>(value, check, name, fail, what);
}

/** Throws unless every key in `keys` is set on the checked options. */
export function required<T extends object>(o: T, keys: readonly (keyof T & string)[], what: string): void {
  for (const k of keys) {
    if ((o as Record<string, unknown>)[k] === undefined) throw fail(`${what}: option "${k}" is required`, { option: k });
  }
}

const MAX_NAME = 4096;

/** A name that goes into a certificate field or a SAN: a non-empty string of sane length, no NUL. */
export const name: Check = (v) =>
  typeof v !== "string" || v === ""
    ? "must be a non-empty string"
    : v.length > MAX_NAME
      ? `is longer than ${MAX_NAME} characters`
      : v.includes("\0")
        ? "must not contain NUL"
        : undefined;

/** A SAN entry: Go's x509 refuses DNS names that are not IA5 (ASCII), so do we. */
export const san: Check = (v) => name(v) ?? (/[^\x01-\x7f]/.test(v as string) ? "must be ASCII (an IA5String, as Go requires)" : undefined);

export const names: Check = is.arrayOf(name);
export const sans: Check = is.arrayOf(san);
/** `--tls-san`-like lists: entries may be empty or comma-joined (split later); ASCII, bounded. */
export const textList: Check = is.arrayOf((v) =>
  typeof v !== "string"
    ? "must be a string"
    : v.length > MAX_NAME * 16
      ? "is too long"
      : /[^\x01-\x7f]/.test(v)
        ? "must be ASCII without NUL (SANs are IA5Strings, as Go requires)"
        : undefined,
);
export const days: Check = is.integer(0, 1_000_000);
export const pem: Check = is.text;
export const bytes: Check = (v) => (v instanceof Uint8Array ? undefined : "must be a Buffer or Uint8Array");
export const dataDir: Check = is.absolutePath;

/** A plain-object shape: the listed fields checked, others allowed (info objects carry more). */
export function shape(fields: Record<string, Check>, optional: readonly string[] = []): Check {
  return (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return "must be an object";
    for (const [k, check] of Object.entries(fields)) {
      let x: unknown;
      try {
        x = (v as Record<string, unknown>)[k];
      } catch {
        return `field "${k}" cannot be read`;
      }
      if (x === undefined && optional.includes(k)) continue;
      const p = x === undefined ? "is required" : check(x);
      if (p !== undefined) return `field "${k}" ${p} (got ${describe(x)})`;
    }
    return undefined;
  };
}

const optionalBytes = bytes;

/** What `fieldsChanged` / `decideLeaf` read of a parsed certificate. */
export const certFields: Check = shape(
  {
    commonName: is.string,
    organization: is.stringArray,
    dnsNames: is.stringArray,
    ipAddresses: is.stringArray,
    notAfter: is.date,
    authorityKeyId: optionalBytes,
  },
  ["authorityKeyId"],
);
/** What a CA's info must carry to check issuers. */
export const caFields: Check = shape({ subjectKeyId: optionalBytes }, ["subjectKeyId"]);
/** `{ notAfter }` of {@link isExpiring}. */
export const expiryFields: Check = shape({ notAfter: is.date });
export const wanted: Check = shape({ commonName: is.string, organization: is.stringArray, altNames: is.stringArray });

/** A usable CertificateAuthority (from createCA / loadCA). */
export const authority: Check = shape({
  certPem: is.string,
  bundlePem: is.string,
  keyPem: is.string,
  privateKey: (v) => (v instanceof KeyObject && v.type === "private" ? undefined : "must be a private KeyObject"),
  info: shape(
    {
      subjectDer: bytes,
      notBefore: is.date,
      notAfter: is.date,
      subjectKeyId: optionalBytes,
    },
    ["subjectKeyId"],
  ),
});
