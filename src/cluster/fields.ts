import { is } from "../internal/options.js";
import { options as checkedOptions } from "./options.js";

/**
 * The fields of K3s's `ControlRuntimeBootstrap` (pkg/daemons/config/types.go) and the file each one names
 * under `<dataDir>/server` (pkg/daemons/control/deps/deps.go). Pure data.
 */

/** A field of K3s's bootstrap data, in the struct's declaration order. */
export type BootstrapField =
  | "ETCDServerCA"
  | "ETCDServerCAKey"
  | "ETCDPeerCA"
  | "ETCDPeerCAKey"
  | "ServerCA"
  | "ServerCAKey"
  | "ClientCA"
  | "ClientCAKey"
  | "ServiceKey"
  | "PasswdFile"
  | "RequestHeaderCA"
  | "RequestHeaderCAKey"
  | "IPSECKey"
  | "EncryptionConfig"
  | "EncryptionHash";

/**
 * Each field's path relative to `<dataDir>/server`. `EncryptionConfig` and `EncryptionHash` are only set
 * when K3s runs with `--secrets-encryption`; otherwise their path is empty and K3s skips them both when
 * it reads the files and when it writes them.
 */
export const BOOTSTRAP_FIELD_PATHS: Readonly<Record<BootstrapField, string>> = {
  ETCDServerCA: "tls/etcd/server-ca.crt",
  ETCDServerCAKey: "tls/etcd/server-ca.key",
  ETCDPeerCA: "tls/etcd/peer-ca.crt",
  ETCDPeerCAKey: "tls/etcd/peer-ca.key",
  ServerCA: "tls/server-ca.crt",
  ServerCAKey: "tls/server-ca.key",
  ClientCA: "tls/client-ca.crt",
  ClientCAKey: "tls/client-ca.key",
  ServiceKey: "tls/service.key",
  PasswdFile: "cred/passwd",
  RequestHeaderCA: "tls/request-header-ca.crt",
  RequestHeaderCAKey: "tls/request-header-ca.key",
  IPSECKey: "cred/ipsec.psk",
  EncryptionConfig: "cred/encryption-config.json",
  EncryptionHash: "cred/encryption-state.json",
};

/** Every field, in `ControlRuntimeBootstrap` order. */
export const BOOTSTRAP_FIELDS: readonly BootstrapField[] = Object.keys(
  BOOTSTRAP_FIELD_PATHS,
) as BootstrapField[];

const SECRETS_ENCRYPTION_FIELDS: ReadonlySet<string> = new Set(["EncryptionConfig", "EncryptionHash"]);

/**
 * The fields K3s carries for a server: all of them with `secretsEncryption`, else all but the two
 * encryption files. Pure.
 *
 * @example
 * ```ts
 * bootstrapFields({ secretsEncryption: false }).length; // 13
 * ```
 * @throws ClusterError `CLUSTER_OPTION_INVALID`
 */
export function bootstrapFields(options: { secretsEncryption?: boolean } = {}): BootstrapField[] {
  const o = checkedOptions<{ secretsEncryption?: boolean }>(options, { secretsEncryption: is.boolean }, "bootstrapFields");
  return fieldsFor(o.secretsEncryption === true);
}

/** {@link bootstrapFields} for a checked flag. @internal */
export function fieldsFor(secretsEncryption: boolean): BootstrapField[] {
  return BOOTSTRAP_FIELDS.filter((f) => secretsEncryption || !SECRETS_ENCRYPTION_FIELDS.has(f));
}

/** The directories K3s's `certDirsExist` checks (relative to `<dataDir>/server`). */
export const CERT_DIRS: readonly string[] = ["cred", "tls", "tls/etcd"];
