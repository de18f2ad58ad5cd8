import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../helpers/dist.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("docs/errors.md", () => {
  it("lists every error code the source throws", () => {
    const docs = readFileSync(join(projectRoot, "docs", "errors.md"), "utf8");
    const thrown = new Set<string>();
    // `new SomeError("CODE", ...)` with a literal code; codes built in variables are typed unions checked by tsc.
    const re = /new [A-Z][A-Za-z]*Error\(\s*"([A-Z][A-Z0-9_]{2,})"/g;
    for (const file of sourceFiles(join(projectRoot, "src"))) {
      for (const m of readFileSync(file, "utf8").matchAll(re)) thrown.add(m[1]!);
    }
    expect(thrown.size).toBeGreaterThan(50);
    const missing = [...thrown].filter((code) => !docs.includes(`\`${code}\``)).sort();
    expect(missing).toEqual([]);
  });
});
