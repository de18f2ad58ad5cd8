/**
 * The install script's view of a node: the `INSTALL_K3S_*` environment variables for
 * `curl -sfL https://get.k3s.io | <vars> sh -`, built from typed options.
 *
 * Facts from k3s `install.sh` (main @ af977adf, k3s-behaviours.md §12):
 * - boolean switches take effect only when the value is exactly `true`;
 * - `INSTALL_K3S_SKIP_ENABLE=true` returns before enabling *and* before starting, so it implies
 *   skip-start;
 * - the release is chosen as PR, then COMMIT, then VERSION, then CHANNEL (default `stable`).
 *   VERSION and CHANNEL are not exclusive: with both, VERSION picks the binary and CHANNEL still
 *   picks the k3s-selinux RPM repository (`*testing`, `*latest`, else stable);
 * - `INSTALL_K3S_EXEC` is backslash-escaped for every character of ``[]!#$%&()*;<=>?\_`{|}``
 *   (quotes, `/` and spaces are not), expanded unquoted (field splitting) and then `eval`ed, so
 *   quoting works only for words without those characters, tabs, newlines or repeated spaces;
 * - `INSTALL_K3S_NAME` becomes `k3s-<name>`; names with ``[]!#$%&()*;<=>?\_`{|}/`` or whitespace
 *   are fatal;
 * - `INSTALL_K3S_SKIP_DOWNLOAD` takes `true`, `binary` or `selinux`; `INSTALL_K3S_SYMLINK` takes
 *   `skip` or `force`.
 */
import type { HostErrorCode } from "../errors/index.js";
import { HostError } from "./errors.js";
import { isK3sVersion } from "./docker.js";

/** Options for {@link installScriptEnv}. */
export interface InstallScriptOptions {
  /** `INSTALL_K3S_VERSION`, e.g. `v1.31.4+k3s1`. */
  version?: string;
  /** `INSTALL_K3S_CHANNEL`: `stable` (the script's default), `latest`, `testing`, or a minor line such as `v1.31`. */
  channel?: string;
  /** `INSTALL_K3S_SKIP_START=true`: install and enable, do not start. */
  skipStart?: boolean;
  /** `INSTALL_K3S_SKIP_ENABLE=true`: neither enable nor start. */
  skipEnable?: boolean;
  /** `INSTALL_K3S_SKIP_SELINUX_RPM=true`: do not install the k3s-selinux RPM. */
  skipSelinuxRpm?: boolean;
  /** `INSTALL_K3S_SELINUX_WARN=true`: warn instead of failing when the SELinux policy is missing. */
  selinuxWarn?: boolean;
  /** `INSTALL_K3S_SKIP_DOWNLOAD`: `true` (nothing), `"binary"` or `"selinux"`. */
  skipDownload?: boolean | "binary" | "selinux";
  /** `INSTALL_K3S_FORCE_RESTART=true`: restart even when nothing changed. */
  forceRestart?: boolean;
  /** `INSTALL_K3S_SYMLINK`: `skip` or `force` (default: link only missing commands). */
  symlink?: "skip" | "force";
  /** `INSTALL_K3S_BIN_DIR` (default `/usr/local/bin`). */
  binDir?: string;
  /** `INSTALL_K3S_SYSTEMD_DIR` (default `/etc/systemd/system`). */
  systemdDir?: string;
  /** `INSTALL_K3S_NAME`: the service becomes `k3s-<name>`. */
  name?: string;
  /** `INSTALL_K3S_TYPE`: systemd service `Type=` (default `notify`). */
  type?: "notify" | "exec" | "simple";
  /**
   * `INSTALL_K3S_EXEC`: the command (`server`, `agent`; default chosen by the script: `agent`
   * when `K3S_URL` is set) and its flags. Tokens do not belong here (they would land in the
   * world-readable unit file): use `K3S_TOKEN`, which the script stores in the 0600 env file.
   */
  exec?: { command?: string; args?: readonly string[] };
}

const KEYS = new Set([
  "version",
  "channel",
  "skipStart",
  "skipEnable",
  "skipSelinuxRpm",
  "selinuxWarn",
  "skipDownload",
  "forceRestart",
  "symlink",
  "binDir",
  "systemdDir",
  "name",
  "type",
  "exec",
]);

// Characters install.sh backslash-escapes in INSTALL_K3S_EXEC before eval.
const EXEC_ESCAPED = /[[\]!#$%&()*;<=>?\\_`{|}]/;
// Characters that make install.sh reject a service name.
const NAME_INVALID = /[[\]!#$%&()*;<=>?\\_`{|}/\s]/;

function fail(code: HostErrorCode, message: string, value: unknown): never {
  throw new HostError(code, message, { value });
}

function bool(options: InstallScriptOptions, key: keyof InstallScriptOptions): boolean {
  const v = options[key];
  if (v === undefined) return false;
  if (typeof v !== "boolean") fail("INSTALL_OPTION_INVALID", `${key} must be a boolean`, key);
  return v;
}

function absPath(key: string, v: unknown): string {
  if (typeof v !== "string" || !v.startsWith("/") || /[\s"'`$\\]/.test(v)) {
    fail(
      "INSTALL_OPTION_INVALID",
      `${key} must be an absolute path without spaces, quotes, $ or backslashes`,
      v,
    );
  }
  return v;
}

/**
 * Renders one word of `INSTALL_K3S_EXEC` so that install.sh's escape-then-eval gives it back.
 * @internal
 */
export function execWord(arg: string): string {
  if (arg !== "" && !/[\s'"]/.test(arg)) return arg;
  // The escaped text is expanded unquoted before eval, so whitespace runs inside quotes collapse
  // to one space: only single spaces survive.
  if (!arg.includes("'") && !EXEC_ESCAPED.test(arg) && !/[^\S ]| {2}/.test(arg)) return `'${arg}'`;
  return fail(
    "INSTALL_EXEC_ARG_UNREPRESENTABLE",
    `INSTALL_K3S_EXEC cannot carry "${arg}": install.sh escapes ${"[]!#$%&()*;<=>?\\_`{|}"} and word-splits before eval, so a quoted word keeps those backslashes and loses tabs and repeated spaces; put this flag in config.yaml instead`,
    arg,
  );
}

/**
 * The `INSTALL_K3S_*` variables for the given options, keys sorted. Booleans that are off are
 * left out (install.sh acts only on the exact value `true`).
 *
 * @example
 * ```ts
 * installScriptEnv({ skipStart: true, skipEnable: true });
 * // { INSTALL_K3S_SKIP_ENABLE: "true", INSTALL_K3S_SKIP_START: "true" }
 * installScriptEnv({ version: "v1.31.4+k3s1", exec: { command: "server", args: ["--disable=traefik"] } });
 * // { INSTALL_K3S_EXEC: "server --disable=traefik", INSTALL_K3S_VERSION: "v1.31.4+k3s1" }
 * ```
 * @throws HostError `INSTALL_OPTION_INVALID`, `INSTALL_OPTION_INVALID`,
 *   `INSTALL_VERSION_INVALID`, `INSTALL_CHANNEL_INVALID`, `INSTALL_NAME_INVALID`,
 *   `INSTALL_EXEC_ARG_UNREPRESENTABLE`, `INSTALL_EXEC_TOKEN`.
 */
export function installScriptEnv(options: InstallScriptOptions = {}): Record<string, string> {
  if (options === null || typeof options !== "object")
    fail("INSTALL_OPTION_INVALID", "options must be an object", options);
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) fail("INSTALL_OPTION_INVALID", `unknown installScriptEnv option "${key}"`, key);
  }
  const env: Record<string, string> = {};
  const { version, channel, skipDownload, symlink, name, type, exec } = options;
  if (version !== undefined) {
    if (!isK3sVersion(version) || (version as string).includes("-k3s")) {
      fail(
        "INSTALL_VERSION_INVALID",
        `version "${String(version)}" is not a K3s release such as v1.31.4+k3s1${
          version === "latest" || version === "stable" || version === "testing"
            ? " (that is a channel: use channel)"
            : ""
        }`,
        version,
      );
    }
    env.INSTALL_K3S_VERSION = version;
  }
  if (channel !== undefined) {
    if (typeof channel !== "string" || !/^[a-z0-9][a-z0-9.+-]*$/i.test(channel)) {
      fail("INSTALL_CHANNEL_INVALID", `channel "${String(channel)}" is not a channel name`, channel);
    }
    env.INSTALL_K3S_CHANNEL = channel;
  }
  if (bool(options, "skipStart")) env.INSTALL_K3S_SKIP_START = "true";
  if (bool(options, "skipEnable")) env.INSTALL_K3S_SKIP_ENABLE = "true";
  if (bool(options, "skipSelinuxRpm")) env.INSTALL_K3S_SKIP_SELINUX_RPM = "true";
  if (bool(options, "selinuxWarn")) env.INSTALL_K3S_SELINUX_WARN = "true";
  if (bool(options, "forceRestart")) env.INSTALL_K3S_FORCE_RESTART = "true";
  if (skipDownload !== undefined && skipDownload !== false) {
    if (skipDownload !== true && skipDownload !== "binary" && skipDownload !== "selinux") {
      fail("INSTALL_OPTION_INVALID", `skipDownload must be true, "binary" or "selinux"`, skipDownload);
    }
    env.INSTALL_K3S_SKIP_DOWNLOAD = String(skipDownload);
  }
  if (symlink !== undefined) {
    if (symlink !== "skip" && symlink !== "force")
      fail("INSTALL_OPTION_INVALID", `symlink must be "skip" or "force"`, symlink);
    env.INSTALL_K3S_SYMLINK = symlink;
  }
  if (options.binDir !== undefined) env.INSTALL_K3S_BIN_DIR = absPath("binDir", options.binDir);
  if (options.systemdDir !== undefined)
    env.INSTALL_K3S_SYSTEMD_DIR = absPath("systemdDir", options.systemdDir);
  if (name !== undefined) {
    if (typeof name !== "string" || name === "" || NAME_INVALID.test(name)) {
      fail(
        "INSTALL_NAME_INVALID",
        `service name "k3s-${String(name)}" contains characters install.sh refuses`,
        name,
      );
    }
    env.INSTALL_K3S_NAME = name;
  }
  if (type !== undefined) {
    if (!["notify", "exec", "simple"].includes(type))
      fail("INSTALL_OPTION_INVALID", `type must be notify, exec or simple`, type);
    env.INSTALL_K3S_TYPE = type;
  }
  if (exec !== undefined) {
    if (exec === null || typeof exec !== "object")
      fail("INSTALL_OPTION_INVALID", "exec must be { command?, args? }", "exec");
    const words: string[] = [];
    if (exec.command !== undefined) {
      if (typeof exec.command !== "string" || !/^[a-z][a-z0-9-]*$/.test(exec.command)) {
        fail(
          "INSTALL_OPTION_INVALID",
          `exec.command "${String(exec.command)}" is not a k3s command`,
          exec.command,
        );
      }
      words.push(exec.command);
    }
    const args = exec.args ?? [];
    if (!Array.isArray(args))
      fail("INSTALL_OPTION_INVALID", "exec.args must be a list of strings", "exec.args");
    for (const a of args) {
      if (typeof a !== "string" || /[\n\r\0]/.test(a)) {
        fail("INSTALL_OPTION_INVALID", "exec.args items must be single-line strings", "exec.args");
      }
      if (/^--?(token|t|agent-token|datastore-endpoint|vpn-auth)(=|$)/.test(a)) {
        fail(
          "INSTALL_EXEC_TOKEN",
          "secrets in INSTALL_K3S_EXEC end up in the world-readable service file; set K3S_TOKEN (or a token file) instead",
          a.split("=")[0],
        );
      }
      words.push(execWord(a));
    }
    if (words.length > 0) env.INSTALL_K3S_EXEC = words.join(" ");
  }
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) sorted[k] = env[k] as string;
  return sorted;
}

function shellValue(v: string): string {
  return /^[\w@%+=:,./-]*$/.test(v) && v !== "" ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * The page's one-liner with the variables of {@link installScriptEnv}:
 * `curl -sfL https://get.k3s.io | INSTALL_K3S_SKIP_START=true sh -`.
 *
 * @example
 * ```ts
 * installScriptCommand({ skipStart: true, skipEnable: true });
 * // "curl -sfL https://get.k3s.io | INSTALL_K3S_SKIP_ENABLE=true INSTALL_K3S_SKIP_START=true sh -"
 * ```
 * @throws the errors of {@link installScriptEnv}.
 */
export function installScriptCommand(options: InstallScriptOptions = {}): string {
  const env = installScriptEnv(options);
  const vars = Object.entries(env).map(([k, v]) => `${k}=${shellValue(v)}`);
  return ["curl -sfL https://get.k3s.io |", ...vars, "sh -"].join(" ");
}
