/**
 * The boundary, tried as an attacker would (issue 12): every export of every subpath in
 * package.json "exports", every public method of the exported classes, each called with a seeded
 * hostile set (wrong types, NUL, `..`, 4 MiB strings, `__proto__` objects, throwing listeners,
 * non-signals, Infinity) in a sandbox. Asserted: only typed KitErrors (or the caller's own abort
 * reason), no crash, no hang, no file outside the sandbox.
 *
 * Each subpath runs in a child process (tsx) under its own mount namespace where /var/lib and /run
 * are empty tmpfs (as root; elsewhere it runs without), so a default path such as
 * /var/lib/rancher/k3s is never the real one. The child's cwd, HOME and TMPDIR are in a scratch tree
 * beside the sandbox; anything that appears outside the sandbox is an escape.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/dist.js";
import { subpaths } from "./targets.js";

interface Finding {
  id: number;
  label: string;
  kind: "untyped" | "crash" | "hang" | "lock";
  detail: string;
}

const scratch = mkdtempSync(join(tmpdir(), "kit-fuzz-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const LOCK_MS = Number(process.env.FUZZ_LOCK_MS ?? 10_000);
const canUnshare = process.getuid?.() === 0 && existsSync("/usr/bin/unshare");
const BASELINE = new Set(
  readFileSync(join(projectRoot, "test", "fuzz", "baseline.txt"), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#")),
);

function listTree(dir: string, skip: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (p === skip) continue;
    out.push(p);
    if (e.isDirectory()) out.push(...listTree(p, skip));
  }
  return out;
}

/** Runs the child from `from`, collecting outcomes; returns the id it stopped at if it locked. */
function runChild(subpath: string, box: string, cwd: string, from: number, findings: Finding[], labels: Map<number, string>, systemWrites: string[]): Promise<{ lockedAt?: number; count: number }> {
  return new Promise((resolve) => {
    const tsx = join(projectRoot, "node_modules", ".bin", "tsx");
    const runner = join(projectRoot, "test", "fuzz", "runner.ts");
    const inner = `${tsx} ${runner} ${projectRoot} ${box} ${subpath} ${from}; rc=$?; find /var/lib /run -mindepth 1 -maxdepth 3 2>/dev/null | sed 's/^/SYSTEM /'; exit $rc`;
    const cmd = canUnshare
      ? ["unshare", ["--mount", "--propagation", "private", "sh", "-c", `mount -t tmpfs none /var/lib && mount -t tmpfs none /run && ${inner}`]]
      : ["sh", ["-c", inner]];
    const child = spawn(cmd[0] as string, cmd[1] as string[], {
      cwd,
      env: { ...process.env, HOME: join(box, "home"), TMPDIR: join(box, "tmp"), PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let buf = "";
    let last = from - 1;
    let running: number | undefined;
    let count = 0;
    let lockTimer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(lockTimer);
      lockTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
        const at = running ?? last + 1;
        findings.push({ id: at, label: labels.get(at) ?? `#${at}`, kind: "lock", detail: `no progress for ${LOCK_MS} ms (event loop locked?)` });
        resolve({ lockedAt: at, count });
      }, LOCK_MS);
    };
    arm();
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf("\n");
        if (line.startsWith("SYSTEM ")) {
          const name = line.slice(7);
          if (name !== "") systemWrites.push(name);
          continue;
        }
        let m: { t: string; id: number; label?: string; outcome?: string; detail?: string; n?: number };
        try {
          m = JSON.parse(line);
        } catch {
          continue;
        }
        arm();
        if (m.t === "count") count = m.n!;
        if (m.t === "start") {
          running = m.id;
          labels.set(m.id, m.label!);
        }
        if (m.t === "end") {
          running = undefined;
          last = m.id;
          if (m.outcome === "untyped" || m.outcome === "hang") findings.push({ id: m.id, label: labels.get(m.id)!, kind: m.outcome, detail: m.detail ?? "" });
        }
        if (m.t === "crash") findings.push({ id: m.id, label: labels.get(m.id) ?? `#${m.id}`, kind: "crash", detail: m.detail ?? "" });
      }
    });
    child.stderr.on("data", () => {});
    child.on("exit", () => {
      clearTimeout(lockTimer);
      resolve({ count });
    });
  });
}

describe("fuzz: every export with hostile input", () => {
  for (const subpath of subpaths(projectRoot)) {
    it(`${subpath}: only typed errors, no crash, no hang, no escape`, async () => {
      const base = join(scratch, subpath === "." ? "root" : subpath.slice(2));
      // Deep enough that the `../../..` of hostile names stays inside `base`, where we look.
      const box = join(base, "a", "b", "c", "box");
      const cwd = join(base, "a", "b", "c", "cwd");
      for (const d of [box, cwd, join(box, "home"), join(box, "tmp")]) mkdirSync(d, { recursive: true });
      const findings: Finding[] = [];
      const labels = new Map<number, string>();
      const systemWrites: string[] = [];
      let from = 0;
      let total = 0;
      for (;;) {
        const r = await runChild(subpath, box, cwd, from, findings, labels, systemWrites);
        total = Math.max(total, r.count);
        if (r.lockedAt === undefined) break;
        from = r.lockedAt + 1;
      }
      const escapes = listTree(base, box).filter((p) => p !== join(base, "a") && p !== join(base, "a", "b") && p !== join(base, "a", "b", "c") && p !== cwd);
      const outsideTmp = ["/tmp/escape", "/tmp/victim"].filter((p) => existsSync(p));
      const report = {
        calls: total,
        untyped: findings.filter((f) => f.kind === "untyped").map((f) => `${f.label}: ${f.detail}`),
        crashes: findings.filter((f) => f.kind === "crash").map((f) => `${f.label}: ${f.detail}`),
        hangs: findings.filter((f) => f.kind === "hang" || f.kind === "lock").map((f) => `${f.label}: ${f.detail}`),
        escapes: [...escapes.map((p) => relative(base, p)), ...outsideTmp],
        // Writes under the K3s defaults (/var/lib/rancher, /run/k3s) when no path was given are K3s's
        // own behaviour; anything else there is not.
        systemWrites: canUnshare ? systemWrites.filter((n) => !/^\/(var\/lib\/rancher|run\/k3s)(\/|$)/.test(n)) : [],
      };
      if (process.env.FUZZ_REPORT) {
        // One line per function and kind, for reading: `fn [kind] ×count: first detail`.
        const grouped = new Map<string, { n: number; first: string }>();
        for (const f of findings) {
          const key = `${f.label.replace(/#\d+$/, "")} [${f.kind}]`;
          const g = grouped.get(key) ?? { n: 0, first: f.detail };
          g.n++;
          grouped.set(key, g);
        }
        const lines = [...grouped].map(([k, g]) => `${subpath} ${k} ×${g.n}: ${g.first}`);
        lines.push(...report.escapes.map((e) => `${subpath} [escape] ${e}`), ...report.systemWrites.map((e) => `${subpath} [system] ${e}`));
        appendFileSync(process.env.FUZZ_REPORT, `${lines.join("\n")}\n`);
      }
      expect(total).toBeGreaterThan(0);
      // The ratchet: a finding not in baseline.txt fails the suite. baseline.txt lists what is still
      // open (one `subpath function [kind]` a line, made from FUZZ_REPORT output); it only shrinks.
      const found = new Set<string>();
      for (const f of findings) found.add(`${subpath} ${f.label.replace(/#\d+$/, "")} [${f.kind === "lock" ? "hang" : f.kind}]`);
      if (report.escapes.length > 0) found.add(`${subpath} [escape]`);
      if (report.systemWrites.length > 0) found.add(`${subpath} [system]`);
      const fresh = [...found].filter((k) => !BASELINE.has(k)).sort();
      expect(fresh, JSON.stringify({ escapes: report.escapes.slice(0, 10), systemWrites: report.systemWrites.slice(0, 10) })).toEqual([]);
    }, 600_000);
  }
});
