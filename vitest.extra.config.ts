import { defineConfig } from "vitest/config";

/** Extra checks that need data from outside the repository; never part of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/extra/**/*.check.ts"],
    testTimeout: 60_000,
  },
});
