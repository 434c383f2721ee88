/**
 * The PlusCal parser: from the text after `--algorithm` (or `--fair`) to the algorithm's tree,
 * in P-syntax (`begin ... end algorithm`) and C-syntax (braces). It follows pcal.trans's
 * recursive descent, token for token: expressions are tokenized, not parsed, and the parser
 * looks ahead by peeking at the raw text (to tell `lbl:` from `x :=`, and a macro call from an
 * assignment). After the syntax, macros are expanded, missing labels are added or reported
 * (`labels.ts`), and statement sequences become labelled steps.
 *
 * @module
 */
import {
  Assert, Call, CallGoto, CallReturn, Clause, Goto, LabelEither, LabelIf, Lhs, Macro, MacroCall, Multiprocess, PrintS,
  Procedure, Process, PVarDecl, Return, SF_PROC, SingleAssign, Skip, Uniprocess, UNFAIR_PROC, VarDecl, WF_PROC, When,
  While, With, Assign, type Algorithm, type Fairness, type Stmt,
} from "./ast.js";
import { errorAt, PlusCalError } from "./errors.js";
import { defaultVarInit, Expr } from "./expr.js";
import { checkBody, LabelAdder } from "./labels.js";
import { checkForDuplicateMacros, expandMacrosInStmtSeq } from "./macros.js";
import { versionToNumber, type Flags, type TranslatorOptions } from "./params.js";
import { CharReader } from "./reader.js";
import { algorithmToken, tokenizeExpr, TokenizeError } from "./tokenize.js";

/** A token read ahead: its text and 0-based position. */
interface Ahead {
  text: string;
  line: number;
  col: number;
}

/** Everything the parser learns besides the tree. */
export interface ParseResult {
  ast: Algorithm;
  flags: Flags;
  /** Labels the translator added (name and where), in order. */
  addedLabels: { label: string; line: number; col: number }[];
  /** Warnings pcal.trans would print. */
  warnings: string[];
}

/**
 * Parses the algorithm that `reader` is positioned at (just after `--algorithm`, or after
 * `--fair` when `fair`). `opts` may be updated as pcal.trans does (`--fair` sets weak fairness).
 */
export function parseAlgorithm(reader: CharReader, fair: boolean, opts: TranslatorOptions): ParseResult {
  const parser = new Parser(reader, opts);
  try {
    return parser.algorithm(fair);
  } catch (e) {
    // As pcal.trans: a run-time failure while parsing (malformed input it did not foresee) is
    // reported at the last token read, not as a crash.
    if (e instanceof TypeError || e instanceof RangeError) throw parser.unknownError();
    throw e;
  }
}

class Parser {
  private readonly ahead: Ahead[] = [];
  private lastLine = 0;
  private lastCol = 0;
  private pSyntax = false;
  private cSyntax = false;
  private currentProcedure: string | null = null;
  private plusLabels: string[] = [];
  private minusLabels: string[] = [];
  private proceduresCalled: string[] = [];
  private gotoUsed = false;
  private gotoDoneUsed = false;
  private inGetMacro = false;
  private readonly procedures: Procedure[] = [];
  private readonly flags: Flags;
  private readonly labels: LabelAdder;
  private readonly warnings: string[] = [];

  constructor(
    private readonly reader: CharReader,
    private readonly opts: TranslatorOptions,
  ) {
    const old = opts.version < versionToNumber("1.5");
    this.flags = { omitPC: !old, omitStutteringWhenDone: !old, hasDefaultInitialization: false };
    this.labels = new LabelAdder(opts.labelRoot, this.procedures);
  }

  algorithm(fair: boolean): ParseResult {
    if (fair) {
      const next = this.token();
      if (next !== "algorithm") this.error("`--fair' not followed by `algorithm'");
      this.opts.fairAlgorithm = true;
    }
    const name = this.token();
    if (this.peek(1) === "{") {
      this.cSyntax = true;
      this.must("{");
    } else this.pSyntax = true;
    let decls: VarDecl[] = [];
    if (this.peek(1) === "variable" || this.peek(1) === "variables") decls = this.varDecls();
    let defs = new Expr();
    if (this.peek(1) === "define") {
      this.must("define");
      if (this.cSyntax) this.gobble("{");
      defs = this.expr();
      if (this.pSyntax) {
        this.gobble("end");
        this.gobble("define");
      } else this.gobble("}");
      this.gobble(";");
    }
    const macros: Macro[] = [];
    while (this.peek(1) === "macro") macros.push(this.macro(macros));
    while (this.peek(1) === "procedure") {
      this.procedures.push(this.procedure());
      // A procedure is assumed to be called, so pc is needed.
      this.flags.omitPC = false;
    }
    const isMulti = (this.peek(1) === "fair" && (this.peek(2) === "process" || (this.peek(2) === "+" && this.peek(3) === "process"))) || this.peek(1) === "process";
    const ast = isMulti ? this.multiprocess(name, decls, defs, macros) : this.uniprocess(name, decls, defs, macros, fair);
    return { ast, flags: this.flags, addedLabels: this.labels.added.map((a) => ({ label: a.label, line: a.line, col: a.col })), warnings: this.warnings };
  }

  private multiprocess(name: string, decls: VarDecl[], defs: Expr, macros: Macro[]): Multiprocess {
    const m = new Multiprocess(defs);
    m.name = name;
    m.decls = decls;
    m.macros = macros;
    m.prcds = this.procedures;
    while (this.peek(1) === "fair" || this.peek(1) === "process") {
      let fairness: Fairness = UNFAIR_PROC;
      if (this.peek(1) === "fair") {
        this.must("fair");
        if (this.peek(1) === "+") {
          this.must("+");
          fairness = SF_PROC;
        } else fairness = WF_PROC;
      } else if (this.opts.fairness === "wf") fairness = WF_PROC;
      else if (this.opts.fairness === "sf") fairness = SF_PROC;
      const proc = this.process();
      proc.fairness = fairness;
      m.procs.push(proc);
    }
    if (this.pSyntax) {
      this.gobble("end");
      this.gobble("algorithm");
    } else this.gobble("}");
    checkForDuplicateMacros(m.macros);
    // pcal.trans computes omitStutteringWhenDone per process and keeps it if any process never
    // terminates (its own comment explains the workaround).
    let anyNonTerminating = false;
    for (const proc of m.procs) {
      expandMacrosInStmtSeq(proc.rawBody, m.macros);
      this.labels.add(proc.rawBody, this.currentProcedure);
      proc.body = this.labels.makeLabeledStmtSeq(proc.rawBody, this.currentProcedure);
      this.flags.omitStutteringWhenDone = true;
      checkBody(proc.body, this.flags);
      anyNonTerminating = anyNonTerminating || this.flags.omitStutteringWhenDone;
    }
    this.flags.omitStutteringWhenDone = anyNonTerminating;
    for (const prcd of m.prcds) {
      this.currentProcedure = prcd.name;
      expandMacrosInStmtSeq(prcd.rawBody, m.macros);
      this.labels.add(prcd.rawBody, this.currentProcedure);
      prcd.body = this.labels.makeLabeledStmtSeq(prcd.rawBody, this.currentProcedure);
    }
    if (this.labels.added.length > 0 && !this.opts.label) throw this.labels.missingLabelsError();
    if (this.gotoDoneUsed) {
      this.flags.omitPC = false;
      this.flags.omitStutteringWhenDone = false;
    }
    if (this.gotoUsed) this.flags.omitPC = false;
    return m;
  }

  private uniprocess(name: string, decls: VarDecl[], defs: Expr, macros: Macro[], fair: boolean): Uniprocess {
    const u = new Uniprocess(defs);
    u.name = name;
    u.decls = decls;
    u.macros = macros;
    u.prcds = this.procedures;
    // Version 1.5 allowed "fair" here for a sequential algorithm.
    if (this.opts.version === versionToNumber("1.5") && this.peek(1) === "fair") {
      this.gobble("fair");
      if (this.peek(1) === "+") this.gobble("+");
      this.opts.fairness = "wf";
    }
    if (fair) {
      if (this.opts.fairness !== "" && this.opts.fairness !== "wf" && this.opts.fairness !== "wfNext") {
        this.warnings.push(`Option \`${this.opts.fairness}' specified for --fair algorithm.`);
      }
      this.opts.fairness = "wf";
    }
    this.beginOrLeftBrace();
    const body = this.stmtSeq();
    checkForDuplicateMacros(u.macros);
    expandMacrosInStmtSeq(body, u.macros);
    for (const prcd of u.prcds) {
      this.currentProcedure = prcd.name;
      expandMacrosInStmtSeq(prcd.rawBody, u.macros);
      this.labels.add(prcd.rawBody, this.currentProcedure);
      prcd.body = this.labels.makeLabeledStmtSeq(prcd.rawBody, this.currentProcedure);
    }
    if (this.cSyntax) {
      this.gobble("}");
      this.gobble("}");
    } else {
      this.gobble("end");
      this.gobble("algorithm");
    }
    // As in pcal.trans, currentProcedure still names the last procedure here.
    this.labels.add(body, this.currentProcedure);
    u.body = this.labels.makeLabeledStmtSeq(body, this.currentProcedure);
    if (this.labels.added.length > 0 && this.labels.hasLabel && !this.opts.label) throw this.labels.missingLabelsError();
    if (this.gotoUsed) this.flags.omitPC = false;
    if (this.gotoDoneUsed) {
      this.flags.omitPC = false;
      this.flags.omitStutteringWhenDone = false;
    } else checkBody(u.body, this.flags);
    return u;
  }

  // ---- declarations --------------------------------------------------------------------------

  private procedure(): Procedure {
    const p = new Procedure();
    this.gobble("procedure");
    p.col = this.lastCol;
    p.line = this.lastLine;
    p.name = this.token();
    this.currentProcedure = p.name;
    this.plusLabels = [];
    this.minusLabels = [];
    this.proceduresCalled = [];
    this.gobble("(");
    let comma = false;
    while (this.peek(1) !== ")") {
      if (comma) this.gobble(",");
      p.params.push(this.pvarDecl());
      comma = true;
    }
    this.must(")");
    p.decls = this.peek(1) === "begin" || this.peek(1) === "{" ? [] : this.pvarDecls();
    this.beginOrLeftBrace();
    p.rawBody = this.stmtSeq();
    this.endOrRightBrace("procedure");
    if (this.peek(1) === ";") this.token();
    this.currentProcedure = null;
    p.plusLabels = this.plusLabels;
    p.minusLabels = this.minusLabels;
    p.proceduresCalled = this.proceduresCalled;
    return p;
  }

  private process(): Process {
    this.gobble("process");
    const line = this.lastLine;
    const col = this.lastCol;
    if (this.cSyntax) this.gobble("(");
    const name = this.token();
    const isEq = this.equalOrIn();
    const id = this.expr();
    const p = new Process(id);
    p.line = line;
    p.col = col;
    p.name = name;
    p.isEq = isEq;
    this.plusLabels = [];
    this.minusLabels = [];
    this.proceduresCalled = [];
    if (this.cSyntax) this.gobble(")");
    if (id.tokens.length === 0) this.error("Empty process id at ");
    p.decls = this.peek(1) === "begin" || this.peek(1) === "{" ? [] : this.varDecls();
    this.beginOrLeftBrace();
    p.rawBody = this.stmtSeq();
    this.endOrRightBrace("process");
    if (this.peek(1) === ";") this.token();
    p.plusLabels = this.plusLabels;
    p.minusLabels = this.minusLabels;
    p.proceduresCalled = this.proceduresCalled;
    return p;
  }

  private pvarDecls(): PVarDecl[] {
    if (this.peek(1) === "variables") this.must("variables");
    else this.gobble("variable");
    const out: PVarDecl[] = [];
    while (!(this.peek(1) === "begin" || this.peek(1) === "{")) {
      out.push(this.pvarDecl());
      this.commaOrSemicolon();
    }
    return out;
  }

  private pvarDecl(): PVarDecl {
    const v = this.token();
    const d = new PVarDecl(defaultVarInit());
    d.var = v;
    d.col = this.lastCol;
    d.line = this.lastLine;
    if (this.peek(1) === "=") {
      this.gobble("=");
      d.val = this.expr();
      if (d.val.tokens.length === 0) this.error("Missing expression at ");
    } else this.flags.hasDefaultInitialization = true;
    return d;
  }

  private varDecls(): VarDecl[] {
    if (this.peek(1) === "variables") this.must("variables");
    else this.gobble("variable");
    const out: VarDecl[] = [];
    const ends = ["begin", "{", "procedure", "process", "fair", "define", "macro"];
    while (!ends.includes(this.peek(1))) out.push(this.varDecl());
    return out;
  }

  private varDecl(): VarDecl {
    const v = this.token();
    const d = new VarDecl(defaultVarInit());
    d.var = v;
    d.col = this.lastCol;
    d.line = this.lastLine;
    const next = this.peek(1);
    if (next === "=" || next === "\\in" || next === "\u2208") {
      d.isEq = this.equalOrIn();
      d.val = this.expr();
      if (d.val.tokens.length === 0) this.error("Missing expression at ");
    } else this.flags.hasDefaultInitialization = true;
    this.commaOrSemicolon();
    return d;
  }

  private macro(macros: Macro[]): Macro {
    const m = new Macro();
    this.inGetMacro = true;
    this.must("macro");
    m.col = this.lastCol;
    m.line = this.lastLine;
    m.name = this.token();
    this.gobble("(");
    let comma = false;
    while (this.peek(1) !== ")") {
      if (comma) this.gobble(",");
      m.params.push(this.token());
      comma = true;
    }
    this.must(")");
    this.beginOrLeftBrace();
    m.body = this.stmtSeq();
    this.endOrRightBrace("macro");
    if (this.peek(1) === ";") this.token();
    // A macro may call macros defined before it.
    expandMacrosInStmtSeq(m.body, macros);
    this.inGetMacro = false;
    return m;
  }

  // ---- statements ----------------------------------------------------------------------------

  private label(): { label: string; line: number; col: number } {
    if (!this.isLabelNext()) return { label: "", line: 0, col: 0 };
    const lbl = this.token();
    const at = { label: lbl, line: this.lastLine, col: this.lastCol };
    if (this.inGetMacro) this.error("A label may not appear in a macro.");
    if (lbl === "Done") this.error("Cannot use `Done' as a label.");
    if (lbl === "Error") this.error("Cannot use `Error' as a label.");
    this.gobble(":");
    this.labels.hasLabel = true;
    this.labels.allLabels.add(lbl);
    // A + or - modifier puts the label in the fairness condition, which then needs pc.
    if (this.peek(1) === "+") {
      this.gobble("+");
      this.plusLabels.push(lbl);
      this.flags.omitPC = false;
    } else if (this.peek(1) === "-") {
      this.gobble("-");
      this.minusLabels.push(lbl);
      this.flags.omitPC = false;
    }
    return at;
  }

  private stmtSeq(): Stmt[] {
    const out: Stmt[] = [];
    let tok = this.peek(1);
    while (!((this.pSyntax && (tok === "end" || tok === "else" || tok === "elsif" || tok === "or")) || (this.cSyntax && tok === "}"))) {
      const lbl = this.label();
      if (this.cSyntax && this.peek(1) === "{") out.push(...this.cStmtSeq(lbl.label));
      else {
        const s = this.stmt();
        s.lbl = lbl.label;
        out.push(s);
      }
      tok = this.peek(1);
    }
    if (this.cSyntax && out.length === 0) this.error("Empty statement list");
    return out;
  }

  private stmt(): Stmt {
    switch (this.peek(1)) {
      case "if":
        return this.ifStmt(0);
      case "either":
        return this.either();
      case "with":
        return this.withStmt(0);
      case "when":
        return this.when(true);
      case "await":
        return this.when(false);
      case "print":
        return this.print();
      case "assert":
        return this.assert();
      case "skip":
        return this.skip();
      case "call":
        return this.callOrCallReturnOrCallGoto();
      case "return":
        return this.returnStmt();
      case "goto":
        return this.gotoStmt();
      case "while":
        return this.whileStmt();
    }
    if (this.peekPast(1).charAt(0) === "(") return this.macroCall();
    return this.assign();
  }

  /** A braced C-syntax statement sequence, its first statement labelled `lbl` if given. */
  private cStmtSeq(lbl: string): Stmt[] {
    this.must("{");
    const seq = this.stmtSeq();
    this.gobble("}");
    this.gobble(";");
    if (lbl !== "") {
      if (seq[0]!.lbl !== "") throw errorAt("Duplicate labeling of statement", seq[0]!);
      seq[0]!.lbl = lbl;
    }
    return seq;
  }

  /** One (possibly labelled) C-syntax statement, which may be a braced sequence. */
  private cStmt(): Stmt[] {
    const lbl = this.label();
    if (this.peek(1) === "{") return this.cStmtSeq(lbl.label);
    const s = this.stmt();
    s.lbl = lbl.label;
    return [s];
  }

  /** Whether the next token is a label: `name :` but not `name :=` (pcal.trans peeks at the raw text). */
  private isLabelNext(): boolean {
    const tok = this.peek(1);
    if (["while", "if", "assert", "print", "else", "elsif", "either", "or", "end", "with", "when", "await", "skip", "call", "return", "goto"].includes(tok)) return false;
    const rest = this.reader.peek();
    return !(rest.length === 0 || rest.charAt(0) !== ":" || (rest.length > 1 && rest.charAt(1) === "="));
  }

  private whileStmt(): While {
    this.must("while");
    const line = this.lastLine;
    const col = this.lastCol;
    if (this.cSyntax) this.gobble("(");
    const w = new While(this.expr());
    w.line = line;
    w.col = col;
    if (this.cSyntax) this.gobble(")");
    if (w.test.tokens.length === 0) this.error("Empty while test at ");
    if (this.pSyntax) {
      this.gobble("do");
      w.unlabDo = this.stmtSeq();
      this.gobble("end");
      this.gobble("while");
      this.gobble(";");
    } else w.unlabDo = this.cStmt();
    if (w.unlabDo.length === 0) this.error("Missing body of while statement at");
    w.labDo = [];
    return w;
  }

  private ifStmt(depth: number): LabelIf {
    this.must(depth === 0 ? "if" : "elsif");
    const line = this.lastLine;
    const col = this.lastCol;
    if (this.cSyntax) this.gobble("(");
    const r = new LabelIf(this.expr());
    r.line = line;
    r.col = col;
    if (this.cSyntax) this.gobble(")");
    if (r.test.tokens.length === 0) this.error("Empty if test at ");
    if (this.pSyntax) {
      this.gobble("then");
      r.unlabThen = this.stmtSeq();
    } else r.unlabThen = this.cStmt();
    const next = this.peek(1);
    if (this.pSyntax) {
      if (next === "else") {
        this.must("else");
        r.unlabElse = this.stmtSeq();
      } else if (next === "elsif") r.unlabElse = [this.ifStmt(depth + 1)];
      else if (next === "end") r.unlabElse = [];
      else this.error('Expecting "else", "elsif", or "end"');
      if (depth === 0) {
        this.gobble("end");
        this.gobble("if");
        this.gobble(";");
      }
    } else if (next === "else") {
      this.must("else");
      r.unlabElse = this.cStmt();
    } else r.unlabElse = [];
    // pcal.trans fails (an index error it reports as "Unknown error") on an if with no statement.
    if (r.unlabThen.length === 0 && r.unlabElse.length === 0) throw new PlusCalError("`if' statement with no statement in either branch", line, col);
    return r;
  }

  private either(): LabelEither {
    this.must("either");
    const r = new LabelEither();
    r.col = this.lastCol;
    r.line = this.lastLine;
    let hasOr = false;
    for (;;) {
      const clause = new Clause();
      clause.unlabOr = this.pSyntax ? this.stmtSeq() : this.cStmt();
      if (clause.unlabOr.length === 0) throw errorAt("`either' statement with empty `or' clause", r);
      r.clauses.push(clause);
      if (this.peek(1) !== "or") break;
      this.must("or");
      hasOr = true;
    }
    if (this.pSyntax) {
      this.must("end");
      this.gobble("either");
      this.gobble(";");
    }
    if (!hasOr) throw errorAt("`either' statement has no `or'", r);
    return r;
  }

  /** `with x \in S, y = e do ...`: one With per variable, nested. */
  private withStmt(depth: number): With {
    if (depth === 0) {
      this.gobble("with");
      if (this.cSyntax) this.gobble("(");
    }
    const line = this.lastLine;
    const col = this.lastCol;
    const v = this.token();
    const isEq = this.equalOrIn();
    const w = new With(this.expr());
    w.line = line;
    w.col = col;
    w.var = v;
    w.isEq = isEq;
    // The ";" or "," after the last binding may be left out before "do" or ")".
    if (this.pSyntax || this.peek(1) !== ")") this.commaOrSemicolon();
    if (w.exp.tokens.length === 0) this.error("Empty with expression at ");
    if (this.pSyntax && this.peek(1) === "do") {
      this.gobble("do");
      w.Do = this.stmtSeq();
      this.gobble("end");
      this.gobble("with");
      this.gobble(";");
    } else if (this.cSyntax && this.peek(1) === ")") {
      this.must(")");
      w.Do = this.cStmt();
    } else w.Do = [this.withStmt(depth + 1)];
    if (w.Do.length === 0) throw errorAt("Missing body of with statement", w);
    return w;
  }

  private assign(): Assign {
    const a = new Assign();
    a.col = this.ahead[0]!.col + 1;
    a.line = this.ahead[0]!.line + 1;
    a.ass.push(this.singleAssign());
    while (this.peek(1) === "||" || this.peek(1) === "\u2016") {
      this.token();
      try {
        a.ass.push(this.singleAssign());
      } catch (e) {
        if (!(e instanceof PlusCalError)) throw e;
        this.error("Bad assignment statement at ");
      }
    }
    this.gobble(";");
    return a;
  }

  private singleAssign(): SingleAssign {
    const at = this.ahead[0] ?? { line: this.lastLine - 1, col: this.lastCol - 1 };
    const lhs = this.lhs();
    this.gobble(":=", "\u2254");
    const s = new SingleAssign(lhs, this.expr());
    s.col = at.col + 1;
    s.line = at.line + 1;
    if (s.rhs.tokens.length === 0) this.error("Empty right-hand side of assignment at ");
    return s;
  }

  private lhs(): Lhs {
    const at = this.ahead[0] ?? { line: this.lastLine - 1, col: this.lastCol - 1 };
    const v = this.token();
    const l = new Lhs(this.expr());
    l.var = v;
    l.col = at.col + 1;
    l.line = at.line + 1;
    return l;
  }

  private print(): PrintS {
    this.must("print");
    const line = this.lastLine;
    const col = this.lastCol;
    const p = new PrintS(this.expr());
    p.line = line;
    p.col = col;
    if (p.exp.tokens.length === 0) this.error("Empty expression in print statement at ");
    this.gobble(";");
    return p;
  }

  private assert(): Assert {
    this.must("assert");
    const line = this.lastLine;
    const col = this.lastCol;
    const a = new Assert(this.expr());
    a.line = line;
    a.col = col;
    if (a.exp.tokens.length === 0) this.error("Empty expression in assert statement at ");
    this.gobble(";");
    return a;
  }

  private skip(): Skip {
    const s = new Skip();
    this.must("skip");
    s.col = this.lastCol;
    s.line = this.lastLine;
    this.gobble(";");
    return s;
  }

  private when(isWhen: boolean): When {
    this.must(isWhen ? "when" : "await");
    const line = this.lastLine;
    const col = this.lastCol;
    const w = new When(this.expr());
    w.line = line;
    w.col = col;
    if (w.exp.tokens.length === 0) this.error("Empty expression in when statement at ");
    this.gobble(";");
    return w;
  }

  private call(): Call {
    this.must("call");
    const c = new Call();
    c.col = this.lastCol;
    c.line = this.lastLine;
    c.to = this.token();
    this.gobble("(");
    c.args = this.args("call statement");
    this.gobble(")");
    this.gobble(";");
    if (!this.proceduresCalled.includes(c.to)) this.proceduresCalled.push(c.to);
    return c;
  }

  private args(what: string): Expr[] {
    const out: Expr[] = [];
    let more = this.peekPast(0).charAt(0) !== ")";
    while (more) {
      out.push(this.expr());
      if (out[out.length - 1]!.tokens.length === 0) this.error(`Empty argument in ${what} at `);
      if (this.peek(1) !== ")") this.gobble(",");
      else more = false;
    }
    return out;
  }

  private returnStmt(): Return {
    const r = new Return();
    this.must("return");
    r.col = this.lastCol;
    r.line = this.lastLine;
    r.from = this.currentProcedure;
    this.gobble(";");
    return r;
  }

  private callOrCallReturnOrCallGoto(): Call | CallReturn | CallGoto {
    const c = this.call();
    if (this.peek(1) === "return") {
      this.must("return");
      this.gobble(";");
      const r = new CallReturn();
      r.col = c.col;
      r.line = c.line;
      r.to = c.to;
      r.from = this.currentProcedure;
      r.args = c.args;
      return r;
    }
    if (this.peek(1) === "goto") {
      this.must("goto");
      const r = new CallGoto();
      r.col = c.col;
      r.line = c.line;
      r.to = c.to;
      r.after = this.token();
      r.args = c.args;
      this.gotoUsed = true;
      // pcal.trans tests the called procedure's name here, not the goto's target.
      if (r.to === "Done" || r.to === '"Done"') this.gotoDoneUsed = true;
      this.gobble(";");
      return r;
    }
    return c;
  }

  private gotoStmt(): Goto {
    this.must("goto");
    const g = new Goto();
    g.col = this.lastCol;
    g.line = this.lastLine;
    g.to = this.token();
    this.gotoUsed = true;
    if (g.to === "Done" || g.to === '"Done"') this.gotoDoneUsed = true;
    this.gobble(";");
    return g;
  }

  private macroCall(): MacroCall {
    const m = new MacroCall();
    m.name = this.token();
    m.col = this.lastCol;
    m.line = this.lastLine;
    this.must("(");
    m.args = this.args("macro call");
    this.gobble(")");
    this.gobble(";");
    return m;
  }

  // ---- tokens --------------------------------------------------------------------------------

  /** pcal.trans's report of an unforeseen failure. */
  unknownError(): PlusCalError {
    return new PlusCalError("Unknown error at or before", this.lastLine, this.lastCol);
  }

  private error(msg: string): never {
    throw new PlusCalError(msg.replace(/\s+at\s*$/, "").replace(/\s+$/, ""), this.lastLine, this.lastCol);
  }

  /** The next algorithm token, consumed. */
  private token(): string {
    const a = this.ahead.shift();
    if (a !== undefined) {
      this.lastCol = a.col + 1;
      this.lastLine = a.line + 1;
      return a.text;
    }
    this.reader.peek();
    this.lastCol = this.reader.getColumnNumber() + 1;
    this.lastLine = this.reader.getLineNumber() + 1;
    return this.read().text;
  }

  private read(): { text: string } {
    try {
      return algorithmToken(this.reader);
    } catch (e) {
      throw asPlusCal(e);
    }
  }

  /** The `n`-th token ahead (1: the next), not consumed. */
  private peek(n: number): string {
    while (this.ahead.length < n) {
      if (this.reader.peek() === "\t") {
        const last = this.ahead[this.ahead.length - 1] ?? { line: this.lastLine - 1, col: this.lastCol - 1 };
        throw new PlusCalError("Premature end of file, perhaps because of unclosed comment", last.line + 1, last.col + 1);
      }
      const col = this.reader.getColumnNumber();
      const line = this.reader.getLineNumber();
      this.ahead.push({ text: this.read().text, line, col });
    }
    return this.ahead[n - 1]!.text;
  }

  /** The raw text after the `n`-th token ahead (0: from here), reading tokens as needed. */
  private peekPast(n: number): string {
    if (n < this.ahead.length) throw new Error("PlusCal parser: peekPast behind a token already read ahead");
    while (n > this.ahead.length) {
      const col = this.reader.getColumnNumber();
      const line = this.reader.getLineNumber();
      this.ahead.push({ text: this.read().text, line, col });
    }
    return this.reader.peek();
  }

  /** A TLA+ expression; the token after it becomes the next token ahead. */
  private expr(): Expr {
    if (this.ahead.length !== 0) throw new Error("PlusCal parser: expression read after a look-ahead");
    let r;
    try {
      r = tokenizeExpr(this.reader);
    } catch (e) {
      throw asPlusCal(e);
    }
    this.ahead.push({ text: r.delimiter.text, line: r.delimiter.line, col: r.delimiter.col });
    return r.expr;
  }

  private commaOrSemicolon(): void {
    if (this.peek(1) === ",") this.gobble(",");
    else this.gobble(";");
  }

  private beginOrLeftBrace(): void {
    this.gobble(this.pSyntax ? "begin" : "{");
  }

  private endOrRightBrace(what: string): void {
    if (this.pSyntax) {
      this.gobble("end");
      this.gobble(what);
    } else this.gobble("}");
  }

  /**
   * Consumes `str` (or one of `alternates`). A missing `;` is accepted where it is obviously
   * unneeded (before `end`, `else`, `}`, ...), and reported before a statement keyword.
   */
  private gobble(str: string, ...alternates: string[]): void {
    if (str === ";") {
      const next = this.peek(1);
      if (["end", "begin", "else", "elsif", "or", "do", "macro", "procedure", "process", "fair", "define", "}", "{"].includes(next)) return;
      if (["if", "either", "while", "with", "call", "return", "goto", "print", "assert", "skip"].includes(next)) {
        const a = this.ahead[0]!;
        throw new PlusCalError(`Missing \`;' before \`${next}'`, a.line + 1, a.col + 1);
      }
    }
    const tok = this.token();
    if (tok !== str && !alternates.includes(tok)) this.error(`Expected "${str}" but found "${tok}"`);
  }

  private must(str: string): void {
    const tok = this.token();
    if (tok !== str) this.error(`Expected "${str}" but found "${tok}"`);
  }

  private equalOrIn(): boolean {
    const tok = this.token();
    if (tok === "=") return true;
    if (tok === "\\in" || tok === "\u2208") return false;
    this.error(`Expected "=" or "\\in" but found "${tok}"`);
  }
}

function asPlusCal(e: unknown): unknown {
  if (e instanceof TokenizeError) return new PlusCalError(e.message.replace(/ found at\n.*$/s, " found"), e.line, e.column);
  return e;
}
