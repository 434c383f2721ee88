// The parser reads the source through `chunked` (short pieces, see src/parse/parse.ts): the
// pieces must join to the text, never split a surrogate pair, and tokens longer than a piece
// or lying across piece boundaries must come out whole.
import { describe, expect, it } from "vitest";
import { chunked, parseModules } from "../../src/parse/parse.js";

/** Everything `chunked` hands out, read the way tree-sitter does: from where the last piece ended. */
function readAll(text: string): string[] {
  const read = chunked(text);
  const pieces: string[] = [];
  for (let at = 0, piece = read(at); piece !== undefined; piece = read(at)) {
    pieces.push(piece);
    at += piece.length;
  }
  return pieces;
}

describe("chunked parser input", () => {
  it("hands out pieces that join to the text, and nothing past its end", () => {
    const text = "x".repeat(1000);
    const pieces = readAll(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(chunked(text)(1000)).toBeUndefined();
    expect(chunked(text)(990)).toBe("x".repeat(10));
  });

  it("never ends a piece between the halves of a surrogate pair", () => {
    // U+1D4AF (two code units) placed across every possible piece boundary.
    for (let at = 250; at < 260; at++) {
      const text = `${"a".repeat(at)}\u{1D4AF}${"b".repeat(300)}`;
      const pieces = readAll(text);
      expect(pieces.join("")).toBe(text);
      for (const p of pieces) {
        const last = p.charCodeAt(p.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }
    }
  });

  it("parses tokens longer than a piece and across piece boundaries whole", async () => {
    const long = "y".repeat(700);
    const pad = "\\* padding\n".repeat(23); // puts the names below across the 256-unit boundaries
    const text = `---- MODULE Chunks ----\n(* \u{1D4AF} in a comment *)\n${pad}VARIABLE ${long}\nLongName == "${"s".repeat(600)}"\n====\n`;
    const [mod] = await parseModules("Chunks.tla", text);
    const units = mod!.units as unknown as Array<{ k: string; names?: string[]; name?: string; body?: { k: string; v?: unknown } }>;
    const vars = units.find((u) => u.k === "variables");
    expect(vars?.names).toEqual([long]);
    const op = units.find((u) => u.k === "op" && u.name === "LongName");
    expect(JSON.stringify(op?.body)).toContain("s".repeat(600));
  });
});
