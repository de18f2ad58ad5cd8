import { defineConfig } from "tsup";

/** One entry per public subpath; keep in sync with package.json "exports" (test/unit/packaging/import-cost.test.ts checks). */
export const entries = {
  index: "src/index.ts",
  template: "src/template/index.ts",
  certs: "src/certs/index.ts",
  tokens: "src/tokens/index.ts",
  dns: "src/dns/index.ts",
  proxy: "src/proxy/index.ts",
  containerd: "src/containerd/index.ts",
  runtime: "src/runtime/index.ts",
  rootless: "src/rootless/index.ts",
  etcd: "src/etcd/index.ts",
  "k3s-config": "src/k3s-config/index.ts",
  host: "src/host/index.ts",
  labels: "src/labels/index.ts",
  node: "src/node/index.ts",
  process: "src/process/index.ts",
  layout: "src/layout/index.ts",
  errors: "src/errors/index.ts",
};

export default defineConfig({
  entry: entries,
  format: ["esm", "cjs"],
  // @internal members (EtcdClient.transport, grpc-js plumbing) stay out of the published types.
  dts: { compilerOptions: { stripInternal: true } },
  // Splitting for CJS too, so every entry shares one copy of the error base class.
  splitting: true,
  // No sourcemaps: the output is unminified ESM/CJS that reads like the source (names and structure kept),
  // so stack traces are already legible; maps were 2.9 MB of a 4.5 MB unpacked package.
  sourcemap: false,
  clean: true,
  treeshake: true,
  target: "node20",
  platform: "node",
});
