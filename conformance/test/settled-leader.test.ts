import { describe, expect, it } from "vitest";
import { settledLeader, type HistoryEvent } from "../src/index.js";

const claim = (process: number, f: "lead" | "lead-settled", node: string, t: number): HistoryEvent[] => [
  { process, type: "invoke", f, value: null, time: t } as HistoryEvent,
  { process, type: "ok", f, value: { node, generation: null, leaseRemainingMs: null }, time: t + 1 } as HistoryEvent,
];

describe("the settled-leader judge", () => {
  const judge = settledLeader({ members: ["n1", "n2", "n3"], expected: "n3" });
  const opts = { timeoutMs: 1000 };

  it("passes any claims under faults when every settled answer names the expected leader", () => {
    const h = [...claim(0, "lead", "n1", 0), ...claim(1, "lead", "n2", 1), ...claim(2, "lead-settled", "n3", 10)];
    expect(judge.check(h, opts)).toEqual({ verdict: "ok", detail: "2 claims under faults; all 1 settled answers name n3" });
  });

  it("names a settled answer from another node", () => {
    const v = judge.check([...claim(0, "lead-settled", "n3", 0), ...claim(1, "lead-settled", "n2", 5)], opts);
    expect(v).toMatchObject({ verdict: "violation" });
    expect((v as { explanation: string }).explanation).toMatch(/n2 still claims to lead \(event 3 \(process 1\)\); the election must settle on n3/);
  });

  it("fails a history whose settled queries all went unanswered", () => {
    const h = [...claim(0, "lead", "n3", 0), { process: 1, type: "invoke", f: "lead-settled", value: null, time: 9 } as HistoryEvent, { process: 1, type: "info", f: "lead-settled", value: null, time: 20 } as HistoryEvent];
    expect(judge.check(h, opts)).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/never settled/) });
  });

  it("calls a history malformed for an unknown operation, a non-member or a lease-shaped answer", () => {
    expect(judge.check([{ process: 0, type: "invoke", f: "put", value: 1, time: 0 } as HistoryEvent], opts)).toMatchObject({ explanation: expect.stringMatching(/malformed.*"put" is neither lead nor lead-settled/) });
    expect(judge.check(claim(0, "lead", "n9", 0), opts)).toMatchObject({ explanation: expect.stringMatching(/malformed.*"n9" is not a member/) });
    const leased = [{ process: 0, type: "ok", f: "lead", value: { node: "n1", generation: 2, leaseRemainingMs: 5 }, time: 1 } as HistoryEvent];
    expect(judge.check(leased, opts)).toMatchObject({ explanation: expect.stringMatching(/malformed.*generation: null/) });
    expect(() => settledLeader({ members: ["n1"], expected: "n2" })).toThrow(/not a member/);
  });
});
