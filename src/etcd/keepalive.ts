/**
 * Lease keep-alive with loss detection. States: running → lost | stopped. The lease counts as
 * lost when etcd answers TTL ≤ 0 (expired or revoked) or when no renewal succeeded before the
 * last known expiry. Stream failures reconnect (possibly to another endpoint) while time remains.
 * @internal
 */
import type * as grpc from "@grpc/grpc-js";
import { EtcdError } from "./errors.js";
import { callListener } from "./events.js";
import { decodeLeaseKeepAliveResponse, writeLeaseId } from "./gen/rpc.js";
import { type Endpoint, type Transport, encode } from "./transport.js";

/** Why a lease was declared lost. */
export type LeaseLostReason = "expired" | "timeout";

/** Options of {@link EtcdClient.keepAlive}. */
export interface KeepAliveOptions {
  /** Called once when the lease is lost; the keep-alive then stops. */
  onLost?: (info: { id: bigint; reason: LeaseLostReason }) => void;
  /** Called after each successful renewal with the new TTL (seconds). */
  onRenewed?: (info: { id: bigint; ttl: number }) => void;
}

/** A running keep-alive. */
export interface LeaseKeepAlive {
  readonly id: bigint;
  readonly state: "running" | "lost" | "stopped";
  /** Epoch ms when the lease expires unless renewed again. */
  readonly expiresAt: number;
  /** Stops renewing (the lease then expires on its own unless revoked). */
  stop(): void;
}

/** @internal */
export class KeepAliveImpl implements LeaseKeepAlive {
  state: "running" | "lost" | "stopped" = "running";
  expiresAt: number;
  private stream: grpc.ClientDuplexStream<Buffer, Buffer> | undefined;
  private sendTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly body: Buffer;
  private sentAt = 0;
  private answerTimer: NodeJS.Timeout | undefined;
  private failStream: ((reason: unknown) => void) | undefined;

  constructor(
    private readonly transport: Transport,
    readonly id: bigint,
    private ttl: number,
    private readonly o: KeepAliveOptions,
  ) {
    if (!(ttl > 0))
      throw new EtcdError("ETCD_INVALID_ARGUMENT", `lease TTL must be > 0, got ${ttl}`, { value: ttl });
    this.expiresAt = Date.now() + ttl * 1000;
    this.body = encode((w) => writeLeaseId(w, id));
    this.open();
    this.checkTimer = setInterval(() => {
      if (this.state === "running" && Date.now() >= this.expiresAt) this.lose("timeout");
    }, 250);
    this.checkTimer.unref();
  }

  private open(): void {
    if (this.state !== "running") return;
    if (this.transport.needsAuth()) {
      this.transport.ensureAuth().then(
        () => this.open(),
        () => {
          // Keep trying while the lease may still be alive; loss is detected by expiry.
          this.reconnectTimer = setTimeout(() => this.open(), 500);
          this.reconnectTimer.unref();
        },
      );
      return;
    }
    const ep = this.transport.pick();
    if (this.transport.isReady(ep)) {
      this.start(ep);
      return;
    }
    // A black-holed endpoint must not eat the lease's TTL: fail over after connectTimeoutMs.
    void this.transport.waitReady(ep, this.transport.opts.connectTimeoutMs).then((ok) => {
      if (this.state !== "running") return;
      if (ok) this.start(ep);
      else {
        this.transport.markFailed(ep);
        this.reconnectTimer = setTimeout(() => this.open(), 50);
        this.reconnectTimer.unref();
      }
    });
  }

  private start(ep: Endpoint): void {
    const { stream } = this.transport.bidi("/etcdserverpb.Lease/LeaseKeepAlive", undefined, ep);
    this.stream = stream;
    stream.on("data", (buf: Buffer) => {
      if (this.stream !== stream || this.state !== "running") return;
      if (this.answerTimer) clearTimeout(this.answerTimer);
      this.answerTimer = undefined;
      let ttl: number;
      try {
        ttl = decodeLeaseKeepAliveResponse(buf).ttl;
      } catch {
        return;
      }
      if (ttl <= 0) {
        this.lose("expired");
        return;
      }
      this.ttl = ttl;
      this.expiresAt = this.sentAt + ttl * 1000;
      callListener(this.o.onRenewed, { id: this.id, ttl });
      this.schedule(Math.max((ttl * 1000) / 3, 250));
    });
    const onFail = (err?: unknown) => {
      if (this.stream !== stream || this.state !== "running") return;
      const e = err as { code?: unknown; details?: unknown } | undefined;
      if (e?.code === 14 || e?.code === 4) this.transport.markFailed(ep);
      if (typeof e?.details === "string" && e.details.includes("invalid auth token"))
        this.transport.invalidateToken();
      this.stream = undefined;
      stream.cancel();
      if (this.sendTimer) clearTimeout(this.sendTimer);
      this.reconnectTimer = setTimeout(() => this.open(), 200);
      this.reconnectTimer.unref();
    };
    stream.on("error", onFail);
    stream.on("end", () => onFail());
    this.failStream = (reason) => onFail(reason);
    this.send();
  }

  private schedule(ms: number): void {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = setTimeout(() => this.send(), ms);
    this.sendTimer.unref();
  }

  private send(): void {
    if (this.state !== "running" || !this.stream) return;
    // The renewal time is not before the oldest unanswered request: count the TTL from there.
    if (!this.answerTimer) this.sentAt = Date.now();
    this.stream.write(this.body);
    // No answer in time: the connection is stuck; drop it and renew through another endpoint.
    if (!this.answerTimer) {
      this.answerTimer = setTimeout(
        () => {
          this.answerTimer = undefined;
          this.failStream?.({ code: 4 });
        },
        Math.max(Math.min((this.ttl * 1000) / 3, 2000), 250),
      );
      this.answerTimer.unref();
    }
    // If no answer comes, try again well before expiry.
    this.schedule(Math.max(Math.min((this.ttl * 1000) / 3, 2000), 250));
  }

  private lose(reason: LeaseLostReason): void {
    if (this.state !== "running") return;
    this.state = "lost";
    this.cleanup();
    callListener(this.o.onLost, { id: this.id, reason });
  }

  private cleanup(): void {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    if (this.answerTimer) clearTimeout(this.answerTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      s.on("error", () => {});
      s.cancel();
    }
  }

  stop(): void {
    if (this.state !== "running") return;
    this.state = "stopped";
    this.cleanup();
  }
}
