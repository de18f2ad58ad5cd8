/**
 * Bootstrap data in a real etcd 3.4 (mTLS with the SDK's own K3s certs, on its own loopback address
 * 127.0.0.21): create-only save, read, K3s's migrations, reconcile with a data dir, and token rotation through
 * `rotateServerToken` with a crash injected between its steps. The Go oracle reads what lands in etcd.
 */
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCertificates } from "../../../src/certs/index.js";
import {
  BOOTSTRAP_FIELD_PATHS,
  addBootstrapToken,
  bootstrapDatastore,
  bootstrapKey,
  bootstrapKeyForPassphrase,
  encodeBootstrapData,
  encryptBootstrapValue,
  listBootstrapKeys,
  readBootstrapFromDatastore,
  readBootstrapFromDisk,
  reconcileBootstrapWithDisk,
  removeBootstrapToken,
  saveBootstrapToDatastore,
} from "../../../src/cluster/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { type EmbeddedEtcd, k3sEmbeddedEtcdTls, startEmbeddedEtcd } from "../../../src/etcd/index.js";
import { generateServerToken, readServerToken, rotateServerToken } from "../../../src/tokens/index.js";
import { freePort } from "../../helpers/ports.js";
import { tempDir } from "../../helpers/tmp.js";
import { buildBootstrapOracle, oracle } from "./go-oracle.js";

const HOST = "127.0.0.21";
let dir: string;
let cleanup: () => Promise<void>;
let etcd: EmbeddedEtcd | undefined;
let bin: string;
let token: string;
const dataDir = () => join(dir, "k3s");

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isKitError(e) ? e.code : e).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
}

const keys = async () => (await listBootstrapKeys(client())).map((kv) => kv.key.toString()).sort();
const client = () => (etcd as EmbeddedEtcd).client;
const wipe = () => client().delete({ key: "/bootstrap", prefix: true });

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("k3s-kit-cluster-ds-"));
  bin = buildBootstrapOracle();
  await ensureServerCertificates({ dataDir: dataDir(), nodeName: "server-1", sans: [HOST] });
  token = (await generateServerToken({ dataDir: dataDir(), token: "first-secret" })).token;
  await writeFile(join(dataDir(), "server", "cred", "ipsec.psk"), `${"cd".repeat(48)}\n`, { mode: 0o600 });
  etcd = await startEmbeddedEtcd({
    dataDir: join(dir, "etcd"),
    name: "server-1",
    host: HOST,
    clientPort: await freePort(),
    peerPort: await freePort(),
    tls: k3sEmbeddedEtcdTls(dataDir()),
    extraArgs: ["--heartbeat-interval=50", "--election-timeout=500", "--log-level=error", "--logger=zap"],
  });
}, 120_000);
afterAll(async () => {
  await etcd?.stop();
  await cleanup?.();
});

describe("save and read", () => {
  it("creates the key once (create-only) and K3s's decrypt reads the stored value", async () => {
    await wipe();
    const disk = await readBootstrapFromDisk({ dataDir: dataDir() });
    expect(etcd?.clientUrl).toBe(`https://${HOST}:${etcd?.clientUrl.split(":").pop()}`);
    const first = await saveBootstrapToDatastore(client(), token, disk);
    expect(first).toEqual({ key: bootstrapKey(token), created: true, updated: false });
    const kv = await client().getKv(first.key);
    const again = await saveBootstrapToDatastore(client(), token, { ServerCA: disk.ServerCA as never });
    expect(again).toEqual({ key: first.key, created: false, updated: false });
    expect((await client().getKv(first.key))?.modRevision).toBe(kv?.modRevision);
    const go = JSON.parse(oracle(bin, ["load", "first-secret"], kv?.value.toString())) as { files: object };
    expect(Object.keys(go.files).sort()).toEqual(Object.keys(disk).sort());
    const read = await readBootstrapFromDatastore(client(), token);
    expect(read?.data).toEqual(disk);
    expect(read?.format).toBe("files");
    const over = await saveBootstrapToDatastore(client(), token, disk, { override: true });
    expect(over).toEqual({ key: first.key, created: false, updated: true });
    expect(await keys()).toEqual([first.key]);
  });

  it("refuses another token's data on read and save, and writes nothing", async () => {
    await rejects(readBootstrapFromDatastore(client(), "other"), "CLUSTER_BOOTSTRAP_TOKEN_MISMATCH");
    await rejects(saveBootstrapToDatastore(client(), "other", {}), "CLUSTER_BOOTSTRAP_TOKEN_MISMATCH");
    expect(await keys()).toEqual([bootstrapKey(token)]);
  });

  it("returns undefined on an empty datastore; an empty key is K3s's lock, which save replaces", async () => {
    await wipe();
    expect(await readBootstrapFromDatastore(client(), token)).toBeUndefined();
    await client().put(bootstrapKey(token), "");
    await rejects(readBootstrapFromDatastore(client(), token), "CLUSTER_BOOTSTRAP_LOCKED");
    const disk = await readBootstrapFromDisk({ dataDir: dataDir() });
    expect((await saveBootstrapToDatastore(client(), token, disk)).updated).toBe(true);
    expect((await readBootstrapFromDatastore(client(), token))?.data).toEqual(disk);
  });

  it("migrates data under the empty-string key and the un-normalised token, new key first (K3s migrateTokens)", async () => {
    const disk = await readBootstrapFromDisk({ dataDir: dataDir() });
    for (const pass of ["", token]) {
      await wipe();
      await client().put(
        bootstrapKeyForPassphrase(pass),
        encryptBootstrapValue(pass, encodeBootstrapData(disk)),
      );
      const read = await readBootstrapFromDatastore(client(), token);
      expect(read?.data).toEqual(disk);
      expect(await keys()).toEqual([bootstrapKey(token)]);
    }
  });
});

describe("reconcile with a data dir", () => {
  it("writes every file into an empty data dir, then keeps, updates or refuses as K3s does", async () => {
    const ds = await readBootstrapFromDatastore(client(), token);
    if (!ds) throw new Error("no data");
    const other = { dataDir: join(dir, "joiner") };
    const first = await reconcileBootstrapWithDisk(other, ds.data);
    expect(first.reason).toBe("cert-dirs-missing");
    expect(first.written).toHaveLength(13);
    const back = await readBootstrapFromDisk(other);
    for (const [k, f] of Object.entries(ds.data)) {
      expect(back[k]?.content.equals(f.content)).toBe(true);
      expect(back[k]?.timestamp.slice(0, 19)).toBe(f.timestamp.slice(0, 19));
      const rel = BOOTSTRAP_FIELD_PATHS[k as keyof typeof BOOTSTRAP_FIELD_PATHS];
      expect((await stat(join(other.dataDir, "server", rel))).mode & 0o777).toBe(0o600);
    }
    for (const d of ["tls", "tls/etcd", "cred"])
      expect((await stat(join(other.dataDir, "server", d))).mode & 0o777).toBe(0o700);
    expect((await reconcileBootstrapWithDisk(other, ds.data)).reason).toBe("in-sync");

    // An older, different file is replaced from the datastore.
    const ca = join(other.dataDir, "server", "tls", "server-ca.crt");
    await writeFile(ca, "stale");
    await utimes(ca, 1_000_000, 1_000_000);
    const upd = await reconcileBootstrapWithDisk(other, ds.data);
    expect(upd.updated).toEqual(["ServerCA"]);
    expect((await readFile(ca)).equals(ds.data.ServerCA?.content as Buffer)).toBe(true);

    // A newer, different file stops the reconcile and nothing is written.
    await writeFile(ca, "local edit");
    const future = Date.now() / 1000 + 3600;
    await utimes(ca, future, future);
    await rejects(reconcileBootstrapWithDisk(other, ds.data), "CLUSTER_BOOTSTRAP_NEWER_ON_DISK");
    expect(await readFile(ca, "utf8")).toBe("local edit");
  });
});

describe("token rotation reaches the datastore", () => {
  it("rotateServerToken with bootstrapDatastore leaves exactly one key, readable with the new token only", async () => {
    await wipe();
    await saveBootstrapToDatastore(client(), token, await readBootstrapFromDisk({ dataDir: dataDir() }));
    const rotated = await rotateServerToken({
      dataDir: dataDir(),
      newToken: "second-secret",
      datastore: bootstrapDatastore(client()),
    });
    expect(await readServerToken(dataDir())).toBe(rotated.token);
    expect(await keys()).toEqual([bootstrapKey("second-secret")]);
    const read = await readBootstrapFromDatastore(client(), rotated.token);
    expect(
      read?.data.ServerCA?.content.equals(await readFile(join(dataDir(), "server", "tls", "server-ca.crt"))),
    ).toBe(true);
    await rejects(readBootstrapFromDatastore(client(), token), "CLUSTER_BOOTSTRAP_TOKEN_MISMATCH");
    // K3s's decrypt opens the rotated value with the new password.
    const kv = await client().getKv(bootstrapKey("second-secret"));
    expect(JSON.parse(oracle(bin, ["load", "second-secret"], kv?.value.toString())).format).toBe("files");
    token = rotated.token;
  });

  it("a crash after the new key was written leaves the old files and both keys, each readable", async () => {
    const ds = bootstrapDatastore(client());
    const before = await readServerToken(dataDir());
    const crashing = {
      addToken: async (o: string, n: string) => {
        await ds.addToken(o, n);
        throw new Error("crash after addToken");
      },
      removeToken: ds.removeToken,
    };
    await expect(
      rotateServerToken({ dataDir: dataDir(), newToken: "third-secret", datastore: crashing }),
    ).rejects.toThrow("crash");
    expect(await readServerToken(dataDir())).toBe(before);
    expect(await keys()).toEqual([bootstrapKey("second-secret"), bootstrapKey("third-secret")].sort());
    expect(await readBootstrapFromDatastore(client(), token, { migrate: false })).toBeDefined();
    expect(await readBootstrapFromDatastore(client(), "third-secret", { migrate: false })).toBeDefined();
  });

  it("a crash before the old key was deleted leaves the new files and both keys; a rerun finishes it", async () => {
    const ds = bootstrapDatastore(client());
    const crashing = {
      addToken: ds.addToken,
      removeToken: async () => Promise.reject(new Error("crash before removeToken")),
    };
    await expect(
      rotateServerToken({ dataDir: dataDir(), newToken: "third-secret", datastore: crashing }),
    ).rejects.toThrow("crash");
    const now = await readServerToken(dataDir());
    expect(now).toMatch(/::server:third-secret$/);
    expect((await readBootstrapFromDatastore(client(), now as string, { migrate: false }))?.key).toBe(
      bootstrapKey("third-secret"),
    );
    await removeBootstrapToken(client(), "second-secret", "third-secret");
    expect(await keys()).toEqual([bootstrapKey("third-secret")]);
    // Idempotent steps.
    expect(await addBootstrapToken(client(), "second-secret", "third-secret")).toEqual({ created: false });
    expect(await removeBootstrapToken(client(), "second-secret", "third-secret")).toEqual({ deleted: false });
    token = now as string;
  });

  it("never deletes the old key while the new one is missing", async () => {
    await rejects(
      removeBootstrapToken(client(), "third-secret", "never-written"),
      "CLUSTER_BOOTSTRAP_MISSING",
    );
    await rejects(addBootstrapToken(client(), "no-such-old", "x-secret"), "CLUSTER_BOOTSTRAP_MISSING");
    expect(await keys()).toEqual([bootstrapKey("third-secret")]);
  });
});
