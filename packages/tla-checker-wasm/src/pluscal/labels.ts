/**
 * Labels: where PlusCal requires them, adding them where pcal.trans would (`Lbl_1`, ...), and
 * turning statement sequences into labelled steps. A label is needed on the first statement, on
 * a `while`, after a `call`, `return` or `goto`, after an `if` or `either` that contains one of
 * those or a label, and on a statement that assigns a variable already assigned in the same
 * step. In an algorithm whose user wrote labels (and without `-label`), every needed label
 * that is missing is an error, reported with the reason it is needed.
 *
 * @module
 */
import {
  Either, If, LabeledStmt, type LabelEither, type LabelIf, type Procedure, type Stmt, type While,
} from "./ast.js";
import { errorAt, PlusCalError } from "./errors.js";
import type { Flags } from "./params.js";

/** A label the translator added. */
export interface AddedLabel {
  label: string;
  line: number;
  col: number;
  location: string;
  reason: string;
}

/** Adds missing labels and builds labelled steps; one per algorithm (label numbering is shared). */
export class LabelAdder {
  /** Whether the user wrote any label. */
  hasLabel = false;
  /** Every label the user wrote. */
  readonly allLabels = new Set<string>();
  readonly added: AddedLabel[] = [];
  private nextLabelNum = 1;
  private currentProcedure: string | null = null;

  constructor(
    private readonly labelRoot: string,
    private readonly procedures: readonly Procedure[],
  ) {}

  /** Adds the labels `stmts` needs (its first statement always needs one). */
  add(stmts: Stmt[], currentProcedure: string | null): void {
    this.currentProcedure = currentProcedure;
    this.inner(stmts, "it begins a process, procedure or algorithm body", false, [], []);
  }

  /** The error for labels that were needed but not written. */
  missingLabelsError(): PlusCalError {
    const first = this.added[0]!;
    const where = this.added.map((a) => `\n     ${a.location} (${a.reason})`).join("");
    return new PlusCalError(`Missing label${this.added.length > 1 ? "s" : ""} at the following location${this.added.length > 1 ? "s" : ""}:${where}`, first.line, first.col);
  }

  /**
   * pcal.trans's InnerAddLabels: returns whether the statement after `stmts` needs a label.
   * `firstLabeled` is the reason the first statement needs one (null: it does not); `out`
   * receives the variables assigned in the step that is current after `stmts`.
   */
  private inner(stmts: Stmt[], firstLabeled: string | null, inWith: boolean, inAssigned: readonly string[], out: string[]): boolean {
    copyInto(inAssigned, out);
    let needReason: string | null = firstLabeled;
    let hadOrAddedLabel = false;
    for (const stmt of stmts) {
      if (stmt.lbl !== "") {
        hadOrAddedLabel = true;
        out.length = 0;
        if (inWith) throw errorAt("Label in `with' statement", stmt);
      }
      if (needReason !== null) {
        if (inWith) throw errorAt("Statement follows `call' or `return' inside a `with' statement.", stmt);
        this.needsLabel(stmt, needReason);
        needReason = null;
        hadOrAddedLabel = true;
        out.length = 0;
      }
      switch (stmt.kind) {
        case "labelIf": {
          const thenA: string[] = [];
          const elseA: string[] = [];
          const t = this.inner(stmt.unlabThen, null, inWith, out, thenA);
          const e = this.inner(stmt.unlabElse, null, inWith, out, elseA);
          copyInto(union(thenA, elseA), out);
          needReason = e || t ? "it follows an `if' that contains a label, `call', `return' or `goto'" : null;
          break;
        }
        case "labelEither": {
          const acc: string[] = [];
          let need = false;
          for (const clause of stmt.clauses) {
            const orA: string[] = [];
            need = this.inner(clause.unlabOr, null, inWith, out, orA) || need;
            copyInto(union(orA, acc), acc);
          }
          copyInto(acc, out);
          needReason = need ? "it follows an `either' that contains a label, `call', `return' or `goto'" : null;
          break;
        }
        case "while":
          if (inWith) throw errorAt("`while' inside a `with' statement", stmt);
          this.needsLabel(stmt, "a `while' statement must be labelled");
          hadOrAddedLabel = true;
          out.length = 0;
          this.inner(stmt.unlabDo, null, false, out, []);
          // The statement after a while follows its labelled test: no label needed.
          needReason = null;
          break;
        case "with": {
          const newIn = inWith ? [...inAssigned] : [];
          const newOut: string[] = [];
          const need = this.inner(stmt.Do, null, true, newIn, newOut);
          copyInto(newOut, out);
          // As pcal.trans: an outermost with is compared with what was assigned before `stmts`.
          if (!inWith) {
            const clash = intersection(inAssigned, out);
            if (clash.length > 0) {
              this.needsLabel(stmt, `the \`with' assigns ${names(clash)}, already assigned in this step`);
              hadOrAddedLabel = true;
              out.length = 0;
            }
          }
          needReason = need ? "it follows a `with' that contains a `call', `return' or `goto'" : null;
          break;
        }
        case "assign": {
          const assigned: string[] = [];
          for (const sa of stmt.ass) if (!assigned.includes(sa.lhs.var)) assigned.push(sa.lhs.var);
          const clash = intersection(out, assigned);
          if (clash.length === 0) copyInto(union(out, assigned), out);
          else {
            if (inWith) throw errorAt("Second assignment to same variable inside a `with' statement", stmt);
            this.needsLabel(stmt, `${names(clash)} ${clash.length > 1 ? "are" : "is"} assigned a second time in the same step`);
            hadOrAddedLabel = true;
            copyInto(assigned, out);
          }
          needReason = null;
          break;
        }
        default: {
          needReason = null;
          const assigned: string[] = [];
          let callOrReturn: string | null = null;
          let setsPrcdVbls = false;
          if (stmt.kind === "call" || stmt.kind === "callGoto") {
            callOrReturn = "call";
            if (stmt.to === this.currentProcedure) setsPrcdVbls = true;
          } else if (stmt.kind === "return" || stmt.kind === "callReturn") {
            callOrReturn = stmt.kind === "return" ? "return" : "call";
            setsPrcdVbls = true;
          } else if (stmt.kind === "goto") needReason = "it follows a `goto'";
          if (callOrReturn !== null) {
            needReason = `it follows a \`${stmt.kind === "callGoto" ? "goto" : callOrReturn}'`;
            assigned.push("stack");
            if (setsPrcdVbls) for (const p of this.procedures) assigned.push(...p.params.map((d) => d.var), ...p.decls.map((d) => d.var));
          }
          const clash = intersection(out, assigned);
          if (clash.length === 0) copyInto(union(out, assigned), out);
          else {
            if (inWith) throw errorAt("Call or return makes second assignment to a variable inside a `with' statement", stmt);
            this.needsLabel(stmt, `the \`${callOrReturn}' assigns ${names(clash)}, already assigned in this step`);
            hadOrAddedLabel = true;
            copyInto(assigned, out);
          }
        }
      }
    }
    return hadOrAddedLabel || needReason !== null;
  }

  private needsLabel(stmt: Stmt, reason: string): void {
    if (stmt.lbl !== "") return;
    let lbl = `${this.labelRoot}${this.nextLabelNum++}`;
    while (this.allLabels.has(lbl)) lbl = `${this.labelRoot}${this.nextLabelNum++}`;
    stmt.lbl = lbl;
    stmt.labelReason = reason;
    // A statement from a macro is labelled at the macro call.
    const [line, col] = stmt.macroLine >= 0 ? [stmt.macroLine, stmt.macroCol] : [stmt.line, stmt.col];
    this.added.push({ label: lbl, line, col, location: stmt.location(), reason });
  }

  /** Groups a labelled statement sequence into steps, and checks where labels and jumps may be. */
  makeLabeledStmtSeq(stmts: Stmt[], currentProcedure: string | null): LabeledStmt[] {
    this.currentProcedure = currentProcedure;
    const result = innerMake(stmts);
    this.checkLabeledStmtSeq(result);
    return result;
  }

  private checkLabeledStmtSeq(seq: readonly LabeledStmt[]): void {
    for (const s of seq) this.classifyStmtSeq(s.stmts);
  }

  /**
   * 0: no call, return, goto or label inside; 1: a call, return or goto but no label; 2: a
   * label. An `if` or `either` without labels inside becomes a plain If / Either.
   */
  private classifyStmtSeq(seq: Stmt[]): number {
    let result = 0;
    for (let i = 0; i < seq.length; i++) {
      const node = seq[i]!;
      switch (node.kind) {
        case "labelIf":
          result = this.classifyIf(node);
          if (result < 2) {
            const n = new If(node.test);
            n.Then = node.unlabThen;
            n.Else = node.unlabElse;
            seq[i] = n;
          }
          break;
        case "labelEither":
          result = this.classifyEither(node);
          if (result < 2) {
            const n = new Either();
            n.ors = node.clauses.map((c) => c.unlabOr);
            seq[i] = n;
          }
          break;
        case "with":
          result = this.classifyStmtSeq(node.Do);
          if (result === 2) throw errorAt("`with' statement contains a labeled statement", node);
          break;
        case "while":
          if (i !== 0) throw new Error("PlusCal: while statement not at the beginning of a step");
          this.classifyStmtSeq(node.unlabDo);
          this.checkLabeledStmtSeq(node.labDo);
          break;
        case "call":
          if (!(i < seq.length - 1 && seq[i + 1]!.kind === "return")) result = 1;
          break;
        case "return":
        case "callReturn":
          if (this.currentProcedure === null) throw errorAt("`return' statement not in a procedure", node);
          result = 1;
          break;
        case "goto":
        case "callGoto":
          result = 1;
          break;
        case "assign":
        case "when":
        case "print":
        case "assert":
        case "skip":
        case "macroCall":
          break;
        default:
          throw new Error(`PlusCal: unexpected statement ${node.kind} in a step`);
      }
      if (result > 0) {
        if (i === seq.length - 1) return result;
        throw errorAt("Missing label (the translator found it late)", seq[i + 1]!);
      }
    }
    return result;
  }

  private classifyIf(node: LabelIf): number {
    const thenClass = this.classifyStmtSeq(node.unlabThen);
    let isLabeled = false;
    if (node.labThen.length > 0) {
      isLabeled = true;
      this.checkLabeledStmtSeq(node.labThen);
    }
    const elseClass = this.classifyStmtSeq(node.unlabElse);
    if (node.labElse.length > 0) {
      isLabeled = true;
      this.checkLabeledStmtSeq(node.labElse);
    }
    if (isLabeled || thenClass === 2 || elseClass === 2) return 2;
    return thenClass + elseClass > 0 ? 1 : 0;
  }

  private classifyEither(node: LabelEither): number {
    let theClass = 0;
    for (const c of node.clauses) {
      const u = this.classifyStmtSeq(c.unlabOr);
      if (u > theClass) theClass = u;
      if (c.labOr.length > 0) {
        theClass = 2;
        this.checkLabeledStmtSeq(c.labOr);
      }
    }
    return theClass;
  }
}

/** Groups statements into steps: each labelled statement with the unlabelled ones after it. */
function innerMake(stmts: readonly Stmt[]): LabeledStmt[] {
  const result: LabeledStmt[] = [];
  let next = 0;
  while (next < stmts.length) {
    let stmt = stmts[next]!;
    const ls = new LabeledStmt();
    ls.col = stmt.col;
    ls.line = stmt.line;
    ls.macroCol = stmt.macroCol;
    ls.macroLine = stmt.macroLine;
    if (stmt.lbl === "") throw new Error("PlusCal: step without a label");
    ls.label = stmt.lbl;
    let first = true;
    while (next < stmts.length && (first || stmt.lbl === "")) {
      first = false;
      ls.stmts.push(stmt);
      next++;
      if (next < stmts.length) stmt = stmts[next]!;
    }
    fixStmtSeq(ls.stmts);
    result.push(ls);
  }
  return result;
}

/** Splits each if/either/while body into its unlabelled prefix and its labelled steps. */
function fixStmtSeq(seq: readonly Stmt[]): void {
  const split = (body: readonly Stmt[]): [Stmt[], Stmt[]] => {
    let k = 0;
    while (k < body.length && body[k]!.lbl === "") k++;
    return [body.slice(0, k), body.slice(k)];
  };
  for (const stmt of seq) {
    if (stmt.kind === "labelIf") {
      const [ut, rt] = split(stmt.unlabThen);
      stmt.unlabThen = ut;
      fixStmtSeq(ut);
      stmt.labThen = innerMake(rt);
      const [ue, re] = split(stmt.unlabElse);
      stmt.unlabElse = ue;
      fixStmtSeq(ue);
      stmt.labElse = innerMake(re);
    } else if (stmt.kind === "labelEither") {
      for (const c of stmt.clauses) {
        const [u, r] = split(c.unlabOr);
        c.unlabOr = u;
        fixStmtSeq(u);
        c.labOr = innerMake(r);
      }
    } else if (stmt.kind === "while") {
      const w: While = stmt;
      const [u, r] = split(w.unlabDo);
      w.unlabDo = u;
      fixStmtSeq(u);
      w.labDo = innerMake(r);
    }
  }
}

/**
 * Whether the pc (and the done-stuttering step) can be left out: the body is a single
 * `while TRUE` whose loop has no inner label. pcal.trans clears the flags otherwise.
 */
export function checkBody(body: readonly LabeledStmt[], flags: Flags): void {
  if (body.length === 0) return;
  const fail = () => {
    flags.omitPC = false;
    flags.omitStutteringWhenDone = false;
  };
  if (body.length > 1) return fail();
  const ls = body[0]!;
  if (ls.stmts.length === 0) return;
  if (ls.stmts.length > 1 || ls.stmts[0]!.kind !== "while") return fail();
  const w = ls.stmts[0] as While;
  const toks = w.test.tokens;
  if (toks.length !== 1 || toks[0]!.length !== 1 || toks[0]![0]!.string !== "TRUE") return fail();
  if (w.labDo.length > 0) flags.omitPC = false;
  for (const s of w.unlabDo) {
    if (s.kind === "labelIf" || s.kind === "labelEither" || s.kind === "labeledStmt") {
      flags.omitPC = false;
      return;
    }
  }
}

function copyInto(from: readonly string[], to: string[]): void {
  const src = [...from];
  to.length = 0;
  to.push(...src);
}

function union(s: readonly string[], t: readonly string[]): string[] {
  const r = [...s];
  for (const x of t) if (!r.includes(x)) r.push(x);
  return r;
}

function intersection(s: readonly string[], t: readonly string[]): string[] {
  return t.filter((x) => s.includes(x));
}

function names(vars: readonly string[]): string {
  return vars.map((v) => `\`${v}'`).join(", ");
}
