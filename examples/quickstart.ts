/**
 * The README demo: prepares a K3s-style server node on a temp data dir with createNode(), runs its
 * embedded etcd and containerd as supervised child processes, writes and reads a key over mTLS,
 * prints what it did, and stops both.
 *
 *   npx tsx examples/quickstart.ts            (bash scripts/quickstart.sh installs what is missing first)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createNode, isKitError, type NodeEvent } from "k3s-node-kit";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

const dataDir = await mkdtemp(join(tmpdir(), "k3s-node-kit-demo-"));
const started = Date.now();
const onEvent = (e: NodeEvent) => {
  if (e.type === "node.step.done") console.log(`  ✓ ${String(e.description).padEnd(60)} ${e.detail ? JSON.stringify(e.detail) : ""}`);
  if (e.type === "process.ready") console.log(`  ✓ ${String(e.service)} ready (pid ${e.pid})`);
};

console.log(`k3s-node-kit quickstart — data dir ${dataDir}`);
let exitCode = 0;
try {
  const node = await createNode({
    dataDir,
    nodeName: "demo-node",
    tlsSans: ["k3s.demo.internal"],
    nodeLabels: ["demo.k3s-node-kit.dev/role=quickstart"],
    start: true,
    etcd: { clientPort: await freePort(), peerPort: await freePort() },
    onEvent,
  });
  try {
    const etcd = node.etcd!;
    await etcd.put("/k3s-node-kit/hello", "world");
    const value = await etcd.get("/k3s-node-kit/hello");
    const status = await etcd.status();
    console.log("\nsummary");
    console.log(`  token          K10${node.caHash!.slice(0, 12)}…::server:[Redacted]  (full token in ${join(dataDir, "server", "token")})`);
    console.log(`  CA hash        ${node.caHash}`);
    console.log(`  certificates   ${node.certificates!.created} created, ${node.certificates!.renewed} renewed, ${node.certificates!.kept} kept`);
    console.log(`  resolv.conf    ${node.resolvConf.path} (${node.resolvConf.source})`);
    console.log(`  runtimes       ${Object.keys(node.runtimes).join(", ") || "(none besides runc)"}`);
    console.log(`  containerd     ${node.containerdSocket}, config v${node.containerdConfig.version} from ${node.containerdConfig.template}`);
    console.log(`  etcd           v${status.version}, wrote and read /k3s-node-kit/hello = ${JSON.stringify(value)}`);
    console.log(`  kubeconfig     ${node.kubeconfigPath}`);
    console.log(`  logs           ${Object.values(node.logs).join(", ")}`);
    for (const w of node.warnings) console.log(`  warning        ${w}`);
    if (value !== "world") throw new Error(`read back ${value}`);
  } finally {
    await node.stop();
  }
  console.log(`\nstopped etcd and containerd; done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  exitCode = 1;
  if (isKitError(err, "PROCESS_NOT_FOUND")) {
    console.error(`\nmissing: ${err.message}\nOn Debian/Ubuntu as root: apt-get update && apt-get install -y etcd-server containerd runc (or run: bash scripts/system-deps.sh)`);
  } else if (isKitError(err)) {
    console.error(`\nfailed (${err.code}): ${err.message}`);
  } else {
    console.error(err);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
