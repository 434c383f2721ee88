import { describe, expect, it } from "vitest";
import { History, percentile, quorum, summarize } from "../lib/history.mjs";

describe("the rival's histories", () => {
  const run = (readValue) => {
    const h = new History();
    const q = quorum(2);
    h.add("w", "invoke", "write", "k", { value: "k.0", supersedes: [] }, 0);
    h.add("w", "ok", "write", "k", { ...q }, 1e6);
    h.add("w", "invoke", "write", "k", { value: "k.1", supersedes: ["k.0"] }, 2e6);
    h.add("w", "ok", "write", "k", { ...q }, 3e6);
    h.add("r", "invoke", "read", "k", { final: false }, 5e6);
    h.add("r", "ok", "read", "k", { values: readValue, ...q }, 7e6);
    return summarize(h.events);
  };

  it("a read of the writer's last value is fresh; latencies in ms", () => {
    const s = run(["k.1"]);
    expect([s.reads, s.writes, s.stale, s.violation]).toEqual([1, 2, 0, null]);
    expect([s.read.p50, s.write.p99]).toEqual([2, 1]);
  });

  it("a read of the value it replaced, under R = W = 2 of 3, is the judge's violation", () => {
    const s = run(["k.0"]);
    expect(s.stale).toBe(1);
    expect(s.violation).toContain("stale read under overlapping strict quorums (R = 2, W = 2, N = 3)");
  });

  it("takes nearest-rank percentiles", () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});
