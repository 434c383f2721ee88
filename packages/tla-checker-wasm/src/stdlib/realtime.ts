/**
 * TLC's standard module RealTime (Specifying Systems, chapter 9) when the spec's folders have no
 * RealTime.tla of their own: the variable `now` as declared there, and RTBound and RTnow refused
 * by name when evaluated. Both need what TLC cannot evaluate either (the real numbers `Real`, the
 * temporal existential `\EE`), so no model TLC checks gives them a value; declaring `now` and
 * writing one's own clock actions works as in TLC.
 *
 * @module
 */
import { ValueError } from "../values/value.js";
import { table, type BuiltinTable } from "./coerce.js";
import { INTEGERS } from "./naturals.js";

/** The operators the stand-in's definitions refer to (a standard module of their own). */
export const REAL_TIME_REFUSALS_MODULE = "RealTimeRefusals__";

function refuse(what: string): never {
  throw new ValueError(`${what}; TLC cannot evaluate it either (it needs ${what.startsWith("RTnow") ? "the real numbers, Real" : "the temporal existential \\EE over the real numbers"})`, "unsupported");
}

/** RTBound and RTnow of the stand-in, refusing when evaluated. */
export const REAL_TIME_REFUSALS: BuiltinTable = table([
  { name: "RefuseRTBound", arity: 0, lazy: () => refuse("RTBound of the standard module RealTime") },
  { name: "RefuseRTnow", arity: 0, lazy: () => refuse("RTnow of the standard module RealTime") },
]);

/** The stand-in module's text, parsed like a module file named RealTime.tla. */
export const REAL_TIME_SOURCE = `---- MODULE RealTime ----
LOCAL INSTANCE ${REAL_TIME_REFUSALS_MODULE}
VARIABLE now
RTBound(A, v, D, E) == RefuseRTBound
RTnow(v) == RefuseRTnow
====
`;

function refuseReals(what: string): never {
  throw new ValueError(`${what} of the standard module Reals cannot be evaluated; TLC cannot evaluate the real numbers either`, "unsupported");
}

/**
 * The standard module Reals (which RealTime extends): Integers' operators, and `Real`, `/` and
 * `Infinity` refused by name when evaluated (TLC's Reals.tla defines them by CHOOSE over the reals,
 * which TLC cannot evaluate). `/` exists only here, as in SANY: a spec needs Reals for it.
 */
export const REALS: BuiltinTable = new Map([
  ...INTEGERS,
  ...table([
    { name: "Real", arity: 0, lazy: () => refuseReals("Real") },
    { name: "/", arity: 2, lazy: () => refuseReals("Division a / b") },
    { name: "Infinity", arity: 0, lazy: () => refuseReals("Infinity") },
  ]),
]);
