/**
 * The checked exports of the value helpers: each checks its arguments once (check.ts), then calls
 * the unchecked function in struct.ts / values.ts, which the engine and src/containerd call
 * directly.
 * @internal
 */
import { arg, fail, is, isFields, isObject, isTypeName, MAX_NAME } from "./check.js";
import * as S from "./struct.js";
import type { GoNilPointer } from "./struct.js";
import * as V from "./values.js";
import type { Float64 } from "./values.js";

/**
 * Marks `obj` as a Go struct of type `type` (see struct.ts for the semantics).
 *
 * @example
 * ```ts
 * renderTemplate('{{printf "%+v" .}}', goStruct({ Snapshotter: "overlayfs" }, "*config.Agent")); // "&{Snapshotter:overlayfs}"
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `obj` is not an object (or is frozen)
 *   or `type` not a Go type name (non-empty, no NUL or control characters, at most 1024 characters).
 */
export function goStruct<T extends object>(obj: T, type: string): T {
  arg(obj, isObject, "obj", "goStruct");
  arg(type, isTypeName, "type", "goStruct");
  try {
    return S.goStruct(obj, type);
  } catch (e) {
    throw fail(`goStruct: obj cannot be marked: ${e instanceof Error ? e.message : typeof e}`, { option: "obj" });
  }
}

/**
 * A new struct of type `type` holding a copy of `fields`.
 *
 * @example
 * ```ts
 * goStructOf("config.Containerd", { Root: "/var/lib/rancher/k3s/agent/containerd" });
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `type` is not a Go type name or
 *   `fields` not an object.
 */
export function goStructOf<T extends object>(type: string, fields: T): T {
  // Checked first: Object.assign from a 4 MB string would copy 4 million index properties.
  arg(type, isTypeName, "type", "goStructOf");
  arg(fields, isFields, "fields", "goStructOf");
  try {
    return S.goStructOf(type, fields);
  } catch (e) {
    throw fail(`goStructOf: fields cannot be copied: ${e instanceof Error ? e.message : typeof e}`, { option: "fields" });
  }
}

/**
 * A typed nil pointer to a struct.
 *
 * @example
 * ```ts
 * renderTemplate("{{if .Auth}}x{{end}}", { Auth: goNil("*registries.AuthConfig") }); // ""
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `type` is not a Go type name or
 *   `fields` (optional) not a list of strings.
 */
export function goNil(type: string, fields?: readonly string[]): GoNilPointer {
  arg(type, isTypeName, "type", "goNil");
  if (fields !== undefined) {
    const p = is.stringArray(fields) ?? (fields.some((f) => f.length > MAX_NAME) ? "has a name that is too long" : undefined);
    if (p !== undefined) arg(fields, () => p, "fields", "goNil");
  }
  return S.goNil(type, fields);
}

/**
 * Declares the zero value of a map's elements.
 *
 * @example
 * ```ts
 * withElemZero(withGoType({}, "map[string]main.T"), () => goStruct({ A: "" }, "main.T"));
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `map` is not an object or `zero` not a
 *   function (or `map` is frozen).
 */
export function withElemZero<T extends object>(map: T, zero: () => unknown): T {
  arg(map, isObject, "map", "withElemZero");
  arg(zero, is.function, "zero", "withElemZero");
  try {
    return S.withElemZero(map, zero);
  } catch (e) {
    throw fail(`withElemZero: map cannot be marked: ${e instanceof Error ? e.message : typeof e}`, { option: "map" });
  }
}

/**
 * Tags an array or object with a Go type name such as `[]string`.
 *
 * @example
 * ```ts
 * renderTemplate('{{printf "%T" .}}', withGoType(["a"], "[]string")); // "[]string"
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `v` is not an object or array, or
 *   `type` not a Go type name (or `v` is frozen).
 */
export function withGoType<T extends object>(v: T, type: string): T {
  arg(v, isObject, "v", "withGoType");
  arg(type, isTypeName, "type", "withGoType");
  try {
    return V.withGoType(v, type);
  } catch (e) {
    throw fail(`withGoType: value cannot be marked: ${e instanceof Error ? e.message : typeof e}`, { option: "v" });
  }
}

/**
 * Marks `n` as a Go float64.
 *
 * @example
 * ```ts
 * renderTemplate("{{.}}", float64(1e6)); // "1e+06"
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `n` is not a number.
 */
export function float64(n: number): Float64 {
  if (typeof n !== "number") arg(n, () => "must be a number", "n", "float64");
  return V.float64(n);
}
