import { describe, expect, it } from "vitest";
import { classifyGrpc, toEtcdError, WatchCompactedError } from "../../../src/etcd/errors.js";
import { etcdArgs } from "../../../src/etcd/embedded.js";
import { k3sEtcdCertPaths } from "../../../src/etcd/k3s.js";
import { prefixEnd, selectRange } from "../../../src/etcd/keys.js";
import { normalizeOptions } from "../../../src/etcd/options.js";
import { TxnBuilder, op, rangeRequest } from "../../../src/etcd/txn.js";
import { isKitError } from "../../../src/errors/index.js";

describe("keys", () => {
  it("prefixEnd increments the last byte below 0xff and drops trailing 0xff", () => {
    expect(Buffer.from(prefixEnd(Buffer.from("a/"))).toString()).toBe("a0");
    expect([...prefixEnd(Buffer.from([0x61, 0xff, 0xff]))]).toEqual([0x62]);
    expect([...prefixEnd(Buffer.from([0xff]))]).toEqual([0]);
  });
  it("selectRange: prefix and rangeEnd are exclusive; empty prefix means all keys", () => {
    expect(() => selectRange({ key: "a", prefix: true, rangeEnd: "b" })).toThrow(
      expect.objectContaining({ code: "ETCD_INVALID_ARGUMENT" }),
    );
    const all = selectRange({ key: "", prefix: true });
    expect([...all.key]).toEqual([0]);
    expect([...(all.rangeEnd ?? [])]).toEqual([0]);
  });
});

describe("errors", () => {
  it("maps etcd messages first, then gRPC codes, with transience", () => {
    expect(classifyGrpc(11, "etcdserver: mvcc: required revision has been compacted")).toEqual({
      code: "ETCD_COMPACTED",
      transient: false,
    });
    expect(classifyGrpc(14, "etcdserver: no leader")).toEqual({ code: "ETCD_NO_LEADER", transient: true });
    expect(classifyGrpc(5, "etcdserver: requested lease not found")).toEqual({
      code: "ETCD_LEASE_NOT_FOUND",
      transient: false,
    });
    expect(classifyGrpc(14, "connect ECONNREFUSED")).toEqual({ code: "ETCD_UNAVAILABLE", transient: true });
    expect(classifyGrpc(12, "unknown method")).toEqual({ code: "ETCD_UNSUPPORTED", transient: false });
    expect(classifyGrpc(99, "")).toEqual({ code: "ETCD_UNKNOWN", transient: false });
  });
  it("keeps grpc code, details, cause and name; recognisable by code", () => {
    const raw = Object.assign(new Error("7 PERMISSION_DENIED"), {
      code: 7,
      details: "etcdserver: permission denied",
    });
    const e = toEtcdError(raw, "/etcdserverpb.KV/Put", "https://127.0.0.1:2379");
    expect(isKitError(e, "ETCD_PERMISSION_DENIED")).toBe(true);
    expect(e.grpcCode).toBe(7);
    expect(e.details).toBe("etcdserver: permission denied");
    expect(e.cause).toBe(raw);
    expect(e.name).toBe("EtcdError");
    const w = new WatchCompactedError(10, 3);
    expect([w.name, w.code, w.compactRevision, w.value]).toEqual([
      "WatchCompactedError",
      "ETCD_WATCH_COMPACTED",
      10,
      3,
    ]);
  });
});

describe("options", () => {
  it("fills defaults and rejects bad values naming the option", () => {
    const n = normalizeOptions({ endpoints: ["http://127.0.0.1:2379"] });
    expect(n.deadlineMs).toBe(5000);
    expect(n.keepAliveIntervalMs).toBe(10_000);
    expect(() => normalizeOptions({ endpoints: [] })).toThrow(/endpoints/);
    expect(() => normalizeOptions({ endpoints: ["x:1"], deadlineMs: -1 })).toThrow(/deadlineMs/);
    // etcd's server drops clients that ping more often than every 5 s.
    expect(() => normalizeOptions({ endpoints: ["x:1"], keepAliveIntervalMs: 1000 })).toThrow(
      /keepAliveIntervalMs/,
    );
    expect(() => normalizeOptions({ endpoints: ["x:1"], tls: { ca: "pem", cert: "c" } })).toThrow(
      expect.objectContaining({ code: "ETCD_OPTION_INVALID" }),
    );
  });
});

describe("txn builder and request shaping", () => {
  it("builds compare/success/failure, is not thenable, and executes once", async () => {
    const sent: unknown[] = [];
    const b = new TxnBuilder(async (req) => {
      sent.push(req);
      return {
        header: { clusterId: 0n, memberId: 0n, revision: 1, raftTerm: 0 },
        succeeded: true,
        responses: [],
      };
    });
    expect(typeof (b as unknown as { then?: unknown }).then).toBe("undefined");
    b.compare("k", "mod", "<", 5)
      .compare("k", "value", "!=", "x")
      .onSuccess(op.put("k", "v"))
      .onFailure(op.delete({ key: "k", prefix: true }));
    const req = b.build();
    expect(
      req.compare.map((c) => [c.target, c.result, c.number, c.value && Buffer.from(c.value).toString()]),
    ).toEqual([
      ["mod", "less", 5, undefined],
      ["value", "not-equal", undefined, "x"],
    ]);
    await b.exec();
    expect(sent).toHaveLength(1);
    expect(() => b.exec()).toThrow(expect.objectContaining({ code: "ETCD_TXN_ALREADY_SENT" }));
    expect(() => new TxnBuilder(async () => ({}) as never).compare("k", "mod", "==", "text")).toThrow(
      expect.objectContaining({ code: "ETCD_INVALID_ARGUMENT" }),
    );
    expect(() => new TxnBuilder(async () => ({}) as never).compare("k", "lease", "==", 5)).toThrow(/bigint/);
  });
  it("rangeRequest maps sort and rejects negative limits", () => {
    expect(rangeRequest({ key: "a", prefix: true, sort: { order: "descend" }, limit: 3 })).toMatchObject({
      limit: 3,
      sortOrder: "descend",
      sortTarget: "key",
    });
    expect(() => rangeRequest({ key: "a", limit: -1 })).toThrow(
      expect.objectContaining({ code: "ETCD_INVALID_ARGUMENT", value: -1 }),
    );
  });
});

describe("embedded etcd command line and K3s paths", () => {
  it("uses mTLS for clients and peers on 127.0.0.1", () => {
    const args = etcdArgs(
      {
        dataDir: "/d",
        name: "n1",
        clientPort: 1,
        peerPort: 2,
        tls: { caFile: "ca", certFile: "c", keyFile: "k", clientCertFile: "cc", clientKeyFile: "ck" },
      },
      { n1: "https://127.0.0.1:2" },
      "new",
    );
    expect(args).toContain("--client-cert-auth");
    expect(args).toContain("--peer-client-cert-auth");
    expect(args).toContain("--listen-client-urls=https://127.0.0.1:1");
    expect(args).toContain("--initial-cluster=n1=https://127.0.0.1:2");
    expect(args).toContain("--peer-trusted-ca-file=ca");
  });
  it("K3s cert paths follow k3s-behaviours §9", () => {
    expect(k3sEtcdCertPaths("/var/lib/rancher/k3s")).toEqual({
      ca: "/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt",
      cert: "/var/lib/rancher/k3s/server/tls/etcd/client.crt",
      key: "/var/lib/rancher/k3s/server/tls/etcd/client.key",
    });
  });
});
