import { k3sLayout } from "../layout/index.js";
import { join } from "node:path";
import { readCertFile } from "./cert-file.js";
import { type EtcdClient, createEtcdClient } from "./client.js";
import type { EtcdClientOptions } from "./options.js";
import type { EmbeddedEtcdTls } from "./embedded.js";

/**
 * Paths of the K3s-managed etcd client credentials under a server data dir
 * (k3s-behaviours §9: `<dd>/server/tls/etcd/{server-ca.crt,client.crt,client.key}`). Pure.
 * @example
 * ```ts
 * k3sEtcdCertPaths("/var/lib/rancher/k3s").ca // ".../server/tls/etcd/server-ca.crt"
 * ```
 */
export function k3sEtcdCertPaths(dataDir: string): { ca: string; cert: string; key: string } {
  const dir = k3sLayout(dataDir).server.etcdTlsDir;
  return { ca: join(dir, "server-ca.crt"), cert: join(dir, "client.crt"), key: join(dir, "client.key") };
}

/**
 * A client for a K3s embedded etcd, using the certs K3s keeps in its data dir. Default endpoint
 * `https://127.0.0.1:2379` (k3s-behaviours §9).
 * @throws ETCD_CERTS_MISSING when a cert file cannot be read (the path is the error's value).
 * @example
 * ```ts
 * const client = await etcdClientForK3s("/var/lib/rancher/k3s");
 * console.log(await client.memberList());
 * ```
 */
export async function etcdClientForK3s(
  dataDir: string,
  endpoints: readonly string[] = ["https://127.0.0.1:2379"],
  options: Omit<EtcdClientOptions, "endpoints" | "tls"> = {},
): Promise<EtcdClient> {
  const paths = k3sEtcdCertPaths(dataDir);
  const [ca, cert, key] = await Promise.all([readCertFile(paths.ca), readCertFile(paths.cert), readCertFile(paths.key)]);
  return createEtcdClient({ ...options, endpoints, tls: { ca, cert, key } });
}

/**
 * The cert files a K3s server's embedded etcd runs with (k3s-behaviours §1.2, §9): server and peer
 * certs with their CAs, and the client cert for the SDK's own client. Pure; pass it as
 * `startEmbeddedEtcd({ tls })` after `ensureServerCertificates({ dataDir })` wrote them.
 * @example
 * ```ts
 * const etcd = await startEmbeddedEtcd({ dataDir: "/tmp/etcd", name: "n1", clientPort: 2379, peerPort: 2380, tls: k3sEmbeddedEtcdTls("/var/lib/rancher/k3s") });
 * ```
 */
export function k3sEmbeddedEtcdTls(dataDir: string): EmbeddedEtcdTls {
  const dir = k3sLayout(dataDir).server.etcdTlsDir;
  return {
    caFile: join(dir, "server-ca.crt"),
    certFile: join(dir, "server-client.crt"),
    keyFile: join(dir, "server-client.key"),
    peerCaFile: join(dir, "peer-ca.crt"),
    peerCertFile: join(dir, "peer-server-client.crt"),
    peerKeyFile: join(dir, "peer-server-client.key"),
    clientCertFile: join(dir, "client.crt"),
    clientKeyFile: join(dir, "client.key"),
  };
}
