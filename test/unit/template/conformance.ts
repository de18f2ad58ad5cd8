/**
 * The project's Go text/template conformance corpus (test/conformance): case inputs, Go's results
 * (written by the Go oracle), and the conversion of the cases' JSON data into engine values with
 * the same Go typing the oracle gives them (README there describes the convention).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  float64,
  type GoFunc,
  goFunc,
  goNil,
  goStruct,
  Template,
  withGoType,
} from "../../../src/template/index.js";
import { sprint } from "../../../src/template/fmt.js";
import { EXTRA_FUNCS } from "./corpus-adapter.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const conformanceDir = join(repoRoot, "test/conformance");

export interface ConformanceCase {
  name: string;
  tags?: string[];
  templates?: [string, string][];
  template?: string;
  exec?: string;
  data?: unknown;
  funcs?: string | string[];
  options?: string[];
  delims?: [string, string];
  upstream?: Record<string, unknown>;
  note?: string;
}

export interface GoResult {
  name: string;
  expected?: string;
  error?: boolean;
  errorPhase?: "parse" | "exec" | "panic";
  errorMessage?: string;
  partialOutput?: string;
  addresses?: boolean;
}

interface DataFile {
  types: Record<string, [string, string][]>;
  refs: Record<string, unknown>;
  funcSets: Record<string, string[]>;
}

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, "utf8")) as T;

const casesDir = join(conformanceDir, "cases");
export const dataFile = readJson<DataFile>(join(casesDir, "data.json"));

/** Every case file except data.json, in file-name order (the oracle's order). */
export function loadCases(): { file: string; cases: ConformanceCase[] }[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith(".json") && f !== "data.json")
    .sort()
    .map((file) => ({ file, cases: readJson<{ cases: ConformanceCase[] }>(join(casesDir, file)).cases }));
}

export function loadExpected(): { go: string; results: GoResult[] } {
  return readJson(join(conformanceDir, "expected/go.json"));
}

/** Funcs a `$func` data value names (the oracle's dataFuncs). */
const DATA_FUNCS: Record<string, () => GoFunc> = {
  binary: () => goFunc(["string", "string"], "string", (a: string, b: string) => `[${a}=${b}]`),
  variadic: () => goFunc(["...string"], "string", (...s: string[]) => `<${s.join("+")}>`),
  variadicInt: () =>
    goFunc(["int", "...string"], "string", (a: number, ...s: string[]) =>
      sprint([a, "=<", s.join("+"), ">"]),
    ),
  bla: () => goFunc([], "string", () => "bla"),
  panic: () =>
    goFunc([], "string", () => {
      throw new Error("test panic");
    }),
};

const FUNCS: Record<string, GoFunc> = {
  ...EXTRA_FUNCS,
  upper: goFunc(["string"], "string", (s: string) => s.toUpperCase()),
};

const ANY = "interface {}";
const isStructName = (t: string): boolean => Object.hasOwn(dataFile.types, t.replace(/^\*/, ""));
const fieldsOf = (t: string): [string, string][] => {
  const f = dataFile.types[t.replace(/^\*/, "")];
  if (f === undefined) throw new Error(`unknown struct type ${t}`);
  return f;
};

/** Zero value of a Go type name, as the engine models it. */
function zero(t: string): unknown {
  switch (t) {
    case ANY:
      return null;
    case "int":
      return 0;
    case "string":
      return "";
    case "bool":
      return false;
    case "float64":
      return float64(0);
  }
  if (t.startsWith("func")) return null;
  if (t.startsWith("[]")) return withGoType([], t);
  if (t.startsWith("map[")) return withGoType({}, t);
  if (t.startsWith("*") && isStructName(t))
    return goNil(
      t,
      fieldsOf(t).map((f) => f[0]),
    );
  if (isStructName(t)) return goStruct(Object.fromEntries(fieldsOf(t).map(([n, ft]) => [n, zero(ft)])), t);
  throw new Error(`no zero value for ${t}`);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const only = (o: Record<string, unknown>, ...keys: string[]): boolean => {
  const k = Object.keys(o);
  return k.length === keys.length && keys.every((x) => k.includes(x));
};

/** Converts case JSON data into engine values of static Go type `t` (the oracle's `build`). */
export function toEngine(j: unknown, t = ANY): unknown {
  if (j === null || j === undefined) return zero(t);
  if (typeof j === "number") return t === "float64" || !Number.isSafeInteger(j) ? float64(j) : j;
  if (typeof j === "string" || typeof j === "boolean") return j;
  if (Array.isArray(j)) {
    const st = t === ANY ? "[]interface {}" : t;
    if (!st.startsWith("[]")) throw new Error(`array for ${t}`);
    const elems = j.map((e) => toEngine(e, st.slice(2)));
    return st === "[]interface {}" ? elems : withGoType(elems, st);
  }
  if (!isObj(j)) throw new Error(`unexpected JSON ${String(j)}`);
  if (only(j, "$float")) return float64(j.$float as number);
  if (only(j, "$ref")) {
    const r = dataFile.refs[j.$ref as string];
    if (r === undefined) throw new Error(`unknown ref ${String(j.$ref)}`);
    return toEngine(r, t);
  }
  if (only(j, "$func")) {
    const f = DATA_FUNCS[j.$func as string];
    if (f === undefined) throw new Error(`unknown func ${String(j.$func)}`);
    return f();
  }
  if (only(j, "$nil")) return zero(j.$nil as string);
  if (only(j, "$type", "value")) return toEngine(j.value, j.$type as string);
  if (only(j, "$struct", "fields")) {
    const name = j.$struct as string;
    const decl = fieldsOf(name);
    const given = j.fields as [string, unknown][];
    if (given.length !== decl.length)
      throw new Error(`${name}: ${given.length} fields, ${decl.length} declared`);
    const obj: Record<string, unknown> = {};
    decl.forEach(([fname, ftype], i) => {
      const g = given[i];
      if (g?.[0] !== fname) throw new Error(`${name}: field ${i} is ${fname}`);
      obj[fname] = toEngine(g[1], ftype);
    });
    return goStruct(obj, name);
  }
  for (const k of Object.keys(j)) if (k.startsWith("$")) throw new Error(`unknown tag ${k}`);
  const mt = t === ANY ? "map[string]interface {}" : t;
  if (!mt.startsWith("map[string]")) throw new Error(`object for ${t}`);
  const et = mt.slice("map[string]".length);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(j)) out[k] = toEngine(v, et);
  return mt === "map[string]interface {}" ? out : withGoType(out, mt);
}

export function templatesOf(c: ConformanceCase): [string, string][] {
  if (c.template !== undefined) return [["main", c.template]];
  if (!c.templates?.length) throw new Error(`${c.name}: no templates`);
  return c.templates;
}

export function funcNames(c: ConformanceCase): string[] {
  if (c.funcs === undefined) return [];
  if (typeof c.funcs === "string") {
    const set = dataFile.funcSets[c.funcs];
    if (set === undefined) throw new Error(`unknown func set ${c.funcs}`);
    return set;
  }
  return c.funcs;
}

/** Renders a case the way the oracle drives Go (README: "How Go is driven"). Throws on failure. */
export function renderCase(c: ConformanceCase): string {
  const templates = templatesOf(c);
  const [main, mainText] = templates[0] as [string, string];
  const t = new Template(main);
  if (c.delims) t.delims(c.delims[0], c.delims[1]);
  const fm: Record<string, GoFunc> = {};
  for (const n of funcNames(c)) {
    const f = FUNCS[n];
    if (f === undefined) throw new Error(`unknown func ${n}`);
    fm[n] = f;
  }
  t.funcs(fm);
  for (const o of c.options ?? []) t.option(o);
  t.parse(mainText);
  for (const [name, text] of templates.slice(1)) t.new(name).parse(text);
  const data = toEngine(c.data ?? null);
  return c.exec ? t.executeTemplate(c.exec, data) : t.execute(data);
}

export type Section = "behaviour" | "messages" | "shared";

/** `- \`case name\`: reason` bullets, by section (## Behaviour / ## Error messages / ## Shared corpus). */
export function knownDifferences(): Record<Section, Map<string, string>> {
  const text = readFileSync(resolve(repoRoot, "test/template/known-differences.md"), "utf8");
  const out: Record<Section, Map<string, string>> = {
    behaviour: new Map(),
    messages: new Map(),
    shared: new Map(),
  };
  let section: Section | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("## ")) {
      const h = line.toLowerCase();
      section = h.includes("message")
        ? "messages"
        : h.includes("shared")
          ? "shared"
          : h.includes("behaviour")
            ? "behaviour"
            : null;
      continue;
    }
    // `name` or `` name with a ` in it ``
    const m = /^- (?:`` (.+?) ``|`([^`]+)`):\s*(.+)$/.exec(line);
    if (!m) continue;
    if (section === null) throw new Error(`known-differences.md: bullet outside a section: ${line}`);
    out[section].set((m[1] ?? m[2]) as string, m[3] as string);
  }
  return out;
}

export type Outcome = { ok: true; out: string } | { ok: false; error: unknown };
export function attempt(f: () => string): Outcome {
  try {
    return { ok: true, out: f() };
  } catch (error) {
    return { ok: false, error };
  }
}
