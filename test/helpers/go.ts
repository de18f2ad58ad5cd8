import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** True when a Go toolchain is on PATH. CI installs golang-go, so oracle tests run there. */
export function haveGo(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a stdlib-only Go program (a single .go file, or a dir) into `.tmp/go-bin/<name>` and
 * returns the binary path; rebuilt when the source is newer.
 */
export function buildGo(source: string, name: string): string {
  const src = resolve(root, source);
  const outDir = join(root, ".tmp", "go-bin");
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, name);
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    execFileSync("go", ["build", "-o", bin, src], {
      stdio: "inherit",
      env: { ...process.env, GO111MODULE: "off", GOFLAGS: "-mod=mod", GOCACHE: join(root, ".tmp", "go-cache") },
    });
  }
  return bin;
}
