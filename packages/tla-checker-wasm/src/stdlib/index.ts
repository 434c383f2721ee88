/**
 * The standard modules built into the checker, by module name.
 *
 * @module
 */
import { BAGS } from "./bags.js";
import type { BuiltinTable } from "./coerce.js";
import { FINITE_SETS } from "./finitesets.js";
import { INTEGERS, NATURALS } from "./naturals.js";
import { RANDOMIZATION } from "./randomization.js";
import { REALS, REAL_TIME_REFUSALS, REAL_TIME_REFUSALS_MODULE, REAL_TIME_SOURCE } from "./realtime.js";
import { SEQUENCES } from "./sequences.js";
import { TLC } from "./tlc.js";
import { TLCEXT } from "./tlcext.js";

/** Standard modules we implement natively; EXTENDS/INSTANCE of these never reads a file. */
export const STANDARD_MODULES: ReadonlyMap<string, BuiltinTable> = new Map([
  ["Naturals", NATURALS],
  ["Integers", INTEGERS],
  ["Sequences", SEQUENCES],
  ["FiniteSets", FINITE_SETS],
  ["TLC", TLC],
  ["Bags", BAGS],
  ["TLCExt", TLCEXT],
  ["Randomization", RANDOMIZATION],
  ["Reals", REALS],
  [REAL_TIME_REFUSALS_MODULE, REAL_TIME_REFUSALS],
]);

/**
 * Standard modules given as TLA+ text, used when the spec's folders have no file of that name
 * (as TLC takes its own standard modules after the search path).
 */
export const STANDARD_MODULE_SOURCES: ReadonlyMap<string, string> = new Map([["RealTime", REAL_TIME_SOURCE]]);

export type { Builtin, BuiltinTable } from "./coerce.js";
