import { describe, expect, it } from "vitest";
import { ipBytes, ipText } from "../../../src/certs/ip.js";

// Go's net.ParseIP decides what K3s's addSANs treats as an IP SAN; x509 stores To4() when it exists.
describe("certs ipBytes (Go net.ParseIP + x509's To4)", () => {
  const hex = (s: string): string | undefined => ipBytes(s)?.toString("hex");

  it("IPv4 as 4 bytes, IPv6 as 16, IPv4-mapped IPv6 as 4", () => {
    expect(hex("10.0.0.5")).toBe("0a000005");
    expect(hex("::1")).toBe("00000000000000000000000000000001");
    expect(hex("2001:DB8::A")).toBe("20010db800000000000000000000000a");
    expect(hex("::ffff:10.0.0.1")).toBe("0a000001");
    expect(hex("::ffff:0a00:0001")).toBe("0a000001");
    // Go reads ::1.2.3.4 as ::102:304 (not IPv4-mapped): 16 bytes.
    expect(hex("::1.2.3.4")).toBe("00000000000000000000000001020304");
    expect(hex("1:2:3:4:5:6:7::")).toBe("00010002000300040005000600070000");
  });

  it("what Go's ParseIP refuses is a DNS name (undefined): zones, leading zeros, bad groups", () => {
    for (const s of ["fe80::1%eth0", "010.0.0.1", "256.1.1.1", "1.2.3", "1::2::3", "1:2:3:4:5:6:7:8:9", "k3s.example.com", ""])
      expect(ipBytes(s), s).toBeUndefined();
  });

  it("round-trips through ipText", () => {
    for (const s of ["10.0.0.5", "::1", "2001:db8::a", "fe80::1:0:0:1"]) expect(ipText(ipBytes(s) as Buffer)).toBe(s);
  });
});
