/**
 * The mutual-exclusion judge on hand-made histories: Kleppmann's interleaving, each other promise
 * broken once, and the fenced history that keeps them all.
 */
import { describe, expect, it } from "vitest";
import { mutualExclusion, type HistoryEvent } from "../src/index.js";

let t = 0;
const ev = (process: string, type: "invoke" | "ok" | "fail" | "info", f: string, value: unknown): HistoryEvent => ({ process, type, f, value, timeNs: ++t }) as unknown as HistoryEvent;
const work = (p: string, attempt: string, token: number, accepted: boolean): HistoryEvent[] => [ev(p, "invoke", "work", "v"), ev(p, "ok", "work", { attempt, token, accepted })];
const log = (writes: [string, number][]): HistoryEvent[] => [
  ev("final-0", "invoke", "log", null),
  ev("final-0", "ok", "log", { writes: writes.map(([attempt, token]) => ({ attempt, token, value: "v" })) }),
];
const judge = mutualExclusion();
const check = (h: HistoryEvent[]) => judge.check(h, { timeoutMs: 1000 });

describe("the mutual-exclusion judge", () => {
  it("accepts writes in token order, with a stale write rejected", () => {
    const h = [...work("c0", "a.1", 1, true), ...work("c1", "b.1", 2, true), ...work("c0", "a.2", 3, true), ...work("c2", "b.0", 4, true), ...log([["a.1", 1], ["b.1", 2], ["a.2", 3], ["b.0", 4]])];
    expect(check(h)).toEqual({ verdict: "ok", detail: "4 writes in token order, 4 holdings answered (0 stale writes rejected)" });
    const fenced = [...work("c1", "b.1", 2, true), ...work("c0", "a.1", 1, false), ...log([["b.1", 2]])];
    expect(check(fenced)).toEqual({ verdict: "ok", detail: "1 writes in token order, 2 holdings answered (1 stale writes rejected)" });
  });

  it("finds Kleppmann's interleaving: the paused holder's write accepted after the next holder's", () => {
    const h = [...work("c1", "n7.0.1", 2, true), ...work("c0", "n6.0.1", 1, true), ...log([["n7.0.1", 2], ["n6.0.1", 1]])];
    const v = check(h);
    expect(v.verdict).toBe("violation");
    expect(v.verdict === "violation" && v.explanation).toContain("two holders' writes interleave: the storage accepted the write of holding n6.0.1 (token 1) as entry 2 of its log, after the write of the later holding n7.0.1 (token 2) as entry 1");
  });

  it("finds the interleaving when the later holder wrote first and an older one later, with writes between", () => {
    const v = check(log([["a", 1], ["b", 3], ["c", 4], ["d", 2]]));
    expect(v.verdict === "violation" && v.explanation).toContain("holding d (token 2) as entry 4 of its log, after the write of the later holding c (token 4) as entry 3");
  });

  it("finds one token given to two holdings, and one holding with two tokens", () => {
    const two = check([...work("c0", "a", 1, true), ...work("c1", "b", 1, false), ...log([["a", 1]])]);
    expect(two.verdict === "violation" && two.explanation).toContain("fencing token 1 was given to two holdings: a");
    const twice = check([...work("c0", "a", 1, true), ...log([["a", 2]])]);
    expect(twice.verdict === "violation" && twice.explanation).toContain("holding a has two fencing tokens: 1");
  });

  it("finds an acknowledged write missing from the log, and a rejected write in it", () => {
    const lost = check([...work("c0", "a", 1, true), ...log([])]);
    expect(lost.verdict === "violation" && lost.explanation).toContain("an acknowledged write was lost");
    const phantom = check([...work("c0", "a", 1, false), ...log([["a", 1]])]);
    expect(phantom.verdict === "violation" && phantom.explanation).toContain("was told its write was rejected");
    const dup = check(log([["a", 1], ["a", 1]]));
    expect(dup.verdict === "violation" && dup.explanation).toContain("at entries 1 and 2");
  });

  it("calls a history without a log read, or with a foreign operation, malformed", () => {
    const none = check(work("c0", "a", 1, true));
    expect(none.verdict === "violation" && none.explanation).toContain("malformed history for the mutual-exclusion judge: no log of the storage was read");
    const foreign = check([ev("c0", "invoke", "read", null)]);
    expect(foreign.verdict === "violation" && foreign.explanation).toContain('operation "read" is not work or log');
    const badLog = check([ev("f", "ok", "log", { writes: [{ attempt: "a", token: 0 }] })]);
    expect(badLog.verdict === "violation" && badLog.explanation).toContain("log entry 0");
  });

  describe("the grant-time form (a lock without fencing tokens)", () => {
    const held = (p: string, attempt: string, granted: number, accepted: boolean): HistoryEvent[] => [ev(p, "invoke", "work", "v"), ev(p, "ok", "work", { attempt, granted, accepted })];
    const plainLog = (attempts: string[]): HistoryEvent[] => [ev("final-0", "invoke", "log", null), ev("final-0", "ok", "log", { writes: attempts.map((attempt) => ({ attempt, value: "v" })) })];

    it("accepts writes in grant order", () => {
      const h = [...held("c0", "a", 10.5, true), ...held("c1", "b", 20.25, true), ...plainLog(["a", "b"])];
      expect(check(h)).toEqual({ verdict: "ok", detail: "2 writes in grant-time order, 2 holdings answered (0 stale writes rejected)" });
    });

    it("finds Kleppmann's interleaving on real Redlock: the paused holder, granted first, wrote after the next holder", () => {
      const v = check([...held("b", "b.1", 900, true), ...held("a", "a.1", 100, true), ...plainLog(["b.1", "a.1"])]);
      expect(v.verdict).toBe("violation");
      expect(v.verdict === "violation" && v.explanation).toContain(
        "two holders' writes interleave: the storage accepted the write of holding a.1 (granted at 100 ms) as entry 2 of its log, after the write of the later holding b.1 (granted at 900 ms) as entry 1; the lock granted b.1 after a.1, yet a.1 still wrote",
      );
    });

    it("calls a history that mixes the forms, a logged write with no grant time, or tied grants malformed", () => {
      const mixed = check([...held("c0", "a", 1, true), ...work("c1", "b", 2, true), ...log([["a", 1], ["b", 2]])]);
      expect(mixed.verdict === "violation" && mixed.explanation).toContain("malformed history for the mutual-exclusion judge: event 3 (c1) has a fencing token, but event 1 (c0) had none (grant-time form)");
      const tokenInLog = check([...held("c0", "a", 1, true), ...log([["a", 1]])]);
      expect(tokenInLog.verdict === "violation" && tokenInLog.explanation).toContain("log entry 0 has a fencing token, but event 1 (c0) had none");
      const unknown = check([...held("c0", "a", 1, true), ...plainLog(["a", "z"])]);
      expect(unknown.verdict === "violation" && unknown.explanation).toContain("log entry 2 of event 3 names holding z, whose grant time no work result gives");
      const tie = check([...held("c0", "a", 5, true), ...held("c1", "b", 5, true), ...plainLog(["a", "b"])]);
      expect(tie.verdict === "violation" && tie.explanation).toContain("have the same grant time 5 ms: the history cannot order them");
      const both = check([ev("c0", "ok", "work", { attempt: "a", token: 1, granted: 3, accepted: true })]);
      expect(both.verdict === "violation" && both.explanation).toContain("(it has both a token and a grant time)");
      const grantInLog = check([ev("f", "ok", "log", { writes: [{ attempt: "a", granted: 3 }] })]);
      expect(grantInLog.verdict === "violation" && grantInLog.explanation).toContain("carries a grant time");
    });

    it("finds a holding answered twice, and a rejected write in the log", () => {
      const twice = check([...held("c0", "a", 1, true), ...held("c0", "a", 2, true), ...plainLog(["a"])]);
      expect(twice.verdict === "violation" && twice.explanation).toContain("holding a was answered twice");
      const phantom = check([...held("c0", "a", 1, false), ...plainLog(["a"])]);
      expect(phantom.verdict === "violation" && phantom.explanation).toContain("was told its write was rejected");
    });
  });
});
