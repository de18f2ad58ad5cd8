/**
 * The ClusterSeed provider called directly, the way the engine calls it: check, then create on the
 * first up; check, read (refresh) and diff, then nothing / update / replace on later ups.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCA } from "../../../src/certs/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { clusterSeedProvider as p } from "../../../src/pulumi/seed-provider.js";
import { caHash } from "../../../src/tokens/index.js";

type Props = Record<string, unknown>;
const PROVIDER = { __provider: "exports.handler = () => ({})" };

/** One `pulumi up` for one ClusterSeed: returns the new state and what the engine did. */
async function up(state: { id: string; outs: Props } | undefined, userInputs: Props) {
  const { inputs, failures } = await p.check(state?.outs ?? {}, { ...userInputs, ...PROVIDER });
  expect(failures).toEqual([]);
  if (!state) {
    const r = await p.create(inputs!);
    return { state: { id: r.id, outs: { ...r.outs, ...PROVIDER } }, op: "create" };
  }
  await p.read(state.id, state.outs);
  const d = await p.diff(state.id, state.outs, inputs!);
  if (d.replaces?.length) {
    const r = await p.create(inputs!);
    return { state: { id: r.id, outs: { ...r.outs, ...PROVIDER } }, op: `replace:${d.replaces.join(",")}` };
  }
  if (d.changes) {
    const r = await p.update(state.id, state.outs, inputs!);
    return { state: { id: state.id, outs: { ...r.outs, ...inputs } }, op: "update" };
  }
  return { state, op: "same" };
}

const file = (outs: Props, path: string) =>
  (outs.files as { path: string; content: string }[]).find((f) => f.path === path)!;

describe("ClusterSeed provider", () => {
  it("create makes the five K3s CAs and a token bound to the server CA, with defaults recorded", async () => {
    const { inputs } = await p.check({}, {});
    const { id, outs } = await p.create(inputs!);
    expect(inputs).toMatchObject({ keyType: "ecdsa-p256", validityDays: 3650 });
    expect(outs.files).toHaveLength(10);
    const serverCa = file(outs, "server-ca.crt").content;
    expect(new X509Certificate(serverCa).subject).toMatch(/CN=k3s-server-ca@\d+/);
    expect(outs.caHash).toBe(caHash(serverCa));
    expect(outs.serverCaCert).toBe(serverCa);
    expect(outs.token).toMatch(new RegExp(`^K10${outs.caHash}::server:[0-9a-f]{32}$`));
    expect(id).toBe(`k3s-seed-${String(outs.caHash).slice(0, 16)}`);
    expect(file(outs, "etcd/peer-ca.key").content).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
  });

  it("two ups with the same inputs keep the same CAs and token; a third as well after a provider upgrade", async () => {
    const first = await up(undefined, { validityDays: 3650 });
    const second = await up(first.state, { validityDays: 3650 });
    expect(second.op).toBe("same");
    expect(second.state.outs.token).toBe(first.state.outs.token);
    expect(file(second.state.outs, "server-ca.key").content).toBe(
      file(first.state.outs, "server-ca.key").content,
    );
    // Defaults and explicit values are the same inputs.
    expect((await up(first.state, {})).op).toBe("same");
    // A newer serialized provider (a k3s-node-kit upgrade) is an in-place update that keeps the seed.
    const diff = await p.diff(first.state.id, first.state.outs, { ...first.state.outs, __provider: "v2" });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await p.update(first.state.id, first.state.outs, {
      keyType: "ecdsa-p256",
      validityDays: 3650,
      __provider: "v2",
    });
    expect(updated.outs!.token).toBe(first.state.outs.token);
    expect(updated.outs!.files).toEqual(first.state.outs.files);
  });

  it("a changed validity replaces the seed: new CAs, new token, and the validity is in the certificates", async () => {
    const first = await up(undefined, {});
    const second = await up(first.state, { validityDays: 365 });
    expect(second.op).toBe("replace:validityDays");
    expect(second.state.outs.caHash).not.toBe(first.state.outs.caHash);
    expect(second.state.outs.token).not.toBe(first.state.outs.token);
    const cert = new X509Certificate(file(second.state.outs, "client-ca.crt").content);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(days).toBe(365);
    const third = await up(second.state, { validityDays: 365 });
    expect(third.op).toBe("same");
  });

  it("a custom CA signs the five CAs; changing it replaces the seed", async () => {
    const root1 = createCA({ commonName: "example-root-1" });
    const root2 = createCA({ commonName: "example-root-2" });
    const first = await up(undefined, { customCa: { certPem: root1.certPem, keyPem: root1.keyPem } });
    const serverCa = file(first.state.outs, "server-ca.crt").content;
    const leafCa = new X509Certificate(serverCa);
    expect(leafCa.issuer).toBe("CN=example-root-1");
    expect(leafCa.verify(new X509Certificate(root1.certPem).publicKey)).toBe(true);
    // The CA file is the CA followed by its issuer, as K3s expects for custom CAs; the hash covers both.
    expect(serverCa.endsWith(root1.certPem)).toBe(true);
    expect(first.state.outs.caHash).toBe(caHash(serverCa));
    expect((await up(first.state, { customCa: { certPem: root1.certPem, keyPem: root1.keyPem } })).op).toBe(
      "same",
    );
    const changed = await up(first.state, { customCa: { certPem: root2.certPem, keyPem: root2.keyPem } });
    expect(changed.op).toBe("replace:customCa");
    expect(new X509Certificate(file(changed.state.outs, "server-ca.crt").content).issuer).toBe(
      "CN=example-root-2",
    );
    expect((await up(changed.state, {})).op).toBe("replace:customCa");
  });

  it("check reports bad inputs per property without echoing key material", async () => {
    const root = createCA({ commonName: "r" });
    const other = createCA({ commonName: "o" });
    const { failures } = await p.check(
      {},
      {
        keyType: "rsa-2048",
        validityDays: 0,
        customCa: { certPem: root.certPem, keyPem: other.keyPem },
      },
    );
    expect(failures!.map((f) => f.property)).toEqual(["keyType", "validityDays", "customCa"]);
    expect(JSON.stringify(failures)).not.toContain("PRIVATE KEY");
    expect((await p.check({}, { customCa: { certPem: root.certPem } })).failures).toHaveLength(1);
    await expect(p.create({ validityDays: -1 })).rejects.toSatisfy((e) =>
      isKitError(e, "PULUMI_OPTION_INVALID"),
    );
  });

  it("read (refresh) keeps a whole state and refuses a damaged one, naming the part, not the secret", async () => {
    const { id, outs } = await p.create((await p.check({}, {})).inputs!);
    expect(await p.read(id, outs)).toEqual({ id, props: outs });
    const token = String(outs.token);
    const damaged = [
      { ...outs, token: `K10${"0".repeat(64)}::server:x` },
      { ...outs, caHash: "0".repeat(64) },
      { ...outs, files: (outs.files as { path: string }[]).filter((f) => f.path !== "etcd/peer-ca.key") },
    ];
    const parts: string[] = [];
    for (const props of damaged) {
      try {
        await p.read(id, props);
      } catch (e) {
        expect(isKitError(e, "PULUMI_SEED_STATE_INVALID")).toBe(true);
        expect(String((e as Error).message)).not.toContain(token);
        parts.push(String((e as { value: unknown }).value));
      }
    }
    expect(parts).toEqual(["token", "caHash", "files[etcd/peer-ca.key]"]);
    await expect(p.read(id)).rejects.toSatisfy((e) => isKitError(e, "PULUMI_SEED_STATE_INVALID"));
  });

  it("update refuses a CA-deciding change (diff replaces on those)", async () => {
    const { id, outs } = await p.create((await p.check({}, {})).inputs!);
    await expect(p.update(id, outs, { ...outs, validityDays: 10 })).rejects.toSatisfy((e) =>
      isKitError(e, "PULUMI_OPTION_INVALID"),
    );
  });
});
