/**
 * Full K3s server PKI generation (ensureServerCertificates on an empty data dir: 5 CAs, 13 leaves, 4 legacy
 * keys, RSA-2048 service key, nochain copies, kubeconfigs, atomic writes with fsync) versus a stdlib Go program
 * doing the same work the way K3s does (bench/go/pki/main.go), in the same run. Prints medians, the ratio of
 * medians and of means, warm and cold (goal: cold ≤ 1.0× Go). Never fails on timing.
 *
 *   npm run bench pki (builds first), or npx tsx bench/pki.bench.ts [--rounds 8] after a build
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPair, generateKeyPairSync } from "node:crypto";
import { sdk } from "./sdk.js";

const { createCA, ensureServerCertificates, serverLeafSpecs, serverSANs, signLeaf } =
  await sdk<typeof import("../src/certs/index.js")>("certs");

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const self = fileURLToPath(import.meta.url);

async function nodeRun(serviceKeyPem?: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "node-pki-"));
  if (serviceKeyPem !== undefined) {
    // The RSA key is already there (a restart, or the "RSA excluded" rows): only our own work is timed.
    mkdirSync(join(dir, "server", "tls"), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, "server", "tls", "service.key"), serviceKeyPem, { mode: 0o600 });
  }
  const t = performance.now();
  await ensureServerCertificates({
    dataDir: dir,
    nodeName: "node-1",
    sans: ["k3s.example.com"],
    nodeIPs: ["10.0.0.5"],
  });
  const ms = performance.now() - t;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** The same certificates and keys, in memory only (no disk): the pure generators. */
async function nodeMemRun(withRsa = true): Promise<number> {
  const t = performance.now();
  const rsa = !withRsa
    ? Promise.resolve("")
    : new Promise<string>((res, rej) =>
        generateKeyPair(
          "rsa",
          {
            modulusLength: 2048,
            privateKeyEncoding: { type: "pkcs1", format: "pem" },
            publicKeyEncoding: { type: "spki", format: "pem" },
          },
          (e, _p, k) => (e ? rej(e) : res(k)),
        ),
      );
  const ts = Math.floor(Date.now() / 1000);
  const cas = {
    client: createCA({ commonName: `k3s-client-ca@${ts}` }),
    server: createCA({ commonName: `k3s-server-ca@${ts}` }),
    "request-header": createCA({ commonName: `k3s-request-header-ca@${ts}` }),
    "etcd-server": createCA({ commonName: `etcd-server-ca@${ts}` }),
    "etcd-peer": createCA({ commonName: `etcd-peer-ca@${ts}` }),
  };
  const sans = serverSANs({ nodeName: "node-1", tlsSans: ["k3s.example.com"], nodeIPs: ["10.0.0.5"] });
  for (const s of serverLeafSpecs({ sans, clusterDomain: "cluster.local" }))
    signLeaf(cas[s.ca], { commonName: s.commonName, organization: s.organization, usage: s.usage, altNames: s.altNames });
  for (let i = 0; i < 4; i++)
    generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({
      type: "sec1",
      format: "pem",
    });
  await rsa;
  return performance.now() - t;
}

if (process.argv.includes("--child")) {
  // Cold measurement: the first call in a fresh process (module loaded, nothing warmed up).
  const keyArg = process.argv.indexOf("--service-key");
  const key = keyArg > 0 ? readFileSync(process.argv[keyArg + 1] as string, "utf8") : undefined;
  process.stdout.write(`${JSON.stringify(await nodeRun(key))}\n`);
  process.exit(0);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
const roundsArg = process.argv.indexOf("--rounds");
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 8;

function buildGo(): string | undefined {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  const out = join(root, ".tmp", "go-bin");
  mkdirSync(out, { recursive: true });
  const bin = join(out, "pki-bench");
  execFileSync("go", ["build", "-o", bin, join(root, "bench/go/pki/main.go")], {
    stdio: "inherit",
    env: { ...process.env, GO111MODULE: "off", GOCACHE: join(root, ".tmp", "go-cache") },
  });
  return existsSync(bin) ? bin : undefined;
}

const goBin = buildGo();
const goRuns = (n: number): number[] =>
  goBin ? (JSON.parse(execFileSync(goBin, ["-n", String(n)], { encoding: "utf8" })) as number[]) : [];

// Warm: interleave Go and Node rounds so machine noise hits both alike.
await nodeRun(); // JIT warm-up, not counted
const warmNode: number[] = [];
const warmGo: number[] = [];
for (let r = 0; r < rounds; r++) {
  warmGo.push(...goRuns(3));
  for (let i = 0; i < 3; i++) warmNode.push(await nodeRun());
}

// In memory: generators only, no disk.
await nodeMemRun();
const memNode: number[] = [];
const memGo: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (goBin)
    memGo.push(
      ...(JSON.parse(execFileSync(goBin, ["-n", "3", "-nowrite"], { encoding: "utf8" })) as number[]),
    );
  for (let i = 0; i < 3; i++) memNode.push(await nodeMemRun());
}

// ECDSA work only (no RSA key, no disk): where our code, not the RSA prime search, decides.
const ecNode: number[] = [];
const ecGo: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (goBin)
    ecGo.push(
      ...(
        JSON.parse(execFileSync(goBin, ["-n", "10", "-nowrite", "-norsa"], { encoding: "utf8" })) as number[]
      ).slice(1),
    );
  for (let i = 0; i < 10; i++) ecNode.push(await nodeMemRun(false));
}

// Cold: first call in fresh processes, alternating Go and Node. RSA-2048 generation time varies a
// lot from key to key (a prime search: 150-900 ms here, on both sides), so cold runs are many and a
// second cold pair excludes the RSA key (Node finds service.key present, Go runs -norsa).
const coldNode: number[] = [];
const coldGo: number[] = [];
const coldNoRsaNode: number[] = [];
const coldNoRsaGo: number[] = [];
const coldRuns = Math.max(12, rounds);
const keyFile = join(root, ".tmp", "pki-bench-service.key");
mkdirSync(dirname(keyFile), { recursive: true });
writeFileSync(
  keyFile,
  generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }) as string,
);
const child = (extra: string[]): number | undefined => {
  const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", ...extra], { cwd: root, encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim().split("\n").pop()) : undefined;
};
for (let i = 0; i < coldRuns; i++) {
  if (goBin) coldGo.push(...goRuns(1));
  const a = child([]);
  if (a !== undefined) coldNode.push(a);
  if (goBin) coldNoRsaGo.push(...(JSON.parse(execFileSync(goBin, ["-n", "1", "-norsa"], { encoding: "utf8" })) as number[]));
  const b = child(["--service-key", keyFile]);
  if (b !== undefined) coldNoRsaNode.push(b);
}

const rows: Array<[string, number[], number[]]> = [
  ["warm (same process)", warmNode, warmGo],
  ["cold (fresh process)", coldNode, coldGo],
  ["cold, RSA key excluded", coldNoRsaNode, coldNoRsaGo],
  ["in memory (no disk)", memNode, memGo],
  ["ECDSA only (no RSA/disk)", ecNode, ecGo],
];
console.log(`Full K3s server PKI (incl. RSA-2048 service key, atomic writes), ${rounds} rounds`);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log("case                      node median   go median    ratio (node/go)   ratio of means   samples");
for (const [name, n, g] of rows) {
  const ratio = g.length ? median(n) / median(g) : Number.NaN;
  const ratioMean = g.length ? mean(n) / mean(g) : Number.NaN;
  console.log(
    `${name.padEnd(25)} ${fmt(median(n)).padStart(11)}   ${g.length ? fmt(median(g)).padStart(9) : "   (no go)"}    ${Number.isNaN(ratio) ? "-" : `${ratio.toFixed(2)}×`.padEnd(16)}  ${Number.isNaN(ratioMean) ? "-" : `${ratioMean.toFixed(2)}×`.padEnd(15)}  ${n.length}/${g.length}`,
  );
}
console.log("goal: cold ≤ 1.00× Go (RSA keygen runs on the thread pool in parallel with the ECDSA work and the writes)");
