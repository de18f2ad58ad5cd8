import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Reader, WireError, Writer } from "../../../src/etcd/gen/wire.js";

function roundTripNumber(v: number): number {
  const w = new Writer(4);
  w.int64(v);
  return new Reader(w.finish()).varint();
}

describe("protobuf wire codec", () => {
  it("int64 varints round-trip for safe integers, negatives included", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => roundTripNumber(n) === n),
      { seed: 42, numRuns: 2000 },
    );
    for (const n of [
      0,
      1,
      127,
      128,
      300,
      2 ** 28,
      2 ** 31,
      2 ** 32 + 5,
      -1,
      -2,
      -(2 ** 31),
      Number.MAX_SAFE_INTEGER,
    ]) {
      expect(roundTripNumber(n)).toBe(n);
    }
  });

  it("negative int64 takes 10 bytes (two's complement), as protobuf requires", () => {
    const w = new Writer();
    w.int64(-1);
    expect(w.finish().toString("hex")).toBe("ffffffffffffffffff01");
  });

  it("64-bit IDs round-trip as bigint (uint64 and int64 views)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (id) => {
        const w = new Writer(2);
        w.big(id);
        const buf = w.finish();
        return new Reader(buf).bigUint() === id && new Reader(buf).bigInt() === BigInt.asIntN(64, id);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("nested messages of any length get a correct length prefix", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40_000 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        const w = new Writer(8);
        const m = w.begin(1);
        w.bytesAlways(2, a);
        const inner = w.begin(3);
        w.bytesAlways(4, b);
        w.end(inner);
        w.end(m);
        const r = new Reader(w.finish());
        expect(r.varint()).toBe((1 << 3) | 2);
        const len = r.len();
        const end = r.pos + len;
        const seen: Record<number, Buffer> = {};
        while (r.pos < end) {
          const tag = r.varint();
          if (tag >>> 3 === 3) {
            const innerEnd = r.len() + r.pos;
            expect(r.varint()).toBe((4 << 3) | 2);
            seen[4] = r.bytes();
            expect(r.pos).toBe(innerEnd);
          } else seen[tag >>> 3] = r.bytes();
        }
        expect(Buffer.compare(seen[2] ?? Buffer.alloc(0), Buffer.from(a))).toBe(0);
        expect(Buffer.compare(seen[4] ?? Buffer.alloc(0), Buffer.from(b))).toBe(0);
        return r.pos === end;
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("truncated or oversized input throws WireError, never reads past the end", () => {
    expect(() => new Reader(Buffer.from([0x80])).varint()).toThrow(WireError);
    expect(() => new Reader(Buffer.from([0x0a, 0x05, 0x01])).skip(2)).toThrow();
    const r = new Reader(Buffer.from([0x0a, 0x05, 0x01]));
    r.varint();
    expect(() => r.bytes()).toThrow(WireError);
    expect(() => new Reader(Buffer.from([0x0b])).skip(3)).toThrow(WireError);
  });
});
