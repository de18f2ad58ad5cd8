/**
 * Talk to an embedded etcd with K3s-managed certs: start one with the SDK's PKI (as K3s lays it out),
 * watch a prefix, write keys in a transaction, and read them back.
 *
 *   npx tsx examples/etcd-watch.ts      (needs the etcd binary: apt-get install etcd-server)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureServerCertificates } from "k3s-node-kit/certs";
import { k3sEmbeddedEtcdTls, op, startEmbeddedEtcd } from "k3s-node-kit/etcd";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });

const dataDir = await mkdtemp(join(tmpdir(), "k3s-etcd-"));
await ensureServerCertificates({ dataDir, nodeName: "etcd-demo" });
const etcd = await startEmbeddedEtcd({
  dataDir: join(dataDir, "server", "db", "etcd"),
  name: "etcd-demo",
  clientPort: await freePort(),
  peerPort: await freePort(),
  tls: k3sEmbeddedEtcdTls(dataDir),
});
try {
  const seen: string[] = [];
  const watcher = etcd.client.watch({
    key: "/registry/demo/",
    prefix: true,
    onEvents: (events) => {
      for (const e of events) seen.push(`${e.type} ${e.kv.key.toString()}`);
    },
  });
  await watcher.ready;
  const r = await etcd.client
    .txn()
    .compare("/registry/demo/a", "version", "==", 0)
    .onSuccess(op.put("/registry/demo/a", "1"), op.put("/registry/demo/b", "2"))
    .exec();
  console.log(`txn succeeded: ${r.succeeded}`);
  await etcd.client.delete({ key: "/registry/demo/a" });
  while (seen.length < 3) await new Promise((res) => setTimeout(res, 20));
  console.log(`watch saw: ${seen.join(", ")}`);
  console.log(`now: ${JSON.stringify(await etcd.client.get("/registry/demo/b"))}`);
  await watcher.cancel();
} finally {
  await etcd.stop();
  await rm(dataDir, { recursive: true, force: true });
}
