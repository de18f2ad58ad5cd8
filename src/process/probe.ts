import { execFile } from "node:child_process";
import { checkArg, checkOptions, is } from "../internal/options.js";
import { ProcessError } from "./errors.js";

export interface ProbeOptions {
  /** Kill the probe after this long, ms. Default 10 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
}

const fail = (message: string, value: unknown) => new ProcessError("PROCESS_OPTION_INVALID", message, { value });

/**
 * Runs a host probe such as `containerd --version` and returns its stdout. A missing binary is
 * `PROCESS_NOT_FOUND` (naming the Debian package when known); a non-zero exit, a timeout or a
 * signal is `PROCESS_PROBE_FAILED` with the first 500 characters of stderr.
 * @example
 * ```ts
 * const out = await runProbe("containerd", ["--version"], { timeoutMs: 5000 });
 * ```
 */
export async function runProbe(command: string, args: readonly string[] = [], options: ProbeOptions = {}): Promise<string> {
  checkArg(command, (v) => (typeof v === "string" && v.length > 4096 ? "is longer than 4096 characters" : is.nonEmptyString(v)), "command", fail, "runProbe");
  checkArg(args, is.stringArray, "args", fail, "runProbe");
  const o = checkOptions<ProbeOptions>(options, { timeoutMs: is.positive, signal: is.signal, env: is.record }, fail, "runProbe");
  o.signal?.throwIfAborted();
  const shown = `${command} ${args.join(" ")}`.slice(0, 200);
  return new Promise<string>((resolve, reject) => {
    const start = () => execFile(
      command,
      [...args],
      { timeout: o.timeoutMs ?? 10_000, ...(o.signal ? { signal: o.signal } : {}), ...(o.env ? { env: o.env } : {}), maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (!err) return resolve(String(stdout));
        if (o.signal?.aborted) return reject(o.signal.reason);
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(new ProcessError("PROCESS_NOT_FOUND", `${command} is not installed${packageHint(command)}`, { value: command, cause: err }));
        }
        reject(
          new ProcessError("PROCESS_PROBE_FAILED", `${shown} failed: ${String(stderr).slice(0, 500) || err.message}`, {
            value: command,
            cause: err,
          }),
        );
      },
    );
    try {
      start();
    } catch (err) {
      // Spawn errors Node throws synchronously (ENAMETOOLONG, E2BIG, a NUL in the environment).
      const why = `${shown} cannot be started: ${(err as Error)?.message ?? String(err)}`.slice(0, 700);
      reject(new ProcessError("PROCESS_PROBE_FAILED", why, { value: command.slice(0, 200), cause: err }));
    }
  });
}

const PACKAGES: Record<string, string> = { etcd: "etcd-server", containerd: "containerd runc", etcdctl: "etcd-client" };

/** ": install it (Debian: apt-get install <pkg>)" for the binaries the SDK runs. @internal */
export function packageHint(command: string): string {
  const pkg = PACKAGES[command.split("/").pop() ?? command];
  return pkg ? `: install it (Debian: apt-get install ${pkg})` : "";
}
