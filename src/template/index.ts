/**
 * `k3s-node-kit/template`: a faithful Go text/template engine (parse, execute, Go fmt, builtins).
 * @packageDocumentation
 */
export { Template, renderTemplate } from "./template.js";
export type { FuncMap, RenderOptions, TemplateFunc } from "./template.js";
export { TemplateError, TemplateParseError, TemplateExecError } from "./errors.js";
export type { TemplateErrorInfo } from "./errors.js";
export { float64, goFunc, Float64, GoFunc, withGoType } from "./values.js";
export type { GoParamType, GoResultType } from "./values.js";
export { goStruct, goStructOf, goNil, GoNilPointer, withElemZero } from "./struct.js";
