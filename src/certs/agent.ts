/**
 * `ensureAgentCertificates`: the agent side of §1.4. Each agent cert gets a fresh P-256 key and a CSR with an
 * empty subject; the CSR is signed by the supervisor's CA (here: the server CAs read from `serverDataDir`, or
 * your own `signer` that POSTs to `/v1-k3s/<name>.crt`). K3s re-requests these on every agent start, so every
 * call re-issues them.
 */
import { isIP } from "node:net";
import { ensureDir, removeStaleTemps } from "../internal/atomic-write.js";
import { emit, type EventListener } from "../internal/events.js";
import { is } from "../internal/options.js";
import { assertInside, confineName } from "../internal/paths.js";
import { k3sLayout } from "../layout/index.js";
import { CertError } from "./errors.js";
import { type CertificateAuthority, type LeafOptions, makeCSR, readCA, signCSRWith } from "./generate.js";
import { readIfExists, removeFile, writeCert, writeKey, writeSecretFile } from "./io.js";
import { arg, optionalArg, options as opts, required, san } from "./options.js";
import { parseDer } from "./parse.js";
import { derCerts } from "./pem.js";
import { renderKubeconfig } from "./kubeconfig.js";
import type { CertEvent } from "./server.js";

/** What the supervisor signs for each agent cert (§1.4 "Subjects"). */
export interface AgentCertRequest {
  /** `client-kubelet`, `serving-kubelet`, `client-kube-proxy`, `client-k3s-controller`. */
  name: string;
  ca: "client" | "server";
  leaf: Omit<LeafOptions, "keyPem" | "now">;
}

/** A function that signs a CSR and returns the leaf PEM followed by its CA chain. */
export type CsrSigner = (csrPem: string, request: AgentCertRequest) => Promise<string> | string;

export interface EnsureAgentCertificatesOptions {
  /** Agent data dir; files go to `<dataDir>/agent`. */
  dataDir: string;
  nodeName: string;
  /** Node IPs and external IPs (the `k3s-Node-IP` header), added as IP SANs of `serving-kubelet`. */
  nodeIPs?: string[];
  /** Where the server CAs live (`<serverDataDir>/server/tls`). Default `dataDir` (a server node). */
  serverDataDir?: string;
  /** Sign remotely instead of with local CAs. */
  signer?: CsrSigner;
  /** Supervisor URL for the kubeconfigs. Default `https://127.0.0.1:6443`. */
  server?: string;
  now?: Date;
  onEvent?: EventListener<CertEvent>;
  signal?: AbortSignal;
}

/**
 * The four agent cert requests of §1.4 for `nodeName`.
 * @example
 * ```ts
 * agentCertRequests("n1", ["10.0.0.5"]).map((r) => r.name);
 * ```
 * @throws CertError `CERT_OPTION_INVALID` for an empty node name
 */
export function agentCertRequests(nodeName: string, nodeIPs: readonly string[] = []): AgentCertRequest[] {
  const what = "agentCertRequests";
  return requestsFor(arg<string>(nodeName, san, "nodeName", what), optionalArg<string[]>(nodeIPs, ipList, "nodeIPs", what) ?? []);
}

/** A list of IP addresses: K3s fails the request on an unparsable `k3s-Node-IP` entry. */
const ipList = is.arrayOf((v) => (typeof v === "string" && isIP(v) !== 0 ? undefined : "must be an IP address"));

/** {@link agentCertRequests} on checked arguments. @internal */
function requestsFor(nodeName: string, nodeIPs: readonly string[]): AgentCertRequest[] {
  return [
    {
      name: "client-kubelet",
      ca: "client",
      leaf: { commonName: `system:node:${nodeName}`, organization: ["system:nodes"], usage: "client" },
    },
    {
      name: "serving-kubelet",
      ca: "server",
      leaf: {
        commonName: nodeName,
        usage: "server",
        altNames: [nodeName, "localhost", "127.0.0.1", "::1", ...nodeIPs],
      },
    },
    { name: "client-kube-proxy", ca: "client", leaf: { commonName: "system:kube-proxy", usage: "client" } },
    {
      name: "client-k3s-controller",
      ca: "client",
      leaf: { commonName: "system:k3s-controller", usage: "client" },
    },
  ];
}

const KUBECONFIGS: Record<string, string> = {
  "client-kubelet": "kubelet.kubeconfig",
  "client-kube-proxy": "kubeproxy.kubeconfig",
  "client-k3s-controller": "k3scontroller.kubeconfig",
};

/**
 * Issues the agent certificates under `<dataDir>/agent` via CSRs: `client-kubelet`, `serving-kubelet`,
 * `client-kube-proxy`, `client-k3s-controller` (cert = leaf + CA chain, key 0600), copies `client-ca.crt` and
 * `server-ca.crt` (0600, as K3s downloads them) and writes the three kubeconfigs.
 *
 * @example
 * ```ts
 * await ensureAgentCertificates({ dataDir: "/var/lib/rancher/k3s", nodeName: "server-1", nodeIPs: ["10.0.0.5"] });
 * ```
 * @throws CertError `CERT_OPTION_INVALID`, `CERT_PEM_INVALID`, `CERT_KEY_MISMATCH`, `CERT_CA_KEY_MISSING`;
 * KitError `WRITE_FAILED`
 */
export async function ensureAgentCertificates(
  options: EnsureAgentCertificatesOptions,
): Promise<{ agentDir: string; issued: string[] }> {
  const what = "ensureAgentCertificates";
  const o = opts<EnsureAgentCertificatesOptions>(
    options,
    {
      dataDir: is.absolutePath,
      nodeName: san,
      nodeIPs: ipList,
      serverDataDir: is.absolutePath,
      signer: is.function,
      server: is.text,
      now: is.date,
      onEvent: is.function,
      signal: is.signal,
    },
    what,
  );
  required(o, ["dataDir", "nodeName"], what);
  return ensureAgent(o);
}

/** What K3s's agent left while copying the CA certs before the temp-file naming rule (public certs). */
const LEGACY_AGENT_TEMPS = [".client-ca.crt.tmp", ".server-ca.crt.tmp"];

async function ensureAgent(options: EnsureAgentCertificatesOptions): Promise<{ agentDir: string; issued: string[] }> {
  const { dataDir, signal, onEvent } = options;
  signal?.throwIfAborted();
  const requests = requestsFor(options.nodeName, options.nodeIPs ?? []);
  const layout = k3sLayout(dataDir);
  const root = layout.dataDir;
  const agent = layout.agent.tlsDir;
  const at = (name: string): string => confineName(agent, name);
  const server = options.server ?? "https://127.0.0.1:6443";
  // Kubeconfigs are rendered before anything is written, so a bad server URL changes nothing.
  const kubeconfigText = (req: AgentCertRequest): string =>
    renderKubeconfig({
      server,
      caFile: at("server-ca.crt"),
      certFile: at(`${req.name}.crt`),
      keyFile: at(`${req.name}.key`),
    });
  for (const req of requests) if (KUBECONFIGS[req.name]) kubeconfigText(req);
  const targets = [
    agent,
    at("client-ca.crt"),
    at("server-ca.crt"),
    ...requests.flatMap((r) => [at(`${r.name}.key`), at(`${r.name}.crt`), ...(KUBECONFIGS[r.name] ? [at(KUBECONFIGS[r.name] as string)] : [])]),
    ...LEGACY_AGENT_TEMPS.map(at),
  ];
  await Promise.all(targets.map((t) => assertInside(root, t)));
  const tls = k3sLayout(options.serverDataDir ?? dataDir).server.tlsDir;
  let signer = options.signer;
  const caFile = (n: "client" | "server"): string => confineName(tls, `${n}-ca.crt`);
  const caCopies = new Map<string, string>();
  if (!signer) {
    const cas = new Map<string, CertificateAuthority>();
    for (const n of ["client", "server"] as const) {
      const crtPath = caFile(n);
      const keyPath = confineName(tls, `${n}-ca.key`);
      const [crt, key] = await Promise.all([readIfExists(crtPath), readIfExists(keyPath)]);
      if (crt === undefined)
        throw new CertError(
          "CERT_CA_INVALID",
          `${crtPath} does not exist; run ensureServerCertificates first or pass a signer`,
          { value: crtPath },
        );
      if (key === undefined)
        throw new CertError("CERT_CA_KEY_MISSING", `${keyPath} is missing for ${crtPath}`, {
          value: keyPath,
        });
      cas.set(n, readCA(crt, key, { certFile: crtPath, keyFile: keyPath }));
      caCopies.set(n, crt);
    }
    const now = options.now;
    signer = (csr, req) =>
      signCSRWith(cas.get(req.ca) as CertificateAuthority, csr, { ...req.leaf, ...(now ? { now } : {}) }).certPem;
  }
  // Leftovers of killed runs first (they may hold keys), then the writes.
  await removeStaleTemps(agent);
  for (const t of LEGACY_AGENT_TEMPS) await removeFile(at(t));
  await ensureDir(agent, 0o700, root);
  for (const [n, crt] of caCopies) {
    // 0600, as K3s writes the CA certs it downloads.
    await writeSecretFile(at(`${n}-ca.crt`), crt, root, signal);
  }
  const issued: string[] = [];
  for (const req of requests) {
    signal?.throwIfAborted();
    const { csrPem, keyPem } = makeCSR();
    const certPem = await callSigner(signer, csrPem, req);
    await writeKey(at(`${req.name}.key`), keyPem, root, signal);
    await writeCert(at(`${req.name}.crt`), certPem, root, signal);
    issued.push(`${req.name}.crt`);
    emit(onEvent, { type: "certs.created", file: `${req.name}.crt`, reasons: ["missing"] });
    const kc = KUBECONFIGS[req.name];
    if (kc) await writeSecretFile(at(kc), kubeconfigText(req), root, signal);
  }
  return { agentDir: agent, issued };
}

/** Runs the caller's signer; what it throws or returns that is not a certificate becomes `CERT_SIGNER_FAILED`. */
async function callSigner(signer: CsrSigner, csrPem: string, req: AgentCertRequest): Promise<string> {
  let out: unknown;
  try {
    out = await signer(csrPem, req);
  } catch (cause) {
    throw new CertError("CERT_SIGNER_FAILED", `the signer failed for ${req.name}: ${(cause as Error)?.message ?? String(cause)}`, {
      value: req.name,
      cause,
    });
  }
  if (typeof out !== "string")
    throw new CertError("CERT_SIGNER_FAILED", `the signer returned ${out === null ? "null" : typeof out} for ${req.name}, not a PEM string`, { value: req.name });
  try {
    parseDer(derCerts(out, req.name)[0] as Buffer, req.name);
  } catch (cause) {
    throw new CertError("CERT_SIGNER_FAILED", `the signer returned no readable certificate for ${req.name}`, { value: req.name, cause });
  }
  return out;
}
