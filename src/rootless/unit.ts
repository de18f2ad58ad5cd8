import { checkOptions, describe, is } from "../internal/options.js";
import { RootlessError } from "./errors.js";
import { rootlessFail } from "./options.js";

export interface RootlessUserUnitOptions {
  /** Path of the k3s binary. Default `/usr/local/bin/k3s`. */
  binary?: string;
  /** Arguments after `server --rootless`. Default `["--snapshotter=fuse-overlayfs"]`. */
  args?: readonly string[];
  /** Extra `Environment=` entries, e.g. `{ K3S_ROOTLESS_PORT_DRIVER: "slirp4netns" }` (the page's advice). */
  environment?: Readonly<Record<string, string>>;
}

/** Where the page says to install the unit (relative to the user's home). */
export const ROOTLESS_USER_UNIT_PATH = ".config/systemd/user/k3s-rootless.service";

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Renders the `k3s-rootless.service` **user** unit shipped in the K3s repository (k3s-behaviours §10;
 * page "Starting Rootless Servers"): `Delegate=yes` for cgroup v2 delegation, `Type=simple`,
 * `KillMode=mixed`, `Restart=always`, unlimited `LimitNOFILE`/`LimitNPROC`/`LimitCORE`/`TasksMax`,
 * `WantedBy=default.target`. Install it to `~/.config/systemd/user/` (never system-wide), then
 * `systemctl --user daemon-reload && systemctl --user enable --now k3s-rootless`.
 *
 * @example
 * ```ts
 * await writeFile(join(homedir(), ROOTLESS_USER_UNIT_PATH),
 *   rootlessUserUnit({ environment: { K3S_ROOTLESS_DISABLE_HOST_LOOPBACK: "true" } }));
 * ```
 * @throws {RootlessError} `ROOTLESS_OPTION_INVALID` for a relative binary path, a bad environment
 *   name, or a value/argument with a newline.
 */
export function rootlessUserUnit(options?: RootlessUserUnitOptions): string {
  const o = checkOptions<RootlessUserUnitOptions>(
    options,
    { binary: is.absolutePath, args: is.stringArray, environment: is.stringRecord },
    rootlessFail,
    "rootlessUserUnit",
  );
  const binary = o.binary ?? "/usr/local/bin/k3s";
  // checkOptions made it an absolute string; ExecStart= also needs it free of spaces and quotes.
  if (/[\s"\\]/.test(binary)) {
    throw new RootlessError(
      "ROOTLESS_OPTION_INVALID",
      "binary must be an absolute path without spaces or quotes",
      { value: binary },
    );
  }
  const args = o.args ?? ["--snapshotter=fuse-overlayfs"];
  for (const a of args) {
    if (/[\n\r]/.test(a))
      throw new RootlessError("ROOTLESS_OPTION_INVALID", "arguments must be single-line strings", {
        value: a,
      });
  }
  const envLines: string[] = [];
  for (const [k, v] of Object.entries(o.environment ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      throw new RootlessError("ROOTLESS_OPTION_INVALID", `invalid environment name ${describe(k)}`, {
        value: k,
      });
    if (typeof v !== "string" || /[\n\r]/.test(v))
      throw new RootlessError(
        "ROOTLESS_OPTION_INVALID",
        `environment value of ${k} must be a single-line string`,
        { value: k },
      );
    envLines.push(`Environment="${`${k}=${v}`.replace(/["\\]/g, (c) => `\\${c}`).replace(/%/g, "%%")}"`);
  }
  return [
    "# k3s (rootless): install as ~/.config/systemd/user/k3s-rootless.service (user unit only).",
    "# Then: systemctl --user daemon-reload && systemctl --user enable --now k3s-rootless",
    "# Logs: journalctl --user -f -u k3s-rootless",
    "",
    "[Unit]",
    "Description=k3s (Rootless)",
    "",
    "[Service]",
    "Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ...envLines,
    `ExecStart=${[binary, "server", "--rootless", ...args.map((a) => quoteArg(a).replace(/%/g, "%%").replace(/\$/g, "$$$$"))].join(" ")}`,
    "ExecReload=/bin/kill -s HUP $MAINPID",
    "TimeoutSec=0",
    "RestartSec=2",
    "Restart=always",
    "StartLimitBurst=3",
    "StartLimitInterval=60s",
    "LimitNOFILE=infinity",
    "LimitNPROC=infinity",
    "LimitCORE=infinity",
    "TasksMax=infinity",
    "Delegate=yes",
    "Type=simple",
    "KillMode=mixed",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}
