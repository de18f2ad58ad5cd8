/**
 * A real etcd 3.4 serving with the generated etcd certs, the way K3s runs its embedded etcd (§9):
 * `--client-cert-auth --trusted-ca-file etcd/server-ca.crt`, peer TLS with the peer CA.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCA, ensureServerCertificates, signLeaf } from "../../../src/certs/index.js";
import { freePort } from "../../helpers/ports.js";
import { spawnServer, stopProcess, waitFor } from "../../helpers/process.js";
import { tempDir } from "../../helpers/tmp.js";

const run = promisify(execFile);
let dir: string;
let cleanup: () => Promise<void>;
let etcd: ReturnType<typeof spawnServer> | undefined;
let clientPort = 0;
const tls = (rel: string) => join(dir, "server", "tls", rel);

function etcdctl(args: string[], creds = { cert: tls("etcd/client.crt"), key: tls("etcd/client.key") }) {
  return run(
    "etcdctl",
    [
      `--endpoints=https://127.0.0.1:${clientPort}`,
      `--cacert=${tls("etcd/server-ca.crt")}`,
      `--cert=${creds.cert}`,
      `--key=${creds.key}`,
      "--dial-timeout=3s",
      "--command-timeout=5s",
      ...args,
    ],
    {
      env: { ...process.env, ETCDCTL_API: "3" },
    },
  );
}

function health(cert?: Buffer, key?: Buffer, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: clientPort,
        path: "/health",
        method: "GET",
        servername: "localhost",
        ...(cert ? { cert, key } : {}),
        ca,
        rejectUnauthorized: true,
      },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("k3s-etcd-"));
  await ensureServerCertificates({ dataDir: dir, nodeName: "node-1" });
  clientPort = await freePort();
  const peerPort = await freePort();
  etcd = spawnServer("etcd", [
    "--name=node-1",
    `--data-dir=${join(dir, "etcd-data")}`,
    `--listen-client-urls=https://127.0.0.1:${clientPort}`,
    `--advertise-client-urls=https://127.0.0.1:${clientPort}`,
    `--listen-peer-urls=https://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=https://127.0.0.1:${peerPort}`,
    `--initial-cluster=node-1=https://127.0.0.1:${peerPort}`,
    `--cert-file=${tls("etcd/server-client.crt")}`,
    `--key-file=${tls("etcd/server-client.key")}`,
    "--client-cert-auth",
    `--trusted-ca-file=${tls("etcd/server-ca.crt")}`,
    `--peer-cert-file=${tls("etcd/peer-server-client.crt")}`,
    `--peer-key-file=${tls("etcd/peer-server-client.key")}`,
    "--peer-client-cert-auth",
    `--peer-trusted-ca-file=${tls("etcd/peer-ca.crt")}`,
    "--log-level=error",
  ]);
  await waitFor(
    async () => {
      const r = await etcdctl(["endpoint", "health"]);
      return `${r.stdout}${r.stderr}`.includes("is healthy");
    },
    30_000,
    "etcd healthy",
  );
});

afterAll(async () => {
  if (etcd) await stopProcess(etcd);
  await cleanup();
});

describe("real etcd with the generated etcd PKI", () => {
  it("etcdctl with etcd/client.crt can write and read", async () => {
    await etcdctl(["put", "/k3s-node-kit/test", "works"]);
    const { stdout } = await etcdctl(["get", "/k3s-node-kit/test", "--print-value-only"]);
    expect(stdout.trim()).toBe("works");
  });

  it("GET /health over TLS with the client cert", async () => {
    const [cert, key, ca] = await Promise.all([
      readFile(tls("etcd/client.crt")),
      readFile(tls("etcd/client.key")),
      readFile(tls("etcd/server-ca.crt")),
    ]);
    const r = await health(cert, key, ca);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).health).toBe("true");
  });

  it("a client cert from another CA, or none, is refused", async () => {
    const other = createCA({ commonName: "other-ca@1" });
    const leaf = signLeaf(other, { commonName: "etcd-client", usage: "client" });
    const ca = await readFile(tls("etcd/server-ca.crt"));
    await expect(health(Buffer.from(leaf.certPem), Buffer.from(leaf.keyPem), ca)).rejects.toThrow();
    await expect(health(undefined, undefined, ca)).rejects.toThrow();
  });

  it("the apiserver client cert (client CA, not etcd CA) is refused by etcdctl", async () => {
    await expect(
      etcdctl(["get", "/x"], { cert: tls("client-admin.crt"), key: tls("client-admin.key") }),
    ).rejects.toThrow();
  });
});
