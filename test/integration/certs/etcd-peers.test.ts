/**
 * Two etcd 3.4 members, each using the certs ensureServerCertificates made on its own data dir, both seeded
 * with the same cluster CAs (generateClusterSeed): peer TLS with `etcd/peer-server-client.crt` and
 * `--peer-client-cert-auth`, client TLS as in K3s (§9). A write on one member is read through the other.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCertificates, generateClusterSeed } from "../../../src/certs/index.js";
import { freePort } from "../../helpers/ports.js";
import { spawnServer, stopProcess, waitFor } from "../../helpers/process.js";
import { tempDir } from "../../helpers/tmp.js";

const run = promisify(execFile);
let root: string;
let cleanup: () => Promise<void>;
const members: Array<{
  name: string;
  dir: string;
  client: number;
  peer: number;
  proc?: ReturnType<typeof spawnServer>;
}> = [];
const tls = (dir: string, rel: string) => join(dir, "server", "tls", rel);

function etcdctl(m: (typeof members)[number], args: string[]) {
  return run(
    "etcdctl",
    [
      `--endpoints=https://127.0.0.1:${m.client}`,
      `--cacert=${tls(m.dir, "etcd/server-ca.crt")}`,
      `--cert=${tls(m.dir, "etcd/client.crt")}`,
      `--key=${tls(m.dir, "etcd/client.key")}`,
      "--dial-timeout=3s",
      "--command-timeout=5s",
      ...args,
    ],
    { env: { ...process.env, ETCDCTL_API: "3" } },
  );
}

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir("k3s-etcd-peers-"));
  const seed = generateClusterSeed();
  for (const name of ["server-1", "server-2"]) {
    const dir = join(root, name);
    for (const f of seed.files) {
      await mkdir(join(tls(dir, f.path), ".."), { recursive: true, mode: 0o700 });
      await writeFile(tls(dir, f.path), f.content, { mode: f.mode });
    }
    await ensureServerCertificates({ dataDir: dir, nodeName: name });
    members.push({ name, dir, client: await freePort(), peer: await freePort() });
  }
  const cluster = members.map((m) => `${m.name}=https://127.0.0.1:${m.peer}`).join(",");
  for (const m of members) {
    m.proc = spawnServer("etcd", [
      `--name=${m.name}`,
      `--data-dir=${join(m.dir, "etcd-data")}`,
      `--listen-client-urls=https://127.0.0.1:${m.client}`,
      `--advertise-client-urls=https://127.0.0.1:${m.client}`,
      `--listen-peer-urls=https://127.0.0.1:${m.peer}`,
      `--initial-advertise-peer-urls=https://127.0.0.1:${m.peer}`,
      `--initial-cluster=${cluster}`,
      "--initial-cluster-state=new",
      `--cert-file=${tls(m.dir, "etcd/server-client.crt")}`,
      `--key-file=${tls(m.dir, "etcd/server-client.key")}`,
      "--client-cert-auth",
      `--trusted-ca-file=${tls(m.dir, "etcd/server-ca.crt")}`,
      `--peer-cert-file=${tls(m.dir, "etcd/peer-server-client.crt")}`,
      `--peer-key-file=${tls(m.dir, "etcd/peer-server-client.key")}`,
      "--peer-client-cert-auth",
      `--peer-trusted-ca-file=${tls(m.dir, "etcd/peer-ca.crt")}`,
      "--log-level=error",
    ]);
  }
  for (const m of members) {
    await waitFor(
      async () => {
        const r = await etcdctl(m, ["endpoint", "health"]);
        return `${r.stdout}${r.stderr}`.includes("is healthy");
      },
      45_000,
      `${m.name} healthy`,
    );
  }
}, 120_000);

afterAll(async () => {
  for (const m of members) if (m.proc) await stopProcess(m.proc);
  await cleanup();
});

describe("two etcd members over peer TLS with seeded CAs", () => {
  it("forms a two-member cluster and replicates a write", async () => {
    const [a, b] = members as [(typeof members)[number], (typeof members)[number]];
    const list = (await etcdctl(a, ["member", "list"])).stdout;
    expect(list).toContain("server-1");
    expect(list).toContain("server-2");
    expect(list.match(/started/g)?.length).toBe(2);
    await etcdctl(a, ["put", "/peers/test", "replicated"]);
    await waitFor(
      async () =>
        (await etcdctl(b, ["get", "/peers/test", "--print-value-only"])).stdout.trim() === "replicated",
      10_000,
      "replication",
    );
    // Each member's client cert works against the other member: same etcd server CA from the seed.
    const cross = { ...b, dir: a.dir };
    expect((await etcdctl(cross, ["get", "/peers/test", "--print-value-only"])).stdout.trim()).toBe(
      "replicated",
    );
  });
});
