import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeEndpointAddress, urlString } from "../../../src/containerd/endpoint.js";
import { type HostConfig, registryHostConfigs, renderHostsToml } from "../../../src/containerd/hosts.js";
import { parseRegistriesYaml } from "../../../src/containerd/registries.js";
import { fixtureDir } from "./scenarios.js";

/** Compact view: default URL (null = no default) and endpoint URLs with override flags. */
function summary(hosts: Record<string, HostConfig>) {
  return Object.fromEntries(
    Object.entries(hosts).map(([dir, h]) => [
      dir,
      {
        default: h.default ? (h.default.url ? urlString(h.default.url) : "<nil>") : null,
        endpoints: h.endpoints.map(
          (e) => `${e.url ? urlString(e.url) : "<nil>"}${e.overridePath ? " (override)" : ""}`,
        ),
      },
    ]),
  );
}
const hostsFor = (yaml: string, opts = {}) => summary(registryHostConfigs(parseRegistriesYaml(yaml), opts));

// Cases from k3s pkg/agent/containerd/config_test.go Test_UnitGetHostConfigs (k3s-behaviours §6.6).
describe("registryHostConfigs (K3s getHostConfigs cases)", () => {
  it("drops registries that only have defaults", () => {
    expect(hostsFor("")).toEqual({});
    expect(hostsFor("mirrors:\n  docker.io:\n")).toEqual({});
    expect(hostsFor("mirrors:\n  docker.io:\n    endpoint: [docker.io]\n")).toEqual({});
    expect(hostsFor('mirrors:\n  "*":\n')).toEqual({});
    for (const h of ["localhost", "localhost:443", "localhost:5000", "localhost:80"])
      expect(hostsFor(`mirrors:\n  "${h}":\n`)).toEqual({});
  });

  it("keeps a default endpoint that has creds", () => {
    const hosts = registryHostConfigs(
      parseRegistriesYaml(
        "mirrors:\n  docker.io:\nconfigs:\n  docker.io:\n    auth:\n      username: user\n      password: pass\n",
      ),
    );
    expect(summary(hosts)).toEqual({
      "docker.io": { default: "https://registry-1.docker.io/v2", endpoints: [] },
    });
    expect(hosts["docker.io"]?.default?.config.Auth).toEqual({
      Username: "user",
      Password: "pass",
      Auth: "",
      IdentityToken: "",
    });
  });

  it("normalises mirror endpoints (scheme, /v2, override path)", () => {
    const m = (ep: string) =>
      hostsFor(`mirrors:\n  docker.io:\n    endpoint:\n      - ${ep}\n`)["docker.io"]?.endpoints;
    expect(m("https://registry.example.com/prefix/v2")).toEqual([
      "https://registry.example.com/prefix/v2 (override)",
    ]);
    expect(m("registry.example.com/prefix/v2")).toEqual([
      "https://registry.example.com/prefix/v2 (override)",
    ]);
    expect(m("registry.example.com/v2")).toEqual(["https://registry.example.com/v2"]);
    expect(m("https://registry.example.com/v2")).toEqual(["https://registry.example.com/v2"]);
    expect(m("https://registry.example.com")).toEqual(["https://registry.example.com/v2"]);
    expect(m("registry.example.com")).toEqual(["https://registry.example.com/v2"]);
    expect(m("registry.example.com:443")).toEqual(["https://registry.example.com:443/v2"]);
    expect(m("1.2.3.4")).toEqual(["https://1.2.3.4/v2"]);
    expect(m("1.2.3.4:443")).toEqual(["https://1.2.3.4:443/v2"]);
    expect(m("localhost:5000")).toEqual(["http://localhost:5000/v2"]);
    expect(m("https://localhost:5000")).toEqual(["https://localhost:5000/v2"]);
    expect(m("127.0.0.1:5000")).toEqual(["http://127.0.0.1:5000/v2"]);
    expect(m("https://127.0.0.1:5000")).toEqual(["https://127.0.0.1:5000/v2"]);
  });

  it("skips duplicate endpoints in any format and position", () => {
    expect(
      hostsFor("mirrors:\n  docker.io:\n    endpoint: [registry.example.com, registry.example.com]\n")[
        "docker.io"
      ]?.endpoints,
    ).toEqual(["https://registry.example.com/v2"]);
    expect(
      hostsFor(
        "mirrors:\n  docker.io:\n    endpoint: [registry.example.com, https://registry.example.com, https://registry.example.com/v2]\n",
      )["docker.io"]?.endpoints,
    ).toEqual(["https://registry.example.com/v2"]);
    expect(
      hostsFor(
        "mirrors:\n  docker.io:\n    endpoint: [https://registry.example.com, https://registry.example.org, https://registry.example.com]\n",
      )["docker.io"]?.endpoints,
    ).toEqual(["https://registry.example.com/v2", "https://registry.example.org/v2"]);
  });

  it("wildcard mirror: _default with an empty server URL", () => {
    expect(hostsFor('mirrors:\n  "*":\n    endpoint: [https://registry.example.com/v2]\n')).toEqual({
      _default: { default: "", endpoints: ["https://registry.example.com/v2"] },
    });
  });

  it("wildcard config: _default with a nil URL and the config", () => {
    const hosts = registryHostConfigs(
      parseRegistriesYaml(
        'configs:\n  "*":\n    auth:\n      username: user\n      password: pass\n    tls:\n      insecure_skip_verify: true\n',
      ),
    );
    expect(summary(hosts)).toEqual({ _default: { default: "<nil>", endpoints: [] } });
    expect(hosts._default?.default?.config.TLS?.InsecureSkipVerify).toBe(true);
  });

  it("mirror creds come from the endpoint's registry name", () => {
    const hosts = registryHostConfigs(
      parseRegistriesYaml(
        "mirrors:\n  docker.io:\n    endpoint: [https://registry.example.com]\nconfigs:\n  registry.example.com:\n    auth:\n      username: user\n",
      ),
    );
    expect(hosts["docker.io"]?.endpoints[0]?.config.Auth?.Username).toBe("user");
    expect(hosts["registry.example.com"]?.default?.config.Auth?.Username).toBe("user");
  });

  it("--disable-default-registry-endpoint removes the server for mirrors without a configs entry", () => {
    expect(
      hostsFor("mirrors:\n  docker.io:\n    endpoint: [mirror.example.com]\n", { noDefaultEndpoint: true }),
    ).toEqual({
      "docker.io": { default: null, endpoints: ["https://mirror.example.com/v2"] },
    });
  });

  it("reports invalid endpoints and skips them like K3s", () => {
    const skipped: string[] = [];
    const hosts = registryHostConfigs(
      parseRegistriesYaml(
        "mirrors:\n  docker.io:\n    endpoint: ['bad host:5000', 'x.example.com:port', ok.example.com]\n",
      ),
      {
        onSkip: (_h, ep) => skipped.push(ep),
      },
    );
    expect(skipped).toEqual(["bad host:5000", "x.example.com:port"]);
    expect(summary(hosts)["docker.io"]?.endpoints).toEqual(["https://ok.example.com/v2"]);
  });
});

describe("registryHostConfigs (K3s mirror-creds cases)", () => {
  for (const path of ["/prefix/v2", "/project/registry"]) {
    it(`mirror endpoint with its own creds, override path ${path}`, () => {
      const hosts = registryHostConfigs(
        parseRegistriesYaml(
          `mirrors:\n  docker.io:\n    endpoint: [https://registry.example.com${path}]\n  registry.example.com:\n    endpoint: [https://registry.example.com${path}]\nconfigs:\n  registry.example.com:\n    auth: {username: user, password: pass}\n`,
        ),
      );
      expect(summary(hosts)).toEqual({
        "docker.io": {
          default: "https://registry-1.docker.io/v2",
          endpoints: [`https://registry.example.com${path} (override)`],
        },
        "registry.example.com": {
          default: "https://registry.example.com/v2",
          endpoints: [`https://registry.example.com${path} (override)`],
        },
      });
      expect(hosts["docker.io"]?.default?.config.Auth).toBeNull();
      expect(hosts["docker.io"]?.endpoints[0]?.config.Auth?.Username).toBe("user");
      expect(hosts["registry.example.com"]?.default?.config.Auth?.Password).toBe("pass");
    });
  }

  it("no default endpoint: mirror creds kept on the endpoint", () => {
    const hosts = registryHostConfigs(
      parseRegistriesYaml(
        "mirrors:\n  docker.io:\n    endpoint: [https://registry.example.com/v2]\nconfigs:\n  registry.example.com:\n    auth: {username: user, password: pass}\n",
      ),
      { noDefaultEndpoint: true },
    );
    // The configs entry keeps its own server line: noDefaultEndpoint applies to mirror-only hosts.
    expect(summary(hosts)).toEqual({
      "docker.io": { default: null, endpoints: ["https://registry.example.com/v2"] },
      "registry.example.com": { default: "https://registry.example.com/v2", endpoints: [] },
    });
    expect(hosts["docker.io"]?.endpoints[0]?.config.Auth?.Username).toBe("user");
  });
});

describe("normalizeEndpointAddress", () => {
  it("embedded mirror on a loopback port keeps https", () => {
    expect(urlString(normalizeEndpointAddress("127.0.0.1:6443", "127.0.0.1:6443").url)).toBe(
      "https://127.0.0.1:6443/v2",
    );
    expect(urlString(normalizeEndpointAddress("[::1]:5000", "").url)).toBe("http://[::1]:5000/v2");
    expect(normalizeEndpointAddress("docker.io", "").registry).toBe("docker.io");
    expect(urlString(normalizeEndpointAddress("HTTP://Example.com/v2/", "").url)).toBe(
      "http://Example.com/v2/",
    );
  });
});

// hosts-rendered.json: our host configs rendered by K3s's HostsTomlTemplate with Go (see README.md).
describe("renderHostsToml equals K3s's hosts.toml template output", () => {
  const cases = JSON.parse(readFileSync(join(fixtureDir, "hosts-scenarios.json"), "utf8")) as Record<
    string,
    { yaml: string; noDefaultEndpoint?: boolean; mirrorAddr?: string }
  >;
  const rendered = JSON.parse(readFileSync(join(fixtureDir, "hosts-rendered.json"), "utf8")) as Record<
    string,
    Record<string, string>
  >;
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const hosts = registryHostConfigs(parseRegistriesYaml(c.yaml), {
        noDefaultEndpoint: c.noDefaultEndpoint ?? false,
        mirrorAddr: c.mirrorAddr ?? "",
      });
      const ours = Object.fromEntries(Object.entries(hosts).map(([dir, h]) => [dir, renderHostsToml(h)]));
      expect(ours).toEqual(rendered[name]);
    });
  }
});
