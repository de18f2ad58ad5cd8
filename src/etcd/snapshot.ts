/**
 * Snapshot of an etcd member's backend streamed to a file (Maintenance/Snapshot), with etcd's
 * sha256 trailer verified and an atomic rename: the file I/O behind `EtcdClient.snapshot`.
 */
import { createHash, randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EtcdError, GrpcStatus, toEtcdError } from "./errors.js";
import { EMPTY_REQUEST, decodeSnapshotResponse } from "./gen/rpc.js";
import { callListener } from "./events.js";
import type { Transport } from "./transport.js";
import { TEMP_PREFIX, removeStaleTemps } from "../internal/atomic-write.js";

const MAINT = "/etcdserverpb.Maintenance/";

/** Options of {@link EtcdClient.snapshot}. */
export interface SnapshotOptions {
  signal?: AbortSignal;
  /**
   * Deadline of the whole snapshot, ms. Default: the client's `callDeadline` for
   * `/etcdserverpb.Maintenance/Snapshot` (stream), 300 000 ms with the default factory.
   */
  deadlineMs?: number;
  /** Called with the bytes received so far after each chunk is written. */
  onProgress?: (bytes: number) => void;
}

/** Result of {@link EtcdClient.snapshot}. */
export interface SnapshotResult {
  /** Bytes written (the database plus etcd's 32-byte sha256 trailer). */
  size: number;
  /** Hex sha256 of the database part, verified against etcd's trailer. */
  sha256: string;
}

/**
 * Streams a snapshot into `path`; see `EtcdClient.snapshot`.
 * @internal
 */
export async function saveSnapshot(
  transport: Transport,
  path: string,
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const method = `${MAINT}Snapshot`;
  const deadlineMs = options.deadlineMs ?? transport.defaultDeadline(method, true);
  if (!(typeof deadlineMs === "number" && deadlineMs > 0))
    throw new EtcdError("ETCD_INVALID_ARGUMENT", `snapshot deadlineMs must be > 0, got ${deadlineMs}`, {
      value: deadlineMs,
    });
  options.signal?.throwIfAborted();
  // One controller ends the stream on the caller's abort or on the deadline.
  const stop = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    stop.abort();
  }, deadlineMs);
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await snapshotInto(transport, path, stop.signal, options.onProgress);
  } catch (err) {
    options.signal?.throwIfAborted();
    if (expired)
      throw new EtcdError("ETCD_DEADLINE_EXCEEDED", `${method}: deadline of ${deadlineMs} ms exceeded`, {
        value: method,
        cause: err,
        grpcCode: GrpcStatus.DEADLINE_EXCEEDED,
        transient: true,
      });
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

async function snapshotInto(
  transport: Transport,
  path: string,
  signal: AbortSignal,
  onProgress: ((bytes: number) => void) | undefined,
): Promise<SnapshotResult> {
  const options = { signal, onProgress };
  // What a killed earlier run left in the target directory goes first (never a live process's file).
  await removeStaleTemps(dirname(path));
  // The SDK's temp-file pattern (src/internal/atomic-write.ts), so a killed run's leftover is
  // recognised and removed by removeStaleTemps; created 0600 (a snapshot holds every secret in etcd).
  const tmp = join(dirname(path), `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(tmp, "wx", 0o600);
  } catch (err) {
    throw ioError(path, err);
  }
  const hash = createHash("sha256");
  let tail = Buffer.alloc(0);
  let size = 0;
  let ok = false;
  try {
    const { stream } = transport.serverStream(`${MAINT}Snapshot`, EMPTY_REQUEST, options.signal);
    await new Promise<void>((resolve, reject) => {
      let writing = Promise.resolve();
      stream.on("data", (buf: Buffer) => {
        const { blob } = decodeSnapshotResponse(buf);
        if (blob.length === 0) return;
        // Keep the last 32 bytes out of the hash until we know they are the trailer.
        const joined = Buffer.concat([tail, blob]);
        const cut = Math.max(0, joined.length - 32);
        hash.update(joined.subarray(0, cut));
        tail = Buffer.from(joined.subarray(cut));
        size += blob.length;
        const chunk = Buffer.from(blob);
        stream.pause();
        writing = writing.then(async () => {
          try {
            await fh.write(chunk);
          } catch (err) {
            throw ioError(path, err);
          }
          // A throwing or rejecting onProgress is dropped (the SDK's listener rule): the snapshot goes on.
          callListener(options.onProgress, size);
          stream.resume();
        });
        writing.catch((e) => {
          stream.cancel();
          reject(e);
        });
      });
      stream.on("error", (e) => reject(e));
      stream.on("end", () => writing.then(() => resolve(), reject));
    });
    if (tail.length !== 32)
      throw new EtcdError("ETCD_SNAPSHOT_FAILED", `snapshot stream too short (${size} bytes)`, {
        value: size,
      });
    const digest = hash.digest();
    if (!digest.equals(tail)) {
      throw new EtcdError("ETCD_SNAPSHOT_CHECKSUM", "snapshot sha256 trailer does not match the data", {
        value: tail.toString("hex"),
      });
    }
    try {
      await fh.sync();
      await fh.close();
      await rename(tmp, path);
    } catch (err) {
      throw ioError(path, err);
    }
    ok = true;
    return { size, sha256: digest.toString("hex") };
  } catch (err) {
    options.signal?.throwIfAborted();
    throw err instanceof EtcdError ? err : toEtcdError(err, `${MAINT}Snapshot`);
  } finally {
    if (!ok) {
      await fh.close().catch(() => {});
      await rm(tmp, { force: true }).catch(() => {});
    }
  }
}

/** A file error while writing the snapshot: ETCD_SNAPSHOT_FAILED naming the target path, Node's error as cause. */
function ioError(path: string, err: unknown): EtcdError {
  return new EtcdError("ETCD_SNAPSHOT_FAILED", `cannot write snapshot ${path}: ${(err as Error)?.message ?? String(err)}`, {
    value: path,
    cause: err,
  });
}
