/**
 * What the fuzz harness calls: every export of every subpath in package.json "exports" (so a new
 * function is covered without editing the harness), each with a seeded hostile argument set. The
 * call list is deterministic, so the parent and a restarted child agree on call numbers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

export interface Call {
  id: number;
  subpath: string;
  name: string;
  /** For class instances: the method called. */
  method?: string;
  kind: "call" | "construct" | "method";
  args: () => unknown[];
  label: string;
}

const BIG = "a".repeat(4 << 20);

/** Hostile values: wrong types, empty, NUL, `..`, huge, prototype keys, throwing callables. */
export function hostileValues(box: string): unknown[] {
  return [
    undefined,
    null,
    0,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e308,
    true,
    10n,
    "",
    "rel",
    "../escape",
    "../../../../../../tmp/escape",
    "a\0b",
    BIG,
    join(box, "../outside"),
    {},
    JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
    [],
    [null, 0],
    ["../x", "\0"],
    // biome-ignore lint/suspicious/noThenProperty: a hostile thenable-looking value is the point
    { then: "x" },
    () => {
      throw new Error("hostile callback");
    },
    new Date(Number.NaN),
    Symbol("s"),
  ];
}

/** Partial option objects, the shapes most functions take, with hostile fields. */
export function hostileOptions(box: string, values: unknown[]): unknown[] {
  const dd = join(box, "dd");
  const pick = values.filter((v) => typeof v !== "symbol");
  const keys = ["dataDir", "nodeName", "onEvent", "signal", "path", "registry", "registries", "endpoints", "deadlineMs", "token", "config", "dir", "outDir", "root", "env", "templateDir", "configPath", "registryDir", "logFile"];
  const out: unknown[] = [
    { dataDir: dd, onEvent: "x" },
    { dataDir: dd, signal: "x" },
    { dataDir: dd, signal: AbortSignal.abort(new Error("pre-aborted")) },
    { dataDir: dd, nodeName: "n", onEvent: () => { throw new Error("listener boom"); } },
    { dataDir: "rel" },
    { dataDir: "" },
    { dataDir: dd, registry: {} },
    { registryDir: join(box, "certs.d"), registry: { Mirrors: { "../../../victim": { Endpoints: ["https://m"] } }, Configs: {} } },
    { registryDir: join(box, "certs.d"), registry: { Mirrors: {}, Configs: "a".repeat(1 << 20) } },
    { deadlineMs: Number.POSITIVE_INFINITY },
    { revision: Number.POSITIVE_INFINITY },
  ];
  const rnd = fc.sample(
    fc.record(
      Object.fromEntries(keys.map((k) => [k, fc.constantFrom(...pick)])) as Record<string, fc.Arbitrary<unknown>>,
      { requiredKeys: [] },
    ),
    { seed: 20261203, numRuns: 6 },
  );
  return [...out, ...rnd];
}

/** Argument lists for one function: each hostile value alone, in second place, and option objects. */
export function argSets(box: string): unknown[][] {
  const values = hostileValues(box);
  const options = hostileOptions(box, values);
  const sets: unknown[][] = [[]];
  for (const v of values) sets.push([v]);
  for (const v of values) sets.push([join(box, "dd"), v]);
  for (const o of options) sets.push([o]);
  for (const o of options) sets.push([join(box, "dd"), o]);
  return sets;
}

export function subpaths(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, unknown> };
  return Object.keys(pkg.exports).filter((k) => k !== "./package.json");
}

export function isClass(f: unknown): f is new (...a: unknown[]) => unknown {
  return typeof f === "function" && /^class[\s{]/.test(Function.prototype.toString.call(f));
}
