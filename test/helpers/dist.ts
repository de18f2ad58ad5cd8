import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Makes sure dist/ is built and newer than src/ (CI builds first and sets K3S_KIT_BUILT). */
export function ensureBuilt(): void {
  const marker = join(projectRoot, "dist", "index.js");
  if (process.env.K3S_KIT_BUILT === "1" && existsSync(marker)) return;
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(projectRoot, "src"))) return;
  execFileSync("npx", ["tsup", "--silent"], { cwd: projectRoot, stdio: "inherit" });
}
