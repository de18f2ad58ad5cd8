/**
 * The Go-shaped API: `Template` mirrors text/template's `*Template` (a named template sharing a
 * set of associated templates, functions and options with the templates made by `new`).
 */
import { KitError } from "../errors/index.js";
import { TemplateExecError, TemplateParseError } from "./errors.js";
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
  }
  readonly #name: string;
  readonly #common: Common;
  #left = "";
  #right = "";

  /**
   * Creates an empty template named `name` (Go: `template.New(name)`).
   * @throws never
   */
  constructor(name: string) {
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
   * @throws KitError TEMPLATE_FUNC when a value is not a function or a name is not an identifier.
   * @example
   * ```ts
   * t.funcs({ join: goFunc(["...string"], "string", (...s: string[]) => s.join(",")) });
   * ```
   */
  funcs(map: FuncMap): this {
    // Checked before iterating: Object.entries of a 4 MB string would build 4 million pairs first.
    if (typeof map !== "object" || map === null || Array.isArray(map))
      throw new KitError(
        "TEMPLATE_FUNC",
        `funcs() takes an object of functions, got ${map === null ? "null" : Array.isArray(map) ? "an array" : typeof map}`,
        {
          value: typeof map,
        },
      );
    for (const [name, fn] of Object.entries(map)) {
      if (!IDENT.test(name)) {
        throw new KitError(
          "TEMPLATE_FUNC",
          `function name ${JSON.stringify(name)} is not a valid identifier`,
          { value: name },
        );
      }
      if (typeof fn !== "function" && !(fn instanceof GoFunc)) {
        throw new KitError("TEMPLATE_FUNC", `value for ${name} not a function`, { value: name });
      }
      this.#common.funcs.set(name, fn);
    }
    this.#common.funcsVersion++;
    return this;
  }

  /**
   * Sets options: `missingkey=default|invalid|zero|error` (Go: `t.Option(...)`).
   * @throws KitError TEMPLATE_OPTION_INVALID for an unknown option (Go panics).
   * @example
   * ```ts
   * t.option("missingkey=error");
   * ```
   */
  option(...opts: string[]): this {
    for (const opt of opts) {
      if (opt === "") throw new KitError("TEMPLATE_OPTION_INVALID", "empty option string", { value: opt });
      const eq = opt.indexOf("=");
      if (eq >= 0 && opt.slice(0, eq) === "missingkey") {
        const v = opt.slice(eq + 1);
        if (v === "invalid" || v === "default") {
          this.#common.missingKey = "default";
          continue;
        }
        if (v === "zero" || v === "error") {
          this.#common.missingKey = v;
          continue;
        }
      }
      throw new KitError("TEMPLATE_OPTION_INVALID", `unrecognized option: ${opt}`, { value: opt });
    }
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
      throw e;
    }
    for (const [name, tree] of trees) {
      const nt = name === this.#name ? this : this.new(name);
      const old = common.tmpl.get(name);
      let associated = true;
      if (old !== undefined && isEmptyTree(tree.root) && old.#tree !== undefined) associated = false;
      else common.tmpl.set(name, nt);
      if (associated || nt.#tree === undefined) nt.#tree = tree;
    }
    return this;
  }

  /**
   * The associated template with that name, or undefined.
   * @example
   * ```ts
   * t.lookup("base")?.execute(data);
   * ```
   */
  lookup(name: string): Template | undefined {
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
 * @throws TemplateParseError (TEMPLATE_PARSE), TemplateExecError (TEMPLATE_EXEC), KitError
 *   TEMPLATE_OPTION_INVALID / TEMPLATE_FUNC for bad options.
 * @example
 * ```ts
 * renderTemplate("{{range .}}{{.}},{{end}}", [1, 2]); // "1,2,"
 * ```
 */
export function renderTemplate(text: string, data?: unknown, opts: RenderOptions = {}): string {
  const t = new Template(opts.name ?? "template");
  if (opts.delims) t.delims(opts.delims[0], opts.delims[1]);
  if (opts.funcs) t.funcs(opts.funcs);
  if (opts.options) t.option(...opts.options);
  t.parse(text);
  for (const [n, body] of Object.entries(opts.templates ?? {})) t.new(n).parse(body);
  return t.execute(data);
}
