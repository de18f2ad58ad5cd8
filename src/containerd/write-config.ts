import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../internal/atomic-write.js";
import { type EventListener, type KitEventBase, emit } from "../internal/events.js";
import { goJoin } from "../internal/go/filepath.js";
import { checkOptions, is } from "../internal/options.js";
import { ContainerdError } from "./errors.js";
import { arg, configVersion, nodeConfigOf } from "./check.js";
import { renderConfig } from "./render.js";
import type { ConfigVersion, ContainerdConfig, ContainerdPaths } from "./types.js";

/** Progress events of {@link writeContainerdConfig}. Never carry config text (it holds registry passwords). */
export type ContainerdEvent = ContainerdTemplateEvent | ContainerdWrittenEvent;

/** The template chosen (a path or `"built-in"`) and the config version. */
export interface ContainerdTemplateEvent extends KitEventBase {
  type: "containerd.template";
  template: string;
  version: ConfigVersion;
}

/** The config file was written. */
export interface ContainerdWrittenEvent extends KitEventBase {
  type: "containerd.written";
  path: string;
  bytes: number;
}

/** Options of {@link writeContainerdConfig}. */
export interface WriteContainerdConfigOptions {
  /** Where user templates are looked for (K3s: `<dd>/agent/etc/containerd`). */
  templateDir: string;
  /** The config file to write (K3s: `<dd>/agent/etc/containerd/config.toml`). */
  configPath: string;
  /** The template dot, usually from `containerdConfigFor()`. */
  config: ContainerdConfig;
  /**
   * Config version of the built-in template when no user template exists. Default 3 (K3s's default,
   * containerd 2.x); use `configVersionForContainerd(await exec("containerd --version"))` for an
   * installed containerd 1.x, which reads only version 2.
   */
  defaultVersion?: ConfigVersion;
  signal?: AbortSignal;
  onEvent?: EventListener<ContainerdEvent>;
}

/** What {@link writeContainerdConfig} used and wrote. */
export interface WriteContainerdConfigResult {
  /** Path of the user template used, or `"built-in"`. */
  template: string;
  /** Config version rendered (containerd 1.x needs `-a/--state/--root` args for version 2). */
  version: ConfigVersion;
  /** The file written. */
  configPath: string;
}

/** K3s's search order (k3s-behaviours §6.2): the first file that exists wins. */
const GENERATIONS: readonly { file: string; version: ConfigVersion }[] = [
  { file: "config-v3.toml.tmpl", version: 3 },
  { file: "config.toml.tmpl", version: 2 },
];

/**
 * Writes containerd's config like K3s's `writeContainerdConfig` (k3s-behaviours §6.2): uses
 * `<templateDir>/config-v3.toml.tmpl` (version 3), else `config.toml.tmpl` (version 2), else the
 * built-in version 3 template; renders, checks the TOML, and writes atomically (0644). On any
 * error nothing is written and the old file stays.
 *
 * @example
 * ```ts
 * const { template, version } = await writeContainerdConfig({
 *   templateDir: "/var/lib/rancher/k3s/agent/etc/containerd",
 *   configPath: "/var/lib/rancher/k3s/agent/etc/containerd/config.toml",
 *   config: containerdConfigFor({}),
 * });
 * ```
 * @throws CONTAINERD_TEMPLATE_READ when a template exists but cannot be read.
 * @throws CONTAINERD_TEMPLATE_PARSE / CONTAINERD_TEMPLATE_EXEC / CONTAINERD_TOML_INVALID from rendering.
 * @throws WRITE_FAILED when the file cannot be written; AbortError when `signal` aborts.
 */
export async function writeContainerdConfig(
  options: WriteContainerdConfigOptions,
): Promise<WriteContainerdConfigResult> {
  const checked = checkOptions<WriteContainerdConfigOptions>(
    options,
    {
      templateDir: is.absolutePath,
      configPath: is.absolutePath,
      config: is.record,
      defaultVersion: is.oneOf(2, 3),
      signal: is.signal,
      onEvent: is.function,
    },
    optionError,
    "writeContainerdConfig",
  );
  // Written paths are absolute: a relative one would land wherever the host process happens to run.
  const { templateDir, configPath, config, signal, onEvent, defaultVersion = 3 } = checked;
  if (templateDir === undefined || configPath === undefined || config === undefined)
    throw optionError("writeContainerdConfig: templateDir, configPath and config are required", {
      option: templateDir === undefined ? "templateDir" : configPath === undefined ? "configPath" : "config",
    });
  signal?.throwIfAborted();
  let chosen: { path: string; text: string; version: ConfigVersion } | undefined;
  for (const g of GENERATIONS) {
    const path = goJoin(templateDir, g.file);
    try {
      chosen = { path, text: await readFile(path, { encoding: "utf8", signal }), version: g.version };
      break;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === "ENOENT") continue;
      if (e.name === "AbortError") throw err;
      throw new ContainerdError(
        "CONTAINERD_TEMPLATE_READ",
        `cannot read containerd template ${path}: ${e.message}`,
        { value: path, cause: err },
      );
    }
  }
  const version: ConfigVersion = chosen?.version ?? defaultVersion;
  const template = chosen?.path ?? "built-in";
  emit<ContainerdTemplateEvent>(onEvent, { type: "containerd.template", template, version });
  const text = chosen
    ? renderConfig(config, { version, userTemplate: chosen.text, userTemplateName: chosen.path })
    : renderConfig(config, { version });
  await writeFileAtomic(configPath, text, { mode: 0o644, dirMode: 0o755, signal });
  emit<ContainerdWrittenEvent>(onEvent, {
    type: "containerd.written",
    path: configPath,
    bytes: Buffer.byteLength(text),
  });
  return { template, version, configPath };
}

/**
 * containerd's command line as K3s builds it (`getContainerdArgs`): `-c <config>`, plus
 * `-a <address> --state <state> --root <root>` for config versions below 3.
 *
 * @example
 * ```ts
 * containerdArgs(cfg, 2); // ["-c", ".../config.toml", "-a", ".../containerd.sock", "--state", ..., "--root", ...]
 * ```
 * @throws CONTAINERD_OPTION_INVALID when `config` is not a config object (fields it leaves out are Go
 *   zero values) or `version` is not 2 or 3.
 */
export function containerdArgs(config: ContainerdConfig, version: ConfigVersion): string[] {
  const node = nodeConfigOf(config, "containerdArgs");
  arg(version, configVersion, "version", "containerdArgs");
  return containerdArgsOf(node.Containerd, version);
}

/** {@link containerdArgs} on Go-typed containerd paths. */
export function containerdArgsOf(c: ContainerdPaths, version: ConfigVersion): string[] {
  const args = ["-c", c.Config];
  if (version < 3) args.push("-a", c.Address, "--state", c.State, "--root", c.Root);
  return args;
}

const optionError = (message: string, value: unknown) =>
  new ContainerdError("CONTAINERD_OPTION_INVALID", message, { value });
