/**
 * Loading the tree-sitter-tlaplus WebAssembly grammar once per thread.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Language, Parser } from "web-tree-sitter";

/**
 * The grammar's WebAssembly: the copy the build puts in dist/grammar (what an installed package
 * has), else the grammar package itself (sources run by the test runner in a checkout).
 */
function grammarPath(): string {
  const shipped = fileURLToPath(new URL("../grammar/tree-sitter-tlaplus.wasm", import.meta.url));
  if (existsSync(shipped)) return shipped;
  return createRequire(import.meta.url).resolve("@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm");
}

let parserPromise: Promise<Parser> | undefined;

/** The shared parser for this thread (each worker thread loads its own). */
export function getParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      await Parser.init();
      const language = await Language.load(grammarPath());
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
  }
  return parserPromise;
}
