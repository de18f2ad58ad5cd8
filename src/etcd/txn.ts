import { EtcdError } from "./errors.js";
import type {
  Compare,
  CompareResult,
  CompareTarget,
  RangeRequest,
  RequestOp,
  TxnRequest,
  TxnResponse,
} from "./gen/rpc.js";
import { type Bytes, type KeySelector, selectRange, toBytes } from "./keys.js";
import * as v from "./validate.js";

/** Comparison operators accepted by {@link TxnBuilder.compare}. */
export type CompareOp = "==" | "!=" | ">" | "<";
const OPS: Record<CompareOp, CompareResult> = {
  "==": "equal",
  "!=": "not-equal",
  ">": "greater",
  "<": "less",
};

/** Options of a range read (also used inside transactions). */
export interface RangeOptions extends KeySelector {
  /** Most keys to return; 0 = no limit. */
  limit?: number;
  /** Read at this revision (must not be compacted). */
  revision?: number;
  sort?: { target?: "key" | "version" | "create" | "mod" | "value"; order?: "ascend" | "descend" };
  keysOnly?: boolean;
  countOnly?: boolean;
  /** Serve from the local member without consensus (may be stale). */
  serializable?: boolean;
}

/** Turns {@link RangeOptions} into a RangeRequest. Pure. @internal */
export function rangeRequest(o: RangeOptions): RangeRequest {
  const { key, rangeEnd } = selectRange(o);
  const req: RangeRequest = { key };
  if (rangeEnd) req.rangeEnd = rangeEnd;
  if (o.limit !== undefined) req.limit = int("limit", o.limit);
  if (o.revision !== undefined) req.revision = int("revision", o.revision);
  if (o.sort) {
    req.sortOrder = o.sort.order ?? "ascend";
    req.sortTarget = o.sort.target ?? "key";
  }
  if (o.keysOnly) req.keysOnly = true;
  if (o.countOnly) req.countOnly = true;
  if (o.serializable) req.serializable = true;
  return req;
}

function int(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new EtcdError("ETCD_INVALID_ARGUMENT", `${name} must be a non-negative integer, got ${String(v)}`, {
      value: v,
    });
  }
  return v;
}

/** Builders for the operations inside a transaction. */
export const op = {
  /** A read inside a transaction. */
  get(keyOrOptions: Bytes | RangeOptions): RequestOp {
    if (typeof keyOrOptions !== "string" && !(keyOrOptions instanceof Uint8Array)) keyOrOptions = v.checkRange<RangeOptions>(keyOrOptions, "op.get", false);
    const o =
      typeof keyOrOptions === "object" && !(keyOrOptions instanceof Uint8Array)
        ? keyOrOptions
        : { key: keyOrOptions };
    return { range: rangeRequest(o) };
  },
  /** A write inside a transaction. */
  put(key: Bytes, value: Bytes, options: { lease?: bigint; prevKv?: boolean } = {}): RequestOp {
    ({ key, value, options } = v.checkOpPut(key, value, options, "op.put"));
    const put: RequestOp = { put: { key: toBytes(key), value: toBytes(value, "value") } };
    if (options.lease) put.put.lease = options.lease;
    if (options.prevKv) put.put.prevKv = true;
    return put;
  },
  /** A delete inside a transaction. */
  delete(keyOrSelector: Bytes | (KeySelector & { prevKv?: boolean })): RequestOp {
    keyOrSelector = v.checkKeyOrSelector(keyOrSelector, "op.delete");
    const s =
      typeof keyOrSelector === "object" && !(keyOrSelector instanceof Uint8Array)
        ? keyOrSelector
        : { key: keyOrSelector };
    const { key, rangeEnd } = selectRange(s);
    const del: RequestOp = { deleteRange: { key } };
    if (rangeEnd) del.deleteRange.rangeEnd = rangeEnd;
    if ("prevKv" in s && s.prevKv) del.deleteRange.prevKv = true;
    return del;
  },
  /** A nested transaction (etcd ≥ 3.3). */
  txn(request: TxnRequest): RequestOp {
    return { txn: v.checkTxnRequest(request, "op.txn") };
  },
};

/**
 * Builds an etcd transaction: comparisons (all must hold), the operations when they hold, the
 * operations when they do not, then an explicit {@link TxnBuilder.exec}. Never thenable: awaiting
 * the builder itself does nothing. A transaction is never retried once sent (it may have applied).
 *
 * @example
 * ```ts
 * const res = await client.txn()
 *   .compare("config", "mod", "==", rev)
 *   .onSuccess(op.put("config", next))
 *   .onFailure(op.get("config"))
 *   .exec();
 * ```
 */
export class TxnBuilder {
  private readonly compares: Compare[] = [];
  private readonly success: RequestOp[] = [];
  private readonly failure: RequestOp[] = [];
  private done = false;

  constructor(
    private readonly run: (
      req: TxnRequest,
      options: { signal?: AbortSignal; deadlineMs?: number },
    ) => Promise<TxnResponse>,
  ) {
    v.checkTxnRun(run);
  }

  /**
   * Adds a comparison. `target` "value" takes bytes/text; "version", "create", "mod" take a
   * number; "lease" takes a lease ID (bigint).
   */
  compare(key: Bytes, target: CompareTarget, operator: CompareOp, operand: number | bigint | Bytes): this {
    this.guard();
    v.checkCompare(key, target, operator, operand, "txn().compare");
    const result = OPS[operator];
    if (!result)
      throw new EtcdError("ETCD_INVALID_ARGUMENT", `unknown compare operator ${String(operator)}`, {
        value: operator,
      });
    const c: Compare = { key: toBytes(key), target, result };
    if (target === "value") {
      if (typeof operand === "number" || typeof operand === "bigint") {
        throw new EtcdError("ETCD_INVALID_ARGUMENT", "a value comparison needs a string or bytes", {
          value: operand,
        });
      }
      c.value = toBytes(operand, "value");
    } else if (target === "lease") {
      if (typeof operand !== "bigint")
        throw new EtcdError("ETCD_INVALID_ARGUMENT", "a lease comparison needs a bigint lease ID", {
          value: operand,
        });
      c.lease = operand;
    } else if (target === "version" || target === "create" || target === "mod") {
      if (typeof operand !== "number" || !Number.isSafeInteger(operand)) {
        throw new EtcdError("ETCD_INVALID_ARGUMENT", `a ${target} comparison needs an integer`, {
          value: operand,
        });
      }
      c.number = operand;
    } else {
      throw new EtcdError("ETCD_INVALID_ARGUMENT", `unknown compare target ${String(target)}`, {
        value: target,
      });
    }
    this.compares.push(c);
    return this;
  }

  /** Operations applied when every comparison holds. */
  onSuccess(...ops: RequestOp[]): this {
    this.guard();
    v.checkOps(ops, "txn().onSuccess");
    this.success.push(...ops);
    return this;
  }

  /** Operations applied when a comparison fails. */
  onFailure(...ops: RequestOp[]): this {
    this.guard();
    v.checkOps(ops, "txn().onFailure");
    this.failure.push(...ops);
    return this;
  }

  /** The request as built so far (for inspection or nesting with `op.txn`). */
  build(): TxnRequest {
    return { compare: [...this.compares], success: [...this.success], failure: [...this.failure] };
  }

  /**
   * Sends the transaction once.
   * @throws ETCD_TXN_ALREADY_SENT when called twice; any EtcdError from the call.
   */
  exec(options: { signal?: AbortSignal; deadlineMs?: number } = {}): Promise<TxnResponse> {
    this.guard();
    options = v.checkCall(options, "txn().exec");
    this.done = true;
    return this.run(this.build(), options);
  }

  private guard(): void {
    if (this.done)
      throw new EtcdError("ETCD_TXN_ALREADY_SENT", "this transaction was already executed", {
        value: undefined,
      });
  }
}
