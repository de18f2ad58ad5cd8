#!/usr/bin/env node
// The project's own text/template conformance cases (areas Go's test tables cover thinly: K3s-style
// containerd templates, range over maps, printf, TOML-ish output, with/else, define/template,
// variables, whitespace trim, comments, options, error positions). Prints cases/project.json;
// scripts/gen-template-conformance.sh runs it and then the Go oracle for the expected results.
// Data follows the JSON convention in README.md.

const cases = [];
const seen = new Set();
/** add(group, name, template(s), data?, extra?) */
function add(group, name, tpl, data = null, extra = {}) {
  const full = `project/${group}/${name}`;
  if (seen.has(full)) throw new Error(`duplicate case ${full}`);
  seen.add(full);
  const c = { name: full, tags: ["project"] };
  if (typeof tpl === "string") c.template = tpl;
  else c.templates = tpl;
  c.data = data;
  Object.assign(c, extra);
  cases.push(c);
}

// ---- K3s-shaped containerd data (maps, as K3s users see them through a map-typed dot)
const node = {
  Program: "k3s",
  NodeConfig: {
    AgentConfig: {
      Snapshotter: "overlayfs",
      PauseImage: "rancher/mirrored-pause:3.6",
      Systemd: true,
      NoDeschemify: false,
    },
    Containerd: {
      Root: "/var/lib/rancher/k3s/agent/containerd",
      State: "/run/k3s/containerd",
      Opt: "",
      Config: "",
    },
    SELinux: false,
  },
  PrivateRegistryConfig: {
    Mirrors: {
      "docker.io": { Endpoints: ["https://mirror.example:5000", "https://registry-1.docker.io"] },
      "quay.io": { Endpoints: [] },
    },
    Configs: {
      "mirror.example:5000": { Auth: { Username: "u", Password: "p" }, TLS: { InsecureSkipVerify: true } },
    },
  },
  ExtraRuntimes: {
    nvidia: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/nvidia-container-runtime" },
    crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" },
  },
  EnableUnprivileged: true,
  DisableCgroup: false,
  CgroupV2: true,
  Weights: { 10: "ten", 9: "nine", B: "bee", Z: "zed", _: "under", a: "aa", é: "e-acute" },
};
const base = `version = 3
root = {{ printf "%q" .NodeConfig.Containerd.Root }}
state = {{ printf "%q" .NodeConfig.Containerd.State }}

[plugins.'io.containerd.cri.v1.images']
  snapshotter = "{{ .NodeConfig.AgentConfig.Snapshotter }}"
  disable_snapshot_annotations = {{ if eq .NodeConfig.AgentConfig.Snapshotter "stargz" }}false{{ else }}true{{ end }}
{{- if .NodeConfig.AgentConfig.PauseImage }}
  sandbox = "{{ .NodeConfig.AgentConfig.PauseImage }}"
{{- end }}
{{- range $k, $v := .ExtraRuntimes }}

[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.'{{ $k }}']
  runtime_type = "{{ $v.RuntimeType }}"
{{- with $v.BinaryName }}
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.'{{ $k }}'.options]
    BinaryName = {{ printf "%q" . }}
    SystemdCgroup = {{ $.NodeConfig.AgentConfig.Systemd }}
{{- end }}
{{- end }}
`;
add("k3s", "base config", base, node);
add(
  "k3s",
  "user template calls base",
  [
    ["compiled_template", '{{ template "base" . }}\n[plugins.extra]\n  x = {{ printf "%d" 42 }}\n'],
    ["base", base],
  ],
  node,
);
add(
  "k3s",
  "user defines base, k3s base wins",
  [
    ["compiled_template", '{{ define "base" }}USER{{ end }}{{ template "base" . }}'],
    ["base", "K3S {{ .Program }}"],
  ],
  node,
);
add(
  "k3s",
  "user template with mirrors",
  `{{- range $host, $m := .PrivateRegistryConfig.Mirrors }}
[host."{{ $host }}"]
{{- range $i, $e := $m.Endpoints }}
  endpoint{{ $i }} = {{ printf "%q" $e }}
{{- else }}
  # no endpoints
{{- end }}
{{- end }}
{{ range $h, $c := .PrivateRegistryConfig.Configs }}{{ with $c.Auth }}auth {{ $h }} {{ .Username }}{{ end }}{{ if $c.TLS.InsecureSkipVerify }} insecure{{ end }}{{ end }}
`,
  node,
);
add(
  "k3s",
  "deschemify and toJson",
  '{{ deschemify "https://x" }} {{ toJson .ExtraRuntimes.crun }} {{ toJson .Weights }}',
  node,
  { funcs: ["deschemify", "toJson"] },
);
add(
  "k3s",
  "filepathjoin",
  '{{ filepathjoin .NodeConfig.Containerd.Root "io.containerd.snapshotter.v1.overlayfs" "../x" }}|{{ filepathjoin "" "" }}|{{ filepathjoin "a//b" "./c" }}',
  node,
  { funcs: ["filepathjoin"] },
);
add(
  "k3s",
  "conditional blocks",
  `{{ if .EnableUnprivileged }}enable_unprivileged_ports = true
enable_unprivileged_icmp = true
{{ end }}{{ if not .DisableCgroup }}{{ if .CgroupV2 }}cgroup = "v2"{{ else }}cgroup = "v1"{{ end }}{{ end }}
{{ if and .NodeConfig.SELinux (not .DisableCgroup) }}selinux{{ else if .NodeConfig.AgentConfig.Systemd }}systemd{{ else }}none{{ end }}`,
  node,
);
add(
  "k3s",
  "missing field prints no value",
  "{{ .NodeConfig.AgentConfig.Snapshoter }}|{{ .Nope.Deeper }}",
  node,
);
add("k3s", "missing field under missingkey=error", "{{ .NodeConfig.AgentConfig.Snapshoter }}", node, {
  options: ["missingkey=error"],
});
add(
  "k3s",
  "empty opt field",
  "{{ with .NodeConfig.Containerd.Opt }}opt={{ . }}{{ else }}no opt{{ end }}",
  node,
);
add(
  "k3s",
  "sorted map keys",
  "{{ range $k, $v := .Weights }}{{ $k }}={{ $v }};{{ end }}|{{ .Weights }}",
  node,
);

// ---- range over maps, slices, with else, variables, break/continue
const rdata = {
  str: "abc",
  m: { b: 2, a: 1, c: 3 },
  e: {},
  s: ["x", "y", "z"],
  n: [],
  nested: { one: { k: ["a", "b"] }, two: { k: [] } },
  i: 0,
};
const ranges = {
  "map values": "{{range .m}}{{.}},{{end}}",
  "map key value": "{{range $k, $v := .m}}{{$k}}={{$v}} {{end}}",
  "map one var": "{{range $v := .m}}{{$v}}{{end}}",
  "empty map else": "{{range .e}}x{{else}}empty{{end}}",
  "slice index": "{{range $i, $e := .s}}{{$i}}:{{$e}} {{end}}",
  "empty slice else": "{{range .n}}x{{else}}none{{end}}",
  "nil range": "{{range .missing}}x{{else}}nil{{end}}",
  "nested ranges": "{{range $k, $v := .nested}}{{$k}}[{{range $v.k}}{{.}}{{else}}-{{end}}]{{end}}",
  "dollar inside range": "{{range .s}}{{$.i}}{{.}}{{end}}",
  break: '{{range .s}}{{if eq . "y"}}{{break}}{{end}}{{.}}{{end}}',
  continue: '{{range .s}}{{if eq . "y"}}{{continue}}{{end}}{{.}}{{end}}',
  "break outside range": "{{break}}",
  "continue in else": "{{range .s}}{{else}}{{continue}}{{end}}",
  "range over string": "{{range .str}}x{{end}}",
  "range over int data": "{{range .i}}x{{end}}",
  "range var scope": "{{range $x := .s}}{{end}}{{$x}}",
  "range assign outer var": '{{$last := ""}}{{range .s}}{{$last = .}}{{end}}{{$last}}',
  "range keys of map of maps": "{{range $k, $_ := .nested}}{{$k}} {{end}}",
  "range pipeline": '{{range $i, $e := .s | len | printf "%d"}}{{$e}}{{end}}',
  "range two vars over map of int": '{{range $a, $b := .m}}{{printf "%s%d" $a $b}}{{end}}',
};
for (const [n, t] of Object.entries(ranges)) add("range", n, t, rdata);

// ---- with / else / if chains
const wdata = {
  a: "A",
  z: "",
  zero: 0,
  t: true,
  f: false,
  list: [1],
  none: [],
  m: { k: "v" },
  em: {},
  nil: null,
  fl: { $float: 0 },
};
for (const v of ["a", "z", "zero", "t", "f", "list", "none", "m", "em", "nil", "absent", "fl"]) {
  add("with", `with .${v}`, `{{with .${v}}}[{{.}}]{{else}}else{{end}}`, wdata);
  add("if", `if .${v}`, `{{if .${v}}}yes{{else if .a}}elseif{{else}}no{{end}}`, wdata);
}
add("with", "with assigns var", "{{with $x := .m.k}}{{$x}}{{.}}{{end}}", wdata);
add("with", "dot restored after with", "{{with .m}}{{.k}}{{end}}{{.a}}", wdata);
add("with", "else with (1.19 rejects)", "{{with .z}}z{{else with .a}}{{.}}{{end}}", wdata, {
  tags: ["project", "newer-go-differs"],
});

// ---- define / template / block / redefinition / exec by name
add("define", "define and call", [
  ["main", '{{define "t"}}<{{.}}>{{end}}{{template "t" "x"}}{{template "t" 3}}'],
]);
add("define", "template without data", [["main", '{{define "t"}}[{{.}}]{{end}}{{template "t"}}']], { a: 1 });
add("define", "block default", [["main", '{{block "b" .}}default {{.}}{{end}}']], "d");
add(
  "define",
  "block overridden later",
  [
    ["main", '{{block "b" .}}default{{end}}'],
    ["over", '{{define "b"}}over {{.}}{{end}}'],
  ],
  "d",
);
add("define", "empty redefinition keeps", [
  ["main", '{{template "x"}}'],
  ["a", '{{define "x"}}first{{end}}'],
  ["b", '{{define "x"}}{{end}}'],
]);
add("define", "whitespace redefinition keeps", [
  ["main", '{{template "x"}}'],
  ["a", '{{define "x"}}first{{end}}'],
  ["b", '{{define "x"}}  {{end}}'],
]);
add("define", "later redefinition wins", [
  ["main", '{{template "x"}}'],
  ["a", '{{define "x"}}first{{end}}'],
  ["b", '{{define "x"}}second{{end}}'],
]);
add("define", "execute root ignores redefinition", [
  ["main", "root text"],
  ["b", '{{define "main"}}redefined{{end}}'],
]);
add(
  "define",
  "executeTemplate sees redefinition",
  [
    ["main", "root text"],
    ["b", '{{define "main"}}redefined{{end}}'],
  ],
  null,
  { exec: "main" },
);
add(
  "define",
  "executeTemplate by name",
  [
    ["main", "root"],
    ["other", "other {{.}}"],
  ],
  5,
  { exec: "other" },
);
add("define", "executeTemplate missing", [["main", "root"]], null, { exec: "nope" });
add("define", "template missing", '{{template "nope"}}');
add(
  "define",
  "recursive template",
  [
    [
      "main",
      '{{define "r"}}{{if .}}{{index . 0}}{{template "r" (slice . 1)}}{{end}}{{end}}{{template "r" .}}',
    ],
  ],
  [1, 2, 3],
);
add("define", "nested define is error", '{{define "a"}}{{define "b"}}{{end}}{{end}}');
add("define", "define with trim", [
  ["main", '{{- define "t" -}}\n  body {{.}}\n{{- end -}}\n{{template "t" 1}}'],
]);
add("define", "template pipeline arg", [
  ["main", '{{define "t"}}{{.}}{{end}}{{template "t" printf "%03d" 7}}'],
]);
add("define", "template var arg", [["main", '{{define "t"}}{{.k}}{{end}}{{$m := .}}{{template "t" $m}}']], {
  k: "v",
});
add("define", "variables do not cross templates", [
  ["main", '{{define "t"}}{{$x}}{{end}}{{$x := 1}}{{template "t"}}'],
]);
add("define", "define name must be string", "{{define x}}{{end}}");

// ---- variables
const vars = {
  "declare and use": "{{$x := 1}}{{$x}}",
  assign: "{{$x := 1}}{{$x = 2}}{{$x}}",
  "assign undeclared": "{{$y = 2}}",
  undeclared: "{{$nope}}",
  "scope in if": "{{if true}}{{$x := 1}}{{end}}{{$x}}",
  "outer assign in if": "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}",
  "shadow in with": "{{$x := 1}}{{with 2}}{{$x := .}}{{$x}}{{end}}{{$x}}",
  "dollar is data": "{{$.a}}{{with 5}}{{$.a}}{{.}}{{end}}",
  "var fields": "{{$m := .}}{{$m.a}}{{$m.b.c}}",
  "var of pipeline": '{{$s := printf "%s-%s" .a .a}}{{$s}}',
  "var in pipeline": '{{$x := .a | printf "%q"}}{{$x}}',
  "two decls": "{{$a, $b := 1}}",
};
for (const [n, t] of Object.entries(vars)) add("vars", n, t, { a: "A", b: { c: "C" } });

// ---- whitespace trim and comments
const trims = {
  "trim both": "a  {{- 1 -}}  b",
  "trim left newlines": "a\n\n\t{{- 1}}b",
  "trim right newlines": "a{{1 -}}\n\n\tb",
  "minus number not trim": "a {{-3}} b",
  "trim needs space": "a {{- -3 -}} b",
  "trim only ascii space": "a\u00a0{{- 1 -}}\u00a0b",
  "trim across actions": "{{1 -}} {{- 2}}",
  "trim at text start": "   {{- 1}}",
  "trim in range": "{{range .s -}}\n  {{.}}\n{{- end}}",
  comment: "a{{/* c */}}b",
  "comment trimmed": "a {{- /* c */ -}} b",
  "comment multiline": "a{{/*\nline\n*/}}b",
  "comment with space before": "a{{ /* c */}}b",
  "comment not closed": "a{{/* c }}b",
  "comment then text in action": "a{{/* c */ 1}}b",
  "trim with CR": "a\r\n{{- 1 -}}\r\nb",
};
for (const [n, t] of Object.entries(trims)) add("trim", n, t, { s: [1, 2] });

// ---- printf / print / println matrix
const values = {
  int: 42,
  neg: -7,
  big: 1e15,
  float: 3.25,
  fint: { $float: 3 },
  fbig: { $float: 1e21 },
  fsmall: 0.0001,
  ftiny: 1e-7,
  str: "héllo",
  empty: "",
  bool: true,
  nil: null,
  list: [1, "a", null],
  map: { b: 2, a: [1] },
};
const verbs = [
  "%v",
  "%+v",
  "%#v",
  "%T",
  "%d",
  "%s",
  "%q",
  "%x",
  "%X",
  "%5.2f",
  "%e",
  "%g",
  "%t",
  "%8v",
  "%-8v|",
  "%08d",
  "%c",
  "%U",
  "%o",
  "%b",
];
for (const verb of verbs) {
  add(
    "printf",
    `${verb} matrix`,
    Object.keys(values)
      .map((k) => `{{printf ${JSON.stringify(verb)} .${k}}}`)
      .join("|"),
    values,
  );
}
add(
  "printf",
  "missing and extra",
  '{{printf "%d %s"  1}}|{{printf "%d" 1 2}}|{{printf "%!"}}|{{printf "%"}}',
);
add(
  "printf",
  "arg index and star",
  '{{printf "%[2]d %[1]s" "a" 2}}|{{printf "%*d" 5 3}}|{{printf "%.*f" 2 3.14159}}|{{printf "%[3]d" 1}}',
);
add("printf", "flags", '{{printf "%+d % d %#x %#o %+.3e" 5 5 255 8 1234.5678}}');
add("printf", "no args", "{{printf}}|{{print}}|{{println}}");
add(
  "print",
  "spacing rules",
  '{{print 1 2}}|{{print "a" 1 "b"}}|{{print 1 "a" 2}}|{{print nil 1}}|{{println "a" 1}}',
);
add("print", "values", "{{print .}}", values);
add("print", "floats", "{{range .}}{{.}} {{end}}", [
  1e6,
  123456.7,
  1e20,
  1e21,
  0.0001,
  1e-5,
  100000,
  0.1,
  -0.0,
  1.5e300,
  { $float: 1e6 },
  { $float: 1234567 },
]);
add("print", "large ints", '{{.a}} {{.b}} {{printf "%T" .b}}', { a: 9007199254740991, b: 9007199254740992 });

// ---- builtins
const bdata = {
  s: "abc",
  u: "日本",
  l: [1, 2, 3, 4],
  m: { k: "v", n: null },
  n: null,
  i: 2,
  html: `<a href="x">&'</a>`,
  nul: "a\u0000b",
  q: "a b&c=d/é",
};
const builtins = {
  "len string bytes": "{{len .s}} {{len .u}}",
  "len list map": "{{len .l}} {{len .m}}",
  "len nil": "{{len .n}}",
  "len int": "{{len .i}}",
  "index list": "{{index .l 0}} {{index .l 3}}",
  "index out of range": "{{index .l 4}}",
  "index negative": "{{index .l -1}}",
  "index string byte": '{{index .s 1}} {{printf "%T" (index .s 1)}}',
  "index map missing": '{{index .m "zz"}}|{{index .m "n"}}',
  "index map wrong key": "{{index .m 1}}",
  "index nested": '{{index . "l" 1}}',
  "index nil": "{{index .n 0}}",
  "index no args": "{{index .l}}",
  "slice list": "{{slice .l 1 3}} {{slice .l 2}} {{slice .l}}",
  "slice string": "{{slice .s 1}} {{slice .s 0 2}}",
  "slice 3-index string": "{{slice .s 0 1 2}}",
  "slice 3-index list": "{{slice .l 0 1 2}}",
  "slice out of range": "{{slice .l 2 1}}",
  html: "{{html .html}}|{{html .nul}}",
  js: '{{js .html}}|{{js "a\\nb\\t\'\\"="}}',
  urlquery: '{{urlquery .q}}|{{urlquery 1 "a b"}}',
  not: "{{not 0}} {{not 1}} {{not .n}} {{not .s}}",
  "and or values": '{{and 1 0 2}}|{{and 1 2}}|{{or 0 "" 3}}|{{or 0 ""}}|{{and}}',
  "and short circuit": "{{and 0 (index .l 99)}}|{{or 1 (index .l 99)}}",
  "call non func": "{{call .s}}",
  "call nil": "{{call .n}}",
  "eq chain": '{{eq 1 2 3 1}} {{eq .s "abc" "x"}} {{ne 1 2}}',
  "eq nil": "{{eq .n nil}} {{eq .missing .n}} {{eq .n 1}}",
  "eq incompatible": '{{eq 1 "1"}}',
  "eq int float": "{{eq 1 1.0}}",
  "eq non-comparable": "{{eq .l .l}}",
  "lt family": '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}}',
  "lt bool": "{{lt true false}}",
  "lt nil": "{{lt .n 1}}",
  "lt mixed": "{{lt 1 2.0}}",
  "builtin as pipeline": '{{.s | len | printf "%03d"}}',
  parenthesized: '{{printf "%d-%s" (len .l) (index .l 0 | printf "%v")}}',
};
for (const [n, t] of Object.entries(builtins)) add("builtins", n, t, bdata);

// ---- options and delims
const odata = { a: 1, m: { x: "y" }, n: null };
for (const opt of ["missingkey=default", "missingkey=invalid", "missingkey=zero", "missingkey=error"]) {
  add("options", `${opt} absent`, "{{.b}}", odata, { options: [opt] });
  add("options", `${opt} nested`, "{{.m.zz}}", odata, { options: [opt] });
  add("options", `${opt} null value`, "{{.n}}", odata, { options: [opt] });
  add("options", `${opt} index`, '{{index .m "zz"}}', odata, { options: [opt] });
  add(
    "options",
    `${opt} typed map`,
    "{{.zz}}",
    { $type: "map[string]string", value: { x: "y" } },
    { options: [opt] },
  );
}
add("options", "unknown option", "x", null, { options: ["missingkey=bogus"] });
add("options", "unknown option name", "x", null, { options: ["nope"] });
add("delims", "square", "[[.a]] {{.a}} [[- .a -]] [[/* c */]]", odata, { delims: ["[[", "]]"] });
add("delims", "left only", "<%.a}}", odata, { delims: ["<%", ""] });
add("delims", "same left and right", '|.a| |"|"|', odata, { delims: ["|", "|"] });
add("delims", "multibyte", "(日).a(本)", odata, { delims: ["(日)", "(本)"] });
add("delims", "define uses delims", [["main", '<<define "x">>X<<end>><<template "x">>']], null, {
  delims: ["<<", ">>"],
});

// ---- error positions (line:col and context)
const errs = {
  "unclosed action line 3": "a\nb\n{{ .x",
  "unexpected end": "{{end}}",
  "missing end": "{{if 1}}x",
  "bad number": "{{1a}}",
  "unknown function": "x {{nofunc 1}}",
  "exec field of string col": "line1\n  {{ .a.b }}",
  "exec index col": "{{ if true }}\n\n   {{ index .l 9 }}{{ end }}",
  "exec in define": '{{define "t"}}\n{{.a.b}}{{end}}{{template "t" .}}',
  "exec wrong arg type": '{{ printf "%s" (len 3) }}',
  "func error": '{{ failWith "boom" }}',
  "func error in pipeline": '{{ "x" | failWith }}',
  "unterminated string": '{{ "abc }}',
  "unterminated raw": "{{ `abc }}",
  "bad char": "{{ # }}",
  "unexpected eof in range": "{{range .l}}",
  "else after else": "{{if 1}}{{else}}{{else}}{{end}}",
  "empty pipeline": "{{ $x := }}",
  "non-executable": "{{ 1 2 }}",
  "field on nil": "{{ .n.x }}",
  "nil is not a command": "{{ nil }}",
  "error partial output": "ok so far {{ .a.b }} never",
  "template error context": '{{define "inner"}}{{index .l 10}}{{end}}before {{template "inner" .}}',
};
for (const [n, t] of Object.entries(errs))
  add("errors", n, t, { a: "A", l: [1], n: null }, { funcs: ["failWith"] });

// ---- where Go reports an exec error: the node its evaluator visited last
const pos = { s: [1, 2], x: "X", n: 3, m: { k: "v" }, t: true };
const positions = {
  "range field": "{{range .t}}{{end}}",
  "range variable": "{{$v := .t}}{{range $v}}{{end}}",
  "range variable field": "{{$v := .}}{{range $v.t}}{{end}}",
  "range chain": "{{range (.m).k}}{{end}}",
  "range literal": "{{range true}}{{end}}",
  "range func no args": "{{range zeroArgs}}{{end}}",
  "range func with args": '{{range printf "%v" .x}}{{end}}',
  "range func with literal arg": '{{range oneArg "a"}}{{end}}',
  "range pipeline of two": '{{range .s | printf "%v"}}{{end}}',
  "range pipeline to niladic": "{{range .x | oneArg}}{{end}}",
  "range parenthesized": '{{range (printf "%v" .s)}}{{end}}',
  "range with decl": "{{range $i := .t}}{{end}}",
  "range nested pipe arg": '{{range printf "%d" (len .s)}}{{end}}',
  "final wrong type no args": "{{3 | oneArg}}",
  "final wrong type after arg": '{{3 | twoArgs "a"}}',
  "final wrong type after field arg": "{{3 | twoArgs .x}}",
  "final wrong type after pipe arg": '{{3 | twoArgs (printf "%s" .x)}}',
  "final wrong type variadic": '{{3 | dddArg 1 "a"}}',
  "chain field of string": "{{(.x).Y}}",
  "chain field of func result": '{{(printf "%s" .x).Y}}',
  "chain field of func result no args": "{{(zeroArgs).Y}}",
  "chain two fields": "{{(.m).k.z}}",
  "chain on literal": "{{(1).Y}}",
  "chain in arg": "{{print (.x).Y}}",
  "pipe not a function first": "{{(1) 2}}",
  "pipe not a function second": "{{.n | (1) 2}}",
  "pipe not a function after func": "{{len .s | (1) 2}}",
  "pipe not a function in if": "{{if (1) 2}}{{end}}",
  "pipe not a function with final": "{{.n | (1)}}",
  "pipe not a function in arg": "{{print ((1) 2)}}",
  "pipe not a function decl": "{{$x := (1) 2}}",
  "literal not a function": "{{.n | 2}}",
  "field with final": "{{.n | .x}}",
  "variable with final": "{{$v := 1}}{{.n | $v}}",
  "range and all evaluated": "{{range and 1 .t}}{{end}}",
  "range or stops early": "{{range or .t .x}}{{end}}",
  "assign undefined after pipeline": "{{$x := 1}}{{with 2}}{{$x = len $.s}}{{end}}",
};
for (const [n, t] of Object.entries(positions))
  add("errpos", n, t, pos, { funcs: ["zeroArgs", "oneArg", "twoArgs", "dddArg"] });

// ---- typed data through the convention (struct and typed containers)
const sdata = {
  $struct: "*main.T",
  fields: [
    ["True", true],
    ["I", 7],
    ["X", "x"],
    ["S", "s"],
    ["FloatZero", { $float: 0 }],
    ["U", { $struct: "*main.U", fields: [["V", "v"]] }],
    ["SI", [1, 2]],
    ["SICap", []],
    ["SIEmpty", null],
    ["SB", [false]],
    ["AI", [9]],
    ["MSI", { b: 2, a: 1 }],
    ["MSIone", { one: 1 }],
    ["MSIEmpty", null],
    ["SMSI", [{ k: 1 }]],
    ["Empty0", null],
    ["Empty1", 3],
    ["Empty2", "e2"],
    ["Empty3", [1]],
    ["Empty4", { $struct: "main.U", fields: [["V", "val"]] }],
    ["NIL", null],
    ["BinaryFunc", { $func: "binary" }],
    ["VariadicFunc", null],
    ["VariadicFuncInt", null],
    ["ErrFunc", null],
    ["PanicFunc", { $func: "panic" }],
  ],
};
const structs = {
  fields: "{{.I}} {{.X}} {{.U.V}} {{.Empty4.V}}",
  "printf struct verbs": '{{printf "%v|%+v|%T" .U .U .U}}|{{printf "%v" .Empty4}}|{{printf "%#v" .Empty4}}',
  "unknown field": "{{.Nope}}",
  "unknown field missingkey=zero": "{{.U.Nope}}",
  "nil pointer field": "{{.NIL.V}}",
  "nil pointer if": "{{if .NIL}}t{{else}}f{{end}} {{with .NIL}}w{{else}}nil{{end}} {{.NIL}}",
  "nil slice and map fields": '{{.SIEmpty}} {{.MSIEmpty}} {{len .SIEmpty}} {{printf "%#v %#v" .SI .MSI}}',
  "typed slice type": '{{printf "%T %T %T" .SI .MSI .SMSI}}',
  "range struct": "{{range .U}}{{end}}",
  "index struct": "{{index .U 0}}",
  "len struct": "{{len .U}}",
  "call func field": '{{call .BinaryFunc "a" "b"}}',
  "call nil func field": "{{call .VariadicFunc}}",
  "call panicking func": "{{call .PanicFunc}}",
  "func field with args": '{{.BinaryFunc "a" "b"}}',
  "field with args": "{{.X 1}}",
  "eq struct pointers": "{{eq .U .U}} {{eq .NIL nil}}",
  "struct in range var": "{{range $i, $m := .SMSI}}{{$m.k}}{{end}}",
  "struct always true": "{{if .Empty4}}t{{end}}",
  "float zero field": '{{.FloatZero}} {{printf "%T" .FloatZero}} {{if .FloatZero}}t{{else}}f{{end}}',
  "interface field nil": '{{.Empty0}} {{printf "%v" .Empty0}} {{.Empty0.X}}',
};
for (const [n, t] of Object.entries(structs))
  add("struct", n, t, sdata, n.includes("missingkey") ? { options: ["missingkey=zero"] } : {});
add(
  "typed",
  "map[string]string zero",
  '{{.zz}}|{{index . "zz"}}|{{printf "%T" .}}',
  { $type: "map[string]string", value: { a: "b" } },
  { options: ["missingkey=zero"] },
);
add(
  "typed",
  "map[string]int zero",
  '{{.zz}}|{{printf "%T" .}}',
  { $type: "map[string]int", value: { a: 1 } },
  { options: ["missingkey=zero"] },
);
add("typed", "[]string", '{{printf "%T %v %q" . . .}}', { $type: "[]string", value: ["a", "b"] });
add("typed", "[]interface with nil", '{{printf "%v %T" . .}} {{index . 1}}', [1, null]);
add("typed", "float64 tag", '{{.}} {{printf "%d" .}} {{printf "%T" .}}', { $float: 3 });
add("typed", "float64 eq int is error", "{{eq . 3}}", { $float: 3 });

process.stdout.write(
  `${JSON.stringify({ comment: "Generated by test/conformance/project-cases.mjs; do not edit.", cases }, null, 1)}\n`,
);
