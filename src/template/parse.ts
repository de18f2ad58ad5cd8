/**
 * Parser for Go text/template (Go's parse/parse.go): builds one tree per template name defined in
 * a text (`{{define}}` and `{{block}}` add trees to the set), with Go's scoping of variables and
 * Go's parse-time checks (undefined functions and variables, break/continue outside range, ...).
 */
import { TemplateParseError } from "./errors.js";
import { lex, T, type Tokens, tokenString } from "./lex.js";
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  TreeInfo,
  VariableNode,
} from "./node.js";
import { nodeString } from "./node.js";
import { parseGoFloat, parseGoInt, SyntaxError_, unquote, unquoteChar } from "./strconv.js";

/** A parsed template tree. */
export interface Tree extends TreeInfo {
  root: ListNode;
}

export interface ParseOptions {
  leftDelim: string;
  rightDelim: string;
  /** True when a function name is known (user funcs or builtins). */
  hasFunction: (name: string) => boolean;
}

const END = Symbol("end");
const ELSE = Symbol("else");
interface Marker {
  kind: typeof END | typeof ELSE;
  pos: number;
  line: number;
  /** For else: the token right after `else` is `if`/`with` (left pending). */
  chained: boolean;
}
type Item = Node | Marker;
/** A token: its index in the token list. */
type Tok = number;
/** Markers are the only items without a `type` tag (one monomorphic load, no `in` check). */
const isMarker = (n: Item): n is Marker => (n as { type?: string }).type === undefined;


/**
 * Parses `text` as template `name`; returns the trees it defines (the first is `name` itself),
 * in definition order. Throws TemplateParseError with Go's message.
 */
export function parseTemplates(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const toks = lex(text, opts.leftDelim, opts.rightDelim, {
    breakOK: !opts.hasFunction("break"),
    continueOK: !opts.hasFunction("continue"),
  });
  try {
    return new Parser(toks, name, text, opts).parseAll();
  } finally {
    toks.release();
  }
}

/** Go's parse.maxStackDepth: most nested parenthesized pipelines (`max expression depth exceeded`). */
export const MAX_STACK_DEPTH = 10000;

class Parser {
  private i = 0;
  private lastLine = 1;
  private treeSet = new Map<string, Tree>();
  // Per-tree state (saved/restored around define/block).
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  /** Nesting of parenthesized pipelines (Go's Tree.stackDepth, capped at MAX_STACK_DEPTH). */
  private stackDepth = 0;
  private actionLine = 0;
  private info: TreeInfo;

  private readonly buf: Int32Array;
  /** Index of the last token (EOF or Error). */
  private readonly last: number;

  constructor(
    private readonly toks: Tokens,
    private readonly parseName: string,
    private readonly text: string,
    private readonly opts: ParseOptions,
  ) {
    this.info = { name: parseName, parseName, text };
    this.buf = toks.buf;
    this.last = toks.n - 1;
  }

  // ---- token stream: a token is its index in `toks` (see Tokens for the layout)
  private ty(k: Tok): T {
    return this.buf[k * 4] as T;
  }
  private tp(k: Tok): number {
    return this.buf[k * 4 + 1] as number;
  }
  private tl(k: Tok): number {
    return this.buf[k * 4 + 3] as number;
  }
  private tv(k: Tok): string {
    return this.toks.val(k);
  }
  private next(): Tok {
    const t = this.i;
    if (t < this.last) this.i++;
    else this.i = this.last + 1; // stay at the last token
    this.lastLine = this.tl(t > this.last ? this.last : t);
    return t > this.last ? this.last : t;
  }
  private peek(): Tok {
    return this.i > this.last ? this.last : this.i;
  }
  private backup(): void {
    this.i--;
  }
  private nextNonSpace(): Tok {
    let t = this.next();
    while (this.ty(t) === T.Space) t = this.next();
    return t;
  }
  /** The next non-space token without consuming it (sets lastLine as next() would). */
  private peekNonSpace(): Tok {
    const last = this.last;
    let j = this.i;
    while (j < last && this.ty(j) === T.Space) j++;
    const t = j > last ? last : j;
    this.lastLine = this.tl(t);
    return t;
  }

  private errorf(msg: string): never {
    throw new TemplateParseError(`template: ${this.parseName}:${this.lastLine}: ${msg}`, {
      templateName: this.parseName,
      line: this.lastLine,
      value: msg,
    });
  }
  private unexpected(t: Tok, context: string): never {
    if (this.ty(t) === T.Error) {
      let extra =
        this.actionLine !== 0 && this.actionLine !== this.tl(t)
          ? ` in action started at ${this.parseName}:${this.actionLine}`
          : "";
      if (extra !== "" && this.tv(t).endsWith(" action")) extra = extra.slice(" in action".length);
      this.errorf(`${tokenString(this.toks.token(t))}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(this.toks.token(t))} in ${context}`);
  }
  private expect(typ: T, context: string): Tok {
    const t = this.nextNonSpace();
    if (this.ty(t) !== typ) this.unexpected(t, context);
    return t;
  }

  // ---- trees
  parseAll(): Map<string, Tree> {
    const root = this.newList(this.tp(this.peek()));
    const main: Tree = { ...this.info, root };
    this.info = main;
    root.tree = main;
    while (this.ty(this.peek()) !== T.EOF) {
      if (this.ty(this.peek()) === T.LeftDelim) {
        const save = this.i;
        this.next();
        if (this.ty(this.nextNonSpace()) === T.Define) {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (isMarker(n)) this.errorf(`unexpected ${n.kind === END ? "{{end}}" : "{{else}}"}`);
      root.nodes.push(n);
    }
    if (this.ty(this.peek()) === T.Error) this.unexpected(this.peek(), "input");
    this.add(main);
    // Main tree first, then definitions in order.
    const out = new Map<string, Tree>();
    const m = this.treeSet.get(this.parseName);
    if (m) out.set(this.parseName, m);
    for (const [k, v] of this.treeSet) if (k !== this.parseName) out.set(k, v);
    return out;
  }

  private add(tree: Tree): void {
    const old = this.treeSet.get(tree.name);
    if (old === undefined || isEmptyList(old.root)) {
      this.treeSet.set(tree.name, tree);
      return;
    }
    if (!isEmptyList(tree.root)) this.errorf(`template: multiple definition of template ${JSON.stringify(tree.name)}`);
  }

  private withSubtree<R>(name: string, fn: (tree: Tree) => R): R {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth, info: this.info };
    const tree: Tree = { name, parseName: this.parseName, text: this.text, root: this.newList(0) };
    this.vars = ["$"];
    this.rangeDepth = 0;
    this.info = tree;
    try {
      return fn(tree);
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
      this.info = saved.info;
    }
  }

  private parseDefinition(): void {
    const context = "define clause";
    const nameTok = this.nextNonSpace();
    if (this.ty(nameTok) !== T.String && this.ty(nameTok) !== T.RawString) this.unexpected(nameTok, context);
    const name = this.unquoteOrFail(this.tv(nameTok));
    this.expect(T.RightDelim, context);
    this.withSubtree(name, (tree) => {
      const [list, end] = this.itemList();
      if (end.kind !== END) this.errorf(`unexpected {{else}} in ${context}`);
      tree.root = list;
      this.add(tree);
    });
  }

  private unquoteOrFail(q: string): string {
    try {
      return unquote(q);
    } catch (e) {
      if (e instanceof SyntaxError_) this.errorf(e.message);
      throw e;
    }
  }

  private newList(pos: number): ListNode {
    return { type: "list", pos, tree: this.info, nodes: [] };
  }

  private itemList(): [ListNode, Marker] {
    const list = this.newList(this.tp(this.peekNonSpace()));
    while (this.ty(this.peekNonSpace()) !== T.EOF) {
      const n = this.textOrAction();
      if (isMarker(n)) return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Item {
    const t = this.nextNonSpace();
    switch (this.ty(t)) {
      case T.Text:
        return { type: "text", pos: this.tp(t), tree: this.info, text: this.tv(t) };
      case T.LeftDelim: {
        this.actionLine = this.tl(t);
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(t, "input");
    }
  }

  private action(): Item {
    const t = this.nextNonSpace();
    switch (this.ty(t)) {
      case T.Block:
        return this.blockControl();
      case T.Break:
      case T.Continue: {
        const word = this.ty(t) === T.Break ? "break" : "continue";
        const n = this.nextNonSpace();
        if (this.ty(n) !== T.RightDelim) this.unexpected(n, `{{${word}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
        return { type: word, pos: this.tp(t), line: this.tl(t), tree: this.info };
      }
      case T.Else:
        return this.elseControl();
      case T.End: {
        const e = this.expect(T.RightDelim, "end");
        return { kind: END, pos: this.tp(e), line: this.tl(e), chained: false };
      }
      case T.If:
        return this.control("if");
      case T.Range:
        return this.control("range");
      case T.With:
        return this.control("with");
      case T.Template:
        return this.templateControl();
    }
    this.backup();
    const tok = this.peek();
    return { type: "action", pos: this.tp(tok), line: this.tl(tok), tree: this.info, pipe: this.pipeline("command", T.RightDelim) };
  }

  private elseControl(): Marker {
    const peek = this.peekNonSpace();
    // "{{else if" and "{{else with" (current Go) are "{{else}}{{if"/"{{else}}{{with".
    if (this.ty(peek) === T.If || this.ty(peek) === T.With) return { kind: ELSE, pos: this.tp(peek), line: this.tl(peek), chained: true };
    const t = this.expect(T.RightDelim, "else");
    return { kind: ELSE, pos: this.tp(t), line: this.tl(t), chained: false };
  }

  private control(context: "if" | "range" | "with"): BranchNode & { type: typeof context } {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.kind === ELSE) {
        if (next.chained && ((context === "if" && this.ty(this.peekNonSpace()) === T.If) || (context === "with" && this.ty(this.peekNonSpace()) === T.With))) {
          this.nextNonSpace();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.control(context));
        } else {
          if (next.chained) {
            // "{{else if" inside range/with, or "{{else with" inside if/range: Go rejects it.
            this.unexpected(this.nextNonSpace(), "else");
          }
          [elseList, next] = this.itemList();
          if (next.kind !== END) this.errorf("expected end; found {{else}}");
        }
      }
      void list;
      return { type: context, pos: pipe.pos, line: pipe.line, tree: this.info, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private parseTemplateName(t: Tok, context: string): string {
    if (this.ty(t) === T.String || this.ty(t) === T.RawString) return this.unquoteOrFail(this.tv(t));
    this.unexpected(t, context);
  }

  private templateControl(): TemplateNode {
    const context = "template clause";
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.ty(this.nextNonSpace()) !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: "template", pos: this.tp(t), line: this.tl(t), tree: this.info, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = "block clause";
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, T.RightDelim);
    this.withSubtree(name, (tree) => {
      const [list, end] = this.itemList();
      if (end.kind !== END) this.errorf(`unexpected {{else}} in ${context}`);
      tree.root = list;
      this.add(tree);
    });
    return { type: "template", pos: this.tp(t), line: this.tl(t), tree: this.info, name, pipe };
  }

  private pipeline(context: string, end: T): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: this.tp(first), line: this.tl(first), tree: this.info, isAssign: false, decl: [], cmds: [] };
    // Declarations or assignments.
    for (;;) {
      const v = this.peekNonSpace();
      if (this.ty(v) !== T.Variable) break;
      const save = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (this.ty(next) === T.Assign || this.ty(next) === T.Declare) {
        pipe.isAssign = this.ty(next) === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(this.tv(v));
        break;
      }
      if (this.ty(next) === T.Char && this.tv(next) === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(this.tv(v));
        if (context === "range" && pipe.decl.length < 2) {
          const pk = this.ty(this.peekNonSpace());
          if (pk === T.Variable || pk === T.RightDelim || pk === T.RightParen) continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (this.ty(t) === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (this.ty(t)) {
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const a = (pipe.cmds[i] as CommandNode).args[0] as ArgNode;
      switch (a.type) {
        case "bool":
        case "dot":
        case "nil":
        case "number":
        case "string":
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.tp(this.peekNonSpace()), tree: this.info, args: [] };
    for (;;) {
      this.skipSpaces();
      const op = this.operand();
      if (op !== null) cmd.args.push(op);
      const t = this.next();
      if (this.ty(t) === T.Space) continue;
      if (this.ty(t) === T.RightDelim || this.ty(t) === T.RightParen) this.backup();
      else if (this.ty(t) !== T.Pipe) this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private skipSpaces(): void {
    while (this.ty(this.peek()) === T.Space) this.next();
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.ty(this.peek()) === T.Field) {
      const pos = this.tp(this.peek());
      const fields: string[] = [];
      while (this.ty(this.peek()) === T.Field) fields.push(this.tv(this.next()).slice(1));
      switch (node.type) {
        case "field":
          return { type: "field", pos, tree: this.info, ident: [...node.ident, ...fields] };
        case "variable":
          return { type: "variable", pos, tree: this.info, ident: [...node.ident, ...fields] };
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
          break;
        default:
          return { type: "chain", pos, tree: this.info, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    const tree = this.info;
    switch (this.ty(t)) {
      case T.Identifier:
        if (!this.opts.hasFunction(this.tv(t))) this.errorf(`function ${JSON.stringify(this.tv(t))} not defined`);
        return { type: "identifier", pos: this.tp(t), tree, ident: this.tv(t) };
      case T.Dot:
        return { type: "dot", pos: this.tp(t), tree };
      case T.Nil:
        return { type: "nil", pos: this.tp(t), tree };
      case T.Variable: {
        const v = this.newVariable(t);
        if (!this.vars.includes(v.ident[0] as string)) this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
        return v;
      }
      case T.Field:
        return { type: "field", pos: this.tp(t), tree, ident: this.tv(t).slice(1).split(".") };
      case T.Bool:
        return { type: "bool", pos: this.tp(t), tree, value: this.tv(t) === "true" };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        return this.newNumber(t);
      case T.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
        this.stackDepth++;
        try {
          return this.pipeline("parenthesized pipeline", T.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case T.String:
      case T.RawString:
        return { type: "string", pos: this.tp(t), tree, quoted: this.tv(t), text: this.unquoteOrFail(this.tv(t)) };
    }
    this.backup();
    return null;
  }

  private newVariable(t: Tok): VariableNode {
    return { type: "variable", pos: this.tp(t), tree: this.info, ident: this.tv(t).split(".") };
  }

  private newNumber(t: Tok): NumberNode {
    const text = this.tv(t);
    const n: NumberNode = {
      type: "number",
      pos: this.tp(t),
      tree: this.info,
      text,
      isInt: false,
      isUint: false,
      isFloat: false,
      isComplex: false,
      int: 0n,
      float: 0,
      real: 0,
      imag: 0,
    };
    if (this.ty(t) === T.CharConstant) {
      let r: [number, boolean, number];
      try {
        r = unquoteChar(text, 1, "'");
      } catch {
        this.errorf("invalid syntax");
      }
      if (text.slice(r[2]) !== "'") this.errorf(`malformed character constant: ${text}`);
      n.isInt = n.isUint = n.isFloat = true;
      n.int = BigInt(r[0]);
      n.float = r[0];
      return n;
    }
    if (this.ty(t) === T.Complex) {
      const m = /^([+-]?.*?[^eEpP+-])([+-][^+-].*)i$/.exec(text);
      const re = m ? parseGoFloat(m[1] as string) : null;
      const im = m ? parseGoFloat(m[2] as string) : null;
      if (re === null || im === null) this.errorf(`expected integer; found ${text}`);
      n.isComplex = true;
      n.real = re;
      n.imag = im;
      simplifyComplex(n);
      return n;
    }
    if (text.endsWith("i")) {
      const f = parseGoFloat(text.slice(0, -1));
      if (f !== null) {
        n.isComplex = true;
        n.imag = f;
        simplifyComplex(n);
        return n;
      }
    }
    const u = parseGoInt(text, true);
    if (u !== null) {
      n.isUint = true;
      n.int = u;
    }
    const i = parseGoInt(text, false);
    if (i !== null) {
      n.isInt = true;
      n.int = i;
      if (i === 0n) n.isUint = true;
    }
    if (n.isInt || n.isUint) {
      n.isFloat = true;
      n.float = Number(n.int);
    } else {
      const f = parseGoFloat(text);
      if (f !== null) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${JSON.stringify(text)}`);
        n.isFloat = true;
        n.float = f;
        if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
          n.isInt = true;
          n.int = BigInt(f);
          if (f >= 0) n.isUint = true;
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${JSON.stringify(text)}`);
    return n;
  }
}

function simplifyComplex(n: NumberNode): void {
  n.isFloat = n.imag === 0;
  if (n.isFloat) {
    n.float = n.real;
    n.isInt = Number.isInteger(n.real) && Math.abs(n.real) < 2 ** 63;
    if (n.isInt) n.int = BigInt(n.real);
    n.isUint = n.isInt && n.real >= 0;
  }
}

function isEmptyList(l: ListNode): boolean {
  return l.nodes.every((n) => n.type === "text" && /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(n.text));
}
