import type { Follow } from "../internal/follow.js";
import { type Fail, checkArg, is } from "../internal/options.js";
import { RootlessError } from "./errors.js";

/** The option failure of `k3s-node-kit/rootless`. @internal */
export const rootlessFail: Fail = (message, value) => new RootlessError("ROOTLESS_OPTION_INVALID", message, { value });

/** `follow`. @internal */
export const followCheck = is.oneOf("page", "source");

/** A text argument (a string, at most 64 MiB). @internal */
export function checkText(value: unknown, name: string, what: string): string {
  return checkArg<string>(value, is.text, name, rootlessFail, what);
}

export type { Follow };
