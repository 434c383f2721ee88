import { configDefaults, defineConfig } from "vitest/config";

// Conformance tests load the TLA+ spec and run simulations: seconds each, not milliseconds.
// Stryker's sandbox (`pnpm mutate`) is a copy of the package: its tests are not this package's.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000, exclude: [...configDefaults.exclude, ".stryker-tmp/**"] } });
