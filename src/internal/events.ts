/**
 * Progress events: silent by default; an optional `onEvent` callback gets typed objects.
 * A listener that throws must not corrupt our state, so its error is rethrown outside our stack.
 * @internal
 */
export interface KitEventBase {
  /** Discriminator, e.g. `"certs.created"`. */
  type: string;
  /** Milliseconds since the epoch when the event was built. */
  time: number;
}

export type EventListener<E extends KitEventBase = KitEventBase> = (event: E) => void;

/** Placeholder that stands where a secret would be. */
export const REDACTED = "[Redacted]";

/** Sends `event` to `listener` (if any); a throwing listener's error surfaces on the next tick. @internal */
export function emit<E extends KitEventBase>(listener: EventListener<E> | undefined, event: Omit<E, "time"> & { time?: number }): void {
  if (!listener) return;
  const full = { time: Date.now(), ...event } as E;
  try {
    listener(full);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
