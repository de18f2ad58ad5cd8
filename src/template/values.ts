/**
 * The Go value model the engine works on.
 *
 * JS data maps onto Go's `any` like this: a safe-integer `number` is `int`, any other `number` is
 * `float64`, `string`/`boolean` are `string`/`bool`, arrays are `[]interface {}`, plain objects are
 * `map[string]interface {}`, `null` is a nil interface and `undefined` is "no value" (Go's invalid
 * `reflect.Value`). {@link float64} marks an integral number as Go float64; `goStruct` (struct.ts)
 * marks an object as a Go struct.
 */

import { checkGoFunc } from "./check.js";
import { GO_ELEM_ZERO, GO_STRUCT, GoNilPointer, isPointerType } from "./struct.js";

/** Symbol under which a non-default Go type name (e.g. `[]string`) is kept on an array/object. */
export const GO_TYPE: unique symbol = Symbol.for("k3s-node-kit.template.goType") as never;

/**
 * A Go float64 whose value happens to be integral (non-integral JS numbers are float64 anyway).
 * Create it with {@link float64}.
 *
 * @example
 * ```ts
 * float64(2) instanceof Float64; // true
 * ```
 */
export class Float64 {
  constructor(readonly value: number) {}
}

/**
 * A typed Go scalar that has no JS equivalent: uint8 (from `index` on strings), complex128, and
 * an `int` outside JS's safe-integer range (kept exactly in `big`).
 */
export class GoScalar {
  constructor(
    readonly type: "uint8" | "complex128" | "int",
    readonly value: number,
    readonly imag = 0,
    readonly big?: bigint,
  ) {}
}

/**
 * Marks `n` as a Go float64: `float64(3)` prints `3` but fails `%d` and does not `eq` an int.
 *
 * @example
 * ```ts
 * renderTemplate("{{.}}", float64(1e6)); // "1e+06"
 * ```
 * @throws never
 */
export function float64(n: number): Float64 {
  return new Float64(n);
}

/** Go parameter/result types a custom function may declare. */
export type GoParamType = "any" | "string" | "int" | "bool" | "float64";
/** Result types a custom function may declare (tags the returned value with its Go type). */
export type GoResultType =
  | "any"
  | "string"
  | "int"
  | "bool"
  | "float64"
  | "[]string"
  | "[]int"
  | "map[string]string"
  | "map[string]int"
  | "func";

/**
 * A JS function with a declared Go signature, so arguments get Go's conversion checks.
 * Create it with {@link goFunc}.
 *
 * @example
 * ```ts
 * goFunc(["string"], "string", (s: string) => s).signature(); // "func(string) string"
 * ```
 */
export class GoFunc {
  readonly params: GoParamType[];
  readonly variadic: boolean;
  readonly result: GoResultType;
  readonly fn: (...args: never[]) => unknown;
  /**
   * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `params` is not a list of Go
   *   parameter types (only the last may be `...T`), `result` not a known result type or `fn` not a
   *   function. Checked once, here: {@link goFunc} is this constructor.
   */
  constructor(params: readonly string[], result: GoResultType, fn: (...args: never[]) => unknown) {
    const ps = checkGoFunc(params, result, fn, "GoFunc");
    this.result = result;
    this.fn = fn;
    const last = ps[ps.length - 1];
    this.variadic = last?.startsWith("...") === true;
    this.params = ps.map((p) => (p.startsWith("...") ? p.slice(3) : p) as GoParamType);
  }
  /** Go spelling of the signature, e.g. `func(string, ...string) string`. */
  signature(): string {
    const ps = this.params.map((p, i) => {
      const t = p === "any" ? "interface {}" : p;
      return this.variadic && i === this.params.length - 1 ? `...${t}` : t;
    });
    const r = this.result === "any" ? "interface {}" : this.result === "func" ? "func()" : this.result;
    return `func(${ps.join(", ")}) ${r}`;
  }
}

/**
 * Declares a custom template function with a Go signature, e.g. `goFunc(["string", "...string"],
 * "string", fn)`. Arguments are checked and converted like Go's reflect call (a number literal
 * for a `string` parameter is a "wrong type" error); the result is tagged with its Go type.
 * Throwing from `fn` is Go's non-nil error result (`error calling name: message`).
 *
 * @example
 * ```ts
 * t.funcs({ join: goFunc(["...string"], "string", (...s: string[]) => s.join("/")) });
 * ```
 * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID for a bad signature or a non-function `fn`
 *   (argument errors of a call surface at execution as TEMPLATE_EXEC).
 */
export function goFunc<A extends unknown[], R>(
  params: readonly string[],
  result: GoResultType,
  fn: (...args: A) => R,
): GoFunc {
  return new GoFunc(params, result, fn as unknown as (...args: never[]) => unknown);
}

/**
 * Tags an array or object with a Go type name such as `[]string` or `map[string]int` (what `%T`
 * prints; a `map[string]string` also yields `""` for a missing key under `missingkey=zero`).
 *
 * @example
 * ```ts
 * renderTemplate('{{printf "%T" .}}', withGoType(["a"], "[]string")); // "[]string"
 * ```
 * @throws never
 */
export function withGoType<T extends object>(v: T, type: string): T {
  Object.defineProperty(v, GO_TYPE, { value: type, enumerable: false });
  return v;
}

export const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** Basic kinds used by comparisons and truthiness. */
export enum Kind {
  Invalid = 0,
  Bool = 1,
  Int = 2,
  Uint = 3,
  Float = 4,
  Complex = 5,
  String = 6,
  Slice = 7,
  Map = 8,
  Func = 9,
  /** A struct value ({@link goStruct} with a non-pointer type name). */
  Struct = 10,
  /** A pointer to a struct (marked `*T`), or a typed nil pointer. */
  Ptr = 11,
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case "number":
      return Number.isSafeInteger(v) ? Kind.Int : Kind.Float;
    case "string":
      return Kind.String;
    case "boolean":
      return Kind.Bool;
    case "function":
      return Kind.Func;
    case "bigint":
      return Kind.Int;
    case "object":
      if (v === null) return Kind.Invalid;
      if (v instanceof Float64) return Kind.Float;
      if (v instanceof GoScalar) return v.type === "uint8" ? Kind.Uint : v.type === "int" ? Kind.Int : Kind.Complex;
      if (v instanceof GoFunc) return Kind.Func;
      if (Array.isArray(v)) return Kind.Slice;
      if (GO_STRUCT in v) return isPointerType((v as { [GO_STRUCT]: string })[GO_STRUCT]) ? Kind.Ptr : Kind.Struct;
      if (v instanceof GoNilPointer) return Kind.Ptr;
      return Kind.Map;
    default:
      return Kind.Invalid;
  }
}

/** Numeric value of an int/uint/float kind value. */
export function numOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Float64 || v instanceof GoScalar) return v.value;
  return Number.NaN;
}

/** Go's type name as `%T` prints it. */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Number.isSafeInteger(v) ? "int" : "float64";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "function":
      return "func(...interface {}) interface {}";
    case "bigint":
      return "int";
    case "object": {
      if (v === null) return "<nil>";
      if (v instanceof Float64) return "float64";
      if (v instanceof GoScalar) return v.type;
      if (v instanceof GoFunc) return v.signature();
      if (v instanceof GoNilPointer) return v.type;
      const st = (v as { [GO_STRUCT]?: string })[GO_STRUCT];
      if (st !== undefined) return st;
      const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
      if (t !== undefined) return t;
      return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
    }
    default:
      return "<nil>";
  }
}

/** Element type name of a slice/map type name (`[]string` → `string`). */
export function elemTypeName(container: object): string {
  const t = (container as { [GO_TYPE]?: string })[GO_TYPE];
  if (t === undefined) return "interface {}";
  return t.startsWith("[]") ? t.slice(2) : t.slice(t.indexOf("]") + 1);
}

/** Zero value of a map's element type (a declared struct zero, see `withElemZero`, or by type name). */
export function elemZero(map: object): unknown {
  const z = (map as { [GO_ELEM_ZERO]?: () => unknown })[GO_ELEM_ZERO];
  return typeof z === "function" ? z() : zeroOf(elemTypeName(map));
}

/** Zero value of a Go type name (only the types this engine produces). */
export function zeroOf(type: string): unknown {
  switch (type) {
    case "string":
      return "";
    case "int":
      return 0;
    case "bool":
      return false;
    case "float64":
      return new Float64(0);
    case "uint8":
      return new GoScalar("uint8", 0);
    default:
      return null;
  }
}

/** Go truthiness (`isTrue`); `undefined` and `null` are false. */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "string":
      return v.length > 0;
    case "number":
      return v !== 0;
    case "function":
      return true;
    case "bigint":
      return v !== 0n;
    case "object":
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof Float64) return v.value !== 0;
      if (v instanceof GoScalar) return v.value !== 0 || v.imag !== 0;
      if (v instanceof GoFunc) return true;
      // Go: a typed nil pointer is false, a struct (even with no fields) is always true.
      if (v instanceof GoNilPointer) return false;
      for (const _ in v) return true;
      return GO_STRUCT in v;
    default:
      return false;
  }
}

/** Bytes of a Go string (JS strings are UTF-16). */
const enc = new TextEncoder();
const dec = new TextDecoder();
export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}
export function fromUtf8(b: Uint8Array): string {
  return dec.decode(b);
}
/** `len` of a Go string: its UTF-8 byte count. */
export function byteLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 2; // a surrogate pair (2 units) is 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Map keys in Go's sorted order (bytewise UTF-8, which equals code-point order). */
export function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  if (keys.length < 2) return keys;
  // UTF-16 order equals code-point order unless a key has an astral (surrogate-pair) character.
  keys.sort();
  for (const k of keys) if (SURROGATE.test(k)) return keys.sort(cmpCodePoints);
  return keys;
}

function cmpCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}
