import { describe, expect, it } from "vitest";
import { DeadlineQueue, type Pending } from "../../../src/etcd/deadline-queue.js";

/** A stand-in for grpc-js' call object: records the cancel status. */
function entry(deadline: number, log: string[], name: string): Pending {
  const call = {
    cancelWithStatus: (code: number) => log.push(`${name}:${code}`),
  } as unknown as Pending["call"];
  return { deadline, call, expired: false, done: false };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(10);
}

describe("DeadlineQueue (one timer for all unary deadlines)", () => {
  it("expires calls in deadline order, including out-of-order insertions, and skips settled ones", async () => {
    const q = new DeadlineQueue();
    const log: string[] = [];
    const now = Date.now();
    const a = entry(now + 40, log, "a");
    const b = entry(now + 60_000, log, "b");
    const c = entry(now + 20, log, "c"); // shorter per-call deadline, inserted later
    const d = entry(now + 30, log, "d");
    for (const p of [a, b, c, d]) q.add(p);
    d.done = true; // finished before its deadline
    q.settled();
    await waitFor(() => log.length >= 2);
    expect(log).toEqual(["c:4", "a:4"]);
    expect([a.expired, b.expired, c.expired, d.expired]).toEqual([true, false, true, false]);
    q.clear();
  });

  it("a queue whose calls all finished cancels nothing", async () => {
    const q = new DeadlineQueue();
    const log: string[] = [];
    const ps = Array.from({ length: 100 }, (_, i) => entry(Date.now() + 10 + (i % 7), log, `p${i}`));
    for (const p of ps) q.add(p);
    for (const p of ps) {
      p.done = true;
      q.settled();
    }
    await sleep(40);
    expect(log).toEqual([]);
    q.clear();
  });
});
