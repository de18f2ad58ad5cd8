import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GO_ZERO_TIME,
  bootstrapFields,
  decodeBootstrap,
  decodeBootstrapData,
  decryptBootstrapValue,
  encodeBootstrap,
  encodeBootstrapData,
  encryptBootstrapValue,
  formatRfc3339,
  parseRfc3339,
  planReconcile,
} from "../../../src/cluster/index.js";
import { isKitError } from "../../../src/errors/index.js";

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isKitError(e) ? e.code : String(e);
  }
  return undefined;
};

describe("RFC 3339 (Go time.Time JSON)", () => {
  it("formats like RFC3339Nano and parses back, nanosecond-exact, years 1–9999", () => {
    expect(formatRfc3339(0n)).toBe("1970-01-01T00:00:00Z");
    expect(formatRfc3339(1_500_000_000n)).toBe("1970-01-01T00:00:01.5Z");
    expect(formatRfc3339(-1n)).toBe("1969-12-31T23:59:59.999999999Z");
    expect(parseRfc3339(GO_ZERO_TIME)).toBe(-62135596800n * 1_000_000_000n);
    const min = -62135596800n * 1_000_000_000n;
    const max = 253402300799n * 1_000_000_000n + 999_999_999n;
    fc.assert(fc.property(fc.bigInt({ min, max }), (ns) => parseRfc3339(formatRfc3339(ns)) === ns));
  });

  it("agrees with Date for millisecond times and honours zone offsets", () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000_000_000_000, max: 30_000_000_000_000 }), (ms) => {
        const iso = new Date(ms).toISOString();
        if (iso.startsWith("-") || iso.startsWith("+")) return true;
        return parseRfc3339(iso) === BigInt(ms) * 1_000_000n;
      }),
    );
    expect(parseRfc3339("2024-03-01T09:00:00+09:00")).toBe(parseRfc3339("2024-03-01T00:00:00Z"));
    expect(parseRfc3339("2024-02-29T23:30:00.25-00:30")).toBe(parseRfc3339("2024-03-01T00:00:00.25Z"));
  });

  it("refuses what Go refuses", () => {
    for (const bad of [
      "2023-02-29T00:00:00Z",
      "2024-01-01 00:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:00:00",
      "2024-01-01T00:00:00.Z",
    ]) {
      expect(code(() => parseRfc3339(bad))).toBe("CLUSTER_BOOTSTRAP_JSON");
    }
  });
});

describe("codec", () => {
  const data = {
    ServerCA: { timestamp: "2024-05-06T07:08:09.123456789Z", content: Buffer.from("ca\n") },
    ClientCA: { timestamp: "2024-05-06T07:08:09Z", content: Buffer.from([0, 255, 10]) },
  };

  it("writes keys sorted with a trailing newline, like json.Encoder", () => {
    expect(encodeBootstrapData(data).toString()).toBe(
      '{"ClientCA":{"Timestamp":"2024-05-06T07:08:09Z","Content":"AP8K"},"ServerCA":{"Timestamp":"2024-05-06T07:08:09.123456789Z","Content":"Y2EK"}}\n',
    );
  });

  it("round-trips through encrypt/decrypt, is random per call and deterministic with salt and nonce", () => {
    const a = encodeBootstrap(`K10${"ab".repeat(32)}::server:pw`, data);
    const b = encodeBootstrap("pw", data);
    expect(a.key).toBe(b.key);
    expect(a.value).not.toBe(b.value);
    expect(decodeBootstrap("pw", a.value)).toEqual({ data, format: "files" });
    const nonce = Buffer.alloc(12, 7);
    expect(encryptBootstrapValue("pw", Buffer.from("x"), { salt: "0011223344556677", nonce })).toBe(
      encryptBootstrapValue("pw", Buffer.from("x"), { salt: "0011223344556677", nonce }),
    );
    expect(a.value).toMatch(/^[0-9a-f]{16}:[A-Za-z0-9+/]+=*$/);
  });

  it("reads the old map[string][]byte layout and Go's lenient field names / nulls", () => {
    expect(decodeBootstrapData(Buffer.from('{"ServerCA":"Y2EK","X":null}'))).toEqual({
      format: "legacy",
      data: {
        ServerCA: { timestamp: GO_ZERO_TIME, content: Buffer.from("ca\n") },
        X: { timestamp: GO_ZERO_TIME, content: Buffer.alloc(0) },
      },
    });
    expect(
      decodeBootstrapData(Buffer.from('{"ServerCA":{"timestamp":"2024-01-01T00:00:00Z","content":"Y2EK"}}'))
        .data.ServerCA,
    ).toEqual({
      timestamp: "2024-01-01T00:00:00Z",
      content: Buffer.from("ca\n"),
    });
  });

  it("types its errors", () => {
    expect(code(() => decryptBootstrapValue("pw", "no-colon"))).toBe("CLUSTER_BOOTSTRAP_FORMAT");
    expect(code(() => decryptBootstrapValue("pw", "aa:!!"))).toBe("CLUSTER_BOOTSTRAP_FORMAT");
    expect(code(() => decryptBootstrapValue("pw", "aa:AAAA"))).toBe("CLUSTER_BOOTSTRAP_FORMAT");
    const v = encryptBootstrapValue("pw", Buffer.from("{}"));
    expect(code(() => decryptBootstrapValue("other", v))).toBe("CLUSTER_BOOTSTRAP_DECRYPT");
    expect(code(() => decodeBootstrapData(Buffer.from("[1]")))).toBe("CLUSTER_BOOTSTRAP_JSON");
    expect(code(() => decodeBootstrapData(Buffer.from('{"a":1}')))).toBe("CLUSTER_BOOTSTRAP_JSON");
    expect(code(() => encodeBootstrap("abcdef.0123456789abcdef", data))).toBe("TOKEN_NORMALIZE");
    expect(code(() => encryptBootstrapValue("pw", Buffer.from(""), { nonce: Buffer.alloc(3) }))).toBe(
      "CLUSTER_OPTION_INVALID",
    );
  });

  it("carries 13 fields, 15 with secrets encryption", () => {
    expect(bootstrapFields()).toHaveLength(13);
    expect(bootstrapFields({ secretsEncryption: true })).toHaveLength(15);
  });
});

describe("planReconcile (K3s ReconcileBootstrapData)", () => {
  const ts = "2024-01-01T00:00:10Z";
  const sec = (s: number) => BigInt(s) * 1_000_000_000n;
  const t10 = Number(parseRfc3339(ts) / 1_000_000_000n);
  const datastore = {
    ServerCA: { timestamp: ts, content: Buffer.from("new") },
    Unknown: { timestamp: ts, content: Buffer.from("?") },
  };
  const paths = { ServerCA: "/d/server/tls/server-ca.crt" };

  it("writes everything when a cert dir is missing", () => {
    expect(planReconcile({ certDirsPresent: false, datastore, disk: {}, paths })).toMatchObject({
      writeDisk: true,
      reason: "cert-dirs-missing",
    });
  });
  it("updates a missing file, keeps equal ones, skips unknown fields", () => {
    expect(planReconcile({ certDirsPresent: true, datastore, disk: {}, paths })).toMatchObject({
      writeDisk: true,
      updated: ["ServerCA"],
    });
    expect(
      planReconcile({
        certDirsPresent: true,
        datastore,
        disk: { ServerCA: { content: Buffer.from("new"), mtimeNs: sec(t10 + 100) } },
        paths,
      }),
    ).toMatchObject({ writeDisk: false, reason: "in-sync" });
  });
  it("differs: datastore wins unless the file is ≥ 3 s newer", () => {
    const at = (s: number) =>
      planReconcile({
        certDirsPresent: true,
        datastore,
        disk: { ServerCA: { content: Buffer.from("old"), mtimeNs: sec(t10 + s) + 999n } },
        paths,
      });
    expect(at(2)).toMatchObject({ updated: ["ServerCA"], newerOnDisk: [] });
    expect(at(-50)).toMatchObject({ updated: ["ServerCA"], newerOnDisk: [] });
    expect(at(3)).toMatchObject({ updated: [], newerOnDisk: ["/d/server/tls/server-ca.crt"] });
  });
});
