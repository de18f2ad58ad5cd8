/**
 * Go string quoting (`strconv.Quote`, `QuoteToASCII`, `%q`): used by the template engine's fmt and
 * by the containerd hosts.toml writer, which prints Go-quoted strings as K3s does.
 * @internal
 */
const IS_PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
/** Go `strconv.IsPrint` for one character. @internal */
export const isPrint = (ch: string): boolean => IS_PRINT.test(ch);

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Go `strconv.Quote` / `QuoteToASCII` (and `%q`). @internal */
export function quote(s: string, ascii = false, q = '"'): string {
  // Fast path: printable ASCII without quote or backslash needs no escaping.
  if (q === '"' && PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = q;
  for (const ch of s) {
    out += quoteRune(ch, q, ascii);
  }
  return out + q;
}

/** One character as Go quotes it inside `q` quotes. @internal */
export function quoteRune(ch: string, q: string, ascii: boolean): string {
  const r = ch.codePointAt(0) ?? 0;
  if (ch === q || ch === "\\") return `\\${ch}`;
  if (r < 0x80 ? r >= 0x20 && r !== 0x7f : !ascii && isPrint(ch)) return ch;
  switch (r) {
    case 7:
      return "\\a";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
  }
  if (r < 0x20 || r === 0x7f) return `\\x${r.toString(16).padStart(2, "0")}`;
  if (r === 0xfffd && ch !== "\ufffd") return "\\x??";
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, "0")}`;
  return `\\U${r.toString(16).padStart(8, "0")}`;
}

