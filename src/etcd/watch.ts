/**
 * One multiplexed Watch stream per client, driven by the state machines in `watch-state.ts`.
 *
 * Exactly-once delivery across reconnects: a watcher remembers `nextRevision` = last delivered
 * event's revision + 1 (or the creation header revision + 1 before any event). etcd sends all events
 * of one revision in one response (we never ask for fragments), and we deliver whole responses
 * before advancing, so resuming at `nextRevision` neither skips nor repeats an event. Events below
 * `nextRevision` are dropped as a second guard.
 * @internal
 */
import type * as grpc from "@grpc/grpc-js";
import { type CatchUpHelper, makeHelpers, planCatchUp, splitAt, takeHelperEvents } from "./catch-up.js";
import { EtcdError, GrpcStatus, toEtcdError, WatchCompactedError } from "./errors.js";
import { callListener } from "./events.js";
import {
  decodeWatchResponse,
  type ResponseHeader,
  type WatchEvent,
  type WatchResponse,
  writeWatchCancel,
  writeWatchCreate,
  writeWatchProgress,
} from "./gen/rpc.js";
import { type KeySelector, selectRange } from "./keys.js";
import type { Endpoint, Transport } from "./transport.js";
import { encode } from "./transport.js";
import {
  guardMove,
  STREAM_MOVES,
  type StreamState,
  WATCHER_MOVES,
  type WatcherState,
} from "./watch-state.js";

/** Options of {@link EtcdClient.watch}. */
export interface WatchOptions extends KeySelector {
  /** First revision to deliver (inclusive). Default: changes after the watch is created. */
  startRevision?: number;
  /** Include the previous key-value in each event. */
  prevKv?: boolean;
  /** Leave out put events. */
  noPut?: boolean;
  /** Leave out delete events. */
  noDelete?: boolean;
  /** Ask etcd for periodic empty progress responses. */
  progressNotify?: boolean;
  /**
   * Replay a long backlog (a `startRevision` more than 1000 revisions back) through short-lived
   * helper watchers on the same stream, delivered in order, instead of etcd's pace of 1000
   * revisions per 100 ms for one watcher. Default true; false keeps one watcher.
   */
  catchUp?: boolean;
  /** Receives each batch of events (all events of one or more revisions, in order). */
  onEvents: (events: WatchEvent[], header: ResponseHeader) => void;
  /** Receives progress notifications (no events up to `revision`). */
  onProgress?: (revision: number) => void;
  /** Receives the error that ended the watcher (`WatchCompactedError`, cancelled by the server). */
  onError?: (error: EtcdError) => void;
}

export type { WatcherState } from "./watch-state.js";

/** Errors after which re-opening the stream cannot succeed. */
const FATAL = new Set(["ETCD_AUTH_FAILED", "ETCD_PERMISSION_DENIED", "ETCD_USER_NOT_FOUND"]);

/** A live watch. Cancel it with {@link Watcher.cancel}. */
export interface Watcher {
  /** Resolves once etcd has created the watch (the first time). */
  readonly ready: Promise<void>;
  readonly state: WatcherState;
  /** Next revision this watcher will deliver (last delivered + 1). */
  readonly nextRevision: number;
  /** Stops the watch; resolves when etcd confirmed or the stream is gone. */
  cancel(): Promise<void>;
}


class WatcherImpl implements Watcher {
  state: WatcherState = "pending";
  nextRevision: number;
  watchId = -1;
  readonly key: Uint8Array;
  readonly rangeEnd: Uint8Array | undefined;
  readonly ready: Promise<void>;
  resolveReady!: () => void;
  rejectReady!: (e: unknown) => void;
  cancelWaiters: (() => void)[] = [];
  /** etcd confirmed this watcher at least once: a later create is a resume. */
  everCreated = false;
  /** Helper watchers replaying later parts of the backlog (see catch-up.ts), in order. */
  helpers: CatchUpHelper[] = [];
  /** A helper failed once: this watcher replays alone from then on. */
  catchUpOff: boolean;

  constructor(
    readonly manager: WatchManager,
    readonly o: WatchOptions,
  ) {
    const r = selectRange(o);
    this.key = r.key;
    this.rangeEnd = r.rangeEnd;
    if (o.startRevision !== undefined && (!Number.isSafeInteger(o.startRevision) || o.startRevision < 0)) {
      throw new EtcdError(
        "ETCD_INVALID_ARGUMENT",
        `startRevision must be a non-negative integer, got ${o.startRevision}`,
        { value: o.startRevision },
      );
    }
    this.nextRevision = o.startRevision ?? 0;
    this.catchUpOff = o.catchUp === false;
    this.ready = new Promise<void>((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    // A caller that never awaits `ready` must not get an unhandled rejection.
    this.ready.catch(() => {});
  }

  move(to: WatcherState): void {
    this.state = guardMove("watcher", WATCHER_MOVES, this.state, to);
    if (to === "cancelled") {
      for (const w of this.cancelWaiters.splice(0)) w();
    }
  }

  cancel(): Promise<void> {
    return this.manager.cancel(this);
  }
}

/** @internal */
export class WatchManager {
  private state: StreamState = "idle";
  private stream: grpc.ClientDuplexStream<Buffer, Buffer> | undefined;
  private endpoint: Endpoint | undefined;
  private readonly byId = new Map<number, WatcherImpl>();
  /** Catch-up helpers by watch id, with the watcher they serve. */
  private readonly helperById = new Map<number, { w: WatcherImpl; h: CatchUpHelper }>();
  private readonly watchers = new Set<WatcherImpl>();
  private nextId = 1;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly transport: Transport) {}

  private move(to: StreamState): void {
    this.state = guardMove("watch stream", STREAM_MOVES, this.state, to);
  }

  /** Current state of the shared stream (for tests and diagnostics). */
  get streamState(): StreamState {
    return this.state;
  }

  watch(o: WatchOptions): Watcher {
    if (this.state === "closed")
      throw new EtcdError("ETCD_CLIENT_CLOSED", "the etcd client is closed", { value: "watch" });
    if (typeof o.onEvents !== "function")
      throw new EtcdError("ETCD_INVALID_ARGUMENT", "watch needs an onEvents callback", { value: undefined });
    const w = new WatcherImpl(this, o);
    this.watchers.add(w);
    if (this.state === "idle") this.connect();
    else if (this.state === "open") this.sendCreate(w);
    return w;
  }

  private connect(): void {
    this.move("connecting");
    if (this.transport.needsAuth()) {
      this.transport.ensureAuth().then(
        () => {
          if (this.state === "connecting") this.connectEndpoint();
        },
        (err) => {
          if (this.state === "connecting") this.broken(err);
        },
      );
      return;
    }
    this.connectEndpoint();
  }

  private connectEndpoint(): void {
    const ep = this.transport.pick();
    if (this.transport.isReady(ep)) {
      this.open(ep);
      return;
    }
    // Do not open the stream on an endpoint that cannot connect (a black hole would hold it for
    // grpc-js' whole connect timeout): give it connectTimeoutMs, then fail over.
    void this.transport.waitReady(ep, this.transport.opts.connectTimeoutMs).then((ok) => {
      if (this.state !== "connecting") return;
      if (ok) this.open(ep);
      else {
        this.transport.markFailed(ep);
        this.broken(
          new EtcdError("ETCD_UNAVAILABLE", `watch: cannot connect to ${ep.url}`, {
            transient: true,
            endpoint: ep.url,
          }),
        );
      }
    });
  }

  private open(target: Endpoint): void {
    let opened: { ep: Endpoint; stream: grpc.ClientDuplexStream<Buffer, Buffer> };
    try {
      // "hasleader": etcd ends the stream when its member loses the leader, so we move on.
      opened = this.transport.bidi("/etcdserverpb.Watch/Watch", { hasleader: "true" }, target);
    } catch (err) {
      this.broken(err);
      return;
    }
    const { ep, stream } = opened;
    this.stream = stream;
    this.endpoint = ep;
    stream.on("data", (buf: Buffer) => {
      if (this.stream !== stream) return;
      let res: WatchResponse;
      try {
        res = decodeWatchResponse(buf);
      } catch (err) {
        stream.cancel();
        this.broken(err, stream);
        return;
      }
      this.attempt = 0;
      if (ep.failures) this.transport.markHealthy(ep);
      this.onResponse(res);
    });
    stream.on("error", (err) => this.broken(err, stream));
    stream.on("end", () =>
      this.broken(new EtcdError("ETCD_UNAVAILABLE", "watch stream ended", { transient: true }), stream),
    );
    this.move("open");
    for (const w of this.watchers) if (w.state === "pending") this.sendCreate(w);
  }

  private write(buf: Buffer): void {
    this.stream?.write(buf);
  }

  private sendCreate(w: WatcherImpl): void {
    w.move("creating");
    w.watchId = this.nextId++;
    this.byId.set(w.watchId, w);
    if (w.everCreated && this.endpoint)
      this.transport.emit?.({
        type: "etcd.watch.resume",
        watchId: w.watchId,
        revision: w.nextRevision,
        endpoint: this.endpoint.url,
      });
    this.writeCreate(w, w.watchId, w.nextRevision, w.o.progressNotify);
  }

  private writeCreate(
    w: WatcherImpl,
    watchId: number,
    startRevision: number,
    progressNotify?: boolean,
  ): void {
    const filters: number[] = [];
    if (w.o.noPut) filters.push(0);
    if (w.o.noDelete) filters.push(1);
    this.write(
      encode((wr) =>
        writeWatchCreate(wr, {
          key: w.key,
          rangeEnd: w.rangeEnd,
          startRevision,
          progressNotify,
          filters,
          prevKv: w.o.prevKv,
          watchId,
        }),
      ),
    );
  }

  private writeCancel(watchId: number): void {
    this.write(encode((wr) => writeWatchCancel(wr, watchId)));
  }

  /** Opens helpers when `w` is more than one etcd batch behind `current` (see catch-up.ts). */
  private maybeCatchUp(w: WatcherImpl, current: number): void {
    if (w.catchUpOff || w.helpers.length > 0 || w.state !== "active" || this.state !== "open") return;
    const starts = planCatchUp(w.nextRevision, current);
    if (starts.length === 0) return;
    w.helpers = makeHelpers(starts);
    for (const h of w.helpers) {
      h.watchId = this.nextId++;
      this.helperById.set(h.watchId, { w, h });
      this.writeCreate(w, h.watchId, h.start);
    }
    this.transport.emit?.({
      type: "etcd.watch.catchup",
      watchId: w.watchId,
      from: w.nextRevision,
      to: current,
      helpers: starts.length,
    });
  }

  /** A helper's response: buffer its segment; cancel it once the segment is whole. */
  private onHelperResponse(w: WatcherImpl, h: CatchUpHelper, res: WatchResponse): void {
    if (res.canceled) {
      this.helperById.delete(res.watchId);
      // etcd ended a helper (compaction, permissions): the watcher carries on alone. It has not
      // skipped anything yet: it only drops events when it moves on to the next helper.
      if (!h.complete) this.dropHelpers(w, true);
      return;
    }
    if (takeHelperEvents(h, res.events, res.header)) {
      this.helperById.delete(h.watchId);
      this.writeCancel(h.watchId);
    }
  }

  /** Cancels the helpers of `w` that are still running and forgets them. */
  private dropHelpers(w: WatcherImpl, off: boolean): void {
    for (const h of w.helpers) {
      if (this.helperById.delete(h.watchId) && this.state === "open") this.writeCancel(h.watchId);
    }
    w.helpers = [];
    if (off) w.catchUpOff = true;
  }

  /**
   * The watcher's current segment is whole: cancel its etcd watcher, take over the first helper
   * still running (complete helpers before it are only buffers now), then deliver the buffered
   * segments in order. The binding moves first so a cancel from inside a callback hits the live id.
   */
  private advance(w: WatcherImpl): void {
    const old = w.watchId;
    this.byId.delete(old);
    this.writeCancel(old);
    let j = 0;
    while ((w.helpers[j] as CatchUpHelper).complete) j++;
    const next = w.helpers[j] as CatchUpHelper;
    const done = w.helpers.splice(0, j + 1);
    this.helperById.delete(next.watchId);
    w.watchId = next.watchId;
    this.byId.set(next.watchId, w);
    for (const h of done) {
      for (const b of h.buffer) {
        if (w.state !== "active") return;
        this.deliver(w, b.events, b.header);
      }
      h.buffer.length = 0;
    }
  }

  /** Hands events (at or after `nextRevision`) to the user and advances `nextRevision`. */
  private deliver(w: WatcherImpl, batch: WatchEvent[], header: ResponseHeader): void {
    let events = batch;
    const first = events[0];
    if (!first) return;
    if (first.kv.modRevision < w.nextRevision) {
      events = events.filter((e) => e.kv.modRevision >= w.nextRevision);
      if (events.length === 0) return;
    }
    w.nextRevision = (events[events.length - 1] as WatchEvent).kv.modRevision + 1;
    callListener(w.o.onEvents, events, header);
  }

  /** Asks etcd for a progress notification on every watcher of the stream. */
  requestProgress(): void {
    if (this.state === "open") this.write(encode((wr) => writeWatchProgress(wr)));
  }

  private onResponse(res: WatchResponse): void {
    const helper = this.helperById.get(res.watchId);
    if (helper) {
      this.onHelperResponse(helper.w, helper.h, res);
      return;
    }
    const w = this.byId.get(res.watchId);
    if (!w) {
      // Progress for the whole stream (id -1) or a late message for a watcher we dropped.
      if (res.events.length === 0 && !res.created && !res.canceled) {
        for (const x of this.watchers)
          if (x.state === "active" && x.helpers.length === 0) this.progress(x, res.header.revision);
      }
      return;
    }
    if (res.created && w.state === "creating") {
      w.move("active");
      w.everCreated = true;
      // A watch "from now" resumes after the revision it was created at.
      if (w.nextRevision === 0) w.nextRevision = res.header.revision + 1;
      w.resolveReady();
      if (!res.canceled) {
        // etcd sends its current revision with the creation: a long backlog is split up now.
        this.maybeCatchUp(w, res.header.revision);
        return;
      }
    }
    if (res.canceled) {
      this.byId.delete(res.watchId);
      if (w.state === "cancelling" || w.state === "cancelled") {
        if (w.state === "cancelling") w.move("cancelled");
        this.watchers.delete(w);
        this.maybeIdle();
        return;
      }
      let err: EtcdError;
      if (res.compactRevision > 0) err = new WatchCompactedError(res.compactRevision, w.nextRevision);
      else {
        err = new EtcdError(
          "ETCD_WATCH_CANCELED",
          `watch cancelled by etcd: ${res.cancelReason || "no reason given"}`,
          {
            value: res.cancelReason,
            details: res.cancelReason,
          },
        );
      }
      this.fail(w, err);
      this.maybeIdle();
      return;
    }
    if (w.state !== "active") return;
    if (res.events.length > 0) {
      const next = w.helpers[0];
      if (next) {
        // Events from the next helper's start on come from that helper (already buffered).
        const { keep, reached } = splitAt(res.events, next.start);
        this.deliver(w, keep, res.header);
        if (reached && w.state === "active") this.advance(w);
        return;
      }
      this.deliver(w, res.events, res.header);
      // Still a backlog after this batch (etcd sends its current revision with it): split it up.
      this.maybeCatchUp(w, res.header.revision);
    } else if (!res.created && w.helpers.length === 0) {
      this.progress(w, res.header.revision);
    }
  }

  /** Ends a watcher with an error, once. */
  private fail(w: WatcherImpl, err: EtcdError): void {
    if (w.state === "cancelled") return;
    this.dropHelpers(w, true);
    w.move("cancelled");
    this.watchers.delete(w);
    w.rejectReady(err);
    callListener(w.o.onError, err);
  }

  private progress(w: WatcherImpl, revision: number): void {
    callListener(w.o.onProgress, revision);
  }

  private broken(err: unknown, stream?: grpc.ClientDuplexStream<Buffer, Buffer>): void {
    if (stream && stream !== this.stream) return;
    if (this.state === "closed" || this.state === "idle" || this.state === "backoff") return;
    const e = toEtcdError(err, "watch", this.endpoint?.url);
    if (
      this.endpoint &&
      (e.grpcCode === GrpcStatus.UNAVAILABLE ||
        e.code === "ETCD_NO_LEADER" ||
        e.grpcCode === GrpcStatus.INTERNAL)
    ) {
      this.transport.markFailed(this.endpoint);
    }
    if (e.code === "ETCD_INVALID_TOKEN") this.transport.invalidateToken();
    const old = this.stream;
    this.stream = undefined;
    this.endpoint = undefined;
    old?.removeAllListeners("data");
    old?.on("error", () => {});
    old?.cancel();
    this.byId.clear();
    // Helpers die with the stream; each watcher resumes alone from its last delivered revision + 1
    // and plans a new catch-up once etcd tells it how far behind it is.
    this.helperById.clear();
    for (const w of this.watchers) {
      w.helpers = [];
      if (w.state === "creating" || w.state === "active") w.move("pending");
      else if (w.state === "cancelling") {
        w.move("cancelled");
        this.watchers.delete(w);
      }
    }
    if (FATAL.has(e.code)) {
      // Retrying cannot help (wrong password, no permission): end every watcher with the error.
      for (const w of [...this.watchers]) this.fail(w, e);
    }
    if (this.watchers.size === 0) {
      this.move("idle");
      return;
    }
    this.move("backoff");
    this.attempt++;
    const delay = Math.min(50 * 2 ** Math.min(this.attempt - 1, 5), 1000) * (0.5 + Math.random() / 2);
    this.transport.emit?.({
      type: "etcd.watch.reconnect",
      attempt: this.attempt,
      delayMs: delay,
      code: e.code,
    });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state === "backoff") this.connect();
    }, delay);
  }

  cancel(w: WatcherImpl): Promise<void> {
    if (w.state === "cancelled") return Promise.resolve();
    const done = new Promise<void>((resolve) => w.cancelWaiters.push(resolve));
    if (w.state === "pending") {
      w.move("cancelled");
      this.watchers.delete(w);
      w.rejectReady(
        new EtcdError("ETCD_WATCH_CANCELED", "watch cancelled before it was created", { value: undefined }),
      );
      this.maybeIdle();
      return done;
    }
    if (w.state === "cancelling") return done;
    this.dropHelpers(w, true);
    w.move("cancelling");
    w.rejectReady(new EtcdError("ETCD_WATCH_CANCELED", "watch cancelled", { value: undefined }));
    this.writeCancel(w.watchId);
    // Do not wait forever for the confirmation.
    const t = setTimeout(() => {
      if (w.state === "cancelling") {
        this.byId.delete(w.watchId);
        w.move("cancelled");
        this.watchers.delete(w);
        this.maybeIdle();
      }
    }, this.transport.opts.deadlineMs);
    t.unref();
    return done.finally(() => clearTimeout(t));
  }

  private maybeIdle(): void {
    if (this.watchers.size > 0 || this.state === "closed" || this.state === "idle") return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      s.on("error", () => {});
      s.end();
      s.cancel();
    }
    this.move("idle");
  }

  close(): void {
    if (this.state === "closed") return;
    if (this.timer) clearTimeout(this.timer);
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      s.on("error", () => {});
      s.cancel();
    }
    for (const w of this.watchers) {
      if (w.state !== "cancelled") {
        w.move("cancelled");
        w.rejectReady(new EtcdError("ETCD_CLIENT_CLOSED", "the etcd client is closed", { value: "watch" }));
      }
    }
    this.watchers.clear();
    this.byId.clear();
    this.helperById.clear();
    this.move("closed");
  }
}
