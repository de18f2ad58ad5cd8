/**
 * The watch state machines without etcd: the transition tables alone, then the watch manager
 * driven through a scripted in-memory stream (responses encoded with the client's own writer).
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import type { EtcdClientEvent } from "../../../src/etcd/events.js";
import { Writer } from "../../../src/etcd/gen/wire.js";
import type { Transport } from "../../../src/etcd/transport.js";
import { WatchManager } from "../../../src/etcd/watch.js";
import {
  STREAM_MOVES,
  type StreamState,
  WATCHER_MOVES,
  type WatcherState,
  guardMove,
} from "../../../src/etcd/watch-state.js";
import { waitFor } from "../../helpers/process.js";

const STREAM_STATES = Object.keys(STREAM_MOVES) as StreamState[];
const WATCHER_STATES = Object.keys(WATCHER_MOVES) as WatcherState[];

function reachable<S extends string>(table: Readonly<Record<S, readonly S[]>>, start: S): Set<S> {
  const seen = new Set<S>([start]);
  const todo = [start];
  while (todo.length) {
    for (const n of table[todo.pop() as S]) {
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return seen;
}

describe("watch state tables", () => {
  it("every listed stream move passes the guard and every other pair throws ETCD_WATCH_STATE", () => {
    for (const from of STREAM_STATES) {
      for (const to of STREAM_STATES) {
        const legal = STREAM_MOVES[from].includes(to);
        if (legal) expect(guardMove("watch stream", STREAM_MOVES, from, to)).toBe(to);
        else {
          let err: unknown;
          try {
            guardMove("watch stream", STREAM_MOVES, from, to);
          } catch (e) {
            err = e;
          }
          expect(isKitError(err, "ETCD_WATCH_STATE")).toBe(true);
          expect((err as { value: unknown }).value).toBe(`${from}->${to}`);
        }
      }
    }
  });

  it("every listed watcher move passes the guard and every other pair throws ETCD_WATCH_STATE", () => {
    let illegal = 0;
    for (const from of WATCHER_STATES) {
      for (const to of WATCHER_STATES) {
        if (WATCHER_MOVES[from].includes(to)) expect(guardMove("watcher", WATCHER_MOVES, from, to)).toBe(to);
        else {
          illegal++;
          expect(() => guardMove("watcher", WATCHER_MOVES, from, to)).toThrow(/watcher cannot move/);
        }
      }
    }
    // 25 pairs, 11 legal moves.
    expect(illegal).toBe(25 - Object.values(WATCHER_MOVES).flat().length);
  });

  it("closed and cancelled are terminal, everything else is reachable and can reach them", () => {
    expect(STREAM_MOVES.closed).toEqual([]);
    expect(WATCHER_MOVES.cancelled).toEqual([]);
    expect([...reachable(STREAM_MOVES, "idle")].sort()).toEqual([...STREAM_STATES].sort());
    expect([...reachable(WATCHER_MOVES, "pending")].sort()).toEqual([...WATCHER_STATES].sort());
    for (const s of STREAM_STATES) expect(reachable(STREAM_MOVES, s).has("closed")).toBe(true);
    for (const s of WATCHER_STATES) expect(reachable(WATCHER_MOVES, s).has("cancelled")).toBe(true);
    // A watcher never jumps from pending straight to active (it must be created first).
    expect(() => guardMove("watcher", WATCHER_MOVES, "pending", "active")).toThrow(/pending to active/);
  });
});

// ---------- scripted stream ----------

class FakeStream extends EventEmitter {
  readonly written: Buffer[] = [];
  cancelled = false;
  write(b: Buffer): boolean {
    this.written.push(Buffer.from(b));
    return true;
  }
  cancel(): void {
    this.cancelled = true;
  }
  end(): void {}
}

/** Minimal protobuf field reader for the requests the manager writes. */
function fields(buf: Buffer): Map<number, (number | Buffer)[]> {
  const out = new Map<number, (number | Buffer)[]>();
  let i = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error("truncated varint");
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const f = tag >>> 3;
    let v: number | Buffer;
    if ((tag & 7) === 2) {
      const len = varint();
      v = buf.subarray(i, i + len);
      i += len;
    } else v = varint();
    out.set(f, [...(out.get(f) ?? []), v]);
  }
  return out;
}

function createRequest(b: Buffer): { watchId: number; startRevision: number } | undefined {
  const create = fields(b).get(1)?.[0];
  if (!Buffer.isBuffer(create)) return undefined;
  const f = fields(create);
  return { watchId: Number(f.get(7)?.[0] ?? 0), startRevision: Number(f.get(3)?.[0] ?? 0) };
}

function response(m: {
  watchId: number;
  revision: number;
  created?: boolean;
  canceled?: boolean;
  compactRevision?: number;
  events?: { key: string; rev: number }[];
}): Buffer {
  const w = new Writer(256);
  const h = w.begin(1);
  w.int64Field(3, m.revision);
  w.end(h);
  w.tag(2, 0);
  w.int64(m.watchId);
  w.boolField(3, m.created);
  w.boolField(4, m.canceled);
  w.int64Field(5, m.compactRevision);
  for (const e of m.events ?? []) {
    const ev = w.begin(11);
    const kv = w.begin(2);
    w.bytesField(1, Buffer.from(e.key));
    w.int64Field(2, e.rev);
    w.int64Field(3, e.rev);
    w.bytesField(5, Buffer.from(`v${e.rev}`));
    w.end(kv);
    w.end(ev);
  }
  return Buffer.from(w.finish());
}

function harness() {
  const streams: FakeStream[] = [];
  const events: EtcdClientEvent[] = [];
  const ep = { url: "https://fake:2379", failures: 0, failedUntil: 0 };
  const transport = {
    opts: { connectTimeoutMs: 1000, deadlineMs: 5000 },
    emit: (e: Omit<EtcdClientEvent, "time">) => events.push({ ...e, time: Date.now() } as EtcdClientEvent),
    needsAuth: () => false,
    pick: () => ep,
    isReady: () => true,
    markFailed: () => {},
    markHealthy: () => {},
    invalidateToken: () => {},
    bidi: () => {
      const stream = new FakeStream();
      streams.push(stream);
      return { ep, stream };
    },
  };
  const manager = new WatchManager(transport as unknown as Transport);
  const last = () => streams[streams.length - 1] as FakeStream;
  return { manager, streams, events, last };
}

describe("watch manager on a scripted stream", () => {
  it("creates, delivers, resumes after a break at last delivered + 1 without repeats, cancels", async () => {
    const { manager, streams, events, last } = harness();
    const got: number[] = [];
    const w = manager.watch({
      key: "k/",
      prefix: true,
      onEvents: (evs) => got.push(...evs.map((e) => e.kv.modRevision)),
    });
    expect(manager.streamState).toBe("open");
    expect(w.state).toBe("creating");
    const first = createRequest(last().written[0] as Buffer);
    expect(first).toEqual({ watchId: 1, startRevision: 0 });

    last().emit("data", response({ watchId: 1, revision: 10, created: true }));
    await w.ready;
    expect(w.state).toBe("active");
    expect(w.nextRevision).toBe(11);
    last().emit(
      "data",
      response({
        watchId: 1,
        revision: 12,
        events: [
          { key: "k/a", rev: 11 },
          { key: "k/b", rev: 12 },
        ],
      }),
    );
    expect(got).toEqual([11, 12]);
    expect(w.nextRevision).toBe(13);

    // The stream breaks: the watcher goes back to pending, the stream to backoff, then reopens.
    const broken = last();
    broken.emit("error", Object.assign(new Error("14 UNAVAILABLE: gone"), { code: 14, details: "gone" }));
    expect(broken.cancelled).toBe(true);
    expect(w.state).toBe("pending");
    expect(manager.streamState).toBe("backoff");
    await waitFor(() => streams.length === 2 && w.state === "creating", 5000, "reconnect");
    expect(manager.streamState).toBe("open");
    const resumed = createRequest(last().written[0] as Buffer);
    expect(resumed).toEqual({ watchId: 2, startRevision: 13 });
    expect(events.map((e) => e.type)).toEqual(["etcd.watch.reconnect", "etcd.watch.resume"]);
    expect(events[1]).toMatchObject({ watchId: 2, revision: 13 });

    // Late data from the old stream is ignored; a repeated revision is dropped.
    broken.emit("data", response({ watchId: 1, revision: 99, events: [{ key: "k/z", rev: 99 }] }));
    last().emit("data", response({ watchId: 2, revision: 13, created: true }));
    last().emit(
      "data",
      response({
        watchId: 2,
        revision: 13,
        events: [
          { key: "k/b", rev: 12 },
          { key: "k/c", rev: 13 },
        ],
      }),
    );
    expect(got).toEqual([11, 12, 13]);

    const cancelled = w.cancel();
    expect(w.state).toBe("cancelling");
    const cancelReq = fields(last().written[1] as Buffer).get(2)?.[0];
    expect(Buffer.isBuffer(cancelReq) && fields(cancelReq).get(1)?.[0]).toBe(2);
    last().emit("data", response({ watchId: 2, revision: 13, canceled: true }));
    await cancelled;
    expect(w.state).toBe("cancelled");
    expect(manager.streamState).toBe("idle");
    manager.close();
    expect(manager.streamState).toBe("closed");
  });

  it("compaction ends the watcher with WatchCompactedError; the watcher then refuses impossible moves", async () => {
    const { manager, last } = harness();
    const errors: unknown[] = [];
    const w = manager.watch({
      key: "a",
      startRevision: 3,
      onEvents: () => {},
      onError: (e) => errors.push(e),
    });
    last().emit("data", response({ watchId: 1, revision: 50, canceled: true, compactRevision: 40 }));
    await expect(w.ready).rejects.toMatchObject({ code: "ETCD_WATCH_COMPACTED", compactRevision: 40 });
    expect(errors).toHaveLength(1);
    expect(w.state).toBe("cancelled");
    // The internal guard on the watcher object itself: cancelled is terminal.
    const move = (w as unknown as { move(to: WatcherState): void }).move.bind(w);
    expect(() => move("active")).toThrow(
      expect.objectContaining({ code: "ETCD_WATCH_STATE", value: "cancelled->active" }),
    );
    expect(() => move("pending")).toThrow(/cancelled to pending/);
    manager.close();
  });

  it("close() ends pending watchers with ETCD_CLIENT_CLOSED and refuses new ones", async () => {
    const { manager } = harness();
    const w = manager.watch({ key: "a", onEvents: () => {} });
    manager.close();
    await expect(w.ready).rejects.toMatchObject({ code: "ETCD_CLIENT_CLOSED" });
    expect(w.state).toBe("cancelled");
    expect(() => manager.watch({ key: "b", onEvents: () => {} })).toThrow(
      expect.objectContaining({ code: "ETCD_CLIENT_CLOSED" }),
    );
  });
});
