/**
 * The one containment rule for paths built from data (registry hosts, mirror names, bundle and
 * template file names, drop-in names, node names used in file names): a name is joined under a
 * root only when it cannot leave it. Pure checks here; {@link assertInside} adds the one I/O check
 * (links whose target leaves the root).
 * @internal
 */
import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { KitError } from "../errors/index.js";

/** Why a name was refused, or undefined when it is safe as one path component. */
export function unsafeComponent(name: unknown): string | undefined {
  if (typeof name !== "string") return `not a string (${typeof name})`;
  if (name === "") return "empty name";
  if (name.includes("\0")) return "contains a NUL byte";
  if (name === "." || name === "..") return `is "${name}"`;
  if (name.includes("/") || name.includes("\\")) return "contains a path separator";
  if (name.length > 255) return "longer than 255 characters";
  return undefined;
}

/** Why a relative path was refused, or undefined when every part of it stays under a root. */
export function unsafeRelative(rel: unknown): string | undefined {
  if (typeof rel !== "string") return `not a string (${typeof rel})`;
  if (rel === "") return "empty path";
  if (rel.includes("\0")) return "contains a NUL byte";
  if (isAbsolute(rel) || rel.startsWith("\\")) return "is absolute";
  for (const part of rel.split(/[/\\]/)) {
    if (part === "..") return 'has a ".." part';
  }
  return undefined;
}

/** Throws `PATH_UNSAFE` unless `path` is an absolute path without NUL bytes or `..` parts. Returns it normalised. */
export function absolutePath(path: unknown, what: string): string {
  if (typeof path !== "string" || path === "" || path.includes("\0") || !isAbsolute(path)) {
    throw new KitError("PATH_UNSAFE", `${what} must be an absolute path, got ${describe(path)}`, { value: path });
  }
  // "/srv/k3s/../etc" names a place other than it seems to: a root given by data is taken as written.
  if (path.split(/[\\/]/).includes("..")) {
    throw new KitError("PATH_UNSAFE", `${what} must not have ".." parts, got ${describe(path)}`, { value: path });
  }
  return resolve(path);
}

/**
 * Joins `names` (each one path component) under `root`, or throws `PATH_UNSAFE` before anything is
 * touched.
 * @example
 * ```ts
 * confineName("/etc/containerd/certs.d", "registry.local:5000"); // "/etc/containerd/certs.d/registry.local:5000"
 * confineName("/etc/containerd/certs.d", "../../etc");          // throws PATH_UNSAFE
 * ```
 */
export function confineName(root: string, ...names: unknown[]): string {
  for (const name of names) {
    const why = unsafeComponent(name);
    if (why !== undefined) {
      throw new KitError("PATH_UNSAFE", `name ${describe(name)} under ${root}: ${why}`, { value: { root, name } });
    }
  }
  return join(root, ...(names as string[]));
}

/** Joins a relative path (several components) under `root`, or throws `PATH_UNSAFE`. */
export function confineRelative(root: string, rel: unknown): string {
  const why = unsafeRelative(rel);
  if (why !== undefined) {
    throw new KitError("PATH_UNSAFE", `path ${describe(rel)} under ${root}: ${why}`, { value: { root, name: rel } });
  }
  const full = resolve(root, rel as string);
  if (!isUnder(resolve(root), full)) {
    throw new KitError("PATH_UNSAFE", `path ${describe(rel)} leaves ${root}`, { value: { root, name: rel } });
  }
  return full;
}

/** True when `path` is `root` or below it (both absolute, normalised). */
export function isUnder(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Checks, before a write or delete of `path`, that no existing component between `root` and
 * `path` is a symlink whose target leaves `root`. The root itself may be a link (operators move
 * `/var/lib/rancher/k3s`); what is below it may not point out of it.
 */
export async function assertInside(root: string, path: string): Promise<void> {
  await assertAllInside(root, [path]);
}

/**
 * {@link assertInside} for many paths under one root, each existing component looked at once: the
 * root is resolved once and the tree is walked level by level, only below components that exist.
 * The K3s PKI checks ~60 paths sharing five directories this way before its first write.
 */
export async function assertAllInside(root: string, paths: readonly string[]): Promise<void> {
  const absRoot = resolve(root);
  const levels: Array<Set<string>> = [];
  for (const path of paths) {
    const absPath = resolve(path);
    if (!isUnder(absRoot, absPath)) {
      throw new KitError("PATH_UNSAFE", `${absPath} is not under ${absRoot}`, { value: { root: absRoot, name: absPath } });
    }
    let cur = absRoot;
    const parts = relative(absRoot, absPath).split(sep).filter(Boolean);
    for (let depth = 0; depth < parts.length; depth++) {
      cur = join(cur, parts[depth] as string);
      const level = levels[depth] ?? new Set<string>();
      levels[depth] = level;
      level.add(cur);
    }
  }
  let realRoot: string;
  try {
    realRoot = await realpath(absRoot);
  } catch {
    return; // nothing exists yet: nothing can point out of it
  }
  // A component that does not exist yet has nothing below it to look at.
  const missing = new Set<string>();
  for (const level of levels) {
    const present: string[] = [];
    for (const p of level) {
      if (missing.has(dirname(p))) missing.add(p);
      else present.push(p);
    }
    await Promise.all(
      present.map(async (p) => {
        let st: import("node:fs").Stats;
        try {
          st = await lstat(p);
        } catch {
          missing.add(p);
          return;
        }
        if (st.isSymbolicLink()) await linkStaysInside(p, realRoot, absRoot);
      }),
    );
  }
}

async function linkStaysInside(link: string, realRoot: string, absRoot: string): Promise<void> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    throw new KitError("PATH_UNSAFE", `${link} is a dangling symlink`, { value: link });
  }
  if (!isUnder(realRoot, target)) {
    throw new KitError("PATH_UNSAFE", `${link} is a symlink to ${target}, outside ${absRoot}`, { value: link });
  }
}

function describe(v: unknown): string {
  if (typeof v !== "string") return v === null ? "null" : typeof v;
  const shown = v.length > 80 ? `${v.slice(0, 80)}…` : v;
  return JSON.stringify(shown);
}
