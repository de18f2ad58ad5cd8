/**
 * The Go-shaped API: `Template` mirrors text/template's `*Template` (a named template sharing a
 * set of associated templates, functions and options with the templates made by `new`).
 */
import { type CheckedRenderOptions, MAX_NAME, arg, checkRenderOptions, failFunc, failOption, is, isName } from "./check.js";
import { TemplateError, TemplateExecError, TemplateParseError } from "./errors.js";
import {
  BUILTIN_NAMES,
  type Compiled,
  type CompiledTemplate,
  compileTree,
  type ExecContext,
  execute,
  type MissingKey,
} from "./exec.js";
import { isEmptyTree } from "./node.js";
import { parseTemplates, type Tree } from "./parse.js";
import { GoFunc } from "./values.js";

/** A template function: a JS function (treated as `func(...any) any`) or a {@link GoFunc}. */
export type TemplateFunc = ((...args: never[]) => unknown) | GoFunc;
/** Name → function, like Go's `template.FuncMap`. */
export type FuncMap = Record<string, TemplateFunc>;

const compiledCache = new WeakMap<Tree, Compiled>();
function compiledOf(tree: Tree): Compiled {
  let c = compiledCache.get(tree);
  if (c === undefined) {
    c = compileTree(tree);
    compiledCache.set(tree, c);
  }
  return c;
}

class Common implements ExecContext {
  readonly tmpl = new Map<string, Template>();
  readonly funcs = new Map<string, unknown>();
  funcsVersion = 0;
  missingKey: MissingKey = "default";
  lookup(name: string): CompiledTemplate | undefined {
    const t = this.tmpl.get(name);
    return t === undefined ? undefined : handleOf(t);
  }
}

const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** Module-private access to a template's compiled handle (set in Template's static block). */
let handleOf: (t: Template) => CompiledTemplate | undefined;
/** The set a template made by `new()` joins (the constructor takes only a name, like Go's New). */
let inheritCommon: Common | undefined;
/** Module-private: parse without the argument check (renderTemplate, set in the static block). */
let parseInner: (t: Template, text: string) => void;
/** Module-private access to a template's shared set. */
let commonOf: (t: Template) => Common;

/**
 * A Go text/template template.
 *
 * @example
 * ```ts
 * const t = new Template("config").funcs({ upper: (s: string) => s.toUpperCase() });
 * t.parse('{{define "base"}}x = {{.x}}{{end}}{{template "base" .}}');
 * t.execute({ x: 1 }); // "x = 1"
 * ```
 */
export class Template {
  #tree: Tree | undefined;
  /** What `{{template}}` calls run (compiled lazily, cached per tree). */
  readonly #handle: CompiledTemplate;

  static {
    handleOf = (t) => (t.#tree === undefined ? undefined : t.#handle);
    commonOf = (t) => t.#common;
  }
  readonly #name: string;
  readonly #common: Common;
  #left = "";
  #right = "";

  /**
   * Creates an empty template named `name` (Go: `template.New(name)`).
   * @throws TemplateArgumentError TEMPLATE_ARGUMENT_INVALID when `name` is not a string of at most
   *   4096 characters.
   */
  constructor(name: string) {
    if (typeof name !== "string" || name.length > MAX_NAME) arg(name, isName, "name", "Template");
    this.#name = name;
    this.#common = inheritCommon ?? new Common();
    inheritCommon = undefined;
    this.#handle = { name, compiled: () => compiledOf(this.#tree as Tree) };
  }

  /**
   * The template's name.
   * @example
   * ```ts
   * new Template("base").name(); // "base"
   * ```
   */
  name(): string {
    return this.#name;
  }

  /**
   * A new template associated with this one (shares funcs, options and the template set; copies
   * the delimiters). Go: `t.New(name)`.
   * @example
   * ```ts
   * root.new("base").parse("...");
   * ```
   */
  new(name: string): Template {
    inheritCommon = this.#common;
    const t = new Template(name);
    t.#left = this.#left;
    t.#right = this.#right;
    return t;
  }

  /**
   * Adds functions (before `parse`, as in Go, so the parser knows them). Later calls override.
   * @throws TemplateArgumentError TEMPLATE_FUNC when `map` is not an object, a value is not a function
   *   or a name is not an identifier.
   * @example
   * ```ts
   * t.funcs({ join: goFunc(["...string"], "string", (...s: string[]) => s.join(",")) });
   * ```
   */
  funcs(map: FuncMap): this {
    funcsInner(this.#common, checkFuncs(map, "funcs"));
    return this;
  }

  /**
   * Sets options: `missingkey=default|invalid|zero|error` (Go: `t.Option(...)`).
   * @throws TemplateArgumentError TEMPLATE_OPTION_INVALID for a non-string or unknown option (Go panics).
   * @example
   * ```ts
   * t.option("missingkey=error");
   * ```
   */
  option(...opts: string[]): this {
    for (let i = 0; i < opts.length; i++) {
      const opt: unknown = opts[i];
      if (typeof opt !== "string" || opt.length > MAX_NAME)
        throw failOption(`option: argument ${i} must be an option string such as "missingkey=error", got ${describeShort(opt)}`, {
          option: `opts[${i}]`,
        });
    }
    optionInner(this.#common, opts);
    return this;
  }

  /**
   * Sets the action delimiters for later `parse` calls; "" means the default `{{` / `}}`.
   * @example
   * ```ts
   * new Template("t").delims("[[", "]]").parse("[[.x]]");
   * ```
   */
  delims(left: string, right: string): this {
    if (typeof left !== "string" || left.length > MAX_NAME) arg(left, isName, "left", "delims");
    if (typeof right !== "string" || right.length > MAX_NAME) arg(right, isName, "right", "delims");
    this.#left = left;
    this.#right = right;
    return this;
  }

  /**
   * Parses `text` as this template's body; `{{define}}`/`{{block}}` add associated templates.
   * A later non-empty definition of a name replaces the earlier one; an empty one does not.
   * @throws TemplateParseError (code TEMPLATE_PARSE) with Go's message.
   * @example
   * ```ts
   * const t = new Template("t").parse("Hello {{.}}");
   * ```
   */
  parse(text: string): this {
    arg(text, is.text, "text", "parse");
    parseInner(this, text);
    return this;
  }

  static {
    parseInner = (t, text) => t.#parse(text);
  }

  #parse(text: string): void {
    const common = this.#common;
    let trees: Map<string, Tree>;
    try {
      trees = parseTemplates(this.#name, text, {
        leftDelim: this.#left,
        rightDelim: this.#right,
        hasFunction: (n) => common.funcs.has(n) || BUILTIN_NAMES.has(n),
      });
    } catch (e) {
      // Go's parser recurses on a growable stack; JS may run out first on absurd nesting.
      if (e instanceof RangeError) {
        throw new TemplateParseError(`template: ${this.#name}: nesting too deep to parse`, {
          templateName: this.#name,
          line: 0,
          cause: e,
        });
      }
      if (e instanceof TemplateError) throw e;
      // Anything else is a parser fault: still a typed error, with the fault as cause.
      throw new TemplateParseError(`template: ${this.#name}: cannot parse: ${e instanceof Error ? e.message : String(e)}`, {
        templateName: this.#name,
        line: 0,
        cause: e,
      });
    }
    for (const [name, tree] of trees) {
      const nt = name === this.#name ? this : this.new(name);
      const old = common.tmpl.get(name);
      let associated = true;
      if (old !== undefined && isEmptyTree(tree.root) && old.#tree !== undefined) associated = false;
      else common.tmpl.set(name, nt);
      if (associated || nt.#tree === undefined) nt.#tree = tree;
    }
  }

  /**
   * The associated template with that name, or undefined.
   * @example
   * ```ts
   * t.lookup("base")?.execute(data);
   * ```
   */
  lookup(name: string): Template | undefined {
    if (typeof name !== "string") arg(name, is.string, "name", "lookup");
    return this.#common.tmpl.get(name);
  }

  /**
   * All associated templates (including this one once parsed).
   * @example
   * ```ts
   * t.templates().map((x) => x.name());
   * ```
   */
  templates(): Template[] {
    return [...this.#common.tmpl.values()];
  }

  /**
   * Go's `DefinedTemplates()`: `; defined templates are: "a", "b"` or "".
   * @example
   * ```ts
   * t.definedTemplates();
   * ```
   */
  definedTemplates(): string {
    const names = [...this.#common.tmpl.keys()].map((n) => JSON.stringify(n));
    return names.length === 0 ? "" : `; defined templates are: ${names.join(", ")}`;
  }

  /**
   * Executes this template's own tree with `data` as dot and returns the output.
   * @throws TemplateExecError (code TEMPLATE_EXEC) with Go's message.
   * @example
   * ```ts
   * new Template("t").parse("{{.a}}").execute({ a: 1 }); // "1"
   * ```
   */
  execute(data?: unknown): string {
    const tree = this.#tree;
    if (tree === undefined) {
      throw new TemplateExecError(
        `template: ${this.#name}: ${JSON.stringify(this.#name)} is an incomplete or empty template`,
        { templateName: this.#name, line: 0 },
      );
    }
    return execute(() => compiledOf(tree), this.#name, this.#common, data);
  }

  /**
   * Executes the associated template `name` (Go: `ExecuteTemplate`).
   * @throws TemplateExecError (code TEMPLATE_EXEC)
   * @example
   * ```ts
   * t.executeTemplate("base", data);
   * ```
   */
  executeTemplate(name: string, data?: unknown): string {
    if (typeof name !== "string" || name.length > MAX_NAME) arg(name, isName, "name", "executeTemplate");
    const t = this.lookup(name);
    if (t === undefined) {
      throw new TemplateExecError(
        `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.#name)}`,
        { templateName: name, line: 0, value: name },
      );
    }
    return t.execute(data);
  }
}

/** Options for {@link renderTemplate}. */
export interface RenderOptions {
  /** Name of the main template (default "template"). */
  name?: string;
  /** Functions to register before parsing. */
  funcs?: FuncMap;
  /** Options such as `missingkey=error`. */
  options?: string[];
  /** Custom delimiters. */
  delims?: [string, string];
  /** Further associated templates, parsed after the main text in order. */
  templates?: Record<string, string>;
}

/**
 * Parses and executes `text` in one call.
 * @throws TemplateParseError (TEMPLATE_PARSE), TemplateExecError (TEMPLATE_EXEC),
 *   TemplateArgumentError: TEMPLATE_ARGUMENT_INVALID for a non-string or oversized (> 64 MiB) `text`,
 *   TEMPLATE_OPTION_INVALID for bad or unknown options, TEMPLATE_FUNC for a bad `funcs` map.
 * @example
 * ```ts
 * renderTemplate("{{range .}}{{.}},{{end}}", [1, 2]); // "1,2,"
 * ```
 */
export function renderTemplate(text: string, data?: unknown, opts: RenderOptions = {}): string {
  arg(text, is.text, "text", "renderTemplate");
  const o = checkRenderOptions(opts);
  if (o.funcs !== undefined) o.funcs = checkFuncs(o.funcs, 'renderTemplate: option "funcs"');
  return renderInner(text, data, o);
}

/** renderTemplate without the checks (options already checked). @internal */
export function renderInner(text: string, data: unknown, opts: CheckedRenderOptions): string {
  const t = new Template(opts.name ?? "template");
  if (opts.delims) t.delims(opts.delims[0], opts.delims[1]);
  if (opts.funcs) funcsInner(commonOf(t), opts.funcs as FuncMap);
  if (opts.options) optionInner(commonOf(t), opts.options);
  parseInner(t, text);
  for (const n of Object.keys(opts.templates ?? {})) parseInner(t.new(n), opts.templates![n]!);
  return t.execute(data);
}


/** A short type description for messages (never the value of a long string). */
function describeShort(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "string" ? `a string of ${v.length} characters` : typeof v;
}

/** Checks a function map: an object whose own keys are identifiers and values functions. */
function checkFuncs(map: unknown, what: string): FuncMap {
  // Checked before iterating: Object.entries of a 4 MB string would build 4 million pairs first.
  if (typeof map !== "object" || map === null || Array.isArray(map))
    throw failFunc(`${what}() takes an object of functions, got ${describeShort(map)}`, { value: describeShort(map) });
  let names: string[];
  try {
    names = Object.keys(map);
  } catch (e) {
    throw failFunc(`${what}: the function map cannot be read: ${e instanceof Error ? e.message : String(e)}`, undefined);
  }
  const out = Object.create(null) as FuncMap;
  for (const name of names) {
    if (!IDENT.test(name))
      throw failFunc(`function name ${JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name)} is not a valid identifier`, {
        value: name.slice(0, 64),
      });
    let fn: unknown;
    try {
      fn = (map as Record<string, unknown>)[name];
    } catch (e) {
      throw failFunc(`value for ${name} cannot be read: ${e instanceof Error ? e.message : String(e)}`, { value: name });
    }
    if (typeof fn !== "function" && !(fn instanceof GoFunc)) throw failFunc(`value for ${name} not a function`, { value: name });
    out[name] = fn as TemplateFunc;
  }
  return out;
}

/** Adds checked functions to the set. */
function funcsInner(common: Common, map: FuncMap): void {
  for (const name of Object.keys(map)) common.funcs.set(name, map[name]);
  common.funcsVersion++;
}

/** Applies option strings (each a string); an unknown one is TEMPLATE_OPTION_INVALID, as Go panics. */
function optionInner(common: Common, opts: readonly string[]): void {
  for (const opt of opts) {
    if (opt === "") throw failOption("empty option string", { value: opt });
    const eq = opt.indexOf("=");
    if (eq >= 0 && opt.slice(0, eq) === "missingkey") {
      const v = opt.slice(eq + 1);
      if (v === "invalid" || v === "default") {
        common.missingKey = "default";
        continue;
      }
      if (v === "zero" || v === "error") {
        common.missingKey = v;
        continue;
      }
    }
    throw failOption(`unrecognized option: ${opt.length > 64 ? `${opt.slice(0, 64)}…` : opt}`, { value: opt.slice(0, 200) });
  }
}
