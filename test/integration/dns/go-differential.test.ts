import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkResolvConf, isViableNameserver } from "../../../src/dns/index.js";
import { haveGo } from "../../helpers/go.js";
import { askGo } from "./go-oracle.js";

// Differential test against the real Go standard library (net.ParseIP, IsGlobalUnicast, regexp,
// bufio.Scanner), which is what K3s's isValidResolvConf uses (k3s-behaviours §3). With
// follow: "source" our answers must equal Go's for every input.
describe("dns vs Go (k3s-behaviours §3)", () => {
  it("go toolchain is present (CI installs golang-go)", () => {
    expect(haveGo()).toBe(true);
  });

  it("nameserver viability matches Go for generated and tricky addresses", () => {
    const gen = fc.sample(
      fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.ipV4Extended(),
        fc.string({ maxLength: 16 }),
        fc.constantFrom("::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0", "::ffff:255.255.255.255", "0:0:0:0:0:ffff:a00:1", "::127.0.0.1", "fe80::1%eth0", "FE80::1", "febf::1", "fec0::1", "ff00::", "00:0:0::1", "1:2:3:4:5:6:7:8:9", "1.2.3.4.5", "1.2.3.04", "255.255.255.256", "240.0.0.1", "0.0.0.1", "::ffff:1.2.3.4:5", "[::1]", " 1.1.1.1"),
      ),
      { seed: 42, numRuns: 3000 },
    );
    const go = askGo<boolean>("nameserver", gen);
    const mismatches = gen.filter((a, i) => isViableNameserver(a, { follow: "source" }) !== go[i]);
    expect(mismatches).toEqual([]);
  });

  it("whole-file viability matches Go's scanner + regexp", () => {
    const line = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.constantFrom("nameserver ", "nameserver\t", "nameserver  ", "nameserver", " nameserver ", "Nameserver ", "nameserver\v", "nameserver\f"), fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom("127.0.0.53", "", "169.254.169.254")), fc.constantFrom("", " # c", "\t", "\r")).map((p) => p.join("")),
    );
    const files = fc.sample(
      fc.tuple(fc.array(line, { maxLength: 6 }), fc.constantFrom("\n", "\r\n", "\r")).map(([ls, nl]) => ls.join(nl)),
      { seed: 42, numRuns: 1500 },
    );
    files.push(`nameserver 1.1.1.1 ${"x".repeat(65535 - 19)}\n`, `nameserver 1.1.1.1 ${"x".repeat(65536 - 19)}\n`, `nameserver 1.1.1.1 ${"x".repeat(65536 - 19)}`, `nameserver 1.1.1.1 ${"x".repeat(65535 - 19)}`);
    const go = askGo<boolean>("resolvconf", files);
    const mismatches = files.filter((f, i) => checkResolvConf(f, { follow: "source" }).viable !== go[i]).map((f) => f.slice(0, 80));
    expect(mismatches).toEqual([]);
  });
});

// The same Go-semantics helper canonicalises CIDRs for NO_PROXY (k3s-behaviours §5.1).
describe("CIDR canonical form vs Go's net.ParseCIDR + IPNet.String (§5.1)", () => {
  it("augmentNoProxy's CIDR text equals Go's for generated CIDRs", async () => {
    const { augmentNoProxy } = await import("../../../src/proxy/index.js");
    const cidrs = fc.sample(
      fc.oneof(
        fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 })).map(([a, b]) => `${a}/${b}`),
        fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 })).map(([a, b]) => `${a}/${b}`),
        fc.constantFrom("::ffff:10.1.0.0/104", "::ffff:10.1.0.0/96", "::ffff:10.1.0.0/90", "10.0.0.0/8/8", "10.0.0.0/", "/8", "::/0", "0.0.0.0/0", "fe80::1%eth0/64", "::1.2.3.4/120"),
      ),
      { seed: 42, numRuns: 2000 },
    );
    const go = askGo<string | null>("cidr", cidrs);
    const mismatches: string[] = [];
    cidrs.forEach((c, i) => {
      let ours: string | null;
      try {
        ours = (augmentNoProxy({}, { clusterCIDRs: [c] }).NO_PROXY ?? "").split(",")[2] ?? null;
      } catch {
        ours = null;
      }
      if (ours !== go[i]) mismatches.push(`${c}: ours ${ours} go ${go[i]}`);
    });
    expect(mismatches).toEqual([]);
  });
});
