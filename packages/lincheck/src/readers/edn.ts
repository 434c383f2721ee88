import { HistoryError } from "../errors.js";
import type { Value } from "../value.js";

/** An EDN form with the place it starts. */
export interface Located {
  /** The form as a plain value (keywords and symbols become strings without the colon). */
  readonly value: Value;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** True when the form was a map (so op maps can be told from other forms). */
  readonly isMap: boolean;
}

const DELIMITERS = new Set(["(", ")", "[", "]", "{", "}", '"', ";", ","]);

/**
 * A small EDN reader that keeps positions, so that a bad entry is reported as `file:line:col`.
 * Supports nil, booleans, numbers (with `N`/`M` suffixes), strings, characters, keywords,
 * symbols, lists, vectors, sets, maps, tagged literals (the tag is dropped, as in
 * `#jepsen.history.Op{...}` or `#inst "..."`), `#_` discards and comments.
 */
export class EdnReader {
  private pos = 0;
  /** Offsets where lines start, so positions are computed only for forms, not per character. */
  private readonly lineStarts: number[] = [0];

  /** @param text the EDN source; @param file its name, for messages. */
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  /** Reads every top-level form. */
  readAll(): Located[] {
    const forms: Located[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) return forms;
      forms.push(this.read());
    }
  }

  /**
   * Reads the top-level vector or list's elements with their positions. Throws unless the text is
   * exactly one vector or list.
   */
  readElementsOfCollection(): Located[] | undefined {
    this.skip();
    const open = this.text[this.pos];
    if (open !== "[" && open !== "(") return undefined;
    const close = open === "[" ? "]" : ")";
    const start = this.here();
    this.advance();
    const items: Located[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) this.fail(start, `unclosed ${open} opened here`);
      if (this.text[this.pos] === close) {
        this.advance();
        break;
      }
      items.push(this.read());
    }
    this.skip();
    if (this.pos < this.text.length) this.fail(this.here(), "unexpected form after the history's closing bracket");
    return items;
  }

  private here(): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= this.pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: this.pos - this.lineStarts[lo] + 1 };
  }

  private fail(at: { line: number; col: number }, problem: string): never {
    throw new HistoryError(`${this.file}:${at.line}:${at.col}`, problem);
  }

  private advance(): void {
    this.pos++;
  }

  private skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ";") {
        while (this.pos < t.length && t[this.pos] !== "\n") this.advance();
      } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") {
        this.advance();
      } else if (c === "#" && t[this.pos + 1] === "_") {
        this.advance();
        this.advance();
        this.read();
      } else {
        return;
      }
    }
  }

  private read(): Located {
    this.skip();
    const at = this.here();
    if (this.pos >= this.text.length) this.fail(at, "unexpected end of input");
    const c = this.text[this.pos];
    const located = (value: Value, isMap = false): Located => ({ value, line: at.line, col: at.col, isMap });
    switch (c) {
      case "[":
        this.advance();
        return located(this.readSeq("]", at));
      case "(":
        this.advance();
        return located(this.readSeq(")", at));
      case "{":
        this.advance();
        return located(this.readMap(at), true);
      case "#": {
        this.advance();
        if (this.text[this.pos] === "{") {
          this.advance();
          return located(this.readSeq("}", at));
        }
        const tag = this.token();
        if (tag === "") this.fail(at, "expected a tag after #");
        const inner = this.read();
        return { ...inner, line: at.line, col: at.col };
      }
      case '"':
        return located(this.readString(at));
      case "\\": {
        this.advance();
        const name = this.text[this.pos] + this.token(1);
        return located(name.length === 1 ? name : (CHAR_NAMES[name] ?? name));
      }
      case ")":
      case "]":
      case "}":
        return this.fail(at, `unexpected ${c}`);
      default:
        return located(this.atom(this.token(), at));
    }
  }

  private token(skipFirst = 0): string {
    const start = this.pos;
    for (let i = 0; i < skipFirst; i++) this.advance();
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || DELIMITERS.has(c)) break;
      this.advance();
    }
    return this.text.slice(start + skipFirst, this.pos);
  }

  private atom(tok: string, at: { line: number; col: number }): Value {
    if (tok === "nil") return null;
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (tok.startsWith(":")) {
      if (tok.length === 1) this.fail(at, "empty keyword");
      return tok.slice(1);
    }
    if (/^[+-]?\d/.test(tok)) {
      const n = Number(tok.replace(/[NM]$/, ""));
      if (Number.isNaN(n)) {
        const ratio = /^([+-]?\d+)\/(\d+)$/.exec(tok);
        if (ratio) return Number(ratio[1]) / Number(ratio[2]);
        this.fail(at, `malformed number ${JSON.stringify(tok)}`);
      }
      return n;
    }
    if (tok === "") this.fail(at, `unexpected character ${JSON.stringify(this.text[this.pos])}`);
    return tok; // a symbol
  }

  private readSeq(close: string, at: { line: number; col: number }): Value[] {
    const items: Value[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) this.fail(at, `unclosed collection (expected ${close})`);
      const c = this.text[this.pos];
      if (c === close) {
        this.advance();
        return items;
      }
      if (c === ")" || c === "]" || c === "}") this.mismatch(c, close, at);
      items.push(this.read().value);
    }
  }

  private readMap(at: { line: number; col: number }): { [key: string]: Value } {
    const out: { [key: string]: Value } = {};
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) this.fail(at, "unclosed map (expected })");
      const c = this.text[this.pos];
      if (c === "}") {
        this.advance();
        return out;
      }
      if (c === ")" || c === "]") this.mismatch(c, "}", at);
      const key = this.read();
      this.skip();
      if (this.text[this.pos] === "}" || this.pos >= this.text.length) {
        this.fail({ line: key.line, col: key.col }, "map key without a value");
      }
      const value = this.read().value;
      out[typeof key.value === "string" ? key.value : JSON.stringify(key.value)] = value;
    }
  }

  private mismatch(found: string, expected: string, opened: { line: number; col: number }): never {
    return this.fail(this.here(), `unexpected ${found}; expected ${expected} to close the collection opened at ${opened.line}:${opened.col}`);
  }

  private readString(at: { line: number; col: number }): string {
    this.advance();
    let out = "";
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '"') {
        this.advance();
        return out;
      }
      if (c === "\\") {
        this.advance();
        const e = t[this.pos];
        if (e === "u") {
          const hex = t.slice(this.pos + 1, this.pos + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(this.here(), "bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          for (let i = 0; i < 5; i++) this.advance();
          continue;
        }
        out += ESCAPES[e] ?? this.fail(this.here(), `unknown escape \\${e}`);
        this.advance();
        continue;
      }
      // Copy the run up to the next quote or backslash in one slice.
      let end = this.pos + 1;
      while (end < t.length && t.charCodeAt(end) !== 34 && t.charCodeAt(end) !== 92) end++;
      out += t.slice(this.pos, end);
      this.pos = end;
    }
    return this.fail(at, "unterminated string");
  }
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", b: "\b", f: "\f" };
const CHAR_NAMES: Record<string, string> = { newline: "\n", space: " ", tab: "\t", return: "\r" };

/** Parses one EDN value (for `--init` literals and Jepsen log values). */
export function parseEdnValue(text: string, where = "value"): Value {
  const forms = new EdnReader(text, where).readAll();
  if (forms.length !== 1) throw new HistoryError(where, `expected one EDN value, found ${forms.length}`);
  return forms[0].value;
}
