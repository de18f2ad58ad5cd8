/**
 * Pre-generate a K3s cluster's CAs and join token in a script, before any server exists, and write
 * them where K3s expects them (`<dataDir>/server/tls`). K3s keeps existing CAs and signs its own
 * leaf certificates with them, so every server seeded this way trusts the same CAs.
 *
 *   npx tsx examples/pregenerate-ca.ts [outDir]
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkCertificates, ensureServerCertificates, formatCertificateCheck, generateClusterSeed } from "k3s-node-kit/certs";
import { parseToken } from "k3s-node-kit/tokens";

// 1. In memory (Pulumi/CDK style): five CAs and a token bound to the server CA's hash.
const seed = generateClusterSeed();
const parsed = parseToken(seed.token);
console.log(`seed: ${seed.files.length} files (${seed.files.filter((f) => f.path.endsWith(".key")).length} keys), token CA hash ${parsed.caHash}`);

// 2. On disk, the full K3s server layout (CAs + every leaf), ready for `k3s server --data-dir`.
const dataDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), "k3s-pki-")));
const report = await ensureServerCertificates({ dataDir, nodeName: "server-1", sans: ["k3s.example.com"] });
console.log(`${dataDir}/server/tls: ${report.created.length} created, ${report.kept.length} kept`);
console.log(await formatCertificateCheck(await checkCertificates(dataDir), "table"));
