/**
 * Applies the symbol table's renamings to the algorithm in place (pcal.trans's `PcalFixIDs`):
 * declarations, labels, procedure names in calls, `goto` targets and identifiers in
 * expressions. It also closes each process's set of called procedures transitively (the
 * fairness of a process extends to the procedures it calls) and rejects a `goto` to a label
 * that does not exist.
 *
 * @module
 */
import type { Algorithm, LabeledStmt, Procedure, Process, Stmt } from "./ast.js";
import { errorAt, PlusCalError } from "./errors.js";
import { Expr, ExprError, Token } from "./expr.js";
import { LABEL, PROCEDURE, PROCESS, type SymTab } from "./symtab.js";

/** Renames everything in `ast` as `st` decided. */
export function fixIds(ast: Algorithm, st: SymTab): void {
  new Fixer(st).fix(ast);
  if (st.iPC !== null) st.iPC = st.useThis(LABEL, st.iPC, "");
}

class Fixer {
  constructor(private readonly st: SymTab) {}

  fix(ast: Algorithm): void {
    for (const d of ast.decls) {
      d.var = this.st.useThisVar(d.var, "");
      this.expr(d.val, "");
    }
    if (ast.kind === "uniprocess") {
      for (const p of ast.prcds) this.procedure(p);
      for (const ls of ast.body) this.labeledStmt(ls, "");
      return;
    }
    const names: string[] = [];
    const called: string[][] = [];
    for (const p of ast.prcds) {
      this.procedure(p);
      names.push(p.name);
      called.push(p.proceduresCalled);
    }
    // Transitive closure (Warshall) of "calls", over the renamed procedure names.
    const n = names.length;
    const path = names.map((_, i) => names.map((nm) => called[i]!.includes(nm)));
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) path[i]![j] = path[i]![j]! || (path[i]![k]! && path[k]![j]!);
    ast.prcds.forEach((p, i) => {
      p.proceduresCalled = names.filter((_, j) => path[i]![j]);
    });
    for (const proc of ast.procs) {
      this.process(proc);
      const pCalled = proc.proceduresCalled;
      for (let j = 0; j < pCalled.length; j++) {
        const num = names.indexOf(pCalled[j]!);
        if (num === -1) throw new PlusCalError(`Could not find procedure name \`${pCalled[j]}'`, proc.line, proc.col);
        for (let k = 0; k < n; k++) if (path[num]![k] && !proc.proceduresCalled.includes(names[k]!)) proc.proceduresCalled.push(names[k]!);
      }
    }
  }

  private procedure(p: Procedure): void {
    for (const d of p.decls) {
      d.var = this.st.useThisVar(d.var, p.name);
      this.expr(d.val, p.name);
    }
    for (const d of p.params) {
      d.var = this.st.useThisVar(d.var, p.name);
      this.expr(d.val, p.name);
    }
    for (const ls of p.body) this.labeledStmt(ls, p.name);
    const entry = this.st.procs[this.st.findProc(p.name)]!;
    p.plusLabels = p.plusLabels.map((l) => this.st.useThis(LABEL, l, p.name));
    p.minusLabels = p.minusLabels.map((l) => this.st.useThis(LABEL, l, p.name));
    entry.iPC = entry.iPC === null ? null : this.st.useThis(LABEL, entry.iPC, p.name);
    p.name = this.st.useThis(PROCEDURE, p.name, "");
    entry.name = p.name;
  }

  private process(p: Process): void {
    for (const d of p.decls) {
      d.var = this.st.useThisVar(d.var, p.name);
      this.expr(d.val, p.name);
    }
    for (const ls of p.body) this.labeledStmt(ls, p.name);
    const entry = this.st.processes[this.st.findProcess(p.name)]!;
    p.plusLabels = p.plusLabels.map((l) => this.st.useThis(LABEL, l, p.name));
    p.minusLabels = p.minusLabels.map((l) => this.st.useThis(LABEL, l, p.name));
    entry.iPC = entry.iPC === null ? null : this.st.useThis(LABEL, entry.iPC, p.name);
    p.name = this.st.useThis(PROCESS, p.name, "");
    entry.name = p.name;
  }

  private labeledStmt(ls: LabeledStmt, context: string): void {
    ls.label = this.st.useThis(LABEL, ls.label, context);
    for (const s of ls.stmts) this.stmt(s, context);
  }

  private stmt(s: Stmt, context: string): void {
    switch (s.kind) {
      case "labeledStmt":
        return this.labeledStmt(s, context);
      case "while":
        for (const x of s.unlabDo) this.stmt(x, context);
        for (const x of s.labDo) this.labeledStmt(x, context);
        this.expr(s.test, context);
        return;
      case "assign":
        for (const sa of s.ass) {
          sa.lhs.var = this.st.useThisVar(sa.lhs.var, context);
          this.expr(sa.lhs.sub, context);
          this.expr(sa.rhs, context);
        }
        return;
      case "if":
        for (const x of s.Then) this.stmt(x, context);
        for (const x of s.Else) this.stmt(x, context);
        this.expr(s.test, context);
        return;
      case "with":
        this.expr(s.exp, context);
        for (const x of s.Do) this.stmt(x, context);
        return;
      case "when":
      case "print":
      case "assert":
        this.expr(s.exp, context);
        return;
      case "skip":
        return;
      case "labelIf":
        this.expr(s.test, context);
        for (const x of s.unlabThen) this.stmt(x, context);
        for (const x of s.labThen) this.labeledStmt(x, context);
        for (const x of s.unlabElse) this.stmt(x, context);
        for (const x of s.labElse) this.labeledStmt(x, context);
        return;
      case "call":
        s.returnTo = this.st.useThis(PROCEDURE, s.returnTo, context);
        s.to = this.st.useThis(PROCEDURE, s.to, context);
        for (const a of s.args) this.expr(a, context);
        return;
      case "return":
        s.from = s.from === null ? null : this.st.useThis(PROCEDURE, s.from, context);
        return;
      case "callReturn":
        s.from = s.from === null ? null : this.st.useThis(PROCEDURE, s.from, context);
        s.to = this.st.useThis(PROCEDURE, s.to, context);
        for (const a of s.args) this.expr(a, context);
        return;
      case "callGoto":
        s.after = this.st.useThis(PROCEDURE, s.after, context);
        s.to = this.st.useThis(PROCEDURE, s.to, context);
        for (const a of s.args) this.expr(a, context);
        return;
      case "goto":
        if (this.st.findSym(LABEL, s.to, context) === this.st.symtab.length && s.to !== "Done") {
          throw errorAt(`\`goto' to non-existent label \`${s.to}'`, s);
        }
        s.to = this.st.useThis(LABEL, s.to, context);
        return;
      case "either":
        for (const o of s.ors) for (const x of o) this.stmt(x, context);
        return;
      case "labelEither":
        for (const c of s.clauses) {
          for (const x of c.unlabOr) this.stmt(x, context);
          for (const x of c.labOr) this.labeledStmt(x, context);
        }
        return;
      case "macroCall":
        return;
    }
  }

  /** Renames the identifiers of `e` whose translation name differs. */
  private expr(e: Expr, context: string): void {
    const subs: Expr[] = [];
    const ids: string[] = [];
    for (const line of e.tokens) {
      for (const tok of line) {
        if (tok.type !== "ident") continue;
        const useMe = this.st.useThisVar(tok.string, context);
        if (ids.includes(tok.string) || useMe === tok.string) continue;
        ids.push(tok.string);
        subs.push(Expr.line([new Token(useMe, 0, "ident")]));
      }
    }
    if (subs.length === 0) return;
    try {
      e.substituteForAll(subs, ids, false);
    } catch (err) {
      if (err instanceof ExprError) throw new PlusCalError(err.message);
      throw err;
    }
  }
}
