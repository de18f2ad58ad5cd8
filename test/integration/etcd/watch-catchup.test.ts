/**
 * Catch-up replay (src/etcd/catch-up.ts) against a real etcd: a watch from far back, split across
 * helper watchers, must deliver exactly what a single watcher delivers, in the same order and
 * batches of whole revisions, then carry on live.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/process.js";
import { startOne, type TestEnv, testEnv } from "./cluster.js";
import {
  createEtcdClient,
  type EmbeddedEtcd,
  type EtcdClient,
  type EtcdClientEvent,
  op,
  type WatchEvent,
} from "./imports.js";

let env: TestEnv;
let etcd: EmbeddedEtcd;
let client: EtcdClient;
const events: EtcdClientEvent[] = [];
let start = 0;
let expected = 0;

async function writeMany(n: number, make: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < n) await make(next++);
    }),
  );
}

/**
 * etcd's own count of watchers (all streams), from its /metrics endpoint. etcd 3.4 serves /metrics
 * on the client port beside gRPC (cmux); a scrape can come back short or non-200 while the server is
 * busy compacting, so a failed scrape is reported as such (status, body size) for the caller to retry.
 */
function watcherTotal(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${etcd.clientUrl}/metrics`,
      { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey, timeout: 5_000 },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("error", reject);
        res.on("end", () => {
          const m = /^etcd_debugging_mvcc_watcher_total (\d+)/m.exec(body);
          if (m) resolve(Number(m[1]));
          else
            reject(
              new Error(
                `no etcd_debugging_mvcc_watcher_total in /metrics (HTTP ${res.statusCode}, ${body.length} bytes)`,
              ),
            );
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("/metrics scrape timed out")));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Waits until etcd has `want` watchers left (default none): helpers must not outlive their watcher.
 * A failed scrape is retried until the deadline; the test fails with the last count or scrape error.
 */
async function noWatchersLeft(want = 0): Promise<void> {
  let last = "no scrape";
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    try {
      const count = await watcherTotal();
      if (count === want) return;
      last = `${count} watchers`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd still reports ${last}, expected ${want} watchers`);
}

const id = (e: WatchEvent) =>
  `${e.type} ${e.kv.key.toString()}@${e.kv.modRevision} prev=${e.prevKv?.value.toString() ?? "-"}`;

beforeAll(async () => {
  env = await testEnv();
  etcd = await startOne(env, "catchup");
  client = createEtcdClient({
    endpoints: [etcd.clientUrl],
    tls: { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey },
    onEvent: (e) => events.push(e),
  });
  const c = etcd.client;
  start = (await c.put("cu/mark", "m")).revision + 1;
  // Watched keys on two of every three revisions, overwrites (prevKv), deletes, and txns whose
  // events share one revision.
  await writeMany(9000, (i) => (i % 3 === 2 ? c.put(`cx/${i}`, "other") : c.put(`cu/a/${i % 700}`, `v${i}`)));
  await writeMany(300, (i) =>
    c
      .txn()
      .onSuccess(
        ...Array.from({ length: 4 }, (_, j) => op.put(`cu/a/t${i}/${j}`, "t")),
        op.delete(`cu/a/${i}`),
      )
      .exec(),
  );
  expected = 6000 + 300 * 5;
}, 120_000);

afterAll(async () => {
  client?.close();
  await etcd?.stop();
  await env?.cleanup();
});

describe("watch catch-up", () => {
  it("a long backlog through helpers equals one watcher's replay, then both go on live", async () => {
    const fast: WatchEvent[][] = [];
    const slow: WatchEvent[][] = [];
    const common = { key: "cu/a/", prefix: true, prevKv: true, startRevision: start };
    const a = client.watch({ ...common, onEvents: (evs) => fast.push(evs) });
    const b = client.watch({ ...common, catchUp: false, onEvents: (evs) => slow.push(evs) });
    await waitFor(() => fast.flat().length >= expected && slow.flat().length >= expected, 60_000, "replays");
    const plans = events.filter((e) => e.type === "etcd.watch.catchup");
    expect(plans.length).toBeGreaterThan(0);
    expect(plans[0]).toMatchObject({ from: start });
    expect((plans[0] as { helpers: number }).helpers).toBeGreaterThan(1);

    // Live events after the replay reach both.
    const { revision } = await etcd.client.put("cu/a/live", "L");
    await waitFor(() => fast.flat().at(-1)?.kv.modRevision === revision, 10_000, "live event (catch-up)");
    await waitFor(() => slow.flat().at(-1)?.kv.modRevision === revision, 10_000, "live event (single)");
    await new Promise((r) => setTimeout(r, 200));

    const f = fast.flat().map(id);
    expect(f).toHaveLength(expected + 1);
    expect(new Set(f).size).toBe(f.length);
    expect(f).toEqual(slow.flat().map(id));
    // Batches hold whole revisions: no revision is split across two deliveries.
    for (let i = 1; i < fast.length; i++) {
      const prev = fast[i - 1] as WatchEvent[];
      const cur = fast[i] as WatchEvent[];
      expect((cur[0] as WatchEvent).kv.modRevision).toBeGreaterThan(
        (prev[prev.length - 1] as WatchEvent).kv.modRevision,
      );
    }
    expect(a.nextRevision).toBe(revision + 1);
    expect(b.nextRevision).toBe(revision + 1);
    await a.cancel();
    await b.cancel();
    await noWatchersLeft();
  });

  it("cancelling from inside onEvents mid-replay stops delivery at once", async () => {
    let calls = 0;
    let after = 0;
    let cancelled = false;
    const w = client.watch({
      key: "cu/a/",
      prefix: true,
      startRevision: start,
      onEvents: () => {
        if (cancelled) after++;
        calls++;
        if (calls === 3) {
          cancelled = true;
          void w.cancel();
        }
      },
    });
    await waitFor(() => w.state === "cancelled", 10_000, "cancelled");
    await new Promise((r) => setTimeout(r, 300));
    expect(after).toBe(0);
    await noWatchersLeft();
  });

  it("cancelling right after the plan (helpers still running) leaves no watcher in etcd", async () => {
    let w: { cancel(): Promise<void> } | undefined;
    let planned = false;
    const c = createEtcdClient({
      endpoints: [etcd.clientUrl],
      tls: { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey },
      onEvent: (e) => {
        if (e.type === "etcd.watch.catchup") {
          planned = true;
          void w?.cancel();
        }
      },
    });
    try {
      // A second watcher keeps the shared stream open, so leaked helpers would stay in etcd.
      const other = c.watch({ key: "cu/other", onEvents: () => {} });
      await other.ready;
      w = c.watch({ key: "cu/a/", prefix: true, startRevision: start, onEvents: () => {} });
      await waitFor(() => planned, 10_000, "catch-up plan");
      await noWatchersLeft(1);
      await other.cancel();
      await noWatchersLeft();
    } finally {
      c.close();
    }
  });

  it("a catch-up watch from a compacted revision still ends with WatchCompactedError", async () => {
    const { revision } = await etcd.client.put("cu/compact", "x");
    await etcd.client.compact(revision);
    const err = await new Promise<unknown>((resolve) => {
      client.watch({
        key: "cu/a/",
        prefix: true,
        startRevision: start,
        onEvents: () => {},
        onError: resolve,
      });
    });
    expect(err).toMatchObject({ code: "ETCD_WATCH_COMPACTED", compactRevision: revision });
    await noWatchersLeft();
  });
});
