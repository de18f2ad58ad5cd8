import { open, readdir, rm } from "node:fs/promises";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { goJoin } from "../internal/go/filepath.js";
import { checkOptions, is } from "../internal/options.js";
import { unsafeComponent } from "../internal/paths.js";
import { ContainerdError } from "./errors.js";
import { HOSTS_TOML_HEADER, type HostConfigsOptions, hostsToml, registryHostConfigs } from "./hosts.js";
import type { Registry } from "./types.js";

/** Options of {@link writeContainerdHosts}. */
export interface WriteContainerdHostsOptions extends HostConfigsOptions {
  /** The hosts dir (K3s: `<dd>/agent/etc/containerd/certs.d`). */
  registryDir: string;
  /** The parsed registries.yaml. */
  registry: Registry;
  signal?: AbortSignal;
}

async function firstLine(path: string): Promise<string | undefined> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, "r");
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString("utf8");
    const nl = text.indexOf("\n");
    return nl >= 0 ? text.slice(0, nl + 1) : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  } finally {
    await fh?.close();
  }
}

/**
 * Writes `certs.d/<host>/hosts.toml` files like K3s's `writeContainerdHosts` (k3s-behaviours
 * §6.6): everything is rendered first; then the dirs about to be generated and dirs whose
 * hosts.toml starts with K3s's header are removed (unmanaged dirs are kept), and each file is
 * written atomically (dirs 0700, files 0644). Returns the directory names written.
 *
 * @example
 * ```ts
 * await writeContainerdHosts({ registryDir: "/var/lib/rancher/k3s/agent/etc/containerd/certs.d", registry: parseRegistriesYaml(text) });
 * ```
 * @throws CONTAINERD_OPTION_INVALID for a missing registryDir; CONTAINERD_HOSTS_WRITE when old dirs cannot be cleaned; WRITE_FAILED on I/O errors; AbortError.
 */
export async function writeContainerdHosts(options: WriteContainerdHostsOptions): Promise<string[]> {
  const checked = checkOptions<WriteContainerdHostsOptions>(
    options,
    {
      registryDir: is.absolutePath,
      registry: is.record,
      noDefaultEndpoint: is.boolean,
      mirrorAddr: is.string,
      onSkip: is.function,
      signal: is.signal,
    },
    (message, value) => new ContainerdError("CONTAINERD_OPTION_INVALID", message, { value }),
    "writeContainerdHosts",
  );
  const { registryDir, registry, signal } = checked;
  if (registryDir === undefined || registry === undefined)
    throw new ContainerdError(
      "CONTAINERD_OPTION_INVALID",
      "writeContainerdHosts: registryDir and registry are required",
      {
        value: { option: registryDir === undefined ? "registryDir" : "registry" },
      },
    );
  const hosts = registryHostConfigs(registry, checked);
  const files = Object.entries(hosts).map(([dir, cfg]) => ({ dir, text: hostsToml(cfg) }));
  // Every host becomes one directory name under registryDir, checked before anything is removed:
  // a registries.yaml key like "../../victim" or ".." must never name a directory outside it.
  for (const { dir } of files) {
    const why = unsafeComponent(dir);
    if (why !== undefined)
      throw new ContainerdError(
        "CONTAINERD_REGISTRY_HOST_INVALID",
        `registry host ${JSON.stringify(dir.slice(0, 200))} cannot be a directory name under ${registryDir}: ${why}`,
        {
          value: dir.slice(0, 200),
        },
      );
  }
  signal?.throwIfAborted();
  try {
    for (const { dir } of files) await rm(goJoin(registryDir, dir), { recursive: true, force: true });
    let entries: import("node:fs").Dirent[] = [];
    try {
      entries = await readdir(registryDir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    for (const ent of entries) {
      if (!ent.isDirectory()) continue;
      const first = await firstLine(goJoin(registryDir, ent.name, "hosts.toml"));
      if (first === HOSTS_TOML_HEADER)
        await rm(goJoin(registryDir, ent.name), { recursive: true, force: true });
    }
  } catch (err) {
    throw new ContainerdError(
      "CONTAINERD_HOSTS_WRITE",
      `cannot clean ${registryDir}: ${(err as Error).message}`,
      { value: registryDir, cause: err },
    );
  }
  for (const { dir, text } of files) {
    signal?.throwIfAborted();
    await writeFileAtomic(goJoin(registryDir, dir, "hosts.toml"), text, {
      mode: 0o644,
      dirMode: 0o700,
      signal,
      // No symlinked host dir may lead the write out of registryDir.
      root: registryDir,
    });
  }
  return files.map((f) => f.dir);
}
