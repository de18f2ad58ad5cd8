import * as pulumi from "@pulumi/pulumi";
import type { SeedFile } from "../certs/index.js";
import { PulumiError } from "./errors.js";
import { cloudInitForAgent, cloudInitForServer } from "../cloud-init/index.js";
import type { K3sConfig } from "../k3s-config/index.js";
import { checkOptions, is } from "../internal/options.js";
import { normaliseSeedInputs, type SeedKeyType } from "./seed-provider.js";

/**
 * What Pulumi serializes into the state for a dynamic resource. Pulumi turns a provider into source
 * text by walking its closures; walking the SDK (node-forge, the certs module) would capture far too
 * much, and an ESM package is not in `require.cache`, so Pulumi could not refer to it by name. So the
 * methods capture nothing: each loads `k3s-node-kit/pulumi` when the provider runs (in Pulumi's
 * dynamic-provider host, from the program's own `node_modules`) and calls `clusterSeedProvider`.
 */
const serializableProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    return (await import("k3s-node-kit/pulumi")).clusterSeedProvider.check(olds, news);
  },
  async diff(id, olds, news) {
    return (await import("k3s-node-kit/pulumi")).clusterSeedProvider.diff(id, olds, news);
  },
  async create(inputs) {
    return (await import("k3s-node-kit/pulumi")).clusterSeedProvider.create(inputs);
  },
  async update(id, olds, news) {
    return (await import("k3s-node-kit/pulumi")).clusterSeedProvider.update(id, olds, news);
  },
  async read(id, props) {
    return (await import("k3s-node-kit/pulumi")).clusterSeedProvider.read(id, props);
  },
};

const fail = (message: string, value: unknown) =>
  new PulumiError("PULUMI_OPTION_INVALID", message, { value });

/** A resource name Pulumi can make a URN of: a non-empty string. */
function checkName(name: unknown, what: string): string {
  if (typeof name !== "string" || name === "" || name.includes("\0")) {
    throw fail(`${what}: name must be a non-empty string`, { option: "name" });
  }
  return name;
}

/** Resource options: absent or an object; `additionalSecretOutputs` a list of names. */
function checkResourceOptions<T extends object>(opts: unknown, what: string): T {
  if (opts === undefined) return {} as T;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw fail(`${what}: resource options must be an object`, { option: "opts" });
  }
  const extra = (opts as { additionalSecretOutputs?: unknown }).additionalSecretOutputs;
  if (extra !== undefined && is.stringArray(extra) !== undefined) {
    throw fail(`${what}: additionalSecretOutputs must be a list of names`, {
      option: "additionalSecretOutputs",
    });
  }
  return opts as T;
}

/** An Input whose value is known now: no Output or promise anywhere in it (arrays and objects walked). */
function isKnown(v: unknown, depth = 0): boolean {
  if (pulumi.Output.isInstance(v)) return false;
  if (typeof v === "object" && v !== null) {
    if (typeof (v as { then?: unknown }).then === "function") return false;
    if (depth >= 4) return true;
    return Object.values(v).every((x) => isKnown(x, depth + 1));
  }
  return true;
}

/** The seed argument: a {@link ClusterSeed} (its `files` and `token` are Outputs). */
function checkSeed(seed: unknown, what: string): ClusterSeed | undefined {
  if (seed === undefined) return undefined;
  const s = seed as Partial<ClusterSeed>;
  if (
    !pulumi.Resource.isInstance(seed) ||
    !pulumi.Output.isInstance(s.files) ||
    !pulumi.Output.isInstance(s.token)
  ) {
    throw fail(`${what}: seed must be a ClusterSeed`, { option: "seed" });
  }
  return seed as ClusterSeed;
}

/**
 * The user-data resources render once at construction with what is known and placeholders for the
 * rest, so that a bad plain input (a relative data dir, a config key K3s refuses, a non-https URL)
 * fails there with its typed error, not later inside an Output.
 */
const PLACEHOLDER_TOKEN = "K10placeholder::server:placeholder";

/** Inputs of {@link ClusterSeed}. Changing any of them makes a new seed (a replacement). */
export interface ClusterSeedArgs {
  /** CA key type. Default and only value today: `"ecdsa-p256"` (what K3s makes). */
  keyType?: pulumi.Input<SeedKeyType>;
  /** Validity of each CA in days. Default 3650 (K3s). */
  validityDays?: pulumi.Input<number>;
  /**
   * Your own CA (e.g. an intermediate of your PKI, ECDSA P-256) that signs the five cluster CAs
   * instead of self-signing them. Kept as a secret input.
   */
  customCa?: pulumi.Input<{ certPem: pulumi.Input<string>; keyPem: pulumi.Input<string> }>;
}

/**
 * A K3s cluster seed kept in the stack's state, like `@pulumi/tls`'s `PrivateKey`: the five CAs and
 * a token bound to the server CA are made once, on create, and kept as secret outputs; later
 * `pulumi up`s keep them. Only a change of `keyType`, `validityDays` or `customCa` replaces the seed.
 * `pulumi refresh` checks the stored seed is whole and keeps it.
 *
 * @example
 * ```ts
 * import { ClusterSeed, ServerUserData } from "k3s-node-kit/pulumi";
 * const seed = new ClusterSeed("k3s");
 * const server = new ServerUserData("k3s-server", { seed, config: { "cluster-init": true } });
 * // server.userData: a secret Output<string>, for aws.ec2.Instance({ userData }) or any VM
 * ```
 */
export class ClusterSeed extends pulumi.dynamic.Resource {
  /** The five CAs, cert + key, paths relative to `<dataDir>/server/tls` (a secret). */
  declare public readonly files: pulumi.Output<SeedFile[]>;
  /** `K10<caHash>::server:<password>` (a secret). */
  declare public readonly token: pulumi.Output<string>;
  /** SHA-256 of `server-ca.crt`, which joining nodes check. */
  declare public readonly caHash: pulumi.Output<string>;
  /** `server-ca.crt` (public). */
  declare public readonly serverCaCert: pulumi.Output<string>;
  declare public readonly createdAt: pulumi.Output<string>;
  declare public readonly keyType: pulumi.Output<SeedKeyType>;
  declare public readonly validityDays: pulumi.Output<number>;

  constructor(name: string, args: ClusterSeedArgs = {}, opts: pulumi.CustomResourceOptions = {}) {
    const what = "ClusterSeed";
    checkName(name, what);
    const checked = checkOptions<ClusterSeedArgs>(
      args,
      { keyType: is.any, validityDays: is.any, customCa: is.any },
      fail,
      what,
    );
    opts = checkResourceOptions<pulumi.CustomResourceOptions>(opts, what);
    // Inputs known now are checked now (the provider's check() sees the rest at deploy time).
    const known = Object.fromEntries(Object.entries(checked).filter(([, v]) => isKnown(v)));
    const { failures } = normaliseSeedInputs(known);
    if (failures.length > 0) {
      throw fail(`${what}: ${failures.map((f) => f.reason).join("; ")}`, {
        option: failures.map((f) => f.property),
      });
    }
    args = checked;
    const props: Record<string, unknown> = {
      keyType: args.keyType,
      validityDays: args.validityDays,
      customCa: args.customCa === undefined ? undefined : pulumi.secret(args.customCa),
      files: undefined,
      token: undefined,
      caHash: undefined,
      serverCaCert: undefined,
      createdAt: undefined,
    };
    const secretOutputs = [...(opts.additionalSecretOutputs ?? []), "files", "token", "customCa"];
    super(
      serializableProvider,
      name,
      props,
      { ...opts, additionalSecretOutputs: secretOutputs },
      "k3s-node-kit",
      "ClusterSeed",
    );
    // The engine encrypts these in the state (additionalSecretOutputs); marking the Outputs too keeps
    // them secret wherever the program passes them, whatever engine or mock registered the resource.
    const self = this as unknown as { files: pulumi.Output<SeedFile[]>; token: pulumi.Output<string> };
    self.files = pulumi.secret(this.files);
    self.token = pulumi.secret(this.token);
  }
}

/** Inputs of {@link ServerUserData}: a `seed`, or its `files` and `token`. */
export interface ServerUserDataArgs {
  seed?: ClusterSeed;
  files?: pulumi.Input<SeedFile[]>;
  token?: pulumi.Input<string>;
  /** K3s server config for `/etc/rancher/k3s/config.yaml` (e.g. `{ "cluster-init": true }`). */
  config?: pulumi.Input<K3sConfig>;
  /** K3s data dir on the target. Default `/var/lib/rancher/k3s`. */
  dataDir?: pulumi.Input<string>;
  /** Commands after the files are written (e.g. the K3s install script). */
  runcmd?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * `#cloud-config` user-data that seeds a K3s server with a cluster seed (`cloudInitForServer`), as a
 * secret `Output`: it holds the CA keys and the token. Deterministic: the same seed and config give
 * the same text, so instances are not replaced by a `pulumi up` that changed nothing.
 *
 * @throws PulumiError `PULUMI_OPTION_INVALID` without a seed or files + token; at deploy time the
 * errors of `cloudInitForServer`.
 * @example
 * ```ts
 * const server = new ServerUserData("k3s-server", { seed, config: { "tls-san": ["k3s.example.com"] } });
 * new aws.ec2.Instance("server", { userData: server.userData, ... });
 * ```
 */
export class ServerUserData extends pulumi.ComponentResource {
  public readonly userData: pulumi.Output<string>;

  constructor(name: string, args: ServerUserDataArgs, opts?: pulumi.ComponentResourceOptions) {
    const what = "ServerUserData";
    checkName(name, what);
    const a = checkOptions<ServerUserDataArgs>(
      args,
      { seed: is.any, files: is.any, token: is.any, config: is.any, dataDir: is.any, runcmd: is.any },
      fail,
      what,
    );
    const seed = checkSeed(a.seed, what);
    const files = seed?.files ?? a.files;
    const token = seed?.token ?? a.token;
    if (files === undefined || token === undefined) {
      throw fail(`${what} needs a seed, or files and token`, { option: "seed" });
    }
    const optsChecked = checkResourceOptions<pulumi.ComponentResourceOptions>(opts, what);
    cloudInitForServer({
      pki: isKnown(files) ? (files as SeedFile[]) : [],
      token: isKnown(token) ? (token as string) : PLACEHOLDER_TOKEN,
      config: (isKnown(a.config) ? (a.config ?? {}) : {}) as K3sConfig,
      runcmd: (isKnown(a.runcmd) ? (a.runcmd ?? []) : []) as string[],
      ...(a.dataDir !== undefined && isKnown(a.dataDir) ? { dataDir: a.dataDir as string } : {}),
    });
    super("k3s-node-kit:index:ServerUserData", name, {}, optsChecked);
    args = a;
    this.userData = pulumi.secret(
      pulumi
        .all([files, token, args.config ?? {}, args.dataDir, args.runcmd ?? []])
        .apply(([pki, tok, config, dataDir, runcmd]) =>
          cloudInitForServer({
            pki,
            token: tok,
            config: config as K3sConfig,
            runcmd,
            ...(dataDir !== undefined ? { dataDir } : {}),
          }),
        ),
    );
    this.registerOutputs({ userData: this.userData });
  }
}

/** Inputs of {@link AgentUserData}: the `serverUrl` and a `seed` or a `token`. */
export interface AgentUserDataArgs {
  /** `https://<server or load balancer>:6443`. */
  serverUrl: pulumi.Input<string>;
  seed?: ClusterSeed;
  token?: pulumi.Input<string>;
  /** K3s agent config (e.g. `{ "node-label": ["tier=web"] }`). */
  config?: pulumi.Input<K3sConfig>;
  dataDir?: pulumi.Input<string>;
  runcmd?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * `#cloud-config` user-data that joins a K3s agent (`cloudInitForAgent`), as a secret `Output`.
 *
 * @throws PulumiError `PULUMI_OPTION_INVALID` without a seed or token; at deploy time the errors of
 * `cloudInitForAgent` (e.g. a non-https server URL).
 * @example
 * ```ts
 * const agent = new AgentUserData("k3s-agent", { seed, serverUrl: pulumi.interpolate`https://${server.privateIp}:6443` });
 * ```
 */
export class AgentUserData extends pulumi.ComponentResource {
  public readonly userData: pulumi.Output<string>;

  constructor(name: string, args: AgentUserDataArgs, opts?: pulumi.ComponentResourceOptions) {
    const what = "AgentUserData";
    checkName(name, what);
    const a = checkOptions<AgentUserDataArgs>(
      args,
      { serverUrl: is.any, seed: is.any, token: is.any, config: is.any, dataDir: is.any, runcmd: is.any },
      fail,
      what,
    );
    const seed = checkSeed(a.seed, what);
    const token = seed?.token ?? a.token;
    if (token === undefined) throw fail(`${what} needs a seed or a token`, { option: "token" });
    if (a.serverUrl === undefined) throw fail(`${what} needs a serverUrl`, { option: "serverUrl" });
    const optsChecked = checkResourceOptions<pulumi.ComponentResourceOptions>(opts, what);
    cloudInitForAgent({
      serverUrl: isKnown(a.serverUrl) ? (a.serverUrl as string) : "https://placeholder:6443",
      token: isKnown(token) ? (token as string) : PLACEHOLDER_TOKEN,
      config: (isKnown(a.config) ? (a.config ?? {}) : {}) as K3sConfig,
      runcmd: (isKnown(a.runcmd) ? (a.runcmd ?? []) : []) as string[],
      ...(a.dataDir !== undefined && isKnown(a.dataDir) ? { dataDir: a.dataDir as string } : {}),
    });
    super("k3s-node-kit:index:AgentUserData", name, {}, optsChecked);
    args = a;
    this.userData = pulumi.secret(
      pulumi
        .all([args.serverUrl, token, args.config ?? {}, args.dataDir, args.runcmd ?? []])
        .apply(([serverUrl, tok, config, dataDir, runcmd]) =>
          cloudInitForAgent({
            serverUrl,
            token: tok,
            config: config as K3sConfig,
            runcmd,
            ...(dataDir !== undefined ? { dataDir } : {}),
          }),
        ),
    );
    this.registerOutputs({ userData: this.userData });
  }
}
