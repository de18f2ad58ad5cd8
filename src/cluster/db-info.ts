/**
 * K3s's `/db/info` answer: `{"members":[…]}`, etcd's `Member` messages as Go's encoding/json writes them
 * (`ID` a bare uint64 number, `name`, `peerURLs`, `clientURLs`, `isLearner`, each omitted when empty). Pure.
 */
import { ClusterError } from "./errors.js";

/** One etcd member as `/db/info` carries it. */
export interface EtcdMemberInfo {
  /** Member ID (uint64; exact, not a JS number). */
  id: bigint;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

/** What `/db/info` needs of an etcd client: its member list. */
export interface EtcdMemberLister {
  memberList(options?: { deadlineMs?: number }): Promise<readonly EtcdMemberInfo[]>;
}

/** The answer's JSON, as K3s's handler encodes it (omitempty fields dropped, `ID` a number). */
export function encodeMembers(members: readonly EtcdMemberInfo[]): string {
  const one = (m: EtcdMemberInfo): string => {
    const parts: string[] = [];
    if (m.id !== 0n) parts.push(`"ID":${m.id.toString()}`);
    if (m.name) parts.push(`"name":${JSON.stringify(m.name)}`);
    if (m.peerURLs.length) parts.push(`"peerURLs":${JSON.stringify(m.peerURLs)}`);
    if (m.clientURLs.length) parts.push(`"clientURLs":${JSON.stringify(m.clientURLs)}`);
    if (m.isLearner) parts.push(`"isLearner":true`);
    return `{${parts.join(",")}}`;
  };
  return `{"members":[${members.map(one).join(",")}]}\n`;
}

const MAX_MEMBERS = 1024;

/** Parses a `/db/info` answer; anything that is not a member list is `CLUSTER_JOIN_FAILED`. */
export function parseMembers(body: Buffer, origin: string): EtcdMemberInfo[] {
  const bad = (why: string, cause?: unknown) =>
    new ClusterError("CLUSTER_JOIN_FAILED", `${origin}/db/info: ${why}`, { value: origin, ...(cause ? { cause } : {}) });
  // A uint64 ID does not fit a JS number: quote it before parsing (keys follow `{` or `,`).
  const text = body.toString("utf8").replace(/([{,]\s*)"ID"\s*:\s*(\d+)/g, '$1"ID":"$2"');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw bad("the answer is not JSON", cause);
  }
  const list = (doc as { members?: unknown } | null)?.members;
  if (!Array.isArray(list)) throw bad('the answer has no "members" list');
  if (list.length > MAX_MEMBERS) throw bad(`more than ${MAX_MEMBERS} members`);
  const strings = (v: unknown, what: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw bad(`a member's ${what} is not a list of strings`);
    return [...v];
  };
  return list.map((m: unknown) => {
    if (typeof m !== "object" || m === null || Array.isArray(m)) throw bad("a member is not an object");
    const r = m as Record<string, unknown>;
    const id = r.ID === undefined ? "0" : r.ID;
    if (typeof id !== "string" || !/^\d{1,20}$/.test(id) || BigInt(id) > 0xffff_ffff_ffff_ffffn) throw bad("a member's ID is not a uint64");
    if (r.name !== undefined && typeof r.name !== "string") throw bad("a member's name is not a string");
    return {
      id: BigInt(id),
      name: (r.name as string | undefined) ?? "",
      peerURLs: strings(r.peerURLs, "peerURLs"),
      clientURLs: strings(r.clientURLs, "clientURLs"),
      isLearner: r.isLearner === true,
    };
  });
}
