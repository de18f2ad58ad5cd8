#!/usr/bin/env node
// Runs every bench/*.bench.ts (or the ones named on the command line) one after another with tsx,
// so each compares itself with its anchor (Go, or the etcd3 client) in the same run and prints ratios.
// Output also goes to bench/results/<name>.txt. Timings are never asserted anywhere.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
mkdirSync(join(here, "results"), { recursive: true });
// The benches measure the package as users run it (bench/sdk.ts loads dist/), so build it first.
if (process.env.BENCH_SOURCES !== "1") {
  const b = spawnSync("npx", ["tsup", "--silent"], { cwd: join(here, ".."), stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
  console.log("measuring the built package (dist/, built just now; BENCH_SOURCES=1 measures src/ through tsx)");
}
// A bench that has not finished after this long is stuck (once, tsx's loader thread never answered
// the main thread): it is killed and run once more, and the output says so.
const LIMIT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 30 * 60_000);
const runOne = (f) =>
  spawnSync(process.execPath, ["--import", "tsx", join(here, f)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: LIMIT_MS,
    killSignal: "SIGKILL",
  });
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  let r = runOne(f);
  if (r.error?.code === "ETIMEDOUT") {
    console.log(`${f} did not finish in ${LIMIT_MS / 60_000} min and was killed; running it again`);
    r = runOne(f);
  }
  process.stdout.write(r.stdout ?? "");
  writeFileSync(join(here, "results", f.replace(/\.bench\.ts$/, ".txt")), r.stdout ?? "");
  if (r.status !== 0) {
    failed++;
    console.log(`${f} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
