/**
 * The standard modules built into the checker, by module name.
 *
 * @module
 */
import { BAGS } from "./bags.js";
import type { BuiltinTable } from "./coerce.js";
import { FINITE_SETS } from "./finitesets.js";
import { INTEGERS, NATURALS } from "./naturals.js";
import { SEQUENCES } from "./sequences.js";
import { TLC } from "./tlc.js";

/** Standard modules we implement natively; EXTENDS/INSTANCE of these never reads a file. */
export const STANDARD_MODULES: ReadonlyMap<string, BuiltinTable> = new Map([
  ["Naturals", NATURALS],
  ["Integers", INTEGERS],
  ["Sequences", SEQUENCES],
  ["FiniteSets", FINITE_SETS],
  ["TLC", TLC],
  ["Bags", BAGS],
]);

export type { Builtin, BuiltinTable } from "./coerce.js";
