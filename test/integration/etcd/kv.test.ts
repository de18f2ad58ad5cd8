import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedEtcd, createEtcdClient, isKitError, op } from "./imports.js";
import { type TestEnv, startOne, testEnv } from "./cluster.js";

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

function etcdctl(...args: string[]): string {
  return execFileSync(
    "etcdctl",
    [
      `--endpoints=${etcd.clientUrl}`,
      `--cacert=${env.certs.caFile}`,
      `--cert=${env.certs.clientCertFile}`,
      `--key=${env.certs.clientKeyFile}`,
      ...args,
    ],
    { env: { ...process.env, ETCDCTL_API: "3" }, encoding: "utf8" },
  );
}

describe("KV against a real etcd (mTLS)", () => {
  it("put/get round trip, read back by etcdctl (interop)", async () => {
    const c = etcd.client;
    const { revision } = await c.put("interop/a", "hello ✓");
    expect(revision).toBeGreaterThan(0);
    expect(await c.get("interop/a")).toBe("hello ✓");
    expect(etcdctl("get", "interop/a", "--print-value-only").trim()).toBe("hello ✓");
    etcdctl("put", "interop/b", "from-etcdctl");
    expect(await c.get("interop/b")).toBe("from-etcdctl");
    expect(await c.get("interop/missing")).toBeUndefined();
  });

  it("range with prefix, limit, sort, keysOnly, countOnly, revision", async () => {
    const c = etcd.client;
    const revs: number[] = [];
    for (let i = 0; i < 5; i++) revs.push((await c.put(`r/k${i}`, `v${i}`)).revision);
    await c.put("r0", "outside");
    const all = await c.range({ key: "r/", prefix: true });
    expect(all.kvs.map((k) => k.key.toString())).toEqual(["r/k0", "r/k1", "r/k2", "r/k3", "r/k4"]);
    expect(all.count).toBe(5);
    const lim = await c.range({
      key: "r/",
      prefix: true,
      limit: 2,
      sort: { target: "key", order: "descend" },
    });
    expect(lim.kvs.map((k) => k.key.toString())).toEqual(["r/k4", "r/k3"]);
    expect(lim.more).toBe(true);
    const keys = await c.range({ key: "r/", prefix: true, keysOnly: true });
    expect(keys.kvs.every((k) => k.value.length === 0)).toBe(true);
    const cnt = await c.range({ key: "r/", prefix: true, countOnly: true });
    expect(cnt.kvs).toHaveLength(0);
    expect(cnt.count).toBe(5);
    await c.put("r/k0", "changed");
    const old = await c.range({ key: "r/k0", revision: revs[0] });
    expect(old.kvs[0]?.value.toString()).toBe("v0");
    expect(old.kvs[0]?.modRevision).toBe(revs[0]);
  });

  it("put prevKv, delete prefix with prevKv", async () => {
    const c = etcd.client;
    await c.put("d/x", "1");
    const p = await c.put("d/x", "2", { prevKv: true });
    expect(p.prevKv?.value.toString()).toBe("1");
    await c.put("d/y", "3");
    const del = await c.delete({ key: "d/", prefix: true, prevKv: true });
    expect(del.deleted).toBe(2);
    expect(del.prevKvs.map((k) => k.value.toString()).sort()).toEqual(["2", "3"]);
    expect(etcdctl("get", "d/", "--prefix", "--keys-only").trim()).toBe("");
  });

  it("txn compare/onSuccess/onFailure/exec, never thenable", async () => {
    const c = etcd.client;
    const builder = c.txn();
    expect("then" in builder).toBe(false);
    const first = await builder
      .compare("t/lock", "version", "==", 0)
      .onSuccess(op.put("t/lock", "me"), op.get("t/lock"))
      .onFailure(op.get("t/lock"))
      .exec();
    expect(first.succeeded).toBe(true);
    const r = first.responses[1];
    expect(r && "range" in r ? r.range.kvs[0]?.value.toString() : undefined).toBe("me");
    const second = await c
      .txn()
      .compare("t/lock", "version", "==", 0)
      .onSuccess(op.put("t/lock", "other"))
      .onFailure(op.get("t/lock"))
      .exec();
    expect(second.succeeded).toBe(false);
    const cmpValue = await c
      .txn()
      .compare("t/lock", "value", "==", "me")
      .onSuccess(op.delete("t/lock"))
      .exec();
    expect(cmpValue.succeeded).toBe(true);
    expect(await c.get("t/lock")).toBeUndefined();
    expect(() => builder.exec()).toThrow(/already executed/);
  });

  it("compact, then a read at a compacted revision fails with ETCD_COMPACTED", async () => {
    const c = etcd.client;
    const { revision: r1 } = await c.put("cmp/a", "1");
    const { revision: r2 } = await c.put("cmp/a", "2");
    await c.compact(r2, { physical: true });
    const err = await c.range({ key: "cmp/a", revision: r1 }).catch((e: unknown) => e);
    expect(isKitError(err, "ETCD_COMPACTED")).toBe(true);
    expect((err as { grpcCode?: number }).grpcCode).toBe(11);
  });

  it("a second client from the same certs sees the same data; bad endpoint option is a typed error", async () => {
    const c2 = createEtcdClient({
      endpoints: [etcd.clientUrl],
      tls: { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey },
    });
    try {
      expect(await c2.get("interop/a")).toBe("hello ✓");
    } finally {
      c2.close();
    }
    expect(() => createEtcdClient({ endpoints: ["not a url"] })).toThrow(
      expect.objectContaining({ code: "ETCD_OPTION_INVALID" }),
    );
  });
});
