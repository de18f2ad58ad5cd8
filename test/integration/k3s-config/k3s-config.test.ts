import { execFileSync } from "node:child_process";
import { mkdir, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  k3sConfigArgs,
  k3sConfigFiles,
  loadK3sConfig,
  validateK3sConfig,
  writeK3sConfig,
} from "../../../src/k3s-config/index.js";
import { buildGo, haveGo } from "../../helpers/go.js";
import { tempDir } from "../../helpers/tmp.js";

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir("k3s-config-"));
});
afterAll(async () => cleanup());

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, text);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("loadK3sConfig with real files (k3s configfilearg: config.yaml + config.yaml.d)", () => {
  it("reads the main file then the .yaml/.yml drop-ins by name, merging with K3s rules", async () => {
    const dir = join(root, "full");
    const path = join(dir, "config.yaml");
    await put(
      path,
      'write-kubeconfig-mode: "0600"\nnode-label:\n  - zone=a\ntls-san: [one.example]\nselinux: false\n',
    );
    await put(join(dir, "config.yaml.d", "20-labels.yaml"), "node-label+:\n  - disk=ssd\nselinux: true\n");
    await put(
      join(dir, "config.yaml.d", "10-first.YML"),
      "tls-san+: two.example\nnode-taint+: [gpu=true:NoSchedule]\n",
    );
    await put(
      join(dir, "config.yaml.d", "30-last.yml"),
      'write-kubeconfig-mode: "0644"\nnode-label+: [rack=7]\nwho-knows: 1\n',
    );
    // Not read: wrong suffix, a directory named like a drop-in.
    await put(join(dir, "config.yaml.d", "40-notes.txt"), "selinux: false\n");
    await mkdir(join(dir, "config.yaml.d", "50-dir.yaml"), { recursive: true });

    const loaded = await loadK3sConfig({ path, role: "server" });
    expect(loaded.files).toEqual([
      path,
      join(dir, "config.yaml.d", "10-first.YML"),
      join(dir, "config.yaml.d", "20-labels.yaml"),
      join(dir, "config.yaml.d", "30-last.yml"),
    ]);
    expect(loaded.config).toEqual({
      "write-kubeconfig-mode": "0644",
      "node-label": ["zone=a", "disk=ssd", "rack=7"],
      "tls-san": ["one.example", "two.example"],
      selinux: true,
      "node-taint": ["gpu=true:NoSchedule"],
    });
    expect(loaded.unknown).toEqual({ "who-knows": 1 });
    expect(loaded.warnings).toEqual([
      {
        code: "K3S_CONFIG_UNKNOWN_KEY",
        message: `unknown key "who-knows" in ${join(dir, "config.yaml.d", "30-last.yml")}: k3s server skips it with a warning`,
        path: "who-knows",
        file: join(dir, "config.yaml.d", "30-last.yml"),
      },
    ]);
    expect(loaded.sources.selinux).toEqual([join(dir, "config.yaml.d", "20-labels.yaml")]);
  });

  it("uses drop-ins alone when the main file is missing", async () => {
    const dir = join(root, "dropin-only");
    await put(join(dir, "config.yaml.d", "a.yaml"), "selinux: true\n");
    const loaded = await loadK3sConfig({ path: join(dir, "config.yaml") });
    expect(loaded.files).toEqual([join(dir, "config.yaml.d", "a.yaml")]);
    expect(loaded.config).toEqual({ selinux: true });
  });

  it("takes the path from K3S_CONFIG_FILE when given an env and no path", async () => {
    const path = join(root, "from-env", "custom.yaml");
    await put(path, "selinux: true\n");
    const loaded = await loadK3sConfig({ env: { K3S_CONFIG_FILE: path } });
    expect(loaded.files).toEqual([path]);
    expect(loaded.config).toEqual({ selinux: true });
  });

  it("returns an empty config when neither the file nor drop-ins exist (K3s runs without one)", async () => {
    const loaded = await loadK3sConfig({ path: join(root, "nothing", "config.yaml") });
    expect(loaded.files).toEqual([]);
    expect(loaded.config).toEqual({});
  });

  it("follows a symlinked drop-in file", async () => {
    const dir = join(root, "links");
    await put(join(dir, "shared.yaml"), "node-label: [from=link]\n");
    await mkdir(join(dir, "config.yaml.d"), { recursive: true });
    await symlink(join(dir, "shared.yaml"), join(dir, "config.yaml.d", "10-link.yaml"));
    const loaded = await loadK3sConfig({ path: join(dir, "config.yaml") });
    expect(loaded.config["node-label"]).toEqual(["from=link"]);
  });

  it("names the drop-in, line and column of malformed YAML", async () => {
    const dir = join(root, "bad-yaml");
    await put(join(dir, "config.yaml"), "selinux: true\n");
    const bad = join(dir, "config.yaml.d", "10-bad.yaml");
    await put(bad, "node-label:\n  - a=b\n bad-indent: [\n");
    const err = await rejection(loadK3sConfig({ path: join(dir, "config.yaml") }));
    expect(isKitError(err, "K3S_CONFIG_YAML")).toBe(true);
    expect((err as Error).message.startsWith(`${bad}:`)).toBe(true);
  });

  it("names the file and key of a wrong type", async () => {
    const dir = join(root, "bad-type");
    await put(join(dir, "config.yaml"), "selinux: true\n");
    const late = join(dir, "config.yaml.d", "99-late.yaml");
    await put(late, "selinux: sometimes\n");
    const err = await rejection(loadK3sConfig({ path: join(dir, "config.yaml") }));
    expect(isKitError(err, "K3S_CONFIG_TYPE")).toBe(true);
    expect((err as Error).message).toContain(`key "selinux" in ${late}`);
    expect((err as { issues: { file?: string }[] }).issues[0]?.file).toBe(late);
  });

  it("fails on a drop-in path that is a file, and on URLs", async () => {
    const dir = join(root, "dropin-file");
    await put(join(dir, "config.yaml"), "selinux: true\n");
    await put(join(dir, "config.yaml.d"), "not a dir\n");
    expect(
      isKitError(await rejection(loadK3sConfig({ path: join(dir, "config.yaml") })), "K3S_CONFIG_READ"),
    ).toBe(true);
    expect(
      isKitError(
        await rejection(k3sConfigFiles("https://example.invalid/config.yaml")),
        "K3S_CONFIG_URL_UNSUPPORTED",
      ),
    ).toBe(true);
  });

  it("rejects with the abort reason when aborted", async () => {
    const ac = new AbortController();
    const reason = new Error("stop");
    ac.abort(reason);
    expect(
      await rejection(loadK3sConfig({ path: join(root, "full", "config.yaml"), signal: ac.signal })),
    ).toBe(reason);
  });
});

describe("writeK3sConfig → loadK3sConfig round-trip on disk", () => {
  it("writes 0600 atomically and reads back the same values", async () => {
    const path = join(root, "written", "config.yaml");
    const config = {
      token: "K10abc::server:secret",
      "node-label": ["tier=db", "yes"],
      "write-kubeconfig-mode": "0644",
      selinux: true,
      "https-listen-port": 6443,
      "etcd-s3-timeout": "5m",
    };
    await writeK3sConfig(path, config, { header: "generated" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const loaded = await loadK3sConfig({ path, role: "server" });
    expect(loaded.config).toEqual(config);
    expect(loaded.warnings).toEqual([]);
  });

  it("writes nothing when the config is invalid", async () => {
    const path = join(root, "written", "never.yaml");
    const err = await rejection(writeK3sConfig(path, { selinux: "maybe" as unknown as boolean }));
    expect(isKitError(err, "K3S_CONFIG_TYPE")).toBe(true);
    expect(await rejection(stat(path))).toMatchObject({ code: "ENOENT" });
  });
});

// Differential check of the value typing against the Go standard library flag package, which
// urfave/cli v2 uses underneath for bool, int and duration flags: the argument K3s builds from the
// YAML value (k3sConfigArgs) must parse in Go exactly when validateK3sConfig accepts it.
describe("flag value typing vs Go's flag package (strconv.ParseBool, ParseInt base 0, time.ParseDuration)", () => {
  const flagOf = { bool: "selinux", int: "https-listen-port", duration: "etcd-s3-timeout" } as const;
  type Kind = keyof typeof flagOf;

  function askGo(queries: { kind: Kind; arg: string }[]): { ok: boolean; value: string }[] {
    const bin = buildGo("test/integration/node/go-flags.go", "node-go-flags");
    const out = execFileSync(bin, { input: JSON.stringify(queries), maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(out.toString("utf8"));
  }

  it("go toolchain is present (CI installs golang-go)", () => {
    expect(haveGo()).toBe(true);
  });

  it("agrees on generated and tricky values (fixed seed)", () => {
    const tricky = [
      ...["true", "false", "1", "0", "t", "F", "TRUE", "True", "tRUE", "yes", "on", "", " true", "2", "-1"],
      ...[
        "6443",
        "010",
        "08",
        "0x1F",
        "0X1f",
        "0o17",
        "0b101",
        "-0b1",
        "+5",
        "1_000",
        "1__0",
        "_1",
        "1_",
        "0x_1F",
        "0_7",
      ],
      ...["0_8", "9007199254740991", "-9007199254740991", "1e3", "1.0", " 5", "5 ", "0x", "00", "-0"],
      ...[
        "5m",
        "1h30m",
        "300ms",
        "1.5h",
        ".5s",
        "1.s",
        "1µs",
        "1μs",
        "1us",
        "1ns",
        "-1.5h",
        "+2m",
        "0",
        "-0",
        "5",
      ],
      ...[
        "1h 30m",
        "1H",
        "9999999999h",
        "2562047h",
        "2562048h",
        "1d",
        ".s",
        "1.2.3s",
        "5m0s",
        "0.000000001ns",
      ],
    ];
    const raw = fc.sample(
      fc.oneof(
        fc.constantFrom(...tricky),
        fc.string({ unit: fc.constantFrom(..."0123456789_.+-xXoObBeEhmsnuµtTfFrRuUlLaA "), maxLength: 8 }),
        fc.integer(),
        fc.boolean(),
        fc.double({ noNaN: false }),
      ),
      { seed: 42, numRuns: 1500 },
    );
    const kinds: Kind[] = ["bool", "int", "duration"];
    const cases = raw.flatMap((value) => kinds.map((kind) => ({ kind, value })));
    const queries = cases.map(({ kind, value }) => {
      const [arg] = k3sConfigArgs({ x: value }).map((a) => a.replace(/^-x=/, "--x="));
      return { kind, arg: arg as string };
    });
    const go = askGo(queries);
    const mismatches: unknown[] = [];
    cases.forEach(({ kind, value }, i) => {
      const answer = go[i] as { ok: boolean; value: string };
      let ours: { ok: boolean; value?: unknown };
      try {
        ours = {
          ok: true,
          value: (validateK3sConfig({ [flagOf[kind]]: value }).config as Record<string, unknown>)[
            flagOf[kind]
          ],
        };
      } catch (e) {
        if (!isKitError(e)) throw e;
        ours = { ok: false };
      }
      // Durations are kept as text; ints beyond 2^53 are JavaScript numbers (nearest value).
      const comparable =
        kind !== "duration" && !(typeof ours.value === "number" && !Number.isSafeInteger(ours.value));
      const same = ours.ok === answer.ok && (!ours.ok || !comparable || String(ours.value) === answer.value);
      if (!same) mismatches.push({ kind, value, go: answer, ours });
    });
    expect(mismatches).toEqual([]);
  });
});
