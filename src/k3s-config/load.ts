/**
 * Thin I/O for the K3s config file: finds the files K3s would read, reads them, and hands them to
 * the pure parse/merge/validate in `k3s-config.ts`; writes a rendered config atomically.
 *
 * File discovery facts (k3s `pkg/configfilearg/parser.go` `readConfigFile`, `dotDFiles`):
 * - drop-ins are the entries of `<path>.d/` whose name ends in `.yaml` or `.yml` (any case), that
 *   are not directories, sorted by name (Go `os.ReadDir` byte order), read after the main file;
 * - a missing main file is fine when at least one drop-in exists; with neither, K3s runs with no
 *   config file at all (not an error);
 * - any other read error is fatal.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "../internal/atomic-write.js";
import { checkArg, checkOptions, is } from "../internal/options.js";
import { K3sConfigError } from "./errors.js";
import { mergeDocs } from "./merge.js";
import { checkValues, configFail, roleCheck } from "./options.js";
import { type K3sConfigDocument, type K3sConfigRawValue, type K3sConfigWarning, parseYaml } from "./parse.js";
import { type RenderK3sConfigOptions, checkRenderOptions, renderChecked } from "./render.js";
import { validateChecked } from "./validate.js";
import type { K3sConfig } from "./schema.js";

/** The default config path of K3s (`--config` / `K3S_CONFIG_FILE` override it). */
export const K3S_CONFIG_PATH = "/etc/rancher/k3s/config.yaml";

/** Options for {@link loadK3sConfig}. */
export interface LoadK3sConfigOptions {
  /**
   * Main config file. Default: `env.K3S_CONFIG_FILE` when set and non-empty (as K3s does), else
   * `/etc/rancher/k3s/config.yaml`. Drop-ins come from `<path>.d/`.
   */
  path?: string;
  /** Environment to take `K3S_CONFIG_FILE` from (e.g. `process.env`). Default: none is read. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Command the config is for (`server` or `agent`): keys it does not take are reported. */
  role?: "server" | "agent";
  signal?: AbortSignal;
}

/** What {@link loadK3sConfig} found. */
export interface LoadedK3sConfig {
  /** The files read, in merge order (main file first when it exists). Empty: K3s uses no config. */
  files: string[];
  /** Known keys, typed. */
  config: K3sConfig;
  /** Unknown keys with their raw values. */
  unknown: Record<string, K3sConfigRawValue>;
  /** Merged raw values in first-seen key order, before validation. */
  values: Record<string, K3sConfigRawValue>;
  /** Which files set each key. */
  sources: Record<string, string[]>;
  /** Unknown keys, role mismatches, YAML notes. */
  warnings: K3sConfigWarning[];
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function readError(path: string, err: unknown): K3sConfigError {
  return new K3sConfigError("K3S_CONFIG_READ", `cannot read ${path}: ${(err as Error).message}`, {
    value: path,
    cause: err,
  });
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Lists the files K3s reads for `path`, in order: the main file (when it exists) then the
 * `.yaml`/`.yml` drop-ins of `<path>.d/` sorted by name.
 *
 * @example
 * ```ts
 * await k3sConfigFiles("/etc/rancher/k3s/config.yaml");
 * // ["/etc/rancher/k3s/config.yaml", "/etc/rancher/k3s/config.yaml.d/10-labels.yaml"]
 * ```
 * @throws K3sConfigError `K3S_CONFIG_READ` (an unreadable file or drop-in directory),
 *   `K3S_CONFIG_URL_UNSUPPORTED` (an http(s) URL).
 */
export async function k3sConfigFiles(
  path: string,
  options?: { signal?: AbortSignal },
): Promise<string[]> {
  checkArg(path, is.nonEmptyString, "path", configFail, "k3sConfigFiles");
  const o = checkOptions<{ signal?: AbortSignal }>(options, { signal: is.signal }, configFail, "k3sConfigFiles");
  return filesOf(path, o.signal);
}

async function filesOf(path: string, signal: AbortSignal | undefined): Promise<string[]> {
  if (path.length > 4096) throw configFail("k3sConfigFiles: path is longer than 4096 characters", { option: "path" });
  if (/^https?:\/\//i.test(path)) {
    // K3s parses URLs here, but its os.Stat check then treats the config as missing.
    throw new K3sConfigError(
      "K3S_CONFIG_URL_UNSUPPORTED",
      `config location ${path.slice(0, 200)} is a URL; K3s ignores remote config files (its existence check fails), use a local file`,
      { value: path },
    );
  }
  signal?.throwIfAborted();
  const dropinDir = `${path}.d`;
  let dropins: string[] = [];
  try {
    const entries = await readdir(dropinDir, { withFileTypes: true });
    dropins = entries
      .filter((e) => !e.isDirectory() && /\.ya?ml$/i.test(e.name))
      .map((e) => e.name)
      .sort(byteOrder)
      .map((name) => join(dropinDir, name));
  } catch (err) {
    if (errCode(err) !== "ENOENT") throw readError(dropinDir, err);
  }
  signal?.throwIfAborted();
  try {
    await stat(path);
  } catch (err) {
    if (errCode(err) === "ENOENT") return dropins;
    throw readError(path, err);
  }
  return [path, ...dropins];
}

/**
 * Reads the K3s config file and its drop-ins the way K3s does, merges them (later files win,
 * `key+` appends), and validates the result against the K3s flag table.
 *
 * @example
 * ```ts
 * const { config, warnings, files } = await loadK3sConfig({ role: "server" });
 * if (config.selinux) console.log("SELinux on; read", files);
 * ```
 * @throws K3sConfigError `K3S_CONFIG_READ`, `K3S_CONFIG_URL_UNSUPPORTED`, `K3S_CONFIG_YAML`
 *   (naming the file, line and column), `K3S_CONFIG_NOT_MAPPING`, `K3S_CONFIG_TYPE` /
 *   `K3S_CONFIG_VALUE` (naming the file and key). Rejects with `signal.reason` when aborted.
 */
export async function loadK3sConfig(options?: LoadK3sConfigOptions): Promise<LoadedK3sConfig> {
  const o = checkOptions<LoadK3sConfigOptions>(
    options,
    { path: is.nonEmptyString, env: is.record, role: roleCheck, signal: is.signal },
    configFail,
    "loadK3sConfig",
  );
  const { role, signal } = o;
  const fromEnv = o.env !== undefined && Object.hasOwn(o.env, "K3S_CONFIG_FILE") ? o.env.K3S_CONFIG_FILE : undefined;
  if (fromEnv !== undefined && typeof fromEnv !== "string") throw configFail('loadK3sConfig: env.K3S_CONFIG_FILE must be a string', { option: "env" });
  const path = o.path ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : K3S_CONFIG_PATH);
  if (path.includes("\0")) throw configFail("loadK3sConfig: env.K3S_CONFIG_FILE must not contain NUL", { option: "env" });
  const files = await filesOf(path, signal);
  const docs: K3sConfigDocument[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    let text: string;
    try {
      text = await readFile(file, { encoding: "utf8", signal });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw signal?.reason ?? err;
      throw readError(file, err);
    }
    docs.push(parseYaml(text, file));
  }
  const merged = mergeDocs(docs);
  const checked = validateChecked(merged.values, role, merged.sources);
  return {
    files,
    config: checked.config,
    unknown: checked.unknown,
    values: merged.values,
    sources: merged.sources,
    warnings: [...merged.warnings, ...checked.warnings],
  };
}

/** Options for {@link writeK3sConfig}. */
export interface WriteK3sConfigOptions extends RenderK3sConfigOptions {
  /** File mode. Default `0o600`: the file usually holds the cluster token. */
  mode?: number;
  signal?: AbortSignal;
}

/**
 * Renders `config` with {@link renderK3sConfig} and writes it atomically (temp file + rename).
 *
 * @example
 * ```ts
 * await writeK3sConfig("/etc/rancher/k3s/config.yaml.d/50-selinux.yaml", { selinux: true });
 * ```
 * @throws K3sConfigError from {@link renderK3sConfig} (nothing is written then); KitError
 *   `WRITE_FAILED` when the file cannot be written.
 */
export async function writeK3sConfig(
  path: string,
  config: K3sConfig,
  options?: WriteK3sConfigOptions,
): Promise<void> {
  checkArg(path, is.absolutePath, "path", configFail, "writeK3sConfig");
  checkValues(config, "writeK3sConfig");
  const { mode = 0o600, signal, ...render } = checkRenderOptions(options, "writeK3sConfig", {
    mode: is.integer(0, 0o7777),
    signal: is.signal,
  }) as WriteK3sConfigOptions;
  const text = renderChecked(config, render);
  await removeStaleTemps(dirname(path));
  await writeFileAtomic(path, text, { mode, signal });
}
