/**
 * Go's fmt for the template builtins print/printf/println: verbs, flags, widths, precision,
 * `%!verb(type=value)` errors, `%!(EXTRA ...)`, and `%v` of slices, maps (sorted keys) and nil.
 */
import { formatFloat } from "../internal/go/float.js";
import { isPrint, quote, quoteRune } from "../internal/go/quote.js";
import { derefType, GO_STRUCT, GoNilPointer, isPointerType } from "./struct.js";
import { Float64, GoFunc, GoScalar, sortedKeys, typeName, utf8 } from "./values.js";

/** Quoted rune literal ('x') as strconv.QuoteRune. */
function quoteRuneLit(r: number, ascii: boolean): string {
  if (r > 0x10ffff || (r >= 0xd800 && r < 0xe000) || r < 0) r = 0xfffd;
  return `'${quoteRune(String.fromCodePoint(r), "'", ascii)}'`;
}

const canBackquote = (s: string): boolean => !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(s);

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

class Printer {
  buf = "";
  wid = 0;
  prec = 0;
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;

  clearflags(): void {
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero ? "0" : " ").repeat(n);
  }
  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const w = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(w);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(w);
    }
  }

  private truncate(s: string): string {
    if (this.precPresent) {
      let n = 0;
      let i = 0;
      for (const ch of s) {
        if (n === this.prec) return s.slice(0, i);
        n++;
        i += ch.length;
      }
    }
    return s;
  }

  badVerb(verb: string, v: unknown, hasValue: boolean): void {
    this.buf += `%!${verb}(`;
    if (hasValue && v !== null && v !== undefined) {
      this.buf += `${typeName(v)}=`;
      this.printValue(v, "v", 0);
    } else this.buf += "<nil>";
    this.buf += ")";
  }

  fmtBool(b: boolean, verb: string, v: unknown): void {
    if (verb === "t" || verb === "v") this.pad(b ? "true" : "false");
    else this.badVerb(verb, v, true);
  }

  fmtInteger(n: number | bigint, signed: boolean, verb: string, v: unknown): void {
    switch (verb) {
      case "v":
        if (this.sharpV && !signed) {
          this.fmt0x(n);
          return;
        }
        this.fmtInt(n, 10, verb, false);
        return;
      case "d":
        this.fmtInt(n, 10, verb, false);
        return;
      case "b":
        this.fmtInt(n, 2, verb, false);
        return;
      case "o":
      case "O":
        this.fmtInt(n, 8, verb, false);
        return;
      case "x":
        this.fmtInt(n, 16, verb, false);
        return;
      case "X":
        this.fmtInt(n, 16, verb, true);
        return;
      case "c": {
        const r = Number(n);
        this.pad(r > 0x10ffff || r < 0 || (r >= 0xd800 && r < 0xe000) ? "\ufffd" : String.fromCodePoint(r));
        return;
      }
      case "q": {
        const r = Number(n);
        const valid = !(r > 0x10ffff || r < 0 || (r >= 0xd800 && r < 0xe000));
        if (this.sharp && valid && isPrint(String.fromCodePoint(r))) this.pad(`'${String.fromCodePoint(r)}'`);
        else this.pad(quoteRuneLit(r, this.plus));
        return;
      }
      case "U": {
        const r = Number(n);
        let s = (r < 0 ? BigInt.asUintN(64, BigInt(r)) : BigInt(r)).toString(16).toUpperCase();
        const p = this.precPresent && this.prec > 4 ? this.prec : 4;
        s = `U+${s.padStart(p, "0")}`;
        if (this.sharp && r >= 0 && r <= 0x10ffff && isPrint(String.fromCodePoint(r))) s += ` '${String.fromCodePoint(r)}'`;
        const z = this.zero;
        this.zero = false;
        this.pad(s);
        this.zero = z;
        return;
      }
      default:
        this.badVerb(verb, v, true);
    }
  }

  private fmt0x(n: number | bigint): void {
    const sharp = this.sharp;
    this.sharp = true;
    this.fmtInt(n, 16, "v", false);
    this.sharp = sharp;
  }

  private fmtInt(n: number | bigint, base: number, verb: string, upper: boolean): void {
    let u = typeof n === "bigint" ? n : BigInt(n);
    const negative = u < 0n;
    if (negative) u = -u;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const z = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = z;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (upper) s = s.toUpperCase();
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8) {
        if (s[0] !== "0") s = `0${s}`;
      } else if (base === 16) s = (upper ? "0X" : "0x") + s;
    }
    if (verb === "O") s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    const z = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = z;
  }

  fmtFloat(x: number, verb: string, v: unknown): void {
    switch (verb) {
      case "v":
        this.fmtFloatG(x, "g", -1);
        return;
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        this.fmtFloatG(x, verb, -1);
        return;
      case "f":
      case "e":
      case "E":
        this.fmtFloatG(x, verb, 6);
        return;
      case "F":
        this.fmtFloatG(x, "f", 6);
        return;
      default:
        this.badVerb(verb, v, true);
    }
  }

  private fmtFloatG(x: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(x, verb, prec);
    if (num[0] !== "-" && num[0] !== "+") num = `+${num}`;
    if (this.space && num[0] === "+" && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === "I" || num[1] === "N") {
      const z = this.zero;
      this.zero = false;
      if (num[1] === "N" && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = z;
      return;
    }
    if (this.sharp && verb !== "b") {
      num = sharpFloat(num, verb, prec);
    }
    if (this.plus || num[0] !== "+") {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  fmtComplex(re: number, im: number, verb: string, v: unknown): void {
    switch (verb) {
      case "v":
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
      case "f":
      case "F":
      case "e":
      case "E": {
        const plus = this.plus;
        this.buf += "(";
        this.fmtFloat(re, verb, v);
        this.plus = true;
        this.fmtFloat(im, verb, v);
        this.buf += "i)";
        this.plus = plus;
        return;
      }
      default:
        this.badVerb(verb, v, true);
    }
  }

  fmtString(s: string, verb: string, v: unknown): void {
    switch (verb) {
      case "v":
        if (this.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case "s":
        this.pad(this.truncate(s));
        return;
      case "x":
      case "X":
        this.fmtSx(s, verb === "X");
        return;
      case "q":
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, v, true);
    }
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(quote(s, this.plus));
  }

  private fmtSx(s: string, upper: boolean): void {
    let b = utf8(s);
    if (this.precPresent && this.prec < b.length) b = b.slice(0, this.prec);
    let out = "";
    const hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (let i = 0; i < b.length; i++) {
      if (this.space && i > 0) out += " ";
      if (this.sharp && (this.space || i === 0)) out += upper ? "0X" : "0x";
      const c = b[i] as number;
      out += (hx[c >> 4] as string) + (hx[c & 15] as string);
    }
    if (b.length === 0 && this.widPresent) {
      this.writePadding(this.wid);
      return;
    }
    this.pad(out);
  }

  /** printArg: top-level operand. */
  printArg(v: unknown, verb: string): void {
    if (v === null || v === undefined) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, undefined, false);
      return;
    }
    if (verb === "T") {
      this.pad(this.truncate(typeName(v)));
      return;
    }
    if (verb === "p") {
      this.badVerb(verb, v, true);
      return;
    }
    this.printValue(v, verb, 0);
  }

  printValue(v: unknown, verb: string, depth: number): void {
    switch (typeof v) {
      case "string":
        this.fmtString(v, verb, v);
        return;
      case "number":
        if (Number.isSafeInteger(v)) this.fmtInteger(v, true, verb, v);
        else this.fmtFloat(v, verb, v);
        return;
      case "boolean":
        this.fmtBool(v, verb, v);
        return;
      case "undefined":
        if (depth === 0) this.buf += "<invalid reflect.Value>";
        else if (verb === "v") this.buf += "<nil>";
        else this.badVerb(verb, undefined, false);
        return;
      case "function":
        this.fmtPointer(v, verb);
        return;
      case "bigint":
        this.fmtInteger(v, true, verb, v);
        return;
    }
    if (v === null) {
      // A nil interface inside a composite.
      if (this.sharpV) this.buf += "interface {}(nil)";
      else this.buf += "<nil>";
      return;
    }
    if (v instanceof Float64) {
      this.fmtFloat(v.value, verb, v);
      return;
    }
    if (v instanceof GoScalar) {
      if (v.type === "complex128") this.fmtComplex(v.value, v.imag, verb, v);
      else if (v.type === "int") this.fmtInteger(v.big ?? v.value, true, verb, v);
      else this.fmtInteger(v.value, false, verb, v);
      return;
    }
    if (v instanceof GoFunc) {
      this.fmtPointer(v, verb);
      return;
    }
    if (v instanceof GoNilPointer) {
      this.fmtNilPointer(v, verb);
      return;
    }
    const st = (v as { [GO_STRUCT]?: string })[GO_STRUCT];
    if (st !== undefined) {
      // Go prints a pointer to a struct as &{...} only at top level (avoids loops), else its address.
      if (!isPointerType(st)) this.structBody(v as Record<string, unknown>, st, verb, depth);
      else if (depth === 0) {
        this.buf += "&";
        this.structBody(v as Record<string, unknown>, derefType(st), verb, depth + 1);
      } else this.fmtPointer(v, verb);
      return;
    }
    if (Array.isArray(v)) {
      if (this.sharpV) {
        this.buf += `${typeName(v)}{`;
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += ", ";
          this.printValue(v[i], verb, depth + 1);
        }
        this.buf += "}";
      } else {
        this.buf += "[";
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += " ";
          this.printValue(v[i], verb, depth + 1);
        }
        this.buf += "]";
      }
      return;
    }
    if (typeof v === "object") {
      const o = v as Record<string, unknown>;
      const keys = sortedKeys(o);
      this.buf += this.sharpV ? `${typeName(v)}{` : "map[";
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        if (i > 0) this.buf += this.sharpV ? ", " : " ";
        this.printValue(k, verb, depth + 1);
        this.buf += ":";
        this.printValue(o[k], verb, depth + 1);
      }
      this.buf += this.sharpV ? "}" : "]";
      return;
    }
    // A JS symbol has no Go form: badVerb would print it with %v again, endlessly.
    if (typeof v === "symbol") {
      this.buf += `%!${verb}(symbol)`;
      return;
    }
    this.badVerb(verb, v, true);
  }

  /** A struct's fields in declaration order: `{a b}`, `{A:a B:b}` (%+v), `T{A:"a", B:"b"}` (%#v). */
  structBody(o: Record<string, unknown>, type: string, verb: string, depth: number): void {
    if (this.sharpV) this.buf += type;
    this.buf += "{";
    const names = this.plusV || this.sharpV;
    let i = 0;
    for (const k of Object.keys(o)) {
      if (i++ > 0) this.buf += this.sharpV ? ", " : " ";
      if (names) this.buf += `${k}:`;
      this.printValue(o[k], verb, depth + 1);
    }
    this.buf += "}";
  }

  private fmtNilPointer(v: GoNilPointer, verb: string): void {
    switch (verb) {
      case "v":
        if (this.sharpV) this.buf += `(${v.type})(nil)`;
        else this.pad("<nil>");
        return;
      case "p":
        this.pad("0x0");
        return;
      case "b":
      case "o":
      case "d":
      case "x":
      case "X":
        this.fmtInteger(0, false, verb, 0);
        return;
      default:
        this.badVerb(verb, v, true);
    }
  }

  private fmtPointer(v: unknown, verb: string): void {
    // Go prints a code address; JS has none, so a stable placeholder is used.
    if (verb === "v" || verb === "p") {
      if (this.sharpV) this.buf += `(${typeName(v)})(0x1)`;
      else this.pad("0x1");
      return;
    }
    this.badVerb(verb, v, true);
  }
}

/** %#g/%#e/%#f: keep the decimal point (and trailing zeros for g). */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === "v" || verb === "g" || verb === "G" || verb === "x") {
    digits = prec;
    if (digits === -1) digits = 6;
  }
  let tail = "";
  let body = num;
  const ei = body.search(/[eEpP]/);
  if (ei >= 0) {
    tail = body.slice(ei);
    body = body.slice(0, ei);
  }
  let sawNonzero = false;
  let hasDot = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] as string;
    if (c === ".") hasDot = true;
    else if (c >= "1" && c <= "9") {
      sawNonzero = true;
      digits--;
    } else if (c === "0" && sawNonzero) digits--;
    else if (c === "0" && hasDot) {
      /* leading zeros after the dot do not count */
    }
  }
  if (!hasDot) {
    if (body.length === 2 && body[1] === "0") digits--;
    body += ".";
  }
  while (digits > 0) {
    body += "0";
    digits--;
  }
  return body + tail;
}

const tooLarge = (n: number): boolean => n > 1e6 || n < -1e6;

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return [num, isnum, i];
}

function intFromArg(a: unknown[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let next = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (typeof v === "number" && Number.isSafeInteger(v)) {
      num = v;
      isInt = true;
    } else if (v instanceof GoScalar && v.type === "uint8") {
      num = v.value;
      isInt = true;
    }
    next = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return [num, isInt, next];
}

/** fmt.Sprintf. */
export function sprintf(format: string, a: unknown[]): string {
  // Fast paths for the single-verb formats templates use most (same output as the full path).
  if (a.length === 1 && format.length === 2 && format.charCodeAt(0) === 37 /* % */) {
    const v = a[0];
    switch (format) {
      case "%q":
        if (typeof v === "string") return quote(v);
        break;
      case "%s":
      case "%v":
        if (typeof v === "string") return v;
        break;
      case "%d":
        if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
        break;
    }
  }
  let plan = plans.get(format);
  if (plan === undefined) {
    plan = compileFormat(format);
    if (plans.size >= 512) plans.clear();
    plans.set(format, plan);
  }
  return plan === null ? sprintfSlow(format, a) : runPlan(plan, a);
}

/**
 * One `%` directive of a format without `[n]` indexes or `*` (literal text before it, flags, width,
 * precision and verb, as sprintfSlow would read them); `verb` "" means `%!(NOVERB)` at the end.
 */
interface Directive {
  lit: string;
  sharp: boolean;
  zero: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
  verb: string;
}
/** The flag fields both format readers set (the printer itself and a compiled directive). */
interface Flags {
  sharp: boolean;
  zero: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
}

/** Go's flag characters `#0+- `: sets the flag and returns true, or returns false for anything else. */
function setFlag(f: Flags, c: string): boolean {
  switch (c) {
    case "#":
      f.sharp = true;
      return true;
    case "0":
      f.zero = !f.minus; // Only allow zero padding to the left.
      return true;
    case "+":
      f.plus = true;
      return true;
    case "-":
      f.minus = true;
      f.zero = false; // Do not pad with zeros to the right.
      return true;
    case " ":
      f.space = true;
      return true;
    default:
      return false;
  }
}

interface Plan {
  directives: Directive[];
  /** Literal text after the last directive. */
  tail: string;
}

/** Parsed formats, so a template's printf does not re-read its constant format on every call. */
const plans = new Map<string, Plan | null>();

/**
 * Reads `format` the way sprintfSlow does, without arguments. Formats with `[n]` or `*` (whose
 * reading depends on the arguments) get null and always take sprintfSlow.
 */
function compileFormat(format: string): Plan | null {
  if (format.indexOf("[") >= 0 || format.indexOf("*") >= 0) return null;
  const end = format.length;
  const directives: Directive[] = [];
  let i = 0;
  let lit = "";
  while (i < end) {
    const lasti = i;
    while (i < end && format.charCodeAt(i) !== 37) i++;
    if (i > lasti) lit += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const d: Directive = {
      lit,
      sharp: false,
      zero: false,
      plus: false,
      minus: false,
      space: false,
      wid: 0,
      widPresent: false,
      prec: 0,
      precPresent: false,
      verb: "",
    };
    lit = "";
    directives.push(d);
    while (i < end && setFlag(d, format[i] as string)) i++;
    [d.wid, d.widPresent, i] = parsenum(format, i, end);
    if (i + 1 < end && format[i] === ".") {
      i++;
      [d.prec, d.precPresent, i] = parsenum(format, i, end);
      if (!d.precPresent) {
        d.prec = 0;
        d.precPresent = true;
      }
    }
    if (i >= end) break; // NOVERB
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    d.verb = verb;
  }
  return { directives, tail: lit };
}

function runPlan(plan: Plan, a: unknown[]): string {
  const p = new Printer();
  let argNum = 0;
  const ds = plan.directives;
  for (let k = 0; k < ds.length; k++) {
    const d = ds[k] as Directive;
    p.buf += d.lit;
    const verb = d.verb;
    if (verb === "") {
      p.buf += "%!(NOVERB)";
      break;
    }
    if (verb === "%") {
      p.buf += "%";
      continue;
    }
    if (argNum >= a.length) {
      p.buf += `%!${verb}(MISSING)`;
      continue;
    }
    p.clearflags();
    p.sharp = d.sharp;
    p.zero = d.zero;
    p.plus = d.plus;
    p.minus = d.minus;
    p.space = d.space;
    p.wid = d.wid;
    p.widPresent = d.widPresent;
    p.prec = d.prec;
    p.precPresent = d.precPresent;
    if (verb === "v") {
      p.sharpV = p.sharp;
      p.sharp = false;
      p.plusV = p.plus;
      p.plus = false;
    }
    if (verb === "w") p.badVerb(verb, a[argNum], true);
    else p.printArg(a[argNum], verb);
    argNum++;
  }
  p.buf += plan.tail;
  if (argNum < a.length) extraArgs(p, a, argNum);
  return p.buf;
}

function extraArgs(p: Printer, a: unknown[], argNum: number): void {
  p.clearflags();
  p.buf += "%!(EXTRA ";
  for (let k = argNum; k < a.length; k++) {
    if (k > argNum) p.buf += ", ";
    const arg = a[k];
    if (arg === null || arg === undefined) p.buf += "<nil>";
    else {
      p.buf += `${typeName(arg)}=`;
      p.printArg(arg, "v");
    }
  }
  p.buf += ")";
}

/** The full format reader (Go's doPrintf); exported for the plan-equivalence test only. @internal */
export function sprintfSlow(format: string, a: unknown[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): [number, number, boolean] => {
    if (end <= i || format.charCodeAt(i) !== 91 /* [ */) return [argNum, i, false];
    reordered = true;
    // parseArgNumber
    const rest = format.slice(i);
    let index = 0;
    let wid = 1;
    let ok = false;
    if (rest.length >= 3) {
      const close = rest.indexOf("]", 1);
      if (close >= 0) {
        const [w, isnum, ni] = parsenum(rest, 1, close);
        if (!isnum || ni !== close) {
          index = 0;
          wid = close + 1;
          ok = false;
        } else {
          index = w - 1;
          wid = close + 1;
          ok = true;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
    goodArgNum = false;
    return [argNum, i + wid, ok];
  };

  let i = 0;
  outer: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearflags();
    for (; i < end; i++) {
      const c = format[i] as string;
      if (setFlag(p, c)) continue;
      // Fast path, as in Go: a verb right after the flags.
      if (c >= "a" && c <= "z" && argNum < a.length) {
        if (c === "v") {
          p.sharpV = p.sharp;
          p.sharp = false;
          p.plusV = p.plus;
          p.plus = false;
        }
        p.printArg(a[argNum], c);
        argNum++;
        i++;
        continue outer;
      }
      break;
    }
    [argNum, i, afterIndex] = argNumber(i);
    if (i < end && format[i] === "*") {
      i++;
      [p.wid, p.widPresent, argNum] = intFromArg(a, argNum);
      if (!p.widPresent) p.buf += "%!(BADWIDTH)";
      if (p.wid < 0) {
        p.wid = -p.wid;
        p.minus = true;
        p.zero = false;
      }
      afterIndex = false;
    } else {
      [p.wid, p.widPresent, i] = parsenum(format, i, end);
      if (afterIndex && p.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && format[i] === "*") {
        i++;
        [p.prec, p.precPresent, argNum] = intFromArg(a, argNum);
        if (p.prec < 0) {
          p.prec = 0;
          p.precPresent = false;
        }
        if (!p.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        [p.prec, p.precPresent, i] = parsenum(format, i, end);
        if (!p.precPresent) {
          p.prec = 0;
          p.precPresent = true;
        }
      }
    }
    if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);
    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }
    const cp = format.codePointAt(i) ?? 0;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === "%") p.buf += "%";
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === "v") {
        p.sharpV = p.sharp;
        p.sharp = false;
        p.plusV = p.plus;
        p.plus = false;
      }
      if (verb === "w") {
        p.badVerb(verb, a[argNum], true);
      } else p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    p.clearflags();
    p.buf += "%!(EXTRA ";
    for (let k = argNum; k < a.length; k++) {
      if (k > argNum) p.buf += ", ";
      const arg = a[k];
      if (arg === null || arg === undefined) p.buf += "<nil>";
      else {
        p.buf += `${typeName(arg)}=`;
        p.printArg(arg, "v");
      }
    }
    p.buf += ")";
  }
  return p.buf;
}

/** Go's %v of one value, as `{{.}}` prints it (fast path for the common scalars). */
export function sprintValue(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return Number.isSafeInteger(v) ? String(v) : formatFloat(v, "g", -1);
    case "boolean":
      return v ? "true" : "false";
  }
  if (v === null || v === undefined) return "<nil>";
  if (v instanceof Float64) return formatFloat(v.value, "g", -1);
  const p = new Printer();
  p.printArg(v, "v");
  return p.buf;
}

/**
 * What `{{pipeline}}` writes for a value Go first indirects (text/template's printableValue): a
 * pointer to a struct prints as the struct, `{a b}`, not `&{a b}`.
 */
export function sprintIndirect(v: unknown): string {
  if (typeof v === "object" && v !== null) {
    const st = (v as { [GO_STRUCT]?: string })[GO_STRUCT];
    if (st !== undefined && isPointerType(st)) {
      const p = new Printer();
      p.structBody(v as Record<string, unknown>, derefType(st), "v", 0);
      return p.buf;
    }
  }
  return sprintValue(v);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(a: unknown[]): string {
  let out = "";
  let prevString = false;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const isString = typeof v === "string";
    if (i > 0 && !isString && !prevString) out += " ";
    out += sprintValue(v);
    prevString = isString;
  }
  return out;
}

/** fmt.Sprintln: spaces between all operands, newline at the end. */
export function sprintln(a: unknown[]): string {
  let out = "";
  for (let i = 0; i < a.length; i++) {
    if (i > 0) out += " ";
    out += sprintValue(a[i]);
  }
  return `${out}\n`;
}
