/**
 * Protobuf wire format: a small writer and reader for the field kinds etcd's API uses
 * (varint, 64-bit varint, length-delimited). Written by hand, no generator.
 *
 * Why hand-written: the client spends its CPU budget per call on encoding, so the writer reuses one
 * scratch buffer and patches nested lengths in place instead of allocating per sub-message.
 * @internal
 */

import { EtcdError } from "../errors.js";

const TWO32 = 4294967296;

/** Refuses a number the varint encoder cannot write (it would loop on Infinity): a typed error. */
function notEncodable(v: number): EtcdError {
  return new EtcdError("ETCD_INVALID_ARGUMENT", `cannot encode ${String(v)} as a protobuf integer (a safe integer is needed)`, {
    value: v,
  });
}

/** Thrown (internally) on malformed bytes; mapped to an EtcdError at the call boundary. @internal */
export class WireError extends Error {}
Object.defineProperty(WireError.prototype, "name", { value: "WireError" });

/** @internal */
export class Writer {
  buf: Buffer;
  pos = 0;
  constructor(size = 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  private grow(need: number): void {
    if (this.pos + need <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < this.pos + need) n *= 2;
    const next = Buffer.allocUnsafe(n);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Unsigned varint of a non-negative safe integer. */
  uvarint(v: number): void {
    if (v > 0xfffffff && !(v <= Number.MAX_SAFE_INTEGER)) throw notEncodable(v);
    this.grow(10);
    const b = this.buf;
    let p = this.pos;
    while (v > 127) {
      b[p++] = (v & 0x7f) | 0x80;
      v = v > 0xfffffff ? Math.floor(v / 128) : v >>> 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** int64 varint from a JS number (negative values take 10 bytes, two's complement). */
  int64(v: number): void {
    if (!Number.isSafeInteger(v)) throw notEncodable(v);
    if (v >= 0) return this.uvarint(v);
    // Two's complement across 64 bits.
    const lo = v % TWO32 === 0 ? 0 : TWO32 + (v % TWO32);
    const hi = Math.floor(v / TWO32) + TWO32;
    this.lohi(lo >>> 0, hi >>> 0);
  }

  /** uint64/int64 varint from a bigint (IDs). */
  big(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.lohi(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  private lohi(lo: number, hi: number): void {
    this.grow(10);
    const b = this.buf;
    let p = this.pos;
    while (hi !== 0 || lo > 127) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  tag(field: number, wireType: number): void {
    this.uvarint((field << 3) | wireType);
  }

  /** Length-delimited bytes field; skipped when empty (proto3 default). */
  bytesField(field: number, v: Uint8Array | undefined): void {
    if (!v || v.length === 0) return;
    this.tag(field, 2);
    this.uvarint(v.length);
    this.grow(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Length-delimited bytes written even when empty (oneof members). */
  bytesAlways(field: number, v: Uint8Array): void {
    this.tag(field, 2);
    this.uvarint(v.length);
    this.grow(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Bytes or UTF-8 text (written straight into the buffer, no intermediate Buffer); skipped when empty. */
  bytesOrString(field: number, v: Uint8Array | string): void {
    if (typeof v === "string") this.stringField(field, v);
    else this.bytesField(field, v);
  }

  stringField(field: number, v: string | undefined): void {
    if (!v) return;
    const len = Buffer.byteLength(v);
    this.tag(field, 2);
    this.uvarint(len);
    this.grow(len);
    this.buf.write(v, this.pos, "utf8");
    this.pos += len;
  }

  /** Repeated string field: every element is written, empty ones included. */
  stringsField(field: number, v: readonly string[] | undefined): void {
    if (!v) return;
    for (const s of v) {
      const len = Buffer.byteLength(s);
      this.tag(field, 2);
      this.uvarint(len);
      this.grow(len);
      this.buf.write(s, this.pos, "utf8");
      this.pos += len;
    }
  }

  int64Field(field: number, v: number | undefined): void {
    if (!v) return;
    this.tag(field, 0);
    this.int64(v);
  }

  bigField(field: number, v: bigint | undefined): void {
    if (!v) return;
    this.tag(field, 0);
    this.big(v);
  }

  boolField(field: number, v: boolean | undefined): void {
    if (!v) return;
    this.tag(field, 0);
    this.grow(1);
    this.buf[this.pos++] = 1;
  }

  /** Starts a nested message; returns a mark for {@link Writer.end}. */
  begin(field: number): number {
    this.tag(field, 2);
    this.grow(1);
    this.buf[this.pos++] = 0; // one-byte length placeholder, widened in end() if needed
    return this.pos;
  }

  /** Ends a nested message: writes its length, moving the body when the length needs > 1 byte. */
  end(mark: number): void {
    const len = this.pos - mark;
    if (len < 128) {
      this.buf[mark - 1] = len;
      return;
    }
    let extra = 0;
    for (let n = len >>> 7; n > 0; n >>>= 7) extra++;
    this.grow(extra);
    this.buf.copyWithin(mark + extra, mark, this.pos);
    let p = mark - 1;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    this.pos += extra;
  }

  /** A copy of the written bytes (the scratch buffer is reused). */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}

/** @internal */
export class Reader {
  pos: number;
  end: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  more(): boolean {
    return this.pos < this.end;
  }

  /** Varint as a JS number: exact up to 2^53; int64 negatives come out negative. */
  varint(): number {
    const b = this.buf;
    let p = this.pos;
    // Fast path: up to 4 bytes fit 28 bits.
    let byte = b[p++] as number;
    let lo = byte & 0x7f;
    if (byte < 128) {
      this.pos = p;
      return lo;
    }
    let shift = 7;
    for (; shift < 28; shift += 7) {
      byte = b[p++] as number;
      lo |= (byte & 0x7f) << shift;
      if (byte < 128) {
        this.pos = p;
        if (p > this.end) throw new WireError("truncated varint");
        return lo;
      }
    }
    // Beyond 28 bits: collect the remaining bits into hi (bits 28..63).
    byte = b[p++] as number;
    lo = (lo | ((byte & 0x0f) << 28)) >>> 0;
    let hi = (byte & 0x7f) >> 4;
    if (byte >= 128) {
      for (shift = 3; shift < 32; shift += 7) {
        byte = b[p++] as number;
        if (byte === undefined) throw new WireError("truncated varint");
        hi |= (byte & 0x7f) << shift;
        if (byte < 128) break;
      }
      if (byte >= 128) throw new WireError("varint too long");
    }
    this.pos = p;
    if (p > this.end) throw new WireError("truncated varint");
    return (hi | 0) * TWO32 + lo;
  }

  /** Varint as an unsigned 64-bit bigint (lease and member IDs). */
  bigUint(): bigint {
    // Collect 32-bit halves as numbers, then build one bigint: far fewer bigint operations.
    const b = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let byte = 0;
    let i = 0;
    for (; i < 4; i++) {
      byte = b[p++] as number;
      lo |= (byte & 0x7f) << (7 * i);
      if (byte < 128) break;
    }
    if (i === 4) {
      byte = b[p++] as number;
      lo |= (byte & 0x0f) << 28;
      hi = (byte & 0x7f) >> 4;
      if (byte >= 128) {
        for (let shift = 3; ; shift += 7) {
          byte = b[p++] as number;
          if (shift > 31) throw new WireError("varint too long");
          hi |= (byte & 0x7f) << shift;
          if (byte < 128) break;
        }
      }
    }
    if (byte === undefined || p > this.end) throw new WireError("truncated varint");
    this.pos = p;
    return hi === 0 ? BigInt(lo >>> 0) : (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }

  /** Signed int64 as bigint (lease IDs are int64 on the wire). */
  bigInt(): bigint {
    return BigInt.asIntN(64, this.bigUint());
  }

  /**
   * Enters the nested message that starts here: reading stops at its end until {@link leave} is
   * called with the returned outer limit.
   */
  enter(): number {
    const outer = this.end;
    this.end = this.len() + this.pos;
    return outer;
  }

  /** Leaves a nested message entered with {@link enter}. */
  leave(outer: number): void {
    this.end = outer;
  }

  /** Length of the next length-delimited field; leaves pos at its start. */
  len(): number {
    const n = this.varint();
    if (n < 0 || this.pos + n > this.end) throw new WireError("length out of range");
    return n;
  }

  bytes(): Buffer {
    const n = this.len();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.len();
    const s = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2: {
        const n = this.len();
        this.pos += n;
        break;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new WireError("truncated field");
  }
}
