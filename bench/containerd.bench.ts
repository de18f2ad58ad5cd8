/**
 * containerd config rendering benchmark (k3s-behaviours §6): our end-to-end render (builder +
 * template + trimEmpty + TOML check) and the template part alone, against a stdlib Go program
 * rendering the same base template text with text/template + trimEmpty, in the same run.
 * Run: `npm run bench containerd` (builds first), or `npx tsx bench/containerd.bench.ts` after a build. Prints numbers and ratios; never fails on timing.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sdk } from "./sdk.js";

const { baseTemplateText, containerdConfigFor, parseRegistriesYaml, renderContainerdConfig, validateContainerdToml } =
  await sdk<typeof import("../src/containerd/index.js")>("containerd");

const N = 5000;
const root = fileURLToPath(new URL("..", import.meta.url));

const registries = parseRegistriesYaml(
  "mirrors:\n  docker.io:\n    endpoint: [https://mirror.example.com]\nconfigs:\n  mirror.example.com:\n    auth:\n      username: user\n      password: pass\n  registry.example.com:5000:\n    auth:\n      auth: dXNlcjpwYXNz\n",
);
const options = {
  systemdCgroup: true,
  selinux: true,
  runtimes: {
    crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" },
    nvidia: {
      RuntimeType: "io.containerd.runc.v2",
      BinaryName: "/usr/local/nvidia/toolkit/nvidia-container-runtime",
    },
    spin: { RuntimeType: "io.containerd.spin.v2", BinaryName: "/opt/kwasm/bin/containerd-shim-spin-v2" },
  },
  defaultRuntime: "crun",
  registries,
};

function time(label: string, fn: () => unknown): number {
  for (let i = 0; i < N / 10; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / N;
  console.log(`${label.padEnd(48)} ${us.toFixed(1).padStart(8)} µs/render`);
  return us;
}

const cfg = containerdConfigFor(options);
const ours = renderContainerdConfig(cfg, { version: 3 });
const endToEnd = time("ts: builder + template + trimEmpty + TOML check", () =>
  renderContainerdConfig(containerdConfigFor(options), { version: 3 }),
);
time("ts: builder alone (containerdConfigFor)", () => containerdConfigFor(options));
time("ts: TOML check alone (@iarna/toml)", () => validateContainerdToml(ours, "bench"));
const renderOnly = time("ts: template + trimEmpty (no TOML check)", () =>
  renderContainerdConfig(cfg, { version: 3, validate: false }),
);

let goUs: number | undefined;
try {
  execFileSync("go", ["version"], { stdio: "ignore" });
  const binDir = join(root, ".tmp", "go-bin");
  mkdirSync(binDir, { recursive: true });
  const bin = join(binDir, "containerd-bench");
  execFileSync("go", ["build", "-o", bin, join(root, "bench/go/containerd/main.go")], {
    env: { ...process.env, GO111MODULE: "off", GOCACHE: join(root, ".tmp", "go-cache") },
    stdio: "inherit",
  });
  const tmp = mkdtempSync(join(tmpdir(), "ctd-bench-"));
  try {
    writeFileSync(join(tmp, "base.tmpl"), baseTemplateText(3));
    const dot = {
      ...cfg,
      NodeConfig: { ...cfg.NodeConfig, Containerd: { ...cfg.NodeConfig.Containerd, ConfigVersion: 3 } },
    };
    writeFileSync(join(tmp, "config.json"), JSON.stringify(dot));
    const res = JSON.parse(
      execFileSync(bin, [join(tmp, "base.tmpl"), join(tmp, "config.json"), String(N)], { encoding: "utf8" }),
    ) as { nsPerOp: number; output: string };
    goUs = res.nsPerOp / 1000;
    console.log(
      `${"go: text/template + trimEmpty (same template)".padEnd(48)} ${goUs.toFixed(1).padStart(8)} µs/render`,
    );
    console.log(`outputs identical (ours vs Go): ${res.output === ours ? "yes" : "NO"}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} catch (err) {
  console.log(`go anchor unavailable: ${(err as Error).message.split("\n")[0]}`);
}
if (goUs !== undefined) {
  console.log(`ratio template-only ts/go: ${(renderOnly / goUs).toFixed(2)}x`);
  console.log(`ratio end-to-end ts/go-render: ${(endToEnd / goUs).toFixed(2)}x`);
}
console.log(`output: ${ours.length} bytes, ${ours.split("\n").length} lines; iterations: ${N}`);
