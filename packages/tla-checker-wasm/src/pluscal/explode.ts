/**
 * Exploding the algorithm into flat steps (pcal.trans's `PcalTranslate`): each labelled step
 * tests `pc`, `while`/`goto`/labelled `if` and `either` become assignments to `pc`, `call`
 * pushes a frame on `stack` and `return` pops it. Like pcal.trans, it shares statement nodes
 * with the algorithm it was given and rewrites some of them in place (the last statement of a
 * step and the branches it contains), which `chksum(pcal)` then sees.
 *
 * @module
 */
import {
  Assign, Call, Either, If, LabeledStmt, Lhs, Multiprocess, Procedure, Process, SingleAssign, Uniprocess, When,
  type Algorithm, type CallGoto, type CallReturn, type LabelEither, type LabelIf, type Return, type Stmt, type While,
} from "./ast.js";
import { errorAt } from "./errors.js";
import { Expr, Token } from "./expr.js";
import type { Flags } from "./params.js";
import { LABEL, type SymTab } from "./symtab.js";

const str = (s: string) => new Token(s, 0, "string");
const added = (s: string) => new Token(s, 0, "added");
const builtin = (s: string) => new Token(s, 0, "builtin");
const ident = (s: string) => new Token(s, 0, "ident");

/** A normalized expression made of these lines. */
function makeExpr(lines: Token[][]): Expr {
  const e = new Expr(lines);
  e.normalize();
  return e;
}

/** `id := exp` (only ever used for `pc`). */
function makeAssign(id: string, exp: Expr): Assign {
  const lhs = new Lhs(makeExpr([]));
  lhs.var = id;
  const a = new Assign();
  a.ass = [new SingleAssign(lhs, exp)];
  return a;
}

/** `when pc = "label"`, tokens one space apart. */
function checkPC(label: string): When {
  const toks = [added("pc"), builtin("="), str(label)];
  let col = 0;
  for (const t of toks) {
    t.column = col;
    col += t.width() + 1;
  }
  return new When(makeExpr([toks]));
}

/** `pc := "next"`. */
function updatePC(next: string | null): Assign {
  return makeAssign("pc", makeExpr([[str(String(next))]]));
}

/** True for `TRUE` or `( TRUE )` on one line. */
function isTRUE(e: Expr): boolean {
  if (e.tokens.length > 1) return false;
  const line = e.tokens[0]!;
  if (line.length === 1) return line[0]!.string === "TRUE";
  if (line.length === 3) return line[0]!.string === "(" && line[1]!.string === "TRUE" && line[2]!.string === ")";
  return false;
}

/** pcal.trans's layout of the record pushed on the stack: `|->` aligned at column 16 where it fits. */
function prettyStackTop(e: Expr): void {
  for (let i = 0; i < e.tokens.length; i++) {
    let next = i === 0 || i === e.tokens.length - 1 ? 1 : 6;
    for (const t of e.tokens[i]!) {
      t.column = next;
      next += t.width();
      if (t.type !== "builtin") continue;
      if (t.string === "|->" || t.string === "\u21A6") {
        t.column += 1;
        if (t.column < 16) t.column = 16;
        next = t.column + 5;
      } else if (t.string === "[" || t.string === "<<") next += 1;
      else if (t.string === "]" || t.string === ">>") {
        t.column += 1;
        next += 1;
      } else if (t.string === "\\o") {
        t.column += 1;
        next += 2;
      }
    }
  }
}

/** `Head(stack).field`, all tokens at column 0 (they print without spaces). */
function headOfStack(field: string): Expr {
  return makeExpr([[ident("Head"), builtin("("), added("stack"), builtin(")"), builtin("."), ident(field)]]);
}

/** The algorithm as flat labelled steps; `ast` itself is partly rewritten, as by pcal.trans. */
export function explode(ast: Algorithm, st: SymTab, flags: Flags): Algorithm {
  return new Exploder(st, flags).algorithm(ast);
}

type Triple = [Stmt[], LabeledStmt[], boolean];

class Exploder {
  private currentProcedure: string | null = null;

  constructor(
    private readonly st: SymTab,
    private readonly flags: Flags,
  ) {}

  algorithm(ast: Algorithm): Algorithm {
    if (ast.kind === "uniprocess") {
      const n = new Uniprocess(ast.defs);
      n.col = ast.col;
      n.line = ast.line;
      n.name = ast.name;
      n.decls = ast.decls;
      n.prcds = ast.prcds.map((p) => this.procedure(p));
      n.body = this.steps(ast.body, "Done");
      return n;
    }
    const n = new Multiprocess(ast.defs);
    n.col = ast.col;
    n.line = ast.line;
    n.name = ast.name;
    n.decls = ast.decls;
    n.prcds = ast.prcds.map((p) => this.procedure(p));
    n.procs = ast.procs.map((p) => this.process(p));
    return n;
  }

  /** Explodes a sequence of steps; after the last one control goes to `last`. */
  private steps(body: readonly LabeledStmt[], last: string): LabeledStmt[] {
    const out: LabeledStmt[] = [];
    body.forEach((ls, i) => out.push(...this.labeledStmt(ls, i + 1 < body.length ? body[i + 1]!.label : last)));
    return out;
  }

  private procedure(p: Procedure): Procedure {
    const n = new Procedure();
    n.col = p.col;
    n.line = p.line;
    n.name = p.name;
    this.currentProcedure = p.name;
    n.params = p.params;
    n.decls = p.decls;
    n.body = this.steps(p.body, this.st.useThis(LABEL, "Error", ""));
    this.currentProcedure = null;
    return n;
  }

  private process(p: Process): Process {
    const n = new Process(p.id);
    n.col = p.col;
    n.line = p.line;
    n.name = p.name;
    n.isEq = p.isEq;
    n.decls = p.decls;
    n.body = this.steps(p.body, "Done");
    return n;
  }

  /**
   * pcal.trans's CopyAndExplodeLastStmt: `stmts` with its last statement exploded (in place),
   * the steps that came out of it, and whether a `pc := next` must still be added.
   */
  private lastStmt(stmts: Stmt[], next: string): Triple {
    let result1: Stmt[] = [];
    let result2: LabeledStmt[] = [];
    let needsGoto = false;
    if (stmts.length > 0) {
      const last = stmts[stmts.length - 1]!;
      result1 = stmts;
      switch (last.kind) {
        case "labelIf": {
          const [a, b] = this.labelIf(last, next);
          result1.pop();
          result1.push(...a);
          result2 = b;
          break;
        }
        case "labelEither": {
          const [a, b] = this.labelEither(last, next);
          result1.pop();
          result1.push(...a);
          result2 = b;
          break;
        }
        case "goto":
          result1.pop();
          result1.push(updatePC(last.to));
          break;
        case "call":
          result1.pop();
          result1.push(...this.call(last, next));
          break;
        case "return":
          result1.pop();
          result1.push(...this.returnStmt(last));
          break;
        case "callReturn":
          result1.pop();
          result1.push(...this.callReturn(last));
          break;
        case "callGoto":
          result1.pop();
          result1.push(...this.callGoto(last));
          break;
        case "if": {
          const p1 = this.lastStmt(last.Then, next);
          const p2 = this.lastStmt(last.Else, next);
          result2.push(...p1[1], ...p2[1]);
          last.Then = p1[0];
          last.Else = p2[0];
          if (!this.flags.omitPC) {
            needsGoto = p1[2] && p2[2];
            if (!needsGoto) {
              if (p1[2]) last.Then.push(updatePC(next));
              if (p2[2]) last.Else.push(updatePC(next));
            }
          }
          break;
        }
        case "either": {
          needsGoto = true;
          const each: boolean[] = [];
          for (let i = 0; i < last.ors.length; i++) {
            const p = this.lastStmt(last.ors[i]!, next);
            last.ors[i] = p[0];
            result2.push(...p[1]);
            needsGoto = needsGoto && p[2];
            each.push(p[2]);
          }
          if (!this.flags.omitPC && !needsGoto) {
            for (let i = 0; i < last.ors.length; i++) if (each[i]) last.ors[i]!.push(updatePC(next));
          }
          break;
        }
        case "with": {
          const p = this.lastStmt(last.Do, next);
          last.Do = p[0];
          result2.push(...p[1]);
          needsGoto = p[2];
          break;
        }
        default:
          needsGoto = true;
      }
    } else needsGoto = true;
    if (this.flags.omitPC) needsGoto = false;
    return [result1, result2, needsGoto];
  }

  /** Like {@link lastStmt}, adding the `pc := next` when needed. */
  private lastStmtWithGoto(stmts: Stmt[], next: string): [Stmt[], LabeledStmt[]] {
    const r = this.lastStmt(stmts, next);
    if (r[2]) r[0].push(updatePC(next));
    return [r[0], r[1]];
  }

  private labeledStmt(ls: LabeledStmt, next: string): LabeledStmt[] {
    if (ls.stmts.length > 0 && ls.stmts[0]!.kind === "while") return this.whileStep(ls, next);
    const n = new LabeledStmt();
    const pair = this.lastStmtWithGoto([...ls.stmts], next);
    n.col = ls.col;
    n.line = ls.line;
    n.label = ls.label;
    n.stmts = pair[0];
    const result: LabeledStmt[] = [];
    if (!this.flags.omitPC) {
      n.stmts.unshift(checkPC(n.label));
      result.push(n);
    }
    result.push(...pair[1]);
    return result;
  }

  private labeledStmtSeq(seq: readonly LabeledStmt[], next: string): LabeledStmt[] {
    const out: LabeledStmt[] = [];
    seq.forEach((s, i) => out.push(...this.labeledStmt(s, i < seq.length - 1 ? seq[i + 1]!.label : next)));
    return out;
  }

  /** A step that begins with `while`: `IF test THEN body ELSE rest`, the loop's labelled steps after. */
  private whileStep(ls: LabeledStmt, next: string): LabeledStmt[] {
    const w = ls.stmts[0] as While;
    const n = new LabeledStmt();
    n.col = ls.col;
    n.line = ls.line;
    n.label = ls.label;
    if (!this.flags.omitPC) n.stmts.push(checkPC(ls.label));
    let firstLS: LabeledStmt | null = w.labDo.length === 0 ? null : w.labDo[0]!;
    const pair1 = this.lastStmtWithGoto([...w.unlabDo], firstLS === null ? ls.label : firstLS.label);
    const rest = [...ls.stmts];
    rest.shift();
    const pair2 = this.lastStmtWithGoto(rest, next);
    if (isTRUE(w.test)) n.stmts.push(...pair1[0]);
    else {
      const ifS = new If(w.test);
      ifS.Then = pair1[0];
      ifS.Else = pair2[0];
      n.stmts.push(ifS);
    }
    const result: LabeledStmt[] = [n];
    for (let i = 0; i < w.labDo.length; i++) {
      const nextLS = w.labDo.length > i + 1 ? w.labDo[i + 1]! : null;
      result.push(...this.labeledStmt(firstLS!, nextLS === null ? ls.label : nextLS.label));
      firstLS = nextLS;
    }
    result.push(...pair1[1]);
    if (!isTRUE(w.test)) result.push(...pair2[1]);
    return result;
  }

  private labelIf(ast: LabelIf, next: string): [Stmt[], LabeledStmt[]] {
    let firstThen = ast.labThen.length > 0 ? ast.labThen[0]! : null;
    let firstElse = ast.labElse.length > 0 ? ast.labElse[0]! : null;
    const explodedThen = this.lastStmtWithGoto(ast.unlabThen, firstThen === null ? next : firstThen.label);
    const explodedElse = this.lastStmtWithGoto(ast.unlabElse, firstElse === null ? next : firstElse.label);
    const newIf = new If(ast.test);
    newIf.col = ast.col;
    newIf.line = ast.line;
    newIf.Then = explodedThen[0];
    newIf.Else = explodedElse[0];
    const result2: LabeledStmt[] = [];
    for (let i = 0; i < ast.labThen.length; i++) {
      const nextThen = ast.labThen.length > i + 1 ? ast.labThen[i + 1]! : null;
      result2.push(...this.labeledStmt(firstThen!, nextThen === null ? next : nextThen.label));
      firstThen = nextThen;
    }
    for (let i = 0; i < ast.labElse.length; i++) {
      const nextElse = ast.labElse.length > i + 1 ? ast.labElse[i + 1]! : null;
      result2.push(...this.labeledStmt(firstElse!, nextElse === null ? next : nextElse.label));
      firstElse = nextElse;
    }
    result2.push(...explodedThen[1], ...explodedElse[1]);
    return [[newIf], result2];
  }

  private labelEither(ast: LabelEither, next: string): [Stmt[], LabeledStmt[]] {
    const n = new Either();
    n.col = ast.col;
    n.line = ast.line;
    const result2: LabeledStmt[] = [];
    for (const c of ast.clauses) {
      const res = this.lastStmtWithGoto(c.unlabOr, c.labOr.length > 0 ? c.labOr[0]!.label : next);
      n.ors.push(res[0]);
      result2.push(...res[1], ...this.labeledStmtSeq(c.labOr, next));
    }
    return [[n], result2];
  }

  /** The record pushed for a call of `to`: its name, where to come back, and its variables' values. */
  private stackFrame(pe: { name: string; params: { var: string }[]; decls: { var: string }[] }, to: string, pcValue: Token[], tail: Token[]): Expr {
    const e = new Expr();
    e.addLine();
    for (const t of [builtin("<<"), builtin("["), ident("procedure"), builtin("|->"), str(to), builtin(",")]) e.addToken(t);
    e.addLine();
    for (const t of [ident("pc"), builtin("|->"), ...pcValue]) e.addToken(t);
    for (const d of [...pe.decls, ...pe.params]) {
      e.addToken(builtin(","));
      e.addLine();
      for (const t of [ident(d.var), builtin("|->"), ident(d.var)]) e.addToken(t);
    }
    e.addToken(builtin("]"));
    e.addToken(builtin(">>"));
    e.addLine();
    e.addToken(builtin("\\o"));
    for (const t of tail) e.addToken(t);
    prettyStackTop(e);
    e.normalize();
    return e;
  }

  private call(ast: Call, next: string): Stmt[] {
    const to = this.st.findProc(ast.to);
    if (to === this.st.procs.length) throw errorAt(`Call of non-existent procedure ${ast.to}`, ast);
    const pe = this.st.procs[to]!;
    const ass = new Assign();
    ass.line = ast.line;
    ass.col = ast.col;
    const push = this.assignment("stack", this.stackFrame(pe, ast.to, [str(next)], [added("stack")]), ast);
    ass.ass.push(push);
    if (pe.params.length !== ast.args.length) throw errorAt(`Procedure ${ast.to} called with wrong number of arguments`, ast);
    pe.params.forEach((d, i) => ass.ass.push(this.assignment(d.var, ast.args[i]!, ast)));
    const result: Stmt[] = [ass];
    for (const d of pe.decls) {
      const a = new Assign();
      a.line = ast.line;
      a.col = ast.col;
      a.ass = [this.assignment(d.var, d.val, ast)];
      result.push(a);
    }
    result.push(updatePC(pe.iPC));
    return result;
  }

  private assignment(v: string, rhs: Expr, at: { line: number; col: number }, sub: Expr = makeExpr([])): SingleAssign {
    const lhs = new Lhs(sub);
    lhs.var = v;
    const s = new SingleAssign(lhs, rhs);
    s.line = at.line;
    s.col = at.col;
    return s;
  }

  private returnStmt(ast: Return): Stmt[] {
    if (ast.from === null) ast.from = this.currentProcedure;
    if (ast.from === null) throw errorAt("`return' statement not in procedure", ast);
    const from = this.st.findProc(ast.from);
    if (!(from < this.st.procs.length)) throw errorAt("Error in procedure (perhaps name used elsewhere)", ast);
    const pe = this.st.procs[from]!;
    const one = (v: string, rhs: Expr): Assign => {
      const a = new Assign();
      a.line = ast.line;
      a.col = ast.col;
      a.ass = [this.assignment(v, rhs, ast, new Expr())];
      return a;
    };
    const result: Stmt[] = [one("pc", headOfStack("pc"))];
    for (const d of pe.decls) result.push(one(d.var, headOfStack(d.var)));
    for (const d of pe.params) result.push(one(d.var, headOfStack(d.var)));
    result.push(one("stack", makeExpr([[ident("Tail"), builtin("("), added("stack"), builtin(")")]])));
    return result;
  }

  private callReturn(ast: CallReturn): Stmt[] {
    if (ast.from === null) throw errorAt("`return' statement following `call' not in a procedure", ast);
    const peFrom = this.st.procs[this.st.findProc(ast.from)];
    if (!peFrom) throw errorAt("Error in procedure (perhaps name used elsewhere)", ast);
    const to = this.st.findProc(ast.to);
    if (to === this.st.procs.length) throw errorAt(`Call of non-existent procedure ${ast.to}`, ast);
    const peTo = this.st.procs[to]!;
    const ass = new Assign();
    ass.line = ast.line;
    ass.col = ast.col;
    if (ast.from !== ast.to) {
      // Restore the caller's locals, and replace its frame by the callee's (returning to the caller's caller).
      for (const d of peFrom.decls) ass.ass.push(this.assignment(d.var, headOfStack(d.var), ast, new Expr()));
      const pcOfHead = [ident("Head"), builtin("("), added("stack"), builtin(")"), builtin("."), ident("pc")];
      const tail = [ident("Tail"), builtin("("), added("stack"), builtin(")")];
      ass.ass.push(this.assignment("stack", this.stackFrame(peTo, ast.to, pcOfHead, tail), ast));
    }
    if (peTo.params.length !== ast.args.length) throw errorAt(`Procedure ${ast.to} called with wrong number of arguments`, ast);
    peTo.params.forEach((d, i) => ass.ass.push(this.assignment(d.var, ast.args[i]!, ast)));
    const result: Stmt[] = [ass];
    for (const d of peTo.decls) {
      const a = new Assign();
      a.line = ast.line;
      a.col = ast.col;
      a.ass = [this.assignment(d.var, d.val, ast)];
      result.push(a);
    }
    result.push(updatePC(peTo.iPC));
    return result;
  }

  private callGoto(ast: CallGoto): Stmt[] {
    const c = new Call();
    c.to = ast.to;
    c.args = ast.args;
    c.line = ast.line;
    c.col = ast.col;
    return this.call(c, ast.after);
  }
}
