import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedEtcd, type EtcdError, type WatchEvent, isKitError, op } from "./imports.js";
import { type TestEnv, startOne, testEnv } from "./cluster.js";
import { waitFor } from "../../helpers/process.js";

let env: TestEnv;
let etcd: EmbeddedEtcd;

beforeAll(async () => {
  env = await testEnv();
  etcd = await startOne(env);
});
afterAll(async () => {
  await etcd?.stop();
  await env?.cleanup();
});

describe("watch", () => {
  it("issue 12 attack: an onEvents that throws or returns a rejected promise neither crashes the process nor stops the watch", async () => {
    const c = etcd.client;
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
    try {
      const asyncSeen: string[] = [];
      const syncSeen: string[] = [];
      const wa = c.watch({
        key: "boom/",
        prefix: true,
        onEvents: async (evs) => {
          asyncSeen.push(...evs.map((e) => e.kv.key.toString()));
          throw new Error("async listener boom");
        },
      });
      const ws = c.watch({
        key: "boom/",
        prefix: true,
        onEvents: (evs) => {
          syncSeen.push(...evs.map((e) => e.kv.key.toString()));
          throw new Error("listener boom");
        },
      });
      await Promise.all([wa.ready, ws.ready]);
      for (let i = 0; i < 5; i++) await c.put(`boom/${i}`, "v");
      await waitFor(() => asyncSeen.length === 5 && syncSeen.length === 5, 5000, "every event after the first throw");
      // Let any re-thrown error or unhandled rejection surface.
      await new Promise((r) => setTimeout(r, 300));
      expect(uncaught).toEqual([]);
      expect(asyncSeen).toEqual(["boom/0", "boom/1", "boom/2", "boom/3", "boom/4"]);
      await wa.cancel();
      await ws.cancel();
    } finally {
      process.off("uncaughtException", record);
      process.off("unhandledRejection", record);
    }
  });

  it("delivers puts and deletes on a prefix from now, with prevKv", async () => {
    const c = etcd.client;
    const got: WatchEvent[] = [];
    const w = c.watch({ key: "w1/", prefix: true, prevKv: true, onEvents: (evs) => got.push(...evs) });
    await w.ready;
    await c.put("w1/a", "1");
    await c.put("w1/a", "2");
    await c.put("other", "x");
    await c.delete("w1/a");
    await waitFor(() => got.length === 3, 5000, "3 events");
    expect(
      got.map((e) => [e.type, e.kv.key.toString(), e.kv.value.toString(), e.prevKv?.value.toString()]),
    ).toEqual([
      ["put", "w1/a", "1", undefined],
      ["put", "w1/a", "2", "1"],
      ["delete", "w1/a", "", "2"],
    ]);
    await w.cancel();
    expect(w.state).toBe("cancelled");
  });

  it("replays from a start revision, filters deletes, and events of one txn arrive together", async () => {
    const c = etcd.client;
    const { revision: start } = await c.put("w2/a", "1");
    await c.txn().onSuccess(op.put("w2/b", "2"), op.put("w2/c", "3"), op.delete("w2/a")).exec();
    const batches: WatchEvent[][] = [];
    const w = c.watch({
      key: "w2/",
      prefix: true,
      startRevision: start,
      noDelete: true,
      onEvents: (evs) => batches.push(evs),
    });
    await waitFor(() => batches.flat().length === 3, 5000, "3 events");
    const flat = batches.flat();
    expect(flat.map((e) => e.kv.key.toString())).toEqual(["w2/a", "w2/b", "w2/c"]);
    expect(flat.every((e) => e.type === "put")).toBe(true);
    // The txn's two puts share a revision and are in the same batch.
    const txnBatch = batches.find((b) => b.some((e) => e.kv.key.toString() === "w2/b"));
    expect(txnBatch?.some((e) => e.kv.key.toString() === "w2/c")).toBe(true);
    expect(w.nextRevision).toBe((flat[2]?.kv.modRevision ?? 0) + 1);
    await w.cancel();
  });

  it("many watchers share one stream and progress notifications arrive on request", async () => {
    const c = etcd.client;
    const counts = [0, 0, 0];
    let progress = 0;
    const ws = counts.map((_, i) =>
      c.watch({
        key: `w3/${i}`,
        onEvents: (evs) => (counts[i] = (counts[i] ?? 0) + evs.length),
        onProgress: () => progress++,
      }),
    );
    await Promise.all(ws.map((w) => w.ready));
    for (let i = 0; i < 3; i++) await c.put(`w3/${i}`, "v");
    await waitFor(() => counts.every((n) => n === 1), 5000, "one event each");
    c.requestWatchProgress();
    await waitFor(() => progress > 0, 5000, "progress");
    await Promise.all(ws.map((w) => w.cancel()));
  });

  it("a watch from a compacted revision ends with WatchCompactedError", async () => {
    const c = etcd.client;
    const { revision: r1 } = await c.put("w4/a", "1");
    const { revision: r2 } = await c.put("w4/a", "2");
    await c.compact(r2);
    let err: EtcdError | undefined;
    const w = c.watch({ key: "w4/a", startRevision: r1, onEvents: () => {}, onError: (e) => (err = e) });
    await waitFor(() => err !== undefined, 5000, "compaction error");
    expect(isKitError(err, "ETCD_WATCH_COMPACTED")).toBe(true);
    expect((err as unknown as { compactRevision: number }).compactRevision).toBe(r2);
    expect(w.state).toBe("cancelled");
  });
});

describe("lease", () => {
  it("grant, attach, timeToLive with keys, leases, revoke deletes the key", async () => {
    const c = etcd.client;
    const lease = await c.leaseGrant(30);
    expect(lease.ttl).toBe(30);
    await c.put("l/a", "1", { lease: lease.id });
    const ttl = await c.leaseTimeToLive(lease.id, { keys: true });
    expect(ttl.id).toBe(lease.id);
    expect(ttl.grantedTtl).toBe(30);
    expect(ttl.keys.map((k) => k.toString())).toEqual(["l/a"]);
    expect(await c.leases()).toContain(lease.id);
    expect((await c.getKv("l/a"))?.lease).toBe(lease.id);
    await c.leaseRevoke(lease.id);
    expect(await c.get("l/a")).toBeUndefined();
    expect((await c.leaseTimeToLive(lease.id)).ttl).toBe(-1);
    const err = await c.leaseRevoke(lease.id).catch((e: unknown) => e);
    expect(isKitError(err, "ETCD_LEASE_NOT_FOUND")).toBe(true);
  });

  it("keepAlive renews; revoking the lease is reported as lost", async () => {
    const c = etcd.client;
    const lease = await c.leaseGrant(2);
    await c.put("l/ka", "1", { lease: lease.id });
    let renewed = 0;
    let lost: string | undefined;
    const ka = c.keepAlive(lease, { onRenewed: () => renewed++, onLost: (i) => (lost = i.reason) });
    // Outlive the TTL: the key stays because the lease is renewed.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await c.get("l/ka")).toBe("1");
    expect(renewed).toBeGreaterThan(1);
    await c.leaseRevoke(lease.id);
    await waitFor(() => lost !== undefined, 5000, "lease lost");
    expect(lost).toBe("expired");
    expect(ka.state).toBe("lost");
  });
});

describe("maintenance, cluster, auth", () => {
  it("status, alarms, hashKV, defragment, member list/update", async () => {
    const c = etcd.client;
    const st = await c.status();
    expect(st.version).toMatch(/^3\./);
    expect(st.leader).toBe(st.header.memberId);
    expect(await c.alarms()).toEqual([]);
    const h1 = await c.hashKV();
    const h2 = await c.hashKV({ revision: h1.header.revision });
    expect(h2.hash).toBe(h1.hash);
    await c.defragment();
    const members = await c.memberList();
    expect(members).toHaveLength(1);
    expect(members[0]?.name).toBe("n1");
    expect(members[0]?.clientURLs).toEqual([etcd.clientUrl]);
    const after = await c.memberUpdate(members[0]?.id as bigint, [etcd.peerUrl]);
    expect(after[0]?.peerURLs).toEqual([etcd.peerUrl]);
    const notLearner = await c.memberPromote(members[0]?.id as bigint).catch((e: unknown) => e);
    expect(isKitError(notLearner)).toBe(true);
    expect((notLearner as EtcdError).code).toMatch(
      /^ETCD_(MEMBER_NOT_LEARNER|UNSUPPORTED|FAILED_PRECONDITION)$/,
    );
  });

  it("snapshot streams to a file and verifies etcd's sha256 trailer", async () => {
    const { createHash } = await import("node:crypto");
    const { readFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const path = join(env.root, "snap.db");
    const res = await etcd.client.snapshot(path);
    const bytes = await readFile(path);
    expect(bytes.length).toBe(res.size);
    const body = bytes.subarray(0, bytes.length - 32);
    expect(createHash("sha256").update(body).digest("hex")).toBe(res.sha256);
    expect(bytes.subarray(bytes.length - 32).toString("hex")).toBe(res.sha256);
  });

  it("users, roles, enable auth, token auth for a limited user, disable", async () => {
    const { createEtcdClient } = await import("./imports.js");
    const c = etcd.client;
    await c.userAdd("root", "rootpw");
    await c.roleAdd("root");
    await c.userGrantRole("root", "root");
    await c.userAdd("app", "apppw");
    await c.roleAdd("app-rw");
    await c.roleGrantPermission("app-rw", "readwrite", { key: "app/", prefix: true });
    await c.userGrantRole("app", "app-rw");
    expect((await c.userList()).sort()).toEqual(["app", "root"]);
    expect(await c.userGet("app")).toEqual(["app-rw"]);
    expect((await c.roleGet("app-rw"))[0]?.permType).toBe("readwrite");
    await c.authEnable();
    const tls = { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey };
    const mk = (username: string, password: string) =>
      createEtcdClient({ endpoints: [etcd.clientUrl], tls, auth: { username, password } });
    const app = mk("app", "apppw");
    const root = mk("root", "rootpw");
    const bad = mk("app", "wrong");
    try {
      await app.put("app/x", "1");
      expect(await app.get("app/x")).toBe("1");
      // The watch stream authenticates too (token in the stream metadata).
      const seen: string[] = [];
      const w = app.watch({
        key: "app/",
        prefix: true,
        onEvents: (evs) => seen.push(...evs.map((e) => e.kv.key.toString())),
      });
      await w.ready;
      await app.put("app/y", "2");
      await waitFor(() => seen.length === 1, 5000, "watch event with token auth");
      expect(seen).toEqual(["app/y"]);
      await w.cancel();
      const denied = await app.put("other/x", "1").catch((e: unknown) => e);
      expect(isKitError(denied, "ETCD_PERMISSION_DENIED")).toBe(true);
      const wrong = await bad.get("app/x").catch((e: unknown) => e);
      expect(isKitError(wrong, "ETCD_AUTH_FAILED")).toBe(true);
      await root.authDisable();
    } finally {
      app.close();
      root.close();
      bad.close();
    }
    await c.roleRevokePermission("app-rw", { key: "app/", prefix: true });
    expect(await c.roleGet("app-rw")).toEqual([]);
    await c.userRevokeRole("app", "app-rw");
    await c.userDelete("app");
    await c.roleDelete("app-rw");
    expect(await c.roleList()).toEqual(["root"]);
  });
});
