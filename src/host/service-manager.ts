import { lookPath, splitPath } from "../internal/go/exec.js";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { checkArg, checkOptions, is } from "../internal/options.js";
import { HostError } from "./errors.js";
import { clip, hostFail } from "./options.js";

export type ServiceManager = "openrc" | "systemd";

/** What install.sh's `verify_system` looks at. */
export interface ServiceManagerProbe {
  /** `/sbin/openrc-run` is executable. */
  openrcRun: boolean;
  /** `/bin/systemctl` is executable. */
  binSystemctl: boolean;
  /** `systemctl` is found on `PATH`. */
  systemctlOnPath: boolean;
}

/**
 * install.sh's choice (k3s-behaviours §12): OpenRC first whenever `/sbin/openrc-run` is executable,
 * even on a systemd host; else systemd.
 *
 * @example
 * ```ts
 * chooseServiceManager({ openrcRun: true, binSystemctl: true, systemctlOnPath: true }); // "openrc"
 * ```
 * @throws {HostError} `SERVICE_MANAGER_NOT_FOUND` with install.sh's text.
 */
export function chooseServiceManager(probe: ServiceManagerProbe): ServiceManager {
  checkArg(probe, is.record, "probe", hostFail, "chooseServiceManager");
  return choose(
    checkOptions<ServiceManagerProbe>(
      probe,
      { openrcRun: is.boolean, binSystemctl: is.boolean, systemctlOnPath: is.boolean },
      hostFail,
      "chooseServiceManager",
    ),
  );
}

function choose(probe: Partial<ServiceManagerProbe>): ServiceManager {
  if (probe.openrcRun) return "openrc";
  if (probe.binSystemctl || probe.systemctlOnPath) return "systemd";
  throw new HostError(
    "SERVICE_MANAGER_NOT_FOUND",
    "Can not find systemd or openrc to use as a process supervisor for k3s",
    {
      value: probe,
    },
  );
}

export interface DetectServiceManagerOptions {
  /** Prefix for the probed paths (tests, or a mounted host root). Default `/`. */
  root?: string;
  /** `PATH` to search for `systemctl`. Default `process.env.PATH`. */
  path?: string;
  signal?: AbortSignal;
}

async function executable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Probes this host like install.sh and returns `openrc` or `systemd`.
 *
 * @example
 * ```ts
 * const manager = await detectServiceManager();
 * ```
 * @throws {HostError} `SERVICE_MANAGER_NOT_FOUND`. Aborting rejects with `signal.reason`.
 */
export async function detectServiceManager(
  options?: DetectServiceManagerOptions,
): Promise<ServiceManager> {
  const o = checkOptions<DetectServiceManagerOptions>(
    options,
    { root: is.absolutePath, path: is.text, signal: is.signal },
    hostFail,
    "detectServiceManager",
  );
  const root = o.root ?? "/";
  o.signal?.throwIfAborted();
  const openrcRun = await executable(join(root, "/sbin/openrc-run"));
  const binSystemctl = await executable(join(root, "/bin/systemctl"));
  const dirs = splitPath(o.path ?? process.env.PATH ?? "").filter((d) => d !== "");
  const systemctlOnPath = (await lookPath("systemctl", dirs, { root })) !== undefined;
  o.signal?.throwIfAborted();
  return choose({ openrcRun, binSystemctl, systemctlOnPath });
}

export interface ServiceCommandInput {
  /** The words install.sh ends up with: `INSTALL_K3S_EXEC` then the script's arguments. */
  words: readonly string[];
  /** `K3S_URL`, `K3S_TOKEN`, `K3S_TOKEN_FILE` as set for the install. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * install.sh's `setup_env` command choice: when the first word is a flag or missing, `server`, or
 * `agent` when `K3S_URL` is set (which then needs `K3S_TOKEN` or `K3S_TOKEN_FILE`); otherwise the first
 * word is the command. `K3S_URL` must start with `https://`.
 *
 * @example
 * ```ts
 * serviceCommand({ words: ["--disable=traefik"], env: {} }); // { command: "server", args: ["--disable=traefik"] }
 * ```
 * @throws {HostError} `INSTALL_TOKEN_MISSING`, `INSTALL_K3S_URL_INVALID` (install.sh's texts).
 */
export function serviceCommand(input: ServiceCommandInput): { command: string; args: string[] } {
  const words = [...(input?.words ?? [])];
  const env = input?.env ?? {};
  const url = env.K3S_URL ?? "";
  let command: string;
  const first = words[0];
  if (first === undefined || first === "" || first.startsWith("-")) {
    if (url === "") command = "server";
    else {
      if (!env.K3S_TOKEN && !env.K3S_TOKEN_FILE) {
        throw new HostError(
          "INSTALL_TOKEN_MISSING",
          "Defaulted k3s exec command to 'agent' because K3S_URL is defined, but K3S_TOKEN or K3S_TOKEN_FILE is not defined.",
        );
      }
      command = "agent";
    }
    // An empty first word is consumed by neither branch in install.sh; it stays an argument.
  } else {
    command = first;
    words.shift();
  }
  if (url !== "" && !url.startsWith("https://")) {
    throw new HostError(
      "INSTALL_K3S_URL_INVALID",
      `Only https:// URLs are supported for K3S_URL (have ${url})`,
      { value: url },
    );
  }
  return { command, args: words };
}

/**
 * The service name install.sh uses: `k3s-<INSTALL_K3S_NAME>` when given, else `k3s` for `server` and
 * `k3s-<command>` otherwise.
 *
 * @example
 * ```ts
 * serviceName({ command: "agent" }); // "k3s-agent"
 * ```
 * @throws {HostError} `SERVICE_NAME_INVALID` for names with ``[]!#$%&()*;<=>?\_`{|}/`` or whitespace
 *   (install.sh's rule; note that `_` is refused).
 */
export function serviceName(input: { command: string; name?: string }): string {
  input = checkOptions<{ command: string; name?: string }>(input ?? {}, { command: is.text, name: is.text }, hostFail, "serviceName");
  if (input.command === undefined) throw hostFail('serviceName: option "command" is required', { option: "command" });
  const name = input.name ? `k3s-${input.name}` : input.command === "server" ? "k3s" : `k3s-${input.command}`;
  assertServiceName(name);
  return name;
}

function assertServiceName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "" || /[\][!#$%&()*;<=>?\\_`{|}/\s]/.test(name)) {
    throw new HostError("SERVICE_NAME_INVALID", `Invalid characters for system name: ${clip(name)}`, {
      value: clip(name),
    });
  }
}

/** Where a service's files and logs are. */
export interface ServiceLayout {
  manager: ServiceManager;
  name: string;
  /** systemd unit or OpenRC init script. */
  serviceFile: string;
  /** Environment file (0600) the install script writes. */
  envFile: string;
  /** OpenRC only: logrotate config. */
  logrotateFile?: string;
  /** Log locations: a file (OpenRC) or journald (systemd; also syslog when journald forwards). */
  logs: { file?: string; journalctl?: string; syslog?: string };
}

/**
 * File and log locations for a K3s service (k3s-behaviours §12; page "Starting the Service with the
 * Installation Script"): systemd `<dir>/<name>.service` and `<name>.service.env`
 * (dir `INSTALL_K3S_SYSTEMD_DIR`, default `/etc/systemd/system`), logs in journald
 * (`journalctl -u <name>`) and `/var/log/syslog` when forwarded; OpenRC `/etc/init.d/<name>`,
 * `/etc/rancher/k3s/<name>.env`, `/etc/logrotate.d/<name>`, log `/var/log/<name>.log`.
 *
 * @example
 * ```ts
 * serviceLayout("openrc", "k3s-agent").logs.file; // "/var/log/k3s-agent.log"
 * ```
 * @throws {HostError} `SERVICE_NAME_INVALID`, `NODE_OPTION_INVALID`.
 */
export function serviceLayout(
  manager: ServiceManager,
  name: string,
  options?: { systemdDir?: string },
): ServiceLayout {
  const o = checkOptions<{ systemdDir?: string }>(options, { systemdDir: is.absolutePath }, hostFail, "serviceLayout");
  return layoutOf(manager, name, o.systemdDir);
}

function layoutOf(manager: unknown, name: unknown, systemdDir: string | undefined): ServiceLayout {
  assertServiceName(name);
  if (manager === "systemd") {
    const dir = systemdDir || "/etc/systemd/system";
    return {
      manager,
      name,
      serviceFile: `${dir}/${name}.service`,
      envFile: `${dir}/${name}.service.env`,
      logs: { journalctl: `journalctl -u ${name}`, syslog: "/var/log/syslog" },
    };
  }
  if (manager === "openrc") {
    return {
      manager,
      name,
      serviceFile: `/etc/init.d/${name}`,
      envFile: `/etc/rancher/k3s/${name}.env`,
      logrotateFile: `/etc/logrotate.d/${name}`,
      logs: { file: `/var/log/${name}.log` },
    };
  }
  throw new HostError("NODE_OPTION_INVALID", `unknown service manager ${clip(manager)}`, {
    value: clip(manager),
  });
}

/** install.sh's `quote`: single quotes, `'` written as `'\''`. */
function shQuote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** install.sh's `CMD_K3S_EXEC`: the command, then one quoted argument per continued line. */
function execLines(command: string, args: readonly string[]): string {
  return [`${command} \\`, ...args.map((a) => `\t${shQuote(a)} \\`)].join("\n");
}

export interface ServiceUnitOptions {
  name: string;
  command: string;
  args?: readonly string[];
  /** Where the binary is. Default `/usr/local/bin` (`/opt/bin` when that is read-only and exists). */
  binDir?: string;
  /** systemd `Type=` (`INSTALL_K3S_TYPE`). Default `notify`. */
  type?: string;
  /** Env file path. Default from {@link serviceLayout}. */
  envFile?: string;
  /** systemd dir for the default env file path. */
  systemdDir?: string;
}

function checkUnitInput(options: ServiceUnitOptions, what: string): ServiceUnitOptions {
  const o = checkOptions<ServiceUnitOptions>(
    options ?? {},
    {
      name: is.any,
      command: is.text,
      args: is.stringArray,
      binDir: is.absolutePath,
      type: is.text,
      envFile: is.absolutePath,
      systemdDir: is.absolutePath,
    },
    hostFail,
    what,
  );
  if (o.command === undefined) throw hostFail(`${what}: option "command" is required`, { option: "command" });
  assertServiceName(o.name);
  for (const v of [o.command, o.binDir ?? "", o.type ?? "", o.envFile ?? "", ...(o.args ?? [])]) {
    if (typeof v !== "string")
      throw new HostError("NODE_OPTION_INVALID", "unit options must be strings", { value: v });
  }
  if (/[\s'"\\$`]/.test(o.command) || o.command === "") {
    throw new HostError("NODE_OPTION_INVALID", "command must be one plain word", { value: o.command });
  }
  return o;
}

/**
 * The systemd unit install.sh writes (k3s-behaviours §12): `Type=notify`, the three
 * `EnvironmentFile=-` lines (`/etc/default/%N`, `/etc/sysconfig/%N`, the env file), `KillMode=process`,
 * `Delegate=yes`, `LimitNOFILE=1048576`, `Restart=always`, `RestartSec=5s`, the two `modprobe`
 * pre-steps, and `ExecStart` with one quoted argument per continued line. Same text as install.sh.
 *
 * @example
 * ```ts
 * renderSystemdUnit({ name: "k3s", command: "server", args: ["--disable=traefik"] });
 * ```
 * @throws {HostError} `SERVICE_NAME_INVALID`, `NODE_OPTION_INVALID`.
 */
export function renderSystemdUnit(input: ServiceUnitOptions): string {
  const options = checkUnitInput(input, "renderSystemdUnit");
  const binDir = options.binDir ?? "/usr/local/bin";
  const envFile =
    options.envFile ?? layoutOf("systemd", options.name, options.systemdDir).envFile;
  return `[Unit]
Description=Lightweight Kubernetes
Documentation=https://k3s.io
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=${options.type || "notify"}
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/sysconfig/%N
EnvironmentFile=-${envFile}
KillMode=process
Delegate=yes
User=root
# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${binDir}/k3s \\
    ${execLines(options.command, options.args ?? [])}

`;
}

/**
 * The OpenRC init script install.sh writes: `supervisor=supervise-daemon`, output to
 * `/var/log/<name>.log`, `respawn_delay=5`, and `/etc/environment` plus the env file sourced with
 * `allexport`. Also returns the logrotate file for that log.
 *
 * @example
 * ```ts
 * const { script, logrotate } = renderOpenrcService({ name: "k3s-agent", command: "agent" });
 * ```
 * @throws {HostError} `SERVICE_NAME_INVALID`, `NODE_OPTION_INVALID`.
 */
export function renderOpenrcService(input: ServiceUnitOptions): { script: string; logrotate: string } {
  const options = checkUnitInput(input, "renderOpenrcService");
  const binDir = options.binDir ?? "/usr/local/bin";
  const layout = layoutOf("openrc", options.name, undefined);
  const envFile = options.envFile ?? layout.envFile;
  const log = layout.logs.file as string;
  const script = `#!/sbin/openrc-run

depend() {
    after network-online
    want cgroups
}

start_pre() {
    rm -f /tmp/k3s.*
}

supervisor=supervise-daemon
name=${options.name}
command="${binDir}/k3s"
command_args="${execLines(options.command, options.args ?? []).replace(/"/g, '\\"')}
    >>${log} 2>&1"

output_log=${log}
error_log=${log}

pidfile="/var/run/${options.name}.pid"
respawn_delay=5
respawn_max=0

set -o allexport
if [ -f /etc/environment ]; then . /etc/environment; fi
if [ -f ${envFile} ]; then . ${envFile}; fi
set +o allexport
`;
  const logrotate = `${log} {\n\tmissingok\n\tnotifempty\n\tcopytruncate\n}\n`;
  return { script, logrotate };
}
