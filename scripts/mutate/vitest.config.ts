import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The conformance set of `pnpm mutate`: only verify-checks.test.ts, found beside this file while
// the root stays the sandbox Stryker runs in. A check of a mutant that loops is cut by Stryker's
// own timeout; this one only bounds a check of the correct build.
export default defineConfig({
  test: {
    dir: fileURLToPath(new URL(".", import.meta.url)),
    include: ["verify-checks.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
