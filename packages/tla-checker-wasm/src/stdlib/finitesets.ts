/**
 * FiniteSets: IsFiniteSet and Cardinality.
 *
 * @module
 */
import { ValueError } from "../values/value.js";
import { set, table, type BuiltinTable } from "./coerce.js";

/** TLC's integers are 32-bit: a larger Cardinality is its overflow error, not a number. */
const MAX_INT = 2147483647;

/** The FiniteSets module. */
export const FINITE_SETS: BuiltinTable = table([
  { name: "IsFiniteSet", arity: 1, fn: ([s]) => set(s!, "IsFiniteSet").finite },
  {
    name: "Cardinality",
    arity: 1,
    fn: ([s]) => {
      const v = set(s!, "Cardinality");
      const n = v.size();
      if (n > MAX_INT) throw new ValueError(`Overflow when computing the number of elements in ${v.describe()}`);
      return n;
    },
  },
]);
