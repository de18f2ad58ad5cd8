import { readFile } from "node:fs/promises";
import { EtcdError } from "./errors.js";

/** Reads a cert or key file; a missing or unreadable one is `ETCD_CERTS_MISSING` naming it. @internal */
export async function readCertFile(path: string, signal?: AbortSignal): Promise<Buffer> {
  try {
    return await readFile(path, { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new EtcdError("ETCD_CERTS_MISSING", `cannot read ${path}: ${(err as Error).message}`, { value: path, cause: err });
  }
}
