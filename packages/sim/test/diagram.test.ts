import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/protocol";
import { renderSpaceTime } from "../src/index.js";
import { PingNode } from "./toys.js";
import { makeSim } from "./helpers.js";

describe("space-time diagram", () => {
  it("draws deliveries, drops and faults in time order", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id, id === "n1" ? { to: "n3", count: 2 } : {}), {
      network: { latency: { type: "constant", ms: 2 } },
      faults: [
        { atMs: 1, fault: { type: "cut", from: ["n3"], to: ["n1"] } },
        { atMs: 3, fault: { type: "crash", node: "n2" } },
        { atMs: 3, fault: { type: "crash", node: "n2" } },
      ],
    });
    sim.run();
    const text = renderSpaceTime(sim.log(), { columnWidth: 6 });
    expect(text.split("\n")).toEqual([
      "   time ms  n1    n2    n3    ",
      "     1.000  │     │     │       ~~ cut [n3] → [n1]",
      "     2.000  o───────────▶       #0 ping (sent 0.000)",
      "     2.000  o───────────▶       #1 ping (sent 0.000)",
      "     2.000  x───────────o       #2 pong (dropped: partition)",
      "     2.000  x───────────o       #3 pong (dropped: partition)",
      "     3.000  │     X     │       ~~ crash n2",
      "     3.000  │     X     │       ~~ crash n2 (no-op)",
    ]);
  });

  it("shows a time window and caps the number of lines", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id, id === "n1" ? { to: "n2", count: 4 } : {}), {
      network: { latency: { type: "uniform", minMs: 1, maxMs: 9 } },
    });
    sim.run();
    const all = renderSpaceTime(sim.log()).split("\n").slice(1);
    const times = all.map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const window = renderSpaceTime(sim.log(), { fromMs: 5, toMs: 10 }).split("\n").slice(1);
    expect(window).toEqual(all.filter((_, i) => (times[i] as number) >= 5 && (times[i] as number) <= 10));
    const capped = renderSpaceTime(sim.log(), { maxLines: 3 }).split("\n");
    expect(capped).toHaveLength(5);
    expect(capped[4]).toBe(`… ${all.length - 3} more lines`);
  });
});
