/**
 * An extra check, outside the test suite: the older shared Go text/template corpus (kept beside
 * the repository, not in it), run through the engine. The suite's own conformance corpus is
 * test/conformance (test/unit/template/corpus.test.ts); this adds cases where such a file is at
 * hand. Run: `SHARED_CORPUS=/path/corpus.public.json npm run test:shared-corpus`. Known
 * differences: the "Shared corpus" section of test/template/known-differences.md.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../src/errors/index.js";
import { attempt, knownDifferences } from "../unit/template/conformance.js";
import { render } from "../unit/template/corpus-adapter.js";

interface SharedCase {
  name: string;
  main: string;
  templates: Record<string, string>;
  exec?: string;
  data: unknown;
  funcs?: string[];
  options?: string[];
  delims?: [string, string];
  expected?: string;
  error?: boolean;
  errorMessage?: string;
}
// The file is named by SHARED_CORPUS, always: this check assumes nothing outside the repository.
if (!process.env.SHARED_CORPUS) throw new Error("set SHARED_CORPUS to the corpus file (corpus.public.json)");
const sharedPath = resolve(process.env.SHARED_CORPUS);
const known = knownDifferences();

describe(`extra: shared Go text/template corpus (${sharedPath})`, () => {
  const shared = (JSON.parse(readFileSync(sharedPath, "utf8")) as { cases: SharedCase[] }).cases;
  it("every shared known difference names a shared case", () => {
    const names = new Set(shared.map((c) => c.name));
    for (const n of known.shared.keys()) expect(names.has(n), n).toBe(true);
  });
  for (const c of shared) {
    const differs = known.shared.get(c.name);
    it(`${differs ? "[known difference] " : ""}${c.name}`, () => {
      const r = attempt(() =>
        render(c.templates, c.main, c.data, {
          funcs: c.funcs ?? [],
          options: c.options ?? [],
          delims: c.delims ?? null,
          exec: c.exec ?? null,
        }),
      );
      const matches = c.error ? !r.ok : r.ok && r.out === c.expected;
      if (differs) {
        expect(matches, differs).toBe(false);
        return;
      }
      if (c.error) {
        expect(r.ok, `Go 1.19 failed with: ${c.errorMessage}`).toBe(false);
        if (!r.ok) expect(isKitError(r.error), String(r.error)).toBe(true);
      } else {
        if (!r.ok) throw r.error;
        expect(r.out).toBe(c.expected);
      }
    });
  }
});
