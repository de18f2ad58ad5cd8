import { describe, expect, it } from "vitest";
import { encodeMembers, parseMembers } from "../../../src/cluster/db-info.js";
import { isKitError } from "../../../src/errors/index.js";
import { joinPlan } from "../../../src/etcd/embedded.js";

const member = (id: bigint, name: string, peer: string, client?: string) => ({ id, name, peerURLs: [peer], clientURLs: client ? [client] : [], isLearner: false });

describe("/db/info answer (K3s's Members JSON)", () => {
  it("round-trips uint64 IDs exactly and drops empty fields as Go's omitempty does", () => {
    const ms = [member(0xfedcba9876543210n, "a", "https://1.2.3.4:2380", "https://1.2.3.4:2379"), { ...member(5n, "", "https://p:2380"), isLearner: true }];
    const text = encodeMembers(ms);
    expect(text).toBe(
      '{"members":[{"ID":18364758544493064720,"name":"a","peerURLs":["https://1.2.3.4:2380"],"clientURLs":["https://1.2.3.4:2379"]},{"ID":5,"peerURLs":["https://p:2380"],"isLearner":true}]}\n',
    );
    expect(parseMembers(Buffer.from(text), "o")).toEqual(ms);
  });

  it("refuses what is not a member list as CLUSTER_JOIN_FAILED", () => {
    for (const body of ["nope", "{}", '{"members":[1]}', '{"members":[{"ID":-1}]}', '{"members":[{"ID":99999999999999999999}]}', '{"members":[{"peerURLs":"x"}]}']) {
      let code: string | undefined;
      try {
        parseMembers(Buffer.from(body), "o");
      } catch (e) {
        code = isKitError(e) ? e.code : String(e);
      }
      expect([body, code]).toEqual([body, "CLUSTER_JOIN_FAILED"]);
    }
  });
});

describe("joinPlan (K3s's join: add once, then start 'existing')", () => {
  const me = "https://10.0.0.12:2380";
  it("adds a member that is not listed, and names itself in the initial cluster", () => {
    expect(joinPlan([member(1n, "s1", "https://10.0.0.11:2380")], "s2", me)).toEqual({
      add: true,
      initialCluster: { s1: "https://10.0.0.11:2380", s2: me },
    });
  });
  it("does not add a member already listed with its peer URL (added, start failed): its nameless entry is itself", () => {
    expect(joinPlan([member(1n, "s1", "https://10.0.0.11:2380"), member(2n, "", me)], "s2", me)).toEqual({
      add: false,
      initialCluster: { s1: "https://10.0.0.11:2380", s2: me },
    });
  });
});
