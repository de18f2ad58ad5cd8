import { describe, expect, it } from "vitest";
import { isKitError } from "../../../src/errors/index.js";
import { planNode } from "../../../src/facade/plan.js";

const codeAndOption = (f: () => unknown): [string, unknown] | undefined => {
  try {
    f();
  } catch (e) {
    return isKitError(e) ? [e.code, (e.value as { option?: string })?.option] : ["untyped", String(e)];
  }
  return undefined;
};

describe("planNode: joining a server by token (issue 16)", () => {
  it("a joining server fetches before its certs, member-adds its etcd and does not save bootstrap data", () => {
    const plan = planNode({ dataDir: "/d", nodeName: "s2", nodeIPs: ["10.0.0.12"], server: "https://10.0.0.11:6443", token: "secret", start: true });
    expect(plan.joins).toBe("https://10.0.0.11:6443");
    const ids = plan.steps.map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(["join", "certs", "token"]);
    expect(ids).not.toContain("save-bootstrap");
    const etcd = plan.steps.find((s) => s.id === "start-etcd");
    expect(etcd?.input).toMatchObject({ host: "10.0.0.12", join: { server: "https://10.0.0.11:6443", deadlineMs: 30_000 } });
    // The plan holds no secret.
    expect(JSON.stringify(plan)).not.toContain("secret");
  });

  it("serves the join endpoints on the first node IP by default, after saving the bootstrap data", () => {
    const plan = planNode({ dataDir: "/d", nodeName: "s1", nodeIPs: ["127.0.0.11"], start: { etcd: true }, joinEndpoints: {} });
    expect(plan.steps.map((s) => s.id).slice(-3)).toEqual(["start-etcd", "save-bootstrap", "serve-join"]);
    expect(plan.steps.at(-1)?.input).toEqual({ dataDir: "/d", host: "127.0.0.11", port: 6443 });
    expect(plan.steps.map((s) => s.id)).not.toContain("start-containerd");
  });

  it("start picks its parts: { containerd: true } starts no etcd", () => {
    const ids = planNode({ dataDir: "/d", nodeName: "n", start: { containerd: true } }).steps.map((s) => s.id);
    expect(ids).toContain("start-containerd");
    expect(ids).not.toContain("start-etcd");
  });

  it("refuses a join without a token, over http, with credentials in the URL, on an agent, and bad joinEndpoints", () => {
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", server: "https://h:6443" }))).toEqual(["NODE_OPTION_INVALID", "token"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", server: "http://h:6443", token: "t" }))).toEqual(["NODE_OPTION_INVALID", "server"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", server: "not a url", token: "t" }))).toEqual(["NODE_OPTION_INVALID", "server"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", role: "agent", server: "https://h:6443", token: "t" }))).toEqual(["NODE_OPTION_INVALID", "server"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", joinEndpoints: {} }))).toEqual(["NODE_OPTION_INVALID", "joinEndpoints"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", start: true, joinEndpoints: { port: 70000 } }))).toEqual(["NODE_OPTION_INVALID", "joinEndpoints.port"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", start: true, joinEndpoints: { host: "h" } }))).toEqual(["NODE_OPTION_INVALID", "joinEndpoints.host"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", start: { etcd: 1 } as never }))).toEqual(["NODE_OPTION_INVALID", "start.etcd"]);
    expect(codeAndOption(() => planNode({ dataDir: "/d", nodeName: "n", start: "yes" as never }))).toEqual(["NODE_OPTION_INVALID", "start"]);
    // Credentials never appear in the error.
    try {
      planNode({ dataDir: "/d", nodeName: "n", server: "http://user:pw-123@h:6443", token: "t" });
    } catch (e) {
      expect(`${(e as Error).message} ${JSON.stringify((e as { value?: unknown }).value)}`).not.toContain("pw-123");
    }
  });
});
