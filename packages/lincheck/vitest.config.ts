import { defineConfig } from "vitest/config";

// CI machines are shared and slow (2 cores); property tests and the browser launch need room.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
