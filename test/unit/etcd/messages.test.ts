import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeFirstKv,
  decodeFirstValue,
  decodePutResponse,
  decodePutResult,
  decodeRangeResponse,
  decodeTxnResponse,
  decodeWatchResponse,
  writePut,
  writePutKV,
  writeRange,
  writeRangeKey,
  writeTxn,
  writeWatchCreate,
} from "../../../src/etcd/gen/rpc.js";
import { Reader, Writer } from "../../../src/etcd/gen/wire.js";
import { op } from "../../../src/etcd/txn.js";

/** Minimal independent decoder: field number → list of raw values, for checking field numbers. */
function fields(buf: Buffer): Map<number, (number | Buffer)[]> {
  const r = new Reader(buf);
  const out = new Map<number, (number | Buffer)[]>();
  while (r.more()) {
    const tag = r.varint();
    const v = (tag & 7) === 2 ? r.bytes() : r.varint();
    const list = out.get(tag >>> 3) ?? [];
    list.push(v);
    out.set(tag >>> 3, list);
  }
  return out;
}

const enc = (fn: (w: Writer) => void) => {
  const w = new Writer();
  fn(w);
  return w.finish();
};

describe("etcd message field numbers (rpc.proto / kv.proto)", () => {
  it("RangeRequest", () => {
    const f = fields(
      enc((w) =>
        writeRange(w, {
          key: Buffer.from("a"),
          rangeEnd: Buffer.from("b"),
          limit: 5,
          revision: 9,
          sortOrder: "descend",
          sortTarget: "mod",
          keysOnly: true,
          countOnly: true,
          serializable: true,
        }),
      ),
    );
    expect(f.get(1)?.[0]?.toString()).toBe("a");
    expect(f.get(2)?.[0]?.toString()).toBe("b");
    expect(f.get(3)).toEqual([5]);
    expect(f.get(4)).toEqual([9]);
    expect(f.get(5)).toEqual([2]);
    expect(f.get(6)).toEqual([3]);
    expect(f.get(7)).toEqual([1]);
    expect(f.get(8)).toEqual([1]);
    expect(f.get(9)).toEqual([1]);
  });

  it("PutRequest", () => {
    const f = fields(
      enc((w) => writePut(w, { key: Buffer.from("k"), value: Buffer.from("v"), lease: 7n, prevKv: true })),
    );
    expect([...f.keys()]).toEqual([1, 2, 3, 4]);
    expect(f.get(3)).toEqual([7]);
  });

  it("WatchCreateRequest sits in field 1 of WatchRequest with filters packed in 5 and watch_id in 7", () => {
    const outer = fields(
      enc((w) =>
        writeWatchCreate(w, {
          key: Buffer.from("k"),
          startRevision: 3,
          filters: [0, 1],
          prevKv: true,
          watchId: 4,
          progressNotify: true,
        }),
      ),
    );
    const inner = fields(outer.get(1)?.[0] as Buffer);
    expect(inner.get(3)).toEqual([3]);
    expect(inner.get(4)).toEqual([1]);
    expect(Buffer.from(inner.get(5)?.[0] as Buffer).toString("hex")).toBe("0001");
    expect(inner.get(6)).toEqual([1]);
    expect(inner.get(7)).toEqual([4]);
  });

  it("TxnRequest: compare 1, success 2, failure 3; a value compare is sent even when empty", () => {
    const buf = enc((w) =>
      writeTxn(w, {
        compare: [{ key: Buffer.from("k"), target: "value", result: "equal", value: Buffer.alloc(0) }],
        success: [op.put("k", "v")],
        failure: [op.get("k")],
      }),
    );
    const f = fields(buf);
    const cmp = fields(f.get(1)?.[0] as Buffer);
    expect(cmp.get(2)).toEqual([3]);
    expect(cmp.get(7)).toEqual([Buffer.alloc(0)]);
    expect(fields(f.get(2)?.[0] as Buffer).has(2)).toBe(true);
    expect(fields(f.get(3)?.[0] as Buffer).has(1)).toBe(true);
  });
});

/** Builds a KeyValue by hand with field numbers from kv.proto. */
function kvBytes(key: string, value: string, mod: number, lease = 0n): Buffer {
  return enc((w) => {
    w.bytesField(1, Buffer.from(key));
    w.int64Field(2, 1);
    w.int64Field(3, mod);
    w.int64Field(4, 1);
    w.bytesField(5, Buffer.from(value));
    w.bigField(6, lease);
  });
}

describe("response decoding", () => {
  it("RangeResponse with header, kvs, more, count", () => {
    const buf = enc((w) => {
      const h = w.begin(1);
      w.bigField(1, 0xdeadbeefcafebaben);
      w.bigField(2, 5n);
      w.int64Field(3, 42);
      w.end(h);
      for (const k of ["a", "b"]) w.bytesAlways(2, kvBytes(k, `v${k}`, 7, 2n ** 62n + 1n));
      w.boolField(3, true);
      w.int64Field(4, 9);
    });
    const r = decodeRangeResponse(buf);
    expect(r.header).toEqual({ clusterId: 0xdeadbeefcafebaben, memberId: 5n, revision: 42, raftTerm: 0 });
    expect(r.kvs.map((k) => [k.key.toString(), k.value.toString(), k.modRevision, k.lease])).toEqual([
      ["a", "va", 7, 2n ** 62n + 1n],
      ["b", "vb", 7, 2n ** 62n + 1n],
    ]);
    expect(r.more).toBe(true);
    expect(r.count).toBe(9);
  });

  it("one-key fast paths (get, getKv, put) agree with the full decoders and encoders", () => {
    const range = (kvs: string[]) =>
      enc((w) => {
        const h = w.begin(1);
        w.bigField(1, 7n);
        w.int64Field(3, 42);
        w.end(h);
        for (const k of kvs) w.bytesAlways(2, kvBytes(k, k === "e" ? "" : `v${k}`, 7, 3n));
        w.int64Field(4, kvs.length);
      });
    for (const kvs of [[], ["a"], ["a", "b"], ["e"]]) {
      const buf = range(kvs);
      const full = decodeRangeResponse(buf);
      expect(decodeFirstKv(buf)).toEqual(full.kvs[0]);
      expect(decodeFirstValue(buf)).toBe(full.kvs[0]?.value.toString("utf8"));
    }
    const put = (prev: boolean) =>
      enc((w) => {
        const h = w.begin(1);
        w.bigField(1, 2n ** 63n + 5n);
        w.bigField(2, 9n);
        w.int64Field(3, 77);
        w.int64Field(4, 3);
        w.end(h);
        if (prev) w.bytesAlways(2, kvBytes("k", "old", 70, 0n));
      });
    for (const prev of [false, true]) {
      const full = decodePutResponse(put(prev));
      expect(decodePutResult(put(prev))).toEqual(
        full.prevKv ? { revision: 77, prevKv: full.prevKv } : { revision: full.header.revision },
      );
    }
    // The string fast paths write the same bytes as the Uint8Array encoders.
    const key = "ключ/😀";
    expect(enc((w) => writePutKV(w, key, "v", 5n, true))).toEqual(
      enc((w) => writePut(w, { key: Buffer.from(key), value: Buffer.from("v"), lease: 5n, prevKv: true })),
    );
    expect(enc((w) => writeRangeKey(w, key, 12, true))).toEqual(
      enc((w) => writeRange(w, { key: Buffer.from(key), revision: 12, serializable: true })),
    );
  });

  it("WatchResponse events with types and prevKv; unknown fields are skipped", () => {
    const ev = (type: number, kv: Buffer, prev?: Buffer) =>
      enc((w) => {
        w.int64Field(1, type);
        w.bytesAlways(2, kv);
        if (prev) w.bytesAlways(3, prev);
      });
    const buf = enc((w) => {
      w.int64Field(2, 3);
      w.boolField(3, true);
      w.stringField(99, "future field");
      w.bytesAlways(11, ev(0, kvBytes("k", "2", 10), kvBytes("k", "1", 9)));
      w.bytesAlways(11, ev(1, kvBytes("k", "", 11)));
    });
    const r = decodeWatchResponse(buf);
    expect(r.watchId).toBe(3);
    expect(r.created).toBe(true);
    expect(r.events.map((e) => [e.type, e.kv.modRevision, e.prevKv?.value.toString()])).toEqual([
      ["put", 10, "1"],
      ["delete", 11, undefined],
    ]);
  });

  it("TxnResponse nests range/put/delete responses", () => {
    const rangeRes = enc((w) => w.bytesAlways(2, kvBytes("x", "y", 3)));
    const buf = enc((w) => {
      w.boolField(2, true);
      w.bytesAlways(
        3,
        enc((x) => x.bytesAlways(1, rangeRes)),
      );
      w.bytesAlways(
        3,
        enc((x) =>
          x.bytesAlways(
            3,
            enc((y) => y.int64Field(2, 4)),
          ),
        ),
      );
    });
    const r = decodeTxnResponse(buf);
    expect(r.succeeded).toBe(true);
    const [a, b] = r.responses;
    expect(a && "range" in a ? a.range.kvs[0]?.value.toString() : "").toBe("y");
    expect(b && "deleteRange" in b ? b.deleteRange.deleted : -1).toBe(4);
  });

  it("decoders either decode or throw on arbitrary bytes (no hang, no TypeError)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const d of [
          decodeRangeResponse,
          decodeWatchResponse,
          decodeTxnResponse,
          decodeFirstKv,
          decodeFirstValue,
          decodePutResult,
        ]) {
          try {
            d(Buffer.from(bytes));
          } catch (e) {
            if (!(e instanceof Error) || e.name !== "WireError") throw e;
          }
        }
        return true;
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});
