/**
 * Executor: compiles a parse tree into closures once, then runs them (Go's exec.go semantics).
 *
 * Each node becomes `(s, dot) => status` (status 0 = normal, 1 = break, 2 = continue), each
 * pipeline `(s, dot) => value`. Variables are resolved to frame slots at compile time (the parser
 * already enforces Go's scoping), so execution does no name lookups for them.
 */
import { TemplateError, TemplateExecError } from "./errors.js";
import { sprintIndirect, sprintValue } from "./fmt.js";
import { sprint, sprintf, sprintln } from "./fmt.js";
import * as F from "./funcs.js";
import { GoError } from "./funcs.js";
import type { AnyNode, ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode } from "./node.js";
import { nodeLocation, nodeString } from "./node.js";
import type { Tree } from "./parse.js";
import { GO_STRUCT, GoNilPointer, hasField } from "./struct.js";
import {
  elemTypeName,
  elemZero,
  Float64,
  GoFunc,
  type GoParamType,
  GoScalar,
  isTrue,
  Kind,
  kindOf,
  sortedKeys,
  typeName,
  withGoType,
} from "./values.js";

/** Go's maxExecDepth. */
export const MAX_EXEC_DEPTH = 100000;

export type MissingKey = "default" | "invalid" | "zero" | "error";

/** What the executor needs from the template set. */
export interface ExecContext {
  /** Looks up an associated template by name (for `{{template}}`). */
  lookup(name: string): CompiledTemplate | undefined;
  /** User functions (override builtins, like Go). */
  funcs: Map<string, unknown>;
  /** Bumped whenever `funcs` changes, so call sites can cache their resolution. */
  funcsVersion: number;
  missingKey: MissingKey;
}

export interface CompiledTemplate {
  name: string;
  compiled(): Compiled;
}

export interface Compiled {
  run: Exec;
  frameSize: number;
}

export interface State {
  out: string;
  vars: unknown[];
  ctx: ExecContext;
  /** Name of the executing template (Go's `executing "name"`). */
  name: string;
  depth: number;
}

type Exec = (s: State, dot: unknown) => number;
type Pipe = (s: State, dot: unknown) => unknown;
type Cmd = (s: State, dot: unknown, final: unknown) => unknown;

/** Go's `missingVal`: "no final argument from a previous pipeline stage". */
const NOFINAL: unique symbol = Symbol("missingVal");

const OK = 0;
const BREAK = 1;
const CONTINUE = 2;

export function execError(s: State, node: AnyNode | null, msg: string, cause?: unknown): TemplateExecError {
  if (node === null) {
    return new TemplateExecError(`template: ${s.name}: ${msg}`, { templateName: s.name, line: 0, cause });
  }
  const { line, col } = nodeLocation(node);
  const ctx = nodeString(node);
  return new TemplateExecError(
    `template: ${node.tree.parseName}:${line}:${col}: executing ${JSON.stringify(s.name)} at <${ctx}>: ${msg}`,
    { templateName: s.name, line, column: col, cause },
  );
}

// ---------------------------------------------------------------- function signatures

/** Parameter kinds: "value" is Go's reflect.Value (no conversion, nil stays "no value"). */
type PKind = GoParamType | "value";

interface Sig {
  params: PKind[];
  variadic: boolean;
}

const V1: Sig = { params: ["value"], variadic: false };
const V2: Sig = { params: ["value", "value"], variadic: false };
const VV: Sig = { params: ["value", "value"], variadic: true };
const ANYV: Sig = { params: ["any"], variadic: true };
const PRINTF: Sig = { params: ["string", "any"], variadic: true };

type BuiltinImpl = (args: unknown[]) => unknown;

interface Builtin {
  sig: Sig;
  impl: BuiltinImpl;
}

const BUILTINS: Record<string, Builtin> = {
  and: { sig: VV, impl: () => undefined },
  or: { sig: VV, impl: () => undefined },
  call: { sig: VV, impl: () => undefined },
  not: { sig: V1, impl: (a) => !isTrue(a[0] === null ? undefined : a[0]) },
  len: { sig: V1, impl: (a) => F.length(a[0]) },
  index: { sig: VV, impl: (a) => F.index(a[0], a.slice(1)) },
  slice: { sig: VV, impl: (a) => F.slice(a[0], a.slice(1)) },
  eq: { sig: VV, impl: (a) => F.eq(a[0], a.slice(1)) },
  ne: { sig: V2, impl: (a) => F.ne(a[0], a[1]) },
  lt: { sig: V2, impl: (a) => F.lt(a[0], a[1]) },
  le: { sig: V2, impl: (a) => F.le(a[0], a[1]) },
  gt: { sig: V2, impl: (a) => F.gt(a[0], a[1]) },
  ge: { sig: V2, impl: (a) => F.ge(a[0], a[1]) },
  html: { sig: ANYV, impl: (a) => F.html(a) },
  js: { sig: ANYV, impl: (a) => F.js(a) },
  urlquery: { sig: ANYV, impl: (a) => F.urlquery(a) },
  print: { sig: ANYV, impl: (a) => sprint(a) },
  println: { sig: ANYV, impl: (a) => sprintln(a) },
  printf: { sig: PRINTF, impl: (a) => sprintf(a[0] as string, a.slice(1)) },
};

/** Names of the builtin functions. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(Object.keys(BUILTINS));

const PLAIN_SIG: Sig = ANYV;

function sigOf(fn: unknown): Sig | null {
  if (fn instanceof GoFunc) {
    return { params: fn.params, variadic: fn.variadic };
  }
  if (typeof fn === "function") return PLAIN_SIG;
  return null;
}

const goTypeName = (k: PKind): string =>
  k === "any" ? "interface {}" : k === "value" ? "reflect.Value" : k;

/**
 * The node Go's evaluator has visited last (`state.at`) once `n` is evaluated. Go reports errors
 * that carry no node of their own there: range over a non-iterable value, a wrong-typed piped
 * value, a field of a parenthesized value, an undefined variable assigned from a pipeline.
 * (Static: `and`/`or` that stop early are taken as having evaluated all their arguments.)
 */
export function lastAt(n: ArgNode | CommandNode): AnyNode {
  switch (n.type) {
    case "pipe": {
      const c = n.cmds[n.cmds.length - 1];
      return c === undefined ? n : lastAt(c);
    }
    case "command": {
      const first = n.args[0];
      if (first === undefined) return n;
      if (first.type === "identifier") return n.args.length > 1 ? lastAt(n.args[n.args.length - 1] as ArgNode) : first;
      return first.type === "chain" || first.type === "pipe" ? lastAt(first) : first;
    }
    case "chain":
      return lastAt(n.node);
    default:
      return n;
  }
}

/** Go's validateType for an evaluated (non-constant) argument. */
function validateType(s: State, node: AnyNode, v: unknown, k: PKind): unknown {
  if (k === "value") return v;
  if (v === undefined) {
    if (k === "any") return null;
    throw execError(s, node, `invalid value; expected ${goTypeName(k)}`);
  }
  if (k === "any") return v;
  if (!assignable(v, k)) throw execError(s, node, `wrong type for value; expected ${goTypeName(k)}; got ${v === null ? "interface {}" : typeName(v)}`);
  return toJs(v, k);
}

function assignable(v: unknown, k: PKind): boolean {
  switch (k) {
    case "string":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "int":
      return typeof v === "number" && Number.isSafeInteger(v);
    case "float64":
      return (typeof v === "number" && !Number.isSafeInteger(v)) || v instanceof Float64;
    default:
      return true;
  }
}

function toJs(v: unknown, k: PKind): unknown {
  if (k === "float64" && v instanceof Float64) return v.value;
  return v;
}

/** Tags a custom function's result with its declared Go type. */
function wrapResult(fn: unknown, r: unknown): unknown {
  if (r === undefined) return null;
  if (!(fn instanceof GoFunc)) return r;
  switch (fn.result) {
    case "float64":
      return typeof r === "number" && Number.isSafeInteger(r) ? new Float64(r) : r;
    case "[]string":
    case "[]int":
      return Array.isArray(r) ? withGoType([...r], fn.result) : r;
    case "map[string]string":
    case "map[string]int":
      return typeof r === "object" && r !== null ? withGoType({ ...(r as object) }, fn.result) : r;
    default:
      return r;
  }
}

// ---------------------------------------------------------------- compiler

interface Scope {
  names: string[];
  slots: number[];
}

class Compiler {
  frameSize = 1;
  private scope: Scope = { names: ["$"], slots: [0] };

  constructor(private readonly tree: Tree) {}

  compile(): Compiled {
    const run = this.list(this.tree.root);
    return { run, frameSize: this.frameSize };
  }

  private mark(): number {
    return this.scope.names.length;
  }
  private pop(m: number): void {
    this.scope.names.length = m;
    this.scope.slots.length = m;
  }
  private declare(name: string): number {
    const slot = this.frameSize++;
    this.scope.names.push(name);
    this.scope.slots.push(slot);
    return slot;
  }
  /** Slot of the innermost visible variable `name`, or -1 (Go then fails at execution). */
  private resolve(name: string): number {
    for (let i = this.scope.names.length - 1; i >= 0; i--) {
      if (this.scope.names[i] === name) return this.scope.slots[i] as number;
    }
    return -1;
  }

  list(l: ListNode): Exec {
    const fns = l.nodes.map((n) => this.node(n));
    // Merge consecutive text for fewer calls.
    if (fns.length === 0) return () => OK;
    if (fns.length === 1) return fns[0] as Exec;
    if (fns.length === 2) {
      const [a, b] = fns as [Exec, Exec];
      return (s, dot) => a(s, dot) || b(s, dot);
    }
    const n = fns.length;
    return (s, dot) => {
      for (let i = 0; i < n; i++) {
        const st = (fns[i] as Exec)(s, dot);
        if (st !== OK) return st;
      }
      return OK;
    };
  }

  node(n: Node): Exec {
    switch (n.type) {
      case "list":
        return this.list(n);
      case "text": {
        const t = n.text;
        return (s) => {
          s.out += t;
          return OK;
        };
      }
      case "action": {
        const pipe = this.pipeline(n.pipe);
        if (n.pipe.decl.length > 0) {
          return (s, dot) => {
            pipe(s, dot);
            return OK;
          };
        }
        return (s, dot) => {
          const v = pipe(s, dot);
          if (typeof v === "string") s.out += v;
          else s.out += printable(s, n, v);
          return OK;
        };
      }
      case "break":
        return () => BREAK;
      case "continue":
        return () => CONTINUE;
      case "if":
      case "with": {
        const m = this.mark();
        const pipe = this.pipeline(n.pipe);
        const list = this.list(n.list);
        const elseList = n.elseList ? this.list(n.elseList) : null;
        this.pop(m);
        const isWith = n.type === "with";
        return (s, dot) => {
          const v = pipe(s, dot);
          if (isTrue(v)) return list(s, isWith ? v : dot);
          if (elseList !== null) return elseList(s, dot);
          return OK;
        };
      }
      case "range":
        return this.range(n);
      case "template": {
        const pipe = n.pipe ? this.pipeline(n.pipe) : null;
        const name = n.name;
        return (s, dot) => {
          const t = s.ctx.lookup(name);
          if (t === undefined) throw execError(s, n, `template ${JSON.stringify(name)} not defined`);
          if (s.depth >= MAX_EXEC_DEPTH) throw execError(s, n, `exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
          const d = pipe === null ? undefined : pipe(s, dot);
          const c = t.compiled();
          const vars = s.vars;
          const nameBefore = s.name;
          const frame = new Array(c.frameSize);
          frame[0] = d;
          s.vars = frame;
          s.name = t.name;
          s.depth++;
          c.run(s, d);
          s.depth--;
          s.vars = vars;
          s.name = nameBefore;
          return OK;
        };
      }
    }
  }

  private range(n: Extract<Node, { type: "range" }>): Exec {
    const m = this.mark();
    const decl = n.pipe.decl;
    // Evaluate the pipeline without its declarations; the range assigns them per iteration.
    const pipe = this.pipelineNoDecl(n.pipe);
    const slots = decl.map((d) => (n.pipe.isAssign ? this.resolve(d.ident[0] as string) : this.declare(d.ident[0] as string)));
    const undef = decl.find((_d, i) => slots[i] === -1);
    const body = this.list(n.list);
    const elseList = n.elseList ? this.list(n.elseList) : null;
    this.pop(m);
    // Go reports "range can't iterate" at the node its evaluator visited last.
    const rangeErrAt = lastAt(n.pipe);
    const nd = slots.length;
    const s0 = slots[0] ?? 0;
    const s1 = slots[1] ?? 0;
    const iter = (s: State, index: unknown, elem: unknown): number => {
      if (nd === 1) s.vars[s0] = elem;
      else if (nd === 2) {
        s.vars[s0] = index;
        s.vars[s1] = elem;
      }
      return body(s, elem);
    };
    return (s, dot) => {
      if (undef !== undefined) throw execError(s, undef, `undefined variable: ${undef.ident[0]}`);
      const val = pipe(s, dot);
      if (nd > 0 && !n.pipe.isAssign) {
        for (const sl of slots) s.vars[sl] = val;
      }
      if (Array.isArray(val)) {
        if (val.length > 0) {
          for (let i = 0; i < val.length; i++) {
            const e = val[i];
            if (iter(s, i, e === undefined ? null : e) === BREAK) break;
          }
          return OK;
        }
      } else if (typeof val === "number" && Number.isSafeInteger(val)) {
        // Current Go (1.24+): range over an integer.
        if (nd > 1) throw execError(s, n.pipe, `can't use ${sprintValue(val)} to iterate over more than one variable`);
        if (val > 0) {
          for (let i = 0; i < val; i++) if (iter(s, i, i) === BREAK) break;
          return OK;
        }
      } else if (val instanceof GoScalar && val.type === "uint8") {
        if (nd > 1) throw execError(s, n, `can't use ${sprintValue(val)} to iterate over more than one variable`);
        if (val.value > 0) {
          for (let i = 0; i < val.value; i++) if (iter(s, new GoScalar("uint8", i), new GoScalar("uint8", i)) === BREAK) break;
          return OK;
        }
      } else if (val !== undefined && val !== null && kindOf(val) === Kind.Map) {
        const o = val as Record<string, unknown>;
        const keys = sortedKeys(o);
        if (keys.length > 0) {
          for (const k of keys) {
            const e = o[k];
            if (iter(s, k, e === undefined ? null : e) === BREAK) break;
          }
          return OK;
        }
      } else if (val !== undefined) {
        throw execError(s, rangeErrAt, `range can't iterate over ${sprintIndirect(val)}`);
      }
      if (elseList !== null) return elseList(s, dot);
      return OK;
    };
  }

  private pipelineNoDecl(p: PipeNode): Pipe {
    return this.pipeline({ ...p, decl: [] });
  }

  pipeline(p: PipeNode): Pipe {
    // A parenthesized first word given arguments is reported at the node Go visited before the
    // command: the pipeline itself for the first command, else the end of the previous one.
    const cmds = p.cmds.map((c, i) => this.command(c, i === 0 ? p : lastAt(p.cmds[i - 1] as CommandNode)));
    const slots = p.decl.map((d) => (p.isAssign ? this.resolve(d.ident[0] as string) : -1));
    // Declarations become visible after the pipeline is evaluated.
    for (let i = 0; i < p.decl.length; i++) {
      if (!p.isAssign) slots[i] = this.declare((p.decl[i] as { ident: string[] }).ident[0] as string);
    }
    let run: Pipe;
    if (cmds.length === 1) {
      const c = cmds[0] as Cmd;
      run = (s, dot) => {
        const v = c(s, dot, NOFINAL);
        return v === null ? undefined : v;
      };
    } else {
      run = (s, dot) => {
        let v: unknown = NOFINAL;
        for (let i = 0; i < cmds.length; i++) {
          v = (cmds[i] as Cmd)(s, dot, v);
          if (v === null) v = undefined;
        }
        return v;
      };
    }
    if (slots.length === 0) return run;
    const sl = slots;
    const undef = p.decl.find((_d, i) => sl[i] === -1);
    // Go evaluates the pipeline, then fails assigning (reported at the last evaluated node).
    const errAt = lastAt(p);
    return (s, dot) => {
      const v = run(s, dot);
      if (undef !== undefined) throw execError(s, errAt, `undefined variable: ${undef.ident[0]}`);
      for (let i = 0; i < sl.length; i++) s.vars[sl[i] as number] = v;
      return v;
    };
  }

  private command(c: CommandNode, before: AnyNode): Cmd {
    const first = c.args[0] as ArgNode;
    const args = c.args;
    switch (first.type) {
      case "field":
        return this.fieldChain(first, null, first.ident, args);
      case "chain": {
        if (first.node.type === "nil") {
          return (s) => {
            throw execError(s, first, `indirection through explicit nil in ${nodeString(first)}`);
          };
        }
        const recv = this.argValue(first.node);
        // Go reports a field error of `(pipe).F` where evaluating the pipe ended.
        return this.fieldChain(lastAt(first), recv, first.field, args);
      }
      case "identifier":
        return this.func(first.ident, first, c, args);
      case "pipe": {
        const p = this.pipeline(first);
        const nf = this.notAFunction(args, first, before);
        return (s, dot, final) => {
          nf(s, final);
          return p(s, dot);
        };
      }
      case "variable": {
        const slot = this.resolve(first.ident[0] as string);
        if (slot === -1) return undefinedVar(first);
        if (first.ident.length === 1) {
          const nf = this.notAFunction(args, first);
          return (s, _dot, final) => {
            nf(s, final);
            return s.vars[slot];
          };
        }
        return this.fieldChain(first, (s) => s.vars[slot], first.ident.slice(1), args);
      }
    }
    const nf = this.notAFunction(args, first);
    switch (first.type) {
      case "bool": {
        const b = first.value;
        return (s, _d, final) => {
          nf(s, final);
          return b;
        };
      }
      case "dot":
        return (s, dot, final) => {
          nf(s, final);
          return dot;
        };
      case "nil":
        return (s, _d, final) => {
          nf(s, final);
          throw execError(s, first, "nil is not a command");
        };
      case "number": {
        const c = idealConstantFn(first);
        return (s, _d, final) => {
          nf(s, final);
          return c(s);
        };
      }
      case "string": {
        const t = first.text;
        return (s, _d, final) => {
          nf(s, final);
          return t;
        };
      }
    }
  }

  private notAFunction(args: ArgNode[], first: ArgNode, at: AnyNode = first): (s: State, final: unknown) => void {
    const many = args.length > 1;
    return (s, final) => {
      if (many || final !== NOFINAL) throw execError(s, at, `can't give argument to non-function ${nodeString(first)}`);
    };
  }

  /** Evaluates an operand node to its raw value (Go's evalArg with no type / evalEmptyInterface). */
  private argValue(n: ArgNode): (s: State, dot: unknown) => unknown {
    switch (n.type) {
      case "dot":
        return (_s, dot) => dot;
      case "nil":
        return () => null;
      case "field": {
        const c = this.fieldChain(n, null, n.ident, [n]);
        return (s, dot) => c(s, dot, NOFINAL);
      }
      case "variable": {
        const slot = this.resolve(n.ident[0] as string);
        if (slot === -1) return undefinedVar(n);
        if (n.ident.length === 1) return (s) => s.vars[slot];
        const c = this.fieldChain(n, (s) => s.vars[slot], n.ident.slice(1), [n]);
        return (s, dot) => c(s, dot, NOFINAL);
      }
      case "pipe":
        return this.pipeline(n);
      case "identifier": {
        const c = this.func(n.ident, n, n, [n]);
        return (s, dot) => c(s, dot, NOFINAL);
      }
      case "chain": {
        if (n.node.type === "nil") {
          return (s) => {
            throw execError(s, n, `indirection through explicit nil in ${nodeString(n)}`);
          };
        }
        const recv = this.argValue(n.node);
        const c = this.fieldChain(lastAt(n), recv, n.field, [n]);
        return (s, dot) => c(s, dot, NOFINAL);
      }
      case "bool": {
        const b = n.value;
        return () => b;
      }
      case "string": {
        const t = n.text;
        return () => t;
      }
      case "number":
        return idealConstantFn(n);
    }
  }

  /**
   * `.a.b.c` (receiver = dot when `recv` is null) with the command's args going to the last
   * field (Go: fields are not methods here, so args are an error).
   */
  private fieldChain(node: AnyNode, recv: ((s: State, dot: unknown) => unknown) | null, ident: string[], args: ArgNode[]): Cmd {
    const hasArgsStatic = args.length > 1;
    const names = ident;
    const n = names.length;
    if (recv === null && n === 1) {
      const name = names[0] as string;
      return (s, dot, final) => field(s, node, name, hasArgsStatic || final !== NOFINAL, dot);
    }
    return (s, dot, final) => {
      let r = recv === null ? dot : recv(s, dot);
      // The container `r` was taken from (for Go's static type in error messages).
      let parent: unknown;
      for (let i = 0; i < n - 1; i++) {
        const next = field(s, node, names[i] as string, false, r, parent);
        parent = r;
        r = next;
      }
      return field(s, node, names[n - 1] as string, hasArgsStatic || final !== NOFINAL, r, parent);
    };
  }

  private func(name: string, node: ArgNode, cmd: AnyNode, args: ArgNode[]): Cmd {
    const argNodes = args.slice(1);
    const evals = argNodes.map((a) => this.argValue(a));
    const numArgs = argNodes.length;
    // A wrong-typed piped value is reported where Go's evaluator stands after the arguments.
    const finalAt: AnyNode = numArgs > 0 ? lastAt(argNodes[numArgs - 1] as ArgNode) : node;
    const fieldLike = argNodes.map(
      (a) => a.type === "field" || a.type === "chain" || (a.type === "variable" && a.ident.length > 1),
    );
    /** Go's evalArg for argument i and a parameter of kind k, specialised once per resolution. */
    const argEval = (i: number, k: PKind): Pipe => {
      const a = argNodes[i] as ArgNode;
      const ev = evals[i] as Pipe;
      const fail = (msg: string): Pipe => (s) => {
        throw execError(s, a, msg);
      };
      switch (a.type) {
        case "nil":
          return k === "any" || k === "value" ? () => null : fail(`cannot assign nil to ${goTypeName(k)}`);
        case "bool":
        case "string":
        case "number":
          break;
        default:
          if (k === "value") return ev;
          if (k === "any") {
            return (s, dot) => {
              const v = ev(s, dot);
              return v === undefined ? null : v;
            };
          }
          return (s, dot) => validateType(s, a, ev(s, dot), k);
      }
      switch (k) {
        case "bool":
          if (a.type === "bool") {
            const b = a.value;
            return () => b;
          }
          return fail(`expected bool; found ${nodeString(a)}`);
        case "string":
          if (a.type === "string") {
            const t = a.text;
            return () => t;
          }
          return fail(`expected string; found ${nodeString(a)}`);
        case "int":
          if (a.type === "number" && a.isInt) {
            const v = Number(a.int);
            if (!Number.isSafeInteger(v)) return fail(`${a.text} overflows int`);
            return () => v;
          }
          return fail(`expected integer; found ${nodeString(a)}`);
        case "float64":
          if (a.type === "number" && a.isFloat) {
            const f = a.float;
            return () => f;
          }
          return fail(`expected float; found ${nodeString(a)}`);
        default:
          return ev;
      }
    };

    interface Resolved {
      ctx: ExecContext;
      version: number;
      fn: unknown;
      builtin: Builtin | undefined;
      sig: Sig;
      args: Pipe[];
    }
    let cache: Resolved | null = null;
    const resolve = (s: State): Resolved => {
      const fn: unknown = s.ctx.funcs.get(name);
      let builtin: Builtin | undefined;
      let sig: Sig | null;
      if (fn === undefined) {
        builtin = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
        if (builtin === undefined) throw execError(s, node, `${JSON.stringify(name)} is not a defined function`);
        sig = builtin.sig;
      } else sig = sigOf(fn);
      if (sig === null) throw execError(s, node, `can't call non-function ${name}`);
      const nParams = sig.params.length;
      const argFns: Pipe[] = [];
      for (let i = 0; i < numArgs; i++) {
        const k = sig.variadic && i >= nParams - 1 ? sig.params[nParams - 1] : sig.params[i];
        // Too many args for a fixed signature is reported by the arity check before any use.
        argFns.push(argEval(i, (k ?? "any") as PKind));
      }
      return { ctx: s.ctx, version: s.ctx.funcsVersion, fn, builtin, sig, args: argFns };
    };

    const isAndOr = name === "and" || name === "or";
    const isOr = name === "or";
    return (s, dot, final) => {
      let r = cache;
      if (r === null || r.ctx !== s.ctx || r.version !== s.ctx.funcsVersion) {
        r = resolve(s);
        cache = r;
      }
      const sig = r.sig;
      const builtin = r.builtin;
      const hasFinal = final !== NOFINAL;
      const numIn = hasFinal ? numArgs + 1 : numArgs;
      const nParams = sig.params.length;
      let numFixed = numArgs;
      if (sig.variadic) {
        numFixed = nParams - 1;
        if (numIn < numFixed) throw execError(s, node, `wrong number of args for ${name}: want at least ${numFixed} got ${numArgs}`);
      } else if (numIn !== nParams) {
        throw execError(s, node, `wrong number of args for ${name}: want ${nParams} got ${numIn}`);
      }
      const argFns = r.args;
      if (builtin !== undefined) {
        if (isAndOr) {
          let v: unknown;
          for (let i = 0; i < numArgs; i++) {
            v = (argFns[i] as Pipe)(s, dot);
            if (isTrue(v) === isOr) return v;
          }
          if (hasFinal) v = final;
          return v;
        }
        if (name === "slice") {
          const argv: unknown[] = [];
          for (let i = 0; i < numArgs; i++) {
            lastFieldRecv = null;
            const v = (argFns[i] as Pipe)(s, dot);
            if (i > 0 && fieldLike[i] && lastFieldRecv !== null && v !== undefined && v !== null && !(GO_STRUCT in lastFieldRecv) && elemTypeName(lastFieldRecv) === "interface {}") {
              throw execError(s, cmd, "error calling slice: cannot index slice/array with type interface {}");
            }
            argv.push(v);
          }
          if (hasFinal) argv.push(final);
          try {
            return builtin.impl(argv);
          } catch (e) {
            throw execError(s, cmd, `error calling slice: ${e instanceof Error ? e.message : String(e)}`, e);
          }
        }
      }
      const argv: unknown[] = new Array(numIn);
      for (let i = 0; i < numArgs; i++) argv[i] = (argFns[i] as Pipe)(s, dot);
      if (hasFinal) {
        let k = sig.params[nParams - 1] as PKind;
        if (sig.variadic && numIn - 1 < numFixed) k = sig.params[numIn - 1] as PKind;
        argv[numArgs] = validateType(s, finalAt, final, k);
      }
      try {
        if (builtin !== undefined) {
          if (name === "call") return callFn(argv);
          return builtin.impl(argv);
        }
        return wrapResult(r.fn, callJs(r.fn, argv));
      } catch (e) {
        if (e instanceof TemplateExecError) throw e;
        if (e instanceof RangeError && /call stack/i.test(e.message)) throw e;
        throw execError(s, cmd, `error calling ${name}: ${e instanceof Error ? e.message : String(e)}`, e);
      }
    };
  }
}

function undefinedVar(n: { ident: string[] } & AnyNode): (s: State, dot?: unknown, final?: unknown) => never {
  return (s) => {
    throw execError(s, n, `undefined variable: ${n.ident[0]}`);
  };
}

function callJs(fn: unknown, argv: unknown[]): unknown {
  const f = fn instanceof GoFunc ? fn.fn : (fn as (...a: unknown[]) => unknown);
  return (f as (...a: unknown[]) => unknown)(...argv);
}

/** The `call` builtin. */
function callFn(argv: unknown[]): unknown {
  const fn = argv[0] === null ? undefined : argv[0];
  const args = argv.slice(1);
  if (fn === undefined) throw new GoError("call of nil");
  if (typeof fn !== "function" && !(fn instanceof GoFunc)) throw new GoError(`non-function of type ${typeName(fn)}`);
  if (fn instanceof GoFunc) {
    const n = fn.params.length;
    if (fn.variadic) {
      if (args.length < n - 1) throw new GoError(`wrong number of args: got ${args.length} want at least ${n - 1}`);
    } else if (args.length !== n) throw new GoError(`wrong number of args: got ${args.length} want ${n}`);
    const conv = args.map((a0, i) => {
      const a = a0 === null ? undefined : a0;
      const k = fn.variadic && i >= n - 1 ? (fn.params[n - 1] as GoParamType) : (fn.params[i] as GoParamType);
      if (a === undefined) {
        if (k === "any") return null;
        throw new GoError(`arg ${i}: value is nil; should be of type ${goTypeName(k)}`);
      }
      if (k === "any") return a;
      if (k === "int" && a instanceof GoScalar && a.type === "uint8") return a.value;
      if (!assignable(a, k)) throw new GoError(`arg ${i}: value has type ${typeName(a)}; should be ${goTypeName(k)}`);
      return toJs(a, k);
    });
    return wrapResult(fn, callJs(fn, conv));
  }
  return wrapResult(fn, (fn as (...a: unknown[]) => unknown)(...args.map((a) => (a === undefined ? null : a))));
}

/**
 * Set by `field` when the value it returned came out of a map whose element type is
 * `interface {}` (a reflect.Value of Kind Interface in Go). Only `slice` cares: Go's slice
 * builtin does not unwrap interface-typed index arguments and rejects them.
 */
let lastFieldRecv: object | null = null;

/** Go's evalField on a struct, map-like or nil receiver. */
function field(s: State, node: AnyNode, name: string, hasArgs: boolean, receiver: unknown, parent?: unknown): unknown {
  if (receiver === undefined) {
    if (s.ctx.missingKey === "error") throw execError(s, node, `nil data; no entry for key ${JSON.stringify(name)}`);
    return undefined;
  }
  if (receiver === null) throw execError(s, node, `nil pointer evaluating interface {}.${name}`);
  if (typeof receiver === "object") {
    // Marked structs are plain objects too: the common (found) path is shared with maps, and
    // struct rules apply only when a key is missing or arguments are given.
    if (isPlainObject(receiver) || (!Array.isArray(receiver) && kindOf(receiver) === Kind.Map)) {
      const o = receiver as Record<string, unknown>;
      if (hasArgs) {
        if (GO_STRUCT in o && hasField(o, name)) throw execError(s, node, `${name} has arguments but cannot be invoked as function`);
        if (!(GO_STRUCT in o)) throw execError(s, node, `${name} is not a method but has arguments`);
      }
      const v = o[name];
      if (v !== undefined && Object.hasOwn(o, name)) {
        lastFieldRecv = o;
        return v;
      }
      if (GO_STRUCT in o) {
        // Go structs have fixed fields: no missingkey rules, an unknown name is an error.
        if (hasField(o, name)) return null;
        throw execError(s, node, `can't evaluate field ${name} in type ${staticType(receiver, parent)}`);
      }
      switch (s.ctx.missingKey) {
        case "zero":
          return elemZero(o);
        case "error":
          throw execError(s, node, `map has no entry for key ${JSON.stringify(name)}`);
        default:
          return undefined;
      }
    }
    if (GO_STRUCT in receiver) {
      // A marked struct that is not a plain object (e.g. a class instance).
      if (hasField(receiver, name)) {
        if (hasArgs) throw execError(s, node, `${name} has arguments but cannot be invoked as function`);
        const v = (receiver as Record<string, unknown>)[name];
        return v === undefined ? null : v;
      }
    } else if (receiver instanceof GoNilPointer) {
      if (receiver.fields === null || receiver.fields.includes(name)) {
        throw execError(s, node, `nil pointer evaluating ${staticType(receiver, parent)}.${name}`);
      }
    }
  }
  throw execError(s, node, `can't evaluate field ${name} in type ${staticType(receiver, parent)}`);
}

/** Go names the static type: a value taken out of a map[string]interface {} is an interface {}. */
function staticType(receiver: unknown, parent: unknown): string {
  return parent !== undefined &&
    typeof parent === "object" &&
    parent !== null &&
    !Array.isArray(parent) &&
    !(GO_STRUCT in parent) &&
    elemTypeName(parent) === "interface {}"
    ? "interface {}"
    : typeName(receiver);
}

const OBJECT_PROTO = Object.prototype;
function isPlainObject(o: object): boolean {
  const p = Object.getPrototypeOf(o);
  return p === OBJECT_PROTO || p === null;
}

/**
 * idealConstant decided at compile time (the literal's text does not change, and its values are
 * immutable): the closure returns the one value, or throws Go's overflow error when it runs.
 */
function idealConstantFn(n: NumberNode): (s: State) => unknown {
  if (!n.isComplex && !isFloatLiteral(n) && !n.isInt && n.isUint) return (s) => idealConstant(s, n);
  const v = idealConstant(undefined as unknown as State, n);
  return () => v;
}

function isFloatLiteral(n: NumberNode): boolean {
  const hexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
  return n.isFloat && !hexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text);
}

/** Go's idealConstant: the type a number literal gets without context. */
function idealConstant(s: State, n: NumberNode): unknown {
  if (n.isComplex) return new GoScalar("complex128", n.real, n.imag);
  if (isFloatLiteral(n)) {
    return Number.isSafeInteger(n.float) || Object.is(n.float, -0) ? new Float64(n.float) : n.float;
  }
  if (n.isInt) {
    const v = Number(n.int);
    // Go's int is 64-bit: keep values beyond JS's safe range exactly.
    if (!Number.isSafeInteger(v)) return new GoScalar("int", v, 0, n.int);
    return v;
  }
  if (n.isUint) throw execError(s, n, `${n.text} overflows int`);
  return undefined;
}

/** printValue: what `{{pipeline}}` writes. */
function printable(s: State, n: AnyNode, v: unknown): string {
  if (v === undefined) return "<no value>";
  if (typeof v === "function" || v instanceof GoFunc) {
    throw execError(s, n, `can't print ${nodeString(n)} of type ${typeName(v)}`);
  }
  return sprintIndirect(v);
}

/** Compiles a tree (cached by the caller). */
export function compileTree(tree: Tree): Compiled {
  return new Compiler(tree).compile();
}

/** Runs a compiled template; converts a JS stack overflow into Go's depth error. */
export function execute(compiled: () => Compiled, name: string, ctx: ExecContext, data: unknown): string {
  const dot = data === null ? undefined : data;
  const s: State = { out: "", vars: [dot], ctx, name, depth: 0 };
  try {
    const c = compiled();
    const frame = new Array(c.frameSize);
    frame[0] = dot;
    s.vars = frame;
    c.run(s, dot);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // Go allows 100,000 nested {{template}} calls; the JS stack usually runs out first.
      const msg = s.depth > 0 ? `exceeded maximum template depth (${MAX_EXEC_DEPTH})` : "template nesting too deep to execute";
      throw execError(s, null, msg, e);
    }
    if (e instanceof TemplateError) throw e;
    // The caller's data failed under us (a throwing getter, a Proxy trap, a value no Go type
    // fits): a typed exec error with the original as cause, never a raw TypeError.
    throw execError(s, null, `error reading data: ${e instanceof Error ? e.message : safeString(e)}`, e);
  }
  return s.out;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}
