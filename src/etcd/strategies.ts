import { checkBackoff, checkDeadlineContext } from "./validate.js";

/**
 * Injectable strategies of the client: the retry/backoff policy and the per-call deadline
 * factory. Pure values with defaults, so tests and callers can swap them without global toggles.
 */

/** What the retry policy is told about a failed attempt. */
export interface RetryContext {
  /** Full gRPC method path, e.g. `"/etcdserverpb.KV/Range"`. */
  method: string;
  /** 1 for the first retry, 2 for the second, … */
  attempt: number;
  /** Stable code of the error that ended the attempt, e.g. `"ETCD_UNAVAILABLE"`. */
  code: string;
  /** Milliseconds left before the call's deadline. */
  remainingMs: number;
}

/**
 * Decides whether (and after how long) a failed attempt is tried again. Return the delay in ms,
 * or `undefined` to give up and surface the error. The client consults it only when a retry is
 * safe (idempotent call, or a request that provably did not reach etcd); the deadline still bounds
 * the whole call.
 */
export type RetryPolicy = (context: RetryContext) => number | undefined;

/** What the deadline factory is told about a call. */
export interface DeadlineContext {
  /** Full gRPC method path, e.g. `"/etcdserverpb.Maintenance/Snapshot"`. */
  method: string;
  /** True for streaming calls (snapshot); false for unary calls. */
  stream: boolean;
}

/**
 * Gives the default deadline (ms) of one call from its method and stream-ness; `undefined` means
 * "the client's `deadlineMs`". A per-call `deadlineMs` option still wins. The long-lived Watch and
 * LeaseKeepAlive streams have no deadline (they are supervised by keepalive pings and renewal timeouts).
 */
export type DeadlineFactory = (context: DeadlineContext) => number | undefined;

/** Options of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** First delay, ms. Default 50. */
  baseMs?: number;
  /** Largest delay, ms. Default 1000. */
  maxMs?: number;
  /** Retries after the first attempt; `Infinity` = until the deadline. Default `Infinity`. */
  maxRetries?: number;
  /** Source of randomness in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
}

/**
 * The default retry policy: exponential backoff with "equal jitter" (half fixed, half random),
 * doubling from `baseMs` up to `maxMs`, until the deadline or `maxRetries`.
 * @example
 * ```ts
 * createEtcdClient({ endpoints, retry: exponentialBackoff({ baseMs: 20, maxRetries: 3 }) });
 * ```
 * @throws never
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): RetryPolicy {
  options = checkBackoff(options);
  const baseMs = options.baseMs ?? 50;
  const maxMs = options.maxMs ?? 1000;
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const random = options.random ?? Math.random;
  return ({ attempt }) => {
    if (attempt > maxRetries) return undefined;
    const step = Math.min(baseMs * 2 ** Math.min(attempt - 1, 30), maxMs);
    return step / 2 + random() * (step / 2);
  };
}

/** Default deadline of a streamed snapshot, ms (a multi-GiB database over a slow link). */
export const SNAPSHOT_DEADLINE_MS = 300_000;
/** Default deadline of Defragment, ms (it blocks the member while it rewrites the backend). */
export const DEFRAGMENT_DEADLINE_MS = 60_000;

/**
 * The default deadline factory: Snapshot 300 s, Defragment 60 s, everything else the client's
 * `deadlineMs`.
 * @example
 * ```ts
 * createEtcdClient({ endpoints, callDeadline: (c) => c.method.endsWith("/Range") ? 500 : defaultCallDeadline(c) });
 * ```
 * @throws never
 */
export function defaultCallDeadline(context: DeadlineContext): number | undefined {
  context = checkDeadlineContext(context);
  if (context.method === "/etcdserverpb.Maintenance/Snapshot") return SNAPSHOT_DEADLINE_MS;
  if (context.method === "/etcdserverpb.Maintenance/Defragment") return DEFRAGMENT_DEADLINE_MS;
  return undefined;
}

/**
 * The factory used when the caller set the client's `deadlineMs` and no `callDeadline`: every call
 * gets `deadlineMs` (the caller's deadline wins over the long maintenance defaults). @internal
 */
export function clientDeadlineOnly(_context: DeadlineContext): number | undefined {
  return undefined;
}

/** True for the built-in factories, whose answer depends on the method alone (cacheable). @internal */
export function isPureDeadline(f: DeadlineFactory): boolean {
  return f === defaultCallDeadline || f === clientDeadlineOnly;
}
