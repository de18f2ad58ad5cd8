/**
 * Crash safety: a child process runs ensureServerCertificates in a loop and is SIGKILLed at random points.
 * Afterwards every file under its real name must parse and the CA keys must be the ones first created.
 */
import { createPrivateKey } from "node:crypto";
import { spawn } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  certificateDers,
  ensureServerCertificates,
  loadCA,
  parseCertificate,
  SERVER_CAS,
} from "../../../src/certs/index.js";
import { projectRoot } from "../../helpers/dist.js";
import { tempDir } from "../../helpers/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("k3s-crash-"));
});
afterAll(() => cleanup());

const tls = (rel = "") => join(dir, "server", "tls", rel);
const child = join(projectRoot, "test/integration/certs/crash-child.ts");

/** Runs the child until `doneCount` iterations finished plus `extraMs`, or until `killAtMs`, then SIGKILLs it. */
function runAndKill(opts: {
  startIter: number;
  afterDone?: number;
  killAtMs?: number;
  extraMs: number;
}): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ["--import", "tsx", child, dir, String(opts.startIter)], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let done = 0;
    let err = "";
    let timer: NodeJS.Timeout | undefined;
    const kill = () => c.kill("SIGKILL");
    if (opts.killAtMs !== undefined) timer = setTimeout(kill, opts.killAtMs);
    c.stdout.on("data", (d: Buffer) => {
      done += (d.toString().match(/done/g) ?? []).length;
      if (opts.afterDone !== undefined && done >= opts.afterDone && !timer)
        timer = setTimeout(kill, opts.extraMs);
    });
    c.stderr.on("data", (d: Buffer) => (err += d));
    c.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === "SIGKILL") resolve(done);
      else reject(new Error(`child exited on its own (${code}): ${err}`));
    });
  });
}

async function walk(d: string, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) await walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every file under its real name is complete: certs parse, keys parse. Temp files (".x.tmp") are ignored. */
async function assertIntact(): Promise<void> {
  for (const f of await walk(tls())) {
    const base = f.split("/").pop() ?? "";
    if (base.startsWith(".") && base.endsWith(".tmp")) continue;
    const text = await readFile(f, "utf8");
    if (f.endsWith(".crt")) for (const der of certificateDers(text, f)) parseCertificate(der, f);
    else if (f.endsWith(".key")) expect(() => createPrivateKey(text), f).not.toThrow();
  }
}

describe("SIGKILL mid-write (atomic writes, CA key before CA cert)", () => {
  it("never leaves a truncated file or loses a CA key", async () => {
    // Random kill points from a fixed seed, so a failure is reproducible.
    const delays = fc.sample(fc.integer({ min: 0, max: 120 }), { seed: 42, numRuns: 6 });
    const early = fc.sample(fc.integer({ min: 300, max: 1500 }), { seed: 7, numRuns: 3 });
    // Phase A: kills during the very first run (CA creation).
    for (const ms of early) {
      await runAndKill({ startIter: 0, killAtMs: ms, extraMs: 0 }).catch(() => 0);
      await assertIntact().catch((e) => {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      });
    }
    // Let one run finish, then record the CA keys.
    let iter = 1;
    iter += await runAndKill({ startIter: iter, afterDone: 1, extraMs: 0 });
    const caKeys = await Promise.all(SERVER_CAS.map((c) => readFile(tls(c.key), "utf8")));
    // Phase B: kills in the middle of renewal runs.
    for (const ms of delays) {
      iter += await runAndKill({ startIter: iter, afterDone: 1, extraMs: ms });
      await assertIntact();
      expect(await Promise.all(SERVER_CAS.map((c) => readFile(tls(c.key), "utf8")))).toEqual(caKeys);
    }
    // A normal run afterwards repairs whatever a kill interrupted and all CAs still load with their keys.
    const now = new Date(Date.parse("2026-01-01T00:00:00Z") + (iter + 1) * 300 * 86_400_000);
    await ensureServerCertificates({ dataDir: dir, nodeName: "crash-node", sans: ["a.example"], now });
    const final = await ensureServerCertificates({
      dataDir: dir,
      nodeName: "crash-node",
      sans: ["a.example"],
      now,
    });
    expect(final.renewed).toEqual([]);
    for (const c of SERVER_CAS)
      loadCA(await readFile(tls(c.cert), "utf8"), await readFile(tls(c.key), "utf8"));
    expect(await Promise.all(SERVER_CAS.map((c) => readFile(tls(c.key), "utf8")))).toEqual(caKeys);
  }, 120_000);
});
