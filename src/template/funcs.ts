/**
 * The builtin functions of Go text/template (funcs.go): index, slice, len, not, the comparisons,
 * and the html/js/urlquery escapers. They take values of the Go value model and throw
 * {@link GoError} for Go's `error` results (the executor adds "error calling NAME: ").
 */
import { sprint, sprintf } from "./fmt.js";
import { derefType, GO_STRUCT, GoNilPointer, goStructOf, isPointerType } from "./struct.js";
import {
  byteLen,
  elemZero,
  Float64,
  fromUtf8,
  GoScalar,
  Kind,
  kindOf,
  numOf,
  typeName,
  utf8,
} from "./values.js";

/** A Go `error` returned by a function (or a recovered panic). */
export class GoError extends Error {}

/** indirectInterface: nil interfaces become "no value". */
const ind = (v: unknown): unknown => (v === null ? undefined : v);

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  let x: number;
  if (k === Kind.Int || k === Kind.Uint) x = numOf(index);
  else if (index === undefined || index === null) throw new GoError("cannot index slice/array with nil");
  else throw new GoError(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0 || x > cap) throw new GoError(`index out of range: ${x}`);
  return x;
}

/** `index item idx...` */
export function index(item: unknown, indexes: unknown[]): unknown {
  let it = ind(item);
  if (it === undefined) throw new GoError("index of untyped nil");
  for (const raw of indexes) {
    const idx = ind(raw);
    if (it === null || it === undefined || it instanceof GoNilPointer) throw new GoError("index of nil pointer");
    if (typeof it === "string") {
      const b = utf8(it);
      const x = indexArg(idx, b.length);
      if (x === b.length) throw new GoError(`index out of range: ${x}`);
      it = new GoScalar("uint8", b[x] as number);
    } else if (Array.isArray(it)) {
      const x = indexArg(idx, it.length);
      if (x === it.length) throw new GoError(`index out of range: ${x}`);
      it = it[x];
      if (it === undefined) it = null;
    } else if (kindOf(it) === Kind.Map) {
      if (idx === undefined) {
        throw new GoError("value is nil; should be of type string");
      }
      if (typeof idx !== "string") throw new GoError(`value has type ${typeName(idx)}; should be string`);
      const o = it as Record<string, unknown>;
      const v = Object.hasOwn(o, idx) ? o[idx] : undefined;
      it = v === undefined ? elemZero(o) : v;
    } else {
      // Go indirects pointers first: `index` on a *T struct names T.
      throw new GoError(`can't index item of type ${derefType(typeName(it))}`);
    }
  }
  return it;
}

/** `slice item [i [j [k]]]` */
export function slice(item: unknown, indexes: unknown[]): unknown {
  const it = ind(item);
  if (it === undefined) throw new GoError("slice of untyped nil");
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  let bytes: Uint8Array | null = null;
  if (typeof it === "string") {
    if (indexes.length === 3) throw new GoError("cannot 3-index slice a string");
    bytes = utf8(it);
    cap = len = bytes.length;
  } else if (Array.isArray(it)) {
    cap = len = it.length;
  } else throw new GoError(`can't slice item of type ${typeName(it)}`);
  const idx = [0, len, 0];
  for (let i = 0; i < indexes.length; i++) idx[i] = indexArg(ind(indexes[i]), cap);
  const [a, b, c] = idx as [number, number, number];
  if (a > b) throw new GoError(`invalid slice index: ${a} > ${b}`);
  if (indexes.length === 3 && b > c) throw new GoError(`invalid slice index: ${b} > ${c}`);
  if (bytes !== null) return fromUtf8(bytes.slice(a, b));
  const arr = it as unknown[];
  const out = arr.slice(a, b);
  const t = typeName(arr);
  if (t !== "[]interface {}") Object.defineProperty(out, Symbol.for("k3s-node-kit.template.goType"), { value: t });
  return out;
}

/** `len item` */
export function length(item: unknown): number {
  if (item === null || item instanceof GoNilPointer) throw new GoError("len of nil pointer");
  if (typeof item === "string") return byteLen(item);
  if (Array.isArray(item)) return item.length;
  if (kindOf(item) === Kind.Map) return Object.keys(item as object).length;
  if (item === undefined) throw new GoError("reflect: call of reflect.Value.Type on zero Value");
  throw new GoError(`len of type ${derefType(typeName(item))}`);
}

const errBadComparisonType = "invalid type for comparison";
const errBadComparison = "incompatible types for comparison";
const errNoComparison = "missing argument for comparison";

function basicKind(v: unknown): Kind {
  const k = kindOf(v);
  switch (k) {
    case Kind.Bool:
    case Kind.Int:
    case Kind.Uint:
    case Kind.Float:
    case Kind.Complex:
    case Kind.String:
      return k;
    default:
      return Kind.Invalid;
  }
}

function comparable(v: unknown): boolean {
  const k = kindOf(v);
  if (k === Kind.Struct) {
    // A struct value is comparable when all its fields are (Go's Type.Comparable).
    const o = v as Record<string, unknown>;
    for (const f of Object.keys(o)) if (!comparable(o[f])) return false;
    return true;
  }
  return k !== Kind.Slice && k !== Kind.Map && k !== Kind.Func;
}

/** Go's `==` on two interface values of comparable types (pointers by identity, structs by field). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (a instanceof GoNilPointer || b instanceof GoNilPointer) {
    return a instanceof GoNilPointer && b instanceof GoNilPointer && a.type === b.type;
  }
  if (typeof a === "object" && typeof b === "object") {
    if (typeName(a) !== typeName(b)) return false;
    if (a instanceof Float64 || a instanceof GoScalar) return numOf(a) === numOf(b) && (a as GoScalar).imag === (b as GoScalar).imag;
    if (kindOf(a) === Kind.Struct) {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      for (const f of Object.keys(x)) if (!sameValue(x[f], y[f])) return false;
      return true;
    }
  }
  return false;
}

const isNilValue = (v: unknown): boolean => v === undefined || v instanceof GoNilPointer;

/** Go's canCompare: same reflect kind, or one side is nil. */
function canCompare(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return true;
  return kindOf(a) === kindOf(b);
}

/** `eq arg1 arg2...`: true when arg1 equals any later argument (stops at the first match). */
export function eq(arg1raw: unknown, rest: unknown[]): boolean {
  const arg1 = ind(arg1raw);
  if (rest.length === 0) throw new GoError(errNoComparison);
  const k1 = basicKind(arg1);
  for (const raw of rest) {
    const arg = ind(raw);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === Kind.Int && k2 === Kind.Uint) || (k1 === Kind.Uint && k2 === Kind.Int)) {
        truth = numOf(arg1) === numOf(arg);
      } else if (arg1 !== undefined && arg !== undefined) {
        throw new GoError(`${errBadComparison}: ${typeName(arg1)} and ${typeName(arg)}`);
      }
    } else {
      switch (k1) {
        case Kind.Bool:
        case Kind.String:
          truth = arg1 === arg;
          break;
        case Kind.Int:
          truth =
            arg1 instanceof GoScalar || arg instanceof GoScalar
              ? bigOf(arg1) === bigOf(arg)
              : numOf(arg1) === numOf(arg);
          break;
        case Kind.Uint:
        case Kind.Float:
          truth = numOf(arg1) === numOf(arg);
          break;
        case Kind.Complex:
          truth = (arg1 as GoScalar).value === (arg as GoScalar).value && (arg1 as GoScalar).imag === (arg as GoScalar).imag;
          break;
        default:
          if (!canCompare(arg1, arg)) {
            throw new GoError(`non-comparable types ${sprintf("%s", [arg1])}: ${typeName(arg1)}, ${typeName(arg)}: ${sprint([arg])}`);
          }
          if (isNilValue(arg1) || isNilValue(arg)) truth = isNilValue(arg1) === isNilValue(arg);
          else if (!comparable(arg)) throw new GoError(`non-comparable type ${sprintf("%s", [arg])}: ${typeName(arg)}`);
          else truth = sameValue(arg1, arg);
      }
    }
    if (truth) return true;
  }
  return false;
}

function bigOf(v: unknown): bigint {
  if (v instanceof GoScalar) return v.big ?? BigInt(v.value);
  return BigInt(v as number);
}

/** `lt a b` */
export function lt(a1: unknown, a2: unknown): boolean {
  const arg1 = ind(a1);
  const k1 = basicKind(arg1);
  if (k1 === Kind.Invalid) throw new GoError(errBadComparisonType);
  const arg2 = ind(a2);
  const k2 = basicKind(arg2);
  if (k2 === Kind.Invalid) throw new GoError(errBadComparisonType);
  if (k1 !== k2) {
    if ((k1 === Kind.Int && k2 === Kind.Uint) || (k1 === Kind.Uint && k2 === Kind.Int)) return numOf(arg1) < numOf(arg2);
    throw new GoError(`${errBadComparison}: ${typeName(arg1)} and ${typeName(arg2)}`);
  }
  switch (k1) {
    case Kind.Bool:
    case Kind.Complex:
      throw new GoError(errBadComparisonType);
    case Kind.String:
      return cmpGoStrings(arg1 as string, arg2 as string) < 0;
    default:
      return numOf(arg1) < numOf(arg2);
  }
}

function cmpGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Go compares bytes; UTF-8 byte order equals code-point order, which differs from UTF-16 order
  // only for astral characters.
  const ba = utf8(a);
  const bb = utf8(b);
  const n = Math.min(ba.length, bb.length);
  for (let i = 0; i < n; i++) if (ba[i] !== bb[i]) return (ba[i] as number) - (bb[i] as number);
  return ba.length - bb.length;
}

export function le(a: unknown, b: unknown): boolean {
  if (lt(a, b)) return true;
  return eq(a, [b]);
}
export function gt(a: unknown, b: unknown): boolean {
  return !le(a, b);
}
export function ge(a: unknown, b: unknown): boolean {
  return !lt(a, b);
}
export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, [b]);
}

/** Args of html/js/urlquery: one string arg is used as is, otherwise fmt.Sprint. */
/** The struct a pointer-to-struct points at (a copy typed `T` for `*T`); other values unchanged. */
function indirectStruct(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const t = (v as { [GO_STRUCT]?: string })[GO_STRUCT];
  return t !== undefined && isPointerType(t) ? goStructOf(derefType(t), v) : v;
}

function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  // Go's printableValue turns a nil operand into the string "<no value>" and indirects pointers
  // (a pointer to a struct prints as the struct, `{a b}` rather than `&{a b}`).
  return sprint(args.map((a) => (a === undefined || a === null ? "<no value>" : indirectStruct(a))));
}

/** `html`: template.HTMLEscapeString of the args. */
export function html(args: unknown[]): string {
  const s = evalArgs(args);
  if (!/[<>&'"\0]/.test(s)) return s;
  return s.replace(/[<>&'"\0]/g, (c) => {
    switch (c) {
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case "&":
        return "&amp;";
      case "'":
        return "&#39;";
      case '"':
        return "&#34;";
      default:
        return "\ufffd";
    }
  });
}

const JS_PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** `js`: template.JSEscapeString of the args (the backtick is left alone, as in 1.19 and current Go). */
export function js(args: unknown[]): string {
  const s = evalArgs(args);
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case "\\":
        out += "\\\\";
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case "<":
        out += "\\u003C";
        continue;
      case ">":
        out += "\\u003E";
        continue;
      case "&":
        out += "\\u0026";
        continue;
      case "=":
        out += "\\u003D";
        continue;
    }
    if (c < 0x80 ? c >= 0x20 : JS_PRINT.test(ch)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** `urlquery`: url.QueryEscape of fmt.Sprint of the args. */
export function urlquery(args: unknown[]): string {
  const s = evalArgs(args);
  let out = "";
  for (const b of utf8(s)) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (b === 0x20) out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
