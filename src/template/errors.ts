import { KitError } from "../errors/index.js";

/** Where a template error happened. `column` is Go's 0-based byte column (exec errors only). */
export interface TemplateErrorInfo {
  templateName: string;
  line: number;
  column?: number;
  value?: unknown;
  cause?: unknown;
}

/**
 * A template failed to parse. `message` uses Go's wording: `template: name:line: ...`.
 *
 * @example
 * ```ts
 * try { new Template("t").parse("{{if}}"); } catch (e) { if (isKitError(e, "TEMPLATE_PARSE")) console.log(e.line); }
 * ```
 */
export class TemplateParseError extends KitError {
  /** Name of the top-level template being parsed. */
  readonly templateName: string;
  /** 1-based line of the offending token. */
  readonly line: number;
  /** Column when known (not part of Go's parse messages). */
  readonly column: number | undefined;
  constructor(message: string, info: TemplateErrorInfo) {
    super("TEMPLATE_PARSE", message, { value: info.value, cause: info.cause });
    this.templateName = info.templateName;
    this.line = info.line;
    this.column = info.column;
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
export class TemplateExecError extends KitError {
  /** Name of the template that was executing. */
  readonly templateName: string;
  /** 1-based line (0 when the error has no position, e.g. an undefined template). */
  readonly line: number;
  /** Go's 0-based byte column in the line. */
  readonly column: number | undefined;
  constructor(message: string, info: TemplateErrorInfo) {
    super("TEMPLATE_EXEC", message, { value: info.value, cause: info.cause });
    this.templateName = info.templateName;
    this.line = info.line;
    this.column = info.column;
  }
}
Object.defineProperty(TemplateExecError.prototype, "name", {
  value: "TemplateExecError",
  writable: true,
  configurable: true,
});
