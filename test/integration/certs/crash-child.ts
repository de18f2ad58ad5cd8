/**
 * Child process for crash.test.ts: runs ensureServerCertificates in a loop with a clock that moves 300 days
 * per iteration (so every leaf is renewed each time) and alternating SANs, printing "done <i>" after each run.
 * The parent SIGKILLs it at random points.
 */
import { ensureServerCertificates } from "../../../src/certs/index.js";

const [dataDir, startIter] = process.argv.slice(2) as [string, string | undefined];
const T0 = Date.parse("2026-01-01T00:00:00Z");
let i = Number(startIter ?? "0");
for (;;) {
  await ensureServerCertificates({
    dataDir,
    nodeName: "crash-node",
    sans: i % 2 ? ["a.example"] : ["b.example"],
    now: new Date(T0 + i * 300 * 86_400_000),
  });
  process.stdout.write(`done ${i}\n`);
  i++;
}
