/**
 * corednsCustomConfigMap's YAML: multi-line values are literal block scalars `|` as the K3s docs
 * page shows them (test/fixtures/dns/coredns-custom-page.yaml), never folded `>` or wrapped, and
 * every value survives a YAML parse byte for byte.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { corednsCustomConfigMap } from "../../../src/dns/index.js";

const PAGE = readFileSync(new URL("../../fixtures/dns/coredns-custom-page.yaml", import.meta.url), "utf8");
const pageData = (parse(PAGE) as { data: Record<string, string> }).data;

describe("coredns-custom YAML", () => {
  it("renders the docs page's example byte for byte, zone file as a literal block", async () => {
    const zone = pageData["db.example.net"] as string;
    expect(zone.split("\n").some((l) => l.length > 80)).toBe(true); // the SOA line is long
    const { yaml } = await corednsCustomConfigMap({
      overrides: { "example-com": pageData["example-com.override"] as string },
      servers: { "example-net": pageData["example-net.server"] as string },
      files: { "db.example.net": zone },
    });
    expect(yaml).toBe(PAGE);
    const back = (parse(yaml) as { data: Record<string, string> }).data;
    expect(back["db.example.net"]).toBe(zone);
    expect(yaml).not.toMatch(/: >/);
  });

  it("keeps any multi-line value exact: long lines, leading spaces, no or extra final newlines", async () => {
    const files: Record<string, string> = {
      long: `${"x ".repeat(70)}\nshort\n`,
      lead: "  indented first line\nnext\n",
      trailing: "a  \nb\n",
      nonl: "a\nb",
      extra: "a\n\n\n",
      tab: "\tx\ny\n",
      single: "y ".repeat(70),
      cr: "a\r\nb\n",
    };
    const { yaml } = await corednsCustomConfigMap({ files });
    const back = (parse(yaml) as { data: Record<string, string> }).data;
    expect(back).toEqual(files);
    expect(yaml).toContain("  long: |\n");
    expect(yaml).toContain("  nonl: |-\n");
    expect(yaml).toContain("  extra: |+\n");
    expect(yaml).not.toMatch(/: >/);
    // Single-line values are not wrapped either.
    expect(yaml.split("\n").find((l) => l.startsWith("  single:"))?.length).toBeGreaterThan(140);
  });
});
