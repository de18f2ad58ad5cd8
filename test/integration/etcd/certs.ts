/**
 * Test PKI made with openssl until src/certs lands: a P-256 CA, a server/peer cert with
 * SAN IP:127.0.0.1 + DNS:localhost (ServerAuth+ClientAuth, as K3s' etcd leaf certs), and a client
 * cert (ClientAuth, CN etcd-client as in k3s-behaviours §9).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCerts {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

function ossl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/**
 * Signs a P-256 leaf `<name>.crt`/`<name>.key` in `dir` with the test CA there (`ca.crt`/`ca.key`),
 * with `ext` as its openssl extension config. Returns the PEM bytes.
 */
export function signTestLeaf(dir: string, name: string, cn: string, ext: string): { cert: Buffer; key: Buffer } {
  writeFileSync(join(dir, `${name}.ext`), ext);
  ossl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`], dir);
  ossl(["req", "-new", "-key", `${name}.key`, "-subj", `/CN=${cn}`, "-out", `${name}.csr`], dir);
  ossl(
    ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-sha256", "-extfile", `${name}.ext`, "-out", `${name}.crt`],
    dir,
  );
  return { cert: readFileSync(join(dir, `${name}.crt`)), key: readFileSync(join(dir, `${name}.key`)) };
}

export function makeTestCerts(dir: string): TestCerts {
  ossl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"], dir);
  ossl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-sha256",
      "-days",
      "2",
      "-subj",
      "/CN=etcd-server-ca",
      "-out",
      "ca.crt",
    ],
    dir,
  );
  const leaf = (name: string, cn: string, ext: string) => signTestLeaf(dir, name, cn, ext);
  leaf(
    "server",
    "etcd-server",
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  leaf(
    "client",
    "etcd-client",
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
  );
  return {
    dir,
    caFile: join(dir, "ca.crt"),
    certFile: join(dir, "server.crt"),
    keyFile: join(dir, "server.key"),
    clientCertFile: join(dir, "client.crt"),
    clientKeyFile: join(dir, "client.key"),
    ca: readFileSync(join(dir, "ca.crt")),
    clientCert: readFileSync(join(dir, "client.crt")),
    clientKey: readFileSync(join(dir, "client.key")),
  };
}
