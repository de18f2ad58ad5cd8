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
  "cloud-init": "src/cloud-init/index.ts",
  cluster: "src/cluster/index.ts",
  errors: "src/errors/index.ts",
  pulumi: "src/pulumi/index.ts",
  cdk: "src/cdk/index.ts",
};

/** The CDK seed custom resource's Lambda code: its own directory, the asset `k3s-node-kit/cdk` deploys. */
export const CDK_HANDLER_DIR = "cdk-handler";

export default defineConfig([
  {
    entry: entries,
    format: ["esm", "cjs"],
    // @internal members (EtcdClient.transport, grpc-js plumbing) stay out of the published types.
    dts: { compilerOptions: { stripInternal: true } },
    // Splitting for CJS too, so every entry shares one copy of the error base class.
    splitting: true,
    // No sourcemaps: the output is unminified ESM/CJS that reads like the source (names and structure kept),
    // so stack traces are already legible; maps were 2.9 MB of a 4.5 MB unpacked package.
    sourcemap: false,
    // Everything but the handler bundle, which the second build writes at the same time.
    clean: [`!${CDK_HANDLER_DIR}/**`],
    treeshake: true,
    target: "node20",
    platform: "node",
    // Optional peers stay the user's; the Pulumi provider loads the package's own subpath at run time.
    external: ["@pulumi/pulumi", "aws-cdk-lib", "constructs", "k3s-node-kit/pulumi"],
  },
  {
    // One self-contained file (the SDK and node-forge inlined) so the asset needs no node_modules;
    // the AWS SDK v3 is left out: every Lambda Node.js runtime provides it.
    entry: { [`${CDK_HANDLER_DIR}/index`]: "src/cdk/handler.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".js" }),
    noExternal: [/^(?!@aws-sdk\/)/],
    external: [/^@aws-sdk\//],
    splitting: false,
    dts: false,
    sourcemap: false,
    clean: false,
    treeshake: true,
    minify: false,
    target: "node20",
    platform: "node",
  },
]);
