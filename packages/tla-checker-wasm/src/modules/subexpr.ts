/**
 * Subexpression references (`Inv!2`, `Init!1`, `Op(a)!2!<<`), as SANY names the parts of a
 * definition: `!n` is the n-th conjunct or disjunct of a list, or the n-th argument of an operator
 * application (infix ones included), `!<<` and `!>>` the left and right operand, `!:` the body.
 *
 * The converter turns each reference into an application of an operator named like it; here each
 * such operator is defined beside its base definition, with the base's parameters and the selected
 * part as its body. The part is then compiled in the base's scope, with the base's parameters bound
 * to the reference's arguments, which is what the reference means. Parts inside a binder (a
 * quantifier, CHOOSE, a set or function constructor, LET, LAMBDA) would need SANY's `!(e)`
 * instantiation of the bound names; they are reported as unsupported, never guessed.
 *
 * @module
 */
import type { Def, Expr, ModuleAst, SubexprRef, SubexprStep } from "../ast/types.js";
import { TlaError } from "../model.js";
import type { ModuleTable } from "./resolve.js";

type OpDefAst = Extract<Def, { k: "op" }>;

/** Whether `name` is that of an operator defined for a subexpression reference (`Next!1`). */
export function isSubexpressionName(name: string): boolean {
  return name.includes("!");
}

/** Define the operator of every subexpression reference of every module in `table`. */
export function addSubexpressionDefs(table: ModuleTable): void {
  const mods = new Set<ModuleAst>();
  const collect = (m: ModuleAst): void => {
    if (mods.has(m)) return;
    mods.add(m);
    for (const u of m.units) if (u.k === "module") collect(u.mod);
  };
  for (const m of table.values()) collect(m);
  for (const m of mods) for (const ref of m.subexprs ?? []) define(m, ref, table);
}

function define(from: ModuleAst, ref: SubexprRef, table: ModuleTable): void {
  const found = findDef(from, ref.base, table, new Set());
  const where = (message: string): TlaError => new TlaError("semantic", message, { file: from.file, line: ref.span.line, column: ref.span.col });
  if (!found) throw where(`${ref.name}: no operator ${ref.base} is defined in module ${from.name} or the modules it extends`);
  const { mod, def } = found;
  if (mod.units.some((u) => u.k === "op" && u.name === ref.name)) return;
  let e: Expr = def.body;
  let path = ref.base;
  for (const step of ref.steps) {
    path += stepText(step);
    const next = select(e, step);
    if (typeof next === "string") throw new TlaError("unsupported", `${ref.name}: ${path} ${next}`, { file: from.file, line: ref.span.line, column: ref.span.col });
    e = next;
  }
  mod.units.push({ k: "op", name: ref.name, params: def.params, body: e, local: def.local, span: def.span });
}

/** The module-level operator `name` visible in `mod`: its own, or one of a module it extends. */
function findDef(mod: ModuleAst, name: string, table: ModuleTable, seen: Set<string>): { mod: ModuleAst; def: OpDefAst } | null {
  if (seen.has(mod.name)) return null;
  seen.add(mod.name);
  for (const u of mod.units) if (u.k === "op" && u.name === name) return { mod, def: u };
  for (const x of mod.extends) {
    const m = table.get(x.name);
    const hit = m ? findDef(m, name, table, seen) : null;
    if (hit) return hit;
  }
  return null;
}

function stepText(step: SubexprStep): string {
  return step.k === "child" ? `!${step.n}` : step.k === "left" ? "!<<" : step.k === "right" ? "!>>" : "!:";
}

/** The operands of `e` SANY numbers for `!n`, or why there are none to select. */
function operands(e: Expr): Expr[] | string {
  switch (e.k) {
    case "and":
    case "or":
      return e.items;
    case "app":
    case "prefixed":
      return e.args;
    case "if":
      return [e.c, e.t, e.e];
    case "tuple":
    case "setlit":
      return e.elems;
    case "fnapp":
      return [e.fn, ...e.args];
    case "prime":
    case "unchanged":
    case "enabled":
    case "temporal":
      return [e.e];
    case "leadsto":
      return [e.a, e.b];
    case "step":
      return [e.action, e.sub];
    case "times":
      return e.sets;
    case "dot":
      return [e.rec];
    case "quant":
    case "uquant":
    case "choose":
    case "setfilter":
    case "setmap":
    case "fnlit":
    case "let":
    case "lambda":
      return "selects inside a binder (its bound names would need !(e)), which";
    default:
      return `selects an operand of a ${e.k} expression, which`;
  }
}

function select(e: Expr, step: SubexprStep): Expr | string {
  if (step.k === "colon") return e;
  const ops = operands(e);
  if (typeof ops === "string") return `${ops} is not supported`;
  if (step.k === "child") {
    if (step.n < 1 || step.n > ops.length) return `does not exist: the expression has ${ops.length} operand(s)`;
    return ops[step.n - 1]!;
  }
  if (ops.length !== 2) return `does not exist: !<< and !>> select the operands of a binary operator, and this expression has ${ops.length}`;
  return step.k === "left" ? ops[0]! : ops[1]!;
}
