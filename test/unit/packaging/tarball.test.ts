import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";
import { type PackageJson, type Packed, npmPack, readPackageJson } from "./pack.js";

/**
 * The tarball as a user gets it: `npm pack` into a temp dir, unpacked into a consumer project outside
 * the repository, with only the package's declared `dependencies` next to it (symlinks into this
 * repository's node_modules, so it works offline right after `npm ci`; an import of an undeclared
 * package fails as it would for a user). Every subpath in the packed package.json "exports" is
 * loaded with `import` and `require`, and a strict TypeScript consumer (module/moduleResolution
 * nodenext, skipLibCheck off) type-checks an ESM and a CJS file that import every subpath.
 * New subpaths are covered by adding them to "exports"; nothing here lists them.
 */

interface Subpath {
  key: string;
  specifier: string;
  json: boolean;
  /** The file the `import` / `require` conditions point at, relative to the package root. */
  esmTarget: string;
  cjsTarget: string;
}

type Loaded = Record<string, { file: string; names: string[] }>;

/** Follows a conditional export for a Node consumer (types skipped), as Node does. */
function conditionTarget(entry: unknown, condition: "import" | "require"): string {
  if (typeof entry === "string") return entry;
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new Error(`unsupported exports entry ${JSON.stringify(entry)}`);
  }
  for (const [k, v] of Object.entries(entry)) {
    if (k === condition || k === "node" || k === "default") return conditionTarget(v, condition);
  }
  throw new Error(`exports entry ${JSON.stringify(entry)} has no ${condition}/node/default condition`);
}

function subpaths(pkg: PackageJson): Subpath[] {
  return Object.entries(pkg.exports).map(([key, entry]) => {
    if (key.includes("*")) throw new Error(`wildcard export ${key}: list its files here before shipping it`);
    const esmTarget = conditionTarget(entry, "import");
    return {
      key,
      specifier: key === "." ? pkg.name : `${pkg.name}${key.slice(1)}`,
      json: esmTarget.endsWith(".json"),
      esmTarget: esmTarget.replace(/^\.\//, ""),
      cjsTarget: conditionTarget(entry, "require").replace(/^\.\//, ""),
    };
  });
}

/** Symlinks each package into dir/node_modules from this repository's node_modules. */
function linkDeps(dir: string, deps: string[]): void {
  for (const dep of deps) {
    const link = join(dir, "node_modules", dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(projectRoot, "node_modules", dep)), link, "dir");
  }
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`);
  }
}

describe("the packed tarball in a consumer project", () => {
  let tmp: string;
  let consumer: string;
  let installed: string;
  let packed: Packed;
  let pkg: PackageJson;
  let subs: Subpath[];

  beforeAll(() => {
    ensureBuilt();
    tmp = realpathSync(mkdtempSync(join(tmpdir(), "k3s-kit-tarball-")));
    packed = npmPack({ destination: tmp });
    consumer = join(tmp, "consumer");
    writeFileSync(join(tmp, "package.json"), "{}\n"); // keeps npm/node lookups from walking past tmp
    installed = join(consumer, "node_modules", readPackageJson().name);
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(consumer, "package.json"), `${JSON.stringify({ name: "consumer", private: true })}\n`);
    run("tar", ["-xzf", join(tmp, packed.filename), "-C", installed, "--strip-components=1"], tmp);
    pkg = readPackageJson(installed);
    subs = subpaths(pkg);
    // Declared runtime dependencies only, plus @types/node, which a TS consumer of a Node library has,
    // plus the optional peers (Pulumi, CDK), which a user of ./pulumi or ./cdk installs. The "light"
    // consumer below has no peers: there every other subpath must load.
    const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
    linkDeps(consumer, [...deps, ...Object.keys(pkg.peerDependencies ?? {}), "@types/node"]);
  }, 300_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("holds every exports target and declaration, the license and readmes, and no maps or sources", () => {
    const files = new Set(packed.files);
    expect(subs.length).toBeGreaterThan(1);
    for (const s of subs) {
      expect(files, s.esmTarget).toContain(s.esmTarget);
      expect(files, s.cjsTarget).toContain(s.cjsTarget);
      if (s.json) continue;
      for (const f of [s.esmTarget.replace(/\.js$/, ".d.ts"), s.cjsTarget.replace(/\.cjs$/, ".d.cts")]) {
        expect(files, f).toContain(f);
      }
    }
    for (const f of ["LICENSE", "README.md", "README.ja.md", "package.json"]) expect(files, f).toContain(f);
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toContain(
      "Apache License\n                           Version 2.0",
    );
    expect(packed.files.filter((f) => f.endsWith(".map") || /^(src|test|bench|scripts)\//.test(f))).toEqual(
      [],
    );
  });

  let esm: Loaded;
  let cjs: Loaded;

  it("every subpath loads with import, from the installed copy", () => {
    const script = `const specs = ${JSON.stringify(subs.map((s) => ({ specifier: s.specifier, json: s.json })))};
const out = {};
for (const { specifier, json } of specs) {
  const ns = json ? await import(specifier, { with: { type: "json" } }) : await import(specifier);
  out[specifier] = { file: new URL(import.meta.resolve(specifier)).pathname, names: Object.keys(ns).sort() };
}
console.log(JSON.stringify(out));`;
    writeFileSync(join(consumer, "load.mjs"), script);
    esm = JSON.parse(run(process.execPath, ["--no-warnings", "load.mjs"], consumer));
    for (const s of subs) {
      expect(esm[s.specifier]?.file, s.specifier).toBe(join(installed, s.esmTarget));
      if (!s.json) expect(esm[s.specifier]!.names.length, s.specifier).toBeGreaterThan(0);
    }
  });

  it("every subpath loads with require, with the same exported names as import", () => {
    const script = `const specs = ${JSON.stringify(subs.map((s) => s.specifier))};
const out = {};
for (const specifier of specs) {
  const mod = require(specifier);
  out[specifier] = { file: require.resolve(specifier), names: Object.keys(mod).filter((n) => n !== "__esModule").sort() };
}
console.log(JSON.stringify(out));`;
    writeFileSync(join(consumer, "load.cjs"), script);
    cjs = JSON.parse(run(process.execPath, ["load.cjs"], consumer));
    for (const s of subs) {
      expect(cjs[s.specifier]?.file, s.specifier).toBe(join(installed, s.cjsTarget));
      if (!s.json) expect(cjs[s.specifier]!.names, s.specifier).toEqual(esm[s.specifier]!.names);
    }
  });

  it("without the optional peers, every subpath but ./pulumi and ./cdk loads (import and require); those two name their peer", () => {
    const light = join(tmp, "light");
    const pkgDir = join(light, "node_modules", pkg.name);
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(join(light, "package.json"), `${JSON.stringify({ name: "light", private: true })}\n`);
    run("tar", ["-xzf", join(tmp, packed.filename), "-C", pkgDir, "--strip-components=1"], tmp);
    linkDeps(light, [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const iac = new Set([`${pkg.name}/pulumi`, `${pkg.name}/cdk`]);
    const core = subs.filter((s) => !s.json && !iac.has(s.specifier)).map((s) => s.specifier);
    writeFileSync(
      join(light, "load.mjs"),
      `for (const s of ${JSON.stringify(core)}) await import(s);
const why = {};
for (const s of ${JSON.stringify([...iac])}) { try { await import(s); why[s] = "loaded"; } catch (e) { why[s] = e.code + " " + e.message; } }
console.log(JSON.stringify(why));`,
    );
    writeFileSync(join(light, "load.cjs"), `for (const s of ${JSON.stringify(core)}) require(s);\nconsole.log("ok");`);
    const why = JSON.parse(run(process.execPath, ["--no-warnings", "load.mjs"], light)) as Record<string, string>;
    expect(why[`${pkg.name}/pulumi`]).toMatch(/^ERR_MODULE_NOT_FOUND .*'@pulumi\/pulumi'/);
    expect(why[`${pkg.name}/cdk`]).toMatch(/^ERR_MODULE_NOT_FOUND .*'aws-cdk-lib'/);
    expect(run(process.execPath, ["load.cjs"], light).trim()).toBe("ok");
  });

  it("a strict nodenext TypeScript consumer type-checks every subpath, ESM and CJS, types matching runtime", () => {
    // For each module subpath: the value exports TS sees are exactly the names loaded at run time
    // (a missing one fails `all`, an extra one fails `noExtra` naming it), and the module is not `any`.
    const iacSpecs = new Set([`${pkg.name}/pulumi`, `${pkg.name}/cdk`]);
    const core = subs.filter((s) => !iacSpecs.has(s.specifier));
    const iacSubs = subs.filter((s) => iacSpecs.has(s.specifier));
    const checks = (kind: "esm" | "cjs", list = core) =>
      list
        .map((s, i) => {
          const names = (kind === "esm" ? esm : cjs)[s.specifier]!.names;
          const imp =
            kind === "esm"
              ? s.json
                ? `import m${i} from ${JSON.stringify(s.specifier)} with { type: "json" };`
                : `import * as m${i} from ${JSON.stringify(s.specifier)};`
              : `import m${i} = require(${JSON.stringify(s.specifier)});`;
          if (s.json) return `${imp}\nexport const name${i}: string = m${i}.name;`;
          const union = names.map((n) => JSON.stringify(n)).join(" | ");
          return `${imp}
export const all${i}: (keyof typeof m${i})[] = [${names.map((n) => JSON.stringify(n)).join(", ")}];
type Extra${i} = Exclude<keyof typeof m${i}, ${union}>;
export const noExtra${i}: [Extra${i}] extends [never] ? "none" : Extra${i} = "none";
export const typed${i}: IsAny<typeof m${i}> = false;`;
        })
        .join("\n");
    const isAny = "type IsAny<T> = 0 extends 1 & T ? true : false;\n";
    writeFileSync(join(consumer, "esm.mts"), `${isAny}${checks("esm")}\n`);
    writeFileSync(join(consumer, "cjs.cts"), `${isAny}${checks("cjs")}\n`);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2022"],
          types: ["node"],
          noEmit: true,
          skipLibCheck: false,
          resolveJsonModule: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
        },
        files: ["esm.mts", "cjs.cts"],
      }),
    );
    // ./pulumi and ./cdk: the same checks, in a project with skipLibCheck on, since aws-cdk-lib's own
    // declarations do not pass skipLibCheck off under these options (TS2420/TS2415 in its classes).
    writeFileSync(join(consumer, "esm-iac.mts"), `${isAny}${checks("esm", iacSubs)}\n`);
    writeFileSync(join(consumer, "cjs-iac.cts"), `${isAny}${checks("cjs", iacSubs)}\n`);
    const strict = JSON.parse(readFileSync(join(consumer, "tsconfig.json"), "utf8"));
    writeFileSync(
      join(consumer, "tsconfig.iac.json"),
      JSON.stringify({
        compilerOptions: { ...strict.compilerOptions, skipLibCheck: true },
        files: ["esm-iac.mts", "cjs-iac.cts"],
      }),
    );
    const tsc = join(projectRoot, "node_modules", "typescript", "bin", "tsc");
    // Fails on any type error; --listFiles shows which declarations were used.
    const out =
      run(process.execPath, [tsc, "-p", "tsconfig.iac.json", "--listFiles"], consumer) +
      run(process.execPath, [tsc, "-p", "tsconfig.json", "--listFiles"], consumer);
    // The declarations came from the installed tarball: .d.ts for import, .d.cts for require.
    for (const s of subs.filter((x) => !x.json)) {
      expect(out, s.specifier).toContain(join(installed, s.esmTarget.replace(/\.js$/, ".d.ts")));
      expect(out, s.specifier).toContain(join(installed, s.cjsTarget.replace(/\.cjs$/, ".d.cts")));
    }
  });
});
