/**
 * Option normalising at the edge, once (the execa pattern): a null-prototype copy of the caller's
 * object, unknown keys refused with a did-you-mean, each present option checked with a message that
 * names it and the bad value. Each module passes its own `fail` so the error carries its code.
 * @internal
 */
import { isAbsolute } from "node:path";

/** Returns why `value` is wrong for the option, or undefined when it is fine. */
export type Check = (value: unknown) => string | undefined;

/** Makes the module's typed error for an option problem. */
export type Fail = (message: string, value: unknown) => Error;

/**
 * Checks `options` against `spec` and returns a null-prototype copy with only the keys that are
 * set. `undefined` options mean `{}`; keys whose value is `undefined` are dropped.
 */
export function checkOptions<T extends object>(
  options: unknown,
  spec: { readonly [K in keyof T]-?: Check },
  fail: Fail,
  what: string,
): T {
  const out = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return out as T;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw fail(`${what}: options must be an object, got ${describe(options)}`, options);
  }
  const known = Object.keys(spec);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(spec, key)) {
      const near = didYouMean(key, known);
      throw fail(`${what}: unknown option "${key}"${near ? ` (did you mean "${near}"?)` : ""}`, { option: key });
    }
  }
  for (const key of known) {
    let value: unknown;
    try {
      value = (options as Record<string, unknown>)[key];
    } catch (err) {
      throw fail(`${what}: option "${key}" cannot be read: ${(err as Error)?.message ?? err}`, { option: key });
    }
    if (value === undefined) continue;
    const problem = (spec as Record<string, Check>)[key]!(value);
    if (problem !== undefined) {
      // A secret-looking option is never echoed, only its type.
      const secret = SECRET_KEY.test(key);
      const got = secret ? typeof value : describe(value);
      throw fail(`${what}: option "${key}" ${problem}, got ${got}`, { option: key, value: secret ? REDACTED : shown(value) });
    }
    out[key] = value;
  }
  return out as T;
}

/** Checks a required positional argument with the same wording as options. */
export function checkArg<T>(value: unknown, check: Check, name: string, fail: Fail, what: string): T {
  const problem = value === undefined ? "is required" : check(value);
  if (problem !== undefined) throw fail(`${what}: ${name} ${problem}, got ${describe(value)}`, { option: name, value: shown(value) });
  return value as T;
}

const MAX_TEXT = 64 * 1024 * 1024;
const SECRET_KEY = /token|password|secret|passphrase|credential|^key$|privateKey/i;
const REDACTED = "[Redacted]";

/** The checks options use. Each returns a problem text or undefined. */
export const is = {
  any: (() => undefined) as Check,
  string: ((v) => (typeof v === "string" ? undefined : "must be a string")) as Check,
  text: ((v) =>
    typeof v !== "string" ? "must be a string" : v.length > MAX_TEXT ? "is too large" : undefined) as Check,
  nonEmptyString: ((v) =>
    typeof v !== "string" || v === "" ? "must be a non-empty string" : v.includes("\0") ? "must not contain NUL" : undefined) as Check,
  absolutePath: ((v) =>
    typeof v !== "string" || v === ""
      ? "must be an absolute path"
      : v.includes("\0")
        ? "must not contain NUL"
        : !isAbsolute(v)
          ? "must be an absolute path (relative paths would resolve against the working directory)"
          : undefined) as Check,
  boolean: ((v) => (typeof v === "boolean" ? undefined : "must be true or false")) as Check,
  finite: ((v) => (typeof v === "number" && Number.isFinite(v) ? undefined : "must be a finite number")) as Check,
  positive: ((v) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "must be a positive finite number")) as Check,
  nonNegative: ((v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? undefined : "must be a finite number ≥ 0")) as Check,
  integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check {
    return (v) => (Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer from ${min} to ${max}`);
  },
  port: ((v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535 ? undefined : "must be a port from 1 to 65535")) as Check,
  function: ((v) => (typeof v === "function" ? undefined : "must be a function")) as Check,
  signal: ((v) => (isAbortSignal(v) ? undefined : "must be an AbortSignal")) as Check,
  date: ((v) => (v instanceof Date && Number.isFinite(v.getTime()) ? undefined : "must be a valid Date")) as Check,
  stringArray: ((v) =>
    Array.isArray(v) && v.length <= 100_000 && v.every((x) => typeof x === "string") ? undefined : "must be a list of strings") as Check,
  record: ((v) => (isPlainRecord(v) ? undefined : "must be an object")) as Check,
  stringRecord: ((v) =>
    isPlainRecord(v) && Object.values(v).every((x) => typeof x === "string") ? undefined : "must be an object of strings") as Check,
  oneOf(...values: readonly unknown[]): Check {
    return (v) => (values.includes(v) ? undefined : `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}`);
  },
  arrayOf(item: Check): Check {
    return (v) => {
      if (!Array.isArray(v) || v.length > 100_000) return "must be a list";
      for (let i = 0; i < v.length; i++) {
        const p = item(v[i]);
        if (p !== undefined) return `item ${i} ${p}`;
      }
      return undefined;
    };
  },
  either(...checks: Check[]): Check {
    return (v) => {
      let first: string | undefined;
      for (const c of checks) {
        const p = c(v);
        if (p === undefined) return undefined;
        first ??= p;
      }
      return first;
    };
  },
};

/** True for a real AbortSignal (also one from another realm: checked by shape). */
export function isAbortSignal(v: unknown): v is AbortSignal {
  return (
    v instanceof AbortSignal ||
    (typeof v === "object" &&
      v !== null &&
      typeof (v as AbortSignal).aborted === "boolean" &&
      typeof (v as AbortSignal).addEventListener === "function" &&
      typeof (v as AbortSignal).removeEventListener === "function" &&
      typeof (v as AbortSignal).throwIfAborted === "function")
  );
}

/** A plain object (not an array, not null); `__proto__` keys are own keys, never the prototype. */
export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The closest known name within two edits (or a case/prefix match), for did-you-mean messages. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = name.toLowerCase();
  for (const k of known) {
    const kl = k.toLowerCase();
    // A prefix match counts as one edit, the nearer in length the better (readyTimeout → readyTimeoutMs, not ready).
    const d =
      kl === lower
        ? 0
        : kl.startsWith(lower) || lower.startsWith(kl)
          ? 1 + Math.abs(kl.length - lower.length) / 1000
          : editDistance(lower, kl, Math.ceil(bestDistance));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** A short, secret-free description of a value for messages: its type, or a short string. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "string") return v.length > 60 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return typeof v === "object" ? "an object" : typeof v;
}

function shown(v: unknown): unknown {
  return typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}…` : typeof v === "object" && v !== null ? describe(v) : v;
}
