import { DEFAULT_DATA_DIR, k3sLayout } from "../layout/index.js";
import { posix } from "node:path";
import { stringify } from "yaml";
import { checkOptions, is, isPlainRecord } from "../internal/options.js";
import { unsafeRelative } from "../internal/paths.js";
import { CloudInitError } from "./errors.js";

const fail = (message: string, value: unknown) =>
  new CloudInitError("CLOUD_INIT_INVALID", message, { value });
const seedFileCheck = (f: unknown) =>
  !isPlainRecord(f)
    ? "must be a { path, content, mode? } file"
    : typeof f.path !== "string" || f.path.length > 4096
      ? "must have a path string"
      : typeof f.content !== "string" || f.content.length > 16 << 20
        ? "must have a content string"
        : f.mode !== undefined &&
            !(Number.isInteger(f.mode) && (f.mode as number) >= 0 && (f.mode as number) <= 0o7777)
          ? "must have a mode from 0 to 0o7777"
          : undefined;

import type { SeedFile } from "../certs/index.js";
import { renderK3sConfig } from "../k3s-config/index.js";
import type { K3sConfig } from "../k3s-config/index.js";

export type { SeedFile };

export interface CloudInitForServerOptions {
  /** PKI files to seed under `<dataDir>/server/tls` (CAs at least; K3s creates the leaves itself). */
  pki: SeedFile[];
  /** The cluster token: written to `config.yaml` (`token:`), never to an event. */
  token: string;
  /**
   * K3s server config for `/etc/rancher/k3s/config.yaml` (e.g. `{ "tls-san": ["k3s.example"] }`): typed
   * by K3s's flag table, validated, and rendered so that K3s's YAML 1.1 reader sees the same values.
   */
  config?: K3sConfig;
  /** K3s data dir on the target. Default `/var/lib/rancher/k3s`. */
  dataDir?: string;
  /** Commands to run after the files are written (e.g. the K3s install script). */
  runcmd?: string[];
}

/**
 * Renders cloud-init user-data (`#cloud-config`) whose `write_files` seed a K3s server with a
 * pre-generated PKI and token before K3s first starts. K3s keeps existing CAs and signs its leaves
 * with them, so every server seeded this way trusts the same cluster CA.
 *
 * @throws CloudInitError `CLOUD_INIT_INVALID` for a path escaping the TLS dir or an empty token;
 * `K3S_CONFIG_*` (NodeConfigError) for a config key or value K3s would refuse.
 * @example
 * ```ts
 * const userData = cloudInitForServer({ pki: caFiles, token, config: { "cluster-init": true } });
 * ```
 */
export function cloudInitForServer(options: CloudInitForServerOptions): string {
  const o = checkOptions<CloudInitForServerOptions>(
    options ?? {},
    {
      pki: is.arrayOf(seedFileCheck),
      // Never echoed: checkOptions redacts secret-looking keys.
      token: is.any,
      config: is.any,
      dataDir: is.absolutePath,
      runcmd: is.arrayOf((v) =>
        typeof v === "string" && v.length <= 1 << 20 ? undefined : "must be a string",
      ),
    },
    fail,
    "cloudInitForServer",
  );
  const { pki, token, config = {}, dataDir = DEFAULT_DATA_DIR, runcmd } = o;
  if (pki === undefined) throw fail('cloudInitForServer: option "pki" is required', { option: "pki" });
  if (typeof token !== "string" || token.length === 0 || /\s/.test(token) || token.length > 4096) {
    throw new CloudInitError("CLOUD_INIT_INVALID", "token must be a non-empty string without whitespace", {
      value: "token",
    });
  }
  const tlsDir = k3sLayout(dataDir).server.tlsDir;
  const files = pki.map((f) => {
    const why = unsafeRelative(f.path);
    const target = posix.normalize(posix.join(tlsDir, f.path));
    if (why !== undefined || !target.startsWith(`${tlsDir}/`)) {
      const shown = f.path.slice(0, 200);
      throw new CloudInitError("CLOUD_INIT_INVALID", `PKI path escapes ${tlsDir}: ${shown}`, {
        value: shown,
      });
    }
    const mode = f.mode ?? (f.path.endsWith(".key") ? 0o600 : 0o644);
    return { path: target, content: f.content, owner: "root:root", permissions: `0${mode.toString(8)}` };
  });
  const k3sConfig: K3sConfig = { ...config, token };
  if (dataDir !== DEFAULT_DATA_DIR) k3sConfig["data-dir"] = dataDir;
  const content = renderK3sConfig(k3sConfig, { role: "server" });
  files.push({ path: "/etc/rancher/k3s/config.yaml", content, owner: "root:root", permissions: "0600" });
  const doc: Record<string, unknown> = { write_files: files };
  if (runcmd?.length) doc.runcmd = runcmd;
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}
