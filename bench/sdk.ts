/**
 * Loads an SDK subpath for a benchmark the way users run it: the built `dist/<subpath>.js`
 * (bench/run.mjs builds it first). Run through tsx from the sources, the same code measured up to
 * ~20 % slower (template execute, 30 vs 37 µs on the deep case), which is not what a user gets.
 * `BENCH_SOURCES=1` measures `src/` instead.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function sdk<M>(subpath: string): Promise<M> {
  if (process.env.BENCH_SOURCES === "1") {
    const src = subpath === "index" ? "src/index.ts" : `src/${subpath}/index.ts`;
    return (await import(pathToFileURL(join(root, src)).href)) as M;
  }
  const file = join(root, "dist", `${subpath}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (npm run bench builds first)`);
  return (await import(pathToFileURL(file).href)) as M;
}

