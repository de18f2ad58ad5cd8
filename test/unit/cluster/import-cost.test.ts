import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const heavy = ["node-forge", "kubernetes-models", "@grpc/grpc-js", "yaml", "@iarna/toml"];

function loaded(kind: "import" | "require", then = ""): string[] {
  const spec = JSON.stringify("k3s-node-kit/cluster");
  const script =
    kind === "import"
      ? `const m = await import(${spec}); ${then} const { createRequire } = await import("node:module"); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`
      : `const m = require(${spec}); ${then} console.log(JSON.stringify(Object.keys(require.cache)));`;
  const args = kind === "import" ? ["--input-type=module", "-e", script] : ["-e", script];
  const out = execFileSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop() ?? "[]") as string[];
}

describe("k3s-node-kit/cluster import cost (built package)", () => {
  beforeAll(() => ensureBuilt(), 180_000);
  it.each(["import", "require"] as const)(
    "%s loads no grpc, node-forge, yaml, toml or kubernetes-models",
    (kind) => {
      // The codec runs too: the etcd client is only a type here, node:crypto does the work.
      const mods = loaded(
        kind,
        `const { key, value } = m.encodeBootstrap("pw", {}); if (key !== m.bootstrapKey("pw") || Object.keys(m.decodeBootstrap("pw", value).data).length !== 0) process.exit(3);`,
      );
      for (const h of heavy)
        expect(
          mods.filter((p) => p.includes(`node_modules/${h}/`)),
          h,
        ).toEqual([]);
    },
  );
});
