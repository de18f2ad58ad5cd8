/**
 * Edge validation of `k3s-node-kit/cluster`: every export checks its arguments once where it is entered
 * (src/internal/options.ts does the generic work) and passes checked values to the unvalidated inner code.
 * Tokens and passphrases are reported by type and length, never by value; bootstrap data is reported by
 * field name, never by content.
 * @internal
 */
import { type Check, checkArg, checkOptions, describe, is, isPlainRecord } from "../internal/options.js";
import type { BootstrapData } from "./data.js";
import { ClusterError } from "./errors.js";

/** The module's option error. */
export const fail = (message: string, value: unknown): ClusterError =>
  new ClusterError("CLUSTER_OPTION_INVALID", message, { value });

/** An options object of `what` (undefined = `{}`), checked against `spec`; `required` keys must be set. */
export function options<T extends object>(
  value: unknown,
  spec: { readonly [K in keyof T]-?: Check },
  what: string,
  required: readonly (keyof T & string)[] = [],
): T {
  if (value === undefined && required.length > 0) throw fail(`${what}: options are required`, undefined);
  const o = checkOptions<T>(value, spec, fail, what);
  for (const k of required)
    if ((o as Record<string, unknown>)[k] === undefined) throw fail(`${what}: option "${k}" is required`, { option: k });
  return o;
}

/** A positional argument of `what`. */
export function arg<T>(value: unknown, check: Check, name: string, what: string): T {
  return checkArg<T>(value, check, name, fail, what);
}

/** A positional secret (token, passphrase): the error names its type and length, never its value. */
export function secretArg(value: unknown, check: Check, name: string, what: string): string {
  const problem = value === undefined ? "is required" : check(value);
  if (problem !== undefined) {
    const got = typeof value === "string" ? `a string of ${value.length} characters` : describe(value);
    throw fail(`${what}: ${name} ${problem}, got ${got}`, { option: name, value: "[Redacted]" });
  }
  return value as string;
}

const MAX_TOKEN = 64 * 1024;
/** Bootstrap data is a few dozen kB; 64 MiB bounds anything a caller or a server can hand in. */
export const MAX_BYTES = 64 * 1024 * 1024;
const MAX_FIELDS = 10_000;
const MAX_FIELD_NAME = 1024;
/** etcd's default request limit is 1.5 MiB; a key longer than this is never a bootstrap key. */
const MAX_KEY = 64 * 1024;
/** Node's timers hold at most 2^31-1 ms. */
const MAX_MS = 2 ** 31 - 1;

/** A token or passphrase: a bounded string (its form is checked by the tokens module). */
export const secret: Check = (v) =>
  typeof v !== "string" ? "must be a string" : v.length > MAX_TOKEN ? `is longer than ${MAX_TOKEN} characters` : undefined;

/** Bytes (a Buffer or any Uint8Array), bounded. */
export const bytes: Check = (v) =>
  v instanceof Uint8Array ? (v.length > MAX_BYTES ? "is larger than 64 MiB" : undefined) : "must be bytes (a Uint8Array)";

/** Text or bytes, bounded. */
export const textOrBytes: Check = (v) =>
  typeof v === "string" ? (v.length > MAX_BYTES ? "is larger than 64 MiB" : undefined) : v instanceof Uint8Array ? bytes(v) : "must be a string or bytes";

/** A datastore key: a non-empty string without NUL. */
export const key: Check = (v) =>
  typeof v !== "string" || v === "" ? "must be a non-empty string" : v.length > MAX_KEY ? "is too long" : v.includes("\0") ? "must not contain NUL" : undefined;

/** A deadline in ms that a timer can hold. */
export const ms: Check = (v) =>
  typeof v === "number" && Number.isFinite(v) && v > 0 && v <= MAX_MS ? undefined : `must be a number of ms from 1 to ${MAX_MS}`;

/** An object with the etcd client methods the datastore functions call. */
export const etcdClient: Check = (v) =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { range?: unknown }).range === "function" &&
  typeof (v as { txn?: unknown }).txn === "function"
    ? undefined
    : "must be an etcd client (an object with range and txn methods)";

/** An object with a `memberList` method (an etcd client), for `/db/info`. */
export const memberLister: Check = (v) =>
  typeof v === "object" && v !== null && typeof (v as { memberList?: unknown }).memberList === "function"
    ? undefined
    : "must be an etcd client (an object with a memberList method)";

/** A listening host: an IP address or a DNS name. */
export const host: Check = (v) =>
  typeof v === "string" && v.length > 0 && v.length <= 253 && /^[0-9A-Za-z.:-]+$/.test(v) ? undefined : "must be an IP address or host name";

/** A TCP port to listen on; 0 picks a free one. */
export const listenPort: Check = is.integer(0, 65535);

const fieldName = (name: string): string | undefined =>
  name === "" ? "has an empty field name" : name.length > MAX_FIELD_NAME ? "has a field name that is too long" : undefined;

/** One bootstrap file: an RFC 3339 text timestamp and bytes. */
function file(v: unknown): string | undefined {
  if (!isPlainRecord(v)) return "must be an object { timestamp, content }";
  for (const k of Object.keys(v)) if (k !== "timestamp" && k !== "content") return `has an unknown key ${describe(k)}`;
  if (typeof v.timestamp !== "string" || v.timestamp.length > 64) return "has a timestamp that is not an RFC 3339 string";
  return bytes(v.content) === undefined ? undefined : "has a content that is not bytes";
}

/** Bootstrap data: field name → { timestamp, content }. */
export const bootstrapData: Check = (v) => {
  if (!isPlainRecord(v)) return "must be an object of field name → { timestamp, content }";
  const names = Object.keys(v);
  if (names.length > MAX_FIELDS) return `has more than ${MAX_FIELDS} fields`;
  let total = 0;
  for (const name of names) {
    const bad = fieldName(name) ?? file(v[name]);
    if (bad !== undefined) return `field ${describe(name)} ${bad}`;
    total += (v[name] as { content: Uint8Array }).content.length;
    if (total > MAX_BYTES) return "is larger than 64 MiB";
  }
  return undefined;
};

/** A copy with a null prototype, so `__proto__` or `constructor` field names are plain data. */
export function copyData(data: BootstrapData): BootstrapData {
  const out = Object.create(null) as BootstrapData;
  for (const name of Object.keys(data)) out[name] = data[name] as BootstrapData[string];
  return out;
}

/** The disk options: an absolute data dir, and whether secrets encryption is on. */
export const diskSpec = { dataDir: is.absolutePath, secretsEncryption: is.boolean } as const;

/** Deadline and signal of each etcd call. */
export const callSpec = { signal: is.signal, deadlineMs: ms } as const;

/** An https server URL: bounded, parsable. Credentials in it are never echoed (see {@link redactUrl}). */
export const serverUrl: Check = (v) =>
  typeof v !== "string" || v === "" ? "must be an https:// URL" : v.length > 8192 ? "is too long" : v.includes("\0") ? "must not contain NUL" : undefined;

/** A URL as text for messages, with any `user:password@` removed. */
export function redactUrl(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1[Redacted]@");
}
