/**
 * cloud-init user-data that fetches the seed at boot instead of carrying it. Pure: strings in,
 * `#cloud-config` out; ARNs and the region may be CDK tokens (they resolve inside the string).
 */
import { DEFAULT_DATA_DIR, k3sLayout } from "../layout/index.js";
import { posix } from "node:path";
import { stringify } from "yaml";
import { CdkError } from "./errors.js";
import { type Check, checkOptions, is } from "../internal/options.js";
import { type K3sConfig, renderK3sConfig } from "../k3s-config/index.js";

/** Where the token lands on the node; `config.yaml` points K3s at it with `token-file`. */
export const TOKEN_FILE = "/etc/rancher/k3s/cluster-token";
/** The seed writer installed by server user-data. */
export const SEED_WRITER = "/usr/local/lib/k3s-node-kit/write-seed.py";
const SEED_JSON = "/run/k3s-node-kit/seed.json";

/**
 * Writes the seed JSON's CA files under the TLS dir (keys 0600, certs 0644, dirs 0700, each file
 * atomically: temp file, fsync, rename) and the token file (0600). A file already there is kept, as K3s
 * keeps existing CAs. python3 is on every image cloud-init runs on (cloud-init is Python).
 */
export const SEED_WRITER_PY = `import json, os, sys

seed_path, tls_dir, token_path = sys.argv[1:4]
with open(seed_path) as f:
    seed = json.load(f)
tls_dir = os.path.normpath(tls_dir)


def write(path, content, mode):
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, mode)
    os.replace(tmp, path)


for f in seed["files"]:
    path = os.path.normpath(os.path.join(tls_dir, f["path"]))
    if not path.startswith(tls_dir + "/"):
        sys.exit("k3s-node-kit: seed path escapes the TLS dir: " + f["path"])
    if os.path.exists(path):
        continue
    write(path, f["content"], f.get("mode") or (0o600 if path.endswith(".key") else 0o644))
write(token_path, seed["token"] + "\\n", 0o600)
`;

export interface BootUserDataOptions {
  /** K3s config for `/etc/rancher/k3s/config.yaml` (validated for the role; `token-file` is set for you). */
  config?: K3sConfig;
  /** K3s data dir on the target. Default `/var/lib/rancher/k3s`. */
  dataDir?: string;
  /** Commands after the seed is in place (e.g. the K3s install script). They run only if fetching it worked. */
  runcmd?: string[];
}

const fail = (message: string, value: unknown) => new CdkError("CDK_OPTION_INVALID", message, { value });

/** An unresolved CDK token as it appears inside a string (`${Token[AWS.Region.7]}`). */
const CDK_TOKEN = /^\$\{Token\[[A-Za-z0-9_.-]+\]\}$/;
/** A value that goes into the boot shell command: a CDK token or text of the given shape, nothing a shell reads specially. */
const shellSafe =
  (shape: RegExp, what: string): Check =>
  (v) =>
    typeof v === "string" && (CDK_TOKEN.test(v) || shape.test(v))
      ? undefined
      : `must be ${what} or a CDK token`;
const REGION = shellSafe(/^[a-z]{2}(-[a-z]+)+-\d+$/, "an AWS region (eu-west-1)");
const ARN = shellSafe(
  /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
  "a Secrets Manager secret ARN",
);
const RUNCMD = is.arrayOf(is.either(is.string, is.stringArray));
const COMMON = { config: is.record, dataDir: is.absolutePath, runcmd: RUNCMD };

function k3sConfigFile(config: K3sConfig, dataDir: string, role: "server" | "agent") {
  if (!posix.isAbsolute(dataDir))
    throw new CdkError("CDK_OPTION_INVALID", `dataDir must be absolute: ${dataDir}`, { value: dataDir });
  if ("token" in config || "agent-token" in config) {
    throw new CdkError(
      "CDK_OPTION_INVALID",
      "the token comes from Secrets Manager at boot: do not put it in config",
      {
        value: "token",
      },
    );
  }
  const full: K3sConfig = { ...config, "token-file": TOKEN_FILE };
  if (dataDir !== DEFAULT_DATA_DIR) full["data-dir"] = dataDir;
  return {
    path: "/etc/rancher/k3s/config.yaml",
    content: renderK3sConfig(full, { role }),
    owner: "root:root",
    permissions: "0600",
  };
}

/** Fetch attempts (10 s apart): a new instance role's policy can take a while to apply. */
export const FETCH_ATTEMPTS = 30;

const fetchSecret = (region: string, secretArn: string, to: string) =>
  `umask 077 && mkdir -p ${posix.dirname(to)} && n=0 && ` +
  `until aws secretsmanager get-secret-value --region ${region} --secret-id ${secretArn} --query SecretString --output text > ${to}.part; ` +
  `do n=$((n+1)); [ $n -ge ${FETCH_ATTEMPTS} ] && exit 1; sleep 10; done && mv ${to}.part ${to}`;

/**
 * Server user-data: `config.yaml` with `token-file`, then at boot (`runcmd`, under `set -e` so K3s is
 * never installed without the seed) the AWS CLI reads the seed secret (retrying for up to 5 minutes), the seed writer puts the CAs
 * under `<dataDir>/server/tls` and the token in {@link TOKEN_FILE}, the JSON is removed, and your
 * commands run. Needs the AWS CLI on the image (Amazon Linux has it) and read access to the secret.
 *
 * @example
 * ```ts
 * serverBootUserData({ region: "eu-west-1", seedSecretArn: arn, config: { "cluster-init": true } });
 * ```
 */
export function serverBootUserData(
  options: BootUserDataOptions & { region: string; seedSecretArn: string },
): string {
  const o = checkOptions<BootUserDataOptions & { region: string; seedSecretArn: string }>(
    options,
    { ...COMMON, region: REGION, seedSecretArn: ARN },
    fail,
    "serverBootUserData",
  );
  if (o.region === undefined || o.seedSecretArn === undefined) {
    throw fail("serverBootUserData: region and seedSecretArn are required", {
      option: o.region === undefined ? "region" : "seedSecretArn",
    });
  }
  const { config = {}, dataDir = DEFAULT_DATA_DIR, runcmd = [] } = o;
  const doc = {
    write_files: [
      k3sConfigFile(config, dataDir, "server"),
      { path: SEED_WRITER, content: SEED_WRITER_PY, owner: "root:root", permissions: "0700" },
    ],
    runcmd: [
      "set -e",
      ["sh", "-c", fetchSecret(o.region, o.seedSecretArn, SEED_JSON)],
      ["python3", SEED_WRITER, SEED_JSON, k3sLayout(dataDir).server.tlsDir, TOKEN_FILE],
      ["rm", "-f", SEED_JSON],
      ...runcmd,
    ],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

/**
 * Agent user-data: `config.yaml` with `server` and `token-file`, then at boot the AWS CLI writes the
 * token secret (the token only: agents never see the CA keys) to {@link TOKEN_FILE}, then your commands.
 *
 * @example
 * ```ts
 * agentBootUserData({ region: "eu-west-1", tokenSecretArn: arn, serverUrl: "https://10.0.0.10:6443" });
 * ```
 */
export function agentBootUserData(
  options: BootUserDataOptions & { region: string; tokenSecretArn: string; serverUrl: string },
): string {
  const o = checkOptions<BootUserDataOptions & { region: string; tokenSecretArn: string; serverUrl: string }>(
    options,
    { ...COMMON, region: REGION, tokenSecretArn: ARN, serverUrl: is.nonEmptyString },
    fail,
    "agentBootUserData",
  );
  for (const key of ["region", "tokenSecretArn", "serverUrl"] as const) {
    if (o[key] === undefined) throw fail(`agentBootUserData: ${key} is required`, { option: key });
  }
  const { config = {}, dataDir = DEFAULT_DATA_DIR, runcmd = [] } = o;
  if (!/^https:\/\/[^/\s@]+/.test(o.serverUrl) && !o.serverUrl.includes("${Token[")) {
    throw fail(`serverUrl must be an https:// URL: ${o.serverUrl.slice(0, 200)}`, o.serverUrl.slice(0, 200));
  }
  const doc = {
    write_files: [k3sConfigFile({ ...config, server: o.serverUrl }, dataDir, "agent")],
    runcmd: ["set -e", ["sh", "-c", fetchSecret(o.region, o.tokenSecretArn, TOKEN_FILE)], ...runcmd],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}
