import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createNode, type NodeEvent, type NodeStepEvent } from "../../../src/facade/create-node.js";
import type { SupervisorEvent } from "../../../src/process/index.js";
import { bootstrapKey, listBootstrapKeys, readBootstrapFromDatastore } from "../../../src/cluster/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { freePort } from "../../helpers/ports.js";
import { tempDir } from "../../helpers/tmp.js";

describe("createNode (real etcd and containerd)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir("k3s-node-")));
  afterAll(() => cleanup());

  it("prepares a server, runs etcd + containerd, serves etcd over mTLS, and stops both", async () => {
    const events: NodeEvent[] = [];
    const clientPort = await freePort();
    const node = await createNode({
      dataDir: dir,
      nodeName: "facade-test",
      nodeLabels: ["example.com/tier=test"],
      nodeTaints: ["dedicated=test:NoSchedule"],
      start: true,
      etcd: { clientPort, peerPort: await freePort() },
      onEvent: (e) => events.push(e),
    });
    let pids: number[] = [];
    try {
      expect(node.token).toMatch(new RegExp(`^K10${node.caHash}::server:[0-9a-f]{32}$`));
      expect(node.certificates!.created).toBeGreaterThan(10);
      expect(await readFile(join(dir, "server", "token"), "utf8")).toContain(node.token!);
      expect(node.containerdConfig.version).toBe(2); // Debian's containerd is 1.x
      // The admin kubeconfig K3s writes, pointing at the server CA and the admin client cert.
      const kubeconfig = parse(await readFile(node.kubeconfigPath!, "utf8"));
      expect(kubeconfig.clusters[0].cluster).toEqual({ server: "https://127.0.0.1:6443", "certificate-authority": join(dir, "server", "tls", "server-ca.crt") });
      expect(kubeconfig.users[0].user["client-certificate"]).toBe(join(dir, "server", "tls", "client-admin.crt"));
      expect(existsSync(node.containerdSocket)).toBe(true);
      await node.etcd!.put("/facade/key", "v1");
      // etcdctl, with the SDK's K3s etcd client cert, reads what the SDK's client wrote.
      const tls = join(dir, "server", "tls", "etcd");
      const out = execFileSync(
        "etcdctl",
        ["--endpoints", `https://127.0.0.1:${clientPort}`, "--cacert", join(tls, "server-ca.crt"), "--cert", join(tls, "client.crt"), "--key", join(tls, "client.key"), "get", "/facade/key", "--print-value-only"],
        { env: { ...process.env, ETCDCTL_API: "3" }, encoding: "utf8" },
      );
      expect(out.trim()).toBe("v1");
      // K3s's first start: the CA material is in etcd under the token's key, and opens with the token.
      const keys = (await listBootstrapKeys(node.etcd!)).map((kv) => kv.key.toString());
      expect(keys).toEqual([bootstrapKey(node.token!)]);
      const stored = await readBootstrapFromDatastore(node.etcd!, node.token!);
      expect(stored?.data.ServerCA?.content.equals(await readFile(join(dir, "server", "tls", "server-ca.crt")))).toBe(true);
      expect(Object.keys(stored!.data)).toContain("ETCDPeerCAKey");
      // containerd answers `ctr version` on the socket the SDK configured.
      const ver = execFileSync("ctr", ["--address", node.containerdSocket, "version"], { encoding: "utf8" });
      expect(ver).toMatch(/Server:\s+Version:/);
      pids = events.filter((e): e is SupervisorEvent => e.type === "process.ready").map((e) => e.pid!);
      expect(pids).toHaveLength(2);
      // Events carry no secret: neither the token nor any key material.
      const text = JSON.stringify(events);
      expect(text).not.toContain(node.token!.split("::server:")[1]);
      expect(text).not.toContain("PRIVATE KEY");
      expect(events.filter((e): e is NodeStepEvent => e.type === "node.step.done").map((e) => e.step)).toEqual(node.plan.steps.map((s) => s.id));
    } finally {
      await node.stop();
    }
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(await readFile(node.logs.etcd!, "utf8")).toMatch(/etcd/);
  });

  it("is idempotent: a second run on the same data dir keeps every certificate and the token", async () => {
    const before = await readFile(join(dir, "server", "tls", "server-ca.crt"), "utf8");
    const node = await createNode({ dataDir: dir, nodeName: "facade-test" });
    try {
      expect(node.certificates).toMatchObject({ created: 0, renewed: 0 });
      expect(node.certificates!.kept).toBeGreaterThan(10);
      expect(await readFile(join(dir, "server", "tls", "server-ca.crt"), "utf8")).toBe(before);
      expect(node.etcd).toBeUndefined();
    } finally {
      await node.stop();
    }
  });

  it("refuses invalid labels with NODE_LABEL_INVALID before starting anything", async () => {
    const err = await createNode({ dataDir: dir, nodeName: "facade-test", nodeLabels: ["node-role.kubernetes.io/master=true"], start: true }).catch((e) => e);
    expect(isKitError(err, "NODE_LABEL_INVALID")).toBe(true);
  });

  it("a refused label writes nothing: not one file in an empty data dir", async () => {
    const { dir: empty, cleanup: done } = await tempDir("k3s-refused-");
    try {
      const err = await createNode({ dataDir: empty, nodeName: "n", nodeLabels: ["kubernetes.io/role=master"], start: true }).catch((e) => e);
      expect(isKitError(err, "NODE_LABEL_INVALID")).toBe(true);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      await done();
    }
  });

  it("a non-function onEvent is an option error before any write, not a process crash", async () => {
    const { dir: empty, cleanup: done } = await tempDir("k3s-listener-");
    try {
      const err = await createNode({ dataDir: empty, nodeName: "n", onEvent: "x" as never }).catch((e) => e);
      expect(isKitError(err, "NODE_OPTION_INVALID")).toBe(true);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      await done();
    }
  });

  it("an aborted signal stops preparation with the signal's reason", async () => {
    const ac = new AbortController();
    ac.abort(new Error("user cancelled"));
    const err = await createNode({ dataDir: dir, nodeName: "facade-test", signal: ac.signal }).catch((e) => e);
    expect(String(err.message)).toContain("user cancelled");
  });
});
