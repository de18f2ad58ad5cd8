import { connect } from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superviseProcess, type SupervisorEvent } from "../../../src/process/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { tempDir } from "../../helpers/tmp.js";
import { waitFor } from "../../helpers/process.js";

// A tiny real server on a unix socket in the test's temp dir as the supervised child (a TCP port could
// be taken by a parallel test while the child restarts). It removes a stale socket a SIGKILL left behind,
// and ignores probes that hang up before its greeting is written (EPIPE would otherwise kill it).
const server = (path: string) => [
  "-e",
  `try{require("fs").unlinkSync(${JSON.stringify(path)})}catch{};require("net").createServer(s=>{s.on("error",()=>{});s.end("hi")}).listen(${JSON.stringify(path)},()=>console.log("listening ${path}"))`,
];

const socketReady = (path: string) => () =>
  new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

describe("superviseProcess", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it("starts, logs to a file, restarts a crashed child with a new pid, and stops", async () => {
    const socket = join(dir, "srv.sock");
    const events: SupervisorEvent[] = [];
    const logFile = join(dir, "logs", "srv.log");
    const p = await superviseProcess({
      service: "srv",
      command: process.execPath,
      args: server(socket),
      logFile,
      ready: socketReady(socket),
      backoffMs: 50,
      onEvent: (e) => events.push(e),
    });
    const first = p.pid();
    expect(first).toBeGreaterThan(0);
    process.kill(first!, "SIGKILL");
    await waitFor(() => p.pid() !== first && events.filter((e) => e.type === "process.ready").length >= 2, 15_000, "restart");
    expect(await socketReady(socket)()).toBe(true);
    await p.stop();
    expect(await socketReady(socket)()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["process.started", "process.ready", "process.exited", "process.restarting", "process.stopped"]),
    );
    expect(await readFile(logFile, "utf8")).toContain(`listening ${socket}`);
  });

  it("fails with PROCESS_NOT_FOUND for a missing binary", async () => {
    const err = await superviseProcess({
      service: "ghost",
      command: "/nonexistent/k3s-node-kit-ghost",
      args: [],
      logFile: join(dir, "ghost.log"),
      ready: async () => false,
      readyTimeoutMs: 2000,
    }).catch((e) => e);
    expect(isKitError(err, "PROCESS_NOT_FOUND")).toBe(true);
  });

  it("fails with PROCESS_NOT_READY and the log tail when the child exits early", async () => {
    const err = await superviseProcess({
      service: "quitter",
      command: process.execPath,
      args: ["-e", "console.error('bad flag --foo'); process.exit(3)"],
      logFile: join(dir, "quitter.log"),
      ready: async () => false,
    }).catch((e) => e);
    expect(isKitError(err, "PROCESS_NOT_READY")).toBe(true);
    expect(String(err.message)).toContain("bad flag --foo");
  });
});

describe("superviseProcess at the boundary (issue 12)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('logFile "" (and any relative log path) is PROCESS_OPTION_INVALID before anything starts', async () => {
    for (const logFile of ["", "rel.log"]) {
      const err = await superviseProcess({ service: "x", command: process.execPath, logFile, ready: async () => true }).catch((e) => e);
      expect(isKitError(err, "PROCESS_OPTION_INVALID"), String(err)).toBe(true);
    }
  });

  it("a log file that cannot be written is an event, never a crash; the output stays in memory", async () => {
    const socket = join(dir, "log-fails.sock");
    const events: SupervisorEvent[] = [];
    // A directory where the log file should be: the write stream fails asynchronously.
    const logFile = join(dir, "a-dir");
    await import("node:fs/promises").then((fs) => fs.mkdir(logFile));
    const p = await superviseProcess({ service: "srv", command: process.execPath, args: server(socket), logFile, ready: socketReady(socket), restart: false, onEvent: (e) => events.push(e) });
    try {
      await waitFor(() => events.some((e) => e.type === "process.log-failed"), 5000);
      await waitFor(() => p.output().includes("listening"), 5000);
    } finally {
      await p.stop();
    }
  });

  it("a non-function onEvent is refused; a throwing listener never takes the process down", async () => {
    const bad = await superviseProcess({ service: "x", command: process.execPath, ready: async () => true, onEvent: "x" as never }).catch((e) => e);
    expect(isKitError(bad, "PROCESS_OPTION_INVALID")).toBe(true);
    const socket = join(dir, "throwing.sock");
    const p = await superviseProcess({
      service: "srv",
      command: process.execPath,
      args: server(socket),
      ready: socketReady(socket),
      restart: false,
      onEvent: () => {
        throw new Error("listener boom");
      },
    });
    expect(p.pid()).toBeGreaterThan(0);
    await p.stop();
    await new Promise((r) => setTimeout(r, 50)); // a re-thrown listener error would surface here
    expect(p.exited()).toBe(true);
  });

  it("unknown options are refused with a did-you-mean", async () => {
    const err = await superviseProcess({ service: "x", command: "true", ready: async () => true, readyTimeout: 5 } as never).catch((e) => e);
    expect(isKitError(err, "PROCESS_OPTION_INVALID")).toBe(true);
    expect(err.message).toContain('did you mean "readyTimeoutMs"');
  });
});
