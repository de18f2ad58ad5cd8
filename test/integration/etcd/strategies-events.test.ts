/**
 * Injectable strategies and client events against a real etcd (mTLS, loopback): a custom retry
 * policy is honoured, a deadline factory shortens one method, snapshot has a deadline, and
 * `onEvent` reports what happened without ever carrying the password or token.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../helpers/ports.js";
import { waitFor } from "../../helpers/process.js";
import { type TestEnv, startOne, testEnv } from "./cluster.js";
import {
  type EmbeddedEtcd,
  type EtcdClient,
  type EtcdClientEvent,
  type EtcdClientOptions,
  type RetryContext,
  createEtcdClient,
  isKitError,
} from "./imports.js";
import { TcpProxy } from "./proxy.js";

let env: TestEnv;
let etcd: EmbeddedEtcd;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  env = await testEnv();
  etcd = await startOne(env, "strat");
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  await etcd?.stop();
  await env?.cleanup();
});

function client(endpoints: string[], extra: Partial<EtcdClientOptions> = {}): EtcdClient {
  const c = createEtcdClient({
    endpoints,
    tls: { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey },
    ...extra,
  });
  cleanups.push(() => c.close());
  return c;
}

async function stalledProxy(): Promise<TcpProxy> {
  const proxy = await TcpProxy.start(Number(new URL(etcd.clientUrl).port));
  cleanups.push(() => proxy.close());
  proxy.stall();
  return proxy;
}

describe("retry policy", () => {
  it("zero retries: the first UNAVAILABLE surfaces; a dead first endpoint does not hold a call while another connects", async () => {
    const dead = `https://127.0.0.1:${await freePort()}`;
    const events: EtcdClientEvent[] = [];
    // Connecting endpoints are raced: the live one takes the call, no retry is needed (issue 16).
    const noRetryLive = client([dead, etcd.clientUrl], {
      connectTimeoutMs: 300,
      retry: () => undefined,
      onEvent: (e) => events.push(e),
    });
    await noRetryLive.put("rp/a", "1");
    expect(await noRetryLive.get("rp/a")).toBe("1");
    expect(events.filter((e) => e.type === "etcd.retry.scheduled")).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "etcd.endpoint.connected", endpoint: etcd.clientUrl }),
    );

    // Every endpoint dead: the first attempt's UNAVAILABLE reaches the policy, which stops.
    const dead2 = `https://127.0.0.1:${await freePort()}`;
    const asked: RetryContext[] = [];
    const noRetry = client([dead, dead2], {
      connectTimeoutMs: 300,
      onEvent: (e) => events.push(e),
      retry: (c) => {
        asked.push(c);
        return undefined;
      },
    });
    const err = await noRetry.get("rp/a").catch((e: unknown) => e);
    expect(isKitError(err, "ETCD_UNAVAILABLE")).toBe(true);
    expect((err as { endpoint?: string }).endpoint).toBe(dead);
    expect(asked.map((c) => [c.method, c.attempt, c.code])).toEqual([
      ["/etcdserverpb.KV/Range", 1, "ETCD_UNAVAILABLE"],
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "etcd.endpoint.unhealthy", endpoint: dead }),
    );

    // The default policy fails over once the first endpoint is marked: the live one serves.
    const withDefault = client([dead, etcd.clientUrl], { connectTimeoutMs: 300 });
    await withDefault.put("rp/b", "2");
    expect(await withDefault.get("rp/b")).toBe("2");
  });

  it("a bounded policy is asked once per failed attempt and its limit ends the call", async () => {
    const deads = [`https://127.0.0.1:${await freePort()}`, `https://127.0.0.1:${await freePort()}`];
    const attempts: number[] = [];
    const c = client(deads, {
      connectTimeoutMs: 200,
      deadlineMs: 20_000,
      retry: ({ attempt }) => {
        attempts.push(attempt);
        return attempt <= 2 ? 10 : undefined;
      },
    });
    const err = await c.status().catch((e: unknown) => e);
    expect(isKitError(err, "ETCD_UNAVAILABLE")).toBe(true);
    expect(attempts).toEqual([1, 2, 3]);
  });
});

describe("deadline factory", () => {
  it("gives one method a shorter deadline than the others, and is told method and stream-ness", async () => {
    const proxy = await stalledProxy();
    const asked: string[] = [];
    const c = client([proxy.url], {
      deadlineMs: 30_000,
      callDeadline: ({ method, stream }) => {
        asked.push(`${method} ${stream}`);
        return method === "/etcdserverpb.KV/Range" ? 300 : undefined;
      },
    });
    let statusSettled = false;
    const status = c.status().then(
      () => {},
      (e: unknown) => e,
    );
    void status.finally(() => {
      statusSettled = true;
    });
    const err = await c.get("dl/a").catch((e: unknown) => e);
    expect(isKitError(err, "ETCD_DEADLINE_EXCEEDED")).toBe(true);
    // Status uses the 30 s default and is still waiting on the black hole.
    expect(statusSettled).toBe(false);
    c.close();
    expect(isKitError(await status, "ETCD_CLIENT_CLOSED")).toBe(true);
    expect(asked).toEqual(["/etcdserverpb.Maintenance/Status false", "/etcdserverpb.KV/Range false"]);
  });

  it("snapshot has a deadline: from the factory (stream: true) or the per-call option; no file is left", async () => {
    const proxy = await stalledProxy();
    const asked: string[] = [];
    const c = client([proxy.url], {
      callDeadline: ({ method, stream }) => {
        asked.push(`${method} ${stream}`);
        return stream ? 300 : undefined;
      },
    });
    const dir = join(env.root, "snapdl");
    await import("node:fs/promises").then((fs) => fs.mkdir(dir));
    const viaFactory = await c.snapshot(join(dir, "a.db")).catch((e: unknown) => e);
    expect(isKitError(viaFactory, "ETCD_DEADLINE_EXCEEDED")).toBe(true);
    expect(asked).toEqual(["/etcdserverpb.Maintenance/Snapshot true"]);
    const d = client([proxy.url]);
    const viaOption = await d.snapshot(join(dir, "b.db"), { deadlineMs: 300 }).catch((e: unknown) => e);
    expect(isKitError(viaOption, "ETCD_DEADLINE_EXCEEDED")).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    // The default deadline does not get in the way of a real snapshot.
    const ok = await client([etcd.clientUrl]).snapshot(join(dir, "c.db"));
    expect(ok.size).toBeGreaterThan(32);
  });
});

describe("onEvent", () => {
  it("reports connect, auth, watch reconnect/resume and lease loss; never the password or token; a throwing listener is harmless", async () => {
    const admin = etcd.client;
    const password = "s3cret-Pw-91f7";
    await admin.userAdd("root", password);
    await admin.roleAdd("root");
    await admin.userGrantRole("root", "root");
    await admin.authEnable();
    const proxy = await TcpProxy.start(Number(new URL(etcd.clientUrl).port));
    cleanups.push(() => proxy.close());
    const events: EtcdClientEvent[] = [];
    const c = client([proxy.url], {
      auth: { username: "root", password },
      onEvent: (e) => {
        events.push(e);
        throw new Error("listener bug");
      },
    });
    try {
      await c.put("ev/a", "1");
      const seen: number[] = [];
      const w = c.watch({
        key: "ev/",
        prefix: true,
        onEvents: (evs) => seen.push(...evs.map((e) => e.kv.modRevision)),
      });
      await w.ready;
      const { revision } = await c.put("ev/b", "2");
      await waitFor(() => seen.length === 1, 5000, "first watch event");
      const token = (c.transport as unknown as { token?: string }).token;
      expect(typeof token).toBe("string");

      proxy.cutAll();
      await waitFor(() => events.some((e) => e.type === "etcd.watch.resume"), 10_000, "watch resume");
      const { revision: r2 } = await c.put("ev/c", "3");
      await waitFor(() => seen.length === 2, 10_000, "event after resume");
      expect(seen).toEqual([revision, r2]);

      const lease = await c.leaseGrant(2);
      c.keepAlive(lease);
      await c.leaseRevoke(lease.id);
      await waitFor(() => events.some((e) => e.type === "etcd.lease.lost"), 10_000, "lease lost");
      await w.cancel();

      const types = new Set(events.map((e) => e.type));
      for (const t of [
        "etcd.endpoint.connected",
        "etcd.endpoint.disconnected",
        "etcd.auth.authenticated",
        "etcd.watch.reconnect",
        "etcd.watch.resume",
        "etcd.lease.lost",
      ])
        expect(types).toContain(t);
      expect(events.find((e) => e.type === "etcd.watch.resume")).toMatchObject({ revision: revision + 1 });
      expect(events.find((e) => e.type === "etcd.lease.lost")).toMatchObject({
        leaseId: lease.id.toString(),
        reason: "expired",
      });
      expect(events.find((e) => e.type === "etcd.auth.authenticated")).toMatchObject({
        username: "root",
        token: "[Redacted]",
      });
      for (const e of events) expect(typeof e.time).toBe("number");
      const text = JSON.stringify(events);
      expect(text).not.toContain(password);
      expect(text).not.toContain(token as string);
    } finally {
      const root = client([etcd.clientUrl], { auth: { username: "root", password } });
      await root.authDisable();
    }
  });
});
