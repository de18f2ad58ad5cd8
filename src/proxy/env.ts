import { ProxyError } from "./errors.js";

/** An environment: a record (like `process.env`) or Go-style `KEY=value` strings in order. */
export type EnvInput = Readonly<Record<string, string | undefined>> | readonly string[];

/** Normalises an environment to ordered `[key, value]` pairs, dropping `undefined` values. @internal */
export function envPairs(env: EnvInput): Array<[string, string]> {
  if (Array.isArray(env)) {
    return env.map((e, i) => {
      if (typeof e !== "string")
        throw new ProxyError("PROXY_OPTION_INVALID", `environment entry ${i} is not a string`, { value: i });
      const eq = e.indexOf("=");
      // Go's SplitN on "=": an entry without "=" is a key with no value.
      return eq < 0 ? ([e, ""] as [string, string]) : ([e.slice(0, eq), e.slice(eq + 1)] as [string, string]);
    });
  }
  if (typeof env !== "object" || env === null) {
    throw new ProxyError(
      "PROXY_OPTION_INVALID",
      "environment must be an object or a list of KEY=value strings",
      { value: env },
    );
  }
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (typeof v !== "string")
      throw new ProxyError("PROXY_OPTION_INVALID", `environment value of ${k} is not a string`, { value: k });
    out.push([k, v]);
  }
  return out;
}

/** Reads a variable from an environment (last occurrence wins, as Go's exec dedups). @internal */
export function envGet(pairs: ReadonlyArray<[string, string]>, key: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of pairs) if (k === key) found = v;
  return found;
}
