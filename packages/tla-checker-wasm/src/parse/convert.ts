/**
 * Conversion of the tree-sitter-tlaplus concrete syntax tree into the core's {@link ModuleAst}.
 *
 * @module
 */
import type { Node } from "web-tree-sitter";
import type { Bound, Def, ExceptStep, Expr, ModuleAst, Param, PrefixStep, Span, SubexprRef, SubexprStep, Unit } from "../ast/types.js";
import { TlaError } from "../model.js";
import { precedenceConflict, type Fixity } from "./precedence.js";

/** Canonical operator names for the grammar's symbol node types (what user definitions use too). */
const SYMBOLS: Record<string, string> = {
  implies: "=>", plus_arrow: "-+->", equiv: "\\equiv", iff: "<=>", leads_to: "~>", land: "/\\", lor: "\\/",
  assign: ":=", bnf_rule: "::=", eq: "=", neq: "#", lt: "<", gt: ">", leq: "<=", geq: ">=", in: "\\in",
  notin: "\\notin", subseteq: "\\subseteq", supseteq: "\\supseteq", subset: "\\subset", supset: "\\supset",
  compose: "@@", map_to: ":>", map_from: "<:", setminus: "\\", cap: "\\cap", cup: "\\cup", dots_2: "..",
  dots_3: "...", plus: "+", plusplus: "++", oplus: "\\oplus", ominus: "\\ominus", mod: "%", modmod: "%%",
  vert: "|", vertvert: "||", minus: "-", minusminus: "--", amp: "&", ampamp: "&&", odot: "\\odot",
  oslash: "\\oslash", otimes: "\\otimes", mul: "*", mulmul: "**", slash: "/", slashslash: "//",
  div: "\\div", circ: "\\o", star: "\\star", excl: "!!", hashhash: "##", dol: "$", doldol: "$$", qq: "??",
  times: "\\X", pow: "^", powpow: "^^", lnot: "~", union: "UNION", powerset: "SUBSET", domain: "DOMAIN",
  negative: "-.", enabled: "ENABLED", unchanged: "UNCHANGED", always: "[]", eventually: "<>",
  sup_plus: "^+", asterisk: "^*", sup_hash: "^#", prime: "'", uplus: "\\uplus", sqcap: "\\sqcap",
  sqcup: "\\sqcup", sqsubseteq: "\\sqsubseteq", prec: "\\prec", preceq: "\\preceq", succ: "\\succ",
  succeq: "\\succeq", cdot: "\\cdot", wr: "\\wr", bullet: "\\bullet", bigcirc: "\\bigcirc",
};

/** The canonical name of an operator symbol node (infix_op_symbol, or the symbol itself). */
function symbolName(n: Node): string {
  const inner = n.type.endsWith("_op_symbol") ? n.namedChildren[0]! : n;
  return SYMBOLS[inner.type] ?? `\\${inner.type}`;
}

/** The operator a node applies, with its fixity and symbol node, if it is an operator application. */
function operatorOf(n: Node): { name: string; fix: Fixity; sym: Node } | null {
  const fix: Fixity | null = n.type === "bound_infix_op" ? "infix" : n.type === "bound_prefix_op" ? "prefix" : n.type === "bound_postfix_op" ? "postfix" : null;
  if (!fix) return null;
  const sym = n.childForFieldName("symbol");
  if (!sym) return null;
  const name = SYMBOLS[sym.type] ?? (fix === "infix" ? `\\${sym.type}` : sym.type);
  return { name, fix, sym };
}

/** Node types whose text SANY's lexer interns as one token (identifiers, numbers, `Nat` and the like). */
const INTERNED_TOKENS = new Set(["identifier", "identifier_ref", "nat_number", "nat_number_set", "int_number_set", "real_number_set", "boolean_set", "string_set"]);

/** Converts one file's tree. */
export class Converter {
  private readonly tokens: string[] = [];
  private readonly strings: string[] = [];
  private subexprs: SubexprRef[] = [];
  constructor(
    private readonly file: string,
    private readonly source: string,
  ) {}

  /**
   * SANY's precedence check between operator node `n` and its operands written without
   * parentheses (see precedence.ts), reported at the first of the two operators, as SANY does.
   */
  private checkPrecedence(n: Node): void {
    const parent = operatorOf(n);
    if (!parent) return;
    const operands: [Node | null, boolean][] =
      parent.fix === "infix" ? [[n.childForFieldName("lhs"), true], [n.childForFieldName("rhs"), false]] : parent.fix === "prefix" ? [[n.childForFieldName("rhs"), false]] : [[n.childForFieldName("lhs"), true]];
    for (const [operand, isLeft] of operands) {
      const child = operand ? operatorOf(operand) : null;
      if (!child || !precedenceConflict(parent.name, parent.fix, child.name, child.fix, isLeft)) continue;
      const first = isLeft ? child : parent;
      const second = isLeft ? parent : child;
      this.fail(first.sym, `Precedence conflict between ops ${first.name} and ${second.name} (SANY rejects them without parentheses: their precedence ranges overlap)`);
    }
  }

  /** A 1-based span of a node. */
  span(n: Node): Span {
    return {
      line: n.startPosition.row + 1,
      col: n.startPosition.column + 1,
      endLine: n.endPosition.row + 1,
      endCol: n.endPosition.column + 1,
      start: n.startIndex,
      end: n.endIndex,
    };
  }

  private fail(n: Node, message: string, kind: "parse" | "unsupported" = "parse"): never {
    throw new TlaError(kind, message, {
      file: this.file,
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
    });
  }

  /** Convert a `module` node (nested modules too). */
  module(n: Node): ModuleAst {
    const nameNode = n.childForFieldName("name");
    if (!nameNode) this.fail(n, "module without a name");
    const mod: ModuleAst = {
      name: nameNode.text,
      file: this.file,
      source: this.source,
      extends: [],
      units: [],
      tokens: this.tokens,
      strings: this.strings,
      subexprs: [],
    };
    this.subexprs = mod.subexprs!;
    for (const c of n.namedChildren) {
      if (!c) continue;
      switch (c.type) {
        case "extends":
          // Comments may sit between the names (`EXTENDS A, \* why\n B`).
          for (const id of c.namedChildren) if (id && id.type !== "comment" && id.type !== "block_comment") mod.extends.push({ name: id.text, span: this.span(id) });
          break;
        case "header_line":
        case "double_line":
        case "single_line":
        case "identifier":
        case "comment":
        case "block_comment":
        case "use_or_hide":
          break;
        default: {
          const u = this.unit(c);
          if (u) mod.units.push(u);
        }
      }
    }
    return mod;
  }

  /**
   * Record the tokens that can name a string or model value, each kind in source order: identifiers
   * and numbers (SANY's lexer interns them as it reads the file) apart from string literals (interned
   * without their quotes later, by the semantic pass). See `modules/tlc-intern.ts`.
   */
  collectTokens(root: Node): void {
    const cursor = root.walk();
    const visit = (): void => {
      const t = cursor.nodeType;
      if (INTERNED_TOKENS.has(t)) {
        this.tokens.push(cursor.nodeText);
        return;
      }
      if (t === "string") {
        this.strings.push(unescape(cursor.nodeText));
        return;
      }
      if (cursor.gotoFirstChild()) {
        do visit();
        while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
    };
    visit();
    cursor.delete();
  }

  private unit(n: Node): Unit | null {
    switch (n.type) {
      case "variable_declaration": {
        const ids = n.namedChildren.filter((c): c is Node => !!c && c.type === "identifier");
        return { k: "variables", span: this.span(n), names: ids.map((i) => i.text), spans: ids.map((i) => this.span(i)) };
      }
      case "constant_declaration":
        return {
          k: "constants",
          span: this.span(n),
          decls: n.namedChildren.filter((c): c is Node => !!c && c.type !== "comment" && c.type !== "block_comment").map((c) => this.param(c)),
        };
      case "recursive_declaration":
        return {
          k: "recursive",
          span: this.span(n),
          local: false,
          names: n.namedChildren.filter((c): c is Node => !!c && c.type !== "comment").map((c) => this.param(c)),
        };
      case "local_definition": {
        const d = this.def(n.namedChildren.find((c) => c && c.type !== "comment")!);
        d.local = true;
        return d;
      }
      case "operator_definition":
      case "function_definition":
      case "instance":
      case "module_definition":
        return this.def(n);
      case "assumption": {
        const name = n.childForFieldName("name");
        const body = n.namedChildren.filter((c): c is Node => !!c && !["identifier", "def_eq", "comment", "block_comment"].includes(c.type));
        return { k: "assume", span: this.span(n), name: name ? name.text : null, e: this.expr(body[body.length - 1]!) };
      }
      case "module":
        return { k: "module", span: this.span(n), mod: new Converter(this.file, this.source).module(n) };
      case "theorem": {
        // A named theorem with an expression as statement defines its name (`T!:` refers to it).
        const name = n.childForFieldName("name");
        const stmt = n.childForFieldName("statement");
        if (!name || !stmt || stmt.type === "assume_prove") return null;
        return { k: "op", span: this.span(n), local: false, name: name.text, params: [], body: this.expr(stmt) };
      }
      case "use_or_hide":
      case "single_line":
      case "comment":
      case "block_comment":
        return null;
      default:
        return this.fail(n, `unexpected ${n.type} at module level`);
    }
  }

  private param(n: Node): Param {
    if (n.type === "identifier") return { name: n.text, arity: 0 };
    if (n.type === "operator_declaration") {
      const name = n.childForFieldName("name")!;
      const arity = n.namedChildren.filter((c) => c && c.type === "placeholder").length;
      return { name: name.type === "identifier" ? name.text : symbolName(name), arity };
    }
    return this.fail(n, `unexpected parameter ${n.text}`);
  }

  /** Convert a definition node. */
  def(n: Node): Def {
    const span = this.span(n);
    switch (n.type) {
      case "operator_definition": {
        const name = n.childForFieldName("name")!;
        const params = n.childrenForFieldName("parameter").filter((c): c is Node => !!c && c.isNamed && c.type !== "comment");
        const body = n.childForFieldName("definition")!;
        const opName = name.type === "identifier" ? name.text : name.type.endsWith("_op_symbol") ? symbolName(name) : name.text;
        return { k: "op", span, local: false, name: opName, params: params.map((p) => this.param(p)), body: this.expr(body) };
      }
      case "function_definition": {
        const bounds = n.namedChildren.filter((c): c is Node => !!c && c.type === "quantifier_bound").map((b) => this.bound(b));
        return { k: "fn", span, local: false, name: n.childForFieldName("name")!.text, bounds, body: this.expr(n.childForFieldName("definition")!) };
      }
      case "instance":
        return this.instance(n, null, []);
      case "module_definition": {
        const name = n.childForFieldName("name")!;
        const params = n.childrenForFieldName("parameter").filter((c): c is Node => !!c && c.isNamed && c.type !== "comment");
        return this.instance(n.childForFieldName("definition")!, name.text, params.map((p) => this.param(p)), span);
      }
      case "recursive_declaration":
        return { k: "recursive", span, local: false, names: n.namedChildren.filter((c): c is Node => !!c && c.type !== "comment").map((c) => this.param(c)) };
      default:
        return this.fail(n, `unexpected definition ${n.type}`);
    }
  }

  private instance(n: Node, name: string | null, params: Param[], span?: Span): Def {
    const ref = n.namedChildren.find((c) => c && c.type === "identifier_ref")!;
    const subs: [string, Expr][] = [];
    for (const s of n.namedChildren) {
      if (!s || s.type !== "substitution") continue;
      const kids = s.namedChildren.filter((c): c is Node => !!c && c.type !== "comment" && c.type !== "block_comment");
      const target = kids[0]!;
      const tname = target.type === "identifier_ref" ? target.text : symbolName(target);
      subs.push([tname, this.arg(kids[2]!)]);
    }
    return { k: "inst", span: span ?? this.span(n), local: false, name, params, module: ref.text, subs, moduleSpan: this.span(ref) };
  }

  private bound(n: Node): Bound {
    const intro = n.childrenForFieldName("intro").filter((c): c is Node => !!c && c.isNamed);
    const set = this.expr(n.childForFieldName("set")!);
    if (intro.length === 1 && intro[0]!.type === "tuple_of_identifiers") {
      const names = intro[0]!.namedChildren.filter((c): c is Node => !!c && c.type === "identifier").map((c) => c.text);
      return { names, tuple: true, set };
    }
    return { names: intro.map((i) => i.text), tuple: false, set };
  }

  /** An operator argument: an operator symbol, a LAMBDA, or an expression. */
  private arg(n: Node): Expr {
    if (n.type === "prefix_op_symbol" || n.type === "infix_op_symbol" || n.type === "postfix_op_symbol") {
      return { k: "opsym", name: symbolName(n), span: this.span(n) };
    }
    return this.expr(n);
  }

  private exprKids(n: Node): Node[] {
    return n.namedChildren.filter((c): c is Node => !!c && c.type !== "comment" && c.type !== "block_comment");
  }

  /** Convert an expression node. */
  expr(n: Node): Expr {
    const span = this.span(n);
    switch (n.type) {
      case "nat_number":
        return { k: "num", v: Number(n.text), span };
      case "binary_number":
        return { k: "num", v: parseInt(n.namedChildren[1]!.text, 2), span };
      case "octal_number":
        return { k: "num", v: parseInt(n.namedChildren[1]!.text, 8), span };
      case "hex_number":
        return { k: "num", v: parseInt(n.namedChildren[1]!.text, 16), span };
      case "real_number":
        return this.fail(n, "real numbers are not supported", "unsupported");
      case "string":
        return { k: "str", v: unescape(n.text), span };
      case "boolean":
        return { k: "bool", v: n.text === "TRUE", span };
      case "string_set":
        return { k: "id", name: "STRING", span };
      case "boolean_set":
        return { k: "id", name: "BOOLEAN", span };
      case "nat_number_set":
        return { k: "id", name: "Nat", span };
      case "int_number_set":
        return { k: "id", name: "Int", span };
      case "real_number_set":
        return { k: "id", name: "Real", span };
      case "parentheses":
        return this.expr(this.exprKids(n)[0]!);
      case "label":
        return this.expr(n.childForFieldName("expression")!);
      case "identifier_ref":
      case "identifier":
        return { k: "id", name: n.text, span };
      case "bound_op": {
        const name = n.childForFieldName("name")!.text;
        const args = n.childrenForFieldName("parameter").filter((c): c is Node => !!c && c.isNamed && c.type !== "comment").map((c) => this.arg(c));
        return { k: "app", name, args, span };
      }
      case "bound_nonfix_op": {
        const kids = this.exprKids(n);
        const name = symbolName(kids[0]!);
        return this.applySymbol(name, kids.slice(1).map((c) => this.expr(c)), span, n);
      }
      case "prefixed_op":
        return this.prefixed(n, span);
      case "bound_prefix_op": {
        const sym = n.childForFieldName("symbol")!;
        this.checkPrecedence(n);
        const rhs = this.expr(n.childForFieldName("rhs")!);
        const name = SYMBOLS[sym.type] ?? sym.type;
        if (name === "-.") return { k: "app", name: "-.", args: [rhs], span };
        return this.applySymbol(name, [rhs], span, n);
      }
      case "bound_infix_op": {
        const sym = n.childForFieldName("symbol")!;
        this.checkPrecedence(n);
        const name = SYMBOLS[sym.type] ?? `\\${sym.type}`;
        const lhsNode = n.childForFieldName("lhs")!;
        const lhs = this.expr(lhsNode);
        const rhs = this.expr(n.childForFieldName("rhs")!);
        if (name === "\\X") {
          // The grammar parses `A \X B \X C` left-nested; TLA+ means one product of three sets.
          const sets = lhs.k === "times" && lhsNode.type === "bound_infix_op" ? [...lhs.sets, rhs] : [lhs, rhs];
          return { k: "times", sets, span };
        }
        if (name === "/\\" || name === "\\/") {
          const k = name === "/\\" ? "and" : "or";
          const items = lhs.k === k && lhsNode.type === "bound_infix_op" ? [...lhs.items, rhs] : [lhs, rhs];
          return { k, items, span };
        }
        return this.applySymbol(name, [lhs, rhs], span, n);
      }
      case "bound_postfix_op": {
        const sym = n.childForFieldName("symbol")!;
        this.checkPrecedence(n);
        const lhs = this.expr(n.childForFieldName("lhs")!);
        if (sym.type === "prime") return { k: "prime", e: lhs, span };
        return { k: "app", name: SYMBOLS[sym.type] ?? sym.type, args: [lhs], span };
      }
      case "bounded_quantification": {
        const q = n.childForFieldName("quantifier")!.type === "forall" ? "A" : "E";
        const bounds = n.childrenForFieldName("bound").filter((c): c is Node => !!c && c.type === "quantifier_bound").map((b) => this.bound(b));
        return { k: "quant", q, bounds, body: this.expr(n.childForFieldName("expression")!), span };
      }
      case "unbounded_quantification": {
        const qt = n.childForFieldName("quantifier")!.type;
        // `\EE x : F` / `\AA x : F`: refused when a definition using it is evaluated (the core's
        // built-ins of those names), not when the module is read: TLC too reads modules that
        // define them (RealTime's RTBound) and fails only on evaluating one.
        if (qt !== "forall" && qt !== "exists") return { k: "app", name: qt === "temporal_exists" ? "\\EE" : "\\AA", args: [], span };
        const names = n.childrenForFieldName("intro").filter((c): c is Node => !!c && c.type === "identifier").map((c) => c.text);
        return { k: "uquant", q: qt === "forall" ? "A" : "E", names, body: this.expr(n.childForFieldName("expression")!), span };
      }
      case "choose": {
        const intro = n.childForFieldName("intro")!;
        const set = n.childForFieldName("set");
        const tupleIntro = intro.type === "tuple_of_identifiers";
        const names = tupleIntro ? intro.namedChildren.filter((c): c is Node => !!c && c.type === "identifier").map((c) => c.text) : [intro.text];
        return { k: "choose", names, tuple: tupleIntro, set: set ? this.expr(set) : null, body: this.expr(n.childForFieldName("expression")!), span };
      }
      case "finite_set_literal":
        return { k: "setlit", elems: this.exprKids(n).map((c) => this.expr(c)), span };
      case "set_filter":
        return { k: "setfilter", bound: this.bound(n.childForFieldName("generator")!), pred: this.expr(n.childForFieldName("filter")!), span };
      case "set_map":
        return {
          k: "setmap",
          map: this.expr(n.childForFieldName("map")!),
          bounds: n.childrenForFieldName("generator").filter((c): c is Node => !!c && c.type === "quantifier_bound").map((b) => this.bound(b)),
          span,
        };
      case "function_evaluation": {
        const kids = this.exprKids(n);
        return { k: "fnapp", fn: this.expr(kids[0]!), args: kids.slice(1).map((c) => this.expr(c)), span };
      }
      case "function_literal": {
        const kids = this.exprKids(n);
        const bounds = kids.filter((c) => c.type === "quantifier_bound").map((b) => this.bound(b));
        return { k: "fnlit", bounds, body: this.expr(kids[kids.length - 1]!), span };
      }
      case "set_of_functions": {
        const kids = this.exprKids(n).filter((c) => c.type !== "maps_to");
        return { k: "fnset", dom: this.expr(kids[0]!), rng: this.expr(kids[1]!), span };
      }
      case "record_literal":
      case "set_of_records": {
        const kids = this.exprKids(n).filter((c) => c.type !== "all_map_to");
        const fields: [string, Expr][] = [];
        for (let i = 0; i + 1 < kids.length; i += 2) {
          // SANY's semantic error, at the repeated field: `[a |-> 1, a |-> 2]` has no meaning.
          if (fields.some(([name]) => name === kids[i]!.text)) this.fail(kids[i]!, `Non-unique fields in constructor: ${kids[i]!.text}`);
          fields.push([kids[i]!.text, this.expr(kids[i + 1]!)]);
        }
        return n.type === "record_literal" ? { k: "reclit", fields, span } : { k: "recset", fields, span };
      }
      case "record_value": {
        const kids = this.exprKids(n);
        return { k: "dot", rec: this.expr(kids[0]!), field: kids[1]!.text, span };
      }
      case "except": {
        const fn = this.expr(n.childForFieldName("expr_to_update")!);
        const updates = this.exprKids(n)
          .filter((c) => c.type === "except_update")
          .map((u) => {
            const spec = u.namedChildren.find((c) => c && c.type === "except_update_specifier")!;
            const path: ExceptStep[] = this.exprKids(spec).map((s) =>
              s.type === "except_update_record_field"
                ? { k: "field", name: this.exprKids(s)[0]!.text }
                : { k: "index", args: this.exprKids(s).map((c) => this.expr(c)) },
            );
            return { path, val: this.expr(u.childForFieldName("new_val")!) };
          });
        return { k: "except", fn, updates, span };
      }
      case "prev_func_val":
        return { k: "at", span };
      case "tuple_literal":
        return {
          k: "tuple",
          elems: this.exprKids(n)
            .filter((c) => c.type !== "langle_bracket" && c.type !== "rangle_bracket")
            .map((c) => this.expr(c)),
          span,
        };
      case "step_expr_or_stutter": {
        const kids = this.exprKids(n);
        return { k: "step", angle: false, action: this.expr(kids[0]!), sub: this.expr(kids[1]!), span };
      }
      case "step_expr_no_stutter": {
        const kids = this.exprKids(n).filter((c) => c.type !== "langle_bracket" && c.type !== "rangle_bracket_sub");
        return { k: "step", angle: true, action: this.expr(kids[0]!), sub: this.expr(kids[1]!), span };
      }
      case "fairness": {
        const kids = this.exprKids(n);
        return { k: "fair", strong: n.child(0)!.type === "SF_", sub: this.expr(kids[0]!), action: this.expr(kids[1]!), span };
      }
      case "if_then_else":
        return {
          k: "if",
          c: this.expr(n.childForFieldName("if")!),
          t: this.expr(n.childForFieldName("then")!),
          e: this.expr(n.childForFieldName("else")!),
          span,
        };
      case "case": {
        const arms: [Expr, Expr][] = [];
        let other: Expr | null = null;
        for (const c of this.exprKids(n)) {
          if (c.type === "case_arm") {
            const ks = this.exprKids(c).filter((x) => x.type !== "case_arrow");
            arms.push([this.expr(ks[0]!), this.expr(ks[1]!)]);
          } else if (c.type === "other_arm") {
            const ks = this.exprKids(c).filter((x) => x.type !== "case_arrow");
            other = this.expr(ks[0]!);
          }
        }
        return { k: "case", arms, other, span };
      }
      case "let_in": {
        const defs = n.childrenForFieldName("definitions").filter((c): c is Node => !!c && c.isNamed && c.type !== "comment" && c.type !== "block_comment").map((d) => this.def(d));
        return { k: "let", defs, body: this.expr(n.childForFieldName("expression")!), span };
      }
      case "conj_list":
      case "disj_list": {
        const items = this.exprKids(n).map((item) => this.expr(this.exprKids(item).filter((c) => c.type !== "bullet_conj" && c.type !== "bullet_disj")[0]!));
        if (items.length === 1) return items[0]!;
        return { k: n.type === "conj_list" ? "and" : "or", items, span };
      }
      case "lambda": {
        const kids = this.exprKids(n);
        const params = kids.filter((c) => c.type === "identifier").map((c) => c.text);
        return { k: "lambda", params, body: this.expr(kids[kids.length - 1]!), span };
      }
      case "subexpression":
        return this.subexpression(n, span);
      case "proof_step_ref":
        return this.fail(n, `subexpression references are not supported: ${n.text}`, "unsupported");
      case "ERROR":
        return this.fail(n, `syntax error at ${JSON.stringify(n.text.slice(0, 40))}`);
      default:
        return this.fail(n, `unsupported expression ${n.type}: ${n.text.slice(0, 60)}`, "unsupported");
    }
  }

  private applySymbol(name: string, args: Expr[], span: Span, n: Node): Expr {
    switch (name) {
      case "'":
        return { k: "prime", e: args[0]!, span };
      case "UNCHANGED":
        return { k: "unchanged", e: args[0]!, span };
      case "ENABLED":
        return { k: "enabled", e: args[0]!, span };
      case "[]":
      case "<>":
        return { k: "temporal", op: name, e: args[0]!, span };
      case "~>":
        return { k: "leadsto", a: args[0]!, b: args[1]!, span };
      case "/\\":
        return { k: "and", items: args, span };
      case "\\/":
        return { k: "or", items: args, span };
      case "\\X":
        return { k: "times", sets: args, span };
      default:
        if (name === "-" && args.length === 1) return { k: "app", name: "-.", args, span };
        void n;
        return { k: "app", name, args, span };
    }
  }

  /**
   * `Op(args)!2!<<`: an application of an operator named like the reference, defined later from
   * Op's body by `addSubexpressionDefs` (so the selected part is compiled in Op's scope with Op's
   * parameters bound to `args`, as SANY gives it meaning).
   */
  private subexpression(n: Node, span: Span): Expr {
    const parts: Node[] = [];
    for (const k of this.exprKids(n)) {
      if (k.type === "subexpr_prefix") parts.push(...this.exprKids(k));
      else parts.push(k);
    }
    const unsupported = (why: string): never => this.fail(n, `subexpression reference ${n.text}: ${why} is not supported`, "unsupported");
    const head = parts[0];
    if (!head || head.type !== "subexpr_component") return unsupported("this form");
    if (parts[1]?.type === "subexpr_component") return unsupported("a reference through an instance or a label");
    const c = head.namedChildren[0]!;
    let base: string;
    let args: Expr[] = [];
    if (c.type === "identifier_ref") base = c.text;
    else if (c.type === "bound_op") {
      base = c.childForFieldName("name")!.text;
      args = c.childrenForFieldName("parameter").filter((x): x is Node => !!x && x.isNamed && x.type !== "comment").map((x) => this.arg(x));
    } else return unsupported(`the step ${c.text}`);
    const steps: SubexprStep[] = [];
    for (const p of parts.slice(1)) {
      if (p.type !== "subexpr_tree_nav") return unsupported(`a label or instance after a position (${p.text})`);
      const nav = p.namedChildren[0]!;
      switch (nav.type) {
        case "child_id":
          steps.push({ k: "child", n: Number(nav.text) });
          break;
        case "langle_bracket":
          steps.push({ k: "left" });
          break;
        case "rangle_bracket":
          steps.push({ k: "right" });
          break;
        case "colon":
          steps.push({ k: "colon" });
          break;
        default:
          return unsupported(`the selector !${nav.text} (bound-variable instantiation or !@)`);
      }
    }
    if (steps.every((st) => st.k === "colon")) return { k: "app", name: base, args, span };
    const name = `${base}${steps.map((st) => (st.k === "child" ? `!${st.n}` : st.k === "left" ? "!<<" : st.k === "right" ? "!>>" : "!:")).join("")}`;
    if (!this.subexprs.some((r) => r.name === name)) this.subexprs.push({ name, base, steps, span });
    return { k: "app", name, args, span };
  }

  private prefixed(n: Node, span: Span): Expr {
    const prefix = n.childForFieldName("prefix")!;
    const path: PrefixStep[] = [];
    for (const comp of prefix.namedChildren) {
      if (!comp || comp.type !== "subexpr_component") {
        if (comp && comp.type !== "comment") this.fail(comp, `unsupported subexpression step ${comp.text}`, "unsupported");
        continue;
      }
      const c = comp.namedChildren[0]!;
      if (c.type === "identifier_ref") path.push({ name: c.text, args: [] });
      else if (c.type === "bound_op") {
        path.push({
          name: c.childForFieldName("name")!.text,
          args: c.childrenForFieldName("parameter").filter((x): x is Node => !!x && x.isNamed && x.type !== "comment").map((x) => this.arg(x)),
        });
      } else this.fail(c, `unsupported subexpression step ${c.text}`, "unsupported");
    }
    const op = n.childForFieldName("op")!;
    if (op.type === "bound_op") {
      const args = op.childrenForFieldName("parameter").filter((x): x is Node => !!x && x.isNamed && x.type !== "comment").map((x) => this.arg(x));
      return { k: "prefixed", path, name: op.childForFieldName("name")!.text, args, span };
    }
    if (op.type === "bound_nonfix_op") {
      const kids = this.exprKids(op);
      return { k: "prefixed", path, name: symbolName(kids[0]!), args: kids.slice(1).map((c) => this.expr(c)), span };
    }
    const simple = this.expr(op);
    return { k: "prefixed", path, name: simple.k === "id" ? simple.name : op.text, args: [], span };
  }
}

/** The value of a TLA+ string literal (with quotes). */
export function unescape(text: string): string {
  const body = text.slice(1, -1);
  if (!body.includes("\\")) return body;
  return body.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c === "f" ? "\f" : c));
}
