import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Builds the bootstrap-data oracle (test/integration/cluster/oracle/bootstrap.go). It needs
 * golang.org/x/crypto/pbkdf2 from Debian's golang-golang-x-crypto-dev, hence GOPATH=/usr/share/gocode in
 * GOPATH mode (no network).
 */
export function buildBootstrapOracle(): string {
  const src = join(root, "test/integration/cluster/oracle/bootstrap.go");
  const outDir = join(root, ".tmp", "go-bin");
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, "bootstrap-oracle");
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    execFileSync("go", ["build", "-o", bin, src], {
      stdio: "inherit",
      env: {
        ...process.env,
        GOPATH: process.env.GOPATH ?? "/usr/share/gocode",
        GO111MODULE: "off",
        GOFLAGS: "-mod=mod",
        GOCACHE: join(root, ".tmp", "go-cache"),
      },
    });
  }
  return bin;
}

/** Runs the oracle with TZ=UTC (so Go's ModTime prints as `…Z`, as the SDK writes). */
export function oracle(bin: string, args: string[], input?: string): string {
  return execFileSync(bin, args, {
    input,
    env: { ...process.env, TZ: "UTC" },
    maxBuffer: 64 * 1024 * 1024,
  }).toString("utf8");
}
