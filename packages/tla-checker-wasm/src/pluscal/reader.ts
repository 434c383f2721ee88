/**
 * A character stream over the module's lines, read one code point at a time, as pcal.trans's
 * parser reads an algorithm: `\n` at the end of each line, `\t` (9) once the input is exhausted.
 * Lines and columns count from 0; a column is a count of code points.
 *
 * @module
 */

/** End of input, as pcal.trans signals it. */
export const EOF = 9;
/** End of a line. */
export const NL = 10;

/** A position-keeping, backspace-able reader of the lines of a module. */
export class CharReader {
  private current: number[] | null = null;
  /** Line of the next character (0-based). */
  line: number;
  private column: number;
  private vcolumn = 0;
  private tabToSpaces = false;

  /**
   * Reads `lines` from (`firstLine`, `firstCol`) up to (`lastLine`, `lastCol`) exclusive.
   * Tabs should already have been expanded (see `removeTabs`); they are expanded again here
   * for safety.
   */
  constructor(
    private readonly lines: readonly string[],
    firstLine: number,
    firstCol: number,
    private readonly lastLine: number,
    private readonly lastCol: number,
  ) {
    this.line = firstLine;
    this.column = firstCol;
    if (firstLine < lines.length) {
      const ln = lines[firstLine]!;
      for (let i = 0; i < firstCol; i++) this.vcolumn = ln[i] === "\t" ? (Math.floor(this.vcolumn / 8) + 1) * 8 : this.vcolumn + 1;
      this.current = codePoints(ln);
    }
  }

  /** Line of the next character. */
  getLineNumber(): number {
    return this.line;
  }

  /** Column (tabs expanded) of the next character. */
  getColumnNumber(): number {
    return this.vcolumn;
  }

  /** The next character: a code point, {@link NL} at the end of a line, {@link EOF} at the end. */
  getNextChar(): number {
    if (this.current === null) return EOF;
    if (this.tabToSpaces) {
      this.vcolumn++;
      if (this.vcolumn % 8 === 0) this.tabToSpaces = false;
      return 32;
    }
    if (this.line > this.lastLine || (this.line === this.lastLine && this.column >= this.lastCol)) return EOF;
    if (this.current.length === this.column) {
      this.line++;
      this.column = 0;
      this.vcolumn = 0;
      this.current = this.line >= this.lines.length ? null : codePoints(this.lines[this.line]!);
      return NL;
    }
    const c = this.current[this.column]!;
    this.column++;
    this.vcolumn++;
    if (c === 9) {
      if (this.vcolumn % 8 !== 0) this.tabToSpaces = true;
      return 32;
    }
    return c;
  }

  /** Moves back one character (not over a tab). */
  backspace(): void {
    if (this.column === 0) {
      if (this.line === 0) throw new Error("PlusCal reader: backspace before the beginning of the input");
      this.line--;
      this.current = codePoints(this.lines[this.line]!);
      this.column = 0;
      this.vcolumn = 0;
      while (this.column < this.current.length - 1) this.getNextChar();
    } else {
      this.column--;
      this.vcolumn--;
    }
  }

  /**
   * Skips spaces and line ends and returns the rest of the line from the next non-space
   * character, with a final `\n`; `"\t"` at the end of the input. The reader is left at that
   * character.
   */
  peek(): string {
    let next = this.getNextChar();
    while (next === 32 || next === NL) next = this.getNextChar();
    if (next === EOF) return "\t";
    this.backspace();
    return `${String.fromCodePoint(...this.current!.slice(this.column))}\n`;
  }
}

/** The code points of `s`. */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}
