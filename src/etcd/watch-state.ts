/**
 * The two watch state machines as data: which moves are legal. Guarded moves throw
 * ETCD_WATCH_STATE, so a bug shows up as a loud error instead of a silently lost watcher.
 *
 * stream:  idle → connecting → open → backoff → connecting … ; any but closed → closed
 * watcher: pending → creating → active → cancelling → cancelled;
 *          creating/active → pending when the stream breaks (re-created from nextRevision).
 * @internal
 */
import { EtcdError } from "./errors.js";

/** Where a watcher is in its life. */
export type WatcherState = "pending" | "creating" | "active" | "cancelling" | "cancelled";
/** Where the shared watch stream is. @internal */
export type StreamState = "idle" | "connecting" | "open" | "backoff" | "closed";

/** @internal */
export const STREAM_MOVES: Readonly<Record<StreamState, readonly StreamState[]>> = {
  idle: ["connecting", "closed"],
  connecting: ["open", "backoff", "closed", "idle"],
  open: ["backoff", "idle", "closed"],
  backoff: ["connecting", "idle", "closed"],
  closed: [],
};

/** @internal */
export const WATCHER_MOVES: Readonly<Record<WatcherState, readonly WatcherState[]>> = {
  pending: ["creating", "cancelled"],
  creating: ["active", "pending", "cancelled", "cancelling"],
  active: ["pending", "cancelling", "cancelled"],
  cancelling: ["cancelled", "pending"],
  cancelled: [],
};

/**
 * Returns `to` when `from → to` is in `table`, else throws ETCD_WATCH_STATE naming the move.
 * @throws ETCD_WATCH_STATE
 * @internal
 */
export function guardMove<S extends string>(
  what: "watch stream" | "watcher",
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
): S {
  if (!table[from]?.includes(to)) {
    throw new EtcdError("ETCD_WATCH_STATE", `${what} cannot move from ${from} to ${to}`, {
      value: `${from}->${to}`,
    });
  }
  return to;
}
