/**
 * The core's own syntax tree: what the tree-sitter concrete syntax tree is converted to, so the
 * compiler never walks grammar nodes and the parse tree can be freed right after conversion.
 *
 * @module
 */

/** A span in a module's source: 1-based line/column, plus offsets for the source text. */
export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  start: number;
  end: number;
}

/** A bound in `\A x, y \in S`, `{<<a, b>> \in S : ...}`. */
export interface Bound {
  /** Names bound one by one (`x, y \in S`), or one tuple pattern (`<<a, b>> \in S`). */
  names: string[];
  tuple: boolean;
  set: Expr;
}

/** One step of an EXCEPT path: `.field` or `[e1, e2]`. */
export type ExceptStep = { k: "field"; name: string } | { k: "index"; args: Expr[] };

/** An operator argument may be an operator (a name, a symbol or a LAMBDA) or an expression. */
export type Arg = Expr;

/** A step in `A!B(1)!Op(2)`: an instance name with its arguments. */
export interface PrefixStep {
  name: string;
  args: Expr[];
}

/** Expressions. Every node has a span; infix/prefix/postfix operators are `app` by symbol name. */
export type Expr = { span: Span } & (
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "bool"; v: boolean }
  | { k: "id"; name: string }
  | { k: "app"; name: string; args: Arg[] }
  | { k: "prefixed"; path: PrefixStep[]; name: string; args: Arg[] }
  | { k: "opsym"; name: string }
  | { k: "quant"; q: "A" | "E"; bounds: Bound[]; body: Expr }
  | { k: "uquant"; q: "A" | "E"; names: string[]; body: Expr }
  | { k: "choose"; names: string[]; tuple: boolean; set: Expr | null; body: Expr }
  | { k: "setlit"; elems: Expr[] }
  | { k: "setfilter"; bound: Bound; pred: Expr }
  | { k: "setmap"; map: Expr; bounds: Bound[] }
  | { k: "fnapp"; fn: Expr; args: Expr[] }
  | { k: "fnlit"; bounds: Bound[]; body: Expr }
  | { k: "fnset"; dom: Expr; rng: Expr }
  | { k: "reclit"; fields: [string, Expr][] }
  | { k: "recset"; fields: [string, Expr][] }
  | { k: "dot"; rec: Expr; field: string }
  | { k: "except"; fn: Expr; updates: { path: ExceptStep[]; val: Expr }[] }
  | { k: "at" }
  | { k: "tuple"; elems: Expr[] }
  | { k: "times"; sets: Expr[] }
  | { k: "prime"; e: Expr }
  | { k: "unchanged"; e: Expr }
  | { k: "enabled"; e: Expr }
  | { k: "step"; angle: boolean; action: Expr; sub: Expr }
  | { k: "fair"; strong: boolean; sub: Expr; action: Expr }
  | { k: "temporal"; op: "[]" | "<>"; e: Expr }
  | { k: "leadsto"; a: Expr; b: Expr }
  | { k: "if"; c: Expr; t: Expr; e: Expr }
  | { k: "case"; arms: [Expr, Expr][]; other: Expr | null }
  | { k: "let"; defs: Def[]; body: Expr }
  | { k: "and"; items: Expr[] }
  | { k: "or"; items: Expr[] }
  | { k: "lambda"; params: string[]; body: Expr }
);

/** An operator parameter: a plain name, or an operator parameter `F(_, _)` with its arity. */
export interface Param {
  name: string;
  arity: number;
}

/** A definition in a module or LET. */
export type Def = { span: Span; local: boolean } & (
  | { k: "op"; name: string; params: Param[]; body: Expr; recursive?: boolean }
  | { k: "fn"; name: string; bounds: Bound[]; body: Expr }
  | { k: "inst"; name: string | null; params: Param[]; module: string; subs: [string, Expr][]; moduleSpan: Span }
  | { k: "recursive"; names: Param[] }
);

/** A module-level unit other than definitions. */
export type Unit =
  | Def
  | { k: "constants"; span: Span; decls: Param[] }
  | { k: "variables"; span: Span; names: string[]; spans: Span[] }
  | { k: "assume"; span: Span; name: string | null; e: Expr }
  | { k: "module"; span: Span; mod: ModuleAst };

/** A parsed module. */
export interface ModuleAst {
  name: string;
  file: string;
  source: string;
  extends: { name: string; span: Span }[];
  units: Unit[];
  /** Every identifier and number token of the file in source order, for TLC's string order. */
  tokens: string[];
  /** Every string literal of the file in source order, for TLC's string order (interned after all tokens). */
  strings: string[];
  /**
   * Subexpression references (`Inv!2`, `Op(a)!1!<<`) in this module. The converter turns each into
   * an application of a definition named like the reference; `addSubexpressionDefs` defines it.
   */
  subexprs?: SubexprRef[];
}

/** One step of a subexpression reference after the operator: `!2`, `!<<`, `!>>`, `!:`. */
export type SubexprStep = { k: "child"; n: number } | { k: "left" } | { k: "right" } | { k: "colon" };

/** A subexpression reference `Base!steps`, to be defined as an operator named {@link SubexprRef.name}. */
export interface SubexprRef {
  /** The synthetic operator's name, the reference as written without arguments (`Inv!3!1`). */
  name: string;
  /** The definition the reference starts from. */
  base: string;
  steps: SubexprStep[];
  span: Span;
}
