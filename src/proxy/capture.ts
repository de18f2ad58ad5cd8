import type { Follow } from "../internal/follow.js";
import { type EnvInput, envPairs } from "./env.js";
import { checkFollowOnly, checkText } from "./options.js";

/** The six variables the documentation page says the install script takes. */
export const DOCUMENTED_PROXY_VARIABLES: readonly string[] = Object.freeze([
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "CONTAINERD_HTTP_PROXY",
  "CONTAINERD_HTTPS_PROXY",
  "CONTAINERD_NO_PROXY",
]);

export interface ProxyCaptureOptions {
  /**
   * `"page"` (default): only the six variables the page names (`HTTP_PROXY`, `HTTPS_PROXY`,
   * `NO_PROXY` and their `CONTAINERD_` forms), exact case.
   * `"source"`: what `install.sh`'s `create_env_file` really captures (k3s-behaviours §12, §16.10):
   * every `K3S_*`, `CONTAINERD_*`, `KINE_*` variable, then every variable whose name starts with
   * `NO_PROXY`, `HTTP_PROXY` or `HTTPS_PROXY` in any case (`http_proxy`, `HTTP_PROXY_USER`, ...).
   */
  follow?: Follow;
}

/** A captured variable the install script would not write back faithfully. */
export interface CaptureWarning {
  name: string;
  reason: string;
}

export interface ProxyCapture {
  /** Captured variables in the order the install script writes them (each group sorted by name). */
  env: Record<string, string>;
  /** The env-file lines as the install script writes them (`NAME='value'`, dash's quoting). */
  lines: string[];
  /** Values that `read`/`echo $v` in install.sh would change (whitespace runs, backslashes, globs). */
  warnings: CaptureWarning[];
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * dash's `export` quoting: runs of non-quote characters in '...', runs of quotes in "...".
 *
 * @example
 * ```ts
 * dashQuote("it's"); // `'it'"'"'s'`
 * ```
 * @throws {ProxyError} `PROXY_OPTION_INVALID` when `value` is not a string.
 */
export function dashQuote(value: string): string {
  checkText(value, "value", "dashQuote");
  if (value === "") return "''";
  return value.replace(/[^']+|'+/g, (run) => (run.startsWith("'") ? `"${run}"` : `'${run}'`));
}

const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The variables the K3s install script copies from the current shell into the service's env file.
 * The install script writes `sh -c export` output lines; a shell only exports valid names, so other
 * keys are skipped.
 *
 * @example
 * ```ts
 * proxyEnvFromShell({ HTTP_PROXY: "http://p:8888", http_proxy: "x", K3S_TOKEN: "t" }).env;
 * // { HTTP_PROXY: "http://p:8888" }                         (page)
 * proxyEnvFromShell({ ... }, { follow: "source" }).env;
 * // { K3S_TOKEN: "t", HTTP_PROXY: "http://p:8888", http_proxy: "x" }
 * ```
 * @throws {ProxyError} `PROXY_OPTION_INVALID` for a bad environment or `follow`.
 */
export function proxyEnvFromShell(env: EnvInput, options?: ProxyCaptureOptions): ProxyCapture {
  const follow = checkFollowOnly(options, "proxyEnvFromShell");
  // Last occurrence wins, as in a shell's variable table.
  const table = new Map<string, string>();
  for (const [k, v] of envPairs(env)) if (SHELL_NAME.test(k)) table.set(k, v);
  const all = [...table.entries()].sort(byName);
  let picked: Array<[string, string]>;
  if (follow === "page") {
    picked = all.filter(([k]) => DOCUMENTED_PROXY_VARIABLES.includes(k));
  } else {
    const first = all.filter(([k]) => /^(K3S|CONTAINERD|KINE)_/.test(k));
    const second = all.filter(([k]) => /^(NO|HTTP|HTTPS)_PROXY/i.test(k));
    picked = [...first, ...second];
  }
  const warnings: CaptureWarning[] = [];
  for (const [k, v] of picked) {
    if (/[\t\n\r]| {2}|\\/.test(v))
      warnings.push({
        name: k,
        reason: "install.sh's `read` and `echo $v` collapse whitespace runs and drop backslashes",
      });
    else if (/[*?[]/.test(v))
      warnings.push({ name: k, reason: "install.sh's unquoted `echo $v` may expand glob characters" });
  }
  return {
    env: Object.fromEntries(picked),
    lines: picked.map(([k, v]) => `${k}=${dashQuote(v)}`),
    warnings,
  };
}
