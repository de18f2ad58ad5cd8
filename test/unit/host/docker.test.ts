import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import {
  K3S_KUBECONFIG_PATH,
  type DockerRunOptions,
  checkK3sImageRef,
  dockerKubeconfigCopyArgs,
  dockerRunArgs,
  k3sImageTag,
} from "../../../src/host/index.js";

function caught(fn: () => unknown): { code?: string; message: string; value?: unknown } {
  try {
    fn();
  } catch (e) {
    if (!isKitError(e)) throw e;
    return e as { code: string; message: string; value: unknown };
  }
  throw new Error("expected a throw");
}

describe("k3sImageTag (spec: Running K3s in Docker)", () => {
  it("turns + into - as Docker tags cannot hold +", () => {
    expect(k3sImageTag("v1.24.10+k3s1")).toBe("v1.24.10-k3s1");
    expect(k3sImageTag("v1.30.0-rc1+k3s1")).toBe("v1.30.0-rc1-k3s1");
    expect(k3sImageTag("v1.31.4-k3s2")).toBe("v1.31.4-k3s2");
  });

  it("refuses latest with the page's reason", () => {
    const err = caught(() => k3sImageTag("latest"));
    expect(err.code).toBe("K3S_IMAGE_TAG_LATEST");
    expect(err.message).toContain("not maintained");
  });

  it("refuses strings that are not K3s versions", () => {
    for (const v of [
      "1.24.10+k3s1",
      "v1.24+k3s1",
      "v1.24.10",
      "v1.24.10+k3s0",
      "stable",
      "v1.24.10+k3s1 ",
      "",
    ]) {
      expect(caught(() => k3sImageTag(v)).code).toBe("K3S_VERSION_INVALID");
    }
    expect(caught(() => k3sImageTag(42 as unknown as string)).code).toBe("K3S_VERSION_INVALID");
  });
});

describe("checkK3sImageRef", () => {
  it("accepts a versioned tag or a digest", () => {
    expect(() => checkK3sImageRef("rancher/k3s:v1.24.10-k3s1")).not.toThrow();
    expect(() => checkK3sImageRef("registry.local:5000/rancher/k3s:v1.24.10-k3s1")).not.toThrow();
    expect(() => checkK3sImageRef(`rancher/k3s@sha256:${"a".repeat(64)}`)).not.toThrow();
  });

  it("refuses a tag with +, latest, or no tag", () => {
    const plus = caught(() => checkK3sImageRef("rancher/k3s:v1.24.10+k3s1"));
    expect(plus.code).toBe("K3S_IMAGE_TAG_PLUS");
    expect(plus.message).toContain("v1.24.10-k3s1");
    expect(plus.value).toBe("rancher/k3s:v1.24.10+k3s1");
    expect(caught(() => checkK3sImageRef("rancher/k3s:latest")).code).toBe("K3S_IMAGE_TAG_LATEST");
    expect(caught(() => checkK3sImageRef("registry.local:5000/rancher/k3s")).code).toBe(
      "K3S_IMAGE_TAG_LATEST",
    );
    expect(caught(() => checkK3sImageRef("rancher/k3s:bad tag")).code).toBe("K3S_IMAGE_INVALID");
  });
});

describe("dockerRunArgs", () => {
  it("reproduces the page's recipe, with the token passed by name only", () => {
    const token = "K10abc::server:s3cret-value";
    const cmd = dockerRunArgs({ name: "k3s-server-1", version: "v1.24.10+k3s1", token });
    expect(cmd.args).toEqual([
      "run",
      "--privileged",
      "--name",
      "k3s-server-1",
      "--hostname",
      "k3s-server-1",
      "-p",
      "6443:6443",
      "-e",
      "K3S_TOKEN",
      "-d",
      "rancher/k3s:v1.24.10-k3s1",
      "server",
    ]);
    expect(cmd.env).toEqual({ K3S_TOKEN: token });
    expect(cmd.args.join(" ")).not.toContain("s3cret");
    expect(cmd.display).not.toContain("s3cret");
    expect(cmd.display).toBe(
      "docker run --privileged --name k3s-server-1 --hostname k3s-server-1 -p 6443:6443 -e K3S_TOKEN -d rancher/k3s:v1.24.10-k3s1 server",
    );
  });

  it("builds an agent with K3S_URL, custom ports, docker options and k3s args", () => {
    const cmd = dockerRunArgs({
      name: "agent-1",
      hostname: "worker-1",
      role: "agent",
      image: "rancher/k3s:v1.31.4-k3s1",
      token: "t0ken",
      url: "https://10.0.0.1:6443",
      ports: [{ host: 8080, container: 80, protocol: "tcp", hostIp: "127.0.0.1" }, 30080],
      dockerArgs: ["--tmpfs", "/run"],
      extraArgs: ["--node-label", "tier=web"],
      detach: false,
    });
    expect(cmd.args).toEqual([
      "run",
      "--privileged",
      "--name",
      "agent-1",
      "--hostname",
      "worker-1",
      "-p",
      "127.0.0.1:8080:80/tcp",
      "-p",
      "30080:30080",
      "-e",
      "K3S_TOKEN",
      "-e",
      "K3S_URL=https://10.0.0.1:6443",
      "--tmpfs",
      "/run",
      "rancher/k3s:v1.31.4-k3s1",
      "agent",
      "--node-label",
      "tier=web",
    ]);
  });

  it("refuses bad input with typed errors that never contain the token", () => {
    const token = "very-secret-token";
    const base: DockerRunOptions = { name: "s1", version: "v1.24.10+k3s1", token };
    const cases: [Partial<DockerRunOptions> & Record<string, unknown>, string][] = [
      [{ name: "-bad" }, "DOCKER_NAME_INVALID"],
      [{ hostname: "Upper_Case" }, "DOCKER_HOSTNAME_INVALID"],
      [{ role: "worker" as "agent" }, "DOCKER_ROLE_INVALID"],
      [{ version: "latest" }, "K3S_IMAGE_TAG_LATEST"],
      [{ version: undefined, image: "rancher/k3s:v1.24.10+k3s1" }, "K3S_IMAGE_TAG_PLUS"],
      [{ version: undefined }, "DOCKER_IMAGE_REQUIRED"],
      [{ ports: [0] }, "DOCKER_PORT_INVALID"],
      [{ ports: [{ host: 1, container: 70000 }] }, "DOCKER_PORT_INVALID"],
      [{ extraArgs: [`--token=${token}`] }, "DOCKER_TOKEN_IN_ARGS"],
      [{ extraArgs: ["-t", token] }, "DOCKER_TOKEN_IN_ARGS"],
      [{ extraArgs: ["ok", 3 as unknown as string] }, "DOCKER_ARG_INVALID"],
      [{ token: `${token}\nX=1` }, "DOCKER_TOKEN_INVALID"],
      [{ role: "agent", url: "https://s:6443", token: undefined }, "DOCKER_AGENT_TOKEN_REQUIRED"],
      [{ role: "agent" }, "DOCKER_AGENT_URL_REQUIRED"],
      [{ role: "agent", url: "http://s:6443" }, "DOCKER_URL_INVALID"],
      [{ tty: true }, "DOCKER_OPTION_INVALID"],
    ];
    for (const [patch, code] of cases) {
      const err = caught(() => dockerRunArgs({ ...base, ...patch } as DockerRunOptions));
      expect([err.code, patch]).toEqual([code, patch]);
      expect(err.message).not.toContain(token);
      expect(JSON.stringify(err.value ?? null)).not.toContain(token);
    }
  });
});

describe("dockerKubeconfigCopyArgs", () => {
  it("copies /etc/rancher/k3s/k3s.yaml out of the container", () => {
    expect(K3S_KUBECONFIG_PATH).toBe("/etc/rancher/k3s/k3s.yaml");
    expect(dockerKubeconfigCopyArgs({ name: "k3s-server-1", dest: "/home/me/.kube/config" })).toEqual([
      "cp",
      "k3s-server-1:/etc/rancher/k3s/k3s.yaml",
      "/home/me/.kube/config",
    ]);
    expect(caught(() => dockerKubeconfigCopyArgs({ name: "k3s-server-1", dest: "" })).code).toBe(
      "DOCKER_ARG_INVALID",
    );
    expect(caught(() => dockerKubeconfigCopyArgs({ name: "a b", dest: "x" })).code).toBe(
      "DOCKER_NAME_INVALID",
    );
  });
});
