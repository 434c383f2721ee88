/**
 * The PlusCal syntax tree, shaped as pcal.trans's (its `AST` classes): the translator's phases
 * (label insertion, renaming, exploding into labelled steps) share and mutate these nodes the
 * way pcal.trans does, which matters twice: for the translation's text, and for `chksum(pcal)`,
 * the CRC-32 of {@link astToString} of the whole tree after translation.
 *
 * Positions (`line`, `col`) are 1-based in the module's lines (tabs expanded), 0 when unknown.
 *
 * @module
 */
import { type Expr } from "./expr.js";

/** Fields every node has. */
abstract class Base {
  line = 0;
  col = 0;
  /** Where the macro call was, for a statement produced by expanding one (-1: not from a macro). */
  macroLine = -1;
  macroCol = 0;
  /** The statement's label while parsing ("" when none). */
  lbl = "";
  /** Why a label was added here, when the translator added it (for error messages). */
  labelReason: string | undefined;

  /** pcal.trans's location text: `line L, column C` (and the macro call it came from). */
  location(): string {
    return this.macroLine < 0 ? `line ${this.line}, column ${this.col}` : `line ${this.line}, column ${this.col} of macro called at line ${this.macroLine}, column ${this.macroCol}`;
  }
}

export class VarDecl extends Base {
  readonly kind = "varDecl";
  var = "";
  isEq = true;
  constructor(public val: Expr) {
    super();
  }
}

/** A procedure parameter or local variable (always `=`). */
export class PVarDecl extends Base {
  readonly kind = "pvarDecl";
  var = "";
  constructor(public val: Expr) {
    super();
  }
  toVarDecl(): VarDecl {
    const d = new VarDecl(this.val);
    d.var = this.var;
    d.isEq = true;
    return d;
  }
}

export class LabeledStmt extends Base {
  readonly kind = "labeledStmt";
  label = "";
  stmts: Stmt[] = [];
}

export class While extends Base {
  readonly kind = "while";
  unlabDo: Stmt[] = [];
  labDo: LabeledStmt[] = [];
  constructor(public test: Expr) {
    super();
  }
}

export class Lhs extends Base {
  readonly kind = "lhs";
  var = "";
  constructor(public sub: Expr) {
    super();
  }
}

export class SingleAssign extends Base {
  readonly kind = "singleAssign";
  constructor(
    public lhs: Lhs,
    public rhs: Expr,
  ) {
    super();
  }
}

export class Assign extends Base {
  readonly kind = "assign";
  ass: SingleAssign[] = [];
}

export class If extends Base {
  readonly kind = "if";
  Then: Stmt[] = [];
  Else: Stmt[] = [];
  constructor(public test: Expr) {
    super();
  }
}

export class Either extends Base {
  readonly kind = "either";
  ors: Stmt[][] = [];
}

export class With extends Base {
  readonly kind = "with";
  var = "";
  isEq = true;
  Do: Stmt[] = [];
  constructor(public exp: Expr) {
    super();
  }
}

export class When extends Base {
  readonly kind = "when";
  constructor(public exp: Expr) {
    super();
  }
}

export class PrintS extends Base {
  readonly kind = "print";
  constructor(public exp: Expr) {
    super();
  }
}

export class Assert extends Base {
  readonly kind = "assert";
  constructor(public exp: Expr) {
    super();
  }
}

export class Skip extends Base {
  readonly kind = "skip";
}

/** An `if` with a label inside (or, while parsing, any `if`). */
export class LabelIf extends Base {
  readonly kind = "labelIf";
  unlabThen: Stmt[] = [];
  labThen: LabeledStmt[] = [];
  unlabElse: Stmt[] = [];
  labElse: LabeledStmt[] = [];
  constructor(public test: Expr) {
    super();
  }
}

export class Clause extends Base {
  readonly kind = "clause";
  unlabOr: Stmt[] = [];
  labOr: LabeledStmt[] = [];
}

/** An `either` with a label inside (or, while parsing, any `either`). */
export class LabelEither extends Base {
  readonly kind = "labelEither";
  clauses: Clause[] = [];
}

export class Call extends Base {
  readonly kind = "call";
  returnTo = "";
  to = "";
  args: Expr[] = [];
}

export class Return extends Base {
  readonly kind = "return";
  from: string | null = null;
}

/** `call P(...); return;` */
export class CallReturn extends Base {
  readonly kind = "callReturn";
  from: string | null = null;
  to = "";
  args: Expr[] = [];
}

/** `call P(...); goto l;` */
export class CallGoto extends Base {
  readonly kind = "callGoto";
  after = "";
  to = "";
  args: Expr[] = [];
}

export class Goto extends Base {
  readonly kind = "goto";
  to = "";
}

export class MacroCall extends Base {
  readonly kind = "macroCall";
  name = "";
  args: Expr[] = [];
}

export class Macro extends Base {
  readonly kind = "macro";
  name = "";
  params: string[] = [];
  body: Stmt[] = [];
}

/** Fairness of a process: none, `fair` (weak) or `fair+` (strong). */
export type Fairness = 0 | 1 | 2;
export const UNFAIR_PROC = 0;
export const WF_PROC = 1;
export const SF_PROC = 2;
const FAIRNESS_STRING = ["unfair", "wf", "sf"];

export class Procedure extends Base {
  readonly kind = "procedure";
  name = "";
  minusLabels: string[] = [];
  plusLabels: string[] = [];
  proceduresCalled: string[] = [];
  params: PVarDecl[] = [];
  decls: PVarDecl[] = [];
  body: LabeledStmt[] = [];
  /** Labels of the body, before they are turned into LabeledStmts (parsing). */
  rawBody: Stmt[] = [];
}

export class Process extends Base {
  readonly kind = "process";
  name = "";
  fairness: Fairness = UNFAIR_PROC;
  minusLabels: string[] = [];
  plusLabels: string[] = [];
  proceduresCalled: string[] = [];
  isEq = true;
  decls: VarDecl[] = [];
  body: LabeledStmt[] = [];
  rawBody: Stmt[] = [];
  constructor(public id: Expr) {
    super();
  }
}

export class Uniprocess extends Base {
  readonly kind = "uniprocess";
  name = "";
  decls: VarDecl[] = [];
  macros: Macro[] = [];
  prcds: Procedure[] = [];
  body: LabeledStmt[] = [];
  constructor(public defs: Expr) {
    super();
  }
}

export class Multiprocess extends Base {
  readonly kind = "multiprocess";
  name = "";
  decls: VarDecl[] = [];
  macros: Macro[] = [];
  prcds: Procedure[] = [];
  procs: Process[] = [];
  constructor(public defs: Expr) {
    super();
  }
}

/** A statement. */
export type Stmt =
  | While | Assign | If | Either | With | When | PrintS | Assert | Skip | LabelIf | LabelEither
  | Call | Return | CallReturn | CallGoto | Goto | MacroCall | LabeledStmt;

/** Any node {@link astToString} prints. */
export type Node = Stmt | Uniprocess | Multiprocess | Procedure | Process | VarDecl | PVarDecl | SingleAssign | Lhs | Clause | Macro;

/** The algorithm: one of the two top-level shapes. */
export type Algorithm = Uniprocess | Multiprocess;

/**
 * pcal.trans's `toString()` of a node (a TLA+ record, indented), which `chksum(pcal)` covers.
 * The indentation bookkeeping is a stack, as in pcal.trans, and pieces are produced strictly
 * left to right so the same stack operations happen in the same order.
 */
export function astToString(node: Node): string {
  return new AstPrinter().node(node);
}

class AstPrinter {
  private depth = 0;
  private readonly cur: number[] = [0];

  private indent(s: string): string {
    this.cur[this.depth + 1] = (this.cur[this.depth] ?? 0) + s.length;
    this.depth++;
    return s;
  }

  private end(): string {
    this.depth--;
    return "";
  }

  private nl(): string {
    return `\n${" ".repeat(this.cur[this.depth] ?? 0)}`;
  }

  private seq(v: readonly Node[] | null): string {
    if (v === null) return "null";
    let r = this.indent("<<");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) r += `, ${this.nl()}`;
      r += this.node(v[i]!);
    }
    return r + ">>" + this.end();
  }

  private quotedSeq(v: readonly string[]): string {
    let r = this.indent("<<");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) r += ", ";
      r += `"${v[i]}"`;
    }
    return r + ">>" + this.end();
  }

  private exprSeq(v: readonly Expr[]): string {
    let r = this.indent("<<");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) r += `, ${this.nl()}`;
      r += v[i]!.toString();
    }
    return r + ">>" + this.end();
  }

  private seqOfSeqs(v: readonly Stmt[][]): string {
    let r = this.indent("<< ");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) r += `, ${this.nl()}`;
      r += this.seq(v[i]!);
    }
    return r + " >>" + this.end();
  }

  private eqOrIn(isEq: boolean): string {
    return isEq ? '"="' : '"\\\\in"';
  }

  // Each case concatenates its pieces left to right: indent()/end()/nl() depend on call order.
  node(n: Node): string {
    switch (n.kind) {
      case "uniprocess":
        return (
          this.indent("") + '[type     |-> "uniprocess", ' + this.nl() +
          ` name  |-> "${n.name}", ` + this.nl() +
          this.indent(" decls  |-> ") + this.seq(n.decls) + "," + this.end() + this.nl() +
          this.indent(" defs   |-> ") + n.defs.toString() + "," + this.end() + this.nl() +
          this.indent(" prcds  |-> ") + this.seq(n.prcds) + "," + this.end() + this.nl() +
          this.indent(" body  |-> ") + this.seq(n.body) + "]" + this.end() +
          this.end()
        );
      case "multiprocess":
        return (
          this.indent("") + '[type    |-> "multiprocess", ' + this.nl() +
          ` name  |-> "${n.name}", ` + this.nl() +
          this.indent(" decls |-> ") + this.seq(n.decls) + "," + this.end() + this.nl() +
          this.indent(" defs  |-> ") + n.defs.toString() + "," + this.end() + this.nl() +
          this.indent(" prcds |-> ") + this.seq(n.prcds) + "," + this.end() + this.nl() +
          this.indent(" procs |-> ") + this.seq(n.procs) + "]" + this.end() +
          this.end()
        );
      case "procedure":
        return (
          this.indent("") + `[name   |-> "${n.name}", ` + this.nl() +
          "minusLabels |-> " + this.quotedSeq(n.minusLabels) + ", plusLabels |->" + this.quotedSeq(n.plusLabels) +
          ", proceduresCalled |->" + this.quotedSeq(n.proceduresCalled) + "," + this.nl() +
          this.indent(" params |-> ") + this.seq(n.params) + "," + this.end() + this.nl() +
          this.indent(" decls  |-> ") + this.seq(n.decls) + "," + this.end() + this.nl() +
          this.indent(" body   |-> ") + this.seq(n.body) + "]" + this.end() +
          this.end()
        );
      case "process":
        return (
          this.indent("") + `[name   |-> "${n.name}",` + this.nl() +
          ` fairness |-> "${FAIRNESS_STRING[n.fairness]}", minusLabels |-> ` + this.quotedSeq(n.minusLabels) +
          ", plusLabels |->" + this.quotedSeq(n.plusLabels) + ", proceduresCalled |->" + this.quotedSeq(n.proceduresCalled) + "," + this.nl() +
          " eqOrIn |-> " + this.eqOrIn(n.isEq) + "," + this.nl() +
          " id     |-> " + n.id.toString() + "," + this.nl() +
          this.indent(" decls  |-> ") + this.seq(n.decls) + "," + this.end() + this.nl() +
          this.indent(" body   |-> ") + this.seq(n.body) + "]" + this.end() +
          this.end()
        );
      case "varDecl":
        return this.indent("") + `[var |-> "${n.var}", eqOrIn |-> ${this.eqOrIn(n.isEq)}, val |-> ${n.val.toString()}]` + this.end();
      case "pvarDecl":
        return this.indent("") + `[var |-> "${n.var}", eqOrIn |-> "=", val |-> ${n.val.toString()}]` + this.end();
      case "labeledStmt":
        return this.indent("") + `[label |-> "${n.label}",` + this.nl() + this.indent(" stmts |-> ") + this.seq(n.stmts) + "]" + this.end() + this.end();
      case "while":
        return (
          this.indent("") + '[type    |-> "while", ' + this.nl() +
          " test    |-> " + n.test.toString() + "," + this.nl() +
          this.indent(" labDo   |-> ") + this.seq(n.labDo) + "," + this.end() + this.nl() +
          this.indent(" unlabDo |-> ") + this.seq(n.unlabDo) + "]" + this.end() +
          this.end()
        );
      case "assign":
        return this.indent("") + '[type |-> "assignment",' + this.nl() + this.indent(" ass  |-> ") + this.seq(n.ass) + "]" + this.end() + this.end();
      case "singleAssign":
        return this.indent("") + "[lhs |-> " + this.node(n.lhs) + "," + this.nl() + " rhs |-> " + n.rhs.toString() + "]" + this.end();
      case "lhs":
        return `[var |-> "${n.var}", sub |-> ${n.sub.toString()}]`;
      case "if":
        return (
          this.indent("") + '[type    |-> "if", ' + this.nl() +
          " test    |-> " + n.test.toString() + "," + this.nl() +
          this.indent(" then |-> ") + this.seq(n.Then) + "," + this.end() + this.nl() +
          this.indent(" else |-> ") + this.seq(n.Else) + "]" + this.end() +
          this.end()
        );
      case "either":
        return this.indent("") + '[type |-> "either", ' + this.nl() + this.indent(" ors  |-> ") + this.seqOfSeqs(n.ors) + "]" + this.end() + this.end();
      case "with":
        return (
          this.indent("") + '[type   |-> "with", ' + this.nl() +
          ` var    |-> "${n.var}",` + this.nl() +
          " eqOrIn |-> " + this.eqOrIn(n.isEq) + "," + this.nl() +
          " exp    |-> " + n.exp.toString() + "," + this.nl() +
          this.indent(" do     |-> ") + this.seq(n.Do) + "]" + this.end() +
          this.end()
        );
      case "when":
        return this.indent("") + '[type |-> "when", ' + this.nl() + " exp |-> " + n.exp.toString() + "]" + this.end();
      case "print":
        return this.indent("") + '[type |-> "print", ' + this.nl() + " exp |-> " + n.exp.toString() + "]" + this.end();
      case "assert":
        return this.indent("") + '[type |-> "assert", ' + this.nl() + " exp |-> " + n.exp.toString() + "]" + this.end();
      case "skip":
        return '[type |-> "skip"]';
      case "labelIf":
        return (
          this.indent("") + '[type      |-> "labelIf",' + this.nl() +
          " test      |-> " + n.test.toString() + "," + this.nl() +
          this.indent(" unlabThen |-> ") + this.seq(n.unlabThen) + "," + this.end() + this.nl() +
          this.indent(" labThen   |-> ") + this.seq(n.labThen) + "," + this.end() + this.nl() +
          this.indent(" unlabElse |-> ") + this.seq(n.unlabElse) + "," + this.end() + this.nl() +
          this.indent(" labElse   |-> ") + this.seq(n.labElse) + "]" + this.end() + this.nl() +
          this.end()
        );
      case "labelEither":
        return this.indent("") + '[type    |-> "labelEither",' + this.nl() + this.indent(" clauses |-> ") + this.seq(n.clauses) + "]" + this.end() + this.nl() + this.end();
      case "clause":
        return (
          this.indent("") +
          this.indent("[unlabOr |-> ") + this.seq(n.unlabOr) + "," + this.end() + this.nl() +
          this.indent(" labOr   |-> ") + this.seq(n.labOr) + "]" + this.end() + this.nl() +
          this.end()
        );
      case "call":
        return (
          this.indent("") + '[type     |-> "call",' + this.nl() +
          ` returnTo |-> "${n.returnTo}",` + this.nl() +
          ` to       |-> "${n.to}",` + this.nl() +
          this.indent(" args     |-> ") + this.exprSeq(n.args) + "]" + this.end() +
          this.end()
        );
      case "return":
        return `[type |-> "return", from |-> "${n.from}"]`;
      case "callReturn":
        return (
          this.indent("") + '[type     |-> "callReturn",' + this.nl() +
          ` from     |-> "${n.from}",` + this.nl() +
          ` to       |-> "${n.to}",` + this.nl() +
          this.indent("args     |-> ") + this.exprSeq(n.args) + "]" + this.nl() + this.end() +
          this.end()
        );
      case "callGoto":
        return (
          this.indent("") + '[type     |-> "callGoto",' + this.nl() +
          ` after    |-> "${n.after}",` + this.nl() +
          ` to       |-> "${n.to}",` + this.nl() +
          this.indent("args     |-> ") + this.exprSeq(n.args) + "]" + this.nl() + this.end() +
          this.end()
        );
      case "goto":
        return `[type |-> "goto",  to |-> "${n.to}"]`;
      case "macro":
        return (
          this.indent("") + `[name   |-> "${n.name}", ` + this.nl() +
          this.indent(" params |-> ") + this.quotedSeq(n.params) + "," + this.end() + this.nl() +
          this.indent(" body   |-> ") + this.seq(n.body) + "]" + this.end() +
          this.end()
        );
      case "macroCall":
        return (
          this.indent("") + '[type |-> "macrocall",' + this.nl() +
          ` name |-> "${n.name}",` + this.nl() +
          this.indent(" args     |-> ") + this.exprSeq(n.args) + "]" + this.end() +
          this.end()
        );
    }
  }
}
