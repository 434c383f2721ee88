/**
 * Random small specs with fairness and random temporal properties, for differential liveness
 * testing against TLC: a boolean `a` and two counters `b`, `c` in 0..2 (at most 18 states),
 * two to four guarded actions plus an optional parameterised `Inc(k)`, random WF/SF on each
 * (and `\A k \in 0..2 : WF/SF(Inc(k))`), and one or two properties built from the temporal
 * shapes TLC checks: `[]<>`, `<>[]`, `<>`, `~>`, nested `[]`, `<>(P /\ []Q)`, `=>`, `\/`, `/\`,
 * `~` between temporal formulas, `[]<><<A>>_v`, WF/SF as properties, ENABLED in predicates and a
 * quantified `\A k \in 0..2`. Deadlock checking is off: a state without successors stutters.
 */
import fc from "fast-check";

/** A generated spec: module text plus cfg text. */
export interface GeneratedLiveSpec {
  /** Module name (also the file stem). */
  name: string;
  tla: string;
  cfg: string;
}

const MODULE = "RandLive";

const k3 = fc.integer({ min: 0, max: 2 });

/** State predicates over a, b, c; `enabled` adds `ENABLED Ai` for the given action names. */
function predicate(actions: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom("a", "~a", "b = c", "b < c", "b # c"),
    k3.map((k) => `b = ${k}`),
    k3.map((k) => `c = ${k}`),
    k3.map((k) => `b # ${k}`),
    ...(actions.length > 0 ? [fc.constantFrom(...actions).map((n) => `ENABLED ${n}`)] : []),
  );
}

function guard(): fc.Arbitrary<string> {
  return fc.array(predicate([]), { minLength: 0, maxLength: 2 }).map((ps) => (ps.length === 0 ? "TRUE" : ps.join(" /\\ ")));
}

const aUpdate = fc.constantFrom("UNCHANGED a", "a' = ~a", "a' = TRUE", "a' = FALSE");
function counterUpdate(v: "b" | "c", other: "b" | "c"): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(`UNCHANGED ${v}`),
    fc.constant(`${v}' = (${v} + 1) % 3`),
    k3.map((k) => `${v}' = ${k}`),
    fc.constant(`${v}' = ${other}`),
    fc.constant(`${v}' \\in {0, ${v}}`),
  );
}

const action = fc
  .tuple(guard(), aUpdate, counterUpdate("b", "c"), counterUpdate("c", "b"))
  .map(([g, ua, ub, uc]) => `  /\\ ${g}\n  /\\ ${ua}\n  /\\ ${ub}\n  /\\ ${uc}`);

type Fairness = "none" | "WF" | "SF";
const fairness = fc.constantFrom<Fairness>("none", "none", "WF", "WF", "SF");

/**
 * Temporal formulas over the named actions (depth-limited). Action-level subformulas appear only
 * where TLC accepts them (`[]<><<A>>_v`, WF, SF), so most cases check rather than being rejected.
 */
function temporal(actions: string[], hasInc: boolean): fc.Arbitrary<string> {
  const p = predicate(actions);
  const angle = fc.constantFrom(...actions).map((n) => `<<${n}>>_vars`);
  const { t } = fc.letrec<{ t: string }>((tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      p.map((x) => `[]<>(${x})`),
      p.map((x) => `<>[](${x})`),
      p.map((x) => `<>(${x})`),
      fc.tuple(p, p).map(([x, y]) => `((${x}) ~> (${y}))`),
      fc.tuple(p, p).map(([x, y]) => `[]((${x}) => [](${y}))`),
      fc.tuple(p, p).map(([x, y]) => `<>((${x}) /\\ [](${y}))`),
      angle.map((x) => `[]<>${x}`),
      fc.tuple(fc.constantFrom("WF", "SF"), fc.constantFrom(...actions)).map(([f, n]) => `${f}_vars(${n})`),
      ...(hasInc ? [fc.constant("(\\A k \\in 0..2 : b = k ~> b # k)")] : []),
      fc.tuple(tie("t"), tie("t")).map(([x, y]) => `(${x} => ${y})`),
      fc.tuple(tie("t"), tie("t")).map(([x, y]) => `(${x} \\/ ${y})`),
      fc.tuple(tie("t"), tie("t")).map(([x, y]) => `(${x} /\\ ${y})`),
      tie("t").map((x) => `~${x}`),
    ),
  }));
  return t;
}

/** An arbitrary small spec with fairness, its properties and cfg. */
export const liveSpecArbitrary: fc.Arbitrary<GeneratedLiveSpec> = fc
  .record({
    actions: fc.array(action, { minLength: 2, maxLength: 4 }),
    fair: fc.array(fairness, { minLength: 4, maxLength: 4 }),
    inc: fc.option(fc.constantFrom<Fairness>("none", "WF", "SF"), { freq: 2 }),
    nextFair: fc.boolean(),
    initC: fc.constantFrom("c = 0", "c \\in {0, 1}", "c = 2"),
  })
  .chain((c) => {
    const names = c.actions.map((_, i) => `A${i + 1}`);
    const hasInc = c.inc !== null;
    return fc.record({
      c: fc.constant(c),
      props: fc.array(temporal(names, hasInc), { minLength: 1, maxLength: 2 }),
    });
  })
  .map(({ c, props }) => {
    const names = c.actions.map((_, i) => `A${i + 1}`);
    const defs = c.actions.map((a, i) => `${names[i]} ==\n${a}\n`).join("\n");
    const inc = c.inc === null ? "" : "Inc(k) == b = k /\\ b' = (k + 1) % 3 /\\ UNCHANGED <<a, c>>\n";
    const next = [...names, ...(c.inc === null ? [] : ["\\E k \\in 0..2 : Inc(k)"])].join(" \\/ ");
    const fair = [
      ...names.flatMap((n, i) => (c.fair[i] === "none" ? [] : [`${c.fair[i]}_vars(${n})`])),
      ...(c.inc === null || c.inc === "none" ? [] : [`\\A k \\in 0..2 : ${c.inc}_vars(Inc(k))`]),
      ...(c.nextFair ? ["WF_vars(Next)"] : []),
    ];
    const tla = `---- MODULE ${MODULE} ----
EXTENDS Naturals
VARIABLES a, b, c
vars == <<a, b, c>>

Init == a = FALSE /\\ b = 0 /\\ ${c.initC}

${defs}
${inc}
Next == ${next}

Spec == Init /\\ [][Next]_vars${fair.map((f) => ` /\\ ${f}`).join("")}

${props.map((p, i) => `P${i} == ${p}`).join("\n")}
====
`;
    const cfg = `SPECIFICATION Spec\nPROPERTIES ${props.map((_, i) => `P${i}`).join(" ")}\nCHECK_DEADLOCK FALSE\n`;
    return { name: MODULE, tla, cfg };
  });
