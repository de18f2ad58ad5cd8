/**
 * examples/pulumi run as `pulumi up` would run it, offline: under Pulumi's mocks, with the engine's
 * part for the dynamic resource played through the SERIALIZED provider (test/integration/pulumi/mock-engine.ts),
 * against the built package, one child process per up and the state carried between them.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cloudInitSchema } from "../../helpers/cloud-init.js";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const run = promisify(execFile);
interface Up {
  ops: Record<string, string>;
  exported: Record<string, { value: unknown; secret: boolean }>;
}

async function pulumiUp(program: string, state: string, config: Record<string, string> = {}): Promise<Up> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(projectRoot, "test/integration/pulumi/mock-engine.ts"), program, state],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(projectRoot, "examples", "tsconfig.dist.json"),
        PULUMI_CONFIG: JSON.stringify(
          Object.fromEntries(Object.entries(config).map(([k, v]) => [`k3s-node-kit-seed:${k}`, v])),
        ),
      },
      timeout: 120_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const example = join(projectRoot, "examples/pulumi/index.ts");
let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "pulumi-ups-"));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("examples/pulumi under mocks, through the serialized provider", () => {
  it("two ups with the same inputs keep CA and token; a changed validity replaces them", {
    timeout: 240_000,
  }, async () => {
    const state = join(dir, "state.json");
    const first = await pulumiUp(example, state);
    const second = await pulumiUp(example, state);
    expect(first.ops).toEqual({ k3s: "create" });
    expect(second.ops).toEqual({ k3s: "same" });
    expect(second.exported.caHash!.value).toBe(first.exported.caHash!.value);
    expect(second.exported.serverCaCert!.value).toBe(first.exported.serverCaCert!.value);
    expect(second.exported.token!.value).toBe(first.exported.token!.value);
    expect(second.exported.serverUserData!.value).toBe(first.exported.serverUserData!.value);

    const third = await pulumiUp(example, state, { caValidityDays: "365" });
    expect(third.ops).toEqual({ k3s: "replace(validityDays)" });
    expect(third.exported.caHash!.value).not.toBe(first.exported.caHash!.value);
    expect(third.exported.token!.value).not.toBe(first.exported.token!.value);
  });

  it("token and user-data are secrets; the user-data passes cloud-init schema and seeds server and agent", {
    timeout: 240_000,
  }, async () => {
    const up = await pulumiUp(example, join(dir, "fresh.json"), { tlsSans: '["k3s.example.com"]' });
    const { caHash, token, serverUserData, agentUserData, serverCaCert } = up.exported as Record<
      string,
      { value: string; secret: boolean }
    >;
    expect([token!.secret, serverUserData!.secret, agentUserData!.secret]).toEqual([true, true, true]);
    expect([caHash!.secret, serverCaCert!.secret]).toEqual([false, false]);
    expect(createHash("sha256").update(serverCaCert!.value).digest("hex")).toBe(caHash!.value);

    for (const userData of [serverUserData!.value, agentUserData!.value]) {
      const [ok, out] = cloudInitSchema(userData);
      expect(out).toContain("Valid cloud-config");
      expect(ok).toBe(true);
    }
    const server = parse(serverUserData!.value);
    const byPath = new Map<string, { content: string; permissions: string }>(
      server.write_files.map((f: { path: string }) => [f.path, f]),
    );
    expect(byPath.get("/var/lib/rancher/k3s/server/tls/server-ca.crt")!.content).toBe(serverCaCert!.value);
    expect(byPath.get("/var/lib/rancher/k3s/server/tls/etcd/server-ca.key")!.permissions).toBe("0600");
    expect(parse(byPath.get("/etc/rancher/k3s/config.yaml")!.content)).toEqual({
      "cluster-init": true,
      "tls-san": ["k3s.example.com"],
      token: token!.value,
    });
    const agent = parse(agentUserData!.value);
    expect(parse(agent.write_files[0].content)).toMatchObject({
      server: "https://10.0.0.10:6443",
      token: token!.value,
    });
    expect(agent.write_files).toHaveLength(1);
  });

  it("a CommonJS program (require) works through the serialized provider too", {
    timeout: 240_000,
  }, async () => {
    const state = join(dir, "cjs.json");
    const program = join(projectRoot, "test/integration/pulumi/fixtures/cjs-program.cjs");
    const first = await pulumiUp(program, state);
    const second = await pulumiUp(program, state);
    expect([first.ops, second.ops]).toEqual([{ "k3s-cjs": "create" }, { "k3s-cjs": "same" }]);
    expect(second.exported.token!.value).toBe(first.exported.token!.value);
    expect(first.exported.token!.secret).toBe(true);
  });
});
