/**
 * Loading the tree-sitter-tlaplus WebAssembly grammar once per thread.
 *
 * @module
 */
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";

let parserPromise: Promise<Parser> | undefined;

/** The shared parser for this thread (each worker thread loads its own). */
export function getParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      await Parser.init();
      const require = createRequire(import.meta.url);
      const wasmPath = require.resolve("@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm");
      const language = await Language.load(wasmPath);
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
  }
  return parserPromise;
}
