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

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");

interface OracleCase {
  templates: [string, string][];
  data: unknown;
  funcs?: string[];
  options?: string[];
  exec?: string;
}
type OracleResult = { ok: true; out: string } | { ok: false; phase: string; err: string };

let oracle = "";
function runGo(cases: OracleCase[]): OracleResult[] {
  const out = execFileSync(oracle, [], { input: JSON.stringify({ cases }), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString("utf8")) as OracleResult[];
}

type Ours = { ok: true; out: string } | { ok: false; error: unknown };
function runOurs(c: OracleCase): Ours {
  try {
    const templates = Object.fromEntries(c.templates);
    const main = (c.templates[0] as [string, string])[0];
    const out = render(templates, main, c.data, { funcs: c.funcs ?? [], options: c.options ?? [], delims: null, exec: c.exec ?? null });
    return { ok: true, out };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectSame(c: OracleCase, go: OracleResult, ours: Ours): void {
  const label = JSON.stringify(c.templates);
  if (go.ok) {
    if (!ours.ok) throw new Error(`${label}: Go rendered ${JSON.stringify(go.out)}, we failed: ${String(ours.error)}`);
    expect(ours.out, label).toBe(go.out);
  } else {
    expect(ours.ok, `${label}: Go failed (${go.phase}: ${go.err}); we rendered ${ours.ok ? JSON.stringify(ours.out) : ""}`).toBe(false);
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
      { ...data, PrivateRegistryConfig: {}, Mirrors: [], NodeConfig: { ...(data.NodeConfig as object), AgentConfig: {} } },
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
    const samples = fc.sample(templateArb(), { seed: Number(process.env.ORACLE_SEED ?? 42), numRuns: Number(process.env.ORACLE_RUNS ?? 200) });
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
});

/** A small grammar of template texts (no `else with`, no range over integers). */
function templateArb(): fc.Arbitrary<string> {
  const field = fc.constantFrom(".s", ".e", ".n", ".z", ".neg", ".f", ".fl", ".big", ".t", ".b", ".nil", ".list", ".nums", ".empty", ".m", ".m.a", ".nested.a.b", ".mixed", ".missing", ".missing.x", ".nil.x", "$", ".");
  const lit = fc.constantFrom("1", "-2", "1.5", "0x1F", "1e3", "'a'", `"q\\"s"`, "`raw`", "true", "false", "nil", `"%v"`);
  const operand = fc.oneof({ weight: 3, arbitrary: field }, { weight: 2, arbitrary: lit });
  const fmts = fc.constantFrom(`"%v"`, `"%d"`, `"%s"`, `"%q"`, `"%5.2f|"`, `"%x"`, `"%T"`, `"%-4v|"`, `"%+v %v"`, `"%08.3f"`, `"%t"`, `"%c"`, `"%U"`, `"%e"`, `"%g"`);
  const call = fc.oneof(
    operand,
    fc.tuple(fc.constantFrom("len", "not", "html", "js", "urlquery", "print", "println"), operand).map(([f, a]) => `${f} ${a}`),
    fc.tuple(fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge", "and", "or", "index", "print", "slice"), operand, operand).map(([f, a, b]) => `${f} ${a} ${b}`),
    fc.tuple(fmts, operand).map(([f, a]) => `printf ${f} ${a}`),
    fc.tuple(operand, fc.constantFrom(`printf "%v"`, "len", "print", "html", `eq 3`, `index .m`)).map(([a, f]) => `${a} | ${f}`),
    fc.tuple(fc.constantFrom("len", "not", "print"), fc.tuple(fc.constantFrom("index", "eq", "print"), operand, operand)).map(([f, [g, a, b]]) => `${f} (${g} ${a} ${b})`),
  );
  const text = fc.constantFrom("", "x", " ", "\n", " a ", "-");
  // Ranging over an integer is valid only since Go 1.24; keep int operands out of range.
  const rangeField = fc.constantFrom(".list", ".nums", ".empty", ".m", ".mixed", ".missing", ".nil", ".s", ".t", ".f", ".nested");
  const { node } = fc.letrec<{ node: string; list: string }>((tie) => ({
    list: fc.array(tie("node"), { maxLength: 3 }).map((xs) => xs.join("")),
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 4, arbitrary: text },
      { weight: 6, arbitrary: call.map((c) => `{{${c}}}`) },
      { weight: 1, arbitrary: call.map((c) => `{{- ${c} -}}`) },
      { weight: 1, arbitrary: fc.constant("{{/* c */}}") },
      { weight: 2, arbitrary: fc.tuple(call, tie("list"), tie("list")).map(([c, a, b]) => `{{if ${c}}}${a}{{else}}${b}{{end}}`) },
      { weight: 1, arbitrary: fc.tuple(call, call, tie("list"), tie("list")).map(([c, d, a, b]) => `{{if ${c}}}${a}{{else if ${d}}}${b}{{end}}`) },
      { weight: 2, arbitrary: fc.tuple(call, tie("list"), tie("list")).map(([c, a, b]) => `{{with ${c}}}${a}{{else}}${b}{{end}}`) },
      { weight: 2, arbitrary: fc.tuple(rangeField, tie("list")).map(([f, a]) => `{{range $i, $e := ${f}}}{{$i}}={{$e}};${a}{{else}}none{{end}}`) },
      { weight: 1, arbitrary: fc.tuple(rangeField, fc.constantFrom("{{break}}", "{{continue}}", "{{if eq . 1}}{{break}}{{end}}")).map(([f, b]) => `{{range ${f}}}<{{.}}${b}>{{end}}`) },
      { weight: 1, arbitrary: fc.tuple(call, tie("list")).map(([c, a]) => `{{$v := ${c}}}${a}{{$v}}`) },
      { weight: 1, arbitrary: operand.map((o) => `{{template "t" ${o}}}`) },
    ),
  }));
  return node;
}
