import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rootlessSettingsFromEnv } from "../../../src/rootless/index.js";
import { askGo } from "../dns/go-oracle.js";

// K3s parses K3S_ROOTLESS_MTU with strconv.ParseInt and the booleans with strconv.ParseBool
// (k3s-behaviours §10); compare our reading with real Go's for generated inputs.
describe("rootless variable parsing vs Go strconv", () => {
  const texts = fc.sample(
    fc.oneof(fc.string({ maxLength: 8 }), fc.integer().map(String), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String), fc.constantFrom("+1", "-0", "0x10", "1_000", " 1", "1 ", "٣", "TRUE", "True", "tRUE", "yes", "t", "F", "00012")),
    { seed: 42, numRuns: 1500 },
  ).filter((s) => s !== "");
  it("MTU matches ParseInt (valid non-negative → that MTU, invalid → warning)", () => {
    const go = askGo<string | null>("parseint", texts);
    const bad: string[] = [];
    texts.forEach((t, i) => {
      const g = go[i] ?? null;
      let ours: string | null;
      try {
        const r = rootlessSettingsFromEnv({ K3S_ROOTLESS_MTU: t }, { follow: "source" });
        ours = r.warnings.length > 0 ? null : String(r.settings.mtu);
      } catch {
        ours = "negative";
      }
      // 0 asks slirp4netns for its default, 65520.
      const expected = g === null ? null : BigInt(g) < 0n ? "negative" : BigInt(g) === 0n ? "65520" : String(BigInt(g));
      if (ours !== expected) bad.push(`${JSON.stringify(t)} ours=${ours} go=${g}`);
    });
    expect(bad).toEqual([]);
  });
  it("booleans match ParseBool", () => {
    const go = askGo<boolean | null>("parsebool", texts);
    const bad = texts.filter((t, i) => {
      const r = rootlessSettingsFromEnv({ K3S_ROOTLESS_DISABLE_HOST_LOOPBACK: t });
      const ours = r.warnings.length > 0 ? null : r.settings.disableHostLoopback;
      return ours !== go[i];
    });
    expect(bad).toEqual([]);
  });
});
