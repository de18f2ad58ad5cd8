/**
 * Differential test against real Go text/template (the machine's Go, 1.19 here): a K3s-sized
 * containerd-config template, and ~200 random templates from a small grammar (fixed seed), all
 * rendered by one Go process. Features where current Go differs from 1.19 (`else with`, range
 * over an integer) are left out of the grammar.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { buildGo } from "../../helpers/go.js";
import { render } from "../../unit/template/corpus-adapter.js";
import { goNil, goStruct, goStructOf, Template, withElemZero, withGoType } from "../../../src/template/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");

interface OracleCase {
  templates: [string, string][];
  data: unknown;
  funcs?: string[];
  options?: string[];
  exec?: string;
  /** "root": Go decodes `data` into its Root struct; we pass {@link goRoot}(data). */
  struct?: string;
}
type OracleResult = { ok: true; out: string } | { ok: false; phase: string; err: string };

let oracle = "";
function runGo(cases: OracleCase[]): OracleResult[] {
  const out = execFileSync(oracle, [], { input: JSON.stringify({ cases }), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString("utf8")) as OracleResult[];
}

type Ours = { ok: true; out: string } | { ok: false; error: unknown };
function runOurs(c: OracleCase): Ours {
  if (c.struct === "root") {
    // Struct data is built here (the corpus adapter copies data into plain objects).
    try {
      const t = new Template((c.templates[0] as [string, string])[0]);
      for (const o of c.options ?? []) t.option(o);
      t.parse((c.templates[0] as [string, string])[1]);
      for (const [name, text] of c.templates.slice(1)) t.new(name).parse(text);
      return { ok: true, out: t.execute(goRoot(c.data as RootJson)) };
    } catch (error) {
      return { ok: false, error };
    }
  }
  try {
    const templates = Object.fromEntries(c.templates);
    const main = (c.templates[0] as [string, string])[0];
    const out = render(templates, main, c.data, {
      funcs: c.funcs ?? [],
      options: c.options ?? [],
      delims: null,
      exec: c.exec ?? null,
    });
    return { ok: true, out };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectSame(c: OracleCase, go: OracleResult, ours: Ours): void {
  const label = JSON.stringify(c.templates);
  if (go.ok) {
    if (!ours.ok)
      throw new Error(`${label}: Go rendered ${JSON.stringify(go.out)}, we failed: ${String(ours.error)}`);
    expect(ours.out, label).toBe(go.out);
  } else {
    expect(
      ours.ok,
      `${label}: Go failed (${go.phase}: ${go.err}); we rendered ${ours.ok ? JSON.stringify(ours.out) : ""}`,
    ).toBe(false);
    if (!ours.ok) expect(isKitError(ours.error), String(ours.error)).toBe(true);
  }
}

beforeAll(() => {
  oracle = buildGo("test/integration/template/oracle/main.go", "template-oracle");
});

describe("template engine vs Go text/template", () => {
  it("renders a K3s-sized containerd config template exactly like Go", () => {
    const dir = resolve(root, "bench/go/template");
    const data = JSON.parse(readFileSync(resolve(dir, "fixture.json"), "utf8")) as Record<string, unknown>;
    const user = readFileSync(resolve(dir, "fixture-user.tmpl"), "utf8");
    const base = readFileSync(resolve(dir, "fixture.tmpl"), "utf8");
    const funcs = ["deschemify", "filepathjoin", "toJson"];
    // The realistic scenario plus variants that flip the branches.
    const variants: Record<string, unknown>[] = [
      data,
      { ...data, IsRunningInUserNS: true, DisableCgroup: true, SystemdCgroup: false, ExtraRuntimes: {} },
      {
        ...data,
        PrivateRegistryConfig: {},
        Mirrors: [],
        NodeConfig: { ...(data.NodeConfig as object), AgentConfig: {} },
      },
      { ...data, NodeConfig: null },
    ];
    const cases: OracleCase[] = variants.map((d) => ({
      templates: [
        ["compiled_template", user],
        ["base", base],
      ],
      data: d,
      funcs,
    }));
    cases.push({ templates: [["compiled_template", `{{ toJson . }}`]], data, funcs });
    const go = runGo(cases);
    expect(go[0]?.ok).toBe(true);
    cases.forEach((c, i) => {
      expectSame(c, go[i] as OracleResult, runOurs(c));
    });
  });

  it("agrees with Go on 200 random templates (fixed seed)", () => {
    const samples = fc.sample(templateArb(), {
      seed: Number(process.env.ORACLE_SEED ?? 42),
      numRuns: Number(process.env.ORACLE_RUNS ?? 200),
    });
    const data = {
      s: "str<&>",
      e: "",
      n: 3,
      z: 0,
      neg: -2,
      f: 1.5,
      fl: { $float: 2 },
      big: 1e21,
      t: true,
      b: false,
      nil: null,
      list: ["a", "b", "c"],
      nums: [3, 1, 2],
      empty: [],
      m: { b: 2, a: 1, "c d": "x" },
      nested: { a: { b: "deep" } },
      mixed: [1, "two", null, { k: "v" }],
    };
    const cases: OracleCase[] = samples.map((text) => ({
      templates: [
        ["main", text],
        ["t", `{{define "t"}}[{{.}}]{{end}}`],
      ],
      data,
    }));
    const go = runGo(cases);
    expect(go.length).toBe(cases.length);
    // The grammar must exercise both outcomes.
    expect(go.some((r) => r.ok)).toBe(true);
    expect(go.some((r) => !r.ok)).toBe(true);
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      try {
        expectSame(c, go[i] as OracleResult, runOurs(c));
      } catch (e) {
        mismatches.push(String(e instanceof Error ? e.message : e));
      }
    });
    expect(mismatches).toEqual([]);
  });

  it("agrees with Go on curated fmt, parse and exec edge cases", () => {
    const data = {
      s: "héllo",
      n: -42,
      f: -Math.E,
      fl: { $float: 1e21 },
      list: [1, null, "x", { a: [true] }],
      m: { b: [1, 2], a: null },
      u: "日本語",
      e: "",
      nested: { x: { y: 1 } },
      big: 9007199254740991,
    };
    const fmtCases = [
      `{{printf "%+v|%#v|%v" .list .list .m}}`,
      `{{printf "%#v" .m}}`,
      `{{printf "%x|%X|%o|%b|%#x|%#o|%#b" .n .n .n .n .n .n .n}}`,
      `{{printf "%08.3f|%-10.2f|%+.1e|%G|%.3g|%10.3v|" .f .f .f .f .f .f}}`,
      `{{printf "%+q|%#q|%q|%x|% X|%#x|% #x" .s .s .u .s .s .s .s}}`,
      `{{printf "%-5d|%5t|%05d|%+05d|% d|%x" 42 true -7 7 7 "é"}}`,
      `{{printf "%[2]d %[1]d %d" 1 2}}`,
      `{{printf "%*d|%-*d|%.*f" 5 1 -5 2 2 3.14159}}`,
      `{{printf "%.3s|%10.4v|%-8q|" .u .s "a"}}`,
      `{{printf "%c|%U|%#U|%q" 0x1F600 0x1F600 0x1F600 0x1F600}}`,
      `{{printf "%v %v" .fl .big}}`,
      `{{printf "%e %f %g" .fl .fl .fl}}`,
      `{{html .s "<" 1 nil}}|{{js .u "\\u2028" 1}}|{{urlquery .s "a b&c" 1}}`,
      `{{println 1 "a" nil .list}}{{print 1 2 "a" "b" 3 nil .missing}}`,
      `{{printf "%d %s" .list .list}}`,
      `{{printf "%v" (slice .u 0 3)}}`,
      `{{printf "%5.1f|%-6.2e|%+g" 2.25 1234.5678 1e-7}}`,
      `{{printf "%.0f %.0f %.0f %.1f" 0.5 1.5 2.5 0.05}}`,
      `{{printf "%6.2f%%" 99.999}}`,
      `{{printf "%t %v" nil .e}}`,
      `{{printf "%s" nil}}{{printf "%d"}}{{printf "%!"}}{{printf "%z %%" 1 2}}`,
      `{{printf "%08b|%o|%O" 5 64 64}}`,
      `{{printf "%x" 3.5}}|{{printf "%.2x" 1.0}}|{{printf "%b" 0.1}}|{{printf "%X" -1.5}}`,
      `{{printf "%v|%.3v|%10v|" 1e100 1e-100 123456789.0}}`,
      `{{printf "%#v|%#v|%#v|%#v" 1 "s" 1.5 true}}`,
      `{{printf "%T %T %T %T" .list .m 'a' 1i}}`,
      `{{index .m "b" 1}} {{index .list 3 "a" 0}} {{len .u}}`,
      `{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}{{range .list}}[{{.}}]{{end}}`,
      `{{with $x := .nested.x}}{{$x.y}}{{end}}`,
      `{{.nested.x.y.z}}`,
      `{{printf "%v" .nested.missing}}{{.nested.missing.deeper}}`,
      `{{eq .n -42}} {{lt .f 0.0}} {{ne .s "x"}} {{eq .s .u "héllo"}}`,
      `{{lt .f 0}}`,
      `{{printf "%q" "\\a\\b\\f\\n\\r\\t\\v\\x7f\\u00ff\\U0010ffff"}}`,
      `{{printf "%q" 'x'}} {{printf "%q" 0x7f}} {{printf "%+q" 'é'}}`,
      `{{printf "%6.3v|%-8v|%08v" "abcdef" .n .n}}`,
      `{{printf "%v" 100000.0}} {{printf "%v" 1234567.0}} {{printf "%v" 0.000012345}} {{printf "%v" 123456.7}}`,
      `{{printf "%.2e" 9.995}} {{printf "%.3g" 9995.0}} {{printf "%g" 1e21}} {{printf "%.1f" 0.25}}`,
      `{{ 1e300 }} {{ -0.0 }} {{ 0x1p-1074 }}`,
    ];
    const parseCases = [
      "a  {{- 1 -}}  b",
      "a {{-1}} b",
      "{{- /* x */ -}} y",
      "{{/* x */ -}}  y",
      "{{ /* x */ }}",
      "{{/* x */ }}",
      "{{/*x*/}}",
      "{{/* unclosed",
      "{{.s -}}\n\t x",
      "{{- .s}}",
      "{{-.s}}",
      "{{ - .s}}",
      "{{.s}}{{end}}",
      "{{if}}{{end}}",
      "{{range}}{{end}}",
      "{{with .s}}{{else}}{{else}}{{end}}",
      '{{define "a"}}A{{end}}{{template "a"}}{{define "a"}}B{{end}}',
      '{{block "b" .s}}[{{.}}]{{end}}',
      '{{block "b"}}x{{end}}',
      '{{template "nope"}}',
      "{{template .s}}",
      "{{$x := 1}}{{$x := 2}}{{$x}}",
      "{{$x}}",
      "{{$x = 1}}",
      "{{range $i, $e, $f := .list}}{{end}}",
      "{{range $i := .list}}{{$i}}{{end}}",
      "{{range $i, $e := .list}}{{$i}}{{end}}{{$i}}",
      "{{with $x := 3}}{{$x}}{{end}}",
      "{{if $x := 0}}{{else}}{{$x}}{{end}}",
      "{{(1)}}",
      "{{(.s)}}",
      "{{(.m).b}}",
      "{{(.nested).x.y}}",
      "{{.list | len}}",
      '{{.s | printf "%s-%s" "a"}}',
      '{{"a" | printf "%s" | printf "%q"}}',
      "{{1 | printf}}",
      "{{. | .s}}",
      "{{printf | 1}}",
      "{{nil}}",
      '{{nil | printf "%v"}}',
      '{{printf "%v" nil}}',
      "{{.s.x}}",
      "{{$.s}}",
      "{{$.nested.x.y}}",
      "{{true.x}}",
      "{{(.nested).x.y.z}}",
      "{{index .list 10}}",
      '{{index .m "zz"}}',
      "{{index nil 1}}",
      "{{slice .list 1 2}}",
      "{{slice .list 2 1}}",
      "{{slice .u 1}}",
      "{{len nil}}",
      "{{len 3}}",
      '{{not 0}} {{not .list}} {{and 1 0 2}} {{or 0 "" .list}} {{and}}',
      "{{or .missing.x 1}}",
      "{{and 0 (index .list 99)}}",
      "{{range .list}}{{break}}{{end}}x",
      "{{range .list}}{{continue}}{{.}}{{end}}",
      "{{break}}",
      "{{range .list}}{{else}}{{break}}{{end}}",
      '{{range .list}}{{template "t"}}{{end}}{{define "t"}}{{break}}{{end}}',
      "{{if 1}}a{{else if 0}}b{{else}}c{{end}}",
      "{{if 0}}a{{else if 0}}b{{end}}",
      "{{with 0}}a{{else if 1}}b{{end}}",
      "{{range .missing}}a{{else}}b{{end}}",
      "{{range .s}}{{end}}",
      "{{range .f}}{{end}}",
      "{{range .m}}{{.}}{{end}}",
      "{{ .s }}{{ .s}}{{.s }}",
      "{{.s\n}}",
      '{{.s\n| printf "%q"}}',
      '{{".s\n"}}',
      "{{`a\nb`}}",
      "{{'\\n'}}{{'\\''}}",
      "{{'ab'}}",
      '{{"\\z"}}',
      "{{3 4}}",
      "{{.s 4}}",
      "{{$ 4}}",
      '{{printf "%d" 1.0}}',
      '{{printf "%d" 1e3}}',
      "{{eq 1 1.0}}",
      '{{eq 1 "1"}}',
      "{{eq nil nil}}",
      "{{eq .missing nil}}",
      "{{eq .list .list}}",
      "{{eq .m .missing}}",
      "{{lt 1 2.0}}",
      '{{lt "a" "b"}}',
      "{{lt true false}}",
      "{{lt nil 1}}",
      "{{le 2 2}} {{ge 1 2}} {{gt 3 2}}",
      "{{eq 1 2 3 1}}",
      '{{eq 1 2 "x"}}',
      '{{eq 1 1 "x"}}',
      "{{call .s}}",
      "{{call nil}}",
      "{{.s | call}}",
      "{{html}}",
      "{{print}}{{println}}",
      "x{{/* a */}}{{/* b */}}y",
      "{{if .s -}}\n  a\n{{- end}}",
      "{{ if .s }}{{ end }}",
      "{{end}}",
      "{{else}}",
      '{{define "a"}}{{end}}{{define "a"}}x{{end}}',
      '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
      '{{define "main"}}z{{end}}main',
      '{{define "main"}}z{{end}}',
      "{{define 1}}{{end}}",
      '{{define "a" 1}}{{end}}',
      '{{template "a" 1 2}}',
      "{{.s | template}}",
      '{{printf "%s" (print 1 (print 2 (print 3)))}}',
      "{{(print 1) 2}}",
      "{{.s.}}",
      "{{. .}}",
      "{{$.}}",
      "{{0x1G}}",
      "{{1_000}} {{0b101}} {{0o17}} {{017}} {{1e+3}} {{.5}} {{5.}} {{-0x10}} {{+5}}",
      "{{1__0}}",
      "{{_1}}",
      "{{1_}}",
      "{{0x_1}}",
      "{{9223372036854775808}}",
      "{{-9223372036854775808}}",
      "{{18446744073709551615}}",
      "{{1e400}}",
      "{{'\\400'}}",
      "{{'\\377'}}",
      "{{'\\u00e9'}}",
      '{{"\\400"}}',
    ];
    const cases: OracleCase[] = [...fmtCases, ...parseCases].map((text) => ({
      templates: [["main", text]],
      data,
    }));
    const go = runGo(cases);
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      try {
        expectSame(c, go[i] as OracleResult, runOurs(c));
      } catch (e) {
        mismatches.push(String(e instanceof Error ? e.message : e));
      }
    });
    expect(mismatches).toEqual([]);
  });

  it("agrees with Go on 1000 random token soups (lexer/parser edge cases, fixed seed)", () => {
    const pieces = [
      "{{",
      "}}",
      "{{- ",
      " -}}",
      "{{/*",
      "*/}}",
      "/*",
      "*/",
      " ",
      "\n",
      "\t",
      "x",
      ".",
      ".a",
      ".a.b",
      ".l",
      "$",
      "$x",
      ":=",
      "=",
      "|",
      ",",
      "(",
      ")",
      '"s"',
      "'c'",
      "`r`",
      "1",
      "-2",
      "1.5",
      "0x1F",
      "1e3",
      "2i",
      "nil",
      "true",
      "if",
      "else",
      "end",
      "{{end}}",
      "{{else}}",
      "range",
      "with",
      "define",
      "template",
      "block",
      "break",
      "continue",
      "printf",
      "print",
      "len",
      "index",
      "{{if .a}}",
      "{{range .l}}",
      "slice",
      "eq",
      "lt",
      "and",
      "or",
      "not",
      "html",
      "js",
      '"t"',
      "%v",
      '"%d"',
      "\\",
      "{{.}}",
      "{{$x := 1}}",
      "{{$x}}",
      "-",
    ];
    const texts = fc.sample(
      fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((xs) => xs.join("")),
      {
        seed: 42,
        numRuns: 1000,
      },
    );
    const data = { a: { b: "B" }, l: [1, 2] };
    const cases: OracleCase[] = texts.map((text) => ({
      templates: [
        ["main", text],
        ["t", '{{define "t"}}T{{.}}{{end}}'],
      ],
      data,
    }));
    const go = runGo(cases);
    expect(go.some((r) => r.ok)).toBe(true);
    expect(go.some((r) => !r.ok)).toBe(true);
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      try {
        expectSame(c, go[i] as OracleResult, runOurs(c));
      } catch (e) {
        mismatches.push(String(e instanceof Error ? e.message : e));
      }
    });
    expect(mismatches).toEqual([]);
  });

  it("agrees with Go on struct data (fields, misspelt fields, nil pointers, fmt, range/index/len, truthiness)", () => {
    const data: RootJson = {
      Node: {
        Name: "n1",
        Flag: true,
        Count: 3,
        Inner: { Name: "in", On: true, Tags: ["a", "b"] },
        Nil: null,
        Val: { Name: "v", On: false, Tags: null },
        List: ["x", "y"],
        Labels: { b: "2", a: "1" },
        Items: { k: { Name: "it", On: true, Tags: ["t"] } },
        P: { A: "x", B: 1 },
        Q: { A: "x", B: 1 },
        R: { A: "y", B: 1 },
      },
      Nil: null,
      Title: "T",
      Empty: false,
      Any: { s: "str" },
    };
    const texts = [
      "{{.Title}} {{.Node.Name}} {{.Node.Count}} {{.Node.Flag}} {{.Node.Inner.Name}} {{.Node.Val.Name}} {{.Empty}}",
      "{{.Node.Snapshoter}}",
      "{{.Titel}}",
      "{{.Node.Val.Nme}}",
      "{{.Node.Inner.Nme}}",
      "{{.Node.Nil.Name}}",
      "{{.Node.Nil.Bogus}}",
      "{{.Nil.Name}}",
      "{{.Nil.Bogus}}",
      "{{.Node.Count.X}}",
      "{{.Node.List.X}}",
      "{{.Node.Labels.a}} {{.Node.Labels.zz}} {{.Node.Items.k.Name}} {{.Node.Items.zz}} {{.Node.Items.zz.Name}}",
      "{{.Any.s}} {{.Any.zz}}",
      "{{.Any.s.x}}",
      "{{.Node.Name 1}}",
      '{{"x" | .Node.Name}}',
      "{{$n := .Node}}{{$n.Inner.Name}} {{$.Title}} {{$n.Bad}}",
      "{{with .Node}}{{.Val.Name}}{{.Missing}}{{end}}",
      '{{printf "%v|%+v" .Node.Val .Node.Val}}',
      '{{printf "%v|%+v" .Node.Inner .Node.Inner}}',
      '{{printf "%#v" .Node.Inner}}',
      '{{printf "%T %T %T %T %T %T" . .Node .Node.Val .Node.Nil .Node.Items .Nil}}',
      '{{printf "%v %+v %#v" .Node.Nil .Nil .Node.Nil}}',
      '{{printf "%s|%d" .Node.Nil .Node.Nil}}',
      "{{.Node.Val}} {{.Node.Inner}} {{.Node.Nil}} {{.Nil}}",
      '{{printf "%v" .Node.Items}} {{.Node.Items}}',
      '{{printf "%d" .Node.Val}}',
      '{{printf "%q" .Node.Inner}}',
      "{{range .Node.Val}}x{{end}}",
      "{{range .Node.Inner}}x{{end}}",
      "{{range .Node.Nil}}x{{end}}",
      "{{range $.Node.Val}}x{{end}}",
      "{{range $x := .Node.Val}}x{{end}}",
      "{{range $k, $v := .Node.Items}}{{$k}}={{$v.Name}}/{{$v}};{{end}}{{range .Node.List}}{{.}}{{end}}",
      '{{index .Node "Name"}}',
      "{{index .Node.Val 0}}",
      "{{index .Node.Nil 0}}",
      "{{index .Nil 0}}",
      '{{index .Node.Items "k"}} {{index .Node.Labels "b"}}',
      "{{len .Node}}",
      "{{len .Node.Val}}",
      "{{len .Node.Nil}}",
      "{{len .Node.Items}} {{len .Node.List}}",
      "{{slice .Node 0}}",
      "{{if .Node.Val}}t{{else}}f{{end}} {{if .Node.Nil}}t{{else}}f{{end}} {{if .Node}}t{{end}} {{with .Node.Val}}{{.Name}}{{end}} {{with .Nil}}x{{else}}nil{{end}}",
      "{{not .Node.Val}} {{not .Node.Nil}} {{and .Node .Title}} {{or .Nil .Title}} {{and .Title .Nil}}",
      "{{eq .Node.Nil nil}} {{eq .Nil nil}} {{eq .Node nil}} {{eq .Node .Node}} {{eq .Node.Nil .Node.Nil}} {{eq .Nil .Node}}",
      "{{eq .Node.Val .Node.Val}}",
      "{{eq .Node .Node.Val}}",
      "{{lt .Node .Node}}",
      '{{template "t" .Node.Val}}{{template "t" .Node.Inner}}',
      '{{template "t" .Nil}}',
      "{{.Node.Inner.Tags}} {{.Node.Val.Tags}} {{if .Node.Val.Tags}}x{{end}} {{len .Node.Inner.Tags}}",
      '{{slice "abcdef" .Node.Count}} {{slice .Node.List 1}} {{index .Node.List 1}} {{index .Node.Inner.Tags 0}}',
      '{{slice .Node.Val 0}}',
      "{{.Node.Val.Name.X}}",
      "{{$x := .Node.Inner}}{{with .Node.Val}}{{$x.Name}}{{.Tags}}{{end}} {{.Node.Labels}} {{printf \"%v\" .Node.Labels}}",
      '{{printf "%v %+v" .Any .Any}} {{.Any.s.bad}}',
      '{{call .Node.Name}}',
      "{{eq .Node.P .Node.Q}} {{eq .Node.P .Node.R}} {{eq .Node.P .Node.R .Node.Q}} {{ne .Node.P .Node.R}} {{eq .Node.Inner .Node.Inner}}",
      "{{eq .Node.P .Node.Val}}",
      "{{lt .Node.P .Node.Q}}",
      '{{html .Node.Val .Node.Inner}} {{print .Node.Inner .Node.P}} {{println .Node.Val}}{{js .Node.P}} {{urlquery .Node.Inner}}',
      '{{.Node.Val | printf "%v"}} {{with $x := .Node.Nil}}y{{else}}n{{end}} {{len .Node.Val.Tags}} {{eq .Node.Val.Name "v"}}',
      '{{printf "%v %+v %#v %T" .Node.P .Node.P .Node.P .Node.P}} {{printf "%s|%d|%x" .Node.P .Node.P .Node.P}} {{printf "%10v|%-8v|" .Node.P .Node.P}}',
      '{{index .Node.Items "zz"}}|{{(index .Node.Items "zz").Name}}|{{printf "%+v" (index .Node.Items "zz")}}|{{index .Node.Labels "zz"}}',
    ];
    const cases: OracleCase[] = texts.map((text) => ({
      templates: [
        ["main", text],
        ["t", `{{define "t"}}[{{.Name}}]{{end}}`],
      ],
      data,
      struct: "root",
    }));
    for (const text of ["{{.Node.Labels.zz}}", "{{.Node.Name}} {{.Node.Items.k.On}}", "{{.Node.Bad}}"]) {
      cases.push({ templates: [["main", text]], data, struct: "root", options: ["missingkey=error"] });
    }
    cases.push({
      templates: [["main", "{{.Node.Items.zz}}|{{.Node.Labels.zz}}|{{.Node.Items.zz.Name}}"]],
      data,
      struct: "root",
      options: ["missingkey=zero"],
    });
    const go = runGo(cases);
    expect(go.some((r) => r.ok)).toBe(true);
    expect(go.some((r) => !r.ok)).toBe(true);
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const g = go[i] as OracleResult;
      const ours = runOurs(c);
      try {
        expectSame(c, g, ours);
        // Struct errors are the point here: the message must be Go's, word for word.
        if (!g.ok && !ours.ok && (ours.error as Error).message !== g.err) {
          throw new Error(`${c.templates[0]?.[1]}: we said ${JSON.stringify((ours.error as Error).message)}, Go ${JSON.stringify(g.err)}`);
        }
      } catch (e) {
        mismatches.push(String(e instanceof Error ? e.message : e));
      }
    });
    expect(mismatches).toEqual([]);
  });
});

interface InnerJson {
  Name: string;
  On: boolean;
  Tags: string[] | null;
}
interface NodeJson {
  Name: string;
  Flag: boolean;
  Count: number;
  Inner: InnerJson | null;
  Nil: InnerJson | null;
  Val: InnerJson;
  List: string[];
  Labels: Record<string, string>;
  Items: Record<string, InnerJson>;
  P: { A: string; B: number };
  Q: { A: string; B: number };
  R: { A: string; B: number };
}
interface RootJson {
  Node: NodeJson | null;
  Nil: NodeJson | null;
  Title: string;
  Empty: boolean;
  Any: unknown;
}

const INNER_FIELDS = ["Name", "On", "Tags"];
const NODE_FIELDS = ["Name", "Flag", "Count", "Inner", "Nil", "Val", "List", "Labels", "Items", "P", "Q", "R"];

/** The oracle's Go types (oracle/main.go) as marked JS structs, field order as declared there. */
function goInner(o: InnerJson, type: string): object {
  return goStruct({ Name: o.Name, On: o.On, Tags: withGoType([...(o.Tags ?? [])], "[]string") }, type);
}
function goNode(o: NodeJson | null): object {
  if (o === null) return goNil("*main.Node", NODE_FIELDS);
  const items: Record<string, object> = {};
  for (const [k, v] of Object.entries(o.Items)) items[k] = goInner(v, "main.Inner");
  return goStruct(
    {
      Name: o.Name,
      Flag: o.Flag,
      Count: o.Count,
      Inner: o.Inner === null ? goNil("*main.Inner", INNER_FIELDS) : goInner(o.Inner, "*main.Inner"),
      Nil: o.Nil === null ? goNil("*main.Inner", INNER_FIELDS) : goInner(o.Nil, "*main.Inner"),
      Val: goInner(o.Val, "main.Inner"),
      List: withGoType([...o.List], "[]string"),
      Labels: withGoType({ ...o.Labels }, "map[string]string"),
      Items: withElemZero(withGoType(items, "map[string]main.Inner"), () =>
        goInner({ Name: "", On: false, Tags: null }, "main.Inner"),
      ),
      P: goStructOf("main.Pair", o.P),
      Q: goStructOf("main.Pair", o.Q),
      R: goStructOf("main.Pair", o.R),
    },
    "*main.Node",
  );
}
function goRoot(o: RootJson): object {
  return goStruct({ Node: goNode(o.Node), Nil: goNode(o.Nil), Title: o.Title, Empty: o.Empty, Any: o.Any }, "main.Root");
}

/** A small grammar of template texts (no `else with`, no range over integers). */
function templateArb(): fc.Arbitrary<string> {
  const field = fc.constantFrom(
    ".s",
    ".e",
    ".n",
    ".z",
    ".neg",
    ".f",
    ".fl",
    ".big",
    ".t",
    ".b",
    ".nil",
    ".list",
    ".nums",
    ".empty",
    ".m",
    ".m.a",
    ".nested.a.b",
    ".mixed",
    ".missing",
    ".missing.x",
    ".nil.x",
    "$",
    ".",
  );
  const lit = fc.constantFrom(
    "1",
    "-2",
    "1.5",
    "0x1F",
    "1e3",
    "'a'",
    `"q\\"s"`,
    "`raw`",
    "true",
    "false",
    "nil",
    `"%v"`,
  );
  const operand = fc.oneof({ weight: 3, arbitrary: field }, { weight: 2, arbitrary: lit });
  const fmts = fc.constantFrom(
    `"%v"`,
    `"%d"`,
    `"%s"`,
    `"%q"`,
    `"%5.2f|"`,
    `"%x"`,
    `"%T"`,
    `"%-4v|"`,
    `"%+v %v"`,
    `"%08.3f"`,
    `"%t"`,
    `"%c"`,
    `"%U"`,
    `"%e"`,
    `"%g"`,
  );
  const call = fc.oneof(
    operand,
    fc
      .tuple(fc.constantFrom("len", "not", "html", "js", "urlquery", "print", "println"), operand)
      .map(([f, a]) => `${f} ${a}`),
    fc
      .tuple(
        fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge", "and", "or", "index", "print", "slice"),
        operand,
        operand,
      )
      .map(([f, a, b]) => `${f} ${a} ${b}`),
    fc.tuple(fmts, operand).map(([f, a]) => `printf ${f} ${a}`),
    fc
      .tuple(operand, fc.constantFrom(`printf "%v"`, "len", "print", "html", `eq 3`, `index .m`))
      .map(([a, f]) => `${a} | ${f}`),
    fc
      .tuple(
        fc.constantFrom("len", "not", "print"),
        fc.tuple(fc.constantFrom("index", "eq", "print"), operand, operand),
      )
      .map(([f, [g, a, b]]) => `${f} (${g} ${a} ${b})`),
  );
  const text = fc.constantFrom("", "x", " ", "\n", " a ", "-");
  // Ranging over an integer is valid only since Go 1.24; keep int operands out of range.
  const rangeField = fc.constantFrom(
    ".list",
    ".nums",
    ".empty",
    ".m",
    ".mixed",
    ".missing",
    ".nil",
    ".s",
    ".t",
    ".f",
    ".nested",
  );
  const { node } = fc.letrec<{ node: string; list: string }>((tie) => ({
    list: fc.array(tie("node"), { maxLength: 3 }).map((xs) => xs.join("")),
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 4, arbitrary: text },
      { weight: 6, arbitrary: call.map((c) => `{{${c}}}`) },
      { weight: 1, arbitrary: call.map((c) => `{{- ${c} -}}`) },
      { weight: 1, arbitrary: fc.constant("{{/* c */}}") },
      {
        weight: 2,
        arbitrary: fc
          .tuple(call, tie("list"), tie("list"))
          .map(([c, a, b]) => `{{if ${c}}}${a}{{else}}${b}{{end}}`),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(call, call, tie("list"), tie("list"))
          .map(([c, d, a, b]) => `{{if ${c}}}${a}{{else if ${d}}}${b}{{end}}`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(call, tie("list"), tie("list"))
          .map(([c, a, b]) => `{{with ${c}}}${a}{{else}}${b}{{end}}`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(rangeField, tie("list"))
          .map(([f, a]) => `{{range $i, $e := ${f}}}{{$i}}={{$e}};${a}{{else}}none{{end}}`),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(rangeField, fc.constantFrom("{{break}}", "{{continue}}", "{{if eq . 1}}{{break}}{{end}}"))
          .map(([f, b]) => `{{range ${f}}}<{{.}}${b}>{{end}}`),
      },
      { weight: 1, arbitrary: fc.tuple(call, tie("list")).map(([c, a]) => `{{$v := ${c}}}${a}{{$v}}`) },
      { weight: 1, arbitrary: operand.map((o) => `{{template "t" ${o}}}`) },
    ),
  }));
  return node;
}
