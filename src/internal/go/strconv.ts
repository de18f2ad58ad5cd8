/**
 * Go `strconv` integer parsing shared by the template engine (number literals) and the K3s config
 * parser (yaml.v2 and the flag package both call it), and the rootless settings (ParseBool, Atoi):
 * one implementation, one set of edge cases.
 * @internal
 */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go `strconv.ParseBool`. @internal */
export function goParseBool(s: string): boolean | undefined {
  if (s === "1" || s === "t" || s === "T" || s === "TRUE" || s === "true" || s === "True") return true;
  if (s === "0" || s === "f" || s === "F" || s === "FALSE" || s === "false" || s === "False") return false;
  return undefined;
}

/** Go `strconv.ParseInt(s, 10, 64)` (and `Atoi` on 64-bit): sign, decimal digits, int64 range. @internal */
export function goParseInt(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Go's underscoreOK: underscores only between digits (a base prefix counts as a digit). @internal */
export function underscoreOK(text: string): boolean {
  let s = text;
  if (s.startsWith("+") || s.startsWith("-")) s = s.slice(1);
  let saw = "^";
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1] as string)) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** Go's `strconv.ParseInt(s, 0, 64)` (or `ParseUint(s, 0, 64)` when `unsigned`); null on any error. @internal */
export function parseGoIntBase0(text: string, unsigned: boolean): bigint | null {
  let s = text;
  let neg = false;
  if (!unsigned && (s[0] === "+" || s[0] === "-")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "") return null;
  let base = 10;
  let digits = s;
  if (s[0] === "0" && s.length > 1) {
    const p = (s[1] as string).toLowerCase();
    base = p === "x" ? 16 : p === "b" ? 2 : 8;
    digits = p === "x" || p === "b" || p === "o" ? s.slice(2) : s.slice(1);
  }
  if (s.includes("_")) {
    if (!underscoreOK(s)) return null;
    digits = digits.replace(/_/g, "");
  }
  if (digits === "") return null;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 10 ? /^[0-9]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(digits)) return null;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  let v = BigInt(prefix + digits);
  if (neg) v = -v;
  if (unsigned ? v > UINT64_MAX : v < INT64_MIN || v > INT64_MAX) return null;
  return v;
}
