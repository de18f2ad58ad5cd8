/**
 * Argument checks of the template subpath, run once at the entry of each export (the inner
 * functions the engine and src/containerd call are not checked again; exec loops never are).
 * Every refusal is a {@link TemplateArgumentError}.
 * @internal
 */
import { type Check, checkArg, checkOptions, describe, is } from "../internal/options.js";
import { TemplateArgumentError } from "./errors.js";

/** A bad argument: TEMPLATE_ARGUMENT_INVALID. */
export const fail = (message: string, value: unknown): TemplateArgumentError =>
  new TemplateArgumentError("TEMPLATE_ARGUMENT_INVALID", message, value);

/** A bad option (`option()` strings, `renderTemplate` options): TEMPLATE_OPTION_INVALID. */
export const failOption = (message: string, value: unknown): TemplateArgumentError =>
  new TemplateArgumentError("TEMPLATE_OPTION_INVALID", message, value);

/** A bad function map: TEMPLATE_FUNC. */
export const failFunc = (message: string, value: unknown): TemplateArgumentError =>
  new TemplateArgumentError("TEMPLATE_FUNC", message, value);

/** Longest template name or delimiter (Go has no limit; a name is echoed in every message). */
export const MAX_NAME = 4096;
/** Longest Go type name (`*config.Node`, `map[string]string`). */
export const MAX_TYPE = 1024;
/** Most parameters a goFunc may declare. */
export const MAX_PARAMS = 1024;

/** A template name or delimiter: any string (Go allows any), bounded. */
export const isName: Check = (v) =>
  typeof v !== "string" ? "must be a string" : v.length > MAX_NAME ? `is longer than ${MAX_NAME} characters` : undefined;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A Go type name: non-empty, no NUL, no control characters, bounded. */
export const isTypeName: Check = (v) =>
  typeof v !== "string" || v === ""
    ? "must be a non-empty Go type name"
    : v.length > MAX_TYPE
      ? `is longer than ${MAX_TYPE} characters`
      : CONTROL.test(v)
        ? "must not contain NUL or control characters"
        : undefined;

/** An object (or array) a Go type can be attached to. */
export const isObject: Check = (v) => (typeof v === "object" && v !== null ? undefined : "must be an object or an array");

/** A plain-object record (a struct's fields): not an array, not a string. */
export const isFields: Check = (v) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "must be an object";

const PARAM = new Set(["any", "string", "int", "bool", "float64"]);
const RESULT = new Set(["any", "string", "int", "bool", "float64", "[]string", "[]int", "map[string]string", "map[string]int", "func"]);

/** Checks goFunc / new GoFunc arguments; returns the params as a plain array copy. */
export function checkGoFunc(params: unknown, result: unknown, fn: unknown, what: string): string[] {
  if (!Array.isArray(params)) throw fail(`${what}: params must be a list of Go parameter types, got ${describe(params)}`, { option: "params" });
  if (params.length > MAX_PARAMS) throw fail(`${what}: params has more than ${MAX_PARAMS} entries`, { option: "params" });
  const out: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const p: unknown = params[i];
    const variadic = typeof p === "string" && p.startsWith("...");
    if (typeof p !== "string" || !PARAM.has(variadic ? p.slice(3) : p) || (variadic && i !== params.length - 1))
      throw fail(
        `${what}: params[${i}] must be one of ${[...PARAM].join(", ")} (the last may start with "..."), got ${describe(p)}`,
        { option: `params[${i}]`, value: typeof p === "string" ? p.slice(0, 64) : describe(p) },
      );
    out.push(p);
  }
  if (typeof result !== "string" || !RESULT.has(result))
    throw fail(`${what}: result must be one of ${[...RESULT].join(", ")}, got ${describe(result)}`, {
      option: "result",
      value: typeof result === "string" ? result.slice(0, 64) : describe(result),
    });
  checkArg(fn, is.function, "fn", fail, what);
  return out;
}

/** Options of renderTemplate, checked; `funcs` is checked by the funcs() check. */
export interface CheckedRenderOptions {
  name?: string;
  funcs?: object;
  options?: string[];
  delims?: [string, string];
  templates?: Record<string, string>;
}

const isDelims: Check = (v) =>
  Array.isArray(v) && v.length === 2 && isName(v[0]) === undefined && isName(v[1]) === undefined
    ? undefined
    : "must be a pair of strings [left, right]";

const RENDER_SPEC: { readonly [K in keyof CheckedRenderOptions]-?: Check } = {
  name: isName,
  funcs: (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "must be an object of functions"),
  options: (v) =>
    Array.isArray(v) && v.length <= 64 && v.every((x) => typeof x === "string" && x.length <= MAX_NAME)
      ? undefined
      : "must be a list of option strings",
  delims: isDelims,
  templates: (v) => (is.record(v) === undefined ? undefined : "must be an object of template texts"),
};

/** renderTemplate's options: unknown keys refused, each known one checked (TEMPLATE_OPTION_INVALID). */
export function checkRenderOptions(opts: unknown): CheckedRenderOptions {
  const o = checkOptions<CheckedRenderOptions>(opts, RENDER_SPEC, failOption, "renderTemplate");
  if (o.templates !== undefined) {
    const copy = Object.create(null) as Record<string, string>;
    for (const k of Object.keys(o.templates)) {
      let body: unknown;
      try {
        body = o.templates[k];
      } catch (e) {
        throw failOption(`renderTemplate: option "templates" entry cannot be read: ${(e as Error)?.message ?? e}`, { option: "templates" });
      }
      const p = isName(k);
      if (p !== undefined) throw failOption(`renderTemplate: option "templates" has a name that ${p}`, { option: "templates" });
      const q = is.text(body);
      if (q !== undefined) throw failOption(`renderTemplate: option "templates" entry ${JSON.stringify(k.slice(0, 64))} ${q}, got ${describe(body)}`, { option: "templates" });
      copy[k] = body as string;
    }
    o.templates = copy;
  }
  return o;
}

/** A positional argument of `what` (TEMPLATE_ARGUMENT_INVALID). */
export function arg<T>(value: unknown, check: Check, name: string, what: string): T {
  return checkArg<T>(value, check, name, fail, what);
}

export { is };
