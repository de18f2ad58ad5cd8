/**
 * Kubeconfig files as K3s writes them for its client certificates (`cred/*.kubeconfig`, §1.2).
 */
import { dirname } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "../internal/atomic-write.js";
import { type Check, is } from "../internal/options.js";
import { CertError } from "./errors.js";
import { arg, options as opts } from "./options.js";

export interface KubeconfigOptions {
  /** API server URL. Default `https://127.0.0.1:6443`. */
  server?: string;
  /** CA file path (`certificate-authority`) or PEM (`certificate-authority-data`). One is required. */
  caFile?: string;
  caPem?: string;
  /** Client certificate and key, as file paths or PEM. */
  certFile?: string;
  keyFile?: string;
  certPem?: string;
  keyPem?: string;
}

const q = (s: string): string => JSON.stringify(s); // JSON strings are valid YAML scalars
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/**
 * Renders a kubeconfig (cluster `local`, context `Default`, user `user`), the shape K3s writes.
 *
 * @example
 * ```ts
 * renderKubeconfig({ caFile: "/var/lib/rancher/k3s/server/tls/server-ca.crt", certFile: "client-admin.crt", keyFile: "client-admin.key" });
 * ```
 * @throws CertError `CERT_OPTION_INVALID` when the CA or the client credentials are missing
 */
export function renderKubeconfig(options: KubeconfigOptions): string {
  return render(opts<KubeconfigOptions>(options, KUBECONFIG_SPEC, "renderKubeconfig"));
}

const KUBECONFIG_SPEC: { readonly [K in keyof KubeconfigOptions]-?: Check } = {
  server: is.nonEmptyString,
  caFile: is.nonEmptyString,
  caPem: is.text,
  certFile: is.nonEmptyString,
  keyFile: is.nonEmptyString,
  certPem: is.text,
  keyPem: is.text,
};

/** {@link renderKubeconfig} on checked options. @internal */
export function render(options: KubeconfigOptions): string {
  const server = options.server ?? "https://127.0.0.1:6443";
  if (!/^https:\/\/[^\s"]+$/.test(server) || server.length > 2048)
    throw new CertError("CERT_OPTION_INVALID", "server must be an https:// URL", { value: server.length > 200 ? `${server.slice(0, 200)}…` : server });
  const ca =
    options.caFile !== undefined
      ? `certificate-authority: ${q(options.caFile)}`
      : options.caPem !== undefined
        ? `certificate-authority-data: ${b64(options.caPem)}`
        : undefined;
  if (!ca) throw new CertError("CERT_OPTION_INVALID", "caFile or caPem is required", { value: "ca" });
  const cert =
    options.certFile !== undefined
      ? `client-certificate: ${q(options.certFile)}`
      : options.certPem !== undefined
        ? `client-certificate-data: ${b64(options.certPem)}`
        : undefined;
  const key =
    options.keyFile !== undefined
      ? `client-key: ${q(options.keyFile)}`
      : options.keyPem !== undefined
        ? `client-key-data: ${b64(options.keyPem)}`
        : undefined;
  if (!cert || !key)
    throw new CertError("CERT_OPTION_INVALID", "a client certificate and key are required", {
      value: "client",
    });
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    server: ${q(server)}`,
    `    ${ca}`,
    "  name: local",
    "contexts:",
    "- context:",
    "    cluster: local",
    "    namespace: default",
    "    user: user",
    "  name: Default",
    "current-context: Default",
    "kind: Config",
    "preferences: {}",
    "users:",
    "- name: user",
    "  user:",
    `    ${cert}`,
    `    ${key}`,
    "",
  ].join("\n");
}

/**
 * Writes a kubeconfig atomically with mode 0600 (it may embed a key).
 *
 * @example
 * ```ts
 * await writeKubeconfig("/tmp/admin.kubeconfig", { caFile, certFile, keyFile });
 * ```
 * @throws CertError `CERT_OPTION_INVALID`; KitError `WRITE_FAILED`
 */
export async function writeKubeconfig(
  path: string,
  options: KubeconfigOptions & { signal?: AbortSignal },
): Promise<void> {
  const what = "writeKubeconfig";
  const file = arg<string>(path, is.absolutePath, "path", what);
  const { signal, ...o } = opts<KubeconfigOptions & { signal?: AbortSignal }>(options, { ...KUBECONFIG_SPEC, signal: is.signal }, what);
  const text = render(o);
  await removeStaleTemps(dirname(file));
  await writeFileAtomic(file, text, { mode: 0o600, dirMode: 0o700, ...(signal ? { signal } : {}) });
}
