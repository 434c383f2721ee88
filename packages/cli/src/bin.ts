#!/usr/bin/env node
/**
 * Entry point of the `synod` command (`bin/synod.js` imports this file).
 *
 * @module
 */
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    // An unexpected failure: one line, not a stack trace (SYNOD_DEBUG=1 shows the stack).
    process.stderr.write(`synod: ${err instanceof Error ? (process.env.SYNOD_DEBUG ? err.stack : err.message) : String(err)}\n`);
    process.exit(1);
  });
