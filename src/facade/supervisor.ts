import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { NodeError } from "./errors.js";
import { emit, type EventListener, type KitEventBase } from "../internal/events.js";

/** Events a supervised process reports. */
export interface SupervisorEvent extends KitEventBase {
  type: "process.started" | "process.ready" | "process.exited" | "process.restarting" | "process.stopped";
  /** The supervised service's name, e.g. `etcd`. */
  service: string;
  pid?: number;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  attempt?: number;
  delayMs?: number;
}

export interface SupervisorOptions {
  /** Name for events and errors, e.g. `"containerd"`. */
  service: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Resolves true once the process serves; polled every 100 ms until `readyTimeoutMs`. */
  ready: (signal: AbortSignal) => Promise<boolean>;
  /** Default 30 000 ms. */
  readyTimeoutMs?: number;
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
  /** Stops the process (SIGTERM, then SIGKILL after the grace period) and any further restarts. */
  stop(): Promise<void>;
}

/**
 * Starts `command` as a supervised child: logs to a file, waits for readiness, restarts it with
 * exponential backoff when it dies unexpectedly, and stops it cleanly. Resolves once ready.
 *
 * @throws NodeError `PROCESS_NOT_FOUND` (the binary is missing), `PROCESS_NOT_READY` (exited or
 * timed out before ready; the log's tail is in the message).
 * @example
 * ```ts
 * const p = await superviseProcess({ service: "etcd", command: "etcd", args, logFile, ready: () => isHealthy() });
 * await p.stop();
 * ```
 */
export async function superviseProcess(options: SupervisorOptions): Promise<SupervisedProcess> {
  const {
    service,
    command,
    args,
    env,
    logFile,
    ready,
    readyTimeoutMs = 30_000,
    restart = true,
    maxRestarts = 5,
    backoffMs = 250,
    stopGraceMs = 10_000,
    onEvent,
    signal,
  } = options;
  signal?.throwIfAborted();
  mkdirSync(dirname(logFile), { recursive: true });
  const log: WriteStream = createWriteStream(logFile, { flags: "a", mode: 0o600 });
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const tail: string[] = [];

  const launch = (): ChildProcess => {
    const c = spawn(command, args, { env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const onData = (d: Buffer) => {
      log.write(d);
      tail.push(d.toString());
      if (tail.length > 40) tail.shift();
    };
    c.stdout?.on("data", onData);
    c.stderr?.on("data", onData);
    c.on("spawn", () => emit(onEvent, { type: "process.started", service, pid: c.pid }));
    return c;
  };

  const waitReady = async (c: ChildProcess): Promise<void> => {
    const end = Date.now() + readyTimeoutMs;
    const spawnError = new Promise<Error>((resolve) => c.once("error", resolve));
    let failed: Error | undefined;
    void spawnError.then((e) => {
      failed = e;
    });
    const probe = new AbortController();
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (failed) {
          const code = (failed as NodeJS.ErrnoException).code === "ENOENT" ? "PROCESS_NOT_FOUND" : "PROCESS_NOT_READY";
          throw new NodeError(code, `${service}: cannot start ${command}: ${failed.message}`, { value: command, cause: failed });
        }
        if (c.exitCode !== null || c.signalCode !== null) {
          throw new NodeError("PROCESS_NOT_READY", `${service} exited (${c.exitCode ?? c.signalCode}) before it was ready; log ${logFile}:\n${tail.join("").slice(-2000)}`, { value: service });
        }
        if (await ready(probe.signal).catch(() => false)) return;
        if (Date.now() > end) {
          throw new NodeError("PROCESS_NOT_READY", `${service} not ready after ${readyTimeoutMs} ms; log ${logFile}:\n${tail.join("").slice(-2000)}`, { value: service });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
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

  const kill = async (c: ChildProcess | undefined): Promise<void> => {
    if (!c || c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => c.kill("SIGKILL"), stopGraceMs);
      c.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
      c.kill("SIGTERM");
    });
  };

  const stop = async () => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    await kill(child);
    await new Promise<void>((r) => log.end(r));
    emit(onEvent, { type: "process.stopped", service });
  };

  child = launch();
  try {
    await waitReady(child);
  } catch (err) {
    await stop();
    throw err;
  }
  emit(onEvent, { type: "process.ready", service, pid: child.pid });
  watchExit(child);
  return { service, pid: () => child?.pid, stop };
}
