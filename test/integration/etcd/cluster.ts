/** Starts throwaway etcd members for tests (free ports, temp dirs, test PKI). */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type EmbeddedEtcd, type EtcdClient, startEmbeddedEtcd } from "../../../src/etcd/index.js";
import { freePort } from "../../helpers/ports.js";
import { tempDir } from "../../helpers/tmp.js";
import { type TestCerts, makeTestCerts } from "./certs.js";

/** Fast raft timings so elections and starts take well under a second on loopback. */
export const FAST = [
  "--heartbeat-interval=50",
  "--election-timeout=500",
  "--log-level=error",
  "--logger=zap",
];

export interface TestEnv {
  root: string;
  certs: TestCerts;
  cleanup(): Promise<void>;
}

export async function testEnv(): Promise<TestEnv> {
  const { dir, cleanup } = await tempDir("etcd-test-");
  const certDir = join(dir, "pki");
  await mkdir(certDir);
  return { root: dir, certs: makeTestCerts(certDir), cleanup };
}

export function tlsOf(c: TestCerts) {
  return {
    caFile: c.caFile,
    certFile: c.certFile,
    keyFile: c.keyFile,
    clientCertFile: c.clientCertFile,
    clientKeyFile: c.clientKeyFile,
  };
}

export async function startOne(
  env: TestEnv,
  name = "n1",
  ports?: { clientPort: number; peerPort: number },
): Promise<EmbeddedEtcd> {
  // A free port can be taken by another process before etcd binds it: try fresh ports then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, name, ports);
    } catch (err) {
      const again =
        !ports && attempt < 3 && String((err as Error).message).includes("address already in use");
      if (!again) throw err;
      await rm(join(env.root, name), { recursive: true, force: true });
    }
  }
}

async function startOnce(
  env: TestEnv,
  name: string,
  ports?: { clientPort: number; peerPort: number },
): Promise<EmbeddedEtcd> {
  const clientPort = ports?.clientPort ?? (await freePort());
  const peerPort = ports?.peerPort ?? (await freePort());
  return startEmbeddedEtcd({
    dataDir: join(env.root, name),
    name,
    clientPort,
    peerPort,
    tls: tlsOf(env.certs),
    extraArgs: FAST,
  });
}

export async function startCluster(env: TestEnv, names: string[]): Promise<EmbeddedEtcd[]> {
  const ports = await Promise.all(
    names.map(async () => ({ clientPort: await freePort(), peerPort: await freePort() })),
  );
  const initialCluster = Object.fromEntries(
    names.map((n, i) => [n, `https://127.0.0.1:${ports[i]?.peerPort}`]),
  );
  return Promise.all(
    names.map((name, i) =>
      startEmbeddedEtcd({
        dataDir: join(env.root, name),
        name,
        clientPort: ports[i]?.clientPort as number,
        peerPort: ports[i]?.peerPort as number,
        initialCluster,
        tls: tlsOf(env.certs),
        extraArgs: FAST,
      }),
    ),
  );
}

export type { EtcdClient };
