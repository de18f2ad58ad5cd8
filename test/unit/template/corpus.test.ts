/**
 * Runs the project's Go text/template conformance corpus (test/conformance: cases ported from Go's
 * own text/template tests plus project-written ones, with real Go 1.19.8 results) through the
 * engine: outputs byte for byte, failures with Go's message word for word. Cases listed in
 * test/template/known-differences.md must still differ, in the way the list says.
 *
 * The older shared corpus (../shared/gotemplate) runs as an extra layer only where it exists.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  type ConformanceCase,
  type GoResult,
  loadCases,
  loadExpected,
  renderCase,
  repoRoot,
} from "./conformance.js";
import { render } from "./corpus-adapter.js";

type Section = "behaviour" | "messages" | "shared";

/** `- \`case name\`: reason` bullets, by section (## Behaviour / ## Error messages / ## Shared corpus). */
function knownDifferences(): Record<Section, Map<string, string>> {
  const text = readFileSync(resolve(repoRoot, "test/template/known-differences.md"), "utf8");
  const out: Record<Section, Map<string, string>> = {
    behaviour: new Map(),
    messages: new Map(),
    shared: new Map(),
  };
  let section: Section | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("## ")) {
      const h = line.toLowerCase();
      section = h.includes("message")
        ? "messages"
        : h.includes("shared")
          ? "shared"
          : h.includes("behaviour")
            ? "behaviour"
            : null;
      continue;
    }
    // `name` or `` name with a ` in it ``
    const m = /^- (?:`` (.+?) ``|`([^`]+)`):\s*(.+)$/.exec(line);
    if (!m) continue;
    if (section === null) throw new Error(`known-differences.md: bullet outside a section: ${line}`);
    out[section].set((m[1] ?? m[2]) as string, m[3] as string);
  }
  return out;
}
const known = knownDifferences();

type Outcome = { ok: true; out: string } | { ok: false; error: unknown };
function attempt(f: () => string): Outcome {
  try {
    return { ok: true, out: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

const files = loadCases();
const all: ConformanceCase[] = files.flatMap((f) => f.cases);
const expected = loadExpected();
const byName = new Map<string, GoResult>(expected.results.map((r) => [r.name, r]));

const groupOf = (name: string): string => {
  const p = name.split("/");
  return p[0] === "project" ? `${p[0]}/${p[1]}` : (p[0] as string);
};

describe("Go text/template conformance corpus (test/conformance)", () => {
  it("has Go's result for every case, in order, and the known differences name real cases", () => {
    expect(all.length).toBeGreaterThanOrEqual(900);
    expect(expected.go).toBe("go1.19.8");
    expect(expected.results.map((r) => r.name)).toEqual(all.map((c) => c.name));
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    const upstream = all.filter((c) => c.tags?.some((t) => t.startsWith("upstream:"))).length;
    expect(upstream).toBeGreaterThanOrEqual(680);
    for (const n of [...known.behaviour.keys(), ...known.messages.keys()])
      expect(byName.has(n), n).toBe(true);
  });

  const groups = new Map<string, ConformanceCase[]>();
  for (const c of all) groups.set(groupOf(c.name), [...(groups.get(groupOf(c.name)) ?? []), c]);

  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        const go = byName.get(c.name) as GoResult;
        const behaviour = known.behaviour.get(c.name);
        const message = known.messages.get(c.name);
        const label = behaviour ? "[known difference] " : message ? "[message differs] " : "";
        it(`${label}${c.name}`, () => {
          const r = attempt(() => renderCase(c));
          // Go prints real addresses for nested pointers/funcs; the oracle wrote them as 0xADDR.
          const out =
            r.ok && go.addresses ? r.out.replace(/0x[0-9a-f]+/g, "0xADDR") : r.ok ? r.out : undefined;
          if (behaviour) {
            // Must still differ from Go 1.19 (we follow current Go here).
            const same = go.error ? !r.ok : out === go.expected;
            expect(same, behaviour).toBe(false);
            return;
          }
          if (go.error) {
            expect(
              r.ok,
              `Go 1.19 failed (${go.errorPhase}): ${go.errorMessage}; we rendered ${JSON.stringify(out)}`,
            ).toBe(false);
            if (r.ok) return;
            // Every failure is a typed error with a stable code ...
            expect(isKitError(r.error), String(r.error)).toBe(true);
            const msg = (r.error as Error).message;
            // ... and says what Go says, unless the list explains why not.
            if (message) expect(msg, message).not.toBe(go.errorMessage);
            else expect(msg).toBe(go.errorMessage);
          } else {
            if (!r.ok) throw r.error;
            expect(out).toBe(go.expected);
            expect(message, "listed as a message difference but Go renders it").toBeUndefined();
          }
        });
      }
    });
  }
});

// ---- Extra layer: the shared corpus, only where the sibling directory exists.

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
const sharedPath = resolve(repoRoot, "../shared/gotemplate/corpus.public.json");
const hasShared = existsSync(sharedPath);

describe.skipIf(!hasShared)("extra layer: shared Go text/template corpus (../shared/gotemplate)", () => {
  const shared = hasShared
    ? (JSON.parse(readFileSync(sharedPath, "utf8")) as { cases: SharedCase[] }).cases
    : [];
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
