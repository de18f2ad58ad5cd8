/**
 * Issue 12, trust at the boundary, `k3s-node-kit/template`: every export and every Template method
 * checks its arguments once at entry and throws only a typed TemplateError (TEMPLATE_ARGUMENT_INVALID,
 * TEMPLATE_OPTION_INVALID, TEMPLATE_FUNC, TEMPLATE_PARSE, TEMPLATE_EXEC). Each test names its
 * attack; before the checks these were TypeErrors from inside (or the caller's raw Error).
 */
import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  GoFunc,
  Template,
  TemplateArgumentError,
  TemplateError,
  float64,
  goFunc,
  goNil,
  goStruct,
  renderTemplate,
  withElemZero,
  withGoType,
} from "../../../src/template/index.js";

const BIG = "a".repeat(4 << 20);

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    // Only the SDK's template errors, never a TypeError/RangeError or the caller's own Error.
    expect(e, String(e)).toBeInstanceOf(TemplateError);
    expect(isKitError(e)).toBe(true);
    // The message never echoes a huge input.
    expect((e as Error).message.length).toBeLessThan(400);
    return (e as TemplateError).code;
  }
  throw new Error("expected a typed error, got none");
}

describe("issue 12: template arguments are checked at entry", () => {
  it("null attack: renderTemplate(null) and new Template().parse(null) are TEMPLATE_ARGUMENT_INVALID", () => {
    expect(code(() => renderTemplate(null as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => new Template("t").parse(null as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goStruct(null as never, "T"))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => withGoType(null as never, "[]string"))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => withElemZero(null as never, () => 0))).toBe("TEMPLATE_ARGUMENT_INVALID");
    // A frozen object cannot carry the mark: typed, not the strict-mode TypeError.
    expect(code(() => goStruct(Object.freeze({}), "T"))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => withGoType(Object.freeze([]), "[]string"))).toBe("TEMPLATE_ARGUMENT_INVALID");
  });

  it("number-for-string attack: option(1), executeTemplate(10n), goNil(0), goStruct({}, 5) are refused typed", () => {
    expect(code(() => new Template("t").option(1 as never))).toBe("TEMPLATE_OPTION_INVALID");
    // 10n used to reach JSON.stringify: "Do not know how to serialize a BigInt".
    expect(code(() => new Template("t").executeTemplate(10n as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goNil(0 as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goStruct({}, 5 as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => new Template("t").delims(1 as never, "}}"))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => float64("1" as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
  });

  it("NUL attack: a Go type name with NUL is refused (goStruct, goNil, withGoType)", () => {
    expect(code(() => goStruct({}, "config\0Node"))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goNil("*a\0b"))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => withGoType([], "[]\0string"))).toBe("TEMPLATE_ARGUMENT_INVALID");
  });

  it("4 MB string attack: as a type name, a template name, a goNil field list or a goFunc param it is refused fast", () => {
    expect(code(() => goStruct({}, BIG))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => new Template(BIG))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goNil(BIG as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goNil("*T", BIG as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goFunc(BIG as never, "string", () => ""))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => renderTemplate("x", {}, BIG as never))).toBe("TEMPLATE_OPTION_INVALID");
    // A 4 MB template text is still fine (Go has no limit; ours is 64 MiB).
    expect(renderTemplate(BIG, {}).length).toBe(BIG.length);
  });

  it("__proto__ object attack: as renderTemplate options it is an unknown option; as data it is plain data", () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    expect(code(() => renderTemplate("x", {}, hostile))).toBe("TEMPLATE_OPTION_INVALID");
    expect(code(() => goFunc(hostile, "string", () => ""))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(renderTemplate("{{range $k, $v := .}}{{$k}};{{end}}", hostile)).toBe("__proto__;constructor;");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("partial options attack: renderTemplate with delims of one string, options of numbers, templates of numbers", () => {
    expect(code(() => renderTemplate("x", {}, { delims: ["[["] as never }))).toBe("TEMPLATE_OPTION_INVALID");
    expect(code(() => renderTemplate("x", {}, { options: [1] as never }))).toBe("TEMPLATE_OPTION_INVALID");
    expect(code(() => renderTemplate("x", {}, { templates: { a: 1 } as never }))).toBe(
      "TEMPLATE_OPTION_INVALID",
    );
    expect(code(() => renderTemplate("x", {}, { nme: "t" } as never))).toBe("TEMPLATE_OPTION_INVALID");
    // A valid partial set still works.
    expect(renderTemplate("[[.a]]", { a: 1 }, { delims: ["[[", "]]"] })).toBe("1");
  });

  it("non-function attack: goFunc / new GoFunc with a non-function fn or a bad signature", () => {
    expect(code(() => goFunc(["string"], "string", "x" as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => new GoFunc(undefined as never, "string", () => ""))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goFunc(["strin"] as never, "string", () => ""))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goFunc(["...string", "int"], "string", () => ""))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => goFunc([], "error" as never, () => ""))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => withElemZero({}, 0 as never))).toBe("TEMPLATE_ARGUMENT_INVALID");
    expect(code(() => new Template("t").funcs({ f: 1 as never }))).toBe("TEMPLATE_FUNC");
    expect(goFunc(["string", "...int"], "string", () => "").signature()).toBe("func(string, ...int) string");
  });

  it("throwing getter / Proxy attack: data that throws while read is TEMPLATE_EXEC with the caller's error as cause", () => {
    const boom = new Error("getter boom");
    let err: unknown;
    try {
      renderTemplate("{{.x}}", {
        get x() {
          throw boom;
        },
      });
    } catch (e) {
      err = e;
    }
    expect(isKitError(err, "TEMPLATE_EXEC")).toBe(true);
    expect((err as Error).cause).toBe(boom);
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    expect(code(() => renderTemplate("{{range .}}{{end}}", proxy))).toBe("TEMPLATE_EXEC");
    const throwingMap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    expect(code(() => new Template("t").funcs(throwingMap as never))).toBe("TEMPLATE_FUNC");
  });

  it("deep nesting attack: 1,000-deep data with a throwing getter at the bottom is TEMPLATE_EXEC; deep text is TEMPLATE_PARSE / TEMPLATE_EXEC", () => {
    const root: Record<string, unknown> = {};
    let c = root;
    for (let i = 0; i < 1000; i++) {
      const next: Record<string, unknown> = {};
      c.a = next;
      c = next;
    }
    Object.defineProperty(c, "a", {
      enumerable: true,
      get: () => {
        throw new TypeError("deep");
      },
    });
    expect(code(() => renderTemplate(`{{.${"a.".repeat(1000)}a}}`, root))).toBe("TEMPLATE_EXEC");
    expect(code(() => renderTemplate("{{.}}", root))).toBe("TEMPLATE_EXEC");
    // Deep template text (already typed before the checks; kept as a guard): 200,000 nested
    // {{if}} or parentheses fail to parse, endless {{template}} recursion is Go's depth error.
    const n = 200_000;
    expect(code(() => renderTemplate(`${"{{if 1}}".repeat(n)}${"{{end}}".repeat(n)}`))).toBe(
      "TEMPLATE_PARSE",
    );
    expect(code(() => renderTemplate(`{{${"(".repeat(n)}1${")".repeat(n)}}}`))).toBe("TEMPLATE_PARSE");
    expect(code(() => renderTemplate('{{define "a"}}{{template "a" .}}{{end}}{{template "a" .}}'))).toBe(
      "TEMPLATE_EXEC",
    );
  });

  it("symbol data attack: a JS symbol as dot prints as a bad value, not a stack overflow", () => {
    // It used to recurse badVerb → printValue until the stack ran out ("nesting too deep").
    expect(renderTemplate("{{.}}", Symbol("s"))).toBe("%!v(symbol)");
  });

  it('empty type name attack: goStruct({}, "") is a TemplateArgumentError naming the argument', () => {
    let err: unknown;
    try {
      goStruct({}, "");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateArgumentError);
    expect((err as Error).message).toContain("goStruct: type");
  });
});
