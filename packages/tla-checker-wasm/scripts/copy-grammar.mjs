// Copy the tree-sitter-tlaplus grammar (its WebAssembly build and licence) into dist/grammar, so the
// published package carries the grammar itself and installs without the grammar package, whose
// install script builds a native binding this checker never uses.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const wasm = require.resolve("@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm");
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "grammar");
mkdirSync(out, { recursive: true });
copyFileSync(wasm, join(out, "tree-sitter-tlaplus.wasm"));
copyFileSync(join(dirname(wasm), "LICENSE"), join(out, "LICENSE"));
