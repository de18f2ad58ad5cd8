import ipaddr from "ipaddr.js";
import { arg, endpointURL, is } from "./check.js";
import type { EndpointURL } from "./types.js";
import { ContainerdError } from "./errors.js";

/** Go's url.Parse errors, typed; `host` (userinfo already dropped) is the value where there is one. */
const endpointError = (message: string, host?: string) =>
  new ContainerdError("CONTAINERD_ENDPOINT_INVALID", message, host === undefined ? {} : { value: host });

/**
 * The parts of a Go `net/url.URL` that registry endpoints use. `toString()` follows Go's
 * `URL.String()` for these parts.
 */
export type { EndpointURL } from "./types.js";

/**
 * Go `URL.String()` for scheme/host/path/query/fragment. An all-empty URL is "".
 * @example
 * ```ts
 * urlString(normalizeEndpointAddress("localhost:5000", "").url); // "http://localhost:5000/v2"
 * ```
 * @throws CONTAINERD_OPTION_INVALID when `u` is not an object or a part is not a string (missing parts are `""`).
 */
export function urlString(u: EndpointURL): string {
  arg(u, is.record, "u", "urlString");
  return urlText(endpointURL(u, "urlString", "u"));
}

/** {@link urlString} without the argument check. */
export function urlText(u: EndpointURL): string {
  let s = "";
  if (u.scheme !== "") s += `${u.scheme}:`;
  if (u.scheme !== "" || u.host !== "") s += `//${u.host}`;
  if (u.path !== "" && !u.path.startsWith("/") && u.host !== "") s += "/";
  s += u.path;
  if (u.rawQuery !== "") s += `?${u.rawQuery}`;
  if (u.fragment !== "") s += `#${u.fragment}`;
  return s;
}

/** Characters Go accepts unescaped in a URL host (`shouldEscape(c, encodeHost)` is false). */
const HOST_OK = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%]*$/;

/**
 * A subset of Go's `url.Parse`, enough for registry endpoints: scheme (lower-cased), authority
 * (userinfo dropped from `host`), path, query, fragment. Throws `CONTAINERD_ENDPOINT_INVALID` with
 * Go's message where Go's parser returns an error that K3s logs and skips (the raw URL, which may
 * carry userinfo, is never the error's value).
 */
export function parseEndpointURL(raw: string): EndpointURL {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw endpointError("net/url: invalid control character in URL");
  let rest = raw;
  let fragment = "";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let scheme = "";
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m?.[1]) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(":")) {
    throw endpointError("missing protocol scheme");
  }
  let rawQuery = "";
  const q = rest.indexOf("?");
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let host = "";
  if (rest.startsWith("//")) {
    rest = rest.slice(2);
    const slash = rest.indexOf("/");
    let authority = slash >= 0 ? rest.slice(0, slash) : rest;
    rest = slash >= 0 ? rest.slice(slash) : "";
    const at = authority.lastIndexOf("@");
    if (at >= 0) authority = authority.slice(at + 1);
    host = authority;
    if (!HOST_OK.test(host))
      throw endpointError(`invalid character in host name ${JSON.stringify(host)}`, host);
    const portPart = host.startsWith("[")
      ? host.slice(host.indexOf("]") + 1)
      : host.includes(":")
        ? host.slice(host.lastIndexOf(":"))
        : "";
    if (host.startsWith("[") && !host.includes("]")) throw endpointError("missing ']' in host", host);
    if (portPart !== "" && !/^:[0-9]*$/.test(portPart))
      throw endpointError(`invalid port ${JSON.stringify(portPart)} after host`, host);
  }
  return { scheme, host, path: rest, rawQuery, fragment };
}

/** Go `URL.Port()`: the digits after the host's last colon (outside an IPv6 literal). */
export function urlPort(host: string): string {
  const tail = host.startsWith("[") ? host.slice(host.indexOf("]") + 1) : host;
  const i = tail.lastIndexOf(":");
  return i >= 0 && (host.startsWith("[") || !tail.slice(0, i).includes(":")) ? tail.slice(i + 1) : "";
}

/** containerd `docker.IsLocalhost`: `localhost` or a loopback IP, with or without a port. */
export function isLocalhost(host: string): boolean {
  // net.SplitHostPort: "[v6]:port" or "host:port" with a single colon; otherwise keep the host.
  let h = host;
  const bracket = /^\[([^\]]*)\]:[^:\]]*$/.exec(host);
  if (bracket?.[1] !== undefined) h = bracket[1];
  else if (!host.startsWith("[")) {
    const i = host.lastIndexOf(":");
    if (i >= 0 && host.indexOf(":") === i) h = host.slice(0, i);
  }
  if (h === "localhost") return true;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  if (h.includes(":")) {
    if (!ipaddr.IPv6.isValid(h)) return false;
    const v6 = ipaddr.IPv6.parse(h);
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === "loopback";
    ip = v6;
  } else {
    // Go's ParseIP takes dotted-quad decimal only (no "127.1", no hex, no leading zeros).
    if (!/^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(h) || !ipaddr.IPv4.isValidFourPartDecimal(h))
      return false;
    ip = ipaddr.IPv4.parse(h);
  }
  return ip.range() === "loopback";
}

/** containerd `docker.DefaultHost`: `docker.io` is served by `registry-1.docker.io`. */
export function defaultHost(host: string): string {
  return host === "docker.io" ? "registry-1.docker.io" : host;
}

/** Result of {@link normalizeEndpointAddress}. */
export interface NormalizedEndpoint {
  /** Registry name whose `configs` entry applies (`docker.io` for Docker Hub). */
  registry: string;
  url: EndpointURL;
  /** The endpoint path is not the default `/v2`: containerd must use it as is. */
  overridePath: boolean;
}

/**
 * K3s's endpoint normalisation (k3s-behaviours §6.6, `normalizeEndpointAddress`): add a scheme
 * (http for localhost/loopback on a port other than 443 unless it is the embedded mirror,
 * otherwise https), map `docker.io` to `registry-1.docker.io`, and turn an empty, `/` or `/v2`
 * path into `/v2`; any other path is kept with `overridePath`.
 *
 * @example
 * ```ts
 * urlString(normalizeEndpointAddress("registry.example.com:443", "").url); // "https://registry.example.com:443/v2"
 * ```
 * @throws ContainerdError CONTAINERD_ENDPOINT_INVALID when Go's URL parser would reject the endpoint
 * (callers skip it like K3s); CONTAINERD_OPTION_INVALID when an argument is not a string.
 */
export function normalizeEndpointAddress(endpoint: string, mirrorAddr: string): NormalizedEndpoint {
  if (typeof endpoint !== "string" || typeof mirrorAddr !== "string")
    throw new ContainerdError(
      "CONTAINERD_OPTION_INVALID",
      "normalizeEndpointAddress(endpoint, mirrorAddr) takes two strings",
      {
        value: typeof endpoint !== "string" ? "endpoint" : "mirrorAddr",
      },
    );
  const url = parseEndpointURL(endpoint.includes("://") ? endpoint : `//${endpoint}`);
  const port = urlPort(url.host);
  if (url.scheme === "") {
    url.scheme =
      isLocalhost(url.host) && port !== "" && port !== "443" && url.host !== mirrorAddr ? "http" : "https";
  }
  let registry = url.host;
  url.host = defaultHost(registry);
  if (url.host === "registry-1.docker.io") registry = "docker.io";
  if (url.path === "" || url.path === "/" || url.path === "/v2") {
    url.path = "/v2";
    return { registry, url, overridePath: false };
  }
  return { registry, url, overridePath: true };
}
