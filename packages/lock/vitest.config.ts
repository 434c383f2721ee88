import { defineConfig } from "vitest/config";

// Conformance tests load the TLA+ spec and run simulations: seconds each, not milliseconds.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
