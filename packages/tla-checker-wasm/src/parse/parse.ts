/**
 * Parsing a `.tla` file into {@link ModuleAst}s, with syntax errors reported at the first ERROR
 * or MISSING node the grammar produced.
 *
 * @module
 */
import type { Node, Parser } from "web-tree-sitter";
import type { ModuleAst } from "../ast/types.js";
import { TlaError } from "../model.js";
import { Converter } from "./convert.js";
import { getParser } from "./treesitter.js";

/** Parse a file's text; returns its modules (the first is the file's main module). */
export async function parseModules(file: string, source: string): Promise<ModuleAst[]> {
  const parser = await getParser();
  return parseWith(parser, file, source);
}

/** Synchronous variant for callers that already hold the parser. */
export function parseWith(parser: Parser, file: string, source: string): ModuleAst[] {
  const tree = parser.parse(chunked(hidePlusCal(source)));
  if (!tree) throw new TlaError("parse", `could not parse ${file}`);
  try {
    const root = tree.rootNode;
    if (root.hasError) reportSyntaxError(parser, file, source, root);
    const conv = new Converter(file, source);
    conv.collectTokens(root);
    const mods: ModuleAst[] = [];
    for (const c of root.namedChildren) if (c && c.type === "module") mods.push(conv.module(c));
    if (mods.length === 0) throw new TlaError("parse", `no MODULE found in ${file}`, { file, line: 1, column: 1 });
    return mods;
  } finally {
    tree.delete();
  }
}

/** Code units handed to tree-sitter per read (see {@link chunked}). */
const READ_CHUNK = 256;

/**
 * `text` as a read callback for `Parser.parse`, in short pieces. Given a string, web-tree-sitter
 * copies everything from the asked position up to 10 KB into the parser's buffer on every read,
 * and the lexer asks again at almost every token (2,384 reads for the 18.8 KB Raft.tla): a parse
 * cost 86-237 ms there, 9 ms in 256-unit pieces. A piece never ends between the two halves of a
 * surrogate pair.
 */
export function chunked(text: string): (index: number) => string | undefined {
  return (index) => {
    if (index >= text.length) return undefined;
    let end = Math.min(text.length, index + READ_CHUNK);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end++;
    return text.slice(index, end);
  };
}

/**
 * The grammar parses PlusCal inside comments (`(* --algorithm ... *)`) and fails on PlusCal it
 * cannot read; TLC ignores comments. Disarm the markers without changing offsets.
 */
function hidePlusCal(source: string): string {
  if (!source.includes("--algorithm") && !source.includes("--fair")) return source;
  return source
    .split("\n")
    .map((line) =>
      line.replace(/--(algorithm|fair)\b/g, (m, _w: string, offset: number) => {
        const quotes = (line.slice(0, offset).match(/"/g) ?? []).length;
        return quotes % 2 === 0 ? `-~${m.slice(2)}` : m;
      }),
    )
    .join("\n");
}

function firstError(n: Node): Node | null {
  if (n.isError || n.isMissing) {
    // Prefer a more precise error inside a large ERROR node.
    for (const c of n.children) if (c && (c.hasError || c.isMissing)) {
      const inner = firstError(c);
      if (inner) return inner;
    }
    return n;
  }
  for (const c of n.children) if (c && (c.hasError || c.isMissing || c.isError)) {
    const e = firstError(c);
    if (e) return e;
  }
  return null;
}

function reportSyntaxError(parser: Parser, file: string, source: string, root: Node): never {
  let err = firstError(root) ?? root;
  let line = err.startPosition.row + 1;
  let column = err.startPosition.column + 1;
  let text = err.isMissing ? `missing ${err.type}` : `unexpected ${JSON.stringify(err.text.split("\n")[0]!.slice(0, 40))}`;
  // When recovery failed and the whole module is one ERROR node, narrow it down by parsing each
  // top-level unit (a line starting in column 0) on its own.
  if (err.startIndex === 0 || err.endIndex - err.startIndex > 2000) {
    const narrowed = narrow(parser, source);
    if (narrowed) ({ line, column, text } = narrowed);
  }
  throw new TlaError("parse", `syntax error: ${text}`, { file, line, column });
}

function narrow(parser: Parser, source: string): { line: number; column: number; text: string } | null {
  const lines = source.split("\n");
  const starts: number[] = [];
  let inModule = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^-{4,}\s*MODULE/.test(l)) {
      inModule = true;
      continue;
    }
    if (!inModule) continue;
    if (/^={4,}/.test(l)) {
      starts.push(i);
      break;
    }
    if (/^[A-Za-z_(\\]/.test(l) && !/^\\\*/.test(l) && !/^\(\*/.test(l)) starts.push(i);
  }
  for (let u = 0; u + 1 < starts.length; u++) {
    const from = starts[u]!;
    const chunk = lines.slice(from, starts[u + 1]).join("\n");
    const header = "---- MODULE Chunk ----\n";
    const tree = parser.parse(chunked(`${header}${chunk}\n====\n`));
    if (!tree) continue;
    try {
      if (!tree.rootNode.hasError) continue;
      const e = firstError(tree.rootNode) ?? tree.rootNode;
      const row = Math.max(0, e.startPosition.row - 1);
      const useInner = e.startPosition.row >= 1 && e.endIndex - e.startIndex < chunk.length;
      return {
        line: from + 1 + (useInner ? row : 0),
        column: useInner ? e.startPosition.column + 1 : 1,
        text: useInner
          ? e.isMissing
            ? `missing ${e.type}`
            : `unexpected ${JSON.stringify(e.text.split("\n")[0]!.slice(0, 40))}`
          : `cannot parse ${JSON.stringify(lines[from]!.slice(0, 40))}`,
      };
    } finally {
      tree.delete();
    }
  }
  return null;
}
