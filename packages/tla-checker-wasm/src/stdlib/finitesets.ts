/**
 * FiniteSets: IsFiniteSet and Cardinality.
 *
 * @module
 */
import { set, table, type BuiltinTable } from "./coerce.js";

/** The FiniteSets module. */
export const FINITE_SETS: BuiltinTable = table([
  { name: "IsFiniteSet", arity: 1, fn: ([s]) => set(s!, "IsFiniteSet").finite },
  { name: "Cardinality", arity: 1, fn: ([s]) => set(s!, "Cardinality").size() },
]);
