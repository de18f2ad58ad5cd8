/**
 * The Lambda behind `K3sClusterSeed`: a CloudFormation custom resource that makes the cluster seed at
 * deploy time and keeps it in Secrets Manager. Bundled by tsup into `dist/cdk-handler/index.js` (the
 * SDK inlined, the AWS SDK v3 left to the Lambda runtime, which provides it).
 *
 * - Create / Update: if the seed secret already holds a seed made with the same parameters
 *   (key type, validity, custom CA), it is kept (a retried Create, or an Update that changed nothing
 *   about the CAs); otherwise a new seed is made and written as a new secret version. The token
 *   secret is made to match. The physical id follows the CA hash, so a new seed is a replacement.
 * - Delete: nothing is touched. A replacement's Delete must not erase the seed that replaced it, and
 *   the secrets' own removal policy (RETAIN by default) decides what happens to them.
 */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { CdkError } from "./errors.js";
import { makeSeedDocument, parseSeedDocument, type SeedParameters, sameParameters } from "./seed-document.js";

/** The fields of a CloudFormation custom-resource request this handler reads. */
export interface SeedResourceEvent {
  RequestType: "Create" | "Update" | "Delete";
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}

/** What the handler sends back to CloudFormation: never a secret (`Data` is readable with `Fn::GetAtt`). */
export interface SeedResourceResponse {
  Status: "SUCCESS" | "FAILED";
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: { CaHash: string; Kept: string };
}

const client = new SecretsManagerClient({});

function parameters(
  props: Record<string, unknown>,
): SeedParameters & { seedSecretArn: string; tokenSecretArn: string } {
  const bad = (what: string, value: unknown): never => {
    throw new CdkError("CDK_OPTION_INVALID", `custom resource property ${what} is invalid`, { value });
  };
  const seedSecretArn =
    typeof props.SeedSecretArn === "string" ? props.SeedSecretArn : bad("SeedSecretArn", props.SeedSecretArn);
  const tokenSecretArn =
    typeof props.TokenSecretArn === "string"
      ? props.TokenSecretArn
      : bad("TokenSecretArn", props.TokenSecretArn);
  const keyType = props.KeyType ?? "ecdsa-p256";
  if (keyType !== "ecdsa-p256") bad("KeyType", keyType);
  // CloudFormation passes every scalar property as a string.
  const validityDays = Number(props.ValidityDays ?? 3650);
  if (!Number.isInteger(validityDays) || validityDays < 1) bad("ValidityDays", props.ValidityDays);
  const custom = props.CustomCaSecretArn;
  if (custom !== undefined && (typeof custom !== "string" || custom === "")) bad("CustomCaSecretArn", custom);
  return {
    seedSecretArn,
    tokenSecretArn,
    keyType: "ecdsa-p256",
    validityDays,
    ...(custom !== undefined ? { customCaSecretArn: custom as string } : {}),
  };
}

async function secretString(sm: SecretsManagerClient, id: string): Promise<string | undefined> {
  try {
    return (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString;
  } catch (e) {
    if (
      e instanceof ResourceNotFoundException ||
      (e as { name?: string }).name === "ResourceNotFoundException"
    ) {
      return undefined;
    }
    throw e;
  }
}

async function customCa(sm: SecretsManagerClient, arn: string): Promise<{ certPem: string; keyPem: string }> {
  const text = await secretString(sm, arn);
  let value: { certPem?: unknown; keyPem?: unknown } | undefined;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value?.certPem !== "string" || typeof value.keyPem !== "string") {
    throw new CdkError("CDK_CUSTOM_CA_INVALID", "the custom CA secret must hold JSON { certPem, keyPem }", {
      value: arn,
    });
  }
  return { certPem: value.certPem, keyPem: value.keyPem };
}

/**
 * Handles one request against Secrets Manager and returns the physical id and data (no secret).
 * Exported for tests; {@link handler} is the Lambda entry.
 */
export async function handleSeedRequest(
  event: SeedResourceEvent,
  sm: SecretsManagerClient = client,
): Promise<{ physicalResourceId: string; data?: { CaHash: string; Kept: string } }> {
  if (event.RequestType === "Delete") {
    return { physicalResourceId: event.PhysicalResourceId ?? `${event.LogicalResourceId}-none` };
  }
  if (event.RequestType !== "Create" && event.RequestType !== "Update") {
    throw new CdkError("CDK_OPTION_INVALID", "unknown custom resource request type", {
      value: event.RequestType,
    });
  }
  const { seedSecretArn, tokenSecretArn, ...params } = parameters(event.ResourceProperties);
  let doc = parseSeedDocument(await secretString(sm, seedSecretArn));
  const kept = doc !== undefined && sameParameters(doc, params);
  if (!kept || doc === undefined) {
    const ca = params.customCaSecretArn ? await customCa(sm, params.customCaSecretArn) : undefined;
    doc = makeSeedDocument(params, ca);
    await sm.send(new PutSecretValueCommand({ SecretId: seedSecretArn, SecretString: JSON.stringify(doc) }));
  }
  if ((await secretString(sm, tokenSecretArn)) !== doc.token) {
    await sm.send(new PutSecretValueCommand({ SecretId: tokenSecretArn, SecretString: doc.token }));
  }
  return {
    physicalResourceId: `k3s-seed-${doc.caHash.slice(0, 16)}`,
    data: { CaHash: doc.caHash, Kept: String(kept) },
  };
}

/** The Lambda entry: handles the request and answers CloudFormation at the pre-signed `ResponseURL`. */
export async function handler(event: SeedResourceEvent): Promise<SeedResourceResponse> {
  const base = {
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let response: SeedResourceResponse;
  try {
    const { physicalResourceId, data } = await handleSeedRequest(event);
    response = {
      ...base,
      Status: "SUCCESS",
      PhysicalResourceId: physicalResourceId,
      ...(data ? { Data: data } : {}),
    };
  } catch (e) {
    // SDK errors carry codes and paths, never key material or the token.
    const reason =
      e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e);
    response = {
      ...base,
      Status: "FAILED",
      Reason: reason.slice(0, 1000),
      PhysicalResourceId: event.PhysicalResourceId ?? `${event.LogicalResourceId}-failed`,
    };
  }
  const body = JSON.stringify(response);
  const res = await fetch(event.ResponseURL, {
    method: "PUT",
    // The pre-signed S3 URL is signed without a content type.
    headers: { "content-type": "", "content-length": String(Buffer.byteLength(body)) },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    throw new CdkError("CDK_RESPONSE_FAILED", `CloudFormation response upload failed: HTTP ${res.status}`, {
      value: res.status,
    });
  }
  return response;
}
