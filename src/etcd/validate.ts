/**
 * Argument and option checks of the etcd module, one pure function per request shape, called once
 * at the entry of each exported function and public method (validation at the edge). Each returns
 * the checked values (options as a null-prototype copy with only the keys that are set) for the
 * code behind it, which does not check again.
 *
 * Codes: what would go to etcd in the request (keys, revisions, IDs, TTLs, URLs, ops) is
 * `ETCD_INVALID_ARGUMENT`; how the client behaves (deadline, signal, callbacks, an unknown option
 * name, client options) is `ETCD_OPTION_INVALID`. Both carry the offending value (never a password,
 * key or token: those options are shown by type only).
 * @internal
 */
import { checkListener, type EventListener, type KitEventBase } from "../internal/events.js";
import { type Check, type Fail, checkArg, checkOptions, describe, is } from "../internal/options.js";
import { EtcdError } from "./errors.js";

/** Options that steer the client rather than the request: their problems are option errors. */
const CLIENT_SIDE = new Set([
  "signal",
  "deadlineMs",
  "endpoint",
  "onEvents",
  "onProgress",
  "onError",
  "onLost",
  "onRenewed",
]);

const optionFail: Fail = (message, value) => new EtcdError("ETCD_OPTION_INVALID", message, { value });
const argFail: Fail = (message, value) => new EtcdError("ETCD_INVALID_ARGUMENT", message, { value });
/** For per-call option objects, which mix request fields and client-side options. */
const mixedFail: Fail = (message, value) => {
  const key = (value as { option?: unknown } | undefined)?.option;
  const clientSide = typeof key !== "string" || CLIENT_SIDE.has(key) || message.includes("unknown option");
  return new EtcdError(clientSide ? "ETCD_OPTION_INVALID" : "ETCD_INVALID_ARGUMENT", message, { value });
};

// ---------- checks ----------

/** Largest delay a Node timer takes (ms); above it Node fires at once, so a bound is a bound. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A deadline or interval: a positive finite number of ms a timer can hold. */
const duration: Check = (v) =>
  typeof v === "number" && v > 0 && v <= MAX_TIMER_MS ? undefined : `must be a positive number of ms up to ${MAX_TIMER_MS}`;
const durationFrom =
  (min: number): Check =>
  (v) =>
    typeof v === "number" && v >= min && v <= MAX_TIMER_MS ? undefined : `must be a number of ms from ${min} to ${MAX_TIMER_MS}`;
/** A key or value: text or bytes. */
const bytes: Check = (v) => (typeof v === "string" || v instanceof Uint8Array ? undefined : "must be a string or Uint8Array");
const rawBytes: Check = (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array");
/** etcd int64 fields that are never negative (revisions, limits, versions). */
const revision = is.integer(0);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
/** A lease ID (int64 on the wire, never negative). */
const leaseId: Check = (v) =>
  typeof v === "bigint" && v >= 0n && v <= INT64_MAX ? undefined : "must be a lease ID (a bigint from 0 to 2^63-1)";
/** A member ID (uint64). */
const memberId: Check = (v) =>
  typeof v === "bigint" && v >= 0n && v <= UINT64_MAX ? undefined : "must be a member ID (a bigint from 0 to 2^64-1)";
const name: Check = is.nonEmptyString;
/** A peer or client URL as etcd takes it. */
const url: Check = (v) => {
  if (typeof v !== "string" || v === "" || v.length > 4096 || /[\0\s]/.test(v)) return "must be a URL";
  try {
    const u = new URL(v);
    return /^(https?|unixs?):$/.test(u.protocol) ? undefined : "must be an http(s) or unix(s) URL";
  } catch {
    return "must be a URL";
  }
};
const urls: Check = (v) =>
  Array.isArray(v) && v.length === 0 ? "must not be empty" : is.arrayOf(url)(v);
const signal: Check = is.signal;
const fn: Check = is.function;

// ---------- per-call options ----------

/** Per-call options every method takes. */
export interface CheckedCall {
  signal?: AbortSignal;
  deadlineMs?: number;
}

const CALL = { signal, deadlineMs: duration } as const;

function opts<T extends object>(options: unknown, spec: Record<string, Check>, what: string): T {
  return checkOptions<T>(options, spec as never, mixedFail, what);
}

/** `{ signal, deadlineMs }` of any call; `extra` adds the method's own fields. */
export function checkCall<T extends CheckedCall = CheckedCall>(
  options: unknown,
  what: string,
  extra?: Record<string, Check>,
): T {
  return opts<T>(options, extra ? { ...CALL, ...extra } : CALL, what);
}

const GET_SPEC = { ...CALL, revision, serializable: is.boolean };
const PUT_SPEC = { ...CALL, lease: leaseId, prevKv: is.boolean };
const SELECTOR = { key: bytes, prefix: is.boolean, rangeEnd: bytes };
const RANGE_FIELDS = {
  ...SELECTOR,
  limit: revision,
  revision,
  sort: ((v) => {
    if (is.record(v) !== undefined) return "must be an object";
    const s = v as Record<string, unknown>;
    for (const k of Object.keys(s)) if (k !== "target" && k !== "order") return `has an unknown field "${k}"`;
    if (s.target !== undefined && is.oneOf("key", "version", "create", "mod", "value")(s.target)) return "target must be key, version, create, mod or value";
    if (s.order !== undefined && is.oneOf("none", "ascend", "descend")(s.order)) return "order must be none, ascend or descend";
    return undefined;
  }) as Check,
  keysOnly: is.boolean,
  countOnly: is.boolean,
  serializable: is.boolean,
};

/** `get(key, options)` / `getKv`. */
export function checkGet(key: unknown, options: unknown, what: string) {
  return {
    key: checkArg<string | Uint8Array>(key, bytes, "key", argFail, what),
    options: opts<CheckedCall & { revision?: number; serializable?: boolean }>(options, GET_SPEC, what),
  };
}

/** `put(key, value, options)`. */
export function checkPut(key: unknown, value: unknown, options: unknown, what: string) {
  return {
    key: checkArg<string | Uint8Array>(key, bytes, "key", argFail, what),
    value: checkArg<string | Uint8Array>(value, bytes, "value", argFail, what),
    options: opts<CheckedCall & { lease?: bigint; prevKv?: boolean }>(options, PUT_SPEC, what),
  };
}

/** A range read's options (`range`, `op.get`), with or without per-call options. */
export function checkRange<T extends object>(options: unknown, what: string, withCall = true): T {
  if (options === undefined) throw argFail(`${what}: options with a key are required`, undefined);
  // Inside a transaction (op.get) every field is part of the request: argument errors only.
  const o = withCall
    ? opts<T & { key?: unknown }>(options, { ...CALL, ...RANGE_FIELDS }, what)
    : checkOptions<T & { key?: unknown }>(options, RANGE_FIELDS as never, argFail, what);
  if (o.key === undefined) throw argFail(`${what}: option "key" is required`, { option: "key" });
  return o;
}

/** A key, or a selector `{ key, prefix, rangeEnd, prevKv }` (`delete`, `op.delete`). */
export function checkKeyOrSelector<T>(v: unknown, what: string): T {
  if (typeof v === "string" || v instanceof Uint8Array) return v as T;
  if (typeof v !== "object" || v === null) throw argFail(`${what}: key must be a string, Uint8Array or { key }, got ${describe(v)}`, { option: "key", value: describe(v) });
  const o = opts<{ key?: unknown }>(v, { ...SELECTOR, prevKv: is.boolean }, what);
  if (o.key === undefined) throw argFail(`${what}: option "key" is required`, { option: "key" });
  return o as T;
}

/** A key selector without extras (`roleGrantPermission`, `roleRevokePermission`). */
export function checkSelector<T>(v: unknown, what: string): T {
  if (v === undefined || typeof v !== "object" || v === null) throw argFail(`${what}: selector must be { key, prefix?, rangeEnd? }, got ${describe(v)}`, { option: "selector", value: describe(v) });
  const o = opts<{ key?: unknown }>(v, SELECTOR, what);
  if (o.key === undefined) throw argFail(`${what}: option "key" is required`, { option: "key" });
  return o as T;
}

/** A revision argument (`compact`). */
export function checkRevision(v: unknown, what: string): number {
  return checkArg<number>(v, revision, "revision", argFail, what);
}

/** A positive TTL in seconds (`leaseGrant`). */
export function checkTtl(v: unknown, what: string): number {
  return checkArg<number>(v, is.integer(1), "ttl", argFail, what);
}

export function checkLeaseId(v: unknown, what: string): bigint {
  return checkArg<bigint>(v, leaseId, "lease ID", argFail, what);
}

export function checkMemberId(v: unknown, what: string): bigint {
  return checkArg<bigint>(v, memberId, "member ID", argFail, what);
}

export function checkPeerUrls(v: unknown, what: string): string[] {
  return [...checkArg<string[]>(v, urls, "peerURLs", argFail, what)];
}

/** A user or role name. */
export function checkName(v: unknown, label: string, what: string): string {
  return checkArg<string>(v, name, label, argFail, what);
}

/** A password: checked by type only, never echoed. */
export function checkPassword(v: unknown, what: string, optional = false): string | undefined {
  if (optional && v === undefined) return undefined;
  if (typeof v !== "string" || v.length > 64 * 1024)
    throw argFail(`${what}: password must be a string${typeof v === "string" ? " up to 64 KiB" : `, got ${typeof v}`}`, {
      option: "password",
      value: typeof v,
    });
  return v;
}

export function checkAlarm<T>(v: unknown, what: string): T {
  return checkArg<T>(v, is.oneOf("none", "nospace", "corrupt"), "alarm", argFail, what);
}

export function checkPermType<T>(v: unknown, what: string): T {
  return checkArg<T>(v, is.oneOf("read", "write", "readwrite"), "permType", argFail, what);
}

/** Per-call option fields of the other methods, by name. */
export const FIELDS = {
  physical: is.boolean,
  id: leaseId,
  keys: is.boolean,
  isLearner: is.boolean,
  memberId,
  endpoint: is.nonEmptyString,
  revision,
  noPassword: is.boolean,
  onProgress: fn,
} as const satisfies Record<string, Check>;

/** A snapshot's target path (absolute: it is written) and options. */
export function checkSnapshot<T>(path: unknown, options: unknown, what: string): { path: string; options: T } {
  return {
    path: checkArg<string>(path, is.absolutePath, "path", optionFail, what),
    options: checkCall(options, what, { onProgress: fn }) as T,
  };
}

// ---------- watch and keep-alive ----------

const WATCH_SPEC = {
  ...SELECTOR,
  startRevision: revision,
  prevKv: is.boolean,
  noPut: is.boolean,
  noDelete: is.boolean,
  progressNotify: is.boolean,
  catchUp: is.boolean,
  onEvents: fn,
  onProgress: fn,
  onError: fn,
};

/** `watch(options)`: a selector, flags and the callbacks (`onEvents` required). */
export function checkWatch<T>(options: unknown, what: string): T {
  if (options === undefined) throw argFail(`${what}: options with a key and onEvents are required`, undefined);
  const o = opts<{ key?: unknown; onEvents?: unknown }>(options, WATCH_SPEC, what);
  if (o.key === undefined) throw argFail(`${what}: option "key" is required`, { option: "key" });
  if (o.onEvents === undefined) throw optionFail(`${what}: option "onEvents" (a function) is required`, { option: "onEvents" });
  return o as T;
}

/** `keepAlive(lease, options)`: a lease as leaseGrant returns it. */
export function checkKeepAlive<L, O>(lease: unknown, options: unknown, what: string): { lease: L; options: O } {
  if (typeof lease !== "object" || lease === null)
    throw argFail(`${what}: lease must be { id, ttl } as leaseGrant returns it, got ${describe(lease)}`, { option: "lease", value: describe(lease) });
  const l = lease as { id?: unknown; ttl?: unknown };
  const id = checkArg<bigint>(l.id, leaseId, "lease.id", argFail, what);
  const ttl = checkArg<number>(l.ttl, is.integer(1), "lease.ttl", argFail, what);
  return { lease: { id, ttl } as L, options: opts<O & object>(options, { onLost: fn, onRenewed: fn }, what) };
}

// ---------- transactions ----------

const COMPARE_OPS = { "==": true, "!=": true, ">": true, "<": true } as const;
const MAX_TXN_DEPTH = 16;

/** `compare(key, target, operator, operand)`: the operand's type follows the target. */
export function checkCompare(key: unknown, target: unknown, operator: unknown, operand: unknown, what: string): void {
  checkArg(key, bytes, "key", argFail, what);
  checkArg(target, is.oneOf("version", "create", "mod", "value", "lease"), "target", argFail, what);
  if (typeof operator !== "string" || !Object.hasOwn(COMPARE_OPS, operator))
    throw argFail(`${what}: unknown compare operator ${describe(operator)} (use ==, !=, > or <)`, { option: "operator", value: describe(operator) });
  const check =
    target === "value"
      ? (((v) => (bytes(v) === undefined ? undefined : "must be a string or bytes for a value comparison")) as Check)
      : target === "lease"
        ? (((v) => (leaseId(v) === undefined ? undefined : "must be a bigint lease ID for a lease comparison")) as Check)
        : (((v) => (is.integer()(v) === undefined ? undefined : `must be an integer for a ${String(target)} comparison`)) as Check);
  checkArg(operand, check, "operand", argFail, what);
}

const RANGE_REQUEST = {
  key: rawBytes,
  rangeEnd: rawBytes,
  limit: revision,
  revision,
  sortOrder: is.oneOf("none", "ascend", "descend"),
  sortTarget: is.oneOf("key", "version", "create", "mod", "value"),
  serializable: is.boolean,
  keysOnly: is.boolean,
  countOnly: is.boolean,
  minModRevision: revision,
  maxModRevision: revision,
  minCreateRevision: revision,
  maxCreateRevision: revision,
};
const PUT_REQUEST = { key: rawBytes, value: rawBytes, lease: leaseId, prevKv: is.boolean, ignoreValue: is.boolean, ignoreLease: is.boolean };
const DELETE_REQUEST = { key: rawBytes, rangeEnd: rawBytes, prevKv: is.boolean };
const COMPARE = {
  key: rawBytes,
  rangeEnd: rawBytes,
  result: is.oneOf("equal", "greater", "less", "not-equal"),
  target: is.oneOf("version", "create", "mod", "value", "lease"),
  number: is.integer(),
  value: rawBytes,
  lease: leaseId,
};

function requestOp(v: unknown, where: string, depth: number): void {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw argFail(`${where} must be an operation (op.get, op.put, op.delete or op.txn), got ${describe(v)}`, describe(v));
  const keys = Object.keys(v);
  const kind = keys[0];
  if (keys.length !== 1 || (kind !== "range" && kind !== "put" && kind !== "deleteRange" && kind !== "txn"))
    throw argFail(`${where} must have exactly one of range, put, deleteRange or txn (use op.*)`, keys.slice(0, 5));
  const body = (v as Record<string, unknown>)[kind];
  if (kind === "txn") {
    txnRequest(body, `${where}.txn`, depth + 1);
    return;
  }
  const spec = kind === "range" ? RANGE_REQUEST : kind === "put" ? PUT_REQUEST : DELETE_REQUEST;
  if (body === undefined) throw argFail(`${where}.${kind} is required`, undefined);
  const o = checkOptions<{ key?: unknown; value?: unknown }>(body, spec as never, argFail, `${where}.${kind}`);
  if (o.key === undefined) throw argFail(`${where}.${kind}.key is required`, { option: "key" });
  if (kind === "put" && o.value === undefined) throw argFail(`${where}.put.value is required`, { option: "value" });
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 100_000) throw argFail(`${where} must be a list`, describe(v));
  return v;
}

function txnRequest(v: unknown, where: string, depth: number): void {
  if (depth > MAX_TXN_DEPTH) throw argFail(`${where}: transactions nest at most ${MAX_TXN_DEPTH} deep`, depth);
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw argFail(`${where} must be a transaction request, got ${describe(v)}`, describe(v));
  for (const k of Object.keys(v)) if (k !== "compare" && k !== "success" && k !== "failure") throw argFail(`${where} has an unknown field "${k}"`, k);
  const t = v as Record<string, unknown>;
  for (const [i, c] of list(t.compare, `${where}.compare`).entries()) {
    const o = checkOptions<{ key?: unknown; result?: unknown; target?: unknown }>(c, COMPARE as never, argFail, `${where}.compare[${i}]`);
    if (o.key === undefined || o.result === undefined || o.target === undefined)
      throw argFail(`${where}.compare[${i}] needs key, result and target`, { option: "compare" });
  }
  for (const [i, op] of list(t.success, `${where}.success`).entries()) requestOp(op, `${where}.success[${i}]`, depth);
  for (const [i, op] of list(t.failure, `${where}.failure`).entries()) requestOp(op, `${where}.failure[${i}]`, depth);
}

/** The operations given to `onSuccess` / `onFailure`. */
export function checkOps(ops: readonly unknown[], what: string): void {
  for (let i = 0; i < ops.length; i++) requestOp(ops[i], `${what}: operation ${i + 1}`, 0);
}

/** A whole TxnRequest (`op.txn`). Missing lists are empty. */
export function checkTxnRequest<T>(v: unknown, what: string): T {
  txnRequest(v, `${what}: request`, 0);
  const t = v as Record<string, unknown[] | undefined>;
  return { compare: [...(t.compare ?? [])], success: [...(t.success ?? [])], failure: [...(t.failure ?? [])] } as T;
}

/** `op.put(key, value, options)`. */
export function checkOpPut(key: unknown, value: unknown, options: unknown, what: string) {
  return {
    key: checkArg<string | Uint8Array>(key, bytes, "key", argFail, what),
    value: checkArg<string | Uint8Array>(value, bytes, "value", argFail, what),
    options: opts<{ lease?: bigint; prevKv?: boolean }>(options, { lease: leaseId, prevKv: is.boolean }, what),
  };
}

/** The run function a TxnBuilder is made with. */
export function checkTxnRun<T>(run: unknown): T {
  return checkArg<T>(run, fn, "run", optionFail, "new TxnBuilder");
}

// ---------- client options ----------

const pem: Check = (v) => (typeof v === "string" || v instanceof Uint8Array ? undefined : "must be PEM text or a Buffer");

/** Checked client options, before defaults. */
export interface CheckedClientOptions {
  endpoints: string[];
  tls?: { ca?: string | Uint8Array; cert?: string | Uint8Array; key?: string | Uint8Array };
  auth?: { username: string; password: string };
  deadlineMs?: number;
  connectTimeoutMs?: number;
  keepAliveIntervalMs?: number;
  keepAliveTimeoutMs?: number;
  healthCheckIntervalMs?: number;
  endpointCooldownMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  retry?: unknown;
  callDeadline?: unknown;
  onEvent?: EventListener<KitEventBase>;
}

const CLIENT_SPEC = {
  endpoints: ((v) =>
    Array.isArray(v) && v.length === 0 ? "must be a non-empty list of URLs" : is.arrayOf(is.nonEmptyString)(v)) as Check,
  tls: is.record,
  auth: is.record,
  deadlineMs: duration,
  connectTimeoutMs: duration,
  // etcd's server drops clients that ping more often than every 5 s.
  keepAliveIntervalMs: durationFrom(5_000),
  keepAliveTimeoutMs: duration,
  healthCheckIntervalMs: duration,
  endpointCooldownMs: duration,
  retryBaseMs: duration,
  retryMaxMs: duration,
  retry: fn,
  callDeadline: fn,
  onEvent: is.any,
};

/**
 * The options of `createEtcdClient` / `new EtcdClient`: unknown names refused with a did-you-mean,
 * each value checked, `tls` and `auth` checked field by field (key and password shown by type only),
 * a non-function `onEvent` refused (the SDK's listener rule).
 */
export function checkClientOptions(o: unknown, what = "createEtcdClient"): CheckedClientOptions {
  if (o === undefined) throw optionFail(`${what}: options with endpoints are required`, undefined);
  const c = checkOptions<CheckedClientOptions>(o, CLIENT_SPEC as never, optionFail, what);
  if (c.endpoints === undefined) throw optionFail(`${what}: option "endpoints" (a non-empty list of URLs) is required`, { option: "endpoints" });
  c.endpoints = [...c.endpoints];
  if (c.tls !== undefined) {
    const tls = checkOptions<NonNullable<CheckedClientOptions["tls"]>>(c.tls, { ca: pem, cert: pem, key: pem }, optionFail, `${what} tls`);
    c.tls = tls;
    if (tls.ca === undefined) throw optionFail(`${what}: option tls.ca is required`, { option: "tls.ca" });
  }
  if (c.auth !== undefined) {
    const a = checkOptions<{ username?: string; password?: string }>(c.auth, { username: is.nonEmptyString, password: is.string }, optionFail, `${what} auth`);
    if (a.username === undefined || a.password === undefined)
      throw optionFail(`${what}: option auth needs a username and a password`, { option: "auth", value: a.username });
    c.auth = { username: a.username, password: a.password };
  }
  c.onEvent = checkListener(c.onEvent, optionFail, what);
  return c;
}

export function checkDataDir(v: unknown, what: string): string {
  return checkArg<string>(v, is.absolutePath, "dataDir", optionFail, what);
}

/** `prefixEnd(prefix)`. */
export function checkPrefix(v: unknown): Uint8Array {
  return checkArg<Uint8Array>(v, rawBytes, "prefix", argFail, "prefixEnd");
}

/** `defaultCallDeadline(context)`. */
export function checkDeadlineContext<T>(v: unknown): T {
  if (typeof v !== "object" || v === null) throw optionFail(`defaultCallDeadline: context must be { method, stream }, got ${describe(v)}`, describe(v));
  checkArg((v as { method?: unknown }).method, is.string, "context.method", optionFail, "defaultCallDeadline");
  return v as T;
}

/** `exponentialBackoff(options)`. */
export function checkBackoff<T>(options: unknown): T {
  return checkOptions<T & object>(
    options,
    {
      baseMs: is.nonNegative,
      maxMs: is.nonNegative,
      maxRetries: ((v) => (v === Number.POSITIVE_INFINITY || is.integer(0)(v) === undefined ? undefined : "must be an integer ≥ 0 or Infinity")) as Check,
      random: fn,
    } as never,
    optionFail,
    "exponentialBackoff",
  );
}

// ---------- embedded etcd ----------

const MEMBER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const memberName: Check = (v) =>
  typeof v === "string" && MEMBER_NAME.test(v) ? undefined : "must be 1-63 letters, digits, '.', '_' or '-' (starting with a letter or digit)";
const TLS_FILES = ["caFile", "certFile", "keyFile", "peerCaFile", "peerCertFile", "peerKeyFile", "clientCertFile", "clientKeyFile"] as const;

/** `startEmbeddedEtcd(options)`. */
export function checkEmbedded<T>(options: unknown, what = "startEmbeddedEtcd"): T {
  if (options === undefined) throw optionFail(`${what}: options are required`, undefined);
  const o = checkOptions<Record<string, unknown>>(
    options,
    {
      dataDir: is.absolutePath,
      name: memberName,
      clientPort: is.port,
      peerPort: is.port,
      host: ((v) =>
        typeof v === "string" && v.length <= 253 && /^[0-9A-Za-z.:-]+$/.test(v) ? undefined : "must be an IP address or host name") as Check,
      tls: is.record,
      initialCluster: ((v) => {
        if (is.record(v) !== undefined) return "must be an object of member name → peer URL";
        const entries = Object.entries(v as Record<string, unknown>);
        if (entries.length === 0 || entries.length > 1000) return "must name 1 to 1000 members";
        for (const [n, u] of entries) {
          if (memberName(n) !== undefined) return `has a bad member name ${describe(n)}`;
          if (url(u) !== undefined) return `has a bad peer URL for ${n}`;
        }
        return undefined;
      }) as Check,
      join: ((v) =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as { memberAdd?: unknown }).memberAdd === "function" &&
        typeof (v as { memberList?: unknown }).memberList === "function"
          ? undefined
          : "must be an EtcdClient") as Check,
      etcdBinary: is.nonEmptyString,
      readyTimeoutMs: duration,
      extraArgs: is.arrayOf(((v) => (typeof v === "string" && !v.includes("\0") ? undefined : "must be a string without NUL")) as Check),
      logFile: is.absolutePath,
      restart: is.boolean,
      signal,
      onEvent: is.any,
    },
    optionFail,
    what,
  );
  for (const k of ["dataDir", "name", "clientPort", "peerPort", "tls"])
    if (o[k] === undefined) throw optionFail(`${what}: option "${k}" is required`, { option: k });
  if (o.clientPort === o.peerPort) throw optionFail(`${what}: clientPort and peerPort must differ`, { option: "peerPort", value: o.peerPort });
  const tls = checkOptions<Record<string, string | undefined>>(
    o.tls,
    Object.fromEntries(TLS_FILES.map((k) => [k, is.absolutePath])) as never,
    optionFail,
    `${what} tls`,
  );
  for (const k of ["caFile", "certFile", "keyFile", "clientCertFile", "clientKeyFile"])
    if (tls[k] === undefined) throw optionFail(`${what}: option tls.${k} is required`, { option: `tls.${k}` });
  o.tls = tls;
  if (o.extraArgs) o.extraArgs = [...(o.extraArgs as string[])];
  if (o.initialCluster) o.initialCluster = { ...(o.initialCluster as object) };
  o.onEvent = checkListener(o.onEvent, optionFail, what);
  return o as T;
}

/** `EmbeddedEtcd.stop(options)`. */
export function checkStop<T>(options: unknown): T {
  return checkOptions<T & object>(options, { signal: is.oneOf("SIGTERM", "SIGKILL"), graceMs: duration } as never, optionFail, "EmbeddedEtcd.stop");
}

/** `EmbeddedEtcd.remove(via)`. */
export function checkVia<T>(via: unknown): T | undefined {
  if (via === undefined) return undefined;
  if (typeof via !== "object" || via === null || typeof (via as { memberList?: unknown }).memberList !== "function")
    throw optionFail(`EmbeddedEtcd.remove: via must be an EtcdClient, got ${describe(via)}`, describe(via));
  return via as T;
}
