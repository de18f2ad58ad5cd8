/** The shape of K3s bootstrap data as the SDK hands it around. Types only. */

/** One file of the bootstrap data: its modification time as stored (RFC 3339) and its bytes. */
export interface BootstrapFile {
  /** RFC 3339 text as K3s wrote it (its `os.Stat` ModTime); `GO_ZERO_TIME` for migrated old data. */
  timestamp: string;
  content: Buffer;
}

/**
 * Bootstrap data: field name (`ServerCA`, `ETCDPeerCAKey`, …) → file. Unknown fields are kept as K3s keeps them.
 * Objects the SDK returns have a null prototype, so a field named `__proto__` is plain data.
 */
export type BootstrapData = Record<string, BootstrapFile>;

/** Which plaintext layout a value held: `files` (map of {Timestamp, Content}) or `legacy` (map of bytes). */
export type BootstrapFormat = "files" | "legacy";
