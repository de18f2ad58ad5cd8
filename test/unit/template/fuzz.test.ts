/**
 * Fuzz: random template texts and random data never make the engine throw anything but a typed
 * KitError (TEMPLATE_PARSE / TEMPLATE_EXEC), never hang, and rendering is deterministic.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { Template } from "../../../src/template/index.js";

const pieces = [
  "{{", "}}", "{{- ", " -}}", "{{/*", "*/}}", " ", "\n", "x", ".", ".a", ".a.b", "$", "$x", ":=", "=", "|",
  "(", ")", '"s"', "'c'", "`r`", "1", "-2", "1.5", "0x1F", "1e3", "2i", "nil", "true", "if", "else", "end",
  "range", "with", "define", "template", "block", "break", "continue", "printf", "print", "len", "index",
  "slice", "eq", "lt", "and", "or", "not", "call", "html", "js", "urlquery", '"t"', ",", "%v", '"%d"', "\\",
];

const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((xs) => xs.join(""));
const mixedArb = fc.oneof(textArb, fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }));

function outcome(text: string, data: unknown): { ok: boolean; out?: string; code?: string } {
  try {
    const t = new Template("fuzz").parse(text);
    return { ok: true, out: t.execute(data) };
  } catch (e) {
    if (!isKitError(e)) throw new Error(`untyped error for ${JSON.stringify(text)}: ${String(e)}`);
    expect(["TEMPLATE_PARSE", "TEMPLATE_EXEC"]).toContain(e.code);
    return { ok: false, code: e.code };
  }
}

describe("template fuzz", () => {
  it("random texts only ever fail with typed template errors", () => {
    fc.assert(
      fc.property(mixedArb, fc.jsonValue({ maxDepth: 3 }), (text, data) => {
        const a = outcome(text, data);
        const b = outcome(text, data);
        expect(b).toEqual(a);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it("random well-formed actions over random data only fail with typed errors", () => {
    const operand = fc.constantFrom(".", ".a", ".a.b", "$", "1", '"s"', "nil", ".x.y.z", "(index . 0)", "(len .)");
    const fn = fc.constantFrom("len", "index", "slice", "eq", "lt", "and", "or", "not", "print", "printf", "html", "js", "urlquery", "call");
    const action = fc
      .tuple(fn, fc.array(operand, { maxLength: 3 }))
      .map(([f, args]) => `{{${f} ${args.join(" ")}}}{{range .}}{{.}}{{end}}{{with .a}}{{.}}{{end}}`);
    fc.assert(
      fc.property(action, fc.jsonValue({ maxDepth: 3 }), (text, data) => {
        outcome(text, data);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
