/**
 * TLA+ expressions as pcal.trans keeps them: lines of tokens with columns, never parsed. The
 * translation rewrites them (primes, `[self]` subscripts, macro arguments, renamings) while
 * keeping each line's indentation relative to its "anchor" (the `/\` or `\/`, or first token,
 * above it), so that a multi-line conjunction in the algorithm is still aligned in the
 * translation. The rules, including their quirks, are pcal.trans's: the translation must be
 * textually the same.
 *
 * @module
 */

/**
 * Token types; `added` marks a `pc` or `stack` the translator inserted (they get `[self]`), and
 * `none` is the untyped `defaultInitValue` pcal.trans puts in a declaration without a value
 * (neither primed nor renamed).
 */
export type TokenType = "builtin" | "number" | "string" | "ident" | "added" | "none";

/** One token: its text (a string token without its quotes) and its column in the expression. */
export class Token {
  constructor(
    public string: string,
    public column: number,
    public type: TokenType,
    /** Set on tokens appended by the translator (`self` subscripts); kept for parity. */
    public appended = false,
  ) {}

  /** A copy (the translator clones before it rewrites). */
  clone(): Token {
    return new Token(this.string, this.column, this.type, this.appended);
  }

  /** Width in the output: a string token has its quotes. */
  width(): number {
    return this.type === "string" ? this.string.length + 2 : this.string.length;
  }
}

/** A position in an expression: line index and token index, from 0. */
export interface Coord {
  one: number;
  two: number;
}

/** Thrown when a rewrite would move an anchor left (pcal.trans reports the same). */
export class ExprError extends Error {}

/** An expression: lines of tokens, plus each line's anchor token and the anchor's column at normalization. */
export class Expr {
  anchorTokens: (Token | null)[] = [];
  anchorTokCol: number[] = [];

  constructor(public tokens: Token[][] = []) {}

  /** A normalized one-line expression made of `toks`. */
  static line(toks: Token[]): Expr {
    const e = new Expr([toks]);
    e.normalize();
    return e;
  }

  addToken(tok: Token): void {
    this.tokens[this.tokens.length - 1]!.push(tok);
  }

  /** Appends `tok`, `offset` columns after the last token of the last line. */
  addTokenOffset(tok: Token, offset: number): void {
    const last = this.tokens[this.tokens.length - 1]!;
    let col = offset;
    if (last.length > 0) {
      const t = last[last.length - 1]!;
      col += t.column + t.string.length;
    }
    tok.column = col;
    last.push(tok);
  }

  addLine(): void {
    this.tokens.push([]);
  }

  isEmpty(): boolean {
    return this.tokens.length === 0;
  }

  isOneToken(): boolean {
    return this.tokens.length === 1 && this.tokens[0]!.length === 1;
  }

  firstToken(): Token {
    return this.tokens[0]![0]!;
  }

  lastToken(): Token {
    const line = this.tokens[this.tokens.length - 1]!;
    return line[line.length - 1]!;
  }

  /**
   * Drops empty leading and trailing lines, shifts the columns so the leftmost line starts at
   * 0, and records each line's anchor: on the nearest line above starting at or left of it,
   * the last token at or left of its first column.
   */
  normalize(): void {
    while (this.tokens.length > 0 && this.tokens[0]!.length === 0) this.tokens.shift();
    while (this.tokens.length > 0 && this.tokens[this.tokens.length - 1]!.length === 0) this.tokens.pop();
    let minCol = 999999;
    for (const line of this.tokens) if (line.length > 0 && line[0]!.column < minCol) minCol = line[0]!.column;
    for (const line of this.tokens) for (const t of line) t.column -= minCol;
    this.anchorTokens = new Array<Token | null>(this.tokens.length).fill(null);
    this.anchorTokCol = new Array<number>(this.tokens.length).fill(0);
    for (let i = 0; i < this.tokens.length; i++) {
      const cur = this.tokens[i]!;
      if (cur.length === 0) continue;
      const first = cur[0]!.column;
      for (let j = i - 1; j >= 0; j--) {
        const anc = this.tokens[j]!;
        if (anc.length > 0 && anc[0]!.column <= first) {
          let k = 0;
          while (k + 1 < anc.length && anc[k + 1]!.column <= first) k++;
          this.anchorTokens[i] = anc[k]!;
          this.anchorTokCol[i] = anc[k]!.column;
          break;
        }
      }
    }
  }

  /** After tokens were inserted: moves each line right by as much as its anchor moved. */
  renormalize(): void {
    for (let i = 0; i < this.tokens.length; i++) {
      const anchor = this.anchorTokens[i];
      if (!anchor) continue;
      const k = anchor.column - this.anchorTokCol[i]!;
      this.anchorTokCol[i] = anchor.column;
      if (k < 0) throw new ExprError("TLAExpr.renormalize() found anchor has moved to left.");
      for (const t of this.tokens[i]!) t.column += k;
    }
  }

  /** The expression's text, one string per line, indentation kept relative to the anchors. */
  toStringVector(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.tokens.length; i++) {
      const line = this.tokens[i]!;
      const anchor = this.anchorTokens[i];
      let s = anchor ? spaces(anchor.column - this.anchorTokCol[i]!) : "";
      let last: Token | null = null;
      for (let j = 0; j < line.length; j++) {
        const t = line[j]!;
        s += j === 0 ? spaces(t.column) : spaces(t.column - last!.column - last!.width());
        s += t.type === "string" ? `"${t.string}"` : t.string;
        last = t;
      }
      out.push(s);
    }
    return out;
  }

  /** pcal.trans's rendering in its AST (what `chksum(pcal)` covers): a TLA+ sequence of token strings. */
  toString(): string {
    let result = "<< ";
    let nonempty = false;
    for (let i = 0; i < this.tokens.length; i++) {
      if (i > 0) result += "\n";
      for (const t of this.tokens[i]!) {
        if (nonempty) result += ", ";
        nonempty = true;
        if (t.type === "string") result += `"\\"", "${t.string}", "\\""`;
        else if (t.string === "\\/") result += `"(col${t.column}) \\\\/"`;
        else if (t.string.charAt(0) === "\\") result += `"\\${t.string}"`;
        else if (t.string === "/\\") result += `"(col${t.column}) /\\\\"`;
        else result += `"${t.string}"`;
      }
    }
    return `${result} >>`;
  }

  /** A copy with cloned tokens, normalized. */
  cloneAndNormalize(): Expr {
    const e = new Expr(this.tokens.map((line) => line.map((t) => t.clone())));
    e.normalize();
    return e;
  }

  /** Puts `expr` in front of this expression, `gap` spaces before the first token. */
  prepend(expr: Expr, gap: number): void {
    let i = 0;
    while (i < expr.tokens.length - 1) {
      this.tokens.splice(i, 0, expr.tokens[i]!);
      i++;
    }
    const exprLine = expr.tokens[i]!;
    const thisLine = this.tokens[i]!;
    const lastTok = exprLine[exprLine.length - 1]!;
    const incr = lastTok.column + lastTok.width() + gap;
    for (const t of thisLine) t.column += incr;
    thisLine.splice(0, 0, ...exprLine);
    const n = this.tokens.length;
    const newToks = new Array<Token | null>(n).fill(null);
    const newCols = new Array<number>(n).fill(0);
    let j = 0;
    while (j < expr.tokens.length) {
      newToks[j] = expr.anchorTokens[j] ?? null;
      newCols[j] = expr.anchorTokCol[j] ?? 0;
      j++;
    }
    while (j < n) {
      newToks[j] = this.anchorTokens[j - expr.tokens.length + 1] ?? null;
      newCols[j] = this.anchorTokCol[j - expr.tokens.length + 1] ?? 0;
      j++;
    }
    this.anchorTokens = newToks;
    this.anchorTokCol = newCols;
    this.renormalize();
  }

  /**
   * Substitutes `exprs[i]` for every identifier occurrence of `strs[i]`, simultaneously.
   * With `parenthesize`, a multi-token substitute is put in parentheses (unless this
   * expression is the single token being replaced).
   */
  substituteForAll(exprs: readonly Expr[], strs: readonly string[], parenthesize = true): void {
    const next: (Coord | null)[] = strs.map((s) => this.findNextInstanceIn(s, { one: 0, two: 0 }));
    for (;;) {
      let pos: Coord | null = null;
      let idx = -1;
      for (let i = 0; i < next.length; i++) {
        const p = next[i];
        if (!p) continue;
        if (pos === null || p.one < pos.one || (p.one === pos.one && p.two < pos.two)) {
          pos = p;
          idx = i;
        }
      }
      if (pos === null) return;
      const after = this.stepCoord(pos, 1);
      const newPos = this.substituteAt(exprs[idx]!, pos, parenthesize);
      next[idx] = newPos === null ? null : this.findNextInstanceIn(strs[idx]!, newPos);
      for (let i = 0; i < next.length; i++) {
        const n = next[i];
        if (i === idx || !n) continue;
        if (newPos === null || after === null) throw new ExprError("Doing substitutions in wrong order.");
        if (after.one === newPos.one) {
          if (n.one === pos.one) n.two += newPos.two - after.two;
        } else if (n.one === pos.one) {
          n.one += newPos.one - after.one;
          n.two += newPos.two - after.two;
        } else {
          n.one += newPos.one - after.one;
        }
      }
    }
  }

  /**
   * Replaces the token at `coord` by `expr`; returns the position just after the inserted
   * tokens, or null when the replaced token was the last one.
   */
  substituteAt(expr: Expr, coord: Coord, par: boolean): Coord | null {
    const tok = this.tokenAt(coord);
    if (this.isOneToken()) {
      const cloned = expr.cloneAndNormalize();
      this.tokens = cloned.tokens;
      this.anchorTokens = cloned.anchorTokens;
      this.anchorTokCol = cloned.anchorTokCol;
      return null;
    }
    const tokLine = this.tokens[coord.one]!;
    let gap = 0;
    if (coord.two + 1 < tokLine.length) gap = tokLine[coord.two + 1]!.column - (tok.column + tok.width());
    const restOfLine = tokLine.splice(coord.two + 1);
    let curLine = coord.one;
    let line = this.tokens[curLine]!;
    if (expr.tokens.length === 1 && expr.tokens[0]!.length === 1) {
      const etok = expr.tokens[0]![0]!;
      tok.string = etok.string;
      tok.type = etok.type;
    } else {
      let indent = (par ? 1 : 0) + tok.column;
      let doInsert = true;
      if (par) {
        tok.string = "(";
        tok.type = "builtin";
        doInsert = false;
      }
      const newExpr = expr.cloneAndNormalize();
      for (let i = 0; i < newExpr.tokens.length; i++) {
        for (const nt of newExpr.tokens[i]!) {
          nt.column += indent;
          if (doInsert) {
            tok.string = nt.string;
            tok.type = nt.type;
            doInsert = false;
          } else line.push(nt);
        }
        if (i + 1 < newExpr.tokens.length) {
          indent = 0;
          curLine++;
          this.tokens.splice(curLine, 0, []);
          line = this.tokens[curLine]!;
          this.anchorTokens.splice(curLine, 0, newExpr.anchorTokens[i + 1] ?? null);
          this.anchorTokCol.splice(curLine, 0, newExpr.anchorTokCol[i + 1] ?? 0);
        }
      }
      if (par) {
        const last = line[line.length - 1]!;
        line.push(new Token(")", last.column + last.width(), "builtin"));
      }
    }
    const result: Coord = { one: curLine, two: line.length - 1 };
    if (restOfLine.length > 0) {
      const prev = line[line.length - 1]!;
      const shift = prev.column + prev.width() + gap - restOfLine[0]!.column;
      for (const old of restOfLine) {
        old.column += shift;
        line.push(old);
      }
    }
    this.renormalize();
    return this.stepCoord(result, 1);
  }

  /**
   * The first identifier occurrence of `id` at or after `start`, skipping strings and record
   * field names (after `.`, and `x` in `[x |->`, `[x :`, `, x |->`, `, x :`).
   */
  findNextInstanceIn(id: string, start: Coord): Coord | null {
    let result: Coord | null = this.isEmpty() ? null : { one: start.one, two: start.two };
    while (result !== null) {
      const tok = this.tokenAt(result);
      if (tok.type === "string") result = this.stepCoord(result, 1);
      else if (tok.string === ".") result = this.stepCoord(result, 2);
      else if ((tok.string === "[" || tok.string === ",") && this.isFieldName(result)) result = this.stepCoord(result, 3);
      else if (tok.string === id) return result;
      else result = this.stepCoord(result, 1);
    }
    return null;
  }

  private isFieldName(at: Coord): boolean {
    const two = this.stepCoord(at, 2);
    if (two === null) return false;
    const t = this.tokenAt(two);
    return t.type !== "string" && (t.string === ":" || t.string === "|->" || t.string === "\u21A6");
  }

  tokenAt(c: Coord): Token {
    return this.tokens[c.one]![c.two]!;
  }

  /** The position `incr` tokens after `coord`, or null past the end. */
  stepCoord(coord: Coord, incr: number): Coord | null {
    let line = this.tokens[coord.one]!;
    const result = { one: coord.one, two: coord.two };
    for (let i = 0; i < incr; i++) {
      result.two++;
      if (line.length === result.two) {
        result.two = 0;
        result.one++;
        while (result.one < this.tokens.length && this.tokens[result.one]!.length === 0) result.one++;
        if (result.one === this.tokens.length) return null;
        line = this.tokens[result.one]!;
      }
    }
    return result;
  }
}

/** A string of `n` spaces (none for n <= 0). */
export function spaces(n: number): string {
  return n > 0 ? " ".repeat(n) : "";
}

/** pcal.trans's initial value of a variable declared without one. */
export function defaultVarInit(): Expr {
  return Expr.line([new Token("defaultInitValue", 0, "none")]);
}
