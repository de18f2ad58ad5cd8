/**
 * "Running K3s in Docker" (spec page): the `rancher/k3s` image tag for a K3s version, the
 * `docker run` argument list of the page's recipe, and the `docker cp` of the admin kubeconfig.
 *
 * Page facts: the tag must be a real K3s version (`latest` is not maintained) and Docker tags
 * cannot hold `+`, so `v1.24.10+k3s1` is published as `v1.24.10-k3s1`. The recipe runs the
 * container `--privileged` with the same `--name` and `--hostname`, publishes 6443 and passes the
 * command `server`. The admin kubeconfig is `/etc/rancher/k3s/k3s.yaml` inside the container.
 */
import { checkOptions, is } from "../internal/options.js";
import { HostError } from "./errors.js";
import { clip } from "./options.js";

/** The image repository the page uses. */
export const K3S_DOCKER_IMAGE = "rancher/k3s";

/** Path of the admin kubeconfig K3s writes inside the container (`--write-kubeconfig` default). */
export const K3S_KUBECONFIG_PATH = "/etc/rancher/k3s/k3s.yaml";

// v<major>.<minor>.<patch>[-(alpha|beta|rc)N](+|-)k3sN, as K3s release tags are spelled.
const VERSION_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(?:alpha|beta|rc)\d+)?[+-]k3s[1-9]\d*$/;
// Docker reference grammar for a tag.
const DOCKER_TAG_RE = /^[\w][\w.-]{0,127}$/;

/**
 * True when `version` is shaped like a K3s release (`v1.24.10+k3s1`, `v1.30.0-rc1+k3s1`; the
 * Docker spelling with `-k3s1` is accepted too).
 *
 * @example
 * ```ts
 * isK3sVersion("v1.24.10+k3s1"); // true
 * isK3sVersion("1.24"); // false
 * ```
 * @throws never.
 */
export function isK3sVersion(version: unknown): boolean {
  return typeof version === "string" && VERSION_RE.test(version);
}

const LATEST_REASON =
  "the latest tag of rancher/k3s is not maintained; give a real K3s version such as v1.24.10+k3s1";

/**
 * The `rancher/k3s` image tag for a K3s version: `+` becomes `-` (Docker tags cannot hold `+`).
 *
 * @example
 * ```ts
 * k3sImageTag("v1.24.10+k3s1"); // "v1.24.10-k3s1"
 * k3sImageTag("v1.30.0-rc1+k3s1"); // "v1.30.0-rc1-k3s1"
 * ```
 * @throws HostError `K3S_IMAGE_TAG_LATEST` (`latest`, with the page's reason),
 *   `K3S_VERSION_INVALID` (not shaped like `v1.24.10+k3s1`).
 */
export function k3sImageTag(version: string): string {
  if (typeof version !== "string") {
    throw new HostError("K3S_VERSION_INVALID", "the K3s version must be a string", { value: version });
  }
  if (version.trim().toLowerCase() === "latest") {
    throw new HostError("K3S_IMAGE_TAG_LATEST", `cannot use "${version}": ${LATEST_REASON}`, {
      value: version,
    });
  }
  if (!VERSION_RE.test(version)) {
    throw new HostError(
      "K3S_VERSION_INVALID",
      `"${version}" is not a K3s version; expected the form v1.24.10+k3s1 (or v1.24.10-k3s1)`,
      { value: version },
    );
  }
  return version.replace("+", "-");
}

/**
 * Checks a full image reference (`rancher/k3s:v1.24.10-k3s1`) for the page's two rules.
 *
 * @example
 * ```ts
 * checkK3sImageRef("rancher/k3s:v1.24.10-k3s1"); // ok
 * checkK3sImageRef("rancher/k3s:v1.24.10+k3s1"); // throws K3S_IMAGE_TAG_PLUS
 * ```
 * @throws HostError `K3S_IMAGE_TAG_PLUS` (a `+` in the tag), `K3S_IMAGE_TAG_LATEST`
 *   (`latest` or no tag, which means `latest`), `K3S_IMAGE_INVALID` (not a valid reference).
 */
export function checkK3sImageRef(image: string): void {
  if (typeof image !== "string" || image === "" || /\s/.test(image)) {
    throw new HostError("K3S_IMAGE_INVALID", `"${clip(image)}" is not an image reference`, {
      value: clip(image),
    });
  }
  if (image.includes("@")) return; // pinned by digest: no tag rules apply
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  const tag = colon > slash ? image.slice(colon + 1) : undefined;
  if (tag === undefined || tag === "latest") {
    throw new HostError(
      "K3S_IMAGE_TAG_LATEST",
      `image "${image}" ${tag === undefined ? "has no tag (Docker then uses latest)" : "uses latest"}: ${LATEST_REASON}`,
      { value: image },
    );
  }
  if (tag.includes("+")) {
    throw new HostError(
      "K3S_IMAGE_TAG_PLUS",
      `image tag "${tag}" contains "+", which Docker tags cannot hold; use "${tag.replace(/\+/g, "-")}"`,
      { value: image },
    );
  }
  if (!DOCKER_TAG_RE.test(tag)) {
    throw new HostError("K3S_IMAGE_INVALID", `image tag "${tag}" is not a valid Docker tag`, {
      value: image,
    });
  }
}

/** One published port (`-p [hostIp:]host:container[/protocol]`). */
export interface DockerPortMapping {
  host: number;
  container: number;
  protocol?: "tcp" | "udp";
  /** Bind address on the host, e.g. `127.0.0.1`. */
  hostIp?: string;
}

/** Options for {@link dockerRunArgs}. */
export interface DockerRunOptions {
  /** Container name; also the hostname unless `hostname` is given (as on the page). */
  name: string;
  /** K3s version (`v1.24.10+k3s1`); turned into the image tag. One of `version` or `image`. */
  version?: string;
  /** A full image reference instead of `version` (checked: no `+`, no `latest`). */
  image?: string;
  /** `server` (default) or `agent`. */
  role?: "server" | "agent";
  /** Container hostname (= node name). Default: `name`. */
  hostname?: string;
  /** Published ports: a number maps the same port on both sides. Default `[6443]` for a server, none for an agent. */
  ports?: ReadonlyArray<number | DockerPortMapping>;
  /**
   * Cluster token, passed as `K3S_TOKEN` through the environment of the `docker` process (only
   * the variable name is in the argument list, so it never shows in `ps`). Required for an agent.
   */
  token?: string;
  /** Server URL for an agent (`K3S_URL`); must be `https://`. */
  url?: string;
  /** Extra K3s arguments after the role (e.g. `["--disable=traefik"]`). */
  extraArgs?: readonly string[];
  /** Extra `docker run` options placed before the image (e.g. `["--tmpfs", "/run"]`). */
  dockerArgs?: readonly string[];
  /** Run detached (`-d`). Default true, as on the page. */
  detach?: boolean;
}

/** What to spawn: `docker` with `args`, with `env` merged into its environment. */
export interface DockerRunCommand {
  /** Arguments for the `docker` binary, starting with `run`. Contains no secret. */
  args: string[];
  /** Variables the `docker` process needs in its environment (`K3S_TOKEN`). Secret: do not log. */
  env: Record<string, string>;
  /** A printable shell form of the command (the token is not in it). */
  display: string;
}

const RUN_KEYS = new Set([
  "name",
  "version",
  "image",
  "role",
  "hostname",
  "ports",
  "token",
  "url",
  "extraArgs",
  "dockerArgs",
  "detach",
]);

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const HOSTNAME_RE =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

function portNumber(n: unknown, what: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new HostError(
      "DOCKER_PORT_INVALID",
      `${what} must be an integer 1..65535, got ${String(n)}`,
      {
        value: n,
      },
    );
  }
  return n;
}

function portArg(p: number | DockerPortMapping): string {
  if (typeof p === "number") {
    const n = portNumber(p, "port");
    return `${n}:${n}`;
  }
  if (p === null || typeof p !== "object") {
    throw new HostError("DOCKER_PORT_INVALID", `a port must be a number or { host, container }`, {
      value: p,
    });
  }
  const host = portNumber(p.host, "ports[].host");
  const container = portNumber(p.container, "ports[].container");
  if (p.protocol !== undefined && p.protocol !== "tcp" && p.protocol !== "udp") {
    throw new HostError(
      "DOCKER_PORT_INVALID",
      `port protocol must be tcp or udp, got ${String(p.protocol)}`,
      {
        value: p.protocol,
      },
    );
  }
  if (p.hostIp !== undefined && (typeof p.hostIp !== "string" || !/^[0-9a-fA-F.:[\]]+$/.test(p.hostIp))) {
    throw new HostError(
      "DOCKER_PORT_INVALID",
      `port hostIp must be an IP address, got ${String(p.hostIp)}`,
      {
        value: p.hostIp,
      },
    );
  }
  const ip = p.hostIp === undefined ? "" : `${p.hostIp}:`;
  const proto = p.protocol === undefined ? "" : `/${p.protocol}`;
  return `${ip}${host}:${container}${proto}`;
}

function checkArgs(list: unknown, what: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new HostError("DOCKER_ARG_INVALID", `${what} must be a list of strings`, { value: what });
  }
  return list.map((a, i) => {
    if (typeof a !== "string" || a.includes("\0")) {
      throw new HostError("DOCKER_ARG_INVALID", `${what}[${i}] must be a string without NUL bytes`, {
        value: `${what}[${i}]`,
      });
    }
    return a;
  });
}

/** Quotes one word for a POSIX shell (display only). */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `docker run` command of the page's recipe, as an argument list.
 *
 * @example
 * ```ts
 * const { args, env } = dockerRunArgs({ name: "k3s-server-1", version: "v1.24.10+k3s1", token: "s3cret" });
 * // args: ["run", "--privileged", "--name", "k3s-server-1", "--hostname", "k3s-server-1",
 * //        "-p", "6443:6443", "-e", "K3S_TOKEN", "-d", "rancher/k3s:v1.24.10-k3s1", "server"]
 * // spawn("docker", args, { env: { ...process.env, ...env } })
 * ```
 * @throws HostError `DOCKER_OPTION_INVALID`, `DOCKER_NAME_INVALID`, `DOCKER_HOSTNAME_INVALID`,
 *   `DOCKER_ROLE_INVALID`, `DOCKER_PORT_INVALID`, `DOCKER_ARG_INVALID`, `DOCKER_TOKEN_IN_ARGS`,
 *   `DOCKER_TOKEN_INVALID`, `DOCKER_AGENT_TOKEN_REQUIRED`, `DOCKER_AGENT_URL_REQUIRED`,
 *   `DOCKER_URL_INVALID`, `DOCKER_IMAGE_REQUIRED`, and the image errors of {@link k3sImageTag} /
 *   {@link checkK3sImageRef}. No message ever contains the token.
 */
export function dockerRunArgs(options: DockerRunOptions): DockerRunCommand {
  if (options === null || typeof options !== "object") {
    throw new HostError("DOCKER_OPTION_INVALID", "dockerRunArgs needs an options object", {
      value: options,
    });
  }
  for (const key of Object.keys(options)) {
    if (!RUN_KEYS.has(key)) {
      throw new HostError("DOCKER_OPTION_INVALID", `unknown dockerRunArgs option "${key}"`, {
        value: key,
      });
    }
  }
  const { name, role = "server", detach = true } = options;
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw new HostError(
      "DOCKER_NAME_INVALID",
      `container name "${String(name)}" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`,
      { value: name },
    );
  }
  const hostname = options.hostname ?? name;
  if (typeof hostname !== "string" || !HOSTNAME_RE.test(hostname)) {
    throw new HostError(
      "DOCKER_HOSTNAME_INVALID",
      `hostname "${String(hostname)}" is not a lowercase RFC 1123 name (it becomes the node name)`,
      { value: hostname },
    );
  }
  if (role !== "server" && role !== "agent") {
    throw new HostError(
      "DOCKER_ROLE_INVALID",
      `role must be "server" or "agent", got ${String(role)}`,
      {
        value: role,
      },
    );
  }
  let image: string;
  if (options.image !== undefined) {
    checkK3sImageRef(options.image);
    image = options.image;
  } else if (options.version !== undefined) {
    image = `${K3S_DOCKER_IMAGE}:${k3sImageTag(options.version)}`;
  } else {
    throw new HostError("DOCKER_IMAGE_REQUIRED", "give the K3s version (or a full image reference)", {
      value: name,
    });
  }
  const extraArgs = checkArgs(options.extraArgs, "extraArgs");
  const dockerArgs = checkArgs(options.dockerArgs, "dockerArgs");
  for (const a of extraArgs) {
    if (/^--?(token|t|agent-token)(=|$)/.test(a)) {
      throw new HostError(
        "DOCKER_TOKEN_IN_ARGS",
        "a token flag in extraArgs would be visible in the process list; use the token option",
        { value: a.split("=")[0] },
      );
    }
  }
  const { token, url } = options;
  if (token !== undefined && (typeof token !== "string" || token === "" || /[\0\n]/.test(token))) {
    throw new HostError("DOCKER_TOKEN_INVALID", "token must be a non-empty single-line string", {
      value: "token",
    });
  }
  if (role === "agent") {
    if (token === undefined) {
      throw new HostError("DOCKER_AGENT_TOKEN_REQUIRED", "an agent needs the cluster token to join", {
        value: name,
      });
    }
    if (url === undefined) {
      throw new HostError("DOCKER_AGENT_URL_REQUIRED", "an agent needs the server URL (url)", {
        value: name,
      });
    }
  }
  if (url !== undefined && (typeof url !== "string" || !/^https:\/\/[^\s/]+/.test(url))) {
    // k3s-behaviours.md §2.3: only https:// server URLs are supported.
    throw new HostError(
      "DOCKER_URL_INVALID",
      `server URL must start with https://, got ${String(url)}`,
      {
        value: url,
      },
    );
  }
  const ports = options.ports ?? (role === "server" ? [6443] : []);
  if (!Array.isArray(ports)) {
    throw new HostError("DOCKER_PORT_INVALID", "ports must be a list", { value: ports });
  }

  const args = ["run", "--privileged", "--name", name, "--hostname", hostname];
  for (const p of ports) args.push("-p", portArg(p));
  const env: Record<string, string> = {};
  if (token !== undefined) {
    args.push("-e", "K3S_TOKEN");
    env.K3S_TOKEN = token;
  }
  if (url !== undefined) args.push("-e", `K3S_URL=${url}`);
  args.push(...dockerArgs);
  if (detach) args.push("-d");
  args.push(image, role, ...extraArgs);
  return { args, env, display: ["docker", ...args].map(shellWord).join(" ") };
}

/**
 * The `docker cp` arguments that copy the admin kubeconfig out of the container (page recipe).
 * The file names `https://127.0.0.1:6443`, which works when port 6443 is published.
 *
 * @example
 * ```ts
 * dockerKubeconfigCopyArgs({ name: "k3s-server-1", dest: "/home/me/.kube/config" });
 * // ["cp", "k3s-server-1:/etc/rancher/k3s/k3s.yaml", "/home/me/.kube/config"]
 * ```
 * @throws HostError `DOCKER_NAME_INVALID`, `DOCKER_ARG_INVALID` (empty destination).
 */
export function dockerKubeconfigCopyArgs(options: { name: string; dest: string }): string[] {
  const { name, dest } = checkOptions<{ name: string; dest: string }>(
    options ?? {},
    { name: is.any, dest: is.any },
    (m, v) => new HostError("DOCKER_OPTION_INVALID", m, { value: v }),
    "dockerKubeconfigCopyArgs",
  );
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw new HostError("DOCKER_NAME_INVALID", `container name "${clip(name)}" is not valid`, {
      value: clip(name),
    });
  }
  if (typeof dest !== "string" || dest === "" || dest.includes("\0")) {
    throw new HostError("DOCKER_ARG_INVALID", "dest must be a non-empty path", { value: clip(dest) });
  }
  return ["cp", `${name}:${K3S_KUBECONFIG_PATH}`, dest];
}
