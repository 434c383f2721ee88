/**
 * Macro expansion, as pcal.trans does it: a call is replaced by the macro's body with each
 * argument substituted for its parameter (in parentheses unless either side is one token). An
 * assigned parameter takes the argument's first token as variable and the rest as a subscript
 * prefix: `x[1]` for `p` in `p[i] := e` gives `x[1][i] := e`.
 *
 * @module
 */
import {
  Assert, Assign, Call, CallGoto, CallReturn, Clause, Either, Goto, If, LabeledStmt, LabelEither, LabelIf, Lhs, PrintS,
  Return, SingleAssign, Skip, When, While, With, type Macro, type MacroCall, type Stmt,
} from "./ast.js";
import { errorAt } from "./errors.js";
import { ExprError, type Expr } from "./expr.js";

/** Rejects two macros with the same name. */
export function checkForDuplicateMacros(macros: readonly Macro[]): void {
  for (let i = 0; i < macros.length; i++) {
    for (let j = i + 1; j < macros.length; j++) {
      if (macros[i]!.name === macros[j]!.name) throw errorAt(`Multiple definitions of macro name \`${macros[i]!.name}'`, macros[j]!);
    }
  }
}

/** Replaces, in place and in nested statements, each macro call by its expansion. */
export function expandMacrosInStmtSeq(seq: Stmt[], macros: readonly Macro[]): void {
  for (let i = 0; i < seq.length; i++) {
    const node = seq[i]!;
    switch (node.kind) {
      case "labelIf":
        expandMacrosInStmtSeq(node.unlabThen, macros);
        expandMacrosInStmtSeq(node.unlabElse, macros);
        break;
      case "labelEither":
        for (const c of node.clauses) expandMacrosInStmtSeq(c.unlabOr, macros);
        break;
      case "with":
        expandMacrosInStmtSeq(node.Do, macros);
        break;
      case "while":
        expandMacrosInStmtSeq(node.unlabDo, macros);
        break;
      case "macroCall": {
        const expansion = expandMacroCall(node, macros);
        seq.splice(i, 1, ...expansion);
        i += expansion.length - 1;
        break;
      }
      default:
        break;
    }
  }
}

function expandMacroCall(call: MacroCall, macros: readonly Macro[]): Stmt[] {
  let def: Macro | undefined;
  for (const m of macros) if (m.name === call.name) def = m;
  if (!def) throw errorAt(`Macro ${call.name} undefined`, call);
  if (def.params.length !== call.args.length) throw errorAt(`Macro ${call.name} called with wrong number of arguments (${call.args.length} for ${def.params.length})`, call);
  const result = substituteInStmtSeq(def.body, call.args, def.params, call.line, call.col);
  if (result.length > 0) result[0]!.lbl = call.lbl;
  return result;
}

/** Copies of `stmts` with `args` substituted for `params`, marked as expanded from a call at (line, col). */
export function substituteInStmtSeq(stmts: readonly Stmt[], args: readonly Expr[], params: readonly string[], macroLine: number, macroCol: number): Stmt[] {
  return stmts.map((s) => substituteInStmt(s, args, params, macroLine, macroCol));
}

function substituteInLabeledStmtSeq(stmts: readonly LabeledStmt[], args: readonly Expr[], params: readonly string[]): LabeledStmt[] {
  return stmts.map((s) => {
    const r = new LabeledStmt();
    r.label = s.label;
    r.stmts = substituteInStmtSeq(s.stmts, args, params, -1, 0);
    return r;
  });
}

/** A copy of `e` with the substitution done. */
function subst(e: Expr, args: readonly Expr[], params: readonly string[]): Expr {
  const c = e.cloneAndNormalize();
  c.substituteForAll(args, params);
  return c;
}

function place<T extends Stmt>(r: T, t: Stmt, macroLine: number, macroCol: number, copyMacro = true): T {
  r.col = t.col;
  r.line = t.line;
  if (copyMacro) {
    r.macroCol = t.macroCol;
    r.macroLine = t.macroLine;
  }
  if (macroLine > 0) {
    r.macroLine = macroLine;
    r.macroCol = macroCol;
  }
  return r;
}

function substituteInStmt(t: Stmt, args: readonly Expr[], params: readonly string[], ml: number, mc: number): Stmt {
  try {
    switch (t.kind) {
      case "assign": {
        const r = place(new Assign(), t, ml, mc);
        r.ass = t.ass.map((sa) => substituteInSingleAssign(sa, args, params, ml, mc));
        return r;
      }
      case "if": {
        const r = place(new If(subst(t.test, args, params)), t, ml, mc);
        r.Then = substituteInStmtSeq(t.Then, args, params, ml, mc);
        r.Else = substituteInStmtSeq(t.Else, args, params, ml, mc);
        return r;
      }
      case "either": {
        const r = place(new Either(), t, ml, mc);
        r.ors = t.ors.map((o) => substituteInStmtSeq(o, args, params, ml, mc));
        return r;
      }
      case "with": {
        const r = place(new With(subst(t.exp, args, params)), t, ml, mc);
        r.var = t.var;
        r.isEq = t.isEq;
        r.Do = substituteInStmtSeq(t.Do, args, params, ml, mc);
        return r;
      }
      case "when":
        return place(new When(subst(t.exp, args, params)), t, ml, mc);
      case "assert":
        return place(new Assert(subst(t.exp, args, params)), t, ml, mc);
      case "skip":
        return place(new Skip(), t, ml, mc, false);
      case "print":
        return place(new PrintS(subst(t.exp, args, params)), t, ml, mc);
      case "while": {
        const r = place(new While(subst(t.test, args, params)), t, ml, mc);
        r.unlabDo = substituteInStmtSeq(t.unlabDo, args, params, ml, mc);
        r.labDo = substituteInLabeledStmtSeq(t.labDo, args, params);
        return r;
      }
      case "labelIf": {
        const r = place(new LabelIf(subst(t.test, args, params)), t, ml, mc);
        r.unlabThen = substituteInStmtSeq(t.unlabThen, args, params, ml, mc);
        r.labThen = substituteInLabeledStmtSeq(t.labThen, args, params);
        r.unlabElse = substituteInStmtSeq(t.unlabElse, args, params, ml, mc);
        r.labElse = substituteInLabeledStmtSeq(t.labElse, args, params);
        return r;
      }
      case "labelEither": {
        const r = place(new LabelEither(), t, ml, mc);
        r.clauses = t.clauses.map((c) => {
          const n = new Clause();
          n.labOr = substituteInLabeledStmtSeq(c.labOr, args, params);
          n.unlabOr = substituteInStmtSeq(c.unlabOr, args, params, ml, mc);
          return n;
        });
        return r;
      }
      case "call": {
        const r = place(new Call(), t, ml, mc);
        r.to = t.to;
        r.returnTo = t.returnTo;
        r.args = t.args.map((a) => subst(a, args, params));
        return r;
      }
      case "return": {
        const r = place(new Return(), t, ml, mc);
        r.from = t.from;
        return r;
      }
      case "callReturn": {
        const r = place(new CallReturn(), t, ml, mc);
        r.to = t.to;
        r.from = t.from;
        r.args = t.args.map((a) => subst(a, args, params));
        return r;
      }
      case "callGoto": {
        const r = place(new CallGoto(), t, ml, mc);
        r.to = t.to;
        r.after = t.after;
        r.args = t.args.map((a) => subst(a, args, params));
        return r;
      }
      case "goto": {
        const r = place(new Goto(), t, ml, mc);
        r.to = t.to;
        return r;
      }
      default:
        throw errorAt(`Found unexpected statement type in macro`, t);
    }
  } catch (e) {
    if (e instanceof ExprError) throw errorAt(e.message, t);
    throw e;
  }
}

function substituteInSingleAssign(a: SingleAssign, args: readonly Expr[], params: readonly string[], ml: number, mc: number): SingleAssign {
  const lhs = new Lhs(a.lhs.sub);
  const r = new SingleAssign(lhs, subst(a.rhs, args, params));
  r.col = a.col;
  r.line = a.line;
  r.macroCol = a.macroCol;
  r.macroLine = a.macroLine;
  if (ml > 0) {
    r.macroLine = ml;
    r.macroCol = mc;
  }
  if (a.lhs.sub.tokens.length !== 0) lhs.sub = subst(a.lhs.sub, args, params);
  lhs.var = a.lhs.var;
  const i = params.indexOf(lhs.var);
  if (i >= 0) {
    const sub = args[i]!;
    const varTok = sub.tokenAt({ one: 0, two: 0 });
    if (varTok.type !== "ident") throw errorAt(`Macro expansion substitutes \`${varTok.string}' for assignment variable`, r);
    lhs.var = varTok.string;
    if (sub.stepCoord({ one: 0, two: 0 }, 1) !== null) {
      // The rest of the argument (e.g. "[0]" of "x[0]") goes in front of the subscript.
      const rest = sub.cloneAndNormalize();
      rest.tokens[0]!.shift();
      rest.normalize();
      if (lhs.sub.tokens.length === 0) lhs.sub = rest;
      else lhs.sub.prepend(rest, 0);
    }
  }
  return r;
}

