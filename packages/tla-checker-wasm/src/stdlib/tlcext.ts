/**
 * TLC's standard module TLCExt (tla2tools 2.20), with TLC's meaning where tla-check can give it:
 * AssertEq, AssertError (when its expression evaluates), TLCGetOrDefault, TLCGetAndSet,
 * TLCModelValue, TLCNoOp, TLCCache, PickSuccessor (when its argument is TRUE). The others are
 * Trace is the path from an initial state, rebuilt from the search's parent links as TLC rebuilds
 * it from its trace file (refused outside a model-checking search: simulation, liveness). The
 * others are refused by name when evaluated, never given another meaning: CounterExample and
 * ToTrace (the error graph of a POSTCONDITION), TLCDefer (the
 * simulator's deferred evaluation), TLCFP (TLC's own fingerprints), TLCEvalDefinition, an
 * AssertError whose expression fails (it compares TLC's error text, which tla-check's messages
 * do not reproduce), a PickSuccessor that would ask on standard input, and typed model values.
 *
 * @module
 */
import { TlaError, type State } from "../model.js";
import { valueEquals } from "../values/compare.js";
import { formatValue } from "../values/format.js";
import { getModelValue } from "../values/ops.js";
import { record } from "../values/sets.js";
import { ValueError, tuple, type Val } from "../values/value.js";
import { bool, op, str, table, type BuiltinTable } from "./coerce.js";
import { TLC, register, setRegister } from "./tlc.js";
import type { Ctx } from "../eval/context.js";

function refuse(what: string): never {
  throw new ValueError(`${what}; tla-check does not implement it, rather than give it another meaning`, "unsupported");
}

function printLine(c: Ctx, v: Val): void {
  const line = formatValue(v);
  if (c.ec.print) c.ec.print(line);
  else console.log(line);
}

/** `TLCGet(key)` if TLC has a value for it, else `defaultVal` (registers only default). */
function getOrDefault(key: Val, defaultVal: Val, c: Ctx): Val {
  if (typeof key === "number") return register(key) ?? defaultVal;
  return TLC.get("TLCGet")!.fn([key], c);
}

/** The TLCExt module. */
export const TLCEXT: BuiltinTable = table([
  {
    // TLCExt.tla: IF a # b THEN PrintT("Assertion failed") /\ PrintT(a) /\ PrintT(b) /\ a = b ELSE a = b
    name: "AssertEq",
    arity: 2,
    pure: false,
    fn: ([a, b], c) => {
      if (valueEquals(a!, b!)) return true;
      printLine(c, "Assertion failed");
      printLine(c, a!);
      printLine(c, b!);
      return false;
    },
  },
  {
    name: "AssertError",
    arity: 2,
    lazy: ([, exp], _c, exprs) => {
      // TLC requires a string literal, checked when AssertError is evaluated.
      if (exprs[0]!.k !== "str") throw new ValueError(`The first argument of AssertError must be a string literal, but it is ${exprs[0]!.k === "id" ? exprs[0]!.name : "an expression"}`);
      try {
        exp!();
      } catch (err) {
        const failed = (err instanceof TlaError && (err.kind === "eval" || err.kind === "assert")) || (err instanceof ValueError && err.kind !== "unsupported");
        if (!failed) throw err;
        refuse(`AssertError: its expression failed to evaluate (${(err as Error).message.split("\n")[0]}), and AssertError compares TLC's own error text with the expected one`);
      }
      // The expression evaluated: no error, so the expected error did not occur.
      return false;
    },
  },
  {
    name: "TLCGetOrDefault",
    arity: 2,
    pure: false,
    stateful: true,
    fn: ([key, d], c) => getOrDefault(key!, d!, c),
  },
  {
    // TLCExt.tla: LET oldVal == TLCGetOrDefault(key, defaultVal) IN CHOOSE v \in {oldVal} : TLCSet(key, Op(oldVal, val))
    name: "TLCGetAndSet",
    arity: 4,
    pure: false,
    stateful: true,
    fn: ([key, f, val, d], c) => {
      const old = getOrDefault(key!, d!, c);
      const next = op(f!, 2, "TLCGetAndSet").call([old, val!]);
      TLC.get("TLCSet")!.fn([key!, next], c);
      return old;
    },
  },
  {
    name: "TLCModelValue",
    arity: 1,
    fn: ([s]) => {
      const name = str(s!, "TLCModelValue");
      // TLC: a name `T_...` is a model value typed T, unequal to others of its type and an error
      // when compared with a value of another kind; tla-check's model values are untyped.
      if (/^[A-Za-z0-9_]_/.test(name)) refuse(`TLCModelValue(${formatValue(name)}): a typed model value (type ${name[0]})`);
      return getModelValue(name);
    },
  },
  { name: "TLCNoOp", arity: 1, fn: ([v]) => v! },
  // The cache is TLC's optimisation; the value is the expression's.
  { name: "TLCCache", arity: 2, fn: ([v]) => v! },
  {
    name: "PickSuccessor",
    arity: 1,
    pure: false,
    fn: ([v]) => (bool(v!, "PickSuccessor") ? true : refuse("PickSuccessor(FALSE) asks on standard input which successor to take (TLC's interactive exploration)")),
  },
  {
    // TLC's @Evaluation getTrace: a tuple of records (variable name |-> value), from an initial
    // state to the state Trace is evaluated on, as the search reached it.
    name: "Trace",
    arity: 0,
    pure: false,
    stateful: true,
    lazy: (_args, c) => {
      const missing = c.ec.trace ? c.ec.trace(c.s as State) : null;
      if (missing === null) return refuse("TLCExt's Trace outside a model-checking search (the behaviour from an initial state to the current one)");
      const { variables, states } = missing;
      const unassigned = variables.filter((_, i) => c.s[i] === undefined);
      if (unassigned.length > 0) {
        throw new ValueError(`In evaluating TLCExt!Trace, the state is not completely specified yet (variable${unassigned.length > 1 ? "s" : ""} ${unassigned.join(", ")} undefined).`);
      }
      return tuple(states.map((st) => record(variables.map((v, i) => [v, st[i] as Val] as const))));
    },
  },
  { name: "CounterExample", arity: 0, pure: false, stateful: true, lazy: () => refuse("TLCExt's CounterExample (the error graph in a POSTCONDITION)") },
  { name: "ToTrace", arity: 1, lazy: () => refuse("TLCExt's ToTrace (a counterexample as a sequence of states)") },
  { name: "TLCDefer", arity: 1, lazy: () => refuse("TLCExt's TLCDefer (evaluation deferred to the state the simulator chooses)") },
  { name: "TLCFP", arity: 1, lazy: () => refuse("TLCExt's TLCFP (TLC's own fingerprint of a value)") },
  { name: "TLCEvalDefinition", arity: 1, lazy: () => refuse("TLCExt's TLCEvalDefinition (a definition looked up by its name at run time)") },
]);
