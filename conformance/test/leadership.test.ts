/** The leadership judge on hand-made histories: each promise broken once, and kept. */
import { describe, expect, it } from "vitest";
import { leadership, type HistoryEvent } from "../src/index.js";

const MS = 1e6;
let proc = 0;
/** A lead query by a fresh process, invoked at `inv` ms, answered at `ok` ms by `node`. */
function claim(inv: number, ok: number, node: string, generation: number, leaseRemainingMs: number): HistoryEvent[] {
  const p = proc++;
  return [
    { process: p, type: "invoke", f: "lead", value: null, time: inv * MS } as unknown as HistoryEvent,
    { process: p, type: "ok", f: "lead", value: { node, generation, leaseRemainingMs }, time: ok * MS } as unknown as HistoryEvent,
  ];
}
const sorted = (events: HistoryEvent[]): HistoryEvent[] => [...events].sort((a, b) => (a as unknown as { time: number }).time - (b as unknown as { time: number }).time);
const check = (events: HistoryEvent[], driftBound = 0.05) => leadership({ driftBound }).check(sorted(events), { timeoutMs: 1000 });

describe("the leadership judge", () => {
  it("accepts leaderships in generation order whose leases do not overlap", () => {
    const h = [...claim(0, 1, "n1", 1, 50), ...claim(10, 11, "n1", 1, 90), ...claim(200, 201, "n2", 2, 80)];
    expect(check(h)).toMatchObject({ verdict: "ok", detail: expect.stringMatching(/3 leader claims over 2 generations/) });
  });

  it("finds a generation claimed by two nodes", () => {
    const v = check([...claim(0, 1, "n1", 3, 50), ...claim(500, 501, "n2", 3, 50)]);
    expect(v).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/generation 3 has two leaders: n1 .* n2/) });
  });

  it("finds a stale leader claiming its lease after a newer leadership did", () => {
    const v = check([...claim(0, 1, "n2", 2, 5), ...claim(300, 301, "n1", 1, 5)]);
    expect(v).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/fencing token went back in real time: n2 claimed generation 2 .* n1 claimed generation 1/) });
  });

  it("finds two valid leases overlapping in real time, even in generation order", () => {
    // n1's lease (gen 1) is certainly valid until 0 + 100/1.05 ≈ 95.2 ms; n2 claims gen 2 at 50 ms.
    const v = check([...claim(0, 1, "n1", 1, 100), ...claim(49, 50, "n2", 2, 100)]);
    expect(v).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/two valid leases overlap in real time: n1 .* until 95\.238 ms; n2 .* from 50\.000 ms/) });
    // Past the certain end, no overlap can be shown.
    expect(check([...claim(0, 1, "n1", 1, 100), ...claim(95, 96, "n2", 2, 100)]).verdict).toBe("ok");
  });

  it("ignores fail and info completions, and calls anything else malformed", () => {
    const info = [{ process: 99, type: "invoke", f: "lead", value: null, time: 0 }, { process: 99, type: "info", f: "lead", value: null, time: 5 * MS }] as unknown as HistoryEvent[];
    expect(check([...info, ...claim(10, 11, "n1", 1, 10)]).verdict).toBe("ok");
    expect(check([{ process: 1, type: "invoke", f: "read", value: null, time: 0 } as unknown as HistoryEvent])).toMatchObject({ explanation: expect.stringMatching(/malformed.*"read" is not lead/) });
    const noLease = [{ process: 1, type: "invoke", f: "lead", value: null, time: 0 }, { process: 1, type: "ok", f: "lead", value: { node: "n1", generation: 1 }, time: 1 }] as unknown as HistoryEvent[];
    expect(check(noLease)).toMatchObject({ explanation: expect.stringMatching(/is not \{ node, generation, leaseRemainingMs > 0 \}/) });
    expect(() => leadership({ driftBound: 1 })).toThrow(/driftBound/);
  });
});
