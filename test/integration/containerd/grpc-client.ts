/**
 * A minimal client for the two containerd gRPC calls the integration test needs, with a tiny
 * hand-written protobuf codec (only varint and length-delimited fields).
 *   containerd.services.introspection.v1.Introspection/Plugins
 *   runtime.v1.RuntimeService/Status (CRI, verbose: info["config"] is the CRI plugin config JSON)
 */
import * as grpc from "@grpc/grpc-js";

type Field = { no: number; wire: number; value: bigint | Buffer };

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error("truncated varint");
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function decode(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      fields.push({ no, wire, value: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      fields.push({ no, wire, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

const str = (f: Field | undefined): string => (f && Buffer.isBuffer(f.value) ? f.value.toString("utf8") : "");

export interface PluginInfo {
  type: string;
  id: string;
  initError?: { code: number; message: string };
}

export interface CriStatus {
  conditions: { type: string; status: boolean; reason: string }[];
  info: Record<string, string>;
}

export class ContainerdClient {
  private readonly client: grpc.Client;
  constructor(socketPath: string) {
    this.client = new grpc.Client(`unix://${socketPath}`, grpc.credentials.createInsecure());
  }

  private call(path: string, request: Buffer, deadlineMs = 10_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => (err || !res ? reject(err ?? new Error("empty response")) : resolve(res)),
      );
    });
  }

  async plugins(): Promise<PluginInfo[]> {
    const res = await this.call(
      "/containerd.services.introspection.v1.Introspection/Plugins",
      Buffer.alloc(0),
    );
    return decode(res)
      .filter((f) => f.no === 1 && Buffer.isBuffer(f.value))
      .map((f) => {
        const pf = decode(f.value as Buffer);
        const p: PluginInfo = { type: str(pf.find((x) => x.no === 1)), id: str(pf.find((x) => x.no === 2)) };
        const err = pf.find((x) => x.no === 7);
        if (err && Buffer.isBuffer(err.value)) {
          const ef = decode(err.value);
          const code = ef.find((x) => x.no === 1);
          p.initError = { code: code ? Number(code.value) : 0, message: str(ef.find((x) => x.no === 2)) };
        }
        return p;
      });
  }

  async criStatus(): Promise<CriStatus> {
    // StatusRequest { bool verbose = 1; }
    const res = await this.call(
      "/runtime.v1.RuntimeService/Status",
      Buffer.concat([varint((1 << 3) | 0), varint(1)]),
    );
    const out: CriStatus = { conditions: [], info: {} };
    for (const f of decode(res)) {
      if (f.no === 1 && Buffer.isBuffer(f.value)) {
        // RuntimeStatus { repeated RuntimeCondition conditions = 1; }
        for (const c of decode(f.value).filter((x) => x.no === 1 && Buffer.isBuffer(x.value))) {
          const cf = decode(c.value as Buffer);
          const st = cf.find((x) => x.no === 2);
          out.conditions.push({
            type: str(cf.find((x) => x.no === 1)),
            status: st ? st.value === 1n : false,
            reason: str(cf.find((x) => x.no === 3)),
          });
        }
      } else if (f.no === 2 && Buffer.isBuffer(f.value)) {
        // map<string, string> info = 2: entries { key = 1; value = 2; }
        const ef = decode(f.value);
        out.info[str(ef.find((x) => x.no === 1))] = str(ef.find((x) => x.no === 2));
      }
    }
    return out;
  }

  close(): void {
    this.client.close();
  }
}
