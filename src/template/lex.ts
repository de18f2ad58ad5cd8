/**
 * Lexer for Go text/template (mirrors the states of Go's parse/lex.go: text, delimiters, trim
 * markers, comments, and the tokens inside actions). Produces the whole token list up front; a
 * lexing error ends the list with an `Error` token, exactly where Go's lexer would stop.
 *
 * Tokens are not objects: each is four int32 slots (type, start, end, line) in one typed array, and
 * a token's text is sliced from the input only when the parser asks for it. No regex runs on the
 * hot path (ASCII identifier characters are tested by code; the Unicode classes only past 0x7f).
 */

export enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // keywords (after Keyword)
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

/** One token, materialised for messages (the lexer itself stores tokens as numbers in {@link Tokens}). */
export interface Token {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

/**
 * The keyword (or Bool) token type of the word `s[a:b]`, else T.Identifier. Decided on length and
 * first letter before any comparison, with no slice and no map lookup (this runs for every word).
 */
function keyword(s: string, a: number, b: number): T {
  switch (b - a) {
    case 2:
      return s.charCodeAt(a) === 105 && s.charCodeAt(a + 1) === 102 ? T.If : T.Identifier;
    case 3:
      if (s.startsWith("end", a)) return T.End;
      return s.startsWith("nil", a) ? T.Nil : T.Identifier;
    case 4:
      switch (s.charCodeAt(a)) {
        case 101: // e
          return s.startsWith("else", a) ? T.Else : T.Identifier;
        case 119: // w
          return s.startsWith("with", a) ? T.With : T.Identifier;
        case 116: // t
          return s.startsWith("true", a) ? T.Bool : T.Identifier;
      }
      return T.Identifier;
    case 5:
      switch (s.charCodeAt(a)) {
        case 98: // b
          if (s.startsWith("block", a)) return T.Block;
          return s.startsWith("break", a) ? T.Break : T.Identifier;
        case 114: // r
          return s.startsWith("range", a) ? T.Range : T.Identifier;
        case 102: // f
          return s.startsWith("false", a) ? T.Bool : T.Identifier;
      }
      return T.Identifier;
    case 6:
      return s.startsWith("define", a) ? T.Define : T.Identifier;
    case 8:
      if (s.startsWith("template", a)) return T.Template;
      return s.startsWith("continue", a) ? T.Continue : T.Identifier;
  }
  return T.Identifier;
}

/** Go's `item.String()`, used in parse error messages. */
export function tokenString(t: Token): string {
  if (t.typ === T.EOF) return "EOF";
  if (t.typ === T.Error) return t.val;
  if (t.typ > T.Keyword) return `<${t.val}>`;
  if ([...t.val].length > 10) return `${goQuote([...t.val].slice(0, 10).join(""))}...`;
  return goQuote(t.val);
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;

const ALNUM = /[\p{L}\p{Nd}_]/u;
function isAlphaNumeric(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return ALNUM.test(ch);
}

function runeAt(s: string, i: number): string | undefined {
  if (i >= s.length) return undefined;
  const c = s.codePointAt(i) ?? 0;
  return String.fromCodePoint(c);
}

function fmtU(ch: string | undefined): string {
  if (ch === undefined) return "U+FFFFFFFF";
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return /\p{L}|\p{N}|\p{P}|\p{S}/u.test(ch) ? `U+${hex} '${ch}'` : `U+${hex}`;
}

export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

let spare: Int32Array | null = null;

/**
 * The token list: four int32 slots per token (type, start, end, line) in one typed array. The
 * last token is EOF or Error; an Error token's text is `error`.
 */
export class Tokens {
  /** Number of tokens. */
  n = 0;
  buf: Int32Array;
  /** Message of the Error token, when the list ends with one. */
  error = "";
  constructor(readonly src: string) {
    // Reuse the buffer of the previous parse (parsing is synchronous); a fresh one if it is taken.
    this.buf = spare ?? new Int32Array(1024);
    spare = null;
  }
  /** Gives the buffer back for the next parse; the list must not be used afterwards. */
  release(): void {
    if (this.buf.length <= 1 << 20) spare = this.buf;
  }
  push(typ: T, start: number, end: number, line: number): void {
    let b = this.buf;
    const o = this.n * 4;
    if (o === b.length) {
      const nb = new Int32Array(b.length * 2);
      nb.set(b);
      this.buf = b = nb;
    }
    b[o] = typ;
    b[o + 1] = start;
    b[o + 2] = end;
    b[o + 3] = line;
    this.n++;
  }
  typ(k: number): T {
    return this.buf[k * 4] as T;
  }
  pos(k: number): number {
    return this.buf[k * 4 + 1] as number;
  }
  line(k: number): number {
    return this.buf[k * 4 + 3] as number;
  }
  val(k: number): string {
    const o = k * 4;
    if (this.buf[o] === T.Error) return this.error;
    return this.src.slice(this.buf[o + 1], this.buf[o + 2]);
  }
  /** Whether token `k`'s text is exactly `s` (no slice). */
  is(k: number, s: string): boolean {
    const o = k * 4;
    const a = this.buf[o + 1] as number;
    return (this.buf[o + 2] as number) - a === s.length && this.src.startsWith(s, a);
  }
  token(k: number): Token {
    return { typ: this.typ(k), pos: this.pos(k), val: this.val(k), line: this.line(k) };
  }
}

/** Tokenises `input`; the last token is EOF or Error. Space tokens are kept (the parser needs them). */
export function lex(input: string, left: string, right: string, opts: LexOptions): Tokens {
  const l = new Lexer(input, left === "" ? "{{" : left, right === "" ? "}}" : right, opts);
  while (l.lexText()) {
    /* continue */
  }
  return l.out;
}

const isAsciiAlnum = (c: number): boolean =>
  c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

class Lexer {
  readonly out: Tokens;
  pos = 0;
  start = 0;
  /** Line of `start`. */
  line = 1;
  parenDepth = 0;
  readonly rd0: number;
  readonly len: number;

  constructor(
    readonly input: string,
    readonly ld: string,
    readonly rd: string,
    readonly opts: LexOptions,
  ) {
    this.out = new Tokens(input);
    this.rd0 = rd.charCodeAt(0);
    this.len = input.length;
  }

  countNL(a: number, b: number): number {
    const s = this.input;
    let n = 0;
    for (let i = a; i < b; i++) if (s.charCodeAt(i) === 10) n++;
    return n;
  }
  countNLText(a: number, b: number): number {
    const s = this.input;
    let n = 0;
    for (let i = s.indexOf("\n", a); i !== -1 && i < b; i = s.indexOf("\n", i + 1)) n++;
    return n;
  }
  // Only text, spaces and raw strings can span lines; other tokens skip the newline scan.
  emit(typ: T): void {
    this.out.push(typ, this.start, this.pos, this.line);
    if (typ === T.Space || typ === T.RawString) this.line += this.countNL(this.start, this.pos);
    else if (typ === T.Text) this.line += this.countNLText(this.start, this.pos);
    this.start = this.pos;
  }
  ignore(): void {
    this.line += this.countNL(this.start, this.pos);
    this.start = this.pos;
  }
  fail(msg: string): false {
    this.out.push(T.Error, this.start, this.start, this.line);
    this.out.error = msg;
    return false;
  }
  hasLeftTrim(i: number): boolean {
    return this.input.charCodeAt(i) === 45 /* - */ && isSpace(this.input.charCodeAt(i + 1));
  }
  hasRightTrim(i: number): boolean {
    return isSpace(this.input.charCodeAt(i)) && this.input.charCodeAt(i + 1) === 45 && i + 1 < this.len;
  }
  /** 0: no right delimiter at `pos`; 1: plain; 2: with trim marker. */
  atRightDelim(): number {
    const input = this.input;
    const pos = this.pos;
    const c = input.charCodeAt(pos);
    if (c === this.rd0 && input.startsWith(this.rd, pos)) return 1;
    if (isSpace(c) && input.charCodeAt(pos + 1) === 45 && input.startsWith(this.rd, pos + 2)) return 2;
    return 0;
  }
  leftTrimLength(i: number): number {
    let j = i;
    while (j < this.len && isSpace(this.input.charCodeAt(j))) j++;
    return j - i;
  }
  atTerminator(): boolean {
    const pos = this.pos;
    if (pos >= this.len) return true;
    const c = this.input.charCodeAt(pos);
    if (isSpace(c)) return true;
    switch (c) {
      case 46: // .
      case 44: // ,
      case 124: // |
      case 58: // :
      case 41: // )
      case 40: // (
        return true;
    }
    return c === this.rd0 && this.input.startsWith(this.rd, pos);
  }

  /** Returns false when lexing stopped (EOF or error emitted). */
  lexText(): boolean {
    const input = this.input;
    const x = input.indexOf(this.ld, this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trim = 0;
        if (this.hasLeftTrim(x + this.ld.length)) {
          let j = x;
          while (j > this.start && isSpace(input.charCodeAt(j - 1))) j--;
          trim = x - j;
        }
        this.pos -= trim;
        if (this.pos > this.start) this.emit(T.Text);
        this.pos += trim;
        this.ignore();
      }
      return this.lexLeftDelim();
    }
    this.pos = this.len;
    if (this.pos > this.start) this.emit(T.Text);
    this.emit(T.EOF);
    return false;
  }

  lexLeftDelim(): boolean {
    this.pos += this.ld.length;
    const after = this.hasLeftTrim(this.pos) ? 2 : 0;
    if (this.input.charCodeAt(this.pos + after) === 47 && this.input.charCodeAt(this.pos + after + 1) === 42) {
      // "/*"
      this.pos += after;
      this.ignore();
      return this.lexComment();
    }
    this.emit(T.LeftDelim);
    this.pos += after;
    this.ignore();
    this.parenDepth = 0;
    return this.lexInsideAction();
  }

  lexComment(): boolean {
    this.pos += 2;
    const x = this.input.indexOf("*/", this.pos);
    if (x < 0) return this.fail("unclosed comment");
    this.pos = x + 2;
    const at = this.atRightDelim();
    if (at === 0) return this.fail("comment ends before closing delimiter");
    const trim = at === 2;
    // Comments are dropped (Go only emits them with ParseComments).
    if (trim) this.pos += 2;
    this.pos += this.rd.length;
    if (trim) this.pos += this.leftTrimLength(this.pos);
    this.ignore();
    return true;
  }

  lexRightDelim(trim: boolean): void {
    if (trim) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += this.rd.length;
    this.emit(T.RightDelim);
    if (trim) {
      this.pos += this.leftTrimLength(this.pos);
      this.ignore();
    }
  }

  /** Scans a quoted string or character constant body after its opening `q`. */
  lexQuote(q: number, typ: T, what: string): boolean {
    const input = this.input;
    const len = this.len;
    let pos = this.pos;
    for (;;) {
      const d = input.charCodeAt(pos++);
      if (d === 92) {
        const e = input.charCodeAt(pos++);
        if (pos <= len && e !== 10) continue;
        this.pos = pos;
        return this.fail(`unterminated ${what}`);
      }
      if (pos > len || d === 10) {
        this.pos = pos;
        return this.fail(`unterminated ${what}`);
      }
      if (d === q) break;
    }
    this.pos = pos;
    this.emit(typ);
    return true;
  }

  lexInsideAction(): boolean {
    const input = this.input;
    for (;;) {
      const at = this.atRightDelim();
      if (at !== 0) {
        if (this.parenDepth === 0) {
          this.lexRightDelim(at === 2);
          return true;
        }
        return this.fail("unclosed left paren");
      }
      if (this.pos >= this.len) return this.fail("unclosed action");
      const c = input.charCodeAt(this.pos);
      if (isSpace(c)) {
        // lexSpace: a run of spaces, but leave " -}}" alone.
        let n = 0;
        while (this.pos < this.len && isSpace(input.charCodeAt(this.pos))) {
          this.pos++;
          n++;
        }
        if (this.hasRightTrim(this.pos - 1) && input.startsWith(this.rd, this.pos + 1)) {
          this.pos--;
          if (n === 1) continue;
        }
        this.emit(T.Space);
        continue;
      }
      if (isAsciiAlnum(c) && !(c >= 48 && c <= 57)) {
        // The common case first: an identifier or keyword.
        if (!this.lexIdentifier()) return false;
        continue;
      }
      this.pos++;
      switch (c) {
        case 61: // =
          this.emit(T.Assign);
          continue;
        case 58: // :
          if (input.charCodeAt(this.pos) !== 61) return this.fail("expected :=");
          this.pos++;
          this.emit(T.Declare);
          continue;
        case 124: // |
          this.emit(T.Pipe);
          continue;
        case 34: // "
          if (!this.lexQuote(34, T.String, "quoted string")) return false;
          continue;
        case 96: {
          // `
          const x = input.indexOf("`", this.pos);
          if (x < 0) return this.fail("unterminated raw quoted string");
          this.pos = x + 1;
          this.emit(T.RawString);
          continue;
        }
        case 36: // $
          if (!this.lexFieldOrVariable(T.Variable)) return false;
          continue;
        case 39: // '
          if (!this.lexQuote(39, T.CharConstant, "character constant")) return false;
          continue;
        case 40: // (
          this.emit(T.LeftParen);
          this.parenDepth++;
          continue;
        case 41: // )
          // Go emits the paren before checking, so the parser reports it in context.
          this.emit(T.RightParen);
          this.parenDepth--;
          if (this.parenDepth < 0) return this.fail("unexpected right paren U+0029 ')'");
          continue;
      }
      if (c === 46 /* . */) {
        const n = input.charCodeAt(this.pos);
        if (!(n >= 48 && n <= 57)) {
          if (!this.lexFieldOrVariable(T.Field)) return false;
          continue;
        }
      }
      if (c === 46 || c === 43 || c === 45 || (c >= 48 && c <= 57)) {
        this.pos--;
        if (!this.lexNumber()) return false;
        continue;
      }
      this.pos--;
      if (c >= 128) {
        const ch = runeAt(input, this.pos);
        if (isAlphaNumeric(ch)) {
          if (!this.lexIdentifier()) return false;
          continue;
        }
        return this.fail(`unrecognized character in action: ${fmtU(ch)}`);
      }
      if (c >= 32 && c !== 127) {
        this.pos++;
        this.emit(T.Char);
        continue;
      }
      return this.fail(`unrecognized character in action: ${fmtU(runeAt(input, this.pos))}`);
    }
  }

  /** Advances over identifier characters; returns the first non-identifier rune. */
  scanAlnum(): string | undefined {
    const input = this.input;
    for (;;) {
      const c = input.charCodeAt(this.pos);
      if (c < 128) {
        if (isAsciiAlnum(c)) {
          this.pos++;
          continue;
        }
        return this.pos < this.len ? input[this.pos] : undefined;
      }
      const ch = runeAt(input, this.pos);
      if (!isAlphaNumeric(ch)) return ch;
      this.pos += (ch as string).length;
    }
  }
  lexFieldOrVariable(typ: T): boolean {
    if (this.atTerminator()) {
      this.emit(typ === T.Variable ? T.Variable : T.Dot);
      return true;
    }
    const ch = this.scanAlnum();
    if (!this.atTerminator()) return this.fail(`bad character ${fmtU(ch)}`);
    this.emit(typ);
    return true;
  }

  lexIdentifier(): boolean {
    const ch = this.scanAlnum();
    if (!this.atTerminator()) return this.fail(`bad character ${fmtU(ch)}`);
    const kw = keyword(this.input, this.start, this.pos);
    if (kw === T.Identifier) this.emit(T.Identifier);
    else if ((kw === T.Break && !this.opts.breakOK) || (kw === T.Continue && !this.opts.continueOK)) this.emit(T.Identifier);
    else this.emit(kw);
    return true;
  }

  accept(valid: string): boolean {
    if (this.pos < this.len && valid.indexOf(this.input.charAt(this.pos)) >= 0) {
      this.pos++;
      return true;
    }
    return false;
  }
  acceptRun(valid: string): void {
    while (this.pos < this.len && valid.indexOf(this.input.charAt(this.pos)) >= 0) this.pos++;
  }
  scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    const ch = runeAt(this.input, this.pos);
    if (isAlphaNumeric(ch)) {
      this.pos += (ch as string).length;
      return false;
    }
    return true;
  }
  lexNumber(): boolean {
    if (!this.scanNumber()) return this.fail(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    const sign = this.input[this.pos];
    if (sign === "+" || sign === "-") {
      if (!this.scanNumber() || this.input[this.pos - 1] !== "i") {
        return this.fail(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      }
      this.emit(T.Complex);
    } else this.emit(T.Number);
    return true;
  }
}
