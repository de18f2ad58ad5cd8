/**
 * The one schema of the K3s Go types in the containerd template dot: every struct's fields in
 * declaration order with their Go types and `json` tags, read from k3s `pkg/agent/templates/
 * templates.go` and `pkg/daemons/config/types.go` at af977adf (`templates.ContainerdConfig`,
 * `config.Node`, `config.Containerd`, `config.CRIDockerd`, `config.Flannel`, `config.Agent`; these
 * carry no `json` tags) and wharfie v0.7.1 `pkg/registries/types.go` (tagged: `json:"mirrors"`, ...).
 * The dot builder ({@link buildGoValue}) and `toJson` (go-json.ts) both read it.
 *
 * A field's type is a leaf (`string`, `bool`, `int`, `[]string`, `net.IP`, `[]net.IP`,
 * `*net.IPNet`, `[]*net.IPNet`, `*net.Interface`), a struct named here (by value), `*` + a struct
 * named here (a pointer: `null` is nil), or `map[string]` + one of those (`null` is a nil map).
 */
import { type GoIP, goIPString, parseGoCIDR, parseGoIP } from "../internal/go/net.js";
import { goNil, goStruct, withElemZero, withGoType } from "../template/index.js";
import { ContainerdError } from "./errors.js";

/** One struct field: Go name, Go type, and the `json:"..."` tag text when the Go field has one. */
export type GoField = readonly [name: string, type: string, json?: string];

const s = "string";
const b = "bool";

/** Every struct type the dot is made of, keyed by Go type name (as `%T` prints it, without `*`). */
export const GO_STRUCTS: Readonly<Record<string, readonly GoField[]>> = {
  /** k3s `pkg/agent/templates/templates.go`: the dot itself. */
  "templates.ContainerdConfig": [
    ["NodeConfig", "*config.Node"],
    ["DisableCgroup", b],
    ["SystemdCgroup", b],
    ["IsRunningInUserNS", b],
    ["EnableUnprivileged", b],
    ["NoDefaultEndpoint", b],
    ["NonrootDevices", b],
    ["PrivateRegistryConfig", "*registries.Registry"],
    ["ExtraRuntimes", "map[string]templates.ContainerdRuntimeConfig"],
    ["Program", s],
  ],
  "templates.ContainerdRuntimeConfig": [
    ["RuntimeType", s],
    ["BinaryName", s],
  ],
  "config.Node": [
    ["Docker", b],
    ["ContainerRuntimeEndpoint", s],
    ["ImageServiceEndpoint", s],
    ["SELinux", b],
    ["EnablePProf", b],
    ["SupervisorMetrics", b],
    ["EmbeddedRegistry", b],
    ["EgressSelectorMode", s],
    ["Containerd", "config.Containerd"],
    ["CRIDockerd", "config.CRIDockerd"],
    ["Flannel", "config.Flannel"],
    ["Images", s],
    ["AgentConfig", "config.Agent"],
    ["Token", s],
    ["ServerHTTPSPort", "int"],
    ["SupervisorPort", "int"],
    ["DefaultRuntime", s],
  ],
  "config.Containerd": [
    ["Address", s],
    ["Log", s],
    ["Root", s],
    ["State", s],
    ["Config", s],
    ["Opt", s],
    ["Template", s],
    ["BlockIOConfig", s],
    ["RDTConfig", s],
    ["Registry", s],
    ["NoDefault", b],
    ["NonrootDevices", b],
    ["SELinux", b],
    ["Debug", b],
    ["ConfigVersion", "int"],
  ],
  "config.CRIDockerd": [
    ["Address", s],
    ["Root", s],
    ["Debug", b],
  ],
  "config.Flannel": [
    ["Backend", s],
    ["CNIConfFile", s],
    ["ConfFile", s],
    ["ConfOverride", b],
    ["Iface", "*net.Interface"],
    ["IPv6Masq", b],
    ["ExternalIP", b],
  ],
  "config.Agent": [
    ["PodManifests", s],
    ["NodeName", s],
    ["NodeConfigPath", s],
    ["ClientKubeletCert", s],
    ["ClientKubeletKey", s],
    ["ServingKubeletCert", s],
    ["ServingKubeletKey", s],
    ["ServiceCIDR", "*net.IPNet"],
    ["ServiceCIDRs", "[]*net.IPNet"],
    ["ServiceNodePortRange", "net.PortRange"],
    ["ClusterCIDR", "*net.IPNet"],
    ["ClusterCIDRs", "[]*net.IPNet"],
    ["ClusterDNS", "net.IP"],
    ["ClusterDNSs", "[]net.IP"],
    ["ClusterDomain", s],
    ["ResolvConf", s],
    ["RootDir", s],
    ["KubeletConfigDir", s],
    ["KubeConfigKubelet", s],
    ["KubeConfigKubeProxy", s],
    ["KubeConfigK3sController", s],
    ["NodeIP", s],
    ["NodeIPs", "[]net.IP"],
    ["NodeExternalIP", s],
    ["NodeExternalIPs", "[]net.IP"],
    ["NodeInternalDNSs", "[]string"],
    ["NodeExternalDNSs", "[]string"],
    ["RuntimeSocket", s],
    ["ImageServiceSocket", s],
    ["ListenAddress", s],
    ["ClientCA", s],
    ["CNIBinDir", s],
    ["CNIConfDir", s],
    ["ExtraKubeletArgs", "[]string"],
    ["ExtraKubeProxyArgs", "[]string"],
    ["PauseImage", s],
    ["Snapshotter", s],
    ["Systemd", b],
    ["CNIPlugin", b],
    ["NodeTaints", "[]string"],
    ["NodeLabels", "[]string"],
    ["ImageCredProvBinDir", s],
    ["ImageCredProvConfig", s],
    ["IPSECPSK", s],
    ["Registry", "*registries.Registry"],
    ["SystemDefaultRegistry", s],
    ["AirgapExtraRegistry", "[]string"],
    ["DisableCCM", b],
    ["DisableNPC", b],
    ["MinTLSVersion", s],
    ["CipherSuites", "[]string"],
    ["Rootless", b],
    ["ProtectKernelDefaults", b],
    ["DisableServiceLB", b],
    ["EnableIPv4", b],
    ["EnableIPv6", b],
    ["VLevel", "int"],
    ["VModule", s],
    ["LogFile", s],
    ["AlsoLogToStderr", b],
  ],
  /** k8s.io/apimachinery `util/net.PortRange` (no JSON methods: marshals as `{"Base":..,"Size":..}`). */
  "net.PortRange": [
    ["Base", "int"],
    ["Size", "int"],
  ],
  "registries.Registry": [
    ["Mirrors", "map[string]registries.Mirror", "mirrors"],
    ["Configs", "map[string]registries.RegistryConfig", "configs"],
    ["Auths", "map[string]registries.AuthConfig", "auths"],
  ],
  "registries.Mirror": [
    ["Endpoints", "[]string", "endpoint"],
    ["Rewrites", "map[string]string", "rewrite"],
  ],
  "registries.RegistryConfig": [
    ["Auth", "*registries.AuthConfig", "auth"],
    ["TLS", "*registries.TLSConfig", "tls"],
  ],
  "registries.AuthConfig": [
    ["Username", s, "username"],
    ["Password", s, "password"],
    ["Auth", s, "auth"],
    ["IdentityToken", s, "identitytoken"],
  ],
  "registries.TLSConfig": [
    ["CAFile", s, "ca_file"],
    ["CertFile", s, "cert_file"],
    ["KeyFile", s, "key_file"],
    ["InsecureSkipVerify", b, "insecure_skip_verify"],
  ],
};

/** A `json` tag as encoding/json reads it. */
export interface GoJsonTag {
  /** The JSON object key (the tag's name, or the Go field name when the tag names none). */
  key: string;
  /** `json:"-"`: never encoded. */
  skip: boolean;
  /** `,omitempty`: left out when false, 0, "", a nil pointer, or an empty slice/map. */
  omitEmpty: boolean;
  /** `,string`: a string, bool or number field is encoded inside a JSON string. */
  asString: boolean;
}

/**
 * encoding/json's reading of a struct tag's `json` value: `"-"` skips the field, `"-,"` names it
 * `-`, an empty or invalid name keeps the Go name, options follow the first comma.
 * @example
 * ```ts
 * parseJsonTag("Endpoints", "endpoint"); // { key: "endpoint", skip: false, omitEmpty: false, asString: false }
 * ```
 * @throws never.
 */
export function parseJsonTag(field: string, tag: string | undefined): GoJsonTag {
  if (tag === "-") return { key: field, skip: true, omitEmpty: false, asString: false };
  const [name = "", ...opts] = (tag ?? "").split(",");
  // encoding/json's isValidTag: letters, digits and !#$%&()*+-./:;<=>?@[]^_{|}~ and space.
  const valid = name !== "" && /^[\p{L}\p{N}!#$%&()*+\-./:;<=>?@[\]^_{|}~ ]+$/u.test(name);
  return {
    key: valid ? name : field,
    skip: false,
    omitEmpty: opts.includes("omitempty"),
    asString: opts.includes("string"),
  };
}

/** Hidden marker of a nil map or slice: it ranges and prints like an empty one, `toJson` gives `null`. */
export const GO_NIL_MARK: unique symbol = Symbol.for("k3s-node-kit.containerd.goNil") as never;

/**
 * Hidden per-container JSON of `*net.IPNet` values, which the dot keeps as their `String()` text:
 * on a struct a record by field name, on a `[]*net.IPNet` an array by index.
 */
export const GO_IPNET_JSON: unique symbol = Symbol.for("k3s-node-kit.containerd.ipnetJson") as never;

/** True for a nil map or slice of the dot (see {@link GO_NIL_MARK}). */
export const isGoNilContainer = (v: object): boolean => (v as { [GO_NIL_MARK]?: true })[GO_NIL_MARK] === true;

function markNil<T extends object>(v: T): T {
  Object.defineProperty(v, GO_NIL_MARK, { value: true, enumerable: false });
  return v;
}

/**
 * A fresh nil map: an empty object `toJson` prints as `null` (while it holds no keys), for values
 * built outside the dot (parseRegistriesYaml).
 * @example
 * ```ts
 * toJson(nilMap()); // "null"
 * ```
 * @throws never.
 */
export function nilMap<T>(): Record<string, T> {
  return markNil({});
}

/** A fresh nil slice (see {@link nilMap}). @throws never. */
export function nilList<T>(): T[] {
  return markNil([]);
}

/** Per dot build: Go pointers to the same caller object stay one pointer (K3s shares the registry). */
type Memo = Map<object, { type: string; value: unknown }>;

function kindOfInput(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function bad(path: string, type: string, v: unknown, what = ""): never {
  const at = path === "" ? "config" : path;
  throw new ContainerdError(
    "CONTAINERD_OPTION_INVALID",
    `${at}: want a Go ${type}, got ${what === "" ? kindOfInput(v) : what}`,
    { value: at },
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const fieldPath = (path: string, name: string): string => (path === "" ? name : `${path}.${name}`);

/** `*net.IPNet` as encoding/json writes it: `{"IP":"<ip.String()>","Mask":"<base64 mask>"}`. */
function ipnetJson(network: GoIP, prefix: number, bytes: 4 | 16): string {
  const mask = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    mask[i] = (0xff << (8 - bits)) & 0xff;
  }
  return `{"IP":"${goIPString(network)}","Mask":"${mask.toString("base64")}"}`;
}

function cidr(v: string, path: string): { text: string; json: string } {
  const c = parseGoCIDR(v);
  if (c === undefined) bad(path, "*net.IPNet", v, "text that net.ParseCIDR rejects");
  // ParseCIDR keeps the literal's length: 4 bytes for a dotted IPv4 literal, 16 otherwise.
  return { text: c.text, json: ipnetJson(c.network, c.prefix, c.family === "ipv4" ? 4 : 16) };
}

function ip(v: unknown, path: string): string {
  if (typeof v !== "string") bad(path, "net.IP", v);
  const a = parseGoIP(v);
  if (a === undefined) bad(path, "net.IP", v, "text that net.ParseIP rejects");
  return goIPString(a);
}

const NIL_IP = Object.freeze(goNil("net.IP", []));
const NIL_IPNET = Object.freeze(goNil("*net.IPNet", ["IP", "Mask"]));
const NIL_INTERFACE = Object.freeze(
  goNil("*net.Interface", ["Index", "MTU", "Name", "HardwareAddr", "Flags"]),
);

// Zero values are immutable, so one frozen instance of each serves every dot.
const NIL_CONTAINERS = new Map<string, object>();
function nilContainer(type: string): object {
  let z = NIL_CONTAINERS.get(type);
  if (z === undefined) {
    const v = markNil(withGoType(type.startsWith("[]") ? [] : {}, type));
    const elem = type.startsWith("map[string]") ? type.slice(11) : "";
    if (elem !== "" && elemIsStruct(elem))
      withElemZero(v, () => buildGoValue(elem, undefined, "", new Map()));
    z = Object.freeze(v);
    NIL_CONTAINERS.set(type, z);
  }
  return z;
}

const NIL_POINTERS = new Map<string, object>();
function nilPointer(type: string): object {
  let z = NIL_POINTERS.get(type);
  if (z === undefined) {
    z = Object.freeze(
      goNil(
        type,
        (GO_STRUCTS[type.slice(1)] ?? []).map((f) => f[0]),
      ),
    );
    NIL_POINTERS.set(type, z);
  }
  return z;
}

const elemIsStruct = (t: string): boolean => Object.hasOwn(GO_STRUCTS, t.startsWith("*") ? t.slice(1) : t);

function list(type: string, v: unknown, path: string): unknown {
  if (v === undefined || v === null) return nilContainer(type);
  if (!Array.isArray(v)) bad(path, type, v);
  if (v.length === 0 && isGoNilContainer(v)) return nilContainer(type);
  const out: unknown[] = new Array(v.length);
  let json: string[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (type === "[]string") {
      if (typeof e !== "string") bad(`${path}[${i}]`, "string", e);
      out[i] = e;
    } else if (type === "[]net.IP") out[i] = ip(e, `${path}[${i}]`);
    else {
      if (typeof e !== "string") bad(`${path}[${i}]`, "*net.IPNet", e);
      const c = cidr(e, `${path}[${i}]`);
      out[i] = c.text;
      json ??= new Array(v.length);
      json[i] = c.json;
    }
  }
  withGoType(out, type);
  if (json !== undefined) Object.defineProperty(out, GO_IPNET_JSON, { value: json, enumerable: false });
  return out;
}

function scalar(type: string, v: unknown, path: string): unknown {
  switch (type) {
    case "string":
      if (v === undefined || v === null) return "";
      return typeof v === "string" ? v : bad(path, type, v);
    case "bool":
      if (v === undefined || v === null) return false;
      return typeof v === "boolean" ? v : bad(path, type, v);
    case "int":
      if (v === undefined || v === null) return 0;
      return typeof v === "number" && Number.isSafeInteger(v) ? v : bad(path, type, v, kindOfInput(v));
    case "net.IP":
      if (v === undefined || v === null || v === "") return NIL_IP;
      return ip(v, path);
    case "*net.Interface":
      // The dot never holds an interface (K3s fills it from --flannel-iface at runtime).
      return NIL_INTERFACE;
    default:
      throw new ContainerdError("CONTAINERD_DOT_INVALID", `k3s-structs: unknown Go type ${type}`, {
        value: path,
      });
  }
}

function struct(type: string, v: unknown, path: string, memo: Memo, pointer: boolean): object {
  const fields = GO_STRUCTS[type] as readonly GoField[];
  if (v !== undefined && v !== null && !isPlainObject(v)) bad(path, pointer ? `*${type}` : type, v);
  const from = (v ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let json: Record<string, string> | undefined;
  for (const [name, t] of fields) {
    // Own fields only: an inherited property is not a field of the caller's struct.
    const x = Object.hasOwn(from, name) ? from[name] : undefined;
    if (t === "*net.IPNet") {
      if (x === undefined || x === null || x === "") out[name] = NIL_IPNET;
      else {
        if (typeof x !== "string") bad(fieldPath(path, name), t, x);
        const c = cidr(x, fieldPath(path, name));
        out[name] = c.text;
        json ??= {};
        json[name] = c.json;
      }
    } else if (t === "string" || t === "bool" || t === "int" || t === "net.IP" || t === "*net.Interface") {
      // Inline fast path for the common scalars; the path string is built only on an error.
      if (x === undefined || x === null) out[name] = scalar(t, undefined, "");
      else if ((t === "string" && typeof x === "string") || (t === "bool" && typeof x === "boolean"))
        out[name] = x;
      else out[name] = scalar(t, x, fieldPath(path, name));
    } else out[name] = buildGoValue(t, x, fieldPath(path, name), memo);
  }
  if (json !== undefined) Object.defineProperty(out, GO_IPNET_JSON, { value: json, enumerable: false });
  return goStruct(out, pointer ? `*${type}` : type);
}

function map(type: string, v: unknown, path: string, memo: Memo): object {
  if (v === undefined || v === null) return nilContainer(type);
  // A string (of any length) or an array where a map belongs is refused before looking inside.
  if (!isPlainObject(v)) bad(path, type, v);
  const keys = Object.keys(v);
  if (keys.length === 0 && isGoNilContainer(v)) return nilContainer(type);
  const elem = type.slice(11);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const e = buildGoValue(elem, v[k], `${path}[${JSON.stringify(k)}]`, memo);
    // A "__proto__" key is a map key like any other, never the copy's prototype.
    if (k === "__proto__") Object.defineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true });
    else out[k] = e;
  }
  withGoType(out, type);
  if (elemIsStruct(elem)) withElemZero(out, () => buildGoValue(elem, undefined, "", new Map()));
  return out;
}

/**
 * The dot value of Go type `type` built from the caller's `v`: Go's zero value when `v` is
 * undefined or null (nil for pointers, maps and slices), else `v` checked and shaped as `type`.
 * Structs get every field in declaration order; keys of `v` that are not fields are ignored.
 * `net.IP`/`*net.IPNet` text is parsed like Go's `net.ParseIP`/`net.ParseCIDR` and kept as Go's
 * `String()` text. `path` names the field in errors (`NodeConfig.AgentConfig.NodeIPs`).
 *
 * @example
 * ```ts
 * buildGoValue("config.CRIDockerd", undefined, "NodeConfig.CRIDockerd", new Map()); // { Address: "", Root: "", Debug: false }
 * ```
 * @throws CONTAINERD_OPTION_INVALID (value: the field path) when `v` is set but not of type `type`.
 */
export function buildGoValue(type: string, v: unknown, path: string, memo: Memo): unknown {
  if (type.startsWith("map[string]")) return map(type, v, path, memo);
  if (type.startsWith("[]")) return list(type, v, path);
  if (type.startsWith("*") && type !== "*net.Interface") {
    const target = type.slice(1);
    if (!Object.hasOwn(GO_STRUCTS, target))
      throw new ContainerdError("CONTAINERD_DOT_INVALID", `k3s-structs: unknown Go type ${type}`, {
        value: path,
      });
    if (v === undefined || v === null) return nilPointer(type);
    if (typeof v === "object") {
      const seen = memo.get(v);
      if (seen !== undefined && seen.type === type) return seen.value;
    }
    const built = struct(target, v, path, memo, true);
    if (typeof v === "object") memo.set(v as object, { type, value: built });
    return built;
  }
  if (Object.hasOwn(GO_STRUCTS, type)) return struct(type, v, path, memo, false);
  return scalar(type, v, path);
}

/** Compiled `json` tags of a struct type, or `undefined` for a type not in {@link GO_STRUCTS}. */
const TAGS = new Map<string, readonly (readonly [string, string, GoJsonTag])[]>();

/**
 * A struct type's fields as encoding/json sees them: Go name, Go type, parsed `json` tag.
 * @example
 * ```ts
 * jsonFieldsOf("registries.Registry")?.[0]; // ["Mirrors", "map[string]registries.Mirror", { key: "mirrors", ... }]
 * ```
 * @throws never.
 */
export function jsonFieldsOf(type: string): readonly (readonly [string, string, GoJsonTag])[] | undefined {
  let t = TAGS.get(type);
  if (t === undefined) {
    const fields = GO_STRUCTS[type];
    if (fields === undefined || !Object.hasOwn(GO_STRUCTS, type)) return undefined;
    t = fields.map(([name, ft, tag]) => [name, ft, parseJsonTag(name, tag)] as const);
    TAGS.set(type, t);
  }
  return t;
}
