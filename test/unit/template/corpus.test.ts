/**
 * Runs the project's Go text/template conformance corpus (test/conformance: cases ported from Go's
 * own text/template tests plus project-written ones, with real Go 1.19.8 results) through the
 * engine: outputs byte for byte, failures with Go's message word for word. Cases listed in
 * test/template/known-differences.md must still differ, in the way the list says.
 *
 * The older shared corpus beside the repository is not part of the suite (no test depends on
 * anything outside the repository): `npm run test:shared-corpus` runs it as an extra check.
 */
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  type ConformanceCase,
  type GoResult,
  attempt,
  knownDifferences,
  loadCases,
  loadExpected,
  renderCase,
} from "./conformance.js";

const known = knownDifferences();

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
