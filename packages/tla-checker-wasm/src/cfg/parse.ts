/**
 * TLC's model configuration (`.cfg`) reader.
 *
 * @module
 */
import { TlaError, type SourceLocation } from "../model.js";

/** A value written in a cfg. */
export type CfgValue =
  | { k: "int"; v: number }
  | { k: "str"; v: string }
  | { k: "bool"; v: boolean }
  | { k: "mv"; name: string }
  | { k: "set"; elems: CfgValue[] }
  | { k: "tuple"; elems: CfgValue[] };

/** A name in the cfg with where it was written. */
export interface CfgName {
  name: string;
  loc: SourceLocation;
}

/** One CONSTANT entry. */
export type CfgConstant =
  /** `X = v`, or `X = [M]v`: the definition X of module M (every instance of it) is the value v. */
  | { k: "value"; name: string; value: CfgValue; module: string | null; loc: SourceLocation }
  /** `X <- Op`, or `X <- [M]Op`: X of module M means the root module's Op. */
  | { k: "subst"; name: string; op: string; module: string | null; loc: SourceLocation };

/** A parsed cfg. */
export interface Cfg {
  file: string;
  constants: CfgConstant[];
  init: CfgName | null;
  next: CfgName | null;
  specification: CfgName | null;
  invariants: CfgName[];
  properties: CfgName[];
  constraints: CfgName[];
  actionConstraints: CfgName[];
  symmetry: CfgName | null;
  view: CfgName | null;
  alias: CfgName | null;
  /** POSTCONDITION: constant-level predicates checked once after a search that found no error. */
  postconditions: CfgName[];
  checkDeadlock: boolean | null;
}

interface Tok {
  /** `op`: an operator symbol (`++`, `\\o`), a name in substitutions but never a value. */
  t: "id" | "num" | "str" | "sym" | "op";
  v: string;
  line: number;
  col: number;
}

function tokenize(file: string, src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const adv = (n: number): void => {
    for (let j = 0; j < n; j++) {
      if (src[i] === "\n") {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\n") {
      adv(1);
      continue;
    }
    if (src.startsWith("\\*", i)) {
      while (i < src.length && src[i] !== "\n") adv(1);
      continue;
    }
    if (src.startsWith("(*", i)) {
      let depth = 0;
      const sl = line;
      const sc = col;
      do {
        if (src.startsWith("(*", i)) {
          depth++;
          adv(2);
        } else if (src.startsWith("*)", i)) {
          depth--;
          adv(2);
        } else if (i >= src.length) {
          throw new TlaError("cfg", "unterminated comment", { file, line: sl, column: sc });
        } else adv(1);
      } while (depth > 0);
      continue;
    }
    const start = { line, col };
    if (/[A-Za-z0-9_]/.test(ch)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      const word = src.slice(i, j);
      toks.push({ t: /^[0-9]+$/.test(word) ? "num" : "id", v: word, ...start });
      adv(j - i);
      continue;
    }
    if (ch === "-" && /[0-9]/.test(src[i + 1] ?? "")) {
      let j = i + 1;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      toks.push({ t: "num", v: src.slice(i, j), ...start });
      adv(j - i);
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let out = "";
      while (j < src.length && src[j] !== '"') {
        if (src[j] === "\\" && j + 1 < src.length) {
          const e = src[j + 1]!;
          out += e === "n" ? "\n" : e === "t" ? "\t" : e;
          j += 2;
        } else out += src[j++];
      }
      if (j >= src.length) throw new TlaError("cfg", "unterminated string", { file, line, column: col });
      toks.push({ t: "str", v: out, ...start });
      adv(j + 1 - i);
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "<-" || two === "<<" || two === ">>") {
      toks.push({ t: "sym", v: two, ...start });
      adv(2);
      continue;
    }
    if ("={}[],".includes(ch)) {
      toks.push({ t: "sym", v: ch, ...start });
      adv(1);
      continue;
    }
    // Operator symbols, as TLC's cfg names them in substitutions (`++ <- PlusPlus`,
    // `Plus <- +`, `\o <- +`): a backslash word, or a run of symbol characters.
    if (ch === "\\" && /[a-z]/.test(src[i + 1] ?? "")) {
      let j = i + 1;
      while (j < src.length && /[a-z]/.test(src[j]!)) j++;
      toks.push({ t: "op", v: src.slice(i, j), ...start });
      adv(j - i);
      continue;
    }
    if (OPERATOR_CHARS.includes(ch) && ch !== "!") {
      let j = i;
      while (j < src.length && OPERATOR_CHARS.includes(src[j]!)) j++;
      toks.push({ t: "op", v: src.slice(i, j), ...start });
      adv(j - i);
      continue;
    }
    const prev = toks[toks.length - 1];
    if (ch === "!" && prev?.t === "id") {
      // TLC reads `C!Spec` as the three names `C`, `!`, `Spec`; say what to write instead.
      const op = /^[A-Za-z0-9_]*/.exec(src.slice(i + 1))![0] || "Op";
      const alias = `${prev.v}${op}`;
      throw new TlaError(
        "cfg",
        `${prev.v}!${op}: a cfg names definitions of the spec, not operators of an instance (TLC does not accept it either); define ${alias} == ${prev.v}!${op} in the module and write ${alias} here`,
        { file, line: prev.line, column: prev.col },
      );
    }
    throw new TlaError("cfg", `unexpected character ${JSON.stringify(ch)}`, { file, line, column: col });
  }
  return toks;
}

/** Characters of infix, prefix and postfix operator symbols (`++`, `-|`, `^^`, `(+)` aside). */
const OPERATOR_CHARS = "+-*/%^&|<>.:@#$?~=!";

const KEYWORDS = new Set([
  "CONSTANT", "CONSTANTS", "INIT", "NEXT", "SPECIFICATION", "INVARIANT", "INVARIANTS", "PROPERTY",
  "PROPERTIES", "CONSTRAINT", "CONSTRAINTS", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "SYMMETRY",
  "VIEW", "CHECK_DEADLOCK", "ALIAS", "POSTCONDITION",
]);

/** Parse a cfg's text. Errors name `file:line:col`. */
export function parseCfg(file: string, src: string): Cfg {
  const toks = tokenize(file, src);
  const cfg: Cfg = {
    file,
    constants: [],
    init: null,
    next: null,
    specification: null,
    invariants: [],
    properties: [],
    constraints: [],
    actionConstraints: [],
    symmetry: null,
    view: null,
    alias: null,
    postconditions: [],
    checkDeadlock: null,
  };
  let p = 0;
  const loc = (t: Tok): SourceLocation => ({ file, line: t.line, column: t.col });
  const fail = (t: Tok | undefined, msg: string): never => {
    const at = t ?? toks[toks.length - 1];
    throw new TlaError("cfg", msg, at ? loc(at) : { file, line: 1, column: 1 });
  };
  const peek = (): Tok | undefined => toks[p];
  const isKeyword = (t: Tok | undefined): boolean => !!t && t.t === "id" && KEYWORDS.has(t.v);
  const name = (): CfgName => {
    const t = toks[p];
    if (!t || (t.t !== "id" && t.t !== "op") || KEYWORDS.has(t.v)) return fail(t, t ? `expected a name, found ${JSON.stringify(t.v)}` : "expected a name at end of file");
    p++;
    return { name: t.v, loc: loc(t) };
  };
  const names = (): CfgName[] => {
    const out: CfgName[] = [];
    while (peek() && !isKeyword(peek())) out.push(name());
    return out;
  };
  const value = (): CfgValue => {
    const t = toks[p];
    if (!t) return fail(t, "expected a value at end of file");
    p++;
    if (t.t === "num") return { k: "int", v: Number(t.v) };
    if (t.t === "str") return { k: "str", v: t.v };
    if (t.t === "op") return fail(t, `unexpected character ${JSON.stringify(t.v[0])}`);
    if (t.t === "id") {
      if (t.v === "TRUE" || t.v === "FALSE") return { k: "bool", v: t.v === "TRUE" };
      return { k: "mv", name: t.v };
    }
    if (t.v === "{" || t.v === "<<") {
      const close = t.v === "{" ? "}" : ">>";
      const elems: CfgValue[] = [];
      if (peek()?.v === close) {
        p++;
        return t.v === "{" ? { k: "set", elems } : { k: "tuple", elems };
      }
      for (;;) {
        elems.push(value());
        const sep = toks[p++];
        if (sep?.v === close) break;
        if (sep?.v !== ",") return fail(sep, `expected "," or "${close}" in ${t.v === "{" ? "a set" : "a tuple"}`);
      }
      return t.v === "{" ? { k: "set", elems } : { k: "tuple", elems };
    }
    return fail(t, `expected a value, found ${JSON.stringify(t.v)}`);
  };
  const single = (kw: Tok, current: CfgName | null): CfgName => {
    if (current) fail(kw, `${kw.v} is given twice`);
    return name();
  };
  while (p < toks.length) {
    const kw = toks[p]!;
    if (!isKeyword(kw)) fail(kw, `expected a cfg keyword (CONSTANT, INIT, NEXT, SPECIFICATION, INVARIANT, ...), found ${JSON.stringify(kw.v)}`);
    p++;
    switch (kw.v) {
      case "CONSTANT":
      case "CONSTANTS":
        while (peek() && !isKeyword(peek())) {
          const n = name();
          const op = toks[p];
          // `[M]` before the right side scopes the entry to module M (TLC's module overrides).
          const scope = (): string | null => {
            if (peek()?.v !== "[") return null;
            p++;
            const module = name().name;
            if (toks[p++]?.v !== "]") fail(toks[p - 1], 'expected "]" after the module name');
            return module;
          };
          if (op?.v === "=") {
            p++;
            const module = scope();
            cfg.constants.push({ k: "value", name: n.name, value: value(), module, loc: n.loc });
          } else if (op?.v === "<-") {
            p++;
            const module = scope();
            cfg.constants.push({ k: "subst", name: n.name, op: name().name, module, loc: n.loc });
          } else fail(op, `expected "=" or "<-" after the constant ${n.name}`);
        }
        break;
      case "INIT":
        cfg.init = single(kw, cfg.init);
        break;
      case "NEXT":
        cfg.next = single(kw, cfg.next);
        break;
      case "SPECIFICATION":
        cfg.specification = single(kw, cfg.specification);
        break;
      case "INVARIANT":
      case "INVARIANTS":
        cfg.invariants.push(...names());
        break;
      case "PROPERTY":
      case "PROPERTIES":
        cfg.properties.push(...names());
        break;
      case "CONSTRAINT":
      case "CONSTRAINTS":
        cfg.constraints.push(...names());
        break;
      case "ACTION_CONSTRAINT":
      case "ACTION_CONSTRAINTS":
        cfg.actionConstraints.push(...names());
        break;
      case "SYMMETRY":
        cfg.symmetry = single(kw, cfg.symmetry);
        break;
      case "VIEW":
        cfg.view = single(kw, cfg.view);
        break;
      case "ALIAS":
        cfg.alias = single(kw, cfg.alias);
        break;
      case "POSTCONDITION":
        cfg.postconditions.push(...names());
        break;
      case "CHECK_DEADLOCK": {
        const t = toks[p++];
        if (!t || (t.v !== "TRUE" && t.v !== "FALSE")) fail(t, "CHECK_DEADLOCK expects TRUE or FALSE");
        cfg.checkDeadlock = t!.v === "TRUE";
        break;
      }
      default:
        fail(kw, `unexpected ${kw.v}`);
    }
  }
  if (cfg.specification && (cfg.init || cfg.next)) {
    throw new TlaError("cfg", "give either SPECIFICATION or INIT/NEXT, not both", cfg.specification.loc);
  }
  return cfg;
}
