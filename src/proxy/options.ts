import type { Follow } from "../internal/follow.js";
import { checkArg, checkOptions, type Fail, is, isPlainRecord } from "../internal/options.js";
import { ProxyError } from "./errors.js";

/** The option failure of `k3s-node-kit/proxy`. @internal */
export const proxyFail: Fail = (message, value) => new ProxyError("PROXY_OPTION_INVALID", message, { value });

/** Checks a text argument (a string, at most 64 MiB). @internal */
export function checkText(value: unknown, name: string, what: string): string {
  return checkArg<string>(value, is.text, name, proxyFail, what);
}

/** Checks `{ follow }`. @internal */
export function checkFollowOnly(options: unknown, what: string): Follow {
  return (
    checkOptions<{ follow?: Follow }>(options, { follow: is.oneOf("page", "source") }, proxyFail, what)
      .follow ?? "page"
  );
}

/** An env-file input: a record of strings or a list of `[name, value]` pairs. @internal */
export function checkEnvFileInput(env: unknown, what: string): ReadonlyArray<readonly [unknown, unknown]> {
  if (Array.isArray(env)) {
    checkArg(
      env,
      is.arrayOf((p) => (Array.isArray(p) && p.length === 2 ? undefined : "must be a [name, value] pair")),
      "env",
      proxyFail,
      what,
    );
    return env as ReadonlyArray<readonly [unknown, unknown]>;
  }
  if (!isPlainRecord(env))
    throw proxyFail(`${what}: env must be an object or a list of [name, value] pairs`, { option: "env" });
  return Object.entries(env);
}
