import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../helpers/dist.js";

/** What `npm pack --json` reports for one package. */
export interface Packed {
  /** The tarball's file name (inside `destination` unless `dryRun`). */
  filename: string;
  /** Every path in the tarball, relative to the package root, `/`-separated. */
  files: string[];
  size: number;
  unpackedSize: number;
}

/**
 * Runs `npm pack` on the repository exactly as a publish would pick files (`files`, `.npmignore`,
 * the always-included README/LICENSE/package.json). Scripts are ignored so packing never rebuilds.
 */
export function npmPack(options: { dryRun: true } | { destination: string }): Packed {
  const args = ["pack", "--json", "--ignore-scripts", "--no-fund", "--no-audit"];
  if ("dryRun" in options) args.push("--dry-run");
  else args.push("--pack-destination", options.destination);
  const out = execFileSync("npm", args, {
    cwd: projectRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [entry] = JSON.parse(out) as {
    filename: string;
    files: { path: string }[];
    size: number;
    unpackedSize: number;
  }[];
  if (!entry) throw new Error(`npm pack printed no package: ${out}`);
  return {
    filename: entry.filename,
    files: entry.files.map((f) => f.path),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
  };
}

export interface PackageJson {
  name: string;
  repository?: { type?: string; url?: string } | string;
  homepage?: string;
  bugs?: { url?: string } | string;
  dependencies?: Record<string, string>;
  exports: Record<string, unknown>;
  [key: string]: unknown;
}

export function readPackageJson(dir: string = projectRoot): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

/** `https://github.com/<owner>/<name>` from package.json `repository` (the `git+https://github.com/<owner>/<name>.git` form). */
export function repositoryWebUrl(pkg: PackageJson): string {
  const url = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  const m = /^(?:git\+)?(https:\/\/github\.com\/[^/]+\/[^/]+?)(?:\.git)?$/.exec(url ?? "");
  if (!m) throw new Error(`package.json repository is not a GitHub https URL: ${String(url)}`);
  return m[1]!;
}
