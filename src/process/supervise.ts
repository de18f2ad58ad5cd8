import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { checkListener, emit, type EventListener, type KitEventBase } from "../internal/events.js";
import { checkOptions, is } from "../internal/options.js";
import { ProcessError } from "./errors.js";
import { packageHint } from "./probe.js";
import { track } from "./registry.js";

/** Events a supervised process reports. */
export interface SupervisorEvent extends KitEventBase {
  type: "process.started" | "process.ready" | "process.exited" | "process.restarting" | "process.stopped" | "process.log-failed";
  /** The supervised service's name, e.g. `etcd`. */
  service: string;
  pid?: number;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  attempt?: number;
  delayMs?: number;
  /** For `process.log-failed`: why the log file cannot be written (output is still kept in memory). */
  reason?: string;
}

export interface SupervisorOptions {
  /** Name for events and errors, e.g. `"containerd"`. */
  service: string;
  /** The binary (a name looked up on PATH, or an absolute path). */
  command: string;
  args?: readonly string[];
  env?: Record<string, string | undefined>;
  /** Absolute path: stdout and stderr are appended here (mode 0600). Default: kept in memory only. */
  logFile?: string;
  /** Resolves true once the process serves; polled every `readyIntervalMs` until `readyTimeoutMs`. */
  ready: (signal: AbortSignal) => Promise<boolean>;
  /** Default 30 000 ms. */
  readyTimeoutMs?: number;
  /** Default 100 ms. */
  readyIntervalMs?: number;
  /** Restart after an unexpected exit. Default true. */
  restart?: boolean;
  /** Give up after this many restarts in a row without becoming ready again. Default 5. */
  maxRestarts?: number;
  /** First restart delay; doubles each time up to 10 s. Default 250 ms. */
  backoffMs?: number;
  /** SIGTERM grace before SIGKILL on stop. Default 10 000 ms. */
  stopGraceMs?: number;
  onEvent?: EventListener<SupervisorEvent>;
  signal?: AbortSignal;
}

/** A running supervised process. */
export interface SupervisedProcess {
  readonly service: string;
  /** The current child's pid (changes after a restart). */
  pid(): number | undefined;
  /** The last ~32 KiB of its output. */
  output(): string;
  /** True once the current child has exited (and, after `stop()`, for good). */
  exited(): boolean;
  /**
   * Stops the process and any further restarts: SIGTERM, then SIGKILL after the grace period;
   * `force: true` kills at once. Idempotent.
   */
  stop(options?: { force?: boolean; graceMs?: number }): Promise<void>;
}

const fail = (message: string, value: unknown) => new ProcessError("PROCESS_OPTION_INVALID", message, { value });

const SPEC = {
  service: is.nonEmptyString,
  command: is.nonEmptyString,
  args: is.stringArray,
  env: is.record,
  logFile: is.absolutePath,
  ready: is.function,
  readyTimeoutMs: is.positive,
  readyIntervalMs: is.positive,
  restart: is.boolean,
  maxRestarts: is.integer(0, 1000),
  backoffMs: is.nonNegative,
  stopGraceMs: is.nonNegative,
  onEvent: is.any,
  signal: is.signal,
} as const;

/**
 * Starts `command` as a supervised child: output to a log file (and the last 32 KiB in memory),
 * waits for readiness, restarts it with exponential backoff when it dies unexpectedly, and stops it
 * cleanly. Resolves once ready. No child outlives the host process. The one process supervisor of
 * the SDK: `createNode()` and `startEmbeddedEtcd()` both run their processes through it.
 *
 * @throws ProcessError `PROCESS_OPTION_INVALID` (before anything starts), `PROCESS_NOT_FOUND` (the
 * binary is missing), `PROCESS_NOT_READY` (exited or timed out before ready; the output's tail is in
 * the message). Aborting rejects with `signal.reason` and stops the child.
 * @example
 * ```ts
 * const p = await superviseProcess({ service: "etcd", command: "etcd", args, logFile: "/var/log/etcd.log", ready: () => isHealthy() });
 * await p.stop();
 * ```
 */
export async function superviseProcess(options: SupervisorOptions): Promise<SupervisedProcess> {
  const o = checkOptions<SupervisorOptions>(options, SPEC, fail, "superviseProcess");
  for (const k of ["service", "command", "ready"] as const) {
    if (o[k] === undefined) throw fail(`superviseProcess: option "${k}" is required`, { option: k });
  }
  const onEvent = checkListener<SupervisorEvent>(o.onEvent, fail, "superviseProcess");
  const { service, command, ready, signal } = o;
  const args = o.args ?? [];
  const readyTimeoutMs = o.readyTimeoutMs ?? 30_000;
  const readyIntervalMs = o.readyIntervalMs ?? 100;
  const restart = o.restart ?? true;
  const maxRestarts = o.maxRestarts ?? 5;
  const backoffMs = o.backoffMs ?? 250;
  const stopGraceMs = o.stopGraceMs ?? 10_000;
  signal?.throwIfAborted();

  let log: WriteStream | undefined;
  if (o.logFile) {
    try {
      mkdirSync(dirname(o.logFile), { recursive: true, mode: 0o700 });
      log = createWriteStream(o.logFile, { flags: "a", mode: 0o600 });
      // A log that cannot be written must not take the host process down: the output stays in memory.
      log.on("error", (err) => {
        emit(onEvent, { type: "process.log-failed", service, reason: err.message });
        log = undefined;
      });
    } catch (err) {
      throw new ProcessError("PROCESS_OPTION_INVALID", `superviseProcess: cannot open log ${o.logFile}: ${(err as Error).message}`, { value: o.logFile, cause: err });
    }
  }
  let child: ChildProcess | undefined;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let out = "";

  const launch = (): ChildProcess => {
    const c = spawn(command, [...args], { env: (o.env ?? process.env) as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    track(c);
    const onData = (d: Buffer) => {
      log?.write(d);
      out += d.toString();
      if (out.length > 64_000) out = out.slice(-32_000);
    };
    c.stdout?.on("data", onData);
    c.stderr?.on("data", onData);
    // A spawn failure is reported through waitReady; this listener keeps it from being unhandled.
    c.on("error", () => {});
    c.on("spawn", () => emit(onEvent, { type: "process.started", service, pid: c.pid }));
    return c;
  };

  const waitReady = async (c: ChildProcess): Promise<void> => {
    const end = Date.now() + readyTimeoutMs;
    let failed: Error | undefined;
    c.once("error", (e) => {
      failed = e;
    });
    const probe = new AbortController();
    const onAbort = () => probe.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (stopping) throw new ProcessError("PROCESS_NOT_READY", `${service} was stopped before it was ready`, { value: service });
        if (failed) {
          const code = (failed as NodeJS.ErrnoException).code === "ENOENT" ? "PROCESS_NOT_FOUND" : "PROCESS_NOT_READY";
          throw new ProcessError(code, `${service}: cannot start ${command}: ${failed.message}${code === "PROCESS_NOT_FOUND" ? packageHint(command) : ""}`, { value: command, cause: failed });
        }
        if (c.exitCode !== null || c.signalCode !== null) {
          throw new ProcessError("PROCESS_NOT_READY", `${service} exited (${c.exitCode ?? c.signalCode}) before it was ready${o.logFile ? `; log ${o.logFile}` : ""}:\n${out.slice(-2000)}`, { value: service });
        }
        if (await ready(probe.signal).catch(() => false)) return;
        if (Date.now() > end) {
          throw new ProcessError("PROCESS_NOT_READY", `${service} not ready after ${readyTimeoutMs} ms${o.logFile ? `; log ${o.logFile}` : ""}:\n${out.slice(-2000)}`, { value: service });
        }
        await new Promise((r) => setTimeout(r, readyIntervalMs));
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      probe.abort();
    }
  };

  const watchExit = (c: ChildProcess) => {
    c.once("exit", (exitCode, sig) => {
      emit(onEvent, { type: "process.exited", service, pid: c.pid, exitCode, signal: sig });
      if (stopping || !restart || c !== child) return;
      if (restarts >= maxRestarts) return;
      restarts++;
      const delayMs = Math.min(backoffMs * 2 ** (restarts - 1), 10_000);
      emit(onEvent, { type: "process.restarting", service, attempt: restarts, delayMs });
      restartTimer = setTimeout(() => {
        if (stopping) return;
        child = launch();
        watchExit(child);
        const current = child;
        // Readiness after a restart resets the backoff; a failure here leaves the exit handler to retry.
        waitReady(current).then(
          () => {
            restarts = 0;
            emit(onEvent, { type: "process.ready", service, pid: current.pid });
          },
          () => {},
        );
      }, delayMs);
    });
  };

  const kill = async (c: ChildProcess | undefined, force: boolean, graceMs: number): Promise<void> => {
    if (!c || c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => c.kill("SIGKILL"), graceMs);
      c.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
      c.kill(force ? "SIGKILL" : "SIGTERM");
    });
  };

  const stop = (so: { force?: boolean; graceMs?: number } = {}): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      await kill(child, so.force === true, so.graceMs ?? stopGraceMs);
      const l = log;
      log = undefined;
      if (l) await new Promise<void>((r) => l.end(r));
      emit(onEvent, { type: "process.stopped", service });
    })();
    return stopped;
  };

  const onAbortStart = () => void stop({ force: true });
  signal?.addEventListener("abort", onAbortStart, { once: true });
  child = launch();
  try {
    await waitReady(child);
  } catch (err) {
    await stop({ force: true });
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbortStart);
  }
  emit(onEvent, { type: "process.ready", service, pid: child.pid });
  watchExit(child);
  return {
    service,
    pid: () => child?.pid,
    output: () => out,
    exited: () => !child || child.exitCode !== null || child.signalCode !== null,
    stop,
  };
}
