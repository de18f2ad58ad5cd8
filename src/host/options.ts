import { type Fail, checkArg, is } from "../internal/options.js";
import { HostError } from "./errors.js";

/** The option failure of `k3s-node-kit/host`. @internal */
export const hostFail: Fail = (message, value) => new HostError("NODE_OPTION_INVALID", message, { value });

/** `follow`. @internal */
export const followCheck = is.oneOf("page", "source");

/** A text argument (a string, at most 64 MiB). @internal */
export function checkText(value: unknown, name: string, what: string): string {
  return checkArg<string>(value, is.text, name, hostFail, what);
}

/** A bounded text for messages: at most 200 characters. @internal */
export function clip(v: unknown): string {
  return typeof v === "string" ? (v.length > 200 ? `${v.slice(0, 200)}…` : v) : typeof v === "symbol" ? "a symbol" : typeof v === "object" && v !== null ? "an object" : String(v);
}
