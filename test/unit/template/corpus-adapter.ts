/**
 * Extra funcs with their Go signatures (used by the conformance corpus in test/conformance and by the
 * Go oracle test) and `render(...)` in the shape the older shared corpus runner expects, for the
 * extra check test/extra/shared-corpus.check.ts (npm run test:shared-corpus).
 */
import { float64, GoFunc, goFunc, Template, withGoType } from "../../../src/template/index.js";
import { sprint, sprintf, sprintln } from "../../../src/template/fmt.js";
import { Float64, GoScalar } from "../../../src/template/values.js";

/** Go's encoding/json.Marshal (the subset of values the corpus produces). */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "string":
      return jsonString(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      return jsonNumber(v);
    case "function":
      throw new Error("json: unsupported type");
  }
  if (v instanceof Float64) return jsonNumber(v.value);
  if (v instanceof GoScalar) {
    if (v.type === "uint8") return String(v.value);
    throw new Error("json: unsupported type: complex128");
  }
  if (v instanceof GoFunc) throw new Error("json: unsupported type");
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x)).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return `{${keys.map((k) => `${jsonString(k)}:${goJson(o[k])}`).join(",")}}`;
}

function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error("json: unsupported value");
  // Go's float encoding matches ES6 Number formatting (what JSON.stringify does).
  return JSON.stringify(n);
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Go's path/filepath.Join on Linux. */
export function filepathJoin(parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== "");
  if (nonEmpty.length === 0) return "";
  return cleanPath(nonEmpty.join("/"));
}

function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? "/" : "") + out.join("/");
  return s === "" ? "." : s;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** README's extra funcs, each with its Go signature. */
export const EXTRA_FUNCS: Record<string, GoFunc> = {
  deschemify: goFunc(["string"], "string", (s: string) => s),
  toJson: goFunc(["any"], "string", (v: unknown) => {
    try {
      return goJson(v);
    } catch {
      return "";
    }
  }),
  filepathjoin: goFunc(["...string"], "string", (...p: string[]) => filepathJoin(p)),
  add: goFunc(["...int"], "int", (...n: number[]) => n.reduce((a, b) => a + b, 0)),
  count: goFunc(["int"], "[]string", (n: number) => [...LETTERS.slice(0, Math.max(0, n))]),
  dddArg: goFunc(["int", "...string"], "string", (a: number, ...b: string[]) => sprintln([a, withGoType([...b], "[]string")])),
  die: goFunc([], "bool", () => {
    throw new Error("die");
  }),
  echo: goFunc(["any"], "any", (v: unknown) => v),
  makemap: goFunc(["...string"], "map[string]string", (...s: string[]) => {
    if (s.length % 2 !== 0) throw new Error("bad makemap");
    const m: Record<string, string> = {};
    for (let i = 0; i < s.length; i += 2) m[s[i] as string] = s[i + 1] as string;
    return m;
  }),
  mapOfThree: goFunc([], "any", () => withGoType({ three: 3 }, "map[string]int")),
  oneArg: goFunc(["string"], "string", (a: string) => `oneArg=${a}`),
  twoArgs: goFunc(["string", "string"], "string", (a: string, b: string) => `twoArgs=${a}${b}`),
  returnInt: goFunc([], "int", () => 7),
  typeOf: goFunc(["any"], "string", (v: unknown) => sprintf("%T", [v])),
  valueString: goFunc(["string"], "string", () => "value is ignored"),
  zeroArgs: goFunc([], "string", () => "zeroArgs"),
  contains: goFunc(["string", "string"], "bool", (a: string, b: string) => a.includes(b)),
  doPanic: goFunc([], "string", () => {
    throw new Error("custom panic string");
  }),
  myError: goFunc(["bool"], "bool", (b: boolean) => {
    if (b) throw new Error("my error");
    return false;
  }),
  failWith: goFunc(["string"], "string", (m: string) => {
    throw new Error(m);
  }),
  getBinaryFunc: goFunc([], "func", () => goFunc(["string", "string"], "string", (a: string, b: string) => `[${a}=${b}]`)),
  getVariadicFunc: goFunc([], "func", () => goFunc(["...string"], "string", (...s: string[]) => `<${s.join("+")}>`)),
  getVariadicFuncInt: goFunc([], "func", () =>
    goFunc(["int", "...string"], "string", (a: number, ...s: string[]) => sprint([a, "=<", s.join("+"), ">"])),
  ),
  getErrFunc: goFunc([], "func", () => goFunc([], "string", () => "bla")),
  getFailFunc: goFunc([], "func", () =>
    goFunc([], "string", () => {
      throw new Error("failed in call");
    }),
  ),
  getPanicFunc: goFunc([], "func", () =>
    goFunc([], "string", () => {
      throw new Error("test panic");
    }),
  ),
};

/** Converts corpus JSON data: `{"$float": n}` → float64(n), recursively. */
export function convertData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(convertData);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "$float" && typeof o.$float === "number") return float64(o.$float);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = convertData(o[k]);
    return out;
  }
  return v;
}

export interface RenderOptions {
  funcs: string[];
  options: string[];
  delims: [string, string] | null;
  exec: string | null;
}

/** run-corpus.mjs's adapter entry point. */
export function render(templates: Record<string, string>, main: string, data: unknown, options: RenderOptions): string {
  const t = new Template(main);
  if (options.delims) t.delims(options.delims[0], options.delims[1]);
  const fm: Record<string, GoFunc> = {};
  for (const f of options.funcs) {
    const fn = EXTRA_FUNCS[f];
    if (fn === undefined) throw new Error(`unknown corpus func ${f}`);
    fm[f] = fn;
  }
  t.funcs(fm);
  for (const o of options.options) t.option(o);
  t.parse(templates[main] ?? "");
  for (const [name, text] of Object.entries(templates)) {
    if (name === main) continue;
    t.new(name).parse(text);
  }
  const d = convertData(data);
  return options.exec ? t.executeTemplate(options.exec, d) : t.execute(d);
}
