import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { isKitError } from "../../../src/errors/index.js";
import { runtimeClassManifests } from "../../../src/runtime/index.js";

const docs = (y: string) =>
  parseAllDocuments(y).map(
    (d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string }; handler: string },
  );

describe("runtimeClassManifests (§7, §16.5)", () => {
  it("'all' with nvidiaCdi:false is K3s's manifests/runtimes.yaml set, in its order", async () => {
    const list = docs(await runtimeClassManifests("all", { nvidiaCdi: false }));
    expect(list.map((d) => d.metadata.name)).toEqual([
      "nvidia",
      "nvidia-experimental",
      "crun",
      "lunatic",
      "slight",
      "spin",
      "wws",
      "wasmedge",
      "wasmer",
      "wasmtime",
    ]);
    for (const d of list) {
      expect(d.apiVersion).toBe("node.k8s.io/v1");
      expect(d.kind).toBe("RuntimeClass");
      expect(d.handler).toBe(d.metadata.name);
    }
  });

  it("default follows the page: nvidia-cdi gets a RuntimeClass too", async () => {
    const names = docs(await runtimeClassManifests("all")).map((d) => d.metadata.name);
    expect(names).toContain("nvidia-cdi");
    expect(names).toHaveLength(11);
  });

  it("detected runtimes only", async () => {
    const y = await runtimeClassManifests({
      crun: { RuntimeType: "io.containerd.runc.v2", BinaryName: "/usr/bin/crun" },
      "nvidia-cdi": {
        RuntimeType: "io.containerd.runc.v2",
        BinaryName: "/usr/bin/nvidia-container-runtime.cdi",
      },
    });
    expect(y).toBe(
      "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: nvidia-cdi\nhandler: nvidia-cdi\n---\napiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: crun\nhandler: crun\n",
    );
  });

  it("unknown runtime names are a typed error", async () => {
    await expect(
      runtimeClassManifests({ Bad_Name: { RuntimeType: "x", BinaryName: "/x" } }),
    ).rejects.toSatisfy((e: unknown) => isKitError(e, "RUNTIME_UNKNOWN"));
  });
});
