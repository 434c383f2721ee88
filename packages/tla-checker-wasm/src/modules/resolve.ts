/**
 * Finding and parsing every module a spec needs: its own file, sibling files, library
 * directories and in-memory modules, following EXTENDS and INSTANCE.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Def, Expr, ModuleAst, Span, Unit } from "../ast/types.js";
import { TlaError } from "../model.js";
import { STANDARD_MODULES, STANDARD_MODULE_SOURCES } from "../stdlib/index.js";
import { parseModules } from "../parse/parse.js";

/** Where modules come from. */
export interface ModuleSources {
  /** Directories searched in order (the spec's own directory first). */
  dirs: string[];
  /** In-memory module sources by module name. */
  modules: Record<string, string>;
  /** Called with each module file's text before it is parsed. */
  onText?: (file: string, text: string) => void;
}

/** All parsed modules by name. */
export type ModuleTable = Map<string, ModuleAst>;

async function tryRead(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

/** Register a parsed module and its nested modules. */
export function register(table: ModuleTable, mod: ModuleAst): void {
  if (!table.has(mod.name)) table.set(mod.name, mod);
  for (const u of mod.units) if (u.k === "module") register(table, u.mod);
}

function instancesIn(e: Expr, out: { name: string; span: Span }[]): void {
  if (e.k === "let") {
    for (const d of e.defs) defInstances(d, out);
    instancesIn(e.body, out);
  }
}

function defInstances(d: Def | Unit, out: { name: string; span: Span }[]): void {
  if (d.k === "inst") out.push({ name: d.module, span: d.moduleSpan });
  else if (d.k === "op") instancesIn(d.body, out);
}

/** The modules `mod` refers to by EXTENDS or INSTANCE. */
export function references(mod: ModuleAst): { name: string; span: Span }[] {
  const out = [...mod.extends];
  for (const u of mod.units) {
    defInstances(u, out);
    if (u.k === "module") out.push(...references(u.mod));
  }
  return out;
}

/** Load, parse and register everything reachable from `root`. */
export async function loadAll(root: ModuleAst, src: ModuleSources, table: ModuleTable): Promise<void> {
  register(table, root);
  const queue: ModuleAst[] = [root];
  while (queue.length > 0) {
    const mod = queue.shift()!;
    for (const ref of references(mod)) {
      if (table.has(ref.name) || STANDARD_MODULES.has(ref.name)) continue;
      let text: string | null = null;
      let file = `${ref.name}.tla`;
      if (src.modules[ref.name] !== undefined) text = src.modules[ref.name]!;
      else {
        for (const d of src.dirs) {
          const path = join(d, `${ref.name}.tla`);
          text = await tryRead(path);
          if (text !== null) {
            file = path;
            break;
          }
        }
      }
      if (text === null && STANDARD_MODULE_SOURCES.has(ref.name)) {
        text = STANDARD_MODULE_SOURCES.get(ref.name)!;
        file = `<standard module ${ref.name}>`;
      }
      if (text === null) {
        throw new TlaError("semantic", `Cannot find module ${ref.name} (referenced from module ${mod.name}); searched ${src.dirs.join(", ") || "no directories"}`, {
          file: mod.file,
          line: ref.span.line,
          column: ref.span.col,
        });
      }
      src.onText?.(file, text);
      const mods = await parseModules(file, text);
      const main = mods[0]!;
      if (main.name !== ref.name) {
        throw new TlaError("semantic", `file ${file} defines module ${main.name}, not ${ref.name}`, { file, line: 1, column: 1 });
      }
      for (const m of mods) {
        register(table, m);
        queue.push(m);
      }
    }
  }
}
