/**
 * createNode(): prepare cold (fresh data dir) and warm (everything valid, nothing regenerated), and
 * full-stack ready time (etcd + containerd serving) against a bare shell script that starts the same
 * etcd and containerd with the same arguments and polls for readiness at the same 100 ms interval.
 *
 *   npm run bench facade (builds first; or npx tsx bench/facade.bench.ts after a build)  (needs etcd, etcdctl and containerd; root for containerd)
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sdk } from "./sdk.js";

const { createNode } = await sdk<typeof import("../src/index.js")>("index");

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const root = await mkdtemp(join(tmpdir(), "k3s-node-kit-bench-"));
try {
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const node = await createNode({ dataDir: join(root, `cold-${i}`), nodeName: "bench" });
    cold.push(performance.now() - t);
    await node.stop();
  }
  const dataDir = join(root, "warm");
  await (await createNode({ dataDir, nodeName: "bench" })).stop();
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const node = await createNode({ dataDir, nodeName: "bench" });
    warm.push(performance.now() - t);
    await node.stop();
  }

  const clientPort = await freePort();
  const peerPort = await freePort();
  const opts = { dataDir, nodeName: "bench", start: true, etcd: { clientPort, peerPort } } as const;
  const ours: number[] = [];
  let commands: Awaited<ReturnType<typeof createNode>>["commands"] = {};
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const node = await createNode(opts);
    ours.push(performance.now() - t);
    commands = node.commands;
    await node.stop();
  }

  const tls = join(dataDir, "server", "tls", "etcd");
  const socket = commands.containerd!.args[commands.containerd!.args.indexOf("-a") + 1]!;
  const script = join(root, "start-stack.sh");
  await writeFile(
    script,
    [
      "#!/bin/bash",
      "start=$(date +%s%N)",
      `${commands.etcd!.command} ${commands.etcd!.args.map(quote).join(" ")} >/dev/null 2>&1 & etcd_pid=$!`,
      `${commands.containerd!.command} ${commands.containerd!.args.map(quote).join(" ")} >/dev/null 2>&1 & ctd_pid=$!`,
      `until ETCDCTL_API=3 etcdctl --endpoints https://127.0.0.1:${clientPort} --cacert ${quote(join(tls, "server-ca.crt"))} --cert ${quote(join(tls, "client.crt"))} --key ${quote(join(tls, "client.key"))} --command-timeout=1s endpoint status >/dev/null 2>&1; do sleep 0.1; done`,
      `until [ -S ${quote(socket)} ]; do sleep 0.1; done`,
      "end=$(date +%s%N)",
      "echo $(( (end - start) / 1000000 ))",
      "kill $etcd_pid $ctd_pid; wait",
    ].join("\n"),
  );
  const shell: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync("bash", [script], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`shell anchor failed: ${r.stderr}`);
    shell.push(Number(r.stdout.trim()));
  }

  const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
  console.log(`createNode() benchmark, median of ${RUNS} runs (2 cores; compare ratios, not absolutes)`);
  console.log(`  prepare, cold data dir (full PKI, token, containerd config) ${fmt(median(cold))}`);
  console.log(`  prepare, warm data dir (nothing regenerated)                ${fmt(median(warm))}`);
  console.log(`  full stack ready (warm): createNode({ start: true })        ${fmt(median(ours))}`);
  console.log(`  full stack ready: bare shell script, same etcd + containerd ${fmt(median(shell))}`);
  console.log(`  ratio createNode / shell: ${(median(ours) / median(shell)).toFixed(2)}x`);
} finally {
  await rm(root, { recursive: true, force: true });
}
