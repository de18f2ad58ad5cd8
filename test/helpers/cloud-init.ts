import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs the real `cloud-init schema --config-file` (Debian cloud-init) on user-data; returns [ok, output]. */
export function cloudInitSchema(userData: string): [boolean, string] {
  const dir = mkdtempSync(join(tmpdir(), "cloud-init-"));
  const file = join(dir, "user-data.yaml");
  writeFileSync(file, userData);
  try {
    return [true, execFileSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8", stdio: "pipe" })];
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return [false, `${err.stdout ?? ""}${err.stderr ?? ""}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
