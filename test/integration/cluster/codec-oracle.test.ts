/**
 * The bootstrap codec against a Go oracle that does what K3s's encrypt.go / bootstrap.go do: keys, the exact
 * plaintext bytes of a real data dir, and encrypted values both ways (SDK → Go, Go → SDK), old format too.
 */
import { spawnSync } from "node:child_process";
import { mkdir, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCertificates } from "../../../src/certs/index.js";
import {
  GO_ZERO_TIME,
  type BootstrapData,
  bootstrapKey,
  bootstrapKeyForPassphrase,
  decodeBootstrap,
  encodeBootstrap,
  encodeBootstrapData,
  encryptBootstrapValue,
  parseRfc3339,
  readBootstrapFromDisk,
  writeBootstrapToDisk,
} from "../../../src/cluster/index.js";
import { isKitError } from "../../../src/errors/index.js";
import { generateServerToken } from "../../../src/tokens/index.js";
import { tempDir } from "../../helpers/tmp.js";
import { buildBootstrapOracle, oracle } from "./go-oracle.js";

let dir: string;
let cleanup: () => Promise<void>;
let bin: string;
let token: string;
const password = "s3cr3t-pässword:with-colon";
const dataDir = () => join(dir, "k3s");

interface GoLoad {
  format: string;
  files: Record<string, { Timestamp: string; Content: string | null }>;
}

const asGo = (data: BootstrapData) =>
  Object.fromEntries(
    Object.entries(data).map(([k, f]) => [
      k,
      { Timestamp: f.timestamp, Content: f.content.toString("base64") },
    ]),
  );

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("k3s-kit-cluster-"));
  bin = buildBootstrapOracle();
  await ensureServerCertificates({ dataDir: dataDir(), nodeName: "server-1" });
  token = (await generateServerToken({ dataDir: dataDir(), token: password })).token;
  const cred = join(dataDir(), "server", "cred");
  await writeFile(join(cred, "ipsec.psk"), `${"ab".repeat(48)}\n`, { mode: 0o600 });
  await writeFile(join(cred, "encryption-config.json"), '{"kind":"EncryptionConfiguration"}', {
    mode: 0o600,
  });
  await writeFile(join(cred, "encryption-state.json"), '{"stage":"start"}', { mode: 0o600 });
  // An mtime with a whole-second value (Go then prints no fraction) next to nanosecond ones.
  await utimes(join(cred, "ipsec.psk"), 1_700_000_000, 1_700_000_000);
}, 120_000);
afterAll(() => cleanup?.());

describe("bootstrap keys", () => {
  it("equal Go's storageKey for passphrases and normalised tokens", () => {
    for (const p of ["", "abc", password, "K10deadbeef::server:x", "日本語"]) {
      expect(bootstrapKeyForPassphrase(p)).toBe(oracle(bin, ["key", p]));
    }
    expect(bootstrapKey(token)).toBe(oracle(bin, ["key", password]));
    expect(bootstrapKey(password)).toBe(oracle(bin, ["key", password]));
  });
});

describe("plaintext", () => {
  it("is byte-for-byte Go's ReadFromDisk JSON of a real data dir, with and without secrets encryption", async () => {
    for (const secretsEncryption of [false, true]) {
      const data = await readBootstrapFromDisk({ dataDir: dataDir(), secretsEncryption });
      expect(Object.keys(data).length).toBe(secretsEncryption ? 15 : 13);
      const go = oracle(bin, ["plain", dataDir(), ...(secretsEncryption ? ["enc"] : [])]);
      expect(encodeBootstrapData(data).toString("utf8")).toBe(go);
    }
    const data = await readBootstrapFromDisk({ dataDir: dataDir() });
    expect(data.IPSECKey?.timestamp).toBe("2023-11-14T22:13:20Z");
  });
});

describe("SDK → Go", () => {
  it("Go decrypts and reads what the SDK encrypted (current format)", async () => {
    const data = await readBootstrapFromDisk({ dataDir: dataDir(), secretsEncryption: true });
    const { key, value } = encodeBootstrap(token, data);
    expect(key).toBe(oracle(bin, ["key", password]));
    const out = JSON.parse(oracle(bin, ["load", password], value)) as GoLoad;
    expect(out.format).toBe("files");
    expect(out.files).toEqual(asGo(data));
  });

  it("Go reads the old map[string][]byte format the SDK encrypted, as K3s migrates it", async () => {
    const data = await readBootstrapFromDisk({ dataDir: dataDir() });
    const legacy = JSON.stringify(
      Object.fromEntries(Object.entries(data).map(([k, f]) => [k, f.content.toString("base64")])),
    );
    const value = encryptBootstrapValue(password, Buffer.from(legacy));
    const out = JSON.parse(oracle(bin, ["load", password], value)) as GoLoad;
    expect(out.format).toBe("legacy");
    for (const [k, f] of Object.entries(data)) {
      expect(out.files[k]).toEqual({ Timestamp: GO_ZERO_TIME, Content: f.content.toString("base64") });
    }
  });

  it("Go's WriteToDiskFromStorage of an SDK value gives the same files and mtimes (seconds)", async () => {
    const data = await readBootstrapFromDisk({ dataDir: dataDir() });
    const { value } = encodeBootstrap(token, data);
    const target = join(dir, "go-written");
    oracle(bin, ["write", password, target], value);
    const back = await readBootstrapFromDisk({ dataDir: target });
    expect(Object.keys(back).sort()).toEqual(Object.keys(data).sort());
    for (const [k, f] of Object.entries(data)) {
      expect(back[k]?.content.equals(f.content)).toBe(true);
      expect(back[k]?.timestamp.slice(0, 19)).toBe(f.timestamp.slice(0, 19));
    }
  });

  it("Go refuses an SDK value under another passphrase", () => {
    const { value } = encodeBootstrap(token, {
      ServerCA: { timestamp: GO_ZERO_TIME, content: Buffer.from("x") },
    });
    const r = spawnSync(bin, ["load", "wrong"], { input: value });
    expect(r.status).toBe(1);
    expect(r.stderr.toString()).toMatch(/message authentication failed/);
  });
});

describe("Go → SDK", () => {
  it("the SDK decrypts and reads what Go encrypted (current format)", async () => {
    const value = oracle(bin, ["save", password, dataDir(), "enc"]);
    const { data, format } = decodeBootstrap(token, value);
    expect(format).toBe("files");
    const disk = await readBootstrapFromDisk({ dataDir: dataDir(), secretsEncryption: true });
    expect(asGo(data)).toEqual(asGo(disk));
    // Go wrote local-time RFC 3339 (TZ=UTC here): the SDK keeps the text exactly.
    const st = await stat(join(dataDir(), "server", "tls", "server-ca.crt"), { bigint: true });
    expect(data.ServerCA?.timestamp).toBe(disk.ServerCA?.timestamp);
    expect(st.mtimeNs).toBeGreaterThan(0n);
  });

  it("the SDK reads Go's old map[string][]byte format with Go's zero time", async () => {
    const value = oracle(bin, ["legacy", password, dataDir()]);
    const { data, format } = decodeBootstrap(token, value);
    expect(format).toBe("legacy");
    const disk = await readBootstrapFromDisk({ dataDir: dataDir() });
    expect(Object.keys(data).sort()).toEqual(Object.keys(disk).sort());
    for (const [k, f] of Object.entries(disk)) {
      expect(data[k]?.content.equals(f.content)).toBe(true);
      expect(data[k]?.timestamp).toBe(GO_ZERO_TIME);
    }
  });

  it("reads Go values written with a non-UTC zone offset", async () => {
    const value = spawnSync(bin, ["save", password, dataDir()], {
      env: { ...process.env, TZ: "Asia/Tokyo" },
    }).stdout.toString();
    const { data } = decodeBootstrap(token, value);
    expect(data.ServerCA?.timestamp).toMatch(/\+09:00$/);
    const target = join(dir, "sdk-written");
    await mkdir(target, { recursive: true });
    await writeBootstrapToDisk({ dataDir: target }, data);
    const disk = await readBootstrapFromDisk({ dataDir: dataDir() });
    const back = await readBootstrapFromDisk({ dataDir: target });
    for (const k of Object.keys(disk)) {
      expect(back[k]?.content.equals(disk[k]?.content as Buffer)).toBe(true);
      // Same instant, now printed in UTC; utimes takes a double, so within 2 µs.
      const skew = parseRfc3339(back[k]?.timestamp as string) - parseRfc3339(disk[k]?.timestamp as string);
      expect([k, skew < 2000n && skew > -2000n, String(skew)]).toEqual([k, true, String(skew)]);
    }
  });

  it("the SDK refuses a Go value under another token with CLUSTER_BOOTSTRAP_DECRYPT", () => {
    const value = oracle(bin, ["save", password, dataDir()]);
    try {
      decodeBootstrap("another-token", value);
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, "CLUSTER_BOOTSTRAP_DECRYPT")).toBe(true);
      expect(JSON.stringify((e as { value: unknown }).value)).not.toContain("another-token");
    }
  });
});
