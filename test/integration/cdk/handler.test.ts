/**
 * The seed custom resource's Lambda handler, run in-process against AWS's own Secrets Manager client
 * with its transport mocked by aws-sdk-client-mock (no AWS reachable here): an in-memory secret store
 * answers GetSecretValue / PutSecretValue. CloudFormation's pre-signed response URL is a real HTTP
 * server on 127.0.0.1. Create, Update (same and changed parameters), Delete, a retried Create, a
 * custom CA, failures.
 */
import { once } from "node:events";
import { X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler, type SeedResourceEvent, type SeedResourceResponse } from "../../../src/cdk/handler.js";
import type { SeedDocument } from "../../../src/cdk/seed-document.js";
import { createCA } from "../../../src/certs/index.js";
import { caHash } from "../../../src/tokens/index.js";

const SEED = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:SeedSecret-AbCdEf";
const TOKEN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:TokenSecret-GhIjKl";
const CUSTOM = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:MyRootCa-MnOpQr";

const sm = mockClient(SecretsManagerClient);
let store: Map<string, string>;
let puts: string[];

let server: Server;
let responseUrl: string;
const responses: { body: SeedResourceResponse; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      responses.push({ body: JSON.parse(body), headers: req.headers });
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cfn-response?X-Amz-Signature=abc`;
});
afterAll(async () => {
  sm.restore();
  server.close();
  await once(server, "close");
});

beforeEach(() => {
  // As CDK creates them: both secrets start with a generated random placeholder.
  store = new Map([
    [SEED, "placeholder-0123456789abcdef0123"],
    [TOKEN, "placeholder-fedcba9876543210fedc"],
  ]);
  puts = [];
  responses.length = 0;
  sm.reset();
  sm.on(GetSecretValueCommand).callsFake(({ SecretId }) => {
    const value = store.get(SecretId);
    if (value === undefined) throw new ResourceNotFoundException({ message: "not found", $metadata: {} });
    return { ARN: SecretId, SecretString: value };
  });
  sm.on(PutSecretValueCommand).callsFake(({ SecretId, SecretString }) => {
    if (!store.has(SecretId)) throw new ResourceNotFoundException({ message: "not found", $metadata: {} });
    store.set(SecretId, SecretString);
    puts.push(SecretId);
    return { ARN: SecretId, VersionId: `v${puts.length}` };
  });
});

function event(
  type: SeedResourceEvent["RequestType"],
  props: Record<string, unknown> = {},
  extra: Partial<SeedResourceEvent> = {},
): SeedResourceEvent {
  return {
    RequestType: type,
    ResponseURL: responseUrl,
    StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/K3sCluster/guid",
    RequestId: `req-${Math.random().toString(16).slice(2)}`,
    LogicalResourceId: "SeedResource",
    ResourceProperties: {
      ServiceToken: "arn:aws:lambda:…",
      SeedSecretArn: SEED,
      TokenSecretArn: TOKEN,
      KeyType: "ecdsa-p256",
      ValidityDays: "3650",
      ...props,
    },
    ...extra,
  };
}

/** Runs the handler and returns what CloudFormation received, checking it never carries a secret. */
async function run(e: SeedResourceEvent): Promise<SeedResourceResponse> {
  const returned = await handler(e);
  expect(responses).toHaveLength(1);
  const { body, headers } = responses.pop()!;
  expect(body).toEqual(returned);
  expect(headers["content-type"]).toBe("");
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/PRIVATE KEY|::server:/);
  for (const v of store.values()) if (!v.startsWith("placeholder")) expect(text).not.toContain(v.slice(-40));
  return body;
}

const seedDoc = () => JSON.parse(store.get(SEED)!) as SeedDocument;

describe("K3sClusterSeed handler (aws-sdk-client-mock, real HTTP response endpoint)", () => {
  it("Create makes the seed, writes both secrets, answers SUCCESS with the CA hash only", async () => {
    const res = await run(event("Create"));
    expect(res.Status).toBe("SUCCESS");
    expect(puts).toEqual([SEED, TOKEN]);
    const doc = seedDoc();
    expect(doc.files).toHaveLength(10);
    const serverCa = doc.files.find((f) => f.path === "server-ca.crt")!.content;
    expect(doc.caHash).toBe(caHash(serverCa));
    expect(store.get(TOKEN)).toBe(doc.token);
    expect(doc.token).toMatch(new RegExp(`^K10${doc.caHash}::server:[0-9a-f]{32}$`));
    expect(res.PhysicalResourceId).toBe(`k3s-seed-${doc.caHash.slice(0, 16)}`);
    expect(res.Data).toEqual({ CaHash: doc.caHash, Kept: "false" });
  });

  it("Update with the same parameters keeps CAs and token and writes nothing; twice", async () => {
    const created = await run(event("Create"));
    const before = store.get(SEED);
    puts.length = 0;
    for (let i = 0; i < 2; i++) {
      const res = await run(
        event(
          "Update",
          {},
          {
            PhysicalResourceId: created.PhysicalResourceId,
            OldResourceProperties: event("Create").ResourceProperties,
          },
        ),
      );
      expect(res).toMatchObject({
        Status: "SUCCESS",
        PhysicalResourceId: created.PhysicalResourceId,
        Data: { Kept: "true" },
      });
    }
    expect(puts).toEqual([]);
    expect(store.get(SEED)).toBe(before);
  });

  it("a retried Create finds its own seed and keeps it", async () => {
    const first = await run(event("Create"));
    puts.length = 0;
    const again = await run(event("Create"));
    expect(again.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(puts).toEqual([]);
  });

  it("Update with a changed validity makes a new seed (new physical id: CloudFormation's replacement)", async () => {
    const created = await run(event("Create"));
    const oldToken = store.get(TOKEN);
    const res = await run(
      event("Update", { ValidityDays: "365" }, { PhysicalResourceId: created.PhysicalResourceId }),
    );
    expect(res.Status).toBe("SUCCESS");
    expect(res.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    expect(store.get(TOKEN)).not.toBe(oldToken);
    const cert = new X509Certificate(seedDoc().files.find((f) => f.path === "client-ca.crt")!.content);
    expect((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000).toBe(365);
    // CloudFormation then deletes the old physical id: the new seed must survive it.
    const kept = store.get(SEED);
    puts.length = 0;
    const del = await run(event("Delete", {}, { PhysicalResourceId: created.PhysicalResourceId }));
    expect(del).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: created.PhysicalResourceId });
    expect(store.get(SEED)).toBe(kept);
  });

  it("Delete touches no secret", async () => {
    await run(event("Create"));
    const snapshot = new Map(store);
    sm.resetHistory();
    const res = await run(event("Delete", {}, { PhysicalResourceId: "k3s-seed-0123456789abcdef" }));
    expect(res).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: "k3s-seed-0123456789abcdef" });
    expect(sm.calls()).toHaveLength(0);
    expect(store).toEqual(snapshot);
  });

  it("a custom CA (read from its own secret) signs the five CAs; changing it is a new seed", async () => {
    const root = createCA({ commonName: "example-root" });
    store.set(CUSTOM, JSON.stringify({ certPem: root.certPem, keyPem: root.keyPem }));
    const res = await run(event("Create", { CustomCaSecretArn: CUSTOM }));
    expect(res.Status).toBe("SUCCESS");
    const ca = new X509Certificate(seedDoc().files.find((f) => f.path === "server-ca.crt")!.content);
    expect(ca.issuer).toBe("CN=example-root");
    expect(ca.verify(new X509Certificate(root.certPem).publicKey)).toBe(true);
    const without = await run(event("Update", {}, { PhysicalResourceId: res.PhysicalResourceId }));
    expect(without.PhysicalResourceId).not.toBe(res.PhysicalResourceId);
  });

  it("failures answer FAILED with a reason that names no secret, and write nothing", async () => {
    store.set(CUSTOM, "not json");
    const bad = await run(event("Create", { CustomCaSecretArn: CUSTOM }));
    expect(bad.Status).toBe("FAILED");
    expect(bad.Reason).toContain("CDK_CUSTOM_CA_INVALID");
    const days = await run(event("Create", { ValidityDays: "0" }));
    expect(days).toMatchObject({ Status: "FAILED", PhysicalResourceId: "SeedResource-failed" });
    expect(days.Reason).toContain("CDK_OPTION_INVALID");
    const missing = await run(
      event("Create", { SeedSecretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:gone" }),
    );
    expect(missing.Status).toBe("FAILED");
    expect(puts).toEqual([]);
  });
});
