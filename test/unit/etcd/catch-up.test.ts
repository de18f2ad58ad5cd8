import { describe, expect, it } from "vitest";
import {
  CATCH_UP_MAX_HELPERS,
  CATCH_UP_SEGMENT,
  makeHelpers,
  planCatchUp,
  splitAt,
  takeHelperEvents,
} from "../../../src/etcd/catch-up.js";
import type { ResponseHeader, WatchEvent } from "../../../src/etcd/gen/rpc.js";

const header: ResponseHeader = { clusterId: 0n, memberId: 0n, revision: 0, raftTerm: 0 };
const ev = (rev: number): WatchEvent => ({
  type: "put",
  kv: {
    key: Buffer.from(`k${rev}`),
    createRevision: rev,
    modRevision: rev,
    version: 1,
    value: Buffer.alloc(0),
    lease: 0n,
  },
});

describe("planCatchUp", () => {
  it("leaves a backlog of one etcd batch (1000 revisions) to the watcher alone", () => {
    expect(planCatchUp(1, 1000)).toEqual([]);
    expect(planCatchUp(5000, 4000)).toEqual([]);
    expect(planCatchUp(0, 0)).toEqual([]);
  });

  it("splits a longer backlog into 999-revision segments after the watcher's own", () => {
    const starts = planCatchUp(1, 10_000);
    expect(starts[0]).toBe(1 + CATCH_UP_SEGMENT);
    expect(starts).toHaveLength(Math.ceil(10_000 / CATCH_UP_SEGMENT) - 1);
    // The last helper starts within one segment of the current revision: it covers the rest.
    expect(10_000 - (starts.at(-1) as number)).toBeLessThan(CATCH_UP_SEGMENT);
    for (let i = 1; i < starts.length; i++)
      expect((starts[i] as number) - (starts[i - 1] as number)).toBe(CATCH_UP_SEGMENT);
  });

  it("caps the helpers; the last one then replays the rest at etcd's pace (and plans again later)", () => {
    const starts = planCatchUp(100, 1_000_000);
    expect(starts).toHaveLength(CATCH_UP_MAX_HELPERS);
    expect(planCatchUp(1, 10_000, 999, 0)).toEqual([]);
  });
});

describe("helpers", () => {
  it("segments are contiguous and the last is open-ended", () => {
    const hs = makeHelpers([10, 20, 30]);
    expect(hs.map((h) => [h.start, h.end])).toEqual([
      [10, 20],
      [20, 30],
      [30, Number.POSITIVE_INFINITY],
    ]);
  });

  it("splitAt keeps events before the end and never splits a revision", () => {
    const evs = [ev(1), ev(2), ev(2), ev(3)];
    expect(splitAt(evs, 3).keep.map((e) => e.kv.modRevision)).toEqual([1, 2, 2]);
    expect(splitAt(evs, 3).reached).toBe(true);
    expect(splitAt(evs, 4)).toEqual({ keep: evs, reached: false });
    expect(splitAt(evs, 1)).toEqual({ keep: [], reached: true });
  });

  it("a helper buffers its segment and completes at the first event past it", () => {
    const [h, tail] = makeHelpers([10, 20]);
    if (!h || !tail) throw new Error("helpers");
    expect(takeHelperEvents(h, [ev(10), ev(12)], header)).toBe(false);
    expect(takeHelperEvents(h, [ev(15), ev(19), ev(20), ev(21)], header)).toBe(true);
    expect(h.complete).toBe(true);
    expect(h.buffer.flatMap((b) => b.events.map((e) => e.kv.modRevision))).toEqual([10, 12, 15, 19]);
    // Late batches after completion are ignored.
    expect(takeHelperEvents(h, [ev(22)], header)).toBe(false);
    expect(h.buffer).toHaveLength(2);
    // The open-ended tail never completes.
    expect(takeHelperEvents(tail, [ev(20), ev(1e9)], header)).toBe(false);
    expect(tail.buffer[0]?.events).toHaveLength(2);
  });
});
