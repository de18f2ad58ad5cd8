/**
 * Issue 12's attacks on the etcd module: hostile arguments reach the codec or grpc-js as
 * TypeErrors/SyntaxErrors, waits outlive the caller's deadline, non-finite numbers lock the event
 * loop, listeners crash the process, typos pass silently and secrets echo. Each is now a typed
 * EtcdError with a stable code, the offending value and no secret.
 *
 * The client points at 127.0.0.9:9, where nothing listens: calls fail (ETCD_UNAVAILABLE or
 * ETCD_DEADLINE_EXCEEDED) unless they were refused at the edge first. The "settles" bounds are
 * liveness limits (a hang is the attack), far above the deadlines, not timing assertions.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type EtcdClient,
  createEtcdClient,
  EtcdError,
  etcdClientForK3s,
  op,
  prefixEnd,
  startEmbeddedEtcd,
} from "../../../src/etcd/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { tempDir } from "../../helpers/tmp.js";

const UNREACHABLE = "http://127.0.0.9:9";
let client: EtcdClient;
let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  client = createEtcdClient({ endpoints: [UNREACHABLE], deadlineMs: 300, connectTimeoutMs: 200, retry: () => undefined });
});
afterEach(async () => {
  client.close();
  await cleanup();
});

/** What a call ends with: the error (or "resolved"), or "hang" when it is still open after `ms`. */
async function outcome(run: () => unknown, ms = 5_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve("hang"), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(run).then(() => "resolved"), hang]);
  } catch (e) {
    return e;
  } finally {
    clearTimeout(timer);
  }
}

function expectCode(e: unknown, code: string, value?: unknown): EtcdError {
  expect(e, String(e)).toBeInstanceOf(EtcdError);
  expect(isKitError(e, code as never), `${(e as Error).message}`).toBe(true);
  if (value !== undefined) expect((e as EtcdError).value).toEqual(value);
  return e as EtcdError;
}

/** Everything a caller could print of an error: message, value, the cause chain, JSON. */
function everything(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, i = 0; x !== undefined && x !== null && i < 10; x = (x as { cause?: unknown }).cause, i++) {
    parts.push(String(x), String((x as Error).stack), JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    parts.push(JSON.stringify((x as { value?: unknown }).value ?? null, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  }
  return parts.join("\n");
}

describe("issue 12 (etcd): hostile arguments are typed errors, not errors from inside", () => {
  it('attack: leaseRevoke("k") threw a SyntaxError from BigInt', async () => {
    const e = await outcome(() => client.leaseRevoke("k" as never));
    expectCode(e, "ETCD_INVALID_ARGUMENT", { option: "lease ID", value: "k" });
  });

  it('attack: memberAdd("url") threw "v is not iterable"', async () => {
    const e = await outcome(() => client.memberAdd("url" as never));
    expectCode(e, "ETCD_INVALID_ARGUMENT", { option: "peerURLs", value: "url" });
    expectCode(await outcome(() => client.memberAdd(["not a url"])), "ETCD_INVALID_ARGUMENT");
  });

  it("attack: txn().onSuccess(null) threw a TypeError", async () => {
    expectCode(await outcome(() => client.txn().onSuccess(null as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.txn().onFailure({ put: null } as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.txn().compare("k", "version", "===" as never, 1)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => op.get(null as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => op.txn({ compare: "x" } as never)), "ETCD_INVALID_ARGUMENT");
  });

  it("attack: other positional junk (a number key, a symbol name, bytes where a prefix is expected)", async () => {
    expectCode(await outcome(() => client.put(0 as never, "v")), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.userGet(Symbol("s") as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.delete(null as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.roleGrantPermission("r", "read", "k" as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => prefixEnd("a/" as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.watch(undefined as never)), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.keepAlive({ id: "1", ttl: 5 } as never)), "ETCD_INVALID_ARGUMENT");
  });
});

describe("issue 12 (etcd): every wait ends at its deadline", () => {
  it("attack: defragment() against an unreachable endpoint waited 60 s with deadlineMs: 60", async () => {
    const c = createEtcdClient({ endpoints: [UNREACHABLE], deadlineMs: 60 });
    try {
      const e = await outcome(() => c.defragment(), 10_000);
      expect(e).not.toBe("hang");
      expect(["ETCD_UNAVAILABLE", "ETCD_DEADLINE_EXCEEDED"]).toContain((e as EtcdError).code);
    } finally {
      c.close();
    }
  });

  it("attack: the fuzz fixture's calls (deadlineMs 300) did not settle within 1.5 s", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ["status", () => client.status()],
      ["alarms", () => client.alarms()],
      ["memberList", () => client.memberList()],
      ["hashKV", () => client.hashKV()],
      ["defragment", () => client.defragment()],
      ["userList", () => client.userList()],
      ["get", () => client.get("k")],
      // A valid range with every field passes the edge and fails only at the connection.
      ["range", () => client.range({ key: "k", prefix: true, limit: 2, sort: { target: "mod", order: "descend" }, keysOnly: true })],
      ["compact", () => client.compact(1)],
      ["snapshot", () => client.snapshot(join(root, "s.db"))],
    ];
    for (const [name, run] of calls) {
      const e = await outcome(run, 10_000);
      expect(e, name).not.toBe("hang");
      expect(["ETCD_UNAVAILABLE", "ETCD_DEADLINE_EXCEEDED"], `${name}: ${String(e)}`).toContain((e as EtcdError).code);
    }
    // The failed snapshot leaves no file behind.
    expect(readdirSync(root)).toEqual([]);
  });

  it('attack: get("k", { revision: Infinity }) spun forever in the varint encoder', async () => {
    expectCode(await outcome(() => client.get("k", { revision: Number.POSITIVE_INFINITY })), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.range({ key: "k", limit: Number.NaN })), "ETCD_INVALID_ARGUMENT");
    expectCode(await outcome(() => client.leaseGrant(1e308)), "ETCD_INVALID_ARGUMENT");
  });

  it('attack: get("k", { deadlineMs: Infinity }) never ended', async () => {
    expectCode(await outcome(() => client.get("k", { deadlineMs: Number.POSITIVE_INFINITY })), "ETCD_OPTION_INVALID");
    expectCode(await outcome(() => client.status({ deadlineMs: 1e308 })), "ETCD_OPTION_INVALID");
    expectCode(await outcome(() => client.txn().exec({ deadlineMs: -1 })), "ETCD_OPTION_INVALID");
  });

  it('attack: a signal that is not an AbortSignal ("signal?.throwIfAborted is not a function")', async () => {
    const e = expectCode(await outcome(() => client.get("k", { signal: "x" as never })), "ETCD_OPTION_INVALID");
    expect(e.value).toEqual({ option: "signal", value: "x" });
    expectCode(await outcome(() => etcdClientForK3s(root, { signal: {} as never })), "ETCD_OPTION_INVALID", "signal");
  });

  it("an aborted signal ends the wait with the caller's own reason", async () => {
    const reason = new Error("mine");
    const ac = new AbortController();
    const p = outcome(() => client.memberList({ signal: ac.signal, deadlineMs: 60_000 }));
    ac.abort(reason);
    expect(await p).toBe(reason);
  });
});

describe("issue 12 (etcd): listeners never crash the process", () => {
  it("attack: a throwing or rejecting keep-alive onLost was re-thrown from a microtask", async () => {
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
    try {
      let calls = 0;
      const lost = new Promise<void>((resolve) => {
        client.keepAlive(
          { id: 1n, ttl: 1 },
          {
            onLost: () => {
              calls++;
              resolve();
              throw new Error("listener boom");
            },
          },
        );
        client.keepAlive(
          { id: 2n, ttl: 1 },
          {
            onLost: async () => {
              throw new Error("async listener boom");
            },
          },
        );
      });
      expect(await outcome(() => lost, 10_000)).toBe("resolved");
      // Let the second lease's rejection and any re-thrown error surface.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(calls).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
      process.off("unhandledRejection", record);
    }
  });

  it('a non-function onEvent is an option error before anything runs (startEmbeddedEtcd, createEtcdClient)', async () => {
    const dataDir = join(root, "etcd");
    const tls = { caFile: "/x/ca", certFile: "/x/c", keyFile: "/x/k", clientCertFile: "/x/cc", clientKeyFile: "/x/ck" };
    const e = await outcome(() => startEmbeddedEtcd({ dataDir, name: "n1", clientPort: 2379, peerPort: 2380, tls, onEvent: "x" as never }));
    expectCode(e, "ETCD_OPTION_INVALID", { option: "onEvent" });
    expect(existsSync(dataDir)).toBe(false);
    expectCode(await outcome(() => createEtcdClient({ endpoints: [UNREACHABLE], onEvent: 1 as never })), "ETCD_OPTION_INVALID");
  });
});

describe("issue 12 (etcd): typos, relative paths and secrets", () => {
  it("attack: a misspelt option was ignored; now refused with a did-you-mean", async () => {
    const e = expectCode(await outcome(() => createEtcdClient({ endpoints: [UNREACHABLE], deadline: 5 } as never)), "ETCD_OPTION_INVALID", { option: "deadline" });
    expect(e.message).toContain('did you mean "deadlineMs"');
    expect((await outcome(() => client.get("k", { revison: 3 } as never)) as Error).message).toContain('did you mean "revision"');
    expect((await outcome(() => etcdClientForK3s(root, { endpoint: ["https://a:2379"] } as never)) as Error).message).toContain('did you mean "endpoints"');
  });

  it("attack: relative data dirs resolved against the cwd", async () => {
    expectCode(await outcome(() => etcdClientForK3s("rel-dd")), "ETCD_OPTION_INVALID", { option: "dataDir", value: "rel-dd" });
    expectCode(await outcome(() => etcdClientForK3s("")), "ETCD_OPTION_INVALID");
    const tls = { caFile: "/x/ca", certFile: "/x/c", keyFile: "/x/k", clientCertFile: "/x/cc", clientKeyFile: "/x/ck" };
    expectCode(await outcome(() => startEmbeddedEtcd({ dataDir: "rel", name: "n1", clientPort: 2379, peerPort: 2380, tls })), "ETCD_OPTION_INVALID");
    expectCode(await outcome(() => client.snapshot("rel.db")), "ETCD_OPTION_INVALID");
    expect(existsSync("rel.db")).toBe(false);
  });

  it("a snapshot into a missing directory is ETCD_SNAPSHOT_FAILED with Node's error as cause (was a raw ENOENT)", async () => {
    const target = join(root, "missing", "s.db");
    const e = expectCode(await outcome(() => client.snapshot(target)), "ETCD_SNAPSHOT_FAILED", target);
    expect((e.cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("a password is never echoed: bad auth options, bad user calls", async () => {
    const secret = "s3cr3t-PLANTED-pw";
    const errors = [
      await outcome(() => createEtcdClient({ endpoints: [UNREACHABLE], auth: { username: "", password: secret } })),
      await outcome(() => createEtcdClient({ endpoints: [UNREACHABLE], auth: { username: "u", password: secret, extra: 1 } as never })),
      await outcome(() => createEtcdClient({ endpoints: [UNREACHABLE], auth: { username: "u", password: secret }, deadlineMs: "x" as never })),
      await outcome(() => client.userAdd("", secret)),
      await outcome(() => client.userChangePassword("u", secret, { signal: "x" } as never)),
      await outcome(() => client.userChangePassword(null as never, secret)),
      await outcome(() => client.userAdd("u", secret.repeat(10_000))),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(EtcdError);
      expect(everything(e)).not.toContain(secret);
    }
    // A key given as PEM text is not echoed either.
    const key = "-----BEGIN PRIVATE KEY-----PLANTEDKEY";
    const e = await outcome(() => createEtcdClient({ endpoints: [UNREACHABLE], tls: { ca: "x", key, cert: 5 as never } }));
    expect(e).toBeInstanceOf(EtcdError);
    expect(everything(e)).not.toContain("PLANTEDKEY");
  });
});

describe("issue 12 (etcd): the caller's strategies cannot break the contract", () => {
  it("a callDeadline that throws or answers Infinity, a retry policy that throws: ETCD_OPTION_INVALID, no wait forever", async () => {
    const boom = new Error("factory boom");
    const throwing = createEtcdClient({ endpoints: [UNREACHABLE], callDeadline: () => { throw boom; } });
    const forever = createEtcdClient({ endpoints: [UNREACHABLE], callDeadline: () => Number.POSITIVE_INFINITY });
    const badRetry = createEtcdClient({ endpoints: [UNREACHABLE], deadlineMs: 300, connectTimeoutMs: 100, retry: () => { throw boom; } });
    try {
      expect(expectCode(await outcome(() => throwing.get("k")), "ETCD_OPTION_INVALID").cause).toBe(boom);
      expectCode(await outcome(() => forever.status(), 10_000), "ETCD_OPTION_INVALID");
      expect(expectCode(await outcome(() => badRetry.memberList(), 10_000), "ETCD_OPTION_INVALID").cause).toBe(boom);
    } finally {
      throwing.close();
      forever.close();
      badRetry.close();
    }
  });
});
