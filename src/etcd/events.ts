/**
 * Typed client events for `onEvent`. Events never carry secrets: the auth token and password
 * appear only as `[Redacted]`.
 */
import { type EventListener, emit } from "../internal/events.js";

/** Fields every client event has. */
interface Base {
  /** Milliseconds since the epoch when the event happened. */
  time: number;
}

/** Everything {@link EtcdClientOptions.onEvent} can receive, discriminated by `type`. */
export type EtcdClientEvent =
  | (Base & { type: "etcd.endpoint.connected"; endpoint: string })
  | (Base & { type: "etcd.endpoint.disconnected"; endpoint: string; state: string })
  | (Base & { type: "etcd.endpoint.unhealthy"; endpoint: string; failures: number; avoidUntil: number })
  | (Base & { type: "etcd.endpoint.rebuilt"; endpoint: string; reason: string })
  | (Base & { type: "etcd.auth.authenticated"; username: string; token: "[Redacted]" })
  | (Base & {
      type: "etcd.retry.scheduled";
      method: string;
      attempt: number;
      delayMs: number;
      code: string;
    })
  | (Base & { type: "etcd.watch.reconnect"; attempt: number; delayMs: number; code: string })
  | (Base & { type: "etcd.watch.resume"; watchId: number; revision: number; endpoint: string })
  | (Base & {
      type: "etcd.watch.catchup";
      watchId: number;
      /** First revision still to deliver. */
      from: number;
      /** etcd's revision when the backlog was planned. */
      to: number;
      helpers: number;
    })
  | (Base & { type: "etcd.lease.lost"; leaseId: string; reason: "expired" | "timeout" });

/** One event type without its timestamp (filled in by the emitter). @internal */
export type EventInput = EtcdClientEvent extends infer E ? (E extends Base ? Omit<E, "time"> : never) : never;

/** Event sink with a timestamp; a no-op without a listener. @internal */
export type Emit = (event: EventInput) => void;

/**
 * Builds the emitter. A throwing listener is ignored on purpose: events fire from gRPC callbacks
 * and timers inside connection handling, where rethrowing (even on a later tick) would end the
 * process or leave a state machine half-moved.
 * @internal
 */
export function makeEmitter(listener: ((event: EtcdClientEvent) => void) | undefined): Emit | undefined {
  if (!listener) return undefined;
  // The SDK's one rule (src/internal/events.ts): a throwing or rejecting listener is dropped.
  return (event) => emit(listener as EventListener<EtcdClientEvent>, event as Omit<EtcdClientEvent, "time">);
}

/**
 * Calls a user callback (watch `onEvents`/`onProgress`/`onError`, keep-alive `onLost`/`onRenewed`,
 * snapshot `onProgress`) under the SDK's listener rule: a throw or a rejected promise is dropped,
 * the process lives on and the work goes on. @internal
 */
export function callListener<A extends unknown[]>(fn: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (typeof fn !== "function") return;
  try {
    const r = fn(...args);
    if (r !== null && typeof r === "object" && typeof (r as Promise<unknown>).then === "function")
      (r as Promise<unknown>).then(undefined, dropped);
  } catch {
    // Dropped on purpose (see above).
  }
}

function dropped(): void {}

/** What stands in an event where the auth token would be. @internal */
export const REDACTED_TOKEN = "[Redacted]" as const;
