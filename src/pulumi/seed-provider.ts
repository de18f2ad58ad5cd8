/**
 * The `ClusterSeed` dynamic provider's logic: plain functions over plain values, so they can be
 * tested directly and loaded by the serialized provider from the package.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CertificateAuthority, type SeedFile, generateClusterSeed, loadCA } from "../certs/index.js";
import { PulumiError } from "./errors.js";
import { caHash as hashOf, parseToken } from "../tokens/index.js";

/** The CA key types a seed can have. K3s's self-made CAs are ECDSA P-256 (the only kind the SDK makes). */
export const SEED_KEY_TYPES = ["ecdsa-p256"] as const;
export type SeedKeyType = (typeof SEED_KEY_TYPES)[number];

/** Inputs of a `ClusterSeed` after defaults: every one of them decides the CAs. */
export interface SeedInputs {
  keyType: SeedKeyType;
  validityDays: number;
  /** An issuer (cert bundle + key PEM) that signs the five CAs; absent: self-signed, as K3s. */
  customCa?: { certPem: string; keyPem: string };
}

/** What a `ClusterSeed` keeps in the stack's state (`files` and `token` as secrets). */
export interface SeedOutputs extends SeedInputs {
  files: SeedFile[];
  token: string;
  caHash: string;
  /** `server-ca.crt` (public): what a kubeconfig's `certificate-authority-data` needs. */
  serverCaCert: string;
  /** When the CAs were made (ISO 8601). */
  createdAt: string;
}

/** Input names whose change makes new CAs (and so a new token): a replacement. */
export const SEED_REPLACE_KEYS = ["keyType", "validityDays", "customCa"] as const;

const PROVIDER_KEY = "__provider";

/** Applies the defaults; returns the inputs and the problems, one per property (never a key's content). */
export function normaliseSeedInputs(raw: Record<string, unknown>): {
  inputs: SeedInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new PulumiError("PULUMI_OPTION_INVALID", "ClusterSeed inputs must be an object", { value: { option: "inputs" } });
  }
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const keyType = (raw.keyType ?? "ecdsa-p256") as SeedKeyType;
  if (!SEED_KEY_TYPES.includes(keyType)) {
    failures.push({ property: "keyType", reason: `keyType must be one of ${SEED_KEY_TYPES.join(", ")}` });
  }
  const validityDays = (raw.validityDays ?? 3650) as number;
  if (!Number.isInteger(validityDays) || validityDays < 1) {
    failures.push({ property: "validityDays", reason: "validityDays must be a positive integer" });
  }
  const inputs: SeedInputs = { keyType, validityDays };
  const custom = raw.customCa as { certPem?: unknown; keyPem?: unknown } | undefined | null;
  if (custom !== undefined && custom !== null) {
    if (typeof custom !== "object" || typeof custom.certPem !== "string" || typeof custom.keyPem !== "string") {
      failures.push({ property: "customCa", reason: "customCa needs certPem and keyPem (PEM strings)" });
    } else {
      try {
        loadCA(custom.certPem, custom.keyPem, { certFile: "customCa.certPem", keyFile: "customCa.keyPem" });
        inputs.customCa = { certPem: custom.certPem, keyPem: custom.keyPem };
      } catch (e) {
        failures.push({ property: "customCa", reason: (e as Error).message });
      }
    }
  }
  return { inputs, failures };
}

/** Names of the CA-deciding inputs that differ between a state (or old inputs) and new inputs. */
export function changedSeedInputs(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const a = normaliseSeedInputs(olds).inputs;
  const b = normaliseSeedInputs(news).inputs;
  return SEED_REPLACE_KEYS.filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
}

/** Makes the seed: the five CAs and a token bound to the server CA. */
export function createSeed(given: SeedInputs, now = new Date()): SeedOutputs {
  const { inputs, failures } = normaliseSeedInputs(given as unknown as Record<string, unknown>);
  if (failures.length > 0) {
    throw new PulumiError("PULUMI_OPTION_INVALID", failures.map((f) => f.reason).join("; "), {
      value: { option: failures.map((f) => f.property) },
    });
  }
  if (!(now instanceof Date) || !Number.isFinite(now.getTime())) {
    throw new PulumiError("PULUMI_OPTION_INVALID", "now must be a valid Date", { value: { option: "now" } });
  }
  let issuer: CertificateAuthority | undefined;
  if (inputs.customCa) {
    issuer = loadCA(inputs.customCa.certPem, inputs.customCa.keyPem, {
      certFile: "customCa.certPem",
      keyFile: "customCa.keyPem",
    });
  }
  const seed = generateClusterSeed({ now, days: inputs.validityDays, ...(issuer ? { issuer } : {}) });
  const serverCaCert = seed.files.find((f) => f.path === "server-ca.crt")!.content;
  return {
    ...inputs,
    files: seed.files,
    token: seed.token,
    caHash: seed.caHash,
    serverCaCert,
    createdAt: now.toISOString(),
  };
}

/**
 * Checks that a stored seed is whole: both files of every CA, `caHash` = SHA-256 of `server-ca.crt`,
 * the token bound to it. Throws `PULUMI_SEED_STATE_INVALID` naming the part, never its content.
 */
export function checkSeedState(props: Record<string, unknown>): SeedOutputs {
  const fail = (part: string): never => {
    throw new PulumiError("PULUMI_SEED_STATE_INVALID", `ClusterSeed state is damaged: ${part}`, {
      value: part,
    });
  };
  if (typeof props !== "object" || props === null || Array.isArray(props)) return fail("state");
  const files = props.files as SeedFile[] | undefined;
  if (!Array.isArray(files)) return fail("files");
  const serverCa = files.find((f) => f?.path === "server-ca.crt");
  if (typeof serverCa?.content !== "string") return fail("files[server-ca.crt]");
  for (const base of ["client-ca", "server-ca", "request-header-ca", "etcd/server-ca", "etcd/peer-ca"]) {
    for (const ext of [".crt", ".key"]) {
      if (
        !files.some((f) => f?.path === `${base}${ext}` && typeof f.content === "string" && f.content !== "")
      ) {
        fail(`files[${base}${ext}]`);
      }
    }
  }
  let hash: string;
  try {
    hash = hashOf(serverCa.content);
  } catch {
    return fail("files[server-ca.crt]");
  }
  if (props.caHash !== hash) fail("caHash");
  if (typeof props.token !== "string") return fail("token");
  try {
    if (parseToken(props.token).caHash !== hash) fail("token");
  } catch {
    fail("token");
  }
  return props as unknown as SeedOutputs;
}

const withoutProvider = (o: Record<string, unknown>): Record<string, unknown> => {
  const { [PROVIDER_KEY]: _, ...rest } = o;
  return rest;
};

/**
 * The `ClusterSeed` provider: `create` makes the CAs and token once; `diff` asks for a replacement only
 * when `keyType`, `validityDays` or `customCa` changed (anything else, e.g. a newer k3s-node-kit's
 * provider code, is an in-place update); `update` keeps the seed; `read` (refresh) checks the state and
 * returns it unchanged, since the seed exists nowhere but in the state.
 */
export const clusterSeedProvider = {
  async check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    const { inputs, failures } = normaliseSeedInputs(news);
    return { inputs: { ...news, ...inputs }, failures };
  },

  async diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult> {
    const replaces = changedSeedInputs(olds, news);
    const providerChanged =
      news[PROVIDER_KEY] !== undefined &&
      olds[PROVIDER_KEY] !== undefined &&
      news[PROVIDER_KEY] !== olds[PROVIDER_KEY];
    return { changes: replaces.length > 0 || providerChanged, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const { inputs: checked, failures } = normaliseSeedInputs(inputs);
    if (failures.length > 0) {
      throw new PulumiError("PULUMI_OPTION_INVALID", failures.map((f) => f.reason).join("; "), {
        value: failures.map((f) => f.property),
      });
    }
    const outs = createSeed(checked);
    return { id: `k3s-seed-${outs.caHash.slice(0, 16)}`, outs };
  },

  async update(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const kept = checkSeedState(olds);
    const changed = changedSeedInputs(olds, news);
    if (changed.length > 0) {
      // diff() replaces on these; an update reaching here would silently keep CAs the inputs no longer describe.
      throw new PulumiError("PULUMI_OPTION_INVALID", `changing ${changed.join(", ")} needs a replacement`, {
        value: changed,
      });
    }
    return { outs: { ...withoutProvider(kept as unknown as Record<string, unknown>) } };
  },

  async read(id: string, props?: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    if (props === undefined) {
      throw new PulumiError(
        "PULUMI_SEED_STATE_INVALID",
        "a ClusterSeed cannot be imported: it exists only in state",
        {
          value: id,
        },
      );
    }
    checkSeedState(props);
    return { id, props };
  },
};
