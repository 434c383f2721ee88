/**
 * Naturals and Integers: arithmetic on exact integers (an error past 2^53, never a silent
 * rounding), comparisons, intervals, Nat and Int.
 *
 * @module
 */
import { INT, Interval, NAT } from "../values/sets.js";
import { ValueError } from "../values/value.js";
import { checked, int, table, type Builtin, type BuiltinTable } from "./coerce.js";

function floorDiv(a: number, b: number): number {
  if (b === 0) throw new ValueError(`The second argument of \\div is 0`);
  return Math.floor(a / b);
}

function floorMod(a: number, b: number): number {
  if (b <= 0) throw new ValueError(`The second argument of % should be a positive number, but instead it is: ${b}`);
  return ((a % b) + b) % b;
}

function power(a: number, b: number): number {
  if (b < 0) throw new ValueError(`The second argument of ^ should be a natural number, but instead it is: ${b}`);
  if (a === 0 && b === 0) throw new ValueError("0^0 is undefined");
  return checked(a ** b, "^", a, b);
}

const naturals: Builtin[] = [
  // The hot arithmetic gets allocation-free forms with an integer fast path.
  {
    name: "+",
    arity: 2,
    fn: ([a, b]) => checked(int(a!, "+") + int(b!, "+"), "+", a as number, b as number),
    fn2: (a, b) => {
      if (typeof a === "number" && typeof b === "number") {
        const r = a + b;
        if (r <= 9007199254740991 && r >= -9007199254740991) return r;
      }
      return checked(int(a, "+") + int(b, "+"), "+", a as number, b as number);
    },
  },
  { name: "<", arity: 2, fn: ([a, b]) => int(a!, "<") < int(b!, "<"), fn2: (a, b) => (typeof a === "number" && typeof b === "number" ? a < b : int(a, "<") < int(b, "<")) },
  { name: ">", arity: 2, fn: ([a, b]) => int(a!, ">") > int(b!, ">"), fn2: (a, b) => (typeof a === "number" && typeof b === "number" ? a > b : int(a, ">") > int(b, ">")) },
  { name: "<=", arity: 2, fn: ([a, b]) => int(a!, "<=") <= int(b!, "<="), fn2: (a, b) => (typeof a === "number" && typeof b === "number" ? a <= b : int(a, "<=") <= int(b, "<=")) },
  { name: ">=", arity: 2, fn: ([a, b]) => int(a!, ">=") >= int(b!, ">="), fn2: (a, b) => (typeof a === "number" && typeof b === "number" ? a >= b : int(a, ">=") >= int(b, ">=")) },
  { name: "Nat", arity: 0, fn: () => NAT },
  { name: "-", arity: 2, fn: ([a, b]) => checked(int(a!, "-") - int(b!, "-"), "-", a as number, b as number) },
  { name: "*", arity: 2, fn: ([a, b]) => checked(int(a!, "*") * int(b!, "*"), "*", a as number, b as number) },
  { name: "^", arity: 2, fn: ([a, b]) => power(int(a!, "^"), int(b!, "^")) },
  { name: "\\div", arity: 2, fn: ([a, b]) => floorDiv(int(a!, "\\div"), int(b!, "\\div")) },
  { name: "%", arity: 2, fn: ([a, b]) => floorMod(int(a!, "%"), int(b!, "%")) },
  { name: "..", arity: 2, fn: ([a, b]) => new Interval(int(a!, ".."), int(b!, "..")) },
];

/** The Naturals module. */
export const NATURALS: BuiltinTable = table(naturals);

/** The Integers module (extends Naturals). */
export const INTEGERS: BuiltinTable = table([
  ...naturals,
  { name: "Int", arity: 0, fn: () => INT },
  { name: "-.", arity: 1, fn: ([a]) => -int(a!, "-") },
]);
