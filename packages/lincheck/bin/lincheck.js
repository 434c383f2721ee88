#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled package so it can be tested as a function.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error("lincheck: the package is not built yet; run `npx -y pnpm@10 --filter @synod/lincheck build` first");
  // ERROR_SYSTEM in @synod/exit-codes (which is not importable before the build either).
  process.exit(153);
}
const { exitQuietlyOnClosedPipe } = await import("@synod/exit-codes");
exitQuietlyOnClosedPipe();
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
