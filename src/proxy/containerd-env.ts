import { type EnvInput, envPairs } from "./env.js";

/** What K3s hands the containerd child process. */
export interface ContainerdEnv {
  /** The child environment in Go's order (pass-through first, then renamed), as `KEY=value`. */
  environ: string[];
  /** The effective variables (the last duplicate wins, as Go's exec keeps it). */
  env: Record<string, string>;
  /** Extra containerd arguments: `["--log-level", v]` when `CONTAINERD_LOG_LEVEL` is set. */
  args: string[];
}

/**
 * Builds containerd's environment as K3s's `containerd.Run` does (k3s-behaviours §5.2):
 * `NOTIFY_SOCKET` is dropped; `CONTAINERD_LOG_LEVEL=v` becomes `--log-level v`; every other
 * `CONTAINERD_<X>=v` is renamed `<X>=v` (case kept) and appended after the pass-through variables,
 * so it overrides `<X>` for containerd only. Keys are case-sensitive.
 *
 * @example
 * ```ts
 * containerdEnv({ HTTP_PROXY: "a", CONTAINERD_HTTP_PROXY: "b", CONTAINERD_NO_PROXY: "c", NOTIFY_SOCKET: "/x" }).env;
 * // { HTTP_PROXY: "b", NO_PROXY: "c" }
 * ```
 * @throws {ProxyError} `PROXY_OPTION_INVALID` when `env` is not an environment.
 */
export function containerdEnv(env: EnvInput): ContainerdEnv {
  const pass: string[] = [];
  const renamed: string[] = [];
  const args: string[] = [];
  for (const [k, v] of envPairs(env)) {
    if (k === "NOTIFY_SOCKET") continue;
    if (k === "CONTAINERD_LOG_LEVEL") args.push("--log-level", v);
    else if (k.startsWith("CONTAINERD_")) renamed.push(`${k.slice("CONTAINERD_".length)}=${v}`);
    else pass.push(`${k}=${v}`);
  }
  const environ = [...pass, ...renamed];
  const effective: Record<string, string> = {};
  for (const e of environ) {
    const eq = e.indexOf("=");
    const key = e.slice(0, eq);
    // Re-insert so the object's order follows the last occurrence, like Go's dedupEnv.
    delete effective[key];
    effective[key] = e.slice(eq + 1);
  }
  return { environ, env: effective, args };
}
