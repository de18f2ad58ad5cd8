/**
 * The Go-shaped API around the engine: Template methods, errors with Go's wording and positions,
 * options, custom functions (plain and Go-typed), current-Go features, the recursion limit.
 */
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  float64,
  goFunc,
  renderTemplate,
  Template,
  TemplateExecError,
  TemplateParseError,
} from "../../../src/template/index.js";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("Template API", () => {
  it("parse/new/lookup/templates/name/executeTemplate work like Go", () => {
    const root = new Template("main");
    expect(root.parse('{{define "a"}}A{{.}}{{end}}main:{{template "a" .x}}')).toBe(root);
    root.new("b").parse('B{{template "a" 2}}');
    expect(root.name()).toBe("main");
    expect(root.execute({ x: 1 })).toBe("main:A1");
    expect(root.executeTemplate("b", null)).toBe("BA2");
    expect(root.lookup("a")?.name()).toBe("a");
    expect(root.lookup("nope")).toBeUndefined();
    expect(root.templates().map((t) => t.name()).sort()).toEqual(["a", "b", "main"]);
    expect(root.definedTemplates()).toContain('"a"');
  });

  it("a later non-empty define replaces an earlier one; an empty one does not", () => {
    const root = new Template("main").parse('{{define "x"}}one{{end}}{{template "x"}}');
    root.new("over").parse('{{define "x"}}two{{end}}');
    expect(root.execute(null)).toBe("two");
    root.new("blank").parse('{{define "x"}}  {{end}}');
    expect(root.execute(null)).toBe("two");
  });

  it("executeTemplate of an unknown name and execute of an unparsed template are exec errors", () => {
    const t = new Template("t");
    const e1 = thrown(() => t.execute({}));
    expect(isKitError(e1, "TEMPLATE_EXEC")).toBe(true);
    expect((e1 as Error).message).toBe('template: t: "t" is an incomplete or empty template');
    t.parse("x");
    const e2 = thrown(() => t.executeTemplate("zz", {}));
    expect((e2 as Error).message).toBe('template: no template "zz" associated with template "t"');
  });

  it("parse errors carry Go's wording, template name and line", () => {
    const e = thrown(() => new Template("cfg").parse("line1\n{{if .x}}\n{{end}\n"));
    expect(e).toBeInstanceOf(TemplateParseError);
    const pe = e as TemplateParseError;
    expect(pe.code).toBe("TEMPLATE_PARSE");
    expect(pe.templateName).toBe("cfg");
    expect(pe.line).toBe(3);
    expect(pe.message).toMatch(/^template: cfg:3: /);
    const undef = thrown(() => new Template("t").parse("{{nofunc 1}}")) as Error;
    expect(undef.message).toBe('template: t:1: function "nofunc" not defined');
  });

  it("exec errors carry Go's location form and the executing template", () => {
    const t = new Template("main").parse('{{define "inner"}}\n  {{index .l 5}}{{end}}{{template "inner" .}}');
    const e = thrown(() => t.execute({ l: [1] })) as TemplateExecError;
    expect(e).toBeInstanceOf(TemplateExecError);
    expect(e.code).toBe("TEMPLATE_EXEC");
    expect(e.templateName).toBe("inner");
    expect(e.line).toBe(2);
    expect(e.column).toBe(4);
    expect(e.message).toBe('template: main:2:4: executing "inner" at <index .l 5>: error calling index: index out of range: 5');
  });

  it("option: missingkey modes, and unknown options throw", () => {
    const src = "{{.a}}|{{.b.c}}";
    expect(new Template("t").parse(src).execute({})).toBe("<no value>|<no value>");
    expect(new Template("t").option("missingkey=zero").parse("{{.a}}").execute({})).toBe("<no value>");
    const err = thrown(() => new Template("t").option("missingkey=error").parse(src).execute({}));
    expect((err as Error).message).toContain('map has no entry for key "a"');
    for (const bad of ["missingkey=nope", "other=1", ""]) {
      expect(isKitError(thrown(() => new Template("t").option(bad)), "TEMPLATE_OPTION_INVALID")).toBe(true);
    }
  });

  it("delims: custom delimiters, inherited by new()", () => {
    const t = new Template("t").delims("[[", "]]").parse("[[.a]] {{.a}} [[- template \"b\" . ]]");
    t.new("b").parse("<[[.a]]>");
    expect(t.execute({ a: 1 })).toBe("1 {{.a}}<1>");
  });

  it("funcs: plain JS functions, Go-typed functions and their argument errors", () => {
    const t = new Template("t").funcs({
      upper: (s: string) => s.toUpperCase(),
      join: goFunc(["string", "...string"], "string", (sep: string, ...xs: string[]) => xs.join(sep)),
      half: goFunc(["int"], "float64", (n: number) => n / 2),
      fail: goFunc([], "string", () => {
        throw new Error("boom");
      }),
    });
    t.parse('{{upper "a"}} {{join "," "x" "y"}} {{half 4 | printf "%T"}} {{half 4}} {{half 5}}');
    expect(t.execute(null)).toBe("A x,y float64 2 2.5");
    const wrong = thrown(() => t.new("w").parse("{{join 1}}").execute(null)) as Error;
    expect(wrong.message).toContain("expected string; found 1");
    const bad = thrown(() => t.new("w2").parse("{{join .n}}").execute({ n: 3 })) as Error;
    expect(bad.message).toContain("wrong type for value; expected string; got int");
    const err = thrown(() => t.new("f").parse("{{fail}}").execute(null)) as Error;
    expect(err.message).toContain("error calling fail: boom");
    expect(isKitError(thrown(() => t.funcs({ "bad-name": () => 1 })), "TEMPLATE_FUNC")).toBe(true);
    expect(isKitError(thrown(() => t.funcs({ x: 3 as never })), "TEMPLATE_FUNC")).toBe(true);
  });

  it("call invokes function values from the data", () => {
    const data = { f: goFunc(["string", "string"], "string", (a: string, b: string) => `${a}+${b}`), g: (x: unknown) => [x] };
    expect(renderTemplate('{{call .f "a" "b"}} {{call .g 1}}', data)).toBe("a+b [1]");
    expect(isKitError(thrown(() => renderTemplate("{{call .f 1 2}}", data)), "TEMPLATE_EXEC")).toBe(true);
  });

  it("float64 marks Go floats", () => {
    expect(renderTemplate("{{.}}", float64(1e6))).toBe("1e+06");
    expect(renderTemplate("{{.}}", 1e6)).toBe("1000000");
    expect(renderTemplate('{{printf "%d" .}}', float64(3))).toBe("%!d(float64=3)");
    expect(isKitError(thrown(() => renderTemplate("{{eq 3 .}}", float64(3))), "TEMPLATE_EXEC")).toBe(true);
  });

  it("follows current Go: else with, range over an integer", () => {
    expect(renderTemplate("{{with .a}}A{{else with .b}}B{{.}}{{else}}C{{end}}", { b: 2 })).toBe("B2");
    expect(renderTemplate("{{range $i := 3}}{{$i}}{{end}}|{{range 0}}x{{else}}none{{end}}", null)).toBe("012|none");
    expect(isKitError(thrown(() => renderTemplate("{{range $i, $e := 3}}{{end}}", null)), "TEMPLATE_EXEC")).toBe(true);
    expect(isKitError(thrown(() => renderTemplate("{{if 1}}{{else with 2}}{{end}}", null)), "TEMPLATE_PARSE")).toBe(true);
  });

  it("break and continue inside nested ranges", () => {
    const out = renderTemplate(
      "{{range .}}{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}};{{end}}",
      [
        [1, 2, 3],
        [4, 5],
      ],
    );
    expect(out).toBe("13;;");
  });

  it("variables: := and = with Go's scoping", () => {
    const out = renderTemplate("{{$x := 1}}{{range .}}{{$x = .}}{{$y := .}}{{end}}{{$x}}{{with 5}}{{$x := .}}{{$x}}{{end}}{{$x}}", [7, 8]);
    expect(out).toBe("858");
  });

  it("unbounded recursion is a typed exec error, not a crash", () => {
    const e = thrown(() => renderTemplate('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}', null)) as Error;
    expect(isKitError(e, "TEMPLATE_EXEC")).toBe(true);
    expect(e.message).toContain("exceeded maximum template depth (100000)");
  });

  it("absurdly deep nesting is a typed error, not a stack overflow", () => {
    const n = 50000;
    const ifs = thrown(() => renderTemplate(`${"{{if 1}}".repeat(n)}x${"{{end}}".repeat(n)}`, null));
    expect(isKitError(ifs, "TEMPLATE_PARSE")).toBe(true);
    const parens = thrown(() => renderTemplate(`{{print ${"(".repeat(n)}1${")".repeat(n)}}}`, null));
    expect(isKitError(parens, "TEMPLATE_PARSE")).toBe(true);
    expect(renderTemplate(`${"{{if 1}}".repeat(200)}x${"{{end}}".repeat(200)}`, null)).toBe("x");
  });

  it("renderTemplate accepts name, funcs, options, delims and extra templates", () => {
    const out = renderTemplate('<<template "base" .>>!', { v: "ok" }, {
      name: "user",
      delims: ["<<", ">>"],
      templates: { base: "base=<<.v | up>>" },
      funcs: { up: (s: string) => s.toUpperCase() },
      options: ["missingkey=error"],
    });
    expect(out).toBe("base=OK!");
  });

  it("JS data edge values render without untyped errors", () => {
    expect(renderTemplate("{{.a}} {{.b}} {{len .c}} {{index .d 1}}", { a: 10n, b: undefined, c: "héllo", d: "abc" })).toBe(
      "10 <no value> 6 98",
    );
  });
});
