import { type Check, type Fail, checkArg, is, isPlainRecord } from "../internal/options.js";
import { K3sConfigError } from "./errors.js";

/** The option failure of `k3s-node-kit/k3s-config`. @internal */
export const configFail: Fail = (message, value) => new K3sConfigError("K3S_CONFIG_OPTION_INVALID", message, { value });

/** `role`. @internal */
export const roleCheck: Check = is.oneOf("server", "agent");

/** A map of config values (a plain object, not a string or a list). @internal */
export function checkValues(values: unknown, what: string): Record<string, unknown> {
  if (!isPlainRecord(values) && !(typeof values === "object" && values !== null && !Array.isArray(values) && Object.getPrototypeOf(values) === null)) {
    throw new K3sConfigError("K3S_CONFIG_TYPE", `${what}: the K3s config must be a mapping of flag names to values`, {
      value: values === null ? "null" : Array.isArray(values) ? "a list" : typeof values,
    });
  }
  return values as Record<string, unknown>;
}

/** A text argument (a string, at most 64 MiB). @internal */
export function checkText(value: unknown, name: string, what: string): string {
  return checkArg<string>(value, is.text, name, configFail, what);
}
