/**
 * The bounded-staleness judge on hand-made histories: fresh and stale reads, k-staleness and
 * t-visibility figures, each violation once, zombie writes, and lincheck under the configuration
 * that promises linearizability.
 */
import { describe, expect, it } from "vitest";
import { parseEdnHistory } from "@synod/lincheck";
import { boundedStaleness, describeStaleness, stalenessReport, type HistoryEvent } from "../src/index.js";

type Q = { n: number; r: number; w: number; sloppy: boolean; readRepair: string };
const STRICT: Q = { n: 3, r: 2, w: 2, sloppy: false, readRepair: "async" };
const LIN: Q = { ...STRICT, readRepair: "blocking" };
const WEAK: Q = { n: 3, r: 1, w: 1, sloppy: false, readRepair: "async" };
const SLOPPY: Q = { ...STRICT, sloppy: true };

/** Events at explicit times (ms): the judge reads `time` in ns as the simulator writes it. */
const ev = (process: number, type: "invoke" | "ok" | "info", f: string, key: string, value: unknown, atMs: number): HistoryEvent => ({ process, type, f, key, value, time: atMs * 1e6 }) as unknown as HistoryEvent;
const write = (p: number, key: string, value: string, supersedes: string[], fromMs: number, toMs: number, q: Q, dot?: string): HistoryEvent[] => [
  ev(p, "invoke", "write", key, { value, supersedes }, fromMs),
  ev(p, "ok", "write", key, { ...q, ...(dot ? { dot } : {}) }, toMs),
];
const read = (p: number, key: string, values: string[], fromMs: number, toMs: number, q: Q, opts: { final?: boolean; dots?: string[] } = {}): HistoryEvent[] => [
  ev(p, "invoke", "read", key, { final: opts.final ?? false }, fromMs),
  ev(p, "ok", "read", key, { values, ...q, ...(opts.dots ? { dots: opts.dots } : {}) }, toMs),
];
const check = (h: HistoryEvent[]) => boundedStaleness().check(h, { timeoutMs: 5000 });

describe("the bounded-staleness judge", () => {
  it("measures a stale read under weak quorums: versions missed (k) and ms since the first missed ack (t)", () => {
    const h = [
      ...write(0, "k", "a", [], 0, 10, WEAK),
      ...write(0, "k", "b", ["a"], 20, 30, WEAK),
      ...read(1, "k", [], 50, 55, WEAK),
      ...read(1, "k", ["a"], 60, 65, WEAK),
      ...read(1, "k", ["b"], 70, 75, WEAK),
    ];
    const rep = stalenessReport(h);
    expect(rep.violation).toBeNull();
    expect(rep.reads.map((r) => [r.fresh, r.missed, r.staleByMs])).toEqual([
      [false, 2, 40],
      [false, 1, 30],
      [true, 0, 0],
    ]);
    const v = check(h);
    expect(v).toMatchObject({ verdict: "ok" });
    expect(v.verdict === "ok" && v.detail).toContain("3 reads, 2 stale (66.7%); versions missed p50 2");
    expect(describeStaleness(rep.reads)).toContain("stale by p50 40.0 ms");
  });

  it("a read reflects a write it returned, or one a returned value's writer replaced (transitively)", () => {
    const h = [...write(0, "k", "a", [], 0, 10, STRICT), ...write(0, "k", "b", ["a"], 20, 30, STRICT), ...write(0, "k", "c", ["b"], 40, 50, STRICT), ...read(1, "k", ["c"], 60, 65, STRICT)];
    expect(stalenessReport(h).reads[0]).toMatchObject({ fresh: true, missed: 0 });
  });

  it("a concurrent write is a sibling: missing it is stale even though a newer value came back", () => {
    const h = [...write(0, "k", "a", [], 0, 10, STRICT), ...write(1, "k", "b", [], 0, 12, STRICT), ...read(2, "k", ["b"], 20, 25, STRICT)];
    const v = check(h);
    expect(v.verdict).toBe("violation");
    expect(v.verdict === "violation" && v.explanation).toMatch(/stale read under overlapping strict quorums \(R = 2, W = 2, N = 3\).*write "a"/);
  });

  it("a stale read is no violation when the quorums do not overlap (R + W <= N) or are sloppy", () => {
    for (const q of [WEAK, SLOPPY]) {
      const h = [...write(0, "k", "a", [], 0, 10, q), ...read(1, "k", [], 20, 25, q)];
      expect(check(h).verdict).toBe("ok");
    }
    // A strict R = 2 read after a W = 1 write does not overlap either: 2 + 1 = N.
    expect(check([...write(0, "k", "a", [], 0, 10, WEAK), ...read(1, "k", [], 20, 25, STRICT)]).verdict).toBe("ok");
  });

  it("a read overlapping the write in time may miss it", () => {
    expect(check([...write(0, "k", "a", [], 0, 30, STRICT), ...read(1, "k", [], 10, 20, STRICT)]).verdict).toBe("ok");
  });

  it("a final read missing an acknowledged write is a lost write, whatever the quorum", () => {
    const v = check([...write(0, "k", "a", [], 0, 10, WEAK), ...read(1, "k", [], 2000, 2010, WEAK, { final: true })]);
    expect(v.verdict === "violation" && v.explanation).toMatch(/acknowledged write lost or sibling dropped/);
  });

  it("a value nobody wrote is a violation", () => {
    const v = check([...write(0, "k", "a", [], 0, 10, WEAK), ...read(1, "k", ["zzz"], 20, 25, WEAK)]);
    expect(v.verdict === "violation" && v.explanation).toMatch(/returned "zzz", which no write of k wrote/);
  });

  it("runs lincheck (multi-value register) when every operation had strict R + W > N and blocking read repair", () => {
    const ok = check([...write(0, "k", "a", [], 0, 10, LIN), ...write(1, "k", "b", [], 5, 12, LIN), ...read(2, "k", ["a", "b"], 20, 25, LIN), ...write(2, "k", "c", ["a", "b"], 30, 40, LIN), ...read(0, "k", ["c"], 50, 55, LIN)]);
    expect(ok).toMatchObject({ verdict: "ok" });
    expect(ok.verdict === "ok" && ok.detail).toMatch(/^linearizable \(multi-value register, 5 operations\)/);
    // Fresh (every read reflects the writes acknowledged before it), yet not linearizable: a read
    // saw the in-flight write b, a later read did not (no write-back before answering).
    const bad = check([...write(0, "k", "a", [], 0, 10, LIN), ev(1, "invoke", "write", "k", { value: "b", supersedes: ["a"] }, 20), ...read(2, "k", ["b"], 30, 35, LIN), ...read(3, "k", ["a"], 40, 45, LIN), ev(1, "ok", "write", "k", LIN, 50)]);
    expect(bad.verdict === "violation" && bad.explanation).toMatch(/not linearizable under strict quorums/);
  });

  it("names zombie writes (one value under two dots) and then does not hold the history to linearizability", () => {
    const h = [...write(0, "k", "a", [], 0, 10, LIN, "n1:1"), ...read(2, "k", ["a"], 20, 25, LIN, { dots: ["n2:4"] })];
    const rep = stalenessReport(h);
    expect(rep.zombies).toEqual([`"a" written as n1:1 (event 1 (process 0)) and again as n2:4 (event 3 (process 2))`]);
    const v = check(h);
    expect(v.verdict === "ok" && v.detail).toMatch(/not held to linearizability: 1 retried write/);
  });

  it("refuses malformed histories, naming the event", () => {
    expect(check([ev(0, "invoke", "cas", "k", null, 0)])).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/event 0.*"cas" is not read or write/) });
    expect(check([ev(0, "invoke", "read", "k", {}, 0), ev(0, "ok", "read", "k", { values: [] }, 1)])).toMatchObject({ explanation: expect.stringMatching(/does not say its quorum/) });
    expect(check([...write(0, "k", "a", [], 0, 1, WEAK), ...write(1, "k", "a", [], 2, 3, WEAK)])).toMatchObject({ explanation: expect.stringMatching(/written twice/) });
  });
});

describe("the bounded-staleness judge on history files (regression: times read as lincheck's readers give them)", () => {
  // Before the fix the judge read only `time`; lincheck's readers put a file's `:time` in
  // `timeNs`, so every event of a Jepsen or Knossos file sat at 0, no write preceded any read,
  // and every read passed as fresh.
  const edn = (rows: string[]): HistoryEvent[] => parseEdnHistory(rows.join("\n"), "stale.edn") as unknown as HistoryEvent[];
  const q = '{:n 3, :r 1, :w 1, :sloppy false, :readRepair "async"}';
  const rows = (time: (ms: number) => string): string[] => [
    `{:process 0, :type :invoke, :f :write, :key "k", :value {:value "a", :supersedes []}${time(0)}}`,
    `{:process 0, :type :ok, :f :write, :key "k", :value ${q}${time(10)}}`,
    `{:process 0, :type :invoke, :f :write, :key "k", :value {:value "b", :supersedes ["a"]}${time(20)}}`,
    `{:process 0, :type :ok, :f :write, :key "k", :value ${q}${time(30)}}`,
    `{:process 1, :type :invoke, :f :read, :key "k", :value {:final false}${time(50)}}`,
    `{:process 1, :type :ok, :f :read, :key "k", :value {:values ["a"], :n 3, :r 1, :w 1, :sloppy false, :readRepair "async"}${time(55)}}`,
  ];

  it("reads :time (lincheck's timeNs) from an EDN file", () => {
    const rep = stalenessReport(edn(rows((ms) => `, :time ${ms * 1e6}`)));
    expect(rep.clock).toBe("time");
    expect(rep.reads.map((r) => [r.fresh, r.missed, r.staleByMs])).toEqual([[false, 1, 20]]);
  });

  it("orders by position when no event has a time, and says the figures are in events", () => {
    const rep = stalenessReport(edn(rows(() => "")));
    expect(rep.clock).toBe("position");
    expect(rep.reads.map((r) => [r.fresh, r.missed, r.staleByMs])).toEqual([[false, 1, 1]]);
    expect(describeStaleness(rep.reads, rep.clock)).toContain("stale by p50 1.0 events");
  });

  it("refuses a history that times only some of its events, naming the first untimed one", () => {
    const mixed = rows((ms) => (ms < 50 ? `, :time ${ms * 1e6}` : ""));
    expect(stalenessReport(edn(mixed)).violation).toBe("malformed history for the staleness judge: event 4 (process 1) has no time, but 4 other events do");
  });
});
