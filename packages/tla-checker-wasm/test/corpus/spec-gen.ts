/**
 * Random small TLA+ specs for differential testing against TLC: guarded-assignment programs over
 * an integer `x`, a set `s` and a function `f`, with the constructs whose enumeration TLC treats
 * specially (disjunctions and `\E` before and after the primed variables are assigned, guards
 * hidden in defined operators, `x' \in S`, `\E` around a whole action). Every expression is total,
 * so a spec can only end in ok, a violated invariant or a deadlock. The state space has at most
 * 4 * 8 * 9 = 288 states.
 */
import fc from "fast-check";

/** A generated spec: module text plus cfg text. */
export interface GeneratedSpec {
  /** Module name (also the file stem). */
  name: string;
  tla: string;
  cfg: string;
}

const MODULE = "Rand";

/** Integer expressions; `j` is only available inside an action wrapped in `\E j`. */
function intExpr(withJ: boolean): fc.Arbitrary<string> {
  const atoms = ["x", "0", "1", "2", "f[1]", "f[2]", "Cardinality(s)", ...(withJ ? ["j"] : [])];
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...atoms),
      fc.tuple(tie("expr"), fc.constantFrom("+", "*", "-"), tie("expr")).map(([a, op, b]) =>
        op === "-" ? `(IF ${a} > ${b} THEN ${a} - ${b} ELSE 0)` : `(${a} ${op} ${b})`),
      fc.tuple(tie("expr")).map(([a]) => `f[(${a} % 2) + 1]`),
    ),
  }));
  return expr;
}

/**
 * State predicates (they may mention primed variables when `primed` is set). `busy` allows the
 * defined operator `Busy`, which must not appear in its own definition.
 */
function pred(withJ: boolean, primed = false, busy = true): fc.Arbitrary<string> {
  const ie = intExpr(withJ);
  const atom = fc.oneof(
    fc.tuple(ie, fc.constantFrom("<", "=", "#", "<="), ie).map(([a, op, b]) => `${a} ${op} ${b}`),
    ie.map((a) => `(${a} % 3) \\in s`),
    fc.constant("s = {}"),
    fc.constant("s \\subseteq {0, 1}"),
    ie.map((a) => `(\\E i \\in {1, 2} : f[i] = ${a})`),
    ie.map((a) => `(\\A v \\in s : v <= ${a})`),
    ie.map((a) => `Small(${a})`),
    ...(busy ? [fc.constant("Busy")] : []),
    ...(primed ? [fc.constant("x' # x"), fc.constant("s' = s")] : []),
  );
  const { p } = fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      atom,
      fc.tuple(tie("p"), tie("p")).map(([a, b]) => `(${a} /\\ ${b})`),
      fc.tuple(tie("p"), tie("p")).map(([a, b]) => `(${a} \\/ ${b})`),
      tie("p").map((a) => `~(${a})`),
    ),
  }));
  return p;
}

function xUpdate(withJ: boolean, n: number): fc.Arbitrary<string> {
  const ie = intExpr(withJ);
  return fc.oneof(
    fc.constant("UNCHANGED x"),
    ie.map((a) => `x' = ${a} % ${n}`),
    fc.tuple(ie, ie).map(([a, b]) => `x' \\in {${a} % ${n}, ${b} % ${n}}`),
  );
}

function sUpdate(withJ: boolean): fc.Arbitrary<string> {
  const ie = intExpr(withJ);
  return fc.oneof(
    fc.constant("UNCHANGED s"),
    ie.map((a) => `s' = s \\cup {${a} % 3}`),
    ie.map((a) => `s' = s \\ {${a} % 3}`),
    fc.constant("s' = {}"),
    fc.constant("s' \\in {s, s \\cup {0}}"),
    fc.constant("\\E t \\in SUBSET {1, 2} : s' = t"),
  );
}

function fUpdate(withJ: boolean): fc.Arbitrary<string> {
  const ie = intExpr(withJ);
  return fc.oneof(
    fc.constant("UNCHANGED f"),
    fc.tuple(fc.constantFrom(1, 2), ie).map(([i, a]) => `f' = [f EXCEPT ![${i}] = ${a} % 3]`),
    fc.constant("f' = [i \\in {1, 2} |-> (f[i] + 1) % 3]"),
    fc.constant("\\E v \\in 0..1 : f' = [f EXCEPT ![2] = v]"),
    ie.map((a) => `f' = (1 :> (${a} % 3)) @@ f`),
  );
}

/** One action: a guard and three updates in a random order (the order matters to TLC). */
function action(n: number): fc.Arbitrary<string> {
  return fc.boolean().chain((withJ) =>
    fc.tuple(pred(withJ), xUpdate(withJ, n), sUpdate(withJ), fUpdate(withJ), fc.nat(23), fc.option(pred(withJ, true), { freq: 3 }))
      .map(([guard, ux, us, uf, order, late]) => {
        const parts = [guard, ux, us, uf];
        const perm = permutation(order, parts.length);
        const conj = perm.map((i) => parts[i]);
        if (late !== null) conj.push(late);
        const body = conj.map((c) => `     /\\ ${c}`).join("\n");
        return withJ ? `  \\E j \\in {0, 1} :\n${body}` : body;
      }));
}

/** The k-th permutation of 0..n-1 (k taken modulo n!). */
function permutation(k: number, n: number): number[] {
  const items = [...Array(n).keys()];
  const out: number[] = [];
  let rest = k;
  for (let m = n; m > 0; m--) {
    out.push(items.splice(rest % m, 1)[0]);
    rest = Math.floor(rest / m);
  }
  return out;
}

/** An arbitrary small spec with its cfg. */
export const specArbitrary: fc.Arbitrary<GeneratedSpec> = fc
  .record({
    n: fc.integer({ min: 2, max: 4 }),
    initX: fc.uniqueArray(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 2 }),
    initS: fc.constantFrom("{}", "{0}", "{1, 2}"),
    deadlock: fc.boolean(),
    bound: fc.integer({ min: 0, max: 3 }),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      actions: fc.array(action(c.n), { minLength: 1, maxLength: 4 }),
      inv: pred(false),
      busy: pred(false, false, false),
      constraint: fc.option(pred(false), { freq: 4 }),
    }))
  .map(({ c, actions, inv, busy, constraint }) => {
    const defs = actions.map((a, i) => `A${i + 1} ==\n${a}\n`).join("\n");
    const tla = `---- MODULE ${MODULE} ----
EXTENDS Naturals, FiniteSets, TLC
VARIABLES x, s, f

Small(v) == v <= ${c.bound} \\/ v = x
Busy == ${busy}

Init == /\\ x \\in {${c.initX.join(", ")}}
        /\\ s = ${c.initS}
        /\\ f = [i \\in {1, 2} |-> 0]

${defs}
Next == ${actions.map((_, i) => `A${i + 1}`).join(" \\/ ")}

Inv == ${inv}
${constraint === null ? "" : `Constr == ${constraint}\n`}====
`;
    const cfg = `INIT Init\nNEXT Next\nINVARIANT Inv\n${constraint === null ? "" : "CONSTRAINT Constr\n"}${c.deadlock ? "" : "CHECK_DEADLOCK FALSE\n"}`;
    return { name: MODULE, tla, cfg };
  });
