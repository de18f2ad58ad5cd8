import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containerdConfigFor } from "../../../src/containerd/builder.js";
import { criDockerdArgs } from "../../../src/containerd/cri-dockerd.js";
import { filepathjoin, toJson } from "../../../src/containerd/funcs.js";
import { renderContainerdConfig } from "../../../src/containerd/render.js";
import { containerdLayout } from "../../../src/containerd/paths.js";
import { parseRegistriesYaml } from "../../../src/containerd/registries.js";
import { trimEmpty } from "../../../src/containerd/trim-empty.js";
import { validateContainerdToml } from "../../../src/containerd/validate-toml.js";
import { configVersionForContainerd } from "../../../src/containerd/version.js";
import { isKitError } from "../../../src/errors/index.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("trimEmpty (§6.2)", () => {
  it("drops blank lines and puts one blank line before column-0 [", () => {
    expect(trimEmpty("# h\n\n \t\nversion = 3\n[a]\n  x = 1\n  [b]\n\n[[c]]\n")).toBe(
      "# h\nversion = 3\n\n[a]\n  x = 1\n  [b]\n\n[[c]]\n",
    );
    expect(trimEmpty("[first]")).toBe("\n[first]\n");
    expect(trimEmpty("a\r\n\r\nb")).toBe("a\nb\n");
    expect(trimEmpty("\u00a0\u3000\n\u0085\nx\n")).toBe("x\n");
    expect(trimEmpty("\ufeff\n")).toBe("\ufeff\n");
  });
  it("is idempotent and leaves no blank line except before [", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("", " ", "[t]", "  k = 1", "x", "\t", "[[a]]", "\r"), { maxLength: 30 }),
        (parts) => {
          const once = trimEmpty(parts.join("\n"));
          expect(trimEmpty(once)).toBe(once);
          const lines = once.split("\n");
          lines.forEach((l, i) => {
            if (l === "" && i < lines.length - 1) expect(lines[i + 1]?.startsWith("[")).toBe(true);
          });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("template funcs", () => {
  it("filepathjoin is Go filepath.Join", () => {
    expect(filepathjoin("/a/", "b", "*.toml")).toBe("/a/b/*.toml");
    expect(filepathjoin("", "")).toBe("");
    expect(filepathjoin("a", "../..", "b")).toBe("../b");
    expect(filepathjoin("/x", "..", "..")).toBe("/");
  });
  it("toJson escapes like Go json.Marshal", () => {
    expect(toJson({ a: "<&>" })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
    expect(toJson(undefined)).toBe("null");
  });
});

describe("containerdConfigFor (§6.1, §6.3, §6.5)", () => {
  it("uses K3s paths and defaults", () => {
    const c = containerdConfigFor();
    const n = c.NodeConfig;
    expect(n.Containerd.Config).toBe("/var/lib/rancher/k3s/agent/etc/containerd/config.toml");
    expect(n.Containerd.Template).toBe("/var/lib/rancher/k3s/agent/etc/containerd");
    expect(n.Containerd.Root).toBe("/var/lib/rancher/k3s/agent/containerd");
    expect(n.Containerd.Opt).toBe(n.Containerd.Root);
    expect(n.Containerd.State).toBe("/run/k3s/containerd");
    expect(n.Containerd.Address).toBe("/run/k3s/containerd/containerd.sock");
    expect(n.Containerd.Registry).toBe("/var/lib/rancher/k3s/agent/etc/containerd/certs.d");
    expect(n.Containerd.Log).toBe("/var/lib/rancher/k3s/agent/containerd/containerd.log");
    expect(n.AgentConfig.Snapshotter).toBe("overlayfs");
    expect(n.AgentConfig.PauseImage).toBe("rancher/mirrored-pause:3.6");
    expect(n.AgentConfig.CNIConfDir).toBe("/var/lib/rancher/k3s/agent/etc/cni/net.d");
    expect(c.PrivateRegistryConfig).toEqual({ Mirrors: {}, Configs: {}, Auths: {} });
    expect(c.Program).toBe("k3s");
    expect(c.EnableUnprivileged).toBe(true);
    expect(containerdLayout("/d").criDockerdRoot).toBe("/d/agent/cri-dockerd");
  });
  it("prefixes the system default registry once", () => {
    expect(
      containerdConfigFor({ systemDefaultRegistry: "r.example.com" }).NodeConfig.AgentConfig.PauseImage,
    ).toBe("r.example.com/rancher/mirrored-pause:3.6");
    expect(
      containerdConfigFor({ systemDefaultRegistry: "r.example.com", pauseImage: "r.example.com/p:1" })
        .NodeConfig.AgentConfig.PauseImage,
    ).toBe("r.example.com/p:1");
  });
  it("sets the image service socket: stargz/nix override --image-service-endpoint", () => {
    expect(
      containerdConfigFor({ snapshotter: "stargz", imageServiceEndpoint: "/x.sock" }).NodeConfig.AgentConfig
        .ImageServiceSocket,
    ).toBe("/run/containerd-stargz-grpc/containerd-stargz-grpc.sock");
    expect(containerdConfigFor({ snapshotter: "nix" }).NodeConfig.AgentConfig.ImageServiceSocket).toBe(
      "/run/k3s/containerd/nix-snapshotter.sock",
    );
    expect(
      containerdConfigFor({ snapshotter: "native", imageServiceEndpoint: "/x.sock" }).NodeConfig.AgentConfig
        .ImageServiceSocket,
    ).toBe("/x.sock");
  });
  it("rootless: userns flags, no systemd cgroup", () => {
    const c = containerdConfigFor({ rootless: true, disableCgroup: true, systemdCgroup: true });
    expect([c.IsRunningInUserNS, c.DisableCgroup, c.SystemdCgroup]).toEqual([true, true, false]);
    expect(containerdConfigFor({ disableCgroup: true }).DisableCgroup).toBe(false);
  });
  it("unknown snapshotter → typed error", () => {
    const e = thrown(() => containerdConfigFor({ snapshotter: "overlay2" }));
    expect(isKitError(e, "CONTAINERD_UNKNOWN_SNAPSHOTTER")).toBe(true);
    expect((e as { value: unknown }).value).toBe("overlay2");
  });
  it("default runtime must be detected (runc rejected) with K3s's message", () => {
    const e = thrown(() => containerdConfigFor({ defaultRuntime: "runc" }));
    expect(isKitError(e, "CONTAINERD_DEFAULT_RUNTIME_NOT_FOUND")).toBe(true);
    expect((e as Error).message).toBe("default runtime runc was not found");
    const ok = containerdConfigFor({
      runtimes: { crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" } },
      defaultRuntime: "crun",
    });
    expect(ok.NodeConfig.DefaultRuntime).toBe("crun");
  });
  it("wrongly typed options → typed error", () => {
    expect(
      isKitError(
        thrown(() => containerdConfigFor({ selinux: "yes" as unknown as boolean })),
        "CONTAINERD_OPTION_INVALID",
      ),
    ).toBe(true);
    expect(
      isKitError(
        thrown(() => containerdConfigFor({ dataDir: "relative" })),
        "CONTAINERD_OPTION_INVALID",
      ),
    ).toBe(true);
  });
});

describe("parseRegistriesYaml (wharfie Registry, yaml.v2 rules)", () => {
  it("maps YAML keys to Go fields, scalars into strings, YAML 1.1 booleans", () => {
    const r = parseRegistriesYaml(
      "mirrors:\n  docker.io:\n    endpoint: [a.example.com]\n    rewrite: {'^x': y}\nconfigs:\n  a.example.com:\n    auth: {username: 123, identity_token: t}\n    tls: {insecure_skip_verify: yes, ca_file: /ca}\n",
    );
    expect(r.Mirrors["docker.io"]).toEqual({ Endpoints: ["a.example.com"], Rewrites: { "^x": "y" } });
    expect(r.Configs["a.example.com"]).toEqual({
      Auth: { Username: "123", Password: "", Auth: "", IdentityToken: "t" },
      TLS: { CAFile: "/ca", CertFile: "", KeyFile: "", InsecureSkipVerify: true },
    });
    expect(parseRegistriesYaml("")).toEqual({ Mirrors: {}, Configs: {}, Auths: {} });
  });
  it("bad YAML and bad types → CONTAINERD_REGISTRIES_YAML", () => {
    for (const text of [
      "mirrors: [\n",
      "mirrors:\n  docker.io:\n    endpoint: https://x\n",
      "configs:\n  a:\n    tls:\n      insecure_skip_verify: maybe\n",
      "- a\n- b\n",
      "mirrors: 3\n",
    ]) {
      const e = thrown(() => parseRegistriesYaml(text));
      expect(isKitError(e, "CONTAINERD_REGISTRIES_YAML"), text).toBe(true);
    }
  });
});

describe("criDockerdArgs (§8)", () => {
  it("K3s's cri-dockerd arguments, sorted like util.GetArgs", () => {
    const cfg = containerdConfigFor({
      docker: true,
      debug: true,
      containerRuntimeEndpoint: "/var/run/docker.sock",
    });
    expect(criDockerdArgs(cfg, { dualStack: true, env: { CRIDOCKERD_LOG_LEVEL: "info" } })).toEqual([
      "--cni-bin-dir=/var/lib/rancher/k3s/data/current/bin",
      "--cni-conf-dir=/var/lib/rancher/k3s/agent/etc/cni/net.d",
      "--container-runtime-endpoint=unix:///run/k3s/cri-dockerd/cri-dockerd.sock",
      "--cri-dockerd-root-directory=/var/lib/rancher/k3s/agent/cri-dockerd",
      "--docker-endpoint=unix:///var/run/docker.sock",
      "--ipv6-dual-stack=true",
      "--log-level=info",
      "--network-plugin=cni",
      "--pod-infra-container-image=rancher/mirrored-pause:3.6",
      "--streaming-bind-addr=127.0.0.1:10010",
    ]);
    expect(criDockerdArgs(containerdConfigFor({ docker: true, debug: true }))).toContain("--log-level=debug");
  });
});

describe("validateContainerdToml", () => {
  it("names the template, the line and the offending text", () => {
    const e = thrown(() =>
      validateContainerdToml('version = 3\n[a]\n  b = "x\\q"\n', "/etc/config-v3.toml.tmpl"),
    ) as Error & { value: { line: number; text: string; template: string } };
    expect(isKitError(e, "CONTAINERD_TOML_INVALID")).toBe(true);
    expect(e.value).toMatchObject({ template: "/etc/config-v3.toml.tmpl", line: 3, text: '  b = "x\\q"' });
    expect(e.message).toContain("/etc/config-v3.toml.tmpl");
    expect(e.message).toContain("line 3");
  });
});

describe("configVersionForContainerd", () => {
  it("containerd 1.x reads version 2, 2.x reads version 3", () => {
    expect(
      configVersionForContainerd(
        "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3",
      ),
    ).toBe(2);
    expect(
      configVersionForContainerd("containerd containerd.io v2.0.4 1a43cb6a1035441f9aca8f5666a9b3ef9e70ab20"),
    ).toBe(3);
    expect(
      isKitError(
        thrown(() => configVersionForContainerd("no version here")),
        "CONTAINERD_VERSION_UNKNOWN",
      ),
    ).toBe(true);
  });
});

describe("containerdConfigFor option shapes", () => {
  it("rejects a malformed cni option and runtime entries", () => {
    expect(
      isKitError(
        thrown(() => containerdConfigFor({ cni: "none" as unknown as false })),
        "CONTAINERD_OPTION_INVALID",
      ),
    ).toBe(true);
    expect(
      isKitError(
        thrown(() => containerdConfigFor({ cni: { binDir: 1 as unknown as string } })),
        "CONTAINERD_OPTION_INVALID",
      ),
    ).toBe(true);
    expect(
      isKitError(
        thrown(() =>
          containerdConfigFor({
            runtimes: {
              crun: { RuntimeType: "x" } as unknown as { RuntimeType: string; BinaryName: string },
            },
          }),
        ),
        "CONTAINERD_OPTION_INVALID",
      ),
    ).toBe(true);
    expect(
      isKitError(
        thrown(() => containerdConfigFor({ registries: [] as unknown as never })),
        "CONTAINERD_REGISTRIES_YAML",
      ),
    ).toBe(true);
  });
});

describe("the template dot has K3s's Go struct types", () => {
  const config = containerdConfigFor({
    registries: parseRegistriesYaml(
      "configs:\n  r.example.com:\n    tls:\n      insecure_skip_verify: true\n",
    ),
    runtimes: { crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" } },
  });
  // trimEmpty ends the output with one newline; compare the template's own text.
  const render = (userTemplate: string) =>
    renderContainerdConfig(config, { userTemplate, validate: false }).trimEnd();
  const execError = (userTemplate: string) => {
    const e = thrown(() => render(userTemplate)) as Error;
    expect(isKitError(e, "CONTAINERD_TEMPLATE_EXEC"), String(e)).toBe(true);
    return e.message;
  };

  it("a misspelt field is Go's exec error naming the field and the K3s type", () => {
    expect(execError("{{ .NodeConfig.Snapshoter }}")).toContain(
      'template: compiled_template:1:14: executing "compiled_template" at <.NodeConfig.Snapshoter>: can\'t evaluate field Snapshoter in type *config.Node',
    );
    expect(execError("{{ .NodeConfig.AgentConfig.Snapshoter }}")).toContain(
      "can't evaluate field Snapshoter in type config.Agent",
    );
    expect(execError("{{ .NodeConfig.Containerd.Roots }}")).toContain(
      "can't evaluate field Roots in type config.Containerd",
    );
    expect(execError("{{ .Programm }}")).toContain(
      "can't evaluate field Programm in type templates.ContainerdConfig",
    );
    expect(execError("{{ range $k, $v := .ExtraRuntimes }}{{ $v.Binary }}{{ end }}")).toContain(
      "can't evaluate field Binary in type templates.ContainerdRuntimeConfig",
    );
  });

  it("nil pointers are typed: Auth is a nil *registries.AuthConfig", () => {
    expect(
      execError("{{ range $k, $v := .PrivateRegistryConfig.Configs }}{{ $v.Auth.Username }}{{ end }}"),
    ).toContain("nil pointer evaluating *registries.AuthConfig.Username");
    expect(
      render(
        "{{ range $k, $v := .PrivateRegistryConfig.Configs }}{{ $k }} {{ if $v.Auth }}auth{{ else }}noauth{{ end }} {{ $v.TLS.InsecureSkipVerify }} {{ $v.Auth }} {{ eq $v.Auth nil }}{{ end }}",
      ),
    ).toBe("r.example.com noauth true <nil> true");
  });

  it("maps stay maps (an unknown key is <no value>), %T and %+v print Go's forms", () => {
    expect(render("{{ .ExtraRuntimes.nope }}|{{ .PrivateRegistryConfig.Mirrors.x }}")).toBe(
      "<no value>|<no value>",
    );
    // `index` of a missing key is Go's zero struct (nil pointers inside).
    expect(
      render(
        '{{ index .ExtraRuntimes "nope" }}|{{ (index .PrivateRegistryConfig.Configs "x").Auth }}|{{ printf "%+v" (index .PrivateRegistryConfig.Mirrors "x") }}',
      ),
    ).toBe("{ }|<nil>|{Endpoints:[] Rewrites:map[]}");
    expect(render('{{ printf "%T %T %T %T" . .NodeConfig .NodeConfig.AgentConfig .ExtraRuntimes }}')).toBe(
      "templates.ContainerdConfig *config.Node config.Agent map[string]templates.ContainerdRuntimeConfig",
    );
    expect(render('{{ printf "%+v" .ExtraRuntimes.crun }}|{{ .ExtraRuntimes.crun }}')).toBe(
      "{RuntimeType:io.containerd.runc.v2 BinaryName:/usr/bin/crun}|{io.containerd.runc.v2 /usr/bin/crun}",
    );
    expect(
      render(
        "{{ if .NodeConfig.Containerd }}struct is true{{ end }} {{ eq .PrivateRegistryConfig .NodeConfig.AgentConfig.Registry }}",
      ),
    ).toBe("struct is true true");
  });

  it("the caller's config is neither marked nor changed", () => {
    const before = JSON.stringify(config);
    render("{{ .NodeConfig.AgentConfig.Snapshotter }}");
    expect(JSON.stringify(config)).toBe(before);
    expect(Object.getOwnPropertySymbols(config)).toEqual([]);
    expect(Object.getOwnPropertySymbols(config.NodeConfig)).toEqual([]);
    expect(config.PrivateRegistryConfig?.Configs["r.example.com"]?.Auth).toBeNull();
  });
});
