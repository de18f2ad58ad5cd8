import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkResolvConf, isViableNameserver, nameserverRejection, parseResolvConf } from "../../../src/dns/index.js";
import { isKitError } from "../../../src/errors/index.js";

// k3s-behaviours §3, nameserver vector table.
describe("isViableNameserver (§3 vectors)", () => {
  const viable = ["8.8.8.8", "10.0.0.2", "192.168.1.1", "100.100.100.100", "fd00::1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "fd00:ec2::253", "192.0.2.1"];
  const refused: Array<[string, string]> = [
    ["127.0.0.53", "loopback"],
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["ff02::fb", "multicast"],
    ["169.254.0.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "invalid"],
    ["255.255.255.255", "broadcast"],
    ["010.0.0.1", "invalid"],
    ["", "invalid"],
  ];
  for (const a of viable) {
    it(`${a} is viable under both rule sets`, () => {
      expect(isViableNameserver(a)).toBe(true);
      expect(isViableNameserver(a, { follow: "source" })).toBe(true);
    });
  }
  for (const [a, reason] of refused) {
    it(`${JSON.stringify(a)} is refused as ${reason}`, () => {
      expect(nameserverRejection(a)).toBe(reason);
      expect(isViableNameserver(a, { follow: "source" })).toBe(false);
    });
  }
  it("169.254.169.254: refused by the page (default), accepted by the source (IMDS exception, §3/§16.3)", () => {
    expect(nameserverRejection("169.254.169.254")).toBe("link-local");
    expect(isViableNameserver("169.254.169.254", { follow: "source" })).toBe(true);
  });
  it("CIDRs, names and comma lists do not parse", () => {
    for (const a of ["10.0.0.0/8", "dns.google", "1.1.1.1,8.8.8.8", "1.2.3", "00001::1", "::ffff:010.0.0.1"]) {
      expect(nameserverRejection(a), a).toBe("invalid");
    }
  });
});

// k3s-behaviours §3, file vector table.
describe("checkResolvConf (§3 file vectors)", () => {
  const cases: Array<[string, boolean]> = [
    ["nameserver 8.8.8.8\n", true],
    ["nameserver 127.0.0.53\noptions edns0\n", false],
    ["search x\n", false],
    ["", false],
    ["# nameserver 127.0.0.1\nnameserver 1.1.1.1\n", true],
    [" nameserver 127.0.0.1\nnameserver 1.1.1.1\n", true],
    ["NAMESERVER 127.0.0.1\nnameserver 1.1.1.1\n", true],
    ["nameserver 1.1.1.1\nnameserver 127.0.0.1\n", false],
    ["nameserver\t1.1.1.1 # c\n", true],
    ["nameserver   \n", false],
    ["nameserver\n", false],
    ["nameserver 1.1.1.1,8.8.8.8\n", false],
  ];
  for (const [text, viable] of cases) {
    it(`${JSON.stringify(text)} → ${viable ? "viable" : "not viable"}`, () => {
      expect(checkResolvConf(text).viable).toBe(viable);
    });
  }
  it("reports the rejected nameservers with line and reason", () => {
    const r = checkResolvConf("search x\nnameserver 1.1.1.1\nnameserver 127.0.0.53\nnameserver ff02::fb\n");
    expect(r).toEqual({
      viable: false,
      problem: "rejected-nameserver",
      nameservers: [
        { line: 2, address: "1.1.1.1" },
        { line: 3, address: "127.0.0.53" },
        { line: 4, address: "ff02::fb" },
      ],
      rejected: [
        { line: 3, address: "127.0.0.53", reason: "loopback" },
        { line: 4, address: "ff02::fb", reason: "multicast" },
      ],
    });
  });
  it("an empty capture (`nameserver   `) is a rejected invalid nameserver (§16.4)", () => {
    expect(checkResolvConf("nameserver   \n").rejected).toEqual([{ line: 1, address: "", reason: "invalid" }]);
  });
  it("no nameserver gives problem no-nameserver", () => {
    expect(checkResolvConf("nameserver\n").problem).toBe("no-nameserver");
  });
  it("CRLF line endings: the trailing CR is dropped as Go's ScanLines does", () => {
    expect(checkResolvConf("nameserver 1.1.1.1\r\n").nameservers).toEqual([{ line: 1, address: "1.1.1.1" }]);
  });
  it("Go \\s is ASCII-only: a no-break space after `nameserver` does not match", () => {
    expect(checkResolvConf("nameserver\u00a01.1.1.1\n").problem).toBe("no-nameserver");
  });
  it("a line of 64 KiB makes the file unusable (Go scanner error); 64 KiB - 1 is fine", () => {
    const ok = `nameserver 1.1.1.1 ${"x".repeat(65535 - 19)}\n`;
    expect(checkResolvConf(ok).viable).toBe(true);
    const long = `nameserver 1.1.1.1 ${"x".repeat(65536 - 19)}\n`;
    expect(checkResolvConf(long)).toMatchObject({ viable: false, problem: "line-too-long" });
    expect(() => parseResolvConf(long)).toThrow(expect.objectContaining({ code: "RESOLV_CONF_LINE_TOO_LONG" }));
    // Bytes count, not characters: 3-byte characters reach the limit sooner.
    expect(checkResolvConf(`nameserver 1.1.1.1 ${"€".repeat(21846)}`).problem).toBe("line-too-long");
  });
  it("accepts raw bytes", () => {
    expect(checkResolvConf(new TextEncoder().encode("nameserver 9.9.9.9\n")).viable).toBe(true);
  });
  it("an unknown follow option is a typed error", () => {
    expect(() => checkResolvConf("", { follow: "docs" as never })).toThrow(expect.objectContaining({ code: "DNS_OPTION_INVALID" }));
  });
});

describe("fuzz: resolv.conf parsing never throws anything but a KitError", () => {
  const line = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.tuple(fc.constantFrom("nameserver", "nameserver ", "nameserver\t", " nameserver "), fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 20 }))).map(([a, b]) => a + b),
  );
  it("parseResolvConf / checkResolvConf on arbitrary text", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom("\n", "\r\n"), (lines, nl) => {
        const text = lines.join(nl);
        try {
          const p = parseResolvConf(text);
          for (const ns of p.nameservers) expect(ns.address).not.toMatch(/[ \t\r\n\f]/);
        } catch (e) {
          expect(isKitError(e)).toBe(true);
        }
        const c = checkResolvConf(text);
        expect(c.viable).toBe(c.nameservers.length > 0 && c.rejected.length === 0);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
  it("isViableNameserver on arbitrary strings and real addresses", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (a) => {
        const r = nameserverRejection(a);
        expect(r === undefined || ["invalid", "unspecified", "loopback", "multicast", "link-local", "broadcast"].includes(r)).toBe(true);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
