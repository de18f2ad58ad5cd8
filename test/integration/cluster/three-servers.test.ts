/**
 * Several servers from one first node by token alone (issue 16), each on its own loopback address with its
 * own ports and certs: node 1 (127.0.0.11) serves K3s's join endpoints; nodes 2 and 3 fetch the CA bundle and
 * bootstrap data with the token, write the files, make their own leaf certs and member-add themselves into
 * etcd. Then the leader is SIGKILLed under writes and a watch, restarted, and the token is rotated.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCertificates } from "../../../src/certs/index.js";
import {
  bootstrapDatastore,
  bootstrapKey,
  fetchServerBootstrap,
  joinServerFiles,
  listBootstrapKeys,
  readBootstrapFromDatastore,
  readBootstrapFromDisk,
  saveBootstrapToDatastore,
  serveJoinEndpoints,
  type JoinServer,
} from "../../../src/cluster/index.js";
import { isKitError } from "../../../src/errors/index.js";
import {
  createEtcdClient,
  type EmbeddedEtcd,
  type EtcdClient,
  k3sEmbeddedEtcdTls,
  startEmbeddedEtcd,
} from "../../../src/etcd/index.js";
import { generateServerToken, rotateServerToken } from "../../../src/tokens/index.js";
import { freePort } from "../../helpers/ports.js";
import { waitFor } from "../../helpers/process.js";
import { tempDir } from "../../helpers/tmp.js";

const FAST = ["--heartbeat-interval=50", "--election-timeout=500", "--log-level=error", "--logger=zap"];
let dir: string;
let cleanup: () => Promise<void>;
let joinSrv: JoinServer | undefined;
let token: string;
const nodes = new Map<
  string,
  { ip: string; dataDir: string; clientPort: number; peerPort: number; etcd?: EmbeddedEtcd }
>();
const clients: EtcdClient[] = [];

const dd = (name: string) => join(dir, name);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isKitError(e) ? e.code : String(e);
  }
  return undefined;
}

async function startNode(name: string, ip: string, joinVia?: EtcdClient): Promise<EmbeddedEtcd> {
  const n = nodes.get(name) ?? {
    ip,
    dataDir: dd(name),
    clientPort: await freePort(),
    peerPort: await freePort(),
  };
  nodes.set(name, n);
  n.etcd = await startEmbeddedEtcd({
    dataDir: join(n.dataDir, "server", "db", "etcd"),
    name,
    host: ip,
    clientPort: n.clientPort,
    peerPort: n.peerPort,
    tls: k3sEmbeddedEtcdTls(n.dataDir),
    extraArgs: FAST,
    ...(joinVia ? { join: joinVia } : {}),
  });
  return n.etcd;
}

/** A server joining by URL + token alone: files, own certs with its own IP, then etcd member-add. */
async function joinNode(name: string, ip: string, withToken: string, via: EtcdClient): Promise<EmbeddedEtcd> {
  const res = await joinServerFiles({ dataDir: dd(name), server: joinSrv?.url as string, token: withToken });
  expect(res.caVerified).toBe(true);
  expect(res.reconcile.reason).toBe("cert-dirs-missing");
  await ensureServerCertificates({ dataDir: dd(name), nodeName: name, sans: [ip] });
  // etcd refuses MemberAdd until the leader has been connected to every peer for 5 s (ETCD_UNHEALTHY_CLUSTER,
  // retried by the client): give the member-add client a deadline beyond that.
  const slow = createEtcdClient({ endpoints: via.endpoints, tls: etcdTls(), deadlineMs: 30_000 });
  clients.push(slow);
  return startNode(name, ip, slow);
}

function openssl(args: string[]): string {
  return execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] }).toString();
}

function etcdTls() {
  const etcdDir = join(dd("s1"), "server", "tls", "etcd");
  return {
    ca: readFileSync(join(etcdDir, "server-ca.crt")),
    cert: readFileSync(join(etcdDir, "client.crt")),
    key: readFileSync(join(etcdDir, "client.key")),
  };
}

function clusterClient(): EtcdClient {
  const c = createEtcdClient({
    endpoints: [...nodes.values()].map((n) => `https://${n.ip}:${n.clientPort}`),
    tls: etcdTls(),
    deadlineMs: 2000,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("k3s-kit-3servers-"));
  await ensureServerCertificates({ dataDir: dd("s1"), nodeName: "s1", sans: ["127.0.0.11"] });
  token = (
    await generateServerToken({ dataDir: dd("s1"), token: "cluster-secret", agentToken: "agent-secret" })
  ).token;
  const e1 = await startNode("s1", "127.0.0.11");
  // What createNode does on a first start: the bootstrap data goes into the datastore.
  await saveBootstrapToDatastore(e1.client, token, await readBootstrapFromDisk({ dataDir: dd("s1") }));
  joinSrv = await serveJoinEndpoints({ dataDir: dd("s1"), host: "127.0.0.11", port: 0 });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await joinSrv?.close();
  for (const n of nodes.values()) await n.etcd?.stop({ signal: "SIGKILL" }).catch(() => {});
  await cleanup?.();
});

describe("three servers by token alone", () => {
  it("refuses a wrong token, a wrong CA hash, a bootstrap token and the agent token, writing nothing", async () => {
    const url = joinSrv?.url as string;
    const hash = token.slice(3, 67);
    const bad = async (t: string) => codeOf(joinServerFiles({ dataDir: dd("bad"), server: url, token: t }));
    expect(await bad(`K10${hash}::server:wrong`)).toBe("CLUSTER_JOIN_FORBIDDEN");
    expect(await bad("wrong")).toBe("CLUSTER_JOIN_FORBIDDEN");
    expect(await bad(`K10${"0".repeat(64)}::server:cluster-secret`)).toBe("TOKEN_CA_MISMATCH");
    expect(await bad("abcdef.0123456789abcdef")).toBe("TOKEN_NORMALIZE");
    expect(await bad(`K10${hash}::node:agent-secret`)).toBe("CLUSTER_JOIN_FORBIDDEN");
    expect(
      await codeOf(joinServerFiles({ dataDir: dd("bad"), server: url.replace("https", "http"), token })),
    ).toBe("CLUSTER_OPTION_INVALID");
    expect(existsSync(dd("bad"))).toBe(false);
  });

  it("joins s2 and s3 on their own addresses; member list shows per-node peer URLs; certs verify and carry the node's IP", async () => {
    const e1 = nodes.get("s1")?.etcd as EmbeddedEtcd;
    await joinNode("s2", "127.0.0.12", token, e1.client);
    await joinNode("s3", "127.0.0.13", token, e1.client);
    const members = await e1.client.memberList();
    expect(members).toHaveLength(3);
    const peers = members.map((m) => m.peerURLs[0]).sort();
    expect(peers).toEqual([...nodes.values()].map((n) => `https://${n.ip}:${n.peerPort}`).sort());
    // Every member carries the shared CAs and its own leaf certs with its own IP.
    const ca1 = await readFile(join(dd("s1"), "server", "tls", "server-ca.crt"));
    for (const [name, n] of nodes) {
      const tls = join(n.dataDir, "server", "tls");
      expect((await readFile(join(tls, "server-ca.crt"))).equals(ca1)).toBe(true);
      for (const [leaf, ca] of [
        ["etcd/peer-server-client.crt", "etcd/peer-ca.crt"],
        ["etcd/server-client.crt", "etcd/server-ca.crt"],
        ["serving-kube-apiserver.crt", "server-ca.crt"],
      ] as const) {
        expect(openssl(["verify", "-CAfile", join(tls, ca), join(tls, leaf)])).toContain(": OK");
        expect([
          name,
          leaf,
          openssl(["x509", "-in", join(tls, leaf), "-noout", "-ext", "subjectAltName"]).includes(
            `IP Address:${n.ip}`,
          ),
        ]).toEqual([name, leaf, true]);
      }
    }
  }, 120_000);

  it("kill the leader under writes and a watch: both continue, nothing is lost; the killed node restarts and rejoins", async () => {
    const c = clusterClient();
    const seen = new Set<string>();
    const w = c.watch({
      key: "k/",
      prefix: true,
      onEvents: (evs) => {
        for (const e of evs) seen.add(e.kv.key.toString());
      },
    });
    await w.ready;
    const acked: string[] = [];
    let stop = false;
    let i = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const k = `k/${i++}`;
        try {
          await c.put(k, "v");
          acked.push(k);
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    });
    await waitFor(() => acked.length > 100, 20_000, "writes before the kill");
    let leaderName = "";
    for (const [name, n] of nodes) {
      const s = await n.etcd?.client.status();
      if (s && s.leader === s.header.memberId) leaderName = name;
    }
    expect(leaderName).not.toBe("");
    const killed = nodes.get(leaderName) as { etcd?: EmbeddedEtcd; ip: string };
    await killed.etcd?.stop({ signal: "SIGKILL" });
    const atKill = acked.length;
    await waitFor(() => acked.length > atKill + 200, 30_000, "writes after the leader was killed");
    stop = true;
    await Promise.all(writers);
    await waitFor(() => acked.every((k) => seen.has(k)), 20_000, "every acknowledged put seen by the watch");
    await w.cancel();
    const stored = await c.range({ key: "k/", prefix: true, keysOnly: true });
    const keys = new Set(stored.kvs.map((kv) => kv.key.toString()));
    expect(acked.filter((k) => !keys.has(k))).toEqual([]);
    // Restart the killed member with its data dir: it rejoins and catches up.
    const again = await startNode(leaderName, killed.ip);
    await waitFor(
      async () => (await again.client.get(acked[acked.length - 1] as string, { serializable: true })) === "v",
      20_000,
      "restarted member caught up",
    );
    expect(await again.client.memberList()).toHaveLength(3);
  }, 180_000);

  it("token rotation: one bootstrap key, readable with the new token; the new token joins a 4th server, the old one is refused", async () => {
    const alive = [...nodes.values()].find((n) => n.etcd)?.etcd as EmbeddedEtcd;
    const c = clusterClient();
    const rotated = await rotateServerToken({
      dataDir: dd("s1"),
      newToken: "rotated-secret",
      datastore: bootstrapDatastore(c),
    });
    const kvs = await listBootstrapKeys(c);
    expect(kvs.map((kv) => kv.key.toString())).toEqual([bootstrapKey("rotated-secret")]);
    expect((await readBootstrapFromDatastore(c, rotated.token))?.data.ServerCA).toBeDefined();
    expect(await codeOf(fetchServerBootstrap({ server: joinSrv?.url as string, token }))).toBe(
      "CLUSTER_JOIN_FORBIDDEN",
    );
    await joinNode("s4", "127.0.0.14", rotated.token, alive.client);
    expect(await c.memberList()).toHaveLength(4);
  }, 120_000);
});
