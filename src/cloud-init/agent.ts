import { DEFAULT_DATA_DIR } from "../layout/index.js";
import { posix } from "node:path";
import { stringify } from "yaml";
import { CloudInitError } from "./errors.js";
import { checkOptions, is } from "../internal/options.js";

import { renderK3sConfig } from "../k3s-config/index.js";
import type { K3sConfig } from "../k3s-config/index.js";

export interface CloudInitForAgentOptions {
  /** The server (or load balancer) agents register with: `https://<host>:6443`. */
  serverUrl: string;
  /** The cluster token (`K10<ca-hash>::server:<password>` or an agent token): written to `config.yaml`. */
  token: string;
  /** K3s agent config for `/etc/rancher/k3s/config.yaml` (e.g. `{ "node-label": ["tier=web"] }`), validated for `k3s agent`. */
  config?: K3sConfig;
  /** K3s data dir on the target. Default `/var/lib/rancher/k3s`. */
  dataDir?: string;
  /** Commands to run after the file is written (e.g. the K3s install script with `INSTALL_K3S_EXEC=agent`). */
  runcmd?: string[];
}

/** Same rule as K3s's agent: the server URL must be `https://host[:port]`. */
function checkServerUrl(serverUrl: string): void {
  let url: URL | undefined;
  try {
    url = new URL(serverUrl);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "https:" || url.hostname === "" || url.username !== "" || url.password !== "") {
    const shown = serverUrl.length > 200 ? `${serverUrl.slice(0, 200)}…` : serverUrl;
    throw new CloudInitError("CLOUD_INIT_INVALID", `serverUrl must be an https:// URL: ${shown}`, {
      value: shown,
    });
  }
}

/**
 * Renders cloud-init user-data (`#cloud-config`) that joins a K3s agent to a cluster: one
 * `write_files` entry, `/etc/rancher/k3s/config.yaml` (0600) with `server:` and `token:` (and your
 * agent config), then your `runcmd`. The agent checks the server's CA against the hash in a
 * `K10…` token before it trusts it.
 *
 * @throws CloudInitError `CLOUD_INIT_INVALID` for a non-https server URL, an empty token or a relative
 * data dir; `K3S_CONFIG_*` (NodeConfigError) for a key `k3s agent` does not take or a bad value.
 * @example
 * ```ts
 * const userData = cloudInitForAgent({ serverUrl: "https://10.0.0.10:6443", token: seed.token });
 * ```
 */
export function cloudInitForAgent(options: CloudInitForAgentOptions): string {
  const o = checkOptions<CloudInitForAgentOptions>(
    options,
    {
      serverUrl: is.string,
      token: is.string,
      config: is.record,
      dataDir: is.string,
      runcmd: is.arrayOf(is.either(is.string, is.stringArray)),
    },
    (message, value) => new CloudInitError("CLOUD_INIT_INVALID", message, { value }),
    "cloudInitForAgent",
  );
  const { serverUrl = "", token, config = {}, dataDir = DEFAULT_DATA_DIR, runcmd } = o;
  checkServerUrl(serverUrl);
  if (typeof token !== "string" || token.length === 0 || /\s/.test(token)) {
    throw new CloudInitError("CLOUD_INIT_INVALID", "token must be a non-empty string without whitespace", {
      value: "token",
    });
  }
  if (!posix.isAbsolute(dataDir))
    throw new CloudInitError("CLOUD_INIT_INVALID", `dataDir must be absolute: ${dataDir}`, {
      value: dataDir,
    });
  const k3sConfig: K3sConfig = { ...config, server: serverUrl, token };
  if (dataDir !== DEFAULT_DATA_DIR) k3sConfig["data-dir"] = dataDir;
  const content = renderK3sConfig(k3sConfig, { role: "agent" });
  const doc: Record<string, unknown> = {
    write_files: [{ path: "/etc/rancher/k3s/config.yaml", content, owner: "root:root", permissions: "0600" }],
  };
  if (runcmd?.length) doc.runcmd = runcmd;
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}
