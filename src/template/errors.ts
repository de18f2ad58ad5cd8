import { TEMPLATE_CODES, defineErrorClass, type TemplateErrorCode } from "../errors/index.js";

/** Where a template error happened. `column` is Go's 0-based byte column (exec errors only). */
export interface TemplateErrorInfo {
  templateName: string;
  line: number;
  column?: number;
  value?: unknown;
  cause?: unknown;
}

/**
 * Common shape of the template errors: where it happened, in Go's terms. Use the subclasses' codes
 * (`TEMPLATE_PARSE`, `TEMPLATE_EXEC`) to tell them apart.
 */
export abstract class TemplateError extends defineErrorClass("TemplateError", TEMPLATE_CODES) {
  /** Name of the template being parsed or executed. */
  readonly templateName: string;
  /** 1-based line (0 when the error has no position, e.g. an undefined template). */
  readonly line: number;
  /** Go's 0-based byte column in the line, when known (exec errors; not part of Go's parse messages). */
  readonly column: number | undefined;
  protected constructor(code: TemplateErrorCode, message: string, info: TemplateErrorInfo) {
    super(code, message, { value: info.value, cause: info.cause });
    this.templateName = info.templateName;
    this.line = info.line;
    this.column = info.column;
  }
}

/**
 * A template failed to parse. `message` uses Go's wording: `template: name:line: ...`.
 *
 * @example
 * ```ts
 * try { new Template("t").parse("{{if}}"); } catch (e) { if (isKitError(e, "TEMPLATE_PARSE")) console.log(e.line); }
 * ```
 */
export class TemplateParseError extends TemplateError {
  constructor(message: string, info: TemplateErrorInfo) {
    super("TEMPLATE_PARSE", message, info);
  }
}
Object.defineProperty(TemplateParseError.prototype, "name", {
  value: "TemplateParseError",
  writable: true,
  configurable: true,
});

/**
 * A template failed while executing. `message` uses Go's wording:
 * `template: name:line:col: executing "name" at <node>: ...`.
 *
 * @example
 * ```ts
 * try { renderTemplate("{{index . 5}}", [1]); } catch (e) { if (isKitError(e, "TEMPLATE_EXEC")) console.log(e.message); }
 * ```
 */
export class TemplateExecError extends TemplateError {
  constructor(message: string, info: TemplateErrorInfo) {
    super("TEMPLATE_EXEC", message, info);
  }
}
Object.defineProperty(TemplateExecError.prototype, "name", {
  value: "TemplateExecError",
  writable: true,
  configurable: true,
});

/**
 * A public function or method of the template subpath got an argument it refuses (checked once at
 * entry, before any work): code `TEMPLATE_ARGUMENT_INVALID` (wrong type, NUL in a Go type name,
 * oversized text), `TEMPLATE_OPTION_INVALID` (a bad `option()` string or `renderTemplate` option)
 * or `TEMPLATE_FUNC` (a bad function map). `value` names the argument (`{ option, value }`).
 *
 * @example
 * ```ts
 * try { goStruct(null as never, "T"); } catch (e) { if (isKitError(e, "TEMPLATE_ARGUMENT_INVALID")) console.log(e.message); }
 * ```
 */
export class TemplateArgumentError extends TemplateError {
  constructor(code: "TEMPLATE_ARGUMENT_INVALID" | "TEMPLATE_OPTION_INVALID" | "TEMPLATE_FUNC", message: string, value?: unknown) {
    super(code, message, { templateName: "", line: 0, value });
  }
}
Object.defineProperty(TemplateArgumentError.prototype, "name", {
  value: "TemplateArgumentError",
  writable: true,
  configurable: true,
});
