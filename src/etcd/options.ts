import { EtcdError } from "./errors.js";
import type { EtcdClientEvent } from "./events.js";
import {
  type DeadlineFactory,
  type RetryPolicy,
  defaultCallDeadline,
  exponentialBackoff,
} from "./strategies.js";

/** TLS material for mTLS to etcd (PEM contents, not paths). */
export interface EtcdTlsOptions {
  /** CA bundle that signed the server certificate. */
  ca: Buffer | string;
  /** Client certificate (K3s: `server/tls/etcd/client.crt`). */
  cert?: Buffer | string;
  /** Client key (K3s: `server/tls/etcd/client.key`). */
  key?: Buffer | string;
}

/** Options for {@link createEtcdClient}. Every field but `endpoints` is optional. */
export interface EtcdClientOptions {
  /** `https://127.0.0.1:2379`, `http://host:port` or `host:port` (scheme from `tls`). */
  endpoints: readonly string[];
  /** mTLS material; required for `https://` endpoints. */
  tls?: EtcdTlsOptions;
  /** Username/password: the client calls Authenticate and sends the token with every call. */
  auth?: { username: string; password: string };
  /** Default deadline of every unary call, ms. Default 5000. */
  deadlineMs?: number;
  /** How long to wait for one endpoint to connect before trying the next, ms. Default 1000. */
  connectTimeoutMs?: number;
  /** HTTP/2 keepalive ping interval, ms (etcd refuses < 5000). Default 10000. */
  keepAliveIntervalMs?: number;
  /** Time to wait for a ping answer before the connection is dropped, ms. Default 5000. */
  keepAliveTimeoutMs?: number;
  /** How often failed endpoints are probed, ms. Default 2000. */
  healthCheckIntervalMs?: number;
  /** How long a failed endpoint is avoided at first (doubles on repeated failure), ms. Default 1000. */
  endpointCooldownMs?: number;
  /** First retry backoff of the default policy, ms. Default 50. Not together with `retry`. */
  retryBaseMs?: number;
  /** Largest retry backoff of the default policy, ms. Default 1000. Not together with `retry`. */
  retryMaxMs?: number;
  /**
   * Retry/backoff policy: given method, attempt and error code, the delay before the next try or
   * `undefined` to stop. Only consulted when a retry is safe. Default:
   * `exponentialBackoff({ baseMs: retryBaseMs, maxMs: retryMaxMs })` (until the deadline).
   * @example `retry: () => undefined` (never retry: the first UNAVAILABLE surfaces)
   */
  retry?: RetryPolicy;
  /**
   * Default deadline per call from method and stream-ness (`undefined` = `deadlineMs`). Default
   * {@link defaultCallDeadline}: Snapshot 300 s, Defragment 60 s, others `deadlineMs`.
   * @example `callDeadline: ({ method }) => method === "/etcdserverpb.KV/Range" ? 500 : undefined`
   */
  callDeadline?: DeadlineFactory;
  /**
   * Receives typed client events (endpoint connected/disconnected/unhealthy, retry scheduled,
   * watch reconnect/resume, lease lost, authenticated). Never carries a secret. A listener that
   * throws is ignored. Default: none (silent).
   */
  onEvent?: (event: EtcdClientEvent) => void;
}

/** @internal */
export interface NormalizedOptions {
  endpoints: string[];
  tls: { ca: Buffer; cert: Buffer | undefined; key: Buffer | undefined } | undefined;
  auth: { username: string; password: string } | undefined;
  deadlineMs: number;
  connectTimeoutMs: number;
  keepAliveIntervalMs: number;
  keepAliveTimeoutMs: number;
  healthCheckIntervalMs: number;
  endpointCooldownMs: number;
  retry: RetryPolicy;
  callDeadline: DeadlineFactory;
  onEvent: ((event: EtcdClientEvent) => void) | undefined;
}

function fn<T>(name: string, v: unknown): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "function")
    throw new EtcdError("ETCD_OPTION_INVALID", `option ${name} must be a function, got ${typeof v}`, {
      value: typeof v,
    });
  return v as T;
}

function positive(name: string, v: unknown, def: number, min = 1): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
    throw new EtcdError(
      "ETCD_OPTION_INVALID",
      `option ${name} must be a number >= ${min}, got ${String(v)}`,
      { value: v },
    );
  }
  return v;
}

function pem(name: string, v: unknown): Buffer | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return Buffer.from(v);
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  throw new EtcdError("ETCD_OPTION_INVALID", `option tls.${name} must be PEM text or a Buffer`, {
    value: typeof v,
  });
}

/** Validates and fills defaults once, at the edge. Pure. @internal */
export function normalizeOptions(o: EtcdClientOptions): NormalizedOptions {
  if (!o || typeof o !== "object")
    throw new EtcdError("ETCD_OPTION_INVALID", "options must be an object", { value: o });
  if (
    !Array.isArray(o.endpoints) ||
    o.endpoints.length === 0 ||
    !o.endpoints.every((e) => typeof e === "string" && e.length > 0)
  ) {
    throw new EtcdError("ETCD_OPTION_INVALID", "option endpoints must be a non-empty list of URLs", {
      value: o.endpoints,
    });
  }
  let tls: NormalizedOptions["tls"];
  if (o.tls !== undefined) {
    const ca = pem("ca", o.tls.ca);
    if (!ca) throw new EtcdError("ETCD_OPTION_INVALID", "option tls.ca is required", { value: undefined });
    const cert = pem("cert", o.tls.cert);
    const key = pem("key", o.tls.key);
    if ((cert === undefined) !== (key === undefined)) {
      throw new EtcdError("ETCD_OPTION_INVALID", "options tls.cert and tls.key go together", {
        value: cert ? "cert" : "key",
      });
    }
    tls = { ca, cert, key };
  }
  if (
    o.auth !== undefined &&
    (typeof o.auth.username !== "string" || !o.auth.username || typeof o.auth.password !== "string")
  ) {
    throw new EtcdError("ETCD_OPTION_INVALID", "option auth needs a username and a password", {
      value: o.auth?.username,
    });
  }
  const retry = fn<RetryPolicy>("retry", o.retry);
  if (retry && (o.retryBaseMs !== undefined || o.retryMaxMs !== undefined)) {
    throw new EtcdError(
      "ETCD_OPTION_INVALID",
      "options retryBaseMs/retryMaxMs configure the default policy; with retry, use exponentialBackoff({ baseMs, maxMs })",
      { value: o.retryBaseMs ?? o.retryMaxMs },
    );
  }
  const callDeadline = fn<DeadlineFactory>("callDeadline", o.callDeadline) ?? defaultCallDeadline;
  const onEvent = fn<(event: EtcdClientEvent) => void>("onEvent", o.onEvent);
  const keepAliveIntervalMs = positive("keepAliveIntervalMs", o.keepAliveIntervalMs, 10_000, 5_000);
  return {
    endpoints: [...o.endpoints],
    tls,
    auth: o.auth ? { username: o.auth.username, password: o.auth.password } : undefined,
    deadlineMs: positive("deadlineMs", o.deadlineMs, 5_000),
    connectTimeoutMs: positive("connectTimeoutMs", o.connectTimeoutMs, 1_000),
    keepAliveIntervalMs,
    keepAliveTimeoutMs: positive("keepAliveTimeoutMs", o.keepAliveTimeoutMs, 5_000),
    healthCheckIntervalMs: positive("healthCheckIntervalMs", o.healthCheckIntervalMs, 2_000),
    endpointCooldownMs: positive("endpointCooldownMs", o.endpointCooldownMs, 1_000),
    retry:
      retry ??
      exponentialBackoff({
        baseMs: positive("retryBaseMs", o.retryBaseMs, 50),
        maxMs: positive("retryMaxMs", o.retryMaxMs, 1_000),
      }),
    callDeadline,
    onEvent,
  };
}
