import { createSecureServer, type Http2SecureServer } from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTestLeaf } from "./certs.js";
import { type TestEnv, testEnv } from "./cluster.js";
import { createEtcdClient } from "./imports.js";

/**
 * The client sends a placeholder TLS server name for IP endpoints (Node forbids IP SNI) but must
 * still check the server certificate against the IP. A plain HTTP/2 TLS server stands in for etcd.
 */
let env: TestEnv;
const servers: Http2SecureServer[] = [];

function leafWithSan(dir: string, name: string, san: string): { cert: Buffer; key: Buffer } {
  return signTestLeaf(dir, name, name, `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
}

async function serve(cert: Buffer, key: Buffer): Promise<number> {
  const srv = createSecureServer({ cert, key, allowHTTP1: false }, (_req, res) => {
    // Not gRPC: answers every call with an HTTP error, which is fine once TLS has succeeded.
    res.writeHead(404);
    res.end();
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const a = srv.address();
  return typeof a === "object" && a ? a.port : 0;
}

beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await env?.cleanup();
});

describe("TLS identity for IP endpoints", () => {
  it("accepts a certificate with SAN IP:127.0.0.1 and rejects one without it", async () => {
    const good = leafWithSan(env.certs.dir, "good", "IP:127.0.0.1");
    const bad = leafWithSan(env.certs.dir, "bad", "DNS:elsewhere.example,IP:10.9.9.9");
    const goodPort = await serve(good.cert, good.key);
    const badPort = await serve(bad.cert, bad.key);
    const tls = { ca: env.certs.ca, cert: env.certs.clientCert, key: env.certs.clientKey };
    const okClient = createEtcdClient({
      endpoints: [`https://127.0.0.1:${goodPort}`],
      tls,
      deadlineMs: 1500,
    });
    const badClient = createEtcdClient({
      endpoints: [`https://127.0.0.1:${badPort}`],
      tls,
      deadlineMs: 1500,
    });
    try {
      const e1 = (await okClient.get("k").catch((e: unknown) => e)) as { code: string };
      // TLS worked: the failure is the non-gRPC answer, not a connection failure.
      expect(["ETCD_UNAVAILABLE", "ETCD_DEADLINE_EXCEEDED"]).not.toContain(e1.code);
      const e2 = (await badClient.get("k").catch((e: unknown) => e)) as { code: string };
      expect(["ETCD_UNAVAILABLE", "ETCD_DEADLINE_EXCEEDED"]).toContain(e2.code);
    } finally {
      okClient.close();
      badClient.close();
    }
  });
});
