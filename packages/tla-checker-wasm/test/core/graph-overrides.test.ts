// CommunityModules' Graphs and UndirectedGraphs operators are evaluated natively with the meaning
// of TLC's Java overrides (src/modules/graph-overrides.ts). The modules below are the
// CommunityModules definitions: Path(G) ranges over Seq(G.node) and ConnectedComponents over
// Seq(S), neither enumerable, so every result here comes from the native forms (without them
// each expression is an enumeration error).
import { describe, expect, it } from "vitest";
import type { LoadedModel } from "../../src/load.js";
import { load } from "./helpers.js";

const GRAPHS = `---- MODULE Graphs ----
EXTENDS Naturals, Sequences
Path(G) == {p \\in Seq(G.node) : /\\ p # << >>
                               /\\ \\A i \\in 1..(Len(p)-1) : <<p[i], p[i+1]>> \\in G.edge}
SimplePath(G) == { p \\in Path(G) : \\A i,j \\in 1..Len(p) : p[i] = p[j] => i = j }
AreConnectedIn(m, n, G) == \\E p \\in Path(G) : (p[1] = m) /\\ (p[Len(p)] = n)
IsStronglyConnected(G) == \\A m, n \\in G.node : AreConnectedIn(m, n, G)
IsTreeWithRoot(G, r) ==
  /\\ r \\in G.node
  /\\ \\A e \\in G.edge : /\\ e[1] # r
                       /\\ \\A f \\in G.edge : (e[1] = f[1]) => (e = f)
  /\\ \\A n \\in G.node : AreConnectedIn(n, r, G)
====
`;

const UNDIRECTED = `---- MODULE UndirectedGraphs ----
LOCAL INSTANCE Naturals
LOCAL INSTANCE Sequences
Path(G) == {p \\in Seq(G.node) : /\\ p # << >>
                               /\\ \\A i \\in 1..(Len(p)-1) : {p[i], p[i+1]} \\in G.edge}
SimplePath(G) == { p \\in Path(G) : \\A i,j \\in 1..Len(p) : p[i] = p[j] => i = j }
AreConnectedIn(m, n, G) == \\E p \\in Path(G) : (p[1] = m) /\\ (p[Len(p)] = n)
ConnectedComponents(G) ==
    LET IsCC(S) == /\\ S # {}
                   /\\ \\A m,n \\in S : \\E p \\in Seq(S) :
                         /\\ p # << >>
                         /\\ p[1] = m /\\ p[Len(p)] = n
                         /\\ \\A i \\in 1 .. Len(p)-1 : {p[i], p[i+1]} \\in G.edge
    IN  { S \\in SUBSET G.node : /\\ IsCC(S)
                               /\\ \\A T \\in SUBSET G.node : S \\subseteq T /\\ S # T => ~ IsCC(T) }
IsStronglyConnected(G) == ConnectedComponents(G) = {G.node}
====
`;

function model(extend: string): Promise<LoadedModel> {
  return load(
    `---- MODULE Gr ----
EXTENDS Naturals, ${extend}
VARIABLE x
Init == x = 0
Next == UNCHANGED x
====
`,
    "INIT Init\nNEXT Next\n",
    { Graphs: GRAPHS, UndirectedGraphs: UNDIRECTED },
  );
}

describe("Graphs (directed) overrides", () => {
  const show = async (e: string): Promise<string> => {
    const m = await model("Graphs");
    return m.values.format(m.evaluate(e));
  };
  // 1 -> 2 -> 3 -> 1, 3 -> 4; the edge <<4, 9>> leaves the node set and <<4>>, <<1, 2, 3>> are no
  // pairs: as in the override, none of them is an edge.
  const G = "[node |-> {1, 2, 3, 4}, edge |-> {<<1, 2>>, <<2, 3>>, <<3, 1>>, <<3, 4>>, <<4, 9>>, <<4>>, <<1, 2, 3>>}]";

  it("SimplePath enumerates every non-empty path without repeated nodes", async () => {
    expect(await show(`SimplePath([node |-> {1, 2, 3}, edge |-> {<<1, 2>>, <<2, 3>>, <<3, 1>>}])`)).toBe(
      "{<<1>>, <<2>>, <<3>>, <<1, 2>>, <<2, 3>>, <<3, 1>>, <<1, 2, 3>>, <<2, 3, 1>>, <<3, 1, 2>>}",
    );
    expect(await show(`SimplePath([node |-> {}, edge |-> {}])`)).toBe("{}");
  });

  it("AreConnectedIn follows the edges' direction and ignores edges that are not pairs of nodes", async () => {
    expect(await show(`<<AreConnectedIn(1, 4, ${G}), AreConnectedIn(4, 1, ${G}), AreConnectedIn(4, 4, ${G}), AreConnectedIn(4, 9, ${G}), AreConnectedIn(5, 5, ${G})>>`)).toBe(
      "<<TRUE, FALSE, TRUE, FALSE, FALSE>>",
    );
  });

  it("IsStronglyConnected tests both directions; the empty graph is strongly connected", async () => {
    expect(await show(`<<IsStronglyConnected(${G}), IsStronglyConnected([node |-> {1, 2, 3}, edge |-> {<<1, 2>>, <<2, 3>>, <<3, 1>>}]), IsStronglyConnected([node |-> {}, edge |-> {}])>>`)).toBe(
      "<<FALSE, TRUE, TRUE>>",
    );
  });

  it("operators that call AreConnectedIn through the module (IsTreeWithRoot) use the override", async () => {
    expect(await show(`<<IsTreeWithRoot([node |-> {1, 2, 3}, edge |-> {<<2, 1>>, <<3, 2>>}], 1), IsTreeWithRoot([node |-> {1, 2, 3}, edge |-> {<<2, 1>>}], 1)>>`)).toBe("<<TRUE, FALSE>>");
  });

  it("a graph argument that is not a graph record is an error naming the argument", async () => {
    const m = await model("Graphs");
    expect(() => m.evaluate("AreConnectedIn(1, 2, <<1, 2>>)")).toThrow(/third argument of AreConnectedIn should be a graph record with a node and an edge field, but instead it is: <<1, 2>>/);
    expect(() => m.evaluate("SimplePath([node |-> 3, edge |-> {}])")).toThrow(/first argument of SimplePath should be a graph record whose node field is a set/);
    expect(() => m.evaluate("IsStronglyConnected([node |-> {1}])")).toThrow(/record whose edge field is a set/);
  });
});

describe("UndirectedGraphs overrides", () => {
  const show = async (e: string): Promise<string> => {
    const m = await model("UndirectedGraphs");
    return m.values.format(m.evaluate(e));
  };
  // {1, 2} and {2, 3} join 1..3; {4} is a self-loop (joins nothing); {5, 9} leaves the node set;
  // {} and {1, 2, 3} are no edges.
  const G = `[node |-> {1, 2, 3, 4, 5}, edge |-> {{1, 2}, {2, 3}, {4}, {5, 9}, {}, {1, 2, 3}}]`;

  it("ConnectedComponents joins the nodes of each edge", async () => {
    expect(await show(`ConnectedComponents(${G})`)).toBe("{{4}, {5}, {1, 2, 3}}");
    expect(await show(`ConnectedComponents([node |-> {}, edge |-> {}])`)).toBe("{}");
  });

  it("IsStronglyConnected, in TLA+ over ConnectedComponents, uses it", async () => {
    expect(await show(`<<IsStronglyConnected(${G}), IsStronglyConnected([node |-> {1, 2, 3}, edge |-> {{1, 2}, {3, 2}}])>>`)).toBe("<<FALSE, TRUE>>");
  });

  it("SimplePath and AreConnectedIn go both ways along an edge", async () => {
    expect(await show(`SimplePath([node |-> {1, 2}, edge |-> {{1, 2}, {2}}])`)).toBe("{<<1>>, <<2>>, <<1, 2>>, <<2, 1>>}");
    expect(await show(`<<AreConnectedIn(3, 1, ${G}), AreConnectedIn(1, 4, ${G}), AreConnectedIn(4, 4, ${G}), AreConnectedIn(9, 5, ${G})>>`)).toBe("<<TRUE, FALSE, TRUE, FALSE>>");
  });

  it("a graph argument that is not a graph record is an error naming the argument and the kind", async () => {
    const m = await model("UndirectedGraphs");
    expect(() => m.evaluate("ConnectedComponents({1})")).toThrow(/first argument of ConnectedComponents should be a undirected graph record with a node and an edge field/);
  });
});
