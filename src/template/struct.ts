/**
 * Go struct values for the engine: a JS object marked with a Go struct type name gets Go's struct
 * semantics (fields are fixed, an unknown field is an exec error, `%v` prints `{a b}` in field
 * order, `range`/`index`/`len` reject it, it is always true). A type name starting with `*` is a
 * pointer to a struct (`%v` at top level prints `&{a b}`); {@link goNil} is a typed nil pointer.
 */
/** Symbol under which a struct's Go type name (e.g. `*config.Node`) is kept. */
export const GO_STRUCT: unique symbol = Symbol.for("k3s-node-kit.template.goStruct") as never;

/**
 * A typed nil pointer to a struct, e.g. a `*registries.AuthConfig` that is nil. Create it with
 * {@link goNil}. It is false in `if`, prints `<nil>`, equals `nil`, and a field access is Go's
 * `nil pointer evaluating *T.Field` (or `can't evaluate field` for a name that is not a field).
 *
 * @example
 * ```ts
 * goNil("*main.T", ["A"]) instanceof GoNilPointer; // true
 * ```
 */
export class GoNilPointer {
  constructor(
    /** Go type name, e.g. `*registries.AuthConfig`. */
    readonly type: string,
    /** Field names of the pointed-to struct; `null` when unknown (every name counts as a field). */
    readonly fields: readonly string[] | null,
  ) {}
  /** Go's `json.Marshal` of a nil pointer is `null`. */
  toJSON(): null {
    return null;
  }
}

/**
 * Marks `obj` as a Go struct of type `type` (`"config.Containerd"`, or `"*config.Node"` for a
 * pointer to one). Its own enumerable keys are the fields, in declaration order (object key
 * order). Field values keep their own Go typing (a plain object field is still a map).
 *
 * @example
 * ```ts
 * const node = goStruct({ Snapshotter: "overlayfs" }, "*config.Agent");
 * renderTemplate("{{.Snapshoter}}", node); // throws TEMPLATE_EXEC: can't evaluate field Snapshoter in type *config.Agent
 * renderTemplate('{{printf "%+v" .}}', node); // "&{Snapshotter:overlayfs}"
 * ```
 * @throws never
 */
export function goStruct<T extends object>(obj: T, type: string): T {
  // A plain symbol-keyed property: much cheaper than defineProperty, and invisible to
  // Object.keys, for-in and JSON (a spread copy keeps the mark, like copying a Go struct).
  (obj as { [GO_STRUCT]?: string })[GO_STRUCT] = type;
  return obj;
}

/**
 * A new struct of type `type` holding a copy of `fields` (own enumerable keys, in order). Same as
 * `goStruct({ ...fields }, type)` but much cheaper for large objects (V8 cannot cheaply add a
 * property to a spread copy).
 *
 * @example
 * ```ts
 * const c = goStructOf("config.Containerd", { Root: "/var/lib/rancher/k3s/agent/containerd" });
 * renderTemplate("{{.Roots}}", c); // throws TEMPLATE_EXEC: can't evaluate field Roots in type config.Containerd
 * ```
 * @throws never (the exported goStructOf checks its arguments first)
 */
export function goStructOf<T extends object>(type: string, fields: T): T {
  const o = Object.assign({ [GO_STRUCT]: type }, fields);
  // A marked source (a copied struct) must not overwrite the new type.
  if (o[GO_STRUCT] !== type) o[GO_STRUCT] = type;
  return o as T;
}

/**
 * A typed nil pointer to a struct (see {@link GoNilPointer}).
 *
 * @example
 * ```ts
 * renderTemplate("{{if .Auth}}x{{end}}", { Auth: goNil("*registries.AuthConfig") }); // ""
 * ```
 * @throws never
 */
export function goNil(type: string, fields?: readonly string[]): GoNilPointer {
  return new GoNilPointer(type, fields === undefined ? null : [...fields]);
}

/** Symbol under which a map keeps the factory of its elements' zero value. */
export const GO_ELEM_ZERO: unique symbol = Symbol.for("k3s-node-kit.template.goElemZero") as never;

/**
 * Declares the zero value of a map's elements, for maps whose Go element type is a struct
 * (`map[string]templates.ContainerdRuntimeConfig`): `index` of a missing key and a missing key under
 * `missingkey=zero` give `zero()` as Go gives the zero struct.
 *
 * @example
 * ```ts
 * const m = withElemZero(withGoType({}, "map[string]main.T"), () => goStruct({ A: "" }, "main.T"));
 * renderTemplate('{{index . "x"}}', m); // "{}"
 * ```
 * @throws never
 */
export function withElemZero<T extends object>(map: T, zero: () => unknown): T {
  Object.defineProperty(map, GO_ELEM_ZERO, { value: zero, enumerable: false, configurable: true });
  return map;
}

/** True for a struct type name that is a pointer (`*T`). */
export const isPointerType = (t: string): boolean => t.charCodeAt(0) === 42; // '*'

/** The pointed-to type (`*T` → `T`), what Go names after `indirect`. */
export const derefType = (t: string): string => (isPointerType(t) ? t.slice(1) : t);

/** True when struct `o` has a field `name`. */
export function hasField(o: object, name: string): boolean {
  return Object.hasOwn(o, name) && Object.prototype.propertyIsEnumerable.call(o, name);
}
