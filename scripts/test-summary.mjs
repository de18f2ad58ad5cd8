// Reads vitest's JSON report and prints the closing line CI reads: "N passed, N failed".
import { readFileSync } from "node:fs";
const file = process.argv[2] ?? "test-results.json";
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.log(`test report ${file} unreadable: ${e.message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
let failed = report.numFailedTests ?? 0;
// A test file that failed to load has no failed tests but a failed suite: count it.
const brokenFiles = (report.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
failed += brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
for (const r of report.testResults ?? []) {
  for (const a of r.assertionResults ?? []) if (a.status === "failed") console.log(`FAILED: ${a.fullName}`);
  if (r.status === "failed" && (r.assertionResults ?? []).length === 0) console.log(`FAILED FILE: ${r.name}: ${(r.message ?? "").slice(0, 500)}`);
}
console.log(skipped ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
