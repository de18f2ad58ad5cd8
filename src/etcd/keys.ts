import { EtcdError } from "./errors.js";
import { checkPrefix } from "./validate.js";

/** A key or value: UTF-8 text or raw bytes. */
export type Bytes = string | Uint8Array;

/** Turns a key or value into bytes (UTF-8 for strings). Pure. @internal */
export function toBytes(v: Bytes, what = "key"): Uint8Array {
  if (typeof v === "string") return Buffer.from(v, "utf8");
  if (v instanceof Uint8Array) return v;
  throw new EtcdError("ETCD_INVALID_ARGUMENT", `${what} must be a string or Uint8Array, got ${typeof v}`, {
    value: typeof v,
  });
}

const ZERO = /*@__PURE__*/ Buffer.from([0]);

/**
 * The range end that selects every key starting with `prefix`: the prefix with its last byte
 * below 0xff incremented (trailing 0xff bytes dropped); `\0` (all keys) when there is none. Pure.
 *
 * @example
 * ```ts
 * prefixEnd(Buffer.from("a/")) // "a0"
 * ```
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  prefix = checkPrefix(prefix);
  for (let i = prefix.length - 1; i >= 0; i--) {
    const b = prefix[i] as number;
    if (b < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = b + 1;
      return end;
    }
  }
  return ZERO;
}

/** Key selection shared by range, delete and watch. */
export interface KeySelector {
  /** The key (or first key of the range). */
  key: Bytes;
  /** Select every key with `key` as prefix. */
  prefix?: boolean;
  /** Explicit exclusive end of the range (`"\0"` = to the end). Exclusive with `prefix`. */
  rangeEnd?: Bytes;
}

/** Turns a selector into key + range end. Pure. @internal */
export function selectRange(s: KeySelector): { key: Uint8Array; rangeEnd: Uint8Array | undefined } {
  const key = toBytes(s.key);
  if (s.prefix && s.rangeEnd !== undefined) {
    throw new EtcdError("ETCD_INVALID_ARGUMENT", "prefix and rangeEnd cannot be combined", {
      value: String(s.key),
    });
  }
  if (s.prefix)
    return { key: key.length === 0 ? ZERO : key, rangeEnd: key.length === 0 ? ZERO : prefixEnd(key) };
  return { key, rangeEnd: s.rangeEnd === undefined ? undefined : toBytes(s.rangeEnd, "rangeEnd") };
}
