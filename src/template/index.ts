/**
 * `k3s-node-kit/template`: a faithful Go text/template engine (parse, execute, Go fmt, builtins).
 * Every export checks its arguments once at entry and throws only {@link TemplateError}s.
 * @packageDocumentation
 */
export { Template, renderTemplate } from "./template.js";
export type { FuncMap, RenderOptions, TemplateFunc } from "./template.js";
export { TemplateError, TemplateParseError, TemplateExecError, TemplateArgumentError } from "./errors.js";
export type { TemplateErrorInfo } from "./errors.js";
export { goFunc, Float64, GoFunc } from "./values.js";
export type { GoParamType, GoResultType } from "./values.js";
export { GoNilPointer } from "./struct.js";
export { float64, goStruct, goStructOf, goNil, withElemZero, withGoType } from "./api.js";
