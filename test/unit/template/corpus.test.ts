/**
 * Runs every case of the shared Go text/template corpus (real Go 1.19 output) through our engine.
 * Cases listed in test/template/known-differences.md must still differ (current-Go behaviour).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { render } from "./corpus-adapter.js";

interface Case {
  name: string;
  tags?: string[];
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

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const corpusPath = resolve(root, "../shared/gotemplate/corpus.public.json");
const corpus = JSON.parse(readFileSync(corpusPath, "utf8")) as { cases: Case[] };

/** Names from `- \`case name\`: reason` bullets. */
function knownDifferences(): Map<string, string> {
  const text = readFileSync(resolve(root, "test/template/known-differences.md"), "utf8");
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^- `([^`]+)`:\s*(.+)$/.exec(line);
    if (m) out.set(m[1] as string, m[2] as string);
  }
  return out;
}
const known = knownDifferences();

type Outcome = { ok: true; out: string } | { ok: false; error: unknown };

function run(c: Case): Outcome {
  try {
    const out = render(c.templates, c.main, c.data, {
      funcs: c.funcs ?? [],
      options: c.options ?? [],
      delims: c.delims ?? null,
      exec: c.exec ?? null,
    });
    return { ok: true, out };
  } catch (error) {
    return { ok: false, error };
  }
}

const groupOf = (name: string): string => {
  const p = name.split("/");
  return p[0] === "hand" || p[0] === "k3s" ? `${p[0]}/${p[1]}` : (p[0] as string);
};

const groups = new Map<string, Case[]>();
for (const c of corpus.cases) {
  const g = groupOf(c.name);
  const list = groups.get(g) ?? [];
  list.push(c);
  groups.set(g, list);
}

describe("Go text/template corpus", () => {
  it("has the 813 cases and every known difference names a real case", () => {
    expect(corpus.cases.length).toBe(813);
    const names = new Set(corpus.cases.map((c) => c.name));
    for (const n of known.keys()) expect(names.has(n), n).toBe(true);
  });

  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        const differs = known.has(c.name);
        it(`${differs ? "[known difference] " : ""}${c.name}`, () => {
          const r = run(c);
          const matches = c.error ? !r.ok : r.ok && r.out === c.expected;
          if (differs) {
            // Must still differ from Go 1.19 (we follow current Go here).
            expect(matches, known.get(c.name)).toBe(false);
            return;
          }
          if (c.error) {
            expect(r.ok, `Go 1.19 failed with: ${c.errorMessage}`).toBe(false);
            // Every failure is a typed error with a stable code.
            if (!r.ok) expect(isKitError(r.error), String(r.error)).toBe(true);
          } else {
            if (!r.ok) throw r.error;
            expect(r.out).toBe(c.expected);
          }
        });
      }
    });
  }
});
