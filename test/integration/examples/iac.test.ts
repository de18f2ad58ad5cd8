/**
 * The IaC examples run the way their READMEs say, against the built package: the CDK app
 * synthesizes offline to a directory with no secret in it; the Pulumi program's first up under mocks
 * (through the serialized provider) yields a seed bound to its CA hash. Deeper checks:
 * test/integration/cdk and test/integration/pulumi.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const run = promisify(execFile);
const env = { ...process.env, TSX_TSCONFIG_PATH: join(projectRoot, "examples", "tsconfig.dist.json") };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)],
  );
}

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "iac-examples-"));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("IaC examples against the built package", () => {
  it("examples/cdk/app.ts synthesizes offline; no private key or token in any assembly file", {
    timeout: 240_000,
  }, async () => {
    const out = join(dir, "cdk.out");
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", join(projectRoot, "examples/cdk/app.ts"), out],
      {
        cwd: projectRoot,
        env,
        timeout: 180_000,
      },
    );
    expect(stdout).toContain(`synthesized K3sCluster to ${out}`);
    expect(existsSync(join(out, "K3sCluster.template.json"))).toBe(true);
    for (const f of files(out)) {
      const text = readFileSync(f, "utf8");
      expect(text, f).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----(\\r|\\n|\r|\n)+[A-Za-z0-9+/=]{16,}/);
      expect(text, f).not.toMatch(/K10[0-9a-f]{64}::/);
    }
  });

  it("examples/pulumi/index.ts: first up under mocks creates a seed; token and user-data secret", {
    timeout: 240_000,
  }, async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        join(projectRoot, "test/integration/pulumi/mock-engine.ts"),
        join(projectRoot, "examples/pulumi/index.ts"),
        join(dir, "state.json"),
      ],
      { cwd: projectRoot, env, timeout: 180_000 },
    );
    const up = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(up.ops).toEqual({ k3s: "create" });
    expect(up.exported.token.value.startsWith(`K10${up.exported.caHash.value}::server:`)).toBe(true);
    expect([
      up.exported.token.secret,
      up.exported.serverUserData.secret,
      up.exported.agentUserData.secret,
    ]).toEqual([true, true, true]);
  });
});
