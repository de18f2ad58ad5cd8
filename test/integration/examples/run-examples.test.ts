import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const run = promisify(execFile);

/** Runs an example with tsx against the BUILT package (no tsconfig path mapping to src), as a user would. */
async function runExample(name: string, args: string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(projectRoot, "examples", name), ...args], {
    cwd: projectRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(projectRoot, "examples", "tsconfig.dist.json") },
    timeout: 120_000,
  });
  return stdout;
}

beforeAll(() => ensureBuilt(), 300_000);

describe("examples run against the built package", () => {
  it("quickstart: full stack up, key written and read, both processes stopped", async () => {
    const out = await runExample("quickstart.ts");
    expect(out).toMatch(/etcd\s+v3\.\d+\.\d+, wrote and read \/k3s-node-kit\/hello = "world"/);
    expect(out).toMatch(/containerd\s+\S+containerd\.sock, config v\d from built-in/);
    expect(out).toContain("::server:[Redacted]");
    expect(out).toContain("stopped etcd and containerd");
  });

  it("pregenerate-ca: seed in memory and the K3s layout on disk", async () => {
    const out = await runExample("pregenerate-ca.ts");
    expect(out).toMatch(/seed: 10 files \(5 keys\), token CA hash [0-9a-f]{64}/);
    expect(out).toMatch(/server\/tls: \d+ created, 0 kept/);
    expect(out).toMatch(/client-admin\.crt\s+system:admin\s+ClientAuth/);
  });

  it("render-containerd: built-in v3 config and a user template extending base", async () => {
    const out = await runExample("render-containerd.ts");
    expect(out).toContain("version = 3");
    expect(out).toContain('runtimes."custom"]');
  });

  it("check-host: reports resolv.conf, cgroups, SELinux, service manager, labels, taints", async () => {
    const out = await runExample("check-host.ts");
    for (const line of ["/etc/resolv.conf:", "cgroups:", "SELinux:", "service manager:", "labels:", "taints: dedicated=gpu:NoSchedule"]) expect(out).toContain(line);
  });

  it("etcd-watch: txn, watch and delete against a real etcd with K3s certs", async () => {
    const out = await runExample("etcd-watch.ts");
    expect(out).toContain("txn succeeded: true");
    expect(out).toContain("watch saw: put /registry/demo/a, put /registry/demo/b, delete /registry/demo/a");
    expect(out).toContain('now: "2"');
  });
});
