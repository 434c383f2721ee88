/**
 * Writing the TLA+ translation of an exploded algorithm (pcal.trans's `PcalTLAGen`): the
 * VARIABLES, the `define` block, `vars`, `ProcSet`, `Init`, one action per label, the
 * procedures' and processes' disjunctions, `Next` (with `Terminating`), `Spec` with the
 * processes' fairness, and `Termination`. Line breaking and indentation are pcal.trans's, so
 * the text (and its `chksum(tla)`) is the same.
 *
 * @module
 */
import type { Algorithm, Assert, Assign, Either, If, LabeledStmt, PrintS, Procedure, Process, PVarDecl, SingleAssign, Skip, Stmt, VarDecl, When, With } from "./ast.js";
import { UNFAIR_PROC, WF_PROC } from "./ast.js";
import { Changed } from "./changed.js";
import { errorAt, PlusCalError } from "./errors.js";
import { Expr, ExprError, spaces, Token } from "./expr.js";
import type { Flags, TranslatorOptions } from "./params.js";
import { PROCEDURE, type SymTab } from "./symtab.js";

/** The translation's lines for the exploded algorithm `ast`, after the renaming comments `report`. */
export function generate(ast: Algorithm, st: SymTab, flags: Flags, opts: TranslatorOptions, report: readonly string[]): string[] {
  const g = new Generator(st, flags, opts);
  for (const line of report) g.addOneLineOfTLA(line);
  try {
    if (ast.kind === "uniprocess") g.uniprocess(ast);
    else g.multiprocess(ast);
  } catch (e) {
    if (e instanceof ExprError) throw new PlusCalError(e.message);
    throw e;
  }
  return g.tlacode;
}

/** `[self]`-style subscript made from `sub`: `[` sub `]`. */
function subExpr(sub: Expr | null): Expr | null {
  if (sub === null) return null;
  const e = sub.cloneAndNormalize();
  for (let i = 0; i < e.tokens.length; i++) {
    for (const t of e.tokens[i]!) t.column++;
    if (i === 0) e.tokens[0]!.unshift(new Token("[", 0, "builtin", true));
  }
  e.addTokenOffset(new Token("]", 0, "builtin", true), 0);
  return e;
}

function selfAsExpr(): Expr {
  return Expr.line([new Token("self", 0, "ident", true)]);
}

function emptyExpr(e: Expr | null | undefined): boolean {
  return !e || e.tokens.length === 0;
}

/** Assignments ordered by variable (pcal.trans's insertion sort, first of equals first). */
function sortSass(v: readonly SingleAssign[]): SingleAssign[] {
  const rest = [...v];
  const out: SingleAssign[] = [];
  while (rest.length > 0) {
    let idx = 0;
    for (let i = 1; i < rest.length; i++) if (rest[idx]!.lhs.var > rest[i]!.lhs.var) idx = i;
    out.push(rest[idx]!);
    rest.splice(idx, 1);
  }
  return out;
}

/**
 * pcal.trans's test whether `x' = e` needs `e` in parentheses: an `=`, `#`, `<`, `>`, `|-`,
 * `\op` (other than `\o`, `\X`) or `/\` outside brackets and strings. Like pcal.trans it looks
 * at the first line only (once per line of the expression).
 */
export function needsParentheses(vec: readonly string[]): boolean {
  if (vec.length === 0) return false;
  let depth = 0;
  let inString = false;
  for (let lineNum = 0; lineNum < vec.length; lineNum++) {
    const line = vec[0]!;
    for (let k = 0; k < line.length; k++) {
      const ch = line.charAt(k);
      if (inString) {
        if (ch === '"') inString = false;
        else if (ch === "\\") k++;
        continue;
      }
      const next = k < line.length - 1 ? line.charAt(k + 1) : " ";
      let left = false;
      let right = false;
      let may = false;
      switch (ch) {
        case '"':
          inString = true;
          break;
        case "=":
        case "#":
          may = true;
          break;
        case "<":
          if (next === "<") {
            k++;
            left = true;
          } else may = true;
          break;
        case ">":
          if (next === ">") {
            k++;
            right = true;
          } else may = true;
          break;
        case "|":
          if (next === "-" || (k > 0 && line.charAt(k - 1) === "-")) may = true;
          break;
        case "\\":
          if (!(next === " " || next === "o" || next === "X")) may = true;
          break;
        case "/":
          if (next === "\\") may = true;
          break;
        case "(":
        case "[":
        case "{":
          left = true;
          break;
        case ")":
        case "]":
        case "}":
          right = true;
          break;
      }
      if (may && depth === 0) return true;
      if (left) depth++;
      if (right) {
        if (depth === 0) return true;
        depth--;
      }
    }
    if (inString) return true;
  }
  return false;
}

/** One fairness conjunct and its optional strong-fairness companion. */
class FormulaPair {
  constructor(
    readonly wf: string,
    readonly sf: string | null,
  ) {}
  singleLine(): string {
    return this.sf === null ? this.wf : `${this.wf} /\\ ${this.sf}`;
  }
  singleLineWidth(): number {
    return this.sf === null ? this.wf.length : this.wf.length + 4 + this.sf.length;
  }
  multiLine(col: number): string {
    const v = `/\\ ${this.wf}`;
    return this.sf === null ? v : `${v}\n${spaces(col)}/\\ ${this.sf}`;
  }
}

/** A fair process's conjunct of Spec: prefix (`\A self \in S :` or `LET self == ...`), its own and its procedures' formulas. */
class ProcessFairness {
  private readonly body: FormulaPair;

  constructor(
    private readonly prefix: string[],
    bodyWF: string,
    bodySF: string | null,
    private readonly prcd: FormulaPair[],
    private readonly wrapColumn: number,
  ) {
    this.body = new FormulaPair(bodyWF, bodySF);
  }

  // pcal.trans only measures the prefix's last line when the prefix has two lines or more.
  private singleLineWidth(): number {
    let maxPrefix = 0;
    let width = 0;
    for (let i = 0; i < this.prefix.length - 1; i++) {
      if (this.prefix[i]!.length > maxPrefix) maxPrefix = this.prefix[i]!.length;
      width = this.prefix[this.prefix.length - 1]!.length;
    }
    width += this.body.wf.length;
    if (this.body.sf !== null) width += this.body.sf.length;
    for (const p of this.prcd) width += p.singleLineWidth();
    return maxPrefix > width ? maxPrefix : width;
  }

  private prefixText(col: number): string {
    return this.prefix.map((l, i) => (i !== 0 ? spaces(col) : "") + l).join("\n");
  }

  private singleLine(col: number): string {
    let v = this.prefixText(col) + this.body.wf;
    if (this.body.sf !== null) v += ` /\\ ${this.body.sf}`;
    for (const p of this.prcd) v += ` /\\ ${p.singleLine()}`;
    return v;
  }

  format(col: number): string {
    if (col + this.singleLineWidth() <= this.wrapColumn || (this.body.sf === null && this.prcd.length === 0)) return this.singleLine(col);
    let v = this.prefixText(col);
    const prefixWidth = this.prefix.length > 0 ? this.prefix[this.prefix.length - 1]!.length : 0;
    const curCol = col + prefixWidth;
    const line = this.body.singleLine();
    v += curCol + line.length + 3 <= this.wrapColumn ? `/\\ ${line}` : this.body.multiLine(curCol);
    this.prcd.forEach((p, i) => {
      const l = p.singleLine();
      if (i === 0) v += "\n";
      v += spaces(curCol);
      v += curCol + l.length + 3 <= this.wrapColumn ? `/\\ ${l}\n` : p.multiLine(curCol);
    });
    return v;
  }
}

class Generator {
  readonly tlacode: string[] = [];
  private next = "";
  private self: Expr | null = null;
  private selfIsSelf = false;
  private readonly vars: string[] = [];
  private readonly pcV: string[] = [];
  private readonly psV: string[] = [];
  private mp = false;
  private readonly nextStep: string[] = [];
  private readonly nextStepSelf: string[] = [];
  private currentProcName = "";
  private readonly wrapColumn: number;
  private readonly ssWrapColumn: number;

  constructor(
    private readonly st: SymTab,
    private readonly flags: Flags,
    private readonly opts: TranslatorOptions,
  ) {
    this.wrapColumn = opts.lineWidth;
    this.ssWrapColumn = opts.lineWidth - 33;
  }

  // ---- output --------------------------------------------------------------------------------

  private addOneTokenToTLA(token: string): void {
    this.next += token;
  }

  addOneLineOfTLA(line: string): void {
    this.endCurrentLineOfTLA();
    if (line.length === 0) {
      this.tlacode.push("");
      return;
    }
    this.addOneTokenToTLA(line);
    this.endCurrentLineOfTLA();
  }

  private endCurrentLineOfTLA(): void {
    if (this.next.length !== 0) {
      this.tlacode.push(this.next);
      this.next = "";
    }
  }

  /** Appends `expr` at the current position; its later lines are indented to that position. */
  private addExprToTLA(expr: Expr): void {
    const sv = expr.toStringVector();
    const indent = this.next.length;
    let nextLine = 0;
    if (indent !== 0) {
      this.next += sv[0] ?? "";
      nextLine = 1;
      if (sv.length > 1) this.endCurrentLineOfTLA();
    }
    if (sv.length > 1) {
      const pad = spaces(indent);
      while (nextLine < sv.length - 1) this.tlacode.push(pad + sv[nextLine++]!);
      this.next = pad + sv[nextLine]!;
    } else if (indent === 0) this.next += sv[0] ?? "";
  }

  // ---- top level -----------------------------------------------------------------------------

  uniprocess(ast: Extract<Algorithm, { kind: "uniprocess" }>): void {
    this.mp = false;
    this.currentProcName = "Next";
    this.varsAndDefs(ast.decls, ast.prcds, null, ast.defs);
    this.init(ast.decls, ast.prcds, null);
    for (const p of ast.prcds) this.procedure(p);
    for (const ls of ast.body) {
      this.nextStep.push(ls.label);
      this.labeledStmt(ls, "");
    }
    this.genNext();
    this.spec();
    this.termination();
  }

  multiprocess(ast: Extract<Algorithm, { kind: "multiprocess" }>): void {
    this.mp = true;
    this.varsAndDefs(ast.decls, ast.prcds, ast.procs, ast.defs);
    this.procSet();
    this.init(ast.decls, ast.prcds, ast.procs);
    for (const p of ast.prcds) this.procedure(p);
    for (const p of ast.procs) this.process(p);
    this.genNext();
    this.spec();
    this.termination();
  }

  /** `name(self) == l1(self) \/ l2(self) ...`, wrapped as pcal.trans wraps it. */
  private disjunction(name: string, argument: string, body: readonly LabeledStmt[]): void {
    const head = `${name}${argument} == `;
    this.addOneTokenToTLA(head);
    const indentSpaces = spaces(head.length + 2);
    body.forEach((stmt, i) => {
      const disjunct = stmt.label + argument;
      if (i !== 0 && this.next.length + 7 + disjunct.length > this.wrapColumn) this.endCurrentLineOfTLA();
      if (i !== 0) this.addOneTokenToTLA(`${this.next.length === 0 ? indentSpaces : ""} \\/ `);
      this.addOneTokenToTLA(disjunct);
    });
    this.addOneLineOfTLA("");
  }

  private procedure(ast: Procedure): void {
    if (this.mp) {
      this.self = selfAsExpr();
      this.selfIsSelf = true;
      this.nextStepSelf.push(`${ast.name}(self)`);
    } else this.nextStep.push(ast.name);
    for (const s of ast.body) this.labeledStmt(s, "procedure");
    this.disjunction(ast.name, this.mp ? "(self)" : "", ast.body);
  }

  private process(ast: Process): void {
    this.currentProcName = ast.name;
    let isSet = true;
    if (ast.isEq) {
      this.self = ast.id;
      this.selfIsSelf = false;
      isSet = false;
    } else {
      this.self = selfAsExpr();
      this.selfIsSelf = true;
    }
    if (isSet) this.nextStepSelf.push(`${ast.name}(self)`);
    else this.nextStep.push(ast.name);
    for (const s of ast.body) this.labeledStmt(s, "process");
    if (!this.flags.omitPC) this.disjunction(ast.name, isSet ? "(self)" : "", ast.body);
  }

  /** The action of one step: `label == /\ ... /\ UNCHANGED << ... >>`. */
  private labeledStmt(ast: LabeledStmt, context: string): void {
    let sb = this.flags.omitPC ? this.currentProcName : ast.label;
    const c = new Changed(this.vars);
    if (this.mp && (context === "procedure" || this.selfIsSelf)) sb += "(self)";
    sb += " == ";
    const col = sb.length;
    // Always "/\ "; removed below when the step is a single conjunct with no UNCHANGED.
    sb += "/\\ ";
    const defStartLine = this.tlacode.length;
    const colAfterAnd = sb.length;
    for (const s of ast.stmts) {
      this.stmt(s, c, context, sb, sb.length);
      sb = `${spaces(col)}/\\ `;
    }
    const unc = c.unchangedLines(this.wrapColumn - col - "/\\ UNCHANGED << ".length);
    if (c.numUnchanged() > 1) {
      sb = `${spaces(col)}/\\ UNCHANGED << `;
      const here = sb.length;
      sb += unc[0]!;
      for (let i = 1; i < unc.length; i++) {
        this.addOneLineOfTLA(sb);
        sb = spaces(here) + unc[i]!;
      }
      sb += " >>";
      this.addOneTokenToTLA(sb);
    } else if (c.numUnchanged() === 1) {
      const u = c.unchanged();
      this.addOneTokenToTLA(u.length > 5 ? `${spaces(col)}/\\ UNCHANGED ${u}` : `${spaces(col)}/\\ ${u}' = ${u}`);
    } else if (ast.stmts.length === 1) {
      for (let i = defStartLine; i < this.tlacode.length; i++) {
        const line = this.tlacode[i]!;
        if (i === defStartLine) this.tlacode[i] = line.slice(0, colAfterAnd - 3) + line.slice(colAfterAnd);
        else if (line.length > 3) this.tlacode[i] = line.slice(3);
      }
    }
    this.addOneLineOfTLA("");
  }

  private stmt(ast: Stmt, c: Changed, context: string, prefix: string, col: number): void {
    switch (ast.kind) {
      case "assign":
        return this.assign(ast, c, context, prefix);
      case "if":
        return this.ifStmt(ast, c, context, prefix);
      case "either":
        return this.either(ast, c, context, prefix);
      case "with":
        return this.withStmt(ast, c, context, prefix, col);
      case "when":
        return this.when(ast, c, context, prefix);
      case "print":
        return this.print(ast, c, context, prefix);
      case "assert":
        return this.assert(ast, c, context, prefix);
      case "skip":
        return this.skip(ast, prefix);
      default:
        throw errorAt(`Unexpected statement (${ast.kind}) in a step`, ast);
    }
  }

  private selfFor(context: string): Expr | null {
    if (!this.mp) return null;
    return context === "procedure" ? selfAsExpr() : this.self;
  }

  private isProcedureVar(v: string): boolean {
    return this.pcV.includes(v);
  }

  private isProcessSetVar(v: string): boolean {
    return this.psV.includes(v);
  }

  /**
   * `exprn` with the variables assigned earlier in the step primed, and `pc`, `stack`,
   * procedure variables and process-set variables subscripted by `sub` (`[self]`).
   */
  private addSubscripts(exprn: Expr, sub: Expr | null, c: Changed): Expr {
    const expr = exprn.cloneAndNormalize();
    const subs: Expr[] = [];
    const ids: string[] = [];
    for (const line of expr.tokens) {
      for (const tok of line) {
        const prime = tok.type === "ident" && c.isChanged(tok.string);
        const subr = sub !== null && (tok.type === "added" || (this.mp && tok.type === "ident" && (this.isProcedureVar(tok.string) || this.isProcessSetVar(tok.string))));
        if (!(subr || prime) || ids.includes(tok.string)) continue;
        ids.push(tok.string);
        let exp = new Expr();
        exp.addLine();
        const nt = tok.clone();
        nt.column = 0;
        exp.addToken(nt);
        if (prime) exp.addTokenOffset(new Token("'", 0, "builtin", true), 0);
        if (subr) {
          const subexp = sub!.cloneAndNormalize();
          exp.normalize();
          subexp.prepend(exp, 0);
          exp = subexp;
        }
        subs.push(exp);
      }
    }
    if (subs.length > 0) expr.substituteForAll(subs, ids, false);
    return expr;
  }

  private assign(ast: Assign, c: Changed, context: string, prefix: string): void {
    const cThis = Changed.copy(c);
    let sb = "";
    // pcal.trans sorts the statement's own list (the tree shares it; chksum(pcal) sees the order).
    ast.ass = sortSass(ast.ass);
    this.addOneTokenToTLA(prefix);
    let i = 0;
    let hasMultipleVars = false;
    const n = ast.ass.length;
    while (i < n) {
      const sF = ast.ass[i]!;
      if (!this.vars.includes(sF.lhs.var)) throw errorAt(`Assignment to undeclared variable ${sF.lhs.var}`, sF);
      const iFirst = i;
      let iLast = i;
      let hasNoSub = false;
      let lastNoSub = emptyExpr(sF.lhs.sub);
      let sL = ast.ass[i]!;
      while (iLast < n && sF.lhs.var === sL.lhs.var) {
        if (lastNoSub) hasNoSub = true;
        iLast++;
        if (iLast < n) {
          sL = ast.ass[iLast]!;
          if (emptyExpr(sL.lhs.sub)) lastNoSub = true;
        }
      }
      if (iLast !== n) hasMultipleVars = true;
      iLast--;
      if (cThis.set(sF.lhs.var) > 1 || (iLast - iFirst > 0 && hasNoSub)) {
        throw errorAt(`Multiple assignment to ${sF.lhs.var} (a variable is assigned at most once in a step; a label starts a new step)`, ast);
      }
      if (hasMultipleVars) sb += "/\\ ";
      const v = sF.lhs.var;
      if (iFirst === iLast) {
        const sub = this.addSubscripts(sF.lhs.sub, subExpr(this.selfFor(context)), c);
        const rhs = this.addSubscripts(sF.rhs, subExpr(this.selfFor(context)), c);
        if (this.mp && (v === "pc" || this.isProcedureVar(v) || this.isProcessSetVar(v) || v === "stack")) {
          sb += `${v}' = [${v} EXCEPT ![`;
          this.addOneTokenToTLA(sb);
          this.addExprToTLA(this.self!);
          this.addOneTokenToTLA("]");
          if (sub.toStringVector().length > 0) this.addExprToTLA(sub);
          this.addOneTokenToTLA(" = ");
          this.addExprToTLA(rhs);
          this.addOneTokenToTLA("]");
        } else if (!emptyExpr(sF.lhs.sub)) {
          sb += `${v}' = [${v} EXCEPT !`;
          this.addOneTokenToTLA(sb);
          this.addExprToTLA(sub);
          this.addOneTokenToTLA(" = ");
          this.addExprToTLA(rhs);
          this.addOneTokenToTLA("]");
        } else {
          sb += `${v}' = `;
          const paren = needsParentheses(rhs.toStringVector());
          if (paren) sb += "(";
          this.addOneTokenToTLA(sb);
          this.addExprToTLA(rhs);
          if (paren) this.addOneTokenToTLA(")");
        }
        sb = "";
      } else {
        // Several assignments to one variable, each with a subscript: one EXCEPT.
        sb += `${v}' = [${v} EXCEPT `;
        let cc = sb.length;
        if (i === 0) cc += prefix.length;
        const subscript = this.mp && (this.isProcedureVar(v) || this.isProcessSetVar(v));
        for (let k = iFirst; k <= iLast; k++) {
          const sass = ast.ass[k]!;
          const sub = this.addSubscripts(sass.lhs.sub, subExpr(this.selfFor(context)), c);
          const rhs = this.addSubscripts(sass.rhs, subExpr(this.selfFor(context)), c);
          sb += "!";
          if (subscript) {
            sb += "[";
            this.addOneTokenToTLA(sb);
            this.addExprToTLA(this.selfFor(context)!);
            this.addOneTokenToTLA("]");
          } else this.addOneTokenToTLA(sb);
          this.addExprToTLA(sub);
          this.addOneTokenToTLA(" = ");
          this.addExprToTLA(rhs);
          this.addOneTokenToTLA(k === iLast ? "]" : ",");
          sb = "";
          if (k < iLast) {
            this.endCurrentLineOfTLA();
            sb = spaces(cc);
          }
        }
      }
      i = iLast + 1;
      if (i < n) {
        this.endCurrentLineOfTLA();
        sb += spaces(prefix.length);
      }
    }
    this.endCurrentLineOfTLA();
    c.merge(cThis);
  }

  /** `IF t THEN /\ ... ELSE /\ ...`, each branch with the UNCHANGED of what only the other assigns. */
  private ifStmt(ast: If, c: Changed, context: string, prefix: string): void {
    const cThen = Changed.copy(c);
    const cElse = Changed.copy(c);
    let sb = prefix;
    const test = this.addSubscripts(ast.test, subExpr(this.selfFor(context)), c);
    sb += "IF ";
    let here = sb.length;
    this.addOneTokenToTLA(sb);
    this.addExprToTLA(test);
    this.endCurrentLineOfTLA();
    sb = `${spaces(here)}THEN `;
    here = sb.length;
    sb += "/\\ ";
    for (const s of ast.Then) {
      this.stmt(s, cThen, context, sb, here + 3);
      sb = `${spaces(here)}/\\ `;
    }
    let lineUncThen = this.tlacode.length;
    this.addOneLineOfTLA(sb);
    sb = `${spaces(here - "THEN ".length)}ELSE `;
    here = sb.length;
    if (ast.Else.length === 0) {
      sb += "/\\ TRUE";
      this.addOneLineOfTLA(sb);
      sb = `${spaces(here)}/\\ `;
    } else {
      sb += "/\\ ";
      for (const s of ast.Else) {
        this.stmt(s, cElse, context, sb, here + 3);
        sb = `${spaces(here)}/\\ `;
      }
    }
    if (cElse.numUnchangedVs(cThen) > 1) {
      const unc = cElse.unchangedVsLines(cThen, this.wrapColumn - sb.length - "UNCHANGED << ".length);
      sb += "UNCHANGED << ";
      const cc = sb.length;
      sb += unc[0]!;
      for (let i = 1; i < unc.length; i++) {
        this.addOneLineOfTLA(sb);
        sb = spaces(cc) + unc[i]!;
      }
      sb += " >>";
      this.addOneTokenToTLA(sb);
      this.endCurrentLineOfTLA();
    } else if (cElse.numUnchangedVs(cThen) === 1) {
      const uc = cElse.unchangedVs(cThen);
      sb += uc.length > 5 ? `UNCHANGED ${uc}` : `${uc}' = ${uc}`;
      this.addOneTokenToTLA(sb);
      this.endCurrentLineOfTLA();
    }
    // The THEN branch's UNCHANGED replaces its placeholder line, now that the ELSE is known.
    sb = this.tlacode[lineUncThen]!;
    this.tlacode.splice(lineUncThen, 1);
    if (cThen.numUnchangedVs(cElse) > 1) {
      const unc = cThen.unchangedVsLines(cElse, this.wrapColumn - sb.length - "UNCHANGED << ".length);
      sb += "UNCHANGED << ";
      const cc = sb.length;
      sb += unc[0]!;
      for (let i = 1; i < unc.length; i++) {
        this.tlacode.splice(lineUncThen++, 0, sb);
        sb = spaces(cc) + unc[i]!;
      }
      sb += " >>";
      this.tlacode.splice(lineUncThen, 0, sb);
    } else if (cThen.numUnchangedVs(cElse) === 1) {
      const uc = cThen.unchangedVs(cElse);
      sb += uc.length > 5 ? `UNCHANGED ${uc}` : `${uc}' = ${uc}`;
      this.tlacode.splice(lineUncThen, 0, sb);
    }
    c.merge(cThen);
    c.merge(cElse);
  }

  /** `\/ /\ ...` per clause, each with the UNCHANGED of what only other clauses assign. */
  private either(ast: Either, c: Changed, context: string, prefix: string): void {
    const allC = Changed.copy(c);
    const cOrs: Changed[] = [];
    const ucLocs: number[] = [];
    let sb = prefix;
    const prefixIndent = sb.length;
    sb += "\\/ ";
    const here = sb.length;
    ast.ors.forEach((clause, i) => {
      if (i !== 0) sb = `${spaces(prefixIndent)}\\/ `;
      sb += "/\\ ";
      const cC = Changed.copy(c);
      for (const s of clause) {
        this.stmt(s, cC, context, sb, here + 3);
        sb = `${spaces(here)}/\\ `;
      }
      cOrs[i] = cC;
      allC.merge(cC);
      ucLocs[i] = this.tlacode.length;
      this.addOneLineOfTLA("Replace by UNCHANGED");
    });
    for (let i = ast.ors.length - 1; i >= 0; i--) {
      this.tlacode.splice(ucLocs[i]!, 1);
      const num = cOrs[i]!.numUnchangedVs(allC);
      const nc = cOrs[i]!.unchangedVs(allC);
      if (num > 1) this.tlacode.splice(ucLocs[i]!, 0, `${spaces(here)}/\\ UNCHANGED <<${nc}>>`);
      else if (num === 1) this.tlacode.splice(ucLocs[i]!, 0, nc.length > 5 ? `${spaces(here)}/\\ UNCHANGED ${nc}` : `${spaces(here)}/\\ ${nc}' = ${nc}`);
    }
    c.merge(allC);
  }

  /** `LET x == e IN` or `\E x \in S:` around the body. */
  private withStmt(ast: With, c: Changed, context: string, prefix: string, col: number): void {
    let sb = prefix;
    const exp = this.addSubscripts(ast.exp, subExpr(this.selfFor(context)), c);
    if (ast.isEq) {
      sb += `LET ${ast.var} == `;
      this.addOneTokenToTLA(sb);
      this.addExprToTLA(exp);
      this.addOneTokenToTLA(" IN");
    } else {
      sb += `\\E ${ast.var} \\in `;
      this.addOneTokenToTLA(sb);
      this.addExprToTLA(exp);
      this.addOneTokenToTLA(":");
    }
    this.endCurrentLineOfTLA();
    sb = spaces(col + 2);
    if (ast.Do.length > 1) sb += "/\\ ";
    for (const s of ast.Do) {
      this.stmt(s, c, context, sb, sb.length);
      sb = `${spaces(col + 2)}/\\ `;
    }
  }

  private when(ast: When, c: Changed, context: string, prefix: string): void {
    this.addOneTokenToTLA(prefix);
    this.addExprToTLA(this.addSubscripts(ast.exp, subExpr(this.selfFor(context)), c));
    this.endCurrentLineOfTLA();
  }

  private print(ast: PrintS, c: Changed, context: string, prefix: string): void {
    const exp = this.addSubscripts(ast.exp, subExpr(this.selfFor(context)), c);
    this.addOneTokenToTLA(`${prefix}PrintT(`);
    this.addExprToTLA(exp);
    this.addOneTokenToTLA(")");
    this.endCurrentLineOfTLA();
  }

  private assert(ast: Assert, c: Changed, context: string, prefix: string): void {
    const exp = this.addSubscripts(ast.exp, subExpr(this.selfFor(context)), c);
    const sb = `${prefix}Assert(`;
    this.addOneTokenToTLA(sb);
    this.addExprToTLA(exp);
    const here = sb.length;
    const comma = ", ";
    const msg = `"Failure of assertion at ${ast.location()}.")`;
    if (this.next.length + comma.length + msg.length < this.wrapColumn) this.addOneTokenToTLA(comma + msg);
    else {
      this.addOneTokenToTLA(comma);
      this.endCurrentLineOfTLA();
      this.addOneTokenToTLA(spaces(here) + msg);
    }
    this.endCurrentLineOfTLA();
  }

  private skip(_ast: Skip, prefix: string): void {
    this.addOneTokenToTLA(prefix);
    this.addOneTokenToTLA("TRUE");
    this.endCurrentLineOfTLA();
  }

  // ---- declarations, Init, Next, Spec ---------------------------------------------------------

  private varsAndDefs(globals: readonly VarDecl[], procs: readonly Procedure[], processes: readonly Process[] | null, defs: Expr): void {
    const lVars: string[] = [];
    const gVars: string[] = [];
    if (!this.flags.omitPC) {
      gVars.push("pc");
      this.vars.push("pc");
    }
    for (const d of globals) {
      gVars.push(d.var);
      this.vars.push(d.var);
    }
    if (procs.length > 0) {
      gVars.push("stack");
      this.vars.push("stack");
    }
    for (const p of procs) {
      for (const d of [...p.params, ...p.decls]) {
        lVars.push(d.var);
        this.vars.push(d.var);
        this.pcV.push(d.var);
      }
    }
    for (const p of processes ?? []) {
      for (const d of p.decls) {
        lVars.push(d.var);
        this.vars.push(d.var);
        if (!p.isEq) this.psV.push(d.var);
      }
    }
    if (this.flags.hasDefaultInitialization) this.addOneLineOfTLA("CONSTANT defaultInitValue");
    if (emptyExpr(defs)) {
      gVars.push(...lVars);
      this.varDecl(gVars);
    } else {
      this.varDecl(gVars);
      this.addOneLineOfTLA("");
      this.addOneLineOfTLA("(* define statement *)");
      this.addExprToTLA(defs);
      this.addOneLineOfTLA("");
      this.varDecl(lVars);
      gVars.push(...lVars);
    }
    this.addOneLineOfTLA("");
    if (gVars.length === 0) throw new PlusCalError("The algorithm has no variables.");
    this.addOneTokenToTLA("vars == << ");
    const indent = this.next.length;
    gVars.forEach((v, i) => {
      if (i > 0) this.addOneTokenToTLA(", ");
      if (this.next.length + v.length + 1 > this.wrapColumn) {
        this.endCurrentLineOfTLA();
        this.next = spaces(indent);
      }
      this.addOneTokenToTLA(v);
    });
    if (this.next.length + " >>".length + 1 > this.wrapColumn) {
      this.endCurrentLineOfTLA();
      this.next = spaces("vars ==".length);
    }
    this.addOneTokenToTLA(" >>");
    this.addOneLineOfTLA("");
  }

  private varDecl(vs: readonly string[]): void {
    if (vs.length === 0) return;
    const kw = vs.length > 1 ? "VARIABLES " : "VARIABLE ";
    this.addOneTokenToTLA(kw);
    vs.forEach((v, i) => {
      if (i > 0) this.addOneTokenToTLA(", ");
      if (this.next.length + v.length + 1 > this.wrapColumn) {
        this.endCurrentLineOfTLA();
        this.next += spaces(kw.length);
      }
      this.addOneTokenToTLA(v);
    });
    this.endCurrentLineOfTLA();
  }

  private procSet(): void {
    if (this.st.processes.length === 0) return;
    this.addOneTokenToTLA("ProcSet == ");
    this.st.processes.forEach((p, i) => {
      if (i > 0) this.addOneTokenToTLA(" \\cup ");
      this.addOneTokenToTLA(p.isEq ? "{" : "(");
      this.addExprToTLA(p.id);
      this.addOneTokenToTLA(p.isEq ? "}" : ")");
    });
    this.endCurrentLineOfTLA();
    this.addOneLineOfTLA("");
  }

  private addVarDeclToTLA(decl: VarDecl, is: string): void {
    this.addOneTokenToTLA(`${is}/\\ `);
    this.addOneTokenToTLA(`${decl.var}${decl.isEq ? " = " : " \\in "}`);
    const paren = needsParentheses(decl.val.toStringVector());
    if (paren) this.addOneTokenToTLA("(");
    this.addExprToTLA(decl.val);
    if (paren) this.addOneTokenToTLA(")");
    this.endCurrentLineOfTLA();
  }

  /** A procedure variable's initial value in a multiprocess algorithm: one per process. */
  private procedureVarInit(decl: PVarDecl, is: string): void {
    this.addOneTokenToTLA(`${is}/\\ `);
    this.addOneTokenToTLA(`${decl.var} = [ self \\in ProcSet |-> `);
    this.addExprToTLA(this.addSubscripts(decl.val, subExpr(this.selfFor("procedure")), new Changed([])));
    this.addOneTokenToTLA("]");
    this.endCurrentLineOfTLA();
  }

  private init(globals: readonly VarDecl[], procs: readonly Procedure[], processes: readonly Process[] | null): void {
    const col = "Init == ".length;
    let is = "Init == ";
    if (globals.length > 0) {
      is += "(* Global variables *)";
      this.addOneLineOfTLA(is);
      is = spaces(col);
      for (const d of globals) this.addVarDeclToTLA(d, is);
    }
    for (const p of procs) {
      if (p.params.length === 0 && p.decls.length === 0) continue;
      is += `(* Procedure ${p.name} *)`;
      this.addOneLineOfTLA(is);
      is = spaces(col);
      for (const d of [...p.params, ...p.decls]) {
        if (!this.mp) this.addVarDeclToTLA(d.toVarDecl(), is);
        else this.procedureVarInit(d, is);
      }
    }
    for (const p of processes ?? []) {
      if (p.decls.length === 0) continue;
      is += `(* Process ${p.name} *)`;
      this.addOneLineOfTLA(is);
      is = spaces(col);
      for (const d of p.decls) this.processVarInit(p, d, is);
    }
    if (procs.length > 0) {
      is += this.mp ? "/\\ stack = [self \\in ProcSet |-> << >>]" : "/\\ stack = << >>";
      this.addOneLineOfTLA(is);
      is = spaces(col);
    }
    if (!this.flags.omitPC) {
      if (this.mp) {
        const useCase = this.st.processes.length !== 1;
        is += useCase ? "/\\ pc = [self \\in ProcSet |-> CASE " : "/\\ pc = [self \\in ProcSet |-> ";
        const colPC = is.length - 3;
        this.st.processes.forEach((pe, p) => {
          if (useCase) {
            is += pe.isEq ? "self = " : "self \\in ";
            this.addOneTokenToTLA(is);
            this.addExprToTLA(pe.id);
            is = ` -> "${pe.iPC}"${p === this.st.processes.length - 1 ? "]" : ""}`;
          } else is += `"${pe.iPC}"]`;
          this.addOneTokenToTLA(is);
          this.endCurrentLineOfTLA();
          is = spaces(colPC);
          if (p < this.st.processes.length - 1) is += "[] ";
        });
      } else this.addOneLineOfTLA(`${is}/\\ pc = "${this.st.iPC}"`);
    }
    this.addOneLineOfTLA("");
  }

  /** A process variable's initial value: for a process set, a function of the process. */
  private processVarInit(p: Process, d: VarDecl, is: string): void {
    this.addOneTokenToTLA(`${is}/\\ `);
    if (p.isEq) {
      this.addOneTokenToTLA(`${d.var}${d.isEq ? " = " : " \\in "}`);
      this.addExprToTLA(d.val);
    } else if (d.isEq) {
      this.addOneTokenToTLA(`${d.var} = [self \\in `);
      this.addExprToTLA(p.id);
      this.addOneTokenToTLA(" |-> ");
      this.addExprToTLA(this.addSubscripts(d.val, subExpr(this.selfFor("procedure")), new Changed([])));
      this.addOneTokenToTLA("]");
    } else {
      // `v \in S` in a process set: v \in [Ids -> S], earlier variables read at CHOOSE self \in Ids : TRUE.
      const subexpr = p.id.cloneAndNormalize();
      const head = Expr.line([new Token("[", 0, "builtin"), new Token("CHOOSE", 1, "builtin"), new Token("self", 8, "ident"), new Token("\\in ", 13, "builtin")]);
      subexpr.prepend(head, 1);
      const choose = Expr.line([new Token(":", 0, "builtin"), new Token("TRUE", 2, "builtin"), new Token("]", 6, "builtin")]);
      choose.prepend(subexpr, 1);
      this.addOneTokenToTLA(`${d.var} \\in [`);
      this.addExprToTLA(p.id);
      this.addOneTokenToTLA(" -> ");
      this.addExprToTLA(this.addSubscripts(d.val, choose, new Changed([])));
      this.addOneTokenToTLA("]");
    }
    this.endCurrentLineOfTLA();
  }

  private genNext(): void {
    if (this.flags.omitPC && !this.mp) return;
    const done = !(this.opts.noDoneDisjunct || this.flags.omitStutteringWhenDone);
    if (done) {
      this.addOneLineOfTLA("(* Allow infinite stuttering to prevent deadlock on termination. *)");
      if (this.mp) {
        this.addOneLineOfTLA('Terminating == /\\ \\A self \\in ProcSet: pc[self] = "Done"');
        this.addOneLineOfTLA(`${spaces("Terminating == ".length)}/\\ UNCHANGED vars`);
      } else this.addOneLineOfTLA('Terminating == pc = "Done" /\\ UNCHANGED vars');
      this.addOneLineOfTLA("");
    }
    const nextS: string[] = [];
    let sb = "";
    let max = this.wrapColumn - "Next == \\/ ".length;
    for (const a of this.nextStep) {
      if (a.length + " \\/ ".length + sb.length > max) {
        nextS.push(sb);
        sb = "";
      }
      if (sb.length > 0) sb += " \\/ ";
      sb += a;
    }
    if (sb.length > 0) nextS.push(sb);
    const nextSS: string[] = [];
    sb = "";
    max = this.wrapColumn - "Next == \\/ (\\E self \\in ProcSet: \\/ ".length;
    if (this.mp && this.st.procs.length > 0) {
      for (const p of this.st.procs) {
        if (p.name.length + "(self) \\/ ".length + sb.length > max) {
          nextSS.push(sb);
          sb = "";
        }
        if (sb.length > 0) sb += " \\/ ";
        sb += `${p.name}(self)`;
      }
      if (sb.length > 0) nextSS.push(`${sb})`);
    }
    const nextSSP: string[][] = [];
    if (this.mp) {
      for (const p of this.st.processes) {
        if (p.isEq) continue;
        const vec: string[] = [];
        sb = "(\\E self \\in ";
        const sv = p.id.toStringVector();
        const c = sb.length;
        sb += sv[0]!;
        for (let j = 1; j < sv.length; j++) {
          vec.push(sb);
          sb = spaces(c) + sv[j]!;
        }
        sb += `: ${p.name}(self))`;
        vec.push(sb);
        nextSSP.push(vec);
      }
    }
    sb = "Next == ";
    const col = sb.length + 2;
    for (const s of nextS) {
      sb += s;
      this.addOneLineOfTLA(sb);
      sb = `${spaces(col)} \\/ `;
    }
    if (nextSS.length > 0) {
      sb += "(\\E self \\in ProcSet: ";
      const col2 = sb.length;
      if (nextSS.length > 1) sb += " \\/ ";
      for (const s of nextSS) {
        sb += s;
        this.addOneLineOfTLA(sb);
        sb = `${spaces(col2)} \\/ `;
      }
      sb = `${spaces(col)} \\/ `;
    }
    nextSSP.forEach((v, i) => {
      for (const line of v) {
        sb += line;
        this.addOneLineOfTLA(sb);
        sb = nextS.length === 0 && nextSS.length === 0 && i === 0 ? spaces(col - 2) : spaces(col + 4);
      }
      sb = `${spaces(col)} \\/ `;
    });
    if (done) this.addOneLineOfTLA(`${sb}Terminating`);
    this.addOneLineOfTLA("");
  }

  /** `Spec == Init /\ [][Next]_vars`, with WF_vars(Next) and the fair processes' conjuncts. */
  private spec(): void {
    const safety = "Init /\\ [][Next]_vars";
    const f = this.opts.fairness;
    if (f === "nof" || (!this.mp && f === "")) {
      this.addOneLineOfTLA(`Spec == ${safety}`);
      this.addOneLineOfTLA("");
      return;
    }
    const wfNext = f === "wfNext" || this.opts.fairAlgorithm || (!this.mp && (f === "wf" || f === "sf"));
    const formulas: ProcessFairness[] = [];
    if (this.mp) {
      for (const p of this.st.processes) {
        const pAst = p.ast;
        if (pAst.fairness === UNFAIR_PROC) continue;
        const xf = pAst.fairness === WF_PROC ? "WF" : "SF";
        const pSelf = p.id.toStringVector();
        let letIn = false;
        let qSelf = "self";
        if (p.isEq) {
          if (pSelf.length > 1) letIn = true;
          else qSelf = pSelf[0]!;
        }
        const prefix: string[] = [];
        if (letIn || !p.isEq) {
          const begin = p.isEq ? "LET self == " : "\\A self \\in ";
          const end = p.isEq ? "" : " : ";
          pSelf.forEach((l, j) => prefix.push((j === 0 ? begin : spaces(begin.length)) + l + (j === pSelf.length - 1 ? end : "")));
          if (letIn) prefix.push("IN ");
        }
        const wf = `${xf}_vars(${this.minusLabelsGuard(pAst.minusLabels, qSelf)}${p.isEq ? p.name : `${p.name}(self)`})`;
        const sf = xf === "WF" && pAst.plusLabels.length > 0 ? pAst.plusLabels.map((l) => `SF_vars(${l}${p.isEq ? "" : "(self)"})`).join(" /\\ ") : null;
        const prcd = pAst.proceduresCalled.map((original) => {
          const pe = this.st.procs[this.st.findProc(this.st.useThis(PROCEDURE, original, ""))]!;
          const prcAst = pe.ast;
          const w = `${xf}_vars(${this.minusLabelsGuard(prcAst.minusLabels, qSelf)}${pe.name}(${qSelf}))`;
          const s = xf === "WF" && prcAst.plusLabels.length > 0 ? prcAst.plusLabels.map((l) => `SF_vars(${l}(${qSelf}))`).join(" /\\ ") : null;
          return new FormulaPair(w, s);
        });
        formulas.push(new ProcessFairness(prefix, wf, sf, prcd, this.wrapColumn));
      }
    }
    if (!wfNext && formulas.length === 0) {
      this.addOneLineOfTLA(`Spec == ${safety}`);
      this.addOneLineOfTLA("");
      return;
    }
    this.addOneLineOfTLA(`Spec == /\\ ${safety}`);
    const indent = "Spec == /\\ ".length;
    if (wfNext) this.addOneLineOfTLA("        /\\ WF_vars(Next)");
    for (const pf of formulas) {
      const parts = `        /\\ ${pf.format(indent)}`.split("\n");
      while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
      for (const line of parts) this.addOneLineOfTLA(line);
    }
    this.addOneLineOfTLA("");
  }

  /** `(pc[self] # "l") /\ ` or `(pc[self] \notin {"l1", "l2"}) /\ ` for labels marked `-`. */
  private minusLabelsGuard(minus: readonly string[], qSelf: string): string {
    if (minus.length === 0) return "";
    const test = minus.length === 1 ? `] # "${minus[0]}"` : `] \\notin {"${minus.join('", "')}"}`;
    return `(pc[${qSelf}${test}) /\\ `;
  }

  private termination(): void {
    if (this.flags.omitPC || this.flags.omitStutteringWhenDone) return;
    this.addOneLineOfTLA(`Termination == <>(${this.mp ? "\\A self \\in ProcSet: pc[self]" : "pc"} = "Done")`);
    this.addOneLineOfTLA("");
  }
}
