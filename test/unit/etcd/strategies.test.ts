import { describe, expect, it } from "vitest";
import { makeEmitter } from "../../../src/etcd/events.js";
import { normalizeOptions } from "../../../src/etcd/options.js";
import {
  DEFRAGMENT_DEADLINE_MS,
  SNAPSHOT_DEADLINE_MS,
  defaultCallDeadline,
  exponentialBackoff,
} from "../../../src/etcd/strategies.js";

const ctx = (attempt: number) => ({
  method: "/etcdserverpb.KV/Range",
  attempt,
  code: "ETCD_UNAVAILABLE",
  remainingMs: 1e6,
});

describe("retry policy", () => {
  it("exponentialBackoff doubles from baseMs to maxMs with equal jitter, and stops after maxRetries", () => {
    const low = exponentialBackoff({ baseMs: 10, maxMs: 100, maxRetries: 6, random: () => 0 });
    const high = exponentialBackoff({ baseMs: 10, maxMs: 100, maxRetries: 6, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((a) => low(ctx(a)))).toEqual([5, 10, 20, 40, 50, 50]);
    expect([1, 2, 3, 4].map((a) => Math.round(high(ctx(a)) ?? -1))).toEqual([10, 20, 40, 80]);
    expect(low(ctx(7))).toBeUndefined();
  });
  it("the default policy (retryBaseMs/retryMaxMs) retries until the deadline", () => {
    const o = normalizeOptions({ endpoints: ["127.0.0.1:2379"], retryBaseMs: 8, retryMaxMs: 8 });
    for (const a of [1, 10, 1000]) {
      const d = o.retry(ctx(a)) as number;
      expect(d).toBeGreaterThanOrEqual(4);
      expect(d).toBeLessThanOrEqual(8);
    }
  });
  it("a custom policy is kept as given; mixing it with retryBaseMs is refused; non-functions are refused", () => {
    const never = () => undefined;
    expect(normalizeOptions({ endpoints: ["a:1"], retry: never }).retry).toBe(never);
    expect(() => normalizeOptions({ endpoints: ["a:1"], retry: never, retryBaseMs: 5 })).toThrow(
      expect.objectContaining({ code: "ETCD_OPTION_INVALID", value: 5 }),
    );
    for (const name of ["retry", "callDeadline", "onEvent"] as const) {
      expect(() => normalizeOptions({ endpoints: ["a:1"], [name]: 42 } as never)).toThrow(
        expect.objectContaining({ code: "ETCD_OPTION_INVALID", message: expect.stringContaining(name) }),
      );
    }
  });
});

describe("deadline factory", () => {
  it("defaults: Snapshot and Defragment get long deadlines, everything else the client's deadlineMs", () => {
    expect(defaultCallDeadline({ method: "/etcdserverpb.Maintenance/Snapshot", stream: true })).toBe(
      SNAPSHOT_DEADLINE_MS,
    );
    expect(defaultCallDeadline({ method: "/etcdserverpb.Maintenance/Defragment", stream: false })).toBe(
      DEFRAGMENT_DEADLINE_MS,
    );
    expect(defaultCallDeadline({ method: "/etcdserverpb.KV/Put", stream: false })).toBeUndefined();
    const o = normalizeOptions({ endpoints: ["a:1"] });
    expect(o.callDeadline).toBe(defaultCallDeadline);
  });
});

describe("event emitter", () => {
  it("stamps a time, and a throwing listener neither throws into the client nor later", async () => {
    const seen: unknown[] = [];
    const emit = makeEmitter((e) => {
      seen.push(e);
      throw new Error("listener bug");
    });
    expect(() => emit?.({ type: "etcd.endpoint.connected", endpoint: "https://a:1" })).not.toThrow();
    // Nothing is rethrown on a later tick either (vitest would report an unhandled error).
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { type: "etcd.endpoint.connected", endpoint: "https://a:1", time: expect.any(Number) },
    ]);
    expect(makeEmitter(undefined)).toBeUndefined();
  });
});
