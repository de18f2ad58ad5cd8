/**
 * Render and check a containerd config before a node boots: built-in K3s template, and a user
 * template that extends it with `{{ template "base" . }}`, exactly as K3s would.
 *
 *   npx tsx examples/render-containerd.ts
 */
import { containerdConfigFor, renderContainerdConfig } from "k3s-node-kit/containerd";
import { detectRuntimes } from "k3s-node-kit/runtime";

const runtimes = await detectRuntimes({ path: process.env.PATH ?? "" });
const config = containerdConfigFor({ dataDir: "/var/lib/rancher/k3s", snapshotter: "overlayfs", runtimes });
console.log(`detected runtimes: ${Object.keys(runtimes).join(", ") || "none"}\n`);
console.log(renderContainerdConfig(config, { version: 3 }));

const userTemplate = `{{ template "base" . }}

[plugins."io.containerd.cri.v1.runtime".containerd.runtimes."custom"]
  runtime_type = "io.containerd.runc.v2"
`;
const rendered = renderContainerdConfig(config, { version: 3, userTemplate, userTemplateName: "config-v3.toml.tmpl" });
console.log(`with a user template: ${rendered.split("\n").length} lines, ends with:\n${rendered.trimEnd().split("\n").slice(-2).join("\n")}`);
