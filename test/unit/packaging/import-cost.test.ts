import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const heavy = ["@grpc/grpc-js", "node-forge", "@iarna/toml", "kubernetes-models"];

/** Runs a child node process that loads one subpath of the built package and reports loaded modules. */
function loadedAfterImport(specifier: string, kind: "import" | "require"): string[] {
  const script =
    kind === "import"
      ? `await import(${JSON.stringify(specifier)}); const { createRequire } = await import("node:module"); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`
      : `require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const args = kind === "import" ? ["--input-type=module", "-e", script] : ["-e", script];
  // Self-reference by package name works because package.json has "exports".
  const out = execFileSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("packaging", () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it("package.json exports every tsup entry with types first", async () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
    const { entries } = await import("../../../tsup.config.js");
    for (const name of Object.keys(entries)) {
      const key = name === "index" ? "." : `./${name}`;
      const e = pkg.exports[key];
      expect(e, key).toBeDefined();
      expect(Object.keys(e.import)[0]).toBe("types");
      expect(Object.keys(e.require)[0]).toBe("types");
    }
  });

  it("importing k3s-node-kit/dns (ESM, built) loads neither grpc nor node-forge", () => {
    const loaded = loadedAfterImport("k3s-node-kit/dns", "import");
    // ESM imports of CJS packages still land in require.cache, so this sees them.
    for (const h of heavy) expect(loaded.filter((p) => p.includes(`node_modules/${h}/`)), h).toEqual([]);
  });

  it("requiring k3s-node-kit/dns (CJS, built) loads neither grpc nor node-forge", () => {
    const loaded = loadedAfterImport("k3s-node-kit/dns", "require");
    expect(loaded.some((p) => p.includes("dist/dns.cjs"))).toBe(true);
    for (const h of heavy) expect(loaded.filter((p) => p.includes(`node_modules/${h}/`)), h).toEqual([]);
  });

  it("k3s-node-kit/certs (ESM and CJS, built) loads node-forge's ASN.1 codec files, never its entry with TLS, ciphers and RSA", () => {
    // The whole of forge costs ~15 ms more in a fresh process; the PKI needs only asn1, util and what they require.
    const allowed = ["asn1.js", "util.js", "oids.js", "baseN.js", "forge.js"];
    for (const kind of ["import", "require"] as const) {
      const forgeFiles = loadedAfterImport("k3s-node-kit/certs", kind)
        .filter((p) => p.includes("node_modules/node-forge/"))
        .map((p) => p.slice(p.lastIndexOf("/") + 1))
        .sort();
      expect(forgeFiles, kind).toContain("asn1.js");
      expect(forgeFiles.filter((f) => !allowed.includes(f)), kind).toEqual([]);
    }
  });

  it("the root and every subpath but ./pulumi and ./cdk (ESM and CJS, built) load no Pulumi, CDK or AWS SDK", () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
    const names = Object.keys(pkg.exports)
      .filter((k) => k !== "./package.json" && k !== "./pulumi" && k !== "./cdk")
      .map((k) => (k === "." ? "k3s-node-kit" : `k3s-node-kit/${k.slice(2)}`));
    const iac = ["@pulumi/", "aws-cdk-lib/", "constructs/", "@aws-sdk/"];
    // One child loads them all: if the union loads no IaC library, none of them does.
    const esm = `const { createRequire } = await import("node:module"); for (const n of ${JSON.stringify(names)}) await import(n); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const cjs = `for (const n of ${JSON.stringify(names)}) require(n); console.log(JSON.stringify(Object.keys(require.cache)));`;
    for (const [args, built] of [
      [["--input-type=module", "-e", esm], "dist/index.js"],
      [["-e", cjs], "dist/index.cjs"],
    ] as const) {
      const out = execFileSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8" });
      const loaded = JSON.parse(out.trim().split("\n").pop()!) as string[];
      expect(loaded.some((p) => p.includes("node_modules/node-forge/")), "control: forge is loaded by certs").toBe(true);
      for (const h of iac) expect(loaded.filter((p) => p.includes(`node_modules/${h}`)), `${h} via ${built}`).toEqual([]);
    }
    // Control: the IaC subpaths do load their libraries (so the check above can see them).
    const pulumi = loadedAfterImport("k3s-node-kit/pulumi", "require");
    expect(pulumi.some((p) => p.includes("node_modules/@pulumi/pulumi/"))).toBe(true);
    const cdk = loadedAfterImport("k3s-node-kit/cdk", "require");
    expect(cdk.some((p) => p.includes("node_modules/aws-cdk-lib/"))).toBe(true);
  });

  it("the root entry loads no third-party package: CJS by what lands in require.cache, ESM by its static import graph", () => {
    const loaded = loadedAfterImport("k3s-node-kit", "require");
    expect(loaded.some((p) => p.includes("dist/index.cjs"))).toBe(true);
    expect(loaded.filter((p) => p.includes("node_modules/"))).toEqual([]);
    // ESM packages do not show in require.cache: walk the built entry's static imports instead.
    const bare = new Set<string>();
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(projectRoot, "dist", file), "utf8");
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;"']*?["']([^"']+)["']/g)) {
        const spec = m[1]!;
        if (spec.startsWith("./")) walk(spec.slice(2));
        else if (!spec.startsWith("node:") && !builtinModules.includes(spec)) bare.add(spec);
      }
    };
    walk("index.js");
    expect(seen.size).toBeGreaterThan(1);
    expect([...bare]).toEqual([]);
  });

  it("the published types carry no @internal members (stripInternal): no transport, no grpc-js types", () => {
    const dts = readdirSync(join(projectRoot, "dist")).filter((f) => /\.d\.c?ts$/.test(f));
    expect(dts.length).toBeGreaterThan(10);
    for (const f of dts) {
      const text = readFileSync(join(projectRoot, "dist", f), "utf8");
      expect(text, f).not.toMatch(/@grpc\/grpc-js|readonly transport: Transport|@internal/);
    }
  });

  it("a KitError from the CJS build is recognised by the ESM build's isKitError", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { createRequire } from "node:module"; const req = createRequire(import.meta.url);
         const cjs = req("k3s-node-kit/errors"); const esm = await import("k3s-node-kit/errors");
         const e = new cjs.KitError("X_TEST", "m", { value: 1 });
         console.log(esm.isKitError(e, "X_TEST"), e instanceof esm.KitError);`,
      ],
      { cwd: projectRoot, encoding: "utf8" },
    );
    expect(out.trim()).toBe("true false");
  });
});
