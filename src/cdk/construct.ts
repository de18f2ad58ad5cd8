import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as cdk from "aws-cdk-lib";
import { CustomResource, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { CdkError } from "./errors.js";
import { checkOptions, is } from "../internal/options.js";
import type { K3sConfig } from "../k3s-config/index.js";
import { agentBootUserData, type BootUserDataOptions, serverBootUserData } from "./boot-user-data.js";

/** The directory of the built handler bundle (`dist/cdk-handler`), next to this module once built. */
function defaultHandlerDir(): string {
  const here = typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
  // Built: dist/cdk.js → dist/cdk-handler. From the sources (tests): src/cdk → dist/cdk-handler.
  for (const dir of [join(here, "cdk-handler"), join(here, "..", "..", "dist", "cdk-handler")]) {
    if (existsSync(join(dir, "index.js"))) return dir;
  }
  throw new CdkError(
    "CDK_HANDLER_MISSING",
    "the seed handler bundle (dist/cdk-handler) is missing: run npm run build",
    {
      value: join(here, "cdk-handler"),
    },
  );
}

const ROTATION_REASON = {
  seed:
    "The secret holds the K3s cluster CAs (and the join token). Rotating a cluster CA is a cluster operation " +
    "(k3s certificate rotate-ca on a server) that a Secrets Manager rotation Lambda cannot perform; a new seed " +
    "is made by changing validityDays or customCaSecret.",
  token:
    "The secret holds the K3s join token. Rotating it is a cluster operation (k3s token rotate on a server, " +
    "then every node's token file) that a Secrets Manager rotation Lambda cannot perform.",
};

/** Acknowledges a validation finding (CDK's `Validations`, which cdk-nag v3 reads) where the CDK version has it. */
function acknowledge(scope: Construct, id: string, reason: string): void {
  const validations = (cdk as { Validations?: typeof cdk.Validations }).Validations;
  validations?.of(scope).acknowledge({ id, reason });
}

const fail = (message: string, value: unknown) => new CdkError("CDK_OPTION_INVALID", message, { value });
/** A construct-like value by the members the construct uses (ISecret: secretArn + grantRead; IKey: keyArn). */
const hasMembers =
  (what: string, str: string, fn?: string) =>
  (v: unknown): string | undefined =>
    typeof v === "object" &&
    v !== null &&
    typeof (v as Record<string, unknown>)[str] === "string" &&
    (fn === undefined || typeof (v as Record<string, unknown>)[fn] === "function")
      ? undefined
      : `must be ${what}`;

/**
 * The construct's arguments, checked before anything is added to the tree: a scope inside a Stack,
 * a free id, props of the right shape (CDK's own failures would be untyped and leave half a construct).
 */
function checkSeedProps(scope: unknown, id: unknown, props: unknown): K3sClusterSeedProps {
  const what = "K3sClusterSeed";
  if (!Construct.isConstruct(scope)) throw fail(`${what}: scope must be a construct`, { option: "scope" });
  try {
    Stack.of(scope);
  } catch {
    throw fail(`${what}: scope must be inside a Stack`, { option: "scope" });
  }
  if (typeof id !== "string" || id === "" || id.includes("/") || id.includes("\0")) {
    throw fail(`${what}: id must be a non-empty string without "/"`, { option: "id" });
  }
  if (scope.node.tryFindChild(id) !== undefined) {
    throw fail(`${what}: scope already has a child "${id}"`, { option: "id", value: id });
  }
  return checkOptions<K3sClusterSeedProps>(
    props,
    {
      keyType: is.oneOf("ecdsa-p256"),
      validityDays: is.integer(1, 100 * 366),
      customCaSecret: hasMembers("a secretsmanager.ISecret", "secretArn", "grantRead"),
      removalPolicy: is.oneOf(...Object.values(RemovalPolicy)),
      encryptionKey: hasMembers("a kms.IKey", "keyArn", "grantEncryptDecrypt"),
      runtime: (v) => (v instanceof lambda.Runtime ? undefined : "must be a lambda.Runtime"),
      handlerCode: (v) => (v instanceof lambda.Code ? undefined : "must be a lambda.Code"),
    },
    fail,
    what,
  );
}

export interface K3sClusterSeedProps {
  /** CA key type. Default and only value today: `"ecdsa-p256"` (what K3s makes). Changing it makes a new seed. */
  keyType?: "ecdsa-p256";
  /** Validity of each CA in days. Default 3650. Changing it makes a new seed. */
  validityDays?: number;
  /** A secret holding JSON `{ "certPem", "keyPem" }`: an issuer (P-256) for the five CAs. Changing it makes a new seed. */
  customCaSecret?: secretsmanager.ISecret;
  /** What happens to the two secrets when they leave the stack. Default `RETAIN`: a running cluster's CAs outlive it. */
  removalPolicy?: RemovalPolicy;
  /** KMS key for both secrets. Default: the account's `aws/secretsmanager` key. */
  encryptionKey?: import("aws-cdk-lib/aws-kms").IKey;
  /** Lambda runtime of the handler (Node.js 20 or later, which provide the AWS SDK v3). Default Node.js 24. */
  runtime?: lambda.Runtime;
  /** Override the handler code (default: the bundle shipped in the package, `dist/cdk-handler`). */
  handlerCode?: lambda.Code;
}

/**
 * A K3s cluster seed made at deploy time and kept in AWS Secrets Manager: a custom resource whose
 * Lambda (the SDK, bundled) makes the five CAs and a token on Create, keeps them on every Update that
 * does not change `keyType`, `validityDays` or `customCaSecret`, and touches nothing on Delete. Neither
 * the template nor the cloud assembly holds a key or the token: servers and agents fetch them at boot
 * ({@link serverUserData}, {@link agentUserData}).
 *
 * - `seedSecret`: CAs + token (JSON), for servers only.
 * - `tokenSecret`: the token alone, for agents.
 *
 * @example
 * ```ts
 * import { K3sClusterSeed } from "k3s-node-kit/cdk";
 * const seed = new K3sClusterSeed(stack, "Seed");
 * const server = new ec2.Instance(stack, "Server", { ..., userData: seed.serverUserData({ config: { "cluster-init": true } }) });
 * seed.grantServerRead(server);
 * ```
 */
export class K3sClusterSeed extends Construct {
  readonly seedSecret: secretsmanager.Secret;
  readonly tokenSecret: secretsmanager.Secret;
  /** SHA-256 of `server-ca.crt` (a deploy-time value: `Fn::GetAtt`). */
  readonly caHash: string;
  readonly handler: lambda.Function;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, givenProps: K3sClusterSeedProps = {}) {
    const props = checkSeedProps(scope, id, givenProps);
    super(scope, id);
    const keyType = props.keyType ?? "ecdsa-p256";
    const validityDays = props.validityDays ?? 3650;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Created with a random placeholder value; the handler writes the seed as a new version.
    const secret = (name: string, description: string, reason: string) => {
      const s = new secretsmanager.Secret(this, name, {
        description,
        removalPolicy,
        ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
        generateSecretString: { passwordLength: 32, excludePunctuation: true },
      });
      // cdk-nag AwsSolutions-SMG4 (no rotation schedule), acknowledged in code for every user of the construct.
      acknowledge(s, "AwsSolutions::AwsSolutions-SMG4", reason);
      return s;
    };
    this.seedSecret = secret(
      "SeedSecret",
      "K3s cluster seed (CAs + token) written by k3s-node-kit at deploy time",
      ROTATION_REASON.seed,
    );
    this.tokenSecret = secret(
      "TokenSecret",
      "K3s cluster join token written by k3s-node-kit at deploy time",
      ROTATION_REASON.token,
    );

    const logGroup = new logs.LogGroup(this, "HandlerLogs", {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role with inline policies: no managed policy, and only the two secrets (and the custom CA).
    const role = new iam.Role(this, "HandlerRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "k3s-node-kit cluster seed handler",
    });
    logGroup.grantWrite(role);
    for (const s of [this.seedSecret, this.tokenSecret]) {
      s.grantRead(role);
      s.grantWrite(role);
    }
    props.customCaSecret?.grantRead(role);

    this.handler = new lambda.Function(this, "Handler", {
      // NODEJS_24_X is absent from older aws-cdk-lib releases (the peer range starts before it).
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X ?? lambda.Runtime.NODEJS_22_X,
      handler: "index.handler",
      code: props.handlerCode ?? lambda.Code.fromAsset(defaultHandlerDir()),
      role,
      logGroup,
      timeout: Duration.minutes(2),
      memorySize: 512,
      description: "k3s-node-kit: makes the K3s cluster seed and keeps it in Secrets Manager",
    });
    this.resource = new CustomResource(this, "Resource", {
      serviceToken: this.handler.functionArn,
      resourceType: "Custom::K3sClusterSeed",
      properties: {
        SeedSecretArn: this.seedSecret.secretArn,
        TokenSecretArn: this.tokenSecret.secretArn,
        KeyType: keyType,
        ValidityDays: String(validityDays),
        ...(props.customCaSecret ? { CustomCaSecretArn: props.customCaSecret.secretArn } : {}),
      },
    });
    this.resource.node.addDependency(role);
    this.caHash = this.resource.getAttString("CaHash");
  }

  /**
   * Lets servers read the seed (CAs + token). A grantee that is a construct (an `ec2.Instance`, an
   * auto-scaling group) is also made to depend on the seed, so it boots only once the seed is written.
   */
  grantServerRead(grantee: iam.IGrantable): iam.Grant {
    if (Construct.isConstruct(grantee)) grantee.node.addDependency(this.resource);
    return this.seedSecret.grantRead(grantee);
  }

  /** Lets agents read the token (not the CAs); like {@link grantServerRead}, a construct waits for the seed. */
  grantAgentRead(grantee: iam.IGrantable): iam.Grant {
    if (Construct.isConstruct(grantee)) grantee.node.addDependency(this.resource);
    return this.tokenSecret.grantRead(grantee);
  }

  /** Server user-data that fetches the seed at boot ({@link serverBootUserData}). Grant with {@link grantServerRead}. */
  serverUserData(options: BootUserDataOptions = {}): ec2.UserData {
    return ec2.UserData.custom(
      serverBootUserData({
        ...options,
        region: Stack.of(this).region,
        seedSecretArn: this.seedSecret.secretArn,
      }),
    );
  }

  /** Agent user-data that fetches the token at boot ({@link agentBootUserData}). Grant with {@link grantAgentRead}. */
  agentUserData(options: BootUserDataOptions & { serverUrl: string }): ec2.UserData {
    return ec2.UserData.custom(
      agentBootUserData({
        ...options,
        region: Stack.of(this).region,
        tokenSecretArn: this.tokenSecret.secretArn,
      }),
    );
  }
}

export type { K3sConfig };
