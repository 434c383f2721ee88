// TLC's renderings of the liveness normal form, to compare ours with what TLC prints: the debug
// line per solution (-Dtlc2.tool.liveness.Liveness.debug=true) and the tableau as dot
// (-Dtlc2.tool.liveness.Liveness.tableauExportPath).
import type { NormalSolution } from "../../src/check/live/normalize.js";
import type { LN } from "../../src/check/live/ln.js";
import type { TableauGraph } from "../../src/check/live/tableau.js";

/** TLC's debug line per solution. TLC passes the action-check count in the "state check(s)" slot and vice versa. */
export function debugLines(sols: NormalSolution[]): string[] {
  const total = sols.reduce((n, s) => n + s.pems.length, 0);
  const lines = sols.map(
    (s) =>
      `Implied-temporal checking--branch of satisfiable problem has ${total} possible error model(s), ${s.promises.length} promise(s), ` +
      `${s.checkAction.length} state check(s), ${s.checkState.length} action check(s), and a tableau with ${s.tableau ? s.tableau.nodes.length : 0} node(s).`,
  );
  lines.push(`Implied-temporal checking--satisfiability problem has ${sols.length} branches.`);
  return lines;
}

/** TLC's LiveExprNode.toDotViz. */
function dotOf(f: LN): string {
  switch (f.k) {
    case "bool":
      return f.b ? "TRUE" : "FALSE";
    case "state":
    case "action":
      return `(${f.leaf.text.replace(/\s+/g, "")})`;
    case "neg":
      return `-${dotOf(f.body)}`;
    case "conj":
    case "disj":
      return f.items.map((x) => `${f.k === "conj" ? "/\\" : "\\/"} (${dotOf(x)})`).join("\n");
    case "all":
      return `[]${dotOf(f.body)}`;
    case "even":
      return `<>${dotOf(f.body)}`;
    case "next":
      return `()${dotOf(f.body)}`;
  }
}

/** TLC's TBGraph.toDotViz. */
export function tableauDot(g: TableauGraph): string {
  let out = "digraph TableauGraph {\nnodesep = 0.7\nrankdir=LR;\n";
  g.nodes.forEach((n, i) => {
    const par = `{${n.particle.map(dotOf).join(",\n")}}`.replace(/\\/g, "\\\\");
    out += `${i} [label="Id: ${i}\n${par}"]\n`;
    if (i < g.initCount) out += "[style = filled]\n";
    for (const j of n.nexts) out += `${i} -> ${j}\n`;
  });
  return `${out}}`;
}

