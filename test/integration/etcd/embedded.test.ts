import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../helpers/ports.js";
import { type TestEnv, FAST, startOne, testEnv, tlsOf } from "./cluster.js";
import { type EmbeddedEtcd, etcdClientForK3s, isKitError, startEmbeddedEtcd } from "./imports.js";

let env: TestEnv;
const started: EmbeddedEtcd[] = [];

beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => {
  for (const e of started) await e.stop().catch(() => {});
  await env?.cleanup();
});

describe("embedded etcd", () => {
  it("cluster-init, join via member add, then remove", async () => {
    const n1 = await startOne(env, "e1");
    started.push(n1);
    const n2 = await startEmbeddedEtcd({
      dataDir: join(env.root, "e2"),
      name: "e2",
      clientPort: await freePort(),
      peerPort: await freePort(),
      tls: tlsOf(env.certs),
      join: n1.client,
      extraArgs: FAST,
    });
    started.push(n2);
    const members = await n1.client.memberList();
    expect(members.map((m) => m.name).sort()).toEqual(["e1", "e2"]);
    await n1.client.put("joined", "yes");
    expect(await n2.client.get("joined")).toBe("yes");
    await n2.remove(n1.client);
    expect((await n1.client.memberList()).map((m) => m.name)).toEqual(["e1"]);
  });

  it("etcdClientForK3s reads <dataDir>/server/tls/etcd/{server-ca.crt,client.crt,client.key}", async () => {
    const n = started[0] as EmbeddedEtcd;
    const dd = join(env.root, "k3s");
    const dir = join(dd, "server", "tls", "etcd");
    await mkdir(dir, { recursive: true });
    await copyFile(env.certs.caFile, join(dir, "server-ca.crt"));
    await copyFile(env.certs.clientCertFile, join(dir, "client.crt"));
    await copyFile(env.certs.clientKeyFile, join(dir, "client.key"));
    // The earlier positional form and the options object both reach the node.
    const c = await etcdClientForK3s(dd, [n.clientUrl]);
    try {
      expect(await c.get("joined")).toBe("yes");
    } finally {
      c.close();
    }
    const events: string[] = [];
    const c2 = await etcdClientForK3s(dd, {
      endpoints: [n.clientUrl],
      deadlineMs: 3000,
      onEvent: (e) => events.push(e.type),
    });
    try {
      expect(await c2.get("joined")).toBe("yes");
      expect(events).toContain("etcd.endpoint.connected");
    } finally {
      c2.close();
    }
    const aborted = await etcdClientForK3s(dd, {
      endpoints: [n.clientUrl],
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect((aborted as Error).name).toBe("AbortError");
    const missing = await etcdClientForK3s(join(env.root, "nope")).catch((e: unknown) => e);
    expect(isKitError(missing, "ETCD_CERTS_MISSING")).toBe(true);
  });

  it("a missing etcd binary is a clear error naming the etcd-server package", async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(env.root, "empty-bin");
    try {
      const err = await startEmbeddedEtcd({
        dataDir: join(env.root, "x"),
        name: "x",
        clientPort: 1,
        peerPort: 2,
        tls: tlsOf(env.certs),
      }).catch((e: unknown) => e);
      expect(isKitError(err, "ETCD_BINARY_MISSING")).toBe(true);
      expect((err as Error).message).toContain("etcd-server");
    } finally {
      process.env.PATH = saved;
    }
  });
});
