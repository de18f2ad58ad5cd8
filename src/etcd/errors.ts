import { ETCD_CODES, defineErrorClass, type EtcdErrorCode } from "../errors/index.js";

/**
 * gRPC status codes (numbers from the gRPC spec), kept here so mapping an error does not need
 * @grpc/grpc-js loaded.
 * @internal
 */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export interface EtcdErrorOptions {
  value?: unknown;
  cause?: unknown;
  /** gRPC status code, when the error came from a call. */
  grpcCode?: number;
  /** gRPC status details (etcd's message). */
  details?: string;
  /** True when the same call may succeed later (no leader, unavailable, too many requests). */
  transient?: boolean;
  /** Which endpoint answered, when known. */
  endpoint?: string;
}

/**
 * Error thrown by the etcd client and the embedded etcd helpers. Keeps the gRPC `grpcCode` and
 * `details`, and says whether the failure is `transient`. Retrying also needs the operation to be
 * idempotent: the client does that itself for reads; writes are never re-sent once they may have
 * reached the server.
 *
 * @example
 * ```ts
 * try { await client.put("k", "v"); } catch (e) { if (isKitError(e, "ETCD_NO_LEADER")) ... }
 * ```
 */
export class EtcdError extends defineErrorClass("EtcdError", ETCD_CODES) {
  readonly grpcCode: number | undefined;
  readonly details: string | undefined;
  readonly transient: boolean;
  readonly endpoint: string | undefined;
  constructor(code: EtcdErrorCode, message: string, options: EtcdErrorOptions = {}) {
    super(code, message, { value: options.value, cause: options.cause });
    this.grpcCode = options.grpcCode;
    this.details = options.details;
    this.transient = options.transient ?? false;
    this.endpoint = options.endpoint;
  }
}

/**
 * A watcher's start revision (or its resume point) has been compacted away; the watcher is closed.
 * Restart from `compactRevision` after re-reading the current state.
 *
 * @example
 * ```ts
 * watch({ key: "a", startRevision: 1, onError: (e) => { if (isKitError(e, "ETCD_WATCH_COMPACTED")) resync(e.compactRevision); } });
 * ```
 */
export class WatchCompactedError extends EtcdError {
  readonly compactRevision: number;
  constructor(compactRevision: number, requested: number) {
    super(
      "ETCD_WATCH_COMPACTED",
      `watch start revision ${requested} has been compacted (compact revision ${compactRevision})`,
      {
        value: requested,
        grpcCode: GrpcStatus.OUT_OF_RANGE,
      },
    );
    this.compactRevision = compactRevision;
  }
}
Object.defineProperty(WatchCompactedError.prototype, "name", {
  value: "WatchCompactedError",
  writable: true,
  configurable: true,
});

/** etcd's error messages (server side `rpctypes`) and the code we give each. @internal */
const MESSAGE_TABLE: readonly (readonly [string, EtcdErrorCode, boolean])[] = [
  ["required revision has been compacted", "ETCD_COMPACTED", false],
  ["required revision is a future revision", "ETCD_FUTURE_REVISION", false],
  ["requested lease not found", "ETCD_LEASE_NOT_FOUND", false],
  ["lease already exists", "ETCD_LEASE_EXISTS", false],
  ["lease ttl is too large", "ETCD_LEASE_TTL_TOO_LARGE", false],
  ["no leader", "ETCD_NO_LEADER", true],
  ["leader changed", "ETCD_LEADER_CHANGED", true],
  ["request timed out", "ETCD_SERVER_TIMEOUT", true],
  ["too many requests", "ETCD_TOO_MANY_REQUESTS", true],
  ["database space exceeded", "ETCD_NO_SPACE", false],
  ["request is too large", "ETCD_REQUEST_TOO_LARGE", false],
  ["too many operations in txn request", "ETCD_TXN_TOO_MANY_OPS", false],
  ["duplicate key given in txn request", "ETCD_TXN_DUPLICATE_KEY", false],
  ["key not found", "ETCD_KEY_NOT_FOUND", false],
  ["member not found", "ETCD_MEMBER_NOT_FOUND", false],
  ["member ID already exist", "ETCD_MEMBER_EXISTS", false],
  ["peerURL exists", "ETCD_PEER_URL_EXISTS", false],
  ["can only promote a learner member", "ETCD_MEMBER_NOT_LEARNER", false],
  ["learner member which is in sync", "ETCD_LEARNER_NOT_READY", true],
  ["too many learner members", "ETCD_TOO_MANY_LEARNERS", false],
  ["not capable", "ETCD_UNSUPPORTED", false],
  ["unhealthy cluster", "ETCD_UNHEALTHY_CLUSTER", true],
  ["not enough started members", "ETCD_UNHEALTHY_CLUSTER", true],
  ["authentication failed", "ETCD_AUTH_FAILED", false],
  ["invalid auth token", "ETCD_INVALID_TOKEN", false],
  ["permission denied", "ETCD_PERMISSION_DENIED", false],
  ["user name already exists", "ETCD_USER_EXISTS", false],
  ["user name not found", "ETCD_USER_NOT_FOUND", false],
  ["role name already exists", "ETCD_ROLE_EXISTS", false],
  ["role name not found", "ETCD_ROLE_NOT_FOUND", false],
  ["root user does not exist", "ETCD_ROOT_USER_MISSING", false],
  ["root user does not have root role", "ETCD_ROOT_ROLE_MISSING", false],
  ["authentication is not enabled", "ETCD_AUTH_NOT_ENABLED", false],
  ["user name is empty", "ETCD_INVALID_ARGUMENT", false],
];

/** Fallback by gRPC code when the message is not one we know. @internal */
const CODE_TABLE: Record<number, readonly [EtcdErrorCode, boolean]> = {
  [GrpcStatus.CANCELLED]: ["ETCD_CANCELLED", false],
  [GrpcStatus.UNKNOWN]: ["ETCD_UNKNOWN", false],
  [GrpcStatus.INVALID_ARGUMENT]: ["ETCD_INVALID_ARGUMENT", false],
  [GrpcStatus.DEADLINE_EXCEEDED]: ["ETCD_DEADLINE_EXCEEDED", true],
  [GrpcStatus.NOT_FOUND]: ["ETCD_NOT_FOUND", false],
  [GrpcStatus.ALREADY_EXISTS]: ["ETCD_ALREADY_EXISTS", false],
  [GrpcStatus.PERMISSION_DENIED]: ["ETCD_PERMISSION_DENIED", false],
  [GrpcStatus.RESOURCE_EXHAUSTED]: ["ETCD_RESOURCE_EXHAUSTED", true],
  [GrpcStatus.FAILED_PRECONDITION]: ["ETCD_FAILED_PRECONDITION", false],
  [GrpcStatus.ABORTED]: ["ETCD_ABORTED", false],
  [GrpcStatus.OUT_OF_RANGE]: ["ETCD_OUT_OF_RANGE", false],
  [GrpcStatus.UNIMPLEMENTED]: ["ETCD_UNSUPPORTED", false],
  [GrpcStatus.INTERNAL]: ["ETCD_INTERNAL", false],
  [GrpcStatus.UNAVAILABLE]: ["ETCD_UNAVAILABLE", true],
  [GrpcStatus.DATA_LOSS]: ["ETCD_DATA_LOSS", false],
  [GrpcStatus.UNAUTHENTICATED]: ["ETCD_UNAUTHENTICATED", false],
};

/**
 * Maps a gRPC status (code + details) to our error code and transience. Pure.
 * @internal
 */
export function classifyGrpc(grpcCode: number, details: string): { code: EtcdErrorCode; transient: boolean } {
  for (const [needle, code, transient] of MESSAGE_TABLE) {
    if (details.includes(needle)) return { code, transient };
  }
  const hit = CODE_TABLE[grpcCode];
  return hit ? { code: hit[0], transient: hit[1] } : { code: "ETCD_UNKNOWN", transient: false };
}

/** Turns a grpc-js ServiceError (or anything thrown) into an EtcdError. @internal */
export function toEtcdError(err: unknown, method: string, endpoint?: string): EtcdError {
  if (err instanceof EtcdError) return err;
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  if (typeof e === "object" && e !== null && typeof e.code === "number") {
    const details = typeof e.details === "string" ? e.details : String(e.message ?? "");
    const { code, transient } = classifyGrpc(e.code, details);
    return new EtcdError(code, `${method}: ${details || `gRPC status ${e.code}`}`, {
      value: method,
      cause: err,
      grpcCode: e.code,
      details,
      transient,
      endpoint,
    });
  }
  return new EtcdError("ETCD_UNKNOWN", `${method}: ${String((err as Error)?.message ?? err)}`, {
    value: method,
    cause: err,
    endpoint,
  });
}
