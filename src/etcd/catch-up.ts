/**
 * Parallel catch-up for watches that start far in the past.
 *
 * etcd replays history to a watcher in batches of at most 1000 revisions per sync pass, and runs
 * a pass only every 100 ms while that watcher stays behind (etcd 3.4 mvcc `watchBatchMaxRevs`,
 * `syncWatchersLoop`). One watcher replaying 10,000 revisions therefore takes about a second,
 * whatever the client does. A pass serves up to 512 behind-watchers at once, so the client splits
 * the backlog into segments, opens one internal "helper" watcher per segment on the same stream,
 * and delivers the segments in order: the backlog arrives in one or two passes.
 *
 * Exactly-once holds by construction: each helper only keeps events inside its own segment
 * `[start, end)`, a segment is complete when its helper sees an event at or past `end` (etcd
 * sends a revision's events whole and in order), and the user's watcher delivers a segment only
 * after every earlier one. Only the user's watcher advances `nextRevision`, so a broken stream
 * drops the helpers and resumes from the last delivered revision + 1 as before.
 * @internal
 */
import type { ResponseHeader, WatchEvent } from "./gen/rpc.js";

/** Revisions per helper segment: one less than etcd's batch, so a helper's first batch ends its segment. */
export const CATCH_UP_SEGMENT = 999;
/** Helpers at most per plan (a longer backlog is planned again from where the last one stands). */
export const CATCH_UP_MAX_HELPERS = 15;
/** Backlog (revisions) below which one watcher is as fast: a single etcd batch. */
export const CATCH_UP_MIN_BACKLOG = 1000;

/** One internal watcher covering revisions `[start, end)` of a user's watch. @internal */
export interface CatchUpHelper {
  readonly start: number;
  /** Exclusive end; `Infinity` for the last helper, which becomes the live watcher. */
  readonly end: number;
  watchId: number;
  /** Event batches of this segment received so far, in order. */
  readonly buffer: { events: WatchEvent[]; header: ResponseHeader }[];
  /** Saw an event at or past `end`: the segment is whole and the helper was cancelled. */
  complete: boolean;
}

/**
 * Plans helper segments for a watcher whose next revision is `next` while etcd is at `current`.
 * Returns the helpers' start revisions (ascending; the watcher itself covers `[next, starts[0])`),
 * or `[]` when the backlog is short enough for one watcher.
 *
 * @example
 * planCatchUp(1, 10_000) // [1000, 1999, ..., 9991]: ten helpers after the watcher's own segment
 */
export function planCatchUp(
  next: number,
  current: number,
  segment = CATCH_UP_SEGMENT,
  maxHelpers = CATCH_UP_MAX_HELPERS,
): number[] {
  const backlog = current - next + 1;
  if (!(backlog > CATCH_UP_MIN_BACKLOG) || segment < 1 || maxHelpers < 1) return [];
  const count = Math.min(maxHelpers, Math.ceil(backlog / segment) - 1);
  const starts: number[] = [];
  for (let k = 1; k <= count; k++) starts.push(next + k * segment);
  return starts;
}

/** Builds the helper records for `starts` (the last one open-ended). @internal */
export function makeHelpers(starts: readonly number[]): CatchUpHelper[] {
  return starts.map((start, i) => ({
    start,
    end: i + 1 < starts.length ? (starts[i + 1] as number) : Number.POSITIVE_INFINITY,
    watchId: -1,
    buffer: [],
    complete: false,
  }));
}

/**
 * Splits a batch at `end`: events before it, and whether the batch reached `end` (segment whole).
 * Events of one revision are never split, since `end` is a revision boundary.
 */
export function splitAt(
  events: readonly WatchEvent[],
  end: number,
): { keep: WatchEvent[]; reached: boolean } {
  const last = events[events.length - 1];
  if (!last || last.kv.modRevision < end) return { keep: events as WatchEvent[], reached: false };
  let i = 0;
  while (i < events.length && (events[i] as WatchEvent).kv.modRevision < end) i++;
  return { keep: events.slice(0, i), reached: true };
}

/**
 * Takes one helper response: keeps the events inside the helper's segment and marks it complete
 * when the batch reached the segment's end. Returns true when the helper just became complete.
 */
export function takeHelperEvents(
  h: CatchUpHelper,
  events: readonly WatchEvent[],
  header: ResponseHeader,
): boolean {
  if (h.complete || events.length === 0) return false;
  const { keep, reached } = splitAt(events, h.end);
  if (keep.length > 0) h.buffer.push({ events: keep, header });
  if (reached) h.complete = true;
  return reached;
}
