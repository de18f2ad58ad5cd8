/**
 * Issue 12's attacks on `k3s-node-kit/cluster`: junk arguments, `__proto__`/`constructor` field names, secrets in
 * errors, links out of the data dir, a trickling or oversized join server, listen errors. Real files and real
 * HTTPS servers on 127.0.0.1; no mocks.
 */
import { createServer as createHttpsServer } from "node:https";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCertificates } from "../../../src/certs/index.js";
import {
  bootstrapKey,
  bootstrapPaths,
  decodeBootstrap,
  decodeBootstrapData,
  encodeBootstrap,
  encodeBootstrapData,
  fetchServerBootstrap,
  formatRfc3339,
  listBootstrapKeys,
  parseRfc3339,
  planReconcile,
  readBootstrapFromDatastore,
  serveJoinEndpoints,
  writeBootstrapToDisk,
} from "../../../src/cluster/index.js";
import { isKitError } from "../../../src/errors/index.js";

const PASSWORD = "s3cr3t-planted-password-9f2c";
const TOKEN = `K10${"a".repeat(64)}::server:${PASSWORD}`;

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isKitError(e) ? (e as { code: string }).code : `untyped: ${String(e)}`;
  }
  return "no error";
}
async function codeOfAsync(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    return isKitError(e) ? (e as { code: string }).code : `untyped: ${String(e)}`;
  }
  return "no error";
}
/** Everything an error shows: message, value, the cause chain and its JSON. */
function everything(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, i = 0; x && i < 10; x = (x as { cause?: unknown }).cause, i++) {
    parts.push(String((x as Error).message), JSON.stringify((x as { value?: unknown }).value) ?? "");
    try {
      parts.push(JSON.stringify(x));
    } catch {
      /* circular: message and value are enough */
    }
  }
  return parts.join("\n");
}

const file = (text: string) => ({ timestamp: "2024-01-01T00:00:00Z", content: Buffer.from(text) });

describe("issue 12: cluster exports refuse junk with CLUSTER_OPTION_INVALID", () => {
  it("codec: null data, numbers for tokens, a string for bytes, a bigint timestamp (were TypeErrors)", () => {
    expect(codeOf(() => encodeBootstrapData(null as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => encodeBootstrap(7 as never, {}))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => decodeBootstrapData("{}" as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => decodeBootstrap(TOKEN, undefined as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => bootstrapKey(undefined as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => parseRfc3339(1n as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => formatRfc3339(1 as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => formatRfc3339(10n ** 30n))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => encodeBootstrapData({ ServerCA: { timestamp: "2024-01-01T00:00:00Z", content: "pem" } } as never))).toBe(
      "CLUSTER_OPTION_INVALID",
    );
    expect(formatRfc3339(1_500_000_000n)).toBe("1970-01-01T00:00:01.5Z");
  });

  it("disk and plan: a relative dataDir, an unknown option with a did-you-mean, missing input", async () => {
    expect(codeOf(() => bootstrapPaths({ dataDir: "relative/dir" }))).toBe("CLUSTER_OPTION_INVALID");
    expect(codeOf(() => bootstrapPaths({ dataDir: "/x", secretEncryption: true } as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(() => bootstrapPaths({ dataDir: "/x", secretEncryption: true } as never)).toThrow(/did you mean "secretsEncryption"/);
    expect(codeOf(() => planReconcile(undefined as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(await codeOfAsync(() => writeBootstrapToDisk(undefined as never, {}))).toBe("CLUSTER_OPTION_INVALID");
  });

  it("datastore: a client without range/txn and junk call options are refused before any call", async () => {
    expect(await codeOfAsync(() => listBootstrapKeys({} as never))).toBe("CLUSTER_OPTION_INVALID");
    let called = 0;
    const client = {
      range: async () => {
        called++;
        return { kvs: [] };
      },
      txn: () => ({}),
    } as never;
    expect(await codeOfAsync(() => listBootstrapKeys(client, { deadlineMs: Number.POSITIVE_INFINITY }))).toBe("CLUSTER_OPTION_INVALID");
    expect(await codeOfAsync(() => readBootstrapFromDatastore(client, TOKEN, { migrat: false } as never))).toBe("CLUSTER_OPTION_INVALID");
    expect(called).toBe(0);
    // A client that answers junk is a typed error too, not a TypeError from inside.
    const junk = { range: async () => ({ kvs: "nope" }), txn: () => ({}) } as never;
    expect(await codeOfAsync(() => readBootstrapFromDatastore(junk, TOKEN))).toBe("CLUSTER_OPTION_INVALID");
  });

  it("a token handed to a bad spot is never echoed (positional and option)", async () => {
    const errors: unknown[] = [];
    for (const f of [
      () => encodeBootstrap(TOKEN, null as never),
      () => decodeBootstrap(TOKEN, 5 as never),
      () => bootstrapKey({ token: TOKEN } as never),
    ]) {
      try {
        f();
      } catch (e) {
        errors.push(e);
      }
    }
    errors.push(await fetchServerBootstrap({ server: `ftp://u:${PASSWORD}@127.0.0.1/`, token: TOKEN }).catch((e: unknown) => e));
    errors.push(await fetchServerBootstrap({ server: `https://u:${PASSWORD}@[bad`, token: TOKEN }).catch((e: unknown) => e));
    errors.push(await fetchServerBootstrap({ server: "https://127.0.0.1:1", token: 5 } as never).catch((e: unknown) => e));
    expect(errors).toHaveLength(6);
    for (const e of errors) {
      expect(isKitError(e), String(e)).toBe(true);
      expect(everything(e)).not.toContain(PASSWORD);
    }
  });
});

describe("issue 12: field names that are Object.prototype's own are plain data", () => {
  it("decode keeps __proto__ and constructor as fields and does not touch the prototype", () => {
    const json = `{"__proto__":{"Timestamp":"2024-01-01T00:00:00Z","Content":"YQ=="},"constructor":{"Timestamp":"2024-01-01T00:00:00Z","Content":"Yg=="}}\n`;
    const { data } = decodeBootstrapData(Buffer.from(json));
    expect(Object.keys(data).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(data)).toBe(null);
    const ctor = Object.getOwnPropertyDescriptor(data, "constructor");
    expect((ctor?.value as { content: Buffer } | undefined)?.content.toString()).toBe("b");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    // and it encodes back to the same bytes
    expect(encodeBootstrapData(data).toString()).toBe(json);
  });

  it("planReconcile and writeBootstrapToDisk skip a `constructor` field (was: Object's constructor taken as its path)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kit-cl-proto-"));
    try {
      const data = JSON.parse('{"constructor":1,"toString":1}') as Record<string, unknown>;
      for (const k of Object.keys(data)) data[k] = file("x");
      const plan = planReconcile({ certDirsPresent: true, datastore: data as never, disk: {}, paths: {} });
      expect(plan).toEqual({ writeDisk: false, reason: "in-sync", updated: [], newerOnDisk: [] });
      expect(await writeBootstrapToDisk({ dataDir: dir }, data as never)).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("issue 12: bootstrap files stay inside the data dir", () => {
  it("a symlinked server/tls pointing out of the data dir: PATH_UNSAFE, nothing written outside", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kit-cl-link-"));
    const outside = await mkdtemp(join(tmpdir(), "kit-cl-out-"));
    try {
      await mkdir(join(dir, "server"), { recursive: true });
      await symlink(outside, join(dir, "server", "tls"));
      const err = await writeBootstrapToDisk({ dataDir: dir }, { ServerCA: file("pem"), PasswdFile: file("x,server,server,k3s:server\n") }).catch(
        (e: unknown) => e,
      );
      expect(isKitError(err, "PATH_UNSAFE"), String(err)).toBe(true);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("a bad timestamp is refused before the first file is written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kit-cl-ts-"));
    try {
      const err = await writeBootstrapToDisk({ dataDir: dir }, { ClientCA: file("a"), ServerCA: { timestamp: "yesterday", content: Buffer.from("b") } }).catch(
        (e: unknown) => e,
      );
      expect(isKitError(err, "CLUSTER_BOOTSTRAP_JSON"), String(err)).toBe(true);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("issue 12: join over HTTPS — deadlines, size limits, listen errors", () => {
  let dir: string;
  let cert: Buffer;
  let key: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kit-cl-join-"));
    await ensureServerCertificates({ dataDir: dir, nodeName: "n1", sans: ["127.0.0.1"] });
    cert = await readFile(join(dir, "server", "tls", "serving-kube-apiserver.crt"));
    key = await readFile(join(dir, "server", "tls", "serving-kube-apiserver.key"));
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A TLS server with the node's serving cert that answers by `handler`. */
  async function withServer(handler: Parameters<typeof createHttpsServer>[1], f: (url: string) => Promise<void>): Promise<void> {
    const srv = createHttpsServer({ cert, key }, handler);
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    try {
      await f(`https://127.0.0.1:${(srv.address() as AddressInfo).port}`);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }

  it("a server that trickles one byte every 100 ms is cut off at timeoutMs (was: only an idle timeout, never cut)", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200);
        const t = setInterval(() => res.write("a"), 100);
        res.on("close", () => clearInterval(t));
      },
      async (url) => {
        const started = Date.now();
        const err = await fetchServerBootstrap({ server: url, token: TOKEN, timeoutMs: 600 }).catch((e: unknown) => e);
        expect(isKitError(err, "CLUSTER_JOIN_UNREACHABLE"), String(err)).toBe(true);
        // Two /cacerts attempts at most before it gives up: far below the old unbounded wait.
        expect(Date.now() - started).toBeLessThan(10_000);
      },
    );
  }, 20_000);

  it("an answer over 16 MiB is refused, not buffered", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    await withServer(
      (_req, res) => {
        res.writeHead(200);
        let n = 0;
        const more = () => {
          while (n < 40 && res.write(chunk)) n++;
          if (n >= 40) res.end();
        };
        res.on("drain", () => {
          n++;
          more();
        });
        more();
      },
      async (url) => {
        const err = await fetchServerBootstrap({ server: url, token: TOKEN, timeoutMs: 10_000 }).catch((e: unknown) => e);
        expect(isKitError(err, "CLUSTER_JOIN_FAILED"), String(err)).toBe(true);
        expect(String((err as Error).message)).toMatch(/larger than/);
      },
    );
  }, 30_000);

  it("an aborted signal rejects with its reason", async () => {
    await withServer(
      () => undefined,
      async (url) => {
        const ac = new AbortController();
        const p = fetchServerBootstrap({ server: url, token: TOKEN, signal: ac.signal });
        setTimeout(() => ac.abort(new Error("stop")), 100);
        await expect(p).rejects.toThrow("stop");
      },
    );
  });

  it("listening on a taken port is CLUSTER_JOIN_LISTEN_FAILED (was: Node's bare EADDRINUSE)", async () => {
    const a = await serveJoinEndpoints({ dataDir: dir, host: "127.0.0.1", port: 0 });
    try {
      const port = Number(new URL(a.url).port);
      const err = await serveJoinEndpoints({ dataDir: dir, host: "127.0.0.1", port }).catch((e: unknown) => e);
      expect(isKitError(err, "CLUSTER_JOIN_LISTEN_FAILED"), String(err)).toBe(true);
      // A mismatched cert and key.
      const other = join(dir, "other.key");
      await writeFile(other, await readFile(join(dir, "server", "tls", "server-ca.key")));
      const err2 = await serveJoinEndpoints({ dataDir: dir, host: "127.0.0.1", port: 0, keyFile: other }).catch((e: unknown) => e);
      expect(isKitError(err2, "CLUSTER_JOIN_LISTEN_FAILED"), String(err2)).toBe(true);
      expect(await codeOfAsync(() => serveJoinEndpoints({ dataDir: dir, host: "127.0.0.1", port: 70000 }))).toBe("CLUSTER_OPTION_INVALID");
    } finally {
      await a.close();
    }
  });
});
