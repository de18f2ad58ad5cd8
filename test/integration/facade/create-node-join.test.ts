/**
 * Issue 16: `createNode({ server, token })` joins a second server by token alone. Node 1 (127.0.0.31) runs etcd
 * and serves K3s's join endpoints; node 2 (127.0.0.32) fetches the CA bundle, bootstrap data and etcd member
 * list from it, makes its own certs and member-adds its etcd. Real etcd and openssl; only etcd is started
 * (`start: { etcd: true }`): containerd's CRI stream port is fixed, one per host.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { createNode, type Node } from "../../../src/facade/create-node.js";
import { freePort } from "../../helpers/ports.js";
import { tempDir } from "../../helpers/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
const running: Node[] = [];

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    const n = await p;
    running.push(n as Node);
  } catch (e) {
    return isKitError(e) ? e.code : String(e);
  }
  return undefined;
}

const ports = async () => ({ clientPort: await freePort(), peerPort: await freePort() });

beforeAll(async () => ({ dir, cleanup } = await tempDir("k3s-node-join-")));
afterAll(async () => {
  for (const n of running.splice(0).reverse()) await n.stop().catch(() => {});
  await cleanup?.();
});

describe("createNode({ server, token }) (real etcd, containerd, openssl)", () => {
  it("joins a second server by token alone: shared CAs, its own certs with its own IP, a second etcd member", async () => {
    const n1 = await createNode({
      dataDir: join(dir, "s1"),
      nodeName: "j1",
      nodeIPs: ["127.0.0.31"],
      start: { etcd: true },
      etcd: await ports(),
      joinEndpoints: { port: 0 },
    });
    running.push(n1);
    expect(n1.joinUrl).toMatch(/^https:\/\/127\.0\.0\.31:\d+$/);
    expect(n1.plan.steps.map((s) => s.id)).toContain("serve-join");
    await n1.etcd!.put("/join/before", "1");

    // A wrong password and a wrong CA hash are refused before anything is written.
    const hash = n1.caHash!;
    const bad = (token: string, name: string) =>
      codeOf(createNode({ dataDir: join(dir, name), nodeName: name, nodeIPs: ["127.0.0.39"], server: n1.joinUrl!, token, start: { etcd: true }, etcd: { clientPort: 1, peerPort: 2 } }));
    expect(await bad(`K10${hash}::server:wrong`, "bad1")).toBe("CLUSTER_JOIN_FORBIDDEN");
    expect(await bad(`K10${"0".repeat(64)}::server:${n1.token!.split("::server:")[1]}`, "bad2")).toBe("TOKEN_CA_MISMATCH");
    expect(existsSync(join(dir, "bad1", "server"))).toBe(false);
    expect(existsSync(join(dir, "bad2", "server"))).toBe(false);

    const opts2 = { dataDir: join(dir, "s2"), nodeName: "j2", nodeIPs: ["127.0.0.32"], server: n1.joinUrl!, token: n1.token!, start: { etcd: true }, etcd: await ports() };
    const n2 = await createNode(opts2);
    running.push(n2);
    expect(n2.plan.joins).toBe(n1.joinUrl);
    expect(n2.plan.steps.map((s) => s.id).slice(0, 2)).toEqual(["join", "certs"]);
    expect(n2.plan.steps.map((s) => s.id)).not.toContain("save-bootstrap");
    expect(n2.token).toBe(n1.token);

    const tls1 = join(dir, "s1", "server", "tls");
    const tls2 = join(dir, "s2", "server", "tls");
    expect((await readFile(join(tls2, "server-ca.crt"))).equals(await readFile(join(tls1, "server-ca.crt")))).toBe(true);
    for (const [leaf, ca] of [["etcd/peer-server-client.crt", "etcd/peer-ca.crt"], ["serving-kube-apiserver.crt", "server-ca.crt"]]) {
      expect(execFileSync("openssl", ["verify", "-CAfile", join(tls2, ca!), join(tls2, leaf!)], { encoding: "utf8" })).toContain(": OK");
      expect(execFileSync("openssl", ["x509", "-in", join(tls2, leaf!), "-noout", "-ext", "subjectAltName"], { encoding: "utf8" })).toContain("IP Address:127.0.0.32");
    }
    const members = await n1.etcd!.memberList();
    expect(members.map((m) => m.peerURLs[0]).sort()).toEqual([`https://127.0.0.31:${n1.plan.etcd.peerPort}`, `https://127.0.0.32:${opts2.etcd.peerPort}`]);
    // One datastore: node 2 reads what node 1 wrote, and the other way round.
    expect((await n2.etcd!.get("/join/before"))).toBe("1");
    await n2.etcd!.put("/join/after", "2");
    expect((await n1.etcd!.get("/join/after"))).toBe("2");

    // Restarted on its data dir, node 2 rejoins as the same member (K3s: an initialised etcd is not added again).
    await n2.stop();
    running.splice(running.indexOf(n2), 1);
    const again = await createNode(opts2);
    running.push(again);
    expect((await n1.etcd!.memberList()).length).toBe(2);
    expect((await again.etcd!.get("/join/after"))).toBe("2");
  }, 180_000);
});
