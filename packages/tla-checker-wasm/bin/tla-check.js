#!/usr/bin/env node
// tla-check: model-check a TLA+ spec. The implementation is in dist/ (run the package's build).
import { exitQuietlyOnClosedPipe } from "@synod/exit-codes";
import { main } from "../dist/cli/main.js";

exitQuietlyOnClosedPipe();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tla-check: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
