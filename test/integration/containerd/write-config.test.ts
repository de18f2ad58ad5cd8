/** writeContainerdConfig / writeContainerdHosts on a real filesystem (k3s-behaviours §6.2, §6.6). */
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ContainerdEvent,
  containerdConfigFor,
  parseRegistriesYaml,
  renderContainerdConfig,
  writeContainerdConfig,
  writeContainerdHosts,
} from "../../../src/containerd/index.js";
import { isKitError, type KitErrorCode } from "../../../src/errors/index.js";
import { tempDir } from "../../helpers/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
const OLD = "# old config\n";

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("ctd-write-"));
  await writeFile(join(dir, "config.toml"), OLD);
});
afterEach(async () => cleanup());

const config = containerdConfigFor({
  registries: parseRegistriesYaml("configs:\n  r.example.com:\n    auth:\n      password: secret-pw\n"),
});
const write = (onEvent?: (e: ContainerdEvent) => void) =>
  writeContainerdConfig({ templateDir: dir, configPath: join(dir, "config.toml"), config, onEvent });

async function rejectsWith(p: Promise<unknown>, code: KitErrorCode): Promise<Error & { value: unknown }> {
  try {
    await p;
  } catch (e) {
    expect(isKitError(e, code), String(e)).toBe(true);
    return e as Error & { value: unknown };
  }
  throw new Error(`expected ${code}`);
}

describe("writeContainerdConfig template selection", () => {
  it("no templates: built-in v3, file 0644, events carry no config text", async () => {
    const events: ContainerdEvent[] = [];
    const r = await write((e) => events.push(e));
    expect(r).toEqual({ template: "built-in", version: 3, configPath: join(dir, "config.toml") });
    const text = await readFile(join(dir, "config.toml"), "utf8");
    expect(text).toBe(renderContainerdConfig(config, { version: 3 }));
    expect((await stat(join(dir, "config.toml"))).mode & 0o777).toBe(0o644);
    expect(events.map((e) => e.type)).toEqual(["containerd.template", "containerd.written"]);
    expect(JSON.stringify(events)).not.toContain("secret-pw");
  });

  it("no templates with defaultVersion 2 (an installed containerd 1.x): built-in v2; a user template still decides", async () => {
    const r = await writeContainerdConfig({ templateDir: dir, configPath: join(dir, "config.toml"), config, defaultVersion: 2 });
    expect(r).toEqual({ template: "built-in", version: 2, configPath: join(dir, "config.toml") });
    expect(await readFile(join(dir, "config.toml"), "utf8")).toBe(renderContainerdConfig(config, { version: 2 }));
    await writeFile(join(dir, "config-v3.toml.tmpl"), '{{ template "base" . }}');
    try {
      const v3 = await writeContainerdConfig({ templateDir: dir, configPath: join(dir, "config.toml"), config, defaultVersion: 2 });
      expect(v3.version).toBe(3);
    } finally {
      await rm(join(dir, "config-v3.toml.tmpl"));
    }
    await rejectsWith(writeContainerdConfig({ templateDir: dir, configPath: join(dir, "config.toml"), config, defaultVersion: 4 as never }), "CONTAINERD_OPTION_INVALID");
  });

  it("config.toml.tmpl alone → version 2 with the V2 base", async () => {
    await writeFile(join(dir, "config.toml.tmpl"), '{{ template "base" . }}');
    const r = await write();
    expect(r.version).toBe(2);
    expect(r.template).toBe(join(dir, "config.toml.tmpl"));
    expect(await readFile(join(dir, "config.toml"), "utf8")).toBe(
      renderContainerdConfig(config, { version: 2 }),
    );
  });

  it("config-v3.toml.tmpl wins over config.toml.tmpl", async () => {
    await writeFile(join(dir, "config.toml.tmpl"), "broken {{");
    await writeFile(
      join(dir, "config-v3.toml.tmpl"),
      '{{ template "base" . }}\n[extra]\n  x = {{ .NodeConfig.Containerd.ConfigVersion }}\n',
    );
    const r = await write();
    expect(r.version).toBe(3);
    expect(await readFile(join(dir, "config.toml"), "utf8")).toBe(
      `${renderContainerdConfig(config, { version: 3 })}\n[extra]\n  x = 3\n`,
    );
  });
});

describe("bad templates: typed error, old file untouched, no temp files left", () => {
  const cases: [string, string, KitErrorCode][] = [
    ["parse error", "{{ if }}", "CONTAINERD_TEMPLATE_PARSE"],
    ["exec error", "{{ .NodeConfig.Nope.Deeper }}{{ index .ExtraRuntimes 1 }}", "CONTAINERD_TEMPLATE_EXEC"],
    ["invalid TOML", '{{ template "base" . }}\n[plugins.broken\n', "CONTAINERD_TOML_INVALID"],
  ];
  for (const [name, tmpl, code] of cases) {
    it(name, async () => {
      await writeFile(join(dir, "config-v3.toml.tmpl"), tmpl);
      const e = await rejectsWith(write(), code);
      expect(e.message).toContain(join(dir, "config-v3.toml.tmpl"));
      expect(await readFile(join(dir, "config.toml"), "utf8")).toBe(OLD);
      expect((await readdir(dir)).sort()).toEqual(["config-v3.toml.tmpl", "config.toml"]);
    });
  }

  it("a misspelt field (K3s's dot is Go structs) fails with Go's error, nothing written", async () => {
    await writeFile(join(dir, "config-v3.toml.tmpl"), '{{ template "base" . }}\n[x]\n  s = "{{ .NodeConfig.Snapshoter }}"\n');
    const e = await rejectsWith(write(), "CONTAINERD_TEMPLATE_EXEC");
    // Go's text/template message for the same template over K3s's templates.ContainerdConfig.
    expect(e.message).toContain(
      'template: compiled_template:3:21: executing "compiled_template" at <.NodeConfig.Snapshoter>: can\'t evaluate field Snapshoter in type *config.Node',
    );
    expect(await readFile(join(dir, "config.toml"), "utf8")).toBe(OLD);
    expect((await readdir(dir)).sort()).toEqual(["config-v3.toml.tmpl", "config.toml"]);
  });

  it("invalid TOML error names the line and the offending text", async () => {
    await writeFile(
      join(dir, "config-v3.toml.tmpl"),
      'version = 3\nroot = "{{ .NodeConfig.Containerd.Root }}\n',
    );
    const e = await rejectsWith(write(), "CONTAINERD_TOML_INVALID");
    expect(e.value).toMatchObject({
      template: join(dir, "config-v3.toml.tmpl"),
      line: 2,
      text: 'root = "/var/lib/rancher/k3s/agent/containerd',
    });
  });

  it("an unreadable template (a directory) aborts with CONTAINERD_TEMPLATE_READ", async () => {
    await mkdir(join(dir, "config-v3.toml.tmpl"));
    await rejectsWith(write(), "CONTAINERD_TEMPLATE_READ");
    expect(await readFile(join(dir, "config.toml"), "utf8")).toBe(OLD);
  });
});

describe("writeContainerdHosts", () => {
  it("writes per-host hosts.toml, removes K3s-managed dirs, keeps unmanaged ones", async () => {
    const certs = join(dir, "certs.d");
    await mkdir(join(certs, "old.example.com"), { recursive: true });
    await writeFile(
      join(certs, "old.example.com", "hosts.toml"),
      '# File generated by k3s. DO NOT EDIT.\nserver = "x"\n',
    );
    await mkdir(join(certs, "mine.example.com"), { recursive: true });
    await writeFile(join(certs, "mine.example.com", "hosts.toml"), 'server = "https://mine"\n');
    const dirs = await writeContainerdHosts({
      registryDir: certs,
      registry: parseRegistriesYaml(
        'mirrors:\n  docker.io:\n    endpoint: [mirror.example.com]\n  "*":\n    endpoint: [https://all.example.com]\n',
      ),
    });
    expect(dirs).toEqual(["_default", "docker.io"]);
    expect((await readdir(certs)).sort()).toEqual(["_default", "docker.io", "mine.example.com"]);
    expect(await readFile(join(certs, "docker.io", "hosts.toml"), "utf8")).toBe(
      '# File generated by k3s. DO NOT EDIT.\nserver = "https://registry-1.docker.io/v2"\ncapabilities = ["pull", "resolve", "push"]\n\n[host]\n\n[host."https://mirror.example.com/v2"]\n  capabilities = ["pull", "resolve"]\n',
    );
    expect((await stat(join(certs, "docker.io"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(certs, "docker.io", "hosts.toml"))).mode & 0o777).toBe(0o644);
  });
});
