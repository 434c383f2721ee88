/**
 * The order in which TLC lists a spec's variables: in printed states, trace files, state dumps,
 * and its state fingerprint (so the successor order of its liveness graph).
 *
 * TLC takes them from SANY's `ModuleNode.getVariableDecls()`, the root module's symbol table (a
 * `java.util.Hashtable` keyed by name) enumerated and reversed: by ascending bucket
 * `(String.hashCode(name) & 0x7fffffff) % capacity`. The capacity is the table's after every
 * symbol of the root's context went in: SANY's 72 built-in operators, the root's own variables,
 * constants, definitions (LOCAL ones too) and named ASSUMEs, what its EXTENDS export, and what an
 * INSTANCE brings (`I == INSTANCE M` adds `I` and `I!Op` for each definition M exports). The
 * Hashtable starts at 11 buckets and grows to 2n+1 when it is 3/4 full: 191 buckets up to 143
 * symbols, 383 up to 287, and so on. Checked with SANY 8d3143c on the standard modules and small
 * specs (scripts/tlc-intern/CtxDump.java prints the size, capacity and order SANY has).
 *
 * Not reproduced: variables in the same bucket keep their declaration order (Java's order there
 * depends on the history of the table), and named THEOREMs are not counted (we do not keep them).
 *
 * @module
 */
import type { ModuleAst, Unit } from "../ast/types.js";
import type { ModuleTable } from "./resolve.js";
import { TLC_STANDARD_EXPORTS } from "./tlc-intern-data.js";

/** SANY's built-in operators (`$FcnApply`, `\in`, `TRUE`...), in every module's symbol table. */
export const BUILT_IN_SYMBOLS = 72;

/** Java's `String.hashCode`. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The bucket count of a `java.util.Hashtable` (default capacity and load factor) holding `size` keys. */
export function javaHashtableCapacity(size: number): number {
  let capacity = 11;
  let threshold = 8;
  for (let count = 0; count < size; count++) {
    if (count >= threshold) {
      capacity = 2 * capacity + 1;
      threshold = Math.floor(capacity * 0.75);
    }
  }
  return capacity;
}

/** The slots of `variables` in TLC's order for a root symbol table of `capacity` buckets. */
export function tlcVariableSlots(variables: readonly string[], capacity: number): number[] {
  const bucket = variables.map((v) => (javaStringHash(v) & 0x7fffffff) % capacity);
  return variables.map((_, i) => i).sort((a, b) => bucket[a]! - bucket[b]! || a - b);
}

/**
 * The names a module puts in the symbol table of a module that extends it (`extended`) or
 * instantiates it (`!extended`: no variables or constants, which the instance substitutes), or,
 * with `own`, in its own table.
 */
function moduleNames(m: ModuleAst, table: ModuleTable, mode: "own" | "extended" | "instance", out: Set<string>, path: Set<string>): void {
  if (path.has(m.name)) return; // A cycle: the loader reports it.
  path.add(m.name);
  const publicOnly = mode !== "own";
  for (const e of m.extends) namesOf(e.name, table, mode === "instance" ? "instance" : "extended", out, path);
  for (const u of m.units) unitNames(u, table, mode, publicOnly, out, path);
  path.delete(m.name);
}

function namesOf(name: string, table: ModuleTable, mode: "extended" | "instance", out: Set<string>, path: Set<string>): void {
  const std = TLC_STANDARD_EXPORTS.get(name);
  const m = table.get(name);
  if (std && !(m && !m.file.startsWith("<standard module"))) {
    for (const n of std) out.add(n);
    return;
  }
  if (m) moduleNames(m, table, mode, out, path);
}

function unitNames(u: Unit, table: ModuleTable, mode: "own" | "extended" | "instance", publicOnly: boolean, out: Set<string>, path: Set<string>): void {
  switch (u.k) {
    case "variables":
      if (mode !== "instance") for (const n of u.names) out.add(n);
      return;
    case "constants":
      if (mode !== "instance") for (const d of u.decls) out.add(d.name);
      return;
    case "assume":
      if (u.name !== null) out.add(u.name);
      return;
    case "op":
    case "fn":
      if (!(publicOnly && u.local)) out.add(u.name);
      return;
    case "inst": {
      if (publicOnly && u.local) return;
      if (u.name === null) {
        namesOf(u.module, table, "instance", out, path);
        return;
      }
      out.add(u.name);
      const inner = new Set<string>();
      namesOf(u.module, table, "instance", inner, path);
      for (const n of inner) out.add(`${u.name}!${n}`);
      return;
    }
    default:
      return;
  }
}

/** How many symbols SANY's table for `root` holds (its context, built-ins included). */
export function tlcRootContextSize(root: ModuleAst, table: ModuleTable): number {
  const names = new Set<string>();
  moduleNames(root, table, "own", names, new Set());
  return BUILT_IN_SYMBOLS + names.size;
}

/** TLC's order of `variables` (the root's, in declaration order) as slots. */
export function tlcVariableOrder(root: ModuleAst, table: ModuleTable, variables: readonly string[]): number[] {
  return tlcVariableSlots(variables, javaHashtableCapacity(tlcRootContextSize(root, table)));
}
