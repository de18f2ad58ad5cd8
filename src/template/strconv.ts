import { parseGoIntBase0, underscoreOK } from "../internal/go/strconv.js";
/**
 * The parts of Go's strconv the parser needs: Unquote/UnquoteChar and Go number-literal parsing
 * (base prefixes, underscores, hex floats), with 64-bit integer ranges checked via BigInt.
 */
import { fromUtf8 } from "./values.js";

export class SyntaxError_ extends Error {}

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };

/**
 * Go's strconv.UnquoteChar on `s` from index `i`: returns [value, isByte, next index].
 * `quote` is the enclosing quote character (its escape is allowed, the other is not).
 */
export function unquoteChar(s: string, i: number, quote: string): [number, boolean, number] {
  const c = s.codePointAt(i);
  if (c === undefined) throw new SyntaxError_("invalid syntax");
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) throw new SyntaxError_("invalid syntax");
  if (ch !== "\\") return [c, false, i + ch.length];
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError_("invalid syntax");
  const simple = SIMPLE[e];
  if (simple !== undefined) return [simple, false, i + 2];
  switch (e) {
    case "x":
    case "u":
    case "U": {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new SyntaxError_("invalid syntax");
      const v = Number.parseInt(hex, 16);
      if (e === "x") return [v, true, i + 2 + n];
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new SyntaxError_("invalid syntax");
      return [v, false, i + 2 + n];
    }
    case "0":
    case "1":
    case "2":
    case "3":
    case "4":
    case "5":
    case "6":
    case "7": {
      const oct = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError_("invalid syntax");
      const v = Number.parseInt(oct, 8);
      if (v > 255) throw new SyntaxError_("invalid syntax");
      return [v, true, i + 4];
    }
    case "'":
    case '"':
      if (e !== quote) throw new SyntaxError_("invalid syntax");
      return [e.charCodeAt(0), false, i + 2];
    default:
      throw new SyntaxError_("invalid syntax");
  }
}

/** Go's strconv.Unquote for "..." and `...` literals (the lexer guarantees the outer shape). */
export function unquote(q: string): string {
  const quote = q[0];
  if (q.length < 2 || q[q.length - 1] !== quote) throw new SyntaxError_("invalid syntax");
  const body = q.slice(1, -1);
  if (quote === "`") {
    if (body.includes("`")) throw new SyntaxError_("invalid syntax");
    return body.includes("\r") ? body.replace(/\r/g, "") : body;
  }
  if (quote !== '"') throw new SyntaxError_("invalid syntax");
  if (!body.includes("\\")) {
    if (body.includes('"') || body.includes("\n")) throw new SyntaxError_("invalid syntax");
    return body;
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  let i = 0;
  while (i < body.length) {
    if (body[i] === "\n") throw new SyntaxError_("invalid syntax");
    const [v, isByte, next] = unquoteChar(body, i, '"');
    if (isByte || v < 0x80) bytes.push(v);
    else for (const b of enc.encode(String.fromCodePoint(v))) bytes.push(b);
    i = next;
  }
  return fromUtf8(Uint8Array.from(bytes));
}

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64); null on any error. */
export function parseGoInt(text: string, unsigned: boolean): bigint | null {
  return parseGoIntBase0(text, unsigned);
}

/** Go's strconv.ParseFloat(s, 64) for the literal forms the lexer produces; null on error. */
export function parseGoFloat(text: string): number | null {
  let s = text;
  if (s.includes("_")) {
    if (!underscoreOK(s)) return null;
    s = s.replace(/_/g, "");
  }
  let sign = 1;
  if (s[0] === "+" || s[0] === "-") {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (hex) {
    const int = hex[1] ?? "";
    const frac = hex[2] ?? "";
    if (int === "" && frac === "") return null;
    let m = 0;
    for (const d of int + frac) m = m * 16 + Number.parseInt(d, 16);
    return sign * m * 2 ** (Number(hex[3]) - 4 * frac.length);
  }
  if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return null;
  const v = sign * Number(s);
  return Number.isFinite(v) ? v : null;
}
