/**
 * Go's strconv.FormatFloat for float64, verbs b e E f F g G x X, with exact rounding
 * (round-half-even on the exact binary value, like Go) and shortest formatting for prec -1.
 */

interface Digits {
  /** Significant decimal digits, no leading zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function bits(v: number): { neg: boolean; exp: number; mant: bigint } {
  f64[0] = v;
  const b = u64[0] as bigint;
  return { neg: b >> 63n === 1n, exp: Number((b >> 52n) & 0x7ffn), mant: b & ((1n << 52n) - 1n) };
}

/** Exact decimal expansion of |v| (finite). */
function exact(v: number): Digits {
  const { exp, mant } = bits(v);
  if (exp === 0 && mant === 0n) return { d: "", dp: 0 };
  let m = exp === 0 ? mant : mant | (1n << 52n);
  let e = (exp === 0 ? 1 : exp) - 1075;
  while (m % 2n === 0n && e < 0) {
    m /= 2n;
    e++;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (m << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (m * 5n ** BigInt(-e)).toString();
    dp = s.length + e; // divided by 10^-e
  }
  s = s.replace(/0+$/, "");
  const lead = s.length - s.replace(/^0+/, "").length;
  return { d: s.slice(lead), dp: dp - lead };
}

/** Shortest digits that round-trip (JS and Go agree on shortest-uniqueness). */
function shortest(v: number): Digits {
  if (v === 0) return { d: "", dp: 0 };
  const s = Math.abs(v).toExponential();
  const [m, e] = s.split("e") as [string, string];
  const d = m.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(e) + 1 };
}

/** Rounds to `nd` significant digits, half-to-even on exact input. */
function roundTo(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: "", dp: x.dp };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < x.d.length) up = true;
  else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    let i = d.length - 1;
    while (i >= 0 && d[i] === "9") i--;
    if (i < 0) {
      d = "1";
      dp++;
    } else d = d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1);
  }
  return { d: d.replace(/0+$/, ""), dp };
}

const digitAt = (x: Digits, i: number): string => (i < x.d.length ? (x.d[i] as string) : "0");

function fmtE(neg: boolean, x: Digits, prec: number, fmt: string): string {
  let s = neg ? "-" : "";
  s += x.d.length === 0 ? "0" : x.d[0];
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  s += fmt;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  s += exp < 0 ? "-" : "+";
  if (exp < 0) exp = -exp;
  s += exp < 10 ? `0${exp}` : String(exp);
  return s;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let s = neg ? "-" : "";
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  } else s += "0";
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      s += j < 0 ? "0" : digitAt(x, j);
    }
  }
  return s;
}

function fmtB(v: number): string {
  const { neg, exp, mant } = bits(v);
  let e = exp;
  let m = mant;
  if (e === 0) e++;
  else m |= 1n << 52n;
  e -= 1075;
  return `${neg ? "-" : ""}${m}p${e >= 0 ? "+" : ""}${e}`;
}

function fmtX(v: number, prec: number, fmt: string): string {
  const { neg } = bits(v);
  let { exp, mant } = bits(v);
  let m: bigint;
  let e: number;
  if (exp === 0 && mant === 0n) {
    m = 0n;
    e = 0;
  } else {
    if (exp === 0) {
      exp = 1;
    } else mant |= 1n << 52n;
    m = mant;
    e = exp - 1075;
    // Normalise so the leading 1 is bit 60 (as Go does: shift to 1.xxx form).
    while (m < 1n << 60n) {
      m <<= 1n;
      e--;
    }
  }
  // m has bit 60 set (or is 0): value = m × 2^e; represent as 1.hhhh × 2^(e+60).
  let shift = 60;
  if (prec >= 0 && prec < 15 && m !== 0n) {
    const drop = BigInt(60 - 4 * prec);
    const half = 1n << (drop - 1n);
    const rem = m & ((1n << drop) - 1n);
    m >>= drop;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m++;
    shift = 4 * prec;
    if (m >> BigInt(shift + 1) !== 0n) {
      m >>= 1n;
      e++;
    }
    e += Number(drop);
  }
  const outExp = m === 0n ? 0 : e + shift;
  const lead = m === 0n ? 0n : m >> BigInt(shift);
  let frac = m === 0n ? "" : (m & ((1n << BigInt(shift)) - 1n)).toString(16).padStart(shift / 4, "0");
  if (prec < 0) frac = frac.replace(/0+$/, "");
  else frac = frac.padEnd(prec, "0").slice(0, prec);
  let s = `${neg ? "-" : ""}0x${lead.toString(16)}`;
  if (frac.length > 0) s += `.${frac}`;
  s += `p${outExp >= 0 ? "+" : "-"}${String(Math.abs(outExp)).padStart(2, "0")}`;
  return fmt === "X" ? s.toUpperCase() : s;
}

/** strconv.FormatFloat(v, fmt, prec, 64). */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  if (fmt === "b") return fmtB(v);
  if (fmt === "x" || fmt === "X") return fmtX(v, prec, fmt);
  const isShortest = prec < 0;
  let x: Digits;
  switch (fmt) {
    case "e":
    case "E":
      x = isShortest ? shortest(v) : roundTo(exact(v), prec + 1);
      if (isShortest) prec = Math.max(x.d.length - 1, 0);
      return fmtE(neg, x, prec, fmt);
    case "f":
    case "F": {
      if (!isShortest && prec <= 20) {
        // Fast path: toFixed rounds the exact binary value like Go, except on exact ties (Go
        // rounds half to even, JS half up); those and huge values take the exact path.
        const a = Math.abs(v);
        const scaled = a * 10 ** prec;
        if (a < 1e21 && scaled < 2 ** 52 && Math.abs((scaled % 1) - 0.5) > 1e-6) {
          return (neg ? "-" : "") + a.toFixed(prec);
        }
      }
      if (isShortest) {
        x = shortest(v);
        prec = Math.max(x.d.length - x.dp, 0);
      } else {
        const ex = exact(v);
        x = roundTo(ex, ex.dp + prec);
      }
      return fmtF(neg, x, prec);
    }
    default: {
      // g / G
      let eprec = prec;
      if (isShortest) {
        x = shortest(v);
        eprec = 6;
      } else {
        if (prec === 0) prec = 1;
        x = roundTo(exact(v), prec);
        eprec = prec;
      }
      const nd = x.d.length;
      if (!isShortest && eprec > nd && nd >= x.dp) eprec = nd;
      const exp = x.dp - 1;
      const e = fmt === "G" ? "E" : "e";
      if (nd === 0) {
        return fmtF(neg, x, 0);
      }
      if (exp < -4 || exp >= eprec) {
        let p = isShortest ? nd : prec;
        if (p > nd) p = nd;
        return fmtE(neg, x, p - 1, e);
      }
      let p = isShortest ? nd : prec;
      if (p > x.dp) p = nd;
      return fmtF(neg, x, Math.max(p - x.dp, 0));
    }
  }
}
