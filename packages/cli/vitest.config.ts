import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The CLI tests spawn `bin/synod.js`, which runs dist/: build it once before any test.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
