/**
 * The tokenizer of the PlusCal parser (pcal.trans's, itself TLATeX's): it reads either one
 * algorithm token, or a whole TLA+ expression up to the first token that cannot belong to it.
 * PlusCal never parses its expressions; an expression ends at `;`, `:=`, `||`, `then`, `do`,
 * `begin`, a statement keyword (`if`, `goto`, `end`, ...), or a `,` `)` `}` outside brackets
 * (a `,` inside `\A x, y \in S :` does not count). That token is the delimiter, returned to the
 * parser as its next token.
 *
 * @module
 */
import { Expr, Token, type TokenType } from "./expr.js";
import { CharReader, EOF, NL } from "./reader.js";
import { builtInKind, isBuiltInPrefix, isDigit, isLetter, isSpace, isStringChar } from "./symbols.js";

/** A lexical error; the position is 1-based, in the module's lines. */
export class TokenizeError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** The token that followed an expression (or the single token read), with its 0-based position. */
export interface Delimiter {
  text: string;
  line: number;
  col: number;
}

const DELIMITERS = new Set([
  ";", "do", "then", ":=", "\u2254", "begin", "variable", "variables", "||", "\u2016",
  "end", "else", "elsif", "if", "either", "or", "while", "with", "call", "return", "goto", "print", "assert",
  "skip", "procedure", "define", "process", "fair",
]);

type State =
  | "start" | "id" | "numOrId" | "bs" | "num" | "numOrBi" | "bsBuiltIn" | "builtIn"
  | "dash1" | "dash2" | "dash3" | "dashes" | "eq1" | "eq2" | "eq3" | "eqs" | "leftParen"
  | "string" | "escString" | "lineComment" | "lineComParen" | "lineComStar"
  | "comment" | "commentStar" | "commentParen" | "orComment" | "orCommentParen" | "orCommentStar" | "done";

type OutType = TokenType | "dashes" | "endModule";

/** One tokenizing run (an expression or a single token) over `reader`. */
class Run {
  private token = "";
  private col: number;
  private ncol: number;
  private nextChar: number;
  private state: State = "start";
  private exprEnd = false;
  private parenDepth = 0;
  private inQuantifier = false;
  private cdepth = 0;
  private prevToken = " ";
  private linev: Token[] = [];
  private readonly vspec: Token[][] = [];
  delimiter: Delimiter = { text: "", line: 0, col: 0 };

  constructor(
    private readonly reader: CharReader,
    private readonly isExpr: boolean,
  ) {
    this.ncol = reader.getColumnNumber();
    this.col = this.ncol;
    this.nextChar = reader.getNextChar();
  }

  private skip(): void {
    this.ncol = this.reader.getColumnNumber();
    this.nextChar = this.reader.getNextChar();
  }

  private add(): void {
    this.token += String.fromCodePoint(this.nextChar);
    this.skip();
  }

  private gotoStart(): void {
    this.state = "start";
    this.col = this.ncol;
  }

  private startNewLine(): void {
    this.vspec.push(this.linev);
    this.linev = [];
    this.col = 0;
  }

  private error(msg: string): never {
    throw new TokenizeError(`${msg} \`${this.token}' found at\n    line ${this.reader.getLineNumber() + 1}, column ${this.col + 1}`, this.reader.getLineNumber() + 1, this.col + 1);
  }

  private setDelimiter(): void {
    this.exprEnd = true;
    let line = this.reader.getLineNumber();
    if (this.nextChar === NL) line--;
    this.delimiter = { text: this.token, line, col: this.col };
  }

  private out(type: OutType): void {
    if (!this.isExpr) {
      this.setDelimiter();
      this.token = "";
      return;
    }
    if (type !== "builtin" && type !== "number" && type !== "string" && type !== "ident") this.error("Illegal token in an expression");
    const tok = this.token;
    const ends =
      type !== "string" &&
      ((DELIMITERS.has(tok) && !(type === "ident" && (this.prevToken === "." || this.prevToken === "[" || this.prevToken === ","))) ||
        (((tok === "," && !this.inQuantifier) || tok === ")" || tok === "}") && this.parenDepth === 0));
    if (ends) {
      if (this.parenDepth !== 0) this.error("Expression with an unmatched (, [, {, or << followed by");
      if (this.inQuantifier) this.error("Expression with \\A or \\E but no following `:` followed by");
      this.setDelimiter();
      if (this.linev.length > 0) this.startNewLine();
      return;
    }
    if (type === "builtin") {
      const kind = builtInKind(tok);
      if (kind === "open") this.parenDepth++;
      if (kind === "close") {
        this.parenDepth--;
        if (this.parenDepth < 0) this.error("Extra (unmatching)");
      }
    }
    this.prevToken = type === "string" ? " " : tok;
    if ((tok === "\\A" || tok === "\u2200" || tok === "\\E" || tok === "\u2203") && this.parenDepth === 0) this.inQuantifier = true;
    if (this.inQuantifier && tok === ":" && this.parenDepth === 0) this.inQuantifier = false;
    if (tok !== "" || type === "string") this.linev.push(new Token(tok, this.col, type));
    this.token = "";
  }

  private commentOut(): void {
    this.token = "";
  }

  run(): Expr {
    while (this.state !== "done" && !this.exprEnd) this.step();
    if (this.nextChar !== NL) this.reader.backspace();
    const e = new Expr(this.vspec);
    e.normalize();
    return e;
  }

  private step(): void {
    const c = this.nextChar;
    switch (this.state) {
      case "start":
        if (isSpace(c)) {
          this.skip();
          this.gotoStart();
        } else if (isLetter(c)) {
          this.add();
          this.state = "id";
        } else if (c === 0x2115 || c === 0x2124 || c === 0x211d) {
          this.add();
          this.out("ident");
          this.gotoStart();
        } else if (isDigit(c)) {
          this.add();
          this.state = "numOrId";
        } else if (c === 92) {
          this.add();
          this.state = "bs";
        } else if (c === 45) {
          this.add();
          this.state = "dash1";
        } else if (c === 61) {
          this.add();
          this.state = "eq1";
        } else if (c === 40) {
          this.skip();
          this.state = "leftParen";
        } else if (c === 34) {
          this.skip();
          this.state = "string";
        } else if (c === NL) {
          this.skip();
          this.startNewLine();
          this.gotoStart();
        } else if (isBuiltInPrefix(String.fromCodePoint(c))) {
          this.add();
          this.state = "builtIn";
        } else if (c === EOF) {
          this.state = "done";
        } else {
          this.add();
          this.error("Illegal lexeme");
        }
        return;
      case "id":
        if (this.token.length === 3 && (this.token === "WF_" || this.token === "SF_")) {
          this.out("builtin");
          this.gotoStart();
        } else if (isLetter(c) || isDigit(c)) {
          this.add();
        } else {
          this.out(builtInKind(this.token) !== undefined ? "builtin" : "ident");
          this.gotoStart();
        }
        return;
      case "numOrId":
        if (isDigit(c)) this.add();
        else if (isLetter(c)) {
          this.add();
          this.state = "id";
        } else {
          this.out("number");
          this.gotoStart();
        }
        return;
      case "bs":
        if (c === 98 || c === 66 || c === 111 || c === 79 || c === 104 || c === 72) {
          this.add();
          this.state = "numOrBi";
        } else if (isLetter(c)) this.state = "bsBuiltIn";
        else if (c === 42) {
          this.skip();
          this.token = "";
          this.state = "lineComment";
        } else this.state = "builtIn";
        return;
      case "numOrBi":
        this.state = isDigit(c) ? "num" : "bsBuiltIn";
        return;
      case "num":
        if (isDigit(c)) this.add();
        else if (isLetter(c)) {
          this.add();
          if (this.token.charAt(0) === "\\") this.error("Illegal lexeme");
          this.state = "id";
        } else {
          this.out("number");
          this.gotoStart();
        }
        return;
      case "bsBuiltIn":
        if (isLetter(c) && c !== 95) this.add();
        else if (builtInKind(this.token) !== undefined) {
          this.out("builtin");
          this.gotoStart();
        } else this.error("Illegal lexeme ");
        return;
      case "builtIn":
        if (isBuiltInPrefix(this.token + String.fromCodePoint(c))) this.add();
        else {
          if (builtInKind(this.token) === undefined) {
            // Read too far (e.g. "(+" that is no symbol): give back characters to the longest symbol.
            this.reader.backspace();
            while (builtInKind(this.token) === undefined) {
              this.reader.backspace();
              if (this.token.length === 0) this.error("Illegal lexeme");
              this.token = this.token.slice(0, -1);
            }
            this.skip();
          }
          this.out("builtin");
          this.gotoStart();
        }
        return;
      case "dash1":
        if (c === 45) {
          this.add();
          this.state = "dash2";
        } else this.state = "builtIn";
        return;
      case "dash2":
        if (c === 45) {
          this.add();
          this.state = "dash3";
        } else this.state = "builtIn";
        return;
      case "dash3":
        if (c === 45) {
          this.add();
          this.state = "dashes";
        } else this.error("Illegal lexeme");
        return;
      case "dashes":
        if (c === 45) this.add();
        else {
          this.out("dashes");
          this.gotoStart();
        }
        return;
      case "eq1":
        if (c === 61) {
          this.add();
          this.state = "eq2";
        } else this.state = "builtIn";
        return;
      case "eq2":
        if (c === 61) {
          this.add();
          this.state = "eq3";
        } else this.state = "builtIn";
        return;
      case "eq3":
        if (c === 61) {
          this.add();
          this.state = "eqs";
        } else this.error("Illegal lexeme");
        return;
      case "eqs":
        if (c === 61) this.add();
        else {
          this.out("endModule");
          this.gotoStart();
        }
        return;
      case "leftParen":
        if (c === 42) {
          this.skip();
          this.cdepth = 1;
          this.state = "comment";
        } else {
          this.token = "(";
          this.state = "builtIn";
        }
        return;
      case "string":
        if (c === 92) {
          this.add();
          this.state = "escString";
        } else if (c === 34) {
          this.skip();
          this.out("string");
          this.gotoStart();
        } else if (c !== EOF && c !== NL && isStringChar(String.fromCodePoint(c))) this.add();
        else {
          if (c !== EOF) this.add();
          this.error("Illegal character in string");
        }
        return;
      case "escString":
        if (c === 34 || c === 92 || c === 116 || c === 110 || c === 102 || c === 114) {
          this.add();
          this.state = "string";
        } else {
          if (c !== EOF) this.add();
          this.error("Illegal character following \\ in string");
        }
        return;
      case "lineComment":
        if (c === 40) {
          this.skip();
          this.state = "lineComParen";
        } else if (c === 42 && this.cdepth > 0) {
          this.skip();
          this.state = "lineComStar";
        } else if (c === NL || c === EOF) {
          this.commentOut();
          this.cdepth = 0;
          this.gotoStart();
        } else if (this.cdepth === 0) this.add();
        else this.skip();
        return;
      case "lineComParen":
        if (c === 42) {
          this.skip();
          this.cdepth++;
        } else if (this.cdepth === 0) this.token += "(";
        this.state = "lineComment";
        return;
      case "lineComStar":
        if (c === 41) {
          this.skip();
          this.cdepth--;
        } else if (this.cdepth === 0) this.token += "*";
        this.state = "lineComment";
        return;
      case "comment":
      case "orComment": {
        const or = this.state === "orComment";
        if (c === 42) {
          this.skip();
          this.state = or ? "orCommentStar" : "commentStar";
        } else if (c === 40) {
          this.skip();
          this.state = or ? "orCommentParen" : "commentParen";
        } else if (c === NL) {
          this.commentOut();
          this.skip();
          this.startNewLine();
          this.state = "orComment";
        } else if (c === EOF) {
          throw new TokenizeError(or ? "Input ended in the middle of a multi-line comment" : "Input ended in the middle of a comment", this.reader.getLineNumber() + 1, this.col + 1);
        } else if (this.cdepth === 1) this.add();
        else this.skip();
        return;
      }
      case "commentStar":
      case "orCommentStar": {
        const back = this.state === "orCommentStar" ? "orComment" : "comment";
        if (c === 41) {
          this.skip();
          this.cdepth--;
          if (this.cdepth === 0) {
            this.commentOut();
            this.gotoStart();
          } else this.state = back;
        } else {
          if (this.cdepth === 1) this.token += "*";
          this.state = back;
        }
        return;
      }
      case "commentParen":
      case "orCommentParen": {
        const back = this.state === "orCommentParen" ? "orComment" : "comment";
        if (c === 42) {
          this.skip();
          this.cdepth++;
        } else if (this.cdepth === 1) this.token += "(";
        this.state = back;
        return;
      }
      case "done":
        return;
    }
  }
}

/** Reads an expression; returns it with the token that followed it. */
export function tokenizeExpr(reader: CharReader): { expr: Expr; delimiter: Delimiter } {
  const run = new Run(reader, true);
  const expr = run.run();
  return { expr, delimiter: run.delimiter };
}

/** Reads one algorithm token (empty text at the end of the input). */
export function algorithmToken(reader: CharReader): Delimiter {
  const run = new Run(reader, false);
  run.run();
  return run.delimiter;
}
