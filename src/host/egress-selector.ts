import { join } from "node:path";
import { checkOptions, is } from "../internal/options.js";
import { k3sLayout } from "../layout/index.js";
import { HostError } from "./errors.js";
import { clip, hostFail } from "./options.js";

export type EgressSelectorMode = "agent" | "cluster" | "pod" | "disabled";

/** K3s's default `--egress-selector-mode`. */
export const DEFAULT_EGRESS_SELECTOR_MODE: EgressSelectorMode = "agent";
/** The label K3s puts on nodes in `cluster` and `pod` modes. */
export const EGRESS_LABEL = "egress.k3s.io/cluster";
/** K3s's warning for an agentless server whose apiserver cannot reach in-cluster webhooks. */
export const AGENTLESS_EGRESS_WARNING =
  "Webhooks and apiserver aggregation may not function properly without an agent; please set egress-selector-mode to 'cluster' or 'pod'";

export interface EgressSelectorModeOptions {
  /** `--disable-agent` is set. */
  disableAgent?: boolean;
}

export interface EgressSelectorDecision {
  mode: EgressSelectorMode;
  /** `Direct` for `disabled`, else `HTTPConnect` through the supervisor. */
  proxyProtocol: "Direct" | "HTTPConnect";
  /** Whether nodes get `egress.k3s.io/cluster=true`. */
  labelsNodes: boolean;
  /** K3s's warning, when agentless with `agent` or `disabled`. */
  warning?: string;
}

/**
 * Validates `--egress-selector-mode` as K3s's `validateNetworkConfiguration` does
 * (k3s-behaviours §13): exactly `agent`, `cluster`, `pod` or `disabled` (case-sensitive; default
 * `agent`). With `--disable-agent`, `agent` and `disabled` get K3s's warning.
 *
 * @example
 * ```ts
 * parseEgressSelectorMode("pod"); // { mode: "pod", proxyProtocol: "HTTPConnect", labelsNodes: true }
 * parseEgressSelectorMode(undefined, { disableAgent: true }).warning; // AGENTLESS_EGRESS_WARNING
 * ```
 * @throws {HostError} `EGRESS_SELECTOR_MODE_INVALID` with K3s's text `invalid egress-selector-mode <v>`.
 */
export function parseEgressSelectorMode(
  value: string | undefined,
  options?: EgressSelectorModeOptions,
): EgressSelectorDecision {
  const o = checkOptions<EgressSelectorModeOptions>(options, { disableAgent: is.boolean }, hostFail, "parseEgressSelectorMode");
  return egressDecision(value, o.disableAgent === true);
}

/** {@link parseEgressSelectorMode} after its options are checked. @internal */
export function egressDecision(value: unknown, disableAgent: boolean): EgressSelectorDecision {
  const v = value ?? DEFAULT_EGRESS_SELECTOR_MODE;
  if (v !== "agent" && v !== "cluster" && v !== "pod" && v !== "disabled") {
    throw new HostError("EGRESS_SELECTOR_MODE_INVALID", `invalid egress-selector-mode ${clip(v)}`, {
      value: clip(v),
    });
  }
  const out: EgressSelectorDecision = {
    mode: v,
    proxyProtocol: v === "disabled" ? "Direct" : "HTTPConnect",
    labelsNodes: v === "cluster" || v === "pod",
  };
  if (disableAgent && (v === "agent" || v === "disabled")) out.warning = AGENTLESS_EGRESS_WARNING;
  return out;
}

export interface EgressSelectorConfigOptions {
  mode: EgressSelectorMode;
  /** K3s data dir (`<dd>`); the files live under `<dd>/server`. */
  dataDir: string;
  /** Supervisor port (default 6443, the https port). */
  supervisorPort?: number;
  /** `--bind-address`; default loopback `127.0.0.1`. IPv6 is bracketed in the URL. */
  bindAddress?: string;
}

/**
 * The apiserver egress selector file K3s writes to `<dd>/server/etc/egress-selector-config.yaml`
 * (mode 0600; JSON content despite the name, k3s-behaviours §13), byte-for-byte as Go's
 * `json.Marshal` produces it. `path` is where K3s puts it (`--egress-selector-config-file`).
 *
 * @example
 * ```ts
 * egressSelectorConfig({ mode: "disabled", dataDir: "/var/lib/rancher/k3s" }).content;
 * // '{"kind":"EgressSelectorConfiguration","apiVersion":"apiserver.k8s.io/v1beta1","egressSelections":[{"name":"cluster","connection":{"proxyProtocol":"Direct"}}]}'
 * ```
 * @throws {HostError} `EGRESS_SELECTOR_MODE_INVALID`, `NODE_OPTION_INVALID`.
 */
export function egressSelectorConfig(options: EgressSelectorConfigOptions): {
  path: string;
  content: string;
} {
  const o = checkOptions<EgressSelectorConfigOptions>(
    options ?? {},
    { mode: is.any, dataDir: is.absolutePath, supervisorPort: is.port, bindAddress: is.nonEmptyString },
    hostFail,
    "egressSelectorConfig",
  );
  const { mode } = egressDecision(o.mode, false);
  if (o.dataDir === undefined) throw hostFail('egressSelectorConfig: option "dataDir" is required', { option: "dataDir" });
  const port = o.supervisorPort ?? 6443;
  const layout = k3sLayout(o.dataDir);
  const tls = layout.server.tlsDir;
  const bind = o.bindAddress || "127.0.0.1";
  const host = bind.includes(":") ? `[${bind}]` : bind;
  const connection =
    mode === "disabled"
      ? { proxyProtocol: "Direct" }
      : {
          proxyProtocol: "HTTPConnect",
          transport: {
            tcp: {
              url: `https://${host}:${port}`,
              tlsConfig: {
                caBundle: join(tls, "server-ca.crt"),
                clientKey: join(tls, "client-kube-apiserver.key"),
                clientCert: join(tls, "client-kube-apiserver.crt"),
              },
            },
          },
        };
  const doc = {
    kind: "EgressSelectorConfiguration",
    apiVersion: "apiserver.k8s.io/v1beta1",
    egressSelections: [{ name: "cluster", connection }],
  };
  // Go's encoding/json escapes <, >, &, U+2028 and U+2029 in strings; JSON.stringify does not.
  const content = JSON.stringify(doc).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return { path: join(layout.server.etcDir, "egress-selector-config.yaml"), content };
}
