/**
 * `loadModel`: from a spec and its cfg to a {@link CompiledModel}. Parses the modules, binds the
 * cfg's constants, checks ASSUMEs, and compiles Init, Next, invariants, constraints, VIEW and
 * SYMMETRY. Callable in every worker thread with the same options, giving the same model.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { Expr, ModuleAst, Param, Span } from "./ast/types.js";
import { parseCfg, type Cfg, type CfgName, type CfgValue } from "./cfg/parse.js";
import { ActionCompiler, type A, type ActCtx } from "./eval/action.js";
import { actionNames } from "./eval/action-names.js";
import { Compiler, coreBuiltins, type CE } from "./eval/compile.js";
import { evalError, type Ctx, type Frame, type Origin } from "./eval/context.js";
import { TemporalCompiler, type LiveFormula } from "./eval/temporal.js";
import { expandApplication, splitProperty } from "./properties.js";
import { Layout, ModuleEnv, Scope, type GlobalBinding } from "./eval/scope.js";
import {
  TlaError,
  inPhase,
  type ErrorPhase,
  type ActionLabel,
  type ActionPredicate,
  type CompiledModel,
  type EvalContext,
  type SourceLocation,
  type State,
  type StatePredicate,
  type Successor,
  type Value,
} from "./model.js";
import { EnvBuilder, constBinding, type ScopedOverride } from "./modules/env.js";
import { loadAll, register, type ModuleTable } from "./modules/resolve.js";
import { addSubexpressionDefs } from "./modules/subexpr.js";
import { internExpressionTokens, internInTlcOrder } from "./modules/tlc-intern.js";
import { javaHashtableCapacity, tlcRootContextSize, tlcVariableSlots } from "./modules/tlc-variable-order.js";
import { checkDefinitionOrder } from "./modules/definition-order.js";
import { parseModules, parseWith } from "./parse/parse.js";
import { getParser } from "./parse/treesitter.js";
import { intern } from "./values/compare.js";
import { formatValue } from "./values/format.js";
import { getModelValue, valueOps } from "./values/ops.js";
import { ProcessState, activateProcessState, currentProcessState } from "./values/process-state.js";
import { setOf } from "./values/sets.js";
import { Fcn, SetValue, tuple, type Val } from "./values/value.js";

/** Options of {@link loadModel}. */
export interface LoadOptions {
  /** The main module: a file path, or an in-memory source (browser, tests). */
  spec: { path: string } | { name: string; source: string };
  /** The TLC cfg: a path, or source. Default when omitted and spec is a path: same name, .cfg. */
  cfg?: { path: string } | { source: string; name?: string };
  /** Directories searched for modules after the spec's own directory (TLC's TLA-Library). */
  libDirs?: string[];
  /** In-memory modules by name (for the browser and tests). */
  modules?: Record<string, string>;
  /** Where Print/PrintT output goes (default: stdout). */
  print?: (line: string) => void;
  /**
   * Compile liveness properties into {@link LoadedModel.liveness} instead of rejecting them
   * (set by a caller that checks them). Without it a temporal PROPERTY other than `[]P` or
   * `[][A]_v` is a TlaError("unsupported").
   */
  temporal?: boolean;
  /** Java system properties for `TLCGet("-Dname")` (TLC reads them from `java -Dname=value`). */
  properties?: Record<string, string>;
  /**
   * Invariants named outside the cfg (Apalache's `--inv NAME`): definitions of the root module,
   * checked after the cfg's INVARIANTs exactly as if the cfg listed them.
   */
  invariants?: string[];
  /**
   * State predicates given as TLA+ text outside the cfg (TLC's `-inv expr`), compiled in the root
   * module's scope and checked after every other invariant; a violation names the text.
   */
  invariantExpressions?: string[];
  /**
   * Called with the text of every module file read, the spec's first, before it is parsed (the
   * CLI checks there that a PlusCal translation is current). Not passed to worker threads.
   */
  onModuleText?: (file: string, text: string) => void;
}

/** Liveness material compiled for the engine. */
export interface Liveness {
  /** Fairness conjuncts of SPECIFICATION (WF/SF and other temporal conjuncts), in order. */
  fairness: LiveFormula[];
  /** PROPERTY formulas other than `[]P` / `[][A]_v`, by cfg name. */
  properties: { name: string; formula: LiveFormula; location: SourceLocation }[];
}

/** A temporal formula kept for liveness checking (PROPERTY or the fairness of SPECIFICATION). */
export interface TemporalFormula {
  /** The cfg name (PROPERTY) or `"fairness"` for SPECIFICATION conjuncts. */
  name: string;
  /**
   * The formula's syntax tree (the checker's own syntax types are not public API).
   * @internal
   */
  expr: Expr;
  /**
   * The module environment it is written in.
   * @internal
   */
  env: ModuleEnv;
  location: SourceLocation;
}

/** What {@link loadModel} returns: the engine's model plus what liveness checking will need. */
export interface LoadedModel extends CompiledModel {
  /** The main module's name. */
  readonly moduleName: string;
  /** Liveness material: fairness conjuncts of SPECIFICATION and PROPERTY formulas. */
  readonly temporal: { readonly fairness: readonly TemporalFormula[]; readonly properties: readonly TemporalFormula[] };
  /** The parsed cfg. */
  readonly cfg: Cfg;
  /** Compiled fairness and liveness properties (properties only with {@link LoadOptions.temporal}). */
  readonly liveness: Liveness;
  /** TLC's warnings about the model itself, e.g. a state-level PROPERTY (checked on initial states only). */
  readonly warnings: readonly string[];
}

/** TLC's warning (tlc2.output.MP, verbatim) for a PROPERTY whose definition is state-level. */
export function stateLevelPropertyWarning(name: string): string {
  return `The formula ${name} is a state-level formula, but it was used as a PROPERTY (or PROPERTIES), where a temporal formula is typically expected. State-level formulas used as PROPERTY or PROPERTIES are only checked in the initial state. To verify that the formula ${name} holds in all states of every behavior, use INVARIANT ${name} instead. Alternatively, applying the "always" temporal operator (\u25A1) to the state-level formula ${name} changes it into a temporal formula, asserting that ${name} holds in all states of every behavior. See https://explain.tlapl.us/invariants-and-properties for additional details.`;
}

/**
 * TLC's warning (tlc2.output.MP, verbatim) when temporal properties are checked under a
 * SPECIFICATION without fairness: `spec` is its name, `where` its definition as TLC prints a span.
 */
export function noFairnessWarning(spec: string, where: string): string {
  return `Temporal properties (PROPERTY or PROPERTIES) are being verified without a fairness constraint conjoined to the behavior specification ${spec} defined at ${where}. This may lead to trivial counterexamples in which the system exhibits infinite stuttering immediately after the initial state. To avoid this, it is recommended to conjoin a suitable fairness constraint to ${spec} (compare Chapter 8, page 87ff of Specifying Systems at https://lamport.azurewebsites.net/tla/book.html).`;
}

/** TLC's warning (tlc2.output.MP, verbatim) when temporal properties are checked with INIT/NEXT only. */
export const NO_SPECIFICATION_WARNING =
  "Temporal properties (PROPERTY or PROPERTIES) are being verified without a behavior specification (SPECIFICATION). Only INIT and NEXT have been provided. This is likely to result in (trivial) counterexamples showing infinite stuttering following the initial state. It is recommended to use SPECIFICATION Spec, with Spec asserting a suitable fairness constraint (compare Chapter 8, page 87ff of Specifying Systems at https://lamport.azurewebsites.net/tla/book.html).";

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new TlaError("io", `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function cfgValue(v: CfgValue): Val {
  switch (v.k) {
    case "int":
      return v.v;
    case "str":
      intern(v.v);
      return v.v;
    case "bool":
      return v.v;
    case "mv":
      intern(v.name);
      return getModelValue(v.name);
    case "set":
      return setOf(v.elems.map(cfgValue));
    case "tuple":
      return tuple(v.elems.map(cfgValue));
  }
}

function locOf(origin: Origin, span: Span): SourceLocation {
  return { file: origin.file, line: span.line, column: span.col, endLine: span.endLine, endColumn: span.endCol };
}

/** Load a spec and its cfg and compile them into a model. */
export async function loadModel(opts: LoadOptions): Promise<LoadedModel> {
  const parser = await getParser();
  let specFile: string;
  let specSource: string;
  const dirs: string[] = [];
  if ("path" in opts.spec) {
    specFile = opts.spec.path;
    specSource = await readText(specFile, "spec");
    dirs.push(dirname(specFile));
  } else {
    specFile = `${opts.spec.name}.tla`;
    specSource = opts.spec.source;
  }
  dirs.push(...(opts.libDirs ?? []));

  let cfgFile: string;
  let cfgSource: string;
  if (opts.cfg && "path" in opts.cfg) {
    cfgFile = opts.cfg.path;
    cfgSource = await readText(cfgFile, "cfg");
  } else if (opts.cfg) {
    cfgFile = opts.cfg.name ?? specFile.replace(/\.tla$/, ".cfg");
    cfgSource = opts.cfg.source;
  } else if ("path" in opts.spec) {
    cfgFile = join(dirname(specFile), `${basename(specFile, extname(specFile))}.cfg`);
    cfgSource = await readText(cfgFile, "cfg");
  } else {
    throw new TlaError("cfg", "no cfg given for an in-memory spec");
  }

  opts.onModuleText?.(specFile, specSource);
  const mods = await parseModules(specFile, specSource);
  const root = mods[0]!;
  // SANY's fatal error (pingcap/tla-plus ships a Test4.tla whose module is Test3): the file and
  // its module must have one name.
  const fileName = basename(specFile, extname(specFile));
  if ("path" in opts.spec && fileName !== root.name) {
    throw new TlaError("parse", `File name '${fileName}' does not match the name '${root.name}' of the top level module it contains.`, { file: specFile, line: 1, column: 1 });
  }
  const table: ModuleTable = new Map();
  for (const m of mods) register(table, m);
  await loadAll(root, { dirs, modules: opts.modules ?? {}, ...(opts.onModuleText ? { onText: opts.onModuleText } : {}) }, table);
  for (const m of table.values()) checkDefinitionOrder(m);
  // Before the subexpression definitions are added: SANY's symbol table does not hold them.
  const contextSize = tlcRootContextSize(root, table);
  addSubexpressionDefs(table);
  // A fresh intern table and registers for this model (what TLC's process holds), current while
  // the model is built and whenever it is used.
  activateProcessState(new ProcessState());
  const cfg = parseCfg(cfgFile, cfgSource);
  internInTlcOrder(root, table, cfg);
  for (const name of opts.invariants ?? []) cfg.invariants.push({ name, loc: { file: "--inv", line: 1, column: 1 } });
  return build(root, table, cfg, opts, (src) => parseWith(parser, "<expression>", src), contextSize);
}

function build(
  root: ModuleAst,
  table: ModuleTable,
  cfg: Cfg,
  opts: LoadOptions,
  parseSrc: (src: string) => ModuleAst[],
  contextSize: number,
): LoadedModel {
  const cfgLoc = (n: { loc: SourceLocation }): SourceLocation => n.loc;
  const cfgConsts = new Map(cfg.constants.filter((c) => c.module === null).map((c) => [c.name, c]));
  const scoped: ScopedOverride[] = cfg.constants.flatMap((c) =>
    c.module === null ? [] : [{ module: c.module, name: c.name, to: c.k === "subst" ? { k: "op" as const, op: c.op } : { k: "value" as const, value: cfgValue(c.value) }, loc: c.loc }],
  );
  const builder = new EnvBuilder(table, scoped);
  // The root's `X <- Op` and `X = v` for a definition X replace that definition wherever it is
  // shared, as TLC sets them on the definition (`Seq <- BoundedSeq` also changes the Seq that an
  // instantiated module reads); the root's own binding is set below.
  for (const c of cfg.constants) {
    if (c.module !== null) continue;
    builder.override({ module: root.name, name: c.name, to: c.k === "subst" ? { k: "op", op: c.op } : { k: "value", value: cfgValue(c.value) }, loc: c.loc }, true);
  }
  const env = builder.root(root, (name, decl: Param, span, origin): GlobalBinding => {
    const c = cfgConsts.get(name);
    if (c && c.k === "value") {
      if (decl.arity > 0) throw new TlaError("cfg", `${name} is an operator constant; assign it with ${name} <- Op`, cfgLoc(c));
      return constBinding(name, cfgValue(c.value));
    }
    return { k: "unbound", name, span, origin };
  });
  const ignoredCfgEntries: string[] = [];
  // Substitutions `C <- Op` and values for defined operators, once every definition is known.
  const constantSubsts: { c: (typeof cfg.constants)[number] & { k: "subst" } }[] = [];
  for (const c of cfg.constants) {
    if (c.module !== null) continue;
    const cur = env.defs.get(c.name);
    if (c.k === "subst") {
      const target = env.defs.get(c.op);
      if (!target) throw new TlaError("cfg", `unknown operator ${c.op} substituted for ${c.name}`, cfgLoc(c));
      if (!cur) throw new TlaError("cfg", `${c.name} is not a constant or definition of the spec`, cfgLoc(c));
      if (cur.k === "unbound" && target.k === "op" && target.def.params.length === 0) constantSubsts.push({ c });
      env.defs.set(c.name, target);
    } else if (!cur) {
      // `r1 = r1` for a name the spec does not declare only names a model value used in other
      // cfg values (TLC accepts it). TLC also accepts any other value for such a name (etcd-io/raft's
      // MCetcdraft.cfg: `s1 = 1` ... `Server = {s1, s2}`) and ignores it: `s1` in other values
      // stays the model value s1. Said on stderr, never silently dropped.
      if (c.value.k === "mv" && c.value.name === c.name) continue;
      ignoredCfgEntries.push(`${cfgLoc(c).file}:${c.loc.line}: ${c.name} is not a constant or definition of the spec; as TLC, this cfg entry is ignored, and ${c.name} in other cfg values is the model value ${c.name}.`);
    } else if (cur.k === "op") {
      env.defs.set(c.name, constBinding(c.name, cfgValue(c.value)));
    }
  }

  // TLC does not start while a declared constant has no value in the cfg, whether or not the spec
  // uses it (a constant-level model included): never a silent pass over a forgotten constant.
  for (const [name, { span, origin }] of builder.constants) {
    if (env.defs.get(name)?.k === "unbound") throw new TlaError("cfg", `The constant parameter ${name} is not assigned a value by the configuration file.`, locOf(origin, span));
  }

  const processState = currentProcessState();
  processState.checkDeadlock = cfg.checkDeadlock ?? true;
  for (const [k, v] of Object.entries(opts.properties ?? {})) processState.properties.set(k, v);
  const compiler = new Compiler(coreBuiltins());
  compiler.specialise = (inst, argsEnv, args, useScope) => builder.specialise(inst, argsEnv, args, useScope);
  compiler.letInstance = (module, subs, s, span) => builder.letInstance(module, subs, s, span);
  const actions = new ActionCompiler(compiler, builder.variables);
  // TLC evaluates `C <- Op` for a constant C once, as a constant: an Op that reads the state (or
  // primes it) is its cfg error, where using it would give C a different value in every state.
  for (const { c } of constantSubsts) {
    const level = compiler.expr({ k: "id", name: c.op, span: { line: c.loc.line, col: c.loc.column, endLine: c.loc.line, endCol: c.loc.column + c.op.length, start: 0, end: 0 } }, compiler.topScope(env)).l;
    if (level > 0) throw new TlaError("cfg", `The configuration file substitutes constant ${c.name} with non-constant ${c.op}`, cfgLoc(c));
  }
  const topScope = (): Scope => compiler.topScope(env);
  const printer = opts.print;
  const constCtx = (): Ctx => ({ s: [], n: null, ec: { level: 0, print: printer } });

  const requireDef = (n: CfgName, what: string): void => {
    if (!env.defs.has(n.name)) throw new TlaError("cfg", `${what} ${n.name} is not defined in module ${root.name}`, n.loc);
  };
  const nameExpr = (n: CfgName): Expr => ({ k: "id", name: n.name, span: { line: n.loc.line, col: n.loc.column, endLine: n.loc.line, endCol: n.loc.column + n.name.length, start: 0, end: 0 } });
  const defLocation = (name: string, where: ModuleEnv = env): SourceLocation | undefined => {
    const g = where.defs.get(name);
    if (!g || g.k !== "op") return undefined;
    // As TLC: the span of the definition's body, end column inclusive.
    const b = g.def.body.span;
    return { file: g.def.origin.file, line: b.line, column: b.col, endLine: b.endLine, endColumn: b.endCol - 1 };
  };

  // ASSUME: every assumption must hold for the constants of this model.
  for (const a of builder.assumptions) {
    const sc = new Scope(a.env, new Layout(null), new Map(), null, a.origin);
    const f = compiler.expr(a.expr, sc).f;
    const v = f(constCtx(), new Array(sc.layout.size));
    if (v !== true) {
      const loc = locOf(a.origin, a.span);
      const modName = basename(a.origin.file).replace(/\.tla$/, "");
      if (v !== false) throw evalError(a.origin, a.expr.span, `The assumption evaluated to ${formatValue(v)}, not a boolean`);
      throw new TlaError("assume", `Assumption${a.name ? ` ${a.name}` : ""} at line ${loc.line}, col ${loc.column} of module ${modName} is false`, loc);
    }
  }

  // Init and Next: from INIT/NEXT or from the conjuncts of SPECIFICATION.
  const fairness: TemporalFormula[] = [];
  // The scopes the fairness conjuncts are compiled in (an instance specialised for `P(x)!Spec`
  // closes over the frame layout of its use site).
  const fairnessScopes: Scope[] = [];
  let initParts: { e: Expr; s: Scope }[] = [];
  let nextPart: { e: Expr; s: Scope } | null = null;
  let nextName = "Next";
  // TLC labels every step of a next-state relation reached through an instance (`Spec == C!Spec`)
  // `<Action ...>` at the INSTANCE definition, whatever sub-action took it.
  let instanceLabel: SourceLocation | undefined;
  const instanceLocation = (name: string, where: ModuleEnv): SourceLocation | undefined => {
    for (const m of [root, ...table.values()]) {
      const u = m.units.find((d) => d.k === "inst" && d.name === name);
      if (u && where.origin.file === m.file) return { file: m.file, line: u.span.line, column: u.span.col, endLine: u.span.endLine, endColumn: u.span.endCol - 1 };
    }
    return undefined;
  };
  if (cfg.specification) {
    requireDef(cfg.specification, "SPECIFICATION");
    const sc = topScope();
    const visit = (e: Expr, s: Scope, depth: number): void => {
      if (e.k === "and") return e.items.forEach((x) => visit(x, s, depth));
      // Temporal definitions are expanded, also through instances (`Spec == C!Spec`, `P(x)!Spec`);
      // state-level ones stay whole.
      const x = depth < 64 && (e.k === "id" || e.k === "app" || e.k === "prefixed") ? expandApplication(e, s, compiler, sc.layout) : null;
      if (x && (compiler.ensureCompiled(x.def), x.def.level >= 2)) {
        if (e.k === "prefixed" && !instanceLabel) instanceLabel = instanceLocation(e.path[0]!.name, s.env);
        return visit(x.body, x.scope, depth + 1);
      }
      if (e.k === "temporal" && e.op === "[]" && e.e.k === "step" && !e.e.angle) {
        if (nextPart) throw new TlaError("unsupported", "SPECIFICATION has more than one [][Next]_vars conjunct", locOf(s.env.origin, e.span));
        nextPart = { e: e.e.action, s };
        if (e.e.action.k === "id") nextName = e.e.action.name;
        return;
      }
      if (e.k === "fair") {
        fairness.push({ name: "fairness", expr: e, env: s.env, location: locOf(s.env.origin, e.span) });
        fairnessScopes.push(s);
        return;
      }
      const lvl = compiler.expr(e, s).l;
      if (lvl <= 1) {
        initParts.push({ e, s });
        return;
      }
      fairness.push({ name: "fairness", expr: e, env: s.env, location: locOf(s.env.origin, e.span) });
      fairnessScopes.push(s);
    };
    visit(nameExpr(cfg.specification), sc, 0);
    if (!nextPart) throw new TlaError("cfg", `SPECIFICATION ${cfg.specification.name} has no [][Next]_vars conjunct`, cfg.specification.loc);
    if (initParts.length === 0) throw new TlaError("cfg", `SPECIFICATION ${cfg.specification.name} has no initial predicate`, cfg.specification.loc);
  } else if (!cfg.init && !cfg.next) {
    // A constant-level model: TLC evaluates the ASSUMEs (above) and reports 0 states. It accepts no
    // INIT only when there is nothing to check in states.
    const needs = builder.variables.length > 0 ? "the spec declares variables" : cfg.invariants.length > 0 ? "the cfg names INVARIANTs" : cfg.properties.length > 0 ? "the cfg names PROPERTIES" : null;
    if (needs) throw new TlaError("cfg", `the cfg names no INIT (or SPECIFICATION), and ${needs}`, { file: cfg.file, line: 1, column: 1 });
    const none: Expr = { k: "bool", v: false, span: { line: 1, col: 1, endLine: 1, endCol: 1, start: 0, end: 0 } };
    initParts = [{ e: none, s: topScope() }];
    nextPart = { e: none, s: topScope() };
  } else {
    if (!cfg.init) throw new TlaError("cfg", "the cfg names no INIT (or SPECIFICATION)", { file: cfg.file, line: 1, column: 1 });
    if (!cfg.next) throw new TlaError("cfg", "the cfg names no NEXT (or SPECIFICATION)", { file: cfg.file, line: 1, column: 1 });
    requireDef(cfg.init, "INIT");
    requireDef(cfg.next, "NEXT");
    initParts = [{ e: nameExpr(cfg.init), s: topScope() }];
    nextPart = { e: nameExpr(cfg.next), s: topScope() };
    nextName = cfg.next.name;
  }
  const np = nextPart as { e: Expr; s: Scope };
  const initActs: A[] = initParts.map((p) => actions.action(p.e, p.s, "init"));
  const initAct = chainInit(initActs, initParts.map((p) => compiler.expr(p.e, p.s).f), builder.variables.length);
  const initFrameSize = Math.max(...initParts.map((p) => p.s.layout.size));
  const nextAct = actions.action(np.e, np.s, "next");
  const nextFrameSize = np.s.layout.size;
  const nextLocation = defLocation(nextName, np.s.env);
  const fixedLabel: ActionLabel | undefined = instanceLabel ? { action: "Action", params: [], location: instanceLabel } : undefined;
  const actionList = fixedLabel ? [fixedLabel.action] : actionNames(np.e, np.s, nextName, compiler);

  // Invariants, constraints, properties.
  const statePred = (n: CfgName, what: string): StatePredicate => {
    requireDef(n, what);
    const sc = topScope();
    const p = compiler.expr(nameExpr(n), sc);
    if (p.l >= 2) throw new TlaError("cfg", `${what} ${n.name} is not a state predicate`, n.loc);
    return predicate(n.name, p, sc, defLocation(n.name) ?? n.loc, what, printer, what === "INVARIANT" ? "invariant" : undefined);
  };
  /**
   * The conjuncts of a zero-argument definition `Inv == /\ A /\ B` (also through conjuncts that
   * name such definitions), compiled apart so the engine can tell which variables each reads.
   */
  const conjunctsOf = (name: string, defEnv: ModuleEnv, depth: number): { ce: CE; sc: Scope }[] | null => {
    const g = defEnv.defs.get(name);
    if (!g || g.k !== "op" || g.def.params.length > 0 || g.def.fnBounds || g.def.closure || g.def.env.instParams.length > 0) return null;
    const body = g.def.body;
    if (body.k !== "and" || depth > 8) return null;
    const out: { ce: CE; sc: Scope }[] = [];
    for (const x of body.items) {
      const inner = x.k === "id" ? conjunctsOf(x.name, g.def.env, depth + 1) : null;
      if (inner) out.push(...inner);
      else {
        const sc = compiler.defScope(g.def).scope;
        out.push({ ce: compiler.expr(x, sc), sc });
      }
    }
    return out;
  };
  const invariants = cfg.invariants.map((n) => {
    const whole = statePred(n, "INVARIANT");
    if (!whole.pure) return whole;
    const pieces = conjunctsOf(n.name, env, 0);
    if (!pieces || pieces.some((p) => p.ce.impure || p.ce.l >= 2)) return whole;
    const location = whole.location ?? n.loc;
    return { ...whole, conjuncts: pieces.map((p) => predicate(n.name, p.ce, p.sc, location, "INVARIANT", printer, "invariant")) };
  });
  for (const text of opts.invariantExpressions ?? []) {
    const loc: SourceLocation = { file: "-inv", line: 1, column: 1 };
    const mods = parseSrc(`---- MODULE Expression ----\nEXPRESSION ==\n  ${text}\n====\n`);
    internExpressionTokens(mods[0]!);
    const unit = mods[0]!.units.find((u) => u.k === "op");
    if (!unit || unit.k !== "op") throw new TlaError("cfg", `the invariant expression ${JSON.stringify(text)} does not parse as a TLA+ expression`, loc);
    const sc = topScope();
    const ce = compiler.expr(unit.body, sc);
    if (ce.l >= 2) throw new TlaError("cfg", `the invariant expression ${JSON.stringify(text)} is not a state predicate`, loc);
    invariants.push(predicate(text, ce, sc, loc, "INVARIANT", printer, "invariant"));
  }
  // Constraints are split as invariants are: each conjunct's results are remembered by the
  // variables it reads (`Cardinality(DOMAIN messages) <= Max` changes with every message, the
  // bounds on terms and logs rarely do).
  const constraints = cfg.constraints.map((n) => {
    const whole = statePred(n, "CONSTRAINT");
    if (!whole.pure) return whole;
    const pieces = conjunctsOf(n.name, env, 0);
    if (!pieces || pieces.some((p) => p.ce.impure || p.ce.l >= 2)) return whole;
    const location = whole.location ?? n.loc;
    return { ...whole, conjuncts: pieces.map((p) => predicate(n.name, p.ce, p.sc, location, "CONSTRAINT", printer)) };
  });
  const actionConstraints = cfg.actionConstraints.map((n) => {
    requireDef(n, "ACTION_CONSTRAINT");
    const sc = topScope();
    return actionPredicate(n.name, compiler.expr(nameExpr(n), sc), sc, defLocation(n.name) ?? n.loc, printer);
  });
  const temporal = new TemporalCompiler(compiler, actions);
  const liveProperties: Liveness["properties"] = [];
  const liveFairness: LiveFormula[] = fairness.map((f, i) => temporal.compile(f.expr, fairnessScopes[i] ?? new Scope(f.env, new Layout(null), new Map(), null), [null]));
  const actionProperties: ActionPredicate[] = [];
  const properties: TemporalFormula[] = [];
  const impliedInits: StatePredicate[] = [];
  const warnings: string[] = [...ignoredCfgEntries];
  for (const n of cfg.properties) {
    requireDef(n, "PROPERTY");
    if (compiler.expr(nameExpr(n), topScope()).l === 1) warnings.push(stateLevelPropertyWarning(n.name));
    const loc = defLocation(n.name) ?? n.loc;
    for (const part of splitProperty(n, env, compiler)) {
      const { e, s } = part;
      properties.push({ name: n.name, expr: part.k === "action" || part.k === "invariant" ? { k: "temporal", op: "[]", e, span: e.span } : e, env: s.env, location: loc });
      switch (part.k) {
        case "init":
          impliedInits.push(predicate(part.name, compiler.expr(e, s), s, loc, "PROPERTY", printer, "property"));
          break;
        case "invariant":
          invariants.push(predicate(part.name, compiler.expr(e, s), s, loc, "PROPERTY", printer, "invariant"));
          break;
        case "action":
          actionProperties.push(actionPredicate(part.name, compiler.expr(e, s), s, loc, printer, "property"));
          break;
        case "temporal": {
          if (!opts.temporal) throw new TlaError("unsupported", `temporal properties not supported yet: ${n.name}`, loc);
          // Named after the cfg's PROPERTY: TLC reports temporal violations without a name.
          const live = (x: Expr, sc: Scope): void => {
            liveProperties.push({ name: n.name, formula: temporal.compile(x, sc, [null]), location: loc });
          };
          try {
            live(e, s);
          } catch (err) {
            // A quantifier the temporal compiler cannot expand (e.g. over `P(i)!Spec`): its pieces.
            if (!part.pieces || !(err instanceof TlaError) || err.kind !== "unsupported") throw err;
            for (const p of part.pieces) live(p.e, p.s);
          }
          break;
        }
      }
    }
  }

  // TLC warns, before its search, about temporal properties that a behaviour may satisfy by stuttering.
  if (liveProperties.length > 0) {
    const spec = cfg.specification ? env.defs.get(cfg.specification.name) : undefined;
    if (!cfg.specification) warnings.push(NO_SPECIFICATION_WARNING);
    else if (fairness.length === 0 && spec?.k === "op") {
      const u = spec.def.span;
      const where = `line ${u.line}, col ${u.col} to line ${u.endLine}, col ${u.endCol - 1} of module ${basename(spec.def.origin.file).replace(/\.tla$/, "")}`;
      warnings.push(noFairnessWarning(cfg.specification.name, where));
    }
  }

  const postconditions = cfg.postconditions.map((n) => {
    requireDef(n, "POSTCONDITION");
    const sc = topScope();
    const p = compiler.expr(nameExpr(n), sc);
    if (p.l >= 2) throw new TlaError("cfg", `POSTCONDITION ${n.name} is not a constant-level predicate`, n.loc);
    return predicate(n.name, p, sc, defLocation(n.name) ?? n.loc, "POSTCONDITION", printer, "postcondition");
  });

  let alias: CompiledModel["alias"];
  if (cfg.alias) {
    const n = cfg.alias;
    requireDef(n, "ALIAS");
    const sc = topScope();
    const a = compiler.expr(nameExpr(n), sc).f;
    const size = sc.layout.size;
    // TLC prints a record built by the alias in the order its fields are written.
    const g = env.defs.get(n.name);
    const order = g?.k === "op" && g.def.body.k === "reclit" ? g.def.body.fields.map(([f]) => f) : null;
    alias = (state, next, ec) => {
      const v = a({ s: state as Val[], n: next as Val[], ec: withPrint(ec, printer) }, new Array(size));
      if (!(v instanceof Fcn) || !v.dom.every((d) => typeof d === "string")) {
        throw new TlaError("eval", `ALIAS ${n.name} evaluated to ${formatValue(v)}, which is not a record`, defLocation(n.name) ?? n.loc);
      }
      const names = (order ?? (v.dom as string[])).filter((f) => v.dom.includes(f));
      return names.map((f) => [f, v.rng[v.dom.indexOf(f)]!] as const);
    };
  }

  let view: ((state: State, ctx: EvalContext) => Value) | undefined;
  if (cfg.view) {
    requireDef(cfg.view, "VIEW");
    const sc = topScope();
    const v = compiler.expr(nameExpr(cfg.view), sc).f;
    const size = sc.layout.size;
    view = (state, ec) => v({ s: state as Val[], n: null, ec: withPrint(ec, printer) }, new Array(size));
  }

  let symmetry: [Value, Value][][] = [];
  if (cfg.symmetry) {
    requireDef(cfg.symmetry, "SYMMETRY");
    const sc = topScope();
    const sv = compiler.expr(nameExpr(cfg.symmetry), sc).f(constCtx(), new Array(sc.layout.size));
    if (!(sv instanceof SetValue)) throw new TlaError("cfg", `SYMMETRY ${cfg.symmetry.name} is not a set of permutations`, cfg.symmetry.loc);
    symmetry = sv.elems().map((p) => {
      if (!(p instanceof Fcn)) throw new TlaError("cfg", `SYMMETRY ${cfg.symmetry!.name} contains ${formatValue(p)}, which is not a permutation`, cfg.symmetry!.loc);
      return p.dom.map((d, i) => [d, p.rng[i]!] as [Value, Value]);
    });
  }

  const nVars = builder.variables.length;
  const variables = builder.variables.slice();

  const model: LoadedModel = {
    activate(): void {
      activateProcessState(processState);
    },
    moduleName: root.name,
    cfg,
    temporal: { fairness, properties },
    liveness: { fairness: liveFairness, properties: liveProperties },
    warnings,
    variables,
    tlcVariableOrder: tlcVariableSlots(variables, javaHashtableCapacity(contextSize)),
    actions: actionList,
    initStates(ec: EvalContext): Successor[] {
      activateProcessState(processState);
      const out: Successor[] = [];
      const s = new Array<Val | undefined>(nVars);
      // TLCGet("level") is 0 while the initial predicate is evaluated (TLC's EvalControl.Init).
      const c: ActCtx = { s, n: null, ec: withPrint(ec.level === 0 ? ec : { ...ec, level: 0 }, printer), label: { name: "Init", params: [] }, partial: true };
      const frame: Frame = new Array(initFrameSize);
      try {
        initAct(c, frame, () => {
          for (let i = 0; i < nVars; i++) if (s[i] === undefined) throw actions.incomplete(i, c.label, "init");
          out.push({ label: { action: "Init", params: [] }, state: s.slice() as Val[] });
        });
      } catch (e) {
        throw withPartial(e, out);
      }
      return out;
    },
    successors(state: State, ec: EvalContext): Successor[] {
      activateProcessState(processState);
      const out: Successor[] = [];
      const n = new Array<Val | undefined>(nVars);
      const c: ActCtx = {
        s: state as Val[],
        n,
        ec: withPrint(ec, printer),
        opMemo: null,
        label: { name: nextName, params: [], ...(nextLocation ? { location: nextLocation } : {}) },
      };
      const frame: Frame = new Array(nextFrameSize);
      try {
        nextAct(c, frame, () => {
          for (let i = 0; i < nVars; i++) if (n[i] === undefined) throw actions.incomplete(i, c.label, "next");
          const l = c.label;
          out.push({
            label: fixedLabel ?? { action: l.name, params: l.params.slice(), ...(l.location ? { location: l.location } : {}), ...(l.formals !== undefined ? { formals: l.formals } : {}) },
            state: n.slice() as Val[],
          });
        });
      } catch (e) {
        throw withPartial(e, out);
      }
      return out;
    },
    successorStates(state: State, ec: EvalContext): State[] {
      activateProcessState(processState);
      const out: State[] = [];
      const n = new Array<Val | undefined>(nVars);
      const c: ActCtx = { s: state as Val[], n, ec: withPrint(ec, printer), label: { name: nextName, params: [] }, unlabelled: true, opMemo: null };
      const frame: Frame = new Array(nextFrameSize);
      let complete = true;
      try {
        nextAct(c, frame, () => {
          for (let i = 0; i < nVars; i++) if (n[i] === undefined) complete = false;
          out.push(n.slice() as Val[]);
        });
      } catch {
        complete = false;
      }
      // An error is reported with its action's label: enumerate again with labels (evaluation is
      // deterministic, so this raises the same error, with the successors produced before it).
      return complete ? out : this.successors(state, ec).map((s) => s.state);
    },
    invariants,
    constraints,
    actionConstraints,
    actionProperties,
    impliedInits,
    postconditions,
    ...(alias ? { alias } : {}),
    ...(view ? { view } : {}),
    symmetry,
    checkDeadlock: cfg.checkDeadlock ?? true,
    evaluate(expression: string, state?: State, ec?: EvalContext): Value {
      activateProcessState(processState);
      const mods = parseSrc(`---- MODULE Expression ----\nEXPRESSION ==\n  ${expression}\n====\n`);
      internExpressionTokens(mods[0]!);
      const unit = mods[0]!.units.find((u) => u.k === "op");
      if (!unit || unit.k !== "op") throw new TlaError("parse", `cannot parse expression ${expression}`);
      const sc = topScope();
      const f = compiler.expr(unit.body, sc).f;
      return f({ s: (state ?? []) as Val[], n: null, ec: withPrint(ec ?? { level: 0 }, printer) }, new Array(sc.layout.size));
    },
    values: valueOps,
  };
  return model;
}

/**
 * The conjuncts of an initial predicate (SPECIFICATION's state-level conjuncts) walked left to
 * right as one conjunction. As TLC (Tool.getInitStates), once every variable has a value the
 * remaining conjuncts are evaluated as predicates, so they do not branch.
 */
function chainInit(acts: readonly A[], preds: readonly CE["f"][], nVars: number): A {
  const assigned = (s: readonly (Val | undefined)[]): boolean => {
    for (let j = 0; j < nVars; j++) if (s[j] === undefined) return false;
    return true;
  };
  const run = (i: number, c: ActCtx, f: Frame, k: () => void): void => {
    if (i === acts.length) return k();
    if (i > 0 && assigned(c.s)) {
      for (let j = i; j < acts.length; j++) {
        const v = preds[j]!(c, f);
        if (v === false) return;
        if (v !== true) throw new TlaError("eval", `An initial predicate evaluated to ${formatValue(v)}, not a boolean`);
      }
      return k();
    }
    acts[i]!(c, f, () => run(i + 1, c, f, k));
  };
  return (c, f, k) => run(0, c, f, k);
}

/**
 * An evaluation error raised while enumerating successors (or initial states), with the
 * successors produced before it: TLC counts those as generated (and distinct) before it stops.
 */
export interface EnumerationError extends TlaError {
  successorsBeforeError: Successor[];
}

function withPartial(e: unknown, out: Successor[]): unknown {
  if (e instanceof TlaError) (e as EnumerationError).successorsBeforeError = out;
  return e;
}

function withPrint(ec: EvalContext, print: ((line: string) => void) | undefined): EvalContext {
  if (ec.print || !print) return ec;
  return { ...ec, print };
}

/**
 * A state predicate of the cfg. `phase`: what an evaluation error inside it is reported as (an
 * invariant's or property's failure has its own exit status in TLC); none for constraints.
 */
function predicate(name: string, p: CE, sc: Scope, location: SourceLocation, what: string, print: ((line: string) => void) | undefined, phase?: ErrorPhase): StatePredicate {
  const f = p.f;
  const size = sc.layout.size;
  const evaluate = (state: State, ec: EvalContext, reads: Uint8Array | undefined): boolean => {
    // opMemo: a state-level definition read several times by the predicate (an instance variable
    // mapped to a definition of the state, `votes <- votes` in PaxosHowToWinATuringAward) is
    // evaluated once per evaluation of the predicate, as within one state's successors.
    const ctx: Ctx = { s: state as Val[], n: null, ec: withPrint(ec, print), opMemo: null };
    if (reads) ctx.reads = reads;
    const v = f(ctx, new Array(size));
    if (typeof v !== "boolean") throw new TlaError("eval", `${what} ${name} evaluated to ${formatValue(v)}, not a boolean`, location);
    return v;
  };
  const inItsPhase = (state: State, ec: EvalContext, reads: Uint8Array | undefined): boolean => {
    try {
      return evaluate(state, ec, reads);
    } catch (err) {
      throw inPhase(err, phase!);
    }
  };
  const run = phase ? inItsPhase : evaluate;
  return {
    name,
    location,
    pure: !p.impure,
    holds: (state, ec) => run(state, ec, undefined),
    holdsReading: (state, ec, reads) => run(state, ec, reads),
  };
}

function actionPredicate(name: string, p: CE, sc: Scope, location: SourceLocation, print: ((line: string) => void) | undefined, phase?: ErrorPhase): ActionPredicate {
  const f = p.f;
  const size = sc.layout.size;
  const evaluate = (from: State, to: State, ec: EvalContext, reads: Uint8Array | undefined, readsNext: Uint8Array | undefined): boolean => {
    const ctx: Ctx = { s: from as Val[], n: to as Val[], ec: withPrint(ec, print), opMemo: null };
    if (reads) ctx.reads = reads;
    if (readsNext) ctx.readsNext = readsNext;
    // Both states are complete here (not built in place, as in successors): the primed context may
    // remember state-level definitions too (the refinement `[][V!Next]_V!vars` reads `V!votes'`).
    const primed: Ctx = { s: to as Val[], n: null, ec: ctx.ec, opMemo: null };
    if (readsNext) primed.reads = readsNext;
    ctx.primed = primed;
    const v = f(ctx, new Array(size));
    if (typeof v !== "boolean") throw new TlaError("eval", `${name} evaluated to ${formatValue(v)}, not a boolean`, location);
    return v;
  };
  const inItsPhase = (from: State, to: State, ec: EvalContext, reads: Uint8Array | undefined, readsNext: Uint8Array | undefined): boolean => {
    try {
      return evaluate(from, to, ec, reads, readsNext);
    } catch (err) {
      throw inPhase(err, phase!);
    }
  };
  const run = phase ? inItsPhase : evaluate;
  return {
    name,
    location,
    pure: !p.impure,
    holds: (from, to, ec) => run(from, to, ec, undefined, undefined),
    holdsReading: (from, to, ec, reads, readsNext) => run(from, to, ec, reads, readsNext),
  };
}
