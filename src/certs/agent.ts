/**
 * `ensureAgentCertificates`: the agent side of §1.4. Each agent cert gets a fresh P-256 key and a CSR with an
 * empty subject; the CSR is signed by the supervisor's CA (here: the server CAs read from `serverDataDir`, or
 * your own `signer` that POSTs to `/v1-k3s/<name>.crt`). K3s re-requests these on every agent start, so every
 * call re-issues them.
 */
import { chmod, copyFile, readFile, rename } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { ensureDir } from "../internal/atomic-write.js";
import { emit, type EventListener } from "../internal/events.js";
import { CertError } from "./errors.js";
import { type CertificateAuthority, createCSR, type LeafOptions, loadCA, signCSR } from "./generate.js";
import { writeCert, writeKey } from "./io.js";
import { renderKubeconfig } from "./kubeconfig.js";
import type { CertEvent } from "./server.js";
import { writeFileAtomic } from "../internal/atomic-write.js";

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
  if (!nodeName) throw new CertError("CERT_OPTION_INVALID", "nodeName is required", { value: nodeName });
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
  const { dataDir, signal, onEvent } = options;
  for (const ip of options.nodeIPs ?? []) {
    // K3s fails the request on an unparsable k3s-Node-IP entry.
    if (!isIP(ip)) throw new CertError("CERT_OPTION_INVALID", `invalid node IP ${ip}`, { value: ip });
  }
  const requests = agentCertRequests(options.nodeName, options.nodeIPs);
  const agent = join(dataDir, "agent");
  await ensureDir(agent, 0o700);
  const tls = join(options.serverDataDir ?? dataDir, "server", "tls");
  let signer = options.signer;
  const caFile = (n: "client" | "server"): string => join(tls, `${n}-ca.crt`);
  if (!signer) {
    const cas = new Map<string, CertificateAuthority>();
    for (const n of ["client", "server"] as const) {
      const crtPath = caFile(n);
      const keyPath = join(tls, `${n}-ca.key`);
      const [crt, key] = await Promise.all([
        readFile(crtPath, "utf8").catch(() => undefined),
        readFile(keyPath, "utf8").catch(() => undefined),
      ]);
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
      cas.set(n, loadCA(crt, key, { certFile: crtPath, keyFile: keyPath }));
    }
    const now = options.now;
    signer = (csr, req) =>
      signCSR(cas.get(req.ca) as CertificateAuthority, csr, { ...req.leaf, ...(now ? { now } : {}) }).certPem;
  }
  if (!options.signer) {
    for (const n of ["client", "server"] as const) {
      // Copy to a temp name first so the final name only ever holds a complete file.
      const tmp = join(agent, `.${n}-ca.crt.tmp`);
      await copyFile(caFile(n), tmp);
      await chmod(tmp, 0o600);
      await rename(tmp, join(agent, `${n}-ca.crt`));
    }
  }
  const issued: string[] = [];
  for (const req of requests) {
    signal?.throwIfAborted();
    const { csrPem, keyPem } = createCSR();
    const certPem = await signer(csrPem, req);
    await writeKey(join(agent, `${req.name}.key`), keyPem, signal);
    await writeCert(join(agent, `${req.name}.crt`), certPem, signal);
    issued.push(`${req.name}.crt`);
    emit(onEvent, { type: "certs.created", file: `${req.name}.crt`, reasons: ["missing"] });
    const kc = KUBECONFIGS[req.name];
    if (kc) {
      const text = renderKubeconfig({
        server: options.server ?? "https://127.0.0.1:6443",
        caFile: join(agent, "server-ca.crt"),
        certFile: join(agent, `${req.name}.crt`),
        keyFile: join(agent, `${req.name}.key`),
      });
      await writeFileAtomic(join(agent, kc), text, {
        mode: 0o600,
        dirMode: 0o700,
        ...(signal ? { signal } : {}),
      });
    }
  }
  return { agentDir: agent, issued };
}
