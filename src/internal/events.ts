/**
 * Progress events: silent by default; an optional `onEvent` callback gets typed objects.
 *
 * One rule for the whole SDK: a non-function `onEvent` is refused as an option error before any
 * work ({@link checkListener}); a listener that throws never takes the host process down and never
 * aborts the work — its error is dropped (the SDK has no logger to report it to), and the next
 * event is delivered as usual.
 */
/** What every SDK event carries (each module's event union extends it). */
export interface KitEventBase {
  /** Discriminator, e.g. `"certs.created"`. */
  type: string;
  /** Milliseconds since the epoch when the event was built. */
  time: number;
}

export type EventListener<E extends KitEventBase = KitEventBase> = (event: E) => void;

/** Placeholder that stands where a secret would be. */
export const REDACTED = "[Redacted]";

/** Sends `event` to `listener` (if any). A throwing (or rejecting) listener is ignored. @internal */
export function emit<E extends KitEventBase>(listener: EventListener<E> | undefined, event: Omit<E, "time"> & { time?: number }): void {
  if (typeof listener !== "function") return;
  const full = { time: Date.now(), ...event } as E;
  try {
    const r = (listener as (e: E) => unknown)(full);
    // An async listener's rejection must not become an unhandled rejection either.
    if (r && typeof (r as Promise<unknown>).then === "function") (r as Promise<unknown>).then(undefined, ignore);
  } catch {
    // Dropped on purpose: see the rule above.
  }
}

/** Refuses a non-function `onEvent` with the module's error, before any work. @internal */
export function checkListener<E extends KitEventBase>(
  listener: unknown,
  fail: (message: string, value: unknown) => Error,
  what: string,
): EventListener<E> | undefined {
  if (listener === undefined) return undefined;
  if (typeof listener !== "function") throw fail(`${what}: option "onEvent" must be a function, got ${listener === null ? "null" : typeof listener}`, { option: "onEvent" });
  return listener as EventListener<E>;
}

function ignore(): void {}
