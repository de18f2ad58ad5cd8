/**
 * The module boundaries, checked from the source (issue 13): across modules only
 * `../<module>/index.js` and `../internal/…` may be imported; no module imports its way back to
 * itself (no cycles between modules, none between files); type-only imports count too, since a
 * private type is a private file all the same.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../helpers/dist.js";

const src = join(projectRoot, "src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2])!;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
  }
  return out;
}

/** The module a file belongs to: its first folder under src (`internal` included), or "" for src/index.ts. */
const moduleOf = (file: string) => {
  const rel = relative(src, file).split("/");
  return rel.length === 1 ? "" : rel[0]!;
};

const all = files(src);
const graph = new Map(all.map((f) => [f, importsOf(f)]));

describe("architecture", () => {
  it("across modules, only index.ts (or internal/) is imported", () => {
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const from = moduleOf(file);
        const to = moduleOf(dep);
        if (from === to || to === "internal") continue;
        if (relative(src, dep) !== `${to}/index.ts`) bad.push(`${relative(src, file)} → ${relative(src, dep)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("internal/ imports no module but errors", () => {
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      if (moduleOf(file) !== "internal") continue;
      for (const dep of deps) {
        const to = moduleOf(dep);
        if (to !== "internal" && relative(src, dep) !== "errors/index.ts") bad.push(`${relative(src, file)} → ${relative(src, dep)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("no cycles between modules", () => {
    const edges = new Map<string, Set<string>>();
    for (const [file, deps] of graph) {
      const from = moduleOf(file);
      for (const dep of deps) {
        const to = moduleOf(dep);
        if (from !== to) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    expect(findCycle(edges)).toEqual([]);
  });

  it("no cycles between files", () => {
    const edges = new Map([...graph].map(([f, deps]) => [relative(src, f), new Set(deps.map((d) => relative(src, d)))]));
    expect(findCycle(edges)).toEqual([]);
  });
});

/** The first cycle found by depth-first search, as a path, or []. */
function findCycle(edges: Map<string, Set<string>>): string[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of [...edges.keys()].sort()) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return [];
}
