/**
 * Connections to etcd endpoints: one grpc-js client per endpoint, endpoint selection with health
 * marks and background probes, a deadline on every unary call, AbortSignal support, and retries
 * only where a retry cannot apply a write twice.
 * @internal
 */
import { isIP } from "node:net";
import { checkServerIdentity } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { DeadlineQueue, type Pending, type RawCall } from "./deadline-queue.js";
import { EtcdError, GrpcStatus, toEtcdError } from "./errors.js";
import { type Emit, makeEmitter, REDACTED_TOKEN } from "./events.js";
import { decodeStringsResponse, writeStrings } from "./gen/rpc.js";
import { Writer } from "./gen/wire.js";
import type { NormalizedOptions } from "./options.js";
import { isPureDeadline } from "./strategies.js";
import { MAX_TIMER_MS } from "./validate.js";

const identity = (b: Buffer): Buffer => b;
/**
 * One scratch writer per process, made on first use: encoding is synchronous, so it is never
 * shared mid-message. A buffer grown by a huge request is dropped again afterwards.
 */
let scratch: Writer | undefined;

/** Encodes a request with the shared scratch writer and returns an owned copy. @internal */
export function encode(fn: (w: Writer) => void): Buffer {
  const w = scratchWriter();
  fn(w);
  return finishScratch(w);
}

/** The shared scratch writer, reset; finish with {@link finishScratch} before anything else encodes. @internal */
export function scratchWriter(): Writer {
  const w = scratch ?? new Writer(16 * 1024);
  scratch = w;
  w.reset();
  return w;
}

/** An owned copy of what was written to the scratch writer. @internal */
export function finishScratch(w: Writer): Buffer {
  const out = w.finish();
  if (w.buf.length > 1024 * 1024) scratch = undefined;
  return out;
}

/** @internal */
export interface Endpoint {
  readonly url: string;
  readonly address: string;
  /** The current channel; replaced by {@link Transport.rebuild} when its connection is found dead. */
  client: grpc.Client;
  /** Makes a fresh grpc-js client (own channel and connection) for this endpoint. */
  readonly make: () => grpc.Client;
  /** Bumped on each rebuild, so one wave of timed-out calls rebuilds once. */
  generation: number;
  /** Epoch ms of the last call that succeeded here. */
  lastOkAt: number;
  /** Epoch ms until which this endpoint is avoided; 0 = healthy. */
  failedUntil: number;
  failures: number;
}

/** @internal */
export interface UnaryOptions {
  /** Safe to re-send after it may have reached the server (reads, status, ...). */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  deadlineMs?: number | undefined;
  /** Send to this endpoint URL only (status/defragment of one member). */
  endpoint?: string | undefined;
  /** Skip the auth token (the Authenticate call itself). */
  noAuth?: boolean;
}

/** etcd errors that are returned before a request is applied: retrying them is always safe. */
const REJECTED_BEFORE_APPLY = new Set([
  "ETCD_TOO_MANY_REQUESTS",
  "ETCD_INVALID_TOKEN",
  "ETCD_UNHEALTHY_CLUSTER",
]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `p`, or the signal's reason as soon as `signal` aborts (`p` itself goes on). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function parseEndpoint(url: string, opts: NormalizedOptions): Endpoint {
  const m =
    /^(https?):\/\/(\[[^\]]+\]|[^/:]+):(\d+)\/?$/.exec(url) ?? /^()(\[[^\]]+\]|[^/:]+):(\d+)$/.exec(url);
  if (!m)
    throw new EtcdError(
      "ETCD_OPTION_INVALID",
      `endpoint ${JSON.stringify(url)} is not host:port or http(s)://host:port`,
      { value: url },
    );
  const scheme = m[1] || (opts.tls ? "https" : "http");
  const address = `${m[2]}:${m[3]}`;
  if (scheme === "https" && !opts.tls) {
    throw new EtcdError("ETCD_OPTION_INVALID", `endpoint ${url} is https but no tls option was given`, {
      value: url,
    });
  }
  const host = (m[2] as string).replace(/^\[|\]$/g, "");
  const ipHost = isIP(host) !== 0;
  // grpc-js would send an IP address as TLS server name, which Node reports with a deprecation
  // warning on stderr (RFC 6066 forbids it). For IP endpoints we send a placeholder name instead
  // and still verify the certificate against the IP (SAN IP entries), as before.
  const creds =
    scheme === "https" && opts.tls
      ? grpc.credentials.createSsl(
          opts.tls.ca,
          opts.tls.key ?? null,
          opts.tls.cert ?? null,
          ipHost ? { checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert) } : {},
        )
      : grpc.credentials.createInsecure();
  const channelOptions: grpc.ChannelOptions = {
    ...(ipHost && scheme === "https"
      ? { "grpc.ssl_target_name_override": "etcd", "grpc.default_authority": address }
      : {}),
    // HTTP/2 pings find dead connections; etcd rejects pings more often than every 5 s.
    "grpc.keepalive_time_ms": opts.keepAliveIntervalMs,
    "grpc.keepalive_timeout_ms": opts.keepAliveTimeoutMs,
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 1000,
    "grpc.min_reconnect_backoff_ms": 100,
    "grpc.max_receive_message_length": -1,
    "grpc.max_send_message_length": -1,
    "grpc.use_local_subchannel_pool": 1,
    // Only grpc-js' transparent retries stay on: they re-send solely requests that never reached
    // etcd's handlers (not started, or refused by the server transport), safe for writes too. No
    // retry policy can come in from DNS service config.
    "grpc.service_config_disable_resolution": 1,
    // Channelz bookkeeping (timestamps and counters on every call) is not used by this client.
    "grpc.enable_channelz": 0,
  };
  const make = () => new grpc.Client(address, creds, channelOptions);
  return { url, address, client: make(), make, generation: 0, lastOkAt: 0, failedUntil: 0, failures: 0 };
}

/** @internal */
export class Transport {
  private readonly deadlines = new DeadlineQueue();
  readonly endpoints: Endpoint[];
  private current = 0;
  private token: string | undefined;
  private authPromise: Promise<void> | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Pending connection waits, ended by close() so a closing client does not hold callers. */
  private readonly readyWaiters = new Set<() => void>();
  private sharedMd: grpc.Metadata | undefined;
  private sharedMdToken: string | undefined;
  /** Event sink, undefined without an `onEvent` listener (then nothing is built per event). */
  readonly emit: Emit | undefined;

  constructor(readonly opts: NormalizedOptions) {
    this.emit = makeEmitter(opts.onEvent);
    this.endpoints = opts.endpoints.map((e) => parseEndpoint(e, opts));
    if (this.emit) for (const ep of this.endpoints) this.watchConnectivity(ep, this.emit);
    // Start connecting everywhere so the first pick can prefer a ready endpoint.
    for (const ep of this.endpoints) ep.client.getChannel().getConnectivityState(true);
    this.probeTimer = setInterval(() => this.probe(), opts.healthCheckIntervalMs);
    this.probeTimer.unref();
  }

  /** Reports connected/disconnected transitions of one endpoint's channel (only with a listener). */
  private watchConnectivity(ep: Endpoint, emit: Emit): void {
    const channel = ep.client.getChannel();
    let last = channel.getConnectivityState(false);
    const loop = () => {
      if (this.closed) return;
      try {
        channel.watchConnectivityState(last, Number.POSITIVE_INFINITY, () => {
          if (this.closed) return;
          const now = channel.getConnectivityState(false);
          if (now === grpc.connectivityState.READY && last !== now)
            emit({ type: "etcd.endpoint.connected", endpoint: ep.url });
          else if (last === grpc.connectivityState.READY && now !== last)
            emit({
              type: "etcd.endpoint.disconnected",
              endpoint: ep.url,
              state: grpc.connectivityState[now],
            });
          last = now;
          loop();
        });
      } catch {
        // The channel was shut down (client closed): nothing more to report.
      }
    };
    loop();
  }

  /** Per-method results of the built-in factory (pure), so the hot path does not call it each time. */
  private readonly deadlineCache = new Map<string, number>();

  /** Default deadline of a call: the deadline factory, else `deadlineMs`. */
  defaultDeadline(method: string, stream: boolean): number {
    const pure = isPureDeadline(this.opts.callDeadline);
    if (pure) {
      const hit = this.deadlineCache.get(method);
      if (hit !== undefined) return hit;
    }
    const ms = this.computeDeadline(method, stream);
    if (pure) this.deadlineCache.set(method, ms);
    return ms;
  }

  private computeDeadline(method: string, stream: boolean): number {
    let ms: unknown;
    try {
      ms = this.opts.callDeadline({ method, stream });
    } catch (err) {
      throw new EtcdError("ETCD_OPTION_INVALID", `option callDeadline threw for ${method}`, {
        value: { option: "callDeadline", value: method },
        cause: err,
      });
    }
    if (ms === undefined) return this.opts.deadlineMs;
    // A deadline a timer can hold: Infinity (or 1e308) would be a wait forever.
    if (typeof ms !== "number" || !(ms > 0) || ms > MAX_TIMER_MS) {
      throw new EtcdError(
        "ETCD_OPTION_INVALID",
        `option callDeadline returned ${typeof ms === "number" ? String(ms) : typeof ms} for ${method}; expected a positive number of ms up to ${MAX_TIMER_MS} or undefined`,
        { value: { option: "callDeadline", value: typeof ms === "number" ? ms : typeof ms } },
      );
    }
    return ms;
  }

  isReady(ep: Endpoint): boolean {
    return ep.client.getChannel().getConnectivityState(false) === grpc.connectivityState.READY;
  }

  /**
   * Picks the endpoint to use: the current one while healthy and connected; else a healthy connected one
   * (a call never waits on an endpoint that has not connected while another one is connected); else the
   * current one while healthy, the next healthy one, or the least recently failed.
   */
  pick(): Endpoint {
    const now = Date.now();
    const n = this.endpoints.length;
    const cur = this.endpoints[this.current] as Endpoint;
    if (cur.failedUntil <= now && (n === 1 || this.isReady(cur))) return cur;
    if (cur.failedUntil <= now) {
      for (let i = 1; i < n; i++) {
        const idx = (this.current + i) % n;
        const ep = this.endpoints[idx] as Endpoint;
        if (ep.failedUntil <= now && this.isReady(ep)) {
          this.current = idx;
          return ep;
        }
      }
      return cur;
    }
    // Prefer healthy and connected, then healthy, then whichever recovers first.
    let best: Endpoint | undefined;
    for (let i = 1; i <= n; i++) {
      const idx = (this.current + i) % n;
      const ep = this.endpoints[idx] as Endpoint;
      if (ep.failedUntil <= now && this.isReady(ep)) {
        this.current = idx;
        return ep;
      }
    }
    for (let i = 1; i <= n; i++) {
      const idx = (this.current + i) % n;
      const ep = this.endpoints[idx] as Endpoint;
      if (ep.failedUntil <= now) {
        this.current = idx;
        return ep;
      }
      if (!best || ep.failedUntil < best.failedUntil) best = ep;
    }
    const chosen = best ?? cur;
    this.current = this.endpoints.indexOf(chosen);
    return chosen;
  }

  markFailed(ep: Endpoint): void {
    ep.failures++;
    ep.failedUntil =
      Date.now() + Math.min(this.opts.endpointCooldownMs * 2 ** Math.min(ep.failures - 1, 4), 30_000);
    this.emit?.({
      type: "etcd.endpoint.unhealthy",
      endpoint: ep.url,
      failures: ep.failures,
      avoidUntil: ep.failedUntil,
    });
  }

  markHealthy(ep: Endpoint): void {
    ep.failures = 0;
    ep.failedUntil = 0;
  }

  /** Background health check: endpoints marked failed get a cheap Status call; success clears the mark. */
  private probe(): void {
    for (const ep of this.endpoints) {
      if (ep.failedUntil === 0) continue;
      ep.client.waitForReady(Date.now() + this.opts.connectTimeoutMs, (err) => {
        if (err || this.closed) return;
        ep.client.makeUnaryRequest(
          "/etcdserverpb.Maintenance/Status",
          identity,
          identity,
          Buffer.alloc(0),
          new grpc.Metadata(),
          { deadline: Date.now() + this.opts.connectTimeoutMs },
          (e) => {
            if (!e) this.markHealthy(ep);
          },
        );
      });
    }
  }

  /**
   * Replaces an endpoint's channel with a fresh one (new HTTP/2 connection) and closes the old one. Used when
   * a call timed out on a channel that still reports READY and nothing succeeded on it meanwhile: grpc-js can
   * keep a dead session "ready" until keepalive notices (many seconds), and every call would fail until then.
   */
  rebuild(ep: Endpoint, reason: string): void {
    if (this.closed) return;
    const old = ep.client;
    ep.client = ep.make();
    ep.generation++;
    ep.client.getChannel().getConnectivityState(true);
    if (this.emit) {
      this.watchConnectivity(ep, this.emit);
      this.emit({ type: "etcd.endpoint.rebuilt", endpoint: ep.url, reason });
    }
    old.close();
  }

  /**
   * Waits until one of `eps` is connected (each is asked to connect), or `ms` passes; resolves with the first
   * connected one, or undefined. Connecting endpoints are raced so a never-answering one first in the list
   * costs nothing when another connects.
   */
  waitAnyReady(eps: readonly Endpoint[], ms: number, signal?: AbortSignal): Promise<Endpoint | undefined> {
    for (const ep of eps) if (this.isReady(ep)) return Promise.resolve(ep);
    if (eps.length === 1)
      return this.waitReady(eps[0] as Endpoint, ms, signal).then((ok) => (ok ? eps[0] : undefined));
    return new Promise((resolve) => {
      let done = false;
      let pending = eps.length;
      const finish = (ep: Endpoint | undefined) => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", onAbort);
        this.readyWaiters.delete(onAbort);
        resolve(ep);
      };
      const onAbort = () => finish(undefined);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.readyWaiters.add(onAbort);
      const until = Date.now() + Math.max(ms, 1);
      for (const ep of eps) {
        ep.client.waitForReady(until, (err) => {
          if (!err) finish(ep);
          else if (--pending === 0) finish(undefined);
        });
      }
    });
  }

  /** Waits until the endpoint's channel is connected, or `ms` passes. */
  waitReady(ep: Endpoint, ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.isReady(ep)) return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", onAbort);
        this.readyWaiters.delete(onAbort);
        resolve(ok);
      };
      const onAbort = () => finish(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.readyWaiters.add(onAbort);
      ep.client.waitForReady(Date.now() + Math.max(ms, 1), (err) => finish(!err));
    });
  }

  /** Call metadata. grpc-js clones it before use, so one instance is shared until the token changes. */
  metadata(extra?: Record<string, string>): grpc.Metadata {
    if (!extra && this.sharedMd && this.sharedMdToken === this.token) return this.sharedMd;
    const md = new grpc.Metadata();
    if (this.token) md.set("token", this.token);
    if (extra) for (const [k, v] of Object.entries(extra)) md.set(k, v);
    else {
      this.sharedMd = md;
      this.sharedMdToken = this.token;
    }
    return md;
  }

  /** True when auth is configured and no token is held yet. */
  needsAuth(): boolean {
    return this.opts.auth !== undefined && this.token === undefined;
  }

  /** Forgets the token (etcd said it is invalid); the next call authenticates again. */
  invalidateToken(): void {
    this.token = undefined;
  }

  /**
   * Authenticates once (shared by concurrent callers) and stores the token. The shared call is
   * bounded by the client's deadline, not by one caller's signal (so one caller's abort does not
   * fail the others); each caller stops waiting when its own signal aborts.
   */
  ensureAuth(signal?: AbortSignal, force = false): Promise<void> {
    const auth = this.opts.auth;
    if (!auth || (this.token && !force)) return Promise.resolve();
    if (this.authPromise) return untilAborted(this.authPromise, signal);
    const body = encode((w) => writeStrings(w, [auth.username, auth.password]));
    const p = this.unary("/etcdserverpb.Auth/Authenticate", body, decodeStringsResponse, {
      idempotent: true,
      noAuth: true,
    })
      .then((res) => {
        this.token = res.values[0];
        this.emit?.({ type: "etcd.auth.authenticated", username: auth.username, token: REDACTED_TOKEN });
      })
      .finally(() => {
        this.authPromise = undefined;
      });
    this.authPromise = p;
    // A caller that stopped waiting (its signal) must not leave the shared rejection unhandled.
    p.catch(() => {});
    return untilAborted(p, signal);
  }

  /**
   * One unary call with the client's rules: a deadline (default `deadlineMs`), abort, endpoint
   * failover, and retry with backoff only when the request is idempotent or provably unsent.
   *
   * The common call (client open, no pinned endpoint, auth settled, endpoint ready, time left) goes
   * straight to the channel with one {@link UnaryCall} object as listener, deadline entry and abort
   * handler, and no async frame; a failure hands over to {@link unaryLoop}, which decides exactly
   * as if its own first attempt had failed.
   */
  unary<T>(path: string, body: Buffer, decode: (b: Buffer) => T, o: UnaryOptions): Promise<T> {
    if (
      !this.closed &&
      o.endpoint === undefined &&
      (o.signal === undefined || !o.signal.aborted) &&
      (o.noAuth || !this.opts.auth || this.token)
    ) {
      const ms = o.deadlineMs ?? this.defaultDeadline(path, false);
      const deadline = Date.now() + ms;
      if (ms > 0) {
        const ep = this.pick();
        if (this.isReady(ep)) {
          return new Promise<T>((resolve, reject) => {
            this.start(new UnaryCall(this, ep, path, body, decode, o, deadline, resolve, reject));
          });
        }
      }
      // The deadline factory was asked once; the loop keeps that deadline.
      return this.unaryLoop(path, body, decode, o, undefined, deadline);
    }
    return this.unaryLoop(path, body, decode, o, undefined);
  }

  /** The attempt loop; `first` is a failed fast-path attempt to handle before trying again. */
  async unaryLoop<T>(
    path: string,
    body: Buffer,
    decode: (b: Buffer) => T,
    o: UnaryOptions,
    first: Failed | undefined,
    knownDeadline?: number,
  ): Promise<T> {
    if (first === undefined && this.closed)
      throw new EtcdError("ETCD_CLIENT_CLOSED", "the etcd client is closed", { value: path });
    const deadline =
      first?.deadline ?? knownDeadline ?? Date.now() + (o.deadlineMs ?? this.defaultDeadline(path, false));
    const signal = o.signal;
    let attempt = 0;
    let reauthed = false;
    let lastErr: EtcdError | undefined;
    const fixed = o.endpoint !== undefined ? this.endpoints.find((e) => e.url === o.endpoint) : undefined;
    if (o.endpoint !== undefined && !fixed)
      throw new EtcdError("ETCD_OPTION_INVALID", `unknown endpoint ${o.endpoint}`, { value: o.endpoint });
    if (first === undefined && !o.noAuth && this.opts.auth && !this.token) await this.ensureAuth(signal);
    let failed = first;
    for (;;) {
      if (failed !== undefined) {
        const { raw, ep, startedAt, generation } = failed;
        failed = undefined;
        signal?.throwIfAborted();
        const err = toEtcdError(raw, path, ep.url);
        if (err.code === "ETCD_INVALID_TOKEN" && this.opts.auth && !reauthed && !o.noAuth) {
          reauthed = true;
          await this.ensureAuth(signal, true);
          continue;
        }
        if (err.grpcCode === GrpcStatus.DEADLINE_EXCEEDED) {
          // The deadline is for the whole operation; a stalled endpoint is avoided next time. A channel that
          // still says READY although nothing succeeded on it since this call started is suspected dead:
          // its connection is rebuilt now rather than when keepalive notices.
          if (generation === ep.generation && ep.lastOkAt < startedAt && this.isReady(ep))
            this.rebuild(ep, "deadline exceeded on a ready connection");
          this.markFailed(ep);
          throw err;
        }
        if (err.grpcCode === GrpcStatus.UNAVAILABLE || err.code === "ETCD_NO_LEADER") this.markFailed(ep);
        const retryable = err.transient && (o.idempotent || REJECTED_BEFORE_APPLY.has(err.code));
        if (!retryable) throw err;
        lastErr = err;
        attempt++;
        await this.retryOrThrow(path, attempt, err, deadline, signal, true);
      }
      signal?.throwIfAborted();
      // close() during a wait or backoff ends the call now instead of at its deadline.
      if (this.closed)
        throw new EtcdError("ETCD_CLIENT_CLOSED", "the etcd client is closed", { value: path });
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.deadlineError(path, lastErr);
      let ep = fixed ?? this.pick();
      if (!this.isReady(ep)) {
        // Never longer than the call's deadline; with other endpoints, also not longer than connectTimeoutMs,
        // and every endpoint is raced: the first to connect takes the call.
        const multi = this.endpoints.length > 1 && !fixed;
        const budget = multi ? Math.min(remaining, this.opts.connectTimeoutMs) : remaining;
        const ready = await this.waitAnyReady(multi ? this.endpoints : [ep], budget, signal);
        signal?.throwIfAborted();
        if (ready) {
          ep = ready;
          if (multi) this.current = this.endpoints.indexOf(ready);
        } else {
          // Never connected: the request was not sent, so trying elsewhere is safe for any call.
          this.markFailed(ep);
          lastErr = new EtcdError("ETCD_UNAVAILABLE", `${path}: cannot connect to ${ep.url}`, {
            value: path,
            grpcCode: GrpcStatus.UNAVAILABLE,
            transient: true,
            endpoint: ep.url,
          });
          attempt++;
          // Several endpoints: fail over at once; the policy still decides whether to go on.
          await this.retryOrThrow(
            path,
            attempt,
            lastErr,
            deadline,
            signal,
            this.endpoints.length === 1 || !!fixed,
          );
          continue;
        }
      }
      try {
        const res = await new Promise<T>((resolve, reject) => {
          this.start(new UnaryCall(this, ep, path, body, decode, o, deadline, resolve, reject, true));
        });
        return res;
      } catch (raw) {
        failed = raw as Failed;
      }
    }
  }

  private deadlineError(path: string, lastErr: EtcdError | undefined): EtcdError {
    return new EtcdError(
      "ETCD_DEADLINE_EXCEEDED",
      `${path}: deadline exceeded${lastErr ? ` (last error: ${lastErr.message})` : ""}`,
      {
        value: path,
        cause: lastErr,
        grpcCode: GrpcStatus.DEADLINE_EXCEEDED,
        transient: true,
      },
    );
  }

  /** Asks the retry policy; throws `err` when it says stop, else waits (bounded by the deadline). */
  private async retryOrThrow(
    method: string,
    attempt: number,
    err: EtcdError,
    deadline: number,
    signal: AbortSignal | undefined,
    wait: boolean,
  ): Promise<void> {
    const remainingMs = Math.max(0, deadline - Date.now());
    let delay: unknown;
    try {
      delay = this.opts.retry({ method, attempt, code: err.code, remainingMs });
    } catch (e) {
      throw new EtcdError("ETCD_OPTION_INVALID", `option retry threw for ${method} after ${err.code}`, {
        value: { option: "retry", value: method },
        cause: e,
      });
    }
    if (typeof delay !== "number" || !(delay >= 0)) throw err;
    const ms = wait ? Math.min(delay, remainingMs) : 0;
    this.emit?.({ type: "etcd.retry.scheduled", method, attempt, delayMs: ms, code: err.code });
    if (ms > 0) await sleep(ms, signal);
  }

  /**
   * Starts one attempt on grpc-js' channel-level Call API (the layer `makeUnaryRequest` builds on),
   * without the per-call client wrapper objects, interceptor chain and caller-stack capture we do
   * not use. Deadlines come from the shared {@link DeadlineQueue}.
   */
  start<T>(u: UnaryCall<T>): void {
    const call: RawCall = u.ep.client.getChannel().createCall(u.path, Number.POSITIVE_INFINITY, null, null, null);
    u.call = call;
    call.start(this.metadata(), u);
    call.startRead();
    call.sendMessageWithContext(NO_CONTEXT, u.body);
    call.halfClose();
    this.deadlines.add(u);
    if (u.o.signal) u.o.signal.addEventListener("abort", u, { once: true });
  }

  /** A finished attempt (called by {@link UnaryCall}). */
  settled(): void {
    this.deadlines.settled();
  }

  bidi(
    path: string,
    extraMetadata?: Record<string, string>,
    endpoint?: Endpoint,
  ): { ep: Endpoint; stream: grpc.ClientDuplexStream<Buffer, Buffer> } {
    const ep = endpoint ?? this.pick();
    const stream = ep.client.makeBidiStreamRequest<Buffer, Buffer>(
      path,
      identity,
      identity,
      this.metadata(extraMetadata),
      {},
    );
    return { ep, stream };
  }

  serverStream(
    path: string,
    body: Buffer,
    signal?: AbortSignal,
  ): { ep: Endpoint; stream: grpc.ClientReadableStream<Buffer> } {
    const ep = this.pick();
    const stream = ep.client.makeServerStreamRequest<Buffer, Buffer>(
      path,
      identity,
      identity,
      body,
      this.metadata(),
      {},
    );
    if (signal) signal.addEventListener("abort", () => stream.cancel(), { once: true });
    return { ep, stream };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.deadlines.clear();
    for (const ep of this.endpoints) ep.client.close();
    for (const stop of [...this.readyWaiters]) stop();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** A failed attempt handed to the attempt loop. @internal */
interface Failed {
  raw: unknown;
  ep: Endpoint;
  deadline: number;
  startedAt: number;
  generation: number;
}

/** The message context grpc-js' sendMessageWithContext takes (we pass no flags). */
const NO_CONTEXT = {};

/**
 * One attempt of a unary call: grpc-js' listener, the deadline queue's entry and the abort
 * handler in one object (its methods live on the prototype, so a call allocates this object, its
 * promise and grpc-js' own state, no closures). A fast-path attempt that fails hands the error to
 * the transport's attempt loop; a loop attempt (`inLoop`) rejects to it.
 * @internal
 */
class UnaryCall<T> implements Pending {
  call: RawCall | undefined = undefined;
  expired = false;
  done = false;
  private message: Buffer | null = null;
  /** When the attempt started and on which connection: a timeout on a READY channel with no success since rebuilds it. */
  private readonly startedAt = Date.now();
  private readonly generation: number;

  constructor(
    private readonly t: Transport,
    readonly ep: Endpoint,
    readonly path: string,
    readonly body: Buffer,
    private readonly decode: (b: Buffer) => T,
    readonly o: UnaryOptions,
    readonly deadline: number,
    private readonly resolve: (v: T) => void,
    private readonly reject: (e: unknown) => void,
    private readonly inLoop = false,
  ) {
    this.generation = ep.generation;
  }

  onReceiveMetadata(): void {}

  onReceiveMessage(m: Buffer): void {
    this.message = m;
  }

  /** The abort listener (EventTarget calls `handleEvent` on listener objects). */
  handleEvent(): void {
    this.call?.cancelWithStatus(GrpcStatus.CANCELLED, "aborted");
  }

  onReceiveStatus(status: grpc.StatusObject): void {
    this.done = true;
    this.t.settled();
    if (this.o.signal) this.o.signal.removeEventListener("abort", this);
    const message = this.message;
    this.message = null;
    if (status.code === GrpcStatus.OK && message !== null) {
      this.call = undefined;
      let res: T;
      try {
        res = this.decode(message);
      } catch (err) {
        this.fail(
          Object.assign(new Error(`cannot decode response: ${(err as Error).message}`), {
            code: GrpcStatus.INTERNAL,
            details: String(err),
          }),
        );
        return;
      }
      this.ep.lastOkAt = Date.now();
      if (this.ep.failures) this.t.markHealthy(this.ep);
      this.resolve(res);
      return;
    }
    this.call = undefined;
    const code = this.expired
      ? GrpcStatus.DEADLINE_EXCEEDED
      : status.code === GrpcStatus.OK
        ? GrpcStatus.UNIMPLEMENTED
        : status.code;
    const details = this.expired
      ? "deadline exceeded"
      : status.code === GrpcStatus.OK
        ? "no response message"
        : status.details;
    this.fail(Object.assign(new Error(`${code} ${details}`), { code, details, metadata: status.metadata }));
  }

  private fail(raw: Error): void {
    const failed: Failed = {
      raw,
      ep: this.ep,
      deadline: this.deadline,
      startedAt: this.startedAt,
      generation: this.generation,
    };
    if (this.inLoop) {
      this.reject(failed);
      return;
    }
    this.t.unaryLoop(this.path, this.body, this.decode, this.o, failed).then(this.resolve, this.reject);
  }
}
