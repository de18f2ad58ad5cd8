import type { Follow } from "../internal/follow.js";
import { checkOptions, describe, is } from "../internal/options.js";
import { followCheck, rootlessFail } from "./options.js";
import { RootlessError } from "./errors.js";

export interface RootlessPortOptions {
  /**
   * `"page"` (default): ports **below** 1024 get the +10000 offset, as the page says.
   * `"source"`: ports **up to and including** 1024 (K3s's `toBindPorts` uses `<= 1024`, so 1024 → 11024).
   */
  follow?: Follow;
}


function checkPort(port: unknown, what: string): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RootlessError(
      "ROOTLESS_PORT_INVALID",
      `${what} must be an integer 1-65535, got ${describe(port)}`,
      { value: typeof port === "number" ? port : describe(port) },
    );
  }
  return port;
}

/**
 * The host port rootless K3s binds for a service port (k3s-behaviours §10): privileged ports are
 * offset by 10000 (80 → 10080), others are bound as is (8080 → 8080).
 *
 * @example
 * ```ts
 * rootlessHostPort(80);                        // 10080
 * rootlessHostPort(1024);                      // 1024 (page)
 * rootlessHostPort(1024, { follow: "source" }); // 11024
 * ```
 * @throws {RootlessError} `ROOTLESS_PORT_INVALID`, `ROOTLESS_OPTION_INVALID`.
 */
export function rootlessHostPort(port: number, options?: RootlessPortOptions): number {
  const follow = checkOptions<RootlessPortOptions>(options, { follow: followCheck }, rootlessFail, "rootlessHostPort").follow ?? "page";
  const p = checkPort(port, "port");
  const offset = follow === "source" ? p <= 1024 : p < 1024;
  return offset ? 10000 + p : p;
}

/** The parts of a Kubernetes Service the rootless port controller reads. */
export interface RootlessServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { ports?: ReadonlyArray<{ port?: number; nodePort?: number; protocol?: string }> };
  status?: { loadBalancer?: { ingress?: ReadonlyArray<{ ip?: string; hostname?: string }> } };
}

/** One host → child port forward. */
export interface RootlessPortForward {
  proto: "tcp" | "udp";
  /** Port bound on the host (parent namespace). */
  hostPort: number;
  /** Port in K3s's network namespace. */
  childPort: number;
}

export interface RootlessPortForwardOptions extends RootlessPortOptions {
  /** `--https-listen-port`, always forwarded 1:1 over TCP. Default 6443. */
  httpsPort?: number;
  /** False when ServiceLB is disabled (`--disable=servicelb`): only the https port. Default true. */
  serviceLB?: boolean;
}

/**
 * The desired set of rootless port forwards (K3s's rootlessports controller, `toBindPorts`,
 * k3s-behaviours §10): the https port over TCP, then for every Service with a load-balancer ingress
 * **IP**, each TCP/UDP port's `port` and `nodePort` (non-zero), offset when privileged. SCTP and
 * hostname-only ingress are skipped. A later mapping of the same host port replaces an earlier one,
 * as in K3s's map. Sorted by protocol then host port.
 *
 * @example
 * ```ts
 * rootlessPortForwards([{ spec: { ports: [{ port: 80, nodePort: 31080, protocol: "TCP" }] },
 *   status: { loadBalancer: { ingress: [{ ip: "127.0.0.1" }] } } }]);
 * // [{ proto: "tcp", hostPort: 6443, childPort: 6443 }, { proto: "tcp", hostPort: 10080, childPort: 80 },
 * //  { proto: "tcp", hostPort: 31080, childPort: 31080 }]
 * ```
 * @throws {RootlessError} `ROOTLESS_SERVICE_INVALID` (not a list, or a port that is not a valid
 *   number), `ROOTLESS_PORT_INVALID` (https port), `ROOTLESS_OPTION_INVALID`.
 */
export function rootlessPortForwards(
  services: readonly RootlessServiceLike[],
  options?: RootlessPortForwardOptions,
): RootlessPortForward[] {
  const o = checkOptions<RootlessPortForwardOptions>(
    options,
    { follow: followCheck, httpsPort: is.any, serviceLB: is.boolean },
    rootlessFail,
    "rootlessPortForwards",
  );
  const follow = o.follow ?? "page";
  const https = checkPort(o.httpsPort ?? 6443, "httpsPort");
  const list: readonly RootlessServiceLike[] = services;
  if (!Array.isArray(services) || services.length > 100_000)
    throw new RootlessError("ROOTLESS_SERVICE_INVALID", "services must be a list", { value: describe(services) });
  const bind: Record<"tcp" | "udp", Map<number, number>> = { tcp: new Map([[https, https]]), udp: new Map() };
  if (o.serviceLB !== false) {
    for (const svc of list) {
      const ingress = svc?.status?.loadBalancer?.ingress ?? [];
      for (const ing of ingress) {
        if (!ing?.ip) continue;
        for (const port of svc?.spec?.ports ?? []) {
          // Kubernetes defaults an absent protocol to TCP.
          const proto = String(port?.protocol ?? "TCP").toLowerCase();
          if (proto !== "tcp" && proto !== "udp") continue;
          for (const value of [port?.port, port?.nodePort]) {
            if (value === undefined || value === 0) continue;
            if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) {
              const name = `${svc?.metadata?.namespace ?? ""}/${svc?.metadata?.name ?? ""}`;
              throw new RootlessError(
                "ROOTLESS_SERVICE_INVALID",
                `service ${name} has an invalid port ${String(value)}`,
                { value },
              );
            }
            const offset = follow === "source" ? value <= 1024 : value < 1024;
            bind[proto].set(offset ? 10000 + value : value, value);
          }
        }
      }
    }
  }
  const out: RootlessPortForward[] = [];
  for (const proto of ["tcp", "udp"] as const) {
    for (const [hostPort, childPort] of [...bind[proto].entries()].sort((a, b) => a[0] - b[0]))
      out.push({ proto, hostPort, childPort });
  }
  return out;
}
