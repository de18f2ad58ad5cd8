/** The seed as stored in Secrets Manager, and the parameters that decide its CAs. Pure. */
import { type CertificateAuthority, generateClusterSeed, loadCA, type SeedFile } from "../certs/index.js";
import { caHash, parseToken } from "../tokens/index.js";

/** Custom-resource properties that decide the CAs: changing one makes a new seed. */
export interface SeedParameters {
  keyType: "ecdsa-p256";
  validityDays: number;
  /** ARN of a secret holding `{ "certPem": …, "keyPem": … }`, an issuer for the five CAs. */
  customCaSecretArn?: string;
}

/** The seed secret's JSON (servers read it at boot). */
export interface SeedDocument extends SeedParameters {
  format: "k3s-node-kit/seed@1";
  files: SeedFile[];
  token: string;
  caHash: string;
  createdAt: string;
}

export function sameParameters(a: SeedParameters, b: SeedParameters): boolean {
  return (
    a.keyType === b.keyType &&
    a.validityDays === b.validityDays &&
    (a.customCaSecretArn ?? "") === (b.customCaSecretArn ?? "")
  );
}

export function makeSeedDocument(
  params: SeedParameters,
  customCa: { certPem: string; keyPem: string } | undefined,
  now = new Date(),
): SeedDocument {
  let issuer: CertificateAuthority | undefined;
  if (customCa)
    issuer = loadCA(customCa.certPem, customCa.keyPem, { certFile: "custom CA", keyFile: "custom CA key" });
  const seed = generateClusterSeed({ now, days: params.validityDays, ...(issuer ? { issuer } : {}) });
  return {
    format: "k3s-node-kit/seed@1",
    ...params,
    files: seed.files,
    token: seed.token,
    caHash: seed.caHash,
    createdAt: now.toISOString(),
  };
}

/** Parses a stored seed; `undefined` when the secret holds something else (e.g. its initial random value). */
export function parseSeedDocument(text: string | undefined): SeedDocument | undefined {
  if (text === undefined) return undefined;
  let doc: SeedDocument;
  try {
    doc = JSON.parse(text) as SeedDocument;
  } catch {
    return undefined;
  }
  if (doc?.format !== "k3s-node-kit/seed@1" || !Array.isArray(doc.files) || typeof doc.token !== "string")
    return undefined;
  const serverCa = doc.files.find((f) => f.path === "server-ca.crt");
  try {
    if (!serverCa || caHash(serverCa.content) !== doc.caHash || parseToken(doc.token).caHash !== doc.caHash)
      return undefined;
  } catch {
    return undefined;
  }
  return doc;
}
