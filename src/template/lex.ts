/**
 * Lexer for Go text/template (mirrors the states of Go's parse/lex.go: text, delimiters, trim
 * markers, comments, and the tokens inside actions). Produces the whole token list up front; a
 * lexing error ends the list with an `Error` token, exactly where Go's lexer would stop.
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

export interface Token {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, T> = {
  ".": T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

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

/** Tokenises `input`; the last token is EOF or Error. Space tokens are kept (the parser needs them). */
export function lex(input: string, left: string, right: string, opts: LexOptions): Token[] {
  const ld = left === "" ? "{{" : left;
  const rd = right === "" ? "}}" : right;
  const out: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1; // line of `start`
  let parenDepth = 0;

  const countNL = (a: number, b: number): number => {
    let n = 0;
    for (let i = input.indexOf("\n", a); i !== -1 && i < b; i = input.indexOf("\n", i + 1)) n++;
    return n;
  };
  const emit = (typ: T): void => {
    const val = input.slice(start, pos);
    out.push({ typ, pos: start, val, line });
    if (val.indexOf("\n") >= 0) line += countNL(start, pos);
    start = pos;
  };
  const ignore = (): void => {
    line += countNL(start, pos);
    start = pos;
  };
  const fail = (msg: string): false => {
    out.push({ typ: T.Error, pos: start, val: msg, line });
    return false;
  };
  const hasLeftTrim = (i: number): boolean =>
    input.charCodeAt(i) === 45 /* - */ && isSpace(input.charCodeAt(i + 1));
  const hasRightTrim = (i: number): boolean =>
    isSpace(input.charCodeAt(i)) && input.charCodeAt(i + 1) === 45 && i + 1 < input.length;
  const rd0 = rd.charCodeAt(0);
  /** 0: no right delimiter at `pos`; 1: plain; 2: with trim marker. */
  const atRightDelim = (): number => {
    const c = input.charCodeAt(pos);
    if (c === rd0 && input.startsWith(rd, pos)) return 1;
    if (isSpace(c) && input.charCodeAt(pos + 1) === 45 && input.startsWith(rd, pos + 2)) return 2;
    return 0;
  };
  const leftTrimLength = (i: number): number => {
    let j = i;
    while (j < input.length && isSpace(input.charCodeAt(j))) j++;
    return j - i;
  };
  const atTerminator = (): boolean => {
    if (pos >= input.length) return true;
    const c = input.charCodeAt(pos);
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
    return input.startsWith(rd, pos);
  };

  // Returns false when lexing stopped (EOF or error emitted).
  const lexText = (): boolean => {
    const x = input.indexOf(ld, pos);
    if (x >= 0) {
      if (x > pos) {
        pos = x;
        let trim = 0;
        const delimEnd = pos + ld.length;
        if (hasLeftTrim(delimEnd)) {
          let j = pos;
          while (j > start && isSpace(input.charCodeAt(j - 1))) j--;
          trim = pos - j;
        }
        pos -= trim;
        if (pos > start) emit(T.Text);
        pos += trim;
        ignore();
      }
      return lexLeftDelim();
    }
    pos = input.length;
    if (pos > start) emit(T.Text);
    emit(T.EOF);
    return false;
  };

  const lexLeftDelim = (): boolean => {
    pos += ld.length;
    const trim = hasLeftTrim(pos);
    const after = trim ? 2 : 0;
    if (input.startsWith("/*", pos + after)) {
      pos += after;
      ignore();
      return lexComment();
    }
    emit(T.LeftDelim);
    pos += after;
    ignore();
    parenDepth = 0;
    return lexInsideAction();
  };

  const lexComment = (): boolean => {
    pos += 2;
    const x = input.indexOf("*/", pos);
    if (x < 0) return fail("unclosed comment");
    pos = x + 2;
    const at = atRightDelim();
    if (at === 0) return fail("comment ends before closing delimiter");
    const trim = at === 2;
    // Comments are dropped (Go only emits them with ParseComments).
    if (trim) pos += 2;
    pos += rd.length;
    if (trim) pos += leftTrimLength(pos);
    ignore();
    return true;
  };

  const lexRightDelim = (trim: boolean): void => {
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += rd.length;
    emit(T.RightDelim);
    if (trim) {
      pos += leftTrimLength(pos);
      ignore();
    }
  };

  const lexInsideAction = (): boolean => {
    for (;;) {
      const at = atRightDelim();
      if (at !== 0) {
        if (parenDepth === 0) {
          lexRightDelim(at === 2);
          return true;
        }
        return fail("unclosed left paren");
      }
      if (pos >= input.length) return fail("unclosed action");
      const c = input.charCodeAt(pos);
      if (isSpace(c)) {
        // lexSpace: a run of spaces, but leave " -}}" alone.
        let n = 0;
        while (pos < input.length && isSpace(input.charCodeAt(pos))) {
          pos++;
          n++;
        }
        if (hasRightTrim(pos - 1) && input.startsWith(rd, pos + 1)) {
          pos--;
          if (n === 1) continue;
        }
        emit(T.Space);
        continue;
      }
      pos++;
      switch (c) {
        case 61: // =
          emit(T.Assign);
          continue;
        case 58: // :
          if (input.charCodeAt(pos) !== 61) return fail("expected :=");
          pos++;
          emit(T.Declare);
          continue;
        case 124: // |
          emit(T.Pipe);
          continue;
        case 34: {
          // "
          for (;;) {
            const d = input.charCodeAt(pos++);
            if (d === 92) {
              const e = input.charCodeAt(pos++);
              if (pos <= input.length && e !== 10) continue;
              return fail("unterminated quoted string");
            }
            if (pos > input.length || d === 10) return fail("unterminated quoted string");
            if (d === 34) break;
          }
          emit(T.String);
          continue;
        }
        case 96: {
          // `
          const x = input.indexOf("`", pos);
          if (x < 0) return fail("unterminated raw quoted string");
          pos = x + 1;
          emit(T.RawString);
          continue;
        }
        case 36: // $
          if (!lexFieldOrVariable(T.Variable)) return false;
          continue;
        case 39: {
          // '
          for (;;) {
            const d = input.charCodeAt(pos++);
            if (d === 92) {
              const e = input.charCodeAt(pos++);
              if (pos <= input.length && e !== 10) continue;
              return fail("unterminated character constant");
            }
            if (pos > input.length || d === 10) return fail("unterminated character constant");
            if (d === 39) break;
          }
          emit(T.CharConstant);
          continue;
        }
        case 40: // (
          emit(T.LeftParen);
          parenDepth++;
          continue;
        case 41: // )
          // Go emits the paren before checking, so the parser reports it in context.
          emit(T.RightParen);
          parenDepth--;
          if (parenDepth < 0) return fail("unexpected right paren U+0029 ')'");
          continue;
      }
      if (c === 46 /* . */) {
        const n = input.charCodeAt(pos);
        if (!(n >= 48 && n <= 57)) {
          if (!lexFieldOrVariable(T.Field)) return false;
          continue;
        }
      }
      if (c === 46 || c === 43 || c === 45 || (c >= 48 && c <= 57)) {
        pos--;
        if (!lexNumber()) return false;
        continue;
      }
      pos--;
      const ch = runeAt(input, pos);
      if (isAlphaNumeric(ch)) {
        if (!lexIdentifier()) return false;
        continue;
      }
      if (c < 128 && c >= 32 && c !== 127) {
        pos++;
        emit(T.Char);
        continue;
      }
      return fail(`unrecognized character in action: ${fmtU(ch)}`);
    }
  };

  /** Advances over identifier characters; returns the first non-identifier rune. */
  const scanAlnum = (): string | undefined => {
    for (;;) {
      const c = input.charCodeAt(pos);
      if (c < 128) {
        if (c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
          pos++;
          continue;
        }
        return pos < input.length ? input[pos] : undefined;
      }
      const ch = runeAt(input, pos);
      if (!isAlphaNumeric(ch)) return ch;
      pos += (ch as string).length;
    }
  };
  const lexFieldOrVariable = (typ: T): boolean => {
    if (atTerminator()) {
      emit(typ === T.Variable ? T.Variable : T.Dot);
      return true;
    }
    const ch = scanAlnum();
    if (!atTerminator()) return fail(`bad character ${fmtU(ch)}`);
    emit(typ);
    return true;
  };

  const lexIdentifier = (): boolean => {
    const ch = scanAlnum();
    if (!atTerminator()) return fail(`bad character ${fmtU(ch)}`);
    const word = input.slice(start, pos);
    const kw = KEYWORDS[word];
    if (kw !== undefined && Object.hasOwn(KEYWORDS, word)) {
      if ((kw === T.Break && !opts.breakOK) || (kw === T.Continue && !opts.continueOK)) emit(T.Identifier);
      else emit(kw);
    } else if (word === "true" || word === "false") emit(T.Bool);
    else emit(T.Identifier);
    return true;
  };

  const accept = (valid: string): boolean => {
    if (pos < input.length && valid.indexOf(input.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (pos < input.length && valid.indexOf(input.charAt(pos)) >= 0) pos++;
  };
  const scanNumber = (): boolean => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    const ch = runeAt(input, pos);
    if (isAlphaNumeric(ch)) {
      pos += (ch as string).length;
      return false;
    }
    return true;
  };
  const lexNumber = (): boolean => {
    if (!scanNumber()) return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
    const sign = input[pos];
    if (sign === "+" || sign === "-") {
      if (!scanNumber() || input[pos - 1] !== "i") return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
      emit(T.Complex);
    } else emit(T.Number);
    return true;
  };

  // Main loop: text, then actions.
  while (lexText()) {
    /* continue */
  }
  return out;
}
