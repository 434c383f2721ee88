/**
 * Random PlusCal algorithms for the differential test against pcal.trans: uniprocess and
 * multiprocess, P-syntax and C-syntax, with labels placed at random (so some needed labels are
 * missing, which is an error unless the translator may add them), macros, procedures with
 * calls and returns, process sets with local variables, fairness and options statements.
 * Many generated algorithms are wrong; the test then compares the two translators' errors.
 */
import fc from "fast-check";

/** A statement before rendering; `label` is set on a random subset. */
type Stmt =
  | { k: "assign"; text: string; label?: string }
  | { k: "simple"; text: string; label?: string }
  | { k: "if"; cond: string; then: Stmt[]; else: Stmt[] | null; label?: string }
  | { k: "either"; ors: Stmt[][]; label?: string }
  | { k: "with"; bind: string; body: Stmt[]; label?: string }
  | { k: "while"; cond: string; body: Stmt[]; label?: string }
  | { k: "goto"; to: string; label?: string }
  | { k: "call"; text: string; then: "" | "return" | string; label?: string }
  | { k: "return"; label?: string };

/** A generated algorithm: the module text and what it exercises. */
export interface GeneratedAlgorithm {
  name: string;
  text: string;
  syntax: "p" | "c";
  multi: boolean;
}

const ASSIGNS = ["x := x + 1", "y := 1 - y", "q := Append(q, x)", "x := 0 || flag := ~flag", "flag := TRUE", "x := y + 1", "r.a := r.a + 1", "f[y] := x"];
const CONDS = ["x < 3", "flag", "y = 0", "q = << >>", "x > y /\\ ~flag"];
const SIMPLE = ["skip", "await x < 5", "when y \\in {0, 1}", "assert x >= 0", "print x"];
const BINDS = ["v \\in {1, 2}", "v = x", "v \\in {y, x}"];

interface Ctx {
  labels: string[];
  inProcedure: boolean;
  procedures: { name: string; arity: number }[];
  macros: { name: string; arity: number }[];
  localVars: string[];
}

function stmtArb(depth: number, ctx: Ctx): fc.Arbitrary<Stmt> {
  const leaf: fc.Arbitrary<Stmt>[] = [
    fc.constantFrom(...ASSIGNS, ...ctx.localVars.map((v) => `${v} := ${v} + 1`)).map((text) => ({ k: "assign" as const, text })),
    fc.constantFrom(...ASSIGNS, ...ctx.localVars.map((v) => `${v} := ${v} + 1`)).map((text) => ({ k: "assign" as const, text })),
    fc.constantFrom(...SIMPLE).map((text) => ({ k: "simple" as const, text })),
    fc.constantFrom("Done", "Done", "Done", "l1").map((to) => ({ k: "goto" as const, to })),
  ];
  if (ctx.macros.length > 0) leaf.push(fc.constantFrom(...ctx.macros).map((m) => ({ k: "simple" as const, text: `${m.name}(${m.arity === 1 ? "x" : "x, 1"})` })));
  if (ctx.procedures.length > 0) {
    leaf.push(
      fc.record({ p: fc.constantFrom(...ctx.procedures), then: fc.constantFrom("", "", ctx.inProcedure ? "return" : "", "l1") }).map(({ p, then }) => ({
        k: "call" as const,
        text: `call ${p.name}(${Array.from({ length: p.arity }, (_, i) => (i === 0 ? "x" : "y + 1")).join(", ")})`,
        then,
      })),
    );
  }
  if (ctx.inProcedure) leaf.push(fc.constant({ k: "return" as const }));
  if (depth <= 0) return fc.oneof(...leaf);
  const seq = fc.array(stmtArb(depth - 1, ctx), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...leaf) },
    { weight: 1, arbitrary: fc.record({ cond: fc.constantFrom(...CONDS), then: seq, else: fc.option(seq, { nil: null }) }).map((r) => ({ k: "if" as const, ...r })) },
    { weight: 1, arbitrary: fc.array(seq, { minLength: 2, maxLength: 3 }).map((ors) => ({ k: "either" as const, ors })) },
    // A with holds no label, jump or call, and assigns a variable at most once: one or two statements.
    { weight: 1, arbitrary: fc.record({ bind: fc.constantFrom(...BINDS), body: fc.tuple(leaf[0]!, fc.constantFrom(...SIMPLE)).map(([a, b]) => [a, { k: "simple" as const, text: b }]) }).map((r) => ({ k: "with" as const, ...r })) },
    { weight: 1, arbitrary: fc.record({ cond: fc.constantFrom(...CONDS), body: seq }).map((r) => ({ k: "while" as const, ...r })) },
  );
}

/** Puts labels on a random subset of statements (the first is labelled more often). */
function labelled(stmts: Stmt[], coins: () => boolean, next: () => string): Stmt[] {
  return stmts.map((s, i) => {
    const copy: Stmt = { ...s };
    // Mostly labelled where a label is needed (first statements, loops), often elsewhere.
    const p = i === 0 || s.k === "while" ? coins() || coins() || coins() : coins() || coins();
    if (p) copy.label = next();
    if (copy.k === "if") {
      copy.then = labelled(copy.then, coins, next);
      if (copy.else) copy.else = labelled(copy.else, coins, next);
    } else if (copy.k === "either") copy.ors = copy.ors.map((o) => labelled(o, coins, next));
    else if (copy.k === "while") copy.body = labelled(copy.body, coins, next);
    else if (copy.k === "with" && coins() && coins() && coins() && coins() && coins()) copy.body = labelled(copy.body, coins, next);
    return copy;
  });
}

function renderP(stmts: Stmt[], ind: string): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    const lbl = s.label ? `${s.label}: ` : "";
    switch (s.k) {
      case "assign":
      case "simple":
        out.push(`${ind}${lbl}${s.text};`);
        break;
      case "goto":
        out.push(`${ind}${lbl}goto ${s.to};`);
        break;
      case "return":
        out.push(`${ind}${lbl}return;`);
        break;
      case "call":
        out.push(`${ind}${lbl}${s.text};${s.then === "" ? "" : s.then === "return" ? " return;" : ` goto ${s.then};`}`);
        break;
      case "if":
        out.push(`${ind}${lbl}if ${s.cond} then`, ...renderP(s.then, `${ind}  `));
        if (s.else) out.push(`${ind}else`, ...renderP(s.else, `${ind}  `));
        out.push(`${ind}end if;`);
        break;
      case "either":
        s.ors.forEach((o, i) => out.push(`${ind}${i === 0 ? `${lbl}either` : "or"}`, ...renderP(o, `${ind}  `)));
        out.push(`${ind}end either;`);
        break;
      case "with":
        out.push(`${ind}${lbl}with ${s.bind} do`, ...renderP(s.body, `${ind}  `), `${ind}end with;`);
        break;
      case "while":
        out.push(`${ind}${lbl}while ${s.cond} do`, ...renderP(s.body, `${ind}  `), `${ind}end while;`);
        break;
    }
  }
  return out;
}

function renderC(stmts: Stmt[], ind: string): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    const lbl = s.label ? `${s.label}: ` : "";
    switch (s.k) {
      case "assign":
      case "simple":
        out.push(`${ind}${lbl}${s.text};`);
        break;
      case "goto":
        out.push(`${ind}${lbl}goto ${s.to};`);
        break;
      case "return":
        out.push(`${ind}${lbl}return;`);
        break;
      case "call":
        out.push(`${ind}${lbl}${s.text};${s.then === "" ? "" : s.then === "return" ? " return;" : ` goto ${s.then};`}`);
        break;
      case "if":
        out.push(`${ind}${lbl}if (${s.cond}) {`, ...renderC(s.then, `${ind}  `), `${ind}}`);
        if (s.else) out.push(`${ind}else {`, ...renderC(s.else, `${ind}  `), `${ind}};`);
        else out[out.length - 1] += ";";
        break;
      case "either":
        s.ors.forEach((o, i) => out.push(`${ind}${i === 0 ? `${lbl}either {` : "or {"}`, ...renderC(o, `${ind}  `), `${ind}}`));
        out[out.length - 1] += ";";
        break;
      case "with":
        out.push(`${ind}${lbl}with (${s.bind}) {`, ...renderC(s.body, `${ind}  `), `${ind}};`);
        break;
      case "while":
        out.push(`${ind}${lbl}while (${s.cond}) {`, ...renderC(s.body, `${ind}  `), `${ind}};`);
        break;
    }
  }
  return out;
}

/** Random algorithms; `index` makes the module name unique. */
export function algorithmArb(index: () => number): fc.Arbitrary<GeneratedAlgorithm> {
  return fc
    .record({
      syntax: fc.constantFrom<"p" | "c">("p", "c"),
      multi: fc.boolean(),
      fair: fc.boolean(),
      define: fc.boolean(),
      macro: fc.boolean(),
      nProcedures: fc.integer({ min: 0, max: 2 }),
      nProcesses: fc.integer({ min: 1, max: 3 }),
      options: fc.constantFrom("", "label", "label", "label", "wf", "sf, label", "termination", "wfNext", "nof, label", "labelRoot L_, label"),
      seed: fc.integer({ min: 0, max: 2 ** 30 }),
    })
    .chain((shape) => {
      const procedures = Array.from({ length: shape.nProcedures }, (_, i) => ({ name: `P${i}`, arity: i === 0 ? 1 : 2 }));
      const macros = shape.macro ? [{ name: "Bump", arity: 1 }] : [];
      const base: Ctx = { labels: [], inProcedure: false, procedures, macros, localVars: [] };
      const body = (ctx: Ctx) => fc.array(stmtArb(2, ctx), { minLength: 1, maxLength: 4 });
      return fc.record({
        shape: fc.constant(shape),
        procBodies: fc.tuple(...procedures.map(() => body({ ...base, inProcedure: true, localVars: ["loc"] }))),
        procs: fc.array(fc.record({ set: fc.boolean(), fairness: fc.constantFrom("", "fair ", "fair+ "), local: fc.boolean(), body: body({ ...base, localVars: ["mine"] }) }), { minLength: shape.nProcesses, maxLength: shape.nProcesses }),
        mainBody: body(base),
        coins: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
      });
    })
    .map(({ shape, procBodies, procs, mainBody, coins }) => {
      let c = 0;
      const coin = () => coins[c++ % coins.length]!;
      let l = 0;
      const next = () => `l${++l}`;
      const p = shape.syntax === "p";
      const render = (s: Stmt[], ind: string) => (p ? renderP(s, ind) : renderC(s, ind));
      const name = `Gen${index()}`;
      const lines: string[] = [];
      lines.push(`(* --${shape.fair && !shape.multi ? "fair " : ""}algorithm ${name}${p ? "" : " {"}`);
      lines.push("  variables x = 0, y \\in 0..1, q = << >>, flag = FALSE, r = [a |-> 0], f = [i \\in 0..1 |-> 0];");
      if (shape.define) lines.push(p ? "  define Big == x > 2 end define;" : "  define { Big == x > 2 }");
      if (shape.macro) lines.push(p ? "  macro Bump(v) begin v := v + 1; flag := ~flag end macro;" : "  macro Bump(v) { v := v + 1; flag := ~flag }");
      procBodies.forEach((b, i) => {
        const params = i === 0 ? "a" : "a, b = 1";
        lines.push(p ? `  procedure P${i}(${params})` : `  procedure P${i}(${params})`);
        lines.push(p ? "  variable loc = 0;" : "  variable loc = 0;");
        lines.push(p ? "  begin" : "  {");
        lines.push(...render(labelled(b, coin, next), "    "));
        lines.push(p ? "    ret: return;" : "    ret: return;");
        lines.push(p ? "  end procedure;" : "  }");
      });
      if (shape.multi) {
        procs.forEach((pr, i) => {
          const id = pr.set ? `\\in {${i * 2 + 1}, ${i * 2 + 2}}` : `= ${i * 2 + 1}`;
          lines.push(p ? `  ${pr.fairness}process Pr${i} ${id}` : `  ${pr.fairness}process (Pr${i} ${id})`);
          if (pr.local) lines.push("  variable mine = 0;");
          lines.push(p ? "  begin" : "  {");
          lines.push(...render(labelled(pr.body, coin, next), "    "));
          lines.push(p ? "  end process;" : "  }");
        });
        lines.push(p ? "end algorithm *)" : "} *)");
      } else {
        lines.push(p ? "begin" : "{");
        lines.push(...render(labelled(mainBody, coin, next), "  "));
        lines.push(p ? "end algorithm *)" : "} } *)");
      }
      const options = shape.options ? `PlusCal options (${shape.options})\n` : "";
      const text = `---- MODULE ${name} ----\nEXTENDS Naturals, Sequences, TLC\n${options}${lines.join("\n")}\n====\n`;
      return { name, text, syntax: shape.syntax, multi: shape.multi };
    });
}
