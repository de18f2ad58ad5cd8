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
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, f)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  process.stdout.write(r.stdout ?? "");
  writeFileSync(join(here, "results", f.replace(/\.bench\.ts$/, ".txt")), r.stdout ?? "");
  if (r.status !== 0) {
    failed++;
    console.log(`${f} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
