/**
 * The symbol table of an algorithm, and the renaming of clashing names (pcal.trans's
 * `PcalSymTab`): the same name used for a global, a label, a procedure, a process, a local
 * variable or a parameter gets a suffix (`_`, then letters of its context, then the type's
 * number) until it is unique, and the translation starts with a comment per renaming.
 *
 * @module
 */
import type { Algorithm, LabeledStmt, Procedure, Process, PVarDecl, Stmt, VarDecl } from "./ast.js";
import type { Expr } from "./expr.js";

export const GLOBAL = 0;
export const LABEL = 1;
export const PROCEDURE = 2;
export const PROCESS = 3;
export const PROCESSVAR = 4;
export const PROCEDUREVAR = 5;
export const PARAMETER = 6;
const NUM_VTYPES = 7;
const TYPE_NAMES = ["Global variable", "Label", "Procedure", "Process", "Process variable", "Procedure variable", "Parameter"];

/** A symbol: its name, where it is declared, and the name the translation uses. */
export interface SymEntry {
  type: number;
  id: string;
  context: string;
  cType: string;
  line: number;
  col: number;
  useThis: string;
}

/** A procedure's entry: its (renamed) name, parameters, variables and first label. */
export interface ProcedureEntry {
  name: string;
  params: PVarDecl[];
  decls: PVarDecl[];
  iPC: string | null;
  ast: Procedure;
}

/** A process's entry: its name, `=` or `\in`, the id expression, variables and first label. */
export interface ProcessEntry {
  name: string;
  isEq: boolean;
  id: Expr;
  decls: VarDecl[];
  iPC: string | null;
  ast: Process;
}

/** The symbol table; build with the algorithm, then {@link SymTab.disambiguate}. */
export class SymTab {
  readonly symtab: SymEntry[] = [];
  readonly procs: ProcedureEntry[] = [];
  readonly processes: ProcessEntry[] = [];
  readonly disambiguateReport: string[] = [];
  errorReport = "";
  /** Where the first error of {@link errorReport} is (1-based). */
  errorLine: number | undefined;
  errorCol: number | undefined;
  /** First label of a uniprocess algorithm. */
  iPC: string | null = null;

  constructor(ast: Algorithm) {
    this.insertSym(GLOBAL, "pc", "", "", 0, 0);
    if (ast.kind === "uniprocess") {
      if (ast.prcds.length > 0) this.insertSym(GLOBAL, "stack", "", "", 0, 0);
      for (const d of ast.decls) this.varDecl(d, "");
      for (const p of ast.prcds) this.procedure(p);
      if (ast.body.length > 0) this.iPC = ast.body[0]!.label;
      for (const ls of ast.body) this.labeledStmt(ls, "", "");
    } else {
      if (ast.prcds.length > 0) this.insertSym(GLOBAL, "stack", "", "", 0, 0);
      for (const d of ast.decls) this.varDecl(d, "");
      for (const p of ast.prcds) this.procedure(p);
      for (const p of ast.procs) this.process(p);
    }
  }

  private report(msg: string, line: number, col: number): void {
    if (this.errorReport === "") {
      this.errorLine = line;
      this.errorCol = col;
    }
    this.errorReport += `\n${msg} redefined at line ${line}, column ${col}`;
  }

  /** Adds a symbol; false if it clashes (a local variable may not shadow a global or a name of its context). */
  insertSym(type: number, id: string, context: string, cType: string, line: number, col: number): boolean {
    if (type === PROCEDUREVAR || type === PROCESSVAR || type === PARAMETER) {
      if (this.findSym(GLOBAL, id, "") < this.symtab.length) return false;
      if (this.findSymAny(id, context) < this.symtab.length) return false;
    } else if (this.findSym(type, id, context) < this.symtab.length) return false;
    this.symtab.push({ type, id, context, cType, line, col, useThis: id });
    return true;
  }

  findSym(type: number, id: string, context: string): number {
    const i = this.symtab.findIndex((s) => s.id === id && s.context === context && s.type === type);
    return i < 0 ? this.symtab.length : i;
  }

  findSymAny(id: string, context: string): number {
    const i = this.symtab.findIndex((s) => s.id === id && s.context === context);
    return i < 0 ? this.symtab.length : i;
  }

  findProc(id: string): number {
    const i = this.procs.findIndex((p) => p.name === id);
    return i < 0 ? this.procs.length : i;
  }

  findProcess(id: string): number {
    const i = this.processes.findIndex((p) => p.name === id);
    return i < 0 ? this.processes.length : i;
  }

  /** The translation's name for a symbol of `type` (the name itself when not a symbol). */
  useThis(type: number, id: string, context: string): string {
    const i = this.findSym(type, id, context);
    return i === this.symtab.length ? id : this.symtab[i]!.useThis;
  }

  /** The translation's name for a variable referred to in `context` (pcal.trans's rule, quirks included). */
  useThisVar(id: string, context: string): string {
    const i = this.findSymAny(id, context);
    if (i === this.symtab.length) return id;
    const se = this.symtab[i]!;
    if (se.type === GLOBAL || se.type === PROCESSVAR || se.type === PROCEDUREVAR || se.type === PARAMETER) return se.useThis;
    return id;
  }

  private ambiguous(id: string): boolean {
    let found = false;
    for (const s of this.symtab) {
      if (s.useThis === id) {
        if (found) return true;
        found = true;
      }
    }
    return false;
  }

  /** Renames clashing symbols, type by type, and records a comment line per renaming. */
  disambiguate(): void {
    for (let vtype = 0; vtype <= NUM_VTYPES; vtype++) {
      for (const se of this.symtab) {
        if (se.type !== vtype) continue;
        se.useThis = se.id;
        let suffix = 0;
        while (vtype > 0 && this.ambiguous(se.useThis)) {
          suffix++;
          if (suffix === 1) se.useThis += "_";
          else if (suffix > se.context.length + 1) se.useThis += String(vtype);
          else se.useThis += se.context.charAt(suffix - 2);
        }
        if (se.id !== se.useThis) {
          const ctx = se.context.length === 0 ? "" : ` of ${se.cType} ${se.context}`;
          this.disambiguateReport.push(`\\* ${TYPE_NAMES[se.type]} ${se.id}${ctx} at line ${se.line} col ${se.col} changed to ${se.useThis}`);
        }
      }
    }
  }

  private procedure(p: Procedure): void {
    if (this.findProc(p.name) < this.procs.length) this.report(`Procedure ${p.name}`, p.line, p.col);
    else this.procs.push({ name: p.name, params: p.params, decls: p.decls, iPC: p.body.length === 0 ? null : p.body[0]!.label, ast: p });
    this.insertSym(PROCEDURE, p.name, "", "procedure", p.line, p.col);
    for (const d of p.decls) {
      if (!this.insertSym(PROCEDUREVAR, d.var, p.name, "procedure", d.line, d.col)) this.report(`Procedure variable ${d.var}`, d.line, d.col);
    }
    for (const d of p.params) {
      if (!this.insertSym(PARAMETER, d.var, p.name, "procedure", d.line, d.col)) this.report(`Parameter ${d.var}`, d.line, d.col);
    }
    for (const ls of p.body) this.labeledStmt(ls, p.name, "procedure");
  }

  private process(p: Process): void {
    if (this.findProcess(p.name) < this.processes.length) this.report(`Process ${p.name}`, p.line, p.col);
    else this.processes.push({ name: p.name, isEq: p.isEq, id: p.id, decls: p.decls, iPC: p.body.length === 0 ? null : p.body[0]!.label, ast: p });
    this.insertSym(PROCESS, p.name, "", "process", p.line, p.col);
    for (const d of p.decls) this.varDecl(d, p.name);
    for (const ls of p.body) this.labeledStmt(ls, p.name, "process");
  }

  private varDecl(d: VarDecl, context: string): void {
    const vtype = context === "" ? GLOBAL : PROCESSVAR;
    if (!this.insertSym(vtype, d.var, context, "process", d.line, d.col)) this.report(`${TYPE_NAMES[vtype]} ${d.var}`, d.line, d.col);
  }

  private labeledStmt(ls: LabeledStmt, context: string, cType: string): void {
    if (!this.insertSym(LABEL, ls.label, context, cType, ls.line, ls.col)) this.report(`Label ${ls.label}`, ls.line, ls.col);
    for (const s of ls.stmts) this.stmt(s, context, cType);
  }

  private stmt(s: Stmt, context: string, cType: string): void {
    switch (s.kind) {
      case "while":
        for (const x of s.unlabDo) this.stmt(x, context, cType);
        for (const x of s.labDo) this.labeledStmt(x, context, cType);
        return;
      case "if":
        for (const x of s.Then) this.stmt(x, context, cType);
        for (const x of s.Else) this.stmt(x, context, cType);
        return;
      case "with":
        for (const x of s.Do) this.stmt(x, context, cType);
        return;
      case "labelIf":
        for (const x of s.unlabThen) this.stmt(x, context, cType);
        for (const x of s.labThen) this.labeledStmt(x, context, cType);
        for (const x of s.unlabElse) this.stmt(x, context, cType);
        for (const x of s.labElse) this.labeledStmt(x, context, cType);
        return;
      case "either":
        for (const o of s.ors) for (const x of o) this.stmt(x, context, cType);
        return;
      case "labelEither":
        for (const c of s.clauses) {
          for (const x of c.unlabOr) this.stmt(x, context, cType);
          for (const x of c.labOr) this.labeledStmt(x, context, cType);
        }
        return;
      default:
        return;
    }
  }
}
