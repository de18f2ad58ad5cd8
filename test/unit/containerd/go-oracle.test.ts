/**
 * Differential property test: our base templates rendered by our engine versus the same template
 * text rendered by Go's text/template (bench/go/containerd/main.go, stdlib only), for random dots.
 * Complements the K3s vectors (k3s-vectors.test.ts) with many more shapes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ContainerdConfigOptions,
  KNOWN_SNAPSHOTTERS,
  baseTemplateText,
  containerdConfigFor,
  renderContainerdConfig,
} from "../../../src/containerd/index.js";
import type { ContainerdConfig, Registry } from "../../../src/containerd/index.js";
import { KNOWN_RUNTIMES } from "../../../src/runtime/index.js";
import { buildGo } from "../../helpers/go.js";

const chars = fc.constantFrom(...Array.from("abcXYZ019/._-: \"\\'é中😀\t\n\u0001[]#="), "\u00a0");
const text = fc.array(chars, { maxLength: 12 }).map((a) => a.join(""));
const path = text.map((s) => `/${s}`);
const host = fc.constantFrom(
  "docker.io",
  "registry.example.com",
  "r.example.com:5000",
  "*",
  'q"uote.example.com',
);

const registry: fc.Arbitrary<Registry> = fc
  .dictionary(
    host,
    fc.record({
      Auth: fc.option(fc.record({ Username: text, Password: text, Auth: text, IdentityToken: text }), {
        nil: null,
      }),
      TLS: fc.option(
        fc.record({ CAFile: text, CertFile: text, KeyFile: text, InsecureSkipVerify: fc.boolean() }),
        { nil: null },
      ),
    }),
    { maxKeys: 3 },
  )
  .map((Configs) => ({ Mirrors: {}, Configs }));

const options: fc.Arbitrary<ContainerdConfigOptions> = fc
  .record({
    dataDir: path,
    snapshotter: fc.constantFrom(...KNOWN_SNAPSHOTTERS, ""),
    pauseImage: text,
    rootless: fc.boolean(),
    disableCgroup: fc.boolean(),
    systemdCgroup: fc.boolean(),
    selinux: fc.boolean(),
    nonrootDevices: fc.boolean(),
    enableUnprivileged: fc.boolean(),
    imageServiceEndpoint: text,
    blockIOConfig: fc.constantFrom("", "/etc/blockio.yaml"),
    rdtConfig: fc.constantFrom("", "/etc/rdt.yaml"),
    cni: fc.oneof(fc.constant(false as const), fc.record({ binDir: text, confDir: text })),
    runtimes: fc
      .subarray([...KNOWN_RUNTIMES])
      .chain((rts) =>
        fc
          .tuple(...rts.map(() => fc.oneof(path, fc.constant(""))))
          .map((bins) =>
            Object.fromEntries(
              rts.map((r, i) => [r.name, { RuntimeType: r.runtimeType, BinaryName: bins[i] ?? "" }]),
            ),
          ),
      ),
    registries: registry,
  })
  .chain((o) =>
    fc.constantFrom("", ...Object.keys(o.runtimes)).map((defaultRuntime) => ({ ...o, defaultRuntime })),
  );

function goRender(version: 2 | 3, configs: ContainerdConfig[]): string[] {
  const bin = buildGo("bench/go/containerd/main.go", "containerd-bench");
  const dir = mkdtempSync(join(tmpdir(), "ctd-oracle-"));
  try {
    writeFileSync(join(dir, "t.tmpl"), baseTemplateText(version));
    writeFileSync(join(dir, "c.json"), JSON.stringify(configs));
    return JSON.parse(
      execFileSync(bin, [join(dir, "t.tmpl"), join(dir, "c.json"), "0"], {
        encoding: "utf8",
        maxBuffer: 64 << 20,
      }),
    ) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("our base templates: our engine equals Go text/template", () => {
  for (const version of [3, 2] as const) {
    it(`v${version}, 150 random dots`, () => {
      const samples = fc.sample(options, { seed: 42 + version, numRuns: 150 });
      const dots = samples.map((o) => {
        const c = containerdConfigFor(o);
        c.NodeConfig.Containerd.ConfigVersion = version;
        return c;
      });
      const go = goRender(version, dots);
      dots.forEach((dot, i) => {
        expect(renderContainerdConfig(dot, { version, validate: false }), JSON.stringify(samples[i])).toBe(
          go[i],
        );
      });
    }, 60_000);
  }
});
