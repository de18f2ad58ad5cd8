/**
 * The Lambda asset as deployed: the built, self-contained dist/cdk-handler/index.js (the SDK and the
 * node-forge files it uses inlined, the AWS SDK left to the runtime) run in a fresh Node process.
 * No AWS is reachable here: see the script below for what stands in. The point is that the bundle alone makes a seed whose certificates Node's X509 parser reads and whose
 * CA hash and token agree, and that no forge file outside the ASN.1 codec got inlined.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caHash } from "../../../src/tokens/index.js";
import { ensureBuilt, projectRoot } from "../../helpers/dist.js";

const built = join(projectRoot, "dist", "cdk-handler", "index.js");
/** The asset as Lambda runs it: index.js alone in its directory (no package.json, so CommonJS). */
let assetDir: string;
let bundle: string;

/**
 * Runs one Create through the bundle's Lambda entry in a fresh process: AWS's own Secrets Manager
 * client (the runtime's, required from node_modules as the bundle does) with its transport mocked by
 * aws-sdk-client-mock over an in-memory store, and CloudFormation's response URL a real HTTP server
 * on 127.0.0.1.
 */
const script = (bundle: string): string => `
const http = require("node:http");
const { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } = require("@aws-sdk/client-secrets-manager");
const { mockClient } = require("aws-sdk-client-mock");
const store = new Map([["seed", "placeholder-0123456789abcdef0123"], ["token", "placeholder-fedcba9876543210fedc"]]);
const sm = mockClient(SecretsManagerClient);
sm.on(GetSecretValueCommand).callsFake(({ SecretId }) => ({ ARN: SecretId, SecretString: store.get(SecretId) }));
sm.on(PutSecretValueCommand).callsFake(({ SecretId, SecretString }) => (store.set(SecretId, SecretString), { ARN: SecretId }));
let answered;
const server = http.createServer((req, res) => { let b = ""; req.on("data", (c) => (b += c)); req.on("end", () => { answered = JSON.parse(b); res.end(); }); });
server.listen(0, "127.0.0.1", async () => {
  const { handler } = require(${JSON.stringify(bundle)});
  const r = await handler({ RequestType: "Create", ResponseURL: "http://127.0.0.1:" + server.address().port + "/cfn",
    StackId: "s", RequestId: "r", LogicalResourceId: "Seed", ResourceProperties: { ServiceToken: "t",
    SeedSecretArn: "seed", TokenSecretArn: "token", KeyType: "ecdsa-p256", ValidityDays: "365" } });
  server.close();
  console.log(JSON.stringify({ r, answered, seed: store.get("seed"), token: store.get("token") }));
});
`;

describe("the built Lambda bundle (dist/cdk-handler)", () => {
  beforeAll(() => {
    ensureBuilt();
    assetDir = mkdtempSync(join(tmpdir(), "k3s-seed-asset-"));
    bundle = join(assetDir, "index.js");
    copyFileSync(built, bundle);
  }, 180_000);
  afterAll(() => rmSync(assetDir, { recursive: true, force: true }));

  it("makes a seed on its own: every certificate parses, the CA hash and the token agree", () => {
    // The Lambda runtime provides the AWS SDK: here it is the project's, via NODE_PATH.
    const out = execFileSync(process.execPath, ["--no-warnings", "-e", script(bundle)], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, NODE_PATH: join(projectRoot, "node_modules") },
    });
    const { r, answered, seed, token } = JSON.parse(out.trim().split("\n").pop() as string);
    expect(r.Status, JSON.stringify(r)).toBe("SUCCESS");
    expect(answered).toEqual(r);
    const doc = JSON.parse(seed) as {
      files: { path: string; content: string }[];
      caHash: string;
      token: string;
    };
    const certs = doc.files.filter((f) => f.path.endsWith(".crt"));
    expect(certs).toHaveLength(5);
    for (const f of certs) expect(new X509Certificate(f.content).ca, f.path).toBe(true);
    const serverCa = doc.files.find((f) => f.path === "server-ca.crt")?.content as string;
    expect(doc.caHash).toBe(caHash(serverCa));
    expect(token).toBe(doc.token);
    expect(r.PhysicalResourceId).toBe(`k3s-seed-${doc.caHash.slice(0, 16)}`);
  });

  it("inlines node-forge's ASN.1 codec only (no TLS, cipher, PKCS#12 or pure-JS RSA code)", () => {
    const text = readFileSync(bundle, "utf8");
    expect(text).toContain("asn1.fromDer");
    for (const marker of ["forge.tls", "forge.pkcs12", "forge.cipher", "forge.rsa"])
      expect(text, marker).not.toContain(`${marker} =`);
  });
});
