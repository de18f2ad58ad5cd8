import { type Check, checkArg, checkOptions, type Fail, is } from "../internal/options.js";
import { DnsError } from "./errors.js";

/** The one option failure of `k3s-node-kit/dns`. @internal */
export const dnsFail: Fail = (message, value) => new DnsError("DNS_OPTION_INVALID", message, { value });

/** `follow`: which rule set (page or source). @internal */
export const followCheck: Check = is.oneOf("page", "source");

/** resolv.conf text: a string or bytes, at most 64 MiB. @internal */
export const resolvTextCheck: Check = (v) =>
  v instanceof Uint8Array
    ? v.byteLength > 64 * 1024 * 1024
      ? "is too large"
      : undefined
    : typeof v === "string"
      ? is.text(v)
      : "must be a string or a Uint8Array";

/** Checks `text` as resolv.conf input. @internal */
export function checkResolvText(text: unknown, what: string): string | Uint8Array {
  return checkArg<string | Uint8Array>(text, resolvTextCheck, "text", dnsFail, what);
}

/** Checks `{ follow }`. @internal */
export function checkFollowOptions(options: unknown, what: string): { follow?: "page" | "source" } {
  return checkOptions<{ follow?: "page" | "source" }>(options, { follow: followCheck }, dnsFail, what);
}
