/** Go struct values (goStruct/goNil) without a Go toolchain; the oracle test checks them against Go. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { goNil, goStruct, renderTemplate, Template, withElemZero, withGoType } from "../../../src/template/index.js";

function execErr(text: string, data: unknown, options: string[] = []): string {
  const t = new Template("t");
  for (const o of options) t.option(o);
  t.parse(text);
  try {
    t.execute(data);
  } catch (e) {
    expect(isKitError(e, "TEMPLATE_EXEC"), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error("expected an exec error");
}

describe("goStruct / goNil", () => {
  const inner = goStruct({ B: "b", A: 1 }, "pkg.Inner");
  const dot = goStruct({ In: inner, P: goNil("*pkg.Inner", ["B", "A"]), M: withGoType({}, "map[string]string") }, "*pkg.T");

  it("keeps declaration (key) order in %v/%+v/%#v and names the type in %T", () => {
    expect(renderTemplate('{{printf "%v|%+v|%#v|%T" .In .In .In .}}', dot)).toBe(
      '{b 1}|{B:b A:1}|pkg.Inner{B:"b", A:1}|*pkg.T',
    );
    expect(renderTemplate('{{printf "%v" .}}|{{.}}', dot)).toBe("&{{b 1} <nil> map[]}|{{b 1} <nil> map[]}");
  });

  it("unknown fields are errors whatever missingkey says; map fields keep map rules", () => {
    for (const opt of [[], ["missingkey=zero"], ["missingkey=error"]]) {
      expect(execErr("{{.In.C}}", dot, opt)).toBe(
        'template: t:1:5: executing "t" at <.In.C>: can\'t evaluate field C in type pkg.Inner',
      );
    }
    expect(renderTemplate("{{.M.x}}", dot)).toBe("<no value>");
    expect(execErr("{{.M.x}}", dot, ["missingkey=error"])).toContain('map has no entry for key "x"');
  });

  it("typed nil pointers: Go's nil-pointer error for a field, can't evaluate for a non-field", () => {
    expect(execErr("{{.P.A}}", dot)).toContain("nil pointer evaluating *pkg.Inner.A");
    expect(execErr("{{.P.Z}}", dot)).toContain("can't evaluate field Z in type *pkg.Inner");
    expect(execErr("{{index .P 0}}|", dot)).toContain("index of nil pointer");
    expect(execErr("{{len .In}}", dot)).toContain("len of type pkg.Inner");
    expect(execErr("{{range .In}}{{end}}", dot)).toContain("range can't iterate over {b 1}");
  });

  it("truthiness, JSON and the caller's object", () => {
    // A struct with no fields is still true (an empty map would be false).
    expect(renderTemplate("{{if mk}}t{{else}}f{{end}}", {}, { funcs: { mk: () => goStruct({}, "pkg.E") } })).toBe("t");
    expect(renderTemplate("{{if mk}}t{{else}}f{{end}}", {}, { funcs: { mk: () => ({}) } })).toBe("f");
    expect(renderTemplate("{{if .E}}t{{end}}{{if .P}}p{{end}}{{with .P}}w{{else}}nil{{end}}", { E: goStruct({}, "pkg.E"), P: goNil("*pkg.E") })).toBe("tnil");
    expect(JSON.stringify({ p: goNil("*pkg.E") })).toBe('{"p":null}');
    expect(Object.keys(inner)).toEqual(["B", "A"]);
  });
});

describe("struct data under random templates", () => {
  it("only ever fails with typed template errors (fixed seed)", () => {
    const inner = goStruct({ B: "b", A: 1, L: withGoType(["x"], "[]string") }, "pkg.Inner");
    const dot = goStruct(
      {
        In: inner,
        Ptr: goStruct({ B: "p", A: 2, L: withGoType([], "[]string") }, "*pkg.Inner"),
        Nil: goNil("*pkg.Inner", ["B", "A", "L"]),
        M: withElemZero(withGoType({ k: inner }, "map[string]pkg.Inner"), () => goStruct({ B: "", A: 0, L: withGoType([], "[]string") }, "pkg.Inner")),
        E: goStruct({}, "pkg.E"),
      },
      "*pkg.T",
    );
    const operand = fc.constantFrom(".", "$", ".In", ".Ptr", ".Nil", ".M", ".E", ".In.B", ".Ptr.A", ".Nil.B", ".M.k", ".M.zz", ".In.Z", ".Nil.Z", ".In.L", "nil", "1", '"s"');
    const fn = fc.constantFrom("len", "index", "slice", "eq", "ne", "lt", "not", "and", "or", "print", "html", "js", "urlquery", 'printf "%v %+v %#v %T %d %s"');
    const action = fc.oneof(
      operand.map((o) => `{{${o}}}`),
      fc.tuple(fn, operand, operand).map(([f, a, b]) => `{{${f} ${a} ${b}}}`),
      fc.tuple(operand, operand).map(([a, b]) => `{{range ${a}}}{{.}}{{else}}-{{end}}{{with ${b}}}{{.}}{{end}}{{if ${a}}}t{{end}}`),
    );
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 4 }), (parts) => {
        try {
          renderTemplate(parts.join(""), dot);
        } catch (e) {
          expect(isKitError(e, "TEMPLATE_EXEC") || isKitError(e, "TEMPLATE_PARSE"), String(e)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
