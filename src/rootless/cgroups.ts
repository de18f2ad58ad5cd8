import { checkArg, is } from "../internal/options.js";
import { checkText, rootlessFail } from "./options.js";
/** A line of `/proc/self/mountinfo`. */
export interface MountinfoEntry {
  mountPoint: string;
  /** Root of the mount inside its filesystem (`/` unless bind-mounted or namespaced). */
  root: string;
  fsType: string;
  superOptions: string[];
}

/** cgroup layout names: `v2` unified, `hybrid` (v1 controllers + cgroup2 at `/sys/fs/cgroup/unified`), `v1` legacy, `none`. */
export type CgroupMode = "v2" | "hybrid" | "v1" | "none";

/** Inputs of {@link analyzeCgroups}: file contents read by {@link checkCgroups}, or given in tests. */
export interface CgroupInputs {
  /** `/proc/self/mountinfo`. */
  mountinfo: string;
  /** `/proc/self/cgroup`. */
  selfCgroup: string;
  /** `cgroup.controllers` of the own cgroup2 directory, when there is one and it was readable. */
  ownControllers?: string;
  /**
   * Whether `/sys/fs/cgroup/<own cgroup2 path>` is writable (K3s then evacuates into `k3s_evac`).
   * K3s joins the path to `/sys/fs/cgroup` even on hybrid hosts, where cgroup2 lives in `unified/`.
   */
  ownDirWritable?: boolean;
  /** Whether `/sys/fs/cgroup` is writable (the rootless kubelet needs it). */
  cgroupfsWritable?: boolean;
}

export interface CgroupReport {
  mode: CgroupMode;
  /** Where cgroup2 is mounted (`/sys/fs/cgroup` on v2, `/sys/fs/cgroup/unified` on hybrid). */
  cgroup2Mount?: string;
  /** Controllers bound to v1 hierarchies (from the mount options). */
  v1Controllers: string[];
  /** The process's own cgroup2 path from `/proc/self/cgroup` (`0::<path>`). */
  ownCgroup2?: string;
  /** Filesystem path of that cgroup (`<cgroup2Mount>/<path>`), whose `cgroup.controllers` is read. */
  ownCgroup2Dir?: string;
  /** Controllers available (delegated) in the own cgroup2: the contents of its `cgroup.controllers`. */
  delegated: string[];
  /** True when K3s would enable cgroup2 evacuation (own cgroup2 dir writable). */
  evacuation: boolean;
  /** Whether rootless K3s can run here, and if not why. */
  rootless: { ok: boolean; problems: string[] };
  /** Warnings K3s's rootless parent logs on this layout (its text). */
  warnings: string[];
  /** Line numbers of mountinfo/cgroup lines that could not be parsed. */
  malformed: { mountinfo: number[]; selfCgroup: number[] };
}

const V1_CONTROLLERS = new Set([
  "cpu",
  "cpuacct",
  "cpuset",
  "memory",
  "devices",
  "freezer",
  "net_cls",
  "blkio",
  "perf_event",
  "net_prio",
  "hugetlb",
  "pids",
  "rdma",
  "misc",
]);

/** Mountinfo escapes `\040` (space), `\011`, `\012`, `\134` as octal. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/**
 * Parses `/proc/self/mountinfo` (proc(5)): `id parent maj:min root mountpoint options [optional...] -
 * fstype source superoptions`. Lines that do not fit are returned by number, never thrown.
 *
 * @example
 * ```ts
 * parseMountinfo("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n").entries[0].fsType; // "cgroup2"
 * ```
 * @throws never.
 */
export function parseMountinfo(text: string): { entries: MountinfoEntry[]; malformed: number[] } {
  return mountinfoOf(checkText(text, "text", "parseMountinfo"));
}

function mountinfoOf(text: string): { entries: MountinfoEntry[]; malformed: number[] } {
  const entries: MountinfoEntry[] = [];
  const malformed: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const f = line.split(" ");
    const sep = f.indexOf("-", 6);
    if (f.length < 10 || sep < 0 || f.length < sep + 4 || !/^[0-9]+:[0-9]+$/.test(f[2] ?? "")) {
      malformed.push(i + 1);
      return;
    }
    entries.push({
      root: unescapeOctal(f[3] as string),
      mountPoint: unescapeOctal(f[4] as string),
      fsType: f[sep + 1] as string,
      superOptions: (f[sep + 3] as string).split(","),
    });
  });
  return { entries, malformed };
}

/** One line of `/proc/self/cgroup`: `hierarchy-id:controllers:path`. */
export interface ProcCgroupEntry {
  hierarchy: number;
  controllers: string[];
  path: string;
}

/**
 * Parses `/proc/self/cgroup` (cgroups(7)). The v2 entry is `0::<path>` (empty controller list).
 *
 * @example
 * ```ts
 * parseProcCgroup("0::/user.slice/user-1000.slice/user@1000.service\n").entries[0].path;
 * ```
 * @throws never.
 */
export function parseProcCgroup(text: string): { entries: ProcCgroupEntry[]; malformed: number[] } {
  return procCgroupOf(checkText(text, "text", "parseProcCgroup"));
}

function procCgroupOf(text: string): { entries: ProcCgroupEntry[]; malformed: number[] } {
  const entries: ProcCgroupEntry[] = [];
  const malformed: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const m = /^([0-9]+):([^:]*):(.*)$/.exec(line);
    if (!m) {
      malformed.push(i + 1);
      return;
    }
    entries.push({
      hierarchy: Number(m[1]),
      controllers: m[2] === "" ? [] : (m[2] as string).split(","),
      path: m[3] as string,
    });
  });
  return { entries, malformed };
}

/** The own cgroup2 directory to read `cgroup.controllers` from, or undefined when there is none. @internal */
export function ownCgroup2Dir(
  mountinfo: string,
  selfCgroup: string,
): { mount?: string; path?: string; dir?: string } {
  const mounts = mountinfoOf(mountinfo).entries;
  const v2 =
    mounts.find((m) => m.fsType === "cgroup2" && m.mountPoint === "/sys/fs/cgroup") ??
    mounts.find((m) => m.fsType === "cgroup2" && m.mountPoint === "/sys/fs/cgroup/unified") ??
    mounts.find((m) => m.fsType === "cgroup2");
  const own = procCgroupOf(selfCgroup).entries.find(
    (e) => e.hierarchy === 0 && e.controllers.length === 0,
  );
  if (!v2) return { path: own?.path };
  if (!own) return { mount: v2.mountPoint };
  // Inside a cgroup namespace or a bind mount, the mount's root is a prefix of the path.
  let rel = own.path;
  if (v2.root !== "/" && (rel === v2.root || rel.startsWith(`${v2.root}/`)))
    rel = rel.slice(v2.root.length) || "/";
  const dir = rel === "/" ? v2.mountPoint : `${v2.mountPoint}${rel.startsWith("/") ? "" : "/"}${rel}`;
  return { mount: v2.mountPoint, path: own.path, dir };
}

/**
 * Decides the cgroup layout and what it means for rootless K3s (k3s-behaviours §10; page "Known
 * Issues with Rootless mode"). The mode follows containerd's `cgroups.Mode()`: cgroup2 at
 * `/sys/fs/cgroup` is `v2`, cgroup2 at `/sys/fs/cgroup/unified` is `hybrid`, otherwise `v1` when v1
 * hierarchies are mounted. Rootless needs pure v2 (the page), delegated `cpu` and `pids` and a
 * writable `/sys/fs/cgroup` (the kubelet check in K3s's `createRootlessConfig`).
 *
 * @example
 * ```ts
 * analyzeCgroups({ mountinfo, selfCgroup, ownControllers: "cpuset cpu io memory pids\n", cgroupfsWritable: true }).rootless.ok;
 * ```
 * @throws never: unreadable parts are reported in `malformed`.
 */
export function analyzeCgroups(input: CgroupInputs): CgroupReport {
  const mi = mountinfoOf(typeof input?.mountinfo === "string" ? input.mountinfo : "");
  const pc = procCgroupOf(typeof input?.selfCgroup === "string" ? input.selfCgroup : "");
  const v2Root = mi.entries.find((m) => m.mountPoint === "/sys/fs/cgroup");
  const unified = mi.entries.find((m) => m.mountPoint === "/sys/fs/cgroup/unified" && m.fsType === "cgroup2");
  const v1Controllers = [
    ...new Set(
      mi.entries
        .filter((m) => m.fsType === "cgroup")
        .flatMap((m) => m.superOptions.filter((o) => V1_CONTROLLERS.has(o))),
    ),
  ].sort();
  const hasV1 = mi.entries.some((m) => m.fsType === "cgroup");
  const mode: CgroupMode = v2Root?.fsType === "cgroup2" ? "v2" : unified ? "hybrid" : hasV1 ? "v1" : "none";
  const own = ownCgroup2Dir(input?.mountinfo ?? "", input?.selfCgroup ?? "");
  const delegated = (input?.ownControllers ?? "")
    .split(/\s+/)
    .filter((c) => c !== "")
    .sort();
  const warnings: string[] = [];
  const ownV2 = pc.entries.find((e) => e.hierarchy === 0 && e.controllers.length === 0);
  let evacuation = false;
  if (!ownV2 || ownV2.path === "") {
    warnings.push(
      "Enabling cgroup2 is highly recommended, see https://rootlesscontaine.rs/getting-started/common/cgroup2/",
    );
  } else if (input?.ownDirWritable) evacuation = true;
  else warnings.push("Cannot set cgroup2 evacuation, make sure to run k3s as a systemd unit");

  const problems: string[] = [];
  if (mode !== "v2") {
    problems.push(`cgroup ${mode} is not supported for rootless; only pure cgroup v2 is`);
    const boundToV1 = ["cpu", "pids", "memory", "cpuset"].filter((c) => v1Controllers.includes(c));
    if (mode === "hybrid" && boundToV1.length > 0) {
      problems.push(`controllers still bound to cgroup v1: ${boundToV1.join(", ")}`);
    }
  }
  const missing = ["cpu", "pids"].filter((c) => !delegated.includes(c));
  if (missing.length > 0)
    problems.push(
      `delegated cgroup v2 controllers are required for rootless (missing: ${missing.join(", ")})`,
    );
  if (!input?.cgroupfsWritable)
    problems.push("/sys/fs/cgroup is not writable (the rootless kubelet needs a delegated, writable cgroup)");
  return {
    mode,
    cgroup2Mount: own.mount,
    v1Controllers,
    ownCgroup2: own.path,
    ownCgroup2Dir: own.dir,
    delegated,
    evacuation,
    rootless: { ok: problems.length === 0, problems },
    warnings,
    malformed: { mountinfo: mi.malformed, selfCgroup: pc.malformed },
  };
}

/**
 * K3s's rootless rule (k3s-behaviours §10): containerd and the kubelet run with cgroups disabled
 * when the `cpu` or `pids` controller is not delegated to the user's cgroup.
 * @example
 * ```ts
 * rootlessDisablesCgroups({ delegated: ["memory", "pids"] }); // true
 * ```
 */
export function rootlessDisablesCgroups(report: Pick<CgroupReport, "delegated">): boolean {
  checkArg(report, is.record, "report", rootlessFail, "rootlessDisablesCgroups");
  checkArg(report.delegated, is.stringArray, "report.delegated", rootlessFail, "rootlessDisablesCgroups");
  return !report.delegated.includes("cpu") || !report.delegated.includes("pids");
}
