/**
 * Go's `encoding/json` `json.Marshal` over the template engine's value model and the containerd
 * dot (k3s-structs.ts): what K3s's `toJson` template func prints. Struct fields in declaration
 * order under their `json` tags (`omitempty`, `-`, `,string`), map keys sorted by their UTF-8
 * bytes, nil pointers/maps/slices as `null`, `[]byte` (a `Uint8Array`) as base64, floats as
 * encoding/json formats them, strings with Go's HTML-safe escapes.
 */
import { Float64, GoFunc, GoNilPointer } from "../template/index.js";
import { GO_IPNET_JSON, type GoJsonTag, isGoNilContainer, jsonFieldsOf } from "./k3s-structs.js";

/** Where a struct type's fields and `json` tags come from (the k3s-structs.ts schema by default). */
export type JsonFieldsOf = (type: string) => readonly (readonly [string, string, GoJsonTag])[] | undefined;

// Read through Symbol.for so this file needs nothing from the engine's internals.
const GO_STRUCT = Symbol.for("k3s-node-kit.template.goStruct");

/** An error json.Marshal returns (toJson then prints ""). */
class UnsupportedError extends Error {}

const HEX = "0123456789abcdef";
// Characters Go's encoder does not copy through: controls, `"`, `\`, HTML's <>&, U+2028/9, and
// UTF-16 surrogates (a lone one is invalid text, written as U+FFFD like Go's invalid UTF-8).
const NEEDS_ESCAPE = /["\\<>&\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/**
 * A JSON string as Go's encoder writes it (`escapeHTML` on: `<` `>` `&` as `\u003c` ...; U+2028,
 * U+2029 escaped; `\b \f \n \r \t` short; other controls `\u00XX`; a lone surrogate `\ufffd`).
 * @example
 * ```ts
 * goJsonString("a<b"); // '"a\\u003cb"'
 * ```
 * @throws never.
 */
export function goJsonString(s: string, escapeHTML = true): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      esc =
        c === 0x0a
          ? "\\n"
          : c === 0x0d
            ? "\\r"
            : c === 0x09
              ? "\\t"
              : c === 0x08
                ? "\\b"
                : c === 0x0c
                  ? "\\f"
                  : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))
      esc = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) esc = `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: copied through as UTF-8
        continue;
      }
      esc = "\\ufffd";
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return `${out}${s.slice(start)}"`;
}

/** encoding/json's float64 text: `'f'` format, `'e'` below 1e-6 or from 1e21 (`e-07` → `e-7`). */
function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new UnsupportedError("json: unsupported value");
  // ECMAScript's Number::toString is the shortest round-trip text with the same switch points
  // and exponent spelling; only negative zero differs (Go keeps the sign).
  return Object.is(f, -0) ? "-0" : String(f);
}

/** UTF-8 byte order of two strings (Go's `sort.Strings` on map keys): code point order. */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in UTF-8.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** encoding/json's isEmptyValue, for `omitempty`. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof GoNilPointer) return true;
  switch (typeof v) {
    case "string":
      return v.length === 0;
    case "boolean":
      return !v;
    case "number":
      return v === 0;
    case "bigint":
      return v === 0n;
    case "object":
      if (v instanceof Float64) return v.value === 0;
      if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
      if (GO_STRUCT in v) return false;
      return Object.keys(v).length === 0;
    default:
      return false;
  }
}

function encodeStruct(
  v: Record<string, unknown>,
  type: string,
  depth: number,
  fieldsOf: JsonFieldsOf,
): string {
  const name = type.charCodeAt(0) === 42 ? type.slice(1) : type;
  const fields = fieldsOf(name);
  const ipnets = (v as { [GO_IPNET_JSON]?: Record<string, string> })[GO_IPNET_JSON];
  let out = "{";
  let first = true;
  const put = (key: string, text: string) => {
    out += `${first ? "" : ","}${goJsonString(key)}:${text}`;
    first = false;
  };
  if (fields === undefined) {
    // A struct outside the schema: its own keys are its untagged fields, in order.
    for (const k of Object.keys(v)) put(k, encode(v[k], depth, fieldsOf));
    return `${out}}`;
  }
  for (const [field, , tag] of fields) {
    if (tag.skip) continue;
    const x = v[field];
    if (tag.omitEmpty && isEmpty(x)) continue;
    put(tag.key, fieldText(x, tag, ipnets?.[field], depth, fieldsOf));
  }
  return `${out}}`;
}

function fieldText(
  x: unknown,
  tag: GoJsonTag,
  ipnet: string | undefined,
  depth: number,
  fieldsOf: JsonFieldsOf,
): string {
  if (ipnet !== undefined) return ipnet;
  if (tag.asString) {
    // `,string` applies to string, bool, int and float fields only (others ignore it).
    if (typeof x === "string") return goJsonString(goJsonString(x), false);
    if (typeof x === "boolean" || typeof x === "number" || x instanceof Float64)
      return `"${encode(x, depth, fieldsOf)}"`;
  }
  return encode(x, depth, fieldsOf);
}

function encodeArray(v: readonly unknown[], depth: number, fieldsOf: JsonFieldsOf): string {
  if (v.length === 0 && isGoNilContainer(v)) return "null";
  const ipnets = (v as { [GO_IPNET_JSON]?: string[] })[GO_IPNET_JSON];
  let out = "[";
  for (let i = 0; i < v.length; i++) {
    if (i > 0) out += ",";
    const j = ipnets?.[i];
    out += j !== undefined ? j : encode(v[i], depth, fieldsOf);
  }
  return `${out}]`;
}

function encodeMap(v: Record<string, unknown>, depth: number, fieldsOf: JsonFieldsOf): string {
  const keys = Object.keys(v);
  // A nil map cannot hold keys in Go: one that was given some is an ordinary map.
  if (keys.length === 0 && isGoNilContainer(v)) return "null";
  keys.sort(compareUtf8);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out += `${i > 0 ? "," : ""}${goJsonString(k)}:${encode(v[k], depth, fieldsOf)}`;
  }
  return `${out}}`;
}

function encode(v: unknown, depth: number, fieldsOf: JsonFieldsOf): string {
  switch (typeof v) {
    case "string":
      return goJsonString(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      return Number.isSafeInteger(v) ? String(v) : goJsonFloat(v);
    case "bigint":
      return v.toString();
    case "undefined":
      return "null";
    case "object":
      break;
    default:
      throw new UnsupportedError(`json: unsupported type: ${typeof v}`);
  }
  // A nil net.IP is a nil slice whose MarshalText gives "" (the dot keeps it as a typed nil).
  if (v instanceof GoNilPointer) return v.type === "net.IP" ? '""' : "null";
  if (v === null) return "null";
  // Go gives up on cyclic values ("encountered a cycle"); the dot has none, so this only bounds depth.
  if (depth > 1000) throw new UnsupportedError("json: unsupported value: encountered a cycle");
  if (v instanceof Float64) return goJsonFloat(v.value);
  if (v instanceof GoFunc) throw new UnsupportedError("json: unsupported type: func");
  if (v instanceof Uint8Array)
    return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")}"`;
  const scalar = v as { type?: unknown; value?: unknown; imag?: unknown; big?: unknown };
  if (
    Object.getPrototypeOf(v) !== Object.prototype &&
    typeof scalar.value === "number" &&
    typeof scalar.imag === "number"
  ) {
    // The engine's uint8 (from `index` on a string), big int and complex128 values.
    if (scalar.type === "complex128") throw new UnsupportedError("json: unsupported type: complex128");
    return typeof scalar.big === "bigint" ? scalar.big.toString() : String(scalar.value);
  }
  if (Array.isArray(v)) return encodeArray(v, depth + 1, fieldsOf);
  const st = (v as { [GO_STRUCT]?: string })[GO_STRUCT];
  if (typeof st === "string") return encodeStruct(v as Record<string, unknown>, st, depth + 1, fieldsOf);
  return encodeMap(v as Record<string, unknown>, depth + 1, fieldsOf);
}

/**
 * `json.Marshal(v)` as text, or `undefined` where Go returns an error (a func, complex, NaN or
 * infinite value). `fieldsOf` gives struct fields and tags by Go type name (default: the dot's
 * schema, k3s-structs.ts); a struct type it does not know encodes its own keys untagged.
 * @example
 * ```ts
 * goJsonMarshal({ nvidia: 1, crun: 2 }); // '{"crun":2,"nvidia":1}'
 * ```
 * @throws never.
 */
export function goJsonMarshal(v: unknown, fieldsOf: JsonFieldsOf = jsonFieldsOf): string | undefined {
  try {
    return encode(v, 0, fieldsOf);
  } catch (err) {
    if (err instanceof UnsupportedError || err instanceof RangeError) return undefined;
    throw err;
  }
}
