import { EtcdError } from "./errors.js";
import type { EtcdClientEvent } from "./events.js";
import {
  type DeadlineFactory,
  type RetryPolicy,
  clientDeadlineOnly,
  defaultCallDeadline,
  exponentialBackoff,
} from "./strategies.js";
import { type CheckedClientOptions, checkClientOptions } from "./validate.js";

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

function bytes(v: string | Uint8Array | undefined): Buffer | undefined {
  return v === undefined ? undefined : typeof v === "string" ? Buffer.from(v) : Buffer.isBuffer(v) ? v : Buffer.from(v);
}

/** Client options already checked by {@link checkClientOptions} (by identity: the caller cannot forge one). */
const checkedOptions = new WeakSet<object>();

/** Marks options that went through `checkClientOptions` so the client does not check them again. @internal */
export function markChecked(o: CheckedClientOptions): EtcdClientOptions {
  checkedOptions.add(o);
  return o as unknown as EtcdClientOptions;
}

/** Validates (unless already checked at an outer edge) and fills defaults once. Pure. @internal */
export function normalizeOptions(options: EtcdClientOptions): NormalizedOptions {
  const o = checkedOptions.has(options) ? (options as unknown as CheckedClientOptions) : checkClientOptions(options);
  let tls: NormalizedOptions["tls"];
  if (o.tls !== undefined) {
    const cert = bytes(o.tls.cert);
    const key = bytes(o.tls.key);
    if ((cert === undefined) !== (key === undefined)) {
      throw new EtcdError("ETCD_OPTION_INVALID", "options tls.cert and tls.key go together", {
        value: cert ? "cert" : "key",
      });
    }
    tls = { ca: bytes(o.tls.ca) as Buffer, cert, key };
  }
  const retry = o.retry as RetryPolicy | undefined;
  if (retry && (o.retryBaseMs !== undefined || o.retryMaxMs !== undefined)) {
    throw new EtcdError(
      "ETCD_OPTION_INVALID",
      "options retryBaseMs/retryMaxMs configure the default policy; with retry, use exponentialBackoff({ baseMs, maxMs })",
      { value: o.retryBaseMs ?? o.retryMaxMs },
    );
  }
  // The caller's deadline wins: with an explicit deadlineMs (and no factory), the long built-in
  // maintenance defaults (Snapshot, Defragment) do not apply; a per-call deadlineMs wins over both.
  const callDeadline =
    (o.callDeadline as DeadlineFactory | undefined) ??
    (o.deadlineMs !== undefined ? clientDeadlineOnly : defaultCallDeadline);
  return {
    endpoints: o.endpoints,
    tls,
    auth: o.auth,
    deadlineMs: o.deadlineMs ?? 5_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 1_000,
    keepAliveIntervalMs: o.keepAliveIntervalMs ?? 10_000,
    keepAliveTimeoutMs: o.keepAliveTimeoutMs ?? 5_000,
    healthCheckIntervalMs: o.healthCheckIntervalMs ?? 2_000,
    endpointCooldownMs: o.endpointCooldownMs ?? 1_000,
    retry: retry ?? exponentialBackoff({ baseMs: o.retryBaseMs ?? 50, maxMs: o.retryMaxMs ?? 1_000 }),
    callDeadline,
    onEvent: o.onEvent as NormalizedOptions["onEvent"],
  };
}
