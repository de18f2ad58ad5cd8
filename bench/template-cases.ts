/**
 * The template benchmark set (used by bench/template.bench.ts): templates of different shapes and
 * sizes, each with its data. Hand-written cases live in bench/go/template/; the generated ones are
 * built here deterministically and written to .tmp/template-cases/ so Go reads the same bytes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TemplateCase {
  name: string;
  /** What the template looks like (printed with the results). */
  shape: string;
  /** [template name, file]; the first is the main template, the others are made with `new(name)`. */
  templates: [string, string][];
  /** JSON data file. */
  data: string;
  nParse: number;
  nExec: number;
}

/** Nested with/if/range blocks `depth` levels deep, plus a parenthesised pipeline as deep. */
function deepNesting(depth: number): { text: string; data: unknown } {
  let text = "{{/* deep nesting */}}\n";
  for (let i = 0; i < depth; i++) {
    text += `${" ".repeat(i % 8)}{{with .N}}{{if .On}}[{{.V}}{{range $i, $x := .L}}{{if $i}},{{end}}{{$x}}{{end}}\n`;
  }
  for (let i = depth - 1; i >= 0; i--) text += `{{else}}off{{end}}]{{else}}none{{end}}${i % 10 === 0 ? "\n" : ""}`;
  let pipe = "$.Top";
  for (let i = 0; i < 24; i++) pipe = `(printf "%s." ${pipe})`;
  text += `\n{{ len ${pipe} }} {{ ${pipe} }}\n`;
  let data: Record<string, unknown> = {};
  for (let i = depth - 1; i >= 0; i--) data = { N: { On: i % 7 !== 6 || i < depth - 2, V: i, L: [i, i + 1, i + 2], ...data } };
  return { text, data: { ...data, Top: "top" } };
}

/** Many tiny actions: fields, variables, index, small pipelines, on short lines. */
function manySmallActions(lines: number): { text: string; data: unknown } {
  let text = '{{- $sep := "," -}}{{- $n := 0 -}}\n';
  for (let i = 0; i < lines; i++) {
    const k = `k${i % 16}`;
    switch (i % 4) {
      case 0:
        text += `{{.A}}{{$sep}}{{.B}}{{$sep}}{{index .L ${i % 5}}}{{$sep}}{{.M.${k}}}\n`;
        break;
      case 1:
        text += `{{ $n = ${i} }}{{ $n }}:{{ .C | len }}:{{ not .F }}:{{ .M.${k} }}\n`;
        break;
      case 2:
        text += `{{if .F}}y{{else}}n{{end}}{{with .A}}{{.}}{{end}}{{- /* c */ -}}|{{ print .B }}\n`;
        break;
      default:
        text += `{{ and .A .B }}-{{ or .F .C }}-{{ eq .B ${i % 3} }}-{{ $.A }}\n`;
    }
  }
  const m: Record<string, string> = {};
  for (let i = 0; i < 16; i++) m[`k${i}`] = `v${i}`;
  return { text, data: { A: "alpha", B: 2, C: "gamma", F: false, L: [10, 11, 12, 13, 14], M: m } };
}

/** Mostly literal text (a big static config) with a handful of actions. */
function bigLiteral(kib: number): { text: string; data: unknown } {
  const para =
    "# This block is static configuration copied verbatim into the output; the template engine has\n" +
    "# to find the next action delimiter quickly and keep the text as one node. key = \"value\"\n" +
    "[section.sub]\n  enabled = true\n  path = \"/var/lib/rancher/k3s/agent/etc\"\n  limits = [1, 2, 3, 4]\n\n";
  let text = "";
  let i = 0;
  while (text.length < kib * 1024) {
    text += para;
    if (++i % 24 === 0) text += `[generated.${i}]\n  name = {{ printf "%q" .Name }}\n  n = {{ ${i} }}\n`;
  }
  return { text, data: { Name: "big-literal" } };
}

/** Writes the generated cases under `tmpDir` and returns the full set. */
export function templateCases(root: string, tmpDir: string): TemplateCase[] {
  const fixtures = join(root, "bench/go/template");
  const out: TemplateCase[] = [
    {
      name: "k3s",
      shape: "K3s-sized containerd config: user template + base (define/template/range/with/printf)",
      templates: [
        ["compiled_template", join(fixtures, "fixture-user.tmpl")],
        ["base", join(fixtures, "fixture.tmpl")],
      ],
      data: join(fixtures, "fixture.json"),
      nParse: 3000,
      nExec: 20000,
    },
    {
      name: "generic",
      shape: "generic 3.5 kB report: map ranges, nested define/template, printf chains, with/else, vars, comments",
      templates: [["generic", join(fixtures, "cases/generic/main.tmpl")]],
      data: join(fixtures, "cases/generic/data.json"),
      nParse: 3000,
      nExec: 5000,
    },
  ];
  const gen: [string, string, { text: string; data: unknown }, number, number][] = [
    ["deep", "100 nested with/if blocks (+ range in each) and a 24-deep parenthesised pipeline", deepNesting(50), 3000, 5000],
    ["small-actions", "400 short lines of tiny actions (fields, vars, index, and/or/eq, trims)", manySmallActions(400), 500, 1000],
    ["big-literal", "64 kB of literal text with an action every ~5 kB", bigLiteral(64), 5000, 10000],
  ];
  for (const [name, shape, c, nParse, nExec] of gen) {
    const dir = join(tmpDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tmpl"), c.text);
    writeFileSync(join(dir, "data.json"), JSON.stringify(c.data));
    out.push({ name, shape, templates: [[name, join(dir, "main.tmpl")]], data: join(dir, "data.json"), nParse, nExec });
  }
  return out;
}
