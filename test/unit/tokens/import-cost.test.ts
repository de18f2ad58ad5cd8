import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const heavy = ["node-forge", "kubernetes-models", "@grpc/grpc-js", "yaml"];

function loaded(specifier: string, kind: "import" | "require", then = ""): string[] {
  const script =
    kind === "import"
      ? `const m = await import(${JSON.stringify(specifier)}); ${then} const { createRequire } = await import("node:module"); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`
      : `const m = require(${JSON.stringify(specifier)}); ${then} console.log(JSON.stringify(Object.keys(require.cache)));`;
  const args = kind === "import" ? ["--input-type=module", "-e", script] : ["-e", script];
  const out = execFileSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop() ?? "[]") as string[];
}

describe("k3s-node-kit/tokens import cost (built package)", () => {
  beforeAll(() => ensureBuilt(), 180_000);
  it.each(["import", "require"] as const)(
    "%s loads no node-forge, kubernetes-models, grpc or yaml",
    (kind) => {
      const mods = loaded("k3s-node-kit/tokens", kind);
      for (const h of heavy)
        expect(
          mods.filter((p) => p.includes(`node_modules/${h}/`)),
          h,
        ).toEqual([]);
    },
  );
  it("parseToken works from the CJS build and still loads nothing heavy", () => {
    const mods = loaded(
      "k3s-node-kit/tokens",
      "require",
      `if (m.parseToken("K10::node:pw").password !== "pw") process.exit(3);`,
    );
    expect(mods.some((p) => p.includes("node-forge"))).toBe(false);
  });
  it("k3s-node-kit/certs loads node-forge but not grpc or kubernetes-models", () => {
    const mods = loaded(
      "k3s-node-kit/certs",
      "require",
      `m.signLeaf(m.createCA({ commonName: "x@1" }), { commonName: "a", usage: "client" });`,
    );
    expect(mods.some((p) => p.includes("node_modules/node-forge/"))).toBe(true);
    for (const h of ["kubernetes-models", "@grpc/grpc-js"])
      expect(
        mods.filter((p) => p.includes(`node_modules/${h}/`)),
        h,
      ).toEqual([]);
  });
});
