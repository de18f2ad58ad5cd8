/**
 * Child process of the fuzz harness: calls every export with the hostile sets, one call at a time,
 * and reports each outcome as a JSON line on stdout. Crashes (uncaught exceptions, unhandled
 * rejections) are caught here and reported against the call that was running or last ran; an
 * event-loop lock is seen by the parent (no line for a while) and the child is restarted after it.
 * Usage: tsx test/fuzz/runner.ts <projectRoot> <box> <subpath> <fromId>
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { argSets, isClass, type Call } from "./targets.js";

const [root, box, subpath, fromText] = process.argv.slice(2) as [string, string, string, string];
const from = Number(fromText);
const CALL_LIMIT_MS = Number(process.env.FUZZ_CALL_LIMIT_MS ?? 1500);
// A call past CALL_LIMIT_MS that is still working (this process, thread pool included, used at
// least BUSY_SHARE of the window's wall time on CPU: RSA key generation on a loaded CI machine) is
// slow, not hung, and gets another window, up to BUSY_LIMIT_MS. A hang waits without working.
const BUSY_SHARE = 0.15;
const BUSY_LIMIT_MS = Number(process.env.FUZZ_BUSY_LIMIT_MS ?? 30_000);

let current = -1;
let lastOutcome: string | undefined;
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
process.on("uncaughtException", (e) => say({ t: "crash", id: current, detail: describeError(e) }));
process.on("unhandledRejection", (e) => say({ t: "crash", id: current, detail: describeError(e) }));

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${String(e.message).slice(0, 300)}`;
  return String(e).slice(0, 300);
}

function isKit(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[Symbol.for("k3s-node-kit.error")] === true;
}

async function load(): Promise<Record<string, unknown>> {
  const name = subpath === "." ? "index" : subpath.slice(2);
  const built = join(root, "dist", `${name}.js`);
  if (process.env.K3S_KIT_BUILT === "1" && existsSync(built)) return import(pathToFileURL(built).href);
  const { entries } = (await import(pathToFileURL(join(root, "tsup.config.ts")).href)) as { entries: Record<string, string> };
  return import(pathToFileURL(join(root, entries[name]!)).href);
}

/** Valid instances of the exported classes whose methods are part of the public surface. */
function fixtures(mod: Record<string, unknown>): Record<string, () => unknown> {
  const out: Record<string, () => unknown> = {};
  if (typeof mod.Template === "function") out.Template = () => new (mod.Template as new (n: string) => unknown)("t");
  if (typeof mod.EtcdClient === "function") {
    out.EtcdClient = () =>
      new (mod.EtcdClient as new (o: unknown) => unknown)({
        endpoints: ["http://127.0.0.9:9"],
        deadlineMs: 300,
        connectTimeoutMs: 200,
        retry: () => undefined,
      });
  }
  if (typeof mod.TxnBuilder === "function") {
    // The builder client.txn() returns, with a run function that answers without a server.
    const answer = { header: { clusterId: 0n, memberId: 0n, revision: 1, raftTerm: 0 }, succeeded: true, responses: [] };
    out.TxnBuilder = () => new (mod.TxnBuilder as new (run: unknown) => unknown)(async () => answer);
  }
  return out;
}

function buildCalls(mod: Record<string, unknown>): Call[] {
  const sets = argSets(box);
  const calls: Call[] = [];
  const fx = fixtures(mod);
  for (const name of Object.keys(mod).sort()) {
    const f = mod[name];
    if (typeof f !== "function") continue;
    const isErrorClass = isClass(f) && (f.prototype instanceof Error || f === Error);
    if (isErrorClass) continue; // constructing an error from junk returns an error: nothing to check
    if (isClass(f)) {
      for (const [i, args] of sets.entries()) calls.push({ id: 0, subpath, name, kind: "construct", args: () => args, label: `new ${name}#${i}` });
      const make = fx[name];
      if (make) {
        let inst: Record<string, unknown> | undefined;
        try {
          inst = make() as Record<string, unknown>;
        } catch {
          inst = undefined;
        }
        const methods = inst ? methodNames(inst) : [];
        for (const m of methods) {
          for (const [i, args] of sets.entries()) calls.push({ id: 0, subpath, name, method: m, kind: "method", args: () => args, label: `${name}.${m}#${i}` });
        }
        (inst as { close?: () => void } | undefined)?.close?.();
      }
    } else {
      for (const [i, args] of sets.entries()) calls.push({ id: 0, subpath, name, kind: "call", args: () => args, label: `${name}#${i}` });
    }
  }
  calls.forEach((c, i) => {
    c.id = i;
  });
  return calls;
}

function methodNames(inst: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(inst); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k === "constructor" || k.startsWith("_") || k.startsWith("#")) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d && typeof d.value === "function") names.add(k);
    }
  }
  // close() ends the fixture; it is called last, on its own instance, like every other method.
  return [...names].sort();
}

async function runOne(mod: Record<string, unknown>, call: Call, fx: Record<string, () => unknown>): Promise<void> {
  current = call.id;
  say({ t: "start", id: call.id, label: call.label });
  let inst: Record<string, unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<{ outcome: string; detail?: string }>((resolve) => {
    const started = Date.now();
    let windowCpu = process.cpuUsage();
    let windowStart = started;
    const check = () => {
      const now = Date.now();
      const cpu = process.cpuUsage(windowCpu);
      const busy = (cpu.user + cpu.system) / 1000 >= BUSY_SHARE * (now - windowStart);
      if (busy && now - started < BUSY_LIMIT_MS) {
        windowCpu = process.cpuUsage();
        windowStart = now;
        say({ t: "busy", id: call.id }); // a line, so the parent does not take the wait for a lock
        timer = setTimeout(check, CALL_LIMIT_MS);
        return;
      }
      resolve({ outcome: "hang", detail: `not settled after ${now - started} ms${busy ? " (still busy)" : " (idle)"}` });
    };
    timer = setTimeout(check, CALL_LIMIT_MS);
    const settle = (p: unknown) =>
      Promise.resolve(p).then(
        () => resolve({ outcome: "ok" }),
        (e) => resolve(classify(e, call)),
      );
    try {
      const f = mod[call.name] as (...a: unknown[]) => unknown;
      if (call.kind === "call") settle(f(...call.args()));
      else if (call.kind === "construct") settle(new (f as unknown as new (...a: unknown[]) => unknown)(...call.args()));
      else {
        inst = fx[call.name]!() as Record<string, unknown>;
        settle((inst[call.method!] as (...a: unknown[]) => unknown).apply(inst, call.args()));
      }
    } catch (e) {
      resolve(classify(e, call));
    }
  });
  clearTimeout(timer);
  try {
    (inst as { close?: () => unknown } | undefined)?.close?.();
  } catch {
    // closing a fixture twice is the fixture's business
  }
  lastOutcome = outcome.outcome;
  say({ t: "end", id: call.id, ...outcome });
}

function classify(e: unknown, call: Call): { outcome: string; detail?: string } {
  if (isKit(e)) return { outcome: "typed", detail: (e as { code: string }).code };
  // Aborting with the caller's own signal rejects with the signal's reason: that is the contract.
  const aborted = call.args().some((a) => typeof a === "object" && a !== null && (a as { signal?: AbortSignal }).signal instanceof AbortSignal && (a as { signal: AbortSignal }).signal.aborted && (a as { signal: AbortSignal }).signal.reason === e);
  if (aborted) return { outcome: "typed", detail: "signal.reason" };
  return { outcome: "untyped", detail: describeError(e) };
}

const mod = await load();
const calls = buildCalls(mod);
say({ t: "count", n: calls.length });
const fx = fixtures(mod);
// A function that hangs twice is not called again: its hang is on record, and the run stays bounded.
const hangs = new Map<string, number>();
for (const call of calls) {
  if (call.id < from) continue;
  const key = `${call.name}.${call.method ?? ""}`;
  if ((hangs.get(key) ?? 0) >= 2) continue;
  await runOne(mod, call, fx);
  if (lastOutcome === "hang") hangs.set(key, (hangs.get(key) ?? 0) + 1);
}
// Let late timers and rejections of the last calls surface before we say we are done.
await new Promise((r) => setTimeout(r, 300));
say({ t: "done" });
process.exit(0);
