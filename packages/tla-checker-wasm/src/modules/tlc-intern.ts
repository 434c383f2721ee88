/**
 * TLC's intern table, rebuilt: the token number TLC gives each string and model value.
 *
 * TLC orders strings and model values by the token number of their name in `util.UniqueString`'s
 * table (`compareTo` is `this.tok - other.tok`), and fingerprints a model value by that number
 * (`FP64.Extend(fp, tok)`), so CHOOSE, set order, the successor order of the liveness graph and so
 * the lasso it reports all depend on it. A name's number is 1 + the count of distinct names
 * interned before it, in this order (read from TLC's source at 8d3143c, and checked against the
 * table a running TLC holds with scripts/tlc-intern/InternDump.java):
 *
 * 1. The cfg file's values, as `ModelConfig` parses it, before anything else: every model value and
 *    string of the CONSTANT assignments in text order (`p1 = p1`, `S = {"a", b}`).
 * 2. Static names of TLC's parser and semantic classes (operator symbols, node kinds; `TRUE`,
 *    `STRING`, `Formal_0`...), some interned once SANY builds the root's first syntax node.
 * 3. Every token of every file SANY parses, as its lexer meets them, file after file in the order
 *    of `SpecObj.loadSpec`: the root file first, then the first module named by an EXTENDS (else an
 *    INSTANCE) that is not yet resolved, found depth first from the root. TLC adds `_TLCTrace` to
 *    the root's EXTENDS when it writes its trace file (the default), which also loads TLC, TLCExt,
 *    Sequences, Naturals, FiniteSets and Integers. Standard modules are TLC's own text: their
 *    tokens are in `tlc-intern-data.ts`, since ours are built in.
 * 4. String literals without their quotes, when SANY's semantic pass builds their nodes: module by
 *    module with a module's EXTENDS and INSTANCEs (depth first) before it.
 * 5. The names TLC's tool interns when it starts: TLCGet's keys (`"level"`, `"stats"`...). (The
 *    names of its Java overrides come before them; they depend on the modules loaded and are left
 *    out.)
 * 6. Whatever is met while checking (`ToString`, a record's field...), as we meet it.
 *
 * Exact for cfg model values (all a model usually has), and for the order of strings and model
 * values in every case checked; we intern identifiers, numbers and strings but not keywords or
 * operator symbols, so a name first seen as a string after being used as an operator symbol
 * (`"+"`) may get a different place. A run of TLC with `-noGenerateSpecTE` skips `_TLCTrace`.
 *
 * @module
 */
import type { ModuleAst } from "../ast/types.js";
import type { Cfg, CfgValue } from "../cfg/parse.js";
import { intern } from "../values/compare.js";
import type { ModuleTable } from "./resolve.js";
import { TLC_NAMES_AFTER_ROOT_NAME, TLC_NAMES_AFTER_STRINGS, TLC_NAMES_BEFORE_ROOT, TLC_STANDARD_MODULES } from "./tlc-intern-data.js";

/** The module TLC's trace-file post-condition adds to the root's EXTENDS. */
const TRACE_MODULE = "_TLCTrace";

/** What the load order needs of a module, ours or TLC's standard one. */
interface ModuleShape {
  readonly name: string;
  readonly extends: readonly string[];
  /** Top-level INSTANCEs, as SANY collects them (not those inside a LET). */
  readonly instances: readonly string[];
  /** Modules defined inside this one (they share its file). */
  readonly inner: readonly ModuleShape[];
  /** The file the module is in: its tokens and strings. */
  readonly file: { readonly tokens: readonly string[]; readonly strings: readonly string[] };
  /** Modules found by name from here: its own resolved names, and its inner modules'. */
  readonly resolved: Set<string>;
  readonly parent: ModuleShape | null;
}

function shapeOf(m: ModuleAst, parent: ModuleShape | null): ModuleShape {
  const instances: string[] = [];
  const inner: ModuleShape[] = [];
  const shape: ModuleShape = {
    name: m.name,
    extends: m.extends.map((e) => e.name),
    instances,
    inner,
    file: { tokens: m.tokens, strings: m.strings },
    resolved: new Set(),
    parent,
  };
  for (const u of m.units) {
    if (u.k === "inst") instances.push(u.module);
    else if (u.k === "module") inner.push(shapeOf(u.mod, shape));
  }
  // An inner module is known by name in the module around it from the start (SANY's context).
  for (const i of inner) shape.resolved.add(i.name);
  return shape;
}

function standardShape(name: string): ModuleShape | null {
  const d = TLC_STANDARD_MODULES.get(name);
  if (!d) return null;
  return { name, extends: d.extends, instances: d.instances, inner: [], file: d, resolved: new Set(), parent: null };
}

/** Whether `m` (or a module it is inside) already resolves `name`. */
function resolves(m: ModuleShape, name: string): boolean {
  for (let c: ModuleShape | null = m; c; c = c.parent) if (c.resolved.has(name)) return true;
  return false;
}

/**
 * The files SANY parses for `root`, in the order it parses them (`SpecObj.loadSpec`'s loop over
 * `findNextUnresolvedExtention` and `findNextUnresolvedInstantiation`).
 */
function parseOrder(root: ModuleAst, table: ModuleTable, traceModule: boolean): ModuleShape[] {
  const rootShape = shapeOf(root, null);
  if (traceModule) (rootShape.extends as string[]).push(TRACE_MODULE);
  const parsed = new Map<string, ModuleShape>();
  const files: ModuleShape[] = [rootShape];
  const addFile = (s: ModuleShape): void => {
    const visit = (m: ModuleShape): void => {
      parsed.set(m.name, m);
      for (const i of m.inner) visit(i);
    };
    visit(s);
  };
  addFile(rootShape);
  const module = (from: ModuleShape, name: string): ModuleShape | null => {
    if (!resolves(from, name)) return null;
    return parsed.get(name) ?? null;
  };
  type Found = { from: ModuleShape; name: string };
  // SANY's findNextUnresolvedExtention (`via` "extends") and findNextUnresolvedInstantiation
  // ("instances"): the first such name of `m` not yet resolved, else the same search in the
  // modules it extends, the resolved ones it instantiates and its inner modules, depth first.
  const findUnresolved = (m: ModuleShape, via: "extends" | "instances", seen: Set<ModuleShape>): Found | null => {
    if (seen.has(m)) return null;
    seen.add(m);
    for (const n of m[via]) if (!resolves(m, n)) return { from: m, name: n };
    for (const n of [...m.extends, ...m.instances]) {
      const d = module(m, n);
      const f = d && findUnresolved(d, via, seen);
      if (f) return f;
    }
    for (const i of m.inner) {
      const f = findUnresolved(i, via, seen);
      if (f) return f;
    }
    return null;
  };
  for (;;) {
    const found = findUnresolved(rootShape, "extends", new Set()) ?? findUnresolved(rootShape, "instances", new Set());
    if (!found) break;
    found.from.resolved.add(found.name);
    if (parsed.has(found.name)) continue;
    // A spec's own module of a standard name is not read (ours are built in), so TLC's text counts.
    const ast = table.get(found.name);
    const shape = standardShape(found.name) ?? (ast ? shapeOf(ast, null) : null);
    if (!shape) continue; // Unknown to both: the loader reports it.
    files.push(shape);
    addFile(shape);
  }
  // Modules reached only through a LET INSTANCE, which SANY reads later.
  for (const m of table.values()) {
    if (parsed.has(m.name)) continue;
    const shape = shapeOf(m, null);
    files.push(shape);
    addFile(shape);
  }
  return files;
}

/** The modules whose files SANY parses for `root`, in its order (the first of each file). */
export function tlcParseOrder(root: ModuleAst, table: ModuleTable, traceModule = false): string[] {
  return parseOrder(root, table, traceModule).map((m) => m.name);
}

function internCfgValue(v: CfgValue): void {
  switch (v.k) {
    case "str":
      intern(v.v);
      return;
    case "mv":
      intern(v.name);
      return;
    case "set":
    case "tuple":
      for (const e of v.elems) internCfgValue(e);
      return;
    default:
      return;
  }
}

/**
 * Fill the current intern table in TLC's order (see the module comment) for the model of `root`
 * and `cfg`. `traceModule`: whether TLC would load its trace-file module (its default).
 */
export function internInTlcOrder(root: ModuleAst, table: ModuleTable, cfg: Cfg, traceModule = false): void {
  for (const c of cfg.constants) if (c.k === "value") internCfgValue(c.value);
  for (const s of TLC_NAMES_BEFORE_ROOT) intern(s);
  const files = parseOrder(root, table, traceModule);
  const rootTokens = files[0]!.file.tokens;
  // The root's name is its first identifier (after the header's dashes).
  if (rootTokens.length > 0) intern(rootTokens[0]!);
  for (const s of TLC_NAMES_AFTER_ROOT_NAME) intern(s);
  const seenFiles = new Set<object>();
  for (const f of files) {
    if (seenFiles.has(f.file)) continue;
    seenFiles.add(f.file);
    for (const t of f.file.tokens) intern(t);
  }
  // String literals: dependencies first, from the root.
  const byName = new Map<string, ModuleShape>();
  for (const f of files) {
    const visit = (m: ModuleShape): void => {
      if (!byName.has(m.name)) byName.set(m.name, m);
      for (const i of m.inner) visit(i);
    };
    visit(f);
  }
  const done = new Set<object>();
  const semantic = (m: ModuleShape): void => {
    if (done.has(m)) return;
    done.add(m);
    for (const d of [...m.extends, ...m.instances]) {
      const dep = byName.get(d);
      if (dep) semantic(dep);
    }
    for (const i of m.inner) semantic(i);
    if (done.has(m.file)) return;
    done.add(m.file);
    for (const s of m.file.strings) intern(s);
  };
  semantic(files[0]!);
  for (const f of files) semantic(f);
  for (const s of TLC_NAMES_AFTER_STRINGS) intern(s);
}

/** Intern an expression module's tokens (a `-inv` expression or an evaluated one): identifiers, then strings. */
export function internExpressionTokens(m: ModuleAst): void {
  for (const t of m.tokens) intern(t);
  for (const t of m.strings) intern(t);
}
