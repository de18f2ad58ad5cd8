/**
 * One timer for the deadlines of all unary calls in flight (instead of one timer per call inside
 * grpc-js). Pure bookkeeping over grpc-js call handles; the transport adds and settles entries.
 * @internal
 */
import type * as grpc from "@grpc/grpc-js";
import { GrpcStatus } from "./errors.js";

/** grpc-js' channel-level call handle. @internal */
export type RawCall = ReturnType<grpc.Channel["createCall"]>;

/** A unary call in flight, for the shared deadline queue. @internal */
export interface Pending {
  deadline: number;
  call: RawCall | undefined;
  expired: boolean;
  done: boolean;
}

/**
 * Deadlines of all unary calls in one queue with one timer, instead of a timer per call inside
 * grpc-js: calls mostly share the same deadline length, so entries arrive nearly in order.
 * @internal
 */
export class DeadlineQueue {
  /** Entries before `head` are cleared (undefined), so finished calls are not kept alive here. */
  private items: (Pending | undefined)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  add(p: Pending): void {
    const items = this.items;
    let i = items.length;
    // Keep sorted; almost always an append.
    while (i > this.head && (items[i - 1] as Pending).deadline > p.deadline) i--;
    if (i === items.length) items.push(p);
    else items.splice(i, 0, p);
    if (p.deadline < this.armedFor) this.arm(p.deadline);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const items = this.items;
    while (this.head < items.length) {
      const p = items[this.head] as Pending;
      if (!p.done && p.deadline > now) break;
      items[this.head++] = undefined;
      if (!p.done) {
        p.expired = true;
        p.call?.cancelWithStatus(GrpcStatus.DEADLINE_EXCEEDED, "deadline exceeded");
      }
    }
    // Drop finished entries from the front, compact now and then.
    if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    while (this.head < this.items.length && (this.items[this.head] as Pending).done)
      this.items[this.head++] = undefined;
    const next = this.items[this.head];
    if (next) this.arm(next.deadline);
    else {
      this.items = [];
      this.head = 0;
    }
  }

  /** Called when any call finishes: drops finished entries from the front (calls mostly end in order). */
  settled(): void {
    const items = this.items;
    let h = this.head;
    while (h < items.length && (items[h] as Pending).done) items[h++] = undefined;
    this.head = h;
    if (h === items.length) {
      this.items = [];
      this.head = 0;
    } else if (h > 4096 && h * 2 > items.length) {
      this.items = items.slice(h);
      this.head = 0;
    }
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
