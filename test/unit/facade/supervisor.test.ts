import { connect } from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superviseProcess, type SupervisorEvent } from "../../../src/facade/supervisor.js";
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
