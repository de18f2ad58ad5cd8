import { describe, expect, it } from "vitest";
import { goIPBytesString, parseGoCIDRBytes, parseGoIPBytes } from "../../../src/internal/go/ip.js";
import { goIPString, parseGoCIDR, parseGoIP } from "../../../src/internal/go/net.js";

// The dependency-free parsers (root entry) and the ipaddr.js-based ones (modules) must agree.
const ips = ["127.0.0.1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "::1", "::", "2001:db8::1", "::ffff:10.0.0.1", "::1.2.3.4", "fe80::1%eth0", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "12345::", "", "a"];
const cidrs = ["10.42.0.0/16", "10.42.1.2/16", "10.0.0.0/33", "2001:cafe:42::/56", "::/0", "1.2.3.4/016", "1.2.3.4", "x/8"];

describe("internal/go/ip (no dependency) agrees with internal/go/net", () => {
  it("ParseIP and IP.String", () => {
    for (const t of ips) {
      const a = parseGoIPBytes(t);
      const b = parseGoIP(t);
      expect(a === undefined, t).toBe(b === undefined);
      if (a && b) expect(goIPBytesString(a), t).toBe(goIPString(b));
    }
  });
  it("ParseCIDR", () => {
    for (const t of cidrs) {
      const a = parseGoCIDRBytes(t);
      const b = parseGoCIDR(t);
      expect(a === undefined, t).toBe(b === undefined);
      if (a && b) {
        expect(a.prefix).toBe(b.prefix);
        expect(goIPBytesString(a.network), t).toBe(goIPString(b.network));
      }
    }
  });
});
